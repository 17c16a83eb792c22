import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import {
  apiGet,
  countingFetch,
  isApiRequest,
  pickUser,
  portalFixture,
  type CountingFetch,
  type PortalUser,
  type SeenRequest,
} from '../../../test/support/portal.js';
import { customers, largeCustomer } from '../../emulator/seed/parties.js';
import { ProcessingStatus, processingStatusLabels } from '../../tables/choices.js';
import type { OrderSelectDetail } from '../../events.js';
import './order-list.js';
import type { ScmOrderList } from './order-list.js';

// Every expectation below is computed by asking the emulator directly (plain fetch, OData written out by hand),
// never hard-coded and never through the code under test. The emulator is shared by every test file of the run,
// so each test picks its own seeded users and compares with what the emulator says at that moment.

interface ApiOrder {
  salesorderid: string;
  ordernumber: string | null;
  msdyn_salesordernumber: string | null;
  msdyn_processingstatus: number | null;
  totalamount: number | null;
  '_msdyn_contactperson_value@OData.Community.Display.V1.FormattedValue'?: string;
}
interface ApiPage {
  value: ApiOrder[];
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'?: boolean;
}

const SELECT = 'salesorderid,ordernumber,msdyn_salesordernumber,msdyn_processingstatus,totalamount,_msdyn_contactperson_value';
const oneil = customers.find((customer) => customer.name.startsWith("O'Neil"))!;
const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

/** The default order of the list (newest first; within a second by order number, then by id), as the emulator is asked for it here. */
const NEWEST_FIRST = 'createdon desc,ordernumber desc,salesorderid desc';

/** The `$orderby` a column header should produce, written out independently of the service. */
const ORDER_BY: Record<string, readonly string[]> = {
  number: ['msdyn_salesordernumber', 'ordernumber'],
  reference: ['msdyn_customersorderreference', 'msdyn_customerrequisitionnumber'],
  date: ['createdon', 'ordernumber'],
  'receipt-date': ['msdyn_requestedreceiptdate'],
  status: ['msdyn_processingstatus'],
  total: ['totalamount'],
  'placed-by': ['_msdyn_contactperson_value'],
};

function orderByText(column: string, direction: 'asc' | 'desc'): string {
  const suffix = direction === 'desc' ? ' desc' : '';
  return [...ORDER_BY[column]!, 'salesorderid'].map((name) => `${name}${suffix}`).join(',');
}

/** Page `pageNumber` (from 1) of a query, read from the emulator as the signed-in user by following nextLinks. */
async function expectedPage(filter: string, orderBy: string, pageSize: number, pageNumber = 1): Promise<ApiPage> {
  const prefer = `odata.maxpagesize=${pageSize},odata.include-annotations="*"`;
  let page = await apiGet<ApiPage>(
    `salesorders?$select=${SELECT}&$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent(orderBy)}&$count=true`,
    { prefer },
  );
  const first = page;
  for (let n = 1; n < pageNumber; n++) {
    const next = page['@odata.nextLink'];
    if (!next) throw new Error(`the emulator has no page ${n + 1}`);
    page = await apiGet<ApiPage>(next.replace(/^.*?\/_api\//, ''), { prefer });
  }
  return { ...page, '@odata.count': first['@odata.count'], '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded': first['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] };
}

const ofAccount = (user: PortalUser) => `_customerid_value eq ${user.accountId}`;
const ownOrders = (user: PortalUser) => `${ofAccount(user)} and _msdyn_contactperson_value eq ${user.contactId}`;

const shadow = (el: ScmOrderList) => el.shadowRoot!;
const tableRows = (el: ScmOrderList) => [...shadow(el).querySelectorAll<HTMLTableRowElement>('tbody tr')];
const shownIds = (el: ScmOrderList) => tableRows(el).map((row) => row.dataset.id);
const summary = (el: ScmOrderList) => shadow(el).querySelector('[part="summary"]')!.textContent!.replace(/\s+/g, ' ').trim();
const liveRegion = (el: ScmOrderList) => shadow(el).querySelector('[role="status"][aria-live="polite"]')!.textContent!.trim();
const button = (el: ScmOrderList, text: string) =>
  [...shadow(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.replace(/\s+/g, ' ').includes(text))!;
const header = (el: ScmOrderList, column: string) => shadow(el).querySelector<HTMLTableCellElement>(`th[data-column="${column}"]`);

/** Waits until the list has finished loading and shows a result (table, empty, no results or error). */
async function settled(el: ScmOrderList): Promise<void> {
  await el.updateComplete;
  await waitUntil(
    () => !el.matches(':state(loading)') && shadow(el).querySelector('table, [part="cards"], [part="empty"], [part="no-results"], [part="error"]'),
    'the order list did not finish loading',
    { timeout: 15000 },
  );
  await el.updateComplete;
}

/** Live-update checks: the shown orders changed since the last check (`modifiedon ge …`). */
const isLivePoll = (r: SeenRequest) => isApiRequest(r) && /\/salesorders\?/.test(r.url) && /modifiedon ge /.test(decodeURIComponent(r.url));
/** List queries (not live-update checks) the element sent to the Web API. */
const listRequests = (counter: CountingFetch) =>
  counter.requests.filter(
    (r: SeenRequest) => isApiRequest(r) && /\/salesorders\?/.test(r.url) && decodeURIComponent(r.url).includes('$filter=') && !isLivePoll(r),
  );
const filterOf = (request: SeenRequest) => new URL(request.url).searchParams.get('$filter') ?? '';

/** Records `scm-order-select` events. */
function selections(el: HTMLElement): OrderSelectDetail[] {
  const seen: OrderSelectDetail[] = [];
  el.addEventListener('scm-order-select', (event) => seen.push(event.detail));
  return seen;
}

interface AdvanceAnswer {
  moves: { orderId: string; salesOrderNumber: string; from: number | null; to: number }[];
  /** Where the order is now: `next` is the status its next step gives (`null` when it is done). */
  order?: { next: number | null };
}

async function advance(orderId: string): Promise<AdvanceAnswer> {
  const response = await fetch('/emulator/scm/advance', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ orderId }),
  });
  if (!response.ok) throw new Error(`POST /emulator/scm/advance answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as AdvanceAnswer;
}

describe('<scm-order-list>', () => {
  let bigRep: PortalUser;
  let oneilRep: PortalUser;
  let oneilUser: PortalUser;

  before(async () => {
    bigRep = await pickUser({ accountNumber: largeCustomer.accountNumber, role: 'customer-representative' });
    oneilRep = await pickUser({ accountNumber: oneil.accountNumber, role: 'customer-representative' });
    oneilUser = await pickUser({ accountNumber: oneil.accountNumber, role: 'authorized-user' });
  });

  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  describe('over the 25,000-order account', () => {
    it('shows the first page in exactly one request, with a "5,000+" count', async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`, { user: bigRep, fetch: counter });
      await settled(element);

      const expected = await expectedPage(ofAccount(bigRep), NEWEST_FIRST, 25);
      expect(expected['@odata.count']).to.equal(5000);
      expect(expected['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).to.equal(true);
      expect(listRequests(counter)).to.have.length(1);
      expect(counter.count((r) => isApiRequest(r) && r.url.includes('/salesorders'))).to.equal(1);
      expect(shownIds(element)).to.deep.equal(expected.value.map((o) => o.salesorderid));
      expect(summary(element)).to.contain(`1–25 of ${fmt(expected['@odata.count']!)}+ orders`);

      // The first row shows the SCM number, or the Dataverse number marked as pending sync.
      const first = expected.value[0]!;
      const number = tableRows(element)[0]!.querySelector('[part="number"]')!.textContent!.trim();
      expect(number).to.equal(first.msdyn_salesordernumber ?? first.ordernumber);
      expect(tableRows(element)[0]!.querySelector('[part="pending"]') !== null).to.equal(first.msdyn_salesordernumber === null);
      await expect(element).to.be.accessible();
    });

    it('pages forward and back on the server, one request a page, keeping the links it has seen', async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="50"></scm-order-list>`, {
        user: bigRep,
        fetch: counter,
      });
      await settled(element);
      const pages = await Promise.all([1, 2, 3].map((n) => expectedPage(ofAccount(bigRep), NEWEST_FIRST, 50, n)));
      expect(shownIds(element)).to.deep.equal(pages[0]!.value.map((o) => o.salesorderid));

      counter.reset();
      button(element, 'Next').click();
      await settled(element);
      expect(element.getAttribute('page')).to.equal('2');
      expect(shownIds(element)).to.deep.equal(pages[1]!.value.map((o) => o.salesorderid));
      expect(summary(element)).to.contain('51–100 of 5,000+ orders');
      expect(listRequests(counter)).to.have.length(1);
      expect(decodeURIComponent(listRequests(counter)[0]!.url)).to.contain('$skiptoken=');

      button(element, 'Next').click();
      await settled(element);
      expect(element.getAttribute('page')).to.equal('3');
      expect(shownIds(element)).to.deep.equal(pages[2]!.value.map((o) => o.salesorderid));

      counter.reset();
      button(element, 'Previous').click();
      await settled(element);
      expect(element.getAttribute('page')).to.equal('2');
      expect(shownIds(element)).to.deep.equal(pages[1]!.value.map((o) => o.salesorderid));
      expect(listRequests(counter)).to.have.length(1);

      button(element, 'Previous').click();
      await settled(element);
      expect(element.hasAttribute('page')).to.equal(false);
      expect(shownIds(element)).to.deep.equal(pages[0]!.value.map((o) => o.salesorderid));
      expect(listRequests(counter)).to.have.length(2);
      expect(button(element, 'Previous').disabled).to.equal(true);
    });

    it('opens a deep-linked page by following the links from the first page', async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10" page="3"></scm-order-list>`, {
        user: bigRep,
        fetch: counter,
      });
      await settled(element);
      const expected = await expectedPage(ofAccount(bigRep), NEWEST_FIRST, 10, 3);
      expect(shownIds(element)).to.deep.equal(expected.value.map((o) => o.salesorderid));
      expect(summary(element)).to.contain('21–30 of 5,000+ orders');
      expect(listRequests(counter)).to.have.length(3);
    });
  });

  describe('search and filters', () => {
    it("finds orders by a reference with an apostrophe (O'Neil), debounced, with an escaped filter", async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10"></scm-order-list>`, {
        user: oneilRep,
        fetch: counter,
      });
      await settled(element);
      counter.reset();
      const input = shadow(element).querySelector<HTMLInputElement>('input[type="search"]')!;
      input.focus();
      await sendKeys({ type: "O'Neil" });
      await waitUntil(() => element.getAttribute('search') === "O'Neil", 'the search was not applied');
      await settled(element);

      // Typing was debounced: fewer requests than keystrokes (one on a quiet machine; a loaded CI machine may
      // pause longer than the debounce between two keys), and the last one is the whole word with the quote
      // doubled inside the literal.
      const requests = listRequests(counter);
      expect(requests.length).to.be.within(1, "O'Neil".length - 1);
      expect(filterOf(requests.at(-1)!)).to.contain("contains(msdyn_customersorderreference,'O''Neil')");

      const expected = await expectedPage(
        `${ofAccount(oneilRep)} and (contains(msdyn_salesordernumber,'O''Neil') or contains(ordernumber,'O''Neil') or contains(msdyn_customersorderreference,'O''Neil') or contains(msdyn_customerrequisitionnumber,'O''Neil'))`,
        NEWEST_FIRST,
        10,
      );
      expect(expected.value.length, "the seed has O'Neil references").to.be.greaterThan(0);
      expect(shownIds(element)).to.deep.equal(expected.value.map((o) => o.salesorderid));
      expect(summary(element)).to.contain(`of ${fmt(expected['@odata.count']!)} order`);
      for (const row of tableRows(element)) {
        expect(row.querySelector('[data-column="reference"]')!.textContent!.toLowerCase()).to.contain("o'neil");
      }
      await expect(element).to.be.accessible();
    });

    it("keeps a hostile string inside its literal: ' or 1 eq 1 or ' cannot widen the filter", async () => {
      const hostile = "' or 1 eq 1 or '";
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10"></scm-order-list>`, {
        user: oneilRep,
        fetch: counter,
      });
      await settled(element);
      const all = await expectedPage(ofAccount(oneilRep), NEWEST_FIRST, 10);
      counter.reset();
      element.search = hostile;
      await settled(element);

      const sent = filterOf(listRequests(counter)[0]!);
      expect(sent).to.contain("contains(msdyn_salesordernumber,''' or 1 eq 1 or ''')");
      const expected = await expectedPage(
        `${ofAccount(oneilRep)} and (contains(msdyn_salesordernumber,''' or 1 eq 1 or ''') or contains(ordernumber,''' or 1 eq 1 or ''') or contains(msdyn_customersorderreference,''' or 1 eq 1 or ''') or contains(msdyn_customerrequisitionnumber,''' or 1 eq 1 or '''))`,
        NEWEST_FIRST,
        10,
      );
      expect(expected['@odata.count']!).to.be.lessThan(all['@odata.count']!);
      expect(shownIds(element)).to.deep.equal(expected.value.map((o) => o.salesorderid));
      if (expected.value.length === 0) {
        expect(element.matches(':state(no-results)')).to.equal(true);
        expect(shadow(element).querySelector('[part="no-results"]')!.textContent).to.contain(hostile);
      }
    });

    it('aborts the request of a search that was superseded', async () => {
      const signals: { url: string; signal: AbortSignal | null | undefined }[] = [];
      const recording: typeof fetch = (input, init) => {
        signals.push({ url: input instanceof Request ? input.url : String(input), signal: init?.signal ?? (input instanceof Request ? input.signal : undefined) });
        return fetch(input, init);
      };
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10"></scm-order-list>`, {
        user: bigRep,
        fetch: countingFetch(recording),
      });
      await settled(element);
      element.search = 'PO 1';
      await element.updateComplete;
      element.search = 'PO 12';
      await settled(element);
      const superseded = signals.filter((s) => decodeURIComponent(s.url).includes("'PO 1'"));
      for (const request of superseded) expect(request.signal?.aborted, 'the superseded request was aborted').to.equal(true);
      expect(signals.filter((s) => decodeURIComponent(s.url).includes("'PO 12'"))).to.have.length(1);
      expect(element.getAttribute('search')).to.equal('PO 12');
    });

    it('filters by status, shown as text and badge', async () => {
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10"></scm-order-list>`, { user: oneilRep });
      await settled(element);
      const details = shadow(element).querySelector<HTMLDetailsElement>('details[part="filters"]')!;
      details.querySelector('summary')!.click();
      const checkbox = shadow(element).querySelector<HTMLInputElement>('input[type="checkbox"][value="confirmed"]')!;
      checkbox.click();
      await settled(element);
      expect(element.getAttribute('status')).to.equal('confirmed');
      expect(element.hasAttribute('page')).to.equal(false);

      const expected = await expectedPage(`${ofAccount(oneilRep)} and msdyn_processingstatus eq ${ProcessingStatus.Confirmed}`, NEWEST_FIRST, 10);
      expect(shownIds(element)).to.deep.equal(expected.value.map((o) => o.salesorderid));
      expect(summary(element)).to.contain(`of ${fmt(expected['@odata.count']!)} order`);
      for (const row of tableRows(element)) {
        const badge = row.querySelector('[part="status"]')!;
        expect(badge.textContent!.trim()).to.equal(processingStatusLabels[ProcessingStatus.Confirmed]);
      }

      shadow(element).querySelector<HTMLInputElement>('input[type="checkbox"][value="invoiced"]')!.click();
      await settled(element);
      expect(element.getAttribute('status')).to.equal('confirmed,invoiced');
      const both = await expectedPage(
        `${ofAccount(oneilRep)} and (msdyn_processingstatus eq ${ProcessingStatus.Confirmed} or msdyn_processingstatus eq ${ProcessingStatus.Invoiced})`,
        NEWEST_FIRST,
        10,
      );
      expect(shownIds(element)).to.deep.equal(both.value.map((o) => o.salesorderid));
      await expect(element).to.be.accessible();

      // Escape closes the filter and gives focus back to its button.
      expect(details.open).to.equal(true);
      shadow(element).querySelector<HTMLInputElement>('input[type="checkbox"][value="picked"]')!.focus();
      await sendKeys({ press: 'Escape' });
      expect(details.open).to.equal(false);
      expect(shadow(element).activeElement).to.equal(details.querySelector('summary'));
    });

    it('sorts by every column on the server, ascending then descending, with aria-sort', async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="8"></scm-order-list>`, {
        user: oneilRep,
        fetch: counter,
      });
      await settled(element);
      expect(header(element, 'date')!.getAttribute('aria-sort')).to.equal('descending');
      const columns = [...shadow(element).querySelectorAll<HTMLTableCellElement>('th[data-column]')].map((th) => th.dataset.column!);
      expect(columns).to.deep.equal(Object.keys(ORDER_BY));
      for (const column of columns) {
        for (const direction of ['asc', 'desc'] as const) {
          counter.reset();
          header(element, column)!.querySelector('button')!.click();
          await settled(element);
          const expected = await expectedPage(ofAccount(oneilRep), orderByText(column, direction), 8);
          expect(shownIds(element), `${column} ${direction}`).to.deep.equal(expected.value.map((o) => o.salesorderid));
          expect(header(element, column)!.getAttribute('aria-sort')).to.equal(direction === 'asc' ? 'ascending' : 'descending');
          expect(shadow(element).querySelectorAll('th[aria-sort]')).to.have.length(1);
          expect(listRequests(counter)).to.have.length(1);
          const expectedAttribute = direction === 'desc' ? `-${column}` : column;
          expect(element.getAttribute('sort') ?? '-date').to.equal(expectedAttribute);
        }
      }
    });
  });

  describe('attributes', () => {
    it('deep-links filters, sort and page, and writes what the user changes back to the attributes', async () => {
      const seen: OrderSelectDetail[] = [];
      document.addEventListener('scm-order-select', (event) => seen.push(event.detail));
      const { element } = await portalFixture<ScmOrderList>(
        html`<scm-order-list page-size="5" search="PO" status="invoiced,confirmed" sort="-total" from="2025-06-01" to="2026-06-30" page="2"></scm-order-list>`,
        { user: oneilRep },
      );
      await settled(element);
      const from = new Date(2025, 5, 1).toISOString();
      const to = new Date(2026, 5, 31).toISOString(); // the day after 30 June, local midnight
      const expected = await expectedPage(
        `${ofAccount(oneilRep)} and (contains(msdyn_salesordernumber,'PO') or contains(ordernumber,'PO') or contains(msdyn_customersorderreference,'PO') or contains(msdyn_customerrequisitionnumber,'PO')) and (msdyn_processingstatus eq ${ProcessingStatus.Confirmed} or msdyn_processingstatus eq ${ProcessingStatus.Invoiced}) and createdon ge ${from} and createdon lt ${to}`,
        orderByText('total', 'desc'),
        5,
        2,
      );
      expect(expected.value.length, 'the seed has a second page for this query').to.be.greaterThan(0);
      expect(shownIds(element)).to.deep.equal(expected.value.map((o) => o.salesorderid));

      // The controls show what the attributes say.
      const root = shadow(element);
      expect(root.querySelector<HTMLInputElement>('input[type="search"]')!.value).to.equal('PO');
      expect(root.querySelector<HTMLInputElement>('input[value="confirmed"]')!.checked).to.equal(true);
      expect(root.querySelector<HTMLInputElement>('input[value="invoiced"]')!.checked).to.equal(true);
      expect(root.querySelector<HTMLInputElement>('input[value="picked"]')!.checked).to.equal(false);
      expect(root.querySelector<HTMLInputElement>('input[name="from"]')!.value).to.equal('2025-06-01');
      expect(root.querySelector<HTMLInputElement>('input[name="to"]')!.value).to.equal('2026-06-30');
      expect(header(element, 'total')!.getAttribute('aria-sort')).to.equal('descending');
      expect(root.querySelector('[part="pagination"]')!.textContent).to.contain('Page 2');

      // What the user changes goes back to the attributes (and back to page 1).
      root.querySelector<HTMLInputElement>('input[value="delivered"]')!.click();
      await settled(element);
      expect(element.getAttribute('status')).to.equal('confirmed,delivered,invoiced');
      expect(element.hasAttribute('page')).to.equal(false);

      const date = root.querySelector<HTMLInputElement>('input[name="from"]')!;
      date.value = '2025-09-01';
      date.dispatchEvent(new Event('change'));
      await settled(element);
      expect(element.getAttribute('from')).to.equal('2025-09-01');

      button(element, 'Clear filters').click();
      await settled(element);
      for (const name of ['search', 'status', 'from', 'to', 'page']) expect(element.hasAttribute(name), name).to.equal(false);
      expect(element.getAttribute('sort')).to.equal('-total');

      header(element, 'number')!.querySelector('button')!.click();
      await settled(element);
      expect(element.getAttribute('sort')).to.equal('number');

      button(element, 'Next').click();
      await settled(element);
      expect(element.getAttribute('page')).to.equal('2');

      // The host setting properties changes what is shown, and fires nothing.
      element.search = 'PO 1';
      element.page = 1;
      element.status = 'invoiced';
      await settled(element);
      expect(element.getAttribute('search')).to.equal('PO 1');
      expect(shadow(element).querySelector<HTMLInputElement>('input[type="search"]')!.value).to.equal('PO 1');
      expect(seen).to.deep.equal([]);
    });
  });

  describe('choosing an order', () => {
    it('fires scm-order-select on click, and on Enter and Space on the focused row', async () => {
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="5"></scm-order-list>`, { user: oneilUser });
      await settled(element);
      const seen = selections(element);
      const rows = tableRows(element);
      expect(rows.length).to.be.greaterThan(2);
      const detailOf = (row: HTMLTableRowElement) => ({
        orderId: row.dataset.id,
        orderNumber: row.querySelector('[part="number"]')!.textContent!.trim(),
      });

      rows[1]!.querySelector<HTMLElement>('[data-column="total"]')!.click();
      expect(seen).to.deep.equal([detailOf(rows[1]!)]);

      // One row takes Tab; arrows move between rows; Enter and Space choose.
      expect(rows.map((row) => row.tabIndex)).to.deep.equal(rows.map((_, i) => (i === 0 ? 0 : -1)));
      rows[0]!.focus();
      await sendKeys({ press: 'ArrowDown' });
      await element.updateComplete;
      expect(shadow(element).activeElement).to.equal(rows[1]);
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      expect(seen[1]).to.deep.equal(detailOf(rows[2]!));
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'Space' });
      expect(seen[2]).to.deep.equal(detailOf(rows[1]!));
      expect(seen).to.have.length(3);
    });

    it('turns orders into real links with href-template', async () => {
      const { element } = await portalFixture<ScmOrderList>(
        html`<scm-order-list page-size="5" href-template="/orders/?id={id}&n={number}"></scm-order-list>`,
        { user: oneilUser },
      );
      await settled(element);
      const seen = selections(element);
      const rows = tableRows(element);
      for (const row of rows) {
        const link = row.querySelector<HTMLAnchorElement>('a[part="number"]')!;
        const number = link.textContent!.trim();
        expect(link.getAttribute('href')).to.equal(`/orders/?id=${row.dataset.id}&n=${encodeURIComponent(number)}`);
        expect(row.hasAttribute('tabindex'), 'a linked row is reached through its link').to.equal(false);
      }
      // Stop the navigation a real click would start, after the element has seen the click.
      const stop = (event: Event) => event.preventDefault();
      window.addEventListener('click', stop);
      try {
        rows[0]!.querySelector<HTMLAnchorElement>('a')!.click();
        rows[1]!.querySelector<HTMLElement>('[data-column="date"]')!.click();
      } finally {
        window.removeEventListener('click', stop);
      }
      expect(seen.map((s) => s.orderId)).to.deep.equal([rows[0]!.dataset.id, rows[1]!.dataset.id]);
      await expect(element).to.be.accessible();
    });

    it('does not treat opening a link in a new tab (Ctrl, Cmd, Shift, middle button) as a selection', async () => {
      const { element } = await portalFixture<ScmOrderList>(
        html`<scm-order-list page-size="5" href-template="/orders/?id={id}"></scm-order-list>`,
        { user: oneilUser },
      );
      await settled(element);
      const seen = selections(element);
      const link = tableRows(element)[0]!.querySelector<HTMLAnchorElement>('a')!;
      const stop = (event: Event) => event.preventDefault();
      window.addEventListener('click', stop);
      window.addEventListener('auxclick', stop);
      try {
        for (const init of [{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { button: 1 }]) {
          link.dispatchEvent(new MouseEvent(init.button === 1 ? 'auxclick' : 'click', { bubbles: true, cancelable: true, composed: true, ...init }));
          link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, ...init }));
        }
        expect(seen, 'no selection for new-tab clicks').to.have.length(0);
        link.click();
      } finally {
        window.removeEventListener('click', stop);
        window.removeEventListener('auxclick', stop);
      }
      expect(seen).to.have.length(1);
    });
  });

  describe('refresh()', () => {
    it('loads the current page again, keeping filters and sort, with one request', async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderList>(
        html`<scm-order-list page-size="5" sort="total"></scm-order-list>`,
        { user: oneilUser, fetch: counter },
      );
      await settled(element);
      const before = counter.count();
      element.refresh();
      await waitUntil(() => counter.count() > before, 'refresh() sent no request');
      await settled(element);
      expect(counter.count() - before).to.equal(1);
      expect(element.getAttribute('sort')).to.equal('total');
    });
  });

  describe('who sees what', () => {
    it('shows an authorized user only their own orders, and a representative the account’s with "placed by"', async () => {
      const { element: own } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10"></scm-order-list>`, { user: oneilUser });
      await settled(own);
      const expectedOwn = await expectedPage(ownOrders(oneilUser), NEWEST_FIRST, 10);
      expect(expectedOwn['@odata.count']!, 'the seeded user has orders').to.be.greaterThan(0);
      expect(shownIds(own)).to.deep.equal(expectedOwn.value.map((o) => o.salesorderid));
      expect(summary(own)).to.contain(`of ${fmt(expectedOwn['@odata.count']!)} order`);
      expect(header(own, 'placed-by')).to.equal(null);

      const { element: rep } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10"></scm-order-list>`, { user: oneilRep });
      await settled(rep);
      const expectedAll = await expectedPage(ofAccount(oneilRep), NEWEST_FIRST, 10);
      expect(expectedAll['@odata.count']!).to.be.greaterThan(expectedOwn['@odata.count']!);
      expect(shownIds(rep)).to.deep.equal(expectedAll.value.map((o) => o.salesorderid));
      expect(summary(rep)).to.contain(`of ${fmt(expectedAll['@odata.count']!)} order`);
      expect(header(rep, 'placed-by')!.textContent).to.contain('Placed by');
      const placedBy = tableRows(rep).map((row) => row.querySelector('[data-column="placed-by"]')!.textContent!.trim());
      expect(placedBy).to.deep.equal(
        expectedAll.value.map((o) => o['_msdyn_contactperson_value@OData.Community.Display.V1.FormattedValue'] ?? '—'),
      );
    });
  });

  describe('live status', () => {
    it('updates a row in place when SCM moves the order, announces it, and pauses while hidden', async () => {
      const user = await pickUser({
        role: 'authorized-user',
        where: (u) => u.accountNumber !== oneil.accountNumber && u.accountNumber !== largeCustomer.accountNumber,
      });
      const counter = countingFetch();
      const { portal, element } = await portalFixture<ScmOrderList>(
        html`<scm-order-list page-size="10" live-interval="0.5"></scm-order-list>`,
        { user, fetch: counter },
      );
      await settled(element);
      await waitUntil(() => element.matches(':state(live)'), 'live updates did not start');

      // Ask the simulated SCM to move one of the orders on screen, one that has a further step after this one
      // (final orders cannot move).
      let moved: { orderId: string; salesOrderNumber: string; to: number } | undefined;
      for (const row of tableRows(element)) {
        const answer = await advance(row.dataset.id!);
        if (answer.moves.length > 0 && answer.order?.next != null) {
          moved = answer.moves[answer.moves.length - 1];
          break;
        }
      }
      expect(moved, 'an order on the first page can still move twice').to.not.equal(undefined);
      const row = () => tableRows(element).find((r) => r.dataset.id === moved!.orderId)!;
      const label = processingStatusLabels[moved!.to as ProcessingStatus];
      await waitUntil(() => row().querySelector('[part="status"]')!.textContent!.trim() === label, 'the row did not change', {
        timeout: 10000,
      });
      expect(row().querySelector('[part="number"]')!.textContent!.trim()).to.equal(moved!.salesOrderNumber);
      await waitUntil(() => liveRegion(element).includes(`is now ${label}`), 'the change was not announced');
      expect(listRequests(counter), 'no reload: the list query ran once').to.have.length(1);
      // Every check asks only for the shown orders changed since the last one: in the session's scope, by id, from
      // a `modifiedon` (never the whole account), and each answer is small.
      const polls = counter.requests.filter(isLivePoll);
      expect(polls.length, 'live checks were sent').to.be.greaterThan(0);
      const shown = tableRows(element).map((r) => r.dataset.id!);
      for (const poll of polls) {
        const filter = filterOf(poll);
        expect(filter).to.contain(`_customerid_value eq ${user.accountId}`);
        expect(filter).to.match(/modifiedon ge \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
        const asked = [...filter.matchAll(/salesorderid eq ([0-9a-f-]{36})/g)].map((m) => m[1]);
        expect(asked.length, 'at most the shown orders are asked for').to.be.at.most(10);
        for (const id of asked) expect(shown).to.include(id);
      }
      // What a check answers, asked again now: the orders changed since the newest change seen, not the page.
      const last = polls.at(-1)!;
      const answer = await apiGet<ApiPage>(last.url.replace(/^.*?\/_api\//, ''));
      expect(answer.value.length, 'a check answers only the orders changed lately, not the page').to.be.below(shown.length);
      expect(listRequests(counter)).to.have.length(1);

      // Scrolled out of view: polling pauses. (A pause can only be shown by time passing without requests.)
      const spacer = document.createElement('div');
      spacer.style.height = '300vh';
      portal.before(spacer);
      try {
        await waitUntil(() => !element.matches(':state(live)'), 'live updates did not pause');
        counter.reset();
        const { moves } = await advance(moved!.orderId);
        expect(moves, 'the order moved again').to.have.length(1);
        const next = processingStatusLabels[moves[0]!.to as ProcessingStatus];
        await aTimeout(2000);
        expect(counter.count((r) => r.url.includes('/salesorders')), 'no polling while hidden').to.equal(0);
        expect(row().querySelector('[part="status"]')!.textContent!.trim()).to.equal(label);

        // Back in view: polling resumes and catches up.
        spacer.remove();
        await waitUntil(() => element.matches(':state(live)'), 'live updates did not resume');
        await waitUntil(() => row().querySelector('[part="status"]')!.textContent!.trim() === next, 'no catch-up after resuming', {
          timeout: 10000,
        });
      } finally {
        spacer.remove();
      }
    });
  });

  describe('layout', () => {
    it('shows cards instead of a table on a phone, and renders only the layout its width needs', async () => {
      await setViewport({ width: 375, height: 740 });
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="5"></scm-order-list>`, { user: oneilRep });
      await settled(element);
      const root = shadow(element);
      const expected = (await expectedPage(ofAccount(oneilRep), NEWEST_FIRST, 5)).value.map((o) => o.salesorderid);
      // Narrow: cards only — the table is not in the DOM at all (not merely hidden).
      expect(root.querySelector('table'), 'no table on a phone').to.equal(null);
      const cards = [...root.querySelectorAll<HTMLElement>('[part~="card"]')];
      expect(getComputedStyle(root.querySelector('[part="cards"]')!).display).to.not.equal('none');
      expect(cards.map((card) => card.dataset.id)).to.deep.equal(expected);
      expect(getComputedStyle(root.querySelector('.sort-field')!).display).to.not.equal('none');
      // The card takes Enter like a row, and the arrow keys move between cards.
      const seen = selections(element);
      cards[0]!.focus();
      await sendKeys({ press: 'Enter' });
      expect(seen.map((s) => s.orderId)).to.deep.equal([cards[0]!.dataset.id]);
      await sendKeys({ press: 'ArrowDown' });
      await element.updateComplete;
      expect(root.activeElement).to.equal(root.querySelector('[part~="card"][data-index="1"]'));
      await expect(element).to.be.accessible();

      // Wide: the table comes back with the same orders, and the cards leave the DOM.
      await setViewport({ width: 1024, height: 740 });
      await waitUntil(() => root.querySelector('table') !== null, 'the table did not come back');
      expect(shownIds(element)).to.deep.equal(expected);
      await waitUntil(() => root.querySelector('[part="cards"]') === null, 'the cards stayed');
      await expect(element).to.be.accessible();
    });

    it('renders both layouts while printing, and the paper width picks one', async () => {
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="3"></scm-order-list>`, { user: oneilRep });
      await settled(element);
      const root = shadow(element);
      expect(root.querySelector('[part="cards"]')).to.equal(null);
      window.dispatchEvent(new Event('beforeprint'));
      // Rendered at once (printing lays the page out right after the event), not in a later task.
      expect(root.querySelector('table'), 'the table while printing').to.not.equal(null);
      expect(root.querySelector('[part="cards"]'), 'the cards while printing').to.not.equal(null);
      expect(getComputedStyle(root.querySelector('[part="cards"]')!).display, 'the container query hides one').to.equal('none');
      window.dispatchEvent(new Event('afterprint'));
      await element.updateComplete;
      expect(root.querySelector('[part="cards"]')).to.equal(null);
      expect(root.querySelector('table')).to.not.equal(null);
    });
  });

  describe('states', () => {
    it('loading: a skeleton, busy, accessible', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const holding: typeof fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (url.includes('/salesorders')) await held;
        return fetch(input, init);
      };
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`, {
        user: oneilUser,
        fetch: holding,
      });
      await waitUntil(() => element.matches(':state(loading)'), 'not loading');
      expect(shadow(element).querySelector('[part="skeleton"]')).to.not.equal(null);
      expect(shadow(element).querySelector('.results')!.getAttribute('aria-busy')).to.equal('true');
      await expect(element).to.be.accessible();
      release();
      await settled(element);
      expect(tableRows(element).length).to.be.greaterThan(0);
    });

    it('empty: "No orders yet" with a way to create one', async () => {
      // The portal administrator belongs to the selling company's own account, which places no orders.
      const admin = await pickUser({ role: 'administrator' });
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list create-href="/orders/new"></scm-order-list>`, {
        user: admin,
      });
      await settled(element);
      const expected = await expectedPage(ofAccount(admin), NEWEST_FIRST, 25);
      expect(expected['@odata.count'], 'the house account has no orders').to.equal(0);
      expect(element.matches(':state(empty)')).to.equal(true);
      const empty = shadow(element).querySelector('[part="empty"]')!;
      expect(empty.textContent).to.contain('No orders yet');
      expect(empty.querySelector('a')!.getAttribute('href')).to.equal('/orders/new');
      expect(shadow(element).querySelector('[part="no-results"]')).to.equal(null);
      await expect(element).to.be.accessible();
    });

    it('no results: distinct from empty, with Clear filters', async () => {
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list search="zz-no-such-order-zz"></scm-order-list>`, {
        user: oneilUser,
      });
      await settled(element);
      expect(element.matches(':state(no-results)')).to.equal(true);
      expect(element.matches(':state(empty)')).to.equal(false);
      expect(shadow(element).querySelector('[part="no-results"]')!.textContent).to.contain('No orders match “zz-no-such-order-zz”');
      await expect(element).to.be.accessible();
      button(element, 'Clear filters').click();
      await settled(element);
      expect(element.hasAttribute('search')).to.equal(false);
      expect(tableRows(element).length).to.be.greaterThan(0);
    });

    it('error: says what happened and retries', async () => {
      let failing = true;
      const breaking: typeof fetch = (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (failing && url.includes('/_api/salesorders')) {
          // The server fails (a Power Pages CDSError): the network boundary, not our code, is what breaks.
          const body = JSON.stringify({ error: { code: '9004010D', message: 'CDSError' } });
          return Promise.resolve(new Response(body, { status: 500, headers: { 'Content-Type': 'application/json' } }));
        }
        return fetch(input, init);
      };
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`, { user: oneilUser, fetch: breaking });
      await settled(element);
      expect(element.matches(':state(error)')).to.equal(true);
      const error = shadow(element).querySelector('[part="error"]')!;
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('could not be loaded');
      await expect(element).to.be.accessible();
      failing = false;
      button(element, 'Retry').click();
      await settled(element);
      expect(element.matches(':state(error)')).to.equal(false);
      expect(tableRows(element).length).to.be.greaterThan(0);
    });

    it('signed out: the gate instead of the list', async () => {
      const { element } = await portalFixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`, { user: null });
      await element.updateComplete;
      const gate = shadow(element).querySelector('[part="gate"]')!;
      expect(gate.textContent).to.contain('Sign in to see your orders');
      expect(shadow(element).querySelector('table')).to.equal(null);
      await expect(element).to.be.accessible();
    });

    it('outside <scm-portal>: says it needs one', async () => {
      const element = await fixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`);
      expect(shadow(element).querySelector('[part="gate"]')!.textContent).to.contain('needs a <scm-portal>');
      await expect(element).to.be.accessible();
    });
  });
});
