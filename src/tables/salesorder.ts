import type { TableDef } from './schema.js';
import { dateOnly, dateTime, memo, money, primaryKey, systemColumns, text, yesNo } from './columns.js';
import {
  languageLabels,
  orderStateLabels,
  orderStatusReasonLabels,
  orderTypeLabels,
  processingStatusLabels,
} from './choices.js';

/**
 * Sales order header (`salesorders`), filled both ways by dual-write's "CDS sales order headers" map.
 *
 * Only orders with `msdyn_ordertype` = Item based (192350000) are sent to Supply Chain Management. The SCM life
 * cycle is in `msdyn_processingstatus`; `statecode` stays Active. `required` marks what dual-write needs to
 * accept a new order (domain.md §1): company, name, currency, price list, ship-to country, customer, language
 * and delivery address description.
 *
 * `unconfirmed: true` marks columns whose type, lookup target or navigation property Microsoft's documentation
 * does not settle (dual-write columns known only from the mapping reference).
 */
export const salesorder = {
  logicalName: 'salesorder',
  entitySet: 'salesorders',
  primaryKey: 'salesorderid',
  primaryName: 'name',
  changeTracking: true,
  columns: {
    salesorderid: primaryKey,
    name: { type: 'string', required: true },
    /** Dataverse order id (autonumber, `ORD-01234-X1Y2Z3`); cannot change after create. */
    ordernumber: text,
    /** The SCM sales order number (`SO-001234`); empty until dual-write has synchronised the order. */
    msdyn_salesordernumber: { type: 'string', unconfirmed: true },

    // Parties
    /** The customer ("Potential customer" on the form): an account. */
    customerid: {
      type: 'customer',
      targets: ['account', 'contact'],
      navigation: { account: 'customerid_account', contact: 'customerid_contact' },
      required: true,
    },
    msdyn_invoicecustomerid: {
      type: 'customer',
      targets: ['account', 'contact'],
      navigation: { account: 'msdyn_invoicecustomerid_account', contact: 'msdyn_invoicecustomerid_contact' },
      unconfirmed: true,
    },
    /**
     * The contact who placed the order ("Contact person"). The older dual-write map writes this column; with the
     * Party and global address book solution the map uses `msdyn_associatedcontact` (→ `msdyn_contactforparty`)
     * instead, which this library does not declare.
     */
    msdyn_contactperson: {
      type: 'lookup', targets: ['contact'], navigation: { contact: 'msdyn_contactperson' }, unconfirmed: true,
    },
    /** The SCM legal entity; read-only once saved. Navigation name seen only in third-party code. */
    msdyn_company: {
      type: 'lookup', targets: ['cdm_company'], navigation: { cdm_company: 'msdyn_Company' }, required: true,
      unconfirmed: true,
    },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
      required: true,
    },
    pricelevelid: {
      type: 'lookup', targets: ['pricelevel'], navigation: { pricelevel: 'pricelevelid' }, required: true,
    },
    msdyn_paymentterms: {
      type: 'lookup', targets: ['msdyn_paymentterm'], navigation: { msdyn_paymentterm: 'msdyn_paymentterms' },
      unconfirmed: true,
    },

    // Status
    msdyn_ordertype: { type: 'picklist', options: orderTypeLabels, required: true },
    msdyn_processingstatus: { type: 'picklist', options: processingStatusLabels, unconfirmed: true },
    statecode: { type: 'state', options: orderStateLabels },
    statuscode: { type: 'status', options: orderStatusReasonLabels },
    msdyn_issalesprocessingstopped: { ...yesNo, unconfirmed: true },

    // Money (estimates until SCM confirms; SCM computes prices, discounts, charges and tax)
    /** Sum of the lines' extended amounts (after line discounts, before tax). */
    totallineitemamount: money,
    /** Sum of the line discounts. */
    totaldiscountamount: money,
    totaltax: money,
    freightamount: money,
    /** Lines + tax + freight. */
    totalamount: money,

    // Dates (the date-only behaviour of the msdyn_ dates is inferred from SCM, where they are dates)
    /** Requested ship date. */
    requestdeliveryby: dateTime,
    msdyn_requestedreceiptdate: { ...dateOnly, unconfirmed: true },
    msdyn_confirmedreceiptdate: { ...dateOnly, unconfirmed: true },
    msdyn_confirmedshippingdate: { ...dateOnly, unconfirmed: true },

    // Delivery address
    shipto_name: text,
    shipto_line1: text,
    shipto_line2: text,
    shipto_city: text,
    shipto_stateorprovince: text,
    shipto_postalcode: text,
    /** Ship to country/region (ISO 3166 alpha-3, as SCM writes it). */
    shipto_country: { type: 'string', required: true },
    msdyn_deliveryaddressname: { type: 'string', unconfirmed: true },
    msdyn_deliveryaddressdescription: { type: 'string', required: true, unconfirmed: true },
    msdyn_formatteddeliveryaddress: { ...memo, unconfirmed: true },
    msdyn_formattedinvoiceaddress: { ...memo, unconfirmed: true },

    // References
    msdyn_customerrequisitionnumber: { type: 'string', unconfirmed: true },
    msdyn_customersorderreference: { type: 'string', unconfirmed: true },
    emailaddress: text,
    msdyn_language: { type: 'picklist', options: languageLabels, required: true, unconfirmed: true },

    ...systemColumns,
  },
  collections: {
    order_details: { table: 'salesorderdetail', referencingColumn: 'salesorderid' },
    order_invoices: { table: 'invoice', referencingColumn: 'salesorderid' },
  },
} as const satisfies TableDef;
