import type { TableDef } from './schema.js';
import { dateOnly, decimal, integer, money, primaryKey, systemColumns, text, yesNo } from './columns.js';
import { lineStatusLabels } from './choices.js';

/**
 * Sales order line (`salesorderdetails`), filled by dual-write's "CDS sales order lines" map.
 *
 * Write-in products are not allowed with dual-write: every line names a released product (`productid`) and a
 * unit (`uomid`). `required` marks what dual-write needs on a new line (domain.md §1).
 */
export const salesorderdetail = {
  logicalName: 'salesorderdetail',
  entitySet: 'salesorderdetails',
  primaryKey: 'salesorderdetailid',
  primaryName: 'salesorderdetailname',
  changeTracking: true,
  columns: {
    salesorderdetailid: primaryKey,
    salesorderdetailname: text,
    salesorderid: {
      type: 'lookup', targets: ['salesorder'], navigation: { salesorder: 'salesorderid' }, required: true,
    },
    productid: { type: 'lookup', targets: ['product'], navigation: { product: 'productid' }, required: true },
    uomid: { type: 'lookup', targets: ['uom'], navigation: { uom: 'uomid' }, required: true },
    /** The product's item number, copied by Dataverse when the line is created (read-only). */
    productnumber: { type: 'string', readOnly: true },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    /** Navigation name not documented for lines. */
    msdyn_company: {
      type: 'lookup', targets: ['cdm_company'], navigation: { cdm_company: 'msdyn_company' }, unconfirmed: true,
    },
    /** Line number, 1-based, in the order the customer entered the lines. */
    sequencenumber: integer,
    msdyn_linedescription: { type: 'string', unconfirmed: true },
    isproductoverridden: yesNo,
    ispriceoverridden: yesNo,

    // Quantity and money: extendedamount = baseamount − msdyn_linediscountamount; tax is apart.
    quantity: { type: 'decimal', required: true },
    priceperunit: money,
    /** quantity × priceperunit. */
    baseamount: money,
    msdyn_linediscountamount: { ...money, unconfirmed: true },
    msdyn_linediscountpercentage: { ...decimal, unconfirmed: true },
    extendedamount: money,
    tax: money,

    // SCM progress
    msdyn_linestatus: { type: 'picklist', options: lineStatusLabels, unconfirmed: true },
    quantityshipped: decimal,
    quantitybackordered: decimal,
    quantitycancelled: decimal,

    // Dates
    msdyn_requestedreceiptdate: { ...dateOnly, unconfirmed: true },
    msdyn_confirmedreceiptdate: { ...dateOnly, unconfirmed: true },
    msdyn_confirmedshippingdate: { ...dateOnly, unconfirmed: true },

    // Delivery address (copied from the header)
    shipto_name: text,
    shipto_line1: text,
    shipto_city: text,
    shipto_stateorprovince: text,
    shipto_postalcode: text,
    shipto_country: { type: 'string', required: true },
    msdyn_deliveryaddressdescription: { type: 'string', required: true, unconfirmed: true },

    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
