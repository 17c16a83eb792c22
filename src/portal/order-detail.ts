/**
 * One sales order with everything a buyer asks the sales desk about it: header, progress through Supply Chain
 * Management (SCM), lines, totals and invoices, read in ONE request.
 *
 * ```ts
 * const order = await loadOrder(client, session, { number: 'SO-001234' }, signal);
 * if (!order) showNotFound(); // not found and not yours are the same answer
 * order.progress.steps;        // Active → Confirmed → Picked → Delivered → Invoiced, with the current one
 * order.totals.estimated;      // true until SCM has confirmed the prices
 * ```
 *
 * **One round trip.** By id it is `GET salesorders(<id>)?$select=…&$expand=order_details(…),order_invoices(…),
 * transactioncurrencyid(…)`; by number it is the same `$select`/`$expand` on a filtered collection query with
 * `$top=1`. The lines come in line order (`$orderby=sequencenumber` inside the expand), the currency's ISO code
 * with the header (single-valued expand). Power Pages expands collection-valued navigation properties one level
 * only, so nothing is nested under the lines: each line carries what it shows itself (see below).
 *
 * **Not found and not yours are one answer** (`null`): a row outside the session's scope is refused by the
 * server (Power Pages table permissions answer 404, or 403 on some sites) or, with a Dataverse bearer session whose
 * security roles see more, filtered out here with the same rule as the order list (the account's orders; an
 * authorized user's own orders only). Either way the caller cannot tell "no such order" from "someone else's".
 *
 * **Optional columns.** Some columns the detail shows are dual-write or Dataverse columns that `src/tables/` may
 * not declare yet (the emulator refuses what is not declared): the line's item number (`productnumber`, the
 * product's number that Dataverse copies onto the line) and the order's delivery mode and terms
 * (`msdyn_deliverymode`, `msdyn_deliveryterms`). They are asked for exactly when the table declaration has them,
 * so declaring them is the one change that turns them on; until then they read as `null`.
 *
 * @module
 */
import { etagOf, formatted, lookupOf, type Row } from '../dataverse/annotations.js';
import type { DataverseClient } from '../dataverse/client.js';
import { DataverseError } from '../dataverse/errors.js';
import { isGuid, normalizeGuid } from '../dataverse/guid.js';
import { filterFor, type Expand, type Filter } from '../dataverse/odata.js';
import {
  InvoiceState,
  LineStatus,
  lineStatusLabels,
  ProcessingStatus,
  processingStatusLabels,
} from '../tables/choices.js';
import { invoice } from '../tables/invoice.js';
import { salesorder } from '../tables/salesorder.js';
import { salesorderdetail } from '../tables/salesorderdetail.js';
import type { TableDef } from '../tables/schema.js';
import type { TableColumns } from './columns.js';
import { orderStatusKeyOf, type Money, type OrderStatus } from './orders.js';
import { seesWholeAccount, type PortalSession, type Reference } from './session.js';

export type { Money, OrderStatus } from './orders.js';

// ---------------------------------------------------------------------------------------------------------------
// Domain types

/** Which order to load: its Dataverse id, or its number (the SCM number `SO-…` or the Dataverse `ordernumber`). */
export type OrderLocator = { readonly id: string } | { readonly number: string };

/** A step of the order's way through SCM, in the order they happen. */
export type OrderStepKey = 'active' | 'confirmed' | 'picked' | 'delivered' | 'invoiced' | 'cancelled';

/** One step of the progress timeline. */
export interface OrderStep {
  readonly key: OrderStepKey;
  /** The step's name ("Picked"); for the current step of a partial order, the partial status ("Partially delivered"). */
  readonly label: string;
  /** `done` (passed), `current` (where the order is now) or `upcoming`. */
  readonly state: 'done' | 'current' | 'upcoming';
  /** True when the order is only partly through this step (part delivered, part invoiced). */
  readonly partial: boolean;
}

/**
 * Where the order is: the steps Active → Confirmed → Picked → Delivered → Invoiced with the current one marked.
 * A cancelled order shows Active, then Cancelled as its current (last) step. An order not yet in SCM has no
 * current step.
 */
export interface OrderProgress {
  readonly steps: readonly OrderStep[];
  /**
   * - `pending-sync`: not yet in SCM (no SCM number, or no processing status);
   * - `in-progress`: on its way; `partial`: part delivered or part invoiced;
   * - `complete`: invoiced in full; `cancelled`: cancelled in SCM.
   */
  readonly outcome: 'pending-sync' | 'in-progress' | 'partial' | 'complete' | 'cancelled';
}

/** The delivery address of an order, as lines ready to show in an `<address>`. */
export interface DeliveryAddress {
  /** Who receives the delivery (`shipto_name`, else the delivery address name). */
  readonly name: string | null;
  /** The customer's name for the address ("Main warehouse"), `msdyn_deliveryaddressdescription`. */
  readonly description: string | null;
  /**
   * The address lines: SCM's formatted delivery address (laid out for the destination country) when there is one,
   * else street lines, postal code and city, state, country. Empty when the order has no address.
   */
  readonly lines: readonly string[];
}

/** The SCM status of one line (`msdyn_linestatus`). */
export interface LineState {
  readonly value: LineStatus | null;
  /** Stable key, `null` when empty or unknown. */
  readonly key: 'none' | 'backorder' | 'delivered' | 'invoiced' | 'cancelled' | null;
  /** The label the server gave (the user's language), else the English one ("Open order"). */
  readonly label: string;
}

/** One order line. */
export interface OrderLine {
  /** `salesorderdetailid`. */
  readonly id: string;
  /** Line number (`sequencenumber`), 1-based. */
  readonly sequence: number | null;
  /** The product (`productid`), `null` for a line without one. */
  readonly productId: string | null;
  /** The SCM item number, when the line carries it (see the module notes). */
  readonly itemNumber: string | null;
  /** The line's text (`msdyn_linedescription`), else the product's name. */
  readonly productName: string;
  readonly quantity: number | null;
  /** The unit (`uomid`): its id and name ("Box"). */
  readonly unit: Reference | null;
  /** Price of one unit (`priceperunit`). */
  readonly unitPrice: Money;
  /** The line discount as an amount (`msdyn_linediscountamount`). */
  readonly discount: Money;
  /** The line discount as a percentage, when it was given as one. */
  readonly discountPercent: number | null;
  /** Net amount of the line after its discount, before tax (`extendedamount`). */
  readonly amount: Money;
  readonly status: LineState;
  /** `YYYY-MM-DD`, once SCM has confirmed it. */
  readonly confirmedReceiptDate: string | null;
}

/**
 * The order's totals in its currency. `subtotal − discount + charges + tax = total`. They are SCM's estimates
 * until SCM has confirmed the prices ({@link OrderDetail.pricesConfirmed}).
 */
export interface OrderTotals {
  /** The lines before their discounts (`totallineitemamount + totaldiscountamount`). */
  readonly subtotal: Money;
  /** The line discounts (`totaldiscountamount`). */
  readonly discount: Money;
  /** Charges such as freight (`freightamount`). */
  readonly charges: Money;
  readonly tax: Money;
  readonly total: Money;
  /** True until SCM has confirmed the prices: show "Estimated". */
  readonly estimated: boolean;
}

/** One invoice of the order. */
export interface OrderInvoice {
  readonly id: string;
  /** The SCM invoice number (`CIV-…`), else the Dataverse one. */
  readonly number: string;
  /** `YYYY-MM-DD`. */
  readonly date: string | null;
  /** `YYYY-MM-DD`. */
  readonly dueDate: string | null;
  readonly amount: Money;
  /** `open`, `paid` or `cancelled` (`statecode`). */
  readonly payment: 'open' | 'paid' | 'cancelled';
}

/** One order, ready to show. */
export interface OrderDetail {
  /** `salesorderid`. */
  readonly id: string;
  /** The number shown: the SCM number once synchronised, else the Dataverse number ({@link pendingSync}). */
  readonly number: string;
  /** True while SCM has not numbered the order yet. */
  readonly pendingSync: boolean;
  /** `msdyn_salesordernumber`. */
  readonly salesOrderNumber: string | null;
  /** `ordernumber`. */
  readonly orderNumber: string | null;
  readonly status: OrderStatus;
  readonly progress: OrderProgress;
  /**
   * True once SCM has confirmed the prices: the order has an SCM number and its processing status is Confirmed or
   * any later step of picking, delivery or invoicing. Before the order confirmation (pending sync, or Active in
   * SCM), and for a cancelled order, prices, discounts, charges and tax are estimates.
   */
  readonly pricesConfirmed: boolean;
  /** When the order was placed (`createdon`), ISO date-time. */
  readonly orderDate: string | null;
  /** Requested ship date (`requestdeliveryby`), ISO date-time. */
  readonly requestedShipDate: string | null;
  /** `YYYY-MM-DD`. */
  readonly requestedReceiptDate: string | null;
  /** `YYYY-MM-DD`, once SCM has confirmed it. */
  readonly confirmedShippingDate: string | null;
  /** `YYYY-MM-DD`, once SCM has confirmed it. */
  readonly confirmedReceiptDate: string | null;
  readonly customerReference: string | null;
  readonly requisitionNumber: string | null;
  /** The contact who placed the order. */
  readonly placedBy: Reference | null;
  /** The customer account. */
  readonly customer: Reference | null;
  readonly delivery: DeliveryAddress;
  readonly deliveryMode: string | null;
  readonly deliveryTerms: string | null;
  readonly paymentTerms: string | null;
  /** ISO 4217 code of the order's currency, when known. */
  readonly currencyCode: string | null;
  /** In line order. */
  readonly lines: readonly OrderLine[];
  readonly totals: OrderTotals;
  /** Oldest first. */
  readonly invoices: readonly OrderInvoice[];
  /** The header's row version (`@odata.etag`), for {@link hasOrderChanged}. */
  readonly etag: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Progress

const STEP_ORDER: readonly OrderStepKey[] = ['active', 'confirmed', 'picked', 'delivered', 'invoiced'];

const STEP_LABELS: Readonly<Record<OrderStepKey, string>> = {
  active: processingStatusLabels[ProcessingStatus.Active],
  confirmed: processingStatusLabels[ProcessingStatus.Confirmed],
  picked: processingStatusLabels[ProcessingStatus.Picked],
  delivered: processingStatusLabels[ProcessingStatus.Delivered],
  invoiced: processingStatusLabels[ProcessingStatus.Invoiced],
  cancelled: processingStatusLabels[ProcessingStatus.Cancelled],
};

/** Where each processing status puts the order on the timeline, and whether it is only partly there. */
const STEP_OF: Readonly<Record<ProcessingStatus, { step: OrderStepKey; partial: boolean }>> = {
  [ProcessingStatus.Active]: { step: 'active', partial: false },
  [ProcessingStatus.Confirmed]: { step: 'confirmed', partial: false },
  [ProcessingStatus.Picked]: { step: 'picked', partial: false },
  [ProcessingStatus.PartiallyDelivered]: { step: 'delivered', partial: true },
  [ProcessingStatus.Delivered]: { step: 'delivered', partial: false },
  [ProcessingStatus.Invoiced]: { step: 'invoiced', partial: false },
  [ProcessingStatus.PartiallyInvoiced]: { step: 'invoiced', partial: true },
  [ProcessingStatus.DeliveredPartiallyInvoiced]: { step: 'invoiced', partial: true },
  [ProcessingStatus.Cancelled]: { step: 'cancelled', partial: false },
};

/** The statuses at which SCM has confirmed the order's prices (the order confirmation is posted). */
const PRICES_CONFIRMED: ReadonlySet<number> = new Set<number>([
  ProcessingStatus.Confirmed,
  ProcessingStatus.Picked,
  ProcessingStatus.PartiallyDelivered,
  ProcessingStatus.Delivered,
  ProcessingStatus.Invoiced,
  ProcessingStatus.PartiallyInvoiced,
  ProcessingStatus.DeliveredPartiallyInvoiced,
]);

/** The statuses after which SCM changes nothing more on the order (a live view can stop watching). */
export const FINAL_STATUSES: ReadonlySet<number> = new Set<number>([ProcessingStatus.Invoiced, ProcessingStatus.Cancelled]);

/**
 * The progress timeline of a status. `label` is the status label to show on the current step when the order is
 * only partly there (the server's, in the user's language). An order SCM has not numbered yet (`pendingSync`) is
 * not on the timeline, whatever its status column says (a new order reads Active before SCM has seen it).
 */
export function orderProgressOf(status: Pick<OrderStatus, 'value' | 'label'>, pendingSync = false): OrderProgress {
  const place =
    status.value === null || pendingSync
      ? undefined
      : (STEP_OF as Readonly<Record<number, { step: OrderStepKey; partial: boolean }>>)[status.value];
  if (!place) {
    return { steps: STEP_ORDER.map((key) => ({ key, label: STEP_LABELS[key], state: 'upcoming', partial: false })), outcome: 'pending-sync' };
  }
  if (place.step === 'cancelled') {
    return {
      steps: [
        { key: 'active', label: STEP_LABELS.active, state: 'done', partial: false },
        { key: 'cancelled', label: status.label || STEP_LABELS.cancelled, state: 'current', partial: false },
      ],
      outcome: 'cancelled',
    };
  }
  const at = STEP_ORDER.indexOf(place.step);
  const steps = STEP_ORDER.map((key, index): OrderStep => {
    const current = index === at;
    return {
      key,
      label: current && place.partial && status.label ? status.label : STEP_LABELS[key],
      state: index < at ? 'done' : current ? 'current' : 'upcoming',
      partial: current && place.partial,
    };
  });
  const outcome = place.partial ? 'partial' : place.step === 'invoiced' ? 'complete' : 'in-progress';
  return { steps, outcome };
}

// ---------------------------------------------------------------------------------------------------------------
// The query

/** The salesorder columns the detail reads, as the Web API returns them. */
interface OrderRow {
  salesorderid: string;
  ordernumber: string | null;
  msdyn_salesordernumber: string | null;
  msdyn_processingstatus: number | null;
  createdon: string | null;
  requestdeliveryby: string | null;
  msdyn_requestedreceiptdate: string | null;
  msdyn_confirmedreceiptdate: string | null;
  msdyn_confirmedshippingdate: string | null;
  msdyn_customersorderreference: string | null;
  msdyn_customerrequisitionnumber: string | null;
  shipto_name: string | null;
  shipto_line1: string | null;
  shipto_line2: string | null;
  shipto_city: string | null;
  shipto_stateorprovince: string | null;
  shipto_postalcode: string | null;
  shipto_country: string | null;
  msdyn_deliveryaddressname: string | null;
  msdyn_deliveryaddressdescription: string | null;
  msdyn_formatteddeliveryaddress: string | null;
  totallineitemamount: number | null;
  totaldiscountamount: number | null;
  totaltax: number | null;
  freightamount: number | null;
  totalamount: number | null;
  _customerid_value: string | null;
  _msdyn_contactperson_value: string | null;
  _msdyn_paymentterms_value: string | null;
  _transactioncurrencyid_value: string | null;
  /** Optional: read only when `src/tables/salesorder.ts` declares `msdyn_deliverymode`. */
  _msdyn_deliverymode_value?: string | null;
  /** Optional: read only when `src/tables/salesorder.ts` declares `msdyn_deliveryterms`. */
  _msdyn_deliveryterms_value?: string | null;
  /** Expanded: the order's currency. */
  transactioncurrencyid?: { readonly isocurrencycode?: string | null } | null;
  /** Expanded: the lines. */
  order_details?: readonly Row<LineRow>[];
  /** Expanded: the invoices. */
  order_invoices?: readonly Row<InvoiceRow>[];
}

interface LineRow {
  salesorderdetailid: string;
  sequencenumber: number | null;
  msdyn_linedescription: string | null;
  _productid_value: string | null;
  _uomid_value: string | null;
  quantity: number | null;
  priceperunit: number | null;
  msdyn_linediscountamount: number | null;
  msdyn_linediscountpercentage: number | null;
  extendedamount: number | null;
  msdyn_linestatus: number | null;
  msdyn_confirmedreceiptdate: string | null;
  /** Optional: read only when `src/tables/salesorderdetail.ts` declares it. */
  productnumber?: string | null;
}

interface InvoiceRow {
  invoiceid: string;
  invoicenumber: string | null;
  msdyn_invoicenumber: string | null;
  msdyn_invoicedate: string | null;
  duedate: string | null;
  totalamount: number | null;
  statecode: number | null;
}

/** True when `table` declares `column` (a lookup's read name `_x_value` counts as `x`). */
function declares(table: TableDef, column: string): boolean {
  const name = /^_(.+)_value$/.exec(column)?.[1] ?? column;
  return Object.prototype.hasOwnProperty.call(table.columns, name);
}

/** Column names checked against a table declaration at compile time, so a renamed column fails to compile here. */
type Declared<T extends TableDef> = Extract<keyof T['columns'], string>;
type ReadName<C extends string> = C | `_${C}_value`;
const headerColumn = <C extends ReadName<Declared<typeof salesorder>> & keyof OrderRow>(name: C): C => name;
const lineColumn = <C extends ReadName<Declared<typeof salesorderdetail>> & keyof LineRow>(name: C): C => name;
const invoiceColumn = <C extends ReadName<Declared<typeof invoice>> & keyof InvoiceRow>(name: C): C => name;

/** Optional columns: asked for only when the table declaration has them (see the module notes). */
function optional<K extends string>(table: TableDef, columns: readonly K[]): K[] {
  return columns.filter((column) => declares(table, column));
}

const HEADER_SELECT: readonly (keyof OrderRow)[] = [
  headerColumn('salesorderid'),
  headerColumn('ordernumber'),
  headerColumn('msdyn_salesordernumber'),
  headerColumn('msdyn_processingstatus'),
  headerColumn('createdon'),
  headerColumn('requestdeliveryby'),
  headerColumn('msdyn_requestedreceiptdate'),
  headerColumn('msdyn_confirmedreceiptdate'),
  headerColumn('msdyn_confirmedshippingdate'),
  headerColumn('msdyn_customersorderreference'),
  headerColumn('msdyn_customerrequisitionnumber'),
  headerColumn('shipto_name'),
  headerColumn('shipto_line1'),
  headerColumn('shipto_line2'),
  headerColumn('shipto_city'),
  headerColumn('shipto_stateorprovince'),
  headerColumn('shipto_postalcode'),
  headerColumn('shipto_country'),
  headerColumn('msdyn_deliveryaddressname'),
  headerColumn('msdyn_deliveryaddressdescription'),
  headerColumn('msdyn_formatteddeliveryaddress'),
  headerColumn('totallineitemamount'),
  headerColumn('totaldiscountamount'),
  headerColumn('totaltax'),
  headerColumn('freightamount'),
  headerColumn('totalamount'),
  headerColumn('_customerid_value'),
  headerColumn('_msdyn_contactperson_value'),
  headerColumn('_msdyn_paymentterms_value'),
  headerColumn('_transactioncurrencyid_value'),
  ...optional<keyof OrderRow>(salesorder, ['_msdyn_deliverymode_value', '_msdyn_deliveryterms_value']),
];

const LINE_SELECT: readonly string[] = [
  lineColumn('salesorderdetailid'),
  lineColumn('sequencenumber'),
  lineColumn('msdyn_linedescription'),
  lineColumn('_productid_value'),
  lineColumn('_uomid_value'),
  lineColumn('quantity'),
  lineColumn('priceperunit'),
  lineColumn('msdyn_linediscountamount'),
  lineColumn('msdyn_linediscountpercentage'),
  lineColumn('extendedamount'),
  lineColumn('msdyn_linestatus'),
  lineColumn('msdyn_confirmedreceiptdate'),
  ...optional<keyof LineRow>(salesorderdetail, ['productnumber']),
];

const INVOICE_SELECT: readonly string[] = [
  invoiceColumn('invoiceid'),
  invoiceColumn('invoicenumber'),
  invoiceColumn('msdyn_invoicenumber'),
  invoiceColumn('msdyn_invoicedate'),
  invoiceColumn('duedate'),
  invoiceColumn('totalamount'),
  invoiceColumn('statecode'),
];

/** The collection-valued navigation properties of salesorder, checked against the declaration. */
const LINES_NAVIGATION: keyof (typeof salesorder)['collections'] = 'order_details';
const INVOICES_NAVIGATION: keyof (typeof salesorder)['collections'] = 'order_invoices';

/** The columns of the order's currency read with the header. */
const CURRENCY_SELECT: readonly string[] = ['isocurrencycode'];

/** Lines in line order, invoices oldest first, and the currency's ISO code: all with the header. */
const ORDER_EXPAND: Expand = {
  [LINES_NAVIGATION]: { select: LINE_SELECT, orderBy: { sequencenumber: 'asc', salesorderdetailid: 'asc' } },
  [INVOICES_NAVIGATION]: { select: INVOICE_SELECT, orderBy: { msdyn_invoicedate: 'asc', invoiceid: 'asc' } },
  transactioncurrencyid: { select: CURRENCY_SELECT },
};

/**
 * Every column the order detail reads ({@link loadOrder}, {@link hasOrderChanged}), by table: what the Power Pages
 * `Webapi/<table>/fields` site settings must list. The columns it filters and sorts on (scope, order number, line
 * and invoice order) are all among the selected ones; the optional columns are included exactly when asked for.
 */
export const ORDER_DETAIL_COLUMNS = {
  salesorder: HEADER_SELECT,
  salesorderdetail: LINE_SELECT,
  invoice: INVOICE_SELECT,
  transactioncurrency: CURRENCY_SELECT,
} as const satisfies TableColumns;

/** Longest order number looked up (longer text cannot be an order number and is not sent). */
export const MAX_ORDER_NUMBER_LENGTH = 100;

const where = filterFor<OrderRow>();

/** The orders the session may see: its account's, and for authorized users only their own (as the order list). */
function scopeFilter(session: PortalSession): Filter {
  return where.and(
    where.lookup('customerid', session.account.id),
    !seesWholeAccount(session) && where.lookup('msdyn_contactperson', session.contact.id),
  )!;
}

/** The same rule, on a row that came back (for servers whose own rules let the session see more). */
function inScope(row: Row<OrderRow>, session: PortalSession): boolean {
  const id = (value: string | null | undefined) => (typeof value === 'string' ? value.toLowerCase() : null);
  if (id(row._customerid_value) !== session.account.id.toLowerCase()) return false;
  return seesWholeAccount(session) || id(row._msdyn_contactperson_value) === session.contact.id.toLowerCase();
}

/**
 * Loads one order with its lines, totals and invoices in one request.
 *
 * @returns the order, or `null` when there is no such order **or** it is not the session's to see (one answer
 *   for both, so that nobody can probe for other customers' orders). A locator that cannot be an order (an id
 *   that is not a GUID, an empty number) is `null` without a request.
 * @throws DataverseError for everything else (`auth`, `throttled`, `network`, `server`, …); aborts pass through.
 */
export async function loadOrder(
  client: DataverseClient,
  session: PortalSession,
  locator: OrderLocator,
  signal?: AbortSignal,
): Promise<OrderDetail | null> {
  let row: Row<OrderRow> | null;
  if ('id' in locator) {
    if (!isGuid(locator.id)) return null;
    try {
      row = await client.getRow<OrderRow>(
        salesorder.entitySet,
        normalizeGuid(locator.id),
        { select: HEADER_SELECT, expand: ORDER_EXPAND },
        { signal },
      );
    } catch (error) {
      if (isHiddenRow(error)) return null;
      throw error;
    }
  } else {
    const number = locator.number.trim();
    if (number === '' || number.length > MAX_ORDER_NUMBER_LENGTH) return null;
    const page = await client.getPage<OrderRow>(
      salesorder.entitySet,
      {
        select: HEADER_SELECT,
        filter: where.and(scopeFilter(session), where.or(where.eq('msdyn_salesordernumber', number), where.eq('ordernumber', number))),
        top: 1,
        expand: ORDER_EXPAND,
      },
      { signal },
    );
    row = page.rows[0] ?? null;
  }
  if (!row || !inScope(row, session)) return null;
  return orderDetailOf(row, session);
}

/**
 * A refusal of one row that must read as "no such order": 404 (not the "table not exposed" 9004010C, which is a
 * site set-up problem) and 403 (a table permission that does not reach this row, or a Dataverse security role).
 */
function isHiddenRow(error: unknown): boolean {
  if (!(error instanceof DataverseError)) return false;
  if (error.code?.toUpperCase() === TABLE_NOT_EXPOSED) return false;
  if (error.kind === 'not-found' || error.kind === 'permission') return true;
  // Power Pages wraps Dataverse's own refusals as CDSError (9004010D) with the Dataverse code in `cdscode`:
  // 0x80040217 ObjectDoesNotExist (answered 404) or 0x80040220 PrivilegeDenied (403).
  const cdsCode = typeof error.details?.cdscode === 'string' ? error.details.cdscode.toLowerCase() : undefined;
  return error.status === 404 || error.status === 403 || cdsCode === '0x80040217' || cdsCode === '0x80040220';
}

/** Power Pages: the table is not exposed to the Web API (a site set-up problem, not a missing row). */
const TABLE_NOT_EXPOSED = '9004010C';

/**
 * Asks whether the order changed since it was read, with a conditional GET of its header (`If-None-Match` with
 * the row version, no `$expand`, no annotations): the server answers 304 with no body while nothing changed.
 * SCM writes the header on every step (status, totals, dates), so a changed header is the signal to load the
 * order again. An order that has disappeared (or left the session's scope) counts as changed.
 *
 * This is cheaper than change tracking for one order: change tracking starts by listing every order in scope (up
 * to tens of thousands for a large account) and then reports changes to all of them, to be filtered here.
 */
export async function hasOrderChanged(client: DataverseClient, order: Pick<OrderDetail, 'id' | 'etag'>, signal?: AbortSignal): Promise<boolean> {
  if (!order.etag) return true;
  try {
    const row = await client.getRowIfChanged<OrderRow>(
      salesorder.entitySet,
      order.id,
      order.etag,
      { select: [headerColumn('salesorderid')] },
      { signal, annotations: false },
    );
    return row !== null && etagOf(row) !== order.etag;
  } catch (error) {
    if (isHiddenRow(error)) return true;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rows → domain

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const day = (value: unknown): string | null => text(value)?.slice(0, 10) ?? null;

function money(amount: unknown, currencyCode: string | null, serverText: string | null): Money {
  return { amount: numberOrNull(amount), currencyCode, formatted: serverText };
}

function referenceOf<T>(row: Row<T>, lookup: Parameters<typeof lookupOf<T>>[1]): Reference | null {
  const ref = lookupOf(row, lookup);
  return ref ? { id: ref.id, name: ref.name ?? '' } : null;
}

const LINE_STATUS_KEYS: Readonly<Record<number, LineState['key']>> = {
  [LineStatus.None]: 'none',
  [LineStatus.Backorder]: 'backorder',
  [LineStatus.Delivered]: 'delivered',
  [LineStatus.Invoiced]: 'invoiced',
  [LineStatus.Cancelled]: 'cancelled',
};

function lineStateOf(value: unknown, serverLabel: string | null): LineState {
  const known = numberOrNull(value);
  const key = known === null ? null : (LINE_STATUS_KEYS[known] ?? null);
  const label = serverLabel ?? (known === null ? '' : ((lineStatusLabels as Readonly<Record<number, string>>)[known] ?? String(known)));
  return { value: key === null ? null : (known as LineStatus), key, label };
}

function statusOf(row: Row<OrderRow>): OrderStatus {
  const value = numberOrNull(row.msdyn_processingstatus);
  const label =
    formatted(row, 'msdyn_processingstatus') ??
    (value === null ? '' : ((processingStatusLabels as Readonly<Record<number, string>>)[value] ?? String(value)));
  return { value: value as ProcessingStatus | null, key: orderStatusKeyOf(value), label };
}

function deliveryOf(row: Row<OrderRow>): DeliveryAddress {
  // SCM's formatted address is laid out as the destination country writes addresses ("Ankeny, IA 50021");
  // the columns are the fallback (an order SCM has not seen yet), one per line.
  let lines = (text(row.msdyn_formatteddeliveryaddress) ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) {
    const cityLine = [text(row.shipto_postalcode), text(row.shipto_city)].filter(Boolean).join(' ');
    lines = [text(row.shipto_line1), text(row.shipto_line2), cityLine || null, text(row.shipto_stateorprovince), text(row.shipto_country)]
      .filter((line): line is string => line !== null);
  }
  return {
    name: text(row.shipto_name) ?? text(row.msdyn_deliveryaddressname),
    description: text(row.msdyn_deliveryaddressdescription),
    lines,
  };
}

function lineOf(row: Row<LineRow>, currencyCode: string | null): OrderLine {
  const product = lookupOf(row, 'productid');
  const percent = numberOrNull(row.msdyn_linediscountpercentage);
  return {
    id: row.salesorderdetailid.toLowerCase(),
    sequence: numberOrNull(row.sequencenumber),
    productId: product?.id ?? null,
    itemNumber: text(row.productnumber),
    productName: text(row.msdyn_linedescription) ?? product?.name ?? '',
    quantity: numberOrNull(row.quantity),
    unit: referenceOf(row, 'uomid'),
    unitPrice: money(row.priceperunit, currencyCode, formatted(row, 'priceperunit')),
    discount: money(row.msdyn_linediscountamount, currencyCode, formatted(row, 'msdyn_linediscountamount')),
    discountPercent: percent !== null && percent !== 0 ? percent : null,
    amount: money(row.extendedamount, currencyCode, formatted(row, 'extendedamount')),
    status: lineStateOf(row.msdyn_linestatus, formatted(row, 'msdyn_linestatus')),
    confirmedReceiptDate: day(row.msdyn_confirmedreceiptdate),
  };
}

function invoiceOf(row: Row<InvoiceRow>, currencyCode: string | null): OrderInvoice {
  const state = numberOrNull(row.statecode);
  return {
    id: row.invoiceid.toLowerCase(),
    number: text(row.msdyn_invoicenumber) ?? text(row.invoicenumber) ?? '',
    date: day(row.msdyn_invoicedate),
    dueDate: day(row.duedate),
    amount: money(row.totalamount, currencyCode, formatted(row, 'totalamount')),
    payment: state === InvoiceState.Paid ? 'paid' : state === InvoiceState.Canceled ? 'cancelled' : 'open',
  };
}

function orderDetailOf(row: Row<OrderRow>, session: PortalSession): OrderDetail {
  const salesOrderNumber = text(row.msdyn_salesordernumber);
  const orderNumber = text(row.ordernumber);
  const status = statusOf(row);
  const currencyId = text(row._transactioncurrencyid_value)?.toLowerCase() ?? null;
  const currencyCode =
    text(row.transactioncurrencyid?.isocurrencycode) ??
    (currencyId && session.currency?.id.toLowerCase() === currencyId ? session.currency.code : null);
  const pricesConfirmed = salesOrderNumber !== null && status.value !== null && PRICES_CONFIRMED.has(status.value);
  const lineTotal = numberOrNull(row.totallineitemamount);
  const discountTotal = numberOrNull(row.totaldiscountamount);
  const lines = (row.order_details ?? []).map((line) => lineOf(line, currencyCode));
  // The server sorted them; sort again so a server that ignores `$orderby` inside `$expand` shows the same.
  lines.sort((a, b) => (a.sequence ?? Number.MAX_SAFE_INTEGER) - (b.sequence ?? Number.MAX_SAFE_INTEGER));
  const invoices = (row.order_invoices ?? []).map((entry) => invoiceOf(entry, currencyCode));
  invoices.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.number.localeCompare(b.number));
  return {
    id: row.salesorderid.toLowerCase(),
    number: salesOrderNumber ?? orderNumber ?? '',
    pendingSync: salesOrderNumber === null,
    salesOrderNumber,
    orderNumber,
    status,
    progress: orderProgressOf(status, salesOrderNumber === null),
    pricesConfirmed,
    orderDate: text(row.createdon),
    requestedShipDate: text(row.requestdeliveryby),
    requestedReceiptDate: day(row.msdyn_requestedreceiptdate),
    confirmedShippingDate: day(row.msdyn_confirmedshippingdate),
    confirmedReceiptDate: day(row.msdyn_confirmedreceiptdate),
    customerReference: text(row.msdyn_customersorderreference),
    requisitionNumber: text(row.msdyn_customerrequisitionnumber),
    placedBy: referenceOf(row, 'msdyn_contactperson'),
    customer: referenceOf(row, 'customerid'),
    delivery: deliveryOf(row),
    deliveryMode: lookupOf(row, 'msdyn_deliverymode')?.name ?? null,
    deliveryTerms: lookupOf(row, 'msdyn_deliveryterms')?.name ?? null,
    paymentTerms: lookupOf(row, 'msdyn_paymentterms')?.name ?? null,
    currencyCode,
    lines,
    totals: {
      // Whole cents, as SCM computes them (adding two binary fractions could show 0.30000000000000004).
      subtotal: money(lineTotal === null ? null : Math.round((lineTotal + (discountTotal ?? 0)) * 100) / 100, currencyCode, null),
      discount: money(discountTotal, currencyCode, formatted(row, 'totaldiscountamount')),
      charges: money(row.freightamount, currencyCode, formatted(row, 'freightamount')),
      tax: money(row.totaltax, currencyCode, formatted(row, 'totaltax')),
      total: money(row.totalamount, currencyCode, formatted(row, 'totalamount')),
      estimated: !pricesConfirmed,
    },
    invoices,
    etag: etagOf(row),
  };
}
