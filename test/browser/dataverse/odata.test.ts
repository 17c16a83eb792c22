import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  buildQueryString,
  dateOnly,
  dateTime,
  entityPath,
  escapeODataString,
  filterFor,
  guid,
  odataLiteral,
  parseODataLiteral,
  preferHeader,
  where,
  DataverseError,
} from '../../../src/dataverse/index.js';

const ID = '3FA85F64-5717-4562-B3FC-2C963F66AFA6';
const id = ID.toLowerCase();

/** Decodes a query string the way ASP.NET / URLSearchParams do (so `+` must have been encoded). */
function decoded(query: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query.replace(/^\?/, '')));
}

function refused(fn: () => unknown, code?: string): DataverseError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(DataverseError);
    const e = error as DataverseError;
    expect(e.kind).to.equal('validation');
    expect(e.status).to.equal(0);
    if (code) expect(e.code).to.equal(code);
    return e;
  }
  throw new Error('expected a DataverseError');
}

describe('odataLiteral: the one escaping helper', () => {
  it('quotes strings and doubles single quotes', () => {
    expect(odataLiteral("O'Brien")).to.equal("'O''Brien'");
    expect(odataLiteral("a' or 1 eq 1 or 'x")).to.equal("'a'' or 1 eq 1 or ''x'");
    expect(odataLiteral("''")).to.equal("''''''");
    expect(escapeODataString("it's")).to.equal("it''s");
  });

  it('writes numbers, booleans, null, bigint; refuses NaN and Infinity', () => {
    expect(odataLiteral(42)).to.equal('42');
    expect(odataLiteral(-1.5)).to.equal('-1.5');
    expect(odataLiteral(-0)).to.equal('0');
    expect(odataLiteral(true)).to.equal('true');
    expect(odataLiteral(false)).to.equal('false');
    expect(odataLiteral(null)).to.equal('null');
    expect(odataLiteral(12345678901234567890n)).to.equal('12345678901234567890');
    refused(() => odataLiteral(Number.NaN), 'InvalidLiteral');
    refused(() => odataLiteral(Number.POSITIVE_INFINITY), 'InvalidLiteral');
  });

  it('writes GUIDs unquoted and lower case, and validates them', () => {
    expect(odataLiteral(guid(ID))).to.equal(id);
    expect(odataLiteral(guid(`{${ID}}`))).to.equal(id);
    refused(() => guid("3fa85f64' or 1 eq 1"), 'InvalidGuid');
    refused(() => guid('3fa85f64-5717-4562-b3fc-2c963f66afa'), 'InvalidGuid');
  });

  it('writes dates as ISO 8601 unquoted, date-only as YYYY-MM-DD', () => {
    expect(odataLiteral(new Date(Date.UTC(2025, 0, 1)))).to.equal('2025-01-01T00:00:00.000Z');
    expect(odataLiteral(dateTime('2025-01-01T00:00:00Z'))).to.equal('2025-01-01T00:00:00Z');
    expect(odataLiteral(dateTime('2025-06-30T09:15:00+02:00'))).to.equal('2025-06-30T09:15:00+02:00');
    expect(odataLiteral(dateOnly('2024-02-29'))).to.equal('2024-02-29');
    expect(odataLiteral(dateOnly(new Date(2025, 2, 1, 23, 30)))).to.equal('2025-03-01');
    refused(() => dateOnly('2025-02-29'), 'InvalidLiteral');
    refused(() => dateOnly('2025-1-1'), 'InvalidLiteral');
    refused(() => dateTime('2025-01-01T00:00:00'), 'InvalidLiteral'); // no zone: ambiguous
    refused(() => odataLiteral(new Date('nope')), 'InvalidLiteral');
  });

  it('refuses text with an unpaired surrogate (it cannot be URL-encoded)', () => {
    refused(() => odataLiteral('bad \uD800 text'), 'InvalidLiteral');
    expect(odataLiteral('ok 😀')).to.equal("'ok 😀'");
  });

  it('is the exact inverse of parseODataLiteral for any string, number and boolean', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const parsed = parseODataLiteral(odataLiteral(text));
        return parsed?.type === 'string' && parsed.value === text;
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const parsed = parseODataLiteral(odataLiteral(n));
        return parsed?.type === 'number' && parsed.value === (Object.is(n, -0) ? 0 : n);
      }),
    );
    expect(parseODataLiteral(odataLiteral(guid(ID)))).to.deep.equal({ type: 'guid', value: id });
    expect(parseODataLiteral('2025-03-01')).to.deep.equal({ type: 'date', value: '2025-03-01' });
    expect(parseODataLiteral('2025-03-01T09:00:00Z')).to.deep.equal({ type: 'datetime', value: '2025-03-01T09:00:00Z' });
    expect(parseODataLiteral('null')).to.deep.equal({ type: 'null', value: null });
    expect(parseODataLiteral("'unbalanced ' quote'")).to.equal(undefined);
    expect(parseODataLiteral('name')).to.equal(undefined);
  });
});

describe('where: the filter builder', () => {
  it('builds comparisons with every operator', () => {
    expect(where.eq('statecode', 0).text).to.equal('statecode eq 0');
    expect(where.ne('name', null).text).to.equal('name ne null');
    expect(where.gt('totalamount', 100.5).text).to.equal('totalamount gt 100.5');
    expect(where.ge('createdon', dateTime('2025-01-01T00:00:00Z')).text).to.equal('createdon ge 2025-01-01T00:00:00Z');
    expect(where.lt('msdyn_requestedreceiptdate', dateOnly('2025-03-01')).text).to.equal('msdyn_requestedreceiptdate lt 2025-03-01');
    expect(where.le('quantity', 5).text).to.equal('quantity le 5');
    expect(where.eq('primarycontactid/fullname', "O'Brien").text).to.equal("primarycontactid/fullname eq 'O''Brien'");
  });

  it('builds string functions with escaped text', () => {
    expect(where.contains('name', "a' or 1 eq 1 or 'x").text).to.equal("contains(name,'a'' or 1 eq 1 or ''x')");
    expect(where.startsWith('ordernumber', 'ORD-').text).to.equal("startswith(ordernumber,'ORD-')");
    expect(where.endsWith('emailaddress', '@contoso.com').text).to.equal("endswith(emailaddress,'@contoso.com')");
  });

  it('compares lookups through _x_value with unquoted, validated GUIDs', () => {
    expect(where.lookup('customerid', ID).text).to.equal(`_customerid_value eq ${id}`);
    expect(where.lookup('customerid', null).text).to.equal('_customerid_value eq null');
    expect(where.eq('_customerid_value', ID).text).to.equal(`_customerid_value eq ${id}`);
    refused(() => where.eq('_customerid_value', "x' or 1 eq 1"), 'InvalidGuid');
    expect(where.lookupOneOf('customerid', [ID, '00000000-0000-0000-0000-000000000001']).text).to.equal(
      `(_customerid_value eq ${id} or _customerid_value eq 00000000-0000-0000-0000-000000000001)`,
    );
  });

  it('parenthesises only where precedence needs it', () => {
    const a = where.eq('a', 1);
    const b = where.eq('b', 2);
    const c = where.eq('c', 3);
    expect(where.and(a, b)!.text).to.equal('a eq 1 and b eq 2');
    expect(where.or(a, b)!.text).to.equal('a eq 1 or b eq 2');
    expect(where.and(where.or(a, b), c)!.text).to.equal('(a eq 1 or b eq 2) and c eq 3');
    expect(where.or(where.and(a, b), c)!.text).to.equal('a eq 1 and b eq 2 or c eq 3');
    expect(where.not(a).text).to.equal('not (a eq 1)');
    expect(where.not(where.contains('name', 'x')).text).to.equal("not contains(name,'x')");
    expect(where.not(where.and(a, b)!).text).to.equal('not (a eq 1 and b eq 2)');
    expect(where.oneOf('statuscode', [1, 2]).text).to.equal('(statuscode eq 1 or statuscode eq 2)');
    expect(where.and(where.oneOf('statuscode', [1, 2]), c)!.text).to.equal('(statuscode eq 1 or statuscode eq 2) and c eq 3');
  });

  it("searches for the user's text literally: Dataverse's LIKE wildcards are bracketed", () => {
    expect(where.contains('name', '50%_off [new]').text).to.equal("contains(name,'50[%][_]off [[]new]')");
    expect(where.startsWith('name', "O'_").text).to.equal("startswith(name,'O''[_]')");
    expect(where.endsWith('name', 'plain').text).to.equal("endswith(name,'plain')");
  });

  it('skips falsy parts so optional conditions read naturally', () => {
    const search = '';
    expect(where.and(where.eq('a', 1), search && where.contains('name', search), undefined)!.text).to.equal('a eq 1');
    expect(where.and(false, null)).to.equal(undefined);
  });

  it('refuses bad column names, empty oneOf and too many conditions', () => {
    refused(() => where.eq('name eq 1 or x', 1), 'InvalidIdentifier');
    refused(() => where.eq("name'", 1), 'InvalidIdentifier');
    refused(() => where.contains('a//b', 'x'), 'InvalidIdentifier');
    refused(() => where.oneOf('statuscode', []), 'InvalidFilter');
    refused(() => where.oneOf('statuscode', Array.from({ length: 501 }, (_, i) => i)), 'InvalidFilter');
    refused(() => where.lookup('customer id', ID), 'InvalidIdentifier');
  });

  it('accepts only built filters (no pasted strings)', () => {
    refused(() => where.and(where.eq('a', 1), "b eq 2 or 1 eq 1" as never), 'InvalidFilter');
    refused(() => buildQueryString({ filter: 'statecode eq 0' as never }), 'InvalidFilter');
  });

  it('types column and lookup names from the row type', () => {
    interface Order {
      name: string;
      statuscode: number;
      _customerid_value: string | null;
    }
    const f = filterFor<Order>();
    expect(f.and(f.eq('statuscode', 1), f.lookup('customerid', ID))!.text).to.equal(`statuscode eq 1 and _customerid_value eq ${id}`);
    // @ts-expect-error — not a column of Order
    expect(() => f.eq('nosuchcolumn', 1)).not.to.throw();
    // @ts-expect-error — not a lookup of Order
    expect(() => f.lookup('name', ID)).not.to.throw();
  });
});

describe('buildQueryString: typed query → URL', () => {
  it('encodes every option value with encodeURIComponent', () => {
    const hostile = "+&#%;/?=@,$ a' or 1 eq 1 or 'x ünï 😀";
    const query = buildQueryString({ select: ['name', 'ordernumber'], filter: where.contains('name', hostile), top: 10 });
    expect(query).to.not.match(/[+#\s]/);
    expect(query.split('&')).to.have.length(3);
    const options = decoded(query);
    expect(options.$select).to.equal('name,ordernumber');
    expect(options.$filter).to.equal(`contains(name,'${hostile.replace(/'/g, "''").replace('%', '[%]')}')`);
    expect(options.$top).to.equal('10');
  });

  it('writes orderBy, count and nested expand options separated by ;', () => {
    const query = buildQueryString({
      select: ['name'],
      orderBy: { createdon: 'desc', name: 'asc' },
      count: true,
      expand: {
        order_details: {
          select: ['quantity', 'priceperunit'],
          filter: where.gt('quantity', 0),
          orderBy: { sequencenumber: 'asc' },
          top: 50,
          expand: { productid: { select: ['name'] } },
        },
        customerid_account: true,
      },
    });
    const options = decoded(query);
    expect(options.$orderby).to.equal('createdon desc,name');
    expect(options.$count).to.equal('true');
    expect(options.$expand).to.equal(
      'order_details($select=quantity,priceperunit;$filter=quantity gt 0;$orderby=sequencenumber;$top=50;$expand=productid($select=name)),customerid_account',
    );
    expect(Object.keys(options)).to.deep.equal(['$select', '$orderby', '$expand', '$count']);
  });

  it('validates names and numbers', () => {
    refused(() => buildQueryString({ select: ['name,ordernumber'] }), 'InvalidIdentifier');
    refused(() => buildQueryString({ select: [] }), 'InvalidQuery');
    refused(() => buildQueryString({ top: 0 }), 'InvalidQuery');
    refused(() => buildQueryString({ top: 1.5 }), 'InvalidQuery');
    refused(() => buildQueryString({ orderBy: { 'name desc': 'asc' } }), 'InvalidIdentifier');
    refused(() => buildQueryString({ orderBy: { name: 'down' as never } }), 'InvalidQuery');
    refused(() => buildQueryString({ expand: { 'a(b)': true } }), 'InvalidIdentifier');
    expect(buildQueryString({})).to.equal('');
    expect(buildQueryString(undefined)).to.equal('');
  });
});

describe('entityPath and preferHeader', () => {
  it('builds row paths by GUID or alternate key, encoded', () => {
    expect(entityPath('salesorders')).to.equal('salesorders');
    expect(entityPath('salesorders', ID)).to.equal(`salesorders(${id})`);
    expect(entityPath('accounts', { accountnumber: "C/1 & O'B" })).to.equal("accounts(accountnumber='C%2F1%20%26%20O''B')");
    expect(entityPath('accounts', { accountnumber: 'C1', msdyn_company: guid(ID) })).to.equal(`accounts(accountnumber='C1',msdyn_company=${id})`);
    refused(() => entityPath('salesorders', 'not-a-guid'), 'InvalidGuid');
    refused(() => entityPath('sales orders'), 'InvalidIdentifier');
    refused(() => entityPath('accounts', {}), 'InvalidKey');
  });

  it('joins preferences and validates them', () => {
    expect(preferHeader({})).to.equal(undefined);
    expect(preferHeader({ annotations: true, maxPageSize: 50, returnRepresentation: true, trackChanges: true })).to.equal(
      'return=representation,odata.include-annotations="*",odata.maxpagesize=50,odata.track-changes',
    );
    expect(
      preferHeader({ annotations: ['OData.Community.Display.V1.FormattedValue', 'Microsoft.Dynamics.CRM.lookuplogicalname'] }),
    ).to.equal('odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname"');
    expect(preferHeader({ annotations: false })).to.equal(undefined);
    refused(() => preferHeader({ maxPageSize: 5001 }), 'InvalidPreference');
    refused(() => preferHeader({ annotations: ['x"\r\nEvil: 1'] }), 'InvalidPreference');
  });
});
