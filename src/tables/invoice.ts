import type { TableDef } from './schema.js';
import { dateOnly, money, primaryKey, systemColumns, text } from './columns.js';
import { invoiceStateLabels, invoiceStatusReasonLabels, orderTypeLabels } from './choices.js';

/**
 * Invoice (`invoices`): customer invoices posted in SCM, filled by dual-write's "Sales invoice headers V2" map.
 * An order can have several; `salesorderid` links each to its order. Paid invoices are `statecode` Paid.
 */
export const invoice = {
  logicalName: 'invoice',
  entitySet: 'invoices',
  primaryKey: 'invoiceid',
  primaryName: 'name',
  changeTracking: true,
  columns: {
    invoiceid: primaryKey,
    name: { type: 'string', required: true },
    /** Dataverse invoice id (autonumber). */
    invoicenumber: text,
    /** The SCM invoice number (`CIV-000123`). */
    msdyn_invoicenumber: { type: 'string', unconfirmed: true },
    msdyn_invoicedate: { ...dateOnly, unconfirmed: true },
    duedate: dateOnly,
    salesorderid: { type: 'lookup', targets: ['salesorder'], navigation: { salesorder: 'salesorderid' } },
    customerid: {
      type: 'customer',
      targets: ['account', 'contact'],
      navigation: { account: 'customerid_account', contact: 'customerid_contact' },
      required: true,
    },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
      required: true,
    },
    pricelevelid: { type: 'lookup', targets: ['pricelevel'], navigation: { pricelevel: 'pricelevelid' } },
    msdyn_ordertype: { type: 'picklist', options: orderTypeLabels, unconfirmed: true },

    /** Sum of the invoiced lines' extended amounts. */
    totallineitemamount: money,
    totaldiscountamount: money,
    totaltax: money,
    freightamount: money,
    /** Lines + tax + freight. */
    totalamount: money,

    billto_name: text,
    billto_line1: text,
    billto_city: text,
    billto_stateorprovince: text,
    billto_postalcode: text,
    billto_country: text,

    statecode: { type: 'state', options: invoiceStateLabels },
    statuscode: { type: 'status', options: invoiceStatusReasonLabels },
    ...systemColumns,
  },
  collections: {
    invoice_details: { table: 'invoicedetail', referencingColumn: 'invoiceid' },
  },
} as const satisfies TableDef;
