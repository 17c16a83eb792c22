/**
 * Every table-permission rule of the Customer portal, tried from the wrong user, on both APIs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, IDS, bodyOf, fixtureEmulator, id } from './emulator-fixtures.js';
import { AccessControl } from '../../src/emulator/access.js';
import { TABLE_PERMISSIONS } from '../../src/emulator/permissions.js';

type Api = 'dataverse' | 'powerpages';
const APIS: Api[] = ['dataverse', 'powerpages'];

async function as(api: Api, email: string, fixture = fixtureEmulator()) {
  const client = api === 'dataverse' ? await Client.dataverse(fixture.emulator, email) : await Client.portal(fixture.emulator, email);
  return { ...fixture, client };
}

const ids = (body: any, key: string) => (body.value as any[]).map((r) => r[key]).sort();

const orderPayload = (account: string, contact: string) => ({
  name: 'sales order',
  msdyn_ordertype: 192350000,
  'customerid_account@odata.bind': `/accounts(${account})`,
  'msdyn_contactperson@odata.bind': `/contacts(${contact})`,
  'transactioncurrencyid@odata.bind': `/transactioncurrencies(${IDS.usd})`,
  'pricelevelid@odata.bind': `/pricelevels(${IDS.priceList})`,
  'msdyn_Company@odata.bind': `/cdm_companies(${IDS.company})`,
  shipto_country: 'USA',
  msdyn_deliveryaddressdescription: 'Main',
  msdyn_language: 192350015,
  order_details: [{
    'productid@odata.bind': `/products(${IDS.productBolt})`,
    'uomid@odata.bind': `/uoms(${IDS.uomEach})`,
    quantity: 1,
    shipto_country: 'USA',
    msdyn_deliveryaddressdescription: 'Main',
  }],
});

/** The 403 code for a missing privilege on each API. */
function assertDenied(api: Api, status: number, body: any, portalCodes: string[]): void {
  assert.equal(status, 403, JSON.stringify(body));
  if (api === 'dataverse') {
    assert.equal(body.error.code, '0x80040220');
    assert.match(body.error.message, /is missing prv\w+ privilege/);
  } else {
    assert.ok(portalCodes.includes(body.error.code), `${body.error.code} not in ${portalCodes}`);
    assert.equal(body.error.cdscode, undefined, 'a Power Pages table-permission error has no CDS code');
  }
}

for (const api of APIS) {
  test(`[${api}] authorized user: own orders only in lists, lines and invoices`, async () => {
    const { client } = await as(api, 'alice@contoso.example');
    const orders = await client.json<any>('salesorders?$select=name');
    assert.deepEqual(ids(orders.body, 'salesorderid'), [IDS.orderAlice1, IDS.orderAlice2]);
    const lines = await client.json<any>('salesorderdetails?$select=quantity');
    assert.deepEqual(ids(lines.body, 'salesorderdetailid'), [IDS.lineAlice1a, IDS.lineAlice1b]);
    const invoices = await client.json<any>('invoices?$select=name');
    assert.deepEqual(ids(invoices.body, 'invoiceid'), [IDS.invoiceAlice1]);
    const counted = await client.json<any>('salesorders?$select=name&$count=true');
    assert.equal(counted.body['@odata.count'], 2);
    const filtered = await client.json<any>(`salesorders?$select=name&$filter=_customerid_value eq ${IDS.fabrikam}`);
    assert.deepEqual(filtered.body.value, []);
  });

  test(`[${api}] authorized user: another user's order is a 404 exactly like a missing id`, async () => {
    const { client } = await as(api, 'alice@contoso.example');
    for (const other of [IDS.orderBob, IDS.orderAndy]) {
      const hidden = await client.json<any>(`salesorders(${other})?$select=name`);
      const missingId = id(31337);
      const missing = await client.json<any>(`salesorders(${missingId})?$select=name`);
      assert.equal(hidden.status, 404);
      assert.equal(missing.status, 404);
      assert.deepEqual(hidden.body, JSON.parse(JSON.stringify(missing.body).replaceAll(missingId, other)));
    }
    assert.equal((await client.get(`salesorderdetails(${IDS.lineBob})`)).status, 404);
    assert.equal((await client.get(`invoices(${IDS.invoiceBob})`)).status, 404);
    assert.equal((await client.get(`salesorders(${IDS.orderBob})/order_details`)).status, 404);
    assert.equal((await client.get(`salesorders(${IDS.orderBob})/name`)).status, 404);
  });

  test(`[${api}] authorized user: $expand never reaches rows outside scope`, async () => {
    const { client } = await as(api, 'alice@contoso.example');
    const account = await client.json<any>(`accounts(${IDS.contoso})?$select=name&$expand=order_customer_accounts($select=name),contact_customer_accounts($select=fullname)`);
    assert.equal(account.status, 200);
    assert.deepEqual(account.body.order_customer_accounts.map((o: any) => o.salesorderid).sort(), [IDS.orderAlice1, IDS.orderAlice2]);
    assert.deepEqual(account.body.contact_customer_accounts.map((c: any) => c.contactid), [IDS.alice], 'only her own contact');
    const line = await client.json<any>(`salesorderdetails(${IDS.lineAlice1a})?$select=quantity&$expand=salesorderid($select=name)`);
    assert.equal(line.body.salesorderid.name, 'Bolts for line 1');
  });

  test(`[${api}] authorized user: own account, own contact, own delivery addresses; catalogue for all`, async () => {
    const { client } = await as(api, 'alice@contoso.example');
    assert.deepEqual(ids((await client.json<any>('accounts?$select=name')).body, 'accountid'), [IDS.contoso]);
    assert.equal((await client.get(`accounts(${IDS.fabrikam})`)).status, 404);
    assert.deepEqual(ids((await client.json<any>('contacts?$select=fullname')).body, 'contactid'), [IDS.alice]);
    assert.equal((await client.get(`contacts(${IDS.andy})`)).status, 404);
    assert.deepEqual(ids((await client.json<any>('msdyn_partypostaladdresses?$select=msdyn_postaladdresspurposenames')).body, 'msdyn_partypostaladdressid'), [IDS.partyAddressContoso]);
    assert.deepEqual(ids((await client.json<any>('msdyn_postaladdresscollections?$select=msdyn_description')).body, 'msdyn_postaladdresscollectionid'), [IDS.locationContoso]);
    assert.deepEqual(ids((await client.json<any>('msdyn_postaladdresses?$select=msdyn_city')).body, 'msdyn_postaladdressid'), [IDS.addressContoso]);
    assert.deepEqual(ids((await client.json<any>('msdyn_parties?$select=msdyn_partynumber')).body, 'msdyn_partyid'), [IDS.partyContoso]);
    assert.equal((await client.json<any>('products?$select=name')).body.value.length, 2);
    assert.equal((await client.json<any>('uoms?$select=name')).body.value.length, 2);
    assert.equal((await client.json<any>('transactioncurrencies?$select=currencyname')).body.value.length, 2);
    assert.equal((await client.json<any>('pricelevels?$select=name')).body.value.length, 1);
    assert.equal((await client.json<any>('cdm_companies?$select=cdm_name')).body.value.length, 1);
  });

  test(`[${api}] authorized user: creates orders for own account only, as own contact`, async () => {
    const { client, store } = await as(api, 'alice@contoso.example');
    const before = store.count('salesorder');
    const ok = await client.request('POST', 'salesorders', orderPayload(IDS.contoso, IDS.alice));
    assert.equal(ok.status, 204, JSON.stringify(await bodyOf(ok.clone())));
    for (const [account, contact] of [[IDS.fabrikam, IDS.alice], [IDS.contoso, IDS.andy], [IDS.fabrikam, IDS.bob]]) {
      const refused = await client.request('POST', 'salesorders', orderPayload(account, contact));
      assertDenied(api, refused.status, await bodyOf(refused), ['90040103', '90040106']);
    }
    assert.equal(store.count('salesorder'), before + 1);
  });

  test(`[${api}] authorized user: no line on an order they cannot see; no update, no delete`, async () => {
    const { client, store } = await as(api, 'alice@contoso.example');
    const lines = store.count('salesorderdetail');
    const line = await client.request('POST', 'salesorderdetails', {
      'salesorderid@odata.bind': `/salesorders(${IDS.orderBob})`,
      'productid@odata.bind': `/products(${IDS.productBolt})`,
      'uomid@odata.bind': `/uoms(${IDS.uomEach})`,
      quantity: 1,
      shipto_country: 'USA',
      msdyn_deliveryaddressdescription: 'x',
    });
    assertDenied(api, line.status, await bodyOf(line), ['90040106', '90040103']);
    assert.equal(store.count('salesorderdetail'), lines);
    const own = await client.request('POST', 'salesorderdetails', {
      'salesorderid@odata.bind': `/salesorders(${IDS.orderAlice2})`,
      'productid@odata.bind': `/products(${IDS.productBolt})`,
      'uomid@odata.bind': `/uoms(${IDS.uomEach})`,
      quantity: 1,
      shipto_country: 'USA',
      msdyn_deliveryaddressdescription: 'x',
    });
    assert.equal(own.status, 204, 'a line on her own order is fine');
    const update = await client.request('PATCH', `salesorders(${IDS.orderAlice1})`, { name: 'mine' }, { 'If-Match': '*' });
    assertDenied(api, update.status, await bodyOf(update), ['90040102']);
    const del = await client.request('DELETE', `salesorders(${IDS.orderAlice1})`);
    assertDenied(api, del.status, await bodyOf(del), ['90040104']);
    const hiddenUpdate = await client.request('PATCH', `salesorders(${IDS.orderBob})`, { name: 'x' }, { 'If-Match': '*' });
    assert.equal(hiddenUpdate.status, 404, 'an invisible row looks missing');
    const hiddenDelete = await client.request('DELETE', `salesorders(${IDS.orderBob})`);
    assert.equal(hiddenDelete.status, 404);
    assert.ok(store.get('salesorder', IDS.orderBob));
  });

  test(`[${api}] customer representative: everything of own account, nothing of another`, async () => {
    const { client, store } = await as(api, 'rita@contoso.example');
    assert.deepEqual(ids((await client.json<any>('salesorders?$select=name')).body, 'salesorderid'), [IDS.orderAlice1, IDS.orderAlice2, IDS.orderAndy]);
    assert.deepEqual(ids((await client.json<any>('salesorderdetails?$select=quantity')).body, 'salesorderdetailid'), [IDS.lineAlice1a, IDS.lineAlice1b, IDS.lineAndy]);
    assert.deepEqual(ids((await client.json<any>('invoices?$select=name')).body, 'invoiceid'), [IDS.invoiceAlice1]);
    assert.deepEqual(ids((await client.json<any>('contacts?$select=fullname')).body, 'contactid'), [IDS.alice, IDS.andy, IDS.rita, IDS.uma]);
    assert.equal((await client.get(`salesorders(${IDS.orderBob})`)).status, 404);
    assert.equal((await client.get(`contacts(${IDS.bob})`)).status, 404);
    assert.equal((await client.get(`accounts(${IDS.fabrikam})`)).status, 404);
    // Who placed each order is visible to the representative.
    const placed = await client.json<any>(`salesorders(${IDS.orderAndy})?$select=name&$expand=msdyn_contactperson($select=fullname)`);
    assert.equal(placed.body.msdyn_contactperson.fullname, 'Andy Ames');
    const created = await client.request('POST', 'salesorders', orderPayload(IDS.contoso, IDS.andy));
    assert.equal(created.status, 204, 'a representative may order for any contact of the account');
    const refused = await client.request('POST', 'salesorders', orderPayload(IDS.fabrikam, IDS.bob));
    assertDenied(api, refused.status, await bodyOf(refused), ['90040103', '90040106']);
    assert.equal([...store.all('salesorder')].filter((o) => (o.customerid as any)?.id === IDS.fabrikam).length, 1);
  });

  test(`[${api}] a filter over related rows sees only the rows the caller may read`, async () => {
    // Alice (authorized user) may not read Andy's order; a lambda over her account's orders must not reveal it.
    const fixture = fixtureEmulator();
    const lambda = (contact: string) =>
      `accounts?$select=name&$filter=${encodeURIComponent(`accountid eq ${IDS.contoso} and order_customer_accounts/any(o:o/_msdyn_contactperson_value eq ${contact})`)}`;
    // Rita (representative) reads every order of the account: the filter matches for her. Asked first, so that
    // a cached answer of hers would show if the cache ignored whose permissions a filter ran under.
    const rita = (await as(api, 'rita@contoso.example', fixture)).client;
    assert.deepEqual(ids((await rita.json<any>(lambda(IDS.andy))).body, 'accountid'), [IDS.contoso]);
    const alice = (await as(api, 'alice@contoso.example', fixture)).client;
    assert.deepEqual((await alice.json<any>(lambda(IDS.andy))).body.value, [], "Andy's order is not Alice's to see");
    assert.deepEqual(ids((await alice.json<any>(lambda(IDS.alice))).body, 'accountid'), [IDS.contoso], 'her own orders count (control)');
    // all(): rows one cannot read do not count against it either; $count and $apply agree with the list.
    const all = `accounts?$select=name&$count=true&$filter=${encodeURIComponent(`order_customer_accounts/all(o:o/_msdyn_contactperson_value eq ${IDS.alice})`)}`;
    const answered = await alice.json<any>(all);
    assert.deepEqual(ids(answered.body, 'accountid'), [IDS.contoso]);
    assert.equal(answered.body['@odata.count'], 1);
  });

  test(`[${api}] unauthorized user: no table at all`, async () => {
    const { client } = await as(api, 'uma@contoso.example');
    for (const path of ['salesorders?$select=name', 'products?$select=name', 'accounts?$select=name', `salesorders(${IDS.orderAlice1})`]) {
      const response = await client.get(path);
      assertDenied(api, response.status, await bodyOf(response), ['90040120']);
    }
    const create = await client.request('POST', 'salesorders', orderPayload(IDS.contoso, IDS.uma));
    assertDenied(api, create.status, await bodyOf(create), ['90040103']);
  });

  test(`[${api}] administrator: everything`, async () => {
    const { client } = await as(api, 'admin@house.example');
    assert.equal((await client.json<any>('salesorders?$select=name')).body.value.length, 4);
    assert.equal((await client.json<any>('contacts?$select=fullname')).body.value.length, 7);
    const created = await client.request('POST', 'salesorders', orderPayload(IDS.fabrikam, IDS.bob));
    assert.equal(created.status, 204);
    assert.equal((await client.request('PATCH', `salesorders(${IDS.orderBob})`, { name: 'x' })).status, 204);
    assert.equal((await client.request('DELETE', `salesorders(${IDS.orderBob})`)).status, 204);
  });
}

test('[dataverse] authorized user: change tracking shows only own rows', async () => {
  const { client, emulator } = await as('dataverse', 'alice@contoso.example');
  const initial = await client.json<any>('salesorders?$select=name', { Prefer: 'odata.track-changes' });
  assert.deepEqual(ids(initial.body, 'salesorderid'), [IDS.orderAlice1, IDS.orderAlice2]);
  emulator.write((w) => {
    w.update('salesorder', IDS.orderBob, { name: 'bob changed' });
    w.update('salesorder', IDS.orderAndy, { name: 'andy changed' });
    w.update('salesorder', IDS.orderAlice2, { name: 'alice changed' });
    w.delete('salesorder', IDS.orderBob);
  });
  const delta = await client.json<any>(initial.body['@odata.deltaLink']);
  assert.deepEqual(delta.body.value.map((r: any) => r.salesorderid ?? r.id), [IDS.orderAlice2]);
  const lines = await client.json<any>('salesorderdetails?$select=quantity', { Prefer: 'odata.track-changes' });
  emulator.write((w) => w.delete('salesorder', IDS.orderAlice1));
  const lineDelta = await client.json<any>(lines.body['@odata.deltaLink']);
  assert.deepEqual(lineDelta.body.value.map((r: any) => r.id).sort(), [IDS.lineAlice1a, IDS.lineAlice1b],
    'lines deleted with her order are reported (their order is judged from the change log)');
});

test('unauthenticated callers get 401 in each API\'s shape', async () => {
  const { emulator } = fixtureEmulator();
  const dv = await emulator.handle(new Request('https://contoso.example/api/data/v9.2/salesorders'));
  assert.equal(dv.status, 401);
  assert.match(dv.headers.get('www-authenticate') ?? '', /^Bearer authorization_uri=/);
  const dvBody = await bodyOf(dv);
  assert.equal(typeof dvBody.error.code, 'string');
  assert.equal(typeof dvBody.error.message, 'string');
  const pp = await emulator.handle(new Request('https://contoso.example/_api/salesorders'));
  assert.equal(pp.status, 401);
  assert.deepEqual(await bodyOf(pp), { error: { code: '90040109', message: 'An Invalid session token was passed into the throwing method.' } });
});

test('the permission declarations are consistent', () => {
  // Construction validates parents and columns; duplicates or dangling parents would throw.
  const access = new AccessControl(TABLE_PERMISSIONS);
  assert.ok(access.permissions.length > 10);
  assert.throws(() => new AccessControl([{ name: 'x', table: 'salesorderdetail', access: 'parent', parent: 'nope', column: 'salesorderid', privileges: ['read'], roles: ['administrator'] }]), /unknown parent/);
  assert.throws(() => new AccessControl([{ name: 'y', table: 'salesorder', access: 'contact', privileges: ['read'], roles: ['administrator'] }]), /needs a column/);
});
