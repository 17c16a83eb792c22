/**
 * An order being written: the draft the order form edits, its validation rules, and where it is kept so that a
 * reload or a crash loses nothing.
 *
 * ## Problems are codes, not sentences
 * Every rule that fails returns a problem code with its parameters (`{ code: 'too-early', earliest: '2026-03-31' }`,
 * `{ code: 'too-many-decimals', unit: 'kg', decimals: 2 }`), never a sentence: this layer knows nothing of the
 * interface language. The order form words each code in the customer's language (which field, why, what to do).
 *
 * ## The order's id is chosen when the draft starts
 * {@link newDraft} picks the order's GUID. Submitting sends it as the new row's primary key (the client's safe
 * create), so every retry of the same draft — automatic, after a reload, or the customer pressing Submit again —
 * names the same order and can never create a second one.
 *
 * ## Where the draft is kept: `sessionStorage`
 * Under `scm-order-draft:v1:<contact id>`, written on every change. `sessionStorage` rather than `localStorage`:
 * - it survives reloads and is restored with the tab after a browser crash, which is what "nothing lost" needs;
 * - it belongs to one tab: two tabs never share (and fight over) one draft and its order id, and a draft never
 *   surfaces days later in another tab with outdated prices;
 * - it is gone when the tab closes, which matters on shared computers (order details are business data).
 * The key carries the contact id, so another person signing in on the same tab does not get the draft. Only the
 * form's own data is stored — never a token, a cookie or anything of the session.
 *
 * @module
 */
import { isGuid, newGuid, normalizeGuid } from '../dataverse/guid.js';
import type { SellableProduct, SalesUnit } from './products.js';
import type { PortalSession } from './session.js';

// ---------------------------------------------------------------------------------------------------------------
// The draft

/** The steps of the order form. */
export type OrderStep = 'information' | 'items' | 'review';

/** Every step, in order. */
export const ORDER_STEPS: readonly OrderStep[] = ['information', 'items', 'review'];

/** A line of the order. */
export interface DraftLine {
  /** A local key, stable while the draft lives (for rendering and errors). */
  readonly key: string;
  readonly productId: string;
  readonly itemNumber: string;
  readonly productName: string;
  /** The units the product is sold in (empty when it is no longer sellable). */
  readonly units: readonly SalesUnit[];
  readonly unitId: string;
  /** The quantity as the customer typed it (validated by {@link checkQuantity}). */
  readonly quantity: string;
  /** True when the product is no longer on the customer's price list (it must be removed to submit). */
  readonly notSellable?: boolean;
}

/** A delivery address typed for this order only. */
export interface OneTimeAddress {
  /** What to call it ("Site office, Pier 4"); becomes the delivery address description. */
  readonly description: string;
  readonly line1: string;
  readonly line2: string;
  readonly city: string;
  readonly stateOrProvince: string;
  readonly postalCode: string;
}

/** The item being added (the Product combobox, Quantity and Unit), kept so a reload restores it too. */
export interface PendingItem {
  /** The text in the Product field. */
  readonly query: string;
  /** The product chosen from the list, if any. */
  readonly product: SellableProduct | null;
  readonly quantity: string;
  readonly unitId: string;
}

/** `deliveryAddressId` of a one-time address. */
export const ONE_TIME_ADDRESS = 'one-time';

/** Everything the order form keeps about an order being written. */
export interface OrderDraft {
  readonly version: 1;
  /** The GUID the order will have (chosen when the draft started; never changes). */
  readonly orderId: string;
  readonly contactId: string;
  readonly accountId: string;
  /** When the draft started (ISO 8601). */
  readonly startedAt: string;
  readonly step: OrderStep;
  /** `YYYY-MM-DD`, or `''`. */
  readonly requestedReceiptDate: string;
  /** An address id from the address book, {@link ONE_TIME_ADDRESS}, or `''` (none chosen). */
  readonly deliveryAddressId: string;
  readonly oneTimeAddress: OneTimeAddress;
  readonly customerReference: string;
  readonly requisitionNumber: string;
  readonly lines: readonly DraftLine[];
  readonly pending: PendingItem;
  /** The text of the quick-add box (bad lines stay there for editing). */
  readonly quickAddText: string;
  /** The host prefill (`lines` property) already applied to this draft, so a reload does not apply it twice. */
  readonly prefillKey?: string;
  /** Set when a submission started (ISO 8601): after a reload, the form first checks whether it went through. */
  readonly submitStartedAt?: string;
}

const EMPTY_ONE_TIME: OneTimeAddress = { description: '', line1: '', line2: '', city: '', stateOrProvince: '', postalCode: '' };
const EMPTY_PENDING: PendingItem = { query: '', product: null, quantity: '', unitId: '' };

/** A new, empty draft for the session's contact and account, with the order's GUID chosen now. */
export function newDraft(session: Pick<PortalSession, 'contact' | 'account'>, now: Date = new Date()): OrderDraft {
  return {
    version: 1,
    orderId: newGuid(),
    contactId: normalizeGuid(session.contact.id),
    accountId: normalizeGuid(session.account.id),
    startedAt: now.toISOString(),
    step: 'information',
    requestedReceiptDate: '',
    deliveryAddressId: '',
    oneTimeAddress: EMPTY_ONE_TIME,
    customerReference: '',
    requisitionNumber: '',
    lines: [],
    pending: EMPTY_PENDING,
    quickAddText: '',
  };
}

/** A new local key for a line. */
export function newLineKey(): string {
  return newGuid().slice(0, 8);
}

// ---------------------------------------------------------------------------------------------------------------
// Keeping the draft

/** The storage key of a contact's draft. */
export function draftStorageKey(contactId: string): string {
  return `scm-order-draft:v1:${normalizeGuid(contactId)}`;
}

const str = (value: unknown): value is string => typeof value === 'string';

function isUnit(value: unknown): value is SalesUnit {
  const u = value as SalesUnit;
  return (
    typeof u === 'object' && u !== null && isGuid(u.id) && str(u.symbol) && str(u.name) &&
    Number.isInteger(u.decimals) && (u.unitPrice === null || typeof u.unitPrice === 'number')
  );
}

function isProduct(value: unknown): value is SellableProduct {
  const p = value as SellableProduct;
  return typeof p === 'object' && p !== null && isGuid(p.id) && str(p.itemNumber) && str(p.name) && Array.isArray(p.units) && p.units.every(isUnit);
}

function isLine(value: unknown): value is DraftLine {
  const l = value as DraftLine;
  return (
    typeof l === 'object' && l !== null && str(l.key) && isGuid(l.productId) && str(l.itemNumber) && str(l.productName) &&
    Array.isArray(l.units) && l.units.every(isUnit) && str(l.unitId) && str(l.quantity)
  );
}

/** Reads a stored draft back, or `null` when the text is not a draft this version wrote. */
export function parseDraft(text: string | null): OrderDraft | null {
  if (!text) return null;
  let value: Partial<OrderDraft>;
  try {
    value = JSON.parse(text) as Partial<OrderDraft>;
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || value.version !== 1) return null;
  if (!isGuid(value.orderId) || !isGuid(value.contactId) || !isGuid(value.accountId)) return null;
  if (!ORDER_STEPS.includes(value.step as OrderStep)) return null;
  const oneTime = value.oneTimeAddress as Partial<OneTimeAddress> | undefined;
  const pending = value.pending as Partial<PendingItem> | undefined;
  const lines = Array.isArray(value.lines) ? value.lines.filter(isLine) : [];
  const text_ = (v: unknown) => (str(v) ? v : '');
  return {
    version: 1,
    orderId: normalizeGuid(value.orderId),
    contactId: normalizeGuid(value.contactId),
    accountId: normalizeGuid(value.accountId),
    startedAt: text_(value.startedAt),
    step: value.step as OrderStep,
    requestedReceiptDate: text_(value.requestedReceiptDate),
    deliveryAddressId: text_(value.deliveryAddressId),
    oneTimeAddress: {
      description: text_(oneTime?.description),
      line1: text_(oneTime?.line1),
      line2: text_(oneTime?.line2),
      city: text_(oneTime?.city),
      stateOrProvince: text_(oneTime?.stateOrProvince),
      postalCode: text_(oneTime?.postalCode),
    },
    customerReference: text_(value.customerReference),
    requisitionNumber: text_(value.requisitionNumber),
    lines,
    pending: {
      query: text_(pending?.query),
      product: isProduct(pending?.product) ? pending.product : null,
      quantity: text_(pending?.quantity),
      unitId: text_(pending?.unitId),
    },
    quickAddText: text_(value.quickAddText),
    ...(str(value.prefillKey) ? { prefillKey: value.prefillKey } : {}),
    ...(str(value.submitStartedAt) ? { submitStartedAt: value.submitStartedAt } : {}),
  };
}

/** The browser's `sessionStorage`, or `undefined` where it is unavailable (blocked storage, server rendering). */
function defaultStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * Keeps drafts in `sessionStorage` (see the module comment for why), one per contact. Storage failures (quota,
 * storage disabled) never break the form: the draft then lives in memory only.
 */
export class DraftStore {
  constructor(private readonly storage: Storage | undefined = defaultStorage()) {}

  /** The contact's draft, if one is stored for this account; a draft of another account is discarded. */
  load(session: Pick<PortalSession, 'contact' | 'account'>): OrderDraft | null {
    let text: string | null = null;
    try {
      text = this.storage?.getItem(draftStorageKey(session.contact.id)) ?? null;
    } catch {
      return null;
    }
    const draft = parseDraft(text);
    if (!draft) return null;
    if (draft.contactId !== normalizeGuid(session.contact.id) || draft.accountId !== normalizeGuid(session.account.id)) {
      this.clear(session.contact.id);
      return null;
    }
    return draft;
  }

  /** Stores the draft (returns `false` when the browser refused). */
  save(draft: OrderDraft): boolean {
    try {
      if (!this.storage) return false;
      this.storage.setItem(draftStorageKey(draft.contactId), JSON.stringify(draft));
      return true;
    } catch {
      return false;
    }
  }

  /** Forgets the contact's draft (after a successful submission, or when the customer starts over). */
  clear(contactId: string): void {
    try {
      this.storage?.removeItem(draftStorageKey(contactId));
    } catch {
      // Nothing stored, nothing to clear.
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

/** `YYYY-MM-DD` of a day in the user's time zone. */
export function localDay(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `day` (`YYYY-MM-DD`) plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return localDay(new Date(year, month - 1, date + days));
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(year, month - 1, date);
  return probe.getFullYear() === year && probe.getMonth() === month - 1 && probe.getDate() === date;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

/** Most characters of the customer reference and the requisition number (Dataverse's default text length). */
export const MAX_REFERENCE_LENGTH = 100;

/** Fields of the Order information step that can have an error. */
export type InformationField =
  | 'requestedReceiptDate'
  | 'deliveryAddress'
  | 'oneTimeDescription'
  | 'oneTimeLine1'
  | 'oneTimeCity'
  | 'oneTimePostalCode'
  | 'customerReference'
  | 'requisitionNumber';

/**
 * Why a field of the Order information step is not accepted. Which field it is comes with it (the key of
 * {@link InformationErrors}):
 * - `required` — the field is empty (the receipt date, the delivery address, a required line of a one-time address);
 * - `not-a-date` — the receipt date is not a calendar date;
 * - `in-the-past` — the receipt date is before today;
 * - `too-early` — the receipt date is before `earliest` (`YYYY-MM-DD`), the earliest date allowed;
 * - `no-longer-available` — the chosen delivery address is no longer among the customer's;
 * - `too-long` — the text has more than `max` characters.
 */
export type InformationProblem =
  | { readonly code: 'required' }
  | { readonly code: 'not-a-date' }
  | { readonly code: 'in-the-past' }
  | { readonly code: 'too-early'; readonly earliest: string }
  | { readonly code: 'no-longer-available' }
  | { readonly code: 'too-long'; readonly max: number };

/** Field → problem, for the fields that break a rule. */
export type InformationErrors = Partial<Record<InformationField, InformationProblem>>;

/** The rules of the Order information step. */
export interface InformationRules {
  /** Today in the user's time zone (`YYYY-MM-DD`). */
  readonly today: string;
  /** The earliest requested receipt date is today plus this many days (0: today). */
  readonly earliestDays: number;
  /** Ids of the addresses the customer can choose (a stored id that is no longer offered is an error). */
  readonly addressIds: readonly string[];
}

/** The earliest requested receipt date allowed (`YYYY-MM-DD`). */
export function earliestReceiptDate(rules: Pick<InformationRules, 'today' | 'earliestDays'>): string {
  const days = Number.isFinite(rules.earliestDays) ? Math.max(0, Math.floor(rules.earliestDays)) : 0;
  return addDays(rules.today, days);
}

/** Checks the Order information step; returns a problem per field that breaks a rule (empty when all is well). */
export function validateInformation(draft: OrderDraft, rules: InformationRules): InformationErrors {
  const errors: InformationErrors = {};
  const date = draft.requestedReceiptDate.trim();
  const earliest = earliestReceiptDate(rules);
  if (date === '') errors.requestedReceiptDate = { code: 'required' };
  else if (!isDay(date)) errors.requestedReceiptDate = { code: 'not-a-date' };
  else if (date < rules.today) errors.requestedReceiptDate = { code: 'in-the-past' };
  else if (date < earliest) errors.requestedReceiptDate = { code: 'too-early', earliest };

  if (draft.deliveryAddressId === '') {
    errors.deliveryAddress = { code: 'required' };
  } else if (draft.deliveryAddressId === ONE_TIME_ADDRESS) {
    const a = draft.oneTimeAddress;
    if (a.description.trim() === '') errors.oneTimeDescription = { code: 'required' };
    if (a.line1.trim() === '') errors.oneTimeLine1 = { code: 'required' };
    if (a.city.trim() === '') errors.oneTimeCity = { code: 'required' };
    if (a.postalCode.trim() === '') errors.oneTimePostalCode = { code: 'required' };
  } else if (!rules.addressIds.includes(draft.deliveryAddressId)) {
    errors.deliveryAddress = { code: 'no-longer-available' };
  }

  if (draft.customerReference.length > MAX_REFERENCE_LENGTH) {
    errors.customerReference = { code: 'too-long', max: MAX_REFERENCE_LENGTH };
  }
  if (draft.requisitionNumber.length > MAX_REFERENCE_LENGTH) {
    errors.requisitionNumber = { code: 'too-long', max: MAX_REFERENCE_LENGTH };
  }
  return errors;
}

/**
 * A number as typed on any keyboard, in ASCII: full-width digits and separators (a Japanese input method) and
 * Arabic-Indic digits with the Arabic decimal separator (an Arabic keyboard) become `0-9`, `.` and `,`.
 */
function asciiDigits(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, '.');
}

/**
 * Reads a quantity as typed: digits with one optional decimal separator (`.` or `,`), no thousands separators,
 * no sign. Full-width and Arabic-Indic digits are read too. Returns `null` for anything else.
 */
export function parseQuantity(text: string): number | null {
  const value = asciiDigits(text).trim();
  if (!/^\d+([.,]\d+)?$/.test(value) && !/^[.,]\d+$/.test(value)) return null;
  const n = Number(value.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/** Decimals written in a quantity as typed (`2.50` → 2). */
function decimalsTyped(text: string): number {
  const match = /[.,](\d+)$/.exec(asciiDigits(text).trim());
  return match ? match[1]!.replace(/0+$/, '').length : 0;
}

/**
 * Why a quantity is not accepted:
 * - `missing` — nothing typed;
 * - `not-a-number` — not digits with at most one decimal separator;
 * - `not-positive` — 0;
 * - `too-large` — more than `max` ({@link MAX_QUANTITY});
 * - `whole-units-only` — decimals typed for a `unit` (its symbol) sold in whole units only;
 * - `too-many-decimals` — more decimals than the `unit` (its symbol) allows (`decimals`).
 */
export type QuantityProblem =
  | { readonly code: 'missing' }
  | { readonly code: 'not-a-number' }
  | { readonly code: 'not-positive' }
  | { readonly code: 'too-large'; readonly max: number }
  | { readonly code: 'whole-units-only'; readonly unit: string }
  | { readonly code: 'too-many-decimals'; readonly unit: string; readonly decimals: number };

/** A checked quantity: its value, or what is wrong with it. */
export type QuantityCheck = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly problem: QuantityProblem };

/** Largest quantity accepted on one line (Dataverse's decimal column limit is far above any real order). */
export const MAX_QUANTITY = 1_000_000_000;

/** Checks a quantity against the rules: a number, more than 0, with no more decimals than the unit allows. */
export function checkQuantity(text: string, unit: Pick<SalesUnit, 'symbol' | 'decimals'> | undefined): QuantityCheck {
  if (text.trim() === '') return { ok: false, problem: { code: 'missing' } };
  const value = parseQuantity(text);
  if (value === null) return { ok: false, problem: { code: 'not-a-number' } };
  if (value <= 0) return { ok: false, problem: { code: 'not-positive' } };
  if (value > MAX_QUANTITY) return { ok: false, problem: { code: 'too-large', max: MAX_QUANTITY } };
  if (unit) {
    const allowed = unit.decimals;
    if (decimalsTyped(text) > allowed) {
      return {
        ok: false,
        problem: allowed === 0 ? { code: 'whole-units-only', unit: unit.symbol } : { code: 'too-many-decimals', unit: unit.symbol, decimals: allowed },
      };
    }
  }
  return { ok: true, value };
}

/** The unit of a line. */
export function unitOf(line: Pick<DraftLine, 'units' | 'unitId'>): SalesUnit | undefined {
  return line.units.find((unit) => unit.id === line.unitId);
}

/**
 * Why a line cannot be ordered as it stands:
 * - `not-sellable` — its `product` (item number, else name) is no longer sold to the customer: remove it;
 * - `no-unit` — no unit is chosen (or the chosen one is no longer on the price list);
 * - `quantity` — the quantity breaks a rule (see {@link QuantityProblem}).
 */
export type LineProblem =
  | { readonly code: 'not-sellable'; readonly product: string }
  | { readonly code: 'no-unit' }
  | { readonly code: 'quantity'; readonly quantity: QuantityProblem };

/** Line key → problem, for lines that break a rule, plus the problem of the list as a whole. */
export interface LineErrors {
  readonly lines: ReadonlyMap<string, LineProblem>;
  /** `no-lines` when the order has no line at all. */
  readonly order?: 'no-lines';
}

/** Checks the Items step: at least one line, every line sellable with a valid quantity. */
export function validateLines(draft: Pick<OrderDraft, 'lines'>): LineErrors {
  const lines = new Map<string, LineProblem>();
  for (const line of draft.lines) {
    if (line.notSellable) {
      lines.set(line.key, { code: 'not-sellable', product: line.itemNumber || line.productName });
      continue;
    }
    const unit = unitOf(line);
    if (!unit) {
      lines.set(line.key, { code: 'no-unit' });
      continue;
    }
    const quantity = checkQuantity(line.quantity, unit);
    if (!quantity.ok) lines.set(line.key, { code: 'quantity', quantity: quantity.problem });
  }
  return draft.lines.length === 0 ? { lines, order: 'no-lines' } : { lines };
}

// ---------------------------------------------------------------------------------------------------------------
// Amounts

/** Rounds to cents (the organisation's pricing precision). */
export function roundMoney(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

/** Estimated net amount of a line (estimated unit price × quantity), or `null` when not computable. */
export function lineAmount(line: Pick<DraftLine, 'units' | 'unitId' | 'quantity' | 'notSellable'>): number | null {
  if (line.notSellable) return null;
  const unit = unitOf(line);
  const quantity = parseQuantity(line.quantity);
  if (!unit || unit.unitPrice === null || quantity === null) return null;
  return roundMoney(unit.unitPrice * quantity);
}

/** Estimated total of the lines that have an amount, and whether some line has none. */
export function draftTotal(draft: Pick<OrderDraft, 'lines'>): { readonly amount: number; readonly complete: boolean } {
  let amount = 0;
  let complete = true;
  for (const line of draft.lines) {
    const value = lineAmount(line);
    if (value === null) complete = false;
    else amount += value;
  }
  return { amount: roundMoney(amount), complete };
}

/**
 * Adds a quantity of a product to the lines: to the line with the same product and unit when there is one (the
 * quantities are added up, keeping the unit's decimals), else as a new line at the end.
 */
export function addToLines(
  lines: readonly DraftLine[],
  product: SellableProduct,
  unit: SalesUnit,
  quantity: number,
): DraftLine[] {
  const existing = lines.findIndex((line) => line.productId === product.id && line.unitId === unit.id && !line.notSellable);
  if (existing >= 0) {
    const line = lines[existing]!;
    const sum = (parseQuantity(line.quantity) ?? 0) + quantity;
    const next = lines.slice();
    next[existing] = { ...line, units: product.units, quantity: formatQuantity(sum, unit.decimals) };
    return next;
  }
  return [
    ...lines,
    {
      key: newLineKey(),
      productId: product.id,
      itemNumber: product.itemNumber,
      productName: product.name,
      units: product.units,
      unitId: unit.id,
      quantity: formatQuantity(quantity, unit.decimals),
    },
  ];
}

/** A quantity written back as text, without float noise (`0.1 + 0.2` → `0.3`). */
export function formatQuantity(value: number, decimals: number): string {
  return String(Number(value.toFixed(Math.max(0, Math.min(decimals, 10)))));
}

// ---------------------------------------------------------------------------------------------------------------
// Quick add

/** One line of the quick-add box that reads as "item number, quantity". */
export interface QuickAddEntry {
  /** 1-based line number in the box. */
  readonly lineNumber: number;
  /** The line as typed. */
  readonly text: string;
  readonly itemNumber: string;
  readonly quantityText: string;
}

/**
 * Why a line of the quick-add box was not added:
 * - `too-many-lines` — the box has more than `max` lines ({@link MAX_QUICK_ADD_LINES}): add the rest later;
 * - `no-quantity` — an item number without a quantity;
 * - `unreadable` — the line does not read as "item number, quantity";
 * - `not-on-price-list` — no product with this `itemNumber` is on the customer's price list (or it is retired);
 * - `no-sales-unit` — the product (`itemNumber`) has no unit on the price list;
 * - `quantity` — the quantity breaks a rule (see {@link QuantityProblem}).
 *
 * {@link parseQuickAdd} finds the first three; the other three come from looking the item numbers up.
 */
export type QuickAddIssue =
  | { readonly code: 'too-many-lines'; readonly max: number }
  | { readonly code: 'no-quantity' }
  | { readonly code: 'unreadable' }
  | { readonly code: 'not-on-price-list'; readonly itemNumber: string }
  | { readonly code: 'no-sales-unit'; readonly itemNumber: string }
  | { readonly code: 'quantity'; readonly quantity: QuantityProblem };

/** A line of the quick-add box that cannot be added, and why. */
export interface QuickAddProblem {
  readonly lineNumber: number;
  readonly text: string;
  readonly issue: QuickAddIssue;
}

/** Most lines read from the quick-add box at once. */
export const MAX_QUICK_ADD_LINES = 200;

/**
 * Splits the quick-add text into entries (`D0001, 5` — the item number, then a comma, semicolon, tab or spaces,
 * then the quantity) and problems for lines that do not read that way. Blank lines are skipped.
 */
export function parseQuickAdd(text: string): { entries: QuickAddEntry[]; problems: QuickAddProblem[] } {
  const entries: QuickAddEntry[] = [];
  const problems: QuickAddProblem[] = [];
  const rows = text.split(/\r?\n/);
  rows.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const lineNumber = index + 1;
    if (entries.length + problems.length >= MAX_QUICK_ADD_LINES) {
      problems.push({ lineNumber, text: line, issue: { code: 'too-many-lines', max: MAX_QUICK_ADD_LINES } });
      return;
    }
    const match = /^([^\s,;]+)\s*(?:[,;\t]|\s)\s*(\S+)$/.exec(line);
    if (!match) {
      problems.push({
        lineNumber,
        text: line,
        issue: /^[^\s,;]+\s*[,;]?$/.test(line) ? { code: 'no-quantity' } : { code: 'unreadable' },
      });
      return;
    }
    entries.push({ lineNumber, text: line, itemNumber: match[1]!, quantityText: match[2]! });
  });
  return { entries, problems };
}
