/**
 * Bad input never makes the emulator answer 500, and every error body has the shape of its API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Client, IDS, fixtureEmulator } from './emulator-fixtures.js';

const SETS = ['salesorders', 'salesorderdetails', 'accounts', 'contacts', 'products', 'invoices', 'nosuch', 'SalesOrders', '$batch', '$metadata', ''];
const KEYS = ['', `(${IDS.orderAlice1})`, `(${IDS.orderBob})`, '(abc)', "(name='x')", '()', `(salesorderid=${IDS.orderAlice1})`, `({${IDS.orderAlice1}})`];
const MEMBERS = ['', '/name', '/order_details', '/customerid_account/$ref', '/order_details/$ref', '/_customerid_value', '/$count', '/x/y/z', '/customerid', '/$value'];
const OPTIONS = [
  '$select=name', '$select=', '$select=nosuch', '$filter=name eq', "$filter=name eq 'x''", '$filter=totalamount gt 5', '$filter=((',
  '$orderby=name desc,', '$orderby=nosuch', '$top=-1', '$top=abc', '$top=2', '$count=maybe', '$count=true', '$expand=order_details($select=quantity;$top=1)',
  '$expand=nosuch', '$expand=order_details($expand=productid($select=name))', '$apply=groupby((statuscode))', '$apply=aggregate(',
  '$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22e30%22%20/%3E', '$skiptoken=x', '$deltatoken=1!01/01/2025%2000:00:00',
  '$skip=1', '$Select=name', '$search=x', '@p1=1', '%', '$filter=%ZZ',
];
const BODIES: unknown[] = [
  undefined, '', '{', 'null', '[]', '"text"', 42, {}, { name: 'x' }, { name: 7 }, { nosuch: 1 }, { totalamount: 'a lot' },
  { 'customerid_account@odata.bind': 'garbage' }, { 'customerid_account@odata.bind': `/accounts(${IDS.fabrikam})` },
  { 'customerid_account@odata.bind': 42 }, { order_details: 'not an array' }, { order_details: [1, 2] }, { order_details: [{ quantity: 'x' }] },
  { customerid_account: { name: 'deep' } }, { 'order_details@odata.bind': ['nonsense'] }, { '@odata.id': 'salesorders(1)' },
  { value: 'v' }, { value: { nested: true } }, { salesorderid: 'not-a-guid' }, { statuscode: 99 }, { msdyn_requestedreceiptdate: '2025-13-45' },
];
const HEADERS: Record<string, string>[] = [
  {}, { 'If-Match': '*' }, { 'If-Match': 'W/"1"' }, { 'If-None-Match': '*' }, { 'If-None-Match': 'W/"garbage' },
  { Prefer: 'return=representation' }, { Prefer: 'odata.maxpagesize=0' }, { Prefer: 'odata.maxpagesize=2' }, { Prefer: 'odata.track-changes' },
  { Prefer: 'odata.include-annotations="*",odata.maxpagesize=1' }, { Prefer: '"unbalanced' }, { 'Content-Type': 'multipart/mixed;boundary=x' },
];
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'];

test('no combination of bad path, options, body and headers gives a 500', async () => {
  const { emulator } = fixtureEmulator();
  const clients = [
    await Client.dataverse(emulator, 'admin@house.example'),
    await Client.dataverse(emulator, 'alice@contoso.example'),
    await Client.portal(emulator, 'alice@contoso.example'),
    await Client.portal(emulator, 'uma@contoso.example'),
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...clients),
      fc.constantFrom(...METHODS),
      fc.constantFrom(...SETS),
      fc.constantFrom(...KEYS),
      fc.constantFrom(...MEMBERS),
      fc.subarray(OPTIONS, { maxLength: 3 }),
      fc.constantFrom(...BODIES),
      fc.constantFrom(...HEADERS),
      async (client, method, set, key, member, options, body, headers) => {
        const path = `${client.base}/${set}${key}${member}${options.length ? `?${options.join('&')}` : ''}`;
        let url: URL;
        try {
          url = new URL(path);
        } catch {
          return; // not a URL a client could send
        }
        const init: RequestInit = { method, headers: client.headers(headers) };
        if (body !== undefined && method !== 'GET') init.body = typeof body === 'string' ? body : JSON.stringify(body);
        const response = await emulator.handle(new Request(url, init));
        const text = await response.text();
        assert.notEqual(response.status, 500, `${method} ${path} ${JSON.stringify(body)} ${JSON.stringify(headers)} → ${text}`);
        if (response.status >= 400 && !/multipart/.test(response.headers.get('content-type') ?? '')) {
          const error = JSON.parse(text).error;
          assert.equal(typeof error.code, 'string');
          assert.equal(typeof error.message, 'string');
          if (client.api === 'powerpages') assert.match(error.code, /^9004/, text);
        }
      },
    ),
    { numRuns: 1500, seed: 20261124 },
  );
});

test('random JSON bodies written to real columns never give a 500', async () => {
  const { emulator } = fixtureEmulator();
  const clients = [
    await Client.dataverse(emulator, 'admin@house.example'),
    await Client.portal(emulator, 'alice@contoso.example'),
  ];
  const names = [
    'name', 'totalamount', 'statuscode', 'statecode', 'msdyn_processingstatus', 'msdyn_requestedreceiptdate', 'requestdeliveryby',
    'msdyn_issalesprocessingstopped', 'salesorderid', 'ordernumber', 'createdon', 'versionnumber', '_customerid_value', 'customerid',
    'customerid_account@odata.bind', 'msdyn_contactperson@odata.bind', 'msdyn_Company@odata.bind', 'order_details', 'customerid_account',
    'order_details@odata.bind', 'name@OData.Community.Display.V1.FormattedValue', 'nosuch@odata.bind', '@odata.type',
  ];
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(`/accounts(${IDS.contoso})`, `accounts(${IDS.fabrikam})`, `/contacts(${IDS.alice})`, '$1', 'https://x/accounts(1)',
      [{ quantity: 1 }], [{ 'productid@odata.bind': `/products(${IDS.productBolt})`, quantity: 'x' }], [`/salesorderdetails(${IDS.lineBob})`],
      '2025-03-01', '2025-03-01T10:00:00+02:00', 192350001, 1.5, -2147483649),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...clients),
      fc.constantFrom('POST', 'PATCH'),
      fc.constantFrom('', `(${IDS.orderAlice1})`, `(${IDS.orderBob})`, `(${IDS.lineAlice1a})`),
      fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5 }),
      fc.constantFrom(...HEADERS.slice(0, 6)),
      async (client, method, key, body, headers) => {
        const set = key === `(${IDS.lineAlice1a})` ? 'salesorderdetails' : 'salesorders';
        const path = `${client.base}/${set}${method === 'POST' ? '' : key}`;
        const response = await client.request(method, path, body, headers);
        const text = await response.text();
        assert.notEqual(response.status, 500, `${method} ${path} ${JSON.stringify(body)} → ${text}`);
      },
    ),
    { numRuns: 1500, seed: 11 },
  );
});

test('random bytes as a $batch body never give a 500', async () => {
  const { emulator } = fixtureEmulator();
  const admin = await Client.dataverse(emulator, 'admin@house.example');
  const line = fc.constantFrom(
    '--b', '--b--', '--c', '--c--', 'Content-Type: application/http', 'Content-Type: multipart/mixed; boundary=c',
    'Content-Transfer-Encoding: binary', 'Content-ID: 1', 'Content-ID: 2', '', 'GET products?$select=name HTTP/1.1',
    'POST /api/data/v9.2/products HTTP/1.1', 'PATCH $1 HTTP/1.1', 'DELETE $2 HTTP/1.1', '{"name":"x"}', '{"name":', 'garbage: : :',
    `GET salesorders(${IDS.orderAlice1}) HTTP/1.1`, 'POST /api/data/v9.2/$batch HTTP/1.1', 'GET http://[bad HTTP/1.1',
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 30 }), fc.boolean(), async (lines, lf) => {
      const response = await admin.request('POST', `${admin.base}/$batch`, lines.join(lf ? '\n' : '\r\n'), { 'Content-Type': 'multipart/mixed; boundary=b' });
      const text = await response.text();
      assert.notEqual(response.status, 500, `${JSON.stringify(lines)} → ${text}`);
      assert.ok(!/HTTP\/1\.1 500/.test(text), `${JSON.stringify(lines)} → ${text}`);
    }),
    { numRuns: 500, seed: 7 },
  );
});
