/**
 * How the query engine sees a {@link TableDef}: which names are properties, navigation properties and
 * lookup values, their OData types, and how to read their values from a stored row.
 *
 * Naming follows the Dataverse Web API: a lookup column `customerid` is visible as the GUID property
 * `_customerid_value` and as single-valued navigation properties named in `ColumnDef.navigation`
 * (`customerid_account`, `customerid_contact`); a collection-valued navigation property is a key of
 * `TableDef.collections`.
 *
 * @module
 */

import type { ColumnDef, ColumnType, TableDef } from '../../tables/schema.js';
import { isLookupValue, type StoredRow } from '../types.js';
import { ODataQueryError } from './errors.js';

/**
 * Columns every Dataverse table has, which the emulator fills on every write (see `../types.ts`). A table
 * declaration normally lists them (`systemColumns` in `src/tables/columns.ts`); if one does not, the query
 * engine still knows them.
 */
const IMPLICIT_COLUMNS: Readonly<Record<string, ColumnDef>> = {
  createdon: { type: 'datetime', readOnly: true },
  modifiedon: { type: 'datetime', readOnly: true },
  versionnumber: { type: 'bigint', readOnly: true },
};

const PRIMARY_KEY: ColumnDef = { type: 'uniqueidentifier', readOnly: true };

/** `Microsoft.Dynamics.CRM.salesorder`: the entity type name Dataverse uses in messages. */
export function entityTypeName(table: TableDef): string {
  return `Microsoft.Dynamics.CRM.${table.logicalName}`;
}

/** Lookup, customer and owner columns hold a reference to another row. */
export function isLookupType(type: ColumnType): boolean {
  return type === 'lookup' || type === 'customer' || type === 'owner';
}

/** A declared column (or an implicit system column, or the primary key), by logical name. */
export function columnOf(table: TableDef, name: string): ColumnDef | undefined {
  if (Object.prototype.hasOwnProperty.call(table.columns, name)) return table.columns[name];
  if (name === table.primaryKey) return PRIMARY_KEY;
  if (Object.prototype.hasOwnProperty.call(IMPLICIT_COLUMNS, name)) return IMPLICIT_COLUMNS[name];
  return undefined;
}

/** The lookup column behind `_x_value`, or undefined when `name` is not such a name. */
export function lookupColumnOfValueName(table: TableDef, name: string): string | undefined {
  const m = /^_(.+)_value$/.exec(name);
  if (!m) return undefined;
  const column = columnOf(table, m[1]);
  return column && isLookupType(column.type) ? m[1] : undefined;
}

/** A navigation property of a table. */
export type Navigation =
  | {
    readonly kind: 'single';
    readonly name: string;
    /** The lookup column on this table. */
    readonly column: string;
    /** Logical name of the table it points at. */
    readonly table: string;
  }
  | {
    readonly kind: 'collection';
    readonly name: string;
    /** Logical name of the related ("many") table. */
    readonly table: string;
    /** The lookup column on the related table that points back at this one. */
    readonly referencingColumn: string;
  };

/** The navigation property `name` of `table`, single-valued (lookup) or collection-valued. */
export function navigationOf(table: TableDef, name: string): Navigation | undefined {
  if (Object.prototype.hasOwnProperty.call(table.collections, name)) {
    const c = table.collections[name];
    return { kind: 'collection', name, table: c.table, referencingColumn: c.referencingColumn };
  }
  for (const [column, def] of Object.entries(table.columns)) {
    if (!def.navigation) continue;
    for (const [target, navigation] of Object.entries(def.navigation)) {
      if (navigation === name) return { kind: 'single', name, column, table: target };
    }
  }
  return undefined;
}

/** The definition of a table a navigation property leads to; a 400 naming the gap when it is not declared. */
export function requireTable(
  tableOf: (logicalName: string) => TableDef | undefined,
  logicalName: string,
  navigation: string,
): TableDef {
  const table = tableOf(logicalName);
  if (!table) {
    throw new ODataQueryError(
      `The navigation property '${navigation}' leads to table '${logicalName}', which the emulator does not declare.`,
    );
  }
  return table;
}

/** The OData primitive type of a column's value (a lookup's `_x_value` is `Edm.Guid`). */
export function edmTypeOf(column: ColumnDef): string {
  switch (column.type) {
    case 'uniqueidentifier':
    case 'lookup':
    case 'customer':
    case 'owner':
      return 'Edm.Guid';
    case 'string':
    case 'memo':
      return 'Edm.String';
    case 'integer':
    case 'picklist':
    case 'state':
    case 'status':
      return 'Edm.Int32';
    case 'bigint':
      return 'Edm.Int64';
    case 'decimal':
    case 'money':
      return 'Edm.Decimal';
    case 'double':
      return 'Edm.Double';
    case 'boolean':
      return 'Edm.Boolean';
    case 'datetime':
      return column.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset';
  }
}

/** How the engine compares a column's values. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'datetime' | 'guid' | 'duration';

export function valueKindOf(column: ColumnDef): ValueKind {
  switch (column.type) {
    case 'uniqueidentifier':
    case 'lookup':
    case 'customer':
    case 'owner':
      return 'guid';
    case 'string':
    case 'memo':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'datetime';
    default:
      return 'number';
  }
}

/** Milliseconds since the epoch of a stored date (`2025-03-01`, midnight UTC) or date-time; null when unreadable. */
export function parseStoredDate(value: string): number | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = date ? Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** A comparable primitive: strings, numbers (also dates as milliseconds), booleans, or null. */
export type Comparable = string | number | boolean | null;

/**
 * A reader of one column's value from stored rows, normalised for comparison: GUIDs (and lookups read as
 * `_x_value`) in lower case, dates as milliseconds, anything of the wrong type or absent as null.
 */
export function columnReader(name: string, column: ColumnDef): (row: StoredRow) => Comparable {
  switch (valueKindOf(column)) {
    case 'guid':
      if (isLookupType(column.type)) {
        return (row) => {
          const v = row[name];
          if (isLookupValue(v)) return v.id.toLowerCase();
          return typeof v === 'string' ? v.toLowerCase() : null;
        };
      }
      return (row) => {
        const v = row[name];
        return typeof v === 'string' ? v.toLowerCase() : null;
      };
    case 'string':
      return (row) => {
        const v = row[name];
        return typeof v === 'string' ? v : null;
      };
    case 'number':
      return (row) => {
        const v = row[name];
        return typeof v === 'number' ? v : null;
      };
    case 'boolean':
      return (row) => {
        const v = row[name];
        return typeof v === 'boolean' ? v : null;
      };
    case 'datetime':
      return (row) => {
        const v = row[name];
        return typeof v === 'string' ? parseStoredDate(v) : null;
      };
    default:
      return () => null;
  }
}

/**
 * What a name means as a property of `table` in `$filter`, `$orderby` and `$apply`:
 * a structural column (`name`, or a lookup read as `_x_value`), or a navigation property.
 */
export type Member =
  | { readonly kind: 'column'; readonly column: string; readonly def: ColumnDef; readonly asLookupValue: boolean }
  | { readonly kind: 'navigation'; readonly navigation: Navigation };

/**
 * Resolves a property name of `table`. A lookup column's own name is not a property (Dataverse exposes
 * `_x_value` and the navigation properties), unless it is also a navigation property name, as
 * `primarycontactid` is.
 */
export function memberOf(table: TableDef, name: string): Member | undefined {
  const lookup = lookupColumnOfValueName(table, name);
  if (lookup) return { kind: 'column', column: lookup, def: columnOf(table, lookup)!, asLookupValue: true };
  const column = columnOf(table, name);
  if (column && !isLookupType(column.type)) return { kind: 'column', column: name, def: column, asLookupValue: false };
  const navigation = navigationOf(table, name);
  if (navigation) return { kind: 'navigation', navigation };
  return undefined;
}
