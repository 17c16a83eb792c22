import { expect, waitUntil } from '@open-wc/testing';
import {
  createDataverseClient,
  DataverseError,
  fromDeferred,
  parseTokenHtml,
  type PowerPagesShell,
  type TokenRequest,
} from '../../../src/dataverse/index.js';
import { ScriptedServer, VirtualClock, resolvedUnexpectedly, asDataverseError } from '../support/scripted-server.js';

const API = '/api/data/v9.2/';

describe('Dataverse transport: bearer tokens', () => {
  function client(server: ScriptedServer, token?: (request: TokenRequest) => Promise<string>) {
    return createDataverseClient({ transport: 'dataverse', url: `${server.origin}${API}`, token, fetch: server.fetch, clock: new VirtualClock() });
  }

  it('gets one fresh token after a 401 and retries once', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.error(401, '0x8004a101', 'The user is not authenticated.'));
    server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    const calls: boolean[] = [];
    await client(server, async ({ forceRefresh }) => {
      calls.push(forceRefresh);
      return forceRefresh ? 'fresh' : 'stale';
    }).getPage('accounts');
    expect(calls).to.deep.equal([false, true]);
    expect(server.requests.map((r) => r.header('Authorization'))).to.deep.equal(['Bearer stale', 'Bearer fresh']);
  });

  it('reports auth after the second 401 (no loop)', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, () => server.error(401, '', 'Unauthorized'));
    let calls = 0;
    const error = await client(server, async () => `t${++calls}`)
      .getPage('accounts')
      .then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.be.instanceOf(DataverseError);
    expect(error).to.include({ kind: 'auth', status: 401 });
    expect(calls).to.equal(2);
    expect(server.requests).to.have.length(2);
  });

  it('a later retry (429) does not force another token refresh', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.error(401, '', 'Unauthorized'));
    server.on('GET', `${API}accounts`, () => server.throttled(1));
    server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    const calls: boolean[] = [];
    await client(server, async ({ forceRefresh }) => {
      calls.push(forceRefresh);
      return 'token';
    }).getPage('accounts');
    expect(calls).to.deep.equal([false, true, false]);
  });

  it('sends no Authorization header without a provider (a proxy adds it) and does not retry a 401', async () => {
    const server = new ScriptedServer();
    server.always('GET', `${API}accounts`, () => server.error(401, '', 'Unauthorized'));
    const error = await client(server).getPage('accounts').then(resolvedUnexpectedly, asDataverseError);
    expect(server.requests[0]!.header('Authorization')).to.equal(null);
    expect(error.kind).to.equal('auth');
    expect(server.requests).to.have.length(1);
  });

  it('turns a failing provider into an auth error with the cause, and strips a Bearer prefix', async () => {
    const server = new ScriptedServer();
    server.on('GET', `${API}accounts`, () => server.collection([], {}, 'accounts'));
    const failure = new Error('popup blocked');
    const error = await client(server, () => Promise.reject(failure)).getPage('accounts').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'auth', code: 'TokenUnavailable' });
    expect(error.cause).to.equal(failure);
    expect(server.requests).to.have.length(0);
    await client(server, async () => 'Bearer abc').getPage('accounts');
    expect(server.requests[0]!.header('Authorization')).to.equal('Bearer abc');
  });

  it('passes the abort signal to the provider', async () => {
    const server = new ScriptedServer();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const pending = client(server, ({ signal }) => {
      seen = signal;
      return new Promise<string>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
    })
      .getPage('accounts', undefined, { signal: controller.signal })
      .then(resolvedUnexpectedly, (e: unknown) => e);
    controller.abort();
    expect(((await pending) as DOMException).name).to.equal('AbortError');
    expect(seen).to.equal(controller.signal);
  });

  /** A host's provider as the client expects one: cached; a new token (`fresh-N`) only when forced, when `release` is called. */
  function heldProvider() {
    const calls = { plain: 0, forced: 0 };
    let current = 'expired';
    const waiting: Array<() => void> = [];
    const signals: (AbortSignal | undefined)[] = [];
    const provider = async ({ forceRefresh, signal }: TokenRequest) => {
      if (!forceRefresh) {
        calls.plain++;
        return current;
      }
      calls.forced++;
      signals.push(signal);
      await new Promise<void>((resolve, reject) => {
        waiting.push(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      current = `fresh-${calls.forced}`;
      return current;
    };
    return { provider, calls, signals, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
  }

  /** Answers 401 to the expired token, else a page; `hold` delays the answers of one path until released. */
  function expiringServer(hold?: string) {
    const server = new ScriptedServer();
    let releaseHeld: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    const answer = (entitySet: string) => async (r: { header(name: string): string | null; url: URL }) => {
      if (hold && r.url.pathname === `${API}${hold}` && r.header('Authorization') === 'Bearer expired') await held;
      return r.header('Authorization') === 'Bearer expired'
        ? server.error(401, '0x8004a101', 'The user is not authenticated.')
        : server.collection([{ token: r.header('Authorization') }], {}, entitySet);
    };
    for (const set of ['accounts', 'contacts', 'salesorders']) server.always('GET', `${API}${set}`, answer(set));
    return { server, releaseHeld };
  }

  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('requests refused together with an expired token share one forced refresh', async () => {
    const { server } = expiringServer();
    const tokens = heldProvider();
    const c = client(server, tokens.provider);
    const pages = Promise.all(['accounts', 'contacts', 'salesorders'].map((set) => c.getPage(set)));
    await waitUntil(() => tokens.calls.forced > 0 && server.requests.length === 3);
    for (let i = 0; i < 5; i++) await tick(); // every 401 is in: all three wait for the one refresh
    expect(tokens.calls.forced, 'forced refreshes while all three wait').to.equal(1);
    tokens.release();
    const rows = (await pages).map((page) => page.rows[0]!.token);
    expect(rows).to.deep.equal(['Bearer fresh-1', 'Bearer fresh-1', 'Bearer fresh-1']);
    expect(tokens.calls.forced).to.equal(1);
    expect(server.requests).to.have.length(6);
  });

  it('a request refused after the refresh already happened takes the refreshed token (no second refresh)', async () => {
    // The contacts request was sent with the expired token too, but its 401 comes after the refresh finished.
    const { server, releaseHeld } = expiringServer('contacts');
    const tokens = heldProvider();
    const c = client(server, tokens.provider);
    const early = c.getPage('accounts');
    const late = c.getPage('contacts');
    await waitUntil(() => tokens.calls.forced === 1);
    tokens.release();
    expect((await early).rows[0]!.token).to.equal('Bearer fresh-1');
    releaseHeld();
    expect((await late).rows[0]!.token).to.equal('Bearer fresh-1');
    expect(tokens.calls.forced, 'forced refreshes').to.equal(1);
    // A later 401 to the refreshed token itself does force a new one.
    const again = new ScriptedServer();
    again.on('GET', `${API}accounts`, () => again.error(401, '0x8004a101', 'The user is not authenticated.'));
    again.on('GET', `${API}accounts`, (r) => again.collection([{ token: r.header('Authorization') }], {}, 'accounts'));
    const sameTokens = heldProvider();
    const c2 = client(again, sameTokens.provider);
    const first = c2.getPage('accounts');
    await waitUntil(() => sameTokens.calls.forced === 1);
    sameTokens.release();
    await first;
    again.on('GET', `${API}accounts`, () => again.error(401, '0x8004a101', 'The user is not authenticated.'));
    again.on('GET', `${API}accounts`, (r) => again.collection([{ token: r.header('Authorization') }], {}, 'accounts'));
    const second = c2.getPage('accounts');
    await waitUntil(() => sameTokens.calls.forced === 2);
    sameTokens.release();
    expect((await second).rows[0]!.token).to.equal('Bearer fresh-2');
  });

  it('one request cancelled while waiting for the shared refresh does not fail the others', async () => {
    const { server } = expiringServer();
    const tokens = heldProvider();
    const c = client(server, tokens.provider);
    const controller = new AbortController();
    const cancelled = c.getPage('accounts', undefined, { signal: controller.signal }).then(resolvedUnexpectedly, (e: unknown) => e);
    const other = c.getPage('contacts');
    await waitUntil(() => tokens.calls.forced === 1 && server.requests.length === 2);
    for (let i = 0; i < 5; i++) await tick();
    controller.abort();
    expect(((await cancelled) as DOMException).name).to.equal('AbortError');
    expect(tokens.signals[0]!.aborted, 'the shared refresh goes on for the other request').to.equal(false);
    tokens.release();
    expect((await other).rows[0]!.token).to.equal('Bearer fresh-1');
    expect(tokens.calls.forced).to.equal(1);
  });
});

describe('Power Pages transport: anti-forgery token', () => {
  const SITE = 'https://portal.contoso.com';
  const tokenPage = (value: string) =>
    new Response(`<input name="__RequestVerificationToken" type="hidden" value="${value}" />`, {
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
  const antiForgery = (server: ScriptedServer, status = 401) =>
    server.error(status, '90040107', 'HttpAntiForgeryException: The anti-forgery cookie token and form field token do not match.');

  function powerPages(server: ScriptedServer, options: { shell?: () => PowerPagesShell | undefined; tokenPageUrl?: string } = {}) {
    return createDataverseClient({
      transport: 'power-pages',
      siteUrl: SITE,
      fetch: server.fetch,
      clock: new VirtualClock(),
      shell: options.shell ?? (() => undefined),
      tokenPageUrl: options.tokenPageUrl,
    });
  }

  it('uses /_api/, the same-origin cookie and the token from /_layout/tokenhtml, cached', async () => {
    const server = new ScriptedServer(SITE);
    server.on('GET', '/_layout/tokenhtml', (r) => {
      expect(r.credentials).to.equal('same-origin');
      return tokenPage('tok-1');
    });
    server.always('GET', '/_api/salesorders', () => server.collection([]));
    const client = powerPages(server);
    await client.getPage('salesorders', { select: ['name'] });
    await client.getPage('salesorders', { select: ['name'] });
    const api = server.sent('GET', '/_api/salesorders');
    expect(api).to.have.length(2);
    for (const request of api) {
      expect(request.header('__RequestVerificationToken')).to.equal('tok-1');
      expect(request.credentials).to.equal('same-origin');
      expect(request.header('Authorization')).to.equal(null);
      expect(request.header('X-Requested-With')).to.equal('XMLHttpRequest');
      expect(request.header('OData-Version')).to.equal('4.0');
    }
    expect(server.sent('GET', '/_layout/tokenhtml')).to.have.length(1);
  });

  it('takes the token from window.shell.getTokenDeferred() when present (then- and done-style)', async () => {
    const server = new ScriptedServer(SITE);
    server.always('GET', '/_api/salesorders', () => server.collection([]));
    // jQuery 3 style: a Promise/A+ `then`.
    const thenShell: PowerPagesShell = { getTokenDeferred: () => ({ then: (ok: (v: string) => unknown) => ok('from-then') }) };
    await powerPages(server, { shell: () => thenShell }).getPage('salesorders');
    // Old jQuery style: `.done(cb).fail(cb)` only.
    const doneShell: PowerPagesShell = {
      getTokenDeferred() {
        const deferred = {
          done(cb: (v: string) => unknown) {
            setTimeout(() => cb('from-done'));
            return deferred;
          },
          fail() {
            return deferred;
          },
        };
        return deferred;
      },
    };
    await powerPages(server, { shell: () => doneShell }).getPage('salesorders');
    expect(server.requests.map((r) => r.header('__RequestVerificationToken'))).to.deep.equal(['from-then', 'from-done']);
    expect(server.sent('GET', '/_layout/tokenhtml')).to.have.length(0);
  });

  it('finds window.shell by default', async () => {
    const server = new ScriptedServer(SITE);
    server.on('GET', '/_api/salesorders', () => server.collection([]));
    const global = globalThis as { shell?: PowerPagesShell };
    global.shell = { getTokenDeferred: () => ({ then: (ok: (v: string) => unknown) => ok('window-shell') }) };
    try {
      await createDataverseClient({ transport: 'power-pages', siteUrl: SITE, fetch: server.fetch }).getPage('salesorders');
    } finally {
      delete global.shell;
    }
    expect(server.requests[0]!.header('__RequestVerificationToken')).to.equal('window-shell');
  });

  it('reads the token page at a configured URL', async () => {
    const server = new ScriptedServer(SITE);
    server.on('GET', '/en-US/_layout/tokenhtml', () => tokenPage('localized'));
    server.on('GET', '/_api/salesorders', () => server.collection([]));
    await powerPages(server, { tokenPageUrl: '/en-US/_layout/tokenhtml' }).getPage('salesorders');
    expect(server.requests[1]!.header('__RequestVerificationToken')).to.equal('localized');
  });

  for (const status of [401, 403]) {
    it(`refreshes the token once and retries once after a ${status} 90040107`, async () => {
      const server = new ScriptedServer(SITE);
      server.on('GET', '/_layout/tokenhtml', () => tokenPage('old'));
      server.on('GET', '/_layout/tokenhtml', () => tokenPage('new'));
      server.on('POST', '/_api/contacts', () => antiForgery(server, status));
      server.on('POST', '/_api/contacts', () => server.noContent({ entityid: 'c7b9d8a4-0f51-ef11-a317-000d3a8b6f2b' }));
      const id = await powerPages(server).create('contacts', { lastname: 'Smith' });
      expect(id).to.equal('c7b9d8a4-0f51-ef11-a317-000d3a8b6f2b');
      expect(server.sent('POST').map((r) => r.header('__RequestVerificationToken'))).to.deep.equal(['old', 'new']);
    });
  }

  it('reports auth (not permission) when the refreshed token is refused too', async () => {
    const server = new ScriptedServer(SITE);
    server.always('GET', '/_layout/tokenhtml', () => tokenPage('t'));
    server.always('GET', '/_api/salesorders', () => antiForgery(server, 403));
    const error = await powerPages(server).getPage('salesorders').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'auth', status: 403, code: '90040107' });
    expect(server.sent('GET', '/_api/salesorders')).to.have.length(2);
    expect(server.sent('GET', '/_layout/tokenhtml')).to.have.length(2);
  });

  it('does not retry a missing session (90040109) or a permission error (90040102)', async () => {
    const server = new ScriptedServer(SITE);
    server.on('GET', '/_layout/tokenhtml', () => tokenPage('t'));
    server.on('GET', '/_api/salesorders', () => server.error(401, '90040109', 'MissingPortalSessionCookie'));
    server.on('GET', '/_api/salesorders', () =>
      server.error(403, '90040102', "You don't have permission to read salesorder", {}, { cdscode: '', innererror: { message: 'detail' } }),
    );
    const client = powerPages(server);
    const session = await client.getPage('salesorders').then(resolvedUnexpectedly, asDataverseError);
    const permission = await client.getPage('salesorders').then(resolvedUnexpectedly, asDataverseError);
    expect(session).to.include({ kind: 'auth', code: '90040109' });
    expect(permission).to.include({ kind: 'permission', code: '90040102', message: "You don't have permission to read salesorder" });
    expect(permission.details).to.deep.equal({ cdscode: '', innererror: { message: 'detail' } });
    expect(server.sent('GET', '/_api/salesorders')).to.have.length(2);
  });

  it('reports an unusable token page as auth', async () => {
    const server = new ScriptedServer(SITE);
    server.on('GET', '/_layout/tokenhtml', () => new Response('<html><body>Sign in</body></html>'));
    const error = await powerPages(server).getPage('salesorders').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'auth', code: 'AntiForgeryTokenUnavailable' });
    expect(server.sent('GET', '/_api/salesorders')).to.have.length(0);
  });

  it('reports a sign-in page served instead of JSON as auth', async () => {
    const server = new ScriptedServer(SITE);
    server.on('GET', '/_layout/tokenhtml', () => tokenPage('t'));
    server.on('GET', '/_api/salesorders', () => new Response('<!DOCTYPE html><html>Sign in</html>', { headers: { 'Content-Type': 'text/html' } }));
    const error = await powerPages(server).getPage('salesorders').then(resolvedUnexpectedly, asDataverseError);
    expect(error).to.include({ kind: 'auth', code: 'SignInRequired' });
  });
});

describe('anti-forgery helpers', () => {
  it('parses the token input whatever the attribute order and quoting, decoding entities', () => {
    expect(parseTokenHtml('<input name="__RequestVerificationToken" type="hidden" value="abc-123_XYZ" />')).to.equal('abc-123_XYZ');
    expect(parseTokenHtml("<div><input type='hidden' value='a+b/c=' name='__RequestVerificationToken'></div>")).to.equal('a+b/c=');
    expect(parseTokenHtml('<INPUT VALUE="x&amp;y&#43;z" NAME="__RequestVerificationToken">')).to.equal('x&y+z');
    expect(parseTokenHtml('<input name="other" value="no"><input name="__RequestVerificationToken" value="yes">')).to.equal('yes');
    expect(parseTokenHtml('<p>no token here</p>')).to.equal(undefined);
    expect(parseTokenHtml('<input name="__RequestVerificationToken" value="">')).to.equal(undefined);
  });

  it('turns deferreds and thenables into promises, rejections included', async () => {
    expect(await fromDeferred(Promise.resolve('p'))).to.equal('p');
    expect(await fromDeferred('plain')).to.equal('plain');
    const failing = { done: () => failing, fail: (cb: (e: unknown) => unknown) => (cb('nope'), failing) };
    expect(await fromDeferred(failing).then(resolvedUnexpectedly, (e: unknown) => e)).to.equal('nope');
  });
});
