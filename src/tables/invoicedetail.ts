import type { TableDef } from './schema.js';
import { decimal, integer, money, primaryKey, systemColumns, text } from './columns.js';

/**
 * Invoice line (`invoicedetails`): one invoiced sales order line (or part of one).
 * extendedamount = baseamount − manualdiscountamount; tax is apart.
 */
export const invoicedetail = {
  logicalName: 'invoicedetail',
  entitySet: 'invoicedetails',
  primaryKey: 'invoicedetailid',
  primaryName: 'invoicedetailname',
  changeTracking: false,
  columns: {
    invoicedetailid: primaryKey,
    invoicedetailname: text,
    invoiceid: { type: 'lookup', targets: ['invoice'], navigation: { invoice: 'invoiceid' }, required: true },
    salesorderdetailid: {
      type: 'lookup', targets: ['salesorderdetail'], navigation: { salesorderdetail: 'SalesOrderDetailId' },
    },
    productid: { type: 'lookup', targets: ['product'], navigation: { product: 'productid' } },
    uomid: { type: 'lookup', targets: ['uom'], navigation: { uom: 'uomid' } },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    sequencenumber: integer,
    quantity: decimal,
    priceperunit: money,
    baseamount: money,
    manualdiscountamount: money,
    extendedamount: money,
    tax: money,
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
