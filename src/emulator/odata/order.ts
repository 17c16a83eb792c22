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
import { compareStrings } from './strings.js';

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
  const keys = orderBy.map(({ column, descending }) => {
    const name = lookupColumnOfValueName(table, column) ?? column;
    const def = columnOf(table, name);
    if (!def) throw propertyNotFound(column, entityTypeName(table));
    let read: (row: StoredRow) => Comparable;
    let kind: ValueKind;
    if (isLookupType(def.type) && names) {
      kind = 'string';
      const cache = new Map<string, string | null>();
      read = (row) => {
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
      };
    } else {
      kind = valueKindOf(def);
      read = columnReader(name, def);
    }
    return { read, kind, sign: descending ? -1 : 1 };
  });
  const readKey = columnReader(table.primaryKey, columnOf(table, table.primaryKey) ?? { type: 'uniqueidentifier' });
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
