// Fault injection: shares honoured (roughly) and reproducible with a seed, the right error shapes, latency,
// lost responses whose writes are committed (in-process, through createEmulatorFetch, and over real HTTP), and
// the /emulator/ controls never affected.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LATENCY_SPIKE_MS, openEmulator, startEmulatorServer, type OpenedEmulator } from '../../src/emulator/node.js';
import { createEmulatorFetch } from '../../src/emulator/fetch.js';
import { newGuid } from '../../src/emulator/util.js';
import type { SeedUser } from '../../src/emulator/types.js';
import { API, ORIGIN, SMALL_SEED, call, orderBody, orderableItems, sessionFor, tokenFor, userWith } from './ops-support.js';

describe('fault injection', () => {
  let opened: OpenedEmulator;
  let user: SeedUser;
  let token: string;

  before(async () => {
    opened = await openEmulator({ persist: false, scmClock: 'manual', seed: SMALL_SEED, limits: { enabled: false } });
    user = userWith(opened, 'customer-representative');
    token = await tokenFor(opened, user);
  });
  after(() => opened.close());
  beforeEach(async () => {
    assert.equal((await call(opened, '/emulator/faults', { method: 'DELETE' })).status, 200);
  });

  const setFaults = async (settings: Record<string, number>) => {
    const response = await call(opened, '/emulator/faults', { body: settings });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json();
  };

  /** Statuses of `n` sequential reads. */
  async function statuses(n: number): Promise<number[]> {
    const result: number[] = [];
    for (let i = 0; i < n; i++) {
      const response = await call(opened, `${API}/accounts?$select=name&$top=1`, { token });
      await response.arrayBuffer();
      result.push(response.status);
    }
    return result;
  }

  it('answers about the asked share with 429, Retry-After and code 0x80072322, reproducibly with a seed', async () => {
    await setFaults({ throttleShare: 0.3, retryAfterSeconds: 7, seed: 42 });
    const first = await statuses(400);
    const throttled = first.filter((s) => s === 429).length;
    assert.ok(throttled > 400 * 0.23 && throttled < 400 * 0.37, `${throttled} of 400 throttled, asked 30 %`);
    assert.ok(first.every((s) => s === 200 || s === 429));

    await setFaults({ throttleShare: 0.3, retryAfterSeconds: 7, seed: 42 });
    assert.deepEqual(await statuses(400), first, 'same seed, same requests → same faults');
    await setFaults({ throttleShare: 0.3, retryAfterSeconds: 7, seed: 43 });
    assert.notDeepEqual(await statuses(400), first, 'another seed → another sequence');

    await setFaults({ throttleShare: 1, retryAfterSeconds: 7, seed: 1 });
    const response = await call(opened, `${API}/accounts?$select=name`, { token });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '7');
    const body = await response.json();
    assert.equal(body.error.code, '0x80072322');
    assert.match(body.error.message, /Number of requests exceeded the limit/);

    const stats = (await (await call(opened, '/emulator/faults')).json()).stats;
    assert.equal(stats.throttled, 1);
  });

  it('uses the Power Pages error shape on /_api', async () => {
    const session = await sessionFor(opened, user);
    await setFaults({ throttleShare: 1, seed: 3 });
    const response = await call(opened, '/_api/accounts?$select=name', {
      headers: { cookie: session.cookie, __RequestVerificationToken: session.token },
    });
    assert.equal(response.status, 429);
    assert.ok(Number(response.headers.get('retry-after')) > 0);
    const { error } = await response.json();
    assert.equal(error.code, '9004010D');
    assert.equal(error.cdscode, '0x80072322');
  });

  it('answers 503 for the unavailable share', async () => {
    await setFaults({ unavailableShare: 0.5, seed: 9 });
    const all = await statuses(200);
    const unavailable = all.filter((s) => s === 503).length;
    assert.ok(unavailable > 70 && unavailable < 130, `${unavailable} of 200 unavailable, asked 50 %`);
  });

  it('adds latency and 2 s spikes', async () => {
    await setFaults({ latencyMs: 120, seed: 5 });
    let t = performance.now();
    await statuses(3);
    assert.ok(performance.now() - t >= 3 * 120 - 5, 'each request waits latencyMs');

    await setFaults({ latencySpikeShare: 1, seed: 5 });
    t = performance.now();
    await statuses(1);
    assert.ok(performance.now() - t >= LATENCY_SPIKE_MS - 5, 'a spike adds 2 s');
  });

  it('never affects the /emulator/ controls or the token page', async () => {
    await setFaults({ throttleShare: 1, unavailableShare: 1, lostResponseShare: 1, seed: 2 });
    assert.equal((await call(opened, '/emulator/users')).status, 200);
    assert.equal((await call(opened, '/emulator/faults')).status, 200);
    assert.equal((await call(opened, '/emulator/token', { body: { user: user.email } })).status, 200);
    assert.equal((await call(opened, '/_layout/tokenhtml')).status, 200);
  });

  it('refuses bad settings and clears with DELETE', async () => {
    assert.equal((await call(opened, '/emulator/faults', { body: { throttleShare: 2 } })).status, 400);
    assert.equal((await call(opened, '/emulator/faults', { body: { sparkles: 1 } })).status, 400);
    await setFaults({ throttleShare: 1, seed: 1 });
    assert.equal((await call(opened, '/emulator/faults', { method: 'DELETE' })).status, 200);
    const state = await (await call(opened, '/emulator/faults')).json();
    assert.equal(state.active, false);
    assert.deepEqual(await statuses(5), [200, 200, 200, 200, 200]);
  });

  it('commits a write whose response is lost; the client sees a network error; a safe retry finds it', async () => {
    await setFaults({ lostResponseShare: 1, seed: 11 });
    const id = newGuid();
    const body = orderBody(opened, user, orderableItems(opened, user, 1), { id });

    // In-process handler: Response.error().
    const lost = await call(opened, `${API}/salesorders`, { body, token });
    assert.equal(lost.type, 'error');
    assert.ok(opened.store.get('salesorder', id), 'the order was committed');

    // Reads are not lost.
    assert.equal((await statuses(2)).join(), '200,200');

    // createEmulatorFetch: rejects with a TypeError, as fetch does on a network error; the write is there.
    const fetch = createEmulatorFetch(opened.emulator, ORIGIN);
    const second = newGuid();
    await assert.rejects(
      fetch(`${API}/salesorders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(orderBody(opened, user, orderableItems(opened, user, 1), { id: second })),
      }),
      TypeError,
    );
    assert.ok(opened.store.get('salesorder', second));

    // The retry a careful client makes: PATCH with the same id and If-None-Match: * → 412, the row exists once.
    await call(opened, '/emulator/faults', { method: 'DELETE' });
    const { salesorderid: _omit, ...upsert } = body;
    const retry = await call(opened, `${API}/salesorders(${id})`, { method: 'PATCH', body: upsert, token, headers: { 'If-None-Match': '*' } });
    assert.equal(retry.status, 412);
    assert.equal([...opened.store.all('salesorder')].filter((o) => o.salesorderid === id).length, 1);
  });
});

describe('fault injection over HTTP', () => {
  it('drops the connection of a lost response after committing the write', async () => {
    const server = await startEmulatorServer({ port: 0, persist: false, scmClock: 'manual', seed: SMALL_SEED });
    try {
      const { opened } = server;
      const user = userWith(opened, 'authorized-user');
      const token = await tokenFor(opened, user);
      await fetch(`${server.url}/emulator/faults`, { method: 'POST', body: JSON.stringify({ lostResponseShare: 1, seed: 1 }) });
      const id = newGuid();
      await assert.rejects(
        fetch(`${server.url}/api/data/v9.2/salesorders`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(orderBody(opened, user, orderableItems(opened, user, 2), { id })),
        }),
        (error: unknown) => error instanceof TypeError, // undici: "fetch failed" (socket closed)
      );
      assert.ok(opened.store.get('salesorder', id), 'committed before the connection was dropped');
      // The server keeps serving.
      const read = await fetch(`${server.url}/api/data/v9.2/salesorders(${id})?$select=name`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(read.status, 200);
      assert.equal((await read.json()).salesorderid, id);
    } finally {
      await server.close();
    }
  });
});
