/**
 * The emulator's OData query engine: parses the system query options Dataverse accepts and evaluates them
 * over in-memory stored rows, failing as Dataverse fails (400 with Dataverse's code and ODataLib's message).
 *
 * The request handler uses it as:
 * ```ts
 * const query = parseQueryOptions(url.search, table, tableOf);        // throws ODataQueryError → 400
 * const keep = query.filter ? compileFilter(query.filter, { table, tableOf }) : () => true;
 * const rows = stored.filter((row) => keep(row, ctx)).sort(compareRows(query.orderBy, table, ctx));
 * const groups = query.apply ? applyAggregation(query.apply, rows, table, ctx) : undefined;
 * ```
 *
 * @module
 */

export type {
  ArithmeticOperator,
  ArrayExpr,
  BinaryExpr,
  CallExpr,
  ComparisonOperator,
  FilterExpr,
  InExpr,
  LambdaExpr,
  LiteralExpr,
  LiteralType,
  LogicalExpr,
  NamedCallExpr,
  NotExpr,
  PathExpr,
} from './ast.js';
export {
  type AggregateMethod,
  type Aggregation,
  type ApplyExpr,
  type ApplyStep,
  applyAggregation,
  parseApply,
  validateApply,
} from './apply.js';
export {
  type CompileContext,
  type CompiledFilter,
  type EvalContext,
  type RowPredicate,
  compileFilter,
  compileFilterWithDependencies,
} from './compile.js';
export {
  ODataQueryError,
  QUERY_ERROR_CODE,
  TOO_MANY_CONDITIONS_CODE,
  isODataQueryError,
} from './errors.js';
export {
  type Member,
  type Navigation,
  columnOf,
  edmTypeOf,
  entityTypeName,
  isLookupType,
  lookupColumnOfValueName,
  memberOf,
  navigationOf,
} from './model.js';
export { type LookupNameSource, type OrderByItem, compareRows, orderReadsRelatedRows, sortRows } from './order.js';
export { MAX_CONDITIONS, MAX_DEPTH, type ParameterAliases, countConditions, parseFilter } from './parser.js';
export { type ExpandOption, type ParsedQuery, parseQueryOptions, splitTopLevel } from './query-options.js';
export { compareStrings, fold } from './strings.js';
