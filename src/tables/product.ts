import type { TableDef } from './schema.js';
import { integer, memo, money, primaryKey, systemColumns } from './columns.js';
import { productStateLabels, productStatusReasonLabels, productTypeLabels } from './choices.js';

/**
 * Product (`products`): the released products of SCM, filled by dual-write's released-products maps. Only
 * active products (`statecode` 0) that are on the customer's price list can be ordered; retired ones stay
 * visible on old orders.
 */
export const product = {
  logicalName: 'product',
  entitySet: 'products',
  primaryKey: 'productid',
  primaryName: 'name',
  changeTracking: true,
  columns: {
    productid: primaryKey,
    name: { type: 'string', required: true },
    /** Dataverse product id; dual-write sets it to the SCM product number. */
    productnumber: { type: 'string', required: true },
    /** The SCM product (item) number (`D0001`). */
    msdyn_productnumber: { type: 'string', unconfirmed: true },
    description: memo,
    producttypecode: { type: 'picklist', options: productTypeLabels },
    defaultuomid: { type: 'lookup', targets: ['uom'], navigation: { uom: 'defaultuomid' } },
    defaultuomscheduleid: {
      type: 'lookup', targets: ['uomschedule'], navigation: { uomschedule: 'defaultuomscheduleid' },
    },
    /** Default price list. */
    pricelevelid: { type: 'lookup', targets: ['pricelevel'], navigation: { pricelevel: 'pricelevelid' } },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    /** List price. */
    price: money,
    /** Decimals supported in quantities. */
    quantitydecimal: integer,
    statecode: { type: 'state', options: productStateLabels },
    statuscode: { type: 'status', options: productStatusReasonLabels },
    ...systemColumns,
  },
  collections: {
    product_price_levels: { table: 'productpricelevel', referencingColumn: 'productid' },
  },
} as const satisfies TableDef;
