/**
 * In-memory implementation of {@link EmulatorStore}: rows per table in a `Map` keyed by id, secondary indexes on
 * chosen columns, one global version counter, a change log for change tracking, and an undo log per
 * transaction so that a failed change set leaves no trace.
 *
 * Runs unchanged in Node and in the browser (no Node imports).
 */
import {
  DuplicateKeyError,
  MissingRowError,
  type ChangesSince,
  type EmulatorStore,
  type StoreChange,
  type StoreTransaction,
} from '../store.js';
import { isLookupValue, type StoredRow, type StoredValue } from '../types.js';

export interface MemoryStoreOptions {
  /**
   * Columns to index per table logical name (`{ salesorder: ['customerid', 'msdyn_contactperson'] }`). A lookup
   * column is indexed by the referenced id. `findBy` on an indexed column costs O(matches) instead of a scan.
   */
  readonly indexes?: Readonly<Record<string, readonly string[]>>;
  /**
   * Called once per committed outermost transaction, inside it, with its changes and the new version. When it
   * throws, the transaction is rolled back and the error propagates: this is the write-through hook of a
   * persistent store.
   */
  readonly persist?: (changes: readonly StoreChange[], version: number) => void;
  /**
   * Maximum change-log entries kept; older ones are dropped (change-tracking tokens older than the kept log
   * then report `complete: false`). Default 1,000,000.
   */
  readonly maxLogEntries?: number;
}

type IndexKey = string;

interface UndoEntry {
  readonly table: string;
  readonly id: string;
  /** The row before the write, or `undefined` when the write created it. */
  readonly before: StoredRow | undefined;
}

interface OpenTransaction {
  readonly startVersion: number;
  readonly startLogLength: number;
  readonly undo: UndoEntry[];
  readonly changes: StoreChange[];
}

/** The value an index files a row under, or `undefined` for "not indexed" (null/absent). */
function indexKey(value: StoredValue | undefined): IndexKey | undefined {
  if (value === null || value === undefined) return undefined;
  if (isLookupValue(value)) return value.id.toLowerCase();
  if (typeof value === 'string') return value.toLowerCase();
  return String(value);
}

function valueMatches(stored: StoredValue | undefined, wanted: string | number | boolean): boolean {
  const key = indexKey(stored);
  return key !== undefined && key === indexKey(wanted);
}

/**
 * The in-memory store. See {@link EmulatorStore} for the contract and {@link MemoryStoreOptions} for the
 * indexes and the persistence hook.
 */
export class MemoryStore implements EmulatorStore {
  private readonly tables = new Map<string, Map<string, StoredRow>>();
  /** table → column → key → id → row (the row itself, so that `findBy` needs no second lookup) */
  private readonly indexes = new Map<string, Map<string, Map<IndexKey, Map<string, StoredRow>>>>();
  private readonly log: StoreChange[] = [];
  /** Versions at or below this are not covered by the log (dropped, or loaded in bulk). */
  private logFloor = 0;
  private currentVersion = 0;
  private open: OpenTransaction | undefined;
  private readonly listeners = new Set<(changes: readonly StoreChange[]) => void>();
  /** Row puts and removes so far (writes, undos, loads): the store-wide change stamp. */
  private mutations = 0;
  /** table → the value of {@link mutations} at its last put or remove. */
  private readonly tableStamps = new Map<string, number>();
  private readonly persist: MemoryStoreOptions['persist'];
  private readonly maxLogEntries: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.persist = options.persist;
    this.maxLogEntries = options.maxLogEntries ?? 1_000_000;
    for (const [table, columns] of Object.entries(options.indexes ?? {})) {
      const byColumn = new Map<string, Map<IndexKey, Map<string, StoredRow>>>();
      for (const column of columns) byColumn.set(column, new Map());
      this.indexes.set(table, byColumn);
    }
  }

  get version(): number {
    return this.currentVersion;
  }

  get(table: string, id: string): StoredRow | undefined {
    return this.tables.get(table)?.get(id.toLowerCase());
  }

  all(table: string): Iterable<StoredRow> {
    return this.tables.get(table)?.values() ?? [];
  }

  count(table: string): number {
    return this.tables.get(table)?.size ?? 0;
  }

  findBy(table: string, column: string, value: string | number | boolean): StoredRow[] {
    const index = this.indexes.get(table)?.get(column);
    const rows = this.tables.get(table);
    if (!rows) return [];
    if (index) {
      const matches = index.get(indexKey(value) as IndexKey);
      return matches ? [...matches.values()] : [];
    }
    const found: StoredRow[] = [];
    for (const row of rows.values()) if (valueMatches(row[column], value)) found.push(row);
    return found;
  }

  changeStamp(table?: string): number {
    return table === undefined ? this.mutations : (this.tableStamps.get(table) ?? 0);
  }

  /** Whether `column` of `table` has a secondary index. */
  hasIndex(table: string, column: string): boolean {
    return this.indexes.get(table)?.has(column) ?? false;
  }

  transaction<T>(fn: (tx: StoreTransaction) => T): T {
    if (this.open) return fn(this.writer);
    const open: OpenTransaction = {
      startVersion: this.currentVersion,
      startLogLength: this.log.length,
      undo: [],
      changes: [],
    };
    this.open = open;
    let committed = false;
    try {
      const result = fn(this.writer);
      if (open.changes.length > 0) this.persist?.(open.changes, this.currentVersion);
      committed = true;
      return result;
    } finally {
      this.open = undefined;
      if (!committed) this.rollback(open);
      else if (open.changes.length > 0) {
        this.pruneLog();
        for (const listener of [...this.listeners]) listener(open.changes);
      }
    }
  }

  changesSince(table: string, afterVersion: number): ChangesSince {
    const complete = afterVersion >= this.logFloor;
    // The log is in version order: binary-search the first entry after `afterVersion`.
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.log[mid].version <= afterVersion) low = mid + 1;
      else high = mid;
    }
    const latest = new Map<string, StoreChange>();
    for (let i = low; i < this.log.length; i++) {
      const change = this.log[i];
      if (change.table !== table) continue;
      latest.delete(change.id); // keep version order of the latest change
      latest.set(change.id, change);
    }
    return { changes: [...latest.values()], complete };
  }

  load(tables: Readonly<Record<string, readonly StoredRow[]>>, options: { readonly version?: number } = {}): void {
    if (this.open) throw new Error('MemoryStore.load cannot run inside a transaction.');
    let highest = Math.max(this.currentVersion, options.version ?? 0);
    for (const rows of Object.values(tables)) {
      for (const row of rows) {
        const v = row.versionnumber;
        if (typeof v === 'number' && v > highest) highest = v;
      }
    }
    for (const [table, rows] of Object.entries(tables)) {
      for (const row of rows) {
        const id = primaryId(table, row);
        let stored = row;
        if (typeof row.versionnumber !== 'number') stored = { ...row, versionnumber: ++highest };
        this.put(table, id, Object.freeze({ ...stored }));
      }
    }
    this.currentVersion = highest;
    // Nothing before this point is in the log: a delta from an older version cannot be computed.
    this.logFloor = Math.max(this.logFloor, highest);
  }

  /**
   * Puts back change-log entries that a persistent store saved (oldest first), after {@link load}, so that change
   * tracking continues across a restart. `floor` is the highest version the log does not cover (the version of
   * the bulk-loaded seed). Entries must all have versions above `floor` and at most {@link version}.
   */
  restoreLog(changes: readonly StoreChange[], floor: number): void {
    if (this.open) throw new Error('MemoryStore.restoreLog cannot run inside a transaction.');
    this.log.length = 0;
    for (const change of changes) this.log.push(Object.freeze({ ...change, row: Object.freeze({ ...change.row }) }));
    this.logFloor = floor;
    this.pruneLog();
  }

  subscribe(listener: (changes: readonly StoreChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Writing

  /** The transaction view: the store's reads plus its private write methods. */
  private readonly writer: StoreTransaction = this.createWriter();

  private createWriter(): StoreTransaction {
    const store = this;
    return {
      get version() {
        return store.currentVersion;
      },
      get: (table, id) => this.get(table, id),
      all: (table) => this.all(table),
      count: (table) => this.count(table),
      findBy: (table, column, value) => this.findBy(table, column, value),
      insert: (table, id, row) => this.insertRow(table, id, row),
      update: (table, id, values) => this.updateRow(table, id, values),
      delete: (table, id) => this.deleteRow(table, id),
    };
  }

  private requireOpen(): OpenTransaction {
    if (!this.open) throw new Error('MemoryStore writes must run inside transaction().');
    return this.open;
  }

  private insertRow(table: string, id: string, row: StoredRow): StoredRow {
    const open = this.requireOpen();
    const key = id.toLowerCase();
    if (this.get(table, key)) throw new DuplicateKeyError(table, key);
    const version = ++this.currentVersion;
    const stored = Object.freeze({ ...row, versionnumber: version });
    open.undo.push({ table, id: key, before: undefined });
    this.put(table, key, stored);
    this.record(open, { version, table, id: key, kind: 'create', row: stored });
    return stored;
  }

  private updateRow(table: string, id: string, values: Readonly<Record<string, StoredValue>>): StoredRow {
    const open = this.requireOpen();
    const key = id.toLowerCase();
    const before = this.get(table, key);
    if (!before) throw new MissingRowError(table, key);
    const version = ++this.currentVersion;
    const stored = Object.freeze({ ...before, ...values, versionnumber: version });
    open.undo.push({ table, id: key, before });
    this.put(table, key, stored);
    this.record(open, { version, table, id: key, kind: 'update', row: stored });
    return stored;
  }

  private deleteRow(table: string, id: string): StoredRow | undefined {
    const open = this.requireOpen();
    const key = id.toLowerCase();
    const before = this.get(table, key);
    if (!before) return undefined;
    const version = ++this.currentVersion;
    open.undo.push({ table, id: key, before });
    this.remove(table, key);
    this.record(open, { version, table, id: key, kind: 'delete', row: before });
    return before;
  }

  private record(open: OpenTransaction, change: StoreChange): void {
    open.changes.push(change);
    this.log.push(change);
  }

  private rollback(open: OpenTransaction): void {
    for (let i = open.undo.length - 1; i >= 0; i--) {
      const { table, id, before } = open.undo[i];
      if (before) this.put(table, id, before);
      else this.remove(table, id);
    }
    this.currentVersion = open.startVersion;
    this.log.length = open.startLogLength;
  }

  private pruneLog(): void {
    const excess = this.log.length - this.maxLogEntries;
    if (excess <= 0) return;
    this.logFloor = this.log[excess - 1].version;
    this.log.splice(0, excess);
  }

  /** Puts a row in place (replacing any), keeping the indexes right. */
  private put(table: string, id: string, row: StoredRow): void {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = new Map();
      this.tables.set(table, rows);
    }
    const before = rows.get(id);
    if (before) this.unindex(table, id, before);
    rows.set(id, row);
    this.index(table, id, row);
    this.tableStamps.set(table, ++this.mutations);
  }

  private remove(table: string, id: string): void {
    const rows = this.tables.get(table);
    const before = rows?.get(id);
    if (!rows || !before) return;
    this.unindex(table, id, before);
    rows.delete(id);
    this.tableStamps.set(table, ++this.mutations);
  }

  private index(table: string, id: string, row: StoredRow): void {
    const byColumn = this.indexes.get(table);
    if (!byColumn) return;
    for (const [column, index] of byColumn) {
      const key = indexKey(row[column]);
      if (key === undefined) continue;
      let matches = index.get(key);
      if (!matches) {
        matches = new Map();
        index.set(key, matches);
      }
      matches.set(id, row);
    }
  }

  private unindex(table: string, id: string, row: StoredRow): void {
    const byColumn = this.indexes.get(table);
    if (!byColumn) return;
    for (const [column, index] of byColumn) {
      const key = indexKey(row[column]);
      if (key === undefined) continue;
      const matches = index.get(key);
      matches?.delete(id);
      if (matches && matches.size === 0) index.delete(key);
    }
  }
}

/**
 * The id of a row being bulk-loaded: its `<logical name>id` column, Dataverse's naming rule for primary keys
 * (`salesorder` → `salesorderid`, `cdm_company` → `cdm_companyid`).
 */
function primaryId(table: string, row: StoredRow): string {
  const id = row[`${table}id`];
  if (typeof id === 'string') return id.toLowerCase();
  throw new Error(`MemoryStore.load: a row of ${table} has no ${table}id.`);
}
