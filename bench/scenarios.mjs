// The browser scenarios of `npm run bench`: MSAL lazy-loading proof, requests and bytes of each element's first
// view, time to first rows and paging (ours vs <vaadin-grid> over our client, at 1× and 4× CPU), JS heap after
// browsing 5,000 orders, and typing (debounced search, superseded keystrokes). Each scenario opens its own
// browser context (its own session cookie) and closes it.
import { devtools, networkLog } from './browser.mjs';

/** Power Pages role names, as Liquid writes `{{ user.roles | join: ',' }}`. */
const ROLE_NAMES = {
  administrator: 'Administrators',
  'customer-representative': 'Customer representative',
  'authorized-user': 'Authorized user',
  'unauthorized-user': 'Unauthorized user',
};
const ORDERING_ROLES = ['authorized-user', 'customer-representative', 'administrator'];

const round = (value, digits = 1) => (typeof value === 'number' ? Math.round(value * 10 ** digits) / 10 ** digits : value);
const sum = (values) => values.reduce((n, v) => n + (typeof v === 'number' ? v : 0), 0);
const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const stats = (values) => ({
  median: round(median(values)),
  min: round(values.length ? Math.min(...values) : null),
  max: round(values.length ? Math.max(...values) : null),
  runs: values.map((v) => round(v)),
});

/** How a user is handed to the page (`bench.mountPortal`). */
function pageUser(user) {
  return {
    email: user.email,
    contactId: user.contactId,
    accountId: user.accountId,
    roles: ['Authenticated Users', ...user.webRoles.map((role) => ROLE_NAMES[role] ?? role)].join(','),
  };
}

/**
 * Finds the people and rows the scenarios need: the users (`GET /emulator/users`), the account with the most
 * orders (the seed's 25,000-order account) and its customer representative (who sees every order of the
 * account), and one of its orders for the detail view.
 */
export async function prepare({ browser, server, elements, log }) {
  const response = await fetch(`${server.url}/emulator/users`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /emulator/users answered ${response.status}`);
  const users = (await response.json()).value;
  const store = server.opened.store;
  const accounts = [...new Set(users.map((u) => u.accountId))].map((accountId) => ({
    accountId,
    orders: store.findBy('salesorder', 'customerid', accountId),
  }));
  accounts.sort((a, b) => b.orders.length - a.orders.length);
  const large = accounts[0];
  const ofLarge = users.filter((u) => u.accountId === large.accountId);
  const rep =
    ofLarge.find((u) => u.webRoles.includes('customer-representative')) ??
    ofLarge.find((u) => u.webRoles.includes('administrator')) ??
    ofLarge[0];
  const orderer = ofLarge.find((u) => u.webRoles.some((r) => ORDERING_ROLES.includes(r))) ?? rep;
  const order = large.orders.find((row) => typeof row.salesorderid === 'string');
  log(`the large account ${rep.accountNumber} has ${large.orders.length.toLocaleString('en-US')} orders; its representative: ${rep.email}`);

  const byTag = Object.fromEntries(elements.map((e) => [e.tag, e]));
  return {
    browser,
    server,
    log,
    elements: byTag,
    rep,
    orderer,
    orderId: order?.salesorderid,
    largeAccountOrders: large.orders.length,
    describeUsers: () => ({
      largeAccount: { accountNumber: rep.accountNumber, accountId: large.accountId, orders: large.orders.length },
      representative: rep.email,
      orderer: orderer.email,
      detailOrderId: order?.salesorderid ?? null,
    }),
    /** A new browser context (own cookies) with one page, its network log and CDP helpers. */
    async open(name, { user, throttle = 1 } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error?.message ?? error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const net = networkLog(page);
      const dev = await devtools(page);
      if (throttle !== 1) await dev.throttle(throttle);
      if (user) {
        const signIn = await context.request.post(`${server.url}/emulator/signin`, { data: { user: user.email } });
        if (!signIn.ok()) throw new Error(`sign-in of ${user.email} answered ${signIn.status()}`);
      }
      if (name) {
        await page.goto(`${server.url}/bench/${name}.html`);
        await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30000 });
      }
      return {
        context,
        page,
        net,
        dev,
        errors,
        close: async () => {
          await dev.detach();
          await context.close();
        },
      };
    },
  };
}

/** What an element is mounted with in the scenarios. */
function attributesOf(ctx, tag, { live = true } = {}) {
  switch (tag) {
    case 'scm-order-list':
      return { 'page-size': 50, ...(live ? {} : { 'live-interval': 0 }) };
    case 'scm-order-detail':
      return { 'order-id': ctx.orderId, ...(live ? {} : { 'live-interval': 0 }) };
    default:
      return {};
  }
}

function notBuilt(ctx, tag) {
  const element = ctx.elements[tag];
  if (!element?.exists) return { status: 'not built', reason: `src/elements/${tag.slice(4)}/${tag.slice(4)}.ts does not exist yet` };
  if (!element.bundled) return { status: 'not built', reason: element.bundleError ?? 'the module does not bundle' };
  return null;
}

/**
 * What a shown element costs while nobody does anything: its running CSS animations (and the provider's), and the
 * main thread's style recalculations and task time over `ms` milliseconds. An idle element should cost nothing.
 */
async function idleCost(p, tag, ms = 2000) {
  const animations = await p.page.evaluate((t) => {
    const element = document.querySelector(t);
    const portal = document.querySelector('scm-portal');
    return [...(element?.shadowRoot?.getAnimations() ?? []), ...(portal?.shadowRoot?.getAnimations() ?? [])]
      .filter((a) => a.playState === 'running')
      .map((a) => a.animationName ?? a.id ?? 'animation');
  }, tag);
  const before = await p.dev.metrics();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await p.dev.metrics();
  const delta = (name) => round((after[name] ?? 0) - (before[name] ?? 0), 3);
  return {
    runningAnimations: animations,
    seconds: ms / 1000,
    styleRecalcs: delta('RecalcStyleCount'),
    layouts: delta('LayoutCount'),
    taskMs: round(delta('TaskDuration') * 1000),
  };
}

const apiSummary = (entries) => ({
  requests: entries.length,
  responseBytes: sum(entries.map((e) => e.responseBytes)),
  bodyGzipBytes: sum(entries.map((e) => e.bodyGzip)),
  urls: entries.map((e) => `${e.method} ${decodeURIComponent(new URL(e.url).pathname + new URL(e.url).search).slice(0, 240)}`),
});

// ---------------------------------------------------------------------------------------------------------------
// MSAL is a lazy chunk

/**
 * Loads the shipped `dist/cdn/scm-portal.js` twice: with `auth="power-pages"` (a signed-in session; no MSAL chunk
 * may be requested) and with `auth="msal"` (the chunk must be requested; the sign-in itself cannot complete here —
 * requests to other hosts are refused).
 */
export async function msalProof(ctx, { buildOk }) {
  if (!buildOk) return { status: 'not measured', reason: 'the build failed: dist/cdn/scm-portal.js is not current' };
  ctx.log('MSAL: loading dist/cdn/scm-portal.js with auth="power-pages", then auth="msal"…');
  const isMsal = (url) => /\/dist\/cdn\/msal[-.][^/]*\.js(\?|$)/.test(url);
  const u = pageUser(ctx.rep);

  const a = await ctx.open(null, { user: ctx.rep });
  let powerPages;
  try {
    const query = new URLSearchParams({ 'base-url': '/_api/', auth: 'power-pages', 'contact-id': u.contactId, 'account-id': u.accountId, roles: u.roles });
    await a.page.goto(`${ctx.server.url}/bench/cdn.html?${query}`);
    await a.page.waitForFunction(() => window.__portal?.status && window.__portal.status !== 'loading', null, { timeout: 30000 });
    await a.net.idle(1000);
    const status = await a.page.evaluate(() => window.__portal.status);
    const scripts = a.net.entries.filter((e) => /\.js(\?|$)/.test(e.url)).map((e) => new URL(e.url).pathname);
    powerPages = { portalStatus: status, msalRequests: a.net.entries.filter((e) => isMsal(e.url)).length, scripts, errors: a.errors.slice(0, 5) };
  } finally {
    await a.close();
  }

  const b = await ctx.open(null);
  let msal;
  try {
    // Nothing may leave the machine: MSAL's calls to login.microsoftonline.com are refused.
    await b.context.route((url) => !url.href.startsWith(ctx.server.url), (route) => route.abort());
    const query = new URLSearchParams({
      'base-url': 'https://contoso.crm.dynamics.com/api/data/v9.2/',
      auth: 'msal',
      'client-id': '11111111-2222-4333-8444-555555555555',
      'contact-id': u.contactId,
      'account-id': u.accountId,
    });
    const chunk = b.page.waitForRequest((request) => isMsal(request.url()), { timeout: 20000 }).catch(() => null);
    await b.page.goto(`${ctx.server.url}/bench/cdn.html?${query}`);
    const request = await chunk;
    await b.net.idle(500, 5000);
    msal = {
      msalRequests: b.net.entries.filter((e) => isMsal(e.url)).length,
      chunk: request ? new URL(request.url()).pathname : null,
      portalStatus: await b.page.evaluate(() => window.__portal?.status ?? null),
    };
  } finally {
    await b.close();
  }
  return { status: 'ok', powerPages, msal };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests and bytes of each first view

/**
 * For each element: the provider's session load (its own requests, reported apart), then the element connected
 * and its first view painted; API requests and bytes counted from the page's network log until the network has
 * been quiet for 750 ms. For the list (50 rows a page) the bytes of one page, and what its first live-update poll
 * costs.
 */
export async function firstViews(ctx) {
  const result = { elements: {} };
  for (const tag of ['scm-order-list', 'scm-order-detail', 'scm-account-summary', 'scm-order-form']) {
    const skip = notBuilt(ctx, tag);
    if (skip) {
      result.elements[tag] = skip;
      continue;
    }
    if (tag === 'scm-order-detail' && !ctx.orderId) {
      result.elements[tag] = { status: 'not measured', reason: 'no order found for the large account' };
      continue;
    }
    ctx.log(`first view: <${tag}>…`);
    const user = tag === 'scm-order-form' ? ctx.orderer : ctx.rep;
    const p = await ctx.open('elements', { user });
    try {
      const m0 = p.net.mark();
      const portal = await p.page.evaluate((u) => window.bench.mountPortal(u), pageUser(user));
      await p.net.idle(300);
      const session = { ms: round(portal.sessionMs), api: apiSummary(p.net.since(m0, 'api')), tokenRequests: p.net.since(m0, 'token').length };
      const m1 = p.net.mark();
      const view = await p.page.evaluate(([t, attrs]) => window.bench.mountElement(t, attrs), [tag, attributesOf(ctx, tag)]);
      await p.net.idle(750);
      const api = apiSummary(p.net.since(m1, 'api'));
      const entry = {
        status: 'ok',
        user: user.email,
        apiRequests: api.requests,
        tokenRequests: p.net.since(m1, 'token').length,
        responseBytes: api.responseBytes,
        bodyGzipBytes: api.bodyGzipBytes,
        firstViewMs: round(view.ms),
        idle: await idleCost(p, tag),
        requests: api.urls,
        session,
        errors: p.errors.slice(0, 5),
      };
      if (tag === 'scm-order-list') {
        entry.rows = view.rows;
        const page = p.net.since(m1, 'api')[0];
        entry.page50 = page ? { responseBytes: page.responseBytes, bodyBytes: page.bodyBytes, bodyGzipBytes: page.bodyGzip } : null;
        // Live updates: the first check (a 1-second interval starts it a second later). It counts from its first
        // request until the network has been quiet for 300 ms — a check made of many requests (the change-tracking
        // initial sync used before took 113 pages back to back) keeps the network busy throughout, while the next
        // check of a 1-second interval comes only after that quiet.
        const m2 = p.net.mark();
        await p.page.evaluate(() => document.querySelector('scm-order-list').setAttribute('live-interval', '1'));
        const started = Date.now();
        while (p.net.since(m2, 'api').length === 0 && Date.now() - started < 15000) await new Promise((resolve) => setTimeout(resolve, 20));
        await p.net.idle(300, 120000);
        await p.page.evaluate(() => document.querySelector('scm-order-list').setAttribute('live-interval', '0'));
        const liveEntries = p.net.since(m2, 'api');
        const live = apiSummary(liveEntries);
        entry.liveFirstPoll = {
          requests: live.requests,
          statuses: liveEntries.map((e) => e.status ?? e.failed ?? 'pending'),
          responseBytes: live.responseBytes,
          bodyGzipBytes: live.bodyGzipBytes,
          urls: live.urls.slice(0, 3),
        };
      }
      result.elements[tag] = entry;
    } catch (error) {
      result.elements[tag] = { status: 'failed', error: String(error?.message ?? error).slice(0, 500), errors: p.errors.slice(0, 5) };
    } finally {
      await p.close();
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Time: ours vs vaadin-grid

/** One timing run of one side: page load, session, then connected → first rows, then 1,000 rows paged. */
async function timingRun(ctx, side, rate, { pages, pageSize }) {
  const p = await ctx.open(side === 'list' ? 'elements' : 'grid', { user: ctx.rep, throttle: rate });
  try {
    await p.page.evaluate((u) => window.bench.mountPortal(u), pageUser(ctx.rep));
    await p.net.idle(200);
    const nodesBefore = (await p.dev.metrics()).Nodes;
    const m = p.net.mark();
    const first =
      side === 'list'
        ? await p.page.evaluate((attrs) => window.bench.mountElement('scm-order-list', attrs), attributesOf(ctx, 'scm-order-list', { live: false }))
        : await p.page.evaluate((size) => window.bench.mountGrid({ pageSize: size }), pageSize);
    const firstRequests = p.net.since(m, 'api').length;
    // DOM nodes the first view added (a deterministic figure: the work of rendering and laying out grows with it).
    const firstNodes = (await p.dev.metrics()).Nodes - nodesBefore;
    const m2 = p.net.mark();
    const paging =
      side === 'list'
        ? await p.page.evaluate((n) => window.bench.pageList(n), pages)
        : await p.page.evaluate(([n, size]) => window.bench.scrollGrid(n, { pageSize: size }), [pages, pageSize]);
    await p.net.idle(300);
    const pagingEntries = p.net.since(m2, 'api');
    const client = (b) => (b && b.beforeRequestMs !== null ? b.beforeRequestMs + b.afterDataMs : null);
    return {
      firstRows: first.ms,
      firstRowsClient: client(first.breakdown),
      firstRowsData: first.breakdown?.dataMs ?? null,
      firstRequests,
      firstNodes,
      firstNumber: first.firstNumber ?? null,
      paging: paging.ms,
      pagingClient: client(paging.breakdown),
      pagingData: paging.breakdown?.dataMs ?? null,
      pagingRequests: pagingEntries.length,
      pageResponseBytes: median(pagingEntries.map((e) => e.responseBytes)),
      pageBodyGzipBytes: median(pagingEntries.map((e) => e.bodyGzip)),
      errors: p.errors.slice(0, 3),
    };
  } finally {
    await p.close();
  }
}

/**
 * Median of `runs` runs per side and CPU rate; the two sides alternate (list first on even runs, grid first on
 * odd ones) so that drift affects both alike.
 */
export async function timing(ctx, { runs, pages, pageSize }) {
  const skip = notBuilt(ctx, 'scm-order-list');
  if (skip) return skip;
  const byRate = {};
  for (const rate of [1, 4]) {
    const samples = { list: [], grid: [] };
    for (let run = 0; run < runs; run++) {
      ctx.log(`time ${rate}× CPU: run ${run + 1} of ${runs}…`);
      for (const side of run % 2 === 0 ? ['list', 'grid'] : ['grid', 'list']) {
        samples[side].push(await timingRun(ctx, side, rate, { pages, pageSize }));
      }
    }
    const side = (list) => ({
      firstRows: stats(list.map((s) => s.firstRows)),
      // The same, split: client work (before the request left + after the data was in) and waiting for data.
      firstRowsClient: stats(list.map((s) => s.firstRowsClient)),
      firstRowsData: stats(list.map((s) => s.firstRowsData)),
      paging: stats(list.map((s) => s.paging)),
      pagingClient: stats(list.map((s) => s.pagingClient)),
      pagingData: stats(list.map((s) => s.pagingData)),
      firstRequests: median(list.map((s) => s.firstRequests)),
      firstNodes: median(list.map((s) => s.firstNodes)),
      pagingRequests: median(list.map((s) => s.pagingRequests)),
      pageResponseBytes: median(list.map((s) => s.pageResponseBytes)),
      pageBodyGzipBytes: median(list.map((s) => s.pageBodyGzipBytes)),
      sameFirstOrder: list.every((s) => s.firstNumber === list[0].firstNumber) ? list[0].firstNumber : 'varied',
      errors: [...new Set(list.flatMap((s) => s.errors))].slice(0, 3),
    });
    byRate[rate] = { list: side(samples.list), grid: side(samples.grid) };
  }
  return { status: 'ok', runs, rowsPaged: (pages + 1) * pageSize, byRate };
}

// ---------------------------------------------------------------------------------------------------------------
// Memory

/**
 * JS heap (after forced garbage collection) with the portal ready, after browsing 5,000 orders (100 pages of 50)
 * in the list or the grid, and after removing the element again.
 */
export async function memory(ctx, { pages, pageSize }) {
  const skip = notBuilt(ctx, 'scm-order-list');
  if (skip) return skip;
  const result = { status: 'ok', ordersBrowsed: (pages + 1) * pageSize };
  for (const side of ['list', 'grid']) {
    ctx.log(`heap: browsing ${result.ordersBrowsed.toLocaleString('en-US')} orders with the ${side === 'list' ? 'order list' : 'vaadin-grid'}…`);
    const p = await ctx.open(side === 'list' ? 'elements' : 'grid', { user: ctx.rep });
    try {
      await p.page.evaluate((u) => window.bench.mountPortal(u), pageUser(ctx.rep));
      await p.net.idle(200);
      const base = await p.dev.heap();
      if (side === 'list') {
        await p.page.evaluate((attrs) => window.bench.mountElement('scm-order-list', attrs), attributesOf(ctx, 'scm-order-list', { live: false }));
        await p.page.evaluate((n) => window.bench.pageList(n), pages);
      } else {
        await p.page.evaluate((size) => window.bench.mountGrid({ pageSize: size }), pageSize);
        await p.page.evaluate(([n, size]) => window.bench.scrollGrid(n, { pageSize: size }), [pages, pageSize]);
      }
      await p.net.idle(300);
      const after = await p.dev.heap();
      await p.page.evaluate(() => window.bench.unmount());
      const removed = await p.dev.heap();
      result[side] = {
        portalReady: base,
        afterBrowsing: after,
        afterRemoving: removed,
        growthBytes: after.usedBytes - base.usedBytes,
        retainedAfterRemovingBytes: removed.usedBytes - base.usedBytes,
      };
    } finally {
      await p.close();
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Typing

/** Product search terms the seed's catalogue has (fasteners, cables, screws, washers, nuts). */
const PRODUCT_TERMS = ['cable', 'bolt', 'screw', 'washer', 'nut'];
/** Milliseconds between keystrokes: a fast typist, well under the elements' debounce. */
const KEY_DELAY_MS = 80;
/**
 * The search debounce both elements use (`SEARCH_DEBOUNCE_MS` in order-list.ts and order-form.ts). On a busy
 * machine the driver's keystrokes can arrive further apart than that: such a round is a pause in the typing, where
 * a search is expected, so it is reported but not counted as superseded requests.
 */
const DEBOUNCE_MS = 250;

/**
 * Types `term` into `selector` one key at a time and measures, in the page, last keystroke → results painted,
 * and counts the API requests the typing caused (one is expected: the final text's).
 */
async function typeRound(p, kind, selector, term) {
  const input = p.page.locator(selector);
  await input.fill('');
  // Clearing is typing too: let it be applied (the list reloads every order) before counting.
  await p.page.evaluate((k) => window.bench.searchCleared(k), kind);
  await p.net.idle(400);
  const mark = p.net.mark();
  await p.page.evaluate(([k, text]) => window.bench.watchSearch(k, text), [kind, term]);
  await input.pressSequentially(term, { delay: KEY_DELAY_MS });
  const result = await p.page.evaluate(() => window.bench.searchResult());
  await p.net.idle(400);
  const requests = p.net.since(mark, 'api');
  const t0 = requests[0]?.started ?? 0;
  return {
    term,
    ...result,
    requests: requests.length,
    aborted: requests.filter((r) => r.failed).length,
    requestLog: requests.map((r) => `+${r.started - t0} ms ${r.failed ?? r.status ?? ''} ${decodeURIComponent(new URL(r.url).search).slice(0, 160)}`),
  };
}

function typingSummary(rounds, extra = {}) {
  const fast = rounds.filter((r) => r.maxGapMs < DEBOUNCE_MS);
  return {
    status: 'ok',
    keyDelayMs: KEY_DELAY_MS,
    debounceMs: DEBOUNCE_MS,
    lastKeystrokeToResultsMs: stats(rounds.map((r) => r.lastInputMs)),
    requestsPerRound: rounds.map((r) => r.requests),
    // Requests beyond the one for the final text, in rounds typed faster than the debounce.
    supersededRequests: sum(fast.map((r) => Math.max(0, r.requests - 1))),
    roundsWithAPause: rounds.length - fast.length,
    abortedRequests: sum(rounds.map((r) => r.aborted)),
    maxKeyGapMs: round(Math.max(...rounds.map((r) => r.maxGapMs))),
    rounds: rounds.map((r) => ({
      term: r.term,
      keystrokes: r.keystrokes,
      lastInputMs: round(r.lastInputMs),
      maxKeyGapMs: round(r.maxGapMs),
      requests: r.requests,
      ...(r.requests > 1 ? { requestLog: r.requestLog } : {}),
    })),
    ...extra,
  };
}

/** The order form's product combobox (when the form exists), and the order list's search. */
export async function typing(ctx, { rounds }) {
  const result = {};

  const formSkip = notBuilt(ctx, 'scm-order-form');
  if (formSkip) {
    result['order form: product search'] = { status: 'not measured', reason: formSkip.reason };
  } else {
    ctx.log('typing: the order form\'s product search…');
    const p = await ctx.open('elements', { user: ctx.orderer });
    try {
      await p.page.evaluate((u) => window.bench.mountPortal(u), pageUser(ctx.orderer));
      await p.page.evaluate(() => window.bench.mountElement('scm-order-form', {}));
      await p.net.idle(300);
      // The first step needs a requested receipt date (the delivery address defaults to the primary one).
      const receiptDate = p.page.locator('scm-order-form #receipt-date');
      if ((await receiptDate.count()) > 0) {
        const day = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
        await receiptDate.fill(day);
      }
      const reached = await p.page.evaluate(() => window.bench.openProductField());
      if (!reached) {
        result['order form: product search'] = { status: 'not measured', reason: 'the product field (#product) could not be reached from the first step' };
      } else {
        const list = [];
        for (const term of PRODUCT_TERMS.slice(0, rounds)) list.push(await typeRound(p, 'product', 'scm-order-form #product', term));
        result['order form: product search'] = typingSummary(list);
      }
    } catch (error) {
      result['order form: product search'] = { status: 'failed', error: String(error?.message ?? error).slice(0, 500), errors: p.errors.slice(0, 3) };
    } finally {
      await p.close();
    }
  }

  const listSkip = notBuilt(ctx, 'scm-order-list');
  if (listSkip) {
    result['order list: search'] = { status: 'not measured', reason: listSkip.reason };
  } else {
    ctx.log('typing: the order list\'s search…');
    const p = await ctx.open('elements', { user: ctx.rep });
    try {
      await p.page.evaluate((u) => window.bench.mountPortal(u), pageUser(ctx.rep));
      await p.page.evaluate((attrs) => window.bench.mountElement('scm-order-list', attrs), attributesOf(ctx, 'scm-order-list', { live: false }));
      await p.net.idle(300);
      const numbers = await p.page.evaluate(() =>
        [...document.querySelector('scm-order-list').shadowRoot.querySelectorAll('tr[part~="row"] [part~="number"]')].map((e) => e.textContent.trim()),
      );
      const terms = numbers.filter(Boolean).slice(1, 1 + rounds);
      const list = [];
      for (const term of terms) list.push(await typeRound(p, 'list', 'scm-order-list input[part~="search"]', term));
      result['order list: search'] = typingSummary(list);
    } catch (error) {
      result['order list: search'] = { status: 'failed', error: String(error?.message ?? error).slice(0, 500), errors: p.errors.slice(0, 3) };
    } finally {
      await p.close();
    }
  }
  return result;
}
