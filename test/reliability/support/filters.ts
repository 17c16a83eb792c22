/**
 * Checking the `$filter` of a request against the template it must follow, with the user's text substituted as a
 * literal and nothing else: the query string is read the way the server reads it (`URLSearchParams`), the filter
 * is parsed by the emulator's OData parser (a separate implementation of the grammar, not the client's builder),
 * and the parsed tree is compared, node by node, with the tree the template gives for the typed text.
 *
 * @module
 */
import { parseFilter, type FilterExpr } from '../../../src/emulator/odata/index.js';

/** A canonical text of a parsed filter: operators, paths and typed literal values, no spacing or quoting. */
export function canonical(expr: FilterExpr): string {
  switch (expr.kind) {
    case 'logical':
      return `${expr.operator}(${expr.operands.map(canonical).join(', ')})`;
    case 'binary':
      return `${expr.operator}(${canonical(expr.left)}, ${canonical(expr.right)})`;
    case 'not':
      return `not(${canonical(expr.operand)})`;
    case 'call':
      return `${expr.name}(${expr.args.map(canonical).join(', ')})`;
    case 'path':
      return expr.segments.join('/');
    case 'literal':
      return `${expr.type}:${JSON.stringify(expr.value)}`;
    default:
      return `${expr.kind}:${JSON.stringify(expr)}`;
  }
}

/** Builders of the expected canonical text (the template). */
export const template = {
  and: (...parts: string[]) => (parts.length === 1 ? parts[0]! : `and(${parts.join(', ')})`),
  or: (...parts: string[]) => (parts.length === 1 ? parts[0]! : `or(${parts.join(', ')})`),
  eq: (path: string, literal: string) => `eq(${path}, ${literal})`,
  call: (name: 'contains' | 'startswith' | 'endswith', path: string, text: string) => `${name}(${path}, string:${JSON.stringify(text)})`,
  guid: (id: string) => `guid:${JSON.stringify(id.toLowerCase())}`,
  number: (n: number) => `number:${n}`,
  string: (text: string) => `string:${JSON.stringify(text)}`,
};

/**
 * What Dataverse's `LIKE` needs for text to be searched literally: `%`, `_` and `[` wrapped in brackets
 * (dataverse-protocol.md, "Use wildcard characters"). The value a `contains`/`startswith` literal must carry.
 */
export function literalPattern(text: string): string {
  return text.replace(/[%_[]/g, (c) => `[${c}]`);
}

/** The query options of a URL as the server reads them; throws when an option appears twice. */
export function queryOptions(url: string): Map<string, string> {
  const params = new URLSearchParams(new URL(url).search);
  const options = new Map<string, string>();
  for (const [name, value] of params) {
    if (options.has(name)) throw new Error(`${name} appears twice in ${url}`);
    options.set(name, value);
  }
  return options;
}

/** What was wrong with a request's filter, or `undefined` when it is exactly the template. */
export function filterProblem(url: string, expectedOptions: readonly string[], expected: string): string | undefined {
  let options: Map<string, string>;
  try {
    options = queryOptions(url);
  } catch (error) {
    return String(error);
  }
  const names = [...options.keys()].sort();
  if (JSON.stringify(names) !== JSON.stringify([...expectedOptions].sort())) {
    return `query options ${JSON.stringify(names)} instead of ${JSON.stringify([...expectedOptions].sort())}`;
  }
  const filter = options.get('$filter');
  if (filter === undefined) return 'no $filter';
  let parsed: FilterExpr;
  try {
    parsed = parseFilter(filter);
  } catch (error) {
    return `the $filter does not parse (${error instanceof Error ? error.message : String(error)}): ${filter}`;
  }
  const actual = canonical(parsed);
  return actual === expected ? undefined : `the $filter is\n  ${actual}\ninstead of\n  ${expected}\n(sent: ${filter})`;
}

/** Cuts text to at most `units` UTF-16 code units without splitting a character (what `maxlength` lets one type). */
export function withinLength(text: string, units: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > units) break;
    out += ch;
  }
  return out;
}
