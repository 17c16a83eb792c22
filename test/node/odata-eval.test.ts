/**
 * Binding and evaluating `$filter` over stored rows: semantics (SQL nulls, case/accent-insensitive strings,
 * LIKE wildcards, lookups, lambdas, Dataverse functions) and validation errors with Dataverse's messages.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, ODataQueryError, parseFilter, QUERY_ERROR_CODE } from '../../src/emulator/odata/index.js';
import type { TableDef } from '../../src/tables/schema.js';
import type { StoredRow } from '../../src/emulator/types.js';
import { account, contact, contextFor, ids, salesorder, salesorderdetail, seed, tableOf } from './odata-fixtures.js';

const data = seed();

/** The names (primary name column) of the rows of `table` that `filter` returns. */
function names(table: TableDef, filter: string, now?: Date): string[] {
  const predicate = compileFilter(parseFilter(filter), { table, tableOf });
  const ctx = contextFor(table, data, now);
  return data[table.logicalName].filter((row) => predicate(row, ctx)).map((row) => String(row[table.primaryName]));
}

const orders = (filter: string, now?: Date) => names(salesorder, filter, now);

/** Asserts that binding `filter` to `table` fails with exactly this 400 message. */
function refuses(table: TableDef, filter: string, message: string | RegExp): void {
  assert.throws(() => compileFilter(parseFilter(filter), { table, tableOf }), (error: unknown) => {
    assert.ok(error instanceof ODataQueryError, `expected ODataQueryError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, QUERY_ERROR_CODE);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('comparisons', () => {
  it('compares numbers, choices and money', () => {
    assert.deepEqual(orders('totalamount gt 100'), ['First order', '50% off sale']);
    assert.deepEqual(orders('totalamount ge 99.75 and totalamount le 150.25'), ['First order', 'Second order']);
    assert.deepEqual(orders('totalamount lt 1'), ['third order ']);
    assert.deepEqual(orders('statecode eq 0'), ['First order', '50% off sale']);
    assert.deepEqual(orders('msdyn_processingstatus ne 192350000'), ['Second order', 'third order ']);
    assert.deepEqual(orders('totalamount eq 1000m'), ['50% off sale']);
  });

  it('treats null as SQL does: ne and ordering comparisons never match null, eq null does', () => {
    assert.deepEqual(orders('totalamount eq null'), ['Personal order']);
    assert.deepEqual(orders('null eq totalamount'), ['Personal order']);
    assert.deepEqual(orders('totalamount ne null').length, 4);
    // Personal order has no processing status: `ne` does not return it (Dataverse/FetchXML `ne` excludes nulls).
    assert.ok(!orders('msdyn_processingstatus ne 192350001').includes('Personal order'));
    assert.ok(!orders('not (msdyn_processingstatus eq 192350001)').includes('Personal order'));
    assert.deepEqual(orders('totalamount gt null'), []);
    // Unknown or true is true; unknown and false is false.
    assert.ok(orders('msdyn_processingstatus eq 1 or statecode eq 2').includes('Personal order'));
  });

  it('compares strings case- and accent-insensitively, ignoring trailing spaces in eq', () => {
    assert.deepEqual(orders("name eq 'FIRST ORDER'"), ['First order']);
    assert.deepEqual(orders("name eq 'third order'"), ['third order ']);
    assert.deepEqual(orders("ordernumber eq 'ORD-1003'"), ['third order ']);
    assert.deepEqual(names(contact, "lastname eq 'emile'"), ['Ann Émile']);
    assert.deepEqual(names(account, "address1_city eq 'zurich'"), ['Fabrikam, Inc.']);
    assert.deepEqual(names(account, "name eq 'O''Bryan Litware'"), ["O'Bryan Litware"]);
    assert.deepEqual(orders("name ne 'first order'").length, 4);
    assert.deepEqual(orders("ordernumber gt 'ORD-2'"), ['50% off sale', 'Personal order']);
  });

  it('compares two columns of the same row', () => {
    assert.deepEqual(names(contact, 'firstname eq lastname'), ['Bob Builder']);
    assert.deepEqual(names(contact, 'firstname ne lastname'), ['Ann Émile', 'Chloe Contoso']);
  });

  it('compares dates and date-times, date-only literals meaning midnight UTC', () => {
    assert.deepEqual(orders('requestdeliveryby ge 2025-03-01'), ['First order', 'Second order']);
    assert.deepEqual(orders('requestdeliveryby gt 2025-03-01T14:05:00Z'), ['Second order']);
    assert.deepEqual(orders('requestdeliveryby eq 2025-03-01T16:05:00+02:00'), ['First order']);
    assert.deepEqual(orders('createdon lt 2025-02-15T10:00:00Z'), ['First order']);
    assert.deepEqual(orders('datefulfilled eq 2025-03-03'), ['First order']);
    assert.deepEqual(orders('datefulfilled ge 2025-03-02T23:00:00Z'), ['First order']);
    assert.deepEqual(names(contact, 'birthdate lt 1990-01-01'), ['Bob Builder']);
  });

  it('compares booleans, bare and with eq', () => {
    assert.deepEqual(names(account, 'donotemail'), ['Fabrikam, Inc.']);
    assert.deepEqual(names(account, 'donotemail eq false'), ['Contoso Ltd']);
    assert.deepEqual(names(account, 'not donotemail'), ['Contoso Ltd']);
    assert.deepEqual(names(account, 'donotemail eq null'), ["O'Bryan Litware"]);
  });

  it('compares GUIDs unquoted or quoted, in any case', () => {
    assert.deepEqual(orders(`_customerid_value eq ${ids.fabrikam}`), ['50% off sale']);
    assert.deepEqual(orders(`_customerid_value eq ${ids.fabrikam.toUpperCase()}`), ['50% off sale']);
    assert.deepEqual(orders(`_customerid_value eq '${ids.fabrikam}'`), ['50% off sale']);
    assert.deepEqual(orders(`salesorderid eq ${ids.order2}`), ['Second order']);
    assert.deepEqual(orders(`_customerid_value eq ${ids.bob}`), ['Personal order']);
    assert.deepEqual(names(account, '_primarycontactid_value eq null'), ["O'Bryan Litware"]);
  });

  it('evaluates in', () => {
    assert.deepEqual(orders('statecode in (1, 2)'), ['Second order', 'Personal order']);
    assert.deepEqual(orders("ordernumber in ('ord-1001', 'ORD-1003')"), ['First order', 'third order ']);
    assert.deepEqual(orders(`_customerid_value in (${ids.fabrikam}, '${ids.bob}')`), ['50% off sale', 'Personal order']);
  });

  it('evaluates and, or, not with precedence', () => {
    assert.deepEqual(orders('statecode eq 0 or statecode eq 1 and totalamount gt 1000'), ['First order', '50% off sale']);
    assert.deepEqual(orders('(statecode eq 0 or statecode eq 1) and totalamount lt 1000'), ['First order', 'Second order']);
    assert.deepEqual(orders('not (statecode eq 0)'), ['Second order', 'Personal order', 'third order ']);
  });
});

describe('string functions', () => {
  it('are case- and accent-insensitive', () => {
    assert.deepEqual(orders("contains(ordernumber,'ord-100')"), ['First order', 'Second order', 'third order ']);
    assert.deepEqual(orders("startswith(name,'SECOND')"), ['Second order']);
    assert.deepEqual(orders("endswith(name,'ORDER')"), ['First order', 'Second order', 'Personal order']);
    assert.deepEqual(names(contact, "contains(fullname,'emi')"), ['Ann Émile']);
    assert.deepEqual(orders("not contains(name,'order')"), ['50% off sale']);
  });

  it('treat %, _ and [...] as LIKE wildcards, as Dataverse does', () => {
    assert.deepEqual(orders("contains(name,'50%')"), ['50% off sale']);
    assert.deepEqual(orders("contains(name,'f%sale')"), ['50% off sale']);
    assert.deepEqual(orders("startswith(ordernumber,'ORD-1_0')"), ['First order', 'Second order', 'third order ']);
    assert.deepEqual(orders("startswith(ordernumber,'ORD-_00')"), ['First order', 'Second order', '50% off sale', 'Personal order', 'third order ']);
    assert.deepEqual(orders("startswith(ordernumber,'ORD-[23]')"), ['50% off sale', 'Personal order']);
    assert.deepEqual(orders("startswith(ordernumber,'ORD-[^1]')"), ['50% off sale', 'Personal order']);
    assert.deepEqual(orders("contains(name,'[%]')"), ['50% off sale']);
    assert.deepEqual(orders("contains(name,'[')"), []);
    assert.deepEqual(orders("contains(name,'.*')"), []);
  });

  it('match nothing on null and work with tolower/toupper', () => {
    assert.deepEqual(names(account, "contains(accountnumber,'')"), ['Contoso Ltd', 'Fabrikam, Inc.']);
    assert.deepEqual(orders("tolower(name) eq 'first order'"), ['First order']);
    assert.deepEqual(orders("contains(toupper(name),'FIRST')"), ['First order']);
  });
});

describe('lookups and lambdas', () => {
  it('follows single-valued navigation properties', () => {
    assert.deepEqual(names(account, "primarycontactid/fullname eq 'Bob Builder'"), ['Fabrikam, Inc.']);
    assert.deepEqual(orders("customerid_account/name eq 'contoso ltd'"), ['First order', 'Second order', 'third order ']);
    assert.deepEqual(orders("customerid_contact/fullname eq 'Bob Builder'"), ['Personal order']);
    // A customer lookup that points at an account has no customerid_contact.
    assert.deepEqual(orders('customerid_contact/fullname eq null'), ['First order', 'Second order', '50% off sale', 'third order ']);
    assert.deepEqual(orders("customerid_account/primarycontactid/fullname eq 'Ann Émile'"), ['First order', 'Second order', 'third order ']);
    assert.deepEqual(names(contact, "parentcustomerid_account/address1_city eq 'Seattle'"), ['Ann Émile', 'Chloe Contoso']);
  });

  it('evaluates any and all over collections', () => {
    assert.deepEqual(orders('order_details/any(d:d/quantity gt 5)'), ['First order', '50% off sale']);
    assert.deepEqual(orders('order_details/any()'), ['First order', 'Second order', '50% off sale', 'third order ']);
    assert.deepEqual(orders('not order_details/any()'), ['Personal order']);
    // all() is true for an order without lines.
    assert.deepEqual(orders('order_details/all(d:d/isproductoverridden eq false)'), ['50% off sale', 'Personal order', 'third order ']);
    assert.deepEqual(orders("order_details/any(d:contains(d/productdescription,'widget') and d/quantity lt 5)"), ['Second order']);
    // Bare names inside a lambda refer to the row being filtered.
    assert.deepEqual(orders('order_details/any(d:d/sequencenumber eq 2 and statecode eq 0)'), ['First order']);
    assert.deepEqual(orders('order_details/any(d:d/quantity eq null)'), ['third order ']);
  });

  it('nests lambdas', () => {
    assert.deepEqual(
      names(account, 'contact_customer_accounts/any(c:c/order_customer_contacts/any(o:o/statecode eq 2))'),
      ['Fabrikam, Inc.'],
    );
    assert.deepEqual(
      names(account, "order_customer_accounts/any(o:o/order_details/any(d:d/productdescription eq 'Gizmo'))"),
      ['Fabrikam, Inc.'],
    );
    assert.deepEqual(names(account, 'order_customer_accounts/all(o:o/statecode le 1)'), ['Fabrikam, Inc.', "O'Bryan Litware"]);
  });
});

describe('Dataverse query functions', () => {
  it('evaluates In and NotIn, converting the values to the column type', () => {
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['1','2'])"), ['Second order', 'Personal order']);
    assert.deepEqual(orders('Microsoft.Dynamics.CRM.In(PropertyName=\'ordernumber\',PropertyValues=["ord-2001","ORD-3001"])'), ['50% off sale', 'Personal order']);
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.NotIn(PropertyName='statecode',PropertyValues=[0,1,2])"), ['third order ']);
    assert.deepEqual(orders(`Microsoft.Dynamics.CRM.In(PropertyName='customerid',PropertyValues=['${ids.fabrikam}'])`), ['50% off sale']);
    const withAliases = compileFilter(
      parseFilter('Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)', { p1: "'lastname'", p2: '["Bob","Contoso"]' }),
      { table: contact, tableOf },
    );
    const ctx = contextFor(contact, data);
    assert.deepEqual(data.contact.filter((r) => withAliases(r, ctx)).map((r) => r.fullname), ['Bob Builder', 'Chloe Contoso']);
  });

  it('evaluates Between and NotBetween inclusively', () => {
    assert.deepEqual(names(account, 'Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofemployees\',PropertyValues=["5","250"])'),
      ['Contoso Ltd', 'Fabrikam, Inc.', "O'Bryan Litware"]);
    assert.deepEqual(names(account, "Microsoft.Dynamics.CRM.NotBetween(PropertyName='numberofemployees',PropertyValues=[6,250])"),
      ["O'Bryan Litware"]);
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.Between(PropertyName='createdon',PropertyValues=['2025-02-01','2025-03-01T10:00:00Z'])"),
      ['First order', 'Second order', '50% off sale']);
  });

  it('evaluates date functions against the context clock (UTC days)', () => {
    const now = new Date('2025-03-05T12:00:00Z');
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=4)", now),
      ['50% off sale', 'Personal order', 'third order ']);
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.Today(PropertyName='createdon')", now), ['third order ']);
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.OlderThanXDays(PropertyName='createdon',PropertyValue=7)", now),
      ['First order', 'Second order']);
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='2025-03-02')", now), ['Personal order']);
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue=2025-03-02)", now),
      ['Personal order', 'third order ']);
    // The next 30 days end with the 30th day after today (March 31); April 1 falls in the next 31 days.
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.NextXDays(PropertyName='requestdeliveryby',PropertyValue=30)", new Date('2025-03-01T00:00:00Z')),
      ['First order']);
    assert.deepEqual(orders("Microsoft.Dynamics.CRM.NextXDays(PropertyName='requestdeliveryby',PropertyValue=31)", new Date('2025-03-01T00:00:00Z')),
      ['First order', 'Second order']);
  });

  it('refuses bad parameters and unknown functions', () => {
    refuses(salesorder, "Microsoft.Dynamics.CRM.In(PropertyName='nosuch',PropertyValues=['1'])",
      "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses(salesorder, "Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['one'])",
      "The value ''one'' of the parameter 'PropertyValues' of the function 'Microsoft.Dynamics.CRM.In' is not a valid Edm.Int32 value for 'statecode'.");
    refuses(salesorder, "Microsoft.Dynamics.CRM.Between(PropertyName='statecode',PropertyValues=['1'])",
      "The function 'Microsoft.Dynamics.CRM.Between' needs exactly two values.");
    refuses(salesorder, "Microsoft.Dynamics.CRM.In(PropertyName='statecode')",
      "The function 'Microsoft.Dynamics.CRM.In' requires the parameter 'PropertyValues'.");
    refuses(salesorder, "Microsoft.Dynamics.CRM.LastXDays(PropertyName='name',PropertyValue=3)",
      "The function 'Microsoft.Dynamics.CRM.LastXDays' applies to date and time columns; 'name' is Edm.String.");
    refuses(salesorder, "Microsoft.Dynamics.CRM.Nope(PropertyName='name')",
      "An unknown function with name 'Microsoft.Dynamics.CRM.Nope' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.");
    refuses(salesorder, "Microsoft.Dynamics.CRM.InFiscalYear(PropertyName='createdon',PropertyValue=2025)",
      "The Dataverse query function 'Microsoft.Dynamics.CRM.InFiscalYear' is not implemented by the emulator.");
    refuses(salesorder, "frobnicate(name)",
      "An unknown function with name 'frobnicate' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.");
    refuses(salesorder, 'length(name) eq 3', "The function 'length' is not supported by Dataverse in $filter.");
  });
});

describe('validation against the table (Dataverse messages)', () => {
  it('refuses unknown properties with ODataLib\'s message', () => {
    refuses(salesorder, "foo eq 'x'", "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses(salesorder, 'Name eq 1', "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    // A lookup is filtered as _x_value; its bare name is not a property (customerid's navigations are customerid_account/…).
    refuses(salesorder, `customerid eq ${ids.contoso}`, "Could not find a property named 'customerid' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses(salesorder, "_name_value eq 'x'", "Could not find a property named '_name_value' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses(account, "primarycontactid/nosuch eq 'x'", "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.contact'.");
    refuses(salesorder, "name/length eq 'x'", "Could not find a property named 'length' on type 'Edm.String'.");
    refuses(salesorder, 'order_details/any(d:d/nosuch gt 1)', "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.salesorderdetail'.");
  });

  it('refuses mismatched operand types', () => {
    refuses(salesorder, "totalamount eq 'abc'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Decimal' and 'Edm.String' for operator kind 'Equal'.");
    refuses(salesorder, "statecode gt '1'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'GreaterThan'.");
    refuses(salesorder, 'name eq 5',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.");
    refuses(salesorder, "createdon ge '2025-01-01'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThanOrEqual'.");
    refuses(salesorder, "_customerid_value eq 'not-a-guid'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.");
    refuses(salesorder, 'name eq totalamount',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Decimal' for operator kind 'Equal'.");
    refuses(salesorder, 'name and statecode eq 1',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Boolean' for operator kind 'And'.");
    refuses(salesorder, "not name eq 'x'",
      "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'.");
    refuses(salesorder, "statecode in ('a')", "The 'in' operator requires values of type 'Edm.Int32'; found 'Edm.String' at position 14.");
  });

  it('refuses non-boolean filters, function misuse and navigation misuse', () => {
    refuses(salesorder, 'name', 'The $filter expression must evaluate to a single boolean value.');
    refuses(salesorder, "'x'", 'The $filter expression must evaluate to a single boolean value.');
    refuses(salesorder, "contains(totalamount,'1')",
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).");
    refuses(salesorder, "startswith(name)", /^No function signature for the function with name 'startswith'/);
    refuses(salesorder, "customerid_account eq null",
      "The operand for a binary operator 'Equal' is not a single value. Binary operators require both operands to be single values.");
    refuses(salesorder, 'order_details eq null',
      "The operand for a binary operator 'Equal' is not a single value. Binary operators require both operands to be single values.");
    refuses(salesorder, 'order_details/quantity gt 1',
      "The parent value for a property access of a property 'quantity' is not a single value. Property access can only be applied to a single value.");
    refuses(salesorder, 'name/any(x:x eq 1)', 'Only collection navigation properties may head Any/All queries.');
    refuses(account, 'primarycontactid/order_customer_contacts/any(o:o/statecode eq 1)',
      "Conditions on a collection-valued navigation property nested in a lookup navigation property are not supported ('primarycontactid/order_customer_contacts').");
    refuses(salesorder, 'order_details/any(d:d/order_details/any(d:d/quantity gt 1))', /^Could not find a property named 'order_details'/);
    refuses(account, 'order_customer_accounts/any(o:o/order_details/any(o:o/quantity gt 1))',
      "The range variable 'o' has already been declared.");
    refuses(salesorder, 'order_details/any(d:d/quantity)', "The expression of the 'any' operator must evaluate to a single boolean value.");
    refuses(salesorder, 'totalamount add 1 gt 5', "The arithmetic operator 'add' is not supported in a Dataverse $filter (position 0).");
  });

  it('names an undeclared related table instead of failing obscurely', () => {
    refuses(salesorder, "transactioncurrencyid/isocurrencycode eq 'EUR'",
      "The navigation property 'transactioncurrencyid' leads to table 'transactioncurrency', which the emulator does not declare.");
  });
});

describe('a typical list filter over 30,000 rows', () => {
  it('compiles once and evaluates quickly (figure reported as a diagnostic, not asserted)', (t) => {
    const rows: StoredRow[] = [];
    const accounts = [ids.contoso, ids.fabrikam, ids.litware];
    for (let i = 0; i < 30_000; i++) {
      rows.push({
        salesorderid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        name: `Order ${i}`,
        ordernumber: `ORD-${String(i).padStart(6, '0')}`,
        customerid: { table: 'account', id: accounts[i % 3] },
        totalamount: i % 1000,
        statecode: i % 5,
      });
    }
    const filter = `_customerid_value eq ${ids.fabrikam} and contains(ordernumber,'12')`;
    const ctx = contextFor(salesorder, { ...data, salesorder: rows });
    const expected = rows.filter((r) => (r.customerid as { id: string }).id === ids.fabrikam
      && String(r.ordernumber).includes('12')).length;

    const runs = 30;
    const times: number[] = [];
    let matched = 0;
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const predicate = compileFilter(parseFilter(filter), { table: salesorder, tableOf });
      matched = 0;
      for (const row of rows) if (predicate(row, ctx)) matched++;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    assert.equal(matched, expected);
    assert.ok(expected > 100);
    t.diagnostic(`parse + compile + evaluate over 30,000 rows: median ${times[runs >> 1].toFixed(2)} ms, fastest ${times[0].toFixed(2)} ms (${runs} runs)`);
  });

  it('stays correct for a lookup-path filter over related rows', () => {
    const predicate = compileFilter(parseFilter("salesorderid/name eq 'first order' and quantity gt 5"), {
      table: salesorderdetail,
      tableOf,
    });
    const ctx = contextFor(salesorderdetail, data);
    assert.deepEqual(data.salesorderdetail.filter((r) => predicate(r, ctx)).map((r) => r.productdescription), ['Widget']);
  });
});

describe('binding and evaluation are total', () => {
  /** Mulberry32, seeded so that a failure can be replayed. */
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
  const random = prng(2025);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const properties = [
    'name', 'ordernumber', 'totalamount', 'statecode', 'msdyn_processingstatus', 'createdon', 'datefulfilled',
    '_customerid_value', 'customerid', 'customerid_account/name', 'customerid_contact/fullname', 'order_details',
    'salesorderid', 'nosuch', '$it/name', 'customerid_account', 'description', 'requestdeliveryby',
  ];
  const literals = [
    "'x'", "'ORD-1%'", "''", '0', '1', '-2.5', '1000m', '2e3', 'true', 'false', 'null', ids.contoso,
    `'${ids.fabrikam}'`, '2025-03-01', '2025-03-01T14:05:00Z', "duration'P1D'", '192350000',
  ];
  function operand(depth: number): string {
    const r = random();
    if (r < 0.45) return pick(properties);
    if (r < 0.8 || depth > 2) return pick(literals);
    return `${pick(['tolower', 'toupper'])}(${operand(depth + 1)})`;
  }
  function condition(depth: number): string {
    const r = random();
    if (depth > 3 || r < 0.4) return `${operand(depth)} ${pick(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])} ${operand(depth)}`;
    if (r < 0.5) return `${pick(['contains', 'startswith', 'endswith'])}(${operand(depth)},${operand(depth)})`;
    if (r < 0.6) return `not ${condition(depth + 1)}`;
    if (r < 0.75) return `(${condition(depth + 1)} ${pick(['and', 'or'])} ${condition(depth + 1)})`;
    if (r < 0.85) {
      const inner = pick(['d/quantity gt 1', 'd/productdescription eq null', "contains(d/productdescription,'g')", 'statecode eq 0', 'd/nosuch eq 1']);
      return `order_details/${pick(['any', 'all'])}(d:${inner})`;
    }
    if (r < 0.92) return `${operand(depth)} in (${operand(depth)}, ${operand(depth)})`;
    return `Microsoft.Dynamics.CRM.${pick(['In', 'NotIn', 'Between', 'LastXDays', 'Today', 'On'])}(PropertyName='${pick(properties)}',${pick(['PropertyValues=["1","2"]', 'PropertyValue=3', "PropertyValue='2025-03-01'", 'PropertyValues=[]'])})`;
  }

  it('compiles generated filters or refuses them with ODataQueryError, and never throws while evaluating', () => {
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      const text = condition(0);
      let predicate;
      try {
        predicate = compileFilter(parseFilter(text), { table: salesorder, tableOf });
      } catch (error) {
        if (!(error instanceof ODataQueryError)) assert.fail(`${JSON.stringify(text)} threw ${String(error)}`);
        continue;
      }
      compiled++;
      const ctx = contextFor(salesorder, data, new Date('2025-03-05T12:00:00Z'));
      for (const row of data.salesorder) {
        try {
          assert.equal(typeof predicate(row, ctx), 'boolean');
        } catch (error) {
          assert.fail(`${JSON.stringify(text)} failed on ${String(row.name)}: ${String(error)}`);
        }
      }
    }
    // The generator must exercise evaluation, not only refusals.
    assert.ok(compiled > 500, `only ${compiled} generated filters compiled`);
  });
});
