import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DV, IDS, fixtureEmulator, id } from './emulator-fixtures.js';

async function admin() {
  const fixture = fixtureEmulator();
  return { ...fixture, client: await Client.dataverse(fixture.emulator, 'admin@house.example') };
}

test('initial request: every row, Preference-Applied, and a delta link keeping $select', async () => {
  const { client } = await admin();
  const { status, body, response } = await client.json<any>('salesorders?$select=name,totalamount', { Prefer: 'odata.track-changes' });
  assert.equal(status, 200);
  assert.equal(response.headers.get('preference-applied'), 'odata.track-changes');
  assert.equal(body['@odata.context'], `${DV}/$metadata#salesorders(name,totalamount)`);
  assert.equal(body.value.length, 4);
  const link = new URL(body['@odata.deltaLink']);
  assert.equal(`${link.origin}${link.pathname}`, `${DV}/salesorders`);
  assert.equal(link.searchParams.get('$select'), 'name,totalamount');
  assert.match(link.searchParams.get('$deltatoken')!, /^\d+!\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
});

test('following the delta link: updates and creates as entities, deletions as $deletedEntity, a new link', async () => {
  const { client, emulator } = await admin();
  const initial = await client.json<any>('salesorders?$select=name', { Prefer: 'odata.track-changes' });
  const empty = await client.json<any>(initial.body['@odata.deltaLink']);
  assert.deepEqual(empty.body.value, []);

  // A write through the API, one through the simulator's system writer, and a delete.
  const patched = await client.request('PATCH', `salesorders(${IDS.orderAlice2})`, { name: 'Nuts restock (changed)' });
  assert.equal(patched.status, 204);
  const created = emulator.write((w) => w.create('salesorder', { name: 'From SCM', customerid: { id: IDS.contoso, table: 'account' } }));
  assert.equal((await client.request('DELETE', `salesorders(${IDS.orderBob})`)).status, 204);

  const delta = await client.json<any>(initial.body['@odata.deltaLink']);
  assert.equal(delta.status, 200);
  assert.equal(delta.body['@odata.context'], `${DV}/$metadata#salesorders(name)/$delta`);
  const changed = delta.body.value.filter((r: any) => r.salesorderid);
  assert.deepEqual(changed.map((r: any) => r.name).sort(), ['From SCM', 'Nuts restock (changed)']);
  assert.ok(changed.every((r: any) => /^W\/"\d+"$/.test(r['@odata.etag'])));
  assert.deepEqual(
    delta.body.value.filter((r: any) => r.reason),
    [{ '@odata.context': `${DV}/$metadata#salesorders/$deletedEntity`, id: IDS.orderBob, reason: 'deleted' }],
  );
  assert.ok(created.salesorderid);

  const next = await client.json<any>(delta.body['@odata.deltaLink']);
  assert.deepEqual(next.body.value, [], 'the new link starts after these changes');
  // A row created and deleted between two syncs is reported deleted.
  const gone = emulator.write((w) => w.create('salesorder', { name: 'short-lived' }));
  emulator.write((w) => w.delete('salesorder', String(gone.salesorderid)));
  const after = await client.json<any>(next.body['@odata.deltaLink']);
  assert.deepEqual(after.body.value.map((r: any) => r.reason), ['deleted']);
});

test('the initial synchronisation pages with maxpagesize; the delta link comes with the last page', async () => {
  const { client, emulator } = await admin();
  const first = await client.json<any>('salesorders?$select=name', { Prefer: 'odata.track-changes,odata.maxpagesize=3' });
  assert.equal(first.body.value.length, 3);
  assert.equal(first.body['@odata.deltaLink'], undefined);
  assert.match(decodeURIComponent(first.body['@odata.nextLink']), /istracking="True"/);
  // A change while paging is picked up by the delta that follows.
  emulator.write((w) => w.update('salesorder', IDS.orderAlice1, { name: 'changed while paging' }));
  const second = await client.json<any>(first.body['@odata.nextLink'], { Prefer: 'odata.track-changes,odata.maxpagesize=3' });
  assert.equal(second.body.value.length, 1);
  const delta = await client.json<any>(second.body['@odata.deltaLink']);
  assert.deepEqual(delta.body.value.map((r: any) => r.name), ['changed while paging']);
});

test('only $select is allowed while tracking; tables without change tracking refuse it', async () => {
  const { client } = await admin();
  for (const option of ["$filter=name eq 'x'", '$orderby=name', '$expand=order_details', '$top=2']) {
    const { status, body } = await client.json<any>(`salesorders?$select=name&${option}`, { Prefer: 'odata.track-changes' });
    assert.equal(status, 400, option);
    assert.equal(body.error.code, '0x80040203');
    assert.match(body.error.message, /not supported with change tracking/);
  }
  const untracked = await client.json<any>('pricelevels?$select=name', { Prefer: 'odata.track-changes' });
  assert.equal(untracked.status, 400);
  assert.match(untracked.body.error.message, /Change tracking is not enabled for the pricelevel table/);
});

test('bad and expired delta tokens are refused', async () => {
  const { emulator, clock } = fixtureEmulator();
  let client = await Client.dataverse(emulator, 'admin@house.example');
  const bad = await client.json<any>('salesorders?$select=name&$deltatoken=nonsense');
  assert.equal(bad.status, 400);
  const future = await client.json<any>(`salesorders?$select=name&$deltatoken=${encodeURIComponent('99999999!01/01/2025 00:00:00')}`);
  assert.equal(future.status, 400);
  const initial = await client.json<any>('salesorders?$select=name', { Prefer: 'odata.track-changes' });
  clock.advance(8 * 24 * 3600 * 1000);
  client = await Client.dataverse(emulator, 'admin@house.example'); // the bearer token expired too
  const expired = await client.json<any>(initial.body['@odata.deltaLink']);
  assert.equal(expired.status, 400);
  assert.match(expired.body.error.message, /expired/);
  // A token from before the store was loaded cannot be answered either.
  const old = await client.json<any>(`salesorders?$select=name&$deltatoken=${encodeURIComponent('0!03/08/2025 12:00:00')}`);
  assert.equal(old.status, 400);
});

test('Power Pages supports change tracking too, with its permissions', async () => {
  const { emulator } = fixtureEmulator();
  const bob = await Client.portal(emulator, 'bob@fabrikam.example');
  const initial = await bob.json<any>('salesorders?$select=name', { Prefer: 'odata.track-changes' });
  assert.deepEqual(initial.body.value.map((r: any) => r.salesorderid), [IDS.orderBob]);
  assert.ok(initial.body['@odata.deltaLink'].startsWith('https://contoso.example/_api/salesorders?'));
  emulator.write((w) => {
    w.update('salesorder', IDS.orderBob, { msdyn_processingstatus: 192350001 });
    w.update('salesorder', IDS.orderAlice1, { msdyn_processingstatus: 192350001 });
    w.create('salesorder', { salesorderid: id(4444), name: 'not his', customerid: { id: IDS.contoso, table: 'account' } });
  });
  const delta = await bob.json<any>(initial.body['@odata.deltaLink']);
  assert.deepEqual(delta.body.value.map((r: any) => r.salesorderid), [IDS.orderBob]);
});

test('a nextLink of the initial synchronisation stays part of it even without the preference repeated', async () => {
  const { client } = await admin();
  const first = await client.json<any>('salesorders?$select=name', { Prefer: 'odata.track-changes,odata.maxpagesize=3' });
  assert.ok(first.body['@odata.nextLink']);
  const second = await client.json<any>(first.body['@odata.nextLink'], { Prefer: 'odata.maxpagesize=3' });
  assert.equal(second.status, 200);
  assert.equal(second.body.value.length, 1);
  assert.match(second.body['@odata.deltaLink'], /\$deltatoken=/);
  // A plain (untracked) paged read still pages without a delta link.
  const plain = await client.json<any>('salesorders?$select=name', { Prefer: 'odata.maxpagesize=3' });
  const plainNext = await client.json<any>(plain.body['@odata.nextLink'], { Prefer: 'odata.maxpagesize=3' });
  assert.equal(plainNext.body['@odata.deltaLink'], undefined);
});
