/**
 * Rows as the server sends them, and typed access to their annotations.
 *
 * A row keeps the wire shape (so it can be cached, cloned and compared), and these helpers read the
 * annotations Dataverse puts beside the values when `odata.include-annotations` is asked for:
 *
 * ```ts
 * const order = await client.getRow<SalesOrder>('salesorders', id, { select: ['name', 'statuscode', '_customerid_value'] });
 * formatted(order, 'statuscode');   // "In Progress" (in the user's language)
 * lookupOf(order, 'customerid');    // { id, name: "Contoso", table: "account", navigation: "customerid_account" }
 * etagOf(order);                    // 'W/"81052965"' → pass to client.update(…, { etag })
 * ```
 */
import type { LookupNameOf } from './odata.js';

/** Annotation names used by Dataverse and Power Pages. */
export const Annotation = {
  formattedValue: 'OData.Community.Display.V1.FormattedValue',
  lookupLogicalName: 'Microsoft.Dynamics.CRM.lookuplogicalname',
  associatedNavigationProperty: 'Microsoft.Dynamics.CRM.associatednavigationproperty',
  etag: '@odata.etag',
  context: '@odata.context',
  nextLink: '@odata.nextLink',
  deltaLink: '@odata.deltaLink',
  count: '@odata.count',
  totalCountLimitExceeded: '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded',
} as const;

/** Keys of instance annotations: `statuscode@OData.Community.Display.V1.FormattedValue`, `@odata.etag`, … */
export type AnnotationKey = `${string}@${string}`;

/** A row of type `T` as read from the server: its values plus instance annotations. */
export type Row<T> = T & { readonly '@odata.etag'?: string } & { readonly [annotation: AnnotationKey]: unknown };

/** A lookup value read from a row: the referenced row's id, display name, table and navigation property. */
export interface LookupRef {
  /** GUID of the referenced row. */
  readonly id: string;
  /** Its primary name (the formatted value), when annotations were asked for. */
  readonly name: string | null;
  /** Logical name of the referenced table (`account`, `contact`), when annotations were asked for. */
  readonly table: string | null;
  /** The single-valued navigation property for `@odata.bind` (`customerid_account`), when known. */
  readonly navigation: string | null;
}

type AnyRow = { readonly [key: string]: unknown };

function annotation(row: AnyRow, key: string, name: string): unknown {
  return row[`${key}@${name}`];
}

/**
 * The server-formatted text of a column (`statuscode` → "In Progress", `totalamount` → "$1,250.00"), or
 * `null` when the server sent none (annotations not asked for, or the value is null). For a lookup, pass
 * either `_customerid_value` or the lookup name `customerid`.
 */
export function formatted<T>(row: Row<T>, column: Extract<keyof T, string> | LookupNameOf<T>): string | null {
  const r = row as unknown as AnyRow;
  const direct = annotation(r, column, Annotation.formattedValue);
  if (typeof direct === 'string') return direct;
  const viaLookup = annotation(r, `_${column}_value`, Annotation.formattedValue);
  return typeof viaLookup === 'string' ? viaLookup : null;
}

/**
 * Decodes lookup `name` (`customerid`, read as `_customerid_value`) into `{ id, name, table, navigation }`,
 * or `null` when the lookup is empty or was not selected.
 */
export function lookupOf<T>(row: Row<T>, name: LookupNameOf<T>): LookupRef | null {
  const r = row as unknown as AnyRow;
  const key = `_${String(name)}_value`;
  const id = r[key];
  if (typeof id !== 'string' || id === '') return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    id: id.toLowerCase(),
    name: text(annotation(r, key, Annotation.formattedValue)),
    table: text(annotation(r, key, Annotation.lookupLogicalName)),
    navigation: text(annotation(r, key, Annotation.associatedNavigationProperty)),
  };
}

/** The row's ETag (`W/"81052965"`), for optimistic concurrency in `update`/`delete`, or `null`. */
export function etagOf(row: { readonly '@odata.etag'?: string } | AnyRow): string | null {
  const etag = (row as AnyRow)[Annotation.etag];
  return typeof etag === 'string' ? etag : null;
}

/**
 * A copy of the row without any annotation keys (`…@…`): only the column values. Useful before sending a
 * row back as a body or comparing rows.
 */
export function valuesOf<T>(row: Row<T>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row as unknown as AnyRow)) {
    if (!key.includes('@')) out[key] = value;
  }
  return out as T;
}
