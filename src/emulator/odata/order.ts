/**
 * Row ordering for `$orderby`, as Dataverse's SQL Server orders rows.
 *
 * - Nulls sort first in ascending order and last in descending order (SQL Server's rule).
 * - Strings compare case- and accent-insensitively (the database collation).
 * - Choice columns order by their integer value; lookup columns by the primary name of the related row
 *   (powerapps-docs, webapi/query/order-rows.md, "Ordering lookup and choice columns"), which needs a
 *   {@link LookupNameSource}; without one they order by GUID.
 * - Ties are always broken by the primary key, so pages cut from the same query are stable.
 *
 * @module
 */

import type { TableDef } from '../../tables/schema.js';
import { isLookupValue, type StoredRow } from '../types.js';
import { propertyNotFound } from './errors.js';
import {
  type Comparable,
  type ValueKind,
  columnOf,
  columnReader,
  entityTypeName,
  isLookupType,
  lookupColumnOfValueName,
  valueKindOf,
} from './model.js';
import { compareStrings, compareTrimmedStrings } from './strings.js';

/** One `$orderby` item: a column logical name (a lookup may also be named `_x_value`) and its direction. */
export interface OrderByItem {
  readonly column: string;
  readonly descending: boolean;
}

/** Where a lookup's related row, and so its primary name, is found. */
export interface LookupNameSource {
  row(table: string, id: string): StoredRow | undefined;
  tableOf(logicalName: string): TableDef | undefined;
}

function compareKeys(kind: ValueKind, a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (kind === 'string') return compareStrings(a as string, b as string);
  if (kind === 'guid') return (a as string) < (b as string) ? -1 : 1;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How one `$orderby` key is read from a row and compared. */
interface SortKey {
  readonly read: (row: StoredRow) => Comparable;
  readonly kind: ValueKind;
  readonly sign: 1 | -1;
  /** For a value read from the row alone (not a lookup's related name): `<table>.<column>:<kind>`. */
  readonly column?: string;
}

/**
 * Sort values that cost a parse (dates → milliseconds) or a new string (lower-cased GUIDs), per
 * `<table>.<column>:<kind>`, kept per row object. Stored rows are frozen (see `store.ts`), so a value read
 * once stays right for as long as the row exists; an updated row is a new object. Only frozen rows are
 * remembered.
 */
const parsedValues = new Map<string, WeakMap<StoredRow, Comparable>>();

/** `read`, remembering its result per frozen row (see {@link parsedValues}). */
function remembered(column: string, read: (row: StoredRow) => Comparable): (row: StoredRow) => Comparable {
  let memo = parsedValues.get(column);
  if (!memo) {
    memo = new WeakMap();
    parsedValues.set(column, memo);
  }
  const values = memo;
  return (row) => {
    let value = values.get(row);
    if (value === undefined) {
      value = read(row);
      if (Object.isFrozen(row)) values.set(row, value);
    }
    return value;
  };
}

/** The sort keys of `orderBy` on `table`, then the primary key's reader. */
function sortKeysOf(
  orderBy: readonly OrderByItem[],
  table: TableDef,
  names: LookupNameSource | undefined,
): { keys: SortKey[]; readKey: (row: StoredRow) => Comparable } {
  const keys = orderBy.map(({ column, descending }): SortKey => {
    const name = lookupColumnOfValueName(table, column) ?? column;
    const def = columnOf(table, name);
    if (!def) throw propertyNotFound(column, entityTypeName(table));
    const sign = descending ? -1 : 1;
    if (!isLookupType(def.type) || !names) {
      const kind = valueKindOf(def);
      return { read: columnReader(name, def), kind, sign, column: `${table.logicalName}.${name}:${kind}` };
    }
    // A lookup orders by its related row's primary name.
    const cache = new Map<string, string | null>();
    return {
      kind: 'string',
      sign,
      read: (row) => {
        const v = row[name];
        if (!isLookupValue(v)) return null;
        const cacheKey = `${v.table}:${v.id}`;
        let label = cache.get(cacheKey);
        if (label === undefined) {
          const related = names.tableOf(v.table);
          const value = related ? names.row(v.table, v.id)?.[related.primaryName] : undefined;
          label = typeof value === 'string' ? value : null;
          cache.set(cacheKey, label);
        }
        return label;
      },
    };
  });
  const readKey = columnReader(table.primaryKey, columnOf(table, table.primaryKey) ?? { type: 'uniqueidentifier' });
  return { keys, readKey };
}

/**
 * Whether ordering by `orderBy` reads rows of other tables: a lookup column orders by the primary name of the
 * related row (when a {@link LookupNameSource} is given).
 */
export function orderReadsRelatedRows(orderBy: readonly OrderByItem[], table: TableDef): boolean {
  return orderBy.some(({ column }) => {
    const def = columnOf(table, lookupColumnOfValueName(table, column) ?? column);
    return def !== undefined && isLookupType(def.type);
  });
}

/**
 * A comparator that orders stored rows of `table` by `orderBy`, then by primary key.
 *
 * @param names resolves lookups to their related row's primary name (Dataverse orders lookups by name)
 * @throws ODataQueryError when a column is not a column of the table
 */
export function compareRows(
  orderBy: readonly OrderByItem[],
  table: TableDef,
  names?: LookupNameSource,
): (a: StoredRow, b: StoredRow) => number {
  const { keys, readKey } = sortKeysOf(orderBy, table, names);
  // Each row's keys are read once per comparator, not once per comparison.
  const memo = new WeakMap<StoredRow, Comparable[]>();
  const keysOf = (row: StoredRow): Comparable[] => {
    let values = memo.get(row);
    if (!values) {
      values = keys.map((k) => k.read(row));
      values.push(readKey(row));
      memo.set(row, values);
    }
    return values;
  };
  return (a, b) => {
    if (a === b) return 0;
    const x = keysOf(a);
    const y = keysOf(b);
    for (let i = 0; i < keys.length; i++) {
      const c = compareKeys(keys[i].kind, x[i], y[i]);
      if (c !== 0) return c * keys[i].sign;
    }
    return compareKeys('guid', x[keys.length], y[keys.length]);
  };
}

/**
 * `rows` sorted by `orderBy`, then by primary key: the same order as {@link compareRows}, computed faster for
 * long lists. Each row's keys are read once, into one array per key (not one array per row; dates and GUIDs
 * are parsed once per stored row and remembered), and the strings of a string key are ranked once — sorted with the collation, equal ones sharing a rank — so that sorting
 * compares numbers, never strings. Returns a new array; `rows` is left as it is.
 *
 * @param names resolves lookups to their related row's primary name (Dataverse orders lookups by name)
 * @throws ODataQueryError when a column is not a column of the table
 */
export function sortRows(
  rows: readonly StoredRow[],
  orderBy: readonly OrderByItem[],
  table: TableDef,
  names?: LookupNameSource,
): StoredRow[] {
  const { keys, readKey: readPrimaryKey } = sortKeysOf(orderBy, table, names);
  const n = rows.length;
  if (n < 2) return rows.slice();
  // columns[k][i]: the comparable value of key k for rows[i]; strings replaced by their rank.
  const columns: Comparable[][] = keys.map((key) => {
    const values: Comparable[] = new Array<Comparable>(n);
    const read = key.column && (key.kind === 'datetime' || key.kind === 'guid') ? remembered(key.column, key.read) : key.read;
    for (let i = 0; i < n; i++) values[i] = read(rows[i]);
    if (key.kind === 'string') rankStrings(values);
    else if (key.kind === 'boolean') for (let i = 0; i < n; i++) if (values[i] !== null) values[i] = Number(values[i]);
    return values;
  });
  // Primary keys break ties only: read when first needed.
  const readKey = remembered(`${table.logicalName}.${table.primaryKey}:guid`, readPrimaryKey);
  const ids: (Comparable | undefined)[] = new Array<Comparable | undefined>(n);
  const idOf = (i: number): Comparable => {
    let id = ids[i];
    if (id === undefined) id = ids[i] = readKey(rows[i]);
    return id;
  };
  const signs = keys.map((key) => key.sign);
  const count = keys.length;
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => {
    for (let k = 0; k < count; k++) {
      const column = columns[k];
      const a = column[i];
      const b = column[j];
      if (a === b) continue;
      // Ranks, numbers and lower-case GUIDs of one key all compare with `<`; null sorts first (ascending).
      const c = a === null ? -1 : b === null ? 1 : (a as number) < (b as number) ? -1 : 1;
      return c * signs[k];
    }
    const a = idOf(i);
    const b = idOf(j);
    return a === b ? 0 : a === null ? -1 : b === null ? 1 : (a as string) < (b as string) ? -1 : 1;
  });
  const sorted: StoredRow[] = new Array<StoredRow>(n);
  for (let i = 0; i < n; i++) sorted[i] = rows[order[i]];
  return sorted;
}

/**
 * Replaces each string of `values` by its rank in the collation order (see {@link compareStrings}); strings the
 * collation deems equal share a rank. Nulls stay null.
 */
function rankStrings(values: Comparable[]): void {
  const distinct: { readonly value: string; readonly trimmed: string }[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'string' || seen.has(v)) continue;
    seen.add(v);
    distinct.push({ value: v, trimmed: v.replace(/ +$/, '') });
  }
  distinct.sort((a, b) => compareTrimmedStrings(a.trimmed, b.trimmed));
  const rank = new Map<string, number>();
  let current = 0;
  for (let i = 0; i < distinct.length; i++) {
    if (i > 0 && compareTrimmedStrings(distinct[i - 1].trimmed, distinct[i].trimmed) !== 0) current++;
    rank.set(distinct[i].value, current);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') values[i] = rank.get(v)!;
  }
}
