/**
 * The `$filter` grammar: literals, operators, precedence, functions, lambdas, errors, and total-ness
 * (any input parses or fails with ODataQueryError, never anything else).
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type FilterExpr,
  type LiteralExpr,
  ODataQueryError,
  parseFilter,
  parseApply,
  TOO_MANY_CONDITIONS_CODE,
  QUERY_ERROR_CODE,
} from '../../src/emulator/odata/index.js';

/** A compact prefix rendering of a tree, so precedence reads at a glance. */
function show(e: FilterExpr): string {
  switch (e.kind) {
    case 'literal':
      return e.type === 'string' ? JSON.stringify(e.value) : `${e.type}:${String(e.value)}`;
    case 'path':
      return e.segments.join('/');
    case 'binary':
      return `(${e.operator} ${show(e.left)} ${show(e.right)})`;
    case 'logical':
      return `(${e.operator} ${e.operands.map(show).join(' ')})`;
    case 'not':
      return `(not ${show(e.operand)})`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
    case 'namedCall':
      return `${e.name}(${e.params.map((p) => `${p.name}=${show(p.value)}`).join(', ')})`;
    case 'lambda':
      return `${e.collection.join('/')}/${e.operator}(${e.variable ?? ''}${e.predicate ? ': ' + show(e.predicate) : ''})`;
    case 'in':
      return `(in ${show(e.operand)} [${e.values.map(show).join(', ')}])`;
    case 'array':
      return `[${e.items.map(show).join(', ')}]`;
  }
}

const p = (text: string) => show(parseFilter(text));

function literal(text: string): LiteralExpr {
  const e = parseFilter(`x eq ${text}`);
  assert.equal(e.kind, 'binary');
  const right = (e as { right: FilterExpr }).right;
  assert.equal(right.kind, 'literal');
  return right as LiteralExpr;
}

/** Asserts that parsing fails with exactly this 400 message. */
function fails(text: string, message: string | RegExp, code = QUERY_ERROR_CODE): void {
  assert.throws(() => parseFilter(text), (error: unknown) => {
    assert.ok(error instanceof ODataQueryError, `expected ODataQueryError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('$filter literals', () => {
  it('reads single-quoted strings, a doubled quote being one quote', () => {
    assert.equal(literal("'O''Bryan'").value, "O'Bryan");
    assert.equal(literal("''").value, '');
    assert.equal(literal("''''").value, "'");
    assert.equal(literal("'a''''b'").value, "a''b");
    assert.equal(literal("'a b  c'").value, 'a b  c');
    assert.equal(literal("'Zürich – 東京 🚚'").value, 'Zürich – 東京 🚚');
    assert.equal(literal("'and or not eq ('").value, 'and or not eq (');
    assert.equal(literal("'O''Bryan'").edmType, 'Edm.String');
  });

  it('reads unquoted GUIDs in lower case', () => {
    const g = literal('6F9619FF-8B86-D011-B42D-00CF4FC964FF');
    assert.equal(g.type, 'guid');
    assert.equal(g.value, '6f9619ff-8b86-d011-b42d-00cf4fc964ff');
    assert.equal(literal('00000000-0000-0000-0000-000000000000').type, 'guid');
    // A GUID that starts with letters is not an identifier.
    assert.equal(literal('deadbeef-0000-4000-8000-000000000000').type, 'guid');
  });

  it('reads dates and date-times (UTC when no offset), with offsets applied', () => {
    const d = literal('2025-01-01');
    assert.equal(d.type, 'date');
    assert.equal(d.value, Date.UTC(2025, 0, 1));
    assert.equal(literal('2025-01-01T00:00:00Z').value, Date.UTC(2025, 0, 1));
    assert.equal(literal('2025-01-01T10:30:15.250Z').value, Date.UTC(2025, 0, 1, 10, 30, 15, 250));
    assert.equal(literal('2025-01-01T10:30').value, Date.UTC(2025, 0, 1, 10, 30));
    assert.equal(literal('2025-01-01T10:00:00+02:00').value, Date.UTC(2025, 0, 1, 8));
    assert.equal(literal('2025-01-01T10:00:00-05:30').value, Date.UTC(2025, 0, 1, 15, 30));
    assert.equal(literal('2025-01-01T00:00:00Z').type, 'datetime');
    assert.equal(literal('2024-02-29').value, Date.UTC(2024, 1, 29));
  });

  it('refuses impossible dates', () => {
    fails('x eq 2025-02-29', "Unrecognized 'Edm.Date' literal '2025-02-29' at '5' in 'x eq 2025-02-29'.");
    fails('x eq 2025-13-01', /^Unrecognized 'Edm.Date' literal '2025-13-01'/);
    fails('x eq 2025-01-01T24:00:00Z', /^Unrecognized 'Edm.DateTimeOffset' literal/);
  });

  it('reads numbers with their OData types', () => {
    assert.deepEqual([literal('42').value, literal('42').edmType], [42, 'Edm.Int32']);
    assert.deepEqual([literal('-7').value, literal('-7').edmType], [-7, 'Edm.Int32']);
    assert.deepEqual([literal('3000000000').value, literal('3000000000').edmType], [3000000000, 'Edm.Int64']);
    assert.deepEqual([literal('1.5').value, literal('1.5').edmType], [1.5, 'Edm.Decimal']);
    assert.deepEqual([literal('1.5m').value, literal('1.5M').edmType], [1.5, 'Edm.Decimal']);
    assert.deepEqual([literal('2e3').value, literal('2e3').edmType], [2000, 'Edm.Double']);
    assert.deepEqual([literal('2.5d').value, literal('2.5d').edmType], [2.5, 'Edm.Double']);
    assert.equal(literal('2.5f').edmType, 'Edm.Single');
    assert.deepEqual([literal('12L').value, literal('12L').edmType], [12, 'Edm.Int64']);
    assert.equal(literal('-0.25').value, -0.25);
  });

  it('reads true, false, null and durations', () => {
    assert.equal(literal('true').value, true);
    assert.equal(literal('false').value, false);
    assert.equal(literal('null').type, 'null');
    const d = literal("duration'P1DT2H30M'");
    assert.equal(d.type, 'duration');
    assert.equal(d.value, (26 * 60 + 30) * 60_000);
    assert.equal(literal("duration'-PT1.5S'").value, -1500);
  });

  it('refuses malformed numbers and durations', () => {
    fails('x eq 1.', "A digit was expected at position 7 in 'x eq 1.'.");
    fails('x eq 1e', "A digit was expected at position 7 in 'x eq 1e'.");
    fails('x eq 12abc', "Syntax error at position 7 in 'x eq 12abc'.");
    fails("x eq duration'P'", /^Unrecognized 'Edm.Duration' literal/);
    fails("x eq duration'1 day'", /^Unrecognized 'Edm.Duration' literal/);
  });
});

describe('$filter operators and precedence', () => {
  it('parses every comparison operator', () => {
    for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le']) {
      assert.equal(p(`totalamount ${op} 5`), `(${op} totalamount number:5)`);
    }
  });

  it('binds and tighter than or, and keeps chains flat', () => {
    assert.equal(p('a eq 1 or b eq 2 and c eq 3'), '(or (eq a number:1) (and (eq b number:2) (eq c number:3)))');
    assert.equal(p('a eq 1 and b eq 2 or c eq 3'), '(or (and (eq a number:1) (eq b number:2)) (eq c number:3))');
    assert.equal(p('a eq 1 and (b eq 2 or c eq 3)'), '(and (eq a number:1) (or (eq b number:2) (eq c number:3)))');
    assert.equal(p('a and b and c and d'), '(and a b c d)');
    assert.equal(p('(a and b) and (c and d)'), '(and a b c d)');
    assert.equal(p('a or (b or c)'), '(or a b c)');
  });

  it('binds not tighter than comparisons (OData precedence), and nests', () => {
    assert.equal(p('not a'), '(not a)');
    assert.equal(p('not (a eq 1)'), '(not (eq a number:1))');
    assert.equal(p('not a eq true'), '(eq (not a) boolean:true)');
    assert.equal(p('not not a'), '(not (not a))');
    assert.equal(p("not contains(name,'x')"), '(not contains(name, "x"))');
  });

  it('parses arithmetic with multiplicative over additive over comparison', () => {
    assert.equal(p('a add b mul c eq d'), '(eq (add a (mul b c)) d)');
    assert.equal(p('a sub b sub c eq 0'), '(eq (sub (sub a b) c) number:0)');
    assert.equal(p('a div 2 mod 3 gt 1'), '(gt (mod (div a number:2) number:3) number:1)');
  });

  it('accepts any amount of whitespace and redundant parentheses', () => {
    assert.equal(p('  ( ( name  eq   \'x\' ) )  '), '(eq name "x")');
    assert.equal(p('name\teq\n\'x\''), '(eq name "x")');
  });

  it('compares two properties (column comparison)', () => {
    assert.equal(p('firstname eq lastname'), '(eq firstname lastname)');
  });

  it('parses in with parentheses or brackets', () => {
    assert.equal(p("name in ('a','b')"), '(in name ["a", "b"])');
    assert.equal(p('statecode in [0, 1]'), '(in statecode [number:0, number:1])');
    assert.equal(p('statecode in ()'), '(in statecode [])');
    assert.equal(p("not name in ('a')"), '(not (in name ["a"]))');
  });
});

describe('$filter paths, functions and lambdas', () => {
  it('parses lookup values and lookup paths', () => {
    assert.equal(p('_customerid_value eq 11111111-1111-4111-8111-111111111111'), '(eq _customerid_value guid:11111111-1111-4111-8111-111111111111)');
    assert.equal(p("primarycontactid/fullname eq 'Ann'"), '(eq primarycontactid/fullname "Ann")');
    assert.equal(p("primarycontactid/createdby/fullname eq 'x'"), '(eq primarycontactid/createdby/fullname "x")');
    assert.equal(p('x eq null'), '(eq x null:null)');
  });

  it('parses string functions and nested calls', () => {
    assert.equal(p("contains(ordernumber,'ORD')"), 'contains(ordernumber, "ORD")');
    assert.equal(p("startswith(name,'a') or endswith(name,'z')"), '(or startswith(name, "a") endswith(name, "z"))');
    assert.equal(p("tolower(name) eq 'x'"), '(eq tolower(name) "x")');
    assert.equal(p("contains(toupper(name), tolower('X'))"), 'contains(toupper(name), tolower("X"))');
  });

  it('parses Dataverse functions with named parameters, single- or double-quoted arrays', () => {
    assert.equal(
      p("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','b'])"),
      'Microsoft.Dynamics.CRM.In(PropertyName="name", PropertyValues=["a", "b"])',
    );
    assert.equal(
      p('Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])'),
      'Microsoft.Dynamics.CRM.Between(PropertyName="numberofemployees", PropertyValues=["5", "2000"])',
    );
    assert.equal(
      p("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)"),
      'Microsoft.Dynamics.CRM.LastXDays(PropertyName="createdon", PropertyValue=number:7)',
    );
    assert.equal(p('Microsoft.Dynamics.CRM.In(PropertyName="name",PropertyValues=["a\\"b"])'),
      'Microsoft.Dynamics.CRM.In(PropertyName="name", PropertyValues=["a\\"b"])');
  });

  it('resolves parameter aliases, a missing alias being null', () => {
    const e = parseFilter('Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)', {
      p1: "'lastname'",
      p2: '["OBrian","O\'Brian"]',
    });
    assert.equal(show(e), 'Microsoft.Dynamics.CRM.In(PropertyName="lastname", PropertyValues=["OBrian", "O\'Brian"])');
    assert.equal(show(parseFilter('name eq @n', { n: "'x'" })), '(eq name "x")');
    assert.equal(show(parseFilter('name eq @missing')), '(eq name null:null)');
    assert.throws(() => parseFilter('name eq @a', { a: '@b', b: "'x'" }), ODataQueryError);
    assert.throws(() => parseFilter('name eq @a', { a: "'x' or 1 eq 1" }), ODataQueryError);
  });

  it('parses any/all lambdas, nested, and any()', () => {
    assert.equal(p('order_details/any(d:d/quantity gt 5)'), 'order_details/any(d: (gt d/quantity number:5))');
    assert.equal(p('order_details/all(d: d/quantity gt 5 and d/priceperunit lt 10)'),
      'order_details/all(d: (and (gt d/quantity number:5) (lt d/priceperunit number:10)))');
    assert.equal(p('order_details/any()'), 'order_details/any()');
    assert.equal(
      p("contact_customer_accounts/any(c:c/fullname eq 'x' and c/order_customer_contacts/any(o:o/name ne 'N/A'))"),
      'contact_customer_accounts/any(c: (and (eq c/fullname "x") c/order_customer_contacts/any(o: (ne o/name "N/A"))))',
    );
  });
});

describe('$filter syntax errors (ODataLib wording, code 0x80060888)', () => {
  it('names the position and the text', () => {
    fails('', "Expression expected at position 0 in ''.");
    fails('name eq', "Expression expected at position 7 in 'name eq'.");
    fails('name eq ', "Expression expected at position 8 in 'name eq '.");
    fails("name eqq 'x'", "Syntax error at position 5 in 'name eqq 'x''.");
    fails("name eq 'x' and", "Expression expected at position 15 in 'name eq 'x' and'.");
    fails('(name eq 1', "')' or operator expected at position 10 in '(name eq 1'.");
    fails('name eq 1)', "Syntax error at position 9 in 'name eq 1)'.");
    fails('()', "Expression expected at position 1 in '()'.");
    fails("contains(name 'x')", "')' or ',' expected at position 14 in 'contains(name 'x')'.");
    fails('name eq #', "Syntax error: character '#' is not valid at position 8 in 'name eq #'.");
    fails('name eq 😀', "Syntax error: character '😀' is not valid at position 8 in 'name eq 😀'.");
    fails('x in 1', "'(' expected at position 5 in 'x in 1'.");
    fails('order_details/all()', "Syntax error at position 18 in 'order_details/all()'.");
    fails('order_details/any(d d/x eq 1)', "Syntax error at position 20 in 'order_details/any(d d/x eq 1)'.");
  });

  it('reports unterminated literals at the end of the text, as Dataverse documents', () => {
    // powerapps-docs webapi/query/filter-rows.md, "Manage single quotes".
    fails("lastname eq 'O'Bryan'", "There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''.");
    fails("name eq 'abc", "There is an unterminated string literal at position 12 in 'name eq 'abc'.");
    fails("name eq 'it''s", "There is an unterminated string literal at position 14 in 'name eq 'it''s'.");
  });

  it('refuses typed literal prefixes other than duration', () => {
    fails("_x_value eq guid'6f9619ff-8b86-d011-b42d-00cf4fc964ff'", /^Syntax error at position 12/);
  });

  it('allows 500 conditions and refuses 501 with Dataverse\'s condition-limit error', () => {
    const conditions = (n: number) => Array.from({ length: n }, (_, i) => `totalamount eq ${i}`).join(' or ');
    assert.equal(parseFilter(conditions(500)).kind, 'logical');
    fails(conditions(501), 'Number of conditions in query exceeded maximum limit.', TOO_MANY_CONDITIONS_CODE);
    assert.equal(TOO_MANY_CONDITIONS_CODE, '0x8004430C');
  });

  it('bounds nesting instead of overflowing the stack', () => {
    fails('('.repeat(100_000) + 'a' + ')'.repeat(100_000), 'Recursion depth exceeded allowed limit.');
    fails('not '.repeat(100_000) + 'a', 'Recursion depth exceeded allowed limit.');
    fails('a' + ' add 1'.repeat(100_000) + ' eq 1', 'Recursion depth exceeded allowed limit.');
    assert.equal(p('('.repeat(50) + 'a' + ')'.repeat(50)), 'a');
  });
});

// ---- total-ness -------------------------------------------------------------------------------------------

/** Mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  ' ', ' ', ' ', 'eq', 'ne', 'gt', 'and', 'or', 'not', 'in', 'add', '(', ')', ',', '/', ':', '=', '[', ']', "'", "''",
  '"', '@p', 'name', 'd', 'any', 'all', 'contains', 'Microsoft.Dynamics.CRM.In', 'PropertyName', 'null', 'true',
  '1', '-', '.', '5', 'e', 'm', '2025-01-01', 'T10:00:00Z', '6f9619ff-8b86-d011-b42d-00cf4fc964ff', 'duration',
  "'P1D'", 'é', '\u0000', '😀', '#', '%', '$it', '$', '\\', '\n',
];

const VALID = [
  "name eq 'O''Bryan' and _customerid_value eq 6f9619ff-8b86-d011-b42d-00cf4fc964ff",
  'order_details/any(d:d/quantity gt 5 and d/priceperunit le 2.5m)',
  "Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','b'])",
  "(contains(ordernumber,'ORD') or startswith(name,'x')) and not (createdon lt 2025-01-01T00:00:00Z)",
  "statecode in (0,1) and x eq duration'P1D' and y ne null",
];

function expectTotal(text: string): void {
  try {
    parseFilter(text, { p: "'v'", p1: '[1,2]' });
  } catch (error) {
    if (!(error instanceof ODataQueryError)) {
      assert.fail(`parseFilter(${JSON.stringify(text)}) threw ${String(error)}`);
    }
    assert.equal(error.status, 400);
  }
}

describe('parseFilter is total', () => {
  it('returns or throws ODataQueryError for thousands of random token soups (seeded)', () => {
    const random = prng(20250101);
    for (let i = 0; i < 5000; i++) {
      const length = 1 + Math.floor(random() * 25);
      let text = '';
      for (let j = 0; j < length; j++) text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
      expectTotal(text);
    }
  });

  it('returns or throws ODataQueryError for thousands of garbled valid filters (seeded)', () => {
    const random = prng(42);
    for (let i = 0; i < 5000; i++) {
      const base = VALID[i % VALID.length];
      const chars = [...base];
      const edits = 1 + Math.floor(random() * 4);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(random() * (chars.length + 1));
        const action = random();
        if (action < 0.33) chars.splice(at, 1);
        else if (action < 0.66) chars.splice(at, 0, FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]);
        else chars.splice(at, 0, String.fromCharCode(Math.floor(random() * 0x3000)));
      }
      expectTotal(chars.join(''));
    }
    for (const text of VALID) assert.doesNotThrow(() => parseFilter(text));
  });

  it('returns or throws ODataQueryError for arbitrary strings (fast-check)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
      expectTotal(text);
    }), { numRuns: 3000, seed: 7 });
    fc.assert(fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }), (parts) => {
      expectTotal(parts.join(''));
    }), { numRuns: 3000, seed: 8 });
  });

  it('keeps $apply total too', () => {
    const random = prng(99);
    const applyFragments = [...FRAGMENTS, 'groupby', 'aggregate', 'filter', 'with', 'sum', 'as', '$count', '((', '))'];
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const length = 1 + Math.floor(random() * 20);
      for (let j = 0; j < length; j++) text += applyFragments[Math.floor(random() * applyFragments.length)];
      try {
        parseApply(text);
      } catch (error) {
        if (!(error instanceof ODataQueryError)) assert.fail(`parseApply(${JSON.stringify(text)}) threw ${String(error)}`);
      }
    }
  });
});
