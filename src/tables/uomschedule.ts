import type { TableDef } from './schema.js';
import { primaryKey, systemColumns, text } from './columns.js';
import { activeStateLabels, activeStatusReasonLabels } from './choices.js';

/** Unit group (`uomschedules`): every unit and product belongs to one. */
export const uomschedule = {
  logicalName: 'uomschedule',
  entitySet: 'uomschedules',
  primaryKey: 'uomscheduleid',
  primaryName: 'name',
  changeTracking: false,
  columns: {
    uomscheduleid: primaryKey,
    name: { type: 'string', required: true },
    baseuomname: text,
    statecode: { type: 'state', options: activeStateLabels },
    statuscode: { type: 'status', options: activeStatusReasonLabels },
    ...systemColumns,
  },
  collections: {
    unit_of_measure_schedule_conversions: { table: 'uom', referencingColumn: 'uomscheduleid' },
  },
} as const satisfies TableDef;
