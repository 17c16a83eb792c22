/**
 * The customer's sales orders as a list: search, filter, sort, page through them, and follow status changes made
 * by Supply Chain Management (SCM).
 *
 * Queries are built only through the client's typed query objects and filter builder (every value is escaped by
 * the client), and they page on the server: a first page is one request whatever the size of the history, the
 * next page follows `@odata.nextLink` (Dataverse has no `$skip`), and the total is the server's `@odata.count`,
 * which Dataverse caps at 5,000 (reported as {@link OrderPage.countCapped}).
 *
 * ```ts
 * const page = await listOrders(client, session, { search: "O'Neil", statuses: [ProcessingStatus.Confirmed], pageSize: 25 });
 * page.orders[0].number;         // "SO-001234"
 * page.countCapped ? '5,000+' : page.count;
 * const second = page.hasNext ? await page.next() : undefined;
 * ```
 *
 * @module
 */
import { formatted, lookupOf, type Row } from '../dataverse/annotations.js';
import type { DataverseClient, Page } from '../dataverse/client.js';
import { clientError } from '../dataverse/errors.js';
import { dateOnly, dateTime, filterFor, guid, type Filter, type OrderBy } from '../dataverse/odata.js';
import { ProcessingStatus, processingStatusLabels } from '../tables/choices.js';
import { salesorder } from '../tables/salesorder.js';
import type { TableColumns } from './columns.js';
import { seesWholeAccount, type PortalSession, type Reference } from './session.js';

// ---------------------------------------------------------------------------------------------------------------
// Domain types

/** A status of an order, as a stable key for URLs and attributes (`status="confirmed,picked"`). */
export const orderStatusKeys = {
  active: ProcessingStatus.Active,
  confirmed: ProcessingStatus.Confirmed,
  picked: ProcessingStatus.Picked,
  'partially-delivered': ProcessingStatus.PartiallyDelivered,
  delivered: ProcessingStatus.Delivered,
  invoiced: ProcessingStatus.Invoiced,
  'partially-invoiced': ProcessingStatus.PartiallyInvoiced,
  cancelled: ProcessingStatus.Cancelled,
  'delivered-partially-invoiced': ProcessingStatus.DeliveredPartiallyInvoiced,
} as const satisfies Record<string, ProcessingStatus>;

/** Key of an order status (`'partially-delivered'`). */
export type OrderStatusKey = keyof typeof orderStatusKeys;

const statusKeyByValue = new Map<number, OrderStatusKey>(
  Object.entries(orderStatusKeys).map(([key, value]) => [value, key as OrderStatusKey]),
);

/** The key of a processing status value, or `null` for an unknown value. */
export function orderStatusKeyOf(value: number | null | undefined): OrderStatusKey | null {
  return value === null || value === undefined ? null : (statusKeyByValue.get(value) ?? null);
}

/** True for a known status key. */
export function isOrderStatusKey(key: string): key is OrderStatusKey {
  return Object.prototype.hasOwnProperty.call(orderStatusKeys, key);
}

/** Where an order is in SCM: the `msdyn_processingstatus` value, its key and its label in the user's language. */
export interface OrderStatus {
  /** The choice value; `null` before dual-write has synchronised the order. */
  readonly value: ProcessingStatus | null;
  /** Stable key (`'confirmed'`), `null` when the value is empty or unknown. */
  readonly key: OrderStatusKey | null;
  /** The label the server gave (the user's language), else the English label. */
  readonly label: string;
}

/** An amount of money in a currency. */
export interface Money {
  readonly amount: number | null;
  /** ISO 4217 code (`USD`) for `Intl.NumberFormat`, when known. */
  readonly currencyCode: string | null;
  /** The amount as the server formatted it (`$1,250.00`), when annotations were asked for. */
  readonly formatted: string | null;
}

/** One order in a list. */
export interface OrderSummary {
  /** The Dataverse id (`salesorderid`). */
  readonly id: string;
  /**
   * The number shown to the customer: the SCM sales order number once dual-write has given one, else the
   * Dataverse order number (then {@link pendingSync} is true).
   */
  readonly number: string;
  /** True while the order is not yet in SCM (no SCM number): {@link number} is the Dataverse one. */
  readonly pendingSync: boolean;
  /** The SCM number (`msdyn_salesordernumber`), `null` until synchronised. */
  readonly salesOrderNumber: string | null;
  /** The Dataverse number (`ordernumber`). */
  readonly orderNumber: string | null;
  /** The customer's own order reference (`msdyn_customersorderreference`). */
  readonly customerReference: string | null;
  /** The customer's requisition number (`msdyn_customerrequisitionnumber`). */
  readonly requisitionNumber: string | null;
  /** When the order was placed (`createdon`), ISO 8601 date-time in UTC. */
  readonly orderDate: string | null;
  /** The requested receipt date (`msdyn_requestedreceiptdate`), `YYYY-MM-DD`. */
  readonly requestedReceiptDate: string | null;
  readonly status: OrderStatus;
  /** The order total (`totalamount`: lines + tax + freight), an estimate until SCM confirms it. */
  readonly total: Money;
  /** The contact who placed the order (`msdyn_contactperson`). */
  readonly placedBy: Reference | null;
  /**
   * When the order last changed on the server (`modifiedon`), ISO 8601 in UTC: where a list's live updates
   * start from ({@link watchOrders}).
   */
  readonly modifiedOn: string | null;
}

/** Columns a list can be sorted by. */
export type OrderSortColumn = 'number' | 'reference' | 'date' | 'receipt-date' | 'status' | 'total' | 'placed-by';

/** A sort order: a column and a direction. */
export interface OrderSort {
  readonly column: OrderSortColumn;
  readonly direction: 'asc' | 'desc';
}

/** Every column a list can be sorted by, in display order. */
export const orderSortColumns: readonly OrderSortColumn[] = ['number', 'reference', 'date', 'receipt-date', 'status', 'total', 'placed-by'];

/** The default order of a list: newest first. */
export const defaultOrderSort: OrderSort = { column: 'date', direction: 'desc' };

/**
 * Reads the sort syntax of the `sort` attribute: `column` (ascending) or `-column` (descending). Returns `null`
 * for an empty or unknown text.
 */
export function parseOrderSort(text: string | null | undefined): OrderSort | null {
  const value = (text ?? '').trim();
  if (value === '') return null;
  const descending = value.startsWith('-');
  const column = (descending ? value.slice(1) : value) as OrderSortColumn;
  return orderSortColumns.includes(column) ? { column, direction: descending ? 'desc' : 'asc' } : null;
}

/** Writes a sort in the syntax of {@link parseOrderSort} (`-date`). */
export function orderSortText(sort: OrderSort): string {
  return sort.direction === 'desc' ? `-${sort.column}` : sort.column;
}

/** What to list. Every field is optional; the default is every order in scope, newest first, 25 a page. */
export interface OrderQuery {
  /**
   * Text to find in the order number (SCM or Dataverse), the customer reference or the requisition number
   * (case-insensitive, anywhere in the value). Blank means no search.
   */
  readonly search?: string;
  /** Only orders in one of these processing statuses (empty = all). */
  readonly statuses?: readonly ProcessingStatus[];
  /** Orders placed on or after this day (`YYYY-MM-DD`, the user's local calendar day). */
  readonly from?: string;
  /** Orders placed on or before this day (`YYYY-MM-DD`, inclusive). */
  readonly to?: string;
  /** Sort order (default newest first). */
  readonly sort?: OrderSort;
  /** Orders per page, 1–500 (default 25). */
  readonly pageSize?: number;
}

/** One page of orders. */
export interface OrderPage {
  readonly orders: readonly OrderSummary[];
  /** How many orders match in total (the first page's `@odata.count`); `null` when the server did not say. */
  readonly count: number | null;
  /** True when {@link count} is Dataverse's 5,000 cap, a lower bound: show "5,000+". */
  readonly countCapped: boolean;
  /** The link to the next page (keep it to come back to that page), `null` on the last page. */
  readonly nextLink: string | null;
  readonly hasNext: boolean;
  /** Orders per page asked for. */
  readonly pageSize: number;
  /** True when the session sees the whole account (then show who placed each order). */
  readonly showsPlacedBy: boolean;
  /** The next page; rejects when there is none. */
  next(signal?: AbortSignal): Promise<OrderPage>;
}

// ---------------------------------------------------------------------------------------------------------------
// The query

/** The salesorder columns a list row reads, as they come from the Web API. */
interface SalesOrderListRow {
  salesorderid: string;
  ordernumber: string | null;
  msdyn_salesordernumber: string | null;
  msdyn_customersorderreference: string | null;
  msdyn_customerrequisitionnumber: string | null;
  createdon: string | null;
  modifiedon: string | null;
  msdyn_requestedreceiptdate: string | null;
  msdyn_processingstatus: number | null;
  totalamount: number | null;
  _transactioncurrencyid_value: string | null;
  _customerid_value: string | null;
  _msdyn_contactperson_value: string | null;
  /** Expanded single-valued navigation to the order's currency. */
  transactioncurrencyid?: { readonly isocurrencycode?: string | null } | null;
}

/** Column names checked against the table declaration, so a renamed column fails to compile here. */
type SalesOrderColumn = keyof (typeof salesorder)['columns'];
const column = <C extends SalesOrderColumn & keyof SalesOrderListRow>(name: C): C => name;

const LIST_SELECT = [
  column('salesorderid'),
  column('ordernumber'),
  column('msdyn_salesordernumber'),
  column('msdyn_customersorderreference'),
  column('msdyn_customerrequisitionnumber'),
  column('createdon'),
  column('modifiedon'),
  column('msdyn_requestedreceiptdate'),
  column('msdyn_processingstatus'),
  column('totalamount'),
  '_transactioncurrencyid_value',
  '_customerid_value',
  '_msdyn_contactperson_value',
] as const satisfies readonly (keyof SalesOrderListRow)[];

/** The currency's ISO code comes with the row (one request, no second look-up). */
const CURRENCY_EXPAND = { transactioncurrencyid: { select: ['isocurrencycode'] } } as const;

/**
 * Server-side `$orderby` of each sortable column. The primary key comes last in every order so that rows with
 * equal values keep one order across pages.
 */
const SORT_COLUMNS: Readonly<Record<OrderSortColumn, readonly (keyof SalesOrderListRow)[]>> = {
  // Synchronised orders by SCM number; the rest (no SCM number yet) by their Dataverse number.
  number: [column('msdyn_salesordernumber'), column('ordernumber')],
  reference: [column('msdyn_customersorderreference'), column('msdyn_customerrequisitionnumber')],
  // `createdon` has whole seconds: orders placed within the same second are put in the order they were numbered
  // (the `ordernumber` autonumber counts up, zero-padded), not in the random order of their ids, so the order just
  // placed is the first of "newest first".
  date: [column('createdon'), column('ordernumber')],
  'receipt-date': [column('msdyn_requestedreceiptdate')],
  status: [column('msdyn_processingstatus')],
  total: [column('totalamount')],
  'placed-by': ['_msdyn_contactperson_value'],
};

/** Most characters of search text sent to the server (longer text is cut). */
export const MAX_SEARCH_LENGTH = 100;
/** Default orders per page. */
export const DEFAULT_PAGE_SIZE = 25;
/** Largest page a list asks for. */
export const MAX_PAGE_SIZE = 500;

const where = filterFor<SalesOrderListRow>();

/** Only the orders the session may see: its account's, and for authorized users only their own. */
function scopeFilter(session: PortalSession): Filter {
  // Power Pages enforces this with table permissions; the same filter makes a Dataverse (bearer) session, whose
  // security roles may see more, show the same list.
  return where.and(
    where.lookup('customerid', session.account.id),
    !seesWholeAccount(session) && where.lookup('msdyn_contactperson', session.contact.id),
  )!;
}

/** `YYYY-MM-DD` → the start of that day in the user's time zone, as a date-time literal. */
function startOfLocalDay(day: string, what: string, addDays = 0) {
  const checked = dateOnly(day).text; // validates the calendar date
  const [year, month, date] = checked.split('-').map(Number) as [number, number, number];
  const start = new Date(year, month - 1, date + addDays);
  if (Number.isNaN(start.getTime())) throw clientError('InvalidLiteral', `${what} is not a date: ${day}`);
  return dateTime(start);
}

/**
 * The text a search sends: trimmed, at most {@link MAX_SEARCH_LENGTH} UTF-16 code units, cut between characters
 * (an emoji straddling the limit is left out whole, never halved), and well-formed: an unpaired surrogate — which
 * only a script, not a keyboard, can put in a string, e.g. a host page passing a cut text as `search` — becomes
 * U+FFFD, as the browser's own UTF-8 encoding of a URL or a request body would make it. Halved characters used to
 * reach the client, which refuses text it cannot URL-encode, and the search failed.
 */
export function searchTextOf(text: string): string {
  const wellFormed = text.trim().replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (wellFormed.length <= MAX_SEARCH_LENGTH) return wellFormed;
  const splitsPair = /[\uD800-\uDBFF]/.test(wellFormed.charAt(MAX_SEARCH_LENGTH - 1));
  return wellFormed.slice(0, splitsPair ? MAX_SEARCH_LENGTH - 1 : MAX_SEARCH_LENGTH);
}

/** The `$filter` of a list: scope, search, statuses and date range. */
export function orderListFilter(session: PortalSession, query: Pick<OrderQuery, 'search' | 'statuses' | 'from' | 'to'>): Filter {
  const search = searchTextOf(query.search ?? '');
  const statuses = [...new Set(query.statuses ?? [])];
  return where.and(
    scopeFilter(session),
    search !== '' &&
      where.or(
        where.contains('msdyn_salesordernumber', search),
        where.contains('ordernumber', search),
        where.contains('msdyn_customersorderreference', search),
        where.contains('msdyn_customerrequisitionnumber', search),
      ),
    statuses.length > 0 && where.oneOf('msdyn_processingstatus', statuses),
    query.from ? where.ge('createdon', startOfLocalDay(query.from, 'from')) : undefined,
    query.to ? where.lt('createdon', startOfLocalDay(query.to, 'to', 1)) : undefined,
  )!;
}

/** The `$orderby` of a sort (with the primary key as the final tie-breaker). */
export function orderListOrderBy(sort: OrderSort = defaultOrderSort): OrderBy<SalesOrderListRow> {
  const columns = SORT_COLUMNS[sort.column];
  if (!columns) throw clientError('InvalidQuery', `orders cannot be sorted by ${String(sort.column)}`);
  const orderBy: Record<string, 'asc' | 'desc'> = {};
  for (const name of columns) orderBy[name] = sort.direction === 'desc' ? 'desc' : 'asc';
  orderBy.salesorderid = orderBy[columns[0]!]!;
  return orderBy as OrderBy<SalesOrderListRow>;
}

function pageSizeOf(query: Pick<OrderQuery, 'pageSize'>): number {
  const size = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw clientError('InvalidQuery', `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${String(size)}`);
  }
  return size;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows → orders

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The status of a row from its value and (when present) the server's label. */
function statusOf(value: unknown, serverLabel: string | null): OrderStatus {
  const known = numberOrNull(value);
  const label =
    serverLabel ??
    (known === null ? '' : ((processingStatusLabels as Readonly<Record<number, string>>)[known] ?? String(known)));
  return { value: known as ProcessingStatus | null, key: orderStatusKeyOf(known), label };
}

/** The ISO currency code of a row: the expanded currency, else what the session or earlier rows taught us. */
function currencyCodeOf(row: Row<SalesOrderListRow>, currencies: Map<string, string>): string | null {
  const id = text(row._transactioncurrencyid_value)?.toLowerCase() ?? null;
  const expanded = text(row.transactioncurrencyid?.isocurrencycode);
  if (expanded) {
    if (id) currencies.set(id, expanded);
    return expanded;
  }
  return id ? (currencies.get(id) ?? null) : null;
}

function currencyMapOf(session: PortalSession): Map<string, string> {
  const map = new Map<string, string>();
  if (session.currency) map.set(session.currency.id.toLowerCase(), session.currency.code);
  return map;
}

function summaryOf(row: Row<SalesOrderListRow>, currencies: Map<string, string>): OrderSummary {
  const salesOrderNumber = text(row.msdyn_salesordernumber);
  const orderNumber = text(row.ordernumber);
  const placedBy = lookupOf(row, 'msdyn_contactperson');
  return {
    id: row.salesorderid.toLowerCase(),
    number: salesOrderNumber ?? orderNumber ?? '',
    pendingSync: salesOrderNumber === null,
    salesOrderNumber,
    orderNumber,
    customerReference: text(row.msdyn_customersorderreference),
    requisitionNumber: text(row.msdyn_customerrequisitionnumber),
    orderDate: text(row.createdon),
    requestedReceiptDate: text(row.msdyn_requestedreceiptdate)?.slice(0, 10) ?? null,
    status: statusOf(row.msdyn_processingstatus, formatted(row, 'msdyn_processingstatus')),
    total: {
      amount: numberOrNull(row.totalamount),
      currencyCode: currencyCodeOf(row, currencies),
      formatted: formatted(row, 'totalamount'),
    },
    placedBy: placedBy ? { id: placedBy.id, name: placedBy.name ?? '' } : null,
    modifiedOn: text(row.modifiedon),
  };
}

function orderPageOf(
  client: DataverseClient,
  session: PortalSession,
  page: Page<SalesOrderListRow>,
  pageSize: number,
  known: { count: number | null; countCapped: boolean } | undefined,
  currencies: Map<string, string>,
): OrderPage {
  const count = page.count ?? known?.count ?? null;
  const countCapped = page.count !== null ? page.countCapped : (known?.countCapped ?? false);
  return {
    orders: page.rows.map((row) => summaryOf(row, currencies)),
    count,
    countCapped,
    nextLink: page.nextLink,
    hasNext: page.nextLink !== null,
    pageSize,
    showsPlacedBy: seesWholeAccount(session),
    next: async (signal) => {
      if (!page.nextLink) throw clientError('NoNextPage', 'this is the last page of orders');
      const next = await client.getNextPage<SalesOrderListRow>(page, { signal, maxPageSize: pageSize });
      return orderPageOf(client, session, next, pageSize, { count, countCapped }, currencies);
    },
  };
}

/**
 * The first page of the session's orders that match `query`: one request (`$filter`, `$orderby`, `$count`,
 * `Prefer: odata.maxpagesize`), whatever the size of the history.
 *
 * Authorized users get their own orders; customer representatives and administrators get their account's, with
 * who placed each ({@link OrderPage.showsPlacedBy}).
 *
 * @throws DataverseError from the client (`auth`, `permission`, `throttled`, …); aborts pass through.
 */
export async function listOrders(
  client: DataverseClient,
  session: PortalSession,
  query: OrderQuery = {},
  signal?: AbortSignal,
): Promise<OrderPage> {
  const pageSize = pageSizeOf(query);
  const page = await client.getPage<SalesOrderListRow>(
    salesorder.entitySet,
    {
      select: LIST_SELECT,
      filter: orderListFilter(session, query),
      orderBy: orderListOrderBy(query.sort),
      expand: CURRENCY_EXPAND,
      count: true,
    },
    { maxPageSize: pageSize, signal },
  );
  return orderPageOf(client, session, page, pageSize, undefined, currencyMapOf(session));
}

/**
 * The page a saved `nextLink` points at (for going back to a page seen before: Dataverse has no `$skip`, so a
 * list keeps the links of the pages it has visited). `known` carries the count of the first page forward.
 */
export async function orderPageAt(
  client: DataverseClient,
  session: PortalSession,
  nextLink: string,
  options: Pick<OrderQuery, 'pageSize'> & { readonly known?: { count: number | null; countCapped: boolean } } = {},
  signal?: AbortSignal,
): Promise<OrderPage> {
  const pageSize = pageSizeOf(options);
  const page = await client.getNextPage<SalesOrderListRow>(nextLink, { signal, maxPageSize: pageSize });
  return orderPageOf(client, session, page, pageSize, options.known, currencyMapOf(session));
}

// ---------------------------------------------------------------------------------------------------------------
// Live: what changed since the last check

/** What changed about an order, as far as a list shows it (SCM writes these; the rest does not change). */
export interface OrderUpdate {
  readonly id: string;
  readonly number: string;
  readonly pendingSync: boolean;
  readonly salesOrderNumber: string | null;
  readonly status: OrderStatus;
  readonly total: Money;
  /** When the order changed (`modifiedon`). */
  readonly modifiedOn: string | null;
}

/** Follows changes of the orders a list shows. Create with {@link watchOrders}. */
export interface OrderWatch {
  /**
   * Asks for the shown orders changed since the last check: one small request (a few rows, usually none or one)
   * whatever the size of the account. Resolves with the changed orders (an order changed in the second of the
   * last check can come again: compare before announcing).
   */
  poll(signal?: AbortSignal): Promise<readonly OrderUpdate[]>;
  /** The `modifiedon` the next check starts from (`null` when no shown order carries one: every order is asked for). */
  readonly since: string | null;
}

/** The columns a poll reads: what SCM changes (status, SCM number, confirmed total) and when. */
interface SalesOrderWatchedRow {
  salesorderid: string;
  ordernumber: string | null;
  msdyn_salesordernumber: string | null;
  msdyn_processingstatus: number | null;
  totalamount: number | null;
  modifiedon: string | null;
  _transactioncurrencyid_value: string | null;
  _customerid_value: string | null;
  _msdyn_contactperson_value: string | null;
}

const WATCHED_SELECT = [
  column('salesorderid'),
  column('ordernumber'),
  column('msdyn_salesordernumber'),
  column('msdyn_processingstatus'),
  column('totalamount'),
  column('modifiedon'),
  '_transactioncurrencyid_value',
] as const satisfies readonly (keyof SalesOrderWatchedRow)[];

/**
 * Most orders one poll request names in its `$filter` (`salesorderid eq … or …`, about 60 characters each): keeps
 * the URL to a few kilobytes, well within what servers and proxies accept. A larger page is checked in a few
 * requests of this many orders.
 */
export const MAX_WATCHED_PER_REQUEST = 50;

/**
 * Every column the order list reads ({@link listOrders}, {@link orderPageAt}, {@link watchOrders}), by table: what
 * the Power Pages `Webapi/<table>/fields` site settings must list. The columns it filters and sorts on (scope,
 * search, status, dates, each sort column, `modifiedon`) are all among the selected ones.
 */
export const ORDER_LIST_COLUMNS = {
  salesorder: [...new Set([...LIST_SELECT, ...WATCHED_SELECT])],
  transactioncurrency: CURRENCY_EXPAND.transactioncurrencyid.select,
} as const satisfies TableColumns;

/** Options of {@link watchOrders}. */
export interface WatchOrdersOptions {
  /** Labels of status values learned from lists (the server's language), used when a change comes without one. */
  readonly statusLabels?: ReadonlyMap<number, string>;
}

/**
 * Follows the orders a list shows, cheaply: each {@link OrderWatch.poll} asks for those of them changed since the
 * last check,
 * ```
 * GET salesorders?$select=salesorderid,…,modifiedon
 *   &$filter=<the session's scope> and (salesorderid eq … or …) and modifiedon ge <since>
 * ```
 * where `since` starts at the newest `modifiedon` of the orders as the list read them (the server's own clock,
 * so the client's clock does not matter) and moves on with each change seen. A poll answers the changed shown
 * orders only — none, or the one changed last, most of the time — so it costs the same for 30 orders as for
 * 25,000, unlike change tracking, whose first round lists every order of the account.
 *
 * `ge` (not `gt`): `modifiedon` has whole seconds, so a change in the same second as the last one seen must still
 * come; it can come twice, which {@link OrderUpdate} consumers see as "no change".
 */
export function watchOrders(
  client: DataverseClient,
  session: PortalSession,
  orders: readonly Pick<OrderSummary, 'id' | 'modifiedOn'>[],
  options: WatchOrdersOptions = {},
): OrderWatch {
  const currencies = currencyMapOf(session);
  const labels = new Map<number, string>(options.statusLabels ?? []);
  const ids = [...new Set(orders.map((order) => order.id))];
  const whereWatched = filterFor<SalesOrderWatchedRow>();
  let since = newest(orders.map((order) => order.modifiedOn));

  const updateOf = (row: Row<SalesOrderWatchedRow>): OrderUpdate => {
    const salesOrderNumber = text(row.msdyn_salesordernumber);
    const value = numberOrNull(row.msdyn_processingstatus);
    const serverLabel = formatted(row, 'msdyn_processingstatus');
    if (value !== null && serverLabel) labels.set(value, serverLabel);
    return {
      id: row.salesorderid.toLowerCase(),
      number: salesOrderNumber ?? text(row.ordernumber) ?? '',
      pendingSync: salesOrderNumber === null,
      salesOrderNumber,
      status: statusOf(value, serverLabel ?? (value === null ? null : (labels.get(value) ?? null))),
      total: {
        amount: numberOrNull(row.totalamount),
        currencyCode: currencyCodeOf(row as Row<SalesOrderListRow>, currencies),
        formatted: formatted(row, 'totalamount'),
      },
      modifiedOn: text(row.modifiedon),
    };
  };

  return {
    get since() {
      return since;
    },
    async poll(signal) {
      const updates: OrderUpdate[] = [];
      const from = since;
      for (let start = 0; start < ids.length; start += MAX_WATCHED_PER_REQUEST) {
        const chunk = ids.slice(start, start + MAX_WATCHED_PER_REQUEST);
        const page = await client.getPage<SalesOrderWatchedRow>(
          salesorder.entitySet,
          {
            select: WATCHED_SELECT,
            filter: whereWatched.and(
              scopeFilter(session),
              whereWatched.oneOf('salesorderid', chunk.map((id) => guid(id))),
              from !== null && whereWatched.ge('modifiedon', dateTime(from)),
            ),
          },
          { signal, maxPageSize: chunk.length },
        );
        updates.push(...page.rows.map(updateOf));
      }
      since = newest([since, ...updates.map((update) => update.modifiedOn)]);
      return updates;
    },
  };
}

/** The latest of ISO 8601 date-times (`null` when there is none). */
function newest(times: readonly (string | null)[]): string | null {
  let best: string | null = null;
  let bestMs = -Infinity;
  for (const time of times) {
    const ms = time ? Date.parse(time) : NaN;
    if (!Number.isNaN(ms) && ms > bestMs) {
      best = time;
      bestMs = ms;
    }
  }
  return best;
}
