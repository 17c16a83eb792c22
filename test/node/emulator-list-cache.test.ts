// The list cache (src/emulator/list-cache.ts): paging reuses one sorted list per (scope, filter, order), and any
// write that could change that list — to the listed table, to a table its scope or its filter reads, even a
// write that is rolled back — makes the next read compute it again. Also: the fast sort gives exactly the order of
// the comparator, and the store's change stamps behave as the cache needs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tables } from '../../src/tables/index.js';
import { compareRows, sortRows, type OrderByItem } from '../../src/emulator/odata/index.js';
import { MemoryStore } from '../../src/emulator/store/memory.js';
import type { EmulatorRequest } from '../../src/emulator/http.js';
import type { StoredRow } from '../../src/emulator/types.js';
import { Client, DV, IDS, fixtureEmulator, id } from './emulator-fixtures.js';

type Page = { value: Record<string, any>[]; '@odata.count'?: number; '@odata.nextLink'?: string };

async function as(email: string, options: Parameters<typeof fixtureEmulator>[0] = {}) {
  const { emulator, store, clock } = fixtureEmulator(options);
  return { emulator, store, clock, client: await Client.dataverse(emulator, email) };
}

/** Every row of a list, following nextLinks. */
async function readAll(client: Client, path: string, pageSize = 2): Promise<Record<string, any>[]> {
  const rows: Record<string, any>[] = [];
  let url: string | undefined = path;
  while (url) {
    const { status, body }: { status: number; body: Page } = await client.json<Page>(url, { Prefer: `odata.maxpagesize=${pageSize}` });
    assert.equal(status, 200, JSON.stringify(body));
    rows.push(...body.value);
    url = body['@odata.nextLink'];
  }
  return rows;
}

const names = (rows: readonly Record<string, any>[]) => rows.map((row) => row.name);

describe('list cache', () => {
  test('the pages of one list, whatever $select or page size, come from one cached list', async () => {
    const { client, emulator } = await as('admin@house.example');
    const { stats } = emulator.listCache;
    await client.json('salesorders?$select=name&$orderby=name&$count=true', { Prefer: 'odata.maxpagesize=2' });
    const misses = stats.misses;
    const hits = stats.hits;
    const all = await readAll(client, 'salesorders?$select=name,totalamount&$orderby=name', 1);
    assert.deepEqual(names(all), ['Andy order', 'Bolts for line 1', 'Fabrikam order', 'Nuts restock']);
    assert.equal(stats.misses, misses, 'no list computed again');
    assert.equal(stats.hits, hits + 4, 'each of the 4 pages a hit');
  });

  test('a create between two pages shows up on the next first-page read, with the right count', async () => {
    const { client, emulator, clock } = await as('rita@contoso.example');
    const list = 'salesorders?$select=name&$orderby=createdon desc&$count=true';
    const first = await client.json<Page>(list, { Prefer: 'odata.maxpagesize=2' });
    assert.equal(first.body['@odata.count'], 3);
    assert.deepEqual(names(first.body.value), ['Nuts restock', 'Andy order']);
    await client.json<Page>(first.body['@odata.nextLink']!, { Prefer: 'odata.maxpagesize=2' });

    clock.advance(60 * 1000);
    emulator.write((w) => w.create('salesorder', {
      name: 'Brand new order',
      customerid: { id: IDS.contoso, table: 'account' },
      msdyn_contactperson: { id: IDS.rita, table: 'contact' },
    }));
    const again = await client.json<Page>(list, { Prefer: 'odata.maxpagesize=2' });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body['@odata.count'], 4);
    assert.deepEqual(names(again.body.value), ['Brand new order', 'Nuts restock']);
    assert.equal(await (await client.get('salesorders/$count')).text(), '4');
  });

  test('creates and deletes through the Web API keep $count and /$count right', async () => {
    const { client } = await as('admin@house.example');
    const count = async () => {
      const { body } = await client.json<Page>('salesorders?$select=name&$count=true&$filter=statecode eq 0', { Prefer: 'odata.maxpagesize=1' });
      const text = await (await client.get('salesorders/$count?$filter=statecode eq 0')).text();
      assert.equal(String(body['@odata.count']), text);
      return body['@odata.count'];
    };
    assert.equal(await count(), 4);
    const created = await client.request('POST', 'salesorders', {
      name: 'Counted',
      statecode: 0,
      'customerid_account@odata.bind': `/accounts(${IDS.contoso})`,
      'msdyn_contactperson@odata.bind': `/contacts(${IDS.alice})`,
    });
    assert.equal(created.status, 204, await created.clone().text());
    assert.equal(await count(), 5);
    assert.equal((await client.request('DELETE', `salesorders(${IDS.orderBob})`)).status, 204);
    assert.equal((await client.request('DELETE', `salesorders(${IDS.orderAndy})`)).status, 204);
    assert.equal(await count(), 3);
  });

  test('an update moves a row in a cached order, and out of a cached filter', async () => {
    const { client, emulator } = await as('admin@house.example');
    const list = "salesorders?$select=name&$orderby=name&$filter=contains(name,'order')";
    assert.deepEqual(names(await readAll(client, list)), ['Andy order', 'Fabrikam order']);
    emulator.write((w) => {
      w.update('salesorder', IDS.orderAndy, { name: 'Zebra order' });
      w.update('salesorder', IDS.orderBob, { name: 'Fabrikam restock' });
    });
    assert.deepEqual(names(await readAll(client, list)), ['Zebra order']);
  });

  test('a write to a table a lookup path of the filter reads makes the list stale', async () => {
    const { client, emulator } = await as('admin@house.example');
    const byAccount = (name: string) => `salesorders?$select=name&$orderby=name&$filter=customerid_account/name eq '${name}'`;
    assert.equal((await readAll(client, byAccount('Contoso Pharmaceuticals'))).length, 3);
    assert.equal((await readAll(client, byAccount('Contoso Ltd'))).length, 0);
    // Only the account changes: no order is written.
    emulator.write((w) => w.update('account', IDS.contoso, { name: 'Contoso Ltd' }));
    assert.equal((await readAll(client, byAccount('Contoso Pharmaceuticals'))).length, 0);
    assert.deepEqual(names(await readAll(client, byAccount('Contoso Ltd'))), ['Andy order', 'Bolts for line 1', 'Nuts restock']);
  });

  test('a write to the related table of a lambda makes the list stale', async () => {
    const { client, emulator } = await as('admin@house.example');
    const list = 'salesorders?$select=name&$orderby=name&$filter=order_details/any(d: d/quantity gt 8)';
    assert.deepEqual(names(await readAll(client, list)), ['Bolts for line 1']);
    emulator.write((w) => w.update('salesorderdetail', id(53), { quantity: 9 }));
    assert.deepEqual(names(await readAll(client, list)), ['Bolts for line 1', 'Fabrikam order']);
  });

  test('ordering by a lookup follows a rename of the related row', async () => {
    const { client, emulator } = await as('admin@house.example');
    const list = 'salesorders?$select=name&$orderby=_customerid_value,name';
    assert.deepEqual(names(await readAll(client, list)), ['Andy order', 'Bolts for line 1', 'Nuts restock', 'Fabrikam order']);
    emulator.write((w) => w.update('account', IDS.fabrikam, { name: 'Acme (was Fabrikam)' }));
    assert.deepEqual(names(await readAll(client, list)), ['Fabrikam order', 'Andy order', 'Bolts for line 1', 'Nuts restock']);
  });

  test('a write to the parent of a parent-scoped table changes the rows in scope', async () => {
    const { client, emulator } = await as('alice@contoso.example');
    const lines = async () => (await readAll(client, 'salesorderdetails?$select=quantity&$orderby=quantity')).map((l) => l.quantity);
    assert.deepEqual(await lines(), [5, 10]);
    // Alice's order 40 is handed over to Andy: its lines leave Alice's scope, though no line was written.
    emulator.write((w) => w.update('salesorder', IDS.orderAlice1, { msdyn_contactperson: { id: IDS.andy, table: 'contact' } }));
    assert.deepEqual(await lines(), []);
  });

  test('callers with different scopes never share a list', async () => {
    const { emulator } = fixtureEmulator();
    const alice = await Client.dataverse(emulator, 'alice@contoso.example');
    const andy = await Client.dataverse(emulator, 'andy@contoso.example');
    const rita = await Client.dataverse(emulator, 'rita@contoso.example');
    const list = 'salesorders?$select=name&$orderby=name&$count=true';
    assert.deepEqual(names((await alice.json<Page>(list)).body.value), ['Bolts for line 1', 'Nuts restock']);
    assert.deepEqual(names((await andy.json<Page>(list)).body.value), ['Andy order']);
    assert.deepEqual(names((await rita.json<Page>(list)).body.value), ['Andy order', 'Bolts for line 1', 'Nuts restock']);
    assert.deepEqual(names((await alice.json<Page>(list)).body.value), ['Bolts for line 1', 'Nuts restock']);
  });

  test('a filter on the clock is never served from the cache', async () => {
    const { client, clock } = await as('admin@house.example');
    const list = "salesorders?$select=name&$orderby=name&$filter=Microsoft.Dynamics.CRM.Today(PropertyName='createdon')";
    clock.time = Date.parse('2025-02-03T18:00:00Z');
    assert.deepEqual(names(await readAll(client, list)), ['Nuts restock']);
    clock.time = Date.parse('2025-02-04T18:00:00Z');
    assert.deepEqual(names(await readAll(client, list)), ['Fabrikam order']);
  });

  test('a list computed inside a transaction that is rolled back is not served afterwards', async () => {
    const { client, emulator, store } = await as('admin@house.example');
    const url = `${DV}/salesorders?$select=name&$orderby=name&$count=true`;
    const read = (): { count: number; names: string[] } => {
      // The synchronous core, so that it can run inside a store transaction (as a $batch change set does).
      const request: EmulatorRequest = { method: 'GET', url: new URL(url), headers: client.headers(), body: '' };
      const body = JSON.parse(emulator.execute(request).body!) as Page;
      return { count: body['@odata.count']!, names: names(body.value) };
    };
    assert.equal(read().count, 4);
    assert.throws(() => store.transaction((tx) => {
      tx.insert('salesorder', id(900), { salesorderid: id(900), name: 'Uncommitted' });
      assert.deepEqual(read(), { count: 5, names: ['Andy order', 'Bolts for line 1', 'Fabrikam order', 'Nuts restock', 'Uncommitted'] });
      throw new Error('roll back');
    }), /roll back/);
    assert.deepEqual(read(), { count: 4, names: ['Andy order', 'Bolts for line 1', 'Fabrikam order', 'Nuts restock'] });
    // A committed write that gets the very version the rolled-back one had.
    emulator.write((w) => w.create('salesorder', { salesorderid: id(901), name: 'Committed' }));
    assert.deepEqual(read(), { count: 5, names: ['Andy order', 'Bolts for line 1', 'Committed', 'Fabrikam order', 'Nuts restock'] });
  });

  test('a bulk load makes cached lists stale', async () => {
    const { client, store } = await as('admin@house.example');
    assert.equal((await client.json<Page>('products?$select=name&$count=true')).body['@odata.count'], 2);
    store.load({ product: [{ productid: id(700), name: 'Loaded later' }] });
    assert.equal((await client.json<Page>('products?$select=name&$count=true')).body['@odata.count'], 3);
  });

  test('keeps at most the configured number of lists, least recently used out', async () => {
    const { client, emulator } = await as('admin@house.example', { listCacheEntries: 2 });
    const cache = emulator.listCache;
    await client.json('products?$select=name&$orderby=name');
    await client.json('uoms?$select=name&$orderby=name');
    await client.json('products?$select=name&$orderby=name'); // products is now the most recently used
    await client.json('accounts?$select=name&$orderby=name');
    assert.equal(cache.size, 2);
    assert.equal(cache.stats.evicted, 1);
    const hits = cache.stats.hits;
    await client.json('products?$select=name&$orderby=name');
    assert.equal(cache.stats.hits, hits + 1, 'products kept');
    const misses = cache.stats.misses;
    await client.json('uoms?$select=name&$orderby=name');
    assert.equal(cache.stats.misses, misses + 1, 'uoms evicted');
  });

  test('answers exactly as an emulator without the cache, across writes', async () => {
    const cached = await as('admin@house.example');
    const uncached = await as('admin@house.example', { listCacheEntries: 0 });
    const queries = [
      'salesorders?$select=name,totalamount&$orderby=totalamount desc&$count=true',
      'salesorders?$select=name&$orderby=name desc&$filter=totalamount gt 100',
      'salesorders?$select=name&$orderby=_customerid_value desc,createdon',
      "salesorders?$select=name&$filter=contains(name,'o')&$count=true",
      'salesorderdetails?$select=quantity&$orderby=_productid_value,quantity desc',
      'contacts?$select=fullname&$orderby=lastname,firstname&$count=true',
      'products?$select=name,productnumber&$orderby=productnumber desc',
    ];
    const writes: ((e: typeof cached) => void)[] = [
      (e) => e.emulator.write((w) => w.update('salesorder', IDS.orderAlice1, { totalamount: 5, name: 'bolts (lower case)' })),
      (e) => e.emulator.write((w) => w.create('salesorder', { salesorderid: id(910), name: 'Ōrder with a macron', totalamount: 500 })),
      (e) => e.emulator.write((w) => w.update('product', IDS.productNut, { name: 'Acorn nut', productnumber: null })),
      (e) => e.emulator.write((w) => w.delete('salesorder', IDS.orderBob)),
    ];
    for (let step = 0; step <= writes.length; step++) {
      for (const query of queries) {
        for (const pageSize of [1, 3]) {
          const a = await readAll(cached.client, query, pageSize);
          const b = await readAll(uncached.client, query, pageSize);
          assert.deepEqual(a, b, `${query} (page size ${pageSize}) after ${step} writes`);
        }
      }
      if (step < writes.length) {
        writes[step](cached);
        writes[step](uncached);
      }
    }
    assert.ok(cached.emulator.listCache.stats.hits > 0);
    assert.equal(uncached.emulator.listCache.size, 0);
  });
});

describe('sortRows', () => {
  /** A deterministic pseudo-random generator (mulberry32). */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)];

  const words = ['apple', 'Apple', 'APPLE ', 'äpple', 'Äpple', 'banana', 'Banana  ', 'bánana', 'cherry', 'Cherry', 'zebra', 'Zébra', '', ' ', '10', '9', null];
  const dates = ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000Z', '2024-12-31T23:59:59Z', '2025-06-01T12:30:00Z', '2025-01-01', 'not a date', null];
  const accounts = [IDS.contoso, IDS.fabrikam, IDS.house];
  const accountNames: Record<string, string> = { [IDS.contoso]: 'beta', [IDS.fabrikam]: 'Alpha', [IDS.house]: 'alpha' };

  function rows(count: number, seed: number, frozen: boolean): StoredRow[] {
    const next = random(seed);
    return Array.from({ length: count }, (_, i) => {
      const account = pick(next, [...accounts, null]);
      const row: StoredRow = {
        salesorderid: (i % 3 === 0 ? id(i + 1).toUpperCase() : id(i + 1)),
        name: pick(next, words),
        createdon: pick(next, dates),
        totalamount: pick(next, [0, -1, 1.5, 100, 1e6, null]),
        statecode: pick(next, [0, 1, 2, null]),
        customerid: account ? { id: account, table: 'account' } : null,
      };
      return frozen ? Object.freeze(row) : row;
    });
  }
  const names = { row: (_table: string, rowId: string) => ({ name: accountNames[rowId.toLowerCase()] }), tableOf: (name: string) => (tables as Record<string, any>)[name] };
  const orders: OrderByItem[][] = [
    [],
    [{ column: 'name', descending: false }],
    [{ column: 'name', descending: true }],
    [{ column: 'createdon', descending: true }, { column: 'name', descending: false }],
    [{ column: 'totalamount', descending: false }, { column: 'statecode', descending: true }],
    [{ column: '_customerid_value', descending: false }, { column: 'createdon', descending: false }],
    [{ column: 'salesorderid', descending: true }],
  ];

  test('gives exactly the order of compareRows (strings, accents, case, trailing spaces, nulls, dates, lookups)', () => {
    for (const frozen of [false, true]) {
      for (const [n, orderBy] of orders.entries()) {
        const data = rows(400, 7 + n, frozen);
        for (const lookupNames of [undefined, names]) {
          const expected = [...data].sort(compareRows(orderBy, tables.salesorder, lookupNames)).map((r) => r.salesorderid);
          const actual = sortRows(data, orderBy, tables.salesorder, lookupNames).map((r) => r.salesorderid);
          assert.deepEqual(actual, expected, `${JSON.stringify(orderBy)} frozen=${frozen} names=${Boolean(lookupNames)}`);
          // Twice: the second time with remembered values.
          assert.deepEqual(sortRows(data, orderBy, tables.salesorder, lookupNames).map((r) => r.salesorderid), expected);
        }
      }
    }
  });

  test('leaves its input alone', () => {
    const data = rows(50, 99, true);
    const before = [...data];
    sortRows(data, [{ column: 'name', descending: false }], tables.salesorder);
    assert.deepEqual(data, before);
  });
});

describe('MemoryStore.changeStamp', () => {
  test('moves per table on every write, on a rollback and on a load, and never comes back', () => {
    const store = new MemoryStore();
    store.load({ product: [{ productid: id(1), name: 'a' }], uom: [{ uomid: id(2), name: 'each' }] });
    const seen = new Set<number>([store.changeStamp()]);
    const product0 = store.changeStamp('product');
    const uom0 = store.changeStamp('uom');

    store.transaction((tx) => tx.update('product', id(1), { name: 'b' }));
    assert.notEqual(store.changeStamp('product'), product0);
    assert.equal(store.changeStamp('uom'), uom0, 'another table is untouched');
    assert.ok(!seen.has(store.changeStamp()));
    seen.add(store.changeStamp());

    const beforeRollback = store.changeStamp('product');
    const version = store.version;
    assert.throws(() => store.transaction((tx) => {
      tx.insert('product', id(3), { productid: id(3), name: 'c' });
      throw new Error('no');
    }));
    assert.equal(store.version, version, 'the version comes back after a rollback');
    assert.notEqual(store.changeStamp('product'), beforeRollback, 'the stamp does not');
    assert.ok(!seen.has(store.changeStamp()));
    seen.add(store.changeStamp());

    const beforeLoad = store.changeStamp('uom');
    store.load({ uom: [{ uomid: id(4), name: 'box' }] });
    assert.notEqual(store.changeStamp('uom'), beforeLoad);
    assert.ok(!seen.has(store.changeStamp()));
    assert.equal(store.changeStamp('nosuchtable'), 0);
  });
});
