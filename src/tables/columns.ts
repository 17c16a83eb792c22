/**
 * Column shapes shared by several table declarations (data only).
 *
 * They keep the per-table modules short and the bundle small: `totalamount: money` says the same as
 * `totalamount: { type: 'money', precision: 2 }` and every money column shares one object.
 *
 * @module
 */

/** Single line of text. */
export const text = { type: 'string' } as const;

/** Multiple lines of text. */
export const memo = { type: 'memo' } as const;

/** Whole number. */
export const integer = { type: 'integer' } as const;

/** Decimal number (quantities, percentages). */
export const decimal = { type: 'decimal' } as const;

/** Currency amount in the row's transaction currency, two decimals (the organisation's pricing precision). */
export const money = { type: 'money', precision: 2 } as const;

/** Yes/No. */
export const yesNo = { type: 'boolean' } as const;

/** Date and time, stored and sent in UTC (`2025-03-01T14:05:00Z`). */
export const dateTime = { type: 'datetime' } as const;

/** Date only, no time zone (`2025-03-01`). */
export const dateOnly = { type: 'datetime', dateOnly: true } as const;

/** The primary key column of a table (a client may choose it on create; it never changes afterwards). */
export const primaryKey = { type: 'uniqueidentifier' } as const;

/**
 * Columns Dataverse keeps on every table: creation and modification time and the row version (the source of
 * `@odata.etag`). Read-only; the emulator fills them.
 */
export const systemColumns = {
  createdon: { type: 'datetime', readOnly: true },
  modifiedon: { type: 'datetime', readOnly: true },
  versionnumber: { type: 'bigint', readOnly: true },
} as const;

/** Names of the columns in {@link systemColumns}. */
export type SystemColumnName = keyof typeof systemColumns;
