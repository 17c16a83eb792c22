// In-page half of `npm run bench` (scripts/bench.mjs drives it with playwright-core).
//
// Bundled by the bench (esbuild, minified, production Lit) together with `<scm-portal>` and every element module
// that exists, into `.tmp/bench-build/elements.js`, which `bench/elements.html` loads. It exposes `window.bench`:
// small steps the driver calls one by one (sign in, mount the provider, mount an element and time it until its
// first content is painted, page through a list, …). Every figure is measured here, in the page, with
// `performance.now()`; the driver only collects them (and counts the network requests from outside the page).
//
// "Painted" means: the content is in the DOM, and the frame that contains it has been produced — detected by a
// MutationObserver/animation-frame check followed by `requestAnimationFrame` + `setTimeout(0)` (the task after
// the frame). The same helper times `<vaadin-grid>` on the grid page (bench/grid-harness.js), so both sides of a
// ratio are measured the same way.

/** Resolves after the next frame has been produced (the task after the next animation frame). */
export function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * Resolves with `check()`'s first truthy value. `check` runs on every DOM mutation under `roots` (shadow roots
 * included when given) and on every animation frame, so detection is at most one frame late.
 */
export function waitFor(check, { roots = [], timeout = 30000, what = 'condition' } = {}) {
  return new Promise((resolve, reject) => {
    let done = false;
    let frame = 0;
    const observer = new MutationObserver(() => tryNow());
    const finish = (fn) => {
      done = true;
      observer.disconnect();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      fn();
    };
    const tryNow = () => {
      if (done) return;
      let value;
      try {
        value = check();
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      if (value) finish(() => resolve(value));
    };
    const onFrame = () => {
      tryNow();
      if (!done) frame = requestAnimationFrame(onFrame);
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`Timed out after ${timeout} ms waiting for ${what}`))), timeout);
    for (const root of roots) {
      if (root) observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    }
    tryNow();
    if (!done) frame = requestAnimationFrame(onFrame);
  });
}

// Keep every resource timing entry (100 pages of orders and more): the breakdowns below read them.
performance.setResourceTimingBufferSize(100000);

/**
 * Where the time between `started` and `painted` went, from the Resource Timing entries of the Web API requests
 * that started in that window: `beforeRequestMs` (client work until the first request left), `dataMs` (until the
 * last response was in: network and server), `afterDataMs` (client work from the last response to the paint).
 */
export function breakdown(started, painted) {
  const entries = performance
    .getEntriesByType('resource')
    .filter((e) => /\/_api\/|\/api\/data\//.test(new URL(e.name).pathname) && e.startTime >= started && e.startTime <= painted);
  if (entries.length === 0) return { requests: 0, beforeRequestMs: null, dataMs: null, afterDataMs: null };
  const firstStart = Math.min(...entries.map((e) => e.startTime));
  const lastEnd = Math.max(...entries.map((e) => e.responseEnd));
  return {
    requests: entries.length,
    beforeRequestMs: firstStart - started,
    dataMs: lastEnd - firstStart,
    afterDataMs: painted - lastEnd,
  };
}

/** Adds up the breakdowns of several steps (paging). */
export function addBreakdowns(list) {
  const total = { requests: 0, beforeRequestMs: 0, dataMs: 0, afterDataMs: 0 };
  for (const b of list) for (const key of Object.keys(total)) total[key] += b[key] ?? 0;
  return total;
}

/** `POST /emulator/signin`: the Power Pages session cookie for `email` (not an API request). */
export async function signIn(email) {
  const response = await fetch('/emulator/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: email }),
  });
  if (!response.ok) throw new Error(`POST /emulator/signin answered ${response.status}`);
}

/**
 * Mounts `<scm-portal base-url="/_api/" auth="power-pages" …>` for `user` and waits until its session is loaded.
 * Returns how long the session took (the provider's share of a first view).
 */
export async function mountPortal(user, { auth = 'power-pages' } = {}) {
  await customElements.whenDefined('scm-portal');
  const portal = document.createElement('scm-portal');
  portal.setAttribute('base-url', '/_api/');
  portal.setAttribute('auth', auth);
  portal.setAttribute('contact-id', user.contactId);
  portal.setAttribute('account-id', user.accountId);
  portal.setAttribute('roles', user.roles);
  portal.setAttribute('locale', 'en-US');
  const started = performance.now();
  document.body.append(portal);
  await waitFor(() => portal.status && portal.status !== 'loading', { what: 'the portal session', timeout: 60000 });
  await afterPaint();
  if (portal.status !== 'ready') {
    throw new Error(`The portal did not get ready: ${portal.status} ${JSON.stringify(portal.problem ?? null)}`);
  }
  window.__portal = portal;
  return { sessionMs: performance.now() - started };
}

/** Shadow-root query helpers. */
const $ = (element, selector) => element.shadowRoot?.querySelector(selector) ?? null;
const $$ = (element, selector) => [...(element.shadowRoot?.querySelectorAll(selector) ?? [])];

/** An element is busy while it says `:state(loading)` or shows a skeleton placeholder. */
function busy(element) {
  let loading = false;
  try {
    loading = element.matches(':state(loading)');
  } catch {
    loading = false;
  }
  return loading || $(element, '[part~="skeleton"]') !== null || $(element, '[part~="gate"]') !== null;
}

/**
 * What "first view shown" means for each element: its first real content (not a skeleton, not a gate), as a
 * user would see it. For the list, the first order rows; for the form, the first field ready to type in.
 */
const FIRST_VIEW = {
  'scm-order-list': (el) => !busy(el) && $(el, 'tr[part~="row"], li[part~="card"]'),
  'scm-order-detail': (el) => !busy(el) && ($(el, '[part~="lines"]') ?? $(el, '[part~="not-found"]') ?? $(el, '[part~="error"]')),
  'scm-account-summary': (el) => !busy(el) && ($(el, '[part~="base"]') ?? $(el, '[part~="problem"]')),
  'scm-order-form': (el) =>
    !busy(el) &&
    $$(el, 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled])').find((input) => input.offsetParent !== null),
};

/** The element mounted last, and when it was connected. */
let current;

/**
 * Connects `<tag attrs…>` inside the portal and waits for its first view to be painted. Returns the time from
 * connection to that paint, and a few facts about what was shown.
 */
export async function mountElement(tag, attributes = {}) {
  const portal = window.__portal;
  if (!portal) throw new Error('mountPortal first');
  if (!customElements.get(tag)) throw new Error(`${tag} is not defined in this bundle`);
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  const check = FIRST_VIEW[tag] ?? ((el) => !busy(el) && el.shadowRoot?.childElementCount);
  const started = performance.now();
  portal.append(element); // connected: the clock starts here
  current = { element, started };
  await waitFor(() => check(element), { roots: [element.shadowRoot], what: `the first view of <${tag}>` });
  await afterPaint();
  const painted = performance.now();
  return { ms: painted - started, breakdown: breakdown(started, painted), ...describe(element, tag) };
}

function describe(element, tag) {
  if (tag === 'scm-order-list') {
    const rows = $$(element, 'tr[part~="row"]');
    return { rows: rows.length, firstId: rows[0]?.dataset.id ?? null, firstNumber: rows[0]?.querySelector('[part~="number"]')?.textContent?.trim() ?? null };
  }
  return {};
}

/** The order list's visible rows (table layout). */
function listRows(element) {
  return $$(element, 'tr[part~="row"]');
}

/**
 * Pages the mounted `<scm-order-list>` forward `pages` times with its Next button (as a user clicks it), each time
 * waiting until the new page's rows are painted. Returns the total and per-page times.
 */
export async function pageList(pages) {
  const element = current?.element;
  if (!element || element.localName !== 'scm-order-list') throw new Error('mount scm-order-list first');
  const perPage = [];
  const parts = [];
  let rowsSeen = listRows(element).length;
  const started = performance.now();
  for (let i = 0; i < pages; i++) {
    const before = listRows(element)[0]?.dataset.id;
    const next = $$(element, 'nav[part~="pagination"] button').at(-1);
    if (!next || next.disabled) throw new Error(`no Next page after ${i} pages`);
    const t = performance.now();
    next.click();
    await waitFor(() => !busy(element) && listRows(element)[0]?.dataset.id !== before && listRows(element)[0], {
      roots: [element.shadowRoot],
      what: `page ${i + 2} of the order list`,
    });
    await afterPaint();
    const painted = performance.now();
    perPage.push(painted - t);
    parts.push(breakdown(t, painted));
    rowsSeen += listRows(element).length;
  }
  return { ms: performance.now() - started, perPage, breakdown: addBreakdowns(parts), rowsSeen, page: element.page };
}

/** Removes the mounted element (its memory can then be collected). */
export function unmount() {
  current?.element.remove();
  current = undefined;
}

// ----- typing ------------------------------------------------------------------------------------------------

/**
 * Gets `<scm-order-form>` to its product field: clicks Next (or Continue) until `#product` exists. Returns whether
 * it got there.
 */
export async function openProductField() {
  const element = current?.element;
  if (!element || element.localName !== 'scm-order-form') throw new Error('mount scm-order-form first');
  for (let attempt = 0; attempt < 4; attempt++) {
    if ($(element, '#product')) return true;
    const next = $$(element, 'button').find((b) => /^\s*(next|continue)\b/i.test(b.textContent ?? '') && !b.disabled);
    if (!next) break;
    next.click();
    try {
      await waitFor(() => $(element, '#product'), { roots: [element.shadowRoot], timeout: 3000, what: 'the product field' });
    } catch {
      // try the next button, if any
    }
  }
  return $(element, '#product') !== null;
}

/**
 * Starts watching a search box for the driver's keystrokes: records each `input` event's time and resolves, once
 * results for the final text are painted, with { keystrokes, lastInputAt, paintedMs (last keystroke → painted) }.
 * `kind` is `product` (the order form's combobox) or `list` (the order list's search).
 */
export function watchSearch(kind, finalText) {
  const element = current?.element;
  const input = kind === 'product' ? $(element, '#product') : $(element, 'input[part~="search"]');
  if (!input) throw new Error(`no ${kind} search field`);
  const times = [];
  const onInput = () => times.push(performance.now());
  input.addEventListener('input', onInput);
  // Results count only once the request for the FINAL text has answered and the element has changed its DOM
  // after that answer: results still on screen from an earlier text (after a pause in the typing) do not count.
  let lastMutation = 0;
  const mutations = new MutationObserver(() => (lastMutation = performance.now()));
  mutations.observe(element.shadowRoot, { subtree: true, childList: true, attributes: true, characterData: true });
  const finalAnswer = () =>
    performance
      .getEntriesByType('resource')
      .find((e) => e.startTime >= (times[0] ?? Infinity) && e.responseEnd > 0 && decodeURIComponent(e.name).includes(finalText));
  const resultsFor = () => {
    if (input.value !== finalText || times.length === 0) return false;
    const answer = finalAnswer();
    if (!answer || lastMutation <= answer.responseEnd) return false;
    if (kind === 'product') {
      const box = $(element, '#product-options');
      return box && !box.hidden && box.querySelectorAll('[role="option"]').length > 0;
    }
    // The list: the search applied (attribute), not loading, rows or a no-results message shown.
    return element.search === finalText && !busy(element) && ($(element, 'tr[part~="row"]') ?? $(element, '[part~="no-results"]'));
  };
  window.__search = waitFor(resultsFor, { roots: [element.shadowRoot], timeout: 20000, what: `${kind} search results` }).then(async () => {
    await afterPaint();
    input.removeEventListener('input', onInput);
    mutations.disconnect();
    const painted = performance.now();
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    return { keystrokes: times.length, lastInputMs: painted - times.at(-1), maxGapMs: gaps.length ? Math.max(...gaps) : 0 };
  });
  return true;
}

/** Resolves once a cleared search box has been applied (the list shows every order again, not loading). */
export async function searchCleared(kind) {
  const element = current?.element;
  if (kind !== 'list') return true;
  await waitFor(() => element.search === '' && !busy(element) && $(element, 'tr[part~="row"]'), {
    roots: [element.shadowRoot],
    timeout: 20000,
    what: 'the cleared search',
  });
  return true;
}

/** Resolves with the result of {@link watchSearch}. */
export function searchResult() {
  return window.__search;
}

/** The first row's order number (a search text the list is sure to find). */
export function firstOrderNumber() {
  const element = current?.element;
  return listRows(element)[0]?.querySelector('[part~="number"]')?.textContent?.trim() ?? null;
}

window.bench = {
  signIn,
  mountPortal,
  mountElement,
  pageList,
  unmount,
  openProductField,
  watchSearch,
  searchCleared,
  searchResult,
  firstOrderNumber,
  defined: (tag) => customElements.get(tag) !== undefined,
};
