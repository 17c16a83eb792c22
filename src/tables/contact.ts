import type { TableDef } from './schema.js';
import { primaryKey, systemColumns, text } from './columns.js';
import { activeStateLabels, activeStatusReasonLabels, portalLanguageLabels } from './choices.js';

/**
 * Contact (`contacts`): the people who sign in to the portal. Customer portal users are invited contacts;
 * the contact's account (`parentcustomerid`) and company decide which customer the user acts for, and its
 * currency, price list and language are written on the orders the user submits.
 */
export const contact = {
  logicalName: 'contact',
  entitySet: 'contacts',
  primaryKey: 'contactid',
  primaryName: 'fullname',
  changeTracking: true,
  columns: {
    contactid: primaryKey,
    firstname: text,
    lastname: { type: 'string', required: true },
    fullname: { type: 'string', readOnly: true },
    emailaddress1: text,
    telephone1: text,
    jobtitle: text,
    /** The customer the contact belongs to: an account. */
    parentcustomerid: {
      type: 'customer',
      targets: ['account', 'contact'],
      navigation: { account: 'parentcustomerid_account', contact: 'parentcustomerid_contact' },
    },
    msdyn_company: {
      type: 'lookup', targets: ['cdm_company'], navigation: { cdm_company: 'msdyn_company' }, unconfirmed: true,
    },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    defaultpricelevelid: {
      type: 'lookup', targets: ['pricelevel'], navigation: { pricelevel: 'defaultpricelevelid' },
    },
    /** The portal user's language (Windows LCID); the order language follows it. */
    mspp_userpreferredlcid: { type: 'picklist', options: portalLanguageLabels },
    /** The SCM contact person id (dual-write integration key). */
    msdyn_contactpersonid: { type: 'string', unconfirmed: true },
    statecode: { type: 'state', options: activeStateLabels },
    statuscode: { type: 'status', options: activeStatusReasonLabels },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
