/**
 * Faults: the emulator's fault switch at 30 % — 429 with Retry-After, 503, writes that commit but lose their
 * answer, 2 s latency spikes — while customers place orders through the real `<scm-order-form>` and read their
 * orders with `<scm-order-list>` and `<scm-order-detail>`.
 *
 * Orders: every order the form confirmed exists exactly once (looked up by the GUID its draft chose, after the
 * faults are off), none is lost, none duplicated (the contact's order count grows by exactly the orders placed),
 * and every attempt ends in the confirmation or in a message that says what happened and what to do.
 * Reads: every list page and order detail ends showing the right orders, automatically or after the customer
 * presses Retry — never a reload.
 *
 * Full scale: 500 orders, 100 list views; short (`npm test`): 25 orders, 8 list views.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import type { ScmOrderForm } from '../../src/elements/order-form/order-form.js';
import '../../src/elements/order-form/order-form.js';
import '../../src/elements/order-list/order-list.js';
import '../../src/elements/order-detail/order-detail.js';
import type { ScmOrderList } from '../../src/elements/order-list/order-list.js';
import type { ScmOrderDetail } from '../../src/elements/order-detail/order-detail.js';
import type { FaultSettings } from '../../src/emulator/faults.js';
import { byScale, printFigures, runSettings, type RunSettings } from './support/settings.js';
import { answersByKind, isApi, recordingFetch, type RecordedRequest, type RecordingFetch } from './support/recorder.js';
import { renderPortals, targetFor, type EmulatorUser, type Lane, type Target } from './support/target.js';
import { catalogueOf, dayFromToday, field, findButton, formReady, placeOrder, press, shadowOf, textOf, typeInto, type PlacedOrder } from './support/form-driver.js';

type Json = Record<string, unknown>;

/**
 * The fault switch at 30 %: each of the four faults is drawn independently with a 10 % share (a request may draw
 * more than one). Reads cannot lose their answer, so a read meets 0.30 faults on average and a write 0.40; with
 * the mix of reads and writes the forms send that is a little over 30 faults per 100 requests (the printed
 * figures give the measured rate). Injected 429s ask to retry after 1 s.
 */
const FAULTS: FaultSettings = {
  latencySpikeShare: 0.1,
  throttleShare: 0.1,
  unavailableShare: 0.1,
  lostResponseShare: 0.1,
  retryAfterSeconds: 1,
};

/** Customers who may order (authorized users and customer representatives), one per lane, different contacts. */
async function orderingUsers(target: Target, count: number): Promise<EmulatorUser[]> {
  const users = (await target.users()).filter(
    (u) => u.webRoles.some((r) => r === 'authorized-user' || r === 'customer-representative') && u.accountNumber !== 'US-000',
  );
  // Spread over accounts: the first user of each account, then the second, …
  const byAccount = new Map<string, EmulatorUser[]>();
  for (const u of users) byAccount.set(u.accountNumber, [...(byAccount.get(u.accountNumber) ?? []), u]);
  const spread: EmulatorUser[] = [];
  for (let round = 0; spread.length < users.length; round++) {
    for (const list of byAccount.values()) if (list[round]) spread.push(list[round]!);
  }
  // Start from the back of the account list: the accounts element tests use most come first in the seed.
  return spread.reverse().slice(0, count);
}

/** Lanes: the first signs in to Power Pages (the page's session), the others use bearer tokens. */
async function openLanes(target: Target, users: readonly EmulatorUser[]): Promise<Lane[]> {
  return Promise.all(users.map((user, i) => (i === 0 ? target.powerPagesLane(user) : Promise.resolve(target.tokenLane(user)))));
}

/** How a problem message reads to the customer. */
function problemKind(message: string): string {
  if (/connection dropped|offline/i.test(message)) return 'offline: "submit when you\'re back"';
  if (/busy/i.test(message)) return 'busy: "we\'ll retry in N s"';
  if (/didn't answer properly/i.test(message)) return 'server: "try again in a moment"';
  return `other: ${message}`;
}

/** A message is clear and actionable: it says the order was not submitted, that it is kept, and what to do. */
function isActionable(message: string): boolean {
  return (
    /^Your order was not submitted\./.test(message) &&
    /Your order is kept/.test(message) &&
    /(submit when you're back|we'll retry in \d+ s|try again in a moment)/.test(message)
  );
}

describe('Reliability: faults at 30 %', function () {
  this.timeout(90 * 60 * 1000);

  let settings: RunSettings;
  let target: Target;

  before(async () => {
    settings = await runSettings();
    target = targetFor(settings);
    await target.faults(null);
  });

  afterEach(async () => {
    await target.faults(null);
  });

  it('orders through the real form: each present exactly once, none lost, none duplicated, every attempt ends in success or an actionable message', async () => {
    const ORDERS = byScale(settings, { full: 500, short: 25 });
    const LANES = byScale(settings, { full: 6, short: 3 });
    const users = await orderingUsers(target, LANES);
    const lanes = await openLanes(target, users);
    const catalogues = await Promise.all(users.map((u) => catalogueOf(target.admin, u)));
    for (const [i, list] of catalogues.entries()) {
      expect(list.length, `price list of ${users[i]!.email}`).to.be.greaterThan(3);
    }
    const contactCount = (u: EmulatorUser) => target.admin.count('salesorders', `_msdyn_contactperson_value eq ${u.contactId}`);
    const before = await Promise.all(users.map(contactCount));
    const tag = `REL-${Date.now().toString(36).toUpperCase()}`;

    const recorders = lanes.map((lane) => recordingFetch(lane.fetch));
    const rendered = await renderPortals<ScmOrderForm>(
      lanes.map((lane, i) => ({ lane, inner: html`<scm-order-form sync-interval="0"></scm-order-form>`, fetch: recorders[i] })),
    );
    const forms = rendered.map((r) => r.element);
    for (const r of rendered) expect(r.portal.status, 'portal status').to.equal('ready');
    const events = forms.map(() => [] as string[]);
    forms.forEach((form, i) => form.addEventListener('scm-order-submit', (e) => events[i]!.push(e.detail.orderId)));
    const marks = recorders.map((r) => r.mark());

    const started = performance.now();
    await target.faults({ ...FAULTS, seed: 20261124 });
    const placed: (PlacedOrder & { lane: number; n: number })[] = [];
    let next = 0;
    await Promise.all(
      forms.map(async (form, lane) => {
        const catalogue = catalogues[lane]!;
        for (let n = next++; n < ORDERS; n = next++) {
          const count = 1 + (n % 3);
          const lines = Array.from({ length: count }, (_, k) => `${catalogue[(n * 3 + k) % catalogue.length]!.itemNumber}, ${1 + ((n + k) % 4)}`);
          const order = await placeOrder(form, {
            receiptDate: dayFromToday(7 + (n % 20)),
            reference: `${tag}-${String(n).padStart(4, '0')}`,
            requisition: `RQ-${n}`,
            quickAdd: lines.join('\n'),
            lines: count,
          });
          placed.push({ ...order, lane, n });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const injected = await target.faultStats();
    await target.faults(null);

    // Every attempt ended in a confirmation or in a clear, actionable message.
    const problems = placed.flatMap((o) => o.problems);
    const unclear = problems.filter((m) => !isActionable(m));
    expect(unclear, 'messages that do not say what to do').to.deep.equal([]);

    // Each order exactly once, by the GUID its draft chose; with its lines, reference and contact.
    const found = new Map<string, Json>();
    for (let i = 0; i < placed.length; i += 20) {
      const chunk = placed.slice(i, i + 20);
      const rows = await target.admin.getAll<Json>(
        `salesorders?$select=salesorderid,msdyn_customersorderreference,_msdyn_contactperson_value` +
          `&$filter=${encodeURIComponent(chunk.map((o) => `salesorderid eq ${o.id}`).join(' or '))}` +
          `&$expand=order_details($select=salesorderdetailid)`,
      );
      for (const row of rows) {
        const id = String(row.salesorderid);
        expect(found.has(id), `order ${id} returned twice`).to.equal(false);
        found.set(id, row);
      }
    }
    const lost = placed.filter((o) => !found.has(o.id));
    expect(lost.map((o) => o.reference), 'orders confirmed but not found').to.deep.equal([]);
    for (const order of placed) {
      const row = found.get(order.id)!;
      expect(row.msdyn_customersorderreference, `reference of ${order.id}`).to.equal(order.reference);
      expect(row._msdyn_contactperson_value, `contact of ${order.id}`).to.equal(lanes[order.lane]!.user.contactId);
      expect((row.order_details as Json[]).length, `lines of ${order.reference}`).to.equal(order.lines);
    }
    expect(new Set(placed.map((o) => o.id)).size, 'distinct order ids').to.equal(ORDERS);
    // None duplicated: no other order was created for these contacts, and no second order carries a reference.
    const after = await Promise.all(users.map(contactCount));
    const perLane = users.map((_, lane) => placed.filter((o) => o.lane === lane).length);
    expect(after.map((n, i) => n - before[i]!), 'new orders per contact').to.deep.equal(perLane);
    const withTag = await target.admin.count('salesorders', `startswith(msdyn_customersorderreference,'${tag}-')`);
    expect(withTag, 'orders carrying this run\'s references').to.equal(ORDERS);
    // The confirmation event fired once per order.
    expect(events.flat().sort(), 'scm-order-submit events').to.deep.equal(placed.map((o) => o.id).sort());

    // The faults really happened.
    expect(injected.throttled, '429s injected').to.be.greaterThan(0);
    expect(injected.unavailable, '503s injected').to.be.greaterThan(0);
    expect(injected.lostResponses, 'answers lost').to.be.greaterThan(0);
    expect(injected.latencySpikes, 'latency spikes').to.be.greaterThan(0);

    const sent: RecordedRequest[] = recorders.flatMap((r, i) => r.since(marks[i]!)).filter(isApi);
    const kinds = new Map<string, number>();
    for (const m of problems) kinds.set(problemKind(m), (kinds.get(problemKind(m)) ?? 0) + 1);
    printFigures(`faults: ${ORDERS} orders through <scm-order-form> (${target.kind} emulator, ${lanes.length} customers in parallel)`, {
      'orders expected': ORDERS,
      'orders found (by GUID)': found.size,
      'orders lost': lost.length,
      'orders duplicated': after.reduce((s, n, i) => s + n - before[i]!, 0) - ORDERS,
      'Submit presses': placed.reduce((s, o) => s + o.presses, 0),
      'automatic retries (busy)': placed.reduce((s, o) => s + o.automaticRetries, 0),
      'messages shown next to Submit': problems.length,
      'messages by kind': Object.fromEntries(kinds),
      'orders needing more than one press': placed.filter((o) => o.presses > 1).length,
      'quick-add lookups that failed (shown)': placed.reduce((s, o) => s + o.itemProblems.length, 0),
      'address retries pressed': placed.reduce((s, o) => s + o.addressRetries, 0),
      'API attempts sent': sent.length,
      'API answers by kind': answersByKind(sent),
      'emulator: requests under faults': injected.requests,
      'emulator: 429 injected': injected.throttled,
      'emulator: 503 injected': injected.unavailable,
      'emulator: answers lost (write committed)': injected.lostResponses,
      'emulator: 2 s latency spikes': injected.latencySpikes,
      'measured fault rate': `${(((injected.throttled + injected.unavailable + injected.lostResponses + injected.latencySpikes) / Math.max(1, injected.requests)) * 100).toFixed(1)} faults per 100 requests`,
      'fault seed': injected.seed,
      duration: `${seconds.toFixed(1)} s`,
    });
  });

  it('order lists and details recover without a reload (automatically or by Retry) and show the right orders', async () => {
    const VIEWS = byScale(settings, { full: 100, short: 8 });
    const LANES = byScale(settings, { full: 4, short: 2 });
    const users = await orderingUsers(target, LANES);
    const lanes = await openLanes(target, users);

    // What each customer's first two pages are (newest first, 10 a page), read as the administrator before the faults.
    const expected = await Promise.all(
      users.map(async (u) => {
        const scope = u.webRoles.includes('customer-representative')
          ? `_customerid_value eq ${u.accountId}`
          : `_customerid_value eq ${u.accountId} and _msdyn_contactperson_value eq ${u.contactId}`;
        const rows = await target.admin.get<{ value: Json[] }>(
          `salesorders?$select=salesorderid,ordernumber,msdyn_salesordernumber&$filter=${encodeURIComponent(scope)}&$orderby=createdon desc,ordernumber desc,salesorderid desc&$top=20`,
        );
        // (The administrator's reads ask for 5,000-row pages, which makes the server ignore $top.)
        return rows.value.slice(0, 20).map((r) => ({ id: String(r.salesorderid), number: String(r.msdyn_salesordernumber ?? r.ordernumber) }));
      }),
    );
    for (const [i, rows] of expected.entries()) expect(rows.length, `orders of ${users[i]!.email}`).to.equal(20);

    const recorders: RecordingFetch[] = lanes.map((lane) => recordingFetch(lane.fetch));
    const rendered = await renderPortals(lanes.map((lane, i) => ({ lane, inner: html``, fetch: recorders[i] })));
    const marks = recorders.map((r) => r.mark());
    const figures = { listViews: 0, pagesShown: 0, details: 0, automatic: 0, retries: 0, messages: new Map<string, number>() };
    const note = (message: string) => figures.messages.set(message, (figures.messages.get(message) ?? 0) + 1);

    /** Waits for the outcome of a load; presses Retry on an error until the content shows. Returns the Retry presses. */
    async function recover(el: HTMLElement & { updateComplete: Promise<unknown> }, shown: () => boolean): Promise<number> {
      let retries = 0;
      for (;;) {
        await el.updateComplete;
        await waitUntil(() => (!el.matches(':state(loading)') && (shown() || el.matches(':state(error)'))), 'no outcome', { timeout: 240000 });
        if (shown() && !el.matches(':state(error)')) return retries;
        const error = shadowOf(el).querySelector('[part="error"]');
        expect(error, 'an error state shows its message').to.not.equal(null);
        note(textOf(error).replace(/\d+ seconds/, 'N seconds').replace(/ Retry$/, ''));
        expect(findButton(el, 'Retry'), 'the error offers Retry').to.not.equal(undefined);
        if (++retries > 10) throw new Error(`still failing after 10 presses of Retry: ${textOf(error)}`);
        findButton(el, 'Retry')!.click();
      }
    }

    const started = performance.now();
    await target.faults({ ...FAULTS, seed: 424242 });
    let next = 0;
    await Promise.all(
      rendered.map(async ({ portal }, lane) => {
        const rows = expected[lane]!;
        for (let n = next++; n < VIEWS; n = next++) {
          const list = document.createElement('scm-order-list') as ScmOrderList;
          list.setAttribute('live-interval', '0');
          list.setAttribute('page-size', '10');
          portal.append(list);
          const numbers = () => [...shadowOf(list).querySelectorAll('tbody [part="number"]')].map(textOf);
          const page = (p: number) => rows.slice((p - 1) * 10, p * 10).map((r) => r.number);
          let retries = await recover(list, () => numbers().length > 0 && numbers()[0] === page(1)[0]);
          expect(numbers(), `page 1 of ${users[lane]!.email}`).to.deep.equal(page(1));
          // The next page, under the same faults.
          const nextButton = [...shadowOf(list).querySelectorAll('[part="pagination"] button')].find((b) => /^Next/.test(textOf(b))) as HTMLButtonElement;
          nextButton.click();
          retries += await recover(list, () => numbers()[0] === page(2)[0]);
          expect(numbers(), `page 2 of ${users[lane]!.email}`).to.deep.equal(page(2));
          figures.listViews++;
          figures.pagesShown += 2;
          // One order of the page in detail.
          const order = rows[n % rows.length]!;
          const detail = document.createElement('scm-order-detail') as ScmOrderDetail;
          detail.setAttribute('live-interval', '0');
          detail.setAttribute('order-id', order.id);
          portal.append(detail);
          const title = () => textOf(shadowOf(detail).querySelector('[part="number"]'));
          retries += await recover(detail, () => title() === order.number);
          expect(title(), `detail of ${order.id}`).to.equal(order.number);
          figures.details++;
          if (retries === 0) figures.automatic++;
          figures.retries += retries;
          list.remove();
          detail.remove();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const injected = await target.faultStats();
    await target.faults(null);
    expect(figures.listViews).to.equal(VIEWS);
    expect(injected.throttled + injected.unavailable + injected.latencySpikes, 'faults injected').to.be.greaterThan(0);

    const sent = recorders.flatMap((r, i) => r.since(marks[i]!)).filter(isApi);
    printFigures(`faults: ${VIEWS} list views (2 pages each) and ${VIEWS} order details under faults (${target.kind} emulator)`, {
      'list pages shown right': figures.pagesShown,
      'details shown right': figures.details,
      'views that recovered by themselves': figures.automatic,
      'views that needed Retry': VIEWS - figures.automatic,
      'Retry presses': figures.retries,
      'messages shown': Object.fromEntries(figures.messages),
      'API attempts sent': sent.length,
      'API answers by kind': answersByKind(sent),
      'emulator: requests under faults': injected.requests,
      'emulator: 429 injected': injected.throttled,
      'emulator: 503 injected': injected.unavailable,
      'emulator: 2 s latency spikes': injected.latencySpikes,
      'reloads of the page': 0,
      duration: `${seconds.toFixed(1)} s`,
    });
  });

  it('quick add when the service stays busy: its message says what to do, and promises nothing that does not happen', async () => {
    const [user] = await orderingUsers(target, 1);
    const lane = await target.powerPagesLane(user!);
    const recorder = recordingFetch(lane.fetch);
    const [rendered] = await renderPortals<ScmOrderForm>([{ lane, inner: html`<scm-order-form sync-interval="0"></scm-order-form>`, fetch: recorder }]);
    const form = rendered!.element;
    await formReady(form);
    const item = (await catalogueOf(target.admin, user!)).find((c) => /^[A-Z0-9-]+$/.test(c.itemNumber))!;
    await typeInto(form, field(form, 'Requested receipt date'), dayFromToday(10));
    await press(form, 'Next');
    const details = shadowOf(form).querySelector<HTMLDetailsElement>('details[part="quick-add"]')!;
    details.querySelector('summary')!.click();
    await waitUntil(() => details.open);
    await typeInto(form, field<HTMLTextAreaElement>(form, 'Item numbers and quantities'), `${item.itemNumber}, 2`);
    // Every request answered 429 "retry after 1 s": the client retries within its budget, then gives up.
    await target.faults({ throttleShare: 1, retryAfterSeconds: 1, seed: 1 });
    await press(form, 'Add lines');
    await waitUntil(() => shadowOf(form).querySelector('#quick-add-problems'), 'quick add said nothing', { timeout: 60000 });
    const message = textOf(shadowOf(form).querySelector('#quick-add-problems'));
    // The service is back. What the message promised must now happen by itself.
    await target.faults(null);
    const promisesRetry = /we'll retry in (\d+) s/i.exec(message);
    const mark = recorder.mark();
    await new Promise((resolve) => setTimeout(resolve, ((promisesRetry ? Number(promisesRetry[1]) : 1) + 2) * 1000));
    const lookedUpAgain = recorder.since(mark).filter(isApi).length > 0;
    const added = shadowOf(form).querySelectorAll('[part="line"]').length;
    printFigures('faults: quick add against a busy service', {
      'message shown': message,
      'promises an automatic retry': Boolean(promisesRetry),
      'looked up again by itself': lookedUpAgain,
      'lines added': added,
    });
    expect(message, 'the message starts a sentence').to.match(/^[A-Z]/);
    if (promisesRetry) expect(added, `"${message}": the promised retry adds the item`).to.equal(1);
    else expect(message, 'says to try again').to.match(/try again/i);
  });
});
