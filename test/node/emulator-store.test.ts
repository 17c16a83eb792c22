import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/emulator/store/memory.js';
import { DuplicateKeyError, MissingRowError, type StoreChange } from '../../src/emulator/store.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

function store(options: ConstructorParameters<typeof MemoryStore>[0] = {}) {
  return new MemoryStore({ indexes: { salesorderdetail: ['salesorderid'] }, ...options });
}

test('writes stamp a growing versionnumber and are readable', () => {
  const s = store();
  const row = s.transaction((tx) => tx.insert('salesorder', A, { salesorderid: A, name: 'One' }));
  assert.equal(row.versionnumber, 1);
  const updated = s.transaction((tx) => tx.update('salesorder', A, { name: 'Uno' }));
  assert.equal(updated.versionnumber, 2);
  assert.equal(s.get('salesorder', A)?.name, 'Uno');
  assert.equal(s.version, 2);
  assert.ok(Object.isFrozen(updated), 'stored rows are frozen');
});

test('ids are case-insensitive', () => {
  const s = store();
  s.transaction((tx) => tx.insert('salesorder', A.toUpperCase(), { salesorderid: A, name: 'One' }));
  assert.equal(s.get('salesorder', A)?.name, 'One');
  assert.equal(s.get('salesorder', A.toUpperCase())?.name, 'One');
});

test('a failed transaction leaves rows, indexes, version and change log untouched', () => {
  const s = store();
  s.transaction((tx) => {
    tx.insert('salesorder', A, { salesorderid: A, name: 'Kept' });
    tx.insert('salesorderdetail', B, { salesorderdetailid: B, salesorderid: { id: A, table: 'salesorder' } });
  });
  const versionBefore = s.version;
  assert.throws(() =>
    s.transaction((tx) => {
      tx.update('salesorder', A, { name: 'Changed' });
      tx.insert('salesorderdetail', C, { salesorderdetailid: C, salesorderid: { id: A, table: 'salesorder' } });
      tx.delete('salesorderdetail', B);
      throw new Error('boom');
    }), /boom/);
  assert.equal(s.get('salesorder', A)?.name, 'Kept');
  assert.equal(s.get('salesorderdetail', C), undefined);
  assert.ok(s.get('salesorderdetail', B));
  assert.deepEqual(s.findBy('salesorderdetail', 'salesorderid', A).map((r) => r.salesorderdetailid), [B]);
  assert.equal(s.version, versionBefore);
  assert.deepEqual(s.changesSince('salesorder', 0).changes.map((c) => c.kind), ['create']);
});

test('nested transactions join the outer one', () => {
  const s = store();
  assert.throws(() =>
    s.transaction((tx) => {
      tx.insert('salesorder', A, { salesorderid: A });
      s.transaction((inner) => inner.insert('salesorder', B, { salesorderid: B }));
      throw new Error('outer fails');
    }));
  assert.equal(s.count('salesorder'), 0);
});

test('insert of an existing id and update of a missing one throw', () => {
  const s = store();
  s.transaction((tx) => tx.insert('salesorder', A, { salesorderid: A }));
  assert.throws(() => s.transaction((tx) => tx.insert('salesorder', A, { salesorderid: A })), DuplicateKeyError);
  assert.throws(() => s.transaction((tx) => tx.update('salesorder', B, { name: 'x' })), MissingRowError);
  assert.throws(() => (s as unknown as { insertRow: (...a: unknown[]) => unknown }).insertRow('salesorder', C, {}), /inside transaction/);
});

test('findBy uses the index and follows updates; scans unindexed columns', () => {
  const s = store();
  const order = { id: A, table: 'salesorder' };
  s.transaction((tx) => {
    tx.insert('salesorderdetail', B, { salesorderdetailid: B, salesorderid: order, quantity: 2 });
    tx.insert('salesorderdetail', C, { salesorderdetailid: C, salesorderid: order, quantity: 3 });
  });
  assert.equal(s.hasIndex('salesorderdetail', 'salesorderid'), true);
  assert.equal(s.findBy('salesorderdetail', 'salesorderid', A.toUpperCase()).length, 2);
  s.transaction((tx) => tx.update('salesorderdetail', C, { salesorderid: null }));
  assert.deepEqual(s.findBy('salesorderdetail', 'salesorderid', A).map((r) => r.salesorderdetailid), [B]);
  assert.deepEqual(s.findBy('salesorderdetail', 'quantity', 2).map((r) => r.salesorderdetailid), [B]);
});

test('changesSince reports the latest change per row, after a version', () => {
  const s = store();
  s.transaction((tx) => tx.insert('salesorder', A, { salesorderid: A }));
  const mark = s.version;
  s.transaction((tx) => {
    tx.update('salesorder', A, { name: 'x' });
    tx.insert('salesorder', B, { salesorderid: B });
    tx.insert('account', C, { accountid: C });
  });
  s.transaction((tx) => tx.delete('salesorder', B));
  const { changes, complete } = s.changesSince('salesorder', mark);
  assert.equal(complete, true);
  assert.deepEqual(changes.map((c) => [c.id, c.kind]), [[A, 'update'], [B, 'delete']]);
  assert.equal(changes[1].row.salesorderid, B, 'a delete carries the last state of the row');
});

test('load() does not log changes and marks older versions as not covered', () => {
  const s = store();
  s.load({ salesorder: [{ salesorderid: A, name: 'seeded' }, { salesorderid: B, versionnumber: 41 }] });
  assert.equal(s.get('salesorder', B)?.versionnumber, 41);
  assert.ok(s.version >= 41);
  assert.equal(s.changesSince('salesorder', 0).complete, false);
  assert.equal(s.changesSince('salesorder', s.version).complete, true);
  assert.throws(() => s.load({ account: [{ name: 'no id' }] }), /has no accountid/);
});

test('the persist hook sees each committed transaction once, and its failure rolls back', () => {
  const seen: StoreChange[][] = [];
  let fail = false;
  const s = store({
    persist: (changes) => {
      if (fail) throw new Error('disk full');
      seen.push([...changes]);
    },
  });
  s.transaction((tx) => {
    tx.insert('salesorder', A, { salesorderid: A });
    tx.update('salesorder', A, { name: 'x' });
  });
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0].map((c) => c.kind), ['create', 'update']);
  fail = true;
  assert.throws(() => s.transaction((tx) => tx.insert('salesorder', B, { salesorderid: B })), /disk full/);
  assert.equal(s.get('salesorder', B), undefined);
  s.transaction(() => undefined); // nothing written: persist not called
  assert.equal(seen.length, 1);
});

test('subscribers hear committed changes only', () => {
  const s = store();
  const heard: string[] = [];
  const unsubscribe = s.subscribe((changes) => heard.push(...changes.map((c) => `${c.kind}:${c.id}`)));
  s.transaction((tx) => tx.insert('salesorder', A, { salesorderid: A }));
  assert.throws(() => s.transaction((tx) => {
    tx.insert('salesorder', B, { salesorderid: B });
    throw new Error('no');
  }));
  unsubscribe();
  s.transaction((tx) => tx.insert('salesorder', C, { salesorderid: C }));
  assert.deepEqual(heard, [`create:${A}`]);
});

test('the change log is pruned to maxLogEntries; older tokens are reported incomplete', () => {
  const s = store({ maxLogEntries: 2 });
  s.transaction((tx) => tx.insert('salesorder', A, { salesorderid: A }));
  s.transaction((tx) => tx.insert('salesorder', B, { salesorderid: B }));
  s.transaction((tx) => tx.insert('salesorder', C, { salesorderid: C }));
  assert.equal(s.changesSince('salesorder', 0).complete, false);
  assert.deepEqual(s.changesSince('salesorder', 1).changes.map((c) => c.id), [B, C]);
  assert.equal(s.changesSince('salesorder', 1).complete, true);
});
