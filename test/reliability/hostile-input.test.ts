/**
 * Hostile input: property-based tests (fast-check) over every text a customer can type that reaches a query —
 * the order list's search, the order form's Product search and quick add — and the texts that reach an order —
 * customer reference and requisition number.
 *
 * For every generated text, typed through the element's own field and sent with its own button or key:
 * - every request that leaves the client has exactly the query options of its template, each once, read the way
 *   the server reads them;
 * - its `$filter`, parsed by the emulator's OData parser, is exactly the template's tree with the typed text as
 *   one string literal (quotes, `%`, `_`, `[`, `&`, `+`, `#`, RTL, emoji, `' or 1 eq 1` … all stay inside it):
 *   never malformed, never widened;
 * - the emulator (which parses every filter and would answer 400) answers 200, and the element shows results,
 *   not an error;
 * - a reference or requisition number is stored exactly as typed (trimmed), and searching the list for it finds
 *   that order.
 *
 * Full scale: 3,000 list searches, 3,000 product searches, 1,000 quick adds, 200 orders; short: 150, 150, 60, 12.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import fc from 'fast-check';
import '../../src/elements/order-list/order-list.js';
import '../../src/elements/order-form/order-form.js';
import type { ScmOrderForm } from '../../src/elements/order-form/order-form.js';
import type { ScmOrderList } from '../../src/elements/order-list/order-list.js';
import { byScale, printFigures, runSettings, type RunSettings } from './support/settings.js';
import { isApi, recordingFetch, type RecordingFetch } from './support/recorder.js';
import { disposePortals, renderPortal, targetFor, type EmulatorUser, type Target } from './support/target.js';
import { catalogueOf, dayFromToday, field, formReady, placeOrder, press, shadowOf, textOf, typeInto, type CatalogueItem } from './support/form-driver.js';
import { filterProblem, literalPattern, template, withinLength } from './support/filters.js';

type Json = Record<string, unknown>;

/** Pieces hostile text is made of: OData and URL syntax, quotes, LIKE wildcards, controls, bidi, emoji, markup. */
const FRAGMENTS = [
  "'", "''", "'''", '"', '%', '_', '[', ']', '[%]', '[_]', '[[]', '^', '-', '*', '?', '&', '$', '#', '=', '+', '/', '\\', '(', ')', ',', ';',
  ':', '@', '!', '~', '`', '{', '}', '|', ' or 1 eq 1', ' and ', ' or ', ' eq ', 'null', "')", "') or (1 eq 1", "' or 'a' eq 'a",
  ' or contains(name,', '$filter=', '&$top=5000', '&$filter=', '%27', '%2527', '%00', '%26', '+%2B', '\u0000', '\u0001', '\t', '\n', '\r\n',
  '\u00a0', '\u200b', '\u200d', '\u202e', '\u2066', '\u2069', '\ufeff', 'é', 'e\u0301', 'ß', 'İ', 'ﬁ', 'Σ', '😀', '👩‍👩‍👧', '🇺🇸', '📦',
  'עברית', 'العربية', '中文', '<script>', '</script>', '<img src=x onerror=alert(1)>', '{{7*7}}', '${7*7}', '  ', "O'Neil", 'D0001', 'SO-00',
  'ORD-', 'PO 12', 'A'.repeat(40),
] as const;

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 6 }) },
);

/** Text a customer might type or paste (no unpaired surrogates: a keyboard or a paste cannot produce them). */
const typedText = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

/** Long pasted text (a product name copied from elsewhere) that may put an emoji across the 100th character. */
const pastedText = fc
  .tuple(fc.string({ unit: 'grapheme-ascii', minLength: 90, maxLength: 104 }), fc.constantFrom('😀', '🇺🇸', '👩‍👩‍👧', 'é', '中'), typedText)
  .map((parts) => parts.join(''));

/** A quick-add box: item lines (`item, quantity` with any separator quick add accepts) and junk lines. */
const quickAddBox = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('').replace(/[\s,;]/g, '')).filter((t) => t !== ''),
          fc.constantFrom(', ', ',', ';', '\t', ' ', ' , '),
          fc.array(piece, { minLength: 1, maxLength: 2 }).map((p) => p.join('').replace(/\s/g, '')).filter((t) => t !== ''),
        )
        .map(([item, separator, quantity]) => ({ item, line: `${item}${separator}${quantity}` })),
    },
    { weight: 1, arbitrary: typedText.map((line) => ({ item: undefined, line: line.replace(/\r?\n/g, ' ') })) },
  ),
  { minLength: 1, maxLength: 12 },
);

/** Onto the Items step of the form (a receipt date is all the first step still needs). */
async function toItems(form: ScmOrderForm): Promise<void> {
  if (form.step === 'items') return;
  await typeInto(form, field(form, 'Requested receipt date'), dayFromToday(10));
  await press(form, 'Next');
  if ((form.step as string) !== 'items') throw new Error(`Next did not lead to Items: ${textOf(shadowOf(form)).slice(0, 800)}`);
}

describe('Reliability: hostile input never leaves the client as a malformed or widened $filter', function () {
  this.timeout(90 * 60 * 1000);

  let settings: RunSettings;
  let target: Target;
  let buyer: EmulatorUser;
  let priceList: string;
  let catalogue: CatalogueItem[];
  let list: ScmOrderList;
  let form: ScmOrderForm;
  let recorder: RecordingFetch;
  const figures: Record<string, unknown> = {};

  before(async () => {
    settings = await runSettings();
    target = targetFor(settings);
    buyer = (await target.users()).find((u) => u.accountNumber === 'US-009' && u.webRoles.includes('authorized-user'))!;
    const contact = await target.admin.get<Json>(`contacts(${buyer.contactId})?$select=_defaultpricelevelid_value`);
    priceList = String(contact._defaultpricelevelid_value);
    catalogue = await catalogueOf(target.admin, buyer);
    sessionStorage.clear();
    const lane = await target.powerPagesLane(buyer);
    recorder = recordingFetch(lane.fetch);
    const { portal } = await renderPortal(
      lane,
      html`<scm-order-list live-interval="0" page-size="5"></scm-order-list><scm-order-form sync-interval="0"></scm-order-form>`,
      { fetch: recorder, persistent: true },
    );
    list = portal.querySelector('scm-order-list')!;
    form = portal.querySelector('scm-order-form')!;
    await waitUntil(() => shadowOf(list).querySelector('tbody [part="number"]'), 'the list did not load', { timeout: 30000 });
    await formReady(form);
  });

  after(() => {
    disposePortals();
    printFigures(`hostile input: cases tried (${target.kind} emulator)`, figures);
  });

  /** Runs a property, prints its seed and counts, and fails with fast-check's report (counterexample shrunk). */
  async function check<T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, body: (value: T) => Promise<string | undefined>) {
    let cases = 0;
    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (value) => {
        cases++;
        const problem = await body(value);
        if (problem) throw new Error(problem);
      }),
      // Shrinking replays the element dozens of times: the full run shrinks a failure to a small counterexample,
      // the short one (inside `npm test`) reports the first failing text as found.
      { numRuns, endOnFailure: settings.scale === 'short' },
    );
    figures[name] = `${cases} cases (${details.numRuns} runs + ${details.numShrinks} shrinks), seed ${details.seed}, ${details.failed ? 'FAILED' : 'all passed'}`;
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`${name}: ${cause}\n${fc.defaultReportMessage(details) ?? ''}`);
    }
  }

  const scope = () => [template.eq('_customerid_value', template.guid(buyer.accountId)), template.eq('_msdyn_contactperson_value', template.guid(buyer.contactId))];
  const LIST_OPTIONS = ['$select', '$filter', '$orderby', '$expand', '$count'];
  const PRODUCT_OPTIONS = ['$select', '$filter', '$expand', '$orderby', '$top'];
  const sellable = () => [template.eq('_pricelevelid_value', template.guid(priceList)), template.eq('productid/statecode', template.number(0))];

  it('the order list search: every text typed (up to its 100 characters) gives exactly the search template', async () => {
    const search = shadowOf(list).querySelector<HTMLInputElement>('input[type="search"]')!;
    expect(search.maxLength, 'the search field\'s maxlength').to.equal(100);
    let applied = '';
    let requests = 0;
    await check('order list search', fc.oneof(typedText, pastedText), byScale(settings, { full: 3000, short: 150 }), async (text) => {
      search.value = withinLength(text, search.maxLength); // what the field lets one type (the browser also drops line breaks)
      const typed = search.value;
      search.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      const mark = recorder.mark();
      search.form!.requestSubmit(); // Enter
      await list.updateComplete;
      await list.updateComplete;
      await waitUntil(() => !list.matches(':state(loading)') && recorder.inFlight === 0, 'the search did not finish', { timeout: 30000 });
      const sent = recorder.since(mark).filter(isApi);
      const wanted = typed.trim();
      const expectRequest = wanted !== applied;
      applied = wanted;
      if (!expectRequest) return sent.length === 0 ? undefined : `no request expected for the same search, ${sent.length} sent`;
      if (sent.length !== 1) return `one request expected, ${sent.length} sent: ${sent.map((r) => r.url).join(' ')}`;
      requests++;
      const [request] = sent;
      const terms = ['msdyn_salesordernumber', 'ordernumber', 'msdyn_customersorderreference', 'msdyn_customerrequisitionnumber'];
      const expected = template.and(...scope(), ...(wanted ? [template.or(...terms.map((c) => template.call('contains', c, literalPattern(wanted))))] : []));
      const problem = filterProblem(request!.url, LIST_OPTIONS, expected);
      if (problem) return `search ${JSON.stringify(typed)}: ${problem}`;
      if (request!.status !== 200) return `search ${JSON.stringify(typed)}: the emulator answered ${request!.status}`;
      if (list.matches(':state(error)')) return `search ${JSON.stringify(typed)}: the list shows an error: ${textOf(shadowOf(list).querySelector('[part="error"]'))}`;
      return undefined;
    });
    figures['order list search requests checked'] = requests;
  });

  it('the order list\'s search attribute (a host page passes its ?search=) with long text: searched, not refused', async () => {
    // The field stops at 100 characters; a host page's attribute does not, and the list cuts it to 100.
    const cases = [`${'A'.repeat(99)}😀`, `${'B'.repeat(98)} 🇺🇸 flag`, `${'é'.repeat(99)}👩‍👩‍👧`];
    const outcomes: string[] = [];
    for (const text of cases) {
      const mark = recorder.mark();
      list.setAttribute('search', text);
      await list.updateComplete;
      await list.updateComplete;
      await waitUntil(() => !list.matches(':state(loading)') && recorder.inFlight === 0, 'the search did not finish', { timeout: 30000 });
      const sent = recorder.since(mark).filter(isApi);
      outcomes.push(list.matches(':state(error)') ? `error: ${textOf(shadowOf(list).querySelector('[part="error"]'))}` : `${sent.length} request(s), answered ${sent.map((r) => r.status).join(',')}`);
    }
    list.removeAttribute('search');
    await list.updateComplete;
    await waitUntil(() => !list.matches(':state(loading)') && recorder.inFlight === 0);
    figures['order list search attribute, 100+ characters'] = outcomes;
    expect(outcomes, 'each long search runs (one request, 200) instead of failing').to.deep.equal(cases.map(() => '1 request(s), answered 200'));
  });

  it('the order form\'s Product search: every text typed or pasted gives exactly the product search template', async () => {
    await toItems(form);
    const product = field(form, 'Product');
    let searched = '';
    let requests = 0;
    await check('product search', fc.oneof(typedText, pastedText), byScale(settings, { full: 3000, short: 150 }), async (text) => {
      product.value = text;
      const typed = product.value; // line breaks dropped by the field
      product.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      const mark = recorder.mark();
      product.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
      await form.updateComplete;
      await form.updateComplete;
      await waitUntil(() => recorder.inFlight === 0 && !/Searching/.test(textOf(shadowOf(form).querySelector('#product-status'))), 'the product search did not finish', { timeout: 30000 });
      const sent = recorder.since(mark).filter(isApi);
      const wanted = typed.trim();
      const expectRequest = wanted !== '' && typed !== searched;
      if (wanted === '' || expectRequest) searched = wanted === '' ? '' : typed;
      const status = textOf(shadowOf(form).querySelector('#product-status'));
      if (!expectRequest) return sent.length === 0 ? undefined : `no request expected, ${sent.length} sent`;
      if (sent.length !== 1) {
        return `product search ${JSON.stringify(typed)} (${typed.length} characters): one request expected, ${sent.length} sent; the form says "${status}"`;
      }
      requests++;
      // The service searches for the first 100 characters of the text (cut without splitting a character).
      const prefixes = new Set([withinLength(wanted, 100), [...wanted].slice(0, 100).join('')]);
      if (!/[\uD800-\uDBFF]$/.test(wanted.slice(0, 100))) prefixes.add(wanted.slice(0, 100));
      const problems = [...prefixes].map((prefix) => {
        const literal = literalPattern(prefix);
        const expected = template.and(...sellable(), template.or(template.call('startswith', 'productid/msdyn_productnumber', literal), template.call('contains', 'productid/name', literal)));
        return filterProblem(sent[0]!.url, PRODUCT_OPTIONS, expected);
      });
      if (problems.every(Boolean)) return `product search ${JSON.stringify(typed)}: ${problems[0]}`;
      if (sent[0]!.status !== 200) return `product search ${JSON.stringify(typed)}: the emulator answered ${sent[0]!.status}`;
      if (/couldn't/.test(status)) return `product search ${JSON.stringify(typed)}: the form says "${status}"`;
      return undefined;
    });
    await typeInto(form, product, '');
    figures['product search requests checked'] = requests;
  });

  it('quick add: every box typed gives item-number filters made only of the typed item numbers', async () => {
    await toItems(form);
    const details = shadowOf(form).querySelector<HTMLDetailsElement>('details[part="quick-add"]')!;
    if (!details.open) {
      details.querySelector('summary')!.click();
      await waitUntil(() => details.open);
    }
    const box = field<HTMLTextAreaElement>(form, 'Item numbers and quantities');
    let requests = 0;
    let literals = 0;
    await check('quick add', quickAddBox, byScale(settings, { full: 1000, short: 60 }), async (lines) => {
      const text = lines.map((l) => l.line).join('\n');
      await typeInto(form, box, text);
      const mark = recorder.mark();
      await press(form, 'Add lines');
      await waitUntil(() => recorder.inFlight === 0 && !/Looking up the item numbers/.test(textOf(shadowOf(form))), 'quick add did not finish', { timeout: 30000 });
      const sent = recorder.since(mark).filter(isApi);
      // Item numbers that must be looked up (the item lines), and every first word of a line (what may be).
      const items = new Set(lines.flatMap((l) => (l.item ? [l.item] : [])));
      const candidates = new Set(
        text.split(/\r?\n/).flatMap((line) => {
          const first = /^[^\s,;]+/.exec(line.trim());
          return first ? [first[0]] : [];
        }),
      );
      if (items.size === 0 && sent.length === 0) return undefined;
      if (sent.length === 0) return `no lookup for the item numbers ${JSON.stringify([...items])}`;
      const looked = new Set<string>();
      for (const request of sent) {
        requests++;
        if (request.status !== 200) return `quick add ${JSON.stringify(text)}: the emulator answered ${request.status}`;
        // The literals this request carries must be typed item numbers: rebuild its template from them.
        const filter = new URL(request.url).searchParams.get('$filter') ?? '';
        const numbers = [...filter.matchAll(/productid\/msdyn_productnumber eq '((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
        const expected = template.and(...sellable(), template.or(...numbers.map((n) => template.eq('productid/msdyn_productnumber', template.string(n)))));
        const problem = filterProblem(request.url, PRODUCT_OPTIONS.filter((o) => o !== '$top'), expected);
        if (problem) return `quick add ${JSON.stringify(text)}: ${problem}`;
        for (const n of numbers) looked.add(n);
      }
      literals += looked.size;
      for (const n of looked) if (!candidates.has(n)) return `quick add ${JSON.stringify(text)}: looked up ${JSON.stringify(n)}, which is no item number typed`;
      for (const n of items) if (!looked.has(n)) return `quick add ${JSON.stringify(text)}: the item number ${JSON.stringify(n)} was not looked up`;
      return undefined;
    });
    figures['quick add requests checked'] = requests;
    figures['quick add item numbers checked'] = literals;
  });

  it('customer reference and requisition number: stored exactly as typed, and the list search finds the order by them', async () => {
    const orderText = fc.array(piece, { maxLength: 8 }).map((p) => withinLength(p.join('').replace(/\r?\n/g, ' '), 100));
    const item = catalogue.find((c) => /^[A-Z0-9-]+$/.test(c.itemNumber))!;
    let orders = 0;
    const search = shadowOf(list).querySelector<HTMLInputElement>('input[type="search"]')!;
    await check('customer reference / requisition number', fc.tuple(orderText, orderText), byScale(settings, { full: 200, short: 12 }), async ([reference, requisition]) => {
      const mark = recorder.mark();
      const placed = await placeOrder(form, { receiptDate: dayFromToday(9), reference, requisition, quickAdd: `${item.itemNumber}, 1`, lines: 1 });
      orders++;
      await press(form, 'Start a new order');
      const sent = recorder.since(mark).filter(isApi);
      const bad = sent.find((r) => r.status === 400);
      if (bad) return `reference ${JSON.stringify(reference)}: a request was answered 400: ${bad.method} ${bad.url}`;
      const row = await target.admin.get<Json>(`salesorders(${placed.id})?$select=msdyn_customersorderreference,msdyn_customerrequisitionnumber,ordernumber`);
      const stored = (value: string) => (value.trim() === '' ? null : value.trim());
      if (row.msdyn_customersorderreference !== stored(reference)) {
        return `reference ${JSON.stringify(reference)} stored as ${JSON.stringify(row.msdyn_customersorderreference)}`;
      }
      if (row.msdyn_customerrequisitionnumber !== stored(requisition)) {
        return `requisition ${JSON.stringify(requisition)} stored as ${JSON.stringify(row.msdyn_customerrequisitionnumber)}`;
      }
      // Search the list for what was typed: the new order (the newest) comes first.
      for (const text of [reference, requisition]) {
        if (text.trim() === '') continue;
        // Clear the search first, so the same text typed twice still runs a new search.
        search.value = '';
        search.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        search.form!.requestSubmit();
        await list.updateComplete;
        search.value = text;
        search.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        search.form!.requestSubmit();
        await list.updateComplete;
        await list.updateComplete;
        await waitUntil(() => !list.matches(':state(loading)') && recorder.inFlight === 0, 'the search did not finish', { timeout: 30000 });
        const first = textOf(shadowOf(list).querySelector('tbody [part="number"]'));
        if (first !== row.ordernumber) return `searching the list for ${JSON.stringify(text)} shows ${JSON.stringify(first)} first, not the order ${String(row.ordernumber)}`;
      }
      return undefined;
    });
    figures['orders submitted with hostile references'] = orders;
  });
});
