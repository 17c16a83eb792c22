import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { Task, TaskStatus } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import { DataverseError, isAbort } from '../../dataverse/errors.js';
import { reorderEvent, type ReorderLine } from '../../events.js';
import { gateStyles, PortalElement } from '../../internal/portal-element.js';
import { lineStatusLabel, orderStatusLabel, stepName } from '../../internal/labels.js';
import {
  FINAL_STATUSES,
  hasOrderChanged,
  loadOrder,
  type Money,
  type OrderDetail,
  type OrderLine,
  type OrderLocator,
  type OrderStep,
} from '../../portal/order-detail.js';
import type { PortalSession } from '../../portal/session.js';
import { orderDetailStyles } from './order-detail.styles.js';

/** What the element shows: the order (or `null`: not found / not yours) for one locator and session. */
interface DetailView {
  /** The session and locator the order belongs to. */
  readonly key: string;
  readonly order: OrderDetail | null;
  /** True right after a live update moved the status (highlighted once). */
  readonly moved: boolean;
}

/** Shortest time between two live checks, in seconds. */
const MIN_LIVE_INTERVAL = 0.2;
/** How long the "Copied" confirmation stays. */
const COPY_MESSAGE_MS = 5000;

/** Reflect a number attribute only when it differs from its default. */
const numberWithDefault = (fallback: number) => ({
  fromAttribute: (value: string | null) => {
    if (value === null || value.trim() === '') return fallback;
    const n = Number(value);
    return Number.isFinite(n) ? n : fallback;
  },
  toAttribute: (value: number) => (value === fallback ? null : String(value)),
});

/** Visible (and spoken) words for where a step is. */
function stepStateText(step: OrderStep): string {
  if (step.partial) return msg('Now, in part', { desc: 'Timeline: the order is partly at this step.' });
  switch (step.state) {
    case 'done':
      return msg('Done', { desc: 'Timeline: the order has passed this step.' });
    case 'current':
      return msg('Now', { desc: 'Timeline: the order is at this step.' });
    case 'upcoming':
      return msg('Not yet', { desc: 'Timeline: the order has not reached this step.' });
  }
}

/**
 * A step's name: the status itself on the current step of a partial or cancelled order ("Partially delivered"),
 * else the step's.
 */
function stepLabel(step: OrderStep, order: OrderDetail): string {
  if ((step.partial || (step.key === 'cancelled' && step.state === 'current')) && order.status.value !== null) {
    return orderStatusLabel(order.status) || stepName(step.key);
  }
  return stepName(step.key);
}

/** Marker shapes: they repeat the state in a form that is not colour (✓ done, ● now, ◐ partly, ✕ cancelled). */
function markerOf(step: OrderStep): string {
  if (step.key === 'cancelled') return '✕';
  if (step.state === 'done') return '✓';
  if (step.state === 'current') return step.partial ? '◐' : '●';
  return '';
}

/**
 * One sales order, everything a buyer asks the sales desk about it: its number (the SCM number, or "pending
 * sync"), where it is in Supply Chain Management as a step timeline, dates, references, who placed it, the
 * delivery address and terms, the lines, the totals in the order's currency (marked "Estimated" until SCM has
 * confirmed the prices), and its invoices — read in one request. The status moves on screen when SCM moves it.
 *
 * Give it `order-id` (the Dataverse id) or `order-number` (the SCM number `SO-…` or the Dataverse number). An
 * order that does not exist and an order that is not the signed-in customer's get the same message.
 *
 * Actions: **Reorder** fires `scm-reorder` with the order's lines; an `<scm-order-form>` on the same page listens
 * for it on the document and fills itself (the event bubbles and is composed, so nothing else is needed; hosts
 * without the form can listen and navigate). **Print** opens the browser's print dialog; the print stylesheet
 * leaves out the buttons and prints the whole order. **Copy order number** uses the Clipboard API and confirms
 * with a visible "Copied" in a live region; when the clipboard is refused, it selects the number so that the user
 * can copy it by hand.
 *
 * Live: while the element is visible it asks every `live-interval` seconds whether the order changed, with a
 * conditional GET of the order's header (`If-None-Match` + the row version: a body-less 304 while nothing changed)
 * and loads the order again only when it did. This is cheaper than change tracking for one order (which starts by
 * listing every order in scope, tens of thousands for a large account). It stops once the order is invoiced or
 * cancelled, and pauses while the element or the page is hidden.
 *
 * Must be placed inside `<scm-portal>`.
 *
 * @summary One order: status timeline, lines, totals, invoices; reorder, print, copy; live status.
 *
 * @csspart base - The order (an `<article>`).
 * @csspart header - The order number, status line and actions.
 * @csspart number - The order number.
 * @csspart pending - The "pending sync" tag of an order not yet in SCM.
 * @csspart copy - The "Copy order number" button.
 * @csspart copy-status - The "Copied" confirmation (a live region).
 * @csspart status - The status label in the header.
 * @csspart actions - The Reorder and Print buttons.
 * @csspart timeline - The progress steps (an ordered list).
 * @csspart step - One progress step.
 * @csspart facts - Dates, references, people and terms.
 * @csspart address - The delivery address (an `<address>`).
 * @csspart lines - The lines section.
 * @csspart line - One line (a table row, or a card when narrow).
 * @csspart line-status - A line's status (text, with a shape).
 * @csspart totals - The totals section.
 * @csspart estimated - The "Estimated" (or "Confirmed") badge of the totals.
 * @csspart invoices - The invoices section.
 * @csspart skeleton - The placeholder shown while the order loads.
 * @csspart not-found - The message for an order that does not exist or is not the customer's.
 * @csspart empty - The message shown when no order is chosen.
 * @csspart error - The error message with Retry.
 * @csspart gate - The message shown instead of the order when signed out, misconfigured or outside `<scm-portal>`.
 *
 * @cssprop [--scm-order-detail-accent=var(--scm-color-primary, #0969da)] - The current step, focus rings, primary buttons.
 * @cssprop [--scm-order-detail-text=var(--scm-color-text, #1f2328)] - Text colour.
 * @cssprop [--scm-order-detail-muted=var(--scm-color-text-muted, #59636e)] - Labels and secondary text.
 * @cssprop [--scm-order-detail-border=var(--scm-color-border, #d0d7de)] - Borders and rules.
 * @cssprop [--scm-order-detail-surface=var(--scm-color-surface, #fff)] - Background of tables, steps and cards.
 * @cssprop [--scm-order-detail-header-background=var(--scm-color-surface-muted, #f6f8fa)] - Background of table headers.
 * @cssprop [--scm-order-detail-done=var(--scm-color-success, #1a7f37)] - Done steps, delivered lines, "Copied".
 * @cssprop [--scm-order-detail-warning=var(--scm-color-warning, #9a6700)] - "Estimated", "pending sync", open lines.
 * @cssprop [--scm-order-detail-danger=var(--scm-color-danger, #cf222e)] - Cancelled, errors.
 * @cssprop [--scm-order-detail-skeleton] - Colour of the loading placeholder bars.
 *
 * @cssstate loading - The order is loading.
 * @cssstate not-found - No such order, or not the customer's.
 * @cssstate error - The order could not be loaded.
 * @cssstate estimated - The totals are estimates (SCM has not confirmed the prices).
 * @cssstate live - Watching the order for status changes (visible, polling).
 *
 * @fires {CustomEvent<ReorderDetail>} scm-reorder - The user pressed Reorder: the order's id and its lines
 *   (product, item number, quantity, unit). Never fired because the host changed an attribute or property.
 */
@customElement('scm-order-detail')
@localized()
export class ScmOrderDetail extends PortalElement {
  static override styles = [gateStyles, ...orderDetailStyles];

  /** The order's Dataverse id (`salesorderid`). Wins over `order-number` when both are set. */
  @property({ attribute: 'order-id' }) orderId = '';

  /** The order's number: the SCM number (`SO-001234`) or the Dataverse number (`ORD-…`). */
  @property({ attribute: 'order-number' }) orderNumber = '';

  /** Seconds between two checks for status changes while the order is visible; 0 turns live updates off. */
  @property({ attribute: 'live-interval', type: Number, reflect: true, converter: numberWithDefault(30) })
  liveInterval = 30;

  @state() private view?: DetailView;
  /** What the polite live region says. */
  @state() private announcement = '';
  /** The copy confirmation (or the fallback hint). */
  @state() private copyMessage: { readonly copied: boolean; readonly text: string } | null = null;
  /** Bumped by Retry to load the same order again. */
  @state() private reloads = 0;

  private readonly internals: ElementInternals = this.attachInternals();
  private copyTimer?: ReturnType<typeof setTimeout>;

  // Live updates
  private liveTimer?: ReturnType<typeof setTimeout>;
  private liveAbort?: AbortController;
  private polling = false;
  private lastCheckAt = 0;
  private liveFailed = false;
  private inViewport = false;
  private intersection?: IntersectionObserver;
  private readonly onVisibilityChange = () => this.scheduleLive();

  private readonly orderTask = new Task(this, {
    task: async ([session, key], { signal }) => {
      const ready = this.ready;
      const locator = this.locator;
      if (!ready || !session || !locator) return undefined;
      const order = await loadOrder(ready.client, session, locator, signal);
      return { key, order, moved: false } satisfies DetailView;
    },
    // Primitive arguments only (the key names the user and the order), so the task runs again exactly when they change.
    args: () => [this.ready?.session, this.viewKey, this.reloads] as const,
    // The not-found and error messages are alerts of their own: nothing more to announce here.
    onComplete: (view) => {
      if (view) {
        this.view = view;
        this.lastCheckAt = Date.now();
      }
      this.scheduleLive();
    },
  });

  // ----- what to load ---------------------------------------------------------------------------------------

  /** The order asked for by the attributes, or `undefined` when none is. */
  private get locator(): OrderLocator | undefined {
    const id = this.orderId.trim();
    if (id) return { id };
    const number = this.orderNumber.trim();
    return number ? { number } : undefined;
  }

  /** Who is asking for which order: a different key means nothing of the current view may show. */
  private get viewKey(): string {
    const session = this.ready?.session;
    return session ? keyOf(session, this.locator) : '';
  }

  // ----- lifecycle ------------------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    this.intersection = new IntersectionObserver((entries) => {
      this.inViewport = entries[entries.length - 1]?.isIntersecting ?? false;
      this.scheduleLive();
    });
    this.intersection.observe(this);
    document.addEventListener('visibilitychange', this.onVisibilityChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.intersection?.disconnect();
    this.intersection = undefined;
    this.inViewport = false;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    clearTimeout(this.copyTimer);
    this.stopLive();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another order, or another user: drop what is shown (and any live check of it) before anything renders.
    if (this.view && this.view.key !== this.viewKey) {
      this.view = undefined;
      this.copyMessage = null;
      this.stopLive();
    }
    if (changed.has('liveInterval')) {
      this.clearLiveTimer();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('liveInterval')) this.scheduleLive();
    this.updateStates();
  }

  private updateStates(): void {
    const states = this.internals.states;
    const ready = this.ready !== undefined && this.locator !== undefined;
    const status = this.orderTask.status;
    const shown = this.currentView;
    const set = (name: string, on: boolean) => (on ? states.add(name) : states.delete(name));
    set('loading', ready && !shown && status !== TaskStatus.ERROR);
    set('error', ready && status === TaskStatus.ERROR);
    set('not-found', ready && status !== TaskStatus.ERROR && shown !== undefined && shown.order === null);
    set('estimated', ready && status !== TaskStatus.ERROR && shown?.order?.totals.estimated === true);
    set('live', this.liveActive);
  }

  /** The view, when it belongs to the current session and locator. */
  private get currentView(): DetailView | undefined {
    return this.view && this.view.key === this.viewKey ? this.view : undefined;
  }

  // ----- actions --------------------------------------------------------------------------------------------

  private retry(): void {
    this.reloads++;
  }

  /** The lines to order again: every line with a product, a unit and a quantity. */
  private reorderLinesOf(order: OrderDetail): ReorderLine[] {
    return order.lines.flatMap((line): ReorderLine[] =>
      line.productId && line.unit && line.quantity !== null && line.quantity > 0
        ? [{ productId: line.productId, itemNumber: line.itemNumber ?? '', quantity: line.quantity, unitId: line.unit.id }]
        : [],
    );
  }

  private reorder(): void {
    const order = this.currentView?.order;
    if (!order) return;
    const lines = this.reorderLinesOf(order);
    if (lines.length === 0) return;
    this.dispatchEvent(reorderEvent({ sourceOrderId: order.id, lines }));
    const count = this.formatNumber(lines.length);
    this.announce(
      lines.length === 1
        ? msg(str`${count} line of order ${order.number} sent to a new order.`)
        : msg(str`${count} lines of order ${order.number} sent to a new order.`),
    );
  }

  private print(): void {
    window.print();
  }

  private async copyNumber(): Promise<void> {
    const order = this.currentView?.order;
    if (!order) return;
    clearTimeout(this.copyTimer);
    this.copyMessage = null;
    await this.updateComplete;
    let copied = false;
    try {
      if (typeof navigator.clipboard?.writeText !== 'function') throw new Error('The Clipboard API is not available.');
      await navigator.clipboard.writeText(order.number);
      copied = true;
    } catch {
      // Refused (no permission, insecure page, not focused): select the number so that it can be copied by hand.
      this.selectNumber();
    }
    this.copyMessage = copied
      ? { copied: true, text: msg(str`Copied ${order.number}`) }
      : { copied: false, text: msg('Copying is not allowed here. The number is selected: press Ctrl+C (⌘C on a Mac).') };
    this.copyTimer = setTimeout(() => (this.copyMessage = null), COPY_MESSAGE_MS);
  }

  private selectNumber(): void {
    const number = this.renderRoot.querySelector('.number');
    const selection = window.getSelection();
    if (!number || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(number);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  private announce(text: string): void {
    // Clearing first makes a repeated message be read again.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = text));
  }

  // ----- live updates (conditional GET of the header) -------------------------------------------------------

  private get liveActive(): boolean {
    const order = this.currentView?.order;
    return (
      this.liveInterval > 0 &&
      !this.liveFailed &&
      this.inViewport &&
      document.visibilityState === 'visible' &&
      this.ready !== undefined &&
      order !== undefined &&
      order !== null &&
      !(order.status.value !== null && FINAL_STATUSES.has(order.status.value))
    );
  }

  /** Checks the order every `live-interval` seconds while visible; pauses while hidden. */
  private scheduleLive(): void {
    if (!this.liveActive) {
      this.clearLiveTimer();
      this.internals.states.delete('live');
      return;
    }
    this.internals.states.add('live');
    if (this.liveTimer !== undefined || this.polling) return;
    const interval = Math.max(MIN_LIVE_INTERVAL, this.liveInterval) * 1000;
    const wait = Math.max(0, interval - (Date.now() - this.lastCheckAt));
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      void this.checkLive();
    }, wait);
  }

  private clearLiveTimer(): void {
    clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
  }

  private stopLive(): void {
    this.clearLiveTimer();
    this.liveAbort?.abort();
    this.liveAbort = undefined;
    this.polling = false;
  }

  private async checkLive(): Promise<void> {
    const ready = this.ready;
    const view = this.currentView;
    if (!this.liveActive || !ready || !view?.order) return;
    const abort = new AbortController();
    this.liveAbort = abort;
    this.polling = true;
    try {
      const changed = await hasOrderChanged(ready.client, view.order, abort.signal);
      if (changed) {
        const order = await loadOrder(ready.client, ready.session, { id: view.order.id }, abort.signal);
        if (this.currentView === view) this.applyLive(view, order);
      }
    } catch (error) {
      if (abort.signal.aborted || isAbort(error)) return;
      // A refusal will not get better by asking again (session ended, query refused); network trouble might.
      if (error instanceof DataverseError && ['auth', 'validation', 'permission'].includes(error.kind)) {
        this.liveFailed = true;
        this.requestUpdate();
      }
    } finally {
      this.lastCheckAt = Date.now();
      if (this.liveAbort === abort) {
        this.liveAbort = undefined;
        this.polling = false;
        this.scheduleLive();
      }
    }
  }

  /** Shows what SCM changed, and says so in the live region. */
  private applyLive(view: DetailView, order: OrderDetail | null): void {
    const before = view.order!;
    const moved = order !== null && order.status.value !== before.status.value;
    this.view = { key: view.key, order, moved };
    if (!order) {
      this.announce(msg('This order can no longer be shown.'));
    } else if (order.number !== before.number && moved) {
      const status = orderStatusLabel(order.status);
      this.announce(msg(str`Order ${before.number} is now ${order.number} in Supply Chain Management, status ${status}.`));
    } else if (moved) {
      this.announce(msg(str`Order ${order.number} is now ${orderStatusLabel(order.status)}.`));
    } else if (order.number !== before.number) {
      this.announce(msg(str`Order ${before.number} is now ${order.number} in Supply Chain Management.`));
    }
  }

  // ----- formatting -----------------------------------------------------------------------------------------

  private get locale(): string {
    return this.ready?.locale ?? this.portal?.locale ?? 'en-US';
  }

  private formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.locale, options).format(value);
  }

  private formatDateTime(iso: string | null): string | null {
    if (!iso) return null;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium' }).format(date);
  }

  /** A date-only value (`2025-03-01`) shown as that calendar day, in any time zone. */
  private formatDay(day: string | null): string | null {
    if (!day) return null;
    const date = new Date(`${day}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  }

  private formatMoney(money: Money): string | null {
    const { amount, currencyCode, formatted } = money;
    if (amount === null) return formatted;
    if (currencyCode) {
      try {
        return new Intl.NumberFormat(this.locale, { style: 'currency', currency: currencyCode }).format(amount);
      } catch {
        // An unknown currency code: fall through.
      }
    }
    return formatted ?? this.formatNumber(amount, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  private formatQuantity(line: OrderLine): string | null {
    if (line.quantity === null) return null;
    const quantity = this.formatNumber(line.quantity, { maximumFractionDigits: 4 });
    return line.unit?.name ? `${quantity} ${line.unit.name}` : quantity;
  }

  private formatDiscount(line: OrderLine): string | null {
    const amount = line.discount.amount;
    if ((amount === null || amount === 0) && line.discountPercent === null) return null;
    const money = this.formatMoney(line.discount);
    const percent = line.discountPercent !== null ? this.formatNumber(line.discountPercent / 100, { style: 'percent', maximumFractionDigits: 2 }) : null;
    return money && percent ? `${money} (${percent})` : (money ?? percent);
  }

  // ----- rendering ------------------------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const gate = this.renderGate({
      loading: msg('Loading this order…'),
      signedOut: msg('Sign in to see this order.'),
      unavailable: msg("This order can't be shown right now."),
    });
    if (gate !== nothing) return gate as TemplateResult;
    const live = html`<div class="visually-hidden live-region" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
    if (!this.locator) {
      return html`<div class="message" part="empty">
        <h2>${msg('No order chosen')}</h2>
        <p>${msg('Choose an order from your order list to see it here.')}</p>
      </div>`;
    }
    const status = this.orderTask.status;
    const view = this.currentView;
    let content: TemplateResult;
    if (status === TaskStatus.ERROR) content = this.renderError(this.orderTask.error);
    else if (!view) content = this.renderSkeleton();
    else if (!view.order) content = this.renderNotFound();
    else content = this.renderOrder(view.order, view.moved);
    return html`<div aria-busy=${!view && status !== TaskStatus.ERROR ? 'true' : 'false'}>${content}</div>${live}`;
  }

  private renderSkeleton(): TemplateResult {
    return html`
      <div class="skeleton" part="skeleton" aria-hidden="true">
        <div class="bar title"></div>
        <div class="bar steps"></div>
        <div class="bar"></div>
        <div class="bar block"></div>
      </div>
      <p class="visually-hidden">${msg('Loading the order…')}</p>
    `;
  }

  private renderNotFound(): TemplateResult {
    return html`
      <div class="message" part="not-found" role="alert">
        <h2>${msg('This order cannot be shown')}</h2>
        <p>
          ${msg('There is no order with this number among the orders you may see. Check the number, or open the order from your order list.')}
        </p>
      </div>
    `;
  }

  private renderError(error: unknown): TemplateResult {
    let title = msg('The order could not be loaded.');
    let detail = msg('Something went wrong on the way to the server. Try again in a moment.');
    if (error instanceof DataverseError) {
      switch (error.kind) {
        case 'auth':
          title = msg('Your session has ended.');
          detail = msg('Sign in again to see this order.');
          break;
        case 'throttled': {
          const seconds = error.retryAfterMs ? this.formatNumber(Math.ceil(error.retryAfterMs / 1000)) : undefined;
          title = msg('The server is busy.');
          detail = seconds ? msg(str`Try again in ${seconds} seconds.`) : msg('Try again in a moment.');
          break;
        }
        case 'network':
          title = msg('The server cannot be reached.');
          detail = msg('Check your connection, then try again.');
          break;
        default:
          break;
      }
    }
    return html`
      <div class="message error" part="error" role="alert">
        <h2>${title}</h2>
        <p>${detail}</p>
        <button class="button primary" type="button" @click=${this.retry}>${msg('Retry')}</button>
      </div>
    `;
  }

  private renderOrder(order: OrderDetail, moved: boolean): TemplateResult {
    const canReorder = this.reorderLinesOf(order).length > 0;
    return html`
      <article class="order" part="base" aria-labelledby="order-title">
        <div class="header" part="header">
          <div class="title">
            <div class="number-line">
              <h2 id="order-title">
                ${msg(html`Order <span class="number" part="number">${order.number}</span>`, {
                  desc: 'Heading of the order page; the number is the order number (keep the element around it).',
                })}
              </h2>
              ${order.pendingSync
                ? html`<span class="pending" part="pending" title=${msg('Not yet in Supply Chain Management: the SCM order number follows')}
                    >${msg('pending sync', { desc: 'Tag of an order not yet in Supply Chain Management (lower case, like a label).' })}</span
                  >`
                : nothing}
              <button class="button small copy" part="copy" type="button" @click=${this.copyNumber}>${msg('Copy order number')}</button>
              <span class=${this.copyMessage?.copied ? 'copy-status copied' : 'copy-status'} part="copy-status" role="status" aria-live="polite"
                >${this.copyMessage?.text ?? ''}</span
              >
            </div>
            <p class="status-line">
              ${msg('Status:', { desc: 'Before the order status in the heading: "Status: Confirmed".' })}
              <strong part="status"
                >${order.pendingSync || !order.status.label ? msg('Waiting for Supply Chain Management') : orderStatusLabel(order.status)}</strong
              >
            </p>
          </div>
          <div class="actions" part="actions">
            <button class="button primary" type="button" ?disabled=${!canReorder} @click=${this.reorder}>${msg('Reorder')}</button>
            <button class="button" type="button" @click=${this.print}>${msg('Print')}</button>
          </div>
        </div>
        ${this.renderTimeline(order, moved)} ${this.renderFacts(order)} ${this.renderLines(order)} ${this.renderTotals(order)}
        ${this.renderInvoices(order)}
      </article>
    `;
  }

  private renderTimeline(order: OrderDetail, moved: boolean): TemplateResult {
    const { progress } = order;
    const note =
      progress.outcome === 'pending-sync'
        ? msg('Waiting for Supply Chain Management to take the order. Its number and confirmed prices follow.')
        : progress.outcome === 'cancelled'
          ? msg('This order was cancelled in Supply Chain Management.')
          : progress.outcome === 'partial'
            ? progress.steps.some((step) => step.key === 'invoiced' && step.state === 'current')
              ? msg('Part of this order is invoiced; the rest is still to be invoiced.')
              : msg('Part of this order is delivered; the rest is still to be delivered.')
            : null;
    return html`
      <section aria-labelledby="progress-title">
        <h3 id="progress-title" class="visually-hidden">${msg('Progress')}</h3>
        <ol class=${moved ? 'timeline updated' : 'timeline'} part="timeline" aria-label=${msg('Order progress')}>
          ${progress.steps.map(
            (step) => html`<li
              class="step ${step.state}${step.partial ? ' partial' : ''}${step.key === 'cancelled' ? ' cancelled' : ''}"
              part="step"
              data-step=${step.key}
              aria-current=${ifDefined(step.state === 'current' ? 'step' : undefined)}
            >
              <span class="marker" aria-hidden="true">${markerOf(step)}</span>
              <span class="label">${stepLabel(step, order)}</span>
              <span class=${step.state === 'upcoming' ? 'state visually-hidden' : 'state'}>${stepStateText(step)}</span>
            </li>`,
          )}
        </ol>
        ${note ? html`<p class="note">${note}</p>` : nothing}
      </section>
    `;
  }

  private renderValue(value: string | null): TemplateResult {
    return value ? html`<bdi>${value}</bdi>` : html`<span class="none">—</span>`;
  }

  private renderFacts(order: OrderDetail): TemplateResult {
    const confirmedShipping = this.formatDay(order.confirmedShippingDate);
    const confirmedReceipt = this.formatDay(order.confirmedReceiptDate);
    const requestedShip = this.formatDateTime(order.requestedShipDate);
    const { delivery } = order;
    return html`
      <div class="facts" part="facts">
        <section aria-labelledby="dates-title">
          <h3 id="dates-title">${msg('Dates')}</h3>
          <dl class="pairs">
            <dt>${msg('Ordered', { desc: 'Order list column: the date the order was placed.' })}</dt>
            <dd>${this.renderValue(this.formatDateTime(order.orderDate))}</dd>
            <dt>${msg('Requested receipt', { desc: 'Order list column: the date the customer asked to receive the goods.' })}</dt>
            <dd>${this.renderValue(this.formatDay(order.requestedReceiptDate))}</dd>
            ${requestedShip ? html`<dt>${msg('Requested shipping')}</dt><dd>${requestedShip}</dd>` : nothing}
            ${confirmedShipping ? html`<dt>${msg('Confirmed shipping')}</dt><dd>${confirmedShipping}</dd>` : nothing}
            ${confirmedReceipt ? html`<dt>${msg('Confirmed receipt')}</dt><dd>${confirmedReceipt}</dd>` : nothing}
          </dl>
        </section>
        <section aria-labelledby="references-title">
          <h3 id="references-title">${msg('References')}</h3>
          <dl class="pairs">
            <dt>${msg('Your reference')}</dt>
            <dd>${this.renderValue(order.customerReference)}</dd>
            <dt>${msg('Requisition')}</dt>
            <dd>${this.renderValue(order.requisitionNumber)}</dd>
            <dt>${msg('Placed by', { desc: 'Order list column: the person who placed the order.' })}</dt>
            <dd>${this.renderValue(order.placedBy?.name || null)}</dd>
            ${order.pendingSync || !order.orderNumber || order.orderNumber === order.number
              ? nothing
              : html`<dt>${msg('Web order', { desc: 'The number the order had on the web site, before SCM numbered it.' })}</dt>
                  <dd><bdi>${order.orderNumber}</bdi></dd>`}
          </dl>
        </section>
        <section aria-labelledby="delivery-title">
          <h3 id="delivery-title">${msg('Delivery')}</h3>
          ${delivery.lines.length > 0 || delivery.name
            ? html`<address part="address">
                ${delivery.description ? html`<span class="none">${delivery.description}</span>` : nothing}
                ${delivery.name ? html`<span><bdi>${delivery.name}</bdi></span>` : nothing}
                ${delivery.lines.map((line) => html`<span><bdi>${line}</bdi></span>`)}
              </address>`
            : html`<p class="none no-address">${msg('No delivery address.')}</p>`}
          <dl class="pairs">
            ${order.deliveryMode ? html`<dt>${msg('Delivery mode')}</dt><dd><bdi>${order.deliveryMode}</bdi></dd>` : nothing}
            ${order.deliveryTerms ? html`<dt>${msg('Delivery terms')}</dt><dd><bdi>${order.deliveryTerms}</bdi></dd>` : nothing}
            <dt>${msg('Payment terms')}</dt>
            <dd>${this.renderValue(order.paymentTerms)}</dd>
          </dl>
        </section>
      </div>
    `;
  }

  private renderLineStatus(line: OrderLine): TemplateResult {
    return html`<span class="line-status" part="line-status" data-status=${line.status.key ?? 'none'}
      >${lineStatusLabel(line.status) || msg('Not yet in SCM')}</span
    >`;
  }

  private renderLines(order: OrderDetail): TemplateResult {
    // The item number column only when the lines carry item numbers (see loadOrder's notes on optional columns).
    const showItem = order.lines.some((line) => line.itemNumber !== null);
    if (order.lines.length === 0) {
      return html`<section part="lines" aria-labelledby="lines-title">
        <h3 id="lines-title">${msg('Lines')}</h3>
        <p class="none">${msg('This order has no lines.')}</p>
      </section>`;
    }
    return html`
      <section part="lines" aria-labelledby="lines-title">
        <h3 id="lines-title">${msg('Lines')}</h3>
        <!-- A region that takes focus: a keyboard user can scroll the table sideways when it is wider than the element. -->
        <div class="table-wrap lines-table" tabindex="0" role="region" aria-label=${msg(str`Lines of order ${order.number}`)}>
          <table>
            <caption class="visually-hidden">${msg(str`Lines of order ${order.number}`)}</caption>
            <thead>
              <tr>
                ${showItem ? html`<th scope="col">${msg('Item', { desc: 'Column: the item number.' })}</th>` : nothing}
                <th scope="col">${msg('Product')}</th>
                <th scope="col" class="numeric">${msg('Quantity')}</th>
                <th scope="col" class="numeric">${msg('Unit price')}</th>
                <th scope="col" class="numeric">${msg('Discount')}</th>
                <th scope="col" class="numeric">${msg('Amount')}</th>
                <th scope="col">${msg('Status')}</th>
                <th scope="col">${msg('Confirmed receipt')}</th>
              </tr>
            </thead>
            <tbody>
              ${order.lines.map(
                (line) => html`<tr part="line" data-id=${line.id}>
                  ${showItem ? html`<td data-column="item">${this.renderValue(line.itemNumber)}</td>` : nothing}
                  <td class="product" data-column="product"><bdi>${line.productName}</bdi></td>
                  <td class="numeric" data-column="quantity">${this.renderValue(this.formatQuantity(line))}</td>
                  <td class="numeric" data-column="unit-price">${this.renderValue(this.formatMoney(line.unitPrice))}</td>
                  <td class="numeric" data-column="discount">${this.renderValue(this.formatDiscount(line))}</td>
                  <td class="numeric" data-column="amount">${this.renderValue(this.formatMoney(line.amount))}</td>
                  <td data-column="status">${this.renderLineStatus(line)}</td>
                  <td data-column="confirmed-receipt">${this.renderValue(this.formatDay(line.confirmedReceiptDate))}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <ul class="line-cards" aria-label=${msg(str`Lines of order ${order.number}`)}>
          ${order.lines.map((line) => {
            const discount = this.formatDiscount(line);
            const receipt = this.formatDay(line.confirmedReceiptDate);
            return html`<li class="line-card" part="line" data-id=${line.id}>
              <span class="product"><bdi>${line.productName}</bdi></span>
              ${this.renderLineStatus(line)}
              <dl class="pairs">
                ${line.itemNumber ? html`<dt>${msg('Item', { desc: 'Column: the item number.' })}</dt><dd><bdi>${line.itemNumber}</bdi></dd>` : nothing}
                <dt>${msg('Quantity')}</dt>
                <dd>${this.renderValue(this.formatQuantity(line))}</dd>
                <dt>${msg('Unit price')}</dt>
                <dd>${this.renderValue(this.formatMoney(line.unitPrice))}</dd>
                ${discount ? html`<dt>${msg('Discount')}</dt><dd>${discount}</dd>` : nothing}
                <dt>${msg('Amount')}</dt>
                <dd>${this.renderValue(this.formatMoney(line.amount))}</dd>
                ${receipt ? html`<dt>${msg('Confirmed receipt')}</dt><dd>${receipt}</dd>` : nothing}
              </dl>
            </li>`;
          })}
        </ul>
      </section>
    `;
  }

  private renderTotals(order: OrderDetail): TemplateResult {
    const { totals } = order;
    const discount = totals.discount.amount ? this.formatMoney({ ...totals.discount, amount: -totals.discount.amount }) : null;
    return html`
      <section part="totals" aria-labelledby="totals-title">
        <div class="totals-head">
          <h3 id="totals-title">${msg('Totals')}</h3>
          ${totals.estimated
            ? html`<span class="badge estimated" part="estimated">${msg('Estimated', { desc: 'Badge: the totals are not yet confirmed.' })}</span>`
            : html`<span class="badge confirmed" part="estimated">${msg('Confirmed', { desc: 'Order status: the order confirmation is posted.' })}</span>`}
        </div>
        <p class="note">
          ${totals.estimated
            ? msg('Prices, discounts, charges and tax are confirmed by Supply Chain Management when it confirms the order.')
            : msg('Confirmed by Supply Chain Management.')}
          ${order.currencyCode ? msg(str`Amounts in ${order.currencyCode}.`) : nothing}
        </p>
        <dl class="totals">
          <dt>${msg('Subtotal')}</dt>
          <dd data-total="subtotal">${this.renderValue(this.formatMoney(totals.subtotal))}</dd>
          <dt>${msg('Discount')}</dt>
          <dd data-total="discount">${discount ?? this.renderValue(this.formatMoney(totals.discount))}</dd>
          <dt>${msg('Charges')}</dt>
          <dd data-total="charges">${this.renderValue(this.formatMoney(totals.charges))}</dd>
          <dt>${msg('Tax')}</dt>
          <dd data-total="tax">${this.renderValue(this.formatMoney(totals.tax))}</dd>
          <dt class="grand">
            ${msg('Total')}${totals.estimated ? html` <span class="visually-hidden">${msg('(estimated)')}</span>` : nothing}
          </dt>
          <dd class="grand" data-total="total">${this.renderValue(this.formatMoney(totals.total))}</dd>
        </dl>
      </section>
    `;
  }

  private renderInvoices(order: OrderDetail): TemplateResult {
    const paymentText = {
      open: msg('Open', { desc: 'Invoice payment: not paid yet.' }),
      paid: msg('Paid', { desc: 'Invoice payment.' }),
      cancelled: msg('Cancelled', { desc: 'Order status.' }),
    } as const;
    return html`
      <section part="invoices" aria-labelledby="invoices-title">
        <h3 id="invoices-title">${msg('Invoices')}</h3>
        ${order.invoices.length === 0
          ? html`<p class="none">${msg('No invoices yet.')}</p>`
          : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${msg(str`Invoices of order ${order.number}`)}>
              <table>
                <caption class="visually-hidden">${msg(str`Invoices of order ${order.number}`)}</caption>
                <thead>
                  <tr>
                    <th scope="col">${msg('Invoice')}</th>
                    <th scope="col">${msg('Date')}</th>
                    <th scope="col">${msg('Due', { desc: 'Column: the date an invoice is due.' })}</th>
                    <th scope="col" class="numeric">${msg('Amount')}</th>
                    <th scope="col">${msg('Payment')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${order.invoices.map(
                    (invoice) => html`<tr data-id=${invoice.id}>
                      <td data-column="number"><bdi>${invoice.number}</bdi></td>
                      <td data-column="date">${this.renderValue(this.formatDay(invoice.date))}</td>
                      <td data-column="due">${this.renderValue(this.formatDay(invoice.dueDate))}</td>
                      <td class="numeric" data-column="amount">${this.renderValue(this.formatMoney(invoice.amount))}</td>
                      <td data-column="payment">${paymentText[invoice.payment]}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
      </section>
    `;
  }
}

/** The key of a view: the session's user and roles, and the order asked for. */
function keyOf(session: PortalSession, locator: OrderLocator | undefined): string {
  const what = !locator ? '' : 'id' in locator ? `id:${locator.id.toLowerCase()}` : `number:${locator.number}`;
  return `${session.contact.id}|${session.roles.join(',')}|${what}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'scm-order-detail': ScmOrderDetail;
  }
}
