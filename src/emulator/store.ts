/**
 * The emulator's storage contract.
 *
 * The request handler never touches rows directly: it reads through {@link EmulatorStore} and writes inside
 * {@link EmulatorStore.transaction}, so that a deep insert or a `$batch` change set is all or nothing, and every
 * write gets a version number (→ `versionnumber`, `@odata.etag`) and a change-log entry (→ change tracking).
 *
 * The contract is **synchronous** on purpose: the handler reads a request body first (async), then runs the whole
 * operation — validation, permission checks, writes — in one synchronous call. Nothing else can run in between,
 * so a change set cannot interleave with another request, and no locks are needed. better-sqlite3 is
 * synchronous too, so a persistent store fits the same contract.
 *
 * ## Implementing a persistent store
 * {@link MemoryStore} (`store/memory.ts`) takes a `persist(changes, version)` callback that it calls once per
 * committed outermost transaction, *inside* the transaction: if the callback throws, the memory changes are
 * rolled back and the error propagates. A SQLite store (Node only, `store/sqlite.ts`) can therefore be a
 * `MemoryStore` used as a cache, loaded from the database at start (`load(rows, { version })`) and given a
 * `persist` that writes the changes with better-sqlite3 inside `db.transaction(...)`. The emulator only ever sees
 * the {@link EmulatorStore} interface.
 */
import type { StoredRow, StoredValue } from './types.js';

/** What one write did; the change log and the `persist` hook receive these. */
export interface StoreChange {
  /** The version this write was given (also the row's `versionnumber`, for creates and updates). */
  readonly version: number;
  /** Table logical name. */
  readonly table: string;
  /** Primary key of the row (lower-case GUID). */
  readonly id: string;
  readonly kind: 'create' | 'update' | 'delete';
  /** The row after the write; for a delete, the row as it was just before it was deleted. */
  readonly row: StoredRow;
}

/** Changes to one table after a given version, one entry per row (the latest), in version order. */
export interface ChangesSince {
  readonly changes: readonly StoreChange[];
  /**
   * `false` when the log no longer reaches back to the asked version (pruned, or the store was loaded after it):
   * the caller cannot compute a correct delta and must start over.
   */
  readonly complete: boolean;
}

/** Reads. Rows returned are frozen: never mutate them. */
export interface StoreReader {
  /** The highest version handed out so far (0 for an empty store). */
  readonly version: number;
  get(table: string, id: string): StoredRow | undefined;
  /** Every row of a table, in insertion order. */
  all(table: string): Iterable<StoredRow>;
  count(table: string): number;
  /**
   * Rows whose `column` equals `value`. A lookup column matches on the referenced id. Uses a secondary index
   * when the store has one for this column (see `MemoryStoreOptions.indexes`), else scans.
   */
  findBy(table: string, column: string, value: string | number | boolean): StoredRow[];
}

/** Writes, available only inside {@link EmulatorStore.transaction}. Reads inside see the writes made so far. */
export interface StoreTransaction extends StoreReader {
  /**
   * Adds a row. Stamps `versionnumber` with a new version. Throws {@link DuplicateKeyError} when the id exists.
   * @returns the stored (frozen) row.
   */
  insert(table: string, id: string, row: StoredRow): StoredRow;
  /**
   * Merges `values` into an existing row (a `null` value clears the column). Stamps `versionnumber`.
   * Throws {@link MissingRowError} when the row does not exist.
   */
  update(table: string, id: string, values: Readonly<Record<string, StoredValue>>): StoredRow;
  /** Removes a row; returns the removed row, or `undefined` when there was none. */
  delete(table: string, id: string): StoredRow | undefined;
}

export interface EmulatorStore extends StoreReader {
  /**
   * Runs `fn` as one atomic unit: when it throws, every write it made is undone (rows, indexes, version counter,
   * change log) and the error is rethrown. A transaction started inside another joins it (only the outermost
   * one commits or rolls back).
   */
  transaction<T>(fn: (tx: StoreTransaction) => T): T;
  /** Changes to `table` with a version greater than `afterVersion` (for change tracking). */
  changesSince(table: string, afterVersion: number): ChangesSince;
  /**
   * Bulk-loads rows (seed data or a persistent store's contents) without writing change-log entries.
   * Rows without a numeric `versionnumber` get one. Existing rows with the same id are replaced.
   * `version` raises the version counter (for a store reopened from disk).
   */
  load(tables: Readonly<Record<string, readonly StoredRow[]>>, options?: { readonly version?: number }): void;
  /** Called after every committed outermost transaction with its changes. Returns an unsubscribe function. */
  subscribe(listener: (changes: readonly StoreChange[]) => void): () => void;
  /**
   * A number that changes whenever the rows of `table` change — a write, a write of a failed transaction being
   * undone, a bulk load — and never comes back to an earlier value; without a table, the same for the whole
   * store. Unlike {@link StoreReader.version} it also moves on a rollback, so a result computed from the rows
   * (the emulator's cache of sorted query results) is still current exactly when the stamps it was computed at
   * are unchanged — even when it was computed inside a transaction that was later rolled back.
   *
   * Optional: the emulator does not cache query results over a store without it.
   */
  changeStamp?(table?: string): number;
}

/** Thrown by {@link StoreTransaction.insert} when a row with the same id exists. */
export class DuplicateKeyError extends Error {
  constructor(readonly table: string, readonly id: string) {
    super(`A row with id ${id} already exists in ${table}.`);
    this.name = 'DuplicateKeyError';
  }
}

/** Thrown by {@link StoreTransaction.update} when the row does not exist. */
export class MissingRowError extends Error {
  constructor(readonly table: string, readonly id: string) {
    super(`No row with id ${id} in ${table}.`);
    this.name = 'MissingRowError';
  }
}
