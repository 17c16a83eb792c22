// The simulated SCM behind dual-write: a new order is picked up (number, prices, tax, dates), then moves through
// its statuses one manual step at a time; every step shows in change tracking; the path is predictable from the
// order id; the demo clock moves orders on its own and stops on close.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openEmulator, scmPathOf, scmScenarioOf, taxRateOf, type OpenedEmulator, type ScmScenario } from '../../src/emulator/node.js';
import { LineStatus, ProcessingStatus } from '../../src/tables/choices.js';
import { newGuid } from '../../src/emulator/util.js';
import type { SeedUser } from '../../src/emulator/types.js';
import { API, SMALL_SEED, call, orderBody, orderableItems, tokenFor, userWith } from './ops-support.js';

/** A GUID whose SCM path is `scenario` (scmScenarioOf is a pure function of the id). */
function idFor(scenario: ScmScenario): string {
  for (;;) {
    const id = newGuid();
    if (scmScenarioOf(id) === scenario) return id;
  }
}

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';

describe('simulated SCM (dual-write)', () => {
  let opened: OpenedEmulator;
  let user: SeedUser;
  let token: string;

  before(async () => {
    opened = await openEmulator({ persist: false, scmClock: 'manual', seed: SMALL_SEED });
    user = userWith(opened, 'authorized-user');
    token = await tokenFor(opened, user);
  });
  after(() => opened.close());

  async function createOrder(id: string, lines = 3): Promise<void> {
    const response = await call(opened, `${API}/salesorders`, { body: orderBody(opened, user, orderableItems(opened, user, lines), { id }), token });
    assert.equal(response.status, 204, await response.text());
  }

  async function advance(body: Record<string, unknown>) {
    const response = await call(opened, '/emulator/scm/advance', { body });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { moves: { orderId: string; to: number; from: number | null }[]; order?: { status: number; next: number | null } };
  }

  async function readOrder(id: string) {
    const response = await call(opened, `${API}/salesorders(${id})?$select=msdyn_salesordernumber,msdyn_processingstatus,totallineitemamount,totaltax,totalamount,msdyn_confirmedreceiptdate,msdyn_confirmedshippingdate&$expand=order_details($select=quantity,priceperunit,baseamount,extendedamount,tax,msdyn_linestatus,quantityshipped,quantitybackordered,quantitycancelled,sequencenumber,_productid_value,_uomid_value;$orderby=sequencenumber)`, {
      token,
      headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as Record<string, any>;
  }

  it('picks a new order up: SO number, confirmed prices from the price list, tax, totals and dates', async () => {
    const id = idFor('complete');
    await createOrder(id);
    const before = await readOrder(id);
    assert.equal(before.msdyn_salesordernumber, null, 'not synchronised yet');
    assert.equal(before.msdyn_processingstatus, null);

    const highest = Math.max(...[...opened.store.all('salesorder')]
      .map((o) => /^SO-(\d+)$/.exec(String(o.msdyn_salesordernumber))?.[1]).filter(Boolean).map(Number));
    const { moves } = await advance({ orderId: id });
    assert.deepEqual(moves.map((m) => m.to), [ProcessingStatus.Active]);

    const order = await readOrder(id);
    assert.equal(order.msdyn_salesordernumber, `SO-${String(highest + 1).padStart(6, '0')}`, 'next number of the SO- sequence');
    assert.equal(order.msdyn_processingstatus, ProcessingStatus.Active);
    assert.equal(order[`msdyn_processingstatus@${FORMATTED}`], 'Active');
    assert.match(order.msdyn_confirmedreceiptdate, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(order.msdyn_confirmedshippingdate < order.msdyn_confirmedreceiptdate, 'ships before it arrives');

    const rate = taxRateOf(String(opened.store.get('account', user.accountId)!.accountnumber));
    let lines = 0;
    let tax = 0;
    for (const line of order.order_details) {
      const item = [...opened.store.findBy('productpricelevel', 'productid', line._productid_value)]
        .find((i) => (i.uomid as { id: string }).id === line._uomid_value)!;
      assert.equal(line.priceperunit, item.amount, 'confirmed price = price list item amount');
      assert.equal(line.baseamount, Math.round(line.quantity * line.priceperunit * 100) / 100);
      assert.equal(line.tax, Math.round(line.extendedamount * rate * 100) / 100);
      assert.equal(line.msdyn_linestatus, LineStatus.Backorder);
      assert.equal(line.quantitybackordered, line.quantity);
      lines += Math.round(line.extendedamount * 100);
      tax += Math.round(line.tax * 100);
    }
    assert.equal(order.totallineitemamount, lines / 100);
    assert.equal(order.totaltax, tax / 100);
    assert.equal(order.totalamount, (lines + tax) / 100);
    assert.ok(order.totalamount > 0);
  });

  it('moves an order through every status with manual steps, and each step shows in change tracking', async () => {
    const id = idFor('complete');
    await createOrder(id, 2);
    // Start tracking changes of the account's orders.
    const start = await call(opened, `${API}/salesorders?$select=msdyn_processingstatus,msdyn_salesordernumber`, {
      token,
      headers: { Prefer: 'odata.track-changes, odata.maxpagesize=5000' },
    });
    assert.equal(start.status, 200);
    let deltaLink = (await start.json())['@odata.deltaLink'] as string;
    assert.ok(deltaLink, 'a delta link');

    const seen: number[] = [];
    for (const expected of scmPathOf(id)) {
      const { moves } = await advance({ orderId: id });
      assert.equal(moves.length, 1);
      assert.equal(moves[0].to, expected);
      const delta = await call(opened, deltaLink, { token });
      assert.equal(delta.status, 200, await delta.clone().text());
      const body = await delta.json();
      const changed = body.value.find((row: any) => row.salesorderid === id);
      assert.ok(changed, `the order is in the delta after the step to ${expected}`);
      assert.equal(changed.msdyn_processingstatus, expected);
      seen.push(changed.msdyn_processingstatus);
      deltaLink = body['@odata.deltaLink'];
    }
    assert.deepEqual(seen, [ProcessingStatus.Active, ProcessingStatus.Confirmed, ProcessingStatus.Picked,
      ProcessingStatus.Delivered, ProcessingStatus.Invoiced]);

    // Invoiced: lines invoiced, one invoice with the order's amounts, readable by the user.
    const order = await readOrder(id);
    assert.ok(order.order_details.every((l: any) => l.msdyn_linestatus === LineStatus.Invoiced && l.quantityshipped === l.quantity));
    const invoices = await call(opened, `${API}/invoices?$select=msdyn_invoicenumber,totalamount,totaltax,_salesorderid_value,invoicenumber&$filter=_salesorderid_value eq ${id}&$expand=invoice_details($select=quantity,extendedamount)`, { token });
    assert.equal(invoices.status, 200, await invoices.clone().text());
    const { value } = await invoices.json();
    assert.equal(value.length, 1);
    assert.match(value[0].msdyn_invoicenumber, /^CIV-\d{6}$/);
    assert.match(value[0].invoicenumber, /^INV-\d+-[A-Z0-9]+$/, 'Dataverse autonumber');
    assert.equal(value[0].totalamount, order.totalamount);
    assert.equal(value[0].invoice_details.length, 2);

    // Done: a further step moves nothing.
    const { moves, order: state } = await advance({ orderId: id });
    assert.equal(moves.length, 0);
    assert.equal(state?.next, null);
  });

  it('partially delivers with backordered lines on the partial path', async () => {
    const id = idFor('partial');
    await createOrder(id, 4);
    assert.deepEqual(scmPathOf(id), [ProcessingStatus.Active, ProcessingStatus.Confirmed, ProcessingStatus.Picked,
      ProcessingStatus.PartiallyDelivered, ProcessingStatus.Delivered, ProcessingStatus.Invoiced]);
    await advance({ orderId: id, steps: 4 });
    const order = await readOrder(id);
    assert.equal(order.msdyn_processingstatus, ProcessingStatus.PartiallyDelivered);
    const statuses = order.order_details.map((l: any) => l.msdyn_linestatus);
    assert.deepEqual(statuses, [LineStatus.Delivered, LineStatus.Delivered, LineStatus.Backorder, LineStatus.Backorder]);
    const backordered = order.order_details.filter((l: any) => l.msdyn_linestatus === LineStatus.Backorder);
    assert.ok(backordered.every((l: any) => l.quantitybackordered === l.quantity && l.quantityshipped === 0));

    await advance({ orderId: id, steps: 5 });
    const done = await readOrder(id);
    assert.equal(done.msdyn_processingstatus, ProcessingStatus.Invoiced);
  });

  it('cancels open quantities on the cancelled path', async () => {
    const id = idFor('cancelled');
    await createOrder(id, 2);
    const { moves } = await advance({ orderId: id, steps: 10 });
    assert.deepEqual(moves.map((m) => m.to), [ProcessingStatus.Active, ProcessingStatus.Confirmed, ProcessingStatus.Cancelled]);
    const order = await readOrder(id);
    assert.ok(order.order_details.every((l: any) => l.msdyn_linestatus === LineStatus.Cancelled && l.quantitycancelled === l.quantity));
  });

  it('advances every order in flight with {"steps": n}, and leaves seeded orders alone', async () => {
    const a = idFor('complete');
    const b = idFor('complete');
    await createOrder(a, 1);
    await createOrder(b, 1);
    const seededPending = [...opened.store.all('salesorder')].filter((o) => !o.msdyn_salesordernumber && o.msdyn_ordertype === 192350000)
      .filter((o) => o.salesorderid !== a && o.salesorderid !== b);
    const state = await (await call(opened, '/emulator/scm')).json();
    assert.ok(state.inFlight.some((o: any) => o.orderId === a) && state.inFlight.some((o: any) => o.orderId === b));
    const { moves } = await advance({ steps: 2 });
    for (const id of [a, b]) {
      assert.deepEqual(moves.filter((m) => m.orderId === id).map((m) => m.to), [ProcessingStatus.Active, ProcessingStatus.Confirmed]);
    }
    for (const order of seededPending) {
      assert.equal(opened.store.get('salesorder', String(order.salesorderid))!.msdyn_salesordernumber ?? null, null,
        'a seeded order waiting for SCM stays untouched');
    }
  });

  it('refuses bad control requests', async () => {
    assert.equal((await call(opened, '/emulator/scm/advance', { body: { steps: 0 } })).status, 400);
    assert.equal((await call(opened, '/emulator/scm/advance', { body: { orderId: newGuid() } })).status, 404);
    assert.equal((await call(opened, '/emulator/scm/clock', { body: { mode: 'fast' } })).status, 400);
  });
});

describe('SCM demo clock', () => {
  it('moves a new order on its own at demo speed, and stops with close()', async () => {
    const opened = await openEmulator({ persist: false, scmClock: 'manual', seed: SMALL_SEED });
    let closed = false;
    try {
      const user = userWith(opened, 'customer-representative');
      const token = await tokenFor(opened, user);
      const waitFor = async (id: string, status: number) => {
        const deadline = Date.now() + 5000;
        while (opened.store.get('salesorder', id)!.msdyn_processingstatus !== status) {
          assert.ok(Date.now() < deadline, `the demo clock reaches ${status}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      const first = idFor('complete');
      const created = await call(opened, `${API}/salesorders`, { body: orderBody(opened, user, orderableItems(opened, user, 1), { id: first }), token });
      assert.equal(created.status, 204, await created.text());
      const clock = await call(opened, '/emulator/scm/clock', { body: { mode: 'demo', intervalMs: 30 } });
      assert.equal((await clock.json()).mode, 'demo');
      await waitFor(first, ProcessingStatus.Invoiced);

      // Stop the clock half-way through a second order: nothing moves afterwards.
      const second = idFor('complete');
      await call(opened, `${API}/salesorders`, { body: orderBody(opened, user, orderableItems(opened, user, 1), { id: second }), token });
      await waitFor(second, ProcessingStatus.Confirmed);
      await opened.close();
      closed = true;
      const version = opened.store.version;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(opened.store.version, version, 'no SCM step after close()');
      assert.equal(opened.store.get('salesorder', second)!.msdyn_processingstatus, ProcessingStatus.Confirmed);
    } finally {
      if (!closed) await opened.close();
    }
  });
});
