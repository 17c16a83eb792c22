import type { TableDef } from './schema.js';
import { systemColumns } from './columns.js';

/**
 * Postal address location (`msdyn_postaladdresscollections`), filled by dual-write's "CDS postal address
 * locations" map: one SCM location (LogisticsLocation) with its description, the name customers know a
 * delivery address by ("Main warehouse"). See `msdyn_partypostaladdress` for how the address tables fit together.
 *
 * No entity reference page exists: the primary key follows Dataverse's `<table>id` convention and the primary
 * name is a guess.
 */
export const msdyn_postaladdresscollection = {
  logicalName: 'msdyn_postaladdresscollection',
  entitySet: 'msdyn_postaladdresscollections',
  primaryKey: 'msdyn_postaladdresscollectionid',
  primaryName: 'msdyn_description',
  changeTracking: false,
  columns: {
    msdyn_postaladdresscollectionid: { type: 'uniqueidentifier', unconfirmed: true },
    /** The SCM location id (`000000123`). */
    msdyn_location: { type: 'string', unconfirmed: true },
    /** The address's name ("Main warehouse"): the SCM delivery address description. */
    msdyn_description: { type: 'string', unconfirmed: true },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
