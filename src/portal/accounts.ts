/**
 * The customer account as the account summary shows it: who the customer is, its terms, credit and hold status,
 * addresses, how many orders it has in each SCM status, and — for customer representatives — the people who may
 * order for it.
 *
 * ## Requests (first view: 2, sent in parallel)
 * 1. The account with its company and currency expanded, and for customer representatives and administrators
 *    its active contacts (collection-valued expand, one level: Power Pages allows it):
 *    ```
 *    GET accounts(<id>)?$select=name,accountnumber,creditlimit,…,address1_*,address2_*
 *      &$expand=msdyn_company($select=cdm_name,cdm_companycode),transactioncurrencyid($select=isocurrencycode,currencysymbol),
 *               contact_customer_accounts($select=fullname,emailaddress1,telephone1,jobtitle;$filter=statecode eq 0;$orderby=fullname)
 *    ```
 *    Payment terms and the primary contact's name come as lookup display names (formatted values) on the
 *    account itself, so their tables need no permission and no expand.
 * 2. The order counts and totals by SCM processing status, in ONE aggregate query:
 *    ```
 *    GET salesorders?$apply=filter(_customerid_value eq <id>[ and _msdyn_contactperson_value eq <me>])
 *      /groupby((msdyn_processingstatus),aggregate($count as count,totalamount with sum as total))
 *    ```
 *    Authorized users see only their own orders (Power Pages enforces it; the filter says so explicitly, so the
 *    numbers mean the same on a Dataverse transport).
 *
 * **Fallback without `$apply`.** When the server refuses the aggregate (a 400 naming `$apply`, e.g. a proxy or an
 * older site that does not pass it through), the counts come from one `$count=true&$top=1` query per status
 * (Dataverse caps each count at 5,000, reported as `capped`), and the open-order total from reading the open
 * orders' `totalamount` page by page. Slower, same meaning.
 *
 * **Delivery addresses** beyond the primary one (`address1_*`) live in the global address book tables and take
 * two more requests ({@link listDeliveryAddresses}); the summary loads them when the user asks, not for the
 * first view.
 *
 * **Credit used** is an estimate: the sum of the totals of open orders (SCM status Active, Confirmed, Picked or
 * Partially delivered) in the account's currency view, before SCM's own credit check, which also counts
 * uninvoiced deliveries and unpaid invoices.
 */
import type { DataverseClient } from '../dataverse/client.js';
import { formatted, lookupOf, type Row } from '../dataverse/annotations.js';
import { DataverseError, isAbort } from '../dataverse/errors.js';
import { normalizeGuid } from '../dataverse/guid.js';
import { assertIdentifier, dateTime, filterFor, type Filter } from '../dataverse/odata.js';
import type { account } from '../tables/account.js';
import type { salesorder } from '../tables/salesorder.js';
import type { msdyn_partypostaladdress } from '../tables/msdyn_partypostaladdress.js';
import type { msdyn_postaladdress } from '../tables/msdyn_postaladdress.js';
import {
  AddressPurpose,
  OnHoldStatus,
  ProcessingStatus,
  processingStatusLabels,
  ActiveState,
} from '../tables/choices.js';
import type { TableColumns } from './columns.js';
import { seesWholeAccount, type PortalSession } from './session.js';
import { ACCOUNT_ADDRESS_COLUMNS } from './account-address.js';
import { errorKindOf } from './session-service.js';

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

/** A postal address as the account keeps it inline (`address1_*` delivery, `address2_*` invoice). */
export interface PostalAddress {
  /** The address's name ("Main warehouse"), when it has one. */
  readonly name: string | null;
  /** Street lines, in order, without empty ones. */
  readonly street: readonly string[];
  readonly city: string | null;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
}

/** A delivery address of the customer from the global address book. */
export interface DeliveryAddress extends PostalAddress {
  /** The location's id (`msdyn_postaladdresscollectionid`). */
  readonly id: string;
  /** The SCM location id (`000005001`). */
  readonly location: string | null;
  /** True for the customer's primary address of its purposes. */
  readonly primary: boolean;
}

/** A person of the customer's organisation. */
export interface AccountContact {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly jobTitle: string | null;
}

/** Whether SCM has put the customer on hold, and for what. */
export interface HoldStatus {
  /** True when something is on hold (invoicing, payments, requisitions, or everything). */
  readonly onHold: boolean;
  /** The SCM setting (`OnHoldStatus`), or `null` when not set. */
  readonly reason: OnHoldStatus | null;
  /** What it means, in a sentence fragment: "Not on hold", "On hold for invoicing", "On hold: no new orders". */
  readonly label: string;
  /** The Dataverse credit hold flag (`creditonhold`). */
  readonly creditHold: boolean;
}

/** The credit limit and an estimate of what open orders use of it. */
export interface CreditSummary {
  /**
   * The credit limit in the account's currency, or `null` when there is none (not set, or 0 without "credit limit
   * is mandatory", which SCM reads as unlimited).
   */
  readonly limit: number | null;
  /** SCM refuses orders over the limit (`msdyn_creditlimitismandatory`), when known. */
  readonly limitIsMandatory: boolean | null;
  /** Sum of the totals of open orders. An estimate: SCM's credit check also counts deliveries and invoices. */
  readonly openOrdersTotal: number;
  /** How many open orders make up {@link CreditSummary.openOrdersTotal}. */
  readonly openOrderCount: number;
  /** `limit − openOrdersTotal` (negative when over), or `null` without a limit. */
  readonly available: number | null;
  /**
   * Whose orders are counted: `account` (every order of the account: customer representatives, administrators)
   * or `own-orders` (an authorized user sees only the orders they placed, so colleagues' orders are missing).
   */
  readonly scope: 'account' | 'own-orders';
}

/** How many orders are in one SCM processing status, and their total value. */
export interface StatusCount {
  /** `ProcessingStatus` value, or `null` for orders without one. */
  readonly status: ProcessingStatus | null;
  readonly label: string;
  readonly count: number;
  /** True when {@link StatusCount.count} is a lower bound (fallback counts are capped at 5,000). */
  readonly capped: boolean;
  /** Sum of `totalamount` (when the aggregate was available), else `null`. */
  readonly total: number | null;
  /** True for the SCM open-order statuses (Active, Confirmed, Picked, Partially delivered). */
  readonly open: boolean;
}

/** Order counts by status. */
export interface OrderCounts {
  /** Statuses in SCM life-cycle order, only those with orders. */
  readonly byStatus: readonly StatusCount[];
  /** All orders counted. */
  readonly total: number;
  /** True when any count is a lower bound. */
  readonly capped: boolean;
  /** `aggregate` (one `$apply` query) or `count-queries` (the fallback). */
  readonly method: 'aggregate' | 'count-queries';
  /** Whose orders: see {@link CreditSummary.scope}. */
  readonly scope: 'account' | 'own-orders';
}

/** Everything the account summary shows. */
export interface AccountSummary {
  readonly id: string;
  readonly name: string;
  /** The SCM customer account number (`US-001`). */
  readonly number: string | null;
  readonly company: { readonly name: string; readonly code: string | null } | null;
  readonly currency: { readonly code: string; readonly symbol: string | null } | null;
  /** The SCM terms of payment code (`Net30`). */
  readonly paymentTerms: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly credit: CreditSummary;
  readonly hold: HoldStatus;
  /** The account's primary contact (name always; email and phone when the user may read that contact). */
  readonly primaryContact: AccountContact | null;
  /** Primary delivery address (`address1_*`). */
  readonly deliveryAddress: PostalAddress | null;
  /** Invoice address (`address2_*`). */
  readonly invoiceAddress: PostalAddress | null;
  readonly orders: OrderCounts;
  /**
   * The people who may place orders for the account (its active contacts), for customer representatives and
   * administrators; `null` for other users (who may not see their colleagues).
   */
  readonly orderingContacts: readonly AccountContact[] | null;
  /** The account's global address book party: where {@link listDeliveryAddresses} finds the delivery addresses. */
  readonly partyId: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------------------

/** SCM open-order statuses: what counts towards the credit used (domain.md: "Open order"). */
export const OPEN_ORDER_STATUSES: readonly ProcessingStatus[] = [
  ProcessingStatus.Active,
  ProcessingStatus.Confirmed,
  ProcessingStatus.Picked,
  ProcessingStatus.PartiallyDelivered,
];

/** Every processing status in life-cycle order (the order counts are listed in). */
const STATUS_ORDER: readonly ProcessingStatus[] = [
  ProcessingStatus.Active,
  ProcessingStatus.Confirmed,
  ProcessingStatus.Picked,
  ProcessingStatus.PartiallyDelivered,
  ProcessingStatus.Delivered,
  ProcessingStatus.PartiallyInvoiced,
  ProcessingStatus.DeliveredPartiallyInvoiced,
  ProcessingStatus.Invoiced,
  ProcessingStatus.Cancelled,
];

const HOLD_LABELS: Readonly<Record<OnHoldStatus, string>> = {
  [OnHoldStatus.No]: 'Not on hold',
  [OnHoldStatus.Never]: 'Not on hold',
  [OnHoldStatus.Invoice]: 'On hold for invoicing',
  [OnHoldStatus.All]: 'On hold: no new orders',
  [OnHoldStatus.Payment]: 'On hold for payments',
  [OnHoldStatus.Requisition]: 'On hold for requisitions',
};

// ---------------------------------------------------------------------------------------------------------------
// Rows as read
// ---------------------------------------------------------------------------------------------------------------

interface ContactRow {
  readonly contactid: string;
  readonly fullname: string | null;
  readonly emailaddress1: string | null;
  readonly telephone1: string | null;
  readonly jobtitle: string | null;
}

interface AccountRow {
  readonly accountid: string;
  readonly name: string | null;
  readonly accountnumber: string | null;
  readonly telephone1: string | null;
  readonly emailaddress1: string | null;
  readonly creditlimit: number | null;
  readonly creditonhold: boolean | null;
  readonly msdyn_creditlimitismandatory: boolean | null;
  readonly msdyn_onholdstatus: number | null;
  readonly _msdyn_company_value: string | null;
  readonly _transactioncurrencyid_value: string | null;
  readonly _msdyn_paymentterm_value: string | null;
  readonly _primarycontactid_value: string | null;
  readonly _msdyn_partyid_value: string | null;
  readonly address1_name: string | null;
  readonly address1_line1: string | null;
  readonly address1_line2: string | null;
  readonly address1_city: string | null;
  readonly address1_stateorprovince: string | null;
  readonly address1_postalcode: string | null;
  readonly address1_country: string | null;
  readonly address2_name: string | null;
  readonly address2_line1: string | null;
  readonly address2_line2: string | null;
  readonly address2_city: string | null;
  readonly address2_stateorprovince: string | null;
  readonly address2_postalcode: string | null;
  readonly address2_country: string | null;
  readonly msdyn_company?: { readonly cdm_name: string | null; readonly cdm_companycode: string | null } | null;
  readonly transactioncurrencyid?: { readonly isocurrencycode: string | null; readonly currencysymbol: string | null } | null;
  readonly contact_customer_accounts?: readonly ContactRow[];
}

interface OrderRow {
  readonly salesorderid: string;
  readonly totalamount: number | null;
  readonly msdyn_processingstatus: number | null;
  readonly _customerid_value: string | null;
  readonly _msdyn_contactperson_value: string | null;
}

/** One group of the aggregate answer: the status (left out for a null group), the count and the sum. */
interface StatusGroup {
  readonly msdyn_processingstatus?: number | null;
  readonly count: number;
  readonly total: number | null;
}

// Table and navigation names, checked against the table declarations at compile time (`satisfies`) but written
// out, so that the bundle does not carry the declarations (with every choice label) for a few names.
type AccountTable = typeof account;
type PartyAddressTable = typeof msdyn_partypostaladdress;
const names = {
  accounts: 'accounts' satisfies AccountTable['entitySet'],
  salesorders: 'salesorders' satisfies (typeof salesorder)['entitySet'],
  partyAddresses: 'msdyn_partypostaladdresses' satisfies PartyAddressTable['entitySet'],
  postalAddresses: 'msdyn_postaladdresses' satisfies (typeof msdyn_postaladdress)['entitySet'],
  /** account → its contacts (collection-valued). */
  contacts: 'contact_customer_accounts' satisfies keyof AccountTable['collections'],
  company: 'msdyn_company' satisfies AccountTable['columns']['msdyn_company']['navigation']['cdm_company'],
  currency: 'transactioncurrencyid' satisfies AccountTable['columns']['transactioncurrencyid']['navigation']['transactioncurrency'],
  /** party postal address → its location. */
  location: 'msdyn_postaladdresscollectionid' satisfies PartyAddressTable['columns']['msdyn_postaladdresscollectionid']['navigation']['msdyn_postaladdresscollection'],
} as const;

/** The account columns the summary reads. */
const ACCOUNT_SELECT = [
  'name',
  'accountnumber',
  'telephone1',
  'emailaddress1',
  'creditlimit',
  'creditonhold',
  'msdyn_creditlimitismandatory',
  'msdyn_onholdstatus',
  '_msdyn_company_value',
  '_transactioncurrencyid_value',
  '_msdyn_paymentterm_value',
  '_primarycontactid_value',
  '_msdyn_partyid_value',
  ...ACCOUNT_ADDRESS_COLUMNS,
  'address2_name',
  'address2_line1',
  'address2_line2',
  'address2_city',
  'address2_stateorprovince',
  'address2_postalcode',
  'address2_country',
] as const satisfies readonly (keyof AccountRow)[];

/** The account's company (expanded). */
const COMPANY_SELECT = ['cdm_name', 'cdm_companycode'] as const;
/** The account's currency (expanded). */
const CURRENCY_SELECT = ['isocurrencycode', 'currencysymbol'] as const;
/** The account's contacts (expanded for customer representatives and administrators). */
const CONTACT_SELECT = ['fullname', 'emailaddress1', 'telephone1', 'jobtitle'] as const satisfies readonly (keyof ContactRow)[];
/** Only active contacts are listed. */
const CONTACT_FILTER_COLUMNS = ['statecode'] as const;
/**
 * The order columns the counts read: the scope lookups they filter on, the status they group by and the total
 * they sum (the aggregate), and the fallback's `salesorderid`.
 */
const ORDER_COUNT_COLUMNS = [
  '_customerid_value',
  '_msdyn_contactperson_value',
  'msdyn_processingstatus',
  'totalamount',
  'salesorderid',
] as const satisfies readonly (keyof OrderRow)[];

/** The party's postal addresses (links from the party to its locations), filtered by party. */
const PARTY_ADDRESS_SELECT = [
  'msdyn_isprimary',
  'msdyn_postaladdresspurposenames',
  '_msdyn_postaladdresscollectionid_value',
] as const satisfies readonly (keyof PartyAddressRow)[];
const PARTY_ADDRESS_FILTER_COLUMNS = ['_msdyn_partyid_value'] as const satisfies readonly (keyof PartyAddressRow)[];
/** The location of each link (expanded). */
const LOCATION_SELECT = ['msdyn_description', 'msdyn_location'] as const;
/** The locations' addresses (filtered by location and validity, all among the selected columns). */
const POSTAL_ADDRESS_SELECT = [
  '_msdyn_postaladdresscollectionid_value',
  'msdyn_street',
  'msdyn_streetnumber',
  'msdyn_buildingcompliment',
  'msdyn_city',
  'msdyn_state',
  'msdyn_zipcode',
  'msdyn_countryregionid',
  'msdyn_validfrom',
  'msdyn_validto',
] as const satisfies readonly (keyof PostalAddressRow)[];

/**
 * Every column the account summary reads ({@link loadAccountSummary}, {@link countOrdersByStatus}), by table: what
 * the Power Pages `Webapi/<table>/fields` site settings must list.
 */
export const ACCOUNT_SUMMARY_COLUMNS = {
  account: ACCOUNT_SELECT,
  cdm_company: COMPANY_SELECT,
  transactioncurrency: CURRENCY_SELECT,
  contact: [...CONTACT_SELECT, ...CONTACT_FILTER_COLUMNS],
  salesorder: ORDER_COUNT_COLUMNS,
} as const satisfies TableColumns;

/**
 * Every column {@link listDeliveryAddresses} reads from the global address book, by table: what the Power Pages
 * `Webapi/<table>/fields` site settings must list.
 */
export const DELIVERY_ADDRESS_COLUMNS = {
  msdyn_partypostaladdress: [...PARTY_ADDRESS_SELECT, ...PARTY_ADDRESS_FILTER_COLUMNS],
  msdyn_postaladdresscollection: LOCATION_SELECT,
  msdyn_postaladdress: POSTAL_ADDRESS_SELECT,
} as const satisfies TableColumns;

// ---------------------------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------------------------

/**
 * Loads the account summary of the session's account: two requests in parallel (see the module comment), three
 * or more only when the server refuses `$apply`.
 *
 * @throws DataverseError from the client (aborts of `signal` pass through unchanged).
 *
 * @example
 * ```ts
 * const summary = await loadAccountSummary(portal.client, portal.session, signal);
 * summary.credit.openOrdersTotal; // 12840.5 (estimate)
 * summary.orders.byStatus;        // [{ status: 192350000, label: 'Active', count: 4, … }, …]
 * ```
 */
export async function loadAccountSummary(
  client: DataverseClient,
  session: PortalSession,
  signal?: AbortSignal,
): Promise<AccountSummary> {
  const wholeAccount = seesWholeAccount(session);
  const [row, orders] = await Promise.all([
    readAccount(client, session, wholeAccount, signal),
    countOrdersByStatus(client, session, signal),
  ]);
  return summaryFrom(row, orders, session, wholeAccount);
}

function readAccount(client: DataverseClient, session: PortalSession, wholeAccount: boolean, signal?: AbortSignal): Promise<Row<AccountRow>> {
  return client.getRow<AccountRow>(
    names.accounts,
    session.account.id,
    {
      select: ACCOUNT_SELECT,
      expand: {
        [names.company]: { select: COMPANY_SELECT },
        [names.currency]: { select: CURRENCY_SELECT },
        ...(wholeAccount
          ? {
              [names.contacts]: {
                select: CONTACT_SELECT,
                filter: filterFor<ContactRow & { statecode: number }>().eq('statecode', ActiveState.Active),
                orderBy: { fullname: 'asc' },
              },
            }
          : {}),
      },
    },
    { signal },
  );
}

/** The orders the summary counts: the account's, and for authorized users only their own. */
function ordersFilter(session: PortalSession): Filter {
  const where = filterFor<OrderRow>();
  return where.and(
    where.lookup('customerid', session.account.id),
    !seesWholeAccount(session) && where.lookup('msdyn_contactperson', session.contact.id),
  )!;
}

/**
 * The `$apply` URL of an aggregate over `entitySet`: filter, then group by `groupBy` with `$count as count` and
 * `sum as total`. The filter comes from the typed builder (every literal escaped there) and every name is checked
 * as an identifier; the client offers no `$apply` option yet, so the URL is assembled here from those parts.
 */
function aggregateUrl(client: DataverseClient, entitySet: string, filter: Filter, groupBy: string, sumOf: string): string {
  const apply = `filter(${filter.text})/groupby((${assertIdentifier(groupBy, 'groupby column')}),aggregate($count as count,${assertIdentifier(sumOf, 'aggregated column')} with sum as total))`;
  return `${client.urlFor(entitySet)}?$apply=${encodeURIComponent(apply)}`;
}

/** True when the server refused the request because of `$apply` (so the fallback may work). */
function refusedApply(error: unknown): boolean {
  return (
    error instanceof DataverseError &&
    (errorKindOf(error) === 'validation' || error.status === 501) &&
    /\$apply|aggregat|groupby/i.test(error.message)
  );
}

/**
 * Order counts (and totals) by processing status: one `$apply` aggregate; when the server refuses `$apply`, the
 * documented fallback (one `$count` query per status and a paged sum of the open orders).
 */
export async function countOrdersByStatus(client: DataverseClient, session: PortalSession, signal?: AbortSignal): Promise<OrderCounts> {
  const scope = seesWholeAccount(session) ? 'account' : 'own-orders';
  const filter = ordersFilter(session);
  try {
    const page = await client.getNextPage<StatusGroup>(aggregateUrl(client, names.salesorders, filter, 'msdyn_processingstatus', 'totalamount'), {
      signal,
      annotations: false,
    });
    return countsFrom(
      page.rows.map((group) => ({
        status: typeof group.msdyn_processingstatus === 'number' ? group.msdyn_processingstatus : null,
        count: Number(group.count) || 0,
        capped: false,
        total: typeof group.total === 'number' ? roundMoney(group.total) : 0,
      })),
      'aggregate',
      scope,
    );
  } catch (error) {
    if (isAbort(error, signal) || !refusedApply(error)) throw error;
    return countOrdersWithoutApply(client, filter, scope, signal);
  }
}

/** The fallback: `$count` per status (capped at 5,000) and the open orders' totals summed page by page. */
async function countOrdersWithoutApply(
  client: DataverseClient,
  filter: Filter,
  scope: OrderCounts['scope'],
  signal?: AbortSignal,
): Promise<OrderCounts> {
  const where = filterFor<OrderRow>();
  const counted = await Promise.all(
    STATUS_ORDER.map(async (status) => {
      const page = await client.getPage<OrderRow>(
        names.salesorders,
        { select: ['salesorderid'], filter: where.and(filter, where.eq('msdyn_processingstatus', status)), top: 1, count: true },
        { signal, annotations: false },
      );
      return { status, count: page.count ?? page.rows.length, capped: page.countCapped };
    }),
  );
  const openTotals = new Map<number, number>();
  for await (const row of client.rows<OrderRow>(
    names.salesorders,
    { select: ['totalamount', 'msdyn_processingstatus'], filter: where.and(filter, where.oneOf('msdyn_processingstatus', OPEN_ORDER_STATUSES)) },
    { signal, annotations: false, maxPageSize: 5000 },
  )) {
    const status = row.msdyn_processingstatus ?? -1;
    openTotals.set(status, (openTotals.get(status) ?? 0) + (row.totalamount ?? 0));
  }
  return countsFrom(
    counted.map((c) => ({
      ...c,
      total: OPEN_ORDER_STATUSES.includes(c.status) ? roundMoney(openTotals.get(c.status) ?? 0) : null,
    })),
    'count-queries',
    scope,
  );
}

function countsFrom(
  groups: readonly { status: number | null; count: number; capped: boolean; total: number | null }[],
  method: OrderCounts['method'],
  scope: OrderCounts['scope'],
): OrderCounts {
  const rank = (status: number | null) => {
    const i = status === null ? -1 : STATUS_ORDER.indexOf(status as ProcessingStatus);
    return i < 0 ? STATUS_ORDER.length : i;
  };
  const byStatus = groups
    .filter((g) => g.count > 0)
    .sort((a, b) => rank(a.status) - rank(b.status))
    .map(
      (g): StatusCount => ({
        status: g.status as ProcessingStatus | null,
        label:
          g.status === null
            ? 'No status'
            : ((processingStatusLabels as Readonly<Record<number, string>>)[g.status] ?? `Status ${g.status}`),
        count: g.count,
        capped: g.capped,
        total: g.total,
        open: g.status !== null && OPEN_ORDER_STATUSES.includes(g.status as ProcessingStatus),
      }),
    );
  return {
    byStatus,
    total: byStatus.reduce((sum, s) => sum + s.count, 0),
    capped: byStatus.some((s) => s.capped),
    method,
    scope,
  };
}

function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}

function clean(value: string | null | undefined): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? null : text;
}

function inlineAddress(row: AccountRow, prefix: 'address1' | 'address2'): PostalAddress | null {
  const address: PostalAddress = {
    name: clean(row[`${prefix}_name`]),
    street: [row[`${prefix}_line1`], row[`${prefix}_line2`]].map(clean).filter((line): line is string => line !== null),
    city: clean(row[`${prefix}_city`]),
    stateOrProvince: clean(row[`${prefix}_stateorprovince`]),
    postalCode: clean(row[`${prefix}_postalcode`]),
    country: clean(row[`${prefix}_country`]),
  };
  const empty = address.street.length === 0 && !address.city && !address.postalCode && !address.country;
  return empty ? null : address;
}

function holdFrom(row: AccountRow): HoldStatus {
  const reason = typeof row.msdyn_onholdstatus === 'number' && row.msdyn_onholdstatus in HOLD_LABELS ? (row.msdyn_onholdstatus as OnHoldStatus) : null;
  const creditHold = row.creditonhold === true;
  const heldByScm = reason !== null && reason !== OnHoldStatus.No && reason !== OnHoldStatus.Never;
  return {
    onHold: heldByScm || creditHold,
    reason,
    label: heldByScm ? HOLD_LABELS[reason] : creditHold ? 'On credit hold' : 'Not on hold',
    creditHold,
  };
}

function contactFrom(row: ContactRow): AccountContact {
  return {
    id: normalizeGuid(row.contactid),
    name: row.fullname ?? '',
    email: clean(row.emailaddress1),
    phone: clean(row.telephone1),
    jobTitle: clean(row.jobtitle),
  };
}

function summaryFrom(row: Row<AccountRow>, orders: OrderCounts, session: PortalSession, wholeAccount: boolean): AccountSummary {
  const contacts = wholeAccount ? (row.contact_customer_accounts ?? []).map(contactFrom) : null;
  const primaryRef = lookupOf(row, 'primarycontactid');
  const primaryContact: AccountContact | null = primaryRef
    ? (contacts?.find((c) => c.id === primaryRef.id) ??
      (primaryRef.id === session.contact.id
        ? { id: primaryRef.id, name: session.contact.name, email: session.contact.email, phone: null, jobTitle: null }
        : { id: primaryRef.id, name: primaryRef.name ?? '', email: null, phone: null, jobTitle: null }))
    : null;
  // SCM reads a credit limit of 0 as "no limit" unless the limit is mandatory (then 0 means no credit at all).
  const limit =
    typeof row.creditlimit !== 'number' || (row.creditlimit === 0 && row.msdyn_creditlimitismandatory !== true) ? null : row.creditlimit;
  const open = orders.byStatus.filter((s) => s.open);
  const openOrdersTotal = roundMoney(open.reduce((sum, s) => sum + (s.total ?? 0), 0));
  const companyName = row.msdyn_company?.cdm_name ?? formatted(row, 'msdyn_company');
  return {
    id: normalizeGuid(row.accountid),
    name: row.name ?? session.account.name,
    number: clean(row.accountnumber),
    company:
      row.msdyn_company || companyName
        ? { name: companyName ?? '', code: clean(row.msdyn_company?.cdm_companycode) }
        : session.company
          ? { name: session.company.name, code: session.company.code }
          : null,
    currency: row.transactioncurrencyid?.isocurrencycode
      ? { code: row.transactioncurrencyid.isocurrencycode, symbol: clean(row.transactioncurrencyid.currencysymbol) }
      : session.currency
        ? { code: session.currency.code, symbol: session.currency.symbol }
        : null,
    paymentTerms: clean(formatted(row, 'msdyn_paymentterm')),
    phone: clean(row.telephone1),
    email: clean(row.emailaddress1),
    credit: {
      limit,
      limitIsMandatory: typeof row.msdyn_creditlimitismandatory === 'boolean' ? row.msdyn_creditlimitismandatory : null,
      openOrdersTotal,
      openOrderCount: open.reduce((sum, s) => sum + s.count, 0),
      available: limit === null ? null : roundMoney(limit - openOrdersTotal),
      scope: orders.scope,
    },
    hold: holdFrom(row),
    primaryContact,
    deliveryAddress: inlineAddress(row, 'address1'),
    invoiceAddress: inlineAddress(row, 'address2'),
    orders,
    orderingContacts: contacts,
    partyId: lookupOf(row, 'msdyn_partyid')?.id ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery addresses (global address book)
// ---------------------------------------------------------------------------------------------------------------

interface PartyAddressRow {
  readonly msdyn_partypostaladdressid: string;
  readonly msdyn_isprimary: boolean | null;
  readonly msdyn_postaladdresspurposenames: string | null;
  readonly _msdyn_postaladdresscollectionid_value: string | null;
  readonly _msdyn_partyid_value: string | null;
  readonly msdyn_postaladdresscollectionid?: { readonly msdyn_description: string | null; readonly msdyn_location: string | null } | null;
}

interface PostalAddressRow {
  readonly msdyn_postaladdressid: string;
  readonly _msdyn_postaladdresscollectionid_value: string | null;
  readonly msdyn_street: string | null;
  readonly msdyn_streetnumber: string | null;
  readonly msdyn_buildingcompliment: string | null;
  readonly msdyn_city: string | null;
  readonly msdyn_state: string | null;
  readonly msdyn_zipcode: string | null;
  readonly msdyn_countryregionid: string | null;
  readonly msdyn_validfrom: string | null;
  readonly msdyn_validto: string | null;
}

/**
 * The customer's delivery addresses from the global address book: the party's locations with the Delivery
 * purpose (request 1, with each location's description), then their addresses valid today (request 2). SCM keeps
 * an address's history; only the one valid at `now` is returned. Primary first, then by name.
 */
export async function listDeliveryAddresses(
  client: DataverseClient,
  summary: Pick<AccountSummary, 'partyId'>,
  signal?: AbortSignal,
  now: Date = new Date(),
): Promise<DeliveryAddress[]> {
  if (!summary.partyId) return [];
  const whereParty = filterFor<PartyAddressRow>();
  const links = await client.getPage<PartyAddressRow>(
    names.partyAddresses,
    {
      select: PARTY_ADDRESS_SELECT,
      filter: whereParty.and(
        whereParty.lookup('msdyn_partyid', summary.partyId),
        whereParty.contains('msdyn_postaladdresspurposenames', AddressPurpose.Delivery),
      ),
      expand: { [names.location]: { select: LOCATION_SELECT } },
    },
    { signal, maxPageSize: 500 },
  );
  const locations = new Map<string, Row<PartyAddressRow>>();
  for (const link of links.rows) {
    const id = link._msdyn_postaladdresscollectionid_value?.toLowerCase();
    // The purposes are a `;` list: "Delivery" must be one of them (contains() also matches "Delivery-other").
    const purposes = (link.msdyn_postaladdresspurposenames ?? '').split(';').map((p) => p.trim());
    if (id && purposes.includes(AddressPurpose.Delivery)) locations.set(id, link);
  }
  if (locations.size === 0) return [];
  const whereAddress = filterFor<PostalAddressRow>();
  const today = dateTime(now);
  const addresses = await client.getPage<PostalAddressRow>(
    names.postalAddresses,
    {
      select: POSTAL_ADDRESS_SELECT,
      filter: whereAddress.and(
        whereAddress.lookupOneOf('msdyn_postaladdresscollectionid', [...locations.keys()]),
        whereAddress.or(whereAddress.eq('msdyn_validfrom', null), whereAddress.le('msdyn_validfrom', today)),
        whereAddress.or(whereAddress.eq('msdyn_validto', null), whereAddress.ge('msdyn_validto', today)),
      ),
    },
    { signal, maxPageSize: 500 },
  );
  const result: DeliveryAddress[] = [];
  for (const address of addresses.rows) {
    const id = address._msdyn_postaladdresscollectionid_value?.toLowerCase();
    const link = id ? locations.get(id) : undefined;
    if (!id || !link || result.some((r) => r.id === id)) continue;
    const streetLine = [clean(address.msdyn_streetnumber), clean(address.msdyn_street)].filter(Boolean).join(' ');
    result.push({
      id,
      location: clean(link.msdyn_postaladdresscollectionid?.msdyn_location),
      name: clean(link.msdyn_postaladdresscollectionid?.msdyn_description) ?? clean(formatted(link, 'msdyn_postaladdresscollectionid')),
      primary: link.msdyn_isprimary === true,
      street: [streetLine, address.msdyn_buildingcompliment].map(clean).filter((line): line is string => line !== null),
      city: clean(address.msdyn_city),
      stateOrProvince: clean(address.msdyn_state),
      postalCode: clean(address.msdyn_zipcode),
      country: clean(address.msdyn_countryregionid),
    });
  }
  return result.sort((a, b) => Number(b.primary) - Number(a.primary) || (a.name ?? '').localeCompare(b.name ?? ''));
}

/**
 * The lines of an address as a label shows them: street lines, then the city line, then the country.
 * North American addresses write "City, ST 12345"; others "12345 City".
 */
export function addressLines(address: PostalAddress): string[] {
  const northAmerican = /^(US|USA|CA|CAN|United States|Canada)$/i.test(address.country ?? '');
  const cityLine = northAmerican
    ? [[address.city, address.stateOrProvince].filter(Boolean).join(', '), address.postalCode].filter(Boolean).join(' ')
    : [[address.postalCode, address.city].filter(Boolean).join(' '), address.stateOrProvince].filter(Boolean).join(', ');
  return [...address.street, cityLine, address.country ?? ''].filter((line) => line.trim() !== '');
}
