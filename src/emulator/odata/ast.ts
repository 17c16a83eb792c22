/**
 * The syntax tree of a `$filter` expression (and of the `filter(...)` step of `$apply`), as {@link parseFilter}
 * produces it. Syntax only: names are not checked against a table until {@link compileFilter}.
 *
 * Every node carries `pos`, the zero-based offset in the expression text where it starts, for error messages.
 *
 * @module
 */

/** The kinds of literal the `$filter` grammar accepts. */
export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'date' | 'datetime' | 'duration';

/**
 * A literal value.
 * - `string`: the text with doubled quotes undone (`'O''Bryan'` → `O'Bryan`);
 * - `number`: the number (`edmType` says which OData type the literal has: `Edm.Int32`, `Edm.Int64`, `Edm.Decimal`,
 *   `Edm.Double`, `Edm.Single`);
 * - `guid`: the GUID in lower case (written unquoted in OData 4);
 * - `date`: `2025-01-01`, value = milliseconds since the epoch at 00:00 UTC;
 * - `datetime`: `2025-01-01T10:00:00Z`, value = milliseconds since the epoch (no offset means UTC);
 * - `duration`: `duration'P1DT2H'`, value = milliseconds;
 * - `boolean`, `null`.
 */
export interface LiteralExpr {
  readonly kind: 'literal';
  readonly type: LiteralType;
  readonly value: string | number | boolean | null;
  /** The OData primitive type of the literal, for messages (`Edm.String`, `Edm.Int32`, …). */
  readonly edmType: string;
  /** The literal as written. */
  readonly raw: string;
  readonly pos: number;
}

/**
 * A property path: `name`, `_customerid_value`, `primarycontactid/fullname`, or inside a lambda `d/quantity`
 * (the first segment is then the lambda variable). `$it/name` refers to the row being filtered.
 */
export interface PathExpr {
  readonly kind: 'path';
  readonly segments: readonly string[];
  readonly pos: number;
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type ArithmeticOperator = 'add' | 'sub' | 'mul' | 'div' | 'mod';

/** `left op right` for a comparison or arithmetic operator. */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly operator: ComparisonOperator | ArithmeticOperator;
  readonly left: FilterExpr;
  readonly right: FilterExpr;
  readonly pos: number;
}

/** `a and b and c` / `a or b or c`: chains (and parenthesised groups of the same operator) are kept flat. */
export interface LogicalExpr {
  readonly kind: 'logical';
  readonly operator: 'and' | 'or';
  readonly operands: readonly FilterExpr[];
  readonly pos: number;
}

/** `not operand`. */
export interface NotExpr {
  readonly kind: 'not';
  readonly operand: FilterExpr;
  readonly pos: number;
}

/** A built-in function with positional arguments: `contains(name,'x')`, `tolower(name)`. */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly FilterExpr[];
  readonly pos: number;
}

/** A function with named parameters: `Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=['a','b'])`. */
export interface NamedCallExpr {
  readonly kind: 'namedCall';
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly value: FilterExpr; readonly pos: number }[];
  readonly pos: number;
}

/** `order_details/any(d:d/quantity gt 5)`, `order_details/any()`, `order_details/all(d:…)`. */
export interface LambdaExpr {
  readonly kind: 'lambda';
  /** The path to the collection (`['order_details']`, or `['c', 'opportunity_customer_contacts']` when nested). */
  readonly collection: readonly string[];
  readonly operator: 'any' | 'all';
  /** Absent only for `any()`. */
  readonly variable?: string;
  readonly predicate?: FilterExpr;
  readonly pos: number;
}

/** `operand in (v1, v2, …)` (OData 4.01). */
export interface InExpr {
  readonly kind: 'in';
  readonly operand: FilterExpr;
  readonly values: readonly LiteralExpr[];
  readonly pos: number;
}

/** A collection literal, the value of `PropertyValues`: `['a','b']` or `["a","b"]`. */
export interface ArrayExpr {
  readonly kind: 'array';
  readonly items: readonly LiteralExpr[];
  readonly pos: number;
}

/** A `$filter` expression. */
export type FilterExpr =
  | LiteralExpr
  | PathExpr
  | BinaryExpr
  | LogicalExpr
  | NotExpr
  | CallExpr
  | NamedCallExpr
  | LambdaExpr
  | InExpr
  | ArrayExpr;
