/**
 * Binds a `$filter` tree to a table and turns it into a predicate over stored rows.
 *
 * Binding checks what Dataverse (ODataLib's binder) checks: every name is a property of the table it is
 * applied to, operand types are compatible, functions get the arguments they take. Failures are
 * {@link ODataQueryError}s with ODataLib's messages.
 *
 * Evaluation follows SQL, as Dataverse runs the query on SQL Server: a comparison with a null value is
 * *unknown* (so `ne 'x'` does not match rows where the column is null), `and`/`or`/`not` use three-valued
 * logic, and a row is returned only when the whole filter is *true*. `x eq null` / `x ne null` test for null.
 * Strings compare case- and accent-insensitively (see `strings.ts`).
 *
 * @module
 */

import type { TableDef } from '../../tables/schema.js';
import { isLookupValue, type StoredRow } from '../types.js';
import type {
  BinaryExpr,
  CallExpr,
  ComparisonOperator,
  FilterExpr,
  InExpr,
  LambdaExpr,
  LiteralExpr,
  NamedCallExpr,
  PathExpr,
} from './ast.js';
import { ODataQueryError, propertyNotFound } from './errors.js';
import {
  type Comparable,
  type Navigation,
  type ValueKind,
  columnOf,
  columnReader,
  edmTypeOf,
  entityTypeName,
  isLookupType,
  memberOf,
  requireTable,
  valueKindOf,
} from './model.js';
import { compareStrings, fold, foldForEquality, likeMatcher, type LikeMode } from './strings.js';

/** What binding a filter needs: the table its rows belong to, and the other tables by logical name. */
export interface CompileContext {
  /** The table the rows belong to. */
  readonly table: TableDef;
  tableOf(logicalName: string): TableDef | undefined;
}

/** What evaluating a filter needs besides the row: related rows. */
export interface EvalContext extends CompileContext {
  /** Resolves a lookup (for paths like `primarycontactid/fullname`). */
  row(table: string, id: string): StoredRow | undefined;
  /** Rows of a collection-valued navigation of `parent` (for lambdas `order_details/any(d: d/quantity gt 5)`). */
  children(table: TableDef, navigation: string, parent: StoredRow): StoredRow[];
  /** The current time for date functions such as `Microsoft.Dynamics.CRM.LastXDays` (default: the clock). */
  readonly now?: Date;
}

/** A compiled filter: whether a row is returned. */
export type RowPredicate = (row: StoredRow, ctx: EvalContext) => boolean;

// ---- internal representation -------------------------------------------------------------------------------

/** The rows in scope: `rows[0]` is the row being filtered (`$it`), then one per enclosing lambda variable. */
interface Scope {
  readonly rows: readonly StoredRow[];
  readonly ctx: EvalContext;
  /** Evaluation time in milliseconds (only read by date functions). */
  readonly now: number;
}

/** Three-valued logic: true, false, or unknown (null). */
type Truth = boolean | null;
type Predicate = (scope: Scope) => Truth;
type Getter = (scope: Scope) => Comparable;

interface Value {
  readonly kind: ValueKind | 'null';
  /** The OData type, for messages. */
  readonly edm: string;
  readonly get: Getter;
  /** Set when the value is a literal (its value is then known at bind time). */
  readonly literal?: LiteralExpr;
}

type Bound =
  | { readonly type: 'predicate'; readonly predicate: Predicate }
  | { readonly type: 'value'; readonly value: Value }
  | { readonly type: 'entity'; readonly table: TableDef }
  | { readonly type: 'collection'; readonly navigation: Navigation };

interface Binding {
  readonly index: number;
  readonly table: TableDef;
}

/** Names in scope while binding: lambda variables, and how many rows a scope holds. */
interface Environment {
  readonly variables: ReadonlyMap<string, Binding>;
  readonly depth: number;
  /** The innermost row in scope (the lambda variable, or `$it`): where named-function properties are looked up. */
  readonly innermost: Binding;
}

const OPERATOR_KIND: Record<string, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  add: 'Add',
  sub: 'Subtract',
  mul: 'Multiply',
  div: 'Divide',
  mod: 'Modulo',
  and: 'And',
  or: 'Or',
};

/** Standard OData functions that Dataverse does not support in `$filter` (it supports contains/startswith/endswith). */
const UNSUPPORTED_ODATA_FUNCTIONS = new Set([
  'length', 'indexof', 'substring', 'trim', 'concat', 'matchesPattern', 'year', 'month', 'day', 'hour', 'minute',
  'second', 'fractionalseconds', 'totalseconds', 'date', 'time', 'totaloffsetminutes', 'now', 'mindatetime',
  'maxdatetime', 'round', 'floor', 'ceiling', 'cast', 'isof', 'geo.distance', 'geo.intersects', 'geo.length',
  'hassubset', 'hassubsequence',
]);

const CRM = 'Microsoft.Dynamics.CRM.';

/**
 * Dataverse query functions (powerapps-docs, webapi/query/filter-rows.md, "Dataverse query functions").
 * Those the emulator evaluates are handled in {@link Binder.bindNamedCall}; the others are refused with a
 * message saying so, rather than as unknown.
 */
const DATAVERSE_FUNCTIONS = new Set([
  'InFiscalPeriod', 'InFiscalPeriodAndYear', 'InFiscalYear', 'InOrAfterFiscalPeriodAndYear',
  'InOrBeforeFiscalPeriodAndYear', 'Last7Days', 'LastFiscalPeriod', 'LastFiscalYear', 'LastMonth', 'LastWeek',
  'LastXDays', 'LastXFiscalPeriods', 'LastXFiscalYears', 'LastXHours', 'LastXMonths', 'LastXWeeks', 'LastXYears',
  'LastYear', 'Next7Days', 'NextFiscalPeriod', 'NextFiscalYear', 'NextMonth', 'NextWeek', 'NextXDays',
  'NextXFiscalPeriods', 'NextXFiscalYears', 'NextXHours', 'NextXMonths', 'NextXWeeks', 'NextXYears', 'NextYear',
  'OlderThanXDays', 'OlderThanXHours', 'OlderThanXMinutes', 'OlderThanXMonths', 'OlderThanXWeeks',
  'OlderThanXYears', 'On', 'OnOrAfter', 'OnOrBefore', 'ThisFiscalPeriod', 'ThisFiscalYear', 'ThisMonth',
  'ThisWeek', 'ThisYear', 'Today', 'Tomorrow', 'Yesterday', 'EqualBusinessId', 'EqualUserId',
  'NotEqualBusinessId', 'NotEqualUserId', 'Above', 'AboveOrEqual', 'EqualUserOrUserHierarchy',
  'EqualUserOrUserHierarchyAndTeams', 'EqualUserOrUserTeams', 'EqualUserTeams', 'NotUnder', 'Under',
  'UnderOrEqual', 'ContainValues', 'DoesNotContainValues', 'Between', 'NotBetween', 'In', 'NotIn',
  'EqualUserLanguage', 'Contains', 'DoesNotContain',
]);

const DAY = 86_400_000;
const HOUR = 3_600_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function incompatible(left: string, right: string, operator: string): ODataQueryError {
  return new ODataQueryError(
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${OPERATOR_KIND[operator] ?? operator}'.`,
  );
}

function notSingleValue(operator: string): ODataQueryError {
  return new ODataQueryError(
    `The operand for a binary operator '${OPERATOR_KIND[operator] ?? operator}' is not a single value. Binary operators require both operands to be single values.`,
  );
}

const GUID_TEXT = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

function literalKind(literal: LiteralExpr): ValueKind | 'null' {
  switch (literal.type) {
    case 'date':
    case 'datetime':
      return 'datetime';
    case 'null':
      return 'null';
    default:
      return literal.type;
  }
}

function literalValue(literal: LiteralExpr): Value {
  const v = literal.value as Comparable;
  return { kind: literalKind(literal), edm: literal.edmType, get: () => v, literal };
}

/** Applies a comparison operator to the result of a three-way comparison. */
function holds(operator: ComparisonOperator, c: number): boolean {
  switch (operator) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'gt': return c > 0;
    case 'ge': return c >= 0;
    case 'lt': return c < 0;
    case 'le': return c <= 0;
  }
}

function compareComparable(kind: ValueKind, a: string | number | boolean, b: string | number | boolean): number {
  if (kind === 'string') return compareStrings(a as string, b as string);
  if (kind === 'guid') return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The key under which `In` and `in` look a value up. */
function setKey(kind: ValueKind, value: string | number | boolean): string | number | boolean {
  return kind === 'string' ? foldForEquality(value as string) : value;
}

class Binder {
  /** Whether the filter reads the clock (date functions). */
  usesNow = false;
  /** Tables whose rows the filter reads besides the filtered row itself (through lookups and lambdas). */
  readonly tablesRead = new Set<string>();

  constructor(private readonly ctx: CompileContext) {}

  bindPredicate(expr: FilterExpr, env: Environment, what = 'The $filter expression'): Predicate {
    const bound = this.bind(expr, env);
    if (bound.type === 'predicate') return bound.predicate;
    if (bound.type === 'value' && bound.value.kind === 'boolean') {
      const get = bound.value.get;
      return (scope) => get(scope) as Truth;
    }
    if (bound.type === 'value' && bound.value.kind === 'null') return () => null;
    throw new ODataQueryError(`${what} must evaluate to a single boolean value.`);
  }

  private bindValue(expr: FilterExpr, env: Environment, operator: string): Value {
    const bound = this.bind(expr, env);
    switch (bound.type) {
      case 'value':
        return bound.value;
      case 'predicate': {
        const predicate = bound.predicate;
        return { kind: 'boolean', edm: 'Edm.Boolean', get: (scope) => predicate(scope) };
      }
      default:
        throw notSingleValue(operator);
    }
  }

  bind(expr: FilterExpr, env: Environment): Bound {
    switch (expr.kind) {
      case 'literal':
        return { type: 'value', value: literalValue(expr) };
      case 'array':
        throw new ODataQueryError(`A collection literal is only valid as a function parameter (position ${expr.pos}).`);
      case 'path':
        return this.bindPath(expr, env);
      case 'logical': {
        const operands = expr.operands.map((operand) => this.bindLogicalOperand(operand, env, expr.operator));
        if (expr.operator === 'and') {
          return {
            type: 'predicate',
            predicate: (scope) => {
              let unknown = false;
              for (const operand of operands) {
                const t = operand(scope);
                if (t === false) return false;
                if (t === null) unknown = true;
              }
              return unknown ? null : true;
            },
          };
        }
        return {
          type: 'predicate',
          predicate: (scope) => {
            let unknown = false;
            for (const operand of operands) {
              const t = operand(scope);
              if (t === true) return true;
              if (t === null) unknown = true;
            }
            return unknown ? null : false;
          },
        };
      }
      case 'not': {
        const bound = this.bind(expr.operand, env);
        let operand: Predicate;
        if (bound.type === 'predicate') operand = bound.predicate;
        else if (bound.type === 'value' && (bound.value.kind === 'boolean' || bound.value.kind === 'null')) {
          const get = bound.value.get;
          operand = (scope) => get(scope) as Truth;
        } else {
          const found = bound.type === 'value' ? bound.value.edm
            : bound.type === 'entity' ? entityTypeName(bound.table) : 'Collection';
          throw new ODataQueryError(
            `A unary operator with an incompatible type was detected. Found operand type '${found}' for operator kind 'Not'.`,
          );
        }
        return {
          type: 'predicate',
          predicate: (scope) => {
            const t = operand(scope);
            return t === null ? null : !t;
          },
        };
      }
      case 'binary':
        return this.bindBinary(expr, env);
      case 'call':
        return this.bindCall(expr, env);
      case 'namedCall':
        return { type: 'predicate', predicate: this.bindNamedCall(expr, env) };
      case 'lambda':
        return { type: 'predicate', predicate: this.bindLambda(expr, env) };
      case 'in':
        return { type: 'predicate', predicate: this.bindIn(expr, env) };
    }
  }

  private bindLogicalOperand(expr: FilterExpr, env: Environment, operator: 'and' | 'or'): Predicate {
    const bound = this.bind(expr, env);
    if (bound.type === 'predicate') return bound.predicate;
    if (bound.type === 'value' && (bound.value.kind === 'boolean' || bound.value.kind === 'null')) {
      const get = bound.value.get;
      return (scope) => get(scope) as Truth;
    }
    const found = bound.type === 'value' ? bound.value.edm
      : bound.type === 'entity' ? entityTypeName(bound.table) : 'Collection';
    throw incompatible(found, 'Edm.Boolean', operator);
  }

  // ---- paths ------------------------------------------------------------------------------------------

  private bindPath(expr: PathExpr, env: Environment): Bound {
    let segments = expr.segments;
    let binding: Binding = { index: 0, table: this.ctx.table };
    const head = segments[0];
    const variable = env.variables.get(head);
    if (variable) {
      binding = variable;
      segments = segments.slice(1);
    } else if (head === '$it') {
      segments = segments.slice(1);
    }
    let table = binding.table;
    const index = binding.index;
    let rowOf: (scope: Scope) => StoredRow | undefined = (scope) => scope.rows[index];
    if (segments.length === 0) return { type: 'entity', table };
    for (let i = 0; i < segments.length; i++) {
      const name = segments[i];
      const last = i === segments.length - 1;
      const member = memberOf(table, name);
      if (!member) throw propertyNotFound(name, entityTypeName(table));
      if (member.kind === 'column') {
        if (!last) throw propertyNotFound(segments[i + 1], edmTypeOf(member.def));
        const read = columnReader(member.column, member.def);
        const from = rowOf;
        const get: Getter = (scope) => {
          const row = from(scope);
          return row ? read(row) : null;
        };
        return { type: 'value', value: { kind: valueKindOf(member.def), edm: edmTypeOf(member.def), get } };
      }
      const navigation = member.navigation;
      if (navigation.kind === 'collection') {
        if (!last) {
          throw new ODataQueryError(
            `The parent value for a property access of a property '${segments[i + 1]}' is not a single value. Property access can only be applied to a single value.`,
          );
        }
        return { type: 'collection', navigation };
      }
      const target = requireTable(this.ctx.tableOf, navigation.table, navigation.name);
      this.tablesRead.add(navigation.table);
      const from = rowOf;
      const column = navigation.column;
      const targetName = navigation.table;
      rowOf = (scope) => {
        const row = from(scope);
        if (!row) return undefined;
        const lookup = row[column];
        if (!isLookupValue(lookup) || lookup.table !== targetName) return undefined;
        return scope.ctx.row(targetName, lookup.id);
      };
      table = target;
    }
    return { type: 'entity', table };
  }

  // ---- operators ----------------------------------------------------------------------------------------

  private bindBinary(expr: BinaryExpr, env: Environment): Bound {
    const operator = expr.operator;
    if (!(operator in { eq: 1, ne: 1, gt: 1, ge: 1, lt: 1, le: 1 })) {
      throw new ODataQueryError(
        `The arithmetic operator '${operator}' is not supported in a Dataverse $filter (position ${expr.pos}).`,
      );
    }
    const comparison = operator as ComparisonOperator;
    let left = this.bindValue(expr.left, env, operator);
    let right = this.bindValue(expr.right, env, operator);

    if (left.kind === 'null' || right.kind === 'null') {
      if (left.kind === 'null' && right.kind === 'null') {
        const result = comparison === 'eq' ? true : comparison === 'ne' ? false : null;
        return { type: 'predicate', predicate: () => result };
      }
      const get = left.kind === 'null' ? right.get : left.get;
      if (comparison === 'eq') return { type: 'predicate', predicate: (scope) => get(scope) === null };
      if (comparison === 'ne') return { type: 'predicate', predicate: (scope) => get(scope) !== null };
      return { type: 'predicate', predicate: () => null };
    }

    left = this.coerceGuidLiteral(left, right);
    right = this.coerceGuidLiteral(right, left);
    if (left.kind !== right.kind || left.kind === 'null') throw incompatible(left.edm, right.edm, operator);
    const kind: ValueKind = left.kind;
    const getLeft = left.get;
    const getRight = right.get;

    if (kind === 'string' && (comparison === 'eq' || comparison === 'ne')) {
      const wanted = comparison === 'eq';
      if (right.literal) {
        const key = foldForEquality(right.literal.value as string);
        return {
          type: 'predicate',
          predicate: (scope) => {
            const a = getLeft(scope);
            return a === null ? null : (foldForEquality(a as string) === key) === wanted;
          },
        };
      }
      return {
        type: 'predicate',
        predicate: (scope) => {
          const a = getLeft(scope);
          const b = getRight(scope);
          if (a === null || b === null) return null;
          return (foldForEquality(a as string) === foldForEquality(b as string)) === wanted;
        },
      };
    }
    if ((kind === 'guid' || kind === 'number' || kind === 'datetime') && right.literal
      && (comparison === 'eq' || comparison === 'ne')) {
      const key = right.literal.value;
      const wanted = comparison === 'eq';
      return {
        type: 'predicate',
        predicate: (scope) => {
          const a = getLeft(scope);
          return a === null ? null : (a === key) === wanted;
        },
      };
    }
    return {
      type: 'predicate',
      predicate: (scope) => {
        const a = getLeft(scope);
        const b = getRight(scope);
        if (a === null || b === null) return null;
        return holds(comparison, compareComparable(kind, a, b));
      },
    };
  }

  /**
   * A quoted GUID compared with a GUID property is read as a GUID: Dataverse's documentation itself writes
   * `_owninguser_value eq '<systemuserid value>'` (webapi/query/filter-rows.md).
   */
  private coerceGuidLiteral(value: Value, other: Value): Value {
    if (other.kind === 'guid' && value.kind === 'string' && value.literal
      && GUID_TEXT.test(value.literal.value as string)) {
      const guid = (value.literal.value as string).toLowerCase();
      const literal: LiteralExpr = { ...value.literal, type: 'guid', value: guid, edmType: 'Edm.Guid' };
      return { kind: 'guid', edm: 'Edm.Guid', get: () => guid, literal };
    }
    return value;
  }

  private bindIn(expr: InExpr, env: Environment): Predicate {
    const operand = this.bindValue(expr.operand, env, 'In');
    if (operand.kind === 'null') return () => null;
    const kind = operand.kind;
    const keys = new Set<string | number | boolean>();
    for (const literal of expr.values) {
      const value = this.coerceGuidLiteral(literalValue(literal), operand);
      if (value.kind === 'null') continue;
      if (value.kind !== kind) {
        throw new ODataQueryError(
          `The 'in' operator requires values of type '${operand.edm}'; found '${value.edm}' at position ${literal.pos}.`,
        );
      }
      keys.add(setKey(kind, value.literal!.value as string | number | boolean));
    }
    const get = operand.get;
    return (scope) => {
      const v = get(scope);
      return v === null ? null : keys.has(setKey(kind, v));
    };
  }

  // ---- functions ----------------------------------------------------------------------------------------

  private bindCall(expr: CallExpr, env: Environment): Bound {
    const name = expr.name;
    if (name === 'contains' || name === 'startswith' || name === 'endswith') {
      const signature = () => new ODataQueryError(
        `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
      );
      if (expr.args.length !== 2) throw signature();
      const value = this.bindValue(expr.args[0], env, name);
      const pattern = this.bindValue(expr.args[1], env, name);
      if ((value.kind !== 'string' && value.kind !== 'null') || (pattern.kind !== 'string' && pattern.kind !== 'null')) {
        throw signature();
      }
      if (value.kind === 'null' || pattern.kind === 'null') return { type: 'predicate', predicate: () => null };
      const get = value.get;
      const mode = name as LikeMode;
      if (pattern.literal) {
        const matches = likeMatcher(pattern.literal.value as string, mode);
        return {
          type: 'predicate',
          predicate: (scope) => {
            const v = get(scope);
            return v === null ? null : matches(fold(v as string));
          },
        };
      }
      const getPattern = pattern.get;
      return {
        type: 'predicate',
        predicate: (scope) => {
          const v = get(scope);
          const p = getPattern(scope);
          if (v === null || p === null) return null;
          return likeMatcher(p as string, mode)(fold(v as string));
        },
      };
    }
    if (name === 'tolower' || name === 'toupper') {
      if (expr.args.length !== 1) {
        throw new ODataQueryError(
          `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true).`,
        );
      }
      const value = this.bindValue(expr.args[0], env, name);
      if (value.kind === 'null') return { type: 'value', value };
      if (value.kind !== 'string') {
        throw new ODataQueryError(
          `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true).`,
        );
      }
      const get = value.get;
      const literal = value.literal
        ? { ...value.literal, value: name === 'tolower' ? (value.literal.value as string).toLowerCase() : (value.literal.value as string).toUpperCase() }
        : undefined;
      const change = name === 'tolower' ? (s: string) => s.toLowerCase() : (s: string) => s.toUpperCase();
      return {
        type: 'value',
        value: {
          kind: 'string',
          edm: 'Edm.String',
          literal,
          get: (scope) => {
            const v = get(scope);
            return v === null ? null : change(v as string);
          },
        },
      };
    }
    if (UNSUPPORTED_ODATA_FUNCTIONS.has(name)) {
      throw new ODataQueryError(`The function '${name}' is not supported by Dataverse in $filter.`);
    }
    if (name.startsWith(CRM)) {
      throw new ODataQueryError(
        `The function '${name}' takes named parameters, for example ${name}(PropertyName='name',PropertyValue='value').`,
      );
    }
    throw unknownFunction(name);
  }

  bindNamedCall(expr: NamedCallExpr, env: Environment): Predicate {
    const fullName = expr.name;
    if (!fullName.startsWith(CRM) || !DATAVERSE_FUNCTIONS.has(fullName.slice(CRM.length))) {
      throw unknownFunction(fullName);
    }
    const fn = fullName.slice(CRM.length);
    const params = new Map(expr.params.map((p) => [p.name, p]));
    const param = (paramName: string): FilterExpr => {
      const p = params.get(paramName);
      if (!p) throw new ODataQueryError(`The function '${fullName}' requires the parameter '${paramName}'.`);
      return p.value;
    };
    const allowOnly = (...names: string[]) => {
      for (const p of expr.params) {
        if (!names.includes(p.name)) {
          throw new ODataQueryError(`The function '${fullName}' has no parameter named '${p.name}'.`);
        }
      }
    };

    // PropertyName names a column of the innermost row in scope (the lambda variable inside a lambda).
    const propertyExpr = param('PropertyName');
    if (propertyExpr.kind !== 'literal' || propertyExpr.type !== 'string') {
      throw new ODataQueryError(`The parameter 'PropertyName' of the function '${fullName}' must be a string naming a column.`);
    }
    const table = env.innermost.table;
    const propertyName = propertyExpr.value as string;
    const member = memberOf(table, propertyName);
    let columnName: string;
    if (member?.kind === 'column') columnName = member.column;
    else if (columnOf(table, propertyName) && isLookupType(columnOf(table, propertyName)!.type)) columnName = propertyName;
    else throw propertyNotFound(propertyName, entityTypeName(table));
    const column = columnOf(table, columnName)!;
    const kind = valueKindOf(column);
    const edm = edmTypeOf(column);
    const read = columnReader(columnName, column);
    const index = env.innermost.index;
    const get: Getter = (scope) => {
      const row = scope.rows[index];
      return row ? read(row) : null;
    };

    const convert = (literal: LiteralExpr, paramName: string): string | number | boolean => {
      const invalid = () => new ODataQueryError(
        `The value '${literal.raw}' of the parameter '${paramName}' of the function '${fullName}' is not a valid ${edm} value for '${propertyName}'.`,
      );
      const v = literal.value;
      switch (kind) {
        case 'string':
          if (literal.type === 'string') return v as string;
          if (literal.type === 'number') return String(v);
          throw invalid();
        case 'number': {
          if (literal.type === 'number') return v as number;
          const n = literal.type === 'string' && (v as string).trim() !== '' ? Number(v) : NaN;
          if (Number.isFinite(n)) return n;
          throw invalid();
        }
        case 'boolean':
          if (literal.type === 'boolean') return v as boolean;
          if (v === 'true' || v === '1') return true;
          if (v === 'false' || v === '0') return false;
          throw invalid();
        case 'guid':
          if (literal.type === 'guid') return v as string;
          if (literal.type === 'string' && GUID_TEXT.test(v as string)) return (v as string).toLowerCase();
          throw invalid();
        case 'datetime': {
          if (literal.type === 'date' || literal.type === 'datetime') return v as number;
          if (literal.type === 'string' && /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(v as string)) {
            const ms = /T/.test(v as string) ? Date.parse(v as string) : Date.parse(`${v as string}T00:00:00Z`);
            if (!Number.isNaN(ms)) return ms;
          }
          throw invalid();
        }
        default:
          throw invalid();
      }
    };
    const values = (): (string | number | boolean)[] => {
      const p = param('PropertyValues');
      const items = p.kind === 'array' ? p.items : p.kind === 'literal' && p.type !== 'null' ? [p] : undefined;
      if (!items) {
        throw new ODataQueryError(`The parameter 'PropertyValues' of the function '${fullName}' must be a collection of values.`);
      }
      return items.map((item) => convert(item, 'PropertyValues'));
    };
    const singleValue = (): LiteralExpr => {
      const p = param('PropertyValue');
      if (p.kind !== 'literal' || p.type === 'null') {
        throw new ODataQueryError(`The parameter 'PropertyValue' of the function '${fullName}' must be a single value.`);
      }
      return p;
    };
    const count = (): number => {
      const literal = singleValue();
      const n = literal.type === 'number' ? literal.value as number
        : literal.type === 'string' && /^\d+$/.test(literal.value as string) ? Number(literal.value) : NaN;
      if (!Number.isInteger(n) || n < 0) {
        throw new ODataQueryError(`The parameter 'PropertyValue' of the function '${fullName}' must be a non-negative whole number.`);
      }
      return n;
    };
    const requireDate = () => {
      if (kind !== 'datetime') {
        throw new ODataQueryError(`The function '${fullName}' applies to date and time columns; '${propertyName}' is ${edm}.`);
      }
      this.usesNow = true;
    };
    /** `from <= value < to` (either bound may be open). */
    const within = (from: (now: number) => number, to: (now: number) => number, inclusiveTo = false): Predicate =>
      (scope) => {
        const v = get(scope);
        if (v === null) return null;
        const t = v as number;
        const end = to(scope.now);
        return t >= from(scope.now) && (inclusiveTo ? t <= end : t < end);
      };

    switch (fn) {
      case 'In':
      case 'NotIn': {
        allowOnly('PropertyName', 'PropertyValues');
        const keys = new Set(values().map((v) => setKey(kind, v)));
        if (keys.size === 0) throw new ODataQueryError(`The function '${fullName}' needs at least one value.`);
        const wanted = fn === 'In';
        return (scope) => {
          const v = get(scope);
          return v === null ? null : keys.has(setKey(kind, v)) === wanted;
        };
      }
      case 'Between':
      case 'NotBetween': {
        allowOnly('PropertyName', 'PropertyValues');
        const bounds = values();
        if (bounds.length !== 2) throw new ODataQueryError(`The function '${fullName}' needs exactly two values.`);
        const [low, high] = bounds;
        const wanted = fn === 'Between';
        return (scope) => {
          const v = get(scope);
          if (v === null) return null;
          const inside = compareComparable(kind, v, low) >= 0 && compareComparable(kind, v, high) <= 0;
          return inside === wanted;
        };
      }
      case 'Today':
      case 'Yesterday':
      case 'Tomorrow': {
        allowOnly('PropertyName');
        requireDate();
        const shift = fn === 'Today' ? 0 : fn === 'Yesterday' ? -DAY : DAY;
        return within((now) => startOfDay(now) + shift, (now) => startOfDay(now) + shift + DAY);
      }
      case 'LastXDays': {
        allowOnly('PropertyName', 'PropertyValue');
        requireDate();
        const x = count();
        return within((now) => startOfDay(now) - x * DAY, (now) => now, true);
      }
      case 'NextXDays': {
        allowOnly('PropertyName', 'PropertyValue');
        requireDate();
        const x = count();
        return within((now) => now, (now) => startOfDay(now) + (x + 1) * DAY);
      }
      case 'LastXHours': {
        allowOnly('PropertyName', 'PropertyValue');
        requireDate();
        const x = count();
        return within((now) => now - x * HOUR, (now) => now, true);
      }
      case 'NextXHours': {
        allowOnly('PropertyName', 'PropertyValue');
        requireDate();
        const x = count();
        return within((now) => now, (now) => now + x * HOUR, true);
      }
      case 'OlderThanXDays': {
        allowOnly('PropertyName', 'PropertyValue');
        requireDate();
        const x = count();
        return within(() => -Infinity, (now) => now - x * DAY);
      }
      case 'On':
      case 'OnOrAfter':
      case 'OnOrBefore': {
        allowOnly('PropertyName', 'PropertyValue');
        requireDate();
        const day = startOfDay(convert(singleValue(), 'PropertyValue') as number);
        if (fn === 'On') return within(() => day, () => day + DAY);
        if (fn === 'OnOrAfter') return within(() => day, () => Infinity);
        return within(() => -Infinity, () => day + DAY);
      }
      default:
        throw new ODataQueryError(`The Dataverse query function '${fullName}' is not implemented by the emulator.`);
    }
  }

  // ---- lambdas ------------------------------------------------------------------------------------------

  private bindLambda(expr: LambdaExpr, env: Environment): Predicate {
    let segments = expr.collection;
    let binding: Binding = { index: 0, table: this.ctx.table };
    const variable = env.variables.get(segments[0]);
    if (variable) {
      binding = variable;
      segments = segments.slice(1);
    } else if (segments[0] === '$it') {
      segments = segments.slice(1);
    }
    const onlyCollections = () => new ODataQueryError('Only collection navigation properties may head Any/All queries.');
    if (segments.length === 0) throw onlyCollections();
    const member = memberOf(binding.table, segments[0]);
    if (!member) throw propertyNotFound(segments[0], entityTypeName(binding.table));
    if (segments.length > 1) {
      if (member.kind === 'navigation' && member.navigation.kind === 'single') {
        // powerapps-docs filter-rows.md: "You can't include conditions on collection-valued navigation properties
        // that are nested in a lookup navigation property."
        throw new ODataQueryError(
          `Conditions on a collection-valued navigation property nested in a lookup navigation property are not supported ('${expr.collection.join('/')}').`,
        );
      }
      throw onlyCollections();
    }
    if (member.kind !== 'navigation' || member.navigation.kind !== 'collection') throw onlyCollections();
    const navigation = member.navigation;
    const childTable = requireTable(this.ctx.tableOf, navigation.table, navigation.name);
    this.tablesRead.add(navigation.table);
    const parentTable = binding.table;
    const parentIndex = binding.index;
    const navigationName = navigation.name;

    let predicate: Predicate | undefined;
    if (expr.predicate && expr.variable !== undefined) {
      if (env.variables.has(expr.variable) || expr.variable === '$it') {
        throw new ODataQueryError(`The range variable '${expr.variable}' has already been declared.`);
      }
      const childBinding: Binding = { index: env.depth, table: childTable };
      const variables = new Map(env.variables);
      variables.set(expr.variable, childBinding);
      predicate = this.bindPredicate(
        expr.predicate,
        { variables, depth: env.depth + 1, innermost: childBinding },
        `The expression of the '${expr.operator}' operator`,
      );
    }
    const any = expr.operator === 'any';
    return (scope) => {
      const parent = scope.rows[parentIndex];
      if (!parent) return null;
      const children = scope.ctx.children(parentTable, navigationName, parent);
      if (!predicate) return children.length > 0;
      for (const child of children) {
        const t = predicate({ rows: [...scope.rows, child], ctx: scope.ctx, now: scope.now });
        // any: some child satisfies the condition (SQL EXISTS); all: no child fails it (NOT EXISTS … NOT).
        if (any && t === true) return true;
        if (!any && t === false) return false;
      }
      return !any;
    };
  }
}

function unknownFunction(name: string): ODataQueryError {
  return new ODataQueryError(
    `An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
  );
}

/**
 * Binds a parsed `$filter` to a table and returns a predicate over its stored rows.
 *
 * @throws ODataQueryError when a name is not a property (`Could not find a property named 'foo' on type
 *   'Microsoft.Dynamics.CRM.salesorder'.`), operand types do not match (a string compared with a number
 *   column), a function is unknown or gets wrong arguments, or the expression is not boolean.
 */
export function compileFilter(expr: FilterExpr, ctx: CompileContext): RowPredicate {
  return compileFilterWithDependencies(expr, ctx).predicate;
}

/** A compiled filter and what its result depends on besides the filtered row's own columns. */
export interface CompiledFilter {
  readonly predicate: RowPredicate;
  /** Whether the result depends on the clock (date functions such as `Microsoft.Dynamics.CRM.Today`). */
  readonly usesNow: boolean;
  /**
   * Logical names of the tables whose rows the filter reads besides the filtered row: the targets of lookup
   * paths (`customerid_account/name`) and the related tables of lambdas (`order_details/any(…)`).
   */
  readonly tablesRead: ReadonlySet<string>;
}

/**
 * {@link compileFilter}, also telling what the result depends on, so that a cache of filtered rows knows when
 * it is stale.
 *
 * @throws ODataQueryError as {@link compileFilter}
 */
export function compileFilterWithDependencies(expr: FilterExpr, ctx: CompileContext): CompiledFilter {
  const binder = new Binder(ctx);
  const root: Binding = { index: 0, table: ctx.table };
  const predicate = binder.bindPredicate(expr, { variables: new Map(), depth: 1, innermost: root });
  const usesNow = binder.usesNow;
  return {
    predicate: (row, evalCtx) => {
      const now = usesNow ? (evalCtx.now ?? new Date()).getTime() : 0;
      return predicate({ rows: [row], ctx: evalCtx, now }) === true;
    },
    usesNow,
    tablesRead: binder.tablesRead,
  };
}
