// The persistent store (SQLite in a data folder): data and change tracking survive a restart; a process killed
// with SIGKILL in the middle of writes leaves a consistent store (every transaction all or nothing, nothing
// acknowledged lost); `reset` and a changed seed reseed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DATABASE_FILE, SqliteStore, openEmulator } from '../../src/emulator/node.js';
import { newGuid } from '../../src/emulator/util.js';
import { ProcessingStatus } from '../../src/tables/choices.js';
import { API, SMALL_SEED, call, orderBody, orderableItems, tokenFor, userWith } from './ops-support.js';

const folders: string[] = [];
function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-ops-'));
  folders.push(dir);
  return dir;
}
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('persistent emulator', () => {
  it('seeds a new data folder, and keeps writes and change tracking across a restart', async () => {
    const dataDir = dataFolder();
    let opened = await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' });
    assert.equal(opened.stats.seeded, 'new');
    assert.equal(opened.dataDir, dataDir);
    const rows = opened.stats.rows;
    const user = userWith(opened, 'authorized-user');
    let token = await tokenFor(opened, user);

    const tracking = await call(opened, `${API}/salesorders?$select=name,msdyn_processingstatus`, { token, headers: { Prefer: 'odata.track-changes' } });
    assert.equal(tracking.status, 200);
    const deltaLink = (await tracking.json())['@odata.deltaLink'] as string;

    const id = newGuid();
    const created = await call(opened, `${API}/salesorders`, { body: orderBody(opened, user, orderableItems(opened, user, 2), { id }), token });
    assert.equal(created.status, 204, await created.text());
    const etag = (await (await call(opened, `${API}/salesorders(${id})?$select=name`, { token })).json())['@odata.etag'];
    const version = opened.store.version;
    await opened.close();

    opened = await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' });
    try {
      assert.equal(opened.stats.seeded, false, 'reopened, not reseeded');
      assert.equal(opened.stats.rows, rows + 3, 'the order and its two lines are still there');
      assert.equal(opened.store.version, version, 'the version counter survived');
      token = await tokenFor(opened, user); // sessions and tokens do not survive a restart, as with a real sign-in
      const again = await call(opened, `${API}/salesorders(${id})?$select=name`, { token });
      assert.equal(again.status, 200);
      assert.equal((await again.json())['@odata.etag'], etag, 'same row version');

      const delta = await call(opened, deltaLink, { token });
      assert.equal(delta.status, 200, await delta.clone().text());
      assert.ok((await delta.json()).value.some((row: { salesorderid: string }) => row.salesorderid === id),
        'a delta link from before the restart still reports the new order');

      // The SCM remembered the order in flight.
      const { moves } = await (await call(opened, '/emulator/scm/advance', { body: { steps: 1 } })).json();
      assert.deepEqual(moves.map((m: { orderId: string; to: number }) => [m.orderId, m.to]), [[id, ProcessingStatus.Active]]);
    } finally {
      await opened.close();
    }

    // reset: back to the seed.
    opened = await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual', reset: true });
    try {
      assert.equal(opened.stats.seeded, 'reset');
      assert.equal(opened.stats.rows, rows);
      assert.equal(opened.store.get('salesorder', id), undefined);
    } finally {
      await opened.close();
    }
  });

  it('reseeds when the seed version or the seed options changed', async () => {
    const dataDir = dataFolder();
    await (await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' })).close();
    const store = SqliteStore.open({ dataDir });
    store.setMeta('seedVersion', '0'); // as written by an older generator
    store.close();
    let opened = await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' });
    assert.equal(opened.stats.seeded, 'seed-changed');
    await opened.close();
    opened = await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' });
    assert.equal(opened.stats.seeded, false);
    await opened.close();
    opened = await openEmulator({ dataDir, seed: { ...SMALL_SEED, orders: 130 }, scmClock: 'manual' });
    assert.equal(opened.stats.seeded, 'seed-changed');
    await opened.close();
  });

  it('survives kill -9 in the middle of writes: every transaction whole, nothing acknowledged lost', async () => {
    const dataDir = dataFolder();
    // Seed first, so the child only writes.
    const seeded = await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' });
    const seedVersion = seeded.store.version;
    await seeded.close();

    const writer = fileURLToPath(new URL('../support/ops-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, JSON.stringify(SMALL_SEED)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acknowledged = 0;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const match of buffer.matchAll(/committed (\d+)\n/g)) acknowledged = Math.max(acknowledged, Number(match[1]));
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
        // Once only: chunks still buffered after the kill must not remove the exit listener awaited below.
        if (acknowledged >= 300 && !child.killed) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL'); // while it keeps writing
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(child.signalCode, 'SIGKILL');

    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();

    const reopened = SqliteStore.open({ dataDir });
    try {
      const batches = new Map<number, number>();
      for (const row of reopened.all('salesorder')) {
        const match = /^batch-(\d+)$/.exec(String(row.msdyn_customersorderreference ?? ''));
        if (match) batches.set(Number(match[1]), (batches.get(Number(match[1])) ?? 0) + 1);
      }
      const highest = Math.max(...batches.keys());
      assert.ok(highest >= acknowledged, `batch ${acknowledged} was acknowledged; ${highest} found`);
      for (let batch = 1; batch <= highest; batch++) {
        assert.equal(batches.get(batch), 5, `batch ${batch} is whole`);
      }
      assert.equal(reopened.version, seedVersion + highest * 5, 'the version counter matches the rows written');
      const log = reopened.changesSince('salesorder', seedVersion);
      assert.equal(log.complete, true);
      assert.equal(log.changes.length, highest * 5, 'the change log has every committed write');
    } finally {
      reopened.close();
    }
  });

  it('refuses a second process on the same data folder', async () => {
    const dataDir = dataFolder();
    const opened = await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' });
    try {
      const store = fileURLToPath(new URL('../../src/emulator/store/sqlite.ts', import.meta.url));
      const script = `import(${JSON.stringify(store)}).then((m) => m.SqliteStore.open({ dataDir: ${JSON.stringify(dataDir)} }))`
        + `.then(() => process.exit(0), (e) => { console.log(e.message); process.exit(3); })`;
      const second = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
      assert.equal(second.status, 3);
      assert.match(second.stdout, /in use by another process/);
    } finally {
      await opened.close();
    }
    // Once closed, the folder opens again.
    await (await openEmulator({ dataDir, seed: SMALL_SEED, scmClock: 'manual' })).close();
  });

  it('writes nothing to disk with persist: false', async () => {
    const opened = await openEmulator({ persist: false, seed: SMALL_SEED, scmClock: 'manual' });
    assert.equal(opened.dataDir, undefined);
    assert.equal(opened.stats.seeded, 'new');
    await opened.close();
  });
});
