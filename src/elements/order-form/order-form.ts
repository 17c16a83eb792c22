import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { Task, TaskStatus } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import type { DataverseClient } from '../../dataverse/client.js';
import { isAbort } from '../../dataverse/errors.js';
import { isGuid, normalizeGuid } from '../../dataverse/guid.js';
import { orderSubmitEvent, type ReorderDetail } from '../../events.js';
import { dateTimeFormat, numberFormat } from '../../internal/intl.js';
import { currentUiLocale } from '../../internal/localize.js';
import { gateStyles, PortalElement, type GateText } from '../../internal/portal-element.js';
import { addressLines, addressSummary, loadDeliveryAddresses, type DeliveryAddressBook, type OrderAddress } from '../../portal/addresses.js';
import {
  addToLines,
  checkQuantity,
  DraftStore,
  draftTotal,
  earliestReceiptDate,
  formatQuantity,
  lineAmount,
  localDay,
  newDraft,
  newLineKey,
  ONE_TIME_ADDRESS,
  ORDER_STEPS,
  parseQuantity,
  parseQuickAdd,
  unitOf,
  validateInformation,
  validateLines,
  type DraftLine,
  type InformationField,
  type InformationProblem,
  type LineErrors,
  type LineProblem,
  type OneTimeAddress,
  type OrderDraft,
  type OrderStep,
  type PendingItem,
  type QuantityProblem,
  type QuickAddIssue,
} from '../../portal/order-draft.js';
import {
  describeProducts,
  findProductsByItemNumber,
  findSellableProducts,
  itemNumberKey,
  searchProducts,
  type SalesUnit,
  type SellableProduct,
} from '../../portal/products.js';
import type { PortalSession } from '../../portal/session.js';
import {
  findSubmittedOrder,
  missingOrderDefaults,
  readOrderNumbers,
  submitOrder,
  submitProblemOf,
  type OrderDefault,
  type OrderDelivery,
  type OrderToSubmit,
  type SubmitProblem,
  type SubmittedOrder,
} from '../../portal/submit-order.js';
import { orderFormStyles } from './order-form.styles.js';

/** A line to put in the order (host prefill, Reorder): a product by id or item number, a quantity, a unit. */
export interface OrderFormLine {
  /** The product's id; when absent, `itemNumber` names it. */
  readonly productId?: string;
  /** The SCM item number (`D0001`). */
  readonly itemNumber?: string;
  readonly quantity: number;
  /** The unit's id; default: the product's first sales unit on the price list. */
  readonly unitId?: string;
}

/**
 * Words shown later: a function, so that `msg()` runs at render time in the language active then (a message on
 * screen follows a change of language).
 */
type Words = () => string;

/**
 * What went wrong with a submission, as the form shows it: a failed request ({@link SubmitProblem}), lines no
 * longer sold (`count` of them), or a delivery address that is no longer offered.
 */
type FormProblem = SubmitProblem | { readonly kind: 'not-sellable'; readonly count: number } | { readonly kind: 'incomplete' };

/** Errors of the item being added. */
interface ItemErrors {
  readonly product?: Words;
  readonly quantity?: Words;
  readonly unit?: Words;
}

/** Problems of the delivery address the form finds itself (its addresses not loaded, no country for a one-time one). */
type AddressBookProblem = { readonly code: 'addresses-failed' } | { readonly code: 'addresses-loading' } | { readonly code: 'no-country' };

/** Problems of the Order information step: the domain's rules plus what the form knows about the addresses. */
type FormInformationErrors = Partial<Record<InformationField, InformationProblem | AddressBookProblem>>;

/** A quick-add problem as shown: a line's issue, the empty box, or a lookup that failed. */
interface ShownQuickAddProblem {
  /** 1-based line number in the box (0: not about one line). */
  readonly lineNumber: number;
  /** The line as typed (`''`: not about one line). */
  readonly text: string;
  readonly issue: QuickAddIssue | { readonly code: 'empty' } | { readonly code: 'lookup-failed'; readonly problem: SubmitProblem };
}

/** What the host's or a reorder's prefill could not do. */
type PrefillNotice = { readonly kind: 'not-on-price-list'; readonly itemNumbers: readonly string[] } | { readonly kind: 'failed' };

/** The roles of the Customer portal template that may place orders. */
const ORDERING_ROLES = ['authorized-user', 'customer-representative', 'administrator'] as const;

// ----- words --------------------------------------------------------------------------------------------------
// Every sentence the form shows, in the interface language. Functions, not constants: `msg()` must run when the
// text is shown. Counts choose between a singular and a plural sentence by the plural rules of the interface
// language (French says "0 article", Japanese has one form, Arabic translations are worded to suit every count).

/** `one()` when `count` takes the singular in the interface language, else `other()`. */
function byCount(count: number, one: Words, other: Words): string {
  let category: Intl.LDMLPluralRule = count === 1 ? 'one' : 'other';
  try {
    category = new Intl.PluralRules(currentUiLocale()).select(count);
  } catch {
    // English rules.
  }
  return category === 'one' ? one() : other();
}

/** The title of a step. */
function stepTitle(step: OrderStep): string {
  switch (step) {
    case 'information':
      return msg('Order information', { desc: 'Order form: the title of step 1.' });
    case 'items':
      return msg('Items', { desc: 'Order form: the title of step 2 (the products ordered).' });
    case 'review':
      return msg('Review and submit', { desc: 'Order form: the title of step 3.' });
  }
}

/** What is wrong with a quantity, and what to type instead. */
function quantityText(problem: QuantityProblem): string {
  switch (problem.code) {
    case 'missing':
      return msg('Enter a quantity.');
    case 'not-a-number':
      return msg('Enter the quantity as a number, such as 5 or 2.5.', { desc: 'Both a point and a comma are accepted as the decimal separator.' });
    case 'not-positive':
      return msg('The quantity must be more than 0.');
    case 'too-large':
      return msg('That quantity is too large. Contact us for orders of this size.');
    case 'whole-units-only': {
      const unit = problem.unit;
      return msg(str`Quantities in ${unit} must be whole numbers.`, { desc: 'The placeholder is a unit symbol ("ea", "kg").' });
    }
    case 'too-many-decimals': {
      const unit = problem.unit;
      const decimals = problem.decimals;
      return byCount(
        decimals,
        () => msg(str`Quantities in ${unit} can have at most ${decimals} decimal.`, { desc: 'Singular; the first placeholder is a unit symbol ("kg").' }),
        () => msg(str`Quantities in ${unit} can have at most ${decimals} decimals.`, { desc: 'Plural; the first placeholder is a unit symbol ("kg").' }),
      );
    }
  }
}

/** What is wrong with a line of the order. */
function lineProblemText(problem: LineProblem): string {
  switch (problem.code) {
    case 'not-sellable': {
      const product = problem.product;
      return msg(str`${product} is no longer sold to your account. Remove it to submit the order.`, { desc: 'The placeholder is an item number or a product name.' });
    }
    case 'no-unit':
      return msg('Choose a unit.');
    case 'quantity':
      return quantityText(problem.quantity);
  }
}

/** What is wrong with the lines as a whole. */
function orderLinesText(problem: NonNullable<LineErrors['order']>): string {
  switch (problem) {
    case 'no-lines':
      return msg('Add at least one item.');
  }
}

/** Why a lookup of the order form (quick add) failed, and what to do: the lines stay in the box. */
function lookupFailedText(problem: SubmitProblem): string {
  switch (problem.kind) {
    case 'offline':
      return msg("The item numbers couldn't be looked up: you seem to be offline, or the connection dropped. Your lines are kept in the box; select Add lines again when you're back.");
    case 'busy':
      return msg("The item numbers couldn't be looked up: the service is busy right now. Your lines are kept in the box; try again in a moment.");
    case 'signed-out':
      return msg("The item numbers couldn't be looked up: your session has ended. Sign in again, then select Add lines again.");
    default:
      return msg("The item numbers couldn't be looked up. Your lines are kept in the box; try again in a moment.");
  }
}

/** Why a line of the quick-add box was not added, and how to write it. */
function quickAddText(issue: ShownQuickAddProblem['issue']): string {
  switch (issue.code) {
    case 'too-many-lines': {
      const max = issue.max;
      return msg(str`Add at most ${max} lines at a time.`);
    }
    case 'no-quantity':
      return msg('Add the quantity after the item number, for example "D0001, 5".', { desc: '"D0001, 5" is what the customer types: keep it as is.' });
    case 'unreadable':
      return msg('Write the item number, a comma and the quantity, for example "D0001, 5".', { desc: '"D0001, 5" is what the customer types: keep it as is.' });
    case 'not-on-price-list': {
      const itemNumber = issue.itemNumber;
      return msg(str`No product ${itemNumber} on your price list.`, { desc: 'The placeholder is the item number typed.' });
    }
    case 'no-sales-unit': {
      const itemNumber = issue.itemNumber;
      return msg(str`${itemNumber} has no sales unit.`, { desc: 'The placeholder is an item number.' });
    }
    case 'quantity':
      return quantityText(issue.quantity);
    case 'empty':
      return msg('Type one item per line, for example "D0001, 5".', { desc: '"D0001, 5" is what the customer types: keep it as is.' });
    case 'lookup-failed':
      return lookupFailedText(issue.problem);
  }
}

/** The name of an order default the contact's record lacks. */
function orderDefaultName(missing: OrderDefault): string {
  switch (missing) {
    case 'company':
      return msg('company', { desc: 'Lower case, in a list: "Your contact record has no company, currency."' });
    case 'currency':
      return msg('currency', { desc: 'Lower case, in a list: "Your contact record has no company, currency."' });
    case 'price-list':
      return msg('price list', { desc: 'Lower case, in a list: "Your contact record has no company, price list."' });
  }
}

/** How long the Product field waits for typing to pause before searching. */
const SEARCH_DEBOUNCE_MS = 250;

/** Fields of the information step in screen order, with the id of their control (first invalid gets focus). */
const INFORMATION_FIELDS: readonly (readonly [InformationField, string])[] = [
  ['requestedReceiptDate', 'receipt-date'],
  ['deliveryAddress', 'delivery-address'],
  ['oneTimeDescription', 'one-time-description'],
  ['oneTimeLine1', 'one-time-line1'],
  ['oneTimeCity', 'one-time-city'],
  ['oneTimePostalCode', 'one-time-postal-code'],
  ['customerReference', 'customer-reference'],
  ['requisitionNumber', 'requisition-number'],
];

const numberOr = (fallback: number) => ({
  fromAttribute: (value: string | null) => {
    if (value === null || value.trim() === '') return fallback;
    const n = Number(value);
    return Number.isFinite(n) ? n : fallback;
  },
  toAttribute: (value: number) => String(value),
});

/**
 * The create-order wizard of the Customer portal, made pleasant: **Order information** (requested receipt date,
 * delivery address — one of the account's or a one-time address — customer reference, requisition number, with
 * company and ship-to country/region from the session), **Items** (a product search combobox, quick add by item
 * number, quantities checked against each unit's decimals, estimated amounts) and **Review and submit**.
 *
 * The order is created exactly once: its id is chosen when the draft starts, and submitting is a safe create that
 * any retry — automatic, after a reload, or a second press of Submit — recognises instead of duplicating. The
 * draft (every step) is kept in `sessionStorage` under the contact's id and restored after a reload, and cleared
 * after success. Prefill it with the `lines` property, or from a `scm-reorder` event anywhere on the page.
 *
 * Inside a `<form>`, the element is form-associated: its value (under its `name`) is the id of the order it
 * submitted, and resetting the form starts a new order.
 *
 * Its text follows the portal's language (English, German, French, Japanese or Arabic, right to left); dates,
 * numbers and money follow the portal's locale. Quantities may be typed with full-width or Arabic-Indic digits.
 *
 * While an order is on its way, leaving the page asks first (the browser's "leave site?"); that guard is gone before
 * `scm-order-submit` fires, so a host may navigate away, or call `startOver()`, in its listener.
 *
 * Must be placed inside `<scm-portal>`.
 *
 * @summary Create and submit an order in three steps, exactly once.
 *
 * @csspart base - The wizard's box.
 * @csspart header - The title and the step indicator.
 * @csspart steps - The step indicator (an ordered list; the current step has `aria-current="step"`).
 * @csspart step - The current step's content.
 * @csspart defaults - Company, ship-to country/region and who orders (read-only, from the session).
 * @csspart add-item - The Product, Quantity and Unit fields with the Add item button.
 * @csspart listbox - The product suggestions of the Product combobox.
 * @csspart quick-add - The quick add box (item numbers with quantities).
 * @csspart lines - The order's lines.
 * @csspart line - One line.
 * @csspart totals - The estimated totals.
 * @csspart problem - Why the order was not submitted, next to the Submit order button.
 * @csspart success - The confirmation with the order number.
 * @csspart order-number - The order number in the confirmation.
 * @csspart pending - The "Pending sync" tag shown until Supply Chain Management has numbered the order.
 * @csspart order-link - The "View order" link of the confirmation (with `href-template`).
 * @csspart gate - The message shown instead of the form when signed out, misconfigured or outside `<scm-portal>`.
 *
 * @cssprop [--scm-order-form-accent=var(--scm-color-primary, #0f6cbd)] - Primary buttons, focus rings, the current step.
 * @cssprop [--scm-order-form-on-accent=var(--scm-color-on-primary, #fff)] - Text on the accent colour.
 * @cssprop [--scm-order-form-text=var(--scm-color-text, #1f2328)] - Text colour.
 * @cssprop [--scm-order-form-muted=var(--scm-color-text-muted, #59636e)] - Hints and secondary text.
 * @cssprop [--scm-order-form-border=var(--scm-color-border, #8c959f)] - Borders of fields and buttons.
 * @cssprop [--scm-order-form-surface=var(--scm-color-surface, #fff)] - Background.
 * @cssprop [--scm-order-form-surface-muted=var(--scm-color-surface-muted, #f6f8fa)] - Background of notices.
 * @cssprop [--scm-order-form-danger=var(--scm-color-danger, #b42318)] - Errors (always with text and an icon).
 * @cssprop [--scm-order-form-success=var(--scm-color-success, #116329)] - The confirmation.
 * @cssprop [--scm-order-form-warning=var(--scm-color-warning, #7a4d00)] - "Pending sync" and "No longer sold" tags.
 * @cssprop [--scm-order-form-radius=var(--scm-radius, 6px)] - Corner radius.
 *
 * @cssstate step-information - The Order information step is shown.
 * @cssstate step-items - The Items step is shown.
 * @cssstate step-review - The Review and submit step is shown.
 * @cssstate submitting - The order is being submitted.
 * @cssstate submitted - The order was created; the confirmation is shown.
 * @cssstate error - The last submission failed (see the `problem` part).
 *
 * @fires {CustomEvent<OrderSubmitDetail>} scm-order-submit - The order was created (once per order): `orderId` and
 *   `orderNumber` (the Dataverse number; empty when it could not be read yet). An `<scm-order-list>` on the page can
 *   refresh on it. Fired once the submission is over (Submit is free again, leaving the page no longer asks). Never
 *   fired because the host set a property.
 */
@localized()
@customElement('scm-order-form')
export class ScmOrderForm extends PortalElement {
  static override styles = [gateStyles, ...orderFormStyles];
  /** Form-associated: contributes the submitted order's id to a surrounding `<form>`. */
  static formAssociated = true;

  /** Days from today to the earliest requested receipt date allowed (0: today). */
  @property({ attribute: 'earliest-days', type: Number, converter: numberOr(0) }) earliestDays = 0;

  /**
   * Seconds between two looks for the Supply Chain Management order number after submitting (it arrives through
   * dual-write); 0 turns the live update off.
   */
  @property({ attribute: 'sync-interval', type: Number, converter: numberOr(10) }) syncInterval = 10;

  /**
   * Makes the confirmation link to the order: `{id}` is replaced by the order's id and `{number}` by its number
   * (`/orders/?id={id}`). Without it, the confirmation has no link (listen for `scm-order-submit`).
   */
  @property({ attribute: 'href-template' }) hrefTemplate = '';

  /** The name under which a surrounding `<form>` receives the submitted order's id. */
  @property({ reflect: true }) name = '';

  /**
   * Lines to start the order with (set by the host page, e.g. from a "buy again" link). They are added to the
   * draft once — a reload does not add them again — and checked against the customer's price list.
   */
  @property({ attribute: false }) lines: readonly OrderFormLine[] = [];

  @state() private draft?: OrderDraft;
  @state() private showInformationErrors = false;
  @state() private itemErrors: ItemErrors = {};
  @state() private showLineErrors = false;
  @state() private quickAddProblems: readonly ShownQuickAddProblem[] = [];
  @state() private quickAddOpen = false;
  /** What runs in the background of the Items step (said in a status line). */
  @state() private busyNote: 'looking-up' | 'adding' | '' = '';
  @state() private prefillNotice?: PrefillNotice;
  /** The text the product search runs for (the Product field's text once typing pauses). */
  @state() private searchText = '';
  @state() private listOpen = false;
  @state() private activeIndex = -1;
  @state() private submitting = false;
  @state() private problem?: FormProblem;
  @state() private retryIn = 0;
  @state() private submitted?: SubmittedOrder;
  @state() private checkingEarlier = false;
  @state() private confirmStartOver = false;
  @state() private disabled = false;
  @state() private online = typeof navigator === 'undefined' ? true : navigator.onLine;
  /** Polite announcements (step changes, results). */
  @state() private announcement = '';
  /** Assertive announcements (a submission failed). */
  @state() private alertText = '';

  private readonly internals: ElementInternals = this.attachInternals();
  private readonly store = new DraftStore();
  /** The contact whose draft is open. */
  private draftOwner?: string;
  /** True while the draft is new and untouched (its delivery address may still be defaulted). */
  private freshDraft = false;
  private comboFocused = false;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private retryTimer?: ReturnType<typeof setInterval>;
  private syncTimer?: ReturnType<typeof setTimeout>;
  private submitAbort?: AbortController;
  private workAbort?: AbortController;
  private focusAfterUpdate?: string;
  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    event.preventDefault();
    // Older browsers need a returnValue to show their "leave site?" prompt.
    event.returnValue = '';
  };
  private readonly onReorder = (event: CustomEvent<ReorderDetail>) => {
    if (!event.detail || !Array.isArray(event.detail.lines)) return;
    void this.addLines(event.detail.lines, 'reorder');
  };
  private readonly onOnline = () => {
    this.online = true;
    if (this.problem?.kind === 'offline') this.announce(msg("You're back online. Submit your order when you're ready."));
  };
  private readonly onOffline = () => {
    this.online = false;
  };

  // Task arguments are the client and the ids the queries depend on (not the session object, which the provider
  // may hand out anew with the same content): a new object must not reload what is on screen.
  private readonly addressesTask = new Task(this, {
    task: async ([client, accountId], { signal }) => {
      const session = this.ready?.session;
      if (!client || !accountId || !session) return undefined;
      return loadDeliveryAddresses(client, session, signal);
    },
    args: () => [this.ready?.client, this.ready?.session.account.id] as const,
    onComplete: (book) => this.defaultAddress(book),
  });

  private readonly searchTask = new Task(this, {
    task: async ([client, priceListId, text], { signal }) => {
      const session = this.ready?.session;
      if (!client || !priceListId || !session || text.trim() === '') return [] as SellableProduct[];
      return searchProducts(client, session, text, { signal });
    },
    args: () => [this.ready?.client, this.ready?.session.priceList?.id, this.searchText] as const,
    onComplete: (products) => {
      this.activeIndex = -1;
      this.listOpen = this.comboFocused && products.length > 0;
    },
  });

  // ----- public API -------------------------------------------------------------------------------------------

  /** The id the order has (or will have once submitted): chosen when the draft started. */
  get orderId(): string | undefined {
    return this.submitted?.id ?? this.draft?.orderId;
  }

  /** The step shown (`information`, `items`, `review`), or `submitted` after success. */
  get step(): OrderStep | 'submitted' | undefined {
    return this.submitted ? 'submitted' : this.draft?.step;
  }

  /**
   * Submits the order as the Submit order button does (the same checks; does nothing while a submission runs).
   * Resolves when the attempt is over; the outcome is shown in the form (and `scm-order-submit` fires on success).
   */
  async submit(): Promise<void> {
    await this.submitOrder();
  }

  /** Discards the draft and starts a new order (with a new id). Does nothing while a submission runs. */
  startOver(): void {
    if (this.submitting) return;
    const ready = this.ready;
    this.cancelWork();
    this.stopRetry();
    this.stopSync();
    this.submitted = undefined;
    this.problem = undefined;
    this.confirmStartOver = false;
    this.quickAddProblems = [];
    this.itemErrors = {};
    this.showInformationErrors = false;
    this.showLineErrors = false;
    this.prefillNotice = undefined;
    this.searchText = '';
    this.listOpen = false;
    this.internals.setFormValue(null);
    if (!ready) {
      this.draft = undefined;
      return;
    }
    this.store.clear(ready.session.contact.id);
    // The host's prefill belongs to the order it started: a new order starts empty.
    const prefillKey = this.lines.length > 0 ? JSON.stringify(this.lines) : undefined;
    this.draft = { ...newDraft(ready.session), ...(prefillKey ? { prefillKey } : {}) };
    this.freshDraft = true;
    this.keep(this.draft);
    this.defaultAddress(this.addressesTask.value);
    this.focusAfterUpdate = '#step-title';
    this.announce(msg('Started a new order.'));
  }

  // ----- form association -------------------------------------------------------------------------------------

  /** A surrounding form was reset: start a new order. */
  formResetCallback(): void {
    if (!this.submitting) this.startOver();
  }

  /** A surrounding fieldset or form was disabled. */
  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  // ----- lifecycle --------------------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('scm-reorder', this.onReorder);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('scm-reorder', this.onReorder);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    clearTimeout(this.searchTimer);
    this.stopRetry();
    this.stopSync();
    this.cancelWork();
    this.submitAbort?.abort();
    this.submitAbort = undefined;
    // The next connection reopens the draft from storage.
    this.draftOwner = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Lit keeps updating a removed element (a late answer sets state): it must not touch the stored draft then.
    if (!this.isConnected) return;
    const ready = this.ready;
    const contactId = ready?.session.contact.id;
    if (contactId !== this.draftOwner) {
      this.draftOwner = contactId;
      this.openDraft(ready);
    }
    this.applyHostLines();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.updateStates();
    if (this.focusAfterUpdate) {
      const selector = this.focusAfterUpdate;
      this.focusAfterUpdate = undefined;
      this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
    }
  }

  /** Opens the contact's stored draft, or a new one. */
  private openDraft(ready: { client: DataverseClient; session: PortalSession } | undefined): void {
    this.cancelWork();
    this.stopRetry();
    this.stopSync();
    this.submitted = undefined;
    this.problem = undefined;
    this.showInformationErrors = false;
    this.showLineErrors = false;
    this.itemErrors = {};
    this.quickAddProblems = [];
    if (!ready) {
      this.draft = undefined;
      return;
    }
    const stored = this.store.load(ready.session);
    this.freshDraft = !stored;
    this.draft = stored ?? newDraft(ready.session);
    if (!stored) this.keep(this.draft);
    this.quickAddOpen = this.draft.quickAddText !== '';
    this.searchText = '';
    if (stored?.submitStartedAt) void this.checkEarlierSubmission(ready);
    else if (stored && stored.lines.length > 0) void this.refreshLines(ready, this.workSignal()).catch(() => undefined);
  }

  /** An AbortSignal for background work of the open draft (aborted when the draft changes or the element leaves). */
  private workSignal(): AbortSignal {
    this.workAbort ??= new AbortController();
    return this.workAbort.signal;
  }

  private cancelWork(): void {
    this.workAbort?.abort();
    this.workAbort = undefined;
  }

  /**
   * Stores the draft. A removed element keeps quiet: an answer arriving after it left the page (a reload, another
   * page) must not overwrite what the next element reads.
   */
  private keep(draft: OrderDraft): void {
    if (this.isConnected) this.store.save(draft);
  }

  /** Changes the draft and keeps it. */
  private patch(changes: Partial<OrderDraft>): void {
    if (!this.draft) return;
    this.freshDraft = false;
    this.draft = { ...this.draft, ...changes };
    this.keep(this.draft);
  }

  private patchPending(changes: Partial<PendingItem>): void {
    if (!this.draft) return;
    this.patch({ pending: { ...this.draft.pending, ...changes } });
  }

  private announce(text: string): void {
    // A trailing no-break space toggles so the same words are announced again.
    this.announcement = this.announcement === text ? `${text}\u00a0` : text;
  }

  private alert(text: string): void {
    this.alertText = this.alertText === text ? `${text}\u00a0` : text;
  }

  private setState(name: string, on: boolean): void {
    try {
      const states = this.internals.states as CustomStateSet | undefined;
      if (on) states?.add(name);
      else states?.delete(name);
    } catch {
      // Custom states are a styling hook only.
    }
  }

  private updateStates(): void {
    const step = this.submitted ? undefined : this.draft?.step;
    for (const name of ORDER_STEPS) this.setState(`step-${name}`, step === name);
    this.setState('submitting', this.submitting);
    this.setState('submitted', this.submitted !== undefined);
    this.setState('error', this.problem !== undefined);
  }

  // ----- formatting -------------------------------------------------------------------------------------------

  private get locale(): string {
    return this.ready?.locale || (typeof navigator !== 'undefined' ? navigator.language : 'en-US');
  }

  private formatDay(day: string, style: 'medium' | 'long' = 'medium'): string {
    const [year, month, date] = day.split('-').map(Number) as [number, number, number];
    try {
      return dateTimeFormat(this.locale, { dateStyle: style }).format(new Date(year, month - 1, date));
    } catch {
      return day;
    }
  }

  private formatMoney(amount: number): string {
    const code = this.ready?.session.currency?.code;
    try {
      return code
        ? numberFormat(this.locale, { style: 'currency', currency: code }).format(amount)
        : numberFormat(this.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
    } catch {
      return amount.toFixed(2);
    }
  }

  /** A count or a quantity in the page's locale (`1,234`, `2.5` → `2,5` in German); at most `decimals` decimals. */
  private formatNumber(value: number, decimals = 0): string {
    try {
      return numberFormat(this.locale, { maximumFractionDigits: Math.max(0, Math.min(decimals, 10)) }).format(value);
    } catch {
      return String(value);
    }
  }

  /** Item numbers or names as a list in the page's locale (`A, B, C`). */
  private formatList(items: readonly string[]): string {
    try {
      return new Intl.ListFormat(this.locale, { type: 'unit' }).format(items);
    } catch {
      return items.join(', ');
    }
  }

  /** A product as messages name it: its item number and name. */
  private productLabel(product: { readonly itemNumber: string; readonly name?: string; readonly productName?: string }): string {
    return [product.itemNumber, product.name ?? product.productName ?? ''].filter((part) => part !== '').join(' ');
  }

  private get today(): string {
    return localDay(new Date());
  }

  private get earliest(): string {
    return earliestReceiptDate({ today: this.today, earliestDays: this.earliestDays });
  }

  // ----- addresses --------------------------------------------------------------------------------------------

  /** A new draft starts with the customer's primary delivery address. */
  private defaultAddress(book: DeliveryAddressBook | undefined): void {
    if (!book || !this.draft || !this.freshDraft || this.draft.deliveryAddressId !== '') return;
    const primary = book.addresses.find((address) => address.primary) ?? (book.addresses.length === 1 ? book.addresses[0] : undefined);
    if (!primary) return;
    this.draft = { ...this.draft, deliveryAddressId: primary.id };
    this.keep(this.draft);
  }

  /** The addresses on screen (kept while they are loaded again). */
  private get addressBook(): DeliveryAddressBook | undefined {
    return this.addressesTask.status === TaskStatus.ERROR ? undefined : this.addressesTask.value;
  }

  private chosenAddress(draft: OrderDraft): OrderAddress | undefined {
    return this.addressBook?.addresses.find((address) => address.id === draft.deliveryAddressId);
  }

  /** The ship-to country/region: the chosen address's, or the account's for a one-time address. */
  private shipToCountry(draft: OrderDraft): string | null {
    return this.chosenAddress(draft)?.country ?? this.addressBook?.country ?? null;
  }

  private delivery(draft: OrderDraft, session: PortalSession): OrderDelivery | null {
    const book = this.addressBook;
    if (!book) return null;
    if (draft.deliveryAddressId === ONE_TIME_ADDRESS) {
      const a = draft.oneTimeAddress;
      return {
        description: a.description.trim(),
        name: a.description.trim(),
        shipToName: book.customerName || session.account.name,
        street: [a.line1, a.line2].map((line) => line.trim()).filter((line) => line !== ''),
        city: a.city.trim() || null,
        stateOrProvince: a.stateOrProvince.trim() || null,
        postalCode: a.postalCode.trim() || null,
        country: book.country,
      };
    }
    const address = this.chosenAddress(draft);
    return address ? { ...address, shipToName: book.customerName || session.account.name } : null;
  }

  // ----- validation -------------------------------------------------------------------------------------------

  private informationErrors(draft: OrderDraft): FormInformationErrors {
    const book = this.addressBook;
    const errors: FormInformationErrors = validateInformation(draft, {
      today: this.today,
      earliestDays: this.earliestDays,
      // Until the addresses are loaded, a stored choice is not questioned (it is checked when they arrive).
      addressIds: book ? book.addresses.map((a) => a.id) : [draft.deliveryAddressId],
    });
    if (!errors.deliveryAddress && draft.deliveryAddressId !== '') {
      if (this.addressesTask.status === TaskStatus.ERROR) errors.deliveryAddress = { code: 'addresses-failed' };
      else if (!book) errors.deliveryAddress = { code: 'addresses-loading' };
      else if (draft.deliveryAddressId === ONE_TIME_ADDRESS && !book.country) errors.deliveryAddress = { code: 'no-country' };
    }
    return errors;
  }

  /** What is wrong with a field of the Order information step, which field, and what to do. */
  private informationText(field: InformationField, problem: InformationProblem | AddressBookProblem): string {
    switch (problem.code) {
      case 'not-a-date':
        return msg('Enter the requested receipt date as a date, for example 2026-03-31.', { desc: 'Keep the date as written (year-month-day).' });
      case 'in-the-past':
        return msg("The requested receipt date can't be in the past.");
      case 'too-early': {
        const earliest = this.formatDay(problem.earliest, 'long');
        return msg(str`The earliest requested receipt date is ${earliest}.`, { desc: 'The placeholder is a date ("March 31, 2026").' });
      }
      case 'no-longer-available':
        return msg('This delivery address is no longer available. Choose another one.');
      case 'addresses-failed':
        return msg("Your delivery addresses couldn't be loaded. Retry loading them before you continue.");
      case 'addresses-loading':
        return msg('Your delivery addresses are still loading. Try again in a moment.');
      case 'no-country':
        return msg('Your account has no country/region for a one-time address. Choose one of your addresses, or contact us.');
      case 'too-long': {
        const max = this.formatNumber(problem.max);
        return field === 'requisitionNumber'
          ? msg(str`The requisition number can have at most ${max} characters.`)
          : msg(str`The customer reference can have at most ${max} characters.`);
      }
      case 'required':
        switch (field) {
          case 'requestedReceiptDate':
            return msg('Enter the requested receipt date.');
          case 'deliveryAddress':
            return msg('Choose a delivery address.');
          case 'oneTimeDescription':
            return msg('Give the one-time address a name, such as "Site office".');
          case 'oneTimeLine1':
            return msg('Enter the street and number of the one-time address.');
          case 'oneTimeCity':
            return msg('Enter the city of the one-time address.');
          case 'oneTimePostalCode':
            return msg('Enter the postal code of the one-time address.');
          default:
            return msg('Fill in this field.');
        }
    }
  }

  /** Checks the information step; shows its errors and focuses the first one when it fails. */
  private checkInformation(draft: OrderDraft): boolean {
    const errors = this.informationErrors(draft);
    const first = INFORMATION_FIELDS.find(([field]) => errors[field]);
    if (!first) return true;
    this.showInformationErrors = true;
    this.focusAfterUpdate = `#${first[1]}`;
    const count = Object.keys(errors).length;
    const shown = this.formatNumber(count);
    this.announce(byCount(count, () => msg(str`${shown} field needs attention.`), () => msg(str`${shown} fields need attention.`)));
    return false;
  }

  /** Checks the items step; shows its errors and focuses the first one when it fails. */
  private checkLines(draft: OrderDraft): boolean {
    const pending = draft.pending;
    if (pending.product || (pending.query.trim() !== '' && draft.lines.length === 0)) {
      const chosen = pending.product?.itemNumber;
      this.itemErrors = {
        product: chosen
          ? () => msg(str`You chose ${chosen} but didn't add it. Select Add item, or clear the Product field.`, { desc: 'The placeholder is an item number.' })
          : () => msg('Choose a product from the list, then select Add item.'),
      };
      this.focusAfterUpdate = '#product';
      this.announce(msg('The item in the Product field has not been added.'));
      return false;
    }
    const errors = validateLines(draft);
    if (!errors.order && errors.lines.size === 0) return true;
    this.showLineErrors = true;
    const firstKey = draft.lines.find((line) => errors.lines.has(line.key))?.key;
    this.focusAfterUpdate = errors.order ? '#product' : firstKey ? `[data-key="${firstKey}"] input, [data-key="${firstKey}"] button` : undefined;
    const count = errors.lines.size;
    const shown = this.formatNumber(count);
    this.announce(
      errors.order
        ? orderLinesText(errors.order)
        : byCount(count, () => msg(str`${shown} item needs attention.`), () => msg(str`${shown} items need attention.`)),
    );
    return false;
  }

  // ----- navigation -------------------------------------------------------------------------------------------

  private goTo(step: OrderStep): void {
    const draft = this.draft;
    if (!draft || this.submitting) return;
    const from = ORDER_STEPS.indexOf(draft.step);
    const to = ORDER_STEPS.indexOf(step);
    if (to > from && this.addressesTask.status === TaskStatus.PENDING && !this.addressBook) {
      // Pressed before the addresses arrived (right after a reload): go on once they are here.
      void this.addressesTask.taskComplete.catch(() => undefined).then(() => this.goTo(step));
      return;
    }
    if (to > from) {
      if (!this.checkInformation(draft)) {
        if (draft.step !== 'information') this.patch({ step: 'information' });
        return;
      }
      if (to > 1 && !this.checkLines(draft)) {
        if (draft.step !== 'items') this.patch({ step: 'items' });
        return;
      }
    }
    // Going back to edit cancels a scheduled retry: the customer submits again when ready.
    this.stopRetry();
    this.problem = undefined;
    this.confirmStartOver = false;
    this.listOpen = false;
    this.patch({ step });
    this.focusAfterUpdate = '#step-title';
    const number = this.formatNumber(to + 1);
    const steps = this.formatNumber(ORDER_STEPS.length);
    const title = stepTitle(step);
    this.announce(msg(str`Step ${number} of ${steps}: ${title}.`, { desc: 'Announced when the order form changes step: "Step 2 of 3: Items."' }));
  }

  // ----- product combobox -------------------------------------------------------------------------------------

  private get options(): readonly SellableProduct[] {
    return this.searchTask.status === TaskStatus.COMPLETE ? (this.searchTask.value ?? []) : [];
  }

  private onProductInput(event: Event): void {
    const query = (event.target as HTMLInputElement).value;
    this.patchPending({ query, product: null, unitId: '' });
    this.itemErrors = { ...this.itemErrors, product: undefined };
    clearTimeout(this.searchTimer);
    if (query.trim() === '') {
      this.searchText = '';
      this.listOpen = false;
      return;
    }
    this.searchTimer = setTimeout(() => {
      this.searchText = query;
    }, SEARCH_DEBOUNCE_MS);
  }

  private onProductKeydown(event: KeyboardEvent): void {
    const options = this.options;
    switch (event.key) {
      case 'ArrowDown': {
        event.preventDefault();
        if (!this.listOpen) {
          this.searchNow();
          if (options.length === 0) return;
          this.listOpen = true;
          if (event.altKey) return;
          this.activeIndex = 0;
          return;
        }
        this.activeIndex = options.length === 0 ? -1 : (this.activeIndex + 1) % options.length;
        return;
      }
      case 'ArrowUp': {
        event.preventDefault();
        if (!this.listOpen) {
          if (options.length === 0) return;
          this.listOpen = true;
        }
        this.activeIndex = this.activeIndex <= 0 ? options.length - 1 : this.activeIndex - 1;
        return;
      }
      case 'Enter': {
        // Enter chooses; it never submits the add-item form from this field.
        event.preventDefault();
        if (this.listOpen && this.activeIndex >= 0 && options[this.activeIndex]) this.choose(options[this.activeIndex]!);
        else if (!this.listOpen) this.searchNow();
        return;
      }
      case 'Escape': {
        if (this.listOpen) {
          event.preventDefault();
          this.listOpen = false;
          this.activeIndex = -1;
        } else if (this.draft?.pending.query) {
          event.preventDefault();
          clearTimeout(this.searchTimer);
          this.searchText = '';
          this.patchPending({ query: '', product: null, unitId: '' });
        }
        return;
      }
      case 'Tab':
        this.listOpen = false;
        return;
      default:
        return;
    }
  }

  /** Runs the pending search at once (ArrowDown or Enter before the debounce ran). */
  private searchNow(): void {
    const query = this.draft?.pending.query ?? '';
    if (query.trim() === '' || this.draft?.pending.product) return;
    clearTimeout(this.searchTimer);
    if (this.searchText !== query) this.searchText = query;
  }

  private choose(product: SellableProduct): void {
    clearTimeout(this.searchTimer);
    const unit = product.units[0];
    this.patchPending({ query: `${product.itemNumber} ${product.name}`, product, unitId: unit?.id ?? '' });
    this.listOpen = false;
    this.activeIndex = -1;
    this.itemErrors = {};
    const label = this.productLabel(product);
    if (unit && unit.unitPrice !== null) {
      const price = this.formatMoney(unit.unitPrice);
      const symbol = unit.symbol;
      this.announce(msg(str`${label} chosen, ${price} per ${symbol}.`, { desc: 'Announced: "D0001 Desk lamp chosen, $12.00 per ea."' }));
    } else {
      this.announce(msg(str`${label} chosen.`, { desc: 'Announced: "D0001 Desk lamp chosen."' }));
    }
  }

  private onProductFocus(): void {
    this.comboFocused = true;
  }

  private onProductBlur(): void {
    this.comboFocused = false;
    this.listOpen = false;
    this.activeIndex = -1;
  }

  // ----- adding items -----------------------------------------------------------------------------------------

  private onAddItem(event: Event): void {
    event.preventDefault();
    const draft = this.draft;
    if (!draft) return;
    const { product, quantity, unitId } = draft.pending;
    const errors: { product?: Words; quantity?: Words; unit?: Words } = {};
    const unit = product?.units.find((u) => u.id === unitId);
    if (!product) {
      errors.product =
        draft.pending.query.trim() === '' ? () => msg('Search for a product and choose it from the list.') : () => msg('Choose a product from the list.');
    } else if (!unit) {
      errors.unit = () => msg('Choose a unit.');
    }
    const checked = checkQuantity(quantity, unit);
    if (!checked.ok) {
      const problem = checked.problem;
      errors.quantity = () => quantityText(problem);
    }
    if (errors.product || errors.quantity || errors.unit) {
      this.itemErrors = errors;
      this.focusAfterUpdate = errors.product ? '#product' : errors.unit ? '#unit' : '#quantity';
      this.announce((errors.product ?? errors.unit ?? errors.quantity)?.() ?? '');
      return;
    }
    const value = checked.ok ? checked.value : 0;
    const lines = addToLines(draft.lines, product!, unit!, value);
    this.patch({ lines, pending: { query: '', product: null, quantity: '', unitId: '' } });
    this.itemErrors = {};
    this.searchText = '';
    this.focusAfterUpdate = '#product';
    const amount = this.formatNumber(Number(formatQuantity(value, unit!.decimals)), unit!.decimals);
    const symbol = unit!.symbol;
    const label = this.productLabel(product!);
    const count = lines.length;
    const shown = this.formatNumber(count);
    this.announce(
      `${msg(str`Added ${amount} ${symbol} of ${label}.`, { desc: 'Announced: "Added 5 ea of D0001 Desk lamp."' })} ${byCount(
        count,
        () => msg(str`${shown} item in this order.`),
        () => msg(str`${shown} items in this order.`),
      )}`,
    );
  }

  private async onQuickAdd(event: Event): Promise<void> {
    event.preventDefault();
    const ready = this.ready;
    const draft = this.draft;
    if (!ready || !draft || this.busyNote) return;
    const { entries, problems } = parseQuickAdd(draft.quickAddText);
    if (entries.length === 0 && problems.length === 0) {
      this.quickAddProblems = [{ lineNumber: 1, text: '', issue: { code: 'empty' } }];
      this.focusAfterUpdate = '#quick-add';
      return;
    }
    this.busyNote = 'looking-up';
    let found: Map<string, SellableProduct>;
    try {
      found = entries.length ? await findProductsByItemNumber(ready.client, ready.session, entries.map((e) => e.itemNumber), this.workSignal()) : new Map();
    } catch (error) {
      this.busyNote = '';
      if (isAbort(error)) return;
      // Nothing is retried by itself: the lines stay in the box and the message says to add them again.
      this.quickAddProblems = [{ lineNumber: 0, text: '', issue: { code: 'lookup-failed', problem: submitProblemOf(error) } }];
      this.focusAfterUpdate = '#quick-add';
      return;
    }
    this.busyNote = '';
    const current = this.draft;
    if (!current) return;
    const bad: ShownQuickAddProblem[] = [...problems];
    let lines = current.lines;
    let added = 0;
    for (const entry of entries) {
      const product = found.get(itemNumberKey(entry.itemNumber));
      if (!product) {
        bad.push({ lineNumber: entry.lineNumber, text: entry.text, issue: { code: 'not-on-price-list', itemNumber: entry.itemNumber } });
        continue;
      }
      const unit = product.units[0];
      const checked = checkQuantity(entry.quantityText, unit);
      if (!unit || !checked.ok) {
        bad.push({
          lineNumber: entry.lineNumber,
          text: entry.text,
          issue: checked.ok ? { code: 'no-sales-unit', itemNumber: entry.itemNumber } : { code: 'quantity', quantity: checked.problem },
        });
        continue;
      }
      lines = addToLines(lines, product, unit, checked.value);
      added++;
    }
    bad.sort((a, b) => a.lineNumber - b.lineNumber);
    // The lines that could not be added stay in the box, renumbered as they now stand, for editing.
    const remaining = bad.filter((p) => p.text !== '');
    this.quickAddProblems = remaining.map((p, index) => ({ ...p, lineNumber: index + 1 }));
    this.patch({ lines, quickAddText: remaining.map((p) => p.text).join('\n') });
    const addedShown = this.formatNumber(added);
    const remainingShown = this.formatNumber(remaining.length);
    const summary = [
      added > 0 ? byCount(added, () => msg(str`${addedShown} item added.`), () => msg(str`${addedShown} items added.`)) : '',
      remaining.length > 0
        ? byCount(remaining.length, () => msg(str`${remainingShown} line needs attention.`), () => msg(str`${remainingShown} lines need attention.`))
        : '',
    ]
      .filter(Boolean)
      .join(' ');
    this.announce(summary);
    if (remaining.length > 0) this.focusAfterUpdate = '#quick-add';
  }

  private updateLine(key: string, changes: Partial<DraftLine>): void {
    const draft = this.draft;
    if (!draft) return;
    this.patch({ lines: draft.lines.map((line) => (line.key === key ? { ...line, ...changes } : line)) });
  }

  private removeLine(line: DraftLine): void {
    const draft = this.draft;
    if (!draft) return;
    const index = draft.lines.findIndex((l) => l.key === line.key);
    const lines = draft.lines.filter((l) => l.key !== line.key);
    this.patch({ lines });
    if (this.problem?.kind === 'not-sellable' && !lines.some((l) => l.notSellable)) this.problem = undefined;
    const next = lines[Math.min(index, lines.length - 1)];
    this.focusAfterUpdate = next ? `[data-key="${next.key}"] button.remove` : '#product';
    const label = this.productLabel(line);
    const left = this.formatNumber(lines.length);
    this.announce(
      `${msg(str`Removed ${label}.`, { desc: 'Announced: "Removed D0001 Desk lamp."' })} ${byCount(
        lines.length,
        () => msg(str`${left} item left.`),
        () => msg(str`${left} items left.`),
      )}`,
    );
  }

  // ----- prefill (lines property, scm-reorder) ------------------------------------------------------------------

  private applyHostLines(): void {
    const draft = this.draft;
    if (!draft || !this.ready || this.submitted || this.lines.length === 0) return;
    const key = JSON.stringify(this.lines);
    if (draft.prefillKey === key) return;
    this.draft = { ...draft, prefillKey: key };
    this.keep(this.draft);
    void this.addLines(this.lines, 'host');
  }

  /**
   * Adds lines from a prefill: sellable products are checked against the price list (one request per kind of
   * reference); products no longer sold are added marked as such, so the customer sees what is missing.
   */
  private async addLines(lines: readonly OrderFormLine[], source: 'host' | 'reorder'): Promise<void> {
    const ready = this.ready;
    if (!ready || this.submitting || lines.length === 0) return;
    if (this.submitted) this.startOver();
    if (!this.draft) return;
    const signal = this.workSignal();
    const byIdWanted = lines.filter((l) => isGuid(l.productId)).map((l) => normalizeGuid(l.productId));
    const byNumberWanted = lines.filter((l) => !isGuid(l.productId) && typeof l.itemNumber === 'string' && l.itemNumber.trim() !== '').map((l) => l.itemNumber!);
    this.busyNote = 'adding';
    try {
      const [byId, byNumber] = await Promise.all([
        byIdWanted.length ? findSellableProducts(ready.client, ready.session, byIdWanted, signal) : new Map<string, SellableProduct>(),
        byNumberWanted.length ? findProductsByItemNumber(ready.client, ready.session, byNumberWanted, signal) : new Map<string, SellableProduct>(),
      ]);
      const missing = byIdWanted.filter((id) => !byId.has(id));
      const names = missing.length ? await describeProducts(ready.client, missing, signal).catch(() => new Map()) : new Map();
      const draft = this.draft;
      if (!draft) return;
      let next: DraftLine[] = draft.lines.slice();
      let added = 0;
      const unknown: string[] = [];
      let notSold = 0;
      for (const line of lines) {
        const id = isGuid(line.productId) ? normalizeGuid(line.productId) : undefined;
        const product = id ? byId.get(id) : line.itemNumber ? byNumber.get(itemNumberKey(line.itemNumber)) : undefined;
        const quantity = Number(line.quantity);
        if (product) {
          const wantedUnit = isGuid(line.unitId) ? normalizeGuid(line.unitId) : undefined;
          const unit = product.units.find((u) => u.id === wantedUnit) ?? product.units[0];
          if (!unit || !Number.isFinite(quantity) || quantity <= 0) continue;
          next = addToLines(next, product, unit, quantity);
          added++;
        } else if (id) {
          const name = names.get(id);
          next.push({
            key: newLineKey(),
            productId: id,
            itemNumber: name?.itemNumber ?? line.itemNumber ?? '',
            productName: name?.name ?? line.itemNumber ?? msg('Unknown product'),
            units: [],
            unitId: isGuid(line.unitId) ? normalizeGuid(line.unitId) : '',
            quantity: Number.isFinite(quantity) ? String(quantity) : '',
            notSellable: true,
          });
          notSold++;
        } else if (line.itemNumber) {
          unknown.push(line.itemNumber);
        }
      }
      this.patch({ lines: next, ...(source === 'reorder' ? { step: 'items' as const } : {}) });
      this.prefillNotice = unknown.length ? { kind: 'not-on-price-list', itemNumbers: unknown } : undefined;
      const addedShown = this.formatNumber(added);
      const notSoldShown = this.formatNumber(notSold);
      const parts = [
        source === 'reorder'
          ? byCount(added, () => msg(str`${addedShown} item added from your earlier order.`), () => msg(str`${addedShown} items added from your earlier order.`))
          : byCount(added, () => msg(str`${addedShown} item added.`), () => msg(str`${addedShown} items added.`)),
        notSold
          ? byCount(
              notSold,
              () => msg(str`${notSoldShown} is no longer sold and must be removed before you submit.`, { desc: 'About items of the order: "1 is no longer sold…"' }),
              () => msg(str`${notSoldShown} are no longer sold and must be removed before you submit.`, { desc: 'About items of the order: "2 are no longer sold…"' }),
            )
          : '',
        this.prefillNotice ? this.prefillText(this.prefillNotice) : '',
      ];
      this.announce(parts.filter(Boolean).join(' '));
      if (source === 'reorder') {
        this.showLineErrors = notSold > 0;
        this.focusAfterUpdate = '#step-title';
      }
    } catch (error) {
      if (!isAbort(error)) this.prefillNotice = { kind: 'failed' };
    } finally {
      this.busyNote = '';
    }
  }

  /**
   * Checks the lines against the price list again (after a reload, and before submitting): current units and
   * prices, and which products are no longer sold. Returns how many lines are not sellable.
   */
  private async refreshLines(ready: { client: DataverseClient; session: PortalSession }, signal: AbortSignal): Promise<number> {
    const draft = this.draft;
    if (!draft || draft.lines.length === 0) return 0;
    const sellable = await findSellableProducts(ready.client, ready.session, draft.lines.map((line) => line.productId), signal);
    const current = this.draft;
    if (!current) return 0;
    let notSold = 0;
    const lines = current.lines.map((line): DraftLine => {
      const product = sellable.get(line.productId);
      if (!product) {
        notSold++;
        return { ...line, notSellable: true };
      }
      const unitId = product.units.some((u) => u.id === line.unitId) ? line.unitId : (product.units[0]?.id ?? '');
      const { notSellable: _gone, ...rest } = line;
      return { ...rest, units: product.units, unitId, itemNumber: product.itemNumber, productName: product.name };
    });
    this.draft = { ...current, lines };
    this.keep(this.draft);
    if (notSold > 0) this.showLineErrors = true;
    return notSold;
  }

  // ----- submitting -------------------------------------------------------------------------------------------

  private async submitOrder(): Promise<void> {
    const ready = this.ready;
    const draft = this.draft;
    // A second press while submitting (or while a busy-retry is scheduled) does nothing.
    if (!ready || !draft || this.submitting || this.submitted || this.retryTimer !== undefined) return;
    if (this.addressesTask.status === TaskStatus.PENDING && !this.addressBook) {
      // Pressed right after a reload, before the delivery addresses arrived: wait for them (Submit stays busy).
      this.submitting = true;
      await this.addressesTask.taskComplete.catch(() => undefined);
      this.submitting = false;
      await this.submitOrder();
      return;
    }
    if (!this.checkInformation(draft)) {
      this.patch({ step: 'information' });
      return;
    }
    if (!this.checkLines(draft)) {
      this.patch({ step: 'items' });
      return;
    }
    this.submitting = true;
    this.problem = undefined;
    this.confirmStartOver = false;
    this.patch({ submitStartedAt: new Date().toISOString() });
    // While the order is on its way, leaving the page asks first (the answer would be lost; the draft is kept).
    window.addEventListener('beforeunload', this.onBeforeUnload);
    this.announce(msg('Submitting your order…'));
    const abort = new AbortController();
    this.submitAbort = abort;
    try {
      const notSold = await this.refreshLines(ready, abort.signal);
      if (notSold > 0) {
        this.showProblem({ kind: 'not-sellable', count: notSold });
        return;
      }
      const current = this.draft!;
      const delivery = this.delivery(current, ready.session);
      if (!delivery) {
        this.showProblem({ kind: 'incomplete' });
        return;
      }
      const order: OrderToSubmit = {
        id: current.orderId,
        requestedReceiptDate: current.requestedReceiptDate,
        delivery,
        customerReference: current.customerReference,
        requisitionNumber: current.requisitionNumber,
        lines: current.lines.map((line) => ({ productId: line.productId, unitId: line.unitId, quantity: parseQuantity(line.quantity)! })),
      };
      const result = await submitOrder(ready.client, ready.session, order, { signal: abort.signal, locale: this.locale });
      // Over before anyone hears of it: a host that navigates away on scm-order-submit must not meet the
      // "leave site?" prompt, and one that calls startOver() in its listener must not find a submission running.
      this.endSubmission(abort);
      this.onSubmitted(result, ready);
    } catch (error) {
      if (isAbort(error, abort.signal)) return;
      const problem = submitProblemOf(error);
      this.showProblem(problem);
      if (problem.kind === 'busy') this.scheduleRetry(problem.retryAfterMs ?? 10_000);
    } finally {
      this.endSubmission(abort);
    }
  }

  /** A submission is over (whatever its outcome): Submit is free again and leaving the page no longer asks. */
  private endSubmission(abort: AbortController): void {
    if (this.submitAbort === abort) this.submitAbort = undefined;
    this.submitting = false;
    window.removeEventListener('beforeunload', this.onBeforeUnload);
  }

  private showProblem(problem: FormProblem): void {
    this.problem = problem;
    this.announcement = '';
    // A busy service is retried by the form itself after the wait it asked for (scheduled right after this).
    const retryIn = problem.kind === 'busy' ? Math.ceil((problem.retryAfterMs ?? 10_000) / 1000) : undefined;
    this.alert(`${msg('Your order was not submitted.')} ${this.problemText(problem, retryIn)}`);
  }

  /**
   * Why the order was not submitted and what to do, in a sentence or two (after "Your order was not submitted.").
   * @param retryIn for a busy service, the seconds until the form submits again by itself (none: not scheduled).
   */
  private problemText(problem: FormProblem, retryIn?: number): string {
    switch (problem.kind) {
      case 'offline':
        return msg("You seem to be offline, or the connection dropped. Your order is kept; submit when you're back.");
      case 'busy': {
        if (retryIn === undefined) return msg('The service is busy right now. Your order is kept; try again in a moment.');
        const seconds = this.formatNumber(retryIn);
        return msg(str`The service is busy right now. Your order is kept; we'll retry in ${seconds} s.`, {
          desc: 'A countdown: the form submits the order again by itself when it reaches 0 ("s" = seconds).',
        });
      }
      case 'permission': {
        const account = this.ready?.session.account.name;
        return account
          ? msg(str`You don't have permission to place orders for ${account}. Ask your organisation's administrator to give you the Authorized user role. Your order is kept.`, {
              desc: 'The placeholder is the customer account\'s name. "Authorized user" is the name of a web role.',
            })
          : msg("You don't have permission to place orders. Ask your organisation's administrator to give you the Authorized user role. Your order is kept.", {
              desc: '"Authorized user" is the name of a web role.',
            });
      }
      case 'signed-out':
        return msg('Your session has ended. Sign in again, then submit: your order is kept.');
      case 'conflict':
        return msg('This order could not be created because its reference is already used by another order. Start over to create a new one.');
      case 'refused': {
        const detail = problem.detail ?? '';
        return msg(str`The order was refused: ${detail} Your order is kept; correct it and submit again, or contact us.`, {
          desc: "The placeholder is the server's own message (in the server's language).",
        });
      }
      case 'not-sellable': {
        const count = this.formatNumber(problem.count);
        return byCount(
          problem.count,
          () => msg(str`${count} item is no longer sold to your account. Remove it, then submit. The rest of your order is kept.`),
          () => msg(str`${count} items are no longer sold to your account. Remove them, then submit. The rest of your order is kept.`),
        );
      }
      case 'incomplete':
        return msg('Choose the delivery address again: it is no longer available.');
      case 'server':
        return msg("The service didn't answer properly. Your order is kept; try again in a moment.");
    }
  }

  /** What a prefill could not do. */
  private prefillText(notice: PrefillNotice): string {
    if (notice.kind === 'failed') return msg("The items couldn't be added: the service didn't answer. Try again in a moment.");
    const list = this.formatList(notice.itemNumbers);
    return msg(str`Not on your price list, so not added: ${list}.`, { desc: 'The placeholder is a list of item numbers.' });
  }

  private onSubmitted(result: SubmittedOrder, ready: { client: DataverseClient; session: PortalSession }): void {
    this.store.clear(ready.session.contact.id);
    this.submitted = result;
    this.problem = undefined;
    this.internals.setFormValue(result.id);
    this.focusAfterUpdate = '#step-title';
    const number = result.salesOrderNumber ?? result.orderNumber;
    this.announce(number ? msg(str`Your order is submitted: ${number}.`) : msg('Your order is submitted.'));
    this.dispatchEvent(orderSubmitEvent({ orderId: result.id, orderNumber: result.orderNumber ?? '' }));
    this.watchSync(ready);
  }

  /** After a reload during a submission: did that submission go through? */
  private async checkEarlierSubmission(ready: { client: DataverseClient; session: PortalSession }): Promise<void> {
    const draft = this.draft;
    if (!draft) return;
    this.checkingEarlier = true;
    try {
      const found = await findSubmittedOrder(ready.client, ready.session, draft.orderId, this.workSignal());
      if (found && this.draft?.orderId === found.id) {
        this.store.clear(ready.session.contact.id);
        this.submitted = found;
        this.internals.setFormValue(found.id);
        this.announce(msg('Your order was submitted before the page reloaded.'));
        this.watchSync(ready);
      } else if (this.draft) {
        const { submitStartedAt: _was, ...rest } = this.draft;
        this.draft = rest;
        this.keep(this.draft);
      }
    } catch {
      // Not known yet: the draft stays; submitting again is safe (same order id).
    } finally {
      this.checkingEarlier = false;
    }
  }

  /** A busy service: wait what it asked, then submit again by itself (Submit is blocked meanwhile). */
  private scheduleRetry(waitMs: number): void {
    this.stopRetry();
    const due = Date.now() + waitMs;
    this.retryIn = Math.ceil(waitMs / 1000);
    this.retryTimer = setInterval(() => {
      const left = Math.ceil((due - Date.now()) / 1000);
      this.retryIn = Math.max(0, left);
      if (left <= 0) {
        this.stopRetry();
        void this.submitOrder();
      }
    }, 250);
  }

  private stopRetry(): void {
    if (this.retryTimer !== undefined) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    this.retryIn = 0;
  }

  /** Looks for the SCM order number until dual-write has synchronised the order. */
  private watchSync(ready: { client: DataverseClient; session: PortalSession }): void {
    this.stopSync();
    const order = this.submitted;
    if (!order || (order.salesOrderNumber && order.orderNumber) || !(this.syncInterval > 0)) return;
    const signal = this.workSignal();
    const look = async () => {
      this.syncTimer = undefined;
      try {
        const numbers = await readOrderNumbers(ready.client, order.id, signal);
        const shown = this.submitted;
        if (numbers && shown?.id === order.id) {
          const gotScmNumber = !shown.salesOrderNumber && numbers.salesOrderNumber;
          this.submitted = { ...shown, orderNumber: numbers.orderNumber ?? shown.orderNumber, salesOrderNumber: numbers.salesOrderNumber };
          if (gotScmNumber) {
            const number = numbers.salesOrderNumber;
            this.announce(msg(str`Your order is now in our order system as ${number}.`, { desc: 'The placeholder is the sales order number ("SO-001234").' }));
            return;
          }
        }
      } catch (error) {
        if (isAbort(error, signal)) return;
      }
      if (this.submitted?.id === order.id && !signal.aborted) this.syncTimer = setTimeout(look, Math.max(0.5, this.syncInterval) * 1000);
    };
    this.syncTimer = setTimeout(look, Math.max(0.5, this.syncInterval) * 1000);
  }

  private stopSync(): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
  }

  // ----- rendering --------------------------------------------------------------------------------------------

  /** The gate's sentences (the portal not ready), in the interface language. */
  private gateText(): GateText {
    return {
      loading: msg('Loading the order form…'),
      signedOut: msg('Sign in to place an order.'),
      unavailable: msg("The order form can't be shown right now."),
    };
  }

  protected override render(): TemplateResult | typeof nothing {
    const gate = this.renderGate(this.gateText());
    if (gate !== nothing) return gate;
    const ready = this.ready!;
    const session = ready.session;
    if (session.roles.length > 0 && !session.roles.some((role) => (ORDERING_ROLES as readonly string[]).includes(role))) {
      const account = session.account.name;
      return html`<div class="gate" role="alert" part="gate">
        <strong>${msg("Your account can't place orders online.")}</strong>
        <p>
          ${msg(str`Ask your organisation's administrator to give you the Authorized user role for ${account}.`, {
            desc: 'The placeholder is the customer account\'s name. "Authorized user" is the name of a web role.',
          })}
        </p>
      </div>`;
    }
    const missing = missingOrderDefaults(session);
    if (missing.length > 0) {
      const names = this.formatList(missing.map(orderDefaultName));
      return html`<div class="gate" role="alert" part="gate">
        <strong>${msg("Ordering online isn't set up for your account yet.")}</strong>
        <p>${msg(str`Your contact record has no ${names}. Contact us and we'll set it up.`, { desc: 'The placeholder lists what is missing: "company, price list".' })}</p>
      </div>`;
    }
    const draft = this.draft;
    if (!draft) return html`<div class="gate" role="status" part="gate">${msg('Loading the order form…')}</div>`;
    const step = this.submitted ? undefined : draft.step;
    return html`
      <section class="base" part="base" aria-labelledby="form-title" .inert=${this.disabled}>
        <header part="header">
          <h2 id="form-title">${msg('New order', { desc: 'The order form\'s title.' })}</h2>
          ${step ? this.renderSteps(step) : nothing}
        </header>
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
        <div class="visually-hidden" role="alert" aria-atomic="true">${this.alertText}</div>
        ${this.submitted
          ? this.renderSuccess(this.submitted)
          : this.checkingEarlier
            ? html`<p class="notice" role="status">${msg('Checking whether your order was already submitted…')}</p>`
            : step === 'information'
              ? this.renderInformation(draft, session)
              : step === 'items'
                ? this.renderItems(draft)
                : this.renderReview(draft, session)}
        ${this.submitted ? nothing : this.renderFooter()}
      </section>
    `;
  }

  private renderSteps(current: OrderStep): TemplateResult {
    const index = ORDER_STEPS.indexOf(current);
    return html`<ol class="steps" part="steps" aria-label=${msg('Steps', { desc: 'The order form\'s step indicator (a list of its three steps).' })}>
      ${ORDER_STEPS.map(
        (step, i) => html`<li class=${i < index ? 'done' : ''} aria-current=${ifDefined(step === current ? 'step' : undefined)}>
          <span class="number" aria-hidden="true">${i < index ? '✓' : this.formatNumber(i + 1)}</span>
          <span>${stepTitle(step)}${i < index
            ? html`<span class="visually-hidden"> ${msg('(done)', { desc: 'After a step\'s title in the step indicator, for screen readers.' })}</span>`
            : nothing}</span>
        </li>`,
      )}
    </ol>`;
  }

  /** A labelled field with its hint and error wired through `aria-describedby`. */
  private field(options: {
    id: string;
    label: string;
    marker?: 'required' | 'optional';
    hint?: string | TemplateResult;
    error?: string;
    wide?: boolean;
    control: (describedBy: string | undefined, invalid: 'true' | 'false') => TemplateResult;
  }): TemplateResult {
    const ids = [options.hint ? `${options.id}-hint` : '', options.error ? `${options.id}-error` : ''].filter(Boolean);
    const marker =
      options.marker === 'required'
        ? msg('Required', { desc: 'Next to a field\'s label: the field must be filled in.' })
        : options.marker === 'optional'
          ? msg('Optional', { desc: 'Next to a field\'s label: the field may be left empty.' })
          : '';
    return html`<div class="field ${options.wide ? 'wide' : ''}">
      <div>
        <label for=${options.id}>${options.label}</label>${marker ? html`<span class="marker" aria-hidden="true">${marker}</span>` : nothing}
      </div>
      ${options.hint ? html`<p class="hint" id="${options.id}-hint">${options.hint}</p>` : nothing}
      ${options.control(ids.length ? ids.join(' ') : undefined, options.error ? 'true' : 'false')}
      ${options.error ? html`<p class="error" id="${options.id}-error">${options.error}</p>` : nothing}
    </div>`;
  }

  private renderInformation(draft: OrderDraft, session: PortalSession): TemplateResult {
    const problems = this.showInformationErrors ? this.informationErrors(draft) : {};
    const errors: Partial<Record<InformationField, string>> = {};
    for (const [field, problem] of Object.entries(problems) as [InformationField, InformationProblem | AddressBookProblem][]) {
      errors[field] = this.informationText(field, problem);
    }
    const earliest = this.earliest;
    const earliestText = this.formatDay(earliest, 'long');
    const text = (name: keyof OneTimeAddress) => (event: Event) =>
      this.patch({ oneTimeAddress: { ...draft.oneTimeAddress, [name]: (event.target as HTMLInputElement).value } });
    const oneTime = draft.deliveryAddressId === ONE_TIME_ADDRESS;
    return html`
      <form class="step" part="step" novalidate aria-labelledby="step-title" @submit=${(e: Event) => {
        e.preventDefault();
        this.goTo('items');
      }}>
        <h3 id="step-title" tabindex="-1">${stepTitle('information')}</h3>
        <div class="fields">
          ${this.field({
            id: 'receipt-date',
            label: msg('Requested receipt date', { desc: 'Field label: the date the customer wants to receive the goods.' }),
            marker: 'required',
            hint: msg(str`When you need the goods. The earliest date is ${earliestText}.`, { desc: 'The placeholder is a date ("March 31, 2026").' }),
            error: errors.requestedReceiptDate,
            control: (describedBy, invalid) => html`<input
              id="receipt-date"
              type="date"
              required
              min=${earliest}
              .value=${live(draft.requestedReceiptDate)}
              aria-describedby=${ifDefined(describedBy)}
              aria-invalid=${invalid}
              @input=${(e: Event) => this.patch({ requestedReceiptDate: (e.target as HTMLInputElement).value })}
            />`,
          })}
          ${this.renderAddressField(draft, errors)}
          ${oneTime ? this.renderOneTimeAddress(draft, errors, text) : nothing}
          ${this.field({
            id: 'customer-reference',
            label: msg('Customer reference', { desc: "Field label: the customer's own reference for the order (e.g. their purchase order number)." }),
            marker: 'optional',
            hint: msg('Your own reference for this order, such as a purchase order number.'),
            error: errors.customerReference,
            control: (describedBy, invalid) => html`<input
              id="customer-reference"
              type="text"
              autocomplete="off"
              .value=${live(draft.customerReference)}
              aria-describedby=${ifDefined(describedBy)}
              aria-invalid=${invalid}
              @input=${(e: Event) => this.patch({ customerReference: (e.target as HTMLInputElement).value })}
            />`,
          })}
          ${this.field({
            id: 'requisition-number',
            label: msg('Requisition number', { desc: "Field label: the number of the customer's internal purchase requisition." }),
            marker: 'optional',
            error: errors.requisitionNumber,
            control: (describedBy, invalid) => html`<input
              id="requisition-number"
              type="text"
              autocomplete="off"
              .value=${live(draft.requisitionNumber)}
              aria-describedby=${ifDefined(describedBy)}
              aria-invalid=${invalid}
              @input=${(e: Event) => this.patch({ requisitionNumber: (e.target as HTMLInputElement).value })}
            />`,
          })}
          <dl class="facts wide" part="defaults">
            <dt>${msg('Company')}</dt>
            <dd>${session.company!.name}${session.company!.code ? ` (${session.company!.code})` : ''}</dd>
            <dt>${msg('Ship to country/region')}</dt>
            <dd>${this.shipToCountry(draft) ??
              (this.addressBook || this.addressesTask.status === TaskStatus.ERROR ? msg('Not known') : msg('Loading…'))}</dd>
            <dt>${msg('Customer', { desc: 'The customer account the order is for.' })}</dt>
            <dd>${session.account.name}${session.account.number ? ` (${session.account.number})` : ''}</dd>
            <dt>${msg('Ordered by')}</dt>
            <dd>${session.contact.name}</dd>
          </dl>
        </div>
        <div class="actions">
          <div class="end"><button type="submit" class="primary">${msg('Next', { id: 'order-form-next', desc: 'Button: the next step of the order form.' })}</button></div>
        </div>
      </form>
    `;
  }

  private renderAddressField(draft: OrderDraft, errors: Partial<Record<InformationField, string>>): TemplateResult {
    const status = this.addressesTask.status;
    const book = this.addressBook;
    const chosen = this.chosenAddress(draft);
    const hint =
      !book && (status === TaskStatus.PENDING || status === TaskStatus.INITIAL)
        ? msg('Loading your delivery addresses…')
        : status === TaskStatus.ERROR
          ? html`${msg("Your delivery addresses couldn't be loaded.")}
              <button type="button" class="link" @click=${() => void this.addressesTask.run()}>${msg('Retry')}</button>`
          : chosen
            ? addressLines(chosen).join('\n')
            : undefined;
    return this.field({
      id: 'delivery-address',
      label: msg('Delivery address'),
      marker: 'required',
      hint,
      error: errors.deliveryAddress,
      wide: true,
      control: (describedBy, invalid) => html`<select
        id="delivery-address"
        required
        aria-describedby=${ifDefined(describedBy)}
        aria-invalid=${invalid}
        @change=${(e: Event) => this.patch({ deliveryAddressId: (e.target as HTMLSelectElement).value })}
      >
        <option value="" ?selected=${draft.deliveryAddressId === ''}>${msg('Choose a delivery address')}</option>
        ${(book?.addresses ?? []).map(
          (address) => html`<option value=${address.id} ?selected=${address.id === draft.deliveryAddressId}>
            ${addressSummary(address)}${address.primary ? ` ${msg('(primary)', { desc: "After the customer's primary delivery address in a list." })}` : ''}
          </option>`,
        )}
        ${!book && draft.deliveryAddressId !== '' && draft.deliveryAddressId !== ONE_TIME_ADDRESS
          ? html`<option value=${draft.deliveryAddressId} selected data-loading>${msg('Your chosen address (loading…)')}</option>`
          : nothing}
        <option value=${ONE_TIME_ADDRESS} ?selected=${draft.deliveryAddressId === ONE_TIME_ADDRESS}>
          ${msg('A one-time address…', { desc: 'Choice of a delivery address typed for this order only.' })}
        </option>
      </select>`,
    });
  }

  private renderOneTimeAddress(
    draft: OrderDraft,
    errors: Partial<Record<InformationField, string>>,
    text: (name: keyof OneTimeAddress) => (event: Event) => void,
  ): TemplateResult {
    const a = draft.oneTimeAddress;
    const input = (id: string, name: keyof OneTimeAddress, autocomplete: 'off' | 'address-line1' | 'address-line2' | 'address-level1' | 'address-level2' | 'postal-code') => (describedBy: string | undefined, invalid: 'true' | 'false') =>
      html`<input
        id=${id}
        type="text"
        autocomplete=${autocomplete}
        .value=${live(a[name])}
        aria-describedby=${ifDefined(describedBy)}
        aria-invalid=${invalid}
        @input=${text(name)}
      />`;
    const country = this.addressBook?.country;
    return html`<fieldset class="wide">
      <legend>${msg('One-time address', { desc: 'A delivery address typed for this order only.' })}</legend>
      <div class="fields">
        ${this.field({
          id: 'one-time-description',
          label: msg('Address name', { desc: 'Field label: what the one-time address is called on the order.' }),
          marker: 'required',
          hint: msg('What to call it on the order, such as "Site office, Pier 4".'),
          error: errors.oneTimeDescription,
          wide: true,
          control: input('one-time-description', 'description', 'off'),
        })}
        ${this.field({ id: 'one-time-line1', label: msg('Street and number'), marker: 'required', error: errors.oneTimeLine1, wide: true, control: input('one-time-line1', 'line1', 'address-line1') })}
        ${this.field({ id: 'one-time-line2', label: msg('Street line 2'), marker: 'optional', wide: true, control: input('one-time-line2', 'line2', 'address-line2') })}
        ${this.field({ id: 'one-time-city', label: msg('City'), marker: 'required', error: errors.oneTimeCity, control: input('one-time-city', 'city', 'address-level2') })}
        ${this.field({ id: 'one-time-state', label: msg('State or province'), marker: 'optional', control: input('one-time-state', 'stateOrProvince', 'address-level1') })}
        ${this.field({ id: 'one-time-postal-code', label: msg('Postal code'), marker: 'required', error: errors.oneTimePostalCode, control: input('one-time-postal-code', 'postalCode', 'postal-code') })}
        <p class="hint wide">
          ${country
            ? msg(str`Country/region: ${country} (from your account).`)
            : msg("Country/region: your account's country/region.")}
        </p>
      </div>
    </fieldset>`;
  }

  private renderItems(draft: OrderDraft): TemplateResult {
    const lineErrors = validateLines(draft);
    const busy =
      this.busyNote === 'looking-up' ? msg('Looking up the item numbers…') : this.busyNote === 'adding' ? msg('Adding items…') : '';
    return html`
      <div class="step" part="step">
        <h3 id="step-title" tabindex="-1">${stepTitle('items')}</h3>
        ${this.renderAddItem(draft, this.showLineErrors && lineErrors.order ? orderLinesText(lineErrors.order) : undefined)}
        ${this.renderQuickAdd(draft)}
        ${busy ? html`<p class="notice" role="status">${busy}</p>` : nothing}
        ${this.prefillNotice ? html`<p class="notice">${this.prefillText(this.prefillNotice)}</p>` : nothing}
        ${this.renderLines(draft, true, lineErrors)}
        <div class="actions">
          <button type="button" @click=${() => this.goTo('information')}>${msg('Back', { desc: 'Button: the previous step of the order form.' })}</button>
          <div class="end">
            <button type="button" class="primary" @click=${() => this.goTo('review')}>${msg('Next', { id: 'order-form-next', desc: 'Button: the next step of the order form.' })}</button>
          </div>
        </div>
      </div>
    `;
  }

  private renderAddItem(draft: OrderDraft, orderError: string | undefined): TemplateResult {
    const pending = draft.pending;
    const product = pending.product;
    const unit = product?.units.find((u) => u.id === pending.unitId);
    const options = this.options;
    const open = this.listOpen && options.length > 0;
    const searching = this.searchTask.status === TaskStatus.PENDING && this.searchText !== '';
    const productError = this.itemErrors.product?.() ?? orderError;
    const searched = this.searchText;
    const found = this.formatNumber(options.length);
    const searchStatus = searching
      ? msg('Searching…')
      : this.searchTask.status === TaskStatus.ERROR
        ? msg("The products couldn't be searched. Try again in a moment.")
        : searched && !product && this.searchTask.status === TaskStatus.COMPLETE
          ? options.length === 0
            ? msg(str`No product on your price list matches "${searched}".`, { desc: 'The placeholder is the text the customer typed.' })
            : byCount(
                options.length,
                () => msg(str`${found} product found. Use the up and down arrow keys to choose.`),
                () => msg(str`${found} products found. Use the up and down arrow keys to choose.`),
              )
          : '';
    const quantity = parseQuantity(pending.quantity);
    const estimate = unit && unit.unitPrice !== null && quantity !== null && quantity > 0 ? this.formatMoney(unit.unitPrice * quantity) : null;
    const decimals = unit?.decimals ?? 0;
    const decimalsShown = this.formatNumber(decimals);
    return html`<form class="add-item" part="add-item" novalidate aria-label=${msg('Add an item')} @submit=${this.onAddItem}>
      ${this.field({
        id: 'product',
        label: msg('Product'),
        hint: msg('Type an item number or part of a name.'),
        error: productError,
        control: (describedBy, invalid) => html`<div class="combobox">
          <input
            id="product"
            type="text"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            aria-autocomplete="list"
            aria-expanded=${open ? 'true' : 'false'}
            aria-controls="product-options"
            aria-activedescendant=${ifDefined(open && this.activeIndex >= 0 ? `product-option-${this.activeIndex}` : undefined)}
            aria-describedby=${ifDefined([describedBy, 'product-status'].filter(Boolean).join(' '))}
            aria-invalid=${invalid}
            .value=${live(pending.query)}
            @input=${this.onProductInput}
            @keydown=${this.onProductKeydown}
            @focus=${this.onProductFocus}
            @blur=${this.onProductBlur}
          />
          <ul id="product-options" role="listbox" part="listbox" aria-label=${msg('Products')} ?hidden=${!open}>
            ${options.map(
              (option, index) => html`<li
                id="product-option-${index}"
                role="option"
                aria-selected=${index === this.activeIndex ? 'true' : 'false'}
                @mousedown=${(e: Event) => e.preventDefault()}
                @click=${() => this.choose(option)}
              >
                <span class="item-number">${option.itemNumber}</span>
                <span class="product-name">${option.name}</span>
                <span class="price">${option.units[0]?.unitPrice != null
                  ? `${this.formatMoney(option.units[0].unitPrice)} / ${option.units[0].symbol}`
                  : (option.units[0]?.symbol ?? '')}</span>
              </li>`,
            )}
          </ul>
          <p class="hint" id="product-status" role="status">${searchStatus}</p>
        </div>`,
      })}
      ${this.field({
        id: 'quantity',
        label: msg('Quantity'),
        hint: unit
          ? decimals === 0
            ? msg('Whole numbers.', { desc: 'Hint of the Quantity field: the unit is sold in whole numbers only.' })
            : byCount(decimals, () => msg(str`Up to ${decimalsShown} decimal.`), () => msg(str`Up to ${decimalsShown} decimals.`))
          : undefined,
        error: this.itemErrors.quantity?.(),
        control: (describedBy, invalid) => html`<input
          id="quantity"
          type="text"
          inputmode="decimal"
          autocomplete="off"
          .value=${live(pending.quantity)}
          aria-describedby=${ifDefined(describedBy)}
          aria-invalid=${invalid}
          @input=${(e: Event) => {
            this.patchPending({ quantity: (e.target as HTMLInputElement).value });
            if (this.itemErrors.quantity) this.itemErrors = { ...this.itemErrors, quantity: undefined };
          }}
        />`,
      })}
      ${this.field({
        id: 'unit',
        label: msg('Unit', { desc: 'Unit of measure (each, kilogram…).' }),
        error: this.itemErrors.unit?.(),
        control: (describedBy, invalid) => html`<select
          id="unit"
          ?disabled=${!product}
          aria-describedby=${ifDefined(describedBy)}
          aria-invalid=${invalid}
          @change=${(e: Event) => this.patchPending({ unitId: (e.target as HTMLSelectElement).value })}
        >
          ${product
            ? product.units.map(
                (u) => html`<option value=${u.id} ?selected=${u.id === pending.unitId}>${u.symbol}${u.name && u.name !== u.symbol ? ` (${u.name})` : ''}</option>`,
              )
            : html`<option value="">${msg('Choose a product first')}</option>`}
        </select>`,
      })}
      <button type="submit" class="add">${msg('Add item')}</button>
      <p class="estimate hint">${estimate ? msg(str`Estimated net amount: ${estimate}`) : ''}</p>
    </form>`;
  }

  private renderQuickAdd(draft: OrderDraft): TemplateResult {
    const problems = this.quickAddProblems;
    const describedBy = ['quick-add-hint', problems.length ? 'quick-add-problems' : ''].filter(Boolean).join(' ');
    return html`<details
      part="quick-add"
      ?open=${this.quickAddOpen}
      @toggle=${(e: Event) => (this.quickAddOpen = (e.target as HTMLDetailsElement).open)}
    >
      <summary>${msg('Quick add by item number')}</summary>
      <form novalidate @submit=${this.onQuickAdd}>
        <div class="field">
          <label for="quick-add">${msg('Item numbers and quantities')}</label>
          <p class="hint" id="quick-add-hint">
            ${msg('One item per line: the item number, a comma, then the quantity. For example: D0001, 5', {
              desc: '"D0001, 5" is what the customer types: keep it as is.',
            })}
          </p>
          <textarea
            id="quick-add"
            spellcheck="false"
            .value=${live(draft.quickAddText)}
            aria-describedby=${describedBy}
            aria-invalid=${problems.length ? 'true' : 'false'}
            @input=${(e: Event) => this.patch({ quickAddText: (e.target as HTMLTextAreaElement).value })}
          ></textarea>
          ${problems.length
            ? html`<ul class="problems" id="quick-add-problems" aria-label=${msg('Lines that could not be added')}>
                ${problems.map((p) => {
                  const number = this.formatNumber(p.lineNumber);
                  const line = p.text;
                  return html`<li>${p.text
                    ? msg(html`Line ${number}, <q>${line}</q>:`, { desc: 'Before why a line of the quick-add box was not added: "Line 2, “X1, 5”: No product X1…"' })
                    : nothing}
                    ${quickAddText(p.issue)}</li>`;
                })}
              </ul>`
            : nothing}
        </div>
        <div class="actions"><button type="submit">${msg('Add lines')}</button></div>
      </form>
    </details>`;
  }

  private renderLines(draft: OrderDraft, editable: boolean, errors: LineErrors): TemplateResult {
    if (draft.lines.length === 0) {
      return html`<p class="notice" id="lines-empty">${msg('No items yet. Search for a product above, or use quick add.')}</p>`;
    }
    const total = draftTotal(draft);
    const count = draft.lines.length;
    const countShown = this.formatNumber(count);
    const amount = this.formatMoney(total.amount);
    const currency = this.ready?.session.currency?.code;
    return html`<div class="lines-block">
      <div class="lines-header ${editable ? '' : 'read-only-header'}" aria-hidden="true">
        <span>${msg('Product')}</span><span>${msg('Quantity')}</span><span>${msg('Unit', { desc: 'Unit of measure (each, kilogram…).' })}</span
        ><span class="unit-price">${msg('Unit price')}</span><span class="amount">${msg('Estimated net amount')}</span>${editable
          ? html`<span></span>`
          : nothing}
      </div>
      <ul class="lines ${editable ? '' : 'read-only'}" part="lines" aria-label=${msg('Items in this order')}>
        ${draft.lines.map((line) => {
          const problem = errors.lines.get(line.key);
          return this.renderLine(line, editable, problem ? lineProblemText(problem) : undefined);
        })}
      </ul>
      <dl class="totals" part="totals">
        <dt>${byCount(count, () => msg(str`Estimated total (${countShown} item)`), () => msg(str`Estimated total (${countShown} items)`))}</dt>
        <dd>${total.complete ? amount : msg(str`${amount} + items without a price`, { desc: 'The placeholder is an amount of money.' })}</dd>
      </dl>
      <p class="note">
        ${currency
          ? msg(str`Estimated in ${currency} from your price list. Prices, discounts, charges and tax are set when we confirm the order.`, {
              desc: 'The placeholder is a currency code ("EUR").',
            })
          : msg('Estimated in your currency from your price list. Prices, discounts, charges and tax are set when we confirm the order.')}
      </p>
    </div>`;
  }

  private renderLine(line: DraftLine, editable: boolean, error: string | undefined): TemplateResult {
    const unit = unitOf(line);
    const amount = lineAmount(line);
    const label = line.itemNumber || line.productName;
    const fullName = this.productLabel(line);
    const errorId = `line-${line.key}-error`;
    // Quantity rules show as soon as a quantity is changed; "no longer sold" always.
    const showError = error !== undefined;
    return html`<li class="line" part="line" data-key=${line.key} ?data-not-sellable=${line.notSellable === true}>
      <div class="product">
        <span class="item-number">${line.itemNumber}</span>
        <span class="product-name">${line.productName}</span>
        ${line.notSellable ? html`<span class="tag warning">${msg('No longer sold')}</span>` : nothing}
      </div>
      <div class="quantity">
        <span class="cell-label" aria-hidden="true">${msg('Quantity')}</span>
        ${editable && !line.notSellable
          ? html`<input
              type="text"
              inputmode="decimal"
              autocomplete="off"
              aria-label=${msg(str`Quantity of ${label}`, { desc: 'Name of a line\'s quantity field; the placeholder is an item number.' })}
              aria-describedby=${ifDefined(showError ? errorId : undefined)}
              aria-invalid=${showError ? 'true' : 'false'}
              .value=${live(line.quantity)}
              @input=${(e: Event) => this.updateLine(line.key, { quantity: (e.target as HTMLInputElement).value })}
            />`
          : html`<span>${line.quantity}</span>`}
      </div>
      <div class="unit">
        <span class="cell-label" aria-hidden="true">${msg('Unit', { desc: 'Unit of measure (each, kilogram…).' })}</span>
        ${editable && line.units.length > 1
          ? html`<select
              aria-label=${msg(str`Unit of ${label}`, { desc: 'Name of a line\'s unit field; the placeholder is an item number.' })}
              @change=${(e: Event) => this.updateLine(line.key, { unitId: (e.target as HTMLSelectElement).value })}
            >
              ${line.units.map((u: SalesUnit) => html`<option value=${u.id} ?selected=${u.id === line.unitId}>${u.symbol}</option>`)}
            </select>`
          : html`<span>${unit?.symbol ?? ''}</span>`}
      </div>
      <div class="unit-price">
        <span class="cell-label" aria-hidden="true">${msg('Unit price')}</span>
        <span>${unit && unit.unitPrice !== null ? this.formatMoney(unit.unitPrice) : '—'}</span>
      </div>
      <div class="amount">
        <span class="cell-label" aria-hidden="true">${msg('Estimated net amount')}</span>
        <span>${amount !== null ? this.formatMoney(amount) : '—'}</span>
      </div>
      ${editable
        ? html`<div class="remove-cell">
            <button type="button" class="link remove" @click=${() => this.removeLine(line)}>
              ${msg(html`Remove<span class="visually-hidden"> ${fullName}</span>`, { desc: 'Button of a line; the hidden part names the product for screen readers.' })}
            </button>
          </div>`
        : nothing}
      ${showError ? html`<p class="error line-error" id=${errorId}>${error}</p>` : nothing}
    </li>`;
  }

  private renderReview(draft: OrderDraft, session: PortalSession): TemplateResult {
    const address = this.delivery(draft, session);
    const waiting = this.submitting || this.retryTimer !== undefined;
    const problem = this.problem;
    return html`
      <div class="step" part="step">
        <h3 id="step-title" tabindex="-1">${stepTitle('review')}</h3>
        <section class="review-section" aria-labelledby="review-information">
          <header>
            <h4 id="review-information">${stepTitle('information')}</h4>
            <button type="button" class="link" @click=${() => this.goTo('information')}>
              ${msg(html`Edit<span class="visually-hidden"> order information</span>`, { desc: 'Button; the hidden part says what is edited, for screen readers.' })}
            </button>
          </header>
          <dl class="facts">
            <dt>${msg('Requested receipt date', { desc: 'Field label: the date the customer wants to receive the goods.' })}</dt>
            <dd>${draft.requestedReceiptDate ? this.formatDay(draft.requestedReceiptDate, 'long') : ''}</dd>
            <dt>${msg('Delivery address')}</dt>
            <dd>${address ? [address.description, ...addressLines(address)].join('\n') : ''}</dd>
            <dt>${msg('Customer reference', { desc: "Field label: the customer's own reference for the order (e.g. their purchase order number)." })}</dt>
            <dd>${draft.customerReference.trim() || '—'}</dd>
            <dt>${msg('Requisition number', { desc: "Field label: the number of the customer's internal purchase requisition." })}</dt>
            <dd>${draft.requisitionNumber.trim() || '—'}</dd>
            <dt>${msg('Company')}</dt>
            <dd>${session.company?.name ?? ''}</dd>
            <dt>${msg('Ship to country/region')}</dt>
            <dd>${this.shipToCountry(draft) ?? ''}</dd>
            <dt>${msg('Ordered by')}</dt>
            <dd>${session.contact.name}</dd>
          </dl>
        </section>
        <section class="review-section" aria-labelledby="review-items">
          <header>
            <h4 id="review-items">${stepTitle('items')}</h4>
            <button type="button" class="link" @click=${() => this.goTo('items')}>
              ${msg(html`Edit<span class="visually-hidden"> items</span>`, { desc: 'Button; the hidden part says what is edited, for screen readers.' })}
            </button>
          </header>
          ${this.renderLines(draft, false, validateLines(draft))}
        </section>
        ${problem
          ? html`<div class="problem" part="problem" id="submit-problem">
              <strong>${msg('Your order was not submitted.')}</strong>
              ${this.problemText(problem, problem.kind === 'busy' && this.retryTimer !== undefined ? this.retryIn : undefined)}
              ${problem.kind === 'offline' && this.online ? msg("You're online now.") : nothing}
              ${problem.kind === 'not-sellable'
                ? html`<button type="button" class="link" @click=${() => this.goTo('items')}>${msg('Go to items')}</button>`
                : nothing}
            </div>`
          : nothing}
        <div class="actions">
          <button type="button" @click=${() => this.goTo('items')} aria-disabled=${this.submitting ? 'true' : 'false'}>
            ${msg('Back', { desc: 'Button: the previous step of the order form.' })}
          </button>
          <div class="end">
            <button
              type="button"
              class="primary"
              id="submit"
              aria-disabled=${waiting ? 'true' : 'false'}
              aria-describedby=${ifDefined(problem ? 'submit-problem' : undefined)}
              @click=${() => void this.submitOrder()}
            >${this.submitting ? html`<span class="busy-mark" aria-hidden="true"></span>` : nothing}${msg('Submit order')}</button>
          </div>
        </div>
      </div>
    `;
  }

  private renderSuccess(order: SubmittedOrder): TemplateResult {
    const number = order.salesOrderNumber ?? order.orderNumber;
    const pending = !order.salesOrderNumber;
    const href = this.hrefTemplate
      ? this.hrefTemplate.replace(/\{id\}/g, encodeURIComponent(order.id)).replace(/\{number\}/g, encodeURIComponent(number ?? ''))
      : '';
    const shownNumber = number ?? msg('being assigned', { desc: 'In place of the order number: "Your order number is being assigned".' });
    const reference = order.orderNumber ?? '';
    return html`<div class="success" part="success">
      <h3 id="step-title" tabindex="-1">${msg('Order submitted')}</h3>
      <p>
        ${msg(html`Thank you. Your order number is <span class="order-number" part="order-number">${shownNumber}</span>`, {
          desc: 'Keep the span around the number (it is styled).',
        })}
        ${pending
          ? html`<span class="tag pending" part="pending">${msg('Pending sync', { desc: 'Tag: the order is not yet in Supply Chain Management.' })}</span>`
          : html`<span class="tag synced">${msg('In our order system', { desc: 'Tag: the order is in Supply Chain Management.' })}</span>`}
      </p>
      <p class="hint">
        ${pending
          ? msg("It shows here with our sales order number as soon as our order system has taken it; you don't need to wait.")
          : msg(str`Reference in the portal: ${reference}.`, { desc: 'The placeholder is the Dataverse order number ("ORD-01234-X1Y2Z3").' })}
      </p>
      <div class="actions">
        ${href ? html`<a href=${href} part="order-link">${msg('View order')}</a>` : nothing}
        <button type="button" @click=${() => this.startOver()}>${msg('Start a new order')}</button>
      </div>
    </div>`;
  }

  private renderFooter(): TemplateResult {
    return html`<div class="footer">
      ${this.confirmStartOver
        ? html`<div role="group" aria-labelledby="start-over-question" class="actions">
            <span id="start-over-question">${msg('Discard this order and start over?')}</span>
            <button type="button" @click=${() => this.startOver()}>${msg('Discard order')}</button>
            <button type="button" @click=${() => {
              this.confirmStartOver = false;
              this.focusAfterUpdate = '#start-over';
            }}>${msg('Keep editing')}</button>
          </div>`
        : html`<span>${msg('Your order is kept in this browser tab until you submit it.')}</span>
            <button
              type="button"
              class="link"
              id="start-over"
              ?disabled=${this.submitting}
              @click=${() => {
                this.confirmStartOver = true;
                this.focusAfterUpdate = '#start-over-question + button';
              }}
            >${msg('Start over')}</button>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scm-order-form': ScmOrderForm;
  }
}
