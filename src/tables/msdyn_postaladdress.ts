import type { TableDef } from './schema.js';
import { systemColumns } from './columns.js';

/**
 * Postal address (`msdyn_postaladdresses`), filled by dual-write's "CDS postal address history V2" map: the
 * street, city, postcode and country of a location (`msdyn_postaladdresscollectionid`), valid from
 * `msdyn_validfrom` to `msdyn_validto` (SCM keeps the history of an address). See `msdyn_partypostaladdress` for
 * how the address tables fit together.
 *
 * No entity reference page exists: the primary key follows Dataverse's `<table>id` convention and the primary
 * name is a guess.
 */
export const msdyn_postaladdress = {
  logicalName: 'msdyn_postaladdress',
  entitySet: 'msdyn_postaladdresses',
  primaryKey: 'msdyn_postaladdressid',
  primaryName: 'msdyn_name',
  changeTracking: false,
  columns: {
    msdyn_postaladdressid: { type: 'uniqueidentifier', unconfirmed: true },
    msdyn_name: { type: 'string', unconfirmed: true },
    msdyn_postaladdresscollectionid: {
      type: 'lookup',
      targets: ['msdyn_postaladdresscollection'],
      navigation: { msdyn_postaladdresscollection: 'msdyn_postaladdresscollectionid' },
      unconfirmed: true,
    },
    msdyn_street: { type: 'string', unconfirmed: true },
    msdyn_streetnumber: { type: 'string', unconfirmed: true },
    msdyn_buildingcompliment: { type: 'string', unconfirmed: true },
    msdyn_city: { type: 'string', unconfirmed: true },
    msdyn_state: { type: 'string', unconfirmed: true },
    msdyn_zipcode: { type: 'string', unconfirmed: true },
    /** ISO 3166 alpha-3 country/region (`USA`). */
    msdyn_countryregionid: { type: 'string', unconfirmed: true },
    msdyn_validfrom: { type: 'datetime', unconfirmed: true },
    msdyn_validto: { type: 'datetime', unconfirmed: true },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
