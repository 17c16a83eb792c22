/**
 * A cache of sorted query results, so that paging through a long list does not filter and sort every row in
 * scope again for each page.
 *
 * A list read (`GET salesorders?$filter=…&$orderby=…`) needs the rows the caller may read that match the filter,
 * in the query's order; a page is then a slice of that list, found by binary search on the paging cookie. This
 * cache keeps such lists, keyed by
 * - the table and the caller's row scope ({@link AccessControl.scopeOf}: the granting table permissions and the
 *   contact and account they start from — two callers with the same scope share entries),
 * - the `$orderby`, and
 * - the `$filter` (its parsed form; `$select`, `$expand`, `$top`, `$count` and the page size do not matter),
 *   with the caller's row scope on each table the filter reads through lookups and lambdas (related rows are
 *   seen under the caller's permissions, so two callers share such an entry only when those scopes agree too).
 *
 * **Staleness.** An entry remembers the store's change stamps ({@link EmulatorStore.changeStamp}) of the tables
 * it was computed from, and is used only while they are unchanged: any write to one of them — a create, an
 * update, a delete, even one rolled back — makes it stale, and the next read computes the list again. The tables
 * are the listed table, the tables of parent table permissions of the scope, the tables a filter reads through
 * lookups and lambdas (`customerid_account/name`, `order_details/any(…)`) and the tables their scopes read; an
 * `$orderby` on a lookup (which orders by the related row's name) makes the entry depend on every table. A filter
 * that reads the clock (`Microsoft.Dynamics.CRM.Today`, `LastXDays`, …) is never cached.
 *
 * **Derived lists.** A filtered list is computed from the cached unfiltered list of the same scope and order
 * (filtering keeps the order), so a new search over a long list costs one pass over it, not a sort.
 *
 * The number of entries is bounded (least recently used first out). A store without change stamps gets no
 * caching: every read computes its list.
 *
 * @module
 */
import type { TableDef } from '../tables/schema.js';
import type { Engine } from './context.js';
import type { FilterExpr } from './odata/ast.js';
import { compileFilterWithDependencies, type EvalContext } from './odata/compile.js';
import { orderReadsRelatedRows, sortRows, type LookupNameSource, type OrderByItem } from './odata/order.js';
import { evaluationContext } from './serialize.js';
import type { SeedUser, StoredRow } from './types.js';

/** Default number of lists kept. */
export const DEFAULT_LIST_CACHE_ENTRIES = 64;

/** What the cache has done since it was created (for diagnostics and tests). */
export interface ListCacheStats {
  /** Lookups that found a cached, current list (a filtered read may also look up its unfiltered list). */
  hits: number;
  /** Lookups that found none, or a stale one. */
  misses: number;
  /** Cached lists found stale (a table they depend on changed). */
  stale: number;
  /** Cached lists dropped to make room. */
  evicted: number;
}

/** The tables a list was computed from, with their change stamps at the time. */
type Dependencies =
  | { readonly all: true; readonly stamp: number }
  | { readonly all: false; readonly stamps: ReadonlyMap<string, number> };

interface Entry {
  readonly rows: readonly StoredRow[];
  /** Tables the list depends on (`'*'` = every table), to extend for lists derived from this one. */
  readonly tables: ReadonlySet<string>;
  readonly dependencies: Dependencies;
}

/** Sorted, filtered lists of rows in a caller's scope, cached while the tables they come from are unchanged. */
export class ListCache {
  readonly stats: ListCacheStats = { hits: 0, misses: 0, stale: 0, evicted: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  /**
   * @param engine the emulator's tables, store and table permissions
   * @param maxEntries most lists kept (default {@link DEFAULT_LIST_CACHE_ENTRIES}); 0 turns caching off
   */
  constructor(private readonly engine: Engine, maxEntries = DEFAULT_LIST_CACHE_ENTRIES) {
    this.maxEntries = Math.max(0, Math.floor(maxEntries));
  }

  /** Number of lists held (current or not). */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every list. */
  clear(): void {
    this.entries.clear();
  }

  /**
   * The rows of `table` that `user` may read, matching `filter`, ordered by `orderBy` and then by primary key.
   * The array may be shared with later reads: never change it.
   *
   * @param now the time date functions in the filter compare with
   * @throws ODataQueryError when the filter or the order does not fit the table (the query parser has already
   *   checked both, so in practice never)
   */
  rows(
    user: SeedUser | undefined,
    table: TableDef,
    filter: FilterExpr | undefined,
    orderBy: readonly OrderByItem[],
    now: Date,
  ): readonly StoredRow[] {
    const scope = this.engine.access.scopeOf(user, table.logicalName, 'read');
    if (!scope) return [];
    const caching = this.maxEntries > 0 && typeof this.engine.store.changeStamp === 'function';
    const baseKey = `${scope.key}\n${JSON.stringify(orderBy.map((item) => [item.column, item.descending]))}`;
    // A filter that reads related rows sees them with the caller's permissions (see `evaluationContext`): its
    // result also depends on the caller's scope on those tables, so their scope keys join the entry's key and
    // the tables those scopes read join its dependencies.
    const compiled = filter ? compileFilterWithDependencies(filter, { table, tableOf: (name) => this.engine.tableOf(name) }) : undefined;
    const relatedScopes = [...(compiled?.tablesRead ?? [])].sort().map((related) => this.engine.access.scopeOf(user, related, 'read'));
    const relatedKey = relatedScopes.map((related) => related?.key ?? 'none').join('\n');
    const key = filter ? `${baseKey}\n${JSON.stringify(filter)}\n${relatedKey}` : baseKey;
    const cached = caching ? this.current(key) : undefined;
    if (cached) return cached.rows;

    // The unfiltered list of the scope, in order.
    let base = filter && caching ? this.current(baseKey) : undefined;
    if (!base) {
      const tables = new Set(scope.tables);
      if (orderReadsRelatedRows(orderBy, table)) tables.add('*');
      const dependencies = this.dependencies(tables);
      const scoped = [...this.engine.access.rowsInScope(user, table.logicalName, 'read', this.engine.store)];
      base = { rows: sortRows(scoped, orderBy, table, this.names()), tables, dependencies };
      if (caching) this.put(baseKey, base);
    }
    if (!compiled) return base.rows;

    // Filtering keeps the order: a filtered list is one pass over the unfiltered one.
    const ctx: EvalContext = { ...evaluationContext(this.engine, this.engine.store, { user }), table, now };
    const rows = base.rows.filter((row) => compiled.predicate(row, ctx));
    if (caching && !compiled.usesNow) {
      const tables = new Set([...base.tables, ...compiled.tablesRead, ...relatedScopes.flatMap((related) => related?.tables ?? [])]);
      this.put(key, { rows, tables, dependencies: this.dependencies(tables) });
    }
    return rows;
  }

  /** The cached entry under `key` if it is still current (and marks it recently used); counts hits and misses. */
  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.isCurrent(entry.dependencies)) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.stats.hits++;
      return entry;
    }
    if (entry) {
      this.entries.delete(key);
      this.stats.stale++;
    }
    this.stats.misses++;
    return undefined;
  }

  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.stats.evicted++;
    }
  }

  /** The current change stamps of `tables` (`'*'` among them: the whole store's). */
  private dependencies(tables: ReadonlySet<string>): Dependencies {
    const store = this.engine.store;
    if (!store.changeStamp) return { all: true, stamp: 0 };
    if (tables.has('*')) return { all: true, stamp: store.changeStamp() };
    const stamps = new Map<string, number>();
    for (const table of tables) stamps.set(table, store.changeStamp(table));
    return { all: false, stamps };
  }

  private isCurrent(dependencies: Dependencies): boolean {
    const store = this.engine.store;
    if (!store.changeStamp) return false;
    if (dependencies.all) return store.changeStamp() === dependencies.stamp;
    for (const [table, stamp] of dependencies.stamps) if (store.changeStamp(table) !== stamp) return false;
    return true;
  }

  /** Lookups order by the related row's primary name (see `odata/order.ts`). */
  private names(): LookupNameSource {
    return {
      row: (table, id) => this.engine.store.get(table, id),
      tableOf: (name) => this.engine.tableOf(name),
    };
  }
}
