import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DV, IDS, ORIGIN, PP, bodyOf, fixtureEmulator, id } from './emulator-fixtures.js';

async function admin() {
  const { emulator, store, clock } = fixtureEmulator();
  return { emulator, store, clock, client: await Client.dataverse(emulator, 'admin@house.example') };
}

test('GET /api/data/v9.2/ is the service document listing every entity set', async () => {
  const { client } = await admin();
  const { status, body } = await client.json<{ '@odata.context': string; value: { name: string; kind: string; url: string }[] }>(`${DV}/`);
  assert.equal(status, 200);
  assert.equal(body['@odata.context'], `${DV}/$metadata`);
  const names = body.value.map((v) => v.name);
  for (const set of ['salesorders', 'salesorderdetails', 'accounts', 'contacts', 'products', 'uoms', 'transactioncurrencies', 'pricelevels', 'productpricelevels', 'invoices', 'cdm_companies', 'msdyn_partypostaladdresses']) {
    assert.ok(names.includes(set), set);
  }
  assert.deepEqual(body.value.find((v) => v.name === 'salesorders'), { name: 'salesorders', kind: 'EntitySet', url: 'salesorders' });
});

test('$metadata is CSDL generated from the table declarations', async () => {
  const { client } = await admin();
  const response = await client.get(`${DV}/$metadata`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /application\/xml/);
  const xml = await response.text();
  assert.match(xml, /<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm"/);
  assert.match(xml, /<EntityType Name="salesorder" BaseType="mscrm.crmbaseentity">\s*<Key><PropertyRef Name="salesorderid" \/><\/Key>/);
  assert.match(xml, /<Property Name="totalamount" Type="Edm.Decimal" Scale="2" \/>/);
  assert.match(xml, /<Property Name="_customerid_value" Type="Edm.Guid" \/>/);
  assert.match(xml, /<Property Name="msdyn_requestedreceiptdate" Type="Edm.Date" \/>/);
  assert.match(xml, /<Property Name="createdon" Type="Edm.DateTimeOffset" \/>/);
  assert.match(xml, /<NavigationProperty Name="customerid_account" Type="mscrm.account" Partner="order_customer_accounts">/);
  assert.match(xml, /<NavigationProperty Name="msdyn_Company" Type="mscrm.cdm_company"/);
  assert.match(xml, /<NavigationProperty Name="order_details" Type="Collection\(mscrm.salesorderdetail\)" Partner="salesorderid" \/>/);
  assert.match(xml, /<EntitySet Name="salesorders" EntityType="Microsoft.Dynamics.CRM.salesorder">/);
  assert.match(xml, /<NavigationPropertyBinding Path="order_details" Target="salesorderdetails" \/>/);
  // Power Pages has no $metadata.
  const portal = await Client.portal(client.emulator, 'admin@house.example');
  const pp = await portal.get(`${PP}/$metadata`);
  assert.equal(pp.status, 404);
  assert.equal((await bodyOf(pp)).error.code, '9004010C');
});

test('a collection read: @odata.context, @odata.etag, $select, primary key always, money brings the currency', async () => {
  const { client } = await admin();
  const { status, body, response } = await client.json<any>('salesorders?$select=name,totalamount&$filter=totalamount gt 100&$orderby=totalamount desc');
  assert.equal(status, 200);
  assert.equal(response.headers.get('odata-version'), '4.0');
  assert.equal(body['@odata.context'], `${DV}/$metadata#salesorders(name,totalamount)`);
  assert.deepEqual(body.value.map((r: any) => r.name), ['Bolts for line 1', 'Fabrikam order', 'Andy order']);
  const first = body.value[0];
  assert.match(first['@odata.etag'], /^W\/"\d+"$/);
  assert.deepEqual(Object.keys(first), ['@odata.etag', 'name', 'totalamount', 'salesorderid', '_transactioncurrencyid_value']);
  assert.equal(first._transactioncurrencyid_value, IDS.usd);
  assert.equal(first['totalamount@OData.Community.Display.V1.FormattedValue'], undefined, 'no annotations unless asked');
});

test('without $select every declared column is returned; lookups read as _x_value', async () => {
  const { client } = await admin();
  const { body } = await client.json<any>(`salesorders(${IDS.orderAlice1})`);
  assert.equal(body['@odata.context'], `${DV}/$metadata#salesorders/$entity`);
  assert.equal(body._customerid_value, IDS.contoso);
  assert.equal(body._msdyn_contactperson_value, IDS.alice);
  assert.equal(body.customerid, undefined);
  assert.equal(body.msdyn_requestedreceiptdate, null, 'unset columns read as null');
  assert.equal(typeof body.versionnumber, 'number');
});

test('annotations: formatted values for choices, money, dates, booleans, numbers and lookups', async () => {
  const { client, emulator } = await admin();
  emulator.write((w) => w.update('salesorder', IDS.orderAlice1, { msdyn_issalesprocessingstopped: true, msdyn_requestedreceiptdate: '2025-03-05' }));
  const { body } = await client.json<any>(
    `salesorders(${IDS.orderAlice1})?$select=name,totalamount,statuscode,msdyn_processingstatus,createdon,msdyn_requestedreceiptdate,msdyn_issalesprocessingstopped,_customerid_value`,
    { Prefer: 'odata.include-annotations="*"' },
  );
  const F = '@OData.Community.Display.V1.FormattedValue';
  assert.equal(body[`totalamount${F}`], '$1,234.50');
  assert.equal(body[`statuscode${F}`], 'New');
  assert.equal(body[`msdyn_processingstatus${F}`], 'Active');
  assert.equal(body[`createdon${F}`], '2/1/2025 10:00 AM');
  assert.equal(body[`msdyn_requestedreceiptdate${F}`], '3/5/2025');
  assert.equal(body[`msdyn_issalesprocessingstopped${F}`], 'Yes');
  assert.equal(body[`_customerid_value${F}`], 'Contoso Pharmaceuticals');
  assert.equal(body['_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname'], 'account');
  assert.equal(body['_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty'], 'customerid_account');
  // Annotation keys come before the value, as Dataverse writes them.
  const keys = Object.keys(body);
  assert.ok(keys.indexOf(`_customerid_value${F}`) < keys.indexOf('_customerid_value'));

  const lines = await client.json<any>(`salesorderdetails(${IDS.lineAlice1b})?$select=quantity,sequencenumber`, { Prefer: 'odata.include-annotations="*"' });
  assert.equal(lines.body[`sequencenumber${F}`], '2');
  assert.equal(lines.body[`quantity${F}`], '5.00');
});

test('annotations can be asked for by name; others stay out; Preference-Applied echoes the preference', async () => {
  const { client } = await admin();
  const prefer = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"';
  const { body, response } = await client.json<any>(`salesorders(${IDS.orderAlice1})?$select=_customerid_value`, { Prefer: prefer });
  assert.equal(body['_customerid_value@OData.Community.Display.V1.FormattedValue'], 'Contoso Pharmaceuticals');
  assert.equal(body['_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname'], undefined);
  assert.equal(response.headers.get('preference-applied'), prefer);
  const wildcard = await client.json<any>(`salesorders(${IDS.orderAlice1})?$select=_customerid_value`, { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.*"' });
  assert.equal(wildcard.body['_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname'], 'account');
  assert.equal(wildcard.body['_customerid_value@OData.Community.Display.V1.FormattedValue'], undefined);
});

test('money is formatted in the row\'s own currency', async () => {
  const { client, emulator } = await admin();
  emulator.write((w) => w.update('salesorder', IDS.orderBob, { transactioncurrencyid: { id: IDS.eur, table: 'transactioncurrency' } }));
  const { body } = await client.json<any>(`salesorders(${IDS.orderBob})?$select=totalamount`, { Prefer: 'odata.include-annotations="*"' });
  assert.equal(body['totalamount@OData.Community.Display.V1.FormattedValue'], '€700.00');
});

test('$expand single-valued and collection-valued with nested options', async () => {
  const { client } = await admin();
  const { body } = await client.json<any>(
    `salesorders(${IDS.orderAlice1})?$select=name&$expand=order_details($select=quantity,sequencenumber;$orderby=sequencenumber desc;$expand=productid($select=name)),customerid_account($select=name),customerid_contact($select=fullname)`,
  );
  assert.equal(body['@odata.context'], `${DV}/$metadata#salesorders(name,order_details(quantity,sequencenumber,productid(name)),customerid_account(name),customerid_contact(fullname))/$entity`);
  assert.deepEqual(body.order_details.map((l: any) => l.sequencenumber), [2, 1]);
  assert.equal(body.order_details[0].productid.name, 'Hex nut M8');
  assert.match(body.order_details[0]['@odata.etag'], /^W\//);
  assert.equal(body.customerid_account.name, 'Contoso Pharmaceuticals');
  assert.equal(body.customerid_contact, null, 'the customer is an account, not a contact');
});

test('Power Pages returns one level under a collection-valued expand', async () => {
  const { emulator } = fixtureEmulator();
  const portal = await Client.portal(emulator, 'admin@house.example');
  const { body } = await portal.json<any>(`salesorders(${IDS.orderAlice1})?$select=name&$expand=order_details($select=quantity;$expand=productid($select=name))`);
  assert.equal(body.order_details.length, 2);
  assert.equal(body.order_details[0].productid, undefined);
});

test('$count=true gives @odata.count; $count is capped at 5,000 with the Dataverse annotations', async () => {
  const { client, store } = await admin();
  const { body } = await client.json<any>('salesorders?$select=name&$count=true&$top=1');
  assert.equal(body['@odata.count'], 4);
  assert.equal(body.value.length, 1);
  assert.equal(body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'], undefined);

  const many = Array.from({ length: 5003 }, (_, i) => ({ productid: id(100000 + i), name: `Bulk ${i}`, productnumber: `B-${i}` }));
  store.load({ product: many });
  const capped = await client.json<any>('products?$select=name&$count=true', { Prefer: 'odata.maxpagesize=10' });
  assert.equal(capped.body['@odata.count'], 5000);
  assert.equal(capped.body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'], true);
  assert.equal(capped.body['@Microsoft.Dynamics.CRM.totalrecordcount'], 5000);
  assert.equal(capped.body.value.length, 10);
  const count = await client.get('products/$count');
  assert.equal(await count.text(), '5000');
});

test('default page is 5,000 rows with a nextLink', async () => {
  const { client, store } = await admin();
  store.load({ product: Array.from({ length: 5001 }, (_, i) => ({ productid: id(200000 + i), name: `Bulk ${i}` })) });
  const { body } = await client.json<any>('products?$select=name');
  assert.equal(body.value.length, 5000);
  assert.match(body['@odata.nextLink'], /\$skiptoken=/);
  const next = await client.json<any>(body['@odata.nextLink']);
  assert.equal(next.body.value.length, 5001 + 2 - 5000);
  assert.equal(next.body['@odata.nextLink'], undefined);
});

test('paging with odata.maxpagesize: Preference-Applied, nextLink keeps the options, $top is ignored', async () => {
  const { client } = await admin();
  const { body, response } = await client.json<any>('salesorders?$select=name&$orderby=name&$top=1', { Prefer: 'odata.maxpagesize=3' });
  assert.equal(response.headers.get('preference-applied'), 'odata.maxpagesize=3');
  assert.equal(body.value.length, 3, '$top is ignored when maxpagesize is sent');
  const next: string = body['@odata.nextLink'];
  assert.ok(next.startsWith(`${DV}/salesorders?$select=name&$orderby=name&$top=1&$skiptoken=`), next);
  const token = decodeURIComponent(new URL(next).searchParams.get('$skiptoken')!);
  assert.match(token, /^<cookie pagenumber="2" pagingcookie="[A-Za-z0-9_-]+" istracking="False" \/>$/);
  const page2 = await client.json<any>(next, { Prefer: 'odata.maxpagesize=3' });
  assert.deepEqual(page2.body.value.map((r: any) => r.name), ['Nuts restock']);
  assert.equal(page2.body['@odata.nextLink'], undefined);
  // $top alone: no nextLink.
  const top = await client.json<any>('salesorders?$select=name&$top=2');
  assert.equal(top.body.value.length, 2);
  assert.equal(top.body['@odata.nextLink'], undefined);
});

test('paging is stable under concurrent inserts and deletes: every original row exactly once', async () => {
  const { client, emulator, store } = await admin();
  const names = Array.from({ length: 20 }, (_, i) => `Item ${String(i).padStart(2, '0')}`);
  store.load({ product: names.map((name, i) => ({ productid: id(300 + i), name, productnumber: `P-${i}` })) });
  const seen: string[] = [];
  let url = `products?$select=name&$orderby=name&$filter=startswith(name,'Item')`;
  let page = 0;
  for (;;) {
    const { body } = await client.json<any>(url, { Prefer: 'odata.maxpagesize=6' });
    seen.push(...body.value.map((r: any) => r.name));
    page++;
    if (page === 1) {
      // Between pages: a row that sorts before the cursor, one after it, and a deleted row after it.
      emulator.write((w) => {
        w.create('product', { name: 'Item 00a (new, before cursor)' });
        w.create('product', { name: 'Item 15a (new, after cursor)' });
        w.delete('product', id(300 + 17));
      });
    }
    if (!body['@odata.nextLink']) break;
    url = body['@odata.nextLink'];
  }
  const original = names.filter((n) => n !== 'Item 17');
  for (const name of original) assert.equal(seen.filter((s) => s === name).length, 1, name);
  assert.ok(seen.includes('Item 15a (new, after cursor)'));
  assert.ok(!seen.includes('Item 00a (new, before cursor)'));
  assert.equal(new Set(seen).size, seen.length, 'no row twice');
});

test('a bad $skiptoken, $skip, unknown columns and bad odata.maxpagesize are 400s in Dataverse shape', async () => {
  const { client } = await admin();
  const skip = await client.json<any>('salesorders?$skip=2');
  assert.equal(skip.status, 400);
  assert.deepEqual(skip.body, { error: { code: '0x80060888', message: 'Skip Clause is not supported in CRM' } });
  const token = await client.json<any>('salesorders?$skiptoken=garbage');
  assert.equal(token.status, 400);
  assert.equal(token.body.error.code, '0x80060888');
  const column = await client.json<any>('salesorders?$select=nosuchcolumn');
  assert.equal(column.status, 400);
  assert.equal(column.body.error.message, "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.salesorder'.");
  const page = await client.json<any>('salesorders', { Prefer: 'odata.maxpagesize=zero' });
  assert.equal(page.status, 400);
  // Power Pages: InvalidAttribute.
  const portal = await Client.portal(client.emulator, 'admin@house.example');
  const pp = await portal.json<any>('salesorders?$select=nosuchcolumn');
  assert.equal(pp.status, 400);
  assert.equal(pp.body.error.code, '90040100');
  assert.equal(pp.body.error.message, 'Attribute nosuchcolumn cannot be found for table salesorder.');
});

test('unknown entity sets and names are case-sensitive 404s', async () => {
  const { client } = await admin();
  for (const path of ['SalesOrders', 'nosuchset', `salesorders(${IDS.orderAlice1})/nosuchproperty`]) {
    const { status, body } = await client.json<any>(path);
    assert.equal(status, 404, path);
    assert.equal(body.error.code, '0x80060888');
    assert.match(body.error.message, /^Resource not found for the segment '/);
  }
  const bad = await client.json<any>('salesorders(not-a-guid)');
  assert.equal(bad.status, 400);
  const missing = await client.json<any>(`salesorders(${id(999)})`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { error: { code: '0x80040217', message: `salesorder With Id = ${id(999)} Does Not Exist` } });
  const outside = await client.json<any>(`${ORIGIN}/somewhere/else`);
  assert.equal(outside.status, 404);
});

test('conditional GET: If-None-Match with the current etag → 304, not with $expand or annotations', async () => {
  const { client, emulator } = await admin();
  const first = await client.json<any>(`salesorders(${IDS.orderAlice1})?$select=name`);
  const etag = first.body['@odata.etag'];
  const again = await client.get(`salesorders(${IDS.orderAlice1})?$select=name`, { 'If-None-Match': etag });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');
  const expanded = await client.get(`salesorders(${IDS.orderAlice1})?$select=name&$expand=order_details($select=quantity)`, { 'If-None-Match': etag });
  assert.equal(expanded.status, 200);
  const annotated = await client.get(`salesorders(${IDS.orderAlice1})?$select=name`, { 'If-None-Match': etag, Prefer: 'odata.include-annotations="*"' });
  assert.equal(annotated.status, 200);
  const nullHeader = await client.get(`salesorders(${IDS.orderAlice1})?$select=name`, { 'If-None-Match': 'null' });
  assert.equal(nullHeader.status, 200);
  emulator.write((w) => w.update('salesorder', IDS.orderAlice1, { name: 'Changed' }));
  const changed = await client.get(`salesorders(${IDS.orderAlice1})?$select=name`, { 'If-None-Match': etag });
  assert.equal(changed.status, 200);
});

test('$apply groupby/aggregate over the rows in scope', async () => {
  const { client } = await admin();
  const { status, body } = await client.json<any>('salesorders?$apply=groupby((_customerid_value),aggregate(totalamount with sum as total,$count as orders))');
  assert.equal(status, 200, JSON.stringify(body));
  const contoso = body.value.find((g: any) => g._customerid_value === IDS.contoso);
  assert.equal(contoso.total, 1833.5);
  assert.equal(contoso.orders, 3);
  const alice = await Client.dataverse(client.emulator, 'alice@contoso.example');
  const mine = await alice.json<any>('salesorders?$apply=aggregate($count as orders)');
  assert.deepEqual(mine.body.value, [{ orders: 2 }]);
});

test('single property and navigation routes', async () => {
  const { client } = await admin();
  const name = await client.json<any>(`salesorders(${IDS.orderAlice1})/name`);
  assert.deepEqual(name.body, { '@odata.context': `${DV}/$metadata#salesorders(${IDS.orderAlice1})/name`, value: 'Bolts for line 1' });
  const lookup = await client.json<any>(`salesorders(${IDS.orderAlice1})/_customerid_value`);
  assert.equal(lookup.body.value, IDS.contoso);
  const lines = await client.json<any>(`salesorders(${IDS.orderAlice1})/order_details?$select=quantity&$orderby=quantity`);
  assert.deepEqual(lines.body.value.map((l: any) => l.quantity), [5, 10]);
  const account = await client.json<any>(`salesorders(${IDS.orderAlice1})/customerid_account?$select=name`);
  assert.equal(account.body.name, 'Contoso Pharmaceuticals');
  const none = await client.get(`salesorders(${IDS.orderAlice1})/customerid_contact`);
  assert.equal(none.status, 204);
});

test('a filter on a lookup path and a lambda', async () => {
  const { client } = await admin();
  const byName = await client.json<any>("salesorders?$select=name&$filter=customerid_account/name eq 'Fabrikam Inc.'");
  assert.deepEqual(byName.body.value.map((r: any) => r.name), ['Fabrikam order']);
  const lambda = await client.json<any>('salesorders?$select=name&$filter=order_details/any(d:d/quantity gt 6)&$orderby=name');
  assert.deepEqual(lambda.body.value.map((r: any) => r.name), ['Bolts for line 1', 'Fabrikam order']);
});
