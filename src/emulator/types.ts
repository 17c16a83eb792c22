import type { WebRole } from '../tables/roles.js';

export type { WebRole };

/**
 * How the emulator keeps rows. Shared by the seed generator, the OData engine and the request handler.
 *
 * A stored row is a plain JSON object keyed by column logical name (as declared in `src/tables/`):
 * - the primary key column holds the row's GUID (lower-case, hyphenated);
 * - lookup / customer / owner columns hold a {@link LookupValue} (`{ id, table }`) or `null`; on the wire they
 *   become `_<column>_value` with the lookup annotations;
 * - choice (picklist/state/status) columns hold the numeric value;
 * - money, decimal, double and integer columns hold numbers; booleans hold booleans;
 * - datetime columns hold an ISO 8601 UTC string (`2025-03-01T14:05:00Z`); date-only columns `2025-03-01`;
 * - a column never written is absent or `null` (both read as `null`).
 * The emulator adds `versionnumber` (a number that grows with every write; it makes the `@odata.etag`),
 * `createdon` and `modifiedon`.
 */
export interface LookupValue {
  readonly id: string;
  /** Logical name of the referenced table (`account`, `contact`, …). */
  readonly table: string;
}

export type StoredValue = string | number | boolean | null | LookupValue;

export type StoredRow = Record<string, StoredValue>;

/** A person who can sign in to the emulator (Power Pages session or Dataverse bearer token). */
export interface SeedUser {
  readonly email: string;
  readonly fullName: string;
  /** The contact row of this user. */
  readonly contactId: string;
  /** The account (customer) the contact belongs to (`parentcustomerid`). */
  readonly accountId: string;
  readonly accountNumber: string;
  readonly webRoles: readonly WebRole[];
}

/** Everything the seed generator produces: rows per table logical name, and the users. */
export interface SeedData {
  readonly tables: Readonly<Record<string, StoredRow[]>>;
  readonly users: readonly SeedUser[];
}

export function isLookupValue(value: unknown): value is LookupValue {
  return typeof value === 'object' && value !== null && typeof (value as LookupValue).id === 'string'
    && typeof (value as LookupValue).table === 'string';
}
