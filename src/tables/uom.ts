import type { TableDef } from './schema.js';
import { decimal, primaryKey, systemColumns } from './columns.js';

/**
 * Unit (`uoms`), filled by dual-write's "Units" map. `msdyn_symbol` is the SCM unit symbol the portal shows
 * (`ea`, `kg`); `msdyn_decimalprecision` is how many decimals a quantity in this unit may have.
 */
export const uom = {
  logicalName: 'uom',
  entitySet: 'uoms',
  primaryKey: 'uomid',
  primaryName: 'name',
  changeTracking: false,
  columns: {
    uomid: primaryKey,
    name: { type: 'string', required: true },
    msdyn_symbol: { type: 'string', unconfirmed: true },
    msdyn_decimalprecision: { type: 'integer', unconfirmed: true },
    uomscheduleid: {
      type: 'lookup', targets: ['uomschedule'], navigation: { uomschedule: 'uomscheduleid' }, required: true,
    },
    baseuom: { type: 'lookup', targets: ['uom'], navigation: { uom: 'baseuom' } },
    /** How many base units this unit holds. */
    quantity: decimal,
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
