import type { TableDef } from './schema.js';
import { systemColumns } from './columns.js';

/**
 * Party postal address (`msdyn_partypostaladdresses`): which postal address locations a party (customer) uses,
 * for which purposes ("Delivery", "Invoice", …), filled by dual-write's "CDS Party postal address locations" map.
 *
 * Why this table for the customer's delivery addresses: with dual-write's Party and global address book
 * solution (party-gab.md) the account keeps only two addresses inline (`address1_*` delivery, `address2_*`
 * invoice); all of a customer's addresses, with their purposes, are in the global address book, which dual-write
 * spreads over three tables:
 * - `msdyn_partypostaladdress` (this table): party → location, purposes, primary flag — the only one that says
 *   "this is a delivery address of this customer";
 * - `msdyn_postaladdresscollection`: the location and its description (the name the customer knows it by);
 * - `msdyn_postaladdress`: the street, city, postcode, … of the location (date-effective).
 * An account reaches its rows through `account.msdyn_partyid`. The standard `customeraddress` table
 * ("More addresses") is not filled by dual-write, so it would miss the addresses maintained in SCM.
 *
 * No entity reference page exists: the primary key follows Dataverse's `<table>id` convention and the primary
 * name is a guess; the entity set is confirmed by dual-write's troubleshooting article.
 */
export const msdyn_partypostaladdress = {
  logicalName: 'msdyn_partypostaladdress',
  entitySet: 'msdyn_partypostaladdresses',
  primaryKey: 'msdyn_partypostaladdressid',
  primaryName: 'msdyn_postaladdresspurposenames',
  changeTracking: false,
  columns: {
    msdyn_partypostaladdressid: { type: 'uniqueidentifier', unconfirmed: true },
    msdyn_partyid: {
      type: 'lookup', targets: ['msdyn_party'], navigation: { msdyn_party: 'msdyn_partyid' }, unconfirmed: true,
    },
    msdyn_postaladdresscollectionid: {
      type: 'lookup',
      targets: ['msdyn_postaladdresscollection'],
      navigation: { msdyn_postaladdresscollection: 'msdyn_postaladdresscollectionid' },
      unconfirmed: true,
    },
    /** Purposes joined with `;` ("Delivery;Invoice"); see `AddressPurpose`. */
    msdyn_postaladdresspurposenames: { type: 'string', unconfirmed: true },
    msdyn_isprimary: { type: 'boolean', unconfirmed: true },
    msdyn_islocationowner: { type: 'boolean', unconfirmed: true },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
