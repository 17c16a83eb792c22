/**
 * OData building blocks: identifiers, literals (the ONE escaping helper), a typed `$filter` builder, and the
 * translation of a typed query object into a properly encoded query string.
 *
 * Nothing here concatenates caller text into OData without going through {@link odataLiteral} (values) or
 * {@link assertIdentifier} / {@link assertColumnPath} (names). The emulator reuses these helpers, and
 * {@link parseODataLiteral} is their exact inverse.
 */
import { clientError } from './errors.js';
import { describe, isGuid, normalizeGuid } from './guid.js';

// ---------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True for a name Dataverse could use for a table, entity set, column or navigation property. */
export function isIdentifier(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 128 && IDENTIFIER.test(name);
}

/** Throws a `validation` DataverseError unless `name` is a plain identifier (`salesorders`, `_customerid_value`). */
export function assertIdentifier(name: unknown, what = 'name'): string {
  if (!isIdentifier(name)) {
    throw clientError('InvalidIdentifier', `${what} must be an OData identifier (letters, digits, _), got ${describe(name)}`);
  }
  return name;
}

/**
 * Throws unless `path` is one or more identifiers joined by `/` (`name`, `primarycontactid/fullname`):
 * the form `$filter` and `$orderby` accept for columns and single-valued navigation paths.
 */
export function assertColumnPath(path: unknown, what = 'column'): string {
  if (typeof path !== 'string' || path.length > 512 || !path.split('/').every((segment) => IDENTIFIER.test(segment))) {
    throw clientError('InvalidIdentifier', `${what} must be a column name or navigation path, got ${describe(path)}`);
  }
  return path;
}

/** `_customerid_value`: the read-side name of lookup column `customerid`. */
export function lookupValueColumn(lookupName: string): string {
  return `_${assertIdentifier(lookupName, 'lookup column')}_value`;
}

// ---------------------------------------------------------------------------------------------------------
// Literals
// ---------------------------------------------------------------------------------------------------------

/** Kinds of literal that a plain JavaScript value cannot express unambiguously. */
export type TypedLiteralKind = 'guid' | 'date' | 'datetime';

/**
 * A literal whose OData form differs from a string's: a GUID (unquoted), a date-only value (`2025-03-01`),
 * or a date-time with offset (`2025-03-01T09:00:00Z`). Made by {@link guid}, {@link dateOnly}, {@link dateTime};
 * its `text` is already validated.
 */
export class TypedLiteral {
  /** @internal use {@link guid}, {@link dateOnly} or {@link dateTime}. */
  constructor(
    readonly kind: TypedLiteralKind,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

/** Any value that can appear on the right of a comparison. */
export type ODataValue = string | number | bigint | boolean | null | Date | TypedLiteral;

/** A GUID literal (validated; written unquoted, lower case): `guid(id)` → `3fa85f64-…`. */
export function guid(value: string): TypedLiteral {
  return new TypedLiteral('guid', normalizeGuid(value, 'GUID literal'));
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A date-only literal (`2025-03-01`, unquoted), for DateOnly columns such as requested receipt dates.
 * A `Date` argument contributes its *local* calendar date (what a date picker shows the user).
 */
export function dateOnly(value: string | Date): TypedLiteral {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw clientError('InvalidLiteral', 'dateOnly() got an invalid Date');
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    return new TypedLiteral('date', `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`);
  }
  const match = typeof value === 'string' ? DATE_ONLY.exec(value) : null;
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return new TypedLiteral('date', value);
    }
  }
  throw clientError('InvalidLiteral', `dateOnly() needs a real date as YYYY-MM-DD, got ${describe(value)}`);
}

/**
 * A date-time literal, ISO 8601 with a time zone, unquoted (`2025-03-01T09:00:00.000Z`).
 * Strings must carry `Z` or an offset: a zone-less time is ambiguous and refused.
 */
export function dateTime(value: string | Date): TypedLiteral {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw clientError('InvalidLiteral', 'dateTime() got an invalid Date');
    return new TypedLiteral('datetime', value.toISOString());
  }
  if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
    return new TypedLiteral('datetime', value);
  }
  throw clientError('InvalidLiteral', `dateTime() needs ISO 8601 with a time zone (2025-03-01T09:00:00Z), got ${describe(value)}`);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Escapes text for use inside an OData single-quoted string: every `'` becomes `''`. That is the only
 * escape OData string literals have; URL encoding happens later, once, on the whole option value.
 * Text with unpaired UTF-16 surrogates is refused (it cannot be URL-encoded).
 */
export function escapeODataString(text: string): string {
  if (typeof (text as unknown) !== 'string') throw clientError('InvalidLiteral', `expected a string, got ${describe(text)}`);
  if (LONE_SURROGATE.test(text)) throw clientError('InvalidLiteral', 'the text contains an unpaired UTF-16 surrogate');
  return text.replace(/'/g, "''");
}

/**
 * The ONE place values become OData literal text:
 * - strings → `'…'` with quotes doubled (`O'Brien` → `'O''Brien'`);
 * - numbers → finite only (`NaN`/`Infinity` refused), bigint as digits;
 * - booleans → `true` / `false`; `null` → `null`;
 * - `Date` → ISO 8601 date-time, unquoted;
 * - {@link guid}, {@link dateOnly}, {@link dateTime} → their validated text, unquoted.
 *
 * The result is OData text, not yet URL-encoded.
 */
export function odataLiteral(value: ODataValue): string {
  if (value === null) return 'null';
  if (value instanceof TypedLiteral) return value.text;
  if (value instanceof Date) return dateTime(value).text;
  switch (typeof value) {
    case 'string':
      return `'${escapeODataString(value)}'`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) throw clientError('InvalidLiteral', `numbers must be finite, got ${String(value)}`);
      return Object.is(value, -0) ? '0' : String(value);
    default:
      throw clientError('InvalidLiteral', `cannot write ${describe(value)} as an OData literal`);
  }
}

/** A literal read back from OData text (the inverse of {@link odataLiteral}). */
export type ParsedLiteral =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null'; readonly value: null }
  | { readonly type: 'guid'; readonly value: string }
  | { readonly type: 'date'; readonly value: string }
  | { readonly type: 'datetime'; readonly value: string };

/**
 * Parses one OData literal (already URL-decoded): `'O''Brien'`, `42`, `-1.5`, `true`, `null`, a GUID,
 * `2025-03-01`, `2025-03-01T09:00:00Z`. Returns `undefined` for anything else. Used by the emulator.
 */
export function parseODataLiteral(text: string): ParsedLiteral | undefined {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    const inner = text.slice(1, -1);
    // Every quote inside must be doubled.
    if (/'/.test(inner.replace(/''/g, ''))) return undefined;
    return { type: 'string', value: inner.replace(/''/g, "'") };
  }
  if (text === 'null') return { type: 'null', value: null };
  if (text === 'true' || text === 'false') return { type: 'boolean', value: text === 'true' };
  if (isGuid(text as unknown)) return { type: 'guid', value: normalizeGuid(text) };
  if (DATE_ONLY.test(text)) {
    try {
      return { type: 'date', value: dateOnly(text).text };
    } catch {
      return undefined;
    }
  }
  if (DATE_TIME.test(text) && !Number.isNaN(Date.parse(text))) return { type: 'datetime', value: text };
  if (/^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?[mMdDfFlL]?$/.test(text)) {
    const number = Number(text.replace(/[mMdDfFlL]$/, ''));
    if (Number.isFinite(number)) return { type: 'number', value: number };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------------------

/** How tightly an expression binds, to know when it needs parentheses inside another. */
type Precedence = 'primary' | 'comparison' | 'not' | 'and' | 'or';

const FILTER_TOKEN: unique symbol = Symbol('Filter');

/**
 * A `$filter` expression built by {@link where} (or {@link filterFor}). There is deliberately no way to make
 * one from a raw string: every value inside went through {@link odataLiteral} and every name was validated.
 */
export class Filter {
  /** @internal */
  readonly precedence: Precedence;
  /** The OData text (not URL-encoded). */
  readonly text: string;
  /** @internal built only by the filter builder. */
  constructor(token: typeof FILTER_TOKEN, text: string, precedence: Precedence) {
    if (token !== FILTER_TOKEN) throw new TypeError('Filters are built with where.eq(), where.and(), …');
    this.text = text;
    this.precedence = precedence;
  }
  toString(): string {
    return this.text;
  }
}

function makeFilter(text: string, precedence: Precedence): Filter {
  return new Filter(FILTER_TOKEN, text, precedence);
}

function assertFilter(value: unknown): Filter {
  if (!(value instanceof Filter)) {
    throw clientError('InvalidFilter', `expected a filter made by where.…(), got ${describe(value)}`);
  }
  return value;
}

/** True for row types that declare no particular columns (`unknown`, `Record<string, unknown>`). */
export type IsUntyped<T> = unknown extends T ? true : string extends keyof T ? true : false;

/** Column names accepted for row type `T`: its keys, or a navigation path `a/b`. Untyped rows accept any string. */
export type ColumnOf<T> = IsUntyped<T> extends true ? string : Extract<keyof T, string> | `${string}/${string}`;

/** Lookup names of row type `T`: `customerid` when `T` has `_customerid_value`. */
export type LookupNameOf<T> = IsUntyped<T> extends true
  ? string
  : { [K in Extract<keyof T, string>]: K extends `_${infer N}_value` ? N : never }[Extract<keyof T, string>];

/** Parts given to `and`/`or`; falsy parts are skipped so optional conditions read naturally. */
export type FilterPart = Filter | null | undefined | false | '' | 0;

type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The `$filter` builder, typed by row shape `T` (see {@link filterFor}). */
export interface FilterBuilder<T> {
  /** `column eq value` (`null` allowed: `column eq null`). On a `_x_value` column a string must be a GUID. */
  eq(column: ColumnOf<T>, value: ODataValue): Filter;
  ne(column: ColumnOf<T>, value: ODataValue): Filter;
  gt(column: ColumnOf<T>, value: ODataValue): Filter;
  ge(column: ColumnOf<T>, value: ODataValue): Filter;
  lt(column: ColumnOf<T>, value: ODataValue): Filter;
  le(column: ColumnOf<T>, value: ODataValue): Filter;
  /** `contains(column,'text')` (Dataverse compares case-insensitively). */
  contains(column: ColumnOf<T>, text: string): Filter;
  startsWith(column: ColumnOf<T>, text: string): Filter;
  endsWith(column: ColumnOf<T>, text: string): Filter;
  /** `column eq v1 or column eq v2 …`, parenthesised. Needs at least one value (at most 500). */
  oneOf(column: ColumnOf<T>, values: readonly ODataValue[]): Filter;
  /** Lookup comparison: `lookup('customerid', id)` → `_customerid_value eq <guid>`; `null` → `eq null`. */
  lookup(name: LookupNameOf<T>, id: string | null): Filter;
  /** `_name_value eq id1 or _name_value eq id2 …`. */
  lookupOneOf(name: LookupNameOf<T>, ids: readonly string[]): Filter;
  /** All parts must hold. Falsy parts are skipped; returns `undefined` when none is left. */
  and(...parts: FilterPart[]): Filter | undefined;
  /** Any part may hold. Falsy parts are skipped; returns `undefined` when none is left. */
  or(...parts: FilterPart[]): Filter | undefined;
  /** Negation: `not (…)`. */
  not(filter: Filter): Filter;
}

function comparison(operator: ComparisonOperator, column: string, value: ODataValue): Filter {
  const path = assertColumnPath(column);
  // Lookup values are GUIDs: a plain string there is validated and written unquoted.
  const literal = /(^|\/)_[A-Za-z0-9_]+_value$/.test(path) && typeof value === 'string' ? guid(value) : value;
  return makeFilter(`${path} ${operator} ${odataLiteral(literal)}`, 'comparison');
}

/**
 * Dataverse runs `contains`, `startswith` and `endswith` as SQL `LIKE`, so `%`, `_` and `[` in the argument are
 * wildcards ("Use wildcard characters in conditions for string values", Query data using the Web API). What a
 * user types is searched for literally: each of them is wrapped in brackets (`50%` → `50[%]`), the escape SQL
 * Server's LIKE defines.
 */
export function escapeLikeWildcards(text: string): string {
  return text.replace(/[%_[]/g, (c) => `[${c}]`);
}

function call(fn: 'contains' | 'startswith' | 'endswith', column: string, text: string): Filter {
  if (typeof text !== 'string') throw clientError('InvalidLiteral', `${fn}() needs a string, got ${describe(text)}`);
  return makeFilter(`${fn}(${assertColumnPath(column)},${odataLiteral(escapeLikeWildcards(text))})`, 'primary');
}

function combine(operator: 'and' | 'or', parts: readonly FilterPart[]): Filter | undefined {
  const filters = parts.filter((part): part is Filter => Boolean(part)).map(assertFilter);
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  // `and` binds tighter than `or`: only an `or` inside an `and` needs parentheses.
  const text = filters.map((f) => (operator === 'and' && f.precedence === 'or' ? `(${f.text})` : f.text)).join(` ${operator} `);
  return makeFilter(text, operator);
}

function oneOf(column: string, values: readonly ODataValue[]): Filter {
  if (!Array.isArray(values) || values.length === 0) {
    throw clientError('InvalidFilter', `oneOf(${describe(column)}) needs at least one value`);
  }
  if (values.length > 500) throw clientError('InvalidFilter', 'Dataverse accepts at most 500 conditions in a filter');
  const parts = values.map((value) => comparison('eq', column, value));
  if (parts.length === 1) return parts[0]!;
  return makeFilter(`(${parts.map((p) => p.text).join(' or ')})`, 'primary');
}

const builder: FilterBuilder<Record<string, unknown>> = {
  eq: (column, value) => comparison('eq', column, value),
  ne: (column, value) => comparison('ne', column, value),
  gt: (column, value) => comparison('gt', column, value),
  ge: (column, value) => comparison('ge', column, value),
  lt: (column, value) => comparison('lt', column, value),
  le: (column, value) => comparison('le', column, value),
  contains: (column, text) => call('contains', column, text),
  startsWith: (column, text) => call('startswith', column, text),
  endsWith: (column, text) => call('endswith', column, text),
  oneOf,
  lookup: (name, id) => comparison('eq', lookupValueColumn(name), id === null ? null : guid(id)),
  lookupOneOf: (name, ids) => oneOf(lookupValueColumn(name), ids.map((id) => guid(id))),
  and: (...parts) => combine('and', parts),
  or: (...parts) => combine('or', parts),
  not: (filter) => {
    const f = assertFilter(filter);
    // `not` binds tighter than comparisons in OData: `not a eq 1` would mean `(not a) eq 1`.
    return makeFilter(f.precedence === 'primary' || f.precedence === 'not' ? `not ${f.text}` : `not (${f.text})`, 'not');
  },
};

/**
 * The untyped `$filter` builder:
 * ```ts
 * where.and(where.eq('statecode', 0), search && where.contains('name', search), where.lookup('customerid', accountId))
 * ```
 */
export const where: FilterBuilder<Record<string, unknown>> = builder;

/** The same builder, with column and lookup names checked against row type `T` at compile time. */
export function filterFor<T>(): FilterBuilder<T> {
  return builder as unknown as FilterBuilder<T>;
}

// ---------------------------------------------------------------------------------------------------------
// Query options
// ---------------------------------------------------------------------------------------------------------

/** Columns `T` can `$select` (its own keys; any identifier for untyped rows). */
export type SelectableOf<T> = IsUntyped<T> extends true ? string : Extract<keyof T, string>;

/** `$orderby`: columns in order, each ascending or descending: `{ createdon: 'desc', name: 'asc' }`. */
export type OrderBy<T> = { readonly [K in ColumnOf<T>]?: 'asc' | 'desc' };

/** Options of one expanded navigation property (nested options are separated by `;`). */
export interface ExpandOptions {
  readonly select?: readonly string[];
  readonly filter?: Filter;
  readonly orderBy?: OrderBy<Record<string, unknown>>;
  readonly top?: number;
  readonly expand?: Expand;
}

/** `$expand`: navigation property → `true` or nested options: `{ order_details: { select: ['quantity'] } }`. */
export type Expand = { readonly [navigation: string]: true | ExpandOptions };

/** A typed query on a table whose rows look like `T`. */
export interface Query<T> {
  /** Columns to return (recommended: Dataverse returns every column otherwise; Power Pages may require it). */
  readonly select?: readonly SelectableOf<T>[];
  readonly filter?: Filter;
  readonly orderBy?: OrderBy<T>;
  /** At most this many rows (ignored by Dataverse when a page size is also asked for). */
  readonly top?: number;
  readonly expand?: Expand;
  /** Ask for `@odata.count` (capped at 5,000 by Dataverse; see `Page.countCapped`). */
  readonly count?: boolean;
}

function selectText(columns: readonly string[]): string {
  if (!Array.isArray(columns) || columns.length === 0) throw clientError('InvalidQuery', 'select needs at least one column');
  return columns.map((c) => assertIdentifier(c, 'selected column')).join(',');
}

function orderByText(orderBy: Readonly<Record<string, 'asc' | 'desc' | undefined>>): string | undefined {
  const parts: string[] = [];
  for (const [column, direction] of Object.entries(orderBy)) {
    if (direction === undefined) continue;
    if (direction !== 'asc' && direction !== 'desc') {
      throw clientError('InvalidQuery', `orderBy direction must be 'asc' or 'desc', got ${describe(direction)}`);
    }
    const path = assertColumnPath(column, 'orderBy column');
    parts.push(direction === 'desc' ? `${path} desc` : path);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

function topText(top: number): string {
  if (!Number.isInteger(top) || top < 1) throw clientError('InvalidQuery', `top must be a positive integer, got ${describe(top)}`);
  return String(top);
}

function expandText(expand: Expand): string {
  const items = Object.entries(expand);
  if (items.length === 0) throw clientError('InvalidQuery', 'expand needs at least one navigation property');
  return items
    .map(([navigation, options]) => {
      const name = assertIdentifier(navigation, 'expanded navigation property');
      if (options === true) return name;
      if (!options || typeof options !== 'object') {
        throw clientError('InvalidQuery', `expand.${name} must be true or an options object`);
      }
      // Nested options use `;` between them (the outer `&` would end the whole $expand option).
      const nested = queryOptionPairs(options).map(([key, value]) => `${key}=${value}`);
      return nested.length > 0 ? `${name}(${nested.join(';')})` : name;
    })
    .join(',');
}

/** The query options as `[name, unencoded OData text]` pairs, in a stable order. */
function queryOptionPairs(query: Query<unknown> | ExpandOptions): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (query.select !== undefined) pairs.push(['$select', selectText(query.select as readonly string[])]);
  if (query.filter !== undefined) pairs.push(['$filter', assertFilter(query.filter).text]);
  if (query.orderBy !== undefined) {
    const text = orderByText(query.orderBy as Readonly<Record<string, 'asc' | 'desc' | undefined>>);
    if (text !== undefined) pairs.push(['$orderby', text]);
  }
  if (query.top !== undefined) pairs.push(['$top', topText(query.top)]);
  if (query.expand !== undefined) pairs.push(['$expand', expandText(query.expand)]);
  if ('count' in query && query.count !== undefined) pairs.push(['$count', query.count ? 'true' : 'false']);
  return pairs;
}

/**
 * Turns a typed query into a URL query string (`?$select=…&$filter=…`), each value passed through
 * `encodeURIComponent` so `+ & # % ; / ? =` and non-ASCII text survive. Returns `''` for an empty query.
 */
export function buildQueryString<T = Record<string, unknown>>(query: Query<NoInfer<T>> | undefined): string {
  if (!query) return '';
  const pairs = queryOptionPairs(query as Query<unknown>);
  return pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------------------

/** A row key: its GUID, or alternate key values (`{ accountnumber: 'C-001', msdyn_company: guid(id) }`). */
export type RowKey = string | Readonly<Record<string, ODataValue>>;

/** `salesorders(3fa85f64-…)` or `accounts(accountnumber='C%2F1')`: a validated, encoded path segment. */
export function entityPath(entitySet: string, key?: RowKey): string {
  const set = assertIdentifier(entitySet, 'entity set name');
  if (key === undefined) return set;
  if (typeof key === 'string') return `${set}(${normalizeGuid(key, `${set} key`)})`;
  const entries = Object.entries(key);
  if (entries.length === 0) throw clientError('InvalidKey', 'an alternate key needs at least one column');
  const text = entries
    .map(([column, value]) => `${assertIdentifier(column, 'key column')}=${encodeURIComponent(odataLiteral(value))}`)
    .join(',');
  return `${set}(${text})`;
}

// ---------------------------------------------------------------------------------------------------------
// Prefer header
// ---------------------------------------------------------------------------------------------------------

/** Which instance annotations to ask for: `true`/`'*'` all, a list of names, or `false` none. */
export type AnnotationPreference = boolean | '*' | readonly string[];

/** The preferences the client knows how to ask for. */
export interface Preferences {
  readonly annotations?: AnnotationPreference;
  readonly maxPageSize?: number;
  readonly returnRepresentation?: boolean;
  readonly trackChanges?: boolean;
  readonly continueOnError?: boolean;
}

/** Builds the comma-joined `Prefer` header value, or `undefined` when nothing is preferred. */
export function preferHeader(preferences: Preferences): string | undefined {
  const parts: string[] = [];
  const { annotations, maxPageSize } = preferences;
  if (preferences.returnRepresentation) parts.push('return=representation');
  if (annotations === true || annotations === '*') {
    parts.push('odata.include-annotations="*"');
  } else if (Array.isArray(annotations) && annotations.length > 0) {
    for (const name of annotations) {
      if (typeof name !== 'string' || !/^[A-Za-z0-9_.*-]+$/.test(name)) {
        throw clientError('InvalidPreference', `annotation names look like OData.Community.Display.V1.FormattedValue, got ${describe(name)}`);
      }
    }
    parts.push(`odata.include-annotations="${annotations.join(',')}"`);
  }
  if (maxPageSize !== undefined) {
    if (!Number.isInteger(maxPageSize) || maxPageSize < 1 || maxPageSize > 5000) {
      throw clientError('InvalidPreference', `maxPageSize must be an integer from 1 to 5000, got ${describe(maxPageSize)}`);
    }
    parts.push(`odata.maxpagesize=${maxPageSize}`);
  }
  if (preferences.trackChanges) parts.push('odata.track-changes');
  if (preferences.continueOnError) parts.push('odata.continue-on-error');
  return parts.length > 0 ? parts.join(',') : undefined;
}
