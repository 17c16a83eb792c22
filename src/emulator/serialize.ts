/**
 * Stored rows → Web API JSON: `$select`, `@odata.etag`, lookups as `_x_value`, instance annotations (formatted
 * values, lookup logical names, associated navigation properties) and `$expand` (single- and collection-valued,
 * nested), with table permissions applied to every expanded row. Also the `@odata.context` URLs.
 */
import type { ColumnDef, TableDef } from '../tables/schema.js';
import type { ApiContext, Engine } from './context.js';
import {
  ASSOCIATED_NAVIGATION_PROPERTY,
  FORMATTED_VALUE,
  LOOKUP_LOGICAL_NAME,
  formatColumnValue,
  type AnnotationFilter,
} from './format.js';
import type { FilterExpr } from './odata/ast.js';
import { compileFilter, type EvalContext } from './odata/compile.js';
import { columnOf, isLookupType, lookupColumnOfValueName, navigationOf } from './odata/model.js';
import { compareRows, sortRows, type LookupNameSource, type OrderByItem } from './odata/order.js';
import type { ApplyExpr } from './odata/apply.js';
import type { StoreReader } from './store.js';
import { isLookupValue, type SeedUser, type StoredRow } from './types.js';

/** Collection-valued `$expand` returns at most this many related rows (powerapps-docs, query/join-tables.md). */
export const MAX_EXPANDED_ROWS = 5000;

/**
 * The query options the handler works with (the shape the OData engine's `parseQueryOptions` returns).
 */
export interface QueryOptions {
  /** `$select` names as written (`name`, `_customerid_value`); absent = every declared column. */
  readonly select?: readonly string[];
  readonly filter?: FilterExpr;
  readonly orderBy: readonly OrderByItem[];
  readonly top?: number;
  readonly count: boolean;
  readonly expand: readonly ExpandOptions[];
  readonly apply?: ApplyExpr;
  readonly skipToken?: string;
  readonly deltaToken?: string;
}

export interface ExpandOptions {
  readonly navigation: string;
  readonly options: QueryOptions;
}

/** The stored columns a `$select` asks for, in order, plus the primary key (and the currency for money). */
export function selectedColumns(table: TableDef, select: readonly string[] | undefined): string[] {
  const names = select ?? Object.keys(table.columns);
  const columns: string[] = [];
  const add = (name: string) => {
    if (!columns.includes(name)) columns.push(name);
  };
  for (const name of names) {
    const column = lookupColumnOfValueName(table, name) ?? name;
    if (columnOf(table, column)) add(column);
  }
  if (!columns.includes(table.primaryKey)) add(table.primaryKey);
  if (
    table.columns.transactioncurrencyid
    && columns.some((c) => table.columns[c]?.type === 'money')
  ) {
    add('transactioncurrencyid');
  }
  return columns;
}

/** The `@odata.context` select list: `name,totalamount,order_details(quantity)`. */
function contextSelectList(table: TableDef, query: QueryOptions, engine: Engine): string {
  const parts = [...(query.select ?? [])];
  for (const item of query.expand) {
    const nav = navigationOf(table, item.navigation);
    const related = nav ? engine.tableOf(nav.table) : undefined;
    const inner = related ? contextSelectList(related, item.options, engine) : '';
    parts.push(`${item.navigation}(${inner})`);
  }
  return parts.join(',');
}

/**
 * `…/$metadata#salesorders(name,totalamount)`; `/$entity` is appended for a single row and `/$delta` for a
 * change-tracking answer.
 */
export function contextUrl(
  ctx: ApiContext,
  engine: Engine,
  table: TableDef,
  query: QueryOptions,
  suffix: '' | '/$entity' | '/$delta' = '',
): string {
  const list = contextSelectList(table, query, engine);
  return `${ctx.base}$metadata#${table.entitySet}${list ? `(${list})` : ''}${suffix}`;
}

/** `W/"<versionnumber>"`. */
export function etagOf(row: StoredRow): string {
  return `W/"${typeof row.versionnumber === 'number' ? row.versionnumber : 0}"`;
}

/** Turns rows into Web API JSON for one request. */
export class Serializer {
  private readonly currencyCodes = new Map<string, string | undefined>();
  readonly evalContext: EvalContext;

  constructor(
    private readonly engine: Engine,
    private readonly ctx: ApiContext,
    private readonly annotations: AnnotationFilter,
    private readonly store: StoreReader,
  ) {
    // Related rows a filter reads (lookups, lambdas) are seen with the caller's permissions, as the rows
    // themselves are: what the caller cannot read behaves as absent.
    this.evalContext = evaluationContext(engine, store, ctx.enforcePermissions ? { user: ctx.user } : undefined);
  }

  /** One row as JSON, with `$select` and `$expand` applied. */
  entity(table: TableDef, row: StoredRow, query: QueryOptions, insideCollectionExpand = false): Record<string, unknown> {
    const json: Record<string, unknown> = { '@odata.etag': etagOf(row) };
    for (const name of selectedColumns(table, query.select)) {
      const column = columnOf(table, name)!;
      this.writeColumn(json, row, name, column);
    }
    for (const item of query.expand) {
      // Power Pages returns one level of related rows under a collection-valued expand.
      if (insideCollectionExpand && this.ctx.flavor === 'powerpages') continue;
      this.writeExpand(json, table, row, item, insideCollectionExpand);
    }
    return json;
  }

  private writeColumn(json: Record<string, unknown>, row: StoredRow, name: string, column: ColumnDef): void {
    const value = row[name] ?? null;
    if (isLookupType(column.type)) {
      const property = `_${name}_value`;
      if (isLookupValue(value)) {
        if (this.annotations.includes(FORMATTED_VALUE)) {
          const target = this.engine.tableOf(value.table);
          const label = target ? this.store.get(value.table, value.id)?.[target.primaryName] : undefined;
          if (typeof label === 'string') json[`${property}@${FORMATTED_VALUE}`] = label;
        }
        const navigation = column.navigation?.[value.table];
        if (navigation && this.annotations.includes(ASSOCIATED_NAVIGATION_PROPERTY)) {
          json[`${property}@${ASSOCIATED_NAVIGATION_PROPERTY}`] = navigation;
        }
        if (this.annotations.includes(LOOKUP_LOGICAL_NAME)) json[`${property}@${LOOKUP_LOGICAL_NAME}`] = value.table;
        json[property] = value.id;
      } else {
        json[property] = typeof value === 'string' ? value : null;
      }
      return;
    }
    if (this.annotations.includes(FORMATTED_VALUE)) {
      const currency = column.type === 'money' ? this.currencyOf(row) : undefined;
      const formatted = formatColumnValue(column, value, this.engine.format, currency);
      if (formatted !== undefined) json[`${name}@${FORMATTED_VALUE}`] = formatted;
    }
    json[name] = isLookupValue(value) ? value.id : value;
  }

  private writeExpand(
    json: Record<string, unknown>,
    table: TableDef,
    row: StoredRow,
    item: ExpandOptions,
    insideCollectionExpand: boolean,
  ): void {
    const nav = navigationOf(table, item.navigation);
    if (!nav) return; // the query engine has already refused unknown navigation properties
    const related = this.engine.tableOf(nav.table);
    if (!related) return;
    const { access } = this.engine;
    if (nav.kind === 'single') {
      const value = row[nav.column];
      let target: StoredRow | undefined;
      if (isLookupValue(value) && value.table === nav.table) target = this.store.get(nav.table, value.id);
      if (target && this.ctx.enforcePermissions && !access.allows(this.ctx.user, nav.table, target, 'read', this.store)) {
        target = undefined;
      }
      json[item.navigation] = target ? this.entity(related, target, item.options, insideCollectionExpand) : null;
      return;
    }
    let children = this.store.findBy(nav.table, nav.referencingColumn, String(row[table.primaryKey]));
    if (this.ctx.enforcePermissions) {
      children = children.filter((child) => access.allows(this.ctx.user, nav.table, child, 'read', this.store));
    }
    children = this.filterAndSort(related, children, item.options);
    const limit = Math.min(item.options.top ?? MAX_EXPANDED_ROWS, MAX_EXPANDED_ROWS);
    json[item.navigation] = children.slice(0, limit).map((child) => this.entity(related, child, item.options, true));
  }

  /** Applies `$filter` and `$orderby` (with the primary key as the last key) to rows of `table`. */
  filterAndSort(table: TableDef, rows: StoredRow[], query: QueryOptions): StoredRow[] {
    let result = rows;
    if (query.filter) {
      const predicate = compileFilter(query.filter, { table, tableOf: (name) => this.engine.tableOf(name) });
      const evalCtx: EvalContext = { ...this.evalContext, table, now: this.engine.now() };
      result = result.filter((row) => predicate(row, evalCtx));
    }
    return sortRows(result, query.orderBy, table, this.lookupNames());
  }

  comparator(table: TableDef, orderBy: readonly OrderByItem[]): (a: StoredRow, b: StoredRow) => number {
    return compareRows(orderBy, table, this.lookupNames());
  }

  /** Where `$orderby` on a lookup finds the related row's primary name. */
  private lookupNames(): LookupNameSource {
    return { row: (t, id) => this.store.get(t, id), tableOf: (name) => this.engine.tableOf(name) };
  }

  private currencyOf(row: StoredRow): string | undefined {
    const currency = row.transactioncurrencyid;
    if (!isLookupValue(currency)) return undefined;
    if (!this.currencyCodes.has(currency.id)) {
      const code = this.store.get(currency.table, currency.id)?.isocurrencycode;
      this.currencyCodes.set(currency.id, typeof code === 'string' ? code : undefined);
    }
    return this.currencyCodes.get(currency.id);
  }
}

/** Whose permissions the related rows a filter reads are seen with (see {@link evaluationContext}). */
export interface FilterCaller {
  /** The caller; `undefined` (signed out) reads no related row. */
  readonly user: SeedUser | undefined;
}

/**
 * What the filter engine needs to follow lookups and collections, over a store.
 *
 * With a `caller`, related rows are read under the caller's table permissions, as Power Pages and Dataverse
 * evaluate a filter's linked rows under the caller's privileges: a lookup to a row the caller cannot read is
 * `null` (`customerid_account/name eq 'x'` does not match), and a lambda (`order_customer_accounts/any(…)`) ranges
 * over the related rows the caller can read only. Without this a customer could learn, one yes/no filter at a
 * time, about rows they may not see. Without a `caller` (the emulator's own system reads) every row counts.
 */
export function evaluationContext(engine: Engine, store: StoreReader, caller?: FilterCaller): EvalContext {
  const readable = caller
    ? (table: string, row: StoredRow) => engine.access.allows(caller.user, table, row, 'read', store)
    : () => true;
  return {
    table: Object.values(engine.tables)[0]!,
    tableOf: (name) => engine.tableOf(name),
    row: (table, id) => {
      const row = store.get(table, id);
      return row && readable(table, row) ? row : undefined;
    },
    children: (table, navigation, parent) => {
      const nav = navigationOf(table, navigation);
      if (!nav || nav.kind !== 'collection') return [];
      const rows = store.findBy(nav.table, nav.referencingColumn, String(parent[table.primaryKey]));
      return caller ? rows.filter((row) => readable(nav.table, row)) : rows;
    },
  };
}
