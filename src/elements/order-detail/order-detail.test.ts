import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import {
  apiGet,
  countingFetch,
  droppingFetch,
  heldFetch,
  isApiRequest,
  pickUser,
  portalFixture,
  signIn,
  type CountingFetch,
  type PortalUser,
  type SeenRequest,
} from '../../../test/support/portal.js';
import { ProcessingStatus } from '../../tables/choices.js';
import type { ReorderDetail } from '../../events.js';
import './order-detail.js';
import type { ScmOrderDetail } from './order-detail.js';

// Every expectation is computed by asking the emulator directly (plain fetch, OData written out by hand here),
// never hard-coded and never through the code under test. The emulator is shared by every test file of the run:
// these tests use the customers US-007 (Pioneer Agricultural Co-op) and US-003 (Keller & Boyd), which no other
// file moves through SCM, and only the order they advance themselves changes.

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const PREFER_ALL = 'odata.include-annotations="*"';

interface ApiLine {
  salesorderdetailid: string;
  sequencenumber: number;
  msdyn_linedescription: string | null;
  _productid_value: string;
  _uomid_value: string;
  quantity: number;
  priceperunit: number;
  extendedamount: number;
  msdyn_linestatus: number;
  [annotation: string]: unknown;
}
interface ApiInvoice {
  invoiceid: string;
  msdyn_invoicenumber: string;
  msdyn_invoicedate: string;
  totalamount: number;
}
interface ApiOrder {
  salesorderid: string;
  ordernumber: string;
  msdyn_salesordernumber: string | null;
  msdyn_processingstatus: number | null;
  totallineitemamount: number;
  totaldiscountamount: number;
  totaltax: number;
  freightamount: number;
  totalamount: number;
  _transactioncurrencyid_value: string;
  _msdyn_contactperson_value: string | null;
  msdyn_formatteddeliveryaddress?: string | null;
  order_details: ApiLine[];
  order_invoices: ApiInvoice[];
  [annotation: string]: unknown;
}

/** The order as the emulator holds it, read as the signed-in user (written out by hand, independent of the service). */
async function emulatorOrder(id: string): Promise<ApiOrder & { currency: string }> {
  const order = await apiGet<ApiOrder>(
    `salesorders(${id})?$select=salesorderid,ordernumber,msdyn_salesordernumber,msdyn_processingstatus,totallineitemamount,` +
      'totaldiscountamount,totaltax,freightamount,totalamount,_transactioncurrencyid_value,_msdyn_contactperson_value,' +
      'msdyn_formatteddeliveryaddress' +
      '&$expand=order_details($select=salesorderdetailid,sequencenumber,msdyn_linedescription,_productid_value,_uomid_value,' +
      'quantity,priceperunit,extendedamount,msdyn_linestatus;$orderby=sequencenumber),' +
      'order_invoices($select=invoiceid,msdyn_invoicenumber,msdyn_invoicedate,totalamount;$orderby=msdyn_invoicedate)',
    { prefer: PREFER_ALL },
  );
  const currency = await apiGet<{ isocurrencycode: string }>(
    `transactioncurrencies(${order._transactioncurrencyid_value})?$select=isocurrencycode`,
  );
  return { ...order, currency: currency.isocurrencycode };
}

/** Orders of the signed-in user's scope matching `filter` (OData text written here). */
async function emulatorOrders(filter: string, top = 20): Promise<ApiOrder[]> {
  const page = await apiGet<{ value: ApiOrder[] }>(
    `salesorders?$select=salesorderid,ordernumber,msdyn_salesordernumber,msdyn_processingstatus,_msdyn_contactperson_value` +
      `&$filter=${encodeURIComponent(filter)}&$orderby=createdon desc&$top=${top}`,
  );
  return page.value;
}

const money = (amount: number, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
const dayText = (day: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day.slice(0, 10)}T00:00:00Z`));
const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

const shadow = (el: ScmOrderDetail) => el.shadowRoot!;
const part = (el: ScmOrderDetail, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);
const textOf = (el: ScmOrderDetail, name: string) => squash(part(el, name)?.textContent);
const lineRows = (el: ScmOrderDetail) => [...shadow(el).querySelectorAll<HTMLTableRowElement>('.lines-table tbody tr')];
const cell = (row: Element, column: string) => squash(row.querySelector(`[data-column="${column}"]`)?.textContent);
const total = (el: ScmOrderDetail, name: string) => squash(shadow(el).querySelector(`[data-total="${name}"]`)?.textContent);
const button = (el: ScmOrderDetail, text: string) =>
  [...shadow(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => squash(b.textContent) === text)!;
const liveRegion = (el: ScmOrderDetail) => squash(shadow(el).querySelector('.live-region')?.textContent);

/** Waits until the element shows a result: the order, not found, or an error. */
async function settled(el: ScmOrderDetail): Promise<void> {
  await el.updateComplete;
  await waitUntil(() => shadow(el).querySelector('[part~="base"], [part="not-found"], [part="error"]'), 'the order did not load', {
    timeout: 15000,
  });
  await el.updateComplete;
}

/** Order reads (salesorders by key or by filter, with the expands) the element sent. */
const orderReads = (counter: CountingFetch) =>
  counter.requests.filter((r: SeenRequest) => isApiRequest(r) && /\/salesorders[(?]/.test(r.url) && decodeURIComponent(r.url).includes('$expand='));
/** Requests the detail must never need: the lines, invoices, products, units or currencies on their own. */
const sideReads = (counter: CountingFetch) =>
  counter.requests.filter((r) => isApiRequest(r) && /\/(salesorderdetails|invoices|products|uoms|transactioncurrencies)\b/.test(r.url));

interface AdvanceAnswer {
  moves: { orderId: string; salesOrderNumber: string; from: number | null; to: number; invoiceId?: string }[];
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

describe('<scm-order-detail>', () => {
  let buyer: PortalUser; // authorized user of US-007
  let colleague: PortalUser; // the other authorized user of US-007
  let rep: PortalUser; // customer representative of US-007
  let stranger: PortalUser; // authorized user of US-003
  /** An invoiced order of the buyer, with its invoices (never moved by any test). */
  let invoiced: ApiOrder;
  /** An order of the colleague. */
  let colleaguesOrder: ApiOrder;
  /** An order of another customer. */
  let strangersOrder: ApiOrder;

  before(async () => {
    buyer = await pickUser({ accountNumber: 'US-007', role: 'authorized-user', index: 0 });
    colleague = await pickUser({ accountNumber: 'US-007', role: 'authorized-user', index: 1 });
    rep = await pickUser({ accountNumber: 'US-007', role: 'customer-representative' });
    stranger = await pickUser({ accountNumber: 'US-003', role: 'authorized-user' });
    await signIn(stranger);
    [strangersOrder] = await emulatorOrders(`msdyn_salesordernumber ne null`, 1);
    await signIn(colleague);
    [colleaguesOrder] = await emulatorOrders(`_msdyn_contactperson_value eq ${colleague.contactId}`, 1);
    await signIn(buyer);
    const invoicedOrders = await emulatorOrders(`msdyn_processingstatus eq ${ProcessingStatus.Invoiced}`, 10);
    for (const candidate of invoicedOrders) {
      const full = await emulatorOrder(candidate.salesorderid);
      if (full.order_invoices.length > 0 && full.order_details.length > 1) {
        invoiced = full;
        break;
      }
    }
    expect(invoiced, 'the buyer has an invoiced order with invoices and several lines').to.not.equal(undefined);
    expect(strangersOrder).to.not.equal(undefined);
    expect(colleaguesOrder).to.not.equal(undefined);
  });

  afterEach(async () => {
    await setViewport({ width: 1024, height: 768 });
    await emulateMedia({ media: 'screen' });
  });

  describe('an order', () => {
    it('shows header, lines, totals and invoices as the emulator holds them, in one request', async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${invoiced.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: buyer, fetch: counter, locale: 'en-US' },
      );
      await settled(element);
      const expected = await emulatorOrder(invoiced.salesorderid);

      expect(orderReads(counter), 'one request for the whole order').to.have.length(1);
      expect(sideReads(counter), 'nothing fetched on the side').to.have.length(0);
      const url = decodeURIComponent(orderReads(counter)[0]!.url);
      expect(url).to.contain(`/salesorders(${invoiced.salesorderid})`);
      expect(url).to.match(/order_details\(\$select=[^;)]+;\$orderby=sequencenumber/);
      expect(url).to.contain('order_invoices(');

      // Header
      expect(textOf(element, 'number')).to.equal(expected.msdyn_salesordernumber);
      expect(part(element, 'pending')).to.equal(null);
      expect(textOf(element, 'status')).to.equal(expected[`msdyn_processingstatus${FORMATTED}`]);
      expect(squash(part(element, 'facts')!.textContent)).to.contain(String(expected[`_msdyn_contactperson_value${FORMATTED}`]));
      const address = part(element, 'address')!;
      expect(address.localName).to.equal('address');
      const addressLines = [...address.querySelectorAll('span')].map((span) => squash(span.textContent));
      for (const line of expected.msdyn_formatteddeliveryaddress!.split('\n')) expect(addressLines).to.include(squash(line));

      // Timeline: five steps, Invoiced is the current one, by text and aria-current
      const steps = [...shadow(element).querySelectorAll('[part="timeline"] > li')];
      expect(steps.map((li) => squash(li.querySelector('.label')!.textContent))).to.deep.equal(['Active', 'Confirmed', 'Picked', 'Delivered', 'Invoiced']);
      const current = steps.filter((li) => li.getAttribute('aria-current') === 'step');
      expect(current).to.have.length(1);
      expect(squash(current[0]!.textContent)).to.contain('Invoiced').and.to.contain('Now');
      expect(squash(steps[0]!.textContent)).to.contain('Done');

      // Lines, in line order
      const rows = lineRows(element);
      expect(rows.map((r) => r.dataset.id)).to.deep.equal(expected.order_details.map((l) => l.salesorderdetailid));
      expected.order_details.forEach((line, i) => {
        const row = rows[i]!;
        expect(cell(row, 'product')).to.equal(line.msdyn_linedescription ?? line[`_productid_value${FORMATTED}`]);
        expect(cell(row, 'quantity')).to.equal(`${new Intl.NumberFormat('en-US').format(line.quantity)} ${line[`_uomid_value${FORMATTED}`]}`);
        expect(cell(row, 'unit-price')).to.equal(money(line.priceperunit, expected.currency));
        expect(cell(row, 'amount')).to.equal(money(line.extendedamount, expected.currency));
        expect(cell(row, 'status')).to.equal(line[`msdyn_linestatus${FORMATTED}`]);
      });

      // Totals: subtotal − discount + charges + tax = total, confirmed (the order is invoiced)
      expect(total(element, 'subtotal')).to.equal(money(expected.totallineitemamount + expected.totaldiscountamount, expected.currency));
      expect(total(element, 'tax')).to.equal(money(expected.totaltax, expected.currency));
      expect(total(element, 'charges')).to.equal(money(expected.freightamount, expected.currency));
      expect(total(element, 'total')).to.equal(money(expected.totalamount, expected.currency));
      expect(total(element, 'discount')).to.equal(
        expected.totaldiscountamount ? money(-expected.totaldiscountamount, expected.currency) : money(0, expected.currency),
      );
      expect(textOf(element, 'estimated')).to.equal('Confirmed');
      expect(element.matches(':state(estimated)')).to.equal(false);

      // Invoices
      const invoiceRows = [...part(element, 'invoices')!.querySelectorAll('tbody tr')];
      expect(invoiceRows.map((r) => cell(r, 'number'))).to.deep.equal(expected.order_invoices.map((i) => i.msdyn_invoicenumber));
      expect(invoiceRows.map((r) => cell(r, 'amount'))).to.deep.equal(expected.order_invoices.map((i) => money(i.totalamount, expected.currency)));
      expect(invoiceRows.map((r) => cell(r, 'date'))).to.deep.equal(expected.order_invoices.map((i) => dayText(i.msdyn_invoicedate)));

      await expect(element).to.be.accessible();
    });

    it('finds the same order by its SCM number and by its Dataverse number, each in one request', async () => {
      for (const number of [invoiced.msdyn_salesordernumber!, invoiced.ordernumber]) {
        const counter = countingFetch();
        const { element } = await portalFixture<ScmOrderDetail>(
          html`<scm-order-detail order-number=${number} live-interval="0"></scm-order-detail>`,
          { user: buyer, fetch: counter, locale: 'en-US' },
        );
        await settled(element);
        expect(textOf(element, 'number')).to.equal(invoiced.msdyn_salesordernumber);
        expect(lineRows(element).map((r) => r.dataset.id)).to.deep.equal(invoiced.order_details.map((l) => l.salesorderdetailid));
        expect(orderReads(counter), number).to.have.length(1);
        expect(sideReads(counter)).to.have.length(0);
        const read = new URL(orderReads(counter)[0]!.url);
        expect(read.searchParams.get('$top')).to.equal('1');
        expect(read.searchParams.get('$filter')).to.contain(`'${number}'`);
      }
    });

    it('marks totals "Estimated" until SCM has confirmed the prices, and an order without SCM number as pending sync', async () => {
      // Keller & Boyd (US-003) has orders just placed (no SCM number yet) and orders open in SCM (Active).
      const strangersRep = await pickUser({ accountNumber: 'US-003', role: 'customer-representative' });
      await signIn(strangersRep);
      const [open] = await emulatorOrders(`msdyn_salesordernumber ne null and msdyn_processingstatus eq ${ProcessingStatus.Active}`, 1);
      const [waiting] = await emulatorOrders('msdyn_salesordernumber eq null', 1);
      expect(open, 'an order open in SCM').to.not.equal(undefined);
      expect(waiting, 'an order not yet in SCM').to.not.equal(undefined);
      for (const order of [open!, waiting!]) {
        const { element } = await portalFixture<ScmOrderDetail>(
          html`<scm-order-detail order-id=${order.salesorderid} live-interval="0"></scm-order-detail>`,
          { user: strangersRep, locale: 'en-US' },
        );
        await settled(element);
        expect(textOf(element, 'estimated')).to.equal('Estimated');
        expect(element.matches(':state(estimated)')).to.equal(true);
        expect(squash(part(element, 'totals')!.textContent)).to.contain('confirmed by Supply Chain Management when it confirms the order');
        if (order.msdyn_salesordernumber === null) {
          expect(textOf(element, 'number')).to.equal(order.ordernumber);
          expect(textOf(element, 'pending')).to.equal('pending sync');
          expect(shadow(element).querySelectorAll('[aria-current="step"]')).to.have.length(0);
          expect(textOf(element, 'status')).to.equal('Waiting for Supply Chain Management');
        } else {
          expect(shadow(element).querySelector('[aria-current="step"]')!.getAttribute('data-step')).to.equal('active');
        }
        await expect(element).to.be.accessible();
      }
    });

    it('shows a partly delivered order as such, in text', async () => {
      await signIn(rep);
      const [partial] = await emulatorOrders(`msdyn_processingstatus eq ${ProcessingStatus.PartiallyDelivered}`, 1);
      expect(partial, 'the customer has a partly delivered order').to.not.equal(undefined);
      const expected = await emulatorOrder(partial!.salesorderid);
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${partial!.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: rep, locale: 'en-US' },
      );
      await settled(element);
      const current = shadow(element).querySelector('[aria-current="step"]')!;
      expect(current.getAttribute('data-step')).to.equal('delivered');
      expect(squash(current.textContent)).to.contain(String(expected[`msdyn_processingstatus${FORMATTED}`])).and.to.contain('in part');
      expect(squash(part(element, 'timeline')!.parentElement!.textContent)).to.contain('the rest is still to be delivered');
      // The earlier steps are done, the later one is not
      const states = [...shadow(element).querySelectorAll('[part="timeline"] > li')].map((li) => squash(li.querySelector('.state')!.textContent));
      expect(states).to.deep.equal(['Done', 'Done', 'Done', 'Now, in part', 'Not yet']);
      await expect(element).to.be.accessible();
    });

    it('shows a cancelled order as cancelled, in text', async () => {
      await signIn(rep);
      const [cancelled] = await emulatorOrders(`msdyn_processingstatus eq ${ProcessingStatus.Cancelled}`, 1);
      expect(cancelled, 'the customer has a cancelled order').to.not.equal(undefined);
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${cancelled!.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: rep, locale: 'en-US' },
      );
      await settled(element);
      const current = shadow(element).querySelector('[aria-current="step"]')!;
      expect(current.getAttribute('data-step')).to.equal('cancelled');
      expect(squash(current.textContent)).to.contain('Cancelled');
      expect(squash(part(element, 'timeline')!.parentElement!.textContent)).to.contain('was cancelled');
      await expect(element).to.be.accessible();
    });
  });

  describe('not found, not yours', () => {
    /** The text of the not-found message for `locator`, as `user` sees it. */
    async function notFoundText(user: PortalUser, attributes: { id?: string; number?: string }): Promise<string> {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${attributes.id ?? ''} order-number=${attributes.number ?? ''} live-interval="0"></scm-order-detail>`,
        { user, fetch: counter, locale: 'en-US' },
      );
      await settled(element);
      expect(part(element, 'not-found'), JSON.stringify(attributes)).to.not.equal(null);
      expect(part(element, 'base')).to.equal(null);
      expect(element.matches(':state(not-found)')).to.equal(true);
      await expect(element).to.be.accessible();
      return squash(shadow(element).textContent);
    }

    it("gives another customer's order the same answer as a random GUID, by id and by number", async () => {
      const random = crypto.randomUUID();
      const unknown = await notFoundText(buyer, { id: random });
      expect(await notFoundText(buyer, { id: strangersOrder.salesorderid })).to.equal(unknown);
      expect(await notFoundText(buyer, { number: strangersOrder.msdyn_salesordernumber! })).to.equal(unknown);
      expect(await notFoundText(buyer, { number: 'SO-NO-SUCH-ORDER' })).to.equal(unknown);
      expect(unknown).to.not.contain(strangersOrder.msdyn_salesordernumber!);
    });

    it("keeps an authorized user out of a colleague's order, and lets the representative in", async () => {
      const unknown = await notFoundText(buyer, { id: crypto.randomUUID() });
      expect(await notFoundText(buyer, { id: colleaguesOrder.salesorderid })).to.equal(unknown);

      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${colleaguesOrder.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: rep, locale: 'en-US' },
      );
      await settled(element);
      expect(textOf(element, 'number')).to.equal(colleaguesOrder.msdyn_salesordernumber ?? colleaguesOrder.ordernumber);
      expect(squash(part(element, 'facts')!.textContent)).to.contain(colleague.name);
    });

    it('answers an id that is not a GUID with the same message, without asking the server', async () => {
      const counter = countingFetch();
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id="1 or 1=1" live-interval="0"></scm-order-detail>`,
        { user: buyer, fetch: counter },
      );
      await settled(element);
      expect(part(element, 'not-found')).to.not.equal(null);
      expect(orderReads(counter)).to.have.length(0);
    });
  });

  describe('actions', () => {
    async function shown(user = buyer, id = invoiced.salesorderid) {
      const { element, portal } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${id} live-interval="0"></scm-order-detail>`,
        { user, locale: 'en-US' },
      );
      await settled(element);
      return { element, portal };
    }

    it('Reorder fires scm-reorder (bubbling, composed) with the lines, and never because the host changed an attribute', async () => {
      const { element } = await shown();
      const seen: CustomEvent<ReorderDetail>[] = [];
      const record = (e: CustomEvent<ReorderDetail>) => seen.push(e);
      document.addEventListener('scm-reorder', record);
      try {
        // The host changes attributes: another order loads, no event.
        element.orderId = colleaguesOrder.salesorderid;
        await settled(element);
        element.orderId = invoiced.salesorderid;
        await waitUntil(() => textOf(element, 'number') === invoiced.msdyn_salesordernumber, 'the first order came back');
        expect(seen).to.have.length(0);

        const event = oneEvent(document, 'scm-reorder');
        button(element, 'Reorder').click();
        const { detail, bubbles, composed } = (await event) as CustomEvent<ReorderDetail>;
        expect(bubbles && composed).to.equal(true);
        expect(detail.sourceOrderId).to.equal(invoiced.salesorderid);
        expect(detail.lines.map(({ productId, quantity, unitId }) => ({ productId, quantity, unitId }))).to.deep.equal(
          invoiced.order_details.map((l) => ({ productId: l._productid_value, quantity: l.quantity, unitId: l._uomid_value })),
        );
        expect(seen).to.have.length(1);
        await waitUntil(() => liveRegion(element).includes('sent to a new order'), 'the reorder was not announced');
      } finally {
        document.removeEventListener('scm-reorder', record);
      }
    });

    it('copies the order number to the clipboard, with a visible "Copied" in a live region', async () => {
      const { element } = await shown();
      const copy = button(element, 'Copy order number');
      copy.focus();
      await sendKeys({ press: 'Enter' }); // a real key press: the user activation the Clipboard API wants
      await waitUntil(() => textOf(element, 'copy-status') !== '', 'no copy confirmation');
      const status = part(element, 'copy-status')!;
      expect(status.getAttribute('role')).to.equal('status');
      expect(squash(status.textContent)).to.equal(`Copied ${invoiced.msdyn_salesordernumber}`);
      expect(status.classList.contains('copied')).to.equal(true);
      // What is on the clipboard now: paste it into a field, as a user would (Ctrl+V).
      const field = document.createElement('textarea');
      field.setAttribute('aria-label', 'paste here');
      document.body.append(field);
      try {
        field.focus();
        await sendKeys({ down: 'Control' });
        await sendKeys({ press: 'KeyV' });
        await sendKeys({ up: 'Control' });
        expect(field.value).to.equal(invoiced.msdyn_salesordernumber);
      } finally {
        field.remove();
      }
      await expect(element).to.be.accessible();
    });

    it('when the clipboard is refused, selects the number and says how to copy it', async () => {
      const { element } = await shown();
      // The browser's Clipboard API refuses, as it does without permission (a browser API, not our code).
      const clipboard = navigator.clipboard;
      const original = clipboard.writeText;
      Object.defineProperty(clipboard, 'writeText', {
        configurable: true,
        value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
      });
      try {
        button(element, 'Copy order number').click();
        await waitUntil(() => textOf(element, 'copy-status').includes('Ctrl+C'), 'no fallback hint');
        expect(window.getSelection()!.toString()).to.equal(invoiced.msdyn_salesordernumber);
        expect(part(element, 'copy-status')!.classList.contains('copied')).to.equal(false);
      } finally {
        Object.defineProperty(clipboard, 'writeText', { configurable: true, value: original });
      }
    });

    it('Print opens the print dialog, and the print stylesheet leaves the buttons out', async () => {
      const { element } = await shown();
      const originalPrint = window.print;
      let printed = 0;
      window.print = () => void printed++; // the browser's dialog would block a headless run
      try {
        button(element, 'Print').click();
        expect(printed).to.equal(1);
      } finally {
        window.print = originalPrint;
      }
      expect(getComputedStyle(part(element, 'actions')!).display).to.not.equal('none');
      await emulateMedia({ media: 'print' });
      expect(getComputedStyle(part(element, 'actions')!).display).to.equal('none');
      expect(getComputedStyle(part(element, 'copy')!).display).to.equal('none');
      expect(getComputedStyle(shadow(element).querySelector('.lines-table')!).display).to.not.equal('none');
    });

    it('reaches every action with Tab and runs it with Enter or Space', async () => {
      const { element, portal } = await shown();
      const before = document.createElement('button');
      before.textContent = 'before';
      portal.before(before);
      const originalPrint = window.print;
      let printed = 0;
      window.print = () => void printed++;
      try {
        before.focus();
        const focused = () => squash(shadow(element).activeElement?.textContent);
        await sendKeys({ press: 'Tab' });
        expect(focused()).to.equal('Copy order number');
        await sendKeys({ press: 'Tab' });
        expect(focused()).to.equal('Reorder');
        const event = oneEvent(element, 'scm-reorder');
        await sendKeys({ press: 'Enter' });
        expect((await event).detail.sourceOrderId).to.equal(invoiced.salesorderid);
        const again = oneEvent(element, 'scm-reorder');
        await sendKeys({ press: 'Space' });
        await again;
        await sendKeys({ press: 'Tab' });
        expect(focused()).to.equal('Print');
        await sendKeys({ press: 'Space' });
        await sendKeys({ press: 'Enter' });
        expect(printed).to.equal(2);
        await sendKeys({ down: 'Shift' });
        await sendKeys({ press: 'Tab' });
        await sendKeys({ press: 'Tab' });
        await sendKeys({ up: 'Shift' });
        expect(focused()).to.equal('Copy order number');
        await sendKeys({ press: 'Space' });
        await waitUntil(() => textOf(element, 'copy-status') !== '', 'Space did not copy');
      } finally {
        window.print = originalPrint;
        before.remove();
      }
    });
  });

  describe('live status', () => {
    it('moves the status on screen when SCM moves the order, with conditional GETs while nothing changes', async () => {
      await signIn(rep);
      const [delivered] = await emulatorOrders(`msdyn_processingstatus eq ${ProcessingStatus.Delivered}`, 1);
      expect(delivered, 'the customer has a delivered order (SCM invoices it next)').to.not.equal(undefined);
      const before = await emulatorOrder(delivered!.salesorderid);

      const statuses: { url: string; status: number }[] = [];
      const counter = countingFetch(async (input, init) => {
        const response = await globalThis.fetch(input, init);
        statuses.push({ url: String(input instanceof Request ? input.url : input), status: response.status });
        return response;
      });
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${delivered!.salesorderid} live-interval="0.2"></scm-order-detail>`,
        { user: rep, fetch: counter, locale: 'en-US' },
      );
      await settled(element);
      await waitUntil(() => element.matches(':state(live)'), 'live updates did not start');
      expect(textOf(element, 'status')).to.equal('Delivered');

      // While nothing changes: 304s, no second full read.
      const conditional = () => statuses.filter((s) => /\/salesorders\([^)]+\)\?\$select=salesorderid$/.test(decodeURIComponent(s.url)));
      await waitUntil(() => conditional().length >= 2, 'no conditional checks');
      expect(conditional().every((s) => s.status === 304)).to.equal(true);
      expect(orderReads(counter)).to.have.length(1);

      const { moves } = await advance(delivered!.salesorderid);
      expect(moves.map((m) => m.to)).to.deep.equal([ProcessingStatus.Invoiced]);
      const after = await emulatorOrder(delivered!.salesorderid);
      await waitUntil(() => textOf(element, 'status') === after[`msdyn_processingstatus${FORMATTED}`], 'the status did not move', {
        timeout: 10000,
      });
      expect(shadow(element).querySelector('[aria-current="step"]')!.getAttribute('data-step')).to.equal('invoiced');
      await waitUntil(() => liveRegion(element).includes(`is now ${after[`msdyn_processingstatus${FORMATTED}`]}`), 'not announced');
      // The new invoice is there too (the order was read again, once).
      const invoiceNumbers = [...part(element, 'invoices')!.querySelectorAll('tbody tr')].map((r) => cell(r, 'number'));
      expect(invoiceNumbers).to.deep.equal(after.order_invoices.map((i) => i.msdyn_invoicenumber));
      expect(after.order_invoices.length).to.equal(before.order_invoices.length + 1);
      expect(orderReads(counter)).to.have.length(2);
      // Invoiced is final: watching stops.
      await waitUntil(() => !element.matches(':state(live)'), 'live updates did not stop on a final status');
      await expect(element).to.be.accessible();
    });
  });

  describe('states', () => {
    it('shows a loading skeleton while the order loads', async () => {
      const held = heldFetch((r) => isApiRequest(r) && /\/salesorders\(/.test(r.url));
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${invoiced.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: buyer, fetch: held },
      );
      await waitUntil(() => held.waiting > 0, 'the order request was not sent');
      await element.updateComplete;
      expect(part(element, 'skeleton')).to.not.equal(null);
      expect(element.matches(':state(loading)')).to.equal(true);
      expect(shadow(element).querySelector('[aria-busy="true"]')).to.not.equal(null);
      await expect(element).to.be.accessible();
      held.release();
      await settled(element);
      expect(element.matches(':state(loading)')).to.equal(false);
    });

    it('shows an error with Retry, and Retry loads the order', async () => {
      // The site fails the order read the way Power Pages does (500 CDSError) until it recovers: only the network
      // answer is replaced, the library runs as is.
      let failing = true;
      const failingSite: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (failing && /\/_api\/salesorders\(/.test(url)) {
          return new Response(JSON.stringify({ error: { code: '9004010D', message: 'The service is temporarily unavailable.' } }), {
            status: 500,
            headers: { 'Content-Type': 'application/json' },
          });
        }
        return globalThis.fetch(input, init);
      };
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${invoiced.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: buyer, fetch: failingSite },
      );
      await settled(element);
      expect(part(element, 'error')).to.not.equal(null);
      expect(element.matches(':state(error)')).to.equal(true);
      expect(textOf(element, 'error')).to.contain('could not be loaded');
      await expect(element).to.be.accessible();
      failing = false;
      button(element, 'Retry').click();
      await waitUntil(() => part(element, 'base'), 'Retry did not load the order');
      expect(textOf(element, 'number')).to.equal(invoiced.msdyn_salesordernumber);
    });

    it('says the server cannot be reached when the network fails (after the client has retried)', async () => {
      // Every attempt of the client's retries fails like a dropped connection.
      const dropping = droppingFetch(/\/_api\/salesorders\(/);
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${invoiced.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: buyer, fetch: dropping },
      );
      await settled(element);
      expect(textOf(element, 'error')).to.contain('cannot be reached');
      expect(dropping.dropped).to.be.greaterThan(1);
    });

    it('says so when no order is chosen', async () => {
      const { element } = await portalFixture<ScmOrderDetail>(html`<scm-order-detail></scm-order-detail>`, { user: buyer });
      await element.updateComplete;
      expect(textOf(element, 'empty')).to.contain('No order chosen');
      await expect(element).to.be.accessible();
    });

    it('asks to sign in when signed out', async () => {
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${invoiced.salesorderid}></scm-order-detail>`,
        { user: null },
      );
      await element.updateComplete;
      expect(textOf(element, 'gate')).to.contain('Sign in to see this order');
      await expect(element).to.be.accessible();
    });

    it('says it needs <scm-portal> when used alone', async () => {
      const element = await fixture<ScmOrderDetail>(html`<scm-order-detail order-id=${invoiced.salesorderid}></scm-order-detail>`);
      expect(textOf(element, 'gate')).to.contain('needs a <scm-portal>');
      await expect(element).to.be.accessible();
    });

    it('lays the lines out as cards on a phone, without horizontal scrolling', async () => {
      await setViewport({ width: 375, height: 800 });
      const { element } = await portalFixture<ScmOrderDetail>(
        html`<scm-order-detail order-id=${invoiced.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: buyer, locale: 'en-US' },
      );
      await settled(element);
      expect(getComputedStyle(shadow(element).querySelector('.lines-table')!).display).to.equal('none');
      const cards = [...shadow(element).querySelectorAll<HTMLElement>('.line-card')];
      expect(cards).to.have.length(invoiced.order_details.length);
      expect(cards.every((card) => card.offsetParent !== null)).to.equal(true);
      expect(element.scrollWidth).to.be.at.most(element.clientWidth + 1);
      await expect(element).to.be.accessible();
    });
  });
});
