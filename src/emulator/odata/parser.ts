/**
 * Recursive-descent parser of `$filter` expressions (OData 4.01 ABNF subset that Dataverse accepts).
 *
 * Precedence, loosest first (OData 4.01 Part 2, §5.1.1.15 "Operator Precedence"):
 * `or` < `and` < `eq ne gt ge lt le` < `add sub` < `mul div mod` < `not` < `in` < primary
 * (literals, paths with `/`, function calls, lambdas, parentheses).
 *
 * The parser is total: any input yields a tree or an {@link ODataQueryError}. Nesting is bounded
 * ({@link MAX_DEPTH}) so no input can exhaust the call stack, and a tree has at most {@link MAX_CONDITIONS}
 * conditions, as Dataverse allows.
 *
 * @module
 */

import type {
  ArrayExpr,
  ComparisonOperator,
  ArithmeticOperator,
  FilterExpr,
  LambdaExpr,
  LiteralExpr,
  LogicalExpr,
  NamedCallExpr,
} from './ast.js';
import { ODataQueryError, TOO_MANY_CONDITIONS_CODE } from './errors.js';
import { Lexer, type Token } from './lexer.js';

/** Dataverse allows at most 500 conditions in a query (powerapps-docs, webapi/query/filter-rows.md). */
export const MAX_CONDITIONS = 500;

/** How deep expressions may nest (parentheses, `not`, calls, lambdas, operator chains). */
export const MAX_DEPTH = 100;

const COMPARISON = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const ADDITIVE = new Set<string>(['add', 'sub']);
const MULTIPLICATIVE = new Set<string>(['mul', 'div', 'mod']);

/** Parameter aliases of the query (`@p1` → `'lastname'`), as written in the URL after decoding. */
export type ParameterAliases = Readonly<Record<string, string>>;

/**
 * Parses a `$filter` expression. Syntax only: property names are checked by {@link compileFilter}.
 *
 * @param text the expression, URL-decoded
 * @param aliases parameter alias values (`@p1=…` query parameters, without the `@`); an alias that is not
 *   given is `null`, as OData specifies
 * @throws ODataQueryError with ODataLib's message naming the position, or Dataverse's condition-limit error
 */
export function parseFilter(text: string, aliases: ParameterAliases = {}): FilterExpr {
  const parser = new ExpressionParser(text, aliases);
  const expr = parser.parseWhole();
  checkConditionCount(expr);
  return expr;
}

/** Counts conditions the way Dataverse does (each comparison, function, lambda or boolean operand is one). */
export function countConditions(expr: FilterExpr): number {
  switch (expr.kind) {
    case 'logical':
      return expr.operands.reduce((sum, operand) => sum + countConditions(operand), 0);
    case 'not':
      return countConditions(expr.operand);
    case 'lambda':
      return 1 + (expr.predicate ? countConditions(expr.predicate) : 0);
    default:
      return 1;
  }
}

function checkConditionCount(expr: FilterExpr): void {
  if (countConditions(expr) > MAX_CONDITIONS) {
    throw new ODataQueryError('Number of conditions in query exceeded maximum limit.', { code: TOO_MANY_CONDITIONS_CODE });
  }
}

/**
 * The expression parser. Also used by the `$apply` parser, which reads transformations around expressions
 * with the same tokens (see `apply.ts`).
 */
export class ExpressionParser {
  readonly lexer: Lexer;
  /** The current token (not yet consumed). */
  token: Token;
  private depth = 0;
  /** Nesting depth of each node built from operator chains, to bound the tree's depth. */
  private readonly heights = new WeakMap<object, number>();

  /**
   * @param aliases parameter alias values; `null` inside an alias value, where aliases may not be used
   */
  constructor(readonly text: string, private readonly aliases: ParameterAliases | null = {}) {
    this.lexer = new Lexer(text);
    this.token = this.lexer.next();
  }

  /** Parses the whole text as one expression. */
  parseWhole(): FilterExpr {
    if (this.at('eof')) throw this.expressionExpected();
    const expr = this.parseExpression();
    // ODataLib's final check (ExpressionLexer.ValidateToken(End)) reports a plain syntax error.
    if (!this.at('eof')) throw this.syntaxError();
    return expr;
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  advance(): Token {
    const token = this.token;
    this.token = this.lexer.next();
    return token;
  }

  /** Whether the current token is of `kind` (a method, so that TypeScript does not narrow `token` across advances). */
  at(kind: Token['kind']): boolean {
    return this.token.kind === kind;
  }

  isKeyword(word: string): boolean {
    return this.at('identifier') && this.token.value === word;
  }

  expect(kind: Token['kind'], error: () => ODataQueryError): Token {
    if (this.token.kind !== kind) throw error();
    return this.advance();
  }

  syntaxError(position = this.token.pos): ODataQueryError {
    return this.lexer.syntaxError(position);
  }

  expressionExpected(position = this.token.pos): ODataQueryError {
    return new ODataQueryError(`Expression expected at position ${position} in '${this.text}'.`, { position });
  }

  closeParenOrOperatorExpected(position = this.token.pos): ODataQueryError {
    return new ODataQueryError(`')' or operator expected at position ${position} in '${this.text}'.`, { position });
  }

  closeParenOrCommaExpected(position = this.token.pos): ODataQueryError {
    return new ODataQueryError(`')' or ',' expected at position ${position} in '${this.text}'.`, { position });
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new ODataQueryError('Recursion depth exceeded allowed limit.', { position: this.token.pos });
    }
  }

  private leave(): void {
    this.depth--;
  }

  private height(expr: FilterExpr): number {
    return this.heights.get(expr) ?? 1;
  }

  /** Records the height of a node built by an operator loop, refusing trees deeper than {@link MAX_DEPTH}. */
  private built<T extends FilterExpr>(node: T, ...children: FilterExpr[]): T {
    const height = 1 + Math.max(0, ...children.map((child) => this.height(child)));
    if (height + this.depth > MAX_DEPTH) {
      throw new ODataQueryError('Recursion depth exceeded allowed limit.', { position: node.pos });
    }
    this.heights.set(node, height);
    return node;
  }

  // ---- grammar -------------------------------------------------------------------------------------------

  /** expression = or-expression */
  parseExpression(): FilterExpr {
    this.enter();
    try {
      return this.parseLogical('or', () => this.parseLogical('and', () => this.parseComparison()));
    } finally {
      this.leave();
    }
  }

  private parseLogical(operator: 'and' | 'or', operand: () => FilterExpr): FilterExpr {
    const first = operand();
    if (!this.isKeyword(operator)) return first;
    const operands: FilterExpr[] = [];
    const add = (expr: FilterExpr) => {
      // `(a and b) and c` is the same condition group as `a and b and c`: keep it flat.
      if (expr.kind === 'logical' && expr.operator === operator) operands.push(...expr.operands);
      else operands.push(expr);
    };
    add(first);
    while (this.isKeyword(operator)) {
      this.advance();
      if (this.at('eof')) throw this.expressionExpected();
      add(operand());
    }
    const node: LogicalExpr = { kind: 'logical', operator, operands, pos: first.pos };
    return this.built(node, ...operands);
  }

  private parseComparison(): FilterExpr {
    let left = this.parseArithmetic(ADDITIVE, () => this.parseArithmetic(MULTIPLICATIVE, () => this.parseUnary()));
    while (this.at('identifier') && COMPARISON.has(this.token.value as string)) {
      const operator = this.advance().value as ComparisonOperator;
      if (this.at('eof')) throw this.expressionExpected();
      const right = this.parseArithmetic(ADDITIVE, () => this.parseArithmetic(MULTIPLICATIVE, () => this.parseUnary()));
      left = this.built({ kind: 'binary', operator, left, right, pos: left.pos }, left, right);
    }
    return left;
  }

  private parseArithmetic(operators: Set<string>, operand: () => FilterExpr): FilterExpr {
    let left = operand();
    while (this.at('identifier') && operators.has(this.token.value as string)) {
      const operator = this.advance().value as ArithmeticOperator;
      if (this.at('eof')) throw this.expressionExpected();
      const right = operand();
      left = this.built({ kind: 'binary', operator, left, right, pos: left.pos }, left, right);
    }
    return left;
  }

  private parseUnary(): FilterExpr {
    if (this.isKeyword('not')) {
      // `not` is always the operator: no Dataverse column is named "not".
      const pos = this.advance().pos;
      if (this.at('eof')) throw this.expressionExpected();
      this.enter();
      try {
        const operand = this.parseUnary();
        return this.built({ kind: 'not', operand, pos }, operand);
      } finally {
        this.leave();
      }
    }
    return this.parseIn();
  }

  private parseIn(): FilterExpr {
    const operand = this.parsePrimary();
    if (!this.isKeyword('in')) return operand;
    this.advance();
    const open = this.token;
    if (open.kind !== '(' && open.kind !== '[') {
      throw new ODataQueryError(`'(' expected at position ${open.pos} in '${this.text}'.`, { position: open.pos });
    }
    const values = this.parseLiteralList(open.kind === '(' ? ')' : ']');
    return this.built({ kind: 'in', operand, values, pos: operand.pos }, operand);
  }

  /** `( literal, literal … )` or `[ … ]`, the current token being the opening bracket. */
  private parseLiteralList(close: ')' | ']'): LiteralExpr[] {
    this.advance();
    const items: LiteralExpr[] = [];
    if (this.token.kind === close) {
      this.advance();
      return items;
    }
    for (;;) {
      const item = this.parseLiteralOrAlias(true);
      if (item.kind !== 'literal') throw this.syntaxError(item.pos);
      items.push(item);
      if (this.at(',')) {
        this.advance();
        continue;
      }
      if (this.token.kind === close) {
        this.advance();
        return items;
      }
      throw close === ')' ? this.closeParenOrCommaExpected() : this.syntaxError();
    }
  }

  /** A literal token as an expression, or undefined when the current token is not a literal. */
  private literal(allowJsonString: boolean): LiteralExpr | undefined {
    const t = this.token;
    const make = (type: LiteralExpr['type'], value: LiteralExpr['value'], edmType: string): LiteralExpr => {
      this.advance();
      return { kind: 'literal', type, value, edmType, raw: t.raw, pos: t.pos };
    };
    switch (t.kind) {
      case 'string':
        return make('string', t.value, 'Edm.String');
      case 'jsonString':
        if (!allowJsonString) return undefined;
        return make('string', t.value, 'Edm.String');
      case 'number':
        return make('number', t.value, t.edmType ?? 'Edm.Int32');
      case 'guid':
        return make('guid', t.value, 'Edm.Guid');
      case 'date':
        return make('date', t.value, 'Edm.Date');
      case 'datetime':
        return make('datetime', t.value, 'Edm.DateTimeOffset');
      case 'duration':
        return make('duration', t.value, 'Edm.Duration');
      case 'identifier':
        if (t.value === 'true') return make('boolean', true, 'Edm.Boolean');
        if (t.value === 'false') return make('boolean', false, 'Edm.Boolean');
        if (t.value === 'null') return make('null', null, 'null');
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * A literal, an array literal (when `allowArray`) or a parameter alias. Double-quoted JSON strings are
   * literals inside collections (`PropertyValues=["a","b"]`, as Dataverse's documentation writes them).
   */
  private parseLiteralOrAlias(inCollection: boolean, allowArray = false): LiteralExpr | ArrayExpr {
    const literal = this.literal(inCollection || allowArray);
    if (literal) return literal;
    if (this.at('alias')) return this.resolveAlias(allowArray);
    if (allowArray && this.at('[')) {
      const pos = this.token.pos;
      const items = this.parseLiteralList(']');
      return { kind: 'array', items, pos };
    }
    throw this.expressionExpected();
  }

  /** The value of `@name`: a literal or array literal parsed from the alias's own text; `null` when not given. */
  private resolveAlias(allowArray: boolean): LiteralExpr | ArrayExpr {
    const token = this.token;
    if (this.aliases === null) throw this.syntaxError();
    this.advance();
    const name = token.value as string;
    const text = Object.prototype.hasOwnProperty.call(this.aliases, name) ? this.aliases[name] : undefined;
    if (text === undefined) {
      return { kind: 'literal', type: 'null', value: null, edmType: 'null', raw: token.raw, pos: token.pos };
    }
    // The alias value is parsed on its own, as a literal or array literal; it may not refer to other aliases.
    const inner = new ExpressionParser(text, null);
    const value = inner.parseLiteralOrAlias(false, allowArray);
    if (!inner.at('eof')) throw inner.syntaxError();
    return { ...value, pos: token.pos };
  }

  private parsePrimary(): FilterExpr {
    const t = this.token;
    switch (t.kind) {
      case '(': {
        this.advance();
        if (this.at(')')) throw this.expressionExpected();
        const inner = this.parseExpression();
        if (!this.at(')')) throw this.closeParenOrOperatorExpected();
        this.advance();
        return inner;
      }
      case 'alias':
        return this.resolveAlias(false);
      case 'identifier': {
        const literal = this.literal(false);
        if (literal) return literal;
        return this.parseMemberOrCall();
      }
      case 'string': case 'number': case 'guid': case 'date': case 'datetime': case 'duration':
        return this.literal(false)!;
      case 'eof':
        throw this.expressionExpected();
      default:
        throw this.expressionExpected();
    }
  }

  /** A path (`a/b/c`), a lambda (`a/any(x:…)`), or a function call (`contains(…)`, `Ns.F(P=v)`). */
  private parseMemberOrCall(): FilterExpr {
    const first = this.advance();
    const name = first.value as string;
    if (this.at('(')) return this.parseCall(name, first.pos);
    if (name.includes('.')) {
      // A qualified name that is not a function call (a type cast): Dataverse filters do not use them.
      throw this.syntaxError(first.pos);
    }
    const segments = [name];
    while (this.at('/')) {
      this.advance();
      const segment = this.token;
      if (segment.kind !== 'identifier' || (segment.value as string).includes('.')) throw this.syntaxError();
      this.advance();
      if ((segment.value === 'any' || segment.value === 'all') && this.at('(')) {
        return this.parseLambda(segments, segment.value, first.pos);
      }
      segments.push(segment.value as string);
    }
    return { kind: 'path', segments, pos: first.pos };
  }

  private parseLambda(collection: string[], operator: 'any' | 'all', pos: number): LambdaExpr {
    this.advance(); // (
    if (this.at(')')) {
      if (operator === 'all') throw this.syntaxError();
      this.advance();
      return { kind: 'lambda', collection, operator, pos };
    }
    const variable = this.token;
    if (variable.kind !== 'identifier' || (variable.value as string).includes('.')
      || (variable.value as string).startsWith('$')) {
      throw this.syntaxError();
    }
    this.advance();
    this.expect(':', () => this.syntaxError());
    this.enter();
    try {
      if (this.at(')')) throw this.expressionExpected();
      const predicate = this.parseExpression();
      if (!this.at(')')) throw this.closeParenOrOperatorExpected();
      this.advance();
      return this.built(
        { kind: 'lambda', collection, operator, variable: variable.value as string, predicate, pos },
        predicate,
      );
    } finally {
      this.leave();
    }
  }

  private parseCall(name: string, pos: number): FilterExpr {
    this.advance(); // (
    this.enter();
    try {
      // Named parameters: Name(P1=v1,P2=v2); recognised by `identifier =` after the parenthesis.
      if (this.at('identifier') && this.lexer.peek().kind === '=') {
        return this.parseNamedArguments(name, pos);
      }
      const args: FilterExpr[] = [];
      if (this.at(')')) {
        this.advance();
        return { kind: 'call', name, args, pos };
      }
      for (;;) {
        if (this.at('eof')) throw this.expressionExpected();
        args.push(this.parseExpression());
        if (this.at(',')) {
          this.advance();
          continue;
        }
        if (this.at(')')) {
          this.advance();
          return this.built({ kind: 'call', name, args, pos }, ...args);
        }
        throw this.closeParenOrCommaExpected();
      }
    } finally {
      this.leave();
    }
  }

  private parseNamedArguments(name: string, pos: number): NamedCallExpr {
    const params: { name: string; value: FilterExpr; pos: number }[] = [];
    for (;;) {
      const param = this.token;
      if (param.kind !== 'identifier') throw this.syntaxError();
      this.advance();
      this.expect('=', () => this.syntaxError());
      if (params.some((p) => p.name === param.value)) throw this.syntaxError(param.pos);
      const value = this.parseLiteralOrAlias(false, true);
      params.push({ name: param.value as string, value, pos: param.pos });
      if (this.at(',')) {
        this.advance();
        continue;
      }
      if (this.at(')')) {
        this.advance();
        return { kind: 'namedCall', name, params, pos };
      }
      throw this.closeParenOrCommaExpected();
    }
  }
}
