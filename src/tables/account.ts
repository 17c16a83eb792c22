import type { TableDef } from './schema.js';
import { money, primaryKey, systemColumns, text, yesNo } from './columns.js';
import { activeStateLabels, activeStatusReasonLabels, onHoldStatusLabels } from './choices.js';

/**
 * Account (`accounts`): the SCM customers, filled by dual-write's "Customers V3" map. Key in SCM:
 * `accountnumber` + company.
 *
 * `address1_*` is the customer's primary delivery address and `address2_*` its invoice address (party-gab.md).
 * Further delivery addresses live in the postal address tables (see `msdyn_partypostaladdress`), reached through
 * `msdyn_partyid`.
 */
export const account = {
  logicalName: 'account',
  entitySet: 'accounts',
  primaryKey: 'accountid',
  primaryName: 'name',
  changeTracking: true,
  columns: {
    accountid: primaryKey,
    name: { type: 'string', required: true },
    /** The SCM customer account (`US-001`). */
    accountnumber: text,
    msdyn_company: {
      type: 'lookup', targets: ['cdm_company'], navigation: { cdm_company: 'msdyn_company' }, unconfirmed: true,
    },
    /** The global address book party: the link to the customer's postal addresses. */
    msdyn_partyid: {
      type: 'lookup', targets: ['msdyn_party'], navigation: { msdyn_party: 'msdyn_partyid' }, unconfirmed: true,
    },
    primarycontactid: { type: 'lookup', targets: ['contact'], navigation: { contact: 'primarycontactid' } },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    defaultpricelevelid: {
      type: 'lookup', targets: ['pricelevel'], navigation: { pricelevel: 'defaultpricelevelid' },
    },

    // Credit and terms
    creditlimit: money,
    creditonhold: yesNo,
    msdyn_creditlimitismandatory: { ...yesNo, unconfirmed: true },
    msdyn_creditrating: { type: 'string', unconfirmed: true },
    msdyn_onholdstatus: { type: 'picklist', options: onHoldStatusLabels, unconfirmed: true },
    msdyn_paymentterm: {
      type: 'lookup', targets: ['msdyn_paymentterm'], navigation: { msdyn_paymentterm: 'msdyn_paymentterm' },
      unconfirmed: true,
    },

    telephone1: text,
    emailaddress1: text,

    // Delivery address
    address1_name: text,
    address1_line1: text,
    address1_line2: text,
    address1_city: text,
    address1_stateorprovince: text,
    address1_postalcode: text,
    address1_country: text,
    // Invoice address
    address2_name: text,
    address2_line1: text,
    address2_line2: text,
    address2_city: text,
    address2_stateorprovince: text,
    address2_postalcode: text,
    address2_country: text,

    statecode: { type: 'state', options: activeStateLabels },
    statuscode: { type: 'status', options: activeStatusReasonLabels },
    ...systemColumns,
  },
  collections: {
    contact_customer_accounts: { table: 'contact', referencingColumn: 'parentcustomerid' },
    order_customer_accounts: { table: 'salesorder', referencingColumn: 'customerid' },
    invoice_customer_accounts: { table: 'invoice', referencingColumn: 'customerid' },
  },
} as const satisfies TableDef;
