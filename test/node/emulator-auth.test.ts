import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DV, IDS, ORIGIN, PP, USERS, bodyOf, fixtureEmulator, post } from './emulator-fixtures.js';
import { createEmulatorFetch } from '../../src/emulator/fetch.js';
import type { EmulatorMiddleware } from '../../src/emulator/http.js';

test('GET /emulator/users lists the seeded users', async () => {
  const { emulator } = fixtureEmulator();
  const body = await bodyOf(await emulator.handle(new Request(`${ORIGIN}/emulator/users`)));
  assert.equal(body.value.length, USERS.length);
  assert.deepEqual(body.value[0], {
    email: 'alice@contoso.example',
    fullName: 'Alice Archer',
    contactId: IDS.alice,
    accountId: IDS.contoso,
    accountNumber: 'C-001',
    webRoles: ['authorized-user'],
  });
});

test('POST /emulator/token issues bearer tokens; unknown users and bad bodies are refused', async () => {
  const { emulator } = fixtureEmulator();
  const response = await emulator.handle(post(`${ORIGIN}/emulator/token`, { user: 'ALICE@contoso.example' }));
  assert.equal(response.status, 200);
  const body = await bodyOf(response);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  assert.match(body.access_token, /^[A-Za-z0-9_-]{20,}$/);
  assert.equal((await emulator.handle(post(`${ORIGIN}/emulator/token`, { user: 'nobody@x' }))).status, 404);
  assert.equal((await emulator.handle(post(`${ORIGIN}/emulator/token`, {}))).status, 400);
  assert.equal((await emulator.handle(post(`${ORIGIN}/emulator/token`, { user: 'alice@contoso.example', expires_in: -1 }))).status, 400);
  assert.equal((await emulator.handle(new Request(`${ORIGIN}/emulator/nothing`))).status, 404);
});

test('Dataverse: missing, invalid and expired tokens are 401; a fresh token works again', async () => {
  const { emulator, clock } = fixtureEmulator();
  const get = (authorization?: string) =>
    emulator.handle(new Request(`${DV}/products?$select=name`, { headers: authorization ? { Authorization: authorization } : {} }));
  assert.equal((await get()).status, 401);
  assert.equal((await get('Bearer not-a-token')).status, 401);
  assert.equal((await get('Basic abc')).status, 401);
  const short = await bodyOf(await emulator.handle(post(`${ORIGIN}/emulator/token`, { user: 'alice@contoso.example', expires_in: 2 })));
  assert.equal(short.expires_in, 2);
  assert.equal((await get(`Bearer ${short.access_token}`)).status, 200);
  clock.advance(2000);
  const expired = await get(`Bearer ${short.access_token}`);
  assert.equal(expired.status, 401);
  const body = await bodyOf(expired);
  assert.deepEqual(Object.keys(body.error), ['code', 'message']);
  assert.equal(body.error.message, 'The access token has expired.');
  const fresh = await bodyOf(await emulator.handle(post(`${ORIGIN}/emulator/token`, { user: 'alice@contoso.example' })));
  assert.equal((await get(`Bearer ${fresh.access_token}`)).status, 200);
});

test('Power Pages: sign-in sets the session cookie; tokenhtml gives the anti-forgery token', async () => {
  const { emulator } = fixtureEmulator();
  const signin = await emulator.handle(post(`${ORIGIN}/emulator/signin`, { user: 'bob@fabrikam.example' }));
  assert.equal(signin.status, 200);
  const cookie = signin.headers.get('set-cookie')!;
  assert.match(cookie, /^\.AspNet\.ApplicationCookie=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax$/);
  const session = cookie.split(';')[0];
  const html = await (await emulator.handle(new Request(`${ORIGIN}/_layout/tokenhtml`, { headers: { Cookie: session } }))).text();
  assert.match(html, /^<input name="__RequestVerificationToken" type="hidden" value="[A-Za-z0-9_-]+" \/>$/);
  const token = /value="([^"]+)"/.exec(html)![1];
  const ok = await emulator.handle(new Request(`${PP}/salesorders?$select=name`, { headers: { Cookie: session, __RequestVerificationToken: token } }));
  assert.equal(ok.status, 200);
  assert.deepEqual((await bodyOf(ok)).value.map((o: any) => o.salesorderid), [IDS.orderBob]);
});

test('Power Pages: missing cookie → 401 90040109; missing or wrong token → 401 90040107', async () => {
  const { emulator } = fixtureEmulator();
  const client = await Client.portal(emulator, 'bob@fabrikam.example');
  const noCookie = await emulator.handle(new Request(`${PP}/salesorders`, { headers: { __RequestVerificationToken: client.antiForgery! } }));
  assert.equal(noCookie.status, 401);
  assert.equal((await bodyOf(noCookie)).error.code, '90040109');
  const noToken = await emulator.handle(new Request(`${PP}/salesorders`, { headers: { Cookie: client.cookie! } }));
  assert.equal(noToken.status, 401);
  assert.deepEqual(await bodyOf(noToken), { error: { code: '90040107', message: 'The anti-forgery cookie token and form field token do not match.' } });
  const wrongToken = await emulator.handle(new Request(`${PP}/salesorders`, { headers: { Cookie: client.cookie!, __RequestVerificationToken: 'forged' } }));
  assert.equal(wrongToken.status, 401);
  assert.equal((await bodyOf(wrongToken)).error.code, '90040107');
  // Another session's token does not fit this session.
  const other = await Client.portal(emulator, 'alice@contoso.example');
  const crossed = await emulator.handle(new Request(`${PP}/salesorders`, { headers: { Cookie: client.cookie!, __RequestVerificationToken: other.antiForgery! } }));
  assert.equal(crossed.status, 401);
  // A bearer token is no Power Pages credential.
  const bearer = await Client.dataverse(emulator, 'bob@fabrikam.example');
  const withBearer = await emulator.handle(new Request(`${PP}/salesorders`, { headers: { Authorization: `Bearer ${bearer.token}` } }));
  assert.equal(withBearer.status, 401);
});

test('Power Pages: a rotated token stops working; fetching tokenhtml again recovers', async () => {
  const { emulator } = fixtureEmulator();
  const client = await Client.portal(emulator, 'bob@fabrikam.example');
  assert.equal((await client.get('salesorders?$select=name')).status, 200);
  const rotated = await emulator.handle(post(`${ORIGIN}/emulator/rotate-token`, {}, { Cookie: client.cookie! }));
  assert.deepEqual(await bodyOf(rotated), { rotated: 1 });
  const stale = await client.get('salesorders?$select=name');
  assert.equal(stale.status, 401);
  assert.equal((await bodyOf(stale)).error.code, '90040107');
  await client.refreshToken();
  assert.equal((await client.get('salesorders?$select=name')).status, 200);
  // Rotation by user, and for everybody.
  const second = await Client.portal(emulator, 'alice@contoso.example');
  assert.deepEqual(await bodyOf(await emulator.handle(post(`${ORIGIN}/emulator/rotate-token`, { user: 'alice@contoso.example' }))), { rotated: 1 });
  assert.equal((await second.get('salesorders?$select=name')).status, 401);
  assert.deepEqual(await bodyOf(await emulator.handle(post(`${ORIGIN}/emulator/rotate-token`, {}))), { rotated: 2 });
});

test('sign-out ends the session and revokes the bearer token', async () => {
  const { emulator } = fixtureEmulator();
  const portal = await Client.portal(emulator, 'bob@fabrikam.example');
  const out = await emulator.handle(post(`${ORIGIN}/emulator/signout`, {}, { Cookie: portal.cookie! }));
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
  assert.equal((await portal.get('salesorders')).status, 401);
  const dv = await Client.dataverse(emulator, 'bob@fabrikam.example');
  await emulator.handle(post(`${ORIGIN}/emulator/signout`, {}, { Authorization: `Bearer ${dv.token}` }));
  assert.equal((await dv.get('salesorders')).status, 401);
});

test('Power Pages has no $batch and no service document', async () => {
  const { emulator } = fixtureEmulator();
  const client = await Client.portal(emulator, 'admin@house.example');
  const batch = await client.request('POST', `${PP}/$batch`, '--b--', { 'Content-Type': 'multipart/mixed;boundary=b' });
  assert.equal(batch.status, 404);
  assert.deepEqual(await bodyOf(batch), { error: { code: '9004010C', message: "Resource not found for the segment '$batch'." } });
  assert.equal((await client.get(`${PP}/`)).status, 404);
  const notExposed = await client.get(`${PP}/uomschedules?$select=name`);
  assert.equal(notExposed.status, 200, 'uomschedule is exposed by the default site settings');
});

test('Power Pages site settings: tables not enabled are 404 9004010C; a field list requires $select', async () => {
  const { emulator } = fixtureEmulator({
    siteSettings: {
      salesorder: { enabled: true, fields: ['name', 'totalamount'] },
      product: { enabled: false, fields: '*' },
    },
  });
  const client = await Client.portal(emulator, 'admin@house.example');
  const hidden = await client.json<any>('products?$select=name');
  assert.equal(hidden.status, 404);
  assert.equal(hidden.body.error.code, '9004010C');
  const accounts = await client.json<any>('accounts?$select=name');
  assert.equal(accounts.status, 404, 'a table without settings is not exposed');
  const noSelect = await client.json<any>('salesorders');
  assert.equal(noSelect.status, 400);
  const listed = await client.json<any>('salesorders?$select=name,totalamount');
  assert.equal(listed.status, 200);
  const unlisted = await client.json<any>('salesorders?$select=name,ordernumber');
  assert.equal(unlisted.status, 403);
  assert.deepEqual(unlisted.body.error, { code: '90040101', message: 'Attribute ordernumber in table salesorder is not enabled for Web Api.' });
  const write = await client.request('PATCH', `salesorders(${IDS.orderAlice1})`, { ordernumber: 'X' });
  assert.equal(write.status, 403);
  assert.equal((await bodyOf(write)).error.code, '90040101');
  // Dataverse is not affected by Power Pages site settings.
  const dv = await Client.dataverse(emulator, 'admin@house.example');
  assert.equal((await dv.get('products?$select=name')).status, 200);
});

test('createEmulatorFetch: relative URLs, a cookie jar for the session, abort, network errors', async () => {
  const { emulator } = fixtureEmulator();
  const fetch = createEmulatorFetch(emulator, ORIGIN);
  const signin = await fetch('/emulator/signin', { method: 'POST', body: JSON.stringify({ user: 'bob@fabrikam.example' }) });
  assert.equal(signin.status, 200);
  assert.ok(fetch.cookies.has('.AspNet.ApplicationCookie'));
  const html = await (await fetch('/_layout/tokenhtml')).text();
  const token = /value="([^"]+)"/.exec(html)![1];
  const orders = await fetch(`/_api/salesorders?$select=name`, { headers: { __RequestVerificationToken: token } });
  assert.equal(orders.status, 200);
  assert.equal((await orders.json()).value.length, 1);
  await fetch(new URL('/emulator/signout', ORIGIN), { method: 'POST' });
  assert.equal(fetch.cookies.size, 0);

  const controller = new AbortController();
  controller.abort();
  await assert.rejects(fetch('/emulator/users', { signal: controller.signal }), (e: any) => e.name === 'AbortError');

  const lossy: EmulatorMiddleware = async (request, next) => ({ ...(await next(request)), networkError: true });
  emulator.use(lossy);
  await assert.rejects(fetch('/emulator/users'), TypeError);
  const direct = await emulator.handle(new Request(`${ORIGIN}/emulator/users`));
  assert.equal(direct.type, 'error');
});

test('middleware wraps every request and can answer in place of the core', async () => {
  const { emulator } = fixtureEmulator();
  const bob = await Client.dataverse(emulator, 'bob@fabrikam.example');
  const alice = await Client.dataverse(emulator, 'alice@contoso.example');
  const seen: string[] = [];
  emulator.use(async (request, next) => {
    seen.push(`${request.method} ${request.url.pathname}`);
    const user = emulator.identify(request).user;
    if (user?.email === 'bob@fabrikam.example') {
      return { status: 429, headers: new Headers({ 'Retry-After': '3' }), body: JSON.stringify({ error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } }) };
    }
    return next(request);
  });
  assert.equal((await alice.get('products')).status, 200);
  emulator.use(async () => {
    throw new Error('a middleware bug');
  });
  const throttled = await bob.get('products');
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers.get('retry-after'), '3');
  const broken = await alice.get('products');
  assert.equal(broken.status, 500);
  const body = await bodyOf(broken);
  assert.equal(body.error.code, '0x80040216');
  assert.ok(seen.includes('GET /api/data/v9.2/products'));
});

test('unexpected exceptions become a 500 in the API\'s shape', async () => {
  const { emulator, store } = fixtureEmulator();
  const client = await Client.portal(emulator, 'admin@house.example');
  (store as any).get = () => {
    throw new Error('disk on fire');
  };
  const response = await client.get(`salesorders(${IDS.orderAlice1})`);
  assert.equal(response.status, 500);
  assert.deepEqual(await bodyOf(response), { error: { code: '9004010D', message: 'An unexpected error occurred while processing the request.' } });
});

test('CORS: Dataverse answers preflights and cross-origin calls; Power Pages stays same-origin', async () => {
  const { emulator } = fixtureEmulator();
  const preflight = await emulator.handle(new Request(`${DV}/salesorders`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:6006', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization,prefer' },
  }));
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:6006');
  assert.match(preflight.headers.get('access-control-allow-methods')!, /PATCH/);
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization,prefer');
  const client = await Client.dataverse(emulator, 'admin@house.example');
  const call = await client.get('salesorders?$select=name', { Origin: 'http://localhost:6006' });
  assert.equal(call.headers.get('access-control-allow-origin'), 'http://localhost:6006');
  assert.match(call.headers.get('access-control-expose-headers')!, /OData-EntityId/);
  const portal = await Client.portal(emulator, 'admin@house.example');
  const pp = await portal.get('salesorders?$select=name', { Origin: 'http://localhost:6006' });
  assert.equal(pp.headers.get('access-control-allow-origin'), null);
});
