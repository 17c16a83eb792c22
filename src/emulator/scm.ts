/**
 * The simulated Supply Chain Management (SCM) behind dual-write.
 *
 * In a real environment, an order the Customer portal creates in Dataverse (`msdyn_ordertype` = item based, no
 * `msdyn_salesordernumber`) is sent to SCM by dual-write within seconds; SCM numbers it, prices it, computes tax,
 * confirms dates, and from then on every document it posts (confirmation, picking list, packing slip, invoice)
 * flows back into Dataverse. This module plays SCM's part:
 *
 * 1. **Pick-up** (the first step): the order gets the next number of the `SO-` sequence, the confirmed price of
 *    each line (the price list item's `amount` for the line's product and unit on the order's price list), line
 *    discounts, tax on each line's net amount at the customer's rate ({@link taxRateOf}; {@link TAX_RATE} for a
 *    customer without one), header totals, and confirmed shipping and receipt dates. `msdyn_processingstatus` is
 *    Active, lines are open ("backorder").
 * 2. Then one status per step along the order's path (see {@link scmPathOf}):
 *    - complete: Active → Confirmed → Picked → Delivered → Invoiced;
 *    - partial:  Active → Confirmed → Picked → Partially delivered (half the lines shipped, the rest
 *      backordered) → Delivered → Invoiced;
 *    - cancelled: Active → Confirmed → Cancelled (open quantities cancelled).
 *    Which path an order takes is decided by its id alone ({@link scmScenarioOf}), so tests can predict it.
 *    Invoicing creates an `invoice` row (next `CIV-` number, due after the customer's terms of payment) with one
 *    `invoicedetail` per delivered line.
 *
 * Every write goes through the emulator's system-write API ({@link Emulator.write}), one transaction per order
 * step, so it maintains `modifiedon`, bumps row versions (`@odata.etag`) and shows in change tracking like any
 * other write.
 *
 * The clock: in `demo` mode a timer moves every order in flight one step every `intervalMs` (default
 * {@link DEFAULT_SCM_INTERVAL_MS}); in `manual` mode nothing moves until a test says so. Control endpoints:
 * - `GET /emulator/scm` — clock and orders in flight;
 * - `POST /emulator/scm/advance` `{"steps": n}` (every order in flight) or `{"orderId": "…", "steps"?: n}`;
 * - `POST /emulator/scm/clock` `{"mode": "manual" | "demo", "intervalMs"?: n}`.
 *
 * Only orders created after the simulator started are in flight (plus, with `pickUpExisting`, those found
 * waiting for SCM at start); seeded history is left alone unless a test advances a seeded order by id.
 *
 * @module
 */
import { InvoiceState, InvoiceStatusReason, LineStatus, OrderType, ProcessingStatus } from '../tables/choices.js';
import { tables as tableDefs } from '../tables/index.js';
import type { TableDef } from '../tables/schema.js';
import type { SystemWriter } from './emulator.js';
import type { EmulatorStore, StoreChange, StoreReader } from './store.js';
import { controlBody, controlError, controlJson } from './faults.js';
import type { EmulatorMiddleware, EmulatorRequest, EmulatorResponse } from './http.js';
import { customers as seedCustomers, houseAccount, largeCustomer, paymentTermDays, type CustomerSpec } from './seed/parties.js';
import { isLookupValue, type StoredRow, type StoredValue } from './types.js';
import { newGuid } from './util.js';

/**
 * Sales tax the simulated SCM charges on a line's net amount when the customer has no rate of its own (8.25 %).
 * The seeded customers have their own rates (0 for tax-exempt ones), the same the seed's history was taxed at.
 */
export const TAX_RATE = 0.0825;

/** SCM's customer setup (sales tax rate, terms of payment) of the seeded customers, by account number. */
const CUSTOMERS: ReadonlyMap<string, CustomerSpec> = new Map(
  [...seedCustomers, largeCustomer, houseAccount].map((c) => [c.accountNumber, c]),
);

/** The sales tax rate of a customer (by its account number); {@link TAX_RATE} when it has none of its own. */
export function taxRateOf(accountNumber: string | undefined): number {
  return (accountNumber !== undefined ? CUSTOMERS.get(accountNumber)?.taxRate : undefined) ?? TAX_RATE;
}

/** Days from invoice to due date for a customer (its terms of payment); {@link PAYMENT_DAYS} when unknown. */
export function paymentDaysOf(accountNumber: string | undefined): number {
  const term = accountNumber !== undefined ? CUSTOMERS.get(accountNumber)?.paymentTerm : undefined;
  return term !== undefined ? paymentTermDays[term] : PAYMENT_DAYS;
}

/** Days between the confirmed shipping date and the confirmed receipt date (transport time). */
export const TRANSPORT_DAYS = 2;
/** Days from invoice date to due date when the customer has no payment terms of its own ("Net 30"). */
export const PAYMENT_DAYS = 30;
/** Default time between two SCM steps in `demo` mode. */
export const DEFAULT_SCM_INTERVAL_MS = 4000;

/** How the SCM clock runs. */
export type ScmClockMode = 'demo' | 'manual';

/** The three life cycles an order can take in the simulated SCM. */
export type ScmScenario = 'complete' | 'partial' | 'cancelled';

const PATHS: Readonly<Record<ScmScenario, readonly ProcessingStatus[]>> = {
  complete: [ProcessingStatus.Active, ProcessingStatus.Confirmed, ProcessingStatus.Picked, ProcessingStatus.Delivered,
    ProcessingStatus.Invoiced],
  partial: [ProcessingStatus.Active, ProcessingStatus.Confirmed, ProcessingStatus.Picked,
    ProcessingStatus.PartiallyDelivered, ProcessingStatus.Delivered, ProcessingStatus.Invoiced],
  cancelled: [ProcessingStatus.Active, ProcessingStatus.Confirmed, ProcessingStatus.Cancelled],
};

/** FNV-1a hash of a string (stable across platforms). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The life cycle an order takes, from its id alone: 1 in 10 is cancelled, 2 in 10 are partially delivered
 * first, the rest go straight through.
 */
export function scmScenarioOf(orderId: string): ScmScenario {
  const bucket = hash(orderId.toLowerCase()) % 10;
  if (bucket === 0) return 'cancelled';
  if (bucket <= 2) return 'partial';
  return 'complete';
}

/**
 * The statuses an order goes through after pick-up, in order; the first (Active) is the pick-up step itself,
 * so an order reaches the last status after `scmPathOf(id).length` steps.
 */
export function scmPathOf(orderId: string): readonly ProcessingStatus[] {
  return PATHS[scmScenarioOf(orderId)];
}

/** What one step did to one order. */
export interface ScmMove {
  readonly orderId: string;
  readonly salesOrderNumber: string;
  /** Status before the step; `null` before pick-up. */
  readonly from: ProcessingStatus | null;
  readonly to: ProcessingStatus;
  /** The invoice created by this step, if any. */
  readonly invoiceId?: string;
}

/** An order the simulator is moving. */
export interface ScmOrderState {
  readonly orderId: string;
  readonly salesOrderNumber: string | null;
  readonly status: ProcessingStatus | null;
  readonly scenario: ScmScenario;
  /** The status the next step will give; `null` when the order is done. */
  readonly next: ProcessingStatus | null;
}

/** Where the simulator keeps the ids of the orders in flight across restarts (a persistent store offers it). */
export interface ScmStateStorage {
  load(): readonly string[];
  save(orderIds: readonly string[]): void;
}

export interface ScmSimulatorOptions {
  /** `demo` (default) runs a timer; `manual` waits for {@link ScmSimulator.advance}. */
  readonly mode?: ScmClockMode;
  /** Time between steps in `demo` mode. */
  readonly intervalMs?: number;
  /** Keeps the orders in flight across restarts. */
  readonly state?: ScmStateStorage;
  /** Called after each demo-clock tick that moved something (logging). */
  readonly onMove?: (moves: readonly ScmMove[]) => void;
  /**
   * Also pick up the orders already waiting for SCM when the simulator starts (the seed has a few "just placed"
   * ones). Default `false`, so that seeded data only changes when a test moves an order by id.
   */
  readonly pickUpExisting?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const round2 = (n: number) => Math.round((n + Number.EPSILON) * 100) / 100;

/** `2025-03-01` in UTC. */
function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function idOf(value: StoredValue | undefined): string | undefined {
  if (isLookupValue(value)) return value.id.toLowerCase();
  if (typeof value === 'string' && value !== '') return value.toLowerCase();
  return undefined;
}

function num(value: StoredValue | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function str(value: StoredValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Next number of a sequence like `SO-000123`, after the highest found in `column` of `table`. */
function highestInSequence(store: StoreReader, table: string, column: string, prefix: string): { next: number; width: number } {
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  let highest = 0;
  let width = 6;
  for (const row of store.all(table)) {
    const value = row[column];
    if (typeof value !== 'string') continue;
    const match = pattern.exec(value);
    if (!match) continue;
    const n = Number(match[1]);
    if (n > highest) {
      highest = n;
      width = match[1].length;
    }
  }
  return { next: highest + 1, width };
}

/**
 * `"<navigation>@odata.bind": "/<entityset>(<id>)"` for a lookup column, with the navigation property name taken
 * from the table declaration (so a renamed navigation property is a one-line change there).
 */
function bind(table: TableDef, column: string, value: StoredValue | undefined): Record<string, string> {
  if (!isLookupValue(value)) return {};
  const target = tableDefs[value.table as keyof typeof tableDefs] as TableDef | undefined;
  const navigation = table.columns[column]?.navigation?.[value.table];
  if (!target || !navigation) throw new Error(`${table.logicalName}.${column} cannot point at ${value.table}.`);
  return { [`${navigation}@odata.bind`]: `/${target.entitySet}(${value.id})` };
}

/**
 * What the simulator needs from the emulator: its store (to watch new orders), its clock, and its system-write
 * API ({@link Emulator.write}: one transaction, system columns maintained, changes in change tracking).
 */
export interface ScmHost {
  readonly store: EmulatorStore;
  readonly now: () => Date;
  write<T>(fn: (writer: SystemWriter) => T): T;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The SCM simulator. Create it over the emulator; it watches new orders through the store's subscription, and
 * writes through {@link Emulator.write}. Call {@link ScmSimulator.close} to stop its timer and its subscription.
 */
export class ScmSimulator {
  private readonly inFlight = new Set<string>();
  private readonly store: EmulatorStore;
  private readonly stateStorage: ScmStateStorage | undefined;
  private readonly onMove: ScmSimulatorOptions['onMove'];
  private readonly unsubscribe: () => void;
  private modeValue: ScmClockMode;
  private interval: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private salesOrderSequence: { next: number; width: number };
  private invoiceSequence: { next: number; width: number };
  private closed = false;

  constructor(private readonly host: ScmHost, options: ScmSimulatorOptions = {}) {
    this.store = host.store;
    this.stateStorage = options.state;
    this.onMove = options.onMove;
    this.modeValue = options.mode ?? 'demo';
    this.interval = options.intervalMs ?? DEFAULT_SCM_INTERVAL_MS;
    this.salesOrderSequence = highestInSequence(this.store, 'salesorder', 'msdyn_salesordernumber', 'SO-');
    this.invoiceSequence = highestInSequence(this.store, 'invoice', 'msdyn_invoicenumber', 'CIV-');

    // Orders in flight: the ones remembered from a previous run (and, when asked, any order still waiting).
    for (const id of this.stateStorage?.load() ?? []) {
      const order = this.store.get('salesorder', id);
      if (order && this.nextStatusOf(order) !== null) this.inFlight.add(id.toLowerCase());
    }
    if (options.pickUpExisting) {
      for (const order of this.store.all('salesorder')) {
        if (this.awaitsPickUp(order)) this.inFlight.add(String(order.salesorderid).toLowerCase());
      }
    }
    this.saveState();
    this.unsubscribe = this.store.subscribe((changes) => this.onChanges(changes));
    this.applyClock();
  }

  /** The clock mode. */
  get mode(): ScmClockMode {
    return this.modeValue;
  }

  /** Time between steps in `demo` mode. */
  get intervalMs(): number {
    return this.interval;
  }

  /** Switches the clock. `intervalMs` applies to `demo` mode. */
  setClock(mode: ScmClockMode, intervalMs?: number): void {
    if (intervalMs !== undefined) {
      if (!Number.isFinite(intervalMs) || intervalMs < 10) throw new Error('intervalMs must be at least 10.');
      this.interval = intervalMs;
    }
    this.modeValue = mode;
    this.applyClock();
  }

  /** The orders in flight and where they are. */
  orders(): ScmOrderState[] {
    const result: ScmOrderState[] = [];
    for (const id of this.inFlight) {
      const order = this.store.get('salesorder', id);
      if (order) result.push(this.describe(order));
    }
    return result;
  }

  /** Where one order is (in flight or not); `undefined` when it does not exist. */
  order(orderId: string): ScmOrderState | undefined {
    const order = this.store.get('salesorder', orderId);
    return order ? this.describe(order) : undefined;
  }

  /**
   * Moves orders on: every order in flight by `steps` steps, or only `orderId` (which need not be in flight: a
   * seeded open order can be moved too, as long as its status is on its path).
   * @returns what moved, step by step.
   */
  advance(options: { steps?: number; orderId?: string } = {}): ScmMove[] {
    const steps = options.steps ?? 1;
    const moves: ScmMove[] = [];
    for (let i = 0; i < steps; i++) {
      const ids = options.orderId ? [options.orderId.toLowerCase()] : [...this.inFlight];
      let moved = false;
      for (const id of ids) {
        const move = this.step(id);
        if (move) {
          moves.push(move);
          moved = true;
        }
      }
      if (!moved) break;
    }
    this.saveState();
    return moves;
  }

  /** Stops the clock and the store subscription. Idempotent. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe();
  }

  /** Answers `/emulator/scm…`, or returns `undefined` for any other path. */
  control(request: EmulatorRequest): EmulatorResponse | undefined {
    const path = request.url.pathname;
    if (path !== '/emulator/scm' && !path.startsWith('/emulator/scm/')) return undefined;
    const state = () => ({ mode: this.mode, intervalMs: this.intervalMs, inFlight: this.orders() });
    if (path === '/emulator/scm' && request.method === 'GET') return controlJson(state());
    if (request.method !== 'POST') return controlError(`Method ${request.method} is not allowed on ${path}.`, 405);
    let body: Record<string, unknown>;
    try {
      body = controlBody(request);
    } catch (error) {
      return controlError(error instanceof Error ? error.message : String(error));
    }
    if (path === '/emulator/scm/advance') {
      const { steps, orderId } = body;
      if (steps !== undefined && (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > 1000)) {
        return controlError('steps must be a whole number from 1 to 1000.');
      }
      if (orderId !== undefined && typeof orderId !== 'string') return controlError('orderId must be a GUID string.');
      if (orderId !== undefined && !this.store.get('salesorder', orderId)) {
        return controlError(`salesorder With Id = ${orderId} Does Not Exist`, 404);
      }
      const moves = this.advance({ steps: steps as number | undefined, orderId: orderId as string | undefined });
      return controlJson({ moves, ...(orderId ? { order: this.order(orderId as string) } : {}), ...state() });
    }
    if (path === '/emulator/scm/clock') {
      const { mode, intervalMs } = body;
      if (mode !== undefined && mode !== 'demo' && mode !== 'manual') return controlError('mode must be "demo" or "manual".');
      if (intervalMs !== undefined && (typeof intervalMs !== 'number' || intervalMs < 10)) {
        return controlError('intervalMs must be a number of milliseconds, at least 10.');
      }
      this.setClock((mode as ScmClockMode | undefined) ?? this.mode, intervalMs as number | undefined);
      return controlJson(state());
    }
    return controlError(`Unknown SCM control ${path}.`, 404);
  }

  /** The pipeline step answering `/emulator/scm…`; every other request goes to `next`. */
  readonly middleware: EmulatorMiddleware = async (request, next) => this.control(request) ?? next(request);

  // -------------------------------------------------------------------------------------------------------------

  private applyClock(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.closed || this.modeValue !== 'demo') return;
    this.timer = setInterval(() => this.tick(), this.interval);
    // In Node, a demo clock must not keep the process alive on its own.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private tick(): void {
    if (this.inFlight.size === 0) return;
    try {
      const moves = this.advance({ steps: 1 });
      if (moves.length) this.onMove?.(moves);
    } catch (error) {
      // A failed step (e.g. the store refused a write) is retried on the next tick.
      console.error('[emulator] SCM step failed:', error);
    }
  }

  private awaitsPickUp(order: StoredRow): boolean {
    return order.msdyn_ordertype === OrderType.SyncToScm && !str(order.msdyn_salesordernumber);
  }

  private onChanges(changes: readonly StoreChange[]): void {
    let changed = false;
    for (const change of changes) {
      if (change.table !== 'salesorder') continue;
      if (change.kind === 'delete') {
        changed = this.inFlight.delete(change.id) || changed;
      } else if (this.awaitsPickUp(change.row) && !this.inFlight.has(change.id)) {
        this.inFlight.add(change.id);
        changed = true;
      }
    }
    if (changed) this.saveState();
  }

  private saveState(): void {
    this.stateStorage?.save([...this.inFlight]);
  }

  private describe(order: StoredRow): ScmOrderState {
    const orderId = String(order.salesorderid).toLowerCase();
    return {
      orderId,
      salesOrderNumber: str(order.msdyn_salesordernumber) ?? null,
      status: this.statusOf(order),
      scenario: scmScenarioOf(orderId),
      next: this.nextStatusOf(order),
    };
  }

  private statusOf(order: StoredRow): ProcessingStatus | null {
    const status = order.msdyn_processingstatus;
    return typeof status === 'number' ? (status as ProcessingStatus) : null;
  }

  /** The status the next step gives this order, or `null` when there is none. */
  private nextStatusOf(order: StoredRow): ProcessingStatus | null {
    if (order.msdyn_ordertype !== OrderType.SyncToScm) return null;
    const path = scmPathOf(String(order.salesorderid));
    if (!str(order.msdyn_salesordernumber)) return path[0];
    const at = path.indexOf(this.statusOf(order) as ProcessingStatus);
    if (at < 0 || at === path.length - 1) return null;
    return path[at + 1];
  }

  /** Moves one order one step, in one transaction. */
  private step(orderId: string): ScmMove | undefined {
    const order = this.store.get('salesorder', orderId);
    if (!order) {
      this.inFlight.delete(orderId);
      return undefined;
    }
    const next = this.nextStatusOf(order);
    if (next === null) {
      this.inFlight.delete(orderId);
      return undefined;
    }
    const from = str(order.msdyn_salesordernumber) ? this.statusOf(order) : null;
    const move = this.host.write((writer) => {
      const now = this.host.now();
      switch (next) {
        case ProcessingStatus.Active:
          return this.pickUp(writer, order, now);
        case ProcessingStatus.PartiallyDelivered:
          this.deliver(writer, order, 'partially');
          break;
        case ProcessingStatus.Delivered:
          this.deliver(writer, order, 'fully');
          break;
        case ProcessingStatus.Invoiced:
          return this.invoice(writer, order, now);
        case ProcessingStatus.Cancelled:
          this.cancel(writer, order);
          break;
        default:
          break;
      }
      writer.update('salesorder', orderId, { msdyn_processingstatus: next });
      return { orderId, salesOrderNumber: String(order.msdyn_salesordernumber), from, to: next } satisfies ScmMove;
    });
    if (this.nextStatusOf(this.store.get('salesorder', orderId) ?? order) === null) this.inFlight.delete(orderId);
    else this.inFlight.add(orderId);
    return move;
  }

  private linesOf(reader: StoreReader, orderId: string): StoredRow[] {
    return reader
      .findBy('salesorderdetail', 'salesorderid', orderId)
      .slice()
      .sort((a, b) => num(a.sequencenumber) - num(b.sequencenumber));
  }

  /** The price list item amount for a product in a unit on a price list; falls back to the product's list price. */
  private confirmedPrice(reader: StoreReader, priceListId: string | undefined, line: StoredRow): number | undefined {
    const productId = idOf(line.productid);
    if (!productId) return undefined;
    const unitId = idOf(line.uomid);
    const items = reader.findBy('productpricelevel', 'productid', productId)
      .filter((item) => idOf(item.pricelevelid) === priceListId);
    const item = items.find((i) => idOf(i.uomid) === unitId) ?? items[0];
    if (item && typeof item.amount === 'number') return item.amount;
    const product = reader.get('product', productId);
    return typeof product?.price === 'number' ? product.price : undefined;
  }

  /** The account number of the order's customer (for its tax rate and terms of payment). */
  private accountNumberOf(reader: StoreReader, order: StoredRow): string | undefined {
    const customerId = idOf(order.customerid);
    return str((customerId ? reader.get('account', customerId) : undefined)?.accountnumber);
  }

  /** Pick-up by SCM: number, confirmed prices, tax, totals and dates. */
  private pickUp(writer: SystemWriter, order: StoredRow, now: Date): ScmMove {
    const orderId = String(order.salesorderid).toLowerCase();
    const { next, width } = this.salesOrderSequence;
    const salesOrderNumber = `SO-${String(next).padStart(width, '0')}`;

    // Confirmed dates: ship so as to arrive on the requested receipt date, but not before tomorrow.
    const requested = str(order.msdyn_requestedreceiptdate) ?? str(order.requestdeliveryby);
    const earliestShip = addDays(now, 1);
    let ship = requested ? addDays(new Date(`${requested.slice(0, 10)}T00:00:00Z`), -TRANSPORT_DAYS) : addDays(now, 5);
    if (Number.isNaN(ship.getTime()) || ship < earliestShip) ship = earliestShip;
    const confirmedShippingDate = isoDate(ship);
    const confirmedReceiptDate = isoDate(addDays(ship, TRANSPORT_DAYS));

    const priceListId = idOf(order.pricelevelid);
    const taxRate = taxRateOf(this.accountNumberOf(writer, order));
    // Amounts in cents, rounded per line, as SCM (and the seed) computes them.
    let lineCents = 0;
    let discountCents = 0;
    let taxCents = 0;
    for (const line of this.linesOf(writer, orderId)) {
      const quantity = num(line.quantity);
      const price = this.confirmedPrice(writer, priceListId, line) ?? num(line.priceperunit);
      const base = Math.round(quantity * Math.round(price * 100));
      const percentage = num(line.msdyn_linediscountpercentage);
      const discount = percentage ? Math.round((base * percentage) / 100) : Math.round(num(line.msdyn_linediscountamount) * 100);
      const extended = base - discount;
      const tax = Math.round(extended * taxRate);
      lineCents += extended;
      discountCents += discount;
      taxCents += tax;
      const product = idOf(line.productid) ? writer.get('product', idOf(line.productid)!) : undefined;
      writer.update('salesorderdetail', String(line.salesorderdetailid), {
        // What SCM fills in on a line that came in bare from the portal.
        msdyn_linedescription: str(line.msdyn_linedescription) ?? str(product?.name) ?? null,
        transactioncurrencyid: line.transactioncurrencyid ?? order.transactioncurrencyid ?? null,
        msdyn_company: line.msdyn_company ?? order.msdyn_company ?? null,
        msdyn_requestedreceiptdate: line.msdyn_requestedreceiptdate ?? order.msdyn_requestedreceiptdate ?? null,
        priceperunit: price,
        ispriceoverridden: false,
        baseamount: base / 100,
        msdyn_linediscountamount: discount / 100,
        extendedamount: extended / 100,
        tax: tax / 100,
        msdyn_linestatus: LineStatus.Backorder,
        quantityshipped: 0,
        quantitybackordered: quantity,
        quantitycancelled: 0,
        msdyn_confirmedshippingdate: confirmedShippingDate,
        msdyn_confirmedreceiptdate: confirmedReceiptDate,
      });
    }
    const freightCents = Math.round(num(order.freightamount) * 100);
    const customerId = idOf(order.customerid);
    const account = customerId ? writer.get('account', customerId) : undefined;
    writer.update('salesorder', orderId, {
      msdyn_salesordernumber: salesOrderNumber,
      // The invoice account defaults to the customer, the delivery name to the customer's name (SCM's defaults).
      msdyn_invoicecustomerid: order.msdyn_invoicecustomerid ?? order.customerid ?? null,
      shipto_name: str(order.shipto_name) ?? str(account?.name) ?? null,
      msdyn_processingstatus: ProcessingStatus.Active,
      totallineitemamount: lineCents / 100,
      totaldiscountamount: discountCents / 100,
      totaltax: taxCents / 100,
      freightamount: freightCents / 100,
      totalamount: (lineCents + taxCents + freightCents) / 100,
      msdyn_confirmedshippingdate: confirmedShippingDate,
      msdyn_confirmedreceiptdate: confirmedReceiptDate,
    });
    // Only now that the writes went through: a failed transaction must not use up a number.
    this.salesOrderSequence = { next: next + 1, width };
    return { orderId, salesOrderNumber, from: null, to: ProcessingStatus.Active };
  }

  /**
   * Packing slip: `partially` ships the first half of the lines (rounded up) — or, for a one-line order, half of
   * its quantity (rounded down) — and leaves the rest backordered; `fully` ships everything still open.
   */
  private deliver(writer: SystemWriter, order: StoredRow, extent: 'partially' | 'fully'): void {
    const lines = this.linesOf(writer, String(order.salesorderid)).filter((l) => l.msdyn_linestatus !== LineStatus.Cancelled);
    lines.forEach((line, index) => {
      const quantity = num(line.quantity);
      const cancelled = num(line.quantitycancelled);
      let shipped = quantity - cancelled;
      if (extent === 'partially') {
        if (lines.length === 1) shipped = Math.floor(quantity / 2);
        else if (index >= Math.ceil(lines.length / 2)) shipped = num(line.quantityshipped);
      }
      const open = round2(quantity - cancelled - shipped);
      writer.update('salesorderdetail', String(line.salesorderdetailid), {
        quantityshipped: shipped,
        quantitybackordered: open,
        msdyn_linestatus: open > 0 ? LineStatus.Backorder : LineStatus.Delivered,
      });
    });
  }

  /** Cancellation: what is still open is cancelled. */
  private cancel(writer: SystemWriter, order: StoredRow): void {
    for (const line of this.linesOf(writer, String(order.salesorderid))) {
      const quantity = num(line.quantity);
      const shipped = num(line.quantityshipped);
      writer.update('salesorderdetail', String(line.salesorderdetailid), {
        quantitycancelled: round2(quantity - shipped),
        quantitybackordered: 0,
        msdyn_linestatus: shipped > 0 ? LineStatus.Delivered : LineStatus.Cancelled,
      });
    }
  }

  /**
   * Invoice: one invoice (next `CIV-` number) with a line per delivered order line, created through the Web API
   * payload path (binds, deep insert of `invoice_details`, Dataverse's autonumber for `invoicenumber`); the order
   * lines become Invoiced.
   */
  private invoice(writer: SystemWriter, order: StoredRow, now: Date): ScmMove {
    const orderId = String(order.salesorderid).toLowerCase();
    const { next, width } = this.invoiceSequence;
    const invoiceNumber = `CIV-${String(next).padStart(width, '0')}`;
    const invoiceId = newGuid();
    const accountNumber = this.accountNumberOf(writer, order);
    const taxRate = taxRateOf(accountNumber);
    const { invoice: invoiceDef, invoicedetail: detailDef } = tableDefs;

    let lineCents = 0;
    let discountCents = 0;
    let taxCents = 0;
    const details: Record<string, unknown>[] = [];
    for (const line of this.linesOf(writer, orderId)) {
      const quantity = num(line.quantityshipped) || num(line.quantity);
      if (quantity <= 0 || line.msdyn_linestatus === LineStatus.Cancelled) continue;
      const whole = quantity === num(line.quantity);
      const price = num(line.priceperunit);
      const base = whole ? Math.round(num(line.baseamount) * 100) : Math.round(quantity * Math.round(price * 100));
      const discount = whole
        ? Math.round(num(line.msdyn_linediscountamount) * 100)
        : Math.round((num(line.msdyn_linediscountamount) * 100 * quantity) / num(line.quantity));
      const extended = base - discount;
      const tax = whole ? Math.round(num(line.tax) * 100) : Math.round(extended * taxRate);
      lineCents += extended;
      discountCents += discount;
      taxCents += tax;
      details.push({
        ...bind(detailDef, 'salesorderdetailid', { id: String(line.salesorderdetailid), table: 'salesorderdetail' }),
        ...bind(detailDef, 'productid', line.productid),
        ...bind(detailDef, 'uomid', line.uomid),
        ...bind(detailDef, 'transactioncurrencyid', line.transactioncurrencyid ?? order.transactioncurrencyid),
        invoicedetailname: str(line.msdyn_linedescription) ?? null,
        sequencenumber: details.length + 1,
        quantity,
        priceperunit: price,
        baseamount: base / 100,
        manualdiscountamount: discount / 100,
        extendedamount: extended / 100,
        tax: tax / 100,
      });
      writer.update('salesorderdetail', String(line.salesorderdetailid), { msdyn_linestatus: LineStatus.Invoiced });
    }
    const freightCents = Math.round(num(order.freightamount) * 100);
    const customerId = idOf(order.customerid);
    const account = customerId ? writer.get('account', customerId) : undefined;
    const billTo = (accountColumn: string, orderColumn: string) => str(account?.[accountColumn]) ?? str(order[orderColumn]) ?? null;
    writer.createFromPayload('invoice', {
      invoiceid: invoiceId,
      name: invoiceNumber,
      msdyn_invoicenumber: invoiceNumber,
      msdyn_invoicedate: isoDate(now),
      duedate: isoDate(addDays(now, paymentDaysOf(accountNumber))),
      ...bind(invoiceDef, 'salesorderid', { id: orderId, table: 'salesorder' }),
      ...bind(invoiceDef, 'customerid', order.customerid),
      ...bind(invoiceDef, 'transactioncurrencyid', order.transactioncurrencyid),
      ...bind(invoiceDef, 'pricelevelid', order.pricelevelid),
      msdyn_ordertype: order.msdyn_ordertype ?? OrderType.SyncToScm,
      totallineitemamount: lineCents / 100,
      totaldiscountamount: discountCents / 100,
      totaltax: taxCents / 100,
      freightamount: freightCents / 100,
      totalamount: (lineCents + taxCents + freightCents) / 100,
      billto_name: str(account?.name) ?? str(order.shipto_name) ?? null,
      billto_line1: billTo('address2_line1', 'shipto_line1'),
      billto_city: billTo('address2_city', 'shipto_city'),
      billto_stateorprovince: billTo('address2_stateorprovince', 'shipto_stateorprovince'),
      billto_postalcode: billTo('address2_postalcode', 'shipto_postalcode'),
      billto_country: billTo('address2_country', 'shipto_country'),
      statecode: InvoiceState.Active,
      statuscode: InvoiceStatusReason.Billed,
      invoice_details: details,
    });
    writer.update('salesorder', orderId, { msdyn_processingstatus: ProcessingStatus.Invoiced });
    this.invoiceSequence = { next: next + 1, width };
    return { orderId, salesOrderNumber: String(order.msdyn_salesordernumber), from: this.statusOf(order), to: ProcessingStatus.Invoiced, invoiceId };
  }
}
