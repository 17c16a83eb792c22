// Service protection like Dataverse: per-user request count over a sliding window, concurrent requests and
// execution time, answered 429 + Retry-After with the documented codes, configurable through /emulator/limits.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, openEmulator, type OpenedEmulator } from '../../src/emulator/node.js';
import type { SeedUser } from '../../src/emulator/types.js';
import { API, SMALL_SEED, call, sessionFor, tokenFor, userWith } from './ops-support.js';

describe('service protection limits', () => {
  let opened: OpenedEmulator;
  let alice: SeedUser;
  let bob: SeedUser;
  let aliceToken: string;
  let bobToken: string;

  before(async () => {
    opened = await openEmulator({ persist: false, scmClock: 'manual', seed: SMALL_SEED });
    alice = userWith(opened, 'customer-representative');
    bob = userWith(opened, 'authorized-user');
    aliceToken = await tokenFor(opened, alice);
    bobToken = await tokenFor(opened, bob);
  });
  after(() => opened.close());
  beforeEach(async () => {
    await call(opened, '/emulator/limits', { method: 'DELETE' });
    await call(opened, '/emulator/faults', { method: 'DELETE' });
  });

  const setLimits = async (limits: Record<string, unknown>) => {
    const response = await call(opened, '/emulator/limits', { body: limits });
    assert.equal(response.status, 200, await response.clone().text());
  };
  const read = (token: string) => call(opened, `${API}/accounts?$select=name&$top=1`, { token });

  it('has Dataverse’s limits by default', async () => {
    const { limits } = await (await call(opened, '/emulator/limits')).json();
    assert.deepEqual(limits, { enabled: true, windowSeconds: 300, requestsPerWindow: 6000, executionSecondsPerWindow: 1200, concurrentRequests: 52 });
    assert.deepEqual(limits, { ...DEFAULT_LIMITS });
  });

  it('refuses the request over the count with 429, Retry-After and 0x80072322, per user', async () => {
    await setLimits({ requestsPerWindow: 5, windowSeconds: 60 });
    for (let i = 0; i < 5; i++) assert.equal((await read(aliceToken)).status, 200);
    const refused = await read(aliceToken);
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 59 && retryAfter <= 60, `Retry-After ${retryAfter} s: until the oldest request leaves the window`);
    const { error } = await refused.json();
    assert.equal(error.code, '0x80072322');
    assert.equal(error.message, 'Number of requests exceeded the limit of 5 over time window of 60 seconds.');

    assert.equal((await read(bobToken)).status, 200, 'another user has a budget of their own');
    // A second token of the same user shares the user's budget.
    assert.equal((await read(await tokenFor(opened, alice))).status, 429);
    // Controls are never counted or refused.
    assert.equal((await call(opened, '/emulator/users')).status, 200);

    const { usage } = await (await call(opened, '/emulator/limits')).json();
    const mine = usage.find((u: any) => u.user === `user:${alice.email}`);
    assert.equal(mine.requests, 5);
    assert.equal(mine.refused, 2);
  });

  it('lets requests in again once the oldest leave the sliding window', async () => {
    await setLimits({ requestsPerWindow: 2, windowSeconds: 1 });
    assert.equal((await read(aliceToken)).status, 200);
    assert.equal((await read(aliceToken)).status, 200);
    assert.equal((await read(aliceToken)).status, 429);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await read(aliceToken)).status, 200);
  });

  it('refuses concurrent requests over the limit with 0x80072326', async () => {
    await setLimits({ concurrentRequests: 2 });
    // Injected latency makes the server slow, so requests overlap as they would against a busy environment.
    await call(opened, '/emulator/faults', { body: { latencyMs: 200, seed: 1 } });
    const responses = await Promise.all([1, 2, 3, 4].map(() => read(aliceToken)));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    const refused = responses.find((r) => r.status === 429)!;
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const { error } = await refused.json();
    assert.equal(error.code, '0x80072326');
    assert.equal(error.message, 'Number of concurrent requests exceeded the limit of 2.');
  });

  it('refuses when the combined execution time is used up, with 0x80072321', async () => {
    await setLimits({ executionSecondsPerWindow: 0.1, windowSeconds: 60 });
    await call(opened, '/emulator/faults', { body: { latencyMs: 60, seed: 1 } });
    assert.equal((await read(aliceToken)).status, 200);
    assert.equal((await read(aliceToken)).status, 200);
    const refused = await read(aliceToken);
    assert.equal(refused.status, 429);
    assert.equal((await refused.json()).error.code, '0x80072321');
  });

  it('answers in the Power Pages shape on /_api, per session user', async () => {
    await setLimits({ requestsPerWindow: 1 });
    const session = await sessionFor(opened, bob);
    const headers = { cookie: session.cookie, __RequestVerificationToken: session.token };
    assert.equal((await call(opened, '/_api/salesorders?$select=name&$top=1', { headers })).status, 200);
    const refused = await call(opened, '/_api/salesorders?$select=name&$top=1', { headers });
    assert.equal(refused.status, 429);
    assert.ok(refused.headers.get('retry-after'));
    const { error } = await refused.json();
    assert.equal(error.code, '9004010D');
    assert.equal(error.cdscode, '0x80072322');
  });

  it('validates limits, and can be switched off', async () => {
    assert.equal((await call(opened, '/emulator/limits', { body: { requestsPerWindow: -1 } })).status, 400);
    assert.equal((await call(opened, '/emulator/limits', { body: { speed: 1 } })).status, 400);
    await setLimits({ requestsPerWindow: 1, enabled: false });
    for (let i = 0; i < 5; i++) assert.equal((await read(aliceToken)).status, 200);
  });
});
