/**
 * Tokenizer of OData expressions (`$filter`, `$apply`, `$orderby` items).
 *
 * It is total: for any input it either yields tokens or throws {@link ODataQueryError}; it never throws anything
 * else and never loops. Tokens are produced on demand, so an error is reported at the first place the parser
 * reaches, as ODataLib does.
 *
 * @module
 */

import { ODataQueryError } from './errors.js';

export type TokenKind =
  | 'identifier'
  | 'string'
  | 'jsonString'
  | 'number'
  | 'guid'
  | 'date'
  | 'datetime'
  | 'duration'
  | 'alias'
  | '('
  | ')'
  | ','
  | '/'
  | ':'
  | '='
  | '['
  | ']'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The text of the token as written. */
  readonly raw: string;
  /**
   * The decoded value: identifier or alias name, string content, number, GUID in lower case,
   * date/datetime/duration in milliseconds.
   */
  readonly value: string | number;
  /** For numbers: the OData type of the literal (`Edm.Int32`, `Edm.Decimal`, …). */
  readonly edmType?: string;
  readonly pos: number;
}

const GUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/y;
const DATE = /(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?/y;
const NUMBER = /-?\d+(?:\.(\d*))?(?:[eE][+-]?(\d*))?/y;
const DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const IDENTIFIER_START = /[A-Za-z_\p{L}\p{Nl}]/u;
const IDENTIFIER_PART = /[A-Za-z0-9_\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** The offset of the end of an ISO 8601 date-time with offset (`Z`, `+01:00`), in milliseconds. */
function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset === 'Z') return 0;
  const sign = offset[0] === '-' ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/**
 * Reads tokens from an expression. `peek()` looks one token ahead without consuming it.
 */
export class Lexer {
  private offset = 0;
  private peeked: Token | undefined;

  constructor(readonly text: string) {}

  /** A syntax error at `position`, with ODataLib's wording. */
  syntaxError(position: number): ODataQueryError {
    return new ODataQueryError(`Syntax error at position ${position} in '${this.text}'.`, { position });
  }

  /** The next token, consumed. */
  next(): Token {
    if (this.peeked) {
      const token = this.peeked;
      this.peeked = undefined;
      return token;
    }
    return this.read();
  }

  /** The next token, not consumed. */
  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  private read(): Token {
    const text = this.text;
    let i = this.offset;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
    if (i >= text.length) {
      this.offset = text.length;
      return { kind: 'eof', raw: '', value: '', pos: text.length };
    }
    const start = i;
    const c = text[i];
    switch (c) {
      case '(': case ')': case ',': case '/': case ':': case '=': case '[': case ']':
        this.offset = i + 1;
        return { kind: c, raw: c, value: c, pos: start };
      case "'":
        return this.readQuotedString(start);
      case '"':
        return this.readJsonString(start);
      case '@': {
        const name = this.scanIdentifier(start + 1);
        if (name === undefined) throw this.invalidCharacter(start);
        this.offset = start + 1 + name.length;
        return { kind: 'alias', raw: '@' + name, value: name, pos: start };
      }
      default:
        break;
    }
    if (/[0-9A-Fa-f]/.test(c)) {
      GUID.lastIndex = start;
      const guid = GUID.exec(text);
      if (guid && !this.isIdentifierPartAt(start + guid[0].length)) {
        this.offset = start + guid[0].length;
        return { kind: 'guid', raw: guid[0], value: guid[0].toLowerCase(), pos: start };
      }
    }
    if ((c >= '0' && c <= '9') || (c === '-' && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      return this.readNumberOrDate(start);
    }
    if (c === '$' || this.isIdentifierStartAt(i)) {
      const name = this.scanQualifiedIdentifier(start);
      if (name === undefined) throw this.invalidCharacter(start);
      const after = start + name.length;
      // A name directly followed by a quote is a typed literal (`duration'P1D'`, the only one Dataverse has).
      // ODataLib reads it to its closing quote, which is why `lastname eq 'O'Bryan'` fails as an
      // unterminated literal at the end of the text.
      if (text[after] === "'") {
        const close = this.closingQuote(after);
        if (close < 0) throw this.unterminated('literal');
        if (name === 'duration') return this.readDuration(start, after, close);
        throw this.syntaxError(start);
      }
      this.offset = after;
      return { kind: 'identifier', raw: name, value: name, pos: start };
    }
    throw this.invalidCharacter(start);
  }

  private invalidCharacter(position: number): ODataQueryError {
    const char = String.fromCodePoint(this.text.codePointAt(position) ?? 0);
    return new ODataQueryError(
      `Syntax error: character '${char}' is not valid at position ${position} in '${this.text}'.`,
      { position },
    );
  }

  /**
   * ODataLib's "There is an unterminated string literal at position …" for a quoted string, and "There is an
   * unterminated literal at position …" for a typed literal, as Dataverse answers `lastname eq 'O'Bryan'`
   * (powerapps-docs, webapi/query/filter-rows.md). The position is the end of the text, where the lexer gave up.
   */
  private unterminated(what: 'string literal' | 'literal'): ODataQueryError {
    const position = this.text.length;
    return new ODataQueryError(`There is an unterminated ${what} at position ${position} in '${this.text}'.`, {
      position,
    });
  }

  /** The offset of the quote closing the single-quoted text opening at `open` (doubled quotes skipped), or -1. */
  private closingQuote(open: number): number {
    let i = open + 1;
    for (;;) {
      const close = this.text.indexOf("'", i);
      if (close < 0) return -1;
      if (this.text[close + 1] !== "'") return close;
      i = close + 2;
    }
  }

  private readQuotedString(start: number): Token {
    const text = this.text;
    let value = '';
    let i = start + 1;
    for (;;) {
      const close = text.indexOf("'", i);
      if (close < 0) throw this.unterminated('string literal');
      value += text.slice(i, close);
      if (text[close + 1] === "'") {
        value += "'";
        i = close + 2;
        continue;
      }
      this.offset = close + 1;
      return { kind: 'string', raw: text.slice(start, close + 1), value, pos: start };
    }
  }

  /** A double-quoted JSON string, as Dataverse's documentation writes `PropertyValues=["a","b"]`. */
  private readJsonString(start: number): Token {
    const text = this.text;
    let value = '';
    let i = start + 1;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        this.offset = i + 1;
        return { kind: 'jsonString', raw: text.slice(start, i + 1), value, pos: start };
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          value += simple[e];
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        throw this.syntaxError(i);
      }
      value += c;
      i++;
    }
    throw this.unterminated('string literal');
  }

  private readNumberOrDate(start: number): Token {
    const text = this.text;
    if (text[start] !== '-') {
      DATE.lastIndex = start;
      const date = DATE.exec(text);
      if (date && !this.isIdentifierPartAt(start + date[0].length)) {
        return this.dateToken(start, date);
      }
    }
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(text);
    if (!match) throw this.invalidCharacter(start);
    let raw = match[0];
    let end = start + raw.length;
    // "1." or "1e": ODataLib's "A digit was expected at position …".
    if ((match[1] !== undefined && match[1] === '') || (match[2] !== undefined && match[2] === '')) {
      throw new ODataQueryError(`A digit was expected at position ${end} in '${text}'.`, { position: end });
    }
    const hasFraction = match[1] !== undefined;
    const hasExponent = /[eE]/.test(raw);
    let edmType: string;
    const suffix = text[end];
    if (suffix !== undefined && /[mMdDfFlL]/.test(suffix) && !this.isIdentifierPartAt(end + 1)) {
      edmType = { m: 'Edm.Decimal', d: 'Edm.Double', f: 'Edm.Single', l: 'Edm.Int64' }[suffix.toLowerCase()]!;
      if (edmType === 'Edm.Int64' && (hasFraction || hasExponent)) throw this.syntaxError(end);
      end += 1;
    } else {
      if (this.isIdentifierPartAt(end)) throw this.syntaxError(end);
      const n = Number(raw);
      if (hasExponent) edmType = 'Edm.Double';
      else if (hasFraction) edmType = 'Edm.Decimal';
      else if (n >= INT32_MIN && n <= INT32_MAX) edmType = 'Edm.Int32';
      else if (Number.isSafeInteger(n) || Math.abs(n) < 9.3e18) edmType = 'Edm.Int64';
      else edmType = 'Edm.Decimal';
    }
    raw = text.slice(start, end);
    const value = Number(match[0]);
    if (!Number.isFinite(value)) {
      throw new ODataQueryError(`Unrecognized '${edmType}' literal '${raw}' at '${start}' in '${text}'.`, {
        position: start,
      });
    }
    this.offset = end;
    return { kind: 'number', raw, value, edmType, pos: start };
  }

  private dateToken(start: number, m: RegExpExecArray): Token {
    const [raw, y, mo, d, h, mi, s, fraction, offset] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const dateOnly = h === undefined;
    const hour = dateOnly ? 0 : Number(h);
    const minute = dateOnly ? 0 : Number(mi);
    const second = s === undefined ? 0 : Number(s);
    const millis = fraction ? Math.floor(Number(fraction) * 1000) : 0;
    const base = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    const check = new Date(base);
    const valid = month >= 1 && month <= 12 && check.getUTCDate() === day && check.getUTCMonth() === month - 1
      && hour < 24 && minute < 60 && second < 60
      && (!offset || offset === 'Z' || (Number(offset.slice(1, 3)) < 24 && Number(offset.slice(4, 6)) < 60));
    if (!valid) {
      const edm = dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset';
      throw new ODataQueryError(`Unrecognized '${edm}' literal '${raw}' at '${start}' in '${this.text}'.`, {
        position: start,
      });
    }
    this.offset = start + raw.length;
    const value = base - offsetMinutes(offset) * 60_000;
    return { kind: dateOnly ? 'date' : 'datetime', raw, value, pos: start };
  }

  private readDuration(start: number, quote: number, close: number): Token {
    const text = this.text;
    const body = text.slice(quote + 1, close);
    const m = DURATION.exec(body);
    if (!m || body === 'P' || body === '-P' || body.endsWith('T')) {
      throw new ODataQueryError(`Unrecognized 'Edm.Duration' literal '${text.slice(start, close + 1)}' at '${start}' in '${text}'.`, {
        position: start,
      });
    }
    const [, minus, days, hours, minutes, seconds] = m;
    const ms = ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000
      + Math.round(Number(seconds ?? 0) * 1000);
    this.offset = close + 1;
    return { kind: 'duration', raw: text.slice(start, close + 1), value: minus ? -ms : ms, pos: start };
  }

  private isIdentifierStartAt(i: number): boolean {
    const cp = this.text.codePointAt(i);
    return cp !== undefined && IDENTIFIER_START.test(String.fromCodePoint(cp));
  }

  private isIdentifierPartAt(i: number): boolean {
    const cp = this.text.codePointAt(i);
    return cp !== undefined && IDENTIFIER_PART.test(String.fromCodePoint(cp));
  }

  /** An identifier starting at `i` (optionally `$`-prefixed, as `$it`, `$count`), or undefined. */
  private scanIdentifier(i: number): string | undefined {
    const text = this.text;
    let j = i;
    if (text[j] === '$') j++;
    if (!this.isIdentifierStartAt(j)) return undefined;
    while (j < text.length) {
      const cp = text.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      if (!IDENTIFIER_PART.test(ch)) break;
      j += ch.length;
    }
    return text.slice(i, j);
  }

  /** A dotted name (`Microsoft.Dynamics.CRM.In`) or a plain identifier. */
  private scanQualifiedIdentifier(i: number): string | undefined {
    let name = this.scanIdentifier(i);
    if (name === undefined) return undefined;
    while (this.text[i + name.length] === '.' && this.isIdentifierStartAt(i + name.length + 1)) {
      const part = this.scanIdentifier(i + name.length + 1);
      if (part === undefined) break;
      name += '.' + part;
    }
    return name;
  }
}
