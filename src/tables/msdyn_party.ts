import type { TableDef } from './schema.js';
import { systemColumns } from './columns.js';

/**
 * Party (`msdyn_parties`), filled by dual-write's "CDS Parties" map (Party and global address book solution):
 * the organisation behind an account, and the owner of its postal addresses (`msdyn_partypostaladdress`).
 *
 * Not in the column reference: `msdyn_partynumber` is named by the mappings (`msdyn_partyid.msdyn_partynumber`);
 * the primary key follows Dataverse's `<table>id` convention and the primary name is a guess.
 */
export const msdyn_party = {
  logicalName: 'msdyn_party',
  entitySet: 'msdyn_parties',
  primaryKey: 'msdyn_partyid',
  primaryName: 'msdyn_partynumber',
  changeTracking: false,
  columns: {
    msdyn_partyid: { type: 'uniqueidentifier', unconfirmed: true },
    /** The SCM party number (`000001234`). */
    msdyn_partynumber: { type: 'string', required: true, unconfirmed: true },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
