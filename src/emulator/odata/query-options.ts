/**
 * Parses and validates the system query options of a collection request, as Dataverse accepts them:
 * `$select`, `$filter`, `$orderby`, `$top`, `$count`, `$expand`, `$apply`, plus the paging and change-tracking
 * tokens `$skiptoken` and `$deltatoken` that Dataverse puts in the links it returns.
 *
 * Option names are case-sensitive. Any other `$` option is refused with 400 (`$skip`, `$search` and `$format`
 * are not supported by Dataverse). Parameters starting with `@` are parameter aliases for `$filter`; other
 * parameters are ignored.
 *
 * @module
 */

import type { TableDef } from '../../tables/schema.js';
import type { FilterExpr } from './ast.js';
import { type ApplyExpr, parseApply, validateApply } from './apply.js';
import { compileFilter } from './compile.js';
import { ODataQueryError, propertyNotFound } from './errors.js';
import { columnOf, entityTypeName, isLookupType, lookupColumnOfValueName, navigationOf, requireTable } from './model.js';
import type { OrderByItem } from './order.js';
import { parseFilter, type ParameterAliases } from './parser.js';

/** The query options of one request (or of one `$expand` item), validated against its table. */
export interface ParsedQuery {
  /**
   * `$select`: column logical names in the order written, without repeats. A lookup may be selected as
   * `customerid` or `_customerid_value`; both give `customerid` here.
   */
  select?: string[];
  filter?: FilterExpr;
  /** `$orderby` items; a lookup written `_x_value` gives its column logical name `x`. Empty when absent. */
  orderBy: OrderByItem[];
  top?: number;
  count: boolean;
  expand: ExpandOption[];
  apply?: ApplyExpr;
  /** `$skiptoken`, as sent (the request handler decodes its paging cookie). */
  skipToken?: string;
  /** `$deltatoken`, as sent. */
  deltaToken?: string;
}

/** One `$expand` item: the navigation property, where it leads, and its nested options. */
export interface ExpandOption {
  navigation: string;
  /** `single` for a lookup (many-to-one), `collection` for a one-to-many relationship. */
  kind: 'single' | 'collection';
  /** Logical name of the table the navigation leads to. */
  table: string;
  /**
   * For `single`: the lookup column on the expanded row's parent table. For `collection`: the lookup column on
   * the related table that points back at the parent.
   */
  column: string;
  /** Nested options (`$select`, `$filter`, `$orderby`, `$top`, `$expand`), validated against {@link table}. */
  options: ParsedQuery;
}

const TOP_LEVEL_OPTIONS = new Set([
  '$select', '$filter', '$orderby', '$top', '$count', '$expand', '$apply', '$skiptoken', '$deltatoken',
]);
const NESTED_OPTIONS = new Set(['$select', '$filter', '$orderby', '$top', '$expand']);
const KNOWN_ODATA_OPTIONS = [...TOP_LEVEL_OPTIONS, '$skip', '$search', '$format', '$compute', '$index', '$schemaversion', '$levels', '$id'];

function notSupported(name: string, nested: boolean): ODataQueryError {
  if (name === '$skip') {
    // Dataverse's answer to $skip (observed: {"code":"0x80060888","message":"Skip Clause is not supported in CRM"}).
    return new ODataQueryError('Skip Clause is not supported in CRM');
  }
  const lower = name.toLowerCase();
  const meant = KNOWN_ODATA_OPTIONS.find((o) => o === lower && o !== name);
  const hint = meant ? ` (query option names are case-sensitive: ${meant})` : '';
  return new ODataQueryError(
    nested
      ? `The query option ${name} is not supported inside $expand${hint}.`
      : `The query parameter ${name} is not supported${hint}.`,
  );
}

function specifiedTwice(name: string): ODataQueryError {
  return new ODataQueryError(`Query option '${name}' was specified more than once, but it must be specified at most once.`);
}

/**
 * Splits `text` at top-level `separator`s: not inside parentheses, single-quoted strings (where `''` is a quote)
 * or double-quoted JSON strings.
 *
 * @throws ODataQueryError for unbalanced parentheses or an unterminated string
 */
export function splitTopLevel(text: string, separator: ',' | ';'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null; // a doubled quote closes and reopens: same result
      continue;
    }
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) throw new ODataQueryError('Found an unbalanced bracket expression.');
    } else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote) throw new ODataQueryError(`There is an unterminated literal at position ${text.length} in '${text}'.`);
  if (depth !== 0) throw new ODataQueryError('Found an unbalanced bracket expression.');
  parts.push(text.slice(start));
  return parts;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseSelect(text: string, table: TableDef): string[] | undefined {
  if (text.trim() === '') return undefined;
  const columns: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const lookup = lookupColumnOfValueName(table, item);
    const column = lookup ?? item;
    if (!NAME.test(item) || !columnOf(table, column)) throw propertyNotFound(item, entityTypeName(table));
    if (!columns.includes(column)) columns.push(column);
  }
  return columns;
}

function parseOrderBy(text: string, table: TableDef): OrderByItem[] {
  if (text.trim() === '') return [];
  const items: OrderByItem[] = [];
  let offset = 0;
  for (const raw of text.split(',')) {
    const position = offset;
    offset += raw.length + 1;
    const words = [...raw.matchAll(/\S+/g)].map((m) => ({ word: m[0], at: position + (m.index ?? 0) }));
    const bad = words.length === 0 ? { word: '', at: position }
      : words.length === 2 && words[1].word !== 'asc' && words[1].word !== 'desc' ? words[1]
      : words[2];
    if (bad) throw new ODataQueryError(`Syntax error at position ${bad.at} in '${text}'.`, { position: bad.at });
    const name = words[0].word;
    const direction = words[1]?.word;
    if (name.includes('/')) {
      throw new ODataQueryError(`Ordering by a column of a related table ('${name}') is not supported.`);
    }
    const lookup = lookupColumnOfValueName(table, name);
    const column = lookup ?? name;
    const def = NAME.test(name) ? columnOf(table, column) : undefined;
    if (!def) {
      if (NAME.test(name) && navigationOf(table, name)) {
        throw new ODataQueryError('The $orderby expression must evaluate to a single value of primitive type.');
      }
      throw propertyNotFound(name, entityTypeName(table));
    }
    if (!lookup && isLookupType(def.type)) {
      // A lookup is ordered as `_x_value`; its plain name is a navigation property, if anything.
      if (navigationOf(table, name)) {
        throw new ODataQueryError('The $orderby expression must evaluate to a single value of primitive type.');
      }
      throw propertyNotFound(name, entityTypeName(table));
    }
    items.push({ column, descending: direction === 'desc' });
  }
  return items;
}

function parseTop(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new ODataQueryError(
      `Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`,
    );
  }
  if (n === 0) {
    throw new ODataQueryError(`Invalid value '${text}' for $top query option found. The $top query option requires a positive integer value.`);
  }
  return n;
}

function parseCount(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ODataQueryError(`'${text}' is not a valid count option.`);
}

function parseExpand(
  text: string,
  table: TableDef,
  tableOf: (logicalName: string) => TableDef | undefined,
  aliases: ParameterAliases,
): ExpandOption[] {
  if (text.trim() === '') return [];
  const items: ExpandOption[] = [];
  for (const raw of splitTopLevel(text, ',')) {
    const item = raw.trim();
    const open = item.indexOf('(');
    const name = (open < 0 ? item : item.slice(0, open)).trim();
    if (open >= 0 && !item.endsWith(')')) throw new ODataQueryError(`Syntax error in the $expand item '${item}'.`);
    const navigation = NAME.test(name) ? navigationOf(table, name) : undefined;
    if (!navigation) {
      if (NAME.test(name) && (columnOf(table, name) || lookupColumnOfValueName(table, name))) {
        throw new ODataQueryError(
          `Property '${name}' on type '${entityTypeName(table)}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
        );
      }
      throw propertyNotFound(name, entityTypeName(table));
    }
    if (items.some((e) => e.navigation === name)) {
      throw new ODataQueryError(`The navigation property '${name}' is expanded more than once.`);
    }
    const target = requireTable(tableOf, navigation.table, navigation.name);
    const options = new Map<string, string>();
    if (open >= 0) {
      const inner = item.slice(open + 1, -1);
      for (const part of splitTopLevel(inner, ';')) {
        if (part.trim() === '') continue;
        const eq = part.indexOf('=');
        const key = (eq < 0 ? part : part.slice(0, eq)).trim();
        if (eq < 0) throw new ODataQueryError(`Syntax error in the $expand item '${item}': '${part}' has no value.`);
        if (options.has(key)) throw specifiedTwice(key);
        options.set(key, part.slice(eq + 1));
      }
    }
    items.push({
      navigation: name,
      kind: navigation.kind,
      table: navigation.table,
      column: navigation.kind === 'single' ? navigation.column : navigation.referencingColumn,
      options: parseOptions(options, target, tableOf, aliases, true),
    });
  }
  return items;
}

function parseOptions(
  options: ReadonlyMap<string, string>,
  table: TableDef,
  tableOf: (logicalName: string) => TableDef | undefined,
  aliases: ParameterAliases,
  nested: boolean,
): ParsedQuery {
  const allowed = nested ? NESTED_OPTIONS : TOP_LEVEL_OPTIONS;
  for (const name of options.keys()) {
    if (!allowed.has(name)) throw notSupported(name, nested);
  }
  const query: ParsedQuery = { orderBy: [], count: false, expand: [] };
  const get = (name: string) => options.get(name);

  const select = get('$select');
  if (select !== undefined) query.select = parseSelect(select, table);

  const filter = get('$filter');
  if (filter !== undefined) {
    query.filter = parseFilter(filter, aliases);
    compileFilter(query.filter, { table, tableOf });
  }

  const orderBy = get('$orderby');
  if (orderBy !== undefined) query.orderBy = parseOrderBy(orderBy, table);

  const top = get('$top');
  if (top !== undefined) query.top = parseTop(top);

  const count = get('$count');
  if (count !== undefined) query.count = parseCount(count);

  const expand = get('$expand');
  if (expand !== undefined) query.expand = parseExpand(expand, table, tableOf, aliases);

  const apply = get('$apply');
  if (apply !== undefined) {
    query.apply = parseApply(apply, aliases);
    validateApply(query.apply, table, tableOf);
  }

  const skipToken = get('$skiptoken');
  if (skipToken !== undefined) query.skipToken = skipToken;
  const deltaToken = get('$deltatoken');
  if (deltaToken !== undefined) query.deltaToken = deltaToken;
  return query;
}

/**
 * Parses the query string of a collection request against the table it addresses.
 *
 * @param search the query string (with or without the leading `?`) or its parameters, URL-encoded as sent
 * @param table the table of the entity set
 * @param tableOf the other declared tables, for `$expand` and lookup paths
 * @throws ODataQueryError (400) for an unknown or repeated option, an option Dataverse does not support, a
 *   malformed value, or a name that is not a property or navigation property of its table
 */
export function parseQueryOptions(
  search: string | URLSearchParams,
  table: TableDef,
  tableOf: (logicalName: string) => TableDef | undefined,
): ParsedQuery {
  let params: URLSearchParams;
  try {
    params = typeof search === 'string' ? new URLSearchParams(search) : search;
  } catch {
    throw new ODataQueryError('The query string is not valid.');
  }
  const options = new Map<string, string>();
  const aliases: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name.startsWith('@')) {
      if (Object.prototype.hasOwnProperty.call(aliases, name.slice(1))) throw specifiedTwice(name);
      aliases[name.slice(1)] = value;
      continue;
    }
    if (!name.startsWith('$')) continue;
    if (options.has(name)) throw specifiedTwice(name);
    options.set(name, value);
  }
  return parseOptions(options, table, tableOf, aliases, false);
}
