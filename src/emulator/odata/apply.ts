/**
 * `$apply`: the subset of OData data aggregation that Dataverse supports (powerapps-docs,
 * webapi/query/aggregate-data.md): `filter(…)` steps followed by one `groupby((…)[,aggregate(…)])` or
 * `aggregate(…)`, with `$count as alias` and `property with sum|average|min|max|countdistinct as alias`.
 *
 * Results have the shape Dataverse answers: one object per group with the grouping properties (a null group
 * value is left out of its object, a lookup path `primarycontactid/fullname` is named `contact_fullname`) and
 * the aliases; groups in ascending order of their values, nulls first.
 *
 * @module
 */

import type { TableDef } from '../../tables/schema.js';
import { isLookupValue, type StoredRow } from '../types.js';
import type { FilterExpr } from './ast.js';
import { compileFilter, type EvalContext } from './compile.js';
import { ODataQueryError, propertyNotFound, TOO_MANY_CONDITIONS_CODE } from './errors.js';
import {
  type Comparable,
  type ValueKind,
  columnReader,
  edmTypeOf,
  entityTypeName,
  memberOf,
  requireTable,
  valueKindOf,
} from './model.js';
import { countConditions, ExpressionParser, MAX_CONDITIONS, type ParameterAliases } from './parser.js';
import { compareStrings } from './strings.js';

export type AggregateMethod = 'sum' | 'average' | 'min' | 'max' | 'countdistinct';

/** One aggregate expression of `aggregate(…)`. */
export type Aggregation =
  | { readonly kind: 'count'; readonly alias: string }
  | { readonly kind: 'method'; readonly property: string; readonly method: AggregateMethod; readonly alias: string };

/** One transformation of `$apply`. */
export type ApplyStep =
  | { readonly kind: 'filter'; readonly filter: FilterExpr }
  | { readonly kind: 'groupby'; readonly properties: readonly string[]; readonly aggregations: readonly Aggregation[] }
  | { readonly kind: 'aggregate'; readonly aggregations: readonly Aggregation[] };

/** A parsed `$apply`: transformations in order. */
export interface ApplyExpr {
  readonly steps: readonly ApplyStep[];
}

const METHODS = new Set<string>(['sum', 'average', 'min', 'max', 'countdistinct']);

/**
 * Parses `$apply` (syntax only; {@link validateApply} checks names against a table).
 *
 * @throws ODataQueryError with the position of the problem
 */
export function parseApply(text: string, aliases: ParameterAliases = {}): ApplyExpr {
  const p = new ExpressionParser(text, aliases);
  if (p.at('eof')) throw p.expressionExpected();
  const steps: ApplyStep[] = [];
  for (;;) {
    steps.push(parseTransformation(p));
    if (p.at('eof')) break;
    if (!p.at('/')) throw p.syntaxError();
    p.advance();
  }
  // Dataverse applies the filters and then groups or aggregates once.
  steps.forEach((step, i) => {
    if (step.kind !== 'filter' && i !== steps.length - 1) {
      throw new ODataQueryError(`Only filter transformations may follow '${step.kind}' in $apply: '${text}'.`);
    }
  });
  const conditions = steps.reduce((n, s) => n + (s.kind === 'filter' ? countConditions(s.filter) : 0), 0);
  if (conditions > MAX_CONDITIONS) {
    throw new ODataQueryError('Number of conditions in query exceeded maximum limit.', { code: TOO_MANY_CONDITIONS_CODE });
  }
  return { steps };
}

function identifier(p: ExpressionParser): string {
  if (!p.at('identifier')) throw p.syntaxError();
  return p.advance().value as string;
}

function parseTransformation(p: ExpressionParser): ApplyStep {
  const nameToken = p.token;
  const name = identifier(p);
  if (!p.at('(')) throw new ODataQueryError(`'(' expected at position ${p.token.pos} in '${p.text}'.`, { position: p.token.pos });
  p.advance();
  switch (name) {
    case 'filter': {
      if (p.at(')')) throw p.expressionExpected();
      const filter = p.parseExpression();
      if (!p.at(')')) throw p.closeParenOrOperatorExpected();
      p.advance();
      return { kind: 'filter', filter };
    }
    case 'aggregate': {
      const aggregations = parseAggregations(p);
      return { kind: 'aggregate', aggregations };
    }
    case 'groupby': {
      if (!p.at('(')) throw new ODataQueryError(`'(' expected at position ${p.token.pos} in '${p.text}'.`, { position: p.token.pos });
      p.advance();
      const properties: string[] = [];
      for (;;) {
        let path = identifier(p);
        while (p.at('/')) {
          p.advance();
          path += '/' + identifier(p);
        }
        properties.push(path);
        if (p.at(',')) {
          p.advance();
          continue;
        }
        if (p.at(')')) break;
        throw p.closeParenOrCommaExpected();
      }
      p.advance();
      let aggregations: Aggregation[] = [];
      if (p.at(',')) {
        p.advance();
        const inner = p.token;
        if (identifier(p) !== 'aggregate' || !p.at('(')) {
          throw new ODataQueryError(`'aggregate' expected at position ${inner.pos} in '${p.text}'.`, { position: inner.pos });
        }
        p.advance();
        aggregations = parseAggregations(p);
      }
      if (!p.at(')')) throw p.closeParenOrCommaExpected();
      p.advance();
      return { kind: 'groupby', properties, aggregations };
    }
    default:
      throw new ODataQueryError(
        `'${name}' at position ${nameToken.pos} is not a transformation Dataverse supports in $apply (filter, groupby, aggregate).`,
        { position: nameToken.pos },
      );
  }
}

/** `item, item … )` after `aggregate(`. */
function parseAggregations(p: ExpressionParser): Aggregation[] {
  const aggregations: Aggregation[] = [];
  for (;;) {
    const start = p.token;
    const first = identifier(p);
    let aggregation: Aggregation;
    if (first === '$count') {
      if (!p.isKeyword('as')) throw p.syntaxError();
      p.advance();
      aggregation = { kind: 'count', alias: identifier(p) };
    } else {
      let property = first;
      while (p.at('/')) {
        p.advance();
        property += '/' + identifier(p);
      }
      if (!p.isKeyword('with')) throw p.syntaxError();
      p.advance();
      const methodToken = p.token;
      const method = identifier(p);
      if (!METHODS.has(method)) {
        throw new ODataQueryError(
          `'${method}' at position ${methodToken.pos} is not an aggregation method Dataverse supports (sum, average, min, max, countdistinct).`,
          { position: methodToken.pos },
        );
      }
      if (!p.isKeyword('as')) throw p.syntaxError();
      p.advance();
      aggregation = { kind: 'method', property, method: method as AggregateMethod, alias: identifier(p) };
    }
    if (aggregation.alias.startsWith('$') || aggregations.some((a) => a.alias === aggregation.alias)) {
      throw p.syntaxError(start.pos);
    }
    aggregations.push(aggregation);
    if (p.at(',')) {
      p.advance();
      continue;
    }
    if (p.at(')')) {
      p.advance();
      return aggregations;
    }
    throw p.closeParenOrCommaExpected();
  }
}

// ---- binding ----------------------------------------------------------------------------------------------

interface BoundProperty {
  /** Name of the property in the result (`msdyn_processingstatus`, `_customerid_value`, `contact_fullname`). */
  readonly outputName: string;
  readonly kind: ValueKind;
  readonly edm: string;
  /** Reads the value from a row; `related` resolves lookups for paths. */
  readonly read: (row: StoredRow, related: EvalContext['row']) => Comparable;
  /** Dates are answered as ISO strings. */
  readonly isDate: boolean;
  readonly precision?: number;
}

function bindProperty(
  path: string,
  table: TableDef,
  tableOf: (logicalName: string) => TableDef | undefined,
): BoundProperty {
  const segments = path.split('/');
  let current = table;
  const hops: { column: string; table: string }[] = [];
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i];
    const member = memberOf(current, name);
    if (!member) throw propertyNotFound(name, entityTypeName(current));
    if (member.kind === 'column') {
      if (i !== segments.length - 1) throw propertyNotFound(segments[i + 1], edmTypeOf(member.def));
      const readColumn = columnReader(member.column, member.def);
      const path = hops.slice();
      const read = (row: StoredRow, related: EvalContext['row']): Comparable => {
        let r: StoredRow | undefined = row;
        for (const hop of path) {
          const v: unknown = r[hop.column];
          r = isLookupValue(v) && v.table === hop.table ? related(hop.table, v.id) : undefined;
          if (!r) return null;
        }
        return readColumn(r);
      };
      return {
        // Dataverse names a grouped lookup path after the related table: primarycontactid/fullname → contact_fullname.
        outputName: hops.length ? `${current.logicalName}_${name}` : name,
        kind: valueKindOf(member.def),
        edm: edmTypeOf(member.def),
        read,
        isDate: member.def.type === 'datetime',
        precision: member.def.precision,
      };
    }
    const navigation = member.navigation;
    if (navigation.kind !== 'single' || i === segments.length - 1) {
      throw new ODataQueryError(`'${path}' is not a property of '${entityTypeName(table)}' that can be aggregated.`);
    }
    hops.push({ column: navigation.column, table: navigation.table });
    current = requireTable(tableOf, navigation.table, navigation.name);
  }
  throw propertyNotFound(path, entityTypeName(table));
}

/** A `groupby` property: any column but a date (Dataverse: "groupby with datetime values is not supported"). */
function bindGroupingProperty(
  path: string,
  table: TableDef,
  tableOf: (logicalName: string) => TableDef | undefined,
): BoundProperty {
  const property = bindProperty(path, table, tableOf);
  if (property.isDate) throw new ODataQueryError(`groupby with datetime values is not supported ('${path}').`);
  return property;
}

function checkAggregation(a: Aggregation, table: TableDef, tableOf: (n: string) => TableDef | undefined): void {
  if (a.kind === 'count') return;
  const property = bindProperty(a.property, table, tableOf);
  const numeric = property.kind === 'number';
  const ok = a.method === 'countdistinct'
    || ((a.method === 'sum' || a.method === 'average') && numeric)
    || ((a.method === 'min' || a.method === 'max') && (numeric || property.kind === 'datetime'));
  if (!ok) {
    throw new ODataQueryError(
      `The aggregation method '${a.method}' cannot be applied to the property '${a.property}' of type '${property.edm}'.`,
    );
  }
}

/**
 * Checks every name in `$apply` against `table` (filters are bound as `$filter` is).
 *
 * @throws ODataQueryError as for `$filter`, and for grouping by a date (Dataverse: "groupby with datetime values
 *   is not supported") or an aggregation a column's type does not allow
 */
export function validateApply(
  apply: ApplyExpr,
  table: TableDef,
  tableOf: (logicalName: string) => TableDef | undefined,
): void {
  for (const step of apply.steps) {
    if (step.kind === 'filter') compileFilter(step.filter, { table, tableOf });
    else {
      if (step.kind === 'groupby') {
        for (const path of step.properties) bindGroupingProperty(path, table, tableOf);
      }
      for (const a of step.aggregations) checkAggregation(a, table, tableOf);
    }
  }
}

function compareGroupValues(kind: ValueKind, a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (kind === 'string') return compareStrings(a as string, b as string);
  if (kind === 'guid') return (a as string) < (b as string) ? -1 : 1;
  return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/**
 * Evaluates `$apply` over the rows of `table` (already restricted to what the caller may read).
 *
 * @param ctx resolves lookups and collections for filters and grouping paths; without it a path finds nothing
 * @returns one object per group (or a single object for `aggregate(…)`); for an `$apply` of filters only, the
 *   rows that pass them, unchanged
 * @throws ODataQueryError when a name does not bind (see {@link validateApply})
 */
export function applyAggregation(
  apply: ApplyExpr,
  rows: readonly StoredRow[],
  table: TableDef,
  ctx?: EvalContext,
): Record<string, unknown>[] {
  const evalCtx: EvalContext = ctx ?? {
    table,
    tableOf: () => undefined,
    row: () => undefined,
    children: () => [],
  };
  const tableOf = evalCtx.tableOf.bind(evalCtx);
  const related = evalCtx.row.bind(evalCtx);
  let current: readonly StoredRow[] = rows;
  for (const step of apply.steps) {
    if (step.kind === 'filter') {
      const predicate = compileFilter(step.filter, { table, tableOf });
      current = current.filter((row) => predicate(row, evalCtx));
      continue;
    }
    const groupBy = step.kind === 'groupby' ? step.properties.map((p) => bindGroupingProperty(p, table, tableOf)) : [];
    const aggregations = step.aggregations.map((a) => {
      checkAggregation(a, table, tableOf);
      return { aggregation: a, property: a.kind === 'method' ? bindProperty(a.property, table, tableOf) : undefined };
    });

    // Group rows by their grouping values.
    const groups = new Map<string, { keys: Comparable[]; rows: StoredRow[] }>();
    for (const row of current) {
      const keys = groupBy.map((p) => p.read(row, related));
      const id = JSON.stringify(keys.map((k, i) => (groupBy[i].kind === 'string' && typeof k === 'string' ? k.toLowerCase() : k)));
      let group = groups.get(id);
      if (!group) {
        group = { keys, rows: [] };
        groups.set(id, group);
      }
      group.rows.push(row);
    }
    if (step.kind === 'aggregate' && groups.size === 0) groups.set('[]', { keys: [], rows: [] });

    const ordered = [...groups.values()].sort((x, y) => {
      for (let i = 0; i < groupBy.length; i++) {
        const c = compareGroupValues(groupBy[i].kind, x.keys[i], y.keys[i]);
        if (c !== 0) return c;
      }
      return 0;
    });

    return ordered.map((group) => {
      const result: Record<string, unknown> = {};
      groupBy.forEach((p, i) => {
        const v = group.keys[i];
        if (v !== null) result[p.outputName] = p.isDate ? isoDate(v as number) : v;
      });
      for (const { aggregation, property } of aggregations) {
        if (aggregation.kind === 'count' || !property) {
          result[aggregation.alias] = group.rows.length;
          continue;
        }
        const values = group.rows.map((row) => property.read(row, related)).filter((v): v is string | number | boolean => v !== null);
        let value: unknown = null;
        switch (aggregation.method) {
          case 'countdistinct':
            value = new Set(values.map((v) => (typeof v === 'string' && property.kind === 'string' ? v.toLowerCase() : v))).size;
            break;
          case 'sum':
            value = values.length ? round((values as number[]).reduce((s, v) => s + v, 0), property.precision ?? 10) : null;
            break;
          case 'average':
            value = values.length ? round((values as number[]).reduce((s, v) => s + v, 0) / values.length, 10) : null;
            break;
          case 'min':
          case 'max': {
            if (!values.length) break;
            const sign = aggregation.method === 'min' ? 1 : -1;
            const best = values.reduce((b, v) => (compareGroupValues(property.kind, v, b) * sign < 0 ? v : b));
            value = property.isDate ? isoDate(best as number) : best;
            break;
          }
        }
        result[aggregation.alias] = value;
      }
      return result;
    });
  }
  // Filters only: the rows that pass.
  return current.map((row) => ({ ...row }));
}
