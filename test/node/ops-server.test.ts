// The emulator over real HTTP: start on a free port, page through orders with Prefer: odata.maxpagesize as a
// client would (bearer token), use the Power Pages API with a session cookie and anti-forgery token, stop, and
// leave no server, socket or timer behind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulatorServer } from '../../src/emulator/node.js';
import { SMALL_SEED } from './ops-support.js';

/** Handles that would keep the process alive (node:test's own are in the baseline). */
function liveHandles(): string[] {
  return process.getActiveResourcesInfo().filter((name) => name !== 'FSReqCallback').sort();
}

describe('emulator server', () => {
  it('serves a page of orders over HTTP and stops without leaving a handle open', async () => {
    const baseline = liveHandles();
    const server = await startEmulatorServer({ port: 0, persist: false, scmClock: 'demo', seed: SMALL_SEED });
    assert.ok(server.port > 0);
    try {
      const users = (await (await fetch(`${server.url}/emulator/users`)).json()).value as { email: string; webRoles: string[]; accountNumber: string }[];
      // The representative of the large account (US-010): more orders than one page.
      const rep = users.find((u) => u.webRoles.includes('customer-representative') && u.accountNumber === 'US-010')!;
      const { access_token: token } = await (await fetch(`${server.url}/emulator/token`, {
        method: 'POST',
        body: JSON.stringify({ user: rep.email }),
      })).json();
      const headers = {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'OData-Version': '4.0',
        'OData-MaxVersion': '4.0',
        Prefer: 'odata.maxpagesize=50',
      };
      const first = await fetch(`${server.url}/api/data/v9.2/salesorders?$select=name,totalamount,createdon&$orderby=createdon desc`, { headers });
      assert.equal(first.status, 200);
      assert.match(first.headers.get('preference-applied') ?? '', /odata\.maxpagesize=50/);
      const page = await first.json();
      assert.equal(page.value.length, 50);
      assert.ok(page['@odata.nextLink'], 'more than one page');
      const second = await fetch(page['@odata.nextLink'], { headers });
      assert.equal(second.status, 200);
      const next = await second.json();
      assert.ok(next.value.length > 0);
      assert.ok(next.value[0].createdon <= page.value[49].createdon, 'the next page continues the order');

      // Power Pages: sign in (cookie), get the anti-forgery token, call /_api.
      const signin = await fetch(`${server.url}/emulator/signin`, { method: 'POST', body: JSON.stringify({ user: rep.email }) });
      const cookie = signin.headers.getSetCookie()[0].split(';')[0];
      const html = await (await fetch(`${server.url}/_layout/tokenhtml`, { headers: { cookie } })).text();
      const antiForgery = /value="([^"]+)"/.exec(html)![1];
      const portal = await fetch(`${server.url}/_api/salesorders?$select=name&$top=3`, {
        headers: { cookie, __RequestVerificationToken: antiForgery, Accept: 'application/json' },
      });
      assert.equal(portal.status, 200);
      assert.equal((await portal.json()).value.length, 3);

      const other = await fetch(`${server.url}/somewhere-else`);
      assert.equal(other.status, 404);
      await other.arrayBuffer();
    } finally {
      await server.close();
    }
    // The demo clock's timer, the listening socket and the keep-alive connections are all gone (sockets finish
    // closing on the next turns of the event loop).
    for (let i = 0; i < 50 && liveHandles().join() !== baseline.join(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(liveHandles(), baseline);
  });
});
