/**
 * Persistent store for the emulator (Node only): a {@link MemoryStore} that answers every read, backed by a
 * SQLite database (better-sqlite3) in a data folder that receives every write.
 *
 * - **Write-through, atomic.** The memory store calls `persist` once per committed outermost transaction, inside
 *   it; this store writes the transaction's rows and change-log entries in one SQLite transaction. If SQLite
 *   fails, the memory transaction is rolled back too, so memory and disk never disagree. The database runs in
 *   WAL mode: a committed transaction survives the process being killed (`kill -9`) at any moment, and a
 *   transaction cut short leaves no trace.
 * - **Layout.** `rows(tbl, id, version, data)` holds each row as JSON per (table, id); `changes(version, tbl, id,
 *   kind, data)` is the change log (so change-tracking delta links keep working across restarts); `meta(key,
 *   value)` holds the version counter, the log floor, and whatever the caller stores (seed version, users, …).
 * - **Open.** Every row is read back into the memory store, then the change log; reads never touch SQLite. The
 *   database is locked for this process alone (a second emulator on the same folder is refused at open).
 *
 * Synchronous like better-sqlite3 and like the {@link EmulatorStore} contract.
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ChangesSince, EmulatorStore, StoreChange, StoreTransaction } from '../store.js';
import type { StoredRow } from '../types.js';
import { MemoryStore, type MemoryStoreOptions } from './memory.js';

/** Name of the database file inside the data folder. */
export const DATABASE_FILE = 'emulator.sqlite';

export interface SqliteStoreOptions {
  /** The data folder (created when missing). */
  readonly dataDir: string;
  /** Secondary indexes of the memory cache (see {@link MemoryStoreOptions.indexes}). */
  readonly indexes?: MemoryStoreOptions['indexes'];
  /** Change-log entries kept, in memory and on disk. Default 200,000. */
  readonly maxLogEntries?: number;
}

type Statement = Database.Statement;

/**
 * The persistent store. Open it with {@link SqliteStore.open}; fill an empty one with {@link SqliteStore.seed};
 * close it with {@link SqliteStore.close}.
 */
export class SqliteStore implements EmulatorStore {
  /** The memory cache that answers reads (and runs transactions). */
  readonly memory: MemoryStore;
  /** Absolute path of the database file. */
  readonly file: string;
  /** Absolute path of the data folder. */
  readonly dataDir: string;

  private readonly db: Database.Database;
  private readonly maxLogEntries: number;
  private readonly upsertRow: Statement;
  private readonly deleteRow: Statement;
  private readonly insertChange: Statement;
  private readonly setMetaStatement: Statement;
  private readonly getMetaStatement: Statement;
  private readonly writeChanges: (changes: readonly StoreChange[], version: number) => void;
  private logLength = 0;
  private closed = false;

  /** Opens (or creates) the store in `options.dataDir` and loads it into memory. */
  static open(options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(options);
  }

  /** Deletes the database files of a data folder (the folder itself stays). */
  static destroy(dataDir: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      rmSync(join(dataDir, DATABASE_FILE + suffix), { force: true });
    }
  }

  private constructor(options: SqliteStoreOptions) {
    this.dataDir = resolve(options.dataDir);
    mkdirSync(this.dataDir, { recursive: true });
    this.file = join(this.dataDir, DATABASE_FILE);
    this.maxLogEntries = options.maxLogEntries ?? 200_000;

    this.db = new Database(this.file, { timeout: 0 });
    // One process per data folder: a second emulator writing the same files would diverge from this one's cache.
    this.db.pragma('locking_mode = EXCLUSIVE');
    try {
      this.db.exec('BEGIN EXCLUSIVE; COMMIT;');
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new Error(`The emulator data folder ${this.dataDir} is in use by another process (close it, or use another EMULATOR_DATA folder).`);
      }
      throw error;
    }
    // WAL: readers never block the writer, commits are a single append; NORMAL sync is durable against process
    // crashes (kill -9) — only an OS crash or power loss could drop the last commits.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // 64 MB page cache: the (tbl, id) index of ~200,000 rows with random GUID keys stays in memory, which makes the
    // seed's bulk insert about three times faster than with the default 2 MB.
    this.db.pragma('cache_size = -65536');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS rows (
        tbl TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (tbl, id)
      );
      CREATE TABLE IF NOT EXISTS changes (
        version INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);

    // An upsert (not INSERT OR REPLACE) keeps the row's rowid, so rows load back in their insertion order.
    this.upsertRow = this.db.prepare(
      'INSERT INTO rows (tbl, id, version, data) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, data = excluded.data',
    );
    this.deleteRow = this.db.prepare('DELETE FROM rows WHERE tbl = ? AND id = ?');
    this.insertChange = this.db.prepare('INSERT INTO changes (version, tbl, id, kind, data) VALUES (?, ?, ?, ?, ?)');
    this.setMetaStatement = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.getMetaStatement = this.db.prepare('SELECT value FROM meta WHERE key = ?');
    this.writeChanges = this.db.transaction((changes: readonly StoreChange[], version: number) => {
      for (const change of changes) {
        const data = JSON.stringify(change.row);
        if (change.kind === 'delete') this.deleteRow.run(change.table, change.id);
        else this.upsertRow.run(change.table, change.id, change.version, data);
        this.insertChange.run(change.version, change.table, change.id, change.kind, data);
      }
      this.setMetaStatement.run('version', String(version));
      this.logLength += changes.length;
      if (this.logLength > this.maxLogEntries * 1.1) this.pruneLog();
    });

    this.memory = new MemoryStore({
      indexes: options.indexes,
      maxLogEntries: this.maxLogEntries,
      persist: (changes, version) => this.writeChanges(changes, version),
    });
    this.loadFromDisk();
  }

  /** Whether nothing has been stored yet (a new data folder, or one that was reset). */
  get isEmpty(): boolean {
    return this.getMeta('version') === undefined;
  }

  /** A value the caller stored with {@link setMeta}. */
  getMeta(key: string): string | undefined {
    const row = this.getMetaStatement.get(key) as { value: string } | undefined;
    return row?.value;
  }

  /** Stores a value beside the rows (survives restarts). */
  setMeta(key: string, value: string): void {
    this.setMetaStatement.run(key, value);
  }

  /**
   * Bulk-loads seed rows into memory and writes them all to disk in one SQLite transaction, with `meta` entries.
   * No change-log entries: the seed is the starting point of change tracking.
   */
  seed(tables: Readonly<Record<string, readonly StoredRow[]>>, meta: Readonly<Record<string, string>> = {}): void {
    this.memory.load(tables);
    const version = this.memory.version;
    this.db.transaction(() => {
      for (const table of Object.keys(tables)) {
        for (const row of this.memory.all(table)) {
          const id = String(row[`${table}id`]).toLowerCase();
          this.upsertRow.run(table, id, row.versionnumber as number, JSON.stringify(row));
        }
      }
      for (const [key, value] of Object.entries(meta)) this.setMetaStatement.run(key, value);
      this.setMetaStatement.run('logFloor', String(version));
      this.setMetaStatement.run('version', String(version));
    })();
    // The seed went through the WAL as one big transaction: copy it into the database now and truncate the WAL,
    // rather than carrying a WAL as large as the database until the next automatic checkpoint.
    this.checkpoint();
  }

  /** Size of the data folder on disk, in bytes (database, WAL and anything else in it). */
  sizeOnDisk(): number {
    let total = 0;
    for (const name of readdirSync(this.dataDir)) {
      const path = join(this.dataDir, name);
      if (existsSync(path)) total += statSync(path).size;
    }
    return total;
  }

  /**
   * Copies the WAL into the main database file (SQLite does this on its own every ~1,000 pages; call it before
   * measuring the folder or copying it).
   */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Closes the database. The store must not be used afterwards. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // EmulatorStore: everything is answered by the memory cache.

  get version(): number {
    return this.memory.version;
  }

  get(table: string, id: string): StoredRow | undefined {
    return this.memory.get(table, id);
  }

  all(table: string): Iterable<StoredRow> {
    return this.memory.all(table);
  }

  count(table: string): number {
    return this.memory.count(table);
  }

  findBy(table: string, column: string, value: string | number | boolean): StoredRow[] {
    return this.memory.findBy(table, column, value);
  }

  /** Whether the memory cache has a secondary index on `column` of `table`. */
  hasIndex(table: string, column: string): boolean {
    return this.memory.hasIndex(table, column);
  }

  transaction<T>(fn: (tx: StoreTransaction) => T): T {
    if (this.closed) throw new Error('The emulator store is closed.');
    return this.memory.transaction(fn);
  }

  changesSince(table: string, afterVersion: number): ChangesSince {
    return this.memory.changesSince(table, afterVersion);
  }

  /** Loads rows into memory and writes them to disk (like {@link seed}, without meta entries). */
  load(tables: Readonly<Record<string, readonly StoredRow[]>>, options?: { readonly version?: number }): void {
    this.memory.load(tables, options);
    this.db.transaction(() => {
      for (const table of Object.keys(tables)) {
        for (const row of tables[table]) {
          const id = String(row[`${table}id`]).toLowerCase();
          const stored = this.memory.get(table, id);
          if (stored) this.upsertRow.run(table, id, stored.versionnumber as number, JSON.stringify(stored));
        }
      }
      // Rows loaded in bulk are not in the change log: deltas from before this point cannot be computed.
      this.setMetaStatement.run('logFloor', String(this.memory.version));
      this.setMetaStatement.run('version', String(this.memory.version));
    })();
  }

  changeStamp(table?: string): number {
    return this.memory.changeStamp(table);
  }

  subscribe(listener: (changes: readonly StoreChange[]) => void): () => void {
    return this.memory.subscribe(listener);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private loadFromDisk(): void {
    const tables: Record<string, StoredRow[]> = {};
    const rows = this.db.prepare('SELECT tbl, data FROM rows ORDER BY rowid').raw().iterate() as IterableIterator<[string, string]>;
    for (const [table, data] of rows) {
      (tables[table] ??= []).push(JSON.parse(data) as StoredRow);
    }
    const version = Number(this.getMeta('version') ?? 0);
    this.memory.load(tables, { version });

    const floor = Number(this.getMeta('logFloor') ?? version);
    const log: StoreChange[] = [];
    const entries = this.db.prepare('SELECT version, tbl, id, kind, data FROM changes WHERE version > ? ORDER BY version')
      .raw().iterate(floor) as IterableIterator<[number, string, string, StoreChange['kind'], string]>;
    for (const [v, table, id, kind, data] of entries) {
      log.push({ version: v, table, id, kind, row: JSON.parse(data) as StoredRow });
    }
    this.memory.restoreLog(log, floor);
    this.logLength = log.length;
  }

  /** Drops the oldest change-log entries on disk, keeping {@link SqliteStoreOptions.maxLogEntries}. */
  private pruneLog(): void {
    const excess = this.logLength - this.maxLogEntries;
    if (excess <= 0) return;
    const last = this.db.prepare('SELECT version FROM changes ORDER BY version LIMIT 1 OFFSET ?').pluck().get(excess - 1) as
      number | undefined;
    if (last === undefined) return;
    this.db.prepare('DELETE FROM changes WHERE version <= ?').run(last);
    this.setMetaStatement.run('logFloor', String(last));
    this.logLength -= excess;
  }
}
