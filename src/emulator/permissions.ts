/**
 * The Customer portal's table permissions and Web API site settings, as data.
 *
 * This one module says who may do what to which rows (domain.md §1: the web roles of the Customer portal
 * template), in the terms Power Pages uses: a table permission names a table, an access type (scope), the
 * relationship that scope follows, the privileges it grants and the web roles it is joined to. The emulator
 * enforces these rules on `/_api` **and** on `/api/data/v9.2` — there, a bearer-token user gets the row scope of
 * their web roles, which is the emulator's stand-in for Dataverse security roles. A later tool can turn the same
 * data into the Power Pages site-setup checklist (table permissions + `Webapi/<table>/*` site settings).
 *
 * Semantics (as Power Pages documents them, power-pages-docs/security/table-permissions.md):
 * - `global`: every row; `contact`: rows whose `column` points at the signed-in contact; `account`: rows whose
 *   `column` points at the contact's parent account; `self`: the contact row of the signed-in user; `parent`:
 *   rows whose `column` points at a row that the `parent` permission grants (privileges of the child apply).
 * - Privileges add up across a user's roles and permissions; nothing takes a privilege away.
 * - A row outside every granting permission is invisible: reads skip it, and single-row operations answer as
 *   if it did not exist.
 */
import type { WebRole } from './types.js';

export type Privilege = 'read' | 'write' | 'create' | 'delete' | 'append' | 'appendTo';
export type AccessType = 'global' | 'contact' | 'account' | 'self' | 'parent';

/** A condition a row must meet to be created (see {@link TablePermission.createRequires}). */
export interface CreateRequirement {
  /** Lookup column of the new row. */
  readonly column: string;
  /** What it must point at: the signed-in contact, or the contact's parent account. */
  readonly equals: 'contact' | 'account';
}

export interface TablePermission {
  /** Unique name, as the Power Pages table permission record would be named. */
  readonly name: string;
  /** Table logical name; `*` for every table (the administrator's permission). */
  readonly table: string;
  readonly access: AccessType;
  /**
   * `contact` / `account` access: the lookup column of `table` that leads to the contact / account (for the
   * account table itself, its primary key `accountid`). `parent` access: the lookup column that leads to the
   * parent permission's table.
   */
  readonly column?: string;
  /** The Dataverse relationship behind `column`, as Power Pages asks for it (for the setup checklist). */
  readonly relationship?: string;
  /** `parent` access: the name of the parent table permission. */
  readonly parent?: string;
  /**
   * `parent` access when the link goes the other way: the lookup column *of the parent's table* that points at
   * rows of `table` (account.msdyn_partyid → msdyn_party). Use instead of `column`.
   */
  readonly parentColumn?: string;
  readonly privileges: readonly Privilege[];
  readonly roles: readonly WebRole[];
  /**
   * Extra conditions a row must meet to be created under this permission. Power Pages itself only checks the
   * scope; the Customer portal fills these columns from the signed-in contact (domain.md §1, "Defaults written
   * on submit"), and the emulator enforces them so that a client cannot order for another account.
   */
  readonly createRequires?: readonly CreateRequirement[];
}

/** `Webapi/<table>/enabled` and `Webapi/<table>/fields` site settings of one table. */
export interface WebApiTableSetting {
  readonly enabled: boolean;
  /** `*` or the column logical names the Web API may read and write. */
  readonly fields: '*' | readonly string[];
}

/**
 * The columns the scopes follow. Names come from `src/tables/` (the table declarations); they are repeated here
 * as plain strings so that this module stays data only.
 */
export const SCOPE_COLUMNS = {
  /** salesorder → the contact person who placed the order (Customer portal: "Contact person"). */
  orderContact: 'msdyn_contactperson',
  /** salesorder → the customer account. */
  orderCustomer: 'customerid',
  /** salesorderdetail → its order. */
  lineOrder: 'salesorderid',
  /** invoice → its order. */
  invoiceOrder: 'salesorderid',
  /** invoice → the customer account. */
  invoiceCustomer: 'customerid',
  /** contact → its parent account. */
  contactAccount: 'parentcustomerid',
  /** account → its global address book party (the owner of its postal addresses). */
  accountParty: 'msdyn_partyid',
  /** msdyn_partypostaladdress → the party. */
  partyAddressParty: 'msdyn_partyid',
  /** msdyn_partypostaladdress → the location (msdyn_postaladdresscollection). */
  partyAddressLocation: 'msdyn_postaladdresscollectionid',
  /** msdyn_postaladdress → the location. */
  addressLocation: 'msdyn_postaladdresscollectionid',
  /** invoicedetail → its invoice. */
  invoiceLineInvoice: 'invoiceid',
} as const;

/** Tables every signed-in customer may read (and link new orders to). */
const CATALOGUE_TABLES = [
  'product',
  'uom',
  'uomschedule',
  'pricelevel',
  'productpricelevel',
  'transactioncurrency',
  'cdm_company',
  'msdyn_paymentterm',
];

/** The delivery-address tables of the global address book (see `src/tables/msdyn_partypostaladdress.ts`). */
const ADDRESS_TABLES = ['msdyn_party', 'msdyn_partypostaladdress', 'msdyn_postaladdresscollection', 'msdyn_postaladdress'];

const CUSTOMER_ROLES: readonly WebRole[] = ['authorized-user', 'customer-representative'];

/** The Customer portal's table permissions (domain.md §1). */
export const TABLE_PERMISSIONS: readonly TablePermission[] = [
  // --- Administrator: everything -----------------------------------------------------------------------------
  {
    name: 'Administrator - all tables',
    table: '*',
    access: 'global',
    privileges: ['read', 'write', 'create', 'delete', 'append', 'appendTo'],
    roles: ['administrator'],
  },

  // --- Authorized user: their own orders, their account (read) -------------------------------------------------
  {
    name: 'Authorized user - own orders',
    table: 'salesorder',
    access: 'contact',
    column: SCOPE_COLUMNS.orderContact,
    relationship: 'msdyn_contact_salesorder_contactperson',
    privileges: ['read', 'create', 'append', 'appendTo'],
    roles: ['authorized-user'],
    createRequires: [
      { column: SCOPE_COLUMNS.orderContact, equals: 'contact' },
      { column: SCOPE_COLUMNS.orderCustomer, equals: 'account' },
    ],
  },
  {
    name: 'Authorized user - lines of own orders',
    table: 'salesorderdetail',
    access: 'parent',
    parent: 'Authorized user - own orders',
    column: SCOPE_COLUMNS.lineOrder,
    relationship: 'order_details',
    privileges: ['read', 'create', 'append'],
    roles: ['authorized-user'],
  },
  {
    name: 'Authorized user - invoices of own orders',
    table: 'invoice',
    access: 'parent',
    parent: 'Authorized user - own orders',
    column: SCOPE_COLUMNS.invoiceOrder,
    relationship: 'order_invoices',
    privileges: ['read'],
    roles: ['authorized-user'],
  },

  {
    name: 'Authorized user - invoice lines',
    table: 'invoicedetail',
    access: 'parent',
    parent: 'Authorized user - invoices of own orders',
    column: SCOPE_COLUMNS.invoiceLineInvoice,
    relationship: 'invoice_details',
    privileges: ['read'],
    roles: ['authorized-user'],
  },

  // --- Customer representative: everything of their account ---------------------------------------------------
  {
    name: 'Customer representative - account orders',
    table: 'salesorder',
    access: 'account',
    column: SCOPE_COLUMNS.orderCustomer,
    relationship: 'order_customer_accounts',
    privileges: ['read', 'create', 'append', 'appendTo'],
    roles: ['customer-representative'],
    createRequires: [{ column: SCOPE_COLUMNS.orderCustomer, equals: 'account' }],
  },
  {
    name: 'Customer representative - lines of account orders',
    table: 'salesorderdetail',
    access: 'parent',
    parent: 'Customer representative - account orders',
    column: SCOPE_COLUMNS.lineOrder,
    relationship: 'order_details',
    privileges: ['read', 'create', 'append'],
    roles: ['customer-representative'],
  },
  {
    name: 'Customer representative - account invoices',
    table: 'invoice',
    access: 'account',
    column: SCOPE_COLUMNS.invoiceCustomer,
    relationship: 'invoice_customer_accounts',
    privileges: ['read'],
    roles: ['customer-representative'],
  },
  {
    name: 'Customer representative - invoice lines',
    table: 'invoicedetail',
    access: 'parent',
    parent: 'Customer representative - account invoices',
    column: SCOPE_COLUMNS.invoiceLineInvoice,
    relationship: 'invoice_details',
    privileges: ['read'],
    roles: ['customer-representative'],
  },
  {
    name: 'Customer representative - account contacts',
    table: 'contact',
    access: 'account',
    column: SCOPE_COLUMNS.contactAccount,
    relationship: 'contact_customer_accounts',
    privileges: ['read', 'appendTo'],
    roles: ['customer-representative'],
  },

  // --- Both customer roles --------------------------------------------------------------------------------------
  {
    name: 'Customer - own contact',
    table: 'contact',
    access: 'self',
    privileges: ['read', 'appendTo'],
    roles: CUSTOMER_ROLES,
  },
  {
    name: 'Customer - own account',
    table: 'account',
    access: 'account',
    column: 'accountid',
    privileges: ['read', 'appendTo'],
    roles: CUSTOMER_ROLES,
  },
  // The account's delivery addresses: account → party → party postal addresses → location → address.
  {
    name: 'Customer - account party',
    table: 'msdyn_party',
    access: 'parent',
    parent: 'Customer - own account',
    parentColumn: SCOPE_COLUMNS.accountParty,
    privileges: ['read'],
    roles: CUSTOMER_ROLES,
  },
  {
    name: 'Customer - party postal addresses',
    table: 'msdyn_partypostaladdress',
    access: 'parent',
    parent: 'Customer - account party',
    column: SCOPE_COLUMNS.partyAddressParty,
    privileges: ['read'],
    roles: CUSTOMER_ROLES,
  },
  {
    name: 'Customer - address locations',
    table: 'msdyn_postaladdresscollection',
    access: 'parent',
    parent: 'Customer - party postal addresses',
    parentColumn: SCOPE_COLUMNS.partyAddressLocation,
    privileges: ['read'],
    roles: CUSTOMER_ROLES,
  },
  {
    name: 'Customer - postal addresses',
    table: 'msdyn_postaladdress',
    access: 'parent',
    parent: 'Customer - address locations',
    column: SCOPE_COLUMNS.addressLocation,
    privileges: ['read'],
    roles: CUSTOMER_ROLES,
  },
  ...CATALOGUE_TABLES.map(
    (table): TablePermission => ({
      name: `Customer - ${table} (catalogue)`,
      table,
      access: 'global',
      privileges: ['read', 'appendTo'],
      roles: CUSTOMER_ROLES,
    }),
  ),
];

/**
 * `Webapi/<table>/enabled` and `Webapi/<table>/fields` per table logical name. A table missing here is not
 * exposed on `/_api` (404 `9004010C`). With a field list, `$select` is required and other columns are refused
 * (403 `90040101`).
 */
export const WEB_API_SITE_SETTINGS: Readonly<Record<string, WebApiTableSetting>> = Object.fromEntries(
  ['salesorder', 'salesorderdetail', 'invoice', 'invoicedetail', 'account', 'contact', ...ADDRESS_TABLES, ...CATALOGUE_TABLES].map(
    (table) => [table, { enabled: true, fields: '*' } satisfies WebApiTableSetting],
  ),
);
