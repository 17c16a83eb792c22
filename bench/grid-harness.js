// In-page half of the bench's peer comparison: the same orders as `<scm-order-list>` shows, shown by
// `<vaadin-grid>` (the list peer) with a data provider over OUR client and OUR order service — same provider
// (`<scm-portal>`, same session), same query (`listOrders` / `orderPageAt`: same $select, $filter, $orderby,
// $expand, page size), so the only difference is the component that renders them.
//
// Bundled by the bench into `.tmp/bench-build/grid.js` (loaded by bench/grid.html) with `<scm-portal>` and
// `@vaadin/grid`. Exposes the same `window.bench` steps as bench/harness.js for the grid: mountGrid (connected →
// first rows painted), scrollGrid (1,000 rows, page by page), unmount.
import '@vaadin/grid';
import { listOrders, orderPageAt } from '../src/portal/orders.js';
import { addBreakdowns, afterPaint, breakdown, mountPortal, signIn, waitFor } from './harness.js';

let current;

const dayFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const dayFormatUtc = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** The same columns as the list's wide layout, as plain text renderers. */
const COLUMNS = [
  ['Order', (o) => o.number],
  ['Reference', (o) => o.customerReference ?? '—'],
  ['Ordered', (o) => (o.orderDate ? dayFormat.format(new Date(o.orderDate)) : '—')],
  ['Requested receipt', (o) => (o.requestedReceiptDate ? dayFormatUtc.format(new Date(`${o.requestedReceiptDate}T00:00:00Z`)) : '—')],
  ['Status', (o) => o.status.label],
  [
    'Total',
    (o) =>
      o.total.amount === null
        ? (o.total.formatted ?? '—')
        : o.total.currencyCode
          ? new Intl.NumberFormat('en-US', { style: 'currency', currency: o.total.currencyCode }).format(o.total.amount)
          : String(o.total.amount),
  ],
  ['Placed by', (o) => o.placedBy?.name ?? '—'],
];

/**
 * A vaadin-grid data provider over Dataverse paging, which has no `$skip`: page n comes from the `nextLink` of
 * page n-1, so links are kept (as the list keeps them) and a page whose link is not known yet is reached by
 * following links from the furthest known page. Row objects are handed to the grid and not kept here (the grid
 * caches what it was given).
 */
function dataProvider(client, session, pageSize, grid) {
  const links = []; // links[n]: the nextLink that leads to page n
  const pending = new Map(); // page number → its request in flight (shared by concurrent asks)
  let known; // the first page's count
  let loadedRows = 0;
  const pageAt = (n) => {
    let promise = pending.get(n);
    if (promise) return promise;
    promise = (async () => {
      if (n === 0) {
        const first = await listOrders(client, session, { pageSize });
        known = { count: first.count, countCapped: first.countCapped };
        if (first.nextLink) links[1] = first.nextLink;
        return first;
      }
      if (links[n] === undefined) {
        const previous = await pageAt(n - 1);
        if (!previous?.hasNext) return null;
      }
      const page = await orderPageAt(client, session, links[n], { pageSize, known });
      if (page.nextLink) links[n + 1] = page.nextLink;
      return page;
    })();
    pending.set(n, promise);
    promise.then(
      () => pending.delete(n),
      () => pending.delete(n),
    );
    return promise;
  };
  return (params, callback) => {
    pageAt(params.page).then(
      (page) => {
        const orders = page?.orders ?? [];
        loadedRows = Math.max(loadedRows, params.page * pageSize + orders.length);
        // A capped count (5,000+) grows by a page whenever the grid reaches the end of what it knows.
        const count = known?.count ?? 0;
        const size = page?.hasNext ? Math.max(count, loadedRows + pageSize) : Math.max(count, loadedRows);
        callback(orders, size);
      },
      (error) => {
        console.error('grid data provider failed', error);
        callback([], 0);
      },
    );
  };
}

/**
 * Connects a `<vaadin-grid>` (50 rows a page, 600 px high) inside the portal and waits until its first rows are
 * painted. Returns the time from connection to that paint.
 */
export async function mountGrid({ pageSize = 50 } = {}) {
  const portal = window.__portal;
  const state = { client: portal.client, session: portal.session };
  const grid = document.createElement('vaadin-grid');
  grid.style.height = '600px';
  grid.pageSize = pageSize;
  for (const [header, text] of COLUMNS) {
    const column = document.createElement('vaadin-grid-column');
    column.header = header;
    column.renderer = (root, _column, model) => {
      root.textContent = text(model.item);
    };
    grid.append(column);
  }
  grid.dataProvider = dataProvider(state.client, state.session, pageSize, grid);
  const started = performance.now();
  portal.append(grid); // connected: the clock starts here
  current = grid;
  await waitFor(() => renderedRow(grid, 0), { roots: [grid, grid.shadowRoot], what: 'the first grid rows' });
  await afterPaint();
  const painted = performance.now();
  return { ms: painted - started, breakdown: breakdown(started, painted), rows: renderedRows(grid).length, firstNumber: renderedRow(grid, 0)?._item?.number ?? null };
}

/** The grid's body rows that show an item (not a loading placeholder). */
function renderedRows(grid) {
  return [...(grid.shadowRoot?.querySelectorAll('#items tr') ?? [])].filter((row) => !row.hasAttribute('loading') && row._item);
}

/** The body row that shows item `index`, once its content is rendered. */
function renderedRow(grid, index) {
  return renderedRows(grid).find((row) => row.index === index && row.querySelector('td')?._content?.textContent?.trim()) ?? null;
}

/**
 * Scrolls the grid to row `pageSize·k` for k = 1…pages (one page of the list per step), each time waiting until
 * that row is painted with its data.
 */
export async function scrollGrid(pages, { pageSize = 50 } = {}) {
  const grid = current;
  const perPage = [];
  const parts = [];
  const started = performance.now();
  for (let k = 1; k <= pages; k++) {
    const index = k * pageSize;
    const t = performance.now();
    grid.scrollToIndex(index);
    await waitFor(() => renderedRow(grid, index), { roots: [grid, grid.shadowRoot], what: `grid row ${index}` });
    await afterPaint();
    const painted = performance.now();
    perPage.push(painted - t);
    parts.push(breakdown(t, painted));
  }
  return { ms: performance.now() - started, perPage, breakdown: addBreakdowns(parts), rowsSeen: (pages + 1) * pageSize };
}

export function unmount() {
  current?.remove();
  current = undefined;
}

window.bench = { signIn, mountPortal, mountGrid, scrollGrid, unmount, defined: (tag) => customElements.get(tag) !== undefined };
