import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DV, IDS, PP, bodyOf, fixtureEmulator, id } from './emulator-fixtures.js';

const binds = (overrides: Record<string, unknown> = {}) => ({
  name: 'sales order',
  msdyn_ordertype: 192350000,
  'customerid_account@odata.bind': `/accounts(${IDS.contoso})`,
  'msdyn_contactperson@odata.bind': `/contacts(${IDS.alice})`,
  'msdyn_Company@odata.bind': `/cdm_companies(${IDS.company})`,
  'transactioncurrencyid@odata.bind': `/transactioncurrencies(${IDS.usd})`,
  'pricelevelid@odata.bind': `/pricelevels(${IDS.priceList})`,
  shipto_country: 'USA',
  msdyn_deliveryaddressdescription: 'Contoso main warehouse',
  msdyn_language: 192350015,
  ...overrides,
});

const line = (product: string, quantity: number, sequence: number) => ({
  'productid@odata.bind': `/products(${product})`,
  'uomid@odata.bind': `/uoms(${IDS.uomEach})`,
  quantity,
  sequencenumber: sequence,
  shipto_country: 'USA',
  msdyn_deliveryaddressdescription: 'Contoso main warehouse',
});

async function setup() {
  const { emulator, store, clock } = fixtureEmulator();
  return { emulator, store, clock, admin: await Client.dataverse(emulator, 'admin@house.example') };
}

test('POST creates: 204 with OData-EntityId; system columns, autonumber and defaults are filled', async () => {
  const { admin, store, clock } = await setup();
  const response = await admin.request('POST', 'salesorders', binds());
  assert.equal(response.status, 204);
  assert.equal(await response.text(), '');
  const entityId = response.headers.get('odata-entityid')!;
  const match = /^https:\/\/contoso\.example\/api\/data\/v9\.2\/salesorders\(([0-9a-f-]{36})\)$/.exec(entityId);
  assert.ok(match, entityId);
  assert.equal(response.headers.get('entityid'), null, 'entityid is a Power Pages header');
  const row = store.get('salesorder', match[1])!;
  assert.deepEqual(row.customerid, { id: IDS.contoso, table: 'account' });
  assert.deepEqual(row.msdyn_company, { id: IDS.company, table: 'cdm_company' });
  assert.equal(row.createdon, new Date(clock.time).toISOString().replace('.000', ''));
  assert.equal(row.modifiedon, row.createdon);
  assert.equal(typeof row.versionnumber, 'number');
  assert.match(String(row.ordernumber), /^ORD-\d{5}-[A-Z0-9]{6}$/);
  assert.equal(row.statecode, 0);
  assert.equal(row.statuscode, 1);
});

test('Prefer: return=representation → 201 with the row, honouring $select', async () => {
  const { admin } = await setup();
  const response = await admin.request('POST', 'salesorders?$select=name,ordernumber', binds(), { Prefer: 'return=representation' });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('preference-applied'), 'return=representation');
  const body = await bodyOf(response);
  assert.equal(body['@odata.context'], `${DV}/$metadata#salesorders(name,ordernumber)/$entity`);
  assert.deepEqual(Object.keys(body), ['@odata.context', '@odata.etag', 'name', 'ordernumber', 'salesorderid']);
  assert.equal(body.name, 'sales order');
});

test('a client-chosen id in the payload is used; a second POST with it is a duplicate', async () => {
  const { admin } = await setup();
  const chosen = id(7777);
  const first = await admin.request('POST', 'salesorders', binds({ salesorderid: chosen }));
  assert.equal(first.headers.get('odata-entityid'), `${DV}/salesorders(${chosen})`);
  const second = await admin.request('POST', 'salesorders', binds({ salesorderid: chosen }));
  assert.equal(second.status, 412);
  assert.equal((await bodyOf(second)).error.code, '0x80040237');
});

test('deep insert of an order with its lines is one atomic write', async () => {
  const { admin, store } = await setup();
  const before = store.count('salesorderdetail');
  const response = await admin.request('POST', 'salesorders', binds({
    order_details: [line(IDS.productBolt, 3, 1), line(IDS.productNut, 4, 2)],
  }), { Prefer: 'return=representation' });
  assert.equal(response.status, 201);
  const order = await bodyOf(response);
  const lines = store.findBy('salesorderdetail', 'salesorderid', order.salesorderid);
  assert.equal(lines.length, 2);
  assert.deepEqual(lines.map((l) => l.quantity).sort(), [3, 4]);
  assert.equal(store.count('salesorderdetail'), before + 2);
  // Dataverse copies each line's item number from its product (a read-only column).
  assert.deepEqual(lines.map((l) => l.productnumber).sort(), ['P-0001', 'P-0002']);
});

test('deep insert with a bad line writes nothing at all', async () => {
  const { admin, store } = await setup();
  const orders = store.count('salesorder');
  const lines = store.count('salesorderdetail');
  const version = store.version;
  const badType = await admin.request('POST', 'salesorders', binds({
    order_details: [line(IDS.productBolt, 3, 1), { ...line(IDS.productNut, 4, 2), quantity: 'four' }],
  }));
  assert.equal(badType.status, 400);
  const body = await bodyOf(badType);
  assert.equal(body.error.code, '0x80048d19');
  assert.match(body.error.message, /Error identified in Payload provided by the user for Entity :'salesorderdetails'/);
  assert.match(body.error.message, /Cannot convert the literal 'four' to the expected type 'Edm.Decimal' for the property 'quantity'/);
  const badBind = await admin.request('POST', 'salesorders', binds({
    order_details: [line(IDS.productBolt, 3, 1), line(id(4242), 1, 2)],
  }));
  assert.equal(badBind.status, 404);
  assert.equal(store.count('salesorder'), orders);
  assert.equal(store.count('salesorderdetail'), lines);
  assert.equal(store.version, version, 'not even a version number was used up');
});

test('@odata.bind accepts /set(id), set(id) and absolute URLs; names are case-sensitive', async () => {
  const { admin, store } = await setup();
  for (const reference of [`/accounts(${IDS.fabrikam})`, `accounts(${IDS.fabrikam})`, `${DV}/accounts(${IDS.fabrikam})`]) {
    const response = await admin.request('POST', 'salesorders', binds({ 'customerid_account@odata.bind': reference }), { Prefer: 'return=representation' });
    assert.equal(response.status, 201, reference);
    const created = await bodyOf(response);
    assert.deepEqual(store.get('salesorder', created.salesorderid)!.customerid, { id: IDS.fabrikam, table: 'account' });
  }
  const wrongCase = await admin.request('POST', 'salesorders', binds({ 'msdyn_company@odata.bind': `/cdm_companies(${IDS.company})` }));
  assert.equal(wrongCase.status, 400);
  const body = await bodyOf(wrongCase);
  assert.equal(body.error.code, '0x80048d19');
  assert.match(body.error.message, /An undeclared property 'msdyn_company' which only has property annotations in the payload/);
});

test('bind errors: a missing row (404), the wrong entity set (400), a malformed reference (400)', async () => {
  const { admin } = await setup();
  const missing = await admin.request('POST', 'salesorders', binds({ 'customerid_account@odata.bind': `/accounts(${id(9999)})` }));
  assert.equal(missing.status, 404);
  assert.deepEqual(await bodyOf(missing), { error: { code: '0x80040217', message: `account With Id = ${id(9999)} Does Not Exist` } });
  const wrongSet = await admin.request('POST', 'salesorders', binds({ 'customerid_account@odata.bind': `/contacts(${IDS.alice})` }));
  assert.equal(wrongSet.status, 400);
  assert.match((await bodyOf(wrongSet)).error.message, /not assignable to the expected type 'Microsoft.Dynamics.CRM.account'/);
  const malformed = await admin.request('POST', 'salesorders', binds({ 'customerid_account@odata.bind': 'accounts' }));
  assert.equal(malformed.status, 400);
  assert.equal((await bodyOf(malformed)).error.code, '0x80048d19');
});

test('type validation names the property; lookups cannot be written directly; unknown properties are refused', async () => {
  const { admin } = await setup();
  const cases: [Record<string, unknown>, RegExp, string][] = [
    [{ totalamount: '12.50' }, /expected type 'Edm.Decimal' for the property 'totalamount'/, '0x80048d19'],
    [{ name: 42 }, /expected type 'Edm.String' for the property 'name'/, '0x80048d19'],
    [{ msdyn_issalesprocessingstopped: 'yes' }, /'Edm.Boolean' for the property 'msdyn_issalesprocessingstopped'/, '0x80048d19'],
    [{ statuscode: 1.5 }, /'Edm.Int32' for the property 'statuscode'/, '0x80048d19'],
    [{ requestdeliveryby: 'next tuesday' }, /'Edm.DateTimeOffset' for the property 'requestdeliveryby'/, '0x80048d19'],
    [{ msdyn_requestedreceiptdate: '2025-02-30' }, /'Edm.Date' for the property 'msdyn_requestedreceiptdate'/, '0x80048d19'],
    [{ msdyn_processingstatus: 5 }, /The value 5 of 'msdyn_processingstatus' on record of type 'salesorder' is outside the valid range/, '0x80044331'],
    [{ _customerid_value: IDS.contoso }, /CRM do not support direct update of Entity Reference properties/, '0x80048d19'],
    [{ customerid: IDS.contoso }, /The property 'customerid' does not exist on type 'Microsoft.Dynamics.CRM.salesorder'/, '0x80048d19'],
    [{ nosuchcolumn: 1 }, /The property 'nosuchcolumn' does not exist/, '0x80048d19'],
  ];
  for (const [extra, message, code] of cases) {
    const response = await admin.request('POST', 'salesorders', binds(extra));
    const body = await bodyOf(response);
    assert.equal(response.status, 400, JSON.stringify(extra));
    assert.equal(body.error.code, code, JSON.stringify(extra));
    assert.match(body.error.message, message);
  }
  const json = await admin.request('POST', 'salesorders', '{"name": ');
  assert.equal(json.status, 400);
  assert.equal((await bodyOf(json)).error.code, '0x80048d19');
});

test('dates are stored in UTC; read-only columns in a payload are ignored', async () => {
  const { admin, store } = await setup();
  const response = await admin.request('POST', 'salesorders', binds({
    requestdeliveryby: '2025-03-04T10:00:00+02:00',
    msdyn_requestedreceiptdate: '2025-03-06',
    createdon: '1999-01-01T00:00:00Z',
    versionnumber: 5,
  }), { Prefer: 'return=representation' });
  const body = await bodyOf(response);
  const row = store.get('salesorder', body.salesorderid)!;
  assert.equal(row.requestdeliveryby, '2025-03-04T08:00:00Z');
  assert.equal(row.msdyn_requestedreceiptdate, '2025-03-06');
  assert.notEqual(row.createdon, '1999-01-01T00:00:00Z');
  assert.notEqual(row.versionnumber, 5);
});

test('PATCH is an upsert: creates when missing, updates when present (204 both)', async () => {
  const { admin, store, clock } = await setup();
  const newId = id(5555);
  const created = await admin.request('PATCH', `salesorders(${newId})`, binds());
  assert.equal(created.status, 204);
  assert.equal(created.headers.get('odata-entityid'), `${DV}/salesorders(${newId})`);
  assert.ok(store.get('salesorder', newId));
  clock.advance(60_000);
  const before = store.get('salesorder', newId)!;
  const updated = await admin.request('PATCH', `salesorders(${newId})`, { name: 'renamed' });
  assert.equal(updated.status, 204);
  const after = store.get('salesorder', newId)!;
  assert.equal(after.name, 'renamed');
  assert.ok(Number(after.versionnumber) > Number(before.versionnumber));
  assert.notEqual(after.modifiedon, before.modifiedon);
  assert.equal(after.createdon, before.createdon);
  const representation = await admin.request('PATCH', `salesorders(${newId})?$select=name`, { name: 'again' }, { Prefer: 'return=representation' });
  assert.equal(representation.status, 200);
  assert.equal((await bodyOf(representation)).name, 'again');
});

test('If-None-Match: * creates only: 412 "A record with matching key values already exists."', async () => {
  const { admin, store } = await setup();
  const newId = id(6666);
  const first = await admin.request('PATCH', `salesorders(${newId})`, binds(), { 'If-None-Match': '*' });
  assert.equal(first.status, 204);
  // A retry after a lost response: 412, and the row is there once.
  const retry = await admin.request('PATCH', `salesorders(${newId})`, binds(), { 'If-None-Match': '*' });
  assert.equal(retry.status, 412);
  assert.deepEqual(await bodyOf(retry), { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } });
  assert.equal([...store.all('salesorder')].filter((r) => r.salesorderid === newId).length, 1);
});

test('If-Match: * updates only (404 when missing); If-Match: W/"etag" → 412 on mismatch', async () => {
  const { admin } = await setup();
  const missing = await admin.request('PATCH', `salesorders(${id(8888)})`, { name: 'x' }, { 'If-Match': '*' });
  assert.equal(missing.status, 404);
  assert.deepEqual(await bodyOf(missing), { error: { code: '0x80040217', message: `salesorder With Id = ${id(8888)} Does Not Exist` } });
  const current = await admin.json<any>(`salesorders(${IDS.orderAlice1})?$select=name`);
  const etag = current.body['@odata.etag'];
  const ok = await admin.request('PATCH', `salesorders(${IDS.orderAlice1})`, { name: 'v2' }, { 'If-Match': etag });
  assert.equal(ok.status, 204);
  const stale = await admin.request('PATCH', `salesorders(${IDS.orderAlice1})`, { name: 'v3' }, { 'If-Match': etag });
  assert.equal(stale.status, 412);
  assert.deepEqual(await bodyOf(stale), {
    error: { code: '0x80060882', message: "The version of the existing record doesn't match the RowVersion property provided." },
  });
  const star = await admin.request('PATCH', `salesorders(${IDS.orderAlice1})`, { name: 'v4' }, { 'If-Match': '*' });
  assert.equal(star.status, 204);
});

test('DELETE → 204, then 404; If-Match etag is checked; lines of a deleted order go with it', async () => {
  const { admin, store } = await setup();
  const stale = await admin.request('DELETE', `salesorders(${IDS.orderAlice1})`, undefined, { 'If-Match': 'W/"1"' });
  assert.equal(stale.status, 412);
  const gone = await admin.request('DELETE', `salesorders(${IDS.orderAlice1})`);
  assert.equal(gone.status, 204);
  assert.equal(store.get('salesorder', IDS.orderAlice1), undefined);
  assert.equal(store.findBy('salesorderdetail', 'salesorderid', IDS.orderAlice1).length, 0);
  assert.equal(store.get('invoice', IDS.invoiceAlice1)?.salesorderid, null, 'invoices keep existing, unlinked');
  const again = await admin.request('DELETE', `salesorders(${IDS.orderAlice1})`);
  assert.equal(again.status, 404);
});

test('single-property PUT/DELETE and $ref routes', async () => {
  const { admin, store } = await setup();
  const put = await admin.request('PUT', `salesorders(${IDS.orderAlice1})/name`, { value: 'Renamed' });
  assert.equal(put.status, 204);
  assert.equal(store.get('salesorder', IDS.orderAlice1)?.name, 'Renamed');
  const clear = await admin.request('DELETE', `salesorders(${IDS.orderAlice1})/name`);
  assert.equal(clear.status, 204);
  assert.equal(store.get('salesorder', IDS.orderAlice1)?.name, null);
  const ref = await admin.request('PUT', `salesorders(${IDS.orderAlice1})/customerid_account/$ref`, { '@odata.id': `${DV}/accounts(${IDS.fabrikam})` });
  assert.equal(ref.status, 204);
  assert.deepEqual(store.get('salesorder', IDS.orderAlice1)?.customerid, { id: IDS.fabrikam, table: 'account' });
  const unref = await admin.request('DELETE', `salesorders(${IDS.orderAlice1})/customerid_account/$ref`);
  assert.equal(unref.status, 204);
  assert.equal(store.get('salesorder', IDS.orderAlice1)?.customerid, null);
  const add = await admin.request('POST', `salesorders(${IDS.orderAlice2})/order_details/$ref`, { '@odata.id': `salesorderdetails(${IDS.lineAndy})` });
  assert.equal(add.status, 204);
  assert.deepEqual(store.get('salesorderdetail', IDS.lineAndy)?.salesorderid, { id: IDS.orderAlice2, table: 'salesorder' });
  const remove = await admin.request('DELETE', `salesorders(${IDS.orderAlice2})/order_details/$ref?$id=${DV}/salesorderdetails(${IDS.lineAndy})`);
  assert.equal(remove.status, 204);
  assert.equal(store.get('salesorderdetail', IDS.lineAndy)?.salesorderid, null);
});

test('wrong methods are 405', async () => {
  const { admin } = await setup();
  assert.equal((await admin.request('PATCH', 'salesorders', {})).status, 405);
  assert.equal((await admin.request('POST', `salesorders(${IDS.orderAlice1})`, {})).status, 405);
});

test('Power Pages create: 204 with OData-EntityId and entityid headers', async () => {
  const { emulator, store } = fixtureEmulator();
  const alice = await Client.portal(emulator, 'alice@contoso.example');
  const response = await alice.request('POST', 'salesorders', binds({ order_details: [line(IDS.productBolt, 2, 1)] }));
  assert.equal(response.status, 204, JSON.stringify(await bodyOf(response.clone())));
  const entityId = response.headers.get('entityid')!;
  assert.equal(response.headers.get('odata-entityid'), `${PP}/salesorders(${entityId})`);
  assert.equal(store.findBy('salesorderdetail', 'salesorderid', entityId).length, 1);
});
