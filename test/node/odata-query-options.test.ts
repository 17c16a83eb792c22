/**
 * parseQueryOptions: which options Dataverse accepts, their values, nested `$expand` options, and the 400s.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ODataQueryError,
  parseQueryOptions,
  QUERY_ERROR_CODE,
  splitTopLevel,
  TOO_MANY_CONDITIONS_CODE,
} from '../../src/emulator/odata/index.js';
import type { TableDef } from '../../src/tables/schema.js';
import { account, ids, salesorder, tableOf } from './odata-fixtures.js';

const q = (search: string, table: TableDef = salesorder) => parseQueryOptions(search, table, tableOf);

function refuses(search: string, message: string | RegExp, table: TableDef = salesorder, code = QUERY_ERROR_CODE): void {
  assert.throws(() => q(search, table), (error: unknown) => {
    assert.ok(error instanceof ODataQueryError, `expected ODataQueryError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('parseQueryOptions: accepted options', () => {
  it('gives defaults for an empty query', () => {
    assert.deepEqual(q(''), { orderBy: [], count: false, expand: [] });
    assert.deepEqual(q('?'), { orderBy: [], count: false, expand: [] });
  });

  it('reads $select, lookups by either name, without repeats', () => {
    assert.deepEqual(q('$select=name,ordernumber,totalamount').select, ['name', 'ordernumber', 'totalamount']);
    assert.deepEqual(q('$select=_customerid_value,customerid, name ,salesorderid').select, ['customerid', 'name', 'salesorderid']);
    assert.deepEqual(q('$select=createdon,versionnumber').select, ['createdon', 'versionnumber']);
    assert.equal(q('$select=').select, undefined);
  });

  it('reads and validates $filter, with parameter aliases', () => {
    const parsed = q(`$filter=${encodeURIComponent(`_customerid_value eq ${ids.contoso} and contains(ordernumber,'10')`)}`);
    assert.equal(parsed.filter?.kind, 'logical');
    const withAlias = q("$filter=Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)&@p1='statecode'&@p2=[0,1]");
    assert.equal(withAlias.filter?.kind, 'namedCall');
    // '+' in a query string is a space.
    assert.equal(q("$filter=name+eq+'x'").filter?.kind, 'binary');
  });

  it('reads $orderby, lookups as _x_value, default ascending', () => {
    assert.deepEqual(q('$orderby=createdon desc,name').orderBy, [
      { column: 'createdon', descending: true },
      { column: 'name', descending: false },
    ]);
    assert.deepEqual(q('$orderby=_customerid_value asc, totalamount  desc').orderBy, [
      { column: 'customerid', descending: false },
      { column: 'totalamount', descending: true },
    ]);
  });

  it('reads $top, $count, $skiptoken and $deltatoken', () => {
    assert.equal(q('$top=50').top, 50);
    assert.equal(q('$count=true').count, true);
    assert.equal(q('$count=false').count, false);
    const token = '<cookie pagenumber="2" pagingcookie="%3ccookie%20page%3d%221%22%3e" istracking="False" />';
    assert.equal(q(`$skiptoken=${encodeURIComponent(token)}`).skipToken, token);
    assert.equal(q('$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44').deltaToken, '919042!08/22/2017 08:10:44');
  });

  it('ignores parameters that are not system query options', () => {
    assert.deepEqual(q('foo=bar&$top=1'), { orderBy: [], count: false, expand: [], top: 1 });
  });
});

describe('parseQueryOptions: $expand', () => {
  it('expands single-valued and collection-valued navigation properties', () => {
    const parsed = q('$expand=customerid_account($select=name),order_details');
    assert.deepEqual(parsed.expand.map(({ navigation, kind, table, column }) => ({ navigation, kind, table, column })), [
      { navigation: 'customerid_account', kind: 'single', table: 'account', column: 'customerid' },
      { navigation: 'order_details', kind: 'collection', table: 'salesorderdetail', column: 'salesorderid' },
    ]);
    assert.deepEqual(parsed.expand[0].options.select, ['name']);
    assert.deepEqual(parsed.expand[1].options, { orderBy: [], count: false, expand: [] });
  });

  it('reads nested options separated by semicolons, validated against the related table', () => {
    const parsed = q(
      "$expand=order_details($select=quantity,priceperunit;$filter=quantity gt 1 and productdescription ne 'a;b,c)';$orderby=sequencenumber desc;$top=5)",
    );
    const options = parsed.expand[0].options;
    assert.deepEqual(options.select, ['quantity', 'priceperunit']);
    assert.equal(options.filter?.kind, 'logical');
    assert.deepEqual(options.orderBy, [{ column: 'sequencenumber', descending: true }]);
    assert.equal(options.top, 5);
  });

  it('reads nested $expand', () => {
    const parsed = q('$expand=order_customer_accounts($select=name;$expand=order_details($select=quantity),customerid_contact)', account);
    const orders = parsed.expand[0];
    assert.equal(orders.table, 'salesorder');
    assert.deepEqual(orders.options.expand.map((e) => [e.navigation, e.kind, e.options.select]), [
      ['order_details', 'collection', ['quantity']],
      ['customerid_contact', 'single', undefined],
    ]);
  });

  it('refuses unknown or non-navigation properties and bad nested options', () => {
    refuses('$expand=nosuch', "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses('$expand=name',
      "Property 'name' on type 'Microsoft.Dynamics.CRM.salesorder' is not a navigation property or complex property. Only navigation properties can be expanded.");
    refuses('$expand=customerid',
      "Property 'customerid' on type 'Microsoft.Dynamics.CRM.salesorder' is not a navigation property or complex property. Only navigation properties can be expanded.");
    refuses('$expand=order_details($select=nosuch)',
      "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.salesorderdetail'.");
    refuses('$expand=order_details($filter=name eq 1)',
      "Could not find a property named 'name' on type 'Microsoft.Dynamics.CRM.salesorderdetail'.");
    refuses('$expand=order_details($count=true)', 'The query option $count is not supported inside $expand.');
    refuses('$expand=order_details($skip=1)', 'Skip Clause is not supported in CRM');
    refuses('$expand=order_details($top=1;$top=2)',
      "Query option '$top' was specified more than once, but it must be specified at most once.");
    refuses('$expand=order_details($select=quantity', 'Found an unbalanced bracket expression.');
    refuses('$expand=order_details,order_details', "The navigation property 'order_details' is expanded more than once.");
    refuses('$expand=transactioncurrencyid',
      "The navigation property 'transactioncurrencyid' leads to table 'transactioncurrency', which the emulator does not declare.");
  });
});

describe('parseQueryOptions: refusals (400, Dataverse wording)', () => {
  it('refuses $skip as Dataverse does', () => {
    refuses('$skip=10', 'Skip Clause is not supported in CRM');
  });

  it('refuses $search, $format and any other $ option, case-sensitively', () => {
    refuses('$search=contoso', 'The query parameter $search is not supported.');
    refuses('$format=json', 'The query parameter $format is not supported.');
    refuses('$foo=1', 'The query parameter $foo is not supported.');
    refuses('$Select=name', 'The query parameter $Select is not supported (query option names are case-sensitive: $select).');
    refuses('$TOP=1', 'The query parameter $TOP is not supported (query option names are case-sensitive: $top).');
  });

  it('refuses repeated options', () => {
    refuses('$top=1&$top=2', "Query option '$top' was specified more than once, but it must be specified at most once.");
  });

  it('refuses unknown $select and $orderby columns', () => {
    refuses('$select=name,foo', "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses('$select=customerid_account', "Could not find a property named 'customerid_account' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses('$select=primarycontactid/fullname', "Could not find a property named 'primarycontactid/fullname' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses('$orderby=foo desc', "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses('$orderby=customerid', "Could not find a property named 'customerid' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses('$orderby=primarycontactid', 'The $orderby expression must evaluate to a single value of primitive type.', account);
    refuses('$orderby=name descending', "Syntax error at position 5 in 'name descending'.");
    refuses('$orderby=name asc desc', "Syntax error at position 9 in 'name asc desc'.");
    refuses('$orderby=name,createdon DESC', "Syntax error at position 15 in 'name,createdon DESC'.");
    refuses('$orderby=name,,createdon', "Syntax error at position 5 in 'name,,createdon'.");
  });

  it('refuses bad $top and $count values', () => {
    for (const value of ['-1', 'abc', '1.5', '', '99999999999999999999']) {
      refuses(`$top=${value}`,
        `Invalid value '${value}' for $top query option found. The $top query option requires a non-negative integer value.`);
    }
    refuses('$top=0', "Invalid value '0' for $top query option found. The $top query option requires a positive integer value.");
    refuses('$count=True', "'True' is not a valid count option.");
    refuses('$count=1', "'1' is not a valid count option.");
  });

  it('refuses malformed and invalid filters', () => {
    refuses('$filter=', "Expression expected at position 0 in ''.");
    refuses("$filter=name eq 'x", "There is an unterminated string literal at position 10 in 'name eq 'x'.");
    refuses("$filter=foo eq 'x'", "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    const many = Array.from({ length: 501 }, (_, i) => `statecode eq ${i % 5}`).join(' or ');
    refuses(`$filter=${encodeURIComponent(many)}`, 'Number of conditions in query exceeded maximum limit.', salesorder, TOO_MANY_CONDITIONS_CODE);
  });

  it('refuses invalid $apply', () => {
    refuses('$apply=groupby((nosuch))', "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.salesorder'.");
    refuses('$apply=groupby((createdon))', "groupby with datetime values is not supported ('createdon').");
    refuses('$apply=aggregate(name with sum as total)',
      "The aggregation method 'sum' cannot be applied to the property 'name' of type 'Edm.String'.");
    refuses('$apply=compute(1 as x)',
      "'compute' at position 0 is not a transformation Dataverse supports in $apply (filter, groupby, aggregate).");
    refuses('$apply=aggregate(totalamount with median as m)',
      "'median' at position 27 is not an aggregation method Dataverse supports (sum, average, min, max, countdistinct).");
    refuses('$apply=groupby((statecode))/filter(statecode eq 1)', /^Only filter transformations may follow 'groupby'/);
  });
});

describe('splitTopLevel', () => {
  it('splits outside parentheses and quotes only', () => {
    assert.deepEqual(splitTopLevel("a(b,c),d,'e,f''g,h',\"i,\\\"j\"", ','), ['a(b,c)', 'd', "'e,f''g,h'", '"i,\\"j"']);
    assert.deepEqual(splitTopLevel("$select=a;$filter=x eq 'a;b'", ';'), ['$select=a', "$filter=x eq 'a;b'"]);
    assert.throws(() => splitTopLevel('a)', ','), ODataQueryError);
    assert.throws(() => splitTopLevel("'a", ','), ODataQueryError);
  });
});

describe('parseQueryOptions is total', () => {
  it('returns or throws ODataQueryError for random query strings (fast-check)', () => {
    const pieces = [
      '$select=', '$filter=', '$orderby=', '$top=', '$count=', '$expand=', '$apply=', '$skip=', '$skiptoken=', '@p1=',
      '&', '=', ';', ',', '(', ')', "'", '%', '%2', '%27', '+', ' ', 'name', 'customerid', '_customerid_value',
      'order_details', 'customerid_account', 'quantity', 'eq', 'desc', 'true', '1', '-1', 'groupby((statecode))',
      'aggregate($count as n)', '$select=name', '$filter=name eq 1', 'é', '😀', '?',
    ];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), (parts) => {
      try {
        parseQueryOptions(parts.join(''), salesorder, tableOf);
      } catch (error) {
        if (!(error instanceof ODataQueryError)) throw new Error(`${JSON.stringify(parts.join(''))} threw ${String(error)}`);
      }
    }), { numRuns: 5000, seed: 11 });
  });
});
