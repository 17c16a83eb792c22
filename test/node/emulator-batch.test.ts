import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DV, IDS, bodyOf, fixtureEmulator } from './emulator-fixtures.js';

interface Part {
  contentId?: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Set for a change set response: its parts. */
  changeset?: Part[];
}

/** Parses a multipart/mixed batch response (CRLF), independently of the emulator's own code. */
function parseBatchResponse(body: string, contentType: string): Part[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)![1];
  const chunks = body.split(`--${boundary}`).slice(1, -1);
  return chunks.map((chunk) => {
    const text = chunk.replace(/^\r\n/, '');
    const [partHeaderText, ...rest] = text.split('\r\n\r\n');
    const partHeaders = Object.fromEntries(partHeaderText.split('\r\n').map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
    }));
    if (partHeaders['content-type'].startsWith('multipart/mixed')) {
      return { status: 0, headers: partHeaders, body: '', changeset: parseBatchResponse(rest.join('\r\n\r\n'), partHeaders['content-type']) };
    }
    const [httpHead, ...bodyParts] = rest.join('\r\n\r\n').split('\r\n\r\n');
    const [statusLine, ...headerLines] = httpHead.split('\r\n');
    const headers = Object.fromEntries(headerLines.map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
    }));
    return {
      contentId: partHeaders['content-id'],
      status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)![1]),
      headers,
      body: bodyParts.join('\r\n\r\n').replace(/\r\n$/, ''),
    };
  });
}

function crlf(lines: string[]): string {
  return lines.join('\r\n');
}

const orderJson = (name: string, account = IDS.contoso) => JSON.stringify({
  name,
  'customerid_account@odata.bind': `/accounts(${account})`,
  'msdyn_contactperson@odata.bind': `/contacts(${IDS.alice})`,
  'transactioncurrencyid@odata.bind': `/transactioncurrencies(${IDS.usd})`,
  'pricelevelid@odata.bind': `/pricelevels(${IDS.priceList})`,
  'msdyn_Company@odata.bind': `/cdm_companies(${IDS.company})`,
  msdyn_ordertype: 192350000,
});

async function send(client: Client, body: string, boundary: string, headers: Record<string, string> = {}) {
  const response = await client.request('POST', `${DV}/$batch`, body, { 'Content-Type': `multipart/mixed; boundary="${boundary}"`, ...headers });
  const text = await response.text();
  return { response, parts: response.headers.get('content-type')?.startsWith('multipart') ? parseBatchResponse(text, response.headers.get('content-type')!) : [], text };
}

test('a batch of independent requests: each answered in order, in Dataverse\'s format', async () => {
  const { emulator, store } = fixtureEmulator();
  const admin = await Client.dataverse(emulator, 'admin@house.example');
  const body = crlf([
    '--batch_A',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    'POST /api/data/v9.2/salesorders HTTP/1.1',
    'Content-Type: application/json; type=entry',
    '',
    orderJson('Batch order 1'),
    '--batch_A',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `GET ${DV}/salesorders?$select=name&$filter=startswith(name,'Batch') HTTP/1.1`,
    '',
    '',
    '--batch_A',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `GET salesorders(${IDS.orderAlice1})?$select=name HTTP/1.1`,
    '',
    '',
    '--batch_A--',
    '',
  ]);
  const { response, parts } = await send(admin, body, 'batch_A');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /^multipart\/mixed; boundary=batchresponse_[0-9a-f-]{36}$/);
  assert.equal(parts.length, 3);
  assert.equal(parts[0].status, 204);
  assert.match(parts[0].headers['odata-entityid'], /^https:\/\/contoso\.example\/api\/data\/v9\.2\/salesorders\([0-9a-f-]{36}\)$/);
  assert.equal(parts[1].status, 200);
  assert.deepEqual(JSON.parse(parts[1].body).value.map((r: any) => r.name), ['Batch order 1']);
  assert.equal(JSON.parse(parts[2].body).name, 'Bolts for line 1');
  assert.equal([...store.all('salesorder')].length, 5);
});

test('a change set commits together; Content-ID references work in bodies and URLs', async () => {
  const { emulator, store } = fixtureEmulator();
  const admin = await Client.dataverse(emulator, 'admin@house.example');
  const body = crlf([
    '--batch_B',
    'Content-Type: multipart/mixed; boundary=changeset_C',
    '',
    '--changeset_C',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 1',
    '',
    'POST /api/data/v9.2/salesorders HTTP/1.1',
    'Content-Type: application/json; type=entry',
    '',
    orderJson('Header from change set'),
    '--changeset_C',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 2',
    '',
    'POST /api/data/v9.2/salesorderdetails HTTP/1.1',
    'Content-Type: application/json; type=entry',
    '',
    JSON.stringify({ 'salesorderid@odata.bind': '$1', 'productid@odata.bind': `/products(${IDS.productBolt})`, 'uomid@odata.bind': `/uoms(${IDS.uomEach})`, quantity: 4 }),
    '--changeset_C',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 3',
    '',
    'PATCH $1 HTTP/1.1',
    'Content-Type: application/json; type=entry',
    '',
    JSON.stringify({ name: 'Renamed through $1' }),
    '--changeset_C--',
    '',
    '--batch_B--',
  ]);
  const { response, parts } = await send(admin, body, 'batch_B');
  assert.equal(response.status, 200);
  assert.equal(parts.length, 1);
  const changeset = parts[0].changeset!;
  assert.deepEqual(changeset.map((p) => [p.contentId, p.status]), [['1', 204], ['2', 204], ['3', 204]]);
  const orderId = /\(([^)]+)\)$/.exec(changeset[0].headers['odata-entityid'])![1];
  assert.equal(store.get('salesorder', orderId)?.name, 'Renamed through $1');
  assert.equal(store.findBy('salesorderdetail', 'salesorderid', orderId).length, 1);
});

test('a failing request rolls its whole change set back and stops the batch (status of the failure)', async () => {
  const { emulator, store } = fixtureEmulator();
  const admin = await Client.dataverse(emulator, 'admin@house.example');
  const orders = store.count('salesorder');
  const version = store.version;
  const changeset = (name: string, second: string) => [
    '--batch_D',
    `Content-Type: multipart/mixed; boundary=${name}`,
    '',
    `--${name}`,
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 1',
    '',
    'POST /api/data/v9.2/salesorders HTTP/1.1',
    'Content-Type: application/json',
    '',
    orderJson(`${name} first`),
    `--${name}`,
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    'Content-ID: 2',
    '',
    'POST /api/data/v9.2/salesorders HTTP/1.1',
    'Content-Type: application/json',
    '',
    second,
    `--${name}--`,
  ];
  const body = crlf([
    ...changeset('changeset_bad', JSON.stringify({ name: 'bad', totalamount: 'lots' })),
    ...changeset('changeset_good', orderJson('never reached')),
    '--batch_D--',
  ]);
  const { response, parts } = await send(admin, body, 'batch_D');
  assert.equal(response.status, 400);
  assert.equal(parts.length, 1, 'only the failing response, and nothing after it');
  assert.equal(parts[0].status, 400);
  assert.equal(parts[0].changeset, undefined);
  assert.equal(JSON.parse(parts[0].body).error.code, '0x80048d19');
  assert.equal(store.count('salesorder'), orders);
  assert.equal(store.version, version);

  const { response: continued, parts: all } = await send(admin, body, 'batch_D', { Prefer: 'odata.continue-on-error' });
  assert.equal(continued.status, 200);
  assert.equal(all.length, 2);
  assert.equal(all[0].status, 400);
  assert.deepEqual(all[1].changeset!.map((p) => p.status), [204, 204]);
  assert.equal(store.count('salesorder'), orders + 2);
});

test('bare LF line endings are accepted', async () => {
  const { emulator } = fixtureEmulator();
  const admin = await Client.dataverse(emulator, 'admin@house.example');
  const body = [
    '--batch_L',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `GET salesorders(${IDS.orderBob})?$select=name HTTP/1.1`,
    '',
    '',
    '--batch_L--',
  ].join('\n');
  const { response, parts } = await send(admin, body, 'batch_L');
  assert.equal(response.status, 200);
  assert.equal(JSON.parse(parts[0].body).name, 'Fabrikam order');
});

test('batch requests run as the caller: table permissions apply inside', async () => {
  const { emulator } = fixtureEmulator();
  const alice = await Client.dataverse(emulator, 'alice@contoso.example');
  const body = crlf([
    '--batch_P',
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    '',
    `GET salesorders(${IDS.orderBob})?$select=name HTTP/1.1`,
    '',
    '',
    '--batch_P--',
  ]);
  const { response, parts } = await send(alice, body, 'batch_P');
  assert.equal(response.status, 404);
  assert.equal(parts[0].status, 404);
  assert.equal(JSON.parse(parts[0].body).error.code, '0x80040217');
});

test('malformed batches are 400: no boundary, GET in a change set, unknown Content-ID, too many requests', async () => {
  const { emulator } = fixtureEmulator();
  const admin = await Client.dataverse(emulator, 'admin@house.example');
  const noBoundary = await admin.request('POST', `${DV}/$batch`, 'x', { 'Content-Type': 'application/json' });
  assert.equal(noBoundary.status, 400);
  assert.equal((await bodyOf(noBoundary)).error.code, '0x80060888');
  const unterminated = await send(admin, '--b\r\nContent-Type: application/http\r\n\r\nGET products HTTP/1.1\r\n\r\n', 'b');
  assert.equal(unterminated.response.status, 400);

  const getInChangeset = crlf([
    '--b', 'Content-Type: multipart/mixed; boundary=c', '',
    '--c', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', 'GET products HTTP/1.1', '', '',
    '--c--', '--b--',
  ]);
  const get = await send(admin, getInChangeset, 'b');
  assert.equal(get.response.status, 400);
  assert.match(JSON.parse(get.text).error.message, /change set cannot contain GET/);

  const unknownRef = crlf([
    '--b', 'Content-Type: multipart/mixed; boundary=c', '',
    '--c', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', 'Content-ID: 1', '',
    'PATCH $7 HTTP/1.1', 'Content-Type: application/json', '', '{"name":"x"}',
    '--c--', '--b--',
  ]);
  const ref = await send(admin, unknownRef, 'b');
  assert.equal(ref.response.status, 400);
  assert.equal(JSON.parse(ref.parts[0].body).error.message, "Content-ID Reference: '$7' does not exist in the batch context.");

  const part = ['--b', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', 'GET uoms?$select=name HTTP/1.1', '', ''];
  const many = crlf([...Array.from({ length: 1001 }, () => part).flat(), '--b--']);
  const tooMany = await send(admin, many, 'b');
  assert.equal(tooMany.response.status, 400);
  assert.match(JSON.parse(tooMany.text).error.message, /more than 1000 requests/);
  const thousand = crlf([...Array.from({ length: 1000 }, () => part).flat(), '--b--']);
  const ok = await send(admin, thousand, 'b');
  assert.equal(ok.response.status, 200);
  assert.equal(ok.parts.length, 1000);
});
