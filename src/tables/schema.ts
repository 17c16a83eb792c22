/**
 * The shape of a Dataverse table as this library declares it: data only, no behaviour.
 *
 * Every table we read or write is declared once (in `src/tables/<logicalname>.ts`) with the columns
 * we use, their types, lookup targets and navigation property names, and choice labels. The domain layer
 * uses these declarations to build typed queries; the emulator uses the same declarations to answer them
 * (`$metadata`, `$select` validation, formatted values), so the two cannot drift.
 *
 * Names follow the real Dataverse tables (see shared/reference/dataverse-columns.json). Where Microsoft's
 * documentation does not settle a name (for example the navigation property of `msdyn_company`), the
 * declaration says so with `unconfirmed: true`, so a real environment's answer is a one-line change.
 */

/** Dataverse attribute types, named as in `AttributeTypeCode`, lower-case. */
export type ColumnType =
  | 'uniqueidentifier'
  | 'string'
  | 'memo'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'double'
  | 'money'
  | 'boolean'
  | 'datetime'
  | 'picklist'
  | 'state'
  | 'status'
  | 'lookup'
  | 'customer'
  | 'owner';

export interface ColumnDef {
  readonly type: ColumnType;
  /** Lookup, customer and owner columns: the logical names of the tables they point at. */
  readonly targets?: readonly string[];
  /**
   * Lookup columns: the single-valued navigation property used with `@odata.bind`, per target table
   * (`{ account: 'customerid_account', contact: 'customerid_contact' }`).
   */
  readonly navigation?: Readonly<Record<string, string>>;
  /** Choice (picklist/state/status) columns: value → English label. */
  readonly options?: Readonly<Record<number, string>>;
  /** Not valid for create or update (Dataverse computes it). */
  readonly readOnly?: boolean;
  /** Required on create (business required). */
  readonly required?: boolean;
  /** String columns: maximum length in characters. */
  readonly maxLength?: number;
  /** Decimal/money columns: digits after the decimal point. */
  readonly precision?: number;
  /** DateTime columns with DateOnly behaviour (`2025-03-01`, no time zone). */
  readonly dateOnly?: boolean;
  /** The name is not settled by Microsoft's documentation; keep it in this one place. */
  readonly unconfirmed?: boolean;
}

/** A one-to-many relationship seen from the "one" side: a collection-valued navigation property. */
export interface CollectionDef {
  /** Logical name of the related ("many") table. */
  readonly table: string;
  /** The lookup column on the related table that points back at this table. */
  readonly referencingColumn: string;
}

export interface TableDef {
  readonly logicalName: string;
  readonly entitySet: string;
  readonly primaryKey: string;
  readonly primaryName: string;
  readonly columns: Readonly<Record<string, ColumnDef>>;
  readonly collections: Readonly<Record<string, CollectionDef>>;
  /** Change tracking enabled on the table (required for `Prefer: odata.track-changes`). */
  readonly changeTracking: boolean;
}
