import { expect } from '@open-wc/testing';
import { createDataverseClient, DataverseError, systemClock, type RetryOptions } from '../../../src/dataverse/index.js';
import { hang, networkFailure, ScriptedServer, VirtualClock, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

const API = '/api/data/v9.2/';
const ACCOUNT_ID = 'a8a19cdd-88df-e311-b8e5-6c3be5a8b200';

function dataverse(server: ScriptedServer, clock: VirtualClock | typeof systemClock = new VirtualClock(), retry: RetryOptions = {}, random = () => 0.5) {
  return createDataverseClient({
    transport: 'dataverse',
    url: `${server.origin}${API}`,
    token: async () => 'token',
    fetch: server.fetch,
    clock,
    random,
    retry,
  });
}

const unavailable = (server: ScriptedServer) => () => server.error(503, '0x80040216', 'Service Unavailable');

describe('429: service protection', () => {
  it('waits exactly Retry-After and retries', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.throttled(7));
    server.on('GET', `${API}accounts`, () => server.collection([{ name: 'a' }], {}, 'accounts'));
    const clock = new VirtualClock();
    const page = await dataverse(server, clock).getPage('accounts');
    expect(page.rows).to.have.length(1);
    expect(clock.sleeps).to.deep.equal([7000]);
    expect(server.requests).to.have.length(2);
  });

  it('honours a real 1 s Retry-After in real time', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.throttled(1));
    server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    const started = performance.now();
    await dataverse(server, systemClock).getPage('accounts');
    const elapsed = performance.now() - started;
    expect(elapsed).to.be.at.least(990);
    expect(elapsed).to.be.below(3000);
  });

  it('retries a POST after 429 (a 429 means nothing was executed)', async () => {
    const server = new ScriptedServer();
    server.on('POST', `${API}accounts`, () => server.throttled(2));
    server.on('POST', `${API}accounts`, () => server.created('accounts', ACCOUNT_ID));
    const clock = new VirtualClock();
    expect(await dataverse(server, clock).create('accounts', { name: 'x' })).to.equal(ACCOUNT_ID);
    expect(clock.sleeps).to.deep.equal([2000]);
    expect(server.sent('POST')).to.have.length(2);
  });

  it('backs off exponentially with full jitter when there is no Retry-After', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.throttled(), { times: 3 });
    server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    const clock = new VirtualClock();
    const draws = [0.99, 0.5, 0];
    await dataverse(server, clock, { baseDelayMs: 1000 }, () => draws.shift()!).getPage('accounts');
    // Retry n waits random · base · 2^n.
    expect(clock.sleeps).to.deep.equal([990, 1000, 0]);
  });

  it('gives up at once when Retry-After exceeds the time budget, and says how long to wait', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.throttled(120));
    const clock = new VirtualClock();
    const error = await dataverse(server, clock, { budgetMs: 60_000 }).getPage('accounts').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'throttled', status: 429, code: '0x80072322', retryAfterMs: 120_000, attempts: 1 });
    expect(error.message).to.equal('Number of requests exceeded the limit of 6000 over time window of 300 seconds.');
    expect(clock.sleeps).to.deep.equal([]);
  });

  it('stops after maxAttempts', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, () => server.throttled(1));
    const error = await dataverse(server, new VirtualClock(), { maxAttempts: 3 }).getPage('accounts').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'throttled', attempts: 3 });
    expect(server.requests).to.have.length(3);
  });

  it('holds other requests of the same client while a Retry-After runs', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.throttled(5));
    server.always('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    server.always('GET', `${API}contacts`, () => server.collection([], {}, 'contacts'));
    const clock = new VirtualClock();
    clock.holdSleeps = true;
    const client = dataverse(server, clock);
    const firstSleep = clock.nextSleep();
    const throttled = client.getPage('accounts');
    await firstSleep;
    const secondSleep = clock.nextSleep();
    const other = client.getPage('contacts');
    await secondSleep; // the second request waits too, before sending anything
    expect(clock.sleeps).to.deep.equal([5000, 5000]);
    expect(server.sent('GET', `${API}contacts`)).to.have.length(0);
    clock.release();
    await Promise.all([throttled, other]);
    expect(server.sent('GET', `${API}contacts`)).to.have.length(1);
  });
});

/** A clock whose time moves only when the test says so; sleeps end when their time has come. */
class ManualClock {
  time = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.timers.push({ at: this.time + ms, resolve });
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  /** Moves to `time`, ends the sleeps due, and lets what they start run. */
  async advance(time: number): Promise<void> {
    this.time = time;
    const due = this.timers.filter((t) => t.at <= time);
    this.timers = this.timers.filter((t) => t.at > time);
    for (const timer of due) timer.resolve();
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe('429: one "not before" time per client', () => {
  it('a longer Retry-After that arrives while requests wait out a shorter one is honoured too', async () => {
    const server = new ScriptedServer();
    let answerContacts: () => void = () => undefined;
    const contactsAnswered = new Promise<void>((resolve) => (answerContacts = resolve));
    server.on('GET', `${API}accounts`, () => server.throttled(3));
    server.always('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    // The contacts request is answered 2 s later (a slow server), also "wait 3 s": until 5 s.
    server.on('GET', `${API}contacts`, async () => {
      await contactsAnswered;
      return server.throttled(3);
    });
    server.always('GET', `${API}contacts`, () => server.collection([], {}, 'contacts'));
    const clock = new ManualClock();
    const client = dataverse(server, clock as never);
    const both = Promise.all([client.getPage('accounts'), client.getPage('contacts')]);
    await clock.advance(0);
    expect(server.requests).to.have.length(2);
    await clock.advance(2000);
    answerContacts();
    await clock.advance(2000);
    await clock.advance(3000); // the first wait is over, the second is not
    expect(server.requests, 'nothing sent before the later Retry-After is over').to.have.length(2);
    await clock.advance(4990);
    expect(server.requests).to.have.length(2);
    await clock.advance(5000);
    await both;
    expect(server.requests.map((r) => r.url.pathname).sort()).to.deep.equal([`${API}accounts`, `${API}accounts`, `${API}contacts`, `${API}contacts`]);
  });

  it('a request that gives up on a Retry-After longer than its budget still holds the client\'s other requests', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.throttled(120));
    server.always('GET', `${API}contacts`, () => server.collection([], {}, 'contacts'));
    const clock = new VirtualClock();
    const client = dataverse(server, clock, { budgetMs: 60_000 });
    const refused = await client.getPage('accounts').then(resolvedUnexpectedly, asDataverseError);
    expect(refused).to.include({ kind: 'throttled', retryAfterMs: 120_000 });
    const held = await client.getPage('contacts').then(resolvedUnexpectedly, asDataverseError);
    expect(held).to.include({ kind: 'throttled', status: 429, retryAfterMs: 120_000 });
    expect(server.sent('GET', `${API}contacts`), 'nothing sent while the server asked to wait').to.have.length(0);
  });
});

describe('503/504 and network failures', () => {
  it('retries an idempotent GET with back-off', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, unavailable(server));
    server.on('GET', `${API}accounts`, () => server.error(504, '0x80040216', 'Gateway Timeout'));
    server.on('GET', `${API}accounts`, networkFailure);
    server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    const clock = new VirtualClock();
    await dataverse(server, clock, { baseDelayMs: 100 }).getPage('accounts');
    expect(clock.sleeps).to.deep.equal([50, 100, 200]);
    expect(server.requests).to.have.length(4);
  });

  it('honours a Retry-After sent with a 503', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.error(503, '0x80040216', 'Service Unavailable', { 'Retry-After': '3' }));
    server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    const clock = new VirtualClock();
    await dataverse(server, clock).getPage('accounts');
    expect(clock.sleeps).to.deep.equal([3000]);
  });

  it('does not retry a plain POST on 503 (exactly one request)', async () => {
    const server = new ScriptedServer();
    server.always('POST', `${API}accounts`, unavailable(server));
    const clock = new VirtualClock();
    const error = await dataverse(server, clock).create('accounts', { name: 'x' }).then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'server', status: 503, attempts: 1 });
    expect(server.requests).to.have.length(1);
    expect(clock.sleeps).to.deep.equal([]);
  });

  it('maps a failed fetch to kind network with the request (no token) attached', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, networkFailure);
    const error = await dataverse(server, new VirtualClock(), { maxAttempts: 2 }).getPage('accounts').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'network', status: 0, attempts: 2 });
    expect(error.cause).to.be.instanceOf(TypeError);
    expect(error.request).to.deep.equal({ method: 'GET', url: `${server.origin}${API}accounts` });
    expect(JSON.stringify(error.request)).to.not.contain('token');
  });

  it('does not retry a 500 or a 400', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.error(500, '0x80040216', 'An unexpected error occurred.'));
    server.on('GET', `${API}accounts`, () => server.error(400, '0x80048d19', "Invalid property 'nme' was found in entity 'Microsoft.Dynamics.CRM.account'."));
    const client = dataverse(server);
    expect(await client.getPage('accounts').catch((e: DataverseError) => e.kind)).to.equal('server');
    expect(await client.getPage('accounts').catch((e: DataverseError) => e.kind)).to.equal('validation');
    expect(server.requests).to.have.length(2);
  });

  it('keeps all retries within the time budget', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, unavailable(server));
    const clock = new VirtualClock();
    const error = await dataverse(server, clock, { baseDelayMs: 1000, budgetMs: 5000, maxAttempts: 100 }, () => 0.99)
      .getPage('accounts')
      .then(resolvedUnexpectedly, asDataverseError);
    expect(error.kind).to.equal('server');
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).to.be.at.most(5000);
    expect(clock.sleeps).to.deep.equal([990, 1980]); // the next (3960) would pass 5 s
  });
});

describe('abort', () => {
  it('passes the abort reason through unchanged, before sending', async () => {
    const server = new ScriptedServer();
    const controller = new AbortController();
    const reason = new Error('user left the page');
    controller.abort(reason);
    const error = await dataverse(server).getPage('accounts', undefined, { signal: controller.signal }).then(resolvedUnexpectedly, (e: unknown) => e);
    expect(error).to.equal(reason);
    expect(server.requests).to.have.length(0);
  });

  it('aborts an answer in flight with an AbortError, not a DataverseError, and does not retry', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, hang);
    const controller = new AbortController();
    const pending = dataverse(server).getPage('accounts', undefined, { signal: controller.signal }).then(resolvedUnexpectedly, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const error = (await pending) as DOMException;
    expect(error).to.not.be.instanceOf(DataverseError);
    expect(error.name).to.equal('AbortError');
    expect(server.requests).to.have.length(1);
  });

  it('cancels a back-off wait (virtual clock)', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, () => server.throttled(30));
    const clock = new VirtualClock();
    clock.holdSleeps = true;
    const controller = new AbortController();
    const sleeping = clock.nextSleep();
    const pending = dataverse(server, clock).getPage('accounts', undefined, { signal: controller.signal }).then(resolvedUnexpectedly, (e: unknown) => e);
    await sleeping;
    controller.abort();
    const error = (await pending) as DOMException;
    expect(error.name).to.equal('AbortError');
    expect(server.requests).to.have.length(1);
  });

  it('cancels a real 30 s Retry-After wait at once', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, () => server.throttled(30));
    const controller = new AbortController();
    const started = performance.now();
    const pending = dataverse(server, systemClock).getPage('accounts', undefined, { signal: controller.signal }).then(resolvedUnexpectedly, (e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const error = (await pending) as DOMException;
    expect(error.name).to.equal('AbortError');
    expect(performance.now() - started).to.be.below(1000);
    expect(server.requests).to.have.length(1);
  });
});
