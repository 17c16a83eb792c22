/**
 * `$apply` aggregation results (the account summary's queries) and `$orderby` row ordering.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyAggregation,
  compareRows,
  ODataQueryError,
  parseApply,
  parseQueryOptions,
  validateApply,
} from '../../src/emulator/odata/index.js';
import type { StoredRow } from '../../src/emulator/types.js';
import { account, contact, contextFor, ids, salesorder, salesorderdetail, seed, tableOf } from './odata-fixtures.js';

const data = seed();
const ctx = contextFor(salesorder, data);

function aggregate(apply: string, rows: StoredRow[] = data.salesorder, table = salesorder) {
  const parsed = parseApply(apply);
  validateApply(parsed, table, tableOf);
  return applyAggregation(parsed, rows, table, contextFor(table, data));
}

describe('$apply', () => {
  it('parses the transformations the account summary uses', () => {
    assert.deepEqual(parseApply('groupby((msdyn_processingstatus),aggregate($count as count))'), {
      steps: [{ kind: 'groupby', properties: ['msdyn_processingstatus'], aggregations: [{ kind: 'count', alias: 'count' }] }],
    });
    assert.deepEqual(parseApply('aggregate(totalamount with sum as total, $count as n)'), {
      steps: [{
        kind: 'aggregate',
        aggregations: [
          { kind: 'method', property: 'totalamount', method: 'sum', alias: 'total' },
          { kind: 'count', alias: 'n' },
        ],
      }],
    });
    const chained = parseApply("filter(statecode eq 0 and contains(name,'/'))/groupby((statecode,statuscode))");
    assert.deepEqual(chained.steps.map((s) => s.kind), ['filter', 'groupby']);
  });

  it('counts per group, groups in ascending order with nulls first and left out of their object', () => {
    assert.deepEqual(aggregate('groupby((msdyn_processingstatus),aggregate($count as count))'), [
      { count: 1 },
      { msdyn_processingstatus: 192350000, count: 2 },
      { msdyn_processingstatus: 192350001, count: 1 },
      { msdyn_processingstatus: 192350004, count: 1 },
    ]);
  });

  it('counts and sums over all rows', () => {
    assert.deepEqual(aggregate('aggregate($count as count)'), [{ count: 5 }]);
    // 150.25 + 99.75 + 1000 + 0.1 (null ignored), without floating-point noise.
    assert.deepEqual(aggregate('aggregate(totalamount with sum as total)'), [{ total: 1250.1 }]);
    assert.deepEqual(aggregate('aggregate(totalamount with sum as total,$count as n)', []), [{ total: null, n: 0 }]);
  });

  it('applies filters before grouping, with lookups and functions', () => {
    assert.deepEqual(
      aggregate(`filter(_customerid_value eq ${ids.contoso})/groupby((statecode),aggregate($count as count,totalamount with sum as total))`),
      [
        { statecode: 0, count: 1, total: 150.25 },
        { statecode: 1, count: 1, total: 99.75 },
        { statecode: 3, count: 1, total: 0.1 },
      ],
    );
    assert.deepEqual(aggregate("filter(contains(ordernumber,'ORD-1'))/filter(statecode ne 3)/aggregate($count as count)"), [{ count: 2 }]);
  });

  it('computes average, min, max (dates as ISO strings) and countdistinct', () => {
    assert.deepEqual(aggregate('aggregate(totalamount with average as avg,totalamount with min as low,totalamount with max as high)'),
      [{ avg: 312.525, low: 0.1, high: 1000 }]);
    assert.deepEqual(aggregate('aggregate(createdon with max as lastCreate,createdon with min as firstCreate)'),
      [{ lastCreate: '2025-03-05T10:00:00Z', firstCreate: '2025-02-01T10:00:00Z' }]);
    assert.deepEqual(aggregate('aggregate(_customerid_value with countdistinct as customers)'), [{ customers: 3 }]);
  });

  it('groups by several properties, by lookup value, and by a lookup path named after the related table', () => {
    assert.deepEqual(aggregate('groupby((statecode,statuscode))'), [
      { statecode: 0, statuscode: 1 },
      { statecode: 1, statuscode: 2 },
      { statecode: 2, statuscode: 3 },
      { statecode: 3, statuscode: 1 },
    ]);
    assert.deepEqual(aggregate('groupby((_customerid_value),aggregate($count as n))').map((g) => [g._customerid_value, g.n]), [
      [ids.contoso, 3],
      [ids.fabrikam, 1],
      [ids.bob, 1],
    ]);
    assert.deepEqual(aggregate('groupby((primarycontactid/fullname),aggregate(revenue with sum as total))', data.account, account), [
      { total: null },
      { contact_fullname: 'Ann Émile', total: 1000000 },
      { contact_fullname: 'Bob Builder', total: 50000.5 },
    ]);
  });

  it('groups strings case-insensitively, as the database collation does', () => {
    const rows: StoredRow[] = [
      { contactid: 'aaaaaaaa-0000-4000-8000-00000000000a', lastname: 'Smith' },
      { contactid: 'aaaaaaaa-0000-4000-8000-00000000000b', lastname: 'SMITH' },
      { contactid: 'aaaaaaaa-0000-4000-8000-00000000000c', lastname: 'Jones' },
    ];
    assert.deepEqual(aggregate('groupby((lastname),aggregate($count as n))', rows, contact), [
      { lastname: 'Jones', n: 1 },
      { lastname: 'Smith', n: 2 },
    ]);
  });

  it('returns the rows for an $apply of filters only', () => {
    const result = aggregate('filter(statecode eq 2)');
    assert.deepEqual(result.map((r) => r.name), ['Personal order']);
  });

  it('is reachable from parseQueryOptions', () => {
    const parsed = parseQueryOptions('$apply=groupby((msdyn_processingstatus),aggregate($count as count))', salesorder, tableOf);
    assert.equal(applyAggregation(parsed.apply!, data.salesorder, salesorder, ctx).length, 4);
  });

  it('refuses syntax errors with positions', () => {
    const refuses = (text: string, message: string) =>
      assert.throws(() => parseApply(text), (e: unknown) => e instanceof ODataQueryError && e.message === message);
    refuses('', "Expression expected at position 0 in ''.");
    refuses('groupby(statecode)', "'(' expected at position 8 in 'groupby(statecode)'.");
    refuses('aggregate($count)', "Syntax error at position 16 in 'aggregate($count)'.");
    refuses('aggregate($count as n,$count as n)', "Syntax error at position 22 in 'aggregate($count as n,$count as n)'.");
    refuses('groupby((statecode),filter(x eq 1))', "'aggregate' expected at position 20 in 'groupby((statecode),filter(x eq 1))'.");
    refuses('filter(statecode eq 1', "')' or operator expected at position 21 in 'filter(statecode eq 1'.");
  });
});

describe('compareRows', () => {
  const order = (orderBy: { column: string; descending: boolean }[], rows = data.salesorder, names?: Parameters<typeof compareRows>[2]) =>
    [...rows].sort(compareRows(orderBy, salesorder, names)).map((r) => r.name);

  it('orders numbers ascending with nulls first, descending with nulls last', () => {
    assert.deepEqual(order([{ column: 'totalamount', descending: false }]),
      ['Personal order', 'third order ', 'Second order', 'First order', '50% off sale']);
    assert.deepEqual(order([{ column: 'totalamount', descending: true }]),
      ['50% off sale', 'First order', 'Second order', 'third order ', 'Personal order']);
  });

  it('orders strings case-insensitively', () => {
    assert.deepEqual(order([{ column: 'ordernumber', descending: false }]),
      ['First order', 'Second order', 'third order ', '50% off sale', 'Personal order']);
    const rows: StoredRow[] = ['b', 'A', 'a', 'É', 'e', 'C'].map((name, i) => ({
      salesorderid: `00000000-0000-4000-8000-00000000000${i}`,
      name,
    }));
    assert.deepEqual(order([{ column: 'name', descending: false }], rows), ['A', 'a', 'b', 'C', 'É', 'e']);
  });

  it('orders dates, choices by value, and several columns', () => {
    assert.deepEqual(order([{ column: 'createdon', descending: true }]),
      ['third order ', 'Personal order', '50% off sale', 'Second order', 'First order']);
    assert.deepEqual(order([{ column: 'statuscode', descending: false }, { column: 'totalamount', descending: true }]),
      ['50% off sale', 'First order', 'third order ', 'Second order', 'Personal order']);
  });

  it('orders lookups by the related row\'s primary name when it can, by GUID otherwise', () => {
    assert.deepEqual(order([{ column: '_customerid_value', descending: false }], data.salesorder, contextFor(salesorder, data)),
      // Bob Builder (contact) < Contoso Ltd < Fabrikam, Inc.; ties by primary key.
      ['Personal order', 'First order', 'Second order', 'third order ', '50% off sale']);
    assert.deepEqual(order([{ column: 'customerid', descending: false }]),
      ['First order', 'Second order', 'third order ', '50% off sale', 'Personal order']);
  });

  it('breaks ties by primary key so that paging is stable', () => {
    const rows: StoredRow[] = Array.from({ length: 50 }, (_, i) => ({
      salesorderid: `00000000-0000-4000-8000-${String((i * 37) % 50).padStart(12, '0')}`,
      statecode: i % 2,
    }));
    const sorted = [...rows].sort(compareRows([{ column: 'statecode', descending: false }], salesorder));
    const reversed = [...rows].reverse().sort(compareRows([{ column: 'statecode', descending: false }], salesorder));
    assert.deepEqual(sorted, reversed);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1], sorted[i]];
      assert.ok((a.statecode as number) < (b.statecode as number)
        || (a.statecode === b.statecode && (a.salesorderid as string) < (b.salesorderid as string)));
    }
  });

  it('refuses unknown columns', () => {
    assert.throws(() => compareRows([{ column: 'nosuch', descending: false }], salesorderdetail),
      (e: unknown) => e instanceof ODataQueryError
        && e.message === "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.salesorderdetail'.");
  });
});
