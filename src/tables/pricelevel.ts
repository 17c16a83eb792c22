import type { TableDef } from './schema.js';
import { dateTime, memo, primaryKey, systemColumns } from './columns.js';
import { activeStateLabels, priceListStatusReasonLabels } from './choices.js';

/** Price list (`pricelevels`). Its items are in `productpricelevel`. */
export const pricelevel = {
  logicalName: 'pricelevel',
  entitySet: 'pricelevels',
  primaryKey: 'pricelevelid',
  primaryName: 'name',
  changeTracking: false,
  columns: {
    pricelevelid: primaryKey,
    name: { type: 'string', required: true },
    description: memo,
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
      required: true,
    },
    begindate: dateTime,
    enddate: dateTime,
    statecode: { type: 'state', options: activeStateLabels },
    statuscode: { type: 'status', options: priceListStatusReasonLabels },
    ...systemColumns,
  },
  collections: {
    price_level_product_price_levels: { table: 'productpricelevel', referencingColumn: 'pricelevelid' },
  },
} as const satisfies TableDef;
