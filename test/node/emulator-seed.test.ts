/**
 * The emulator over the real seed (generated once for this file): every user's view matches the Customer portal's
 * rules computed independently from the raw seed rows, and the main flows work at that size.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tables } from '../../src/tables/index.js';
import { Emulator } from '../../src/emulator/emulator.js';
import { lookupIndexes } from '../../src/emulator/indexes.js';
import { generateSeed } from '../../src/emulator/seed/index.js';
import { MemoryStore } from '../../src/emulator/store/memory.js';
import { isLookupValue, type SeedData, type SeedUser, type StoredRow } from '../../src/emulator/types.js';
import { Client } from './emulator-fixtures.js';

let seed: SeedData;
let emulator: Emulator;
let store: MemoryStore;

before(() => {
  seed = generateSeed();
  store = new MemoryStore({ indexes: lookupIndexes(tables) });
  store.load(seed.tables);
  emulator = new Emulator({ store, tables, users: seed.users, now: () => new Date('2026-11-24T12:00:00Z') });
});

const refId = (value: unknown) => (isLookupValue(value) ? value.id : undefined);

function usersWith(role: SeedUser['webRoles'][number]): SeedUser[] {
  return seed.users.filter((u) => u.webRoles.includes(role));
}

/** Reads every page of a collection (maxpagesize 5000). */
async function readAll(client: Client, path: string): Promise<any[]> {
  const rows: any[] = [];
  let url = path;
  for (;;) {
    const { status, body } = await client.json<any>(url, { Prefer: 'odata.maxpagesize=5000' });
    assert.equal(status, 200, JSON.stringify(body).slice(0, 300));
    rows.push(...body.value);
    if (!body['@odata.nextLink']) return rows;
    url = body['@odata.nextLink'];
  }
}

test('the seed loads, and every seeded user can sign in on both APIs', async () => {
  assert.ok(store.count('salesorder') >= 1000, 'a sizeable seed');
  for (const user of seed.users) {
    const dv = await Client.dataverse(emulator, user.email);
    assert.ok(dv.token, user.email);
    const pp = await Client.portal(emulator, user.email);
    assert.ok(pp.antiForgery, user.email);
  }
});

test('authorized users see exactly the orders they placed', async () => {
  for (const user of usersWith('authorized-user').slice(0, 6)) {
    const expected = seed.tables.salesorder
      .filter((o) => refId(o.msdyn_contactperson) === user.contactId)
      .map((o) => o.salesorderid)
      .sort();
    const client = await Client.portal(emulator, user.email);
    const seen = (await readAll(client, 'salesorders?$select=name')).map((o) => o.salesorderid).sort();
    assert.deepEqual(seen, expected, user.email);
  }
});

test('customer representatives see every order of their account and nothing else', async () => {
  for (const user of usersWith('customer-representative').slice(0, 4)) {
    const expected = seed.tables.salesorder.filter((o) => refId(o.customerid) === user.accountId).length;
    const client = await Client.dataverse(emulator, user.email);
    const rows = await readAll(client, 'salesorders?$select=_customerid_value');
    assert.equal(rows.length, expected, user.email);
    assert.ok(rows.every((o) => o._customerid_value === user.accountId));
  }
});

test('an order of another account is a 404 for its neighbours, with or without $expand', async () => {
  const alice = usersWith('authorized-user')[0];
  const foreign = seed.tables.salesorder.find((o) => refId(o.customerid) !== alice.accountId)!;
  const client = await Client.portal(emulator, alice.email);
  assert.equal((await client.get(`salesorders(${foreign.salesorderid})?$select=name`)).status, 404);
  const line = seed.tables.salesorderdetail.find((l) => refId(l.salesorderid) === foreign.salesorderid)!;
  assert.equal((await client.get(`salesorderdetails(${line.salesorderdetailid})`)).status, 404);
  const account = await client.json<any>(`accounts(${alice.accountId})?$select=name&$expand=order_customer_accounts($select=_msdyn_contactperson_value)`);
  assert.ok(account.body.order_customer_accounts.every((o: any) => o._msdyn_contactperson_value === alice.contactId));
});

test('unauthorized users are refused; the administrator counts everything (capped at 5,000)', async () => {
  const nobody = usersWith('unauthorized-user')[0];
  const refused = await (await Client.portal(emulator, nobody.email)).get('salesorders?$select=name');
  assert.equal(refused.status, 403);
  const admin = await Client.dataverse(emulator, usersWith('administrator')[0].email);
  const { body } = await admin.json<any>('salesorders?$select=name&$count=true', { Prefer: 'odata.maxpagesize=50' });
  assert.equal(body.value.length, 50);
  assert.equal(body['@odata.count'], Math.min(5000, seed.tables.salesorder.length));
  assert.equal(body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'], seed.tables.salesorder.length > 5000 ? true : undefined);
});

test('an order list page with lines expanded and annotations, as the order list element asks for it', async () => {
  const rep = usersWith('customer-representative')[0];
  const client = await Client.portal(emulator, rep.email);
  const started = performance.now();
  const { status, body } = await client.json<any>(
    'salesorders?$select=name,ordernumber,totalamount,msdyn_processingstatus,createdon,_msdyn_contactperson_value&$orderby=createdon desc&$expand=order_details($select=quantity,extendedamount)&$count=true',
    { Prefer: 'odata.maxpagesize=25,odata.include-annotations="*"' },
  );
  const elapsed = performance.now() - started;
  assert.equal(status, 200);
  assert.equal(body.value.length, 25);
  const first = body.value[0];
  assert.ok(first['msdyn_processingstatus@OData.Community.Display.V1.FormattedValue']);
  assert.match(first['totalamount@OData.Community.Display.V1.FormattedValue'], /^\$[\d,]+\.\d{2}$/);
  assert.ok(Array.isArray(first.order_details));
  const dates = body.value.map((o: any) => o.createdon);
  assert.deepEqual(dates, [...dates].sort().reverse());
  assert.ok(elapsed < 3000, `took ${elapsed} ms`);
});

test('an authorized user submits an order built from seed rows; it shows in her list and her delta', async () => {
  const user = usersWith('authorized-user')[0];
  const contact = store.get('contact', user.contactId)!;
  const company = refId(contact.msdyn_company) ?? refId(seed.tables.cdm_company[0].cdm_companyid);
  const product: StoredRow = seed.tables.product[0];
  const client = await Client.portal(emulator, user.email);
  const initial = await client.json<any>('salesorders?$select=name', { Prefer: 'odata.track-changes' });
  const response = await client.request('POST', 'salesorders', {
    name: 'sales order',
    msdyn_ordertype: 192350000,
    'customerid_account@odata.bind': `/accounts(${user.accountId})`,
    'msdyn_contactperson@odata.bind': `/contacts(${user.contactId})`,
    'msdyn_Company@odata.bind': `/cdm_companies(${company ?? seed.tables.cdm_company[0].cdm_companyid})`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${refId(contact.transactioncurrencyid) ?? seed.tables.transactioncurrency[0].transactioncurrencyid})`,
    'pricelevelid@odata.bind': `/pricelevels(${refId(contact.defaultpricelevelid) ?? seed.tables.pricelevel[0].pricelevelid})`,
    shipto_country: 'USA',
    msdyn_deliveryaddressdescription: 'Main',
    order_details: [{
      'productid@odata.bind': `/products(${product.productid})`,
      'uomid@odata.bind': `/uoms(${refId(product.defaultuomid)})`,
      quantity: 3,
      sequencenumber: 1,
    }],
  }, { Prefer: 'return=representation' });
  assert.equal(response.status, 201, await response.clone().text());
  const created = await response.json();
  assert.match(created.ordernumber, /^ORD-\d{5}-[A-Z0-9]{6}$/);
  assert.ok(!seed.tables.salesorder.some((o) => o.ordernumber === created.ordernumber), 'the autonumber does not repeat a seeded one');
  const delta = await client.json<any>(initial.body['@odata.deltaLink']);
  assert.deepEqual(delta.body.value.map((o: any) => o.salesorderid), [created.salesorderid]);
});
