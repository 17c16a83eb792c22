import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { Task, TaskStatus } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import type { DataverseClient } from '../../dataverse/client.js';
import { DataverseError, isAbort } from '../../dataverse/errors.js';
import { orderSelectEvent } from '../../events.js';
import { dateTimeFormat, numberFormat } from '../../internal/intl.js';
import { orderStatusLabel } from '../../internal/labels.js';
import { gateStyles, PortalElement } from '../../internal/portal-element.js';
import {
  DEFAULT_PAGE_SIZE,
  defaultOrderSort,
  listOrders,
  MAX_PAGE_SIZE,
  orderPageAt,
  orderSortColumns,
  orderSortText,
  orderStatusKeys,
  parseOrderSort,
  watchOrders,
  type OrderPage,
  type OrderQuery,
  type OrderSort,
  type OrderSortColumn,
  type OrderStatusKey,
  type OrderSummary,
  type OrderUpdate,
  type OrderWatch,
} from '../../portal/orders.js';
import type { PortalSession } from '../../portal/session.js';
import { orderListStyles } from './order-list.styles.js';

/** What the list shows: one page of orders for one query. */
interface ListView {
  /** The session and query the page belongs to. */
  readonly key: string;
  readonly contactId: string;
  /** 1-based page number. */
  readonly page: number;
  readonly reload: number;
  readonly result: OrderPage;
  /** The page's orders, kept up to date by live changes. */
  readonly orders: readonly OrderSummary[];
  /** Orders changed by SCM since the page was read (highlighted once). */
  readonly updated: ReadonlySet<string>;
}

/** A column heading, in the user's words and language. */
function columnLabel(column: OrderSortColumn): string {
  switch (column) {
    case 'number':
      return msg('Order', { desc: 'Order list column: the order number.' });
    case 'reference':
      return msg('Reference', { desc: "Order list column: the customer's own order reference." });
    case 'date':
      return msg('Ordered', { desc: 'Order list column: the date the order was placed.' });
    case 'receipt-date':
      return msg('Requested receipt', { desc: 'Order list column: the date the customer asked to receive the goods.' });
    case 'status':
      return msg('Status');
    case 'total':
      return msg('Total');
    case 'placed-by':
      return msg('Placed by', { desc: 'Order list column: the person who placed the order.' });
  }
}

/** A sort choice: "Total, descending". */
function sortLabel(column: OrderSortColumn, direction: 'asc' | 'desc'): string {
  const label = columnLabel(column);
  return direction === 'asc' ? msg(str`${label}, ascending`) : msg(str`${label}, descending`);
}

/** What an empty cell shows. */
const NONE = html`<span class="none">—</span>`;

/** Status keys in display order (the filter's checkboxes). */
const STATUS_KEYS = Object.keys(orderStatusKeys) as OrderStatusKey[];

/** Shortest time between two checks for changes, in seconds. */
const MIN_LIVE_INTERVAL = 0.5;
/** Longest wait between polls after failures. */
const MAX_LIVE_BACKOFF_MS = 10 * 60 * 1000;
/** How long a search waits for the typing to pause before it asks the server. */
const SEARCH_DEBOUNCE_MS = 250;
/**
 * Widest the element can be and still show cards instead of a table, in CSS pixels: the same width as the
 * container query in order-list.styles.ts (`@container scm-order-list (max-width: 600px)`).
 */
const NARROW_MAX_WIDTH = 600;

/** Reflect a string attribute only when it says something (`search=""` is no attribute at all). */
const optionalText = {
  fromAttribute: (value: string | null) => value ?? '',
  toAttribute: (value: string) => (value ? value : null),
};

/** Reflect a number attribute only when it differs from its default. */
const numberWithDefault = (fallback: number) => ({
  fromAttribute: (value: string | null) => {
    if (value === null || value.trim() === '') return fallback;
    const n = Number(value);
    return Number.isFinite(n) ? n : fallback;
  },
  toAttribute: (value: number) => (value === fallback ? null : String(value)),
});

/**
 * The signed-in customer's sales orders: search, filter by status and date, sort by any column, and page through
 * any size of history on the server, with status changes made by Supply Chain Management appearing live.
 *
 * Authorized users see their own orders; customer representatives see every order of their account and who
 * placed it. Filters, sort and page live in attributes, so a host page can deep-link them
 * (`<scm-order-list status="confirmed,picked" sort="-total" page="2">`); what the user changes is written back
 * to the attributes. Set `href-template` (`/orders/?id={id}`) to make each order a real link.
 *
 * Must be placed inside `<scm-portal>`.
 *
 * @summary The customer's orders: search, filter, sort, page, live status.
 *
 * @slot empty - Replaces the "No orders yet" message (e.g. a link or button to the order form).
 *
 * @csspart toolbar - The bar with search, status filter, date range and sort.
 * @csspart search - The search field.
 * @csspart filters - The status filter (a disclosure with checkboxes).
 * @csspart summary - The line with the count ("1–25 of 5,000+ orders").
 * @csspart table - The table (wide layout).
 * @csspart header - A column header cell.
 * @csspart row - An order's table row.
 * @csspart cell - A table cell.
 * @csspart number - The order number (a link with `href-template`).
 * @csspart pending - The "pending sync" tag of an order not yet in SCM.
 * @csspart status - An order's status badge (text, with a colour and shape that only add to it).
 * @csspart cards - The card list (narrow layout, under 600px).
 * @csspart card - An order's card.
 * @csspart pagination - The Previous / Next navigation.
 * @csspart skeleton - The placeholder shown while the first page loads.
 * @csspart empty - The "No orders yet" message.
 * @csspart no-results - The message when nothing matches the search or filters.
 * @csspart error - The error message with Retry.
 * @csspart gate - The message shown instead of the list when signed out, misconfigured or outside `<scm-portal>`.
 *
 * @cssprop [--scm-order-list-accent=var(--scm-color-primary, #0969da)] - Links, focus rings, the progress bar.
 * @cssprop [--scm-order-list-text=var(--scm-color-text, #1f2328)] - Text colour.
 * @cssprop [--scm-order-list-muted=var(--scm-color-text-muted, #59636e)] - Secondary text.
 * @cssprop [--scm-order-list-border=var(--scm-color-border, #d0d7de)] - Borders and rules.
 * @cssprop [--scm-order-list-surface=var(--scm-color-surface, #fff)] - Background of the table and cards.
 * @cssprop [--scm-order-list-header-background=var(--scm-color-surface-muted, #f6f8fa)] - Background of the column headers.
 * @cssprop [--scm-order-list-row-hover] - Background of a row or card under the pointer.
 * @cssprop [--scm-order-list-skeleton] - Colour of the loading placeholder bars.
 *
 * @cssstate loading - A page is loading.
 * @cssstate empty - The customer has no orders yet.
 * @cssstate no-results - Nothing matches the search or filters.
 * @cssstate error - The orders could not be loaded.
 * @cssstate live - Following status changes (visible, polling).
 *
 * @fires {CustomEvent<OrderSelectDetail>} scm-order-select - The user chose an order (click, Enter or Space on
 *   its row or card, or its link). Never fired because the host changed an attribute or property.
 */
@customElement('scm-order-list')
@localized()
export class ScmOrderList extends PortalElement {
  static override styles = [gateStyles, ...orderListStyles];

  /** Orders per page (1–500). */
  @property({ attribute: 'page-size', type: Number, reflect: true, converter: numberWithDefault(DEFAULT_PAGE_SIZE) })
  pageSize = DEFAULT_PAGE_SIZE;

  /**
   * Only orders in these statuses: a comma-separated list of status keys (`active`, `confirmed`, `picked`,
   * `partially-delivered`, `delivered`, `invoiced`, `partially-invoiced`, `cancelled`,
   * `delivered-partially-invoiced`). Empty means every status.
   */
  @property({ reflect: true, converter: optionalText }) status = '';

  /** Text to find in the order number, customer reference or requisition number. */
  @property({ reflect: true, converter: optionalText }) search = '';

  /**
   * Sort column, `-` first for descending: `number`, `reference`, `date`, `receipt-date`, `status`, `total`,
   * `placed-by`. Empty means newest first (`-date`).
   */
  @property({ reflect: true, converter: optionalText }) sort = '';

  /** Orders placed on or after this day (`YYYY-MM-DD`). */
  @property({ reflect: true, converter: optionalText }) from = '';

  /** Orders placed on or before this day (`YYYY-MM-DD`). */
  @property({ reflect: true, converter: optionalText }) to = '';

  /** The page shown, from 1. A page past the last shows the last. */
  @property({ type: Number, reflect: true, converter: numberWithDefault(1) }) page = 1;

  /**
   * Makes each order a link: `{id}` is replaced by the order's id and `{number}` by its number
   * (`/orders/?id={id}`). Without it, choosing an order only fires `scm-order-select`.
   */
  @property({ attribute: 'href-template', reflect: true, converter: optionalText }) hrefTemplate = '';

  /** Where the "Create an order" link of the empty state goes (no link when empty). */
  @property({ attribute: 'create-href', reflect: true, converter: optionalText }) createHref = '';

  /** Seconds between two checks for status changes while the list is visible; 0 turns live updates off. */
  @property({ attribute: 'live-interval', type: Number, reflect: true, converter: numberWithDefault(30) })
  liveInterval = 30;

  @state() private view?: ListView;
  /** The text in the search field (applied to `search` when typing pauses). */
  @state() private searchDraft = '';
  /** What the polite live region says. */
  @state() private announcement = '';
  /** Index of the row that takes Tab (roving tabindex). */
  @state() private focusIndex = 0;

  private readonly internals: ElementInternals = this.attachInternals();
  private searchTimer?: ReturnType<typeof setTimeout>;
  /** Bumped by Retry to run the same query again. */
  @state() private reloads = 0;

  /** Saved `nextLink`s of the current query: `links[n]` leads to page n (Dataverse has no `$skip`). */
  private links: (string | undefined)[] = [];
  private linksKey = '';
  private known?: { count: number | null; countCapped: boolean };
  /** Status labels the server gave (its language), for changes that come without one. */
  private readonly statusLabels = new Map<number, string>();
  /** The locale and currency whose formatters {@link prepareFormatters} has built. */
  private preparedFormatters = '';

  /**
   * True when the element is narrow enough for cards (≤ {@link NARROW_MAX_WIDTH}), from a ResizeObserver; only
   * that layout is rendered (a page of 50 orders in both layouts was twice the DOM, half of it hidden).
   */
  @state() private narrow?: boolean;
  /** While the page prints: both layouts are rendered and the container query picks the one the paper fits. */
  @state() private printing = false;
  private resize?: ResizeObserver;
  /**
   * What the ResizeObserver watches: an empty block as wide as the element and always 0px high. Watching the host
   * itself would report the height change of switching layouts in the same frame ("ResizeObserver loop completed
   * with undelivered notifications"); the probe's size changes only with the element's width.
   */
  private readonly probe: HTMLDivElement = Object.assign(document.createElement('div'), { className: 'width-probe' });
  private readonly onBeforePrint = () => {
    this.printing = true;
    // Printing lays the page out right after this event: render now, not in a microtask.
    this.performUpdate();
  };
  private readonly onAfterPrint = () => (this.printing = false);

  // Live updates
  /** What the live updates follow: the orders of one shown page, for one session. */
  private watch?: { session: PortalSession; view: string; watch: OrderWatch };
  private liveTimer?: ReturnType<typeof setTimeout>;
  private liveAbort?: AbortController;
  private polling = false;
  private lastPollAt = 0;
  private liveFailed = false;
  /** Polls that failed in a row (each doubles the wait, up to {@link MAX_LIVE_BACKOFF_MS}). */
  private liveFailures = 0;
  private inViewport = false;
  private intersection?: IntersectionObserver;
  private readonly onVisibilityChange = () => this.scheduleLive();

  private readonly ordersTask = new Task(this, {
    task: async ([client, session, queryText, page, reload], { signal }) => {
      if (!client || !session) return undefined;
      return this.loadPage(client, session, queryText, page, reload, signal);
    },
    args: () => [this.ready?.client, this.ready?.session, this.queryText, this.page, this.reloads] as const,
    onComplete: (view) => this.showView(view),
    onError: (error) => {
      if (!isAbort(error)) this.announce(msg('Your orders could not be loaded.'));
    },
  });

  // ----- the query ------------------------------------------------------------------------------------------

  /** The statuses asked for by the `status` attribute (unknown keys ignored). */
  get statusKeys(): OrderStatusKey[] {
    const wanted = new Set(this.status.split(',').map((key) => key.trim()));
    return (Object.keys(orderStatusKeys) as OrderStatusKey[]).filter((key) => wanted.has(key));
  }

  private get currentSort(): OrderSort {
    return parseOrderSort(this.sort) ?? defaultOrderSort;
  }

  private get effectivePageSize(): number {
    const size = Math.floor(this.pageSize);
    return Number.isFinite(size) && size >= 1 && size <= MAX_PAGE_SIZE ? size : DEFAULT_PAGE_SIZE;
  }

  private static validDay(text: string): string | undefined {
    return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? text : undefined;
  }

  /** The query as a stable text (task argument, and the key the saved page links belong to). */
  private get queryText(): string {
    const query: OrderQuery = {
      search: this.search.trim(),
      statuses: this.statusKeys.map((key) => orderStatusKeys[key]),
      from: ScmOrderList.validDay(this.from),
      to: ScmOrderList.validDay(this.to),
      sort: this.currentSort,
      pageSize: this.effectivePageSize,
    };
    return JSON.stringify(query);
  }

  /** True while the "no orders match" message (which has its own Clear filters) is shown. */
  private get showsNoResults(): boolean {
    const view = this.view;
    return this.ordersTask.status === TaskStatus.COMPLETE && view !== undefined && view.orders.length === 0 && (this.filtersActive || view.page > 1);
  }

  private get filtersActive(): boolean {
    return this.search.trim() !== '' || this.statusKeys.length > 0 || !!ScmOrderList.validDay(this.from) || !!ScmOrderList.validDay(this.to);
  }

  /**
   * Reads page `requested` of the query: page 1 in one request; a later page from its saved link, or by following
   * links from the furthest page known (a deep link to page 3 reads pages 1–3 once).
   */
  private async loadPage(
    client: DataverseClient,
    session: PortalSession,
    queryText: string,
    requested: number,
    reload: number,
    signal: AbortSignal,
  ): Promise<ListView> {
    const key = `${session.contact.id}|${session.roles.join(',')}|${queryText}`;
    const target = Math.max(1, Math.floor(Number.isFinite(requested) ? requested : 1));
    const shown = this.view;
    // Correcting the `page` attribute after running past the end asks for the page already shown.
    if (shown && shown.key === key && shown.page === target && shown.reload === reload) return shown;
    if (key !== this.linksKey) {
      this.links = [];
      this.known = undefined;
      this.linksKey = key;
    }
    const query = JSON.parse(queryText) as OrderQuery;
    let page = target;
    while (page > 1 && this.links[page] === undefined) page--;
    const reading =
      page === 1
        ? listOrders(client, session, query, signal)
        : orderPageAt(client, session, this.links[page]!, { pageSize: query.pageSize, known: this.known }, signal);
    this.prepareFormatters(session);
    let result = await reading;
    this.remember(page, result);
    while (page < target && result.hasNext) {
      result = await result.next(signal);
      page++;
      this.remember(page, result);
    }
    return { key, contactId: session.contact.id, page, reload, result, orders: result.orders, updated: new Set() };
  }

  /**
   * Builds the date and money formatters the rows will use while the page is on its way, in the next task (after
   * the request has left): the first `Intl` formatter of a page loads the locale's data, tens of milliseconds that
   * would otherwise come between the answer and the rows. Once per locale and currency (they are cached).
   */
  private prepareFormatters(session: PortalSession): void {
    const key = `${this.locale}|${session.currency?.code ?? ''}`;
    if (this.preparedFormatters === key) return;
    this.preparedFormatters = key;
    setTimeout(() => {
      this.formatNumber(0);
      this.formatDateTime(new Date(0).toISOString());
      this.formatDay('2000-01-01');
      if (session.currency) this.formatMoney({ total: { amount: 0, currencyCode: session.currency.code, formatted: null } });
    }, 0);
  }

  private remember(page: number, result: OrderPage): void {
    if (page === 1) this.known = { count: result.count, countCapped: result.countCapped };
    if (result.nextLink) this.links[page + 1] = result.nextLink;
    for (const order of result.orders) {
      if (order.status.value !== null && order.status.label) this.statusLabels.set(order.status.value, order.status.label);
    }
  }

  private showView(view: ListView | undefined): void {
    if (!view) return;
    const fresh = this.view?.key !== view.key || this.view.page !== view.page || this.view.reload !== view.reload;
    this.view = view;
    if (fresh) {
      this.focusIndex = 0;
      this.announce(this.countText(view) ?? '');
    }
    // Ran past the last page: show the page we reached and say so in the attribute.
    if (view.page !== this.page) this.page = view.page;
    this.scheduleLive();
  }

  // ----- lifecycle ------------------------------------------------------------------------------------------

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    this.probe.setAttribute('aria-hidden', 'true');
    // Before Lit's own content, which Lit renders after the nodes already there.
    root.appendChild(this.probe);
    return root;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.intersection = new IntersectionObserver((entries) => {
      this.inViewport = entries[entries.length - 1]?.isIntersecting ?? false;
      this.scheduleLive();
    });
    this.intersection.observe(this);
    this.resize = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (!entry) return;
      const width = entry.contentBoxSize?.[0]?.inlineSize ?? entry.contentRect.width;
      const narrow = width <= NARROW_MAX_WIDTH;
      if (narrow !== this.narrow) this.narrow = narrow;
    });
    this.resize.observe(this.probe);
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    window.addEventListener('beforeprint', this.onBeforePrint);
    window.addEventListener('afterprint', this.onAfterPrint);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
    this.intersection?.disconnect();
    this.intersection = undefined;
    this.inViewport = false;
    this.resize?.disconnect();
    this.resize = undefined;
    this.narrow = undefined;
    window.removeEventListener('beforeprint', this.onBeforePrint);
    window.removeEventListener('afterprint', this.onAfterPrint);
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
    this.stopLive();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('search')) this.searchDraft = this.search;
    // A different user (or roles) means different orders: nothing of the old list may show.
    const session = this.ready?.session;
    if (this.view && this.view.contactId !== session?.contact.id) this.view = undefined;
    // A new session starts live updates afresh (its own orders, its own failures).
    if (this.watch && this.watch.session !== session) {
      this.liveAbort?.abort();
      this.watch = undefined;
      this.liveFailed = false;
      this.liveFailures = 0;
      this.lastPollAt = 0;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('liveInterval')) {
      this.clearLiveTimer();
      this.scheduleLive();
    }
    this.updateStates();
  }

  /** Sets a custom state (`:state(loading)`); browsers without custom states simply don't get it. */
  private setState(name: string, on: boolean): void {
    try {
      const states = this.internals.states as CustomStateSet | undefined;
      if (on) states?.add(name);
      else states?.delete(name);
    } catch {
      // Before Chromium 125 only `--name` states existed; styling hooks are optional, the list still works.
    }
  }

  private updateStates(): void {
    const status = this.ordersTask.status;
    const ready = this.ready !== undefined;
    const view = this.view;
    const set = (name: string, on: boolean) => this.setState(name, on);
    set('loading', ready && status === TaskStatus.PENDING);
    set('error', ready && status === TaskStatus.ERROR);
    const none = ready && status === TaskStatus.COMPLETE && view !== undefined && view.orders.length === 0;
    set('empty', none && !this.filtersActive && view!.page === 1);
    set('no-results', none && (this.filtersActive || view!.page > 1));
    set('live', this.liveActive);
  }

  // ----- user actions ---------------------------------------------------------------------------------------

  private onSearchInput(event: Event): void {
    this.searchDraft = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.applySearch(), SEARCH_DEBOUNCE_MS);
  }

  private onSearchSubmit(event: Event): void {
    event.preventDefault();
    this.applySearch();
  }

  private applySearch(): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = undefined;
    if (this.searchDraft === this.search) return;
    this.search = this.searchDraft;
    this.page = 1;
  }

  private onStatusToggle(key: OrderStatusKey, checked: boolean): void {
    const keys = new Set(this.statusKeys);
    if (checked) keys.add(key);
    else keys.delete(key);
    this.status = (Object.keys(orderStatusKeys) as OrderStatusKey[]).filter((k) => keys.has(k)).join(',');
    this.page = 1;
  }

  /** The status filter closes on Escape and on a click outside it, like a menu. */
  private onStatusesToggle(event: Event): void {
    const details = event.currentTarget as HTMLDetailsElement;
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
    if (details.open) document.addEventListener('pointerdown', this.onOutsidePointer, true);
  }

  private onStatusesKeydown(event: KeyboardEvent): void {
    const details = event.currentTarget as HTMLDetailsElement;
    if (event.key === 'Escape' && details.open) {
      event.preventDefault();
      details.open = false;
      details.querySelector('summary')?.focus();
    }
  }

  private readonly onOutsidePointer = (event: PointerEvent) => {
    const details = this.renderRoot.querySelector<HTMLDetailsElement>('details.statuses');
    if (details?.open && !event.composedPath().includes(details)) details.open = false;
  };

  private onDateChange(which: 'from' | 'to', event: Event): void {
    this[which] = (event.target as HTMLInputElement).value;
    this.page = 1;
  }

  private setSort(sort: OrderSort): void {
    const text = orderSortText(sort);
    this.sort = text === orderSortText(defaultOrderSort) ? '' : text;
    this.page = 1;
  }

  private onHeaderClick(column: OrderSortColumn): void {
    const current = this.currentSort;
    this.setSort({ column, direction: current.column === column && current.direction === 'asc' ? 'desc' : 'asc' });
  }

  private onSortSelect(event: Event): void {
    const sort = parseOrderSort((event.target as HTMLSelectElement).value);
    if (sort) this.setSort(sort);
  }

  private clearFilters(): void {
    clearTimeout(this.searchTimer);
    this.search = '';
    this.searchDraft = '';
    this.status = '';
    this.from = '';
    this.to = '';
    this.page = 1;
  }

  private goToPage(page: number): void {
    this.page = Math.max(1, page);
  }

  private retry(): void {
    this.reloads++;
  }

  /**
   * Loads the current page again (for hosts that know the data changed, e.g. after an order was submitted
   * elsewhere on the page). Filters, sort and page stay as they are.
   */
  refresh(): void {
    this.retry();
  }

  /** A click that opens the link elsewhere (new tab or window) is not a selection on this page. */
  private onLinkClick(event: MouseEvent, order: OrderSummary): void {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    this.select(order);
  }

  /** The link of an order from `href-template`, or `undefined` without one. */
  private hrefFor(order: OrderSummary): string | undefined {
    if (!this.hrefTemplate) return undefined;
    return this.hrefTemplate
      .replaceAll('{id}', encodeURIComponent(order.id))
      .replaceAll('{number}', encodeURIComponent(order.number));
  }

  private select(order: OrderSummary): void {
    this.dispatchEvent(orderSelectEvent({ orderId: order.id, orderNumber: order.number }));
  }

  /**
   * The row or card an event happened in, with its order. Rows and cards share their listeners (one on the table
   * body, one on the card list) instead of three each: a page of 50 orders was 300 listeners.
   */
  private itemOf(event: Event): { item: HTMLElement; order: OrderSummary; index: number } | undefined {
    const item = (event.target as Element | null)?.closest?.<HTMLElement>('[data-index]');
    const index = Number(item?.dataset.index);
    const order = this.view?.orders[index];
    return item && order ? { item, order, index } : undefined;
  }

  private onItemsClick(event: MouseEvent): void {
    const hit = this.itemOf(event);
    if (!hit) return;
    if ((event.target as Element).closest('a')) {
      // The order's link: it selects (a plain click) and navigates by itself.
      this.onLinkClick(event, hit.order);
      return;
    }
    const link = hit.item.querySelector<HTMLAnchorElement>('a[href]');
    // A click elsewhere on a linked row follows the link (which selects, above); without a link, it selects.
    if (link) link.click();
    else this.select(hit.order);
  }

  private onItemsFocus(event: FocusEvent): void {
    const hit = this.itemOf(event);
    if (hit && hit.item === event.target) this.focusIndex = hit.index;
  }

  private onItemsKeydown(event: KeyboardEvent): void {
    const hit = this.itemOf(event);
    if (!hit || event.target !== hit.item) return;
    const { order, index } = hit;
    const count = this.view?.orders.length ?? 0;
    switch (event.key) {
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.select(order);
        return;
      case 'ArrowDown':
        event.preventDefault();
        this.moveFocus(Math.min(count - 1, index + 1));
        return;
      case 'ArrowUp':
        event.preventDefault();
        this.moveFocus(Math.max(0, index - 1));
        return;
      case 'Home':
        event.preventDefault();
        this.moveFocus(0);
        return;
      case 'End':
        event.preventDefault();
        this.moveFocus(count - 1);
        return;
    }
  }

  private async moveFocus(index: number): Promise<void> {
    this.focusIndex = index;
    await this.updateComplete;
    const items = [...(this.renderRoot as ShadowRoot).querySelectorAll<HTMLElement>(`[data-index="${index}"]`)];
    items.find((item) => item.offsetParent !== null)?.focus();
  }

  private announce(text: string): void {
    // Clearing first makes a repeated message be read again.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = text));
  }

  // ----- live updates ---------------------------------------------------------------------------------------

  private get liveActive(): boolean {
    return (
      this.liveInterval > 0 &&
      !this.liveFailed &&
      this.inViewport &&
      document.visibilityState === 'visible' &&
      this.ready !== undefined &&
      this.view !== undefined
    );
  }

  /** Checks the shown orders for changes every `live-interval` seconds while visible; pauses while hidden. */
  private scheduleLive(): void {
    if (!this.liveActive) {
      this.clearLiveTimer();
      this.setState('live', false);
      return;
    }
    this.setState('live', true);
    if (this.liveTimer !== undefined || this.polling) return;
    const base = Math.max(MIN_LIVE_INTERVAL, this.liveInterval) * 1000;
    const interval = this.liveFailures === 0 ? base : Math.min(MAX_LIVE_BACKOFF_MS, base * 2 ** this.liveFailures);
    const wait = this.lastPollAt === 0 ? interval : Math.max(0, interval - (Date.now() - this.lastPollAt));
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      void this.pollLive();
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

  private async pollLive(): Promise<void> {
    const ready = this.ready;
    const view = this.view;
    if (!this.liveActive || !ready || !view) return;
    const { client, session } = ready;
    // Each page shown gets its own watch: it follows that page's orders from the newest change it was read with.
    const shown = `${view.key}|${view.page}|${view.reload}`;
    if (!this.watch || this.watch.session !== session || this.watch.view !== shown) {
      this.watch = { session, view: shown, watch: watchOrders(client, session, view.orders, { statusLabels: this.statusLabels }) };
    }
    const { watch } = this.watch;
    const abort = new AbortController();
    this.liveAbort = abort;
    this.polling = true;
    try {
      const updates = await watch.poll(abort.signal);
      this.lastPollAt = Date.now();
      this.liveFailures = 0;
      if (this.watch?.watch === watch) this.applyChanges(updates);
    } catch (error) {
      if (abort.signal.aborted || isAbort(error)) return;
      this.lastPollAt = Date.now();
      this.liveFailures++;
      // A refused query (token expired, no permission, a column the site does not expose) will not get better by
      // asking again; network trouble and throttling might, after a longer wait.
      const permanent = error instanceof DataverseError && ['validation', 'not-found', 'permission'].includes(error.kind);
      if (permanent) {
        this.liveFailed = true;
        this.requestUpdate();
      }
    } finally {
      if (this.liveAbort === abort) {
        this.liveAbort = undefined;
        this.polling = false;
        this.scheduleLive();
      }
    }
  }

  /** Updates the shown rows in place with what SCM changed, and says so in the live region. */
  private applyChanges(updates: readonly OrderUpdate[]): void {
    const view = this.view;
    if (!view || updates.length === 0) return;
    const byId = new Map(updates.map((update) => [update.id, update]));
    const messages: string[] = [];
    const updated = new Set(view.updated);
    const orders = view.orders.map((order): OrderSummary => {
      const change = byId.get(order.id);
      if (!change) return order;
      const statusChanged = change.status.value !== order.status.value;
      const numberChanged = change.number !== order.number;
      const totalChanged = change.total.amount !== order.total.amount;
      if (!statusChanged && !numberChanged && !totalChanged) return order;
      const next: OrderSummary = {
        ...order,
        number: change.number || order.number,
        pendingSync: change.pendingSync,
        salesOrderNumber: change.salesOrderNumber,
        status: change.status,
        total: { ...change.total, currencyCode: change.total.currencyCode ?? order.total.currencyCode },
        modifiedOn: change.modifiedOn ?? order.modifiedOn,
      };
      updated.add(order.id);
      if (numberChanged) messages.push(msg(str`Order ${order.number} is now ${next.number} in Supply Chain Management.`));
      if (statusChanged) messages.push(msg(str`Order ${next.number} is now ${orderStatusLabel(next.status)}.`));
      else if (totalChanged && !numberChanged) messages.push(msg(str`The total of order ${next.number} changed.`));
      return next;
    });
    if (messages.length === 0) return;
    this.view = { ...view, orders, updated };
    this.announce(messages.join(' '));
  }

  // ----- formatting -----------------------------------------------------------------------------------------

  private get locale(): string {
    return this.ready?.locale ?? this.portal?.locale ?? 'en-US';
  }

  private formatNumber(value: number): string {
    return numberFormat(this.locale).format(value);
  }

  private formatDateTime(iso: string | null): string | null {
    if (!iso) return null;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : dateTimeFormat(this.locale, { dateStyle: 'medium' }).format(date);
  }

  /** A date-only value (`2025-03-01`) shown as that calendar day, in any time zone. */
  private formatDay(day: string | null): string | null {
    if (!day) return null;
    const date = new Date(`${day}T00:00:00Z`);
    return Number.isNaN(date.getTime())
      ? null
      : dateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  }

  private formatMoney(order: Pick<OrderSummary, 'total'>): string | null {
    const { amount, currencyCode, formatted } = order.total;
    if (amount === null) return formatted;
    if (currencyCode) {
      try {
        return numberFormat(this.locale, { style: 'currency', currency: currencyCode }).format(amount);
      } catch {
        // An unknown currency code: fall through.
      }
    }
    return formatted ?? this.formatNumber(amount);
  }

  /** "1–25 of 5,000+ orders". */
  private countText(view: ListView): string | undefined {
    const shown = view.orders.length;
    if (shown === 0) {
      return view.page === 1 ? (this.filtersActive ? msg('No orders match.') : msg('No orders yet.')) : msg('No orders on this page.');
    }
    const first = (view.page - 1) * view.result.pageSize + 1;
    const last = first + shown - 1;
    const range = `${this.formatNumber(first)}–${this.formatNumber(last)}`;
    const { count, countCapped } = view.result;
    if (count === null) return msg(str`${range} orders`, { desc: 'The orders shown, e.g. "1–25 orders" (the total is unknown).' });
    const total = countCapped ? `${this.formatNumber(Math.max(count, last))}+` : this.formatNumber(count);
    return count === 1 && !countCapped
      ? msg(str`${range} of ${total} order`, { desc: 'The one order there is: "1–1 of 1 order".' })
      : msg(str`${range} of ${total} orders`, { desc: 'The orders shown of all: "1–25 of 5,000+ orders".' });
  }

  private pageText(view: ListView): string {
    const { count, countCapped, pageSize } = view.result;
    if (count !== null && !countCapped) {
      const page = this.formatNumber(view.page);
      const pages = this.formatNumber(Math.max(1, Math.ceil(count / pageSize)));
      return msg(str`Page ${page} of ${pages}`);
    }
    const page = this.formatNumber(view.page);
    return msg(str`Page ${page}`);
  }

  // ----- rendering ------------------------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const gate = this.renderGate({
      loading: msg('Loading your orders…'),
      signedOut: msg('Sign in to see your orders.'),
      unavailable: msg("Your orders can't be shown right now."),
    });
    if (gate !== nothing) return gate as TemplateResult;
    const status = this.ordersTask.status;
    const view = this.view;
    let results: TemplateResult;
    if (status === TaskStatus.ERROR) results = this.renderError(this.ordersTask.error);
    else if (!view) results = this.renderSkeleton();
    else if (view.orders.length === 0) results = this.renderNone(view);
    else results = this.renderOrders(view);
    const loading = status === TaskStatus.PENDING || status === TaskStatus.INITIAL;
    return html`
      ${this.renderToolbar()}
      <div class="summary" part="summary">
        <span>${view && status !== TaskStatus.ERROR && view.orders.length > 0 ? this.countText(view) : nothing}</span>
        ${this.liveFailed ? html`<span>${msg('Live status updates are off.')}</span>` : nothing}
      </div>
      <div class="progress" aria-hidden="true"></div>
      <div class="results" aria-busy=${loading ? 'true' : 'false'}>${results}</div>
      ${view && view.orders.length > 0 && status !== TaskStatus.ERROR ? this.renderPagination(view) : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  private renderToolbar(): TemplateResult {
    const selected = new Set(this.statusKeys);
    const sort = orderSortText(this.currentSort);
    const showsPlacedBy = this.view?.result.showsPlacedBy ?? false;
    const sortColumns = orderSortColumns.filter((column) => column !== 'placed-by' || showsPlacedBy);
    return html`
      <div class="toolbar" part="toolbar">
        <form class="search" role="search" @submit=${this.onSearchSubmit}>
          <label class="field">
            <span>${msg('Search orders')}</span>
            <input
              part="search"
              type="search"
              name="search"
              autocomplete="off"
              maxlength="100"
              placeholder=${msg('Order number, reference or requisition')}
              .value=${live(this.searchDraft)}
              @input=${this.onSearchInput}
            />
          </label>
        </form>
        <details class="statuses" part="filters" @toggle=${this.onStatusesToggle} @keydown=${this.onStatusesKeydown}>
          <summary class="button">${msg('Status')}${selected.size > 0 ? ` (${this.formatNumber(selected.size)})` : ''}</summary>
          <fieldset>
            <legend>${msg('Show orders that are', { desc: 'Legend of the status checkboxes: "Show orders that are: Confirmed, Picked…".' })}</legend>
            ${STATUS_KEYS.map(
              (key) => html`<label>
                <input
                  type="checkbox"
                  value=${key}
                  .checked=${live(selected.has(key))}
                  @change=${(e: Event) => this.onStatusToggle(key, (e.target as HTMLInputElement).checked)}
                />${orderStatusLabel({ key, label: this.statusLabels.get(orderStatusKeys[key]) })}
              </label>`,
            )}
          </fieldset>
        </details>
        <label class="field">
          <span>${msg('Ordered from')}</span>
          <input type="date" name="from" .value=${live(this.from)} max=${ifDefined(this.to || undefined)} @change=${(e: Event) => this.onDateChange('from', e)} />
        </label>
        <label class="field">
          <span>${msg('Ordered to')}</span>
          <input type="date" name="to" .value=${live(this.to)} min=${ifDefined(this.from || undefined)} @change=${(e: Event) => this.onDateChange('to', e)} />
        </label>
        <label class="field sort-field">
          <span>${msg('Sort by')}</span>
          <select name="sort" @change=${this.onSortSelect}>
            ${sortColumns.map((column) =>
              (['asc', 'desc'] as const).map((direction) => {
                const value = orderSortText({ column, direction });
                return html`<option value=${value} ?selected=${value === sort}>${sortLabel(column, direction)}</option>`;
              }),
            )}
          </select>
        </label>
        ${this.filtersActive && !this.showsNoResults
          ? html`<button class="button" type="button" @click=${this.clearFilters}>${msg('Clear filters')}</button>`
          : nothing}
      </div>
    `;
  }

  private renderSkeleton(): TemplateResult {
    const bars = Math.min(this.effectivePageSize, 8);
    return html`
      <div class="skeleton" part="skeleton" aria-hidden="true">
        ${Array.from({ length: bars }, () => html`<div class="bar"></div>`)}
      </div>
      <p class="visually-hidden">${msg('Loading your orders…')}</p>
    `;
  }

  private renderNone(view: ListView): TemplateResult {
    if (!this.filtersActive && view.page === 1) {
      return html`
        <div class="message" part="empty">
          <slot name="empty">
            <h2>${msg('No orders yet')}</h2>
            <p>${msg('Orders you place will appear here, with their status as Supply Chain Management processes them.')}</p>
            ${this.createHref ? html`<a class="button primary" href=${this.createHref}>${msg('Create an order')}</a>` : nothing}
          </slot>
        </div>
      `;
    }
    const search = this.search.trim();
    return html`
      <div class="message" part="no-results">
        <h2>${search ? msg(str`No orders match “${search}”`) : msg('No orders match these filters')}</h2>
        <p>${msg('Try another order number, reference or requisition number, or clear the filters.')}</p>
        <button class="button" type="button" @click=${this.clearFilters}>${msg('Clear filters')}</button>
      </div>
    `;
  }

  private renderError(error: unknown): TemplateResult {
    let title = msg('Your orders could not be loaded.');
    let detail = msg('Something went wrong on the way to the server. Try again in a moment.');
    if (error instanceof DataverseError) {
      switch (error.kind) {
        case 'auth':
          title = msg('Your session has ended.');
          detail = msg('Sign in again to see your orders.');
          break;
        case 'permission':
          title = msg('You are not allowed to see these orders.');
          detail = msg('Ask your company’s customer representative, or the site owner, for access to sales orders.');
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
        case 'validation':
          title = msg('This search could not be run.');
          // The client's own message is for developers (lower-case, technical): the customer gets what to do.
          detail = msg('Try another order number, reference or requisition number, or clear the filters.');
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

  private renderOrders(view: ListView): TemplateResult {
    const showsPlacedBy = view.result.showsPlacedBy;
    const sort = this.currentSort;
    const columns = orderSortColumns.filter((column) => column !== 'placed-by' || showsPlacedBy);
    const sortedBy = columnLabel(sort.column);
    const caption =
      sort.direction === 'asc'
        ? msg(str`Your orders, sorted by ${sortedBy}, ascending`, { desc: 'Table caption; the column name is a heading ("Total").' })
        : msg(str`Your orders, sorted by ${sortedBy}, descending`, { desc: 'Table caption; the column name is a heading ("Total").' });
    // Only the layout the element's width needs (both while printing: the container query picks one for the paper).
    const narrow = this.printing ? undefined : (this.narrow ?? this.measureNarrow());
    return html`
      ${narrow === true ? nothing : this.renderTable(view, columns, sort, caption, showsPlacedBy)}
      ${narrow === false
        ? nothing
        : html`<ul class="cards" part="cards" aria-label=${msg('Your orders')} @click=${this.onItemsClick} @keydown=${this.onItemsKeydown} @focusin=${this.onItemsFocus}>
            ${view.orders.map((order, index) => this.renderCard(view, order, index, showsPlacedBy))}
          </ul>`}
    `;
  }

  /** The element's width before the ResizeObserver has reported it (a page that arrives before the first frame). */
  private measureNarrow(): boolean {
    return this.probe.getBoundingClientRect().width <= NARROW_MAX_WIDTH;
  }

  private renderTable(view: ListView, columns: readonly OrderSortColumn[], sort: OrderSort, caption: string, showsPlacedBy: boolean): TemplateResult {
    return html`
      <div class="table-wrap">
        <table part="table">
          <caption class="visually-hidden">${caption}</caption>
          <thead>
            <tr>
              ${columns.map((column) => {
                const sorted = sort.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
                return html`<th
                  part="header"
                  scope="col"
                  class=${column === 'total' ? 'numeric' : ''}
                  aria-sort=${ifDefined(sorted)}
                  data-column=${column}
                >
                  <button type="button" @click=${() => this.onHeaderClick(column)}>
                    ${columnLabel(column)}<span class="sort-icon" aria-hidden="true"
                      >${sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}</span
                    >
                  </button>
                </th>`;
              })}
            </tr>
          </thead>
          <tbody @click=${this.onItemsClick} @keydown=${this.onItemsKeydown} @focusin=${this.onItemsFocus}>
            ${view.orders.map((order, index) => this.renderRow(view, order, index, showsPlacedBy))}
          </tbody>
        </table>
      </div>
    `;
  }

  private tabIndexFor(index: number, href: string | undefined): number | undefined {
    if (href) return undefined;
    return index === this.focusIndex ? 0 : -1;
  }

  private renderNumber(order: OrderSummary, href: string | undefined): TemplateResult {
    return html`${href
        ? html`<a part="number" href=${href}>${order.number}</a>`
        : html`<span part="number">${order.number}</span>`}${order.pendingSync
        ? // The space is a value, not template text: no template minifier can take it away.
          [
            ' ',
            html`<span class="pending" part="pending" title=${msg('Not yet in Supply Chain Management: the SCM order number follows')}
              >${msg('pending sync', { desc: 'Tag of an order not yet in Supply Chain Management (lower case, like a label).' })}</span
            >`,
          ]
        : nothing}`;
  }

  private renderStatus(order: OrderSummary): TemplateResult {
    return html`<span class="status" part="status" data-status=${order.status.key ?? 'none'}
      >${orderStatusLabel(order.status) || msg('Not yet in SCM')}</span
    >`;
  }

  /** A cell's text, or a dash when there is none (the text itself is bound directly: no nested template per cell). */
  private renderText(value: string | null): string | TemplateResult {
    return value || NONE;
  }

  private renderRow(view: ListView, order: OrderSummary, index: number, showsPlacedBy: boolean): TemplateResult {
    const href = this.hrefFor(order);
    return html`
      <tr
        part="row"
        class=${view.updated.has(order.id) ? 'updated' : ''}
        data-id=${order.id}
        data-index=${index}
        tabindex=${ifDefined(this.tabIndexFor(index, href))}
      >
        <td part="cell" class="number" data-column="number">${this.renderNumber(order, href)}</td>
        <td part="cell" class="reference" data-column="reference">
          ${order.customerReference ? html`<bdi class="clamp" title=${order.customerReference}>${order.customerReference}</bdi>` : NONE}
          ${order.requisitionNumber
            ? html`<span class="secondary"
                >${msg('Req.', { desc: 'Short for "Requisition number", before the number.' })}
                <bdi class="clamp" title=${order.requisitionNumber}>${order.requisitionNumber}</bdi></span
              >`
            : nothing}
        </td>
        <td part="cell" data-column="date">${this.renderText(this.formatDateTime(order.orderDate))}</td>
        <td part="cell" data-column="receipt-date">${this.renderText(this.formatDay(order.requestedReceiptDate))}</td>
        <td part="cell" data-column="status">${this.renderStatus(order)}</td>
        <td part="cell" class="numeric" data-column="total">${this.renderText(this.formatMoney(order))}</td>
        ${showsPlacedBy
          ? html`<td part="cell" data-column="placed-by">${order.placedBy?.name ? html`<bdi>${order.placedBy.name}</bdi>` : NONE}</td>`
          : nothing}
      </tr>
    `;
  }

  private renderCard(view: ListView, order: OrderSummary, index: number, showsPlacedBy: boolean): TemplateResult {
    const href = this.hrefFor(order);
    const receipt = this.formatDay(order.requestedReceiptDate);
    return html`
      <li
        part="card"
        class=${view.updated.has(order.id) ? 'card updated' : 'card'}
        data-id=${order.id}
        data-index=${index}
        tabindex=${ifDefined(this.tabIndexFor(index, href))}
      >
        <span class="number">${this.renderNumber(order, href)}</span>
        ${this.renderStatus(order)}
        <dl>
          <dt>${columnLabel('date')}</dt>
          <dd>${this.renderText(this.formatDateTime(order.orderDate))}</dd>
          ${receipt ? html`<dt>${columnLabel('receipt-date')}</dt><dd>${receipt}</dd>` : nothing}
          ${order.customerReference
            ? html`<dt>${columnLabel('reference')}</dt><dd><bdi class="clamp" title=${order.customerReference}>${order.customerReference}</bdi></dd>`
            : nothing}
          ${order.requisitionNumber
            ? html`<dt>${msg('Requisition')}</dt><dd><bdi class="clamp" title=${order.requisitionNumber}>${order.requisitionNumber}</bdi></dd>`
            : nothing}
          <dt>${columnLabel('total')}</dt>
          <dd>${this.renderText(this.formatMoney(order))}</dd>
          ${showsPlacedBy && order.placedBy?.name ? html`<dt>${columnLabel('placed-by')}</dt><dd><bdi>${order.placedBy.name}</bdi></dd>` : nothing}
        </dl>
      </li>
    `;
  }

  private renderPagination(view: ListView): TemplateResult {
    return html`
      <nav class="pagination" part="pagination" aria-label=${msg('Order pages')}>
        <button class="button" type="button" ?disabled=${view.page <= 1} @click=${() => this.goToPage(view.page - 1)}>
          <span class="arrow" aria-hidden="true">←</span> ${msg('Previous', { desc: 'Button: the previous page of orders.' })}
        </button>
        <span class="page">${this.pageText(view)}</span>
        <button class="button" type="button" ?disabled=${!view.result.hasNext} @click=${() => this.goToPage(view.page + 1)}>
          ${msg('Next', { desc: 'Button: the next page of orders.' })} <span class="arrow" aria-hidden="true">→</span>
        </button>
      </nav>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scm-order-list': ScmOrderList;
  }
}
