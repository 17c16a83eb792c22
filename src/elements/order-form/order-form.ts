import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { Task, TaskStatus } from '@lit/task';
import type { DataverseClient } from '../../dataverse/client.js';
import { isAbort } from '../../dataverse/errors.js';
import { isGuid, normalizeGuid } from '../../dataverse/guid.js';
import { orderSubmitEvent, type ReorderDetail } from '../../events.js';
import { gateStyles, PortalElement } from '../../internal/portal-element.js';
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
  type InformationErrors,
  type InformationField,
  type LineErrors,
  type OneTimeAddress,
  type OrderDraft,
  type OrderStep,
  type PendingItem,
  type QuickAddProblem,
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

/** What went wrong with a submission, as the form shows it. */
interface FormProblem {
  readonly kind: SubmitProblem['kind'] | 'not-sellable' | 'incomplete';
  readonly message: string;
  readonly retryAfterMs?: number;
}

/** Errors of the item being added. */
interface ItemErrors {
  readonly product?: string;
  readonly quantity?: string;
  readonly unit?: string;
}

/** The roles of the Customer portal template that may place orders. */
const ORDERING_ROLES = ['authorized-user', 'customer-representative', 'administrator'] as const;

const STEP_TITLES: Readonly<Record<OrderStep, string>> = {
  information: 'Order information',
  items: 'Items',
  review: 'Review and submit',
};

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
 *   refresh on it. Never fired because the host set a property.
 */
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
  @state() private quickAddProblems: readonly QuickAddProblem[] = [];
  @state() private quickAddOpen = false;
  @state() private busyNote = '';
  @state() private prefillNotice = '';
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
    if (this.problem?.kind === 'offline') this.announce("You're back online. Submit your order when you're ready.");
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
    this.prefillNotice = '';
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
    this.announce('Started a new order.');
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
      return new Intl.DateTimeFormat(this.locale, { dateStyle: style }).format(new Date(year, month - 1, date));
    } catch {
      return day;
    }
  }

  private formatMoney(amount: number): string {
    const code = this.ready?.session.currency?.code;
    try {
      return code
        ? new Intl.NumberFormat(this.locale, { style: 'currency', currency: code }).format(amount)
        : new Intl.NumberFormat(this.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
    } catch {
      return amount.toFixed(2);
    }
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

  private informationErrors(draft: OrderDraft): InformationErrors {
    const book = this.addressBook;
    const errors = validateInformation(draft, {
      today: this.today,
      earliestDays: this.earliestDays,
      // Until the addresses are loaded, a stored choice is not questioned (it is checked when they arrive).
      addressIds: book ? book.addresses.map((a) => a.id) : [draft.deliveryAddressId],
      formatDay: (day) => this.formatDay(day, 'long'),
    });
    if (!errors.deliveryAddress && draft.deliveryAddressId !== '') {
      if (this.addressesTask.status === TaskStatus.ERROR) {
        errors.deliveryAddress = "Your delivery addresses couldn't be loaded. Retry loading them before you continue.";
      } else if (!book) {
        errors.deliveryAddress = 'Your delivery addresses are still loading. Try again in a moment.';
      } else if (draft.deliveryAddressId === ONE_TIME_ADDRESS && !book.country) {
        errors.deliveryAddress = 'Your account has no country/region for a one-time address. Choose one of your addresses, or contact us.';
      }
    }
    return errors;
  }

  /** Checks the information step; shows its errors and focuses the first one when it fails. */
  private checkInformation(draft: OrderDraft): boolean {
    const errors = this.informationErrors(draft);
    const first = INFORMATION_FIELDS.find(([field]) => errors[field]);
    if (!first) return true;
    this.showInformationErrors = true;
    this.focusAfterUpdate = `#${first[1]}`;
    const count = Object.keys(errors).length;
    this.announce(count === 1 ? '1 field needs attention.' : `${count} fields need attention.`);
    return false;
  }

  /** Checks the items step; shows its errors and focuses the first one when it fails. */
  private checkLines(draft: OrderDraft): boolean {
    const pending = draft.pending;
    if (pending.product || (pending.query.trim() !== '' && draft.lines.length === 0)) {
      this.itemErrors = {
        product: pending.product
          ? `You chose ${pending.product.itemNumber} but didn't add it. Select Add item, or clear the Product field.`
          : 'Choose a product from the list, then select Add item.',
      };
      this.focusAfterUpdate = '#product';
      this.announce('The item in the Product field has not been added.');
      return false;
    }
    const errors = validateLines(draft);
    if (!errors.order && errors.lines.size === 0) return true;
    this.showLineErrors = true;
    const firstKey = draft.lines.find((line) => errors.lines.has(line.key))?.key;
    this.focusAfterUpdate = errors.order ? '#product' : firstKey ? `[data-key="${firstKey}"] input, [data-key="${firstKey}"] button` : undefined;
    this.announce(errors.order ?? `${errors.lines.size === 1 ? '1 item needs' : `${errors.lines.size} items need`} attention.`);
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
    this.announce(`Step ${to + 1} of 3: ${STEP_TITLES[step]}.`);
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
    const price = unit?.unitPrice !== null && unit?.unitPrice !== undefined ? `, ${this.formatMoney(unit.unitPrice)} per ${unit.symbol}` : '';
    this.announce(`${product.itemNumber} ${product.name} chosen${price}.`);
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
    const errors: { product?: string; quantity?: string; unit?: string } = {};
    const unit = product?.units.find((u) => u.id === unitId);
    if (!product) errors.product = draft.pending.query.trim() === '' ? 'Search for a product and choose it from the list.' : 'Choose a product from the list.';
    else if (!unit) errors.unit = 'Choose a unit.';
    const checked = checkQuantity(quantity, unit);
    if (!checked.ok) errors.quantity = checked.message;
    if (errors.product || errors.quantity || errors.unit) {
      this.itemErrors = errors;
      this.focusAfterUpdate = errors.product ? '#product' : errors.unit ? '#unit' : '#quantity';
      this.announce(errors.product ?? errors.unit ?? errors.quantity ?? '');
      return;
    }
    const lines = addToLines(draft.lines, product!, unit!, checked.ok ? checked.value : 0);
    this.patch({ lines, pending: { query: '', product: null, quantity: '', unitId: '' } });
    this.itemErrors = {};
    this.searchText = '';
    this.focusAfterUpdate = '#product';
    const count = lines.length;
    this.announce(
      `Added ${formatQuantity(checked.ok ? checked.value : 0, unit!.decimals)} ${unit!.symbol} of ${product!.itemNumber} ${product!.name}. ` +
        `${count} ${count === 1 ? 'item' : 'items'} in this order.`,
    );
  }

  private async onQuickAdd(event: Event): Promise<void> {
    event.preventDefault();
    const ready = this.ready;
    const draft = this.draft;
    if (!ready || !draft || this.busyNote) return;
    const { entries, problems } = parseQuickAdd(draft.quickAddText);
    if (entries.length === 0 && problems.length === 0) {
      this.quickAddProblems = [{ lineNumber: 1, text: '', message: 'Type one item per line, for example "D0001, 5".' }];
      this.focusAfterUpdate = '#quick-add';
      return;
    }
    this.busyNote = 'Looking up the item numbers…';
    let found: Map<string, SellableProduct>;
    try {
      found = entries.length ? await findProductsByItemNumber(ready.client, ready.session, entries.map((e) => e.itemNumber), this.workSignal()) : new Map();
    } catch (error) {
      this.busyNote = '';
      if (isAbort(error)) return;
      this.quickAddProblems = [{ lineNumber: 0, text: '', message: submitProblemOf(error).message.replace(/Your order is kept; /, '') }];
      this.focusAfterUpdate = '#quick-add';
      return;
    }
    this.busyNote = '';
    const current = this.draft;
    if (!current) return;
    const bad: QuickAddProblem[] = [...problems];
    let lines = current.lines;
    let added = 0;
    for (const entry of entries) {
      const product = found.get(itemNumberKey(entry.itemNumber));
      if (!product) {
        bad.push({ ...entry, message: `No product ${entry.itemNumber} on your price list.` });
        continue;
      }
      const unit = product.units[0];
      const checked = checkQuantity(entry.quantityText, unit);
      if (!unit || !checked.ok) {
        bad.push({ ...entry, message: checked.ok ? `${entry.itemNumber} has no sales unit.` : checked.message });
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
    const summary = [
      added > 0 ? `${added} ${added === 1 ? 'item' : 'items'} added.` : '',
      remaining.length > 0 ? `${remaining.length} ${remaining.length === 1 ? 'line needs' : 'lines need'} attention.` : '',
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
    this.announce(`Removed ${line.itemNumber} ${line.productName}. ${lines.length} ${lines.length === 1 ? 'item' : 'items'} left.`);
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
    this.busyNote = 'Adding items…';
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
            productName: name?.name ?? line.itemNumber ?? 'Unknown product',
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
      this.prefillNotice = unknown.length
        ? `Not on your price list, so not added: ${unknown.join(', ')}.`
        : '';
      const parts = [
        `${added} ${added === 1 ? 'item' : 'items'} added${source === 'reorder' ? ' from your earlier order' : ''}.`,
        notSold ? `${notSold} ${notSold === 1 ? 'is' : 'are'} no longer sold and must be removed before you submit.` : '',
        this.prefillNotice,
      ];
      this.announce(parts.filter(Boolean).join(' '));
      if (source === 'reorder') {
        this.showLineErrors = notSold > 0;
        this.focusAfterUpdate = '#step-title';
      }
    } catch (error) {
      if (!isAbort(error)) this.prefillNotice = "The items couldn't be added: the service didn't answer. Try again in a moment.";
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
    window.addEventListener('beforeunload', this.onBeforeUnload);
    this.announce('Submitting your order…');
    const abort = new AbortController();
    this.submitAbort = abort;
    try {
      const notSold = await this.refreshLines(ready, abort.signal);
      if (notSold > 0) {
        this.showProblem({
          kind: 'not-sellable',
          message:
            notSold === 1
              ? "1 item is no longer sold to your account. Remove it, then submit. The rest of your order is kept."
              : `${notSold} items are no longer sold to your account. Remove them, then submit. The rest of your order is kept.`,
        });
        return;
      }
      const current = this.draft!;
      const delivery = this.delivery(current, ready.session);
      if (!delivery) {
        this.showProblem({ kind: 'incomplete', message: 'Choose the delivery address again: it is no longer available.' });
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
      this.onSubmitted(result, ready);
    } catch (error) {
      if (isAbort(error, abort.signal)) return;
      const problem = submitProblemOf(error, { accountName: ready.session.account.name });
      this.showProblem(problem);
      if (problem.kind === 'busy') this.scheduleRetry(problem.retryAfterMs ?? 10_000);
    } finally {
      if (this.submitAbort === abort) this.submitAbort = undefined;
      this.submitting = false;
      window.removeEventListener('beforeunload', this.onBeforeUnload);
    }
  }

  private showProblem(problem: FormProblem): void {
    this.problem = problem;
    this.announcement = '';
    this.alert(`Your order was not submitted. ${problem.message}`);
  }

  private onSubmitted(result: SubmittedOrder, ready: { client: DataverseClient; session: PortalSession }): void {
    this.store.clear(ready.session.contact.id);
    this.submitted = result;
    this.problem = undefined;
    this.internals.setFormValue(result.id);
    this.focusAfterUpdate = '#step-title';
    const number = result.salesOrderNumber ?? result.orderNumber;
    this.announce(`Your order is submitted${number ? `: ${number}` : ''}.`);
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
        this.announce('Your order was submitted before the page reloaded.');
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
            this.announce(`Your order is now in our order system as ${numbers.salesOrderNumber}.`);
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

  protected override render(): TemplateResult | typeof nothing {
    const gate = this.renderGate('the order form');
    if (gate !== nothing) return gate;
    const ready = this.ready!;
    const session = ready.session;
    if (session.roles.length > 0 && !session.roles.some((role) => (ORDERING_ROLES as readonly string[]).includes(role))) {
      return html`<div class="gate" role="alert" part="gate">
        <strong>Your account can't place orders online.</strong>
        <p>Ask your organisation's administrator to give you the Authorized user role for ${session.account.name}.</p>
      </div>`;
    }
    const missing = missingOrderDefaults(session);
    if (missing.length > 0) {
      return html`<div class="gate" role="alert" part="gate">
        <strong>Ordering online isn't set up for your account yet.</strong>
        <p>Your contact record has no ${missing.join(', ')}. Contact us and we'll set it up.</p>
      </div>`;
    }
    const draft = this.draft;
    if (!draft) return html`<div class="gate" role="status" part="gate">Loading the order form…</div>`;
    const step = this.submitted ? undefined : draft.step;
    return html`
      <section class="base" part="base" aria-labelledby="form-title" .inert=${this.disabled}>
        <header part="header">
          <h2 id="form-title">New order</h2>
          ${step ? this.renderSteps(step) : nothing}
        </header>
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
        <div class="visually-hidden" role="alert" aria-atomic="true">${this.alertText}</div>
        ${this.submitted
          ? this.renderSuccess(this.submitted)
          : this.checkingEarlier
            ? html`<p class="notice" role="status">Checking whether your order was already submitted…</p>`
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
    return html`<ol class="steps" part="steps" aria-label="Steps">
      ${ORDER_STEPS.map(
        (step, i) => html`<li class=${i < index ? 'done' : ''} aria-current=${ifDefined(step === current ? 'step' : undefined)}>
          <span class="number" aria-hidden="true">${i < index ? '✓' : i + 1}</span>
          <span>${STEP_TITLES[step]}${i < index ? html`<span class="visually-hidden"> (done)</span>` : nothing}</span>
        </li>`,
      )}
    </ol>`;
  }

  /** A labelled field with its hint and error wired through `aria-describedby`. */
  private field(options: {
    id: string;
    label: string;
    marker?: 'Required' | 'Optional';
    hint?: string | TemplateResult;
    error?: string;
    wide?: boolean;
    control: (describedBy: string | undefined, invalid: 'true' | 'false') => TemplateResult;
  }): TemplateResult {
    const ids = [options.hint ? `${options.id}-hint` : '', options.error ? `${options.id}-error` : ''].filter(Boolean);
    return html`<div class="field ${options.wide ? 'wide' : ''}">
      <div>
        <label for=${options.id}>${options.label}</label>${options.marker
          ? html`<span class="marker" aria-hidden="true">${options.marker}</span>`
          : nothing}
      </div>
      ${options.hint ? html`<p class="hint" id="${options.id}-hint">${options.hint}</p>` : nothing}
      ${options.control(ids.length ? ids.join(' ') : undefined, options.error ? 'true' : 'false')}
      ${options.error ? html`<p class="error" id="${options.id}-error">${options.error}</p>` : nothing}
    </div>`;
  }

  private renderInformation(draft: OrderDraft, session: PortalSession): TemplateResult {
    const errors = this.showInformationErrors ? this.informationErrors(draft) : {};
    const earliest = this.earliest;
    const text = (name: keyof OneTimeAddress) => (event: Event) =>
      this.patch({ oneTimeAddress: { ...draft.oneTimeAddress, [name]: (event.target as HTMLInputElement).value } });
    const oneTime = draft.deliveryAddressId === ONE_TIME_ADDRESS;
    return html`
      <form class="step" part="step" novalidate aria-labelledby="step-title" @submit=${(e: Event) => {
        e.preventDefault();
        this.goTo('items');
      }}>
        <h3 id="step-title" tabindex="-1">Order information</h3>
        <div class="fields">
          ${this.field({
            id: 'receipt-date',
            label: 'Requested receipt date',
            marker: 'Required',
            hint: `When you need the goods. The earliest date is ${this.formatDay(earliest, 'long')}.`,
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
            label: 'Customer reference',
            marker: 'Optional',
            hint: 'Your own reference for this order, such as a purchase order number.',
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
            label: 'Requisition number',
            marker: 'Optional',
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
            <dt>Company</dt>
            <dd>${session.company!.name}${session.company!.code ? ` (${session.company!.code})` : ''}</dd>
            <dt>Ship to country/region</dt>
            <dd>${this.shipToCountry(draft) ?? (this.addressBook || this.addressesTask.status === TaskStatus.ERROR ? 'Not known' : 'Loading…')}</dd>
            <dt>Customer</dt>
            <dd>${session.account.name}${session.account.number ? ` (${session.account.number})` : ''}</dd>
            <dt>Ordered by</dt>
            <dd>${session.contact.name}</dd>
          </dl>
        </div>
        <div class="actions">
          <div class="end"><button type="submit" class="primary">Next</button></div>
        </div>
      </form>
    `;
  }

  private renderAddressField(draft: OrderDraft, errors: InformationErrors): TemplateResult {
    const status = this.addressesTask.status;
    const book = this.addressBook;
    const chosen = this.chosenAddress(draft);
    const hint =
      !book && (status === TaskStatus.PENDING || status === TaskStatus.INITIAL)
        ? 'Loading your delivery addresses…'
        : status === TaskStatus.ERROR
          ? html`Your delivery addresses couldn't be loaded.
              <button type="button" class="link" @click=${() => void this.addressesTask.run()}>Retry</button>`
          : chosen
            ? addressLines(chosen).join('\n')
            : undefined;
    return this.field({
      id: 'delivery-address',
      label: 'Delivery address',
      marker: 'Required',
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
        <option value="" ?selected=${draft.deliveryAddressId === ''}>Choose a delivery address</option>
        ${(book?.addresses ?? []).map(
          (address) => html`<option value=${address.id} ?selected=${address.id === draft.deliveryAddressId}>
            ${addressSummary(address)}${address.primary ? ' (primary)' : ''}
          </option>`,
        )}
        ${!book && draft.deliveryAddressId !== '' && draft.deliveryAddressId !== ONE_TIME_ADDRESS
          ? html`<option value=${draft.deliveryAddressId} selected data-loading>Your chosen address (loading…)</option>`
          : nothing}
        <option value=${ONE_TIME_ADDRESS} ?selected=${draft.deliveryAddressId === ONE_TIME_ADDRESS}>A one-time address…</option>
      </select>`,
    });
  }

  private renderOneTimeAddress(
    draft: OrderDraft,
    errors: InformationErrors,
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
    return html`<fieldset class="wide">
      <legend>One-time address</legend>
      <div class="fields">
        ${this.field({
          id: 'one-time-description',
          label: 'Address name',
          marker: 'Required',
          hint: 'How we should call it on the order, such as "Site office, Pier 4".',
          error: errors.oneTimeDescription,
          wide: true,
          control: input('one-time-description', 'description', 'off'),
        })}
        ${this.field({ id: 'one-time-line1', label: 'Street and number', marker: 'Required', error: errors.oneTimeLine1, wide: true, control: input('one-time-line1', 'line1', 'address-line1') })}
        ${this.field({ id: 'one-time-line2', label: 'Street line 2', marker: 'Optional', wide: true, control: input('one-time-line2', 'line2', 'address-line2') })}
        ${this.field({ id: 'one-time-city', label: 'City', marker: 'Required', error: errors.oneTimeCity, control: input('one-time-city', 'city', 'address-level2') })}
        ${this.field({ id: 'one-time-state', label: 'State or province', marker: 'Optional', control: input('one-time-state', 'stateOrProvince', 'address-level1') })}
        ${this.field({ id: 'one-time-postal-code', label: 'Postal code', marker: 'Required', error: errors.oneTimePostalCode, control: input('one-time-postal-code', 'postalCode', 'postal-code') })}
        <p class="hint wide">Country/region: ${this.addressBook?.country ?? 'your account\u2019s'} (from your account).</p>
      </div>
    </fieldset>`;
  }

  private renderItems(draft: OrderDraft): TemplateResult {
    const lineErrors = validateLines(draft);
    return html`
      <div class="step" part="step">
        <h3 id="step-title" tabindex="-1">Items</h3>
        ${this.renderAddItem(draft, this.showLineErrors ? lineErrors.order : undefined)}
        ${this.renderQuickAdd(draft)}
        ${this.busyNote ? html`<p class="notice" role="status">${this.busyNote}</p>` : nothing}
        ${this.prefillNotice ? html`<p class="notice">${this.prefillNotice}</p>` : nothing}
        ${this.renderLines(draft, true, lineErrors)}
        <div class="actions">
          <button type="button" @click=${() => this.goTo('information')}>Back</button>
          <div class="end"><button type="button" class="primary" @click=${() => this.goTo('review')}>Next</button></div>
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
    const productError = this.itemErrors.product ?? orderError;
    const searchStatus = searching
      ? 'Searching…'
      : this.searchTask.status === TaskStatus.ERROR
        ? "The products couldn't be searched. Try again in a moment."
        : this.searchText && !product && this.searchTask.status === TaskStatus.COMPLETE
          ? options.length === 0
            ? `No product on your price list matches "${this.searchText}".`
            : `${options.length} ${options.length === 1 ? 'product' : 'products'} found. Use the up and down arrow keys to choose.`
          : '';
    const quantity = parseQuantity(pending.quantity);
    const estimate = unit && unit.unitPrice !== null && quantity !== null && quantity > 0 ? this.formatMoney(unit.unitPrice * quantity) : null;
    return html`<form class="add-item" part="add-item" novalidate aria-label="Add an item" @submit=${this.onAddItem}>
      ${this.field({
        id: 'product',
        label: 'Product',
        hint: 'Type an item number or part of a name.',
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
          <ul id="product-options" role="listbox" part="listbox" aria-label="Products" ?hidden=${!open}>
            ${options.map(
              (option, index) => html`<li
                id="product-option-${index}"
                role="option"
                aria-selected=${index === this.activeIndex ? 'true' : 'false'}
                @mousedown=${(e: Event) => e.preventDefault()}
                @click=${() => this.choose(option)}
              >
                <span class="item-number">${option.itemNumber}</span>
                <span>${option.name}</span>
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
        label: 'Quantity',
        hint: unit ? (unit.decimals === 0 ? 'Whole numbers.' : `Up to ${unit.decimals} decimals.`) : undefined,
        error: this.itemErrors.quantity,
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
        label: 'Unit',
        error: this.itemErrors.unit,
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
            : html`<option value="">Choose a product first</option>`}
        </select>`,
      })}
      <button type="submit" class="add">Add item</button>
      <p class="estimate hint">${estimate ? `Estimated net amount: ${estimate}` : ''}</p>
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
      <summary>Quick add by item number</summary>
      <form novalidate @submit=${this.onQuickAdd}>
        <div class="field">
          <label for="quick-add">Item numbers and quantities</label>
          <p class="hint" id="quick-add-hint">One item per line: the item number, a comma, then the quantity. For example: D0001, 5</p>
          <textarea
            id="quick-add"
            spellcheck="false"
            .value=${live(draft.quickAddText)}
            aria-describedby=${describedBy}
            aria-invalid=${problems.length ? 'true' : 'false'}
            @input=${(e: Event) => this.patch({ quickAddText: (e.target as HTMLTextAreaElement).value })}
          ></textarea>
          ${problems.length
            ? html`<ul class="problems" id="quick-add-problems" aria-label="Lines that could not be added">
                ${problems.map(
                  (p) => html`<li>${p.text ? html`Line ${p.lineNumber}, <q>${p.text}</q>: ` : nothing}${p.message}</li>`,
                )}
              </ul>`
            : nothing}
        </div>
        <div class="actions"><button type="submit">Add lines</button></div>
      </form>
    </details>`;
  }

  private renderLines(draft: OrderDraft, editable: boolean, errors: LineErrors): TemplateResult {
    if (draft.lines.length === 0) {
      return html`<p class="notice" id="lines-empty">No items yet. Search for a product above, or use quick add.</p>`;
    }
    const total = draftTotal(draft);
    const count = draft.lines.length;
    return html`<div class="lines-block">
      <div class="lines-header ${editable ? '' : 'read-only-header'}" aria-hidden="true">
        <span>Product</span><span>Quantity</span><span>Unit</span><span class="unit-price">Unit price</span
        ><span class="amount">Estimated net amount</span>${editable ? html`<span></span>` : nothing}
      </div>
      <ul class="lines ${editable ? '' : 'read-only'}" part="lines" aria-label="Items in this order">
        ${draft.lines.map((line) => this.renderLine(line, editable, errors.lines.get(line.key)))}
      </ul>
      <dl class="totals" part="totals">
        <dt>Estimated total (${count} ${count === 1 ? 'item' : 'items'})</dt>
        <dd>${this.formatMoney(total.amount)}${total.complete ? '' : ' + items without a price'}</dd>
      </dl>
      <p class="note">
        Estimated in ${this.ready?.session.currency?.code ?? 'your currency'} from your price list. Prices, discounts, charges and
        tax are set when we confirm the order.
      </p>
    </div>`;
  }

  private renderLine(line: DraftLine, editable: boolean, error: string | undefined): TemplateResult {
    const unit = unitOf(line);
    const amount = lineAmount(line);
    const label = line.itemNumber || line.productName;
    const errorId = `line-${line.key}-error`;
    // Quantity rules show as soon as a quantity is changed; "no longer sold" always.
    const showError = error !== undefined;
    return html`<li class="line" part="line" data-key=${line.key} ?data-not-sellable=${line.notSellable === true}>
      <div class="product">
        <span class="item-number">${line.itemNumber}</span>
        <span class="product-name">${line.productName}</span>
        ${line.notSellable ? html`<span class="tag warning">No longer sold</span>` : nothing}
      </div>
      <div class="quantity">
        <span class="cell-label" aria-hidden="true">Quantity</span>
        ${editable && !line.notSellable
          ? html`<input
              type="text"
              inputmode="decimal"
              autocomplete="off"
              aria-label="Quantity of ${label}"
              aria-describedby=${ifDefined(showError ? errorId : undefined)}
              aria-invalid=${showError ? 'true' : 'false'}
              .value=${live(line.quantity)}
              @input=${(e: Event) => this.updateLine(line.key, { quantity: (e.target as HTMLInputElement).value })}
            />`
          : html`<span>${line.quantity}</span>`}
      </div>
      <div class="unit">
        <span class="cell-label" aria-hidden="true">Unit</span>
        ${editable && line.units.length > 1
          ? html`<select
              aria-label="Unit of ${label}"
              @change=${(e: Event) => this.updateLine(line.key, { unitId: (e.target as HTMLSelectElement).value })}
            >
              ${line.units.map((u: SalesUnit) => html`<option value=${u.id} ?selected=${u.id === line.unitId}>${u.symbol}</option>`)}
            </select>`
          : html`<span>${unit?.symbol ?? ''}</span>`}
      </div>
      <div class="unit-price">
        <span class="cell-label" aria-hidden="true">Unit price</span>
        <span>${unit && unit.unitPrice !== null ? this.formatMoney(unit.unitPrice) : '—'}</span>
      </div>
      <div class="amount">
        <span class="cell-label" aria-hidden="true">Estimated net amount</span>
        <span>${amount !== null ? this.formatMoney(amount) : '—'}</span>
      </div>
      ${editable
        ? html`<div>
            <button type="button" class="link remove" @click=${() => this.removeLine(line)}>
              Remove<span class="visually-hidden"> ${label} ${line.productName}</span>
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
        <h3 id="step-title" tabindex="-1">Review and submit</h3>
        <section class="review-section" aria-labelledby="review-information">
          <header>
            <h4 id="review-information">Order information</h4>
            <button type="button" class="link" @click=${() => this.goTo('information')}>
              Edit<span class="visually-hidden"> order information</span>
            </button>
          </header>
          <dl class="facts">
            <dt>Requested receipt date</dt>
            <dd>${draft.requestedReceiptDate ? this.formatDay(draft.requestedReceiptDate, 'long') : ''}</dd>
            <dt>Delivery address</dt>
            <dd>${address ? [address.description, ...addressLines(address)].join('\n') : ''}</dd>
            <dt>Customer reference</dt>
            <dd>${draft.customerReference.trim() || '—'}</dd>
            <dt>Requisition number</dt>
            <dd>${draft.requisitionNumber.trim() || '—'}</dd>
            <dt>Company</dt>
            <dd>${session.company?.name ?? ''}</dd>
            <dt>Ship to country/region</dt>
            <dd>${this.shipToCountry(draft) ?? ''}</dd>
            <dt>Ordered by</dt>
            <dd>${session.contact.name}</dd>
          </dl>
        </section>
        <section class="review-section" aria-labelledby="review-items">
          <header>
            <h4 id="review-items">Items</h4>
            <button type="button" class="link" @click=${() => this.goTo('items')}>Edit<span class="visually-hidden"> items</span></button>
          </header>
          ${this.renderLines(draft, false, validateLines(draft))}
        </section>
        ${problem
          ? html`<div class="problem" part="problem" id="submit-problem">
              <strong>Your order was not submitted.</strong>
              ${problem.kind === 'busy' && this.retryTimer !== undefined
                ? html`The service is busy right now. Your order is kept; we'll retry in ${this.retryIn} s.`
                : problem.message}
              ${problem.kind === 'offline' && this.online ? html` You're online now.` : nothing}
              ${problem.kind === 'not-sellable'
                ? html`<button type="button" class="link" @click=${() => this.goTo('items')}>Go to items</button>`
                : nothing}
            </div>`
          : nothing}
        <div class="actions">
          <button type="button" @click=${() => this.goTo('items')} aria-disabled=${this.submitting ? 'true' : 'false'}>Back</button>
          <div class="end">
            <button
              type="button"
              class="primary"
              id="submit"
              aria-disabled=${waiting ? 'true' : 'false'}
              aria-describedby=${ifDefined(problem ? 'submit-problem' : undefined)}
              @click=${() => void this.submitOrder()}
            >${this.submitting ? html`<span class="busy-mark" aria-hidden="true"></span>` : nothing}Submit order</button>
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
    return html`<div class="success" part="success">
      <h3 id="step-title" tabindex="-1">Order submitted</h3>
      <p>
        Thank you. Your order number is
        <span class="order-number" part="order-number">${number ?? 'being assigned'}</span>
        ${pending
          ? html`<span class="tag pending" part="pending">Pending sync</span>`
          : html`<span class="tag synced">In our order system</span>`}
      </p>
      <p class="hint">
        ${pending
          ? "It shows here with our sales order number as soon as our order system has taken it; you don't need to wait."
          : `Reference in the portal: ${order.orderNumber ?? ''}.`}
      </p>
      <div class="actions">
        ${href ? html`<a href=${href} part="order-link">View order</a>` : nothing}
        <button type="button" @click=${() => this.startOver()}>Start a new order</button>
      </div>
    </div>`;
  }

  private renderFooter(): TemplateResult {
    return html`<div class="footer">
      ${this.confirmStartOver
        ? html`<div role="group" aria-labelledby="start-over-question" class="actions">
            <span id="start-over-question">Discard this order and start over?</span>
            <button type="button" @click=${() => this.startOver()}>Discard order</button>
            <button type="button" @click=${() => {
              this.confirmStartOver = false;
              this.focusAfterUpdate = '#start-over';
            }}>Keep editing</button>
          </div>`
        : html`<span>Your order is kept in this browser tab until you submit it.</span>
            <button
              type="button"
              class="link"
              id="start-over"
              ?disabled=${this.submitting}
              @click=${() => {
                this.confirmStartOver = true;
                this.focusAfterUpdate = '#start-over-question + button';
              }}
            >Start over</button>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scm-order-form': ScmOrderForm;
  }
}
