import type { TableDef } from './schema.js';
import { primaryKey, systemColumns } from './columns.js';

/**
 * Company (`cdm_companies`): the SCM legal entities, filled by dual-write's "Legal entities" map. Orders,
 * customers and contacts carry one (`msdyn_company`). No entity reference page exists: the primary name
 * (`cdm_name`) is inferred from the map.
 */
export const cdm_company = {
  logicalName: 'cdm_company',
  entitySet: 'cdm_companies',
  primaryKey: 'cdm_companyid',
  primaryName: 'cdm_name',
  changeTracking: false,
  columns: {
    cdm_companyid: primaryKey,
    /** The SCM legal entity id (`USMF`): dual-write's integration key. */
    cdm_companycode: { type: 'string', required: true, unconfirmed: true },
    cdm_name: { type: 'string', unconfirmed: true },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
