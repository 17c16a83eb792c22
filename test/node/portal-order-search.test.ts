/**
 * The order list's search text and sort, as the domain service sends them: text cut between characters and
 * well-formed (so it can always be URL-encoded and searched), and "newest first" that puts orders placed within
 * the same second in the order they were numbered. The filters are read back by the emulator's OData parser.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildQueryString } from '../../src/dataverse/odata.js';
import { parseFilter } from '../../src/emulator/odata/index.js';
import { MAX_SEARCH_LENGTH, orderListFilter, orderListOrderBy, searchTextOf } from '../../src/portal/orders.js';
import type { PortalSession } from '../../src/portal/session.js';

const session: PortalSession = {
  contact: { id: '00000000-0000-0000-0000-000000000020', name: 'Alice Archer', email: 'alice@contoso.example' },
  account: { id: '00000000-0000-0000-0000-000000000010', name: 'Contoso', number: 'C-001' },
  company: null,
  currency: null,
  priceList: null,
  language: null,
  roles: ['customer-representative'],
};

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The string literal of the first `contains(…)` of a list filter, as the server reads it. */
function searchedFor(search: string): string {
  const query = buildQueryString({ filter: orderListFilter(session, { search }) });
  const filter = new URLSearchParams(query.slice(1)).get('$filter')!;
  const found = /contains\(msdyn_salesordernumber,'((?:[^']|'')*)'\)/.exec(filter);
  assert.ok(found, filter);
  assert.doesNotThrow(() => parseFilter(filter));
  return found[1]!.replace(/''/g, "'");
}

describe('order list search text', () => {
  it('cuts long text to 100 code units without halving a character', () => {
    for (const text of [`${'A'.repeat(99)}😀`, `${'B'.repeat(98)} 🇺🇸 flag`, `${'é'.repeat(99)}👩‍👩‍👧`, `${'x'.repeat(100)}😀`]) {
      const cut = searchTextOf(text);
      assert.ok(cut.length <= MAX_SEARCH_LENGTH, `${cut.length} units`);
      assert.ok(!LONE.test(cut), `no unpaired surrogate in ${JSON.stringify(cut.slice(-3))}`);
      assert.ok(text.startsWith(cut));
      assert.ok(cut.length >= MAX_SEARCH_LENGTH - 1);
      // and the list can search for it (the client used to refuse the halved emoji)
      assert.equal(searchedFor(text), cut);
    }
  });

  it('keeps short text as typed (trimmed)', () => {
    assert.equal(searchTextOf("  O'Neil 😀  "), "O'Neil 😀");
    assert.equal(searchedFor("  O'Neil 😀  "), "O'Neil 😀");
  });

  it('turns unpaired surrogates from a script into U+FFFD, as UTF-8 encoding would', () => {
    assert.equal(searchTextOf('a\uD83Db'), 'a\uFFFDb');
    assert.equal(searchTextOf('\uDE00tail'), '\uFFFDtail');
    assert.equal(searchedFor('order \uD83D'), 'order \uFFFD');
  });
});

describe('order list sort', () => {
  it('newest first: by creation time, then by order number (same second), then by id', () => {
    const query = buildQueryString({ orderBy: orderListOrderBy() });
    assert.equal(new URLSearchParams(query.slice(1)).get('$orderby'), 'createdon desc,ordernumber desc,salesorderid desc');
    const oldest = buildQueryString({ orderBy: orderListOrderBy({ column: 'date', direction: 'asc' }) });
    assert.equal(new URLSearchParams(oldest.slice(1)).get('$orderby'), 'createdon,ordernumber,salesorderid');
  });
});
