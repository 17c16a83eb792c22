/**
 * Drives `<scm-order-form>` through its user interface, as a customer would: fields found by their visible label,
 * buttons by their text, values typed with `input` events, buttons pressed with clicks. Nothing inside the element
 * is called except the read-only `step` and `orderId` getters (to name the order in the figures).
 *
 * @module
 */
import { waitUntil } from '@open-wc/testing';
import type { ScmOrderForm } from '../../../src/elements/order-form/order-form.js';
import type { AdminApi, EmulatorUser } from './target.js';

export const shadowOf = (el: Element): ShadowRoot => el.shadowRoot!;

/** Visible text of a node, whitespace collapsed. */
export const textOf = (node: Node | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The control a visible `<label>` with exactly this text is for. */
export function field<T extends HTMLElement = HTMLInputElement>(el: Element, label: string): T {
  const labels = [...shadowOf(el).querySelectorAll('label')];
  const found = labels.find((l) => textOf(l) === label);
  if (!found) throw new Error(`No field labelled "${label}" (labels: ${labels.map(textOf).join(', ')})`);
  const target = found.htmlFor ? shadowOf(el).getElementById(found.htmlFor) : found.querySelector('input, select, textarea');
  if (!target) throw new Error(`The label "${label}" names no control`);
  return target as T;
}

/** The button whose text (visually hidden text included) is exactly `name`, or `undefined`. */
export function findButton(el: Element, name: string): HTMLButtonElement | undefined {
  return [...shadowOf(el).querySelectorAll('button')].find((b) => textOf(b) === name);
}

/** The button whose text is exactly `name`. */
export function button(el: Element, name: string): HTMLButtonElement {
  const found = findButton(el, name);
  if (!found) throw new Error(`No button "${name}" (buttons: ${[...shadowOf(el).querySelectorAll('button')].map(textOf).join(' | ')})`);
  return found;
}

async function settle(el: Element): Promise<void> {
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
}

/** Types `value` into a control as a paste would (one `input` event; `change` for selects). */
export async function typeInto(el: Element, control: HTMLElement, value: string, type: 'input' | 'change' = 'input'): Promise<void> {
  (control as HTMLInputElement).value = value;
  // An event of the control's own window (the form may live in a frame).
  const realm = (control.ownerDocument.defaultView ?? window) as typeof window;
  control.dispatchEvent(new realm.Event(type, { bubbles: true, composed: true }));
  await settle(el);
}

/** Presses a button by its text. */
export async function press(el: Element, name: string): Promise<void> {
  button(el, name).click();
  await settle(el);
}

/** `YYYY-MM-DD` of today plus `days` in the browser's time zone. */
export function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const stepTitle = (el: ScmOrderForm) => textOf(shadowOf(el).querySelector('#step-title'));
const success = (el: ScmOrderForm) => shadowOf(el).querySelector('[part="success"]') !== null;

/** Waits until the form shows a step (on the first step, with the delivery addresses loaded or failed). */
export async function formReady(el: ScmOrderForm, timeout = 30000): Promise<void> {
  await waitUntil(
    () =>
      shadowOf(el).querySelector('#step-title') &&
      (el.step !== 'information' ||
        shadowOf(el).querySelectorAll('#delivery-address option:not([data-loading])').length > 2 ||
        findButton(el, 'Retry') !== undefined),
    'the order form did not load',
    { timeout },
  );
  await settle(el);
}

/** What it took to place one order. */
export interface PlacedOrder {
  /** The order's GUID (chosen when the draft started). */
  readonly id: string;
  readonly reference: string;
  readonly lines: number;
  /** Presses of Submit order by the customer (automatic retries of a busy service not counted). */
  presses: number;
  /** Automatic retries the form ran by itself after "we'll retry in N s". */
  automaticRetries: number;
  /** Every problem message the form showed next to Submit, as shown. */
  readonly problems: string[];
  /** Problems shown by quick add (the items could not be looked up), as shown. */
  readonly itemProblems: string[];
  /** Presses of Retry for the delivery addresses. */
  addressRetries: number;
}

/** One order as typed by the customer. */
export interface OrderInput {
  readonly receiptDate: string;
  readonly reference: string;
  readonly requisition: string;
  /** Quick add text: `item number, quantity` per line. */
  readonly quickAdd: string;
  /** How many lines the quick add text makes. */
  readonly lines: number;
}

/** Limits of {@link placeOrder}: a customer gives up at some point, so does the test (and says why). */
export interface PlaceOrderLimits {
  readonly maxPresses?: number;
  readonly outcomeTimeoutMs?: number;
}

/**
 * Fills in an order through the form's three steps and submits it until the form confirms it, following every
 * message the form shows as a customer would (press Submit order again; let a busy service's automatic retry
 * run; press Retry for addresses; press Add lines again). Throws, with everything shown so far, when it does not
 * get there within the limits.
 */
export async function placeOrder(el: ScmOrderForm, order: OrderInput, limits: PlaceOrderLimits = {}): Promise<PlacedOrder> {
  const maxPresses = limits.maxPresses ?? 15;
  const outcomeTimeout = limits.outcomeTimeoutMs ?? 240000;
  if (success(el)) await press(el, 'Start a new order');
  await formReady(el);
  // A draft left on a later step: back to the first one (as a customer would, with Back).
  for (let i = 0; i < 2 && el.step !== 'information'; i++) await press(el, 'Back');
  if (el.step !== 'information') throw new Error(`the form should be on Order information, not ${el.step}`);
  const placed: PlacedOrder = {
    id: el.orderId!,
    reference: order.reference,
    lines: order.lines,
    presses: 0,
    automaticRetries: 0,
    problems: [],
    itemProblems: [],
    addressRetries: 0,
  };
  const fail = (why: string) =>
    new Error(`${why} (order ${placed.id}, problems shown: ${JSON.stringify(placed.problems)}, item problems: ${JSON.stringify(placed.itemProblems)}; on screen: ${textOf(shadowOf(el)).slice(0, 600)})`);

  // Step 1: order information. The delivery address defaults to the primary one once the addresses are loaded.
  while (shadowOf(el).querySelectorAll('#delivery-address option:not([data-loading])').length <= 2) {
    const retry = findButton(el, 'Retry');
    if (!retry) {
      await waitUntil(() => shadowOf(el).querySelectorAll('#delivery-address option:not([data-loading])').length > 2 || findButton(el, 'Retry'), 'addresses', { timeout: outcomeTimeout });
      continue;
    }
    if (++placed.addressRetries > maxPresses) throw fail('the delivery addresses never loaded');
    retry.click();
    await settle(el);
    await waitUntil(() => shadowOf(el).querySelectorAll('#delivery-address option:not([data-loading])').length > 2 || findButton(el, 'Retry'), 'addresses', { timeout: outcomeTimeout });
  }
  await typeInto(el, field(el, 'Requested receipt date'), order.receiptDate);
  await typeInto(el, field(el, 'Customer reference'), order.reference);
  await typeInto(el, field(el, 'Requisition number'), order.requisition);
  await press(el, 'Next');
  if (stepTitle(el) !== 'Items') throw fail('Next did not lead to Items');

  // Step 2: items by quick add (item numbers and quantities typed in the box, then Add lines).
  const details = shadowOf(el).querySelector<HTMLDetailsElement>('details[part="quick-add"]')!;
  if (!details.open) {
    details.querySelector('summary')!.click();
    await waitUntil(() => details.open, 'quick add did not open');
    await settle(el);
  }
  await typeInto(el, field<HTMLTextAreaElement>(el, 'Item numbers and quantities'), order.quickAdd);
  let adds = 0;
  while (shadowOf(el).querySelectorAll('[part="line"]').length < order.lines) {
    if (++adds > maxPresses) throw fail('quick add never added the lines');
    await press(el, 'Add lines');
    await waitUntil(() => !/Looking up the item numbers/.test(textOf(shadowOf(el))), 'quick add did not finish', { timeout: outcomeTimeout });
    await settle(el);
    const problems = [...shadowOf(el).querySelectorAll('#quick-add-problems li')].map(textOf);
    if (problems.length > 0) placed.itemProblems.push(...problems);
  }
  await press(el, 'Next');
  if (stepTitle(el) !== 'Review and submit') throw fail('Next did not lead to Review and submit');

  // Step 3: submit until the form confirms the order.
  const waitingForRetry = () => /we'll retry in/.test(textOf(shadowOf(el).querySelector('[part="problem"]')));
  while (!success(el)) {
    if (waitingForRetry()) {
      // A busy service: the form submits again by itself when the wait is over (Submit is blocked meanwhile).
      placed.automaticRetries++;
      await waitUntil(() => success(el) || el.matches(':state(submitting)'), 'the automatic retry did not start', { timeout: outcomeTimeout });
    } else {
      if (++placed.presses > maxPresses) throw fail(`not submitted after ${maxPresses} presses of Submit order`);
      button(el, 'Submit order').click();
      await settle(el);
    }
    await waitUntil(
      () => success(el) || (!el.matches(':state(submitting)') && el.matches(':state(error)')),
      'Submit order led to neither a confirmation nor a message',
      { timeout: outcomeTimeout },
    );
    await settle(el);
    const problem = shadowOf(el).querySelector('[part="problem"]');
    if (!success(el) && problem) placed.problems.push(textOf(problem));
  }
  return placed;
}

/** A sellable product of a customer's price list (as the administrator reads it), for typing item numbers. */
export interface CatalogueItem {
  readonly productId: string;
  readonly itemNumber: string;
  readonly name: string;
  readonly unitId: string;
  readonly decimals: number;
}

/** The active products on a user's price list, by item number (read as the administrator). */
export async function catalogueOf(admin: AdminApi, user: EmulatorUser): Promise<CatalogueItem[]> {
  const contact = await admin.get<Record<string, unknown>>(`contacts(${user.contactId})?$select=_defaultpricelevelid_value`);
  const items = await admin.getAll<{
    _productid_value: string;
    _uomid_value: string;
    productid: { name: string; msdyn_productnumber: string; statecode: number };
    uomid: { msdyn_decimalprecision: number };
  }>(
    `productpricelevels?$select=_productid_value,_uomid_value&$filter=_pricelevelid_value eq ${String(contact._defaultpricelevelid_value)}` +
      `&$expand=productid($select=name,msdyn_productnumber,statecode),uomid($select=msdyn_decimalprecision)`,
  );
  const byNumber = new Map<string, CatalogueItem>();
  for (const item of items) {
    if (item.productid.statecode !== 0 || !item.productid.msdyn_productnumber) continue;
    if (byNumber.has(item.productid.msdyn_productnumber)) continue;
    byNumber.set(item.productid.msdyn_productnumber, {
      productId: item._productid_value,
      itemNumber: item.productid.msdyn_productnumber,
      name: item.productid.name,
      unitId: item._uomid_value,
      decimals: item.uomid.msdyn_decimalprecision,
    });
  }
  return [...byNumber.values()].sort((a, b) => a.itemNumber.localeCompare(b.itemNumber));
}
