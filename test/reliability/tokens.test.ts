/**
 * Tokens that change under a customer's feet:
 * - Power Pages: the anti-forgery token rotates mid-session (`POST /emulator/rotate-token`, this session only);
 * - bearer (host / MSAL-style) tokens expire (`POST /emulator/token` with a short `expires_in`).
 *
 * After each change the customer keeps working — a list search, another order's detail, a product search and an
 * order submitted — and sees no error: the client takes exactly one fresh token and retries. Requests are counted:
 * a server that refuses every token gets one renewal per action and then a message, never a request loop.
 *
 * Full scale: 20 rotations and 10 expiries; short: 3 and 2.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/order-list/order-list.js';
import '../../src/elements/order-detail/order-detail.js';
import '../../src/elements/order-form/order-form.js';
import type { ScmOrderForm } from '../../src/elements/order-form/order-form.js';
import type { ScmOrderList } from '../../src/elements/order-list/order-list.js';
import type { ScmOrderDetail } from '../../src/elements/order-detail/order-detail.js';
import { byScale, printFigures, runSettings, type RunSettings } from './support/settings.js';
import { isApi, isTokenPage, recordingFetch, type RecordedRequest, type RecordingFetch } from './support/recorder.js';
import { renderPortal, targetFor, type EmulatorUser, type Lane, type Target } from './support/target.js';
import { catalogueOf, dayFromToday, field, findButton, formReady, placeOrder, press, shadowOf, textOf, typeInto, type CatalogueItem } from './support/form-driver.js';

type Json = Record<string, unknown>;

interface Workbench {
  readonly list: ScmOrderList;
  readonly detail: ScmOrderDetail;
  readonly form: ScmOrderForm;
  readonly recorder: RecordingFetch;
}

/** A list, a detail and the order form in one portal (one client, one session), all loaded. */
async function openWorkbench(lane: Lane, firstOrder: string, delegate?: typeof fetch): Promise<Workbench> {
  const recorder = recordingFetch(delegate ?? lane.fetch);
  const { portal } = await renderPortal(
    lane,
    html`<scm-order-list live-interval="0" page-size="5"></scm-order-list>
      <scm-order-detail live-interval="0" order-id=${firstOrder}></scm-order-detail>
      <scm-order-form sync-interval="0"></scm-order-form>`,
    { fetch: recorder },
  );
  const list = portal.querySelector('scm-order-list')!;
  const detail = portal.querySelector('scm-order-detail')!;
  const form = portal.querySelector('scm-order-form')!;
  await waitUntil(() => shadowOf(list).querySelector('tbody [part="number"]') && shadowOf(detail).querySelector('[part="number"]'), 'the list and the detail did not load', { timeout: 30000 });
  await formReady(form);
  return { list, detail, form, recorder };
}

const numbersOf = (list: ScmOrderList) => [...shadowOf(list).querySelectorAll('tbody [part="number"]')].map(textOf);

/** What a customer does after the token changed: three things at once, each must show its result. */
async function workConcurrently(bench: Workbench, order: { id: string; number: string }, item: CatalogueItem): Promise<void> {
  const { list, detail, form } = bench;
  if (form.step === 'information') {
    // Onto the Items step (no request): the Product field is there.
    await typeInto(form, field(form, 'Requested receipt date'), dayFromToday(10));
    await press(form, 'Next');
  }
  // Search the list for the order's number (typed, then Enter).
  const search = shadowOf(list).querySelector<HTMLInputElement>('input[type="search"]')!;
  search.value = order.number;
  search.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  search.form!.requestSubmit();
  // Open another order's detail (the host page changes order-id).
  detail.setAttribute('order-id', order.id);
  // Search a product in the order form.
  await typeInto(form, field(form, 'Product'), item.itemNumber);
  await waitUntil(
    () =>
      numbersOf(list)[0] === order.number &&
      !list.matches(':state(loading)') &&
      textOf(shadowOf(detail).querySelector('[part="number"]')) === order.number &&
      [...shadowOf(form).querySelectorAll('#product-options [role="option"]')].some((o) => textOf(o).includes(item.itemNumber)),
    `the work after the token change did not finish: list ${JSON.stringify(numbersOf(list))}, detail ${textOf(shadowOf(detail).querySelector('[part="number"]'))}, form ${textOf(shadowOf(form).querySelector('#product-status'))}`,
    { timeout: 30000 },
  );
  // Nothing the customer sees says anything went wrong.
  expect(shadowOf(list).querySelector('[part="error"]'), 'list error').to.equal(null);
  expect(shadowOf(detail).querySelector('[part="error"]'), 'detail error').to.equal(null);
  expect(textOf(shadowOf(form).querySelector('#product-status')), 'product search status').to.not.match(/couldn't/);
  // Leave the Product field empty for the next round.
  await typeInto(form, field(form, 'Product'), '');
}

/** The user's orders (newest first), read as the administrator. */
async function ordersOf(target: Target, user: EmulatorUser, count: number): Promise<{ id: string; number: string }[]> {
  const rows = await target.admin.get<{ value: Json[] }>(
    `salesorders?$select=salesorderid,ordernumber,msdyn_salesordernumber&$filter=${encodeURIComponent(`_msdyn_contactperson_value eq ${user.contactId}`)}&$orderby=createdon desc,ordernumber desc,salesorderid desc`,
  );
  return rows.value.slice(0, count).map((r) => ({ id: String(r.salesorderid), number: String(r.msdyn_salesordernumber ?? r.ordernumber) }));
}

const rejected = (r: RecordedRequest) => isApi(r) && (r.status === 401 || r.status === 403);

describe('Reliability: tokens that rotate and expire', function () {
  this.timeout(30 * 60 * 1000);

  let settings: RunSettings;
  let target: Target;
  let buyer: EmulatorUser;
  let orders: { id: string; number: string }[];
  let catalogue: CatalogueItem[];

  before(async () => {
    settings = await runSettings();
    target = targetFor(settings);
    // An authorized user of an account no element test uses (they pick the first accounts' users).
    buyer = (await target.users()).find((u) => u.accountNumber === 'US-008' && u.webRoles.includes('authorized-user'))!;
    orders = await ordersOf(target, buyer, 30);
    catalogue = (await catalogueOf(target.admin, buyer)).filter((item) => /^[A-Z0-9-]+$/.test(item.itemNumber));
    expect(orders.length).to.be.greaterThan(10);
  });

  beforeEach(() => sessionStorage.clear());

  it('Power Pages: each anti-forgery rotation costs exactly one token reload, reads and writes go on, no error shown', async () => {
    const ROTATIONS = byScale(settings, { full: 20, short: 3 });
    const lane = await target.powerPagesLane(buyer);
    const bench = await openWorkbench(lane, orders[0]!.id);
    const { recorder, form } = bench;
    expect(recorder.requests.filter(isTokenPage).length, 'token loads while opening').to.equal(1);
    const rotate = async () => {
      const response = await lane.fetch('/emulator/rotate-token', { method: 'POST' });
      expect(response.status).to.equal(200);
      expect(((await response.json()) as { rotated: number }).rotated, 'sessions rotated (this one only)').to.equal(1);
    };
    const figures = { rotations: 0, tokenLoads: 0, refused: 0, apiRequests: 0, ordersPlaced: 0, errorsShown: 0 };
    const placedIds: string[] = [];

    for (let round = 0; round < ROTATIONS; round++) {
      // Reads: three elements at once after a rotation.
      await rotate();
      let mark = recorder.mark();
      await workConcurrently(bench, orders[(round % (orders.length - 1)) + 1]!, catalogue[round % catalogue.length]!);
      let sent = recorder.since(mark);
      expect(sent.filter(isTokenPage).length, `round ${round + 1}: token loads after a rotation (reads)`).to.equal(1);
      expect(sent.filter(rejected).length, `round ${round + 1}: refusals (the requests in flight with the old token)`).to.be.within(1, 3);
      expect(sent.filter(isApi).length, `round ${round + 1}: API requests (3 actions, each at most refused once)`).to.be.at.most(6);
      figures.rotations++;
      figures.tokenLoads += sent.filter(isTokenPage).length;
      figures.refused += sent.filter(rejected).length;
      figures.apiRequests += sent.filter(isApi).length;

      // A write: an order submitted right after a rotation.
      await rotate();
      mark = recorder.mark();
      const item = catalogue[(round * 2 + 1) % catalogue.length]!;
      const placed = await placeOrder(form, {
        receiptDate: dayFromToday(10),
        reference: `TOKEN-${Date.now().toString(36)}-${round}`,
        requisition: '',
        quickAdd: `${item.itemNumber}, 2`,
        lines: 1,
      });
      sent = recorder.since(mark);
      expect(placed.presses, 'Submit presses').to.equal(1);
      expect(placed.problems, 'messages shown').to.deep.equal([]);
      expect(sent.filter(isTokenPage).length, `round ${round + 1}: token loads after a rotation (order)`).to.equal(1);
      expect(sent.filter(rejected).length, `round ${round + 1}: refusals (order)`).to.equal(1);
      placedIds.push(placed.id);
      figures.rotations++;
      figures.ordersPlaced++;
      figures.tokenLoads += sent.filter(isTokenPage).length;
      figures.refused += sent.filter(rejected).length;
      figures.apiRequests += sent.filter(isApi).length;
      await press(form, 'Start a new order');
    }
    for (const id of placedIds) {
      expect(await target.admin.count('salesorders', `salesorderid eq ${id}`), `order ${id}`).to.equal(1);
    }
    figures.errorsShown = [bench.list, bench.detail].filter((el) => shadowOf(el).querySelector('[part="error"]')).length;
    expect(figures.errorsShown).to.equal(0);
    printFigures(`tokens: ${figures.rotations} anti-forgery rotations (Power Pages, ${target.kind} emulator)`, {
      rotations: figures.rotations,
      'token page loads after them': figures.tokenLoads,
      'requests refused with the old token': figures.refused,
      'API requests in those rounds': figures.apiRequests,
      'orders placed right after a rotation': figures.ordersPlaced,
      'each order present exactly once': placedIds.length,
      'errors shown to the customer': figures.errorsShown,
    });
  });

  it('Power Pages: a server that refuses every token gets one renewal per action, then a message — no request loop', async () => {
    const lane = await target.powerPagesLane(buyer);
    // Once the session has loaded, every API request finds the session's token rotated just before it arrives.
    let hostileServer = false;
    const hostile: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (hostileServer && url.pathname.startsWith('/_api/')) await lane.fetch('/emulator/rotate-token', { method: 'POST' });
      return lane.fetch(input, init);
    };
    const recorder = recordingFetch(hostile);
    const { portal } = await renderPortal(lane, html``, { fetch: recorder });
    expect(portal.status).to.equal('ready');
    hostileServer = true;
    const mark = recorder.mark();
    const list = document.createElement('scm-order-list') as ScmOrderList;
    list.setAttribute('live-interval', '0');
    portal.append(list);
    await waitUntil(() => list.matches(':state(error)'), 'the list did not give up', { timeout: 30000 });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 750));
    await settle(); // silence: a loop would keep sending meanwhile
    const first = recorder.since(mark);
    const message = textOf(shadowOf(list).querySelector('[part="error"]'));
    // Pressing Retry is one more action: again at most one renewal.
    const retryMark = recorder.mark();
    findButton(list, 'Retry')!.click();
    await list.updateComplete;
    await waitUntil(() => !list.matches(':state(loading)') && list.matches(':state(error)'), 'Retry did not end', { timeout: 30000 });
    await settle();
    const afterRetry = recorder.since(retryMark);
    const apiFirst = first.filter(isApi).length;
    const apiRetry = afterRetry.filter(isApi).length;
    printFigures('tokens: a server that refuses every anti-forgery token', {
      'what the customer sees': message,
      'API requests before giving up': apiFirst,
      'token page loads before giving up': first.filter(isTokenPage).length,
      'API requests for one Retry': apiRetry,
      'token page loads for one Retry': afterRetry.filter(isTokenPage).length,
    });
    // One request, refused; one renewed token; one more attempt, refused; then the message.
    expect(apiFirst, 'API requests before giving up').to.equal(2);
    expect(first.filter(isTokenPage).length, 'token loads before giving up').to.equal(1);
    expect(message, 'the message').to.match(/\S/);
    expect(apiRetry, 'API requests of one Retry').to.equal(2);
    expect(afterRetry.filter(isTokenPage).length, 'token loads of one Retry').to.equal(1);
  });

  it('bearer tokens that expire: one forced refresh per expiry, reads and writes go on, no error shown', async () => {
    const EXPIRIES = byScale(settings, { full: 10, short: 2 });
    const LIFETIME = 2;
    const lane = target.tokenLane(buyer, { expiresIn: LIFETIME });
    const bench = await openWorkbench(lane, orders[0]!.id);
    const { recorder, form } = bench;
    const calls = lane.tokenCalls!;
    const figures = { expiries: 0, forced: 0, refused: 0, apiRequests: 0, ordersPlaced: 0 };
    const placedIds: string[] = [];

    /** Waits until the emulator refuses the portal's current token (probing with plain fetch, not the portal's). */
    const expired = async () =>
      waitUntil(
        async () => {
          const probe = await target.rawFetch(`/api/data/v9.2/contacts(${buyer.contactId})?$select=fullname`, {
            headers: { Authorization: `Bearer ${calls.current}`, Accept: 'application/json' },
          });
          return probe.status === 401;
        },
        'the token did not expire',
        { timeout: (LIFETIME + 5) * 1000, interval: 100 },
      );

    for (let round = 0; round < EXPIRIES; round++) {
      // Reads, one after the other (each action alone), right after the token expired.
      await expired();
      let forcedBefore = calls.forced;
      let mark = recorder.mark();
      const order = orders[(round % (orders.length - 1)) + 1]!;
      bench.detail.setAttribute('order-id', order.id);
      await waitUntil(() => textOf(shadowOf(bench.detail).querySelector('[part="number"]')) === order.number, 'detail after expiry', { timeout: 30000 });
      let sent = recorder.since(mark);
      expect(calls.forced - forcedBefore, `expiry ${round + 1}: forced refreshes (one action)`).to.equal(1);
      expect(sent.filter(rejected).length, `expiry ${round + 1}: 401s (one action)`).to.equal(1);
      expect(sent.filter(isApi).length, `expiry ${round + 1}: API requests (one action)`).to.equal(2);
      expect(shadowOf(bench.detail).querySelector('[part="error"]')).to.equal(null);
      figures.expiries++;
      figures.forced += calls.forced - forcedBefore;
      figures.refused += sent.filter(rejected).length;
      figures.apiRequests += sent.filter(isApi).length;

      // A write right after the next expiry.
      await expired();
      forcedBefore = calls.forced;
      mark = recorder.mark();
      const item = catalogue[(round * 2 + 1) % catalogue.length]!;
      const placed = await placeOrder(form, {
        receiptDate: dayFromToday(12),
        reference: `BEARER-${Date.now().toString(36)}-${round}`,
        requisition: '',
        quickAdd: `${item.itemNumber}, 1`,
        lines: 1,
      });
      sent = recorder.since(mark);
      expect(placed.problems, 'messages shown').to.deep.equal([]);
      expect(calls.forced - forcedBefore, `expiry ${round + 1}: forced refreshes (order)`).to.equal(1);
      expect(sent.filter(rejected).length, `expiry ${round + 1}: 401s (order)`).to.equal(1);
      placedIds.push(placed.id);
      figures.expiries++;
      figures.ordersPlaced++;
      figures.forced += calls.forced - forcedBefore;
      figures.refused += sent.filter(rejected).length;
      figures.apiRequests += sent.filter(isApi).length;
      await press(form, 'Start a new order');
    }
    for (const id of placedIds) {
      expect(await target.admin.count('salesorders', `salesorderid eq ${id}`), `order ${id}`).to.equal(1);
    }
    printFigures(`tokens: ${figures.expiries} bearer-token expiries (${target.kind} emulator, ${LIFETIME} s tokens)`, {
      expiries: figures.expiries,
      'forced refreshes of the token provider': figures.forced,
      'requests refused (401)': figures.refused,
      'API requests in those rounds': figures.apiRequests,
      'orders placed right after an expiry': figures.ordersPlaced,
      'errors shown to the customer': 0,
    });
  });

  it('bearer tokens that expire while three elements load at once: one forced refresh, not one per request', async () => {
    const ROUNDS = byScale(settings, { full: 5, short: 1 });
    const LIFETIME = 2;
    const lane = target.tokenLane(buyer, { expiresIn: LIFETIME });
    const bench = await openWorkbench(lane, orders[0]!.id);
    const calls = lane.tokenCalls!;
    const forcedPerRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await waitUntil(
        async () =>
          (await target.rawFetch(`/api/data/v9.2/contacts(${buyer.contactId})?$select=fullname`, { headers: { Authorization: `Bearer ${calls.current}` } })).status === 401,
        'the token did not expire',
        { timeout: (LIFETIME + 5) * 1000, interval: 100 },
      );
      const before = calls.forced;
      await workConcurrently(bench, orders[round + 1]!, catalogue[round % catalogue.length]!);
      forcedPerRound.push(calls.forced - before);
    }
    printFigures('tokens: bearer expiry under three concurrent loads', { 'forced refreshes per expiry': forcedPerRound });
    expect(forcedPerRound, 'forced refreshes per expiry (three requests were in flight with the expired token)').to.deep.equal(forcedPerRound.map(() => 1));
  });
});
