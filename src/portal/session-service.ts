/**
 * Loading the signed-in customer's session: who the contact is, which customer account they buy for, and the
 * defaults an order takes from them (company, currency, price list, language) — in ONE request.
 *
 * ## The request
 * ```
 * GET contacts(<contactId>)?$select=fullname,emailaddress1,mspp_userpreferredlcid,_parentcustomerid_value,
 *     _msdyn_company_value,_transactioncurrencyid_value,_defaultpricelevelid_value
 *   &$expand=parentcustomerid_account($select=name,accountnumber,_msdyn_partyid_value,address1_name,address1_line1,
 *              address1_line2,address1_city,address1_stateorprovince,address1_postalcode,address1_country),
 *            msdyn_company($select=cdm_name,cdm_companycode),
 *            transactioncurrencyid($select=isocurrencycode,currencysymbol,currencyname)
 * ```
 * Every expand is single-valued and one level deep, which Power Pages allows. Each one needs Read on the
 * expanded table for the user's web role: the account through the "own account" (Account scope) permission,
 * company and currency through the catalogue permissions (Global scope). The price list is NOT expanded: its
 * name comes with the contact as the lookup's formatted value (Dataverse keeps a lookup's display name on the
 * row), and its id is all an order needs. That keeps the request working on sites whose web roles cannot read
 * `pricelevel` and saves an expand. The account's party (global address book) and its own primary address come
 * with it, so the order form can list delivery addresses without reading the account again.
 *
 * ## Errors
 * Failures become a {@link SessionError} whose `code` says what a site owner must fix, and, for permission
 * problems, which table the web role cannot read.
 */
import { formatted, lookupOf, type Row } from '../dataverse/annotations.js';
import { DataverseError, isAbort, kindOf, type DataverseErrorKind } from '../dataverse/errors.js';
import { isGuid, normalizeGuid } from '../dataverse/guid.js';
import type { DataverseClient } from '../dataverse/client.js';
import type { contact } from '../tables/contact.js';
import type { WebRole } from '../tables/roles.js';
import type { TableColumns } from './columns.js';
import type { PortalSession } from './session.js';
import { ACCOUNT_ADDRESS_COLUMNS, accountAddressOf, type AccountAddressColumns } from './account-address.js';

// ---------------------------------------------------------------------------------------------------------------
// Web roles
// ---------------------------------------------------------------------------------------------------------------

/**
 * The names the Customer portal template gives its web roles in Power Pages (what `{{ user.roles }}` lists), by
 * {@link WebRole}. The template names the administrator role in the plural, as Power Pages' own default role.
 */
export const powerPagesRoleNames: Readonly<Record<WebRole, string>> = {
  administrator: 'Administrators',
  'customer-representative': 'Customer representative',
  'authorized-user': 'Authorized user',
  'unauthorized-user': 'Unauthorized user',
};

/** Singular/plural, case and spacing variants all map to one role; built once from the names above. */
function roleKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .replace(/s$/, '');
}

const ROLES_BY_KEY: ReadonlyMap<string, WebRole> = new Map(
  (Object.keys(powerPagesRoleNames) as WebRole[]).flatMap((role) => [
    [roleKey(powerPagesRoleNames[role]), role],
    [roleKey(role), role],
  ]),
);

/**
 * Reads the web roles out of the comma-separated list Liquid writes with `{{ user.roles | join: ',' }}`
 * (`"Authenticated Users,Customer representative"`). Matching ignores case, spacing, `-`/`_` and a plural `s`,
 * and also accepts the {@link WebRole} values themselves (`customer-representative`). Roles the portal does not
 * know (Power Pages' "Authenticated Users", a site's own roles) are left out; duplicates are removed.
 */
export function parseWebRoles(list: string | readonly string[] | null | undefined): WebRole[] {
  const names = typeof list === 'string' ? list.split(',') : (list ?? []);
  const roles: WebRole[] = [];
  for (const name of names) {
    const role = ROLES_BY_KEY.get(roleKey(String(name)));
    if (role && !roles.includes(role)) roles.push(role);
  }
  return roles;
}

/**
 * The table permission the Customer portal template gives customers on each table the portal reads: the
 * table's display name and the access type (scope). Used to tell a site owner exactly which permission to add.
 */
export const customerTablePermissions: Readonly<Record<string, { readonly displayName: string; readonly scope: string }>> = {
  contact: { displayName: 'Contact', scope: 'Self' },
  account: { displayName: 'Account', scope: 'Account' },
  salesorder: { displayName: 'Order', scope: 'Contact (authorized users) or Account (customer representatives)' },
  salesorderdetail: { displayName: 'Order Product', scope: 'Parent (Order)' },
  invoice: { displayName: 'Invoice', scope: 'Parent (Order) or Account' },
  cdm_company: { displayName: 'Company', scope: 'Global' },
  transactioncurrency: { displayName: 'Currency', scope: 'Global' },
  pricelevel: { displayName: 'Price List', scope: 'Global' },
  msdyn_paymentterm: { displayName: 'Terms of payment', scope: 'Global' },
  msdyn_partypostaladdress: { displayName: 'Party postal address', scope: 'Parent (Party)' },
  msdyn_postaladdress: { displayName: 'Postal address', scope: 'Parent (Postal address location)' },
};

/** "Read on the Account table (accounts, Account scope)": what to grant for `table`, in a site owner's words. */
export function permissionToGrant(table: string): string {
  const known = customerTablePermissions[table];
  return known ? `Read on the ${known.displayName} table (${table}, ${known.scope} scope)` : `Read on the ${table} table`;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * Why the session could not be loaded:
 * - `contact-not-found` — no contact with that id is visible to the user (wrong id, or the contact's "own contact"
 *   Self-scope table permission is missing — Power Pages answers both the same way);
 * - `no-account` — the contact is not linked to a customer account (`parentcustomerid`);
 * - `signed-out` — the server did not accept the session or token (401, expired session, anti-forgery token);
 * - `no-permission` — the user's web role may not read {@link SessionError.table} (403);
 * - `not-exposed` — the table is not enabled for the Power Pages Web API (404 `9004010C`, site setting
 *   `Webapi/<table>/enabled`);
 * - `unreachable` — no answer, or the server failed (network error, 5xx);
 * - `unexpected` — anything else (a refused request: look at `cause`).
 */
export type SessionErrorCode =
  | 'contact-not-found'
  | 'no-account'
  | 'signed-out'
  | 'no-permission'
  | 'not-exposed'
  | 'unreachable'
  | 'unexpected';

/** A session that could not be loaded, with what to fix. */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly code: SessionErrorCode;
  /** The table (logical name) the problem concerns, when known: `contact`, `account`, … */
  readonly table: string | undefined;

  constructor(code: SessionErrorCode, message: string, options: { table?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.table = options.table;
  }
}

/** The tables the session request touches, by the names a server may put in its error messages. */
const SESSION_TABLES: readonly (readonly [table: string, names: readonly string[]])[] = [
  ['account', ['account', 'accounts', 'parentcustomerid_account']],
  ['cdm_company', ['cdm_company', 'cdm_companies', 'msdyn_company']],
  ['transactioncurrency', ['transactioncurrency', 'transactioncurrencies', 'transactioncurrencyid']],
  ['contact', ['contact', 'contacts']],
];

/**
 * The table a permission or exposure error is about. Power Pages names it in the message ("… table permission
 * … for 'account' …"); the first of our tables named there wins, otherwise the request's own table.
 */
export function tableNamedIn(error: DataverseError, fallback: string): string {
  const text = `${error.message} ${JSON.stringify(error.details ?? {})}`.toLowerCase();
  for (const [table, names] of SESSION_TABLES) {
    if (names.some((name) => new RegExp(`(^|[^a-z_])${name}([^a-z_]|$)`).test(text))) return table;
  }
  return fallback;
}

/**
 * What an error means for the user. Power Pages wraps Dataverse's own errors in its `9004010D` (CDSError) code with
 * the real status (404) and the Dataverse code in `cdscode` (`0x80040217`, not found); the client reads
 * `9004010D` as a server failure, so for a 4xx the status and `cdscode` decide here.
 */
export function errorKindOf(error: DataverseError): DataverseErrorKind {
  if (error.kind === 'server' && error.status >= 400 && error.status < 500) {
    const cdscode = error.details?.cdscode;
    return kindOf(error.status, typeof cdscode === 'string' ? cdscode : undefined);
  }
  return error.kind;
}

/**
 * Turns a client error into a {@link SessionError} for `table` (the table the request reads). Aborts are
 * returned unchanged (callers rethrow them).
 */
export function sessionErrorFrom(error: unknown, table: string, signal?: AbortSignal): unknown {
  if (isAbort(error, signal)) return error;
  if (error instanceof SessionError) return error;
  if (!(error instanceof DataverseError)) {
    return new SessionError('unexpected', error instanceof Error ? error.message : String(error), { cause: error });
  }
  switch (errorKindOf(error)) {
    case 'auth':
      return new SessionError('signed-out', `The server did not accept the sign-in: ${error.message}`, { cause: error });
    case 'permission': {
      const named = tableNamedIn(error, table);
      return new SessionError('no-permission', `The signed-in user's web role may not read the ${named} table: ${error.message}`, {
        table: named,
        cause: error,
      });
    }
    case 'not-found':
      if (error.code?.toUpperCase() === '9004010C') {
        const named = tableNamedIn(error, table);
        return new SessionError('not-exposed', `The ${named} table is not enabled for the Web API: ${error.message}`, {
          table: named,
          cause: error,
        });
      }
      return new SessionError('contact-not-found', error.message, { table, cause: error });
    case 'network':
    case 'server':
    case 'throttled':
      return new SessionError('unreachable', error.message, { cause: error });
    default:
      return new SessionError('unexpected', error.message, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------------------------

/** Who to load: the ids Liquid writes (`{{ user.id }}`, `{{ user.parentcustomerid.id }}`) and the web roles. */
export interface SessionRequest {
  /** The signed-in contact's id. */
  readonly contactId: string;
  /**
   * The account id the page was given. The contact's own `parentcustomerid` is authoritative; this one is
   * only used when the server does not say (it never widens what the user can see: the server decides that).
   */
  readonly accountId?: string | null;
  /** Web roles, as {@link WebRole} values or as Power Pages role names (`"Customer representative"`). */
  readonly roles?: string | readonly string[] | null;
}

/** The contact row as the session request reads it. */
interface ContactRow {
  readonly contactid: string;
  readonly fullname: string | null;
  readonly emailaddress1: string | null;
  readonly mspp_userpreferredlcid: number | null;
  readonly _parentcustomerid_value: string | null;
  readonly _msdyn_company_value: string | null;
  readonly _transactioncurrencyid_value: string | null;
  readonly _defaultpricelevelid_value: string | null;
  readonly parentcustomerid_account?:
    | (AccountAddressColumns & {
        readonly accountid: string;
        readonly name: string | null;
        readonly accountnumber: string | null;
        readonly _msdyn_partyid_value?: string | null;
      })
    | null;
  readonly msdyn_company?: { readonly cdm_companyid: string; readonly cdm_name: string | null; readonly cdm_companycode: string | null } | null;
  readonly transactioncurrencyid?: {
    readonly transactioncurrencyid: string;
    readonly isocurrencycode: string | null;
    readonly currencysymbol: string | null;
    readonly currencyname: string | null;
  } | null;
}

/**
 * The contact table's entity set and the navigation properties the session request expands, checked against
 * `src/tables/contact.ts` at compile time (`satisfies`) but written out, so the bundle does not carry the table
 * declaration for a few names.
 */
type ContactTable = typeof contact;
const CONTACTS = 'contacts' satisfies ContactTable['entitySet'];
const nav = {
  account: 'parentcustomerid_account' satisfies ContactTable['columns']['parentcustomerid']['navigation']['account'],
  company: 'msdyn_company' satisfies ContactTable['columns']['msdyn_company']['navigation']['cdm_company'],
  currency: 'transactioncurrencyid' satisfies ContactTable['columns']['transactioncurrencyid']['navigation']['transactioncurrency'],
} as const;

/** The signed-in contact's columns the session request reads. */
const CONTACT_SELECT = [
  'fullname',
  'emailaddress1',
  'mspp_userpreferredlcid',
  '_parentcustomerid_value',
  '_msdyn_company_value',
  '_transactioncurrencyid_value',
  '_defaultpricelevelid_value',
] as const satisfies readonly (keyof ContactRow)[];
/**
 * The contact's account (expanded): its name and number, its party in the global address book and its own primary
 * address (what the order form's delivery addresses start from).
 */
const ACCOUNT_SELECT = ['name', 'accountnumber', '_msdyn_partyid_value', ...ACCOUNT_ADDRESS_COLUMNS] as const;
/** The contact's company (expanded). */
const COMPANY_SELECT = ['cdm_name', 'cdm_companycode'] as const;
/** The contact's currency (expanded). */
const CURRENCY_SELECT = ['isocurrencycode', 'currencysymbol', 'currencyname'] as const;

/**
 * Every column the session request ({@link loadSession}) reads, by table: what the Power Pages
 * `Webapi/<table>/fields` site settings must list.
 */
export const SESSION_COLUMNS = {
  contact: CONTACT_SELECT,
  account: ACCOUNT_SELECT,
  cdm_company: COMPANY_SELECT,
  transactioncurrency: CURRENCY_SELECT,
} as const satisfies TableColumns;

/**
 * Loads the signed-in customer's {@link PortalSession} in one request (see the module comment for its shape).
 *
 * @throws {SessionError} with a code saying what to fix; an abort of `signal` is thrown unchanged.
 *
 * @example
 * ```ts
 * const session = await loadSession(client, { contactId: '{{ user.id }}', roles: '{{ user.roles | join: "," }}' }, signal);
 * session.account.name; // "Contoso Retail"
 * ```
 */
export async function loadSession(
  client: DataverseClient,
  request: SessionRequest,
  signal?: AbortSignal,
): Promise<PortalSession> {
  if (!isGuid(request.contactId)) {
    throw new SessionError('contact-not-found', `The contact id must be a GUID, got ${JSON.stringify(request.contactId)}`, { table: 'contact' });
  }
  const contactId = normalizeGuid(request.contactId);
  let row: Row<ContactRow>;
  try {
    row = await client.getRow<ContactRow>(
      CONTACTS,
      contactId,
      {
        select: CONTACT_SELECT,
        expand: {
          [nav.account]: { select: ACCOUNT_SELECT },
          [nav.company]: { select: COMPANY_SELECT },
          [nav.currency]: { select: CURRENCY_SELECT },
        },
      },
      { signal },
    );
  } catch (error) {
    throw sessionErrorFrom(error, 'contact' satisfies ContactTable['logicalName'], signal);
  }
  return sessionFromContact(row, request);
}

/** Builds the session out of the contact row (exported for the emulator-free unit of the mapping). */
export function sessionFromContact(row: Row<ContactRow>, request: SessionRequest): PortalSession {
  const parent = lookupOf(row, 'parentcustomerid');
  const account = row.parentcustomerid_account ?? null;
  const accountId = account?.accountid ?? (parent?.table === 'account' ? parent.id : null) ?? validGuid(request.accountId);
  if (!accountId) {
    throw new SessionError(
      'no-account',
      `Contact ${row.contactid} is not linked to a customer account (its Company Name / parentcustomerid is empty)`,
      { table: 'contact' },
    );
  }
  const company = row.msdyn_company ?? null;
  const companyRef = lookupOf(row, 'msdyn_company');
  const currency = row.transactioncurrencyid ?? null;
  const priceList = lookupOf(row, 'defaultpricelevelid');
  return {
    contact: {
      id: normalizeGuid(row.contactid),
      name: row.fullname ?? '',
      email: row.emailaddress1 ?? null,
    },
    account: {
      id: normalizeGuid(accountId),
      name: account?.name ?? parent?.name ?? '',
      number: account?.accountnumber ?? null,
      // Only when the account came expanded (not from the lookup alone): otherwise the form reads the account.
      ...(account
        ? {
            partyId: validGuid(account._msdyn_partyid_value),
            address: accountAddressOf(account),
          }
        : {}),
    },
    company: company
      ? { id: normalizeGuid(company.cdm_companyid), name: company.cdm_name ?? companyRef?.name ?? '', code: company.cdm_companycode ?? null }
      : companyRef
        ? { id: companyRef.id, name: companyRef.name ?? '', code: null }
        : null,
    currency:
      currency && currency.isocurrencycode
        ? { id: normalizeGuid(currency.transactioncurrencyid), code: currency.isocurrencycode, symbol: currency.currencysymbol ?? null }
        : null,
    priceList: priceList ? { id: priceList.id, name: priceList.name ?? formatted(row, 'defaultpricelevelid') ?? '' } : null,
    language: typeof row.mspp_userpreferredlcid === 'number' ? row.mspp_userpreferredlcid : null,
    roles: parseWebRoles(request.roles),
  };
}

function validGuid(value: string | null | undefined): string | null {
  return typeof value === 'string' && isGuid(value) ? normalizeGuid(value) : null;
}
