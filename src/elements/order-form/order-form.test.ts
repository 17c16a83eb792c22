import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import {
  apiGet,
  apiGetAll,
  countingFetch,
  pickUser,
  portalFixture,
  signIn,
  type PortalUser,
} from '../../../test/support/portal.js';
import { Emulator, MemoryStore, createEmulatorFetch, generateSeed, lookupIndexes, type SeedUser } from '../../emulator/index.js';
import { FaultInjector } from '../../emulator/faults.js';
import type { OrderSubmitDetail } from '../../events.js';
import { powerPagesRoleNames } from '../../portal/session-service.js';
import { tables } from '../../tables/index.js';
import './order-form.js';
import type { ScmOrderForm } from './order-form.js';

// Every expectation is computed by asking the emulator directly (plain fetch, OData written out by hand), never
// through the code under test. The emulator is shared by the whole run: these tests order for the customer
// "Northgate Facilities Services" (US-006), whose two authorized users no other test file uses, and compare
// counts relative to what the emulator says before each action.

const ACCOUNT = 'US-006';

type Json = Record<string, unknown>;

interface ApiPriceListItem {
  amount: number;
  _productid_value: string;
  _uomid_value: string;
  productid: { productid: string; name: string; msdyn_productnumber: string; statecode: number };
  uomid: { uomid: string; msdyn_symbol: string; msdyn_decimalprecision: number };
}

/** A sellable product as the price list says, for expectations. */
interface CatalogueItem {
  readonly productId: string;
  readonly itemNumber: string;
  readonly name: string;
  readonly unitId: string;
  readonly symbol: string;
  readonly decimals: number;
  readonly price: number;
}

interface Expectations {
  readonly contact: Json;
  readonly account: Json;
  readonly catalogue: readonly CatalogueItem[];
  readonly retired: { productid: string; msdyn_productnumber: string; name: string };
}

async function expectationsFor(user: PortalUser): Promise<Expectations> {
  const contact = await apiGet<Json>(
    `contacts(${user.contactId})?$select=fullname,emailaddress1,mspp_userpreferredlcid,_msdyn_company_value,_transactioncurrencyid_value,_defaultpricelevelid_value`,
  );
  const account = await apiGet<Json>(
    `accounts(${user.accountId})?$select=name,address1_line1,address1_line2,address1_city,address1_stateorprovince,address1_postalcode,address1_country`,
  );
  const items = await apiGetAll<ApiPriceListItem>(
    `productpricelevels?$select=amount,_productid_value,_uomid_value&$filter=_pricelevelid_value eq ${String(contact._defaultpricelevelid_value)}` +
      `&$expand=productid($select=name,msdyn_productnumber,statecode),uomid($select=msdyn_symbol,msdyn_decimalprecision)`,
  );
  const catalogue = items
    .filter((item) => item.productid.statecode === 0)
    .map((item) => ({
      productId: item._productid_value,
      itemNumber: item.productid.msdyn_productnumber,
      name: item.productid.name,
      unitId: item._uomid_value,
      symbol: item.uomid.msdyn_symbol,
      decimals: item.uomid.msdyn_decimalprecision,
      price: item.amount,
    }))
    .sort((a, b) => a.itemNumber.localeCompare(b.itemNumber));
  const retired = (
    await apiGet<{ value: Expectations['retired'][] }>('products?$select=productid,msdyn_productnumber,name&$filter=statecode eq 1&$top=1')
  ).value[0]!;
  return { contact, account, catalogue, retired };
}

/** Orders placed by a contact, counted by the emulator. */
async function orderCount(user: PortalUser): Promise<number> {
  const body = await apiGet<Json>(`salesorders?$select=salesorderid&$filter=_msdyn_contactperson_value eq ${user.contactId}&$count=true&$top=1`);
  return Number(body['@odata.count']);
}

/** Orders with this id (0 or 1 — a primary key), counted by the emulator. */
async function ordersWithId(id: string): Promise<number> {
  const body = await apiGet<Json>(`salesorders?$select=salesorderid&$filter=salesorderid eq ${id}&$count=true`);
  return Number(body['@odata.count']);
}

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers (what a user sees: labels, buttons, text)

const shadow = (el: ScmOrderForm) => el.shadowRoot!;
const text = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The control a visible `<label>` with exactly this text is for. */
function control<T extends HTMLElement = HTMLInputElement>(el: ScmOrderForm, label: string): T {
  const found = [...shadow(el).querySelectorAll('label')].find((l) => text(l) === label);
  if (!found) throw new Error(`No field labelled "${label}" (labels: ${[...shadow(el).querySelectorAll('label')].map(text).join(', ')})`);
  return shadow(el).getElementById(found.htmlFor) as T;
}

/** The button whose text is exactly `name` (visually hidden text included, as a screen reader reads it). */
function button(el: ScmOrderForm, name: string): HTMLButtonElement {
  const found = [...shadow(el).querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`No button "${name}" (buttons: ${[...shadow(el).querySelectorAll('button')].map(text).join(' | ')})`);
  return found;
}

/** The error message a field's `aria-describedby` points at (empty when none). */
function errorOf(el: ScmOrderForm, field: HTMLElement): string {
  const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids
    .map((id) => shadow(el).getElementById(id))
    .filter((node): node is HTMLElement => node?.classList.contains('error') === true)
    .map(text)
    .join(' ');
}

const stepTitle = (el: ScmOrderForm) => text(shadow(el).querySelector('#step-title'));
const focused = (el: ScmOrderForm) => shadow(el).activeElement as HTMLElement | null;

/**
 * Waits until the form shows a step; on the first step, until the delivery addresses are loaded too (a restored
 * draft opens on the step it was left on).
 */
async function formReady(el: ScmOrderForm): Promise<void> {
  await waitUntil(
    () =>
      shadow(el).querySelector('#step-title') &&
      (el.step !== 'information' || shadow(el).querySelectorAll('#delivery-address option:not([data-loading])').length > 2),
    'the order form did not load',
    { timeout: 15000 },
  );
  await el.updateComplete;
}

async function renderForm(user: PortalUser, markup = html`<scm-order-form sync-interval="0.5"></scm-order-form>`, fetchImpl?: typeof fetch) {
  const { element, portal } = await portalFixture<ScmOrderForm>(markup, { user, fetch: fetchImpl });
  await formReady(element);
  return { element, portal };
}

/** Presses Tab until `predicate` holds for the focused element (at most 40 times). */
async function tabTo(el: ScmOrderForm, predicate: (node: HTMLElement) => boolean, what: string): Promise<HTMLElement> {
  for (let i = 0; i < 40; i++) {
    const node = focused(el);
    if (node && predicate(node)) return node;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`Tab never reached ${what}`);
}

/** `YYYY-MM-DD` of today plus `days`, in the browser's time zone. */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** What a user types into Chromium's date field for a day (its segments follow the browser's locale). */
function dateKeys(day: string): string {
  const [y, m, d] = day.split('-');
  const parts = new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(Number(y), Number(m) - 1, Number(d)));
  return parts
    .filter((p) => p.type === 'year' || p.type === 'month' || p.type === 'day')
    .map((p) => (p.type === 'year' ? y : p.type === 'month' ? m : d))
    .join('');
}

// ---------------------------------------------------------------------------------------------------------------

describe('<scm-order-form>', function () {
  this.timeout(90000);

  let user: PortalUser;
  let colleague: PortalUser;
  let expected: Expectations;

  before(async () => {
    user = await pickUser({ role: 'authorized-user', accountNumber: ACCOUNT, index: 0 });
    colleague = await pickUser({ role: 'authorized-user', accountNumber: ACCOUNT, index: 1 });
    await signIn(user);
    expected = await expectationsFor(user);
  });

  beforeEach(async () => {
    sessionStorage.clear();
    await setViewport({ width: 1024, height: 900 });
  });

  it('the whole flow by keyboard creates exactly one order with every column dual-write needs', async () => {
    const before = await orderCount(user);
    const { element: el } = await renderForm(user);
    const submitted: OrderSubmitDetail[] = [];
    el.addEventListener('scm-order-submit', (e) => submitted.push(e.detail));
    expect(stepTitle(el)).to.equal('Order information');
    await expect(el).to.be.accessible();

    // Step 1 — Order information.
    const receipt = dayFromToday(9);
    control(el, 'Requested receipt date').focus();
    await sendKeys({ type: dateKeys(receipt) });
    expect(control(el, 'Requested receipt date').value).to.equal(receipt);
    await tabTo(el, (n) => n.id === 'delivery-address', 'the delivery address');
    const select = control<HTMLSelectElement>(el, 'Delivery address');
    const firstChoice = select.value;
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(select.value).to.not.equal(firstChoice);
    const chosenAddress = select.value;
    await tabTo(el, (n) => n.id === 'customer-reference', 'the customer reference');
    const reference = `PO O'Hara & Sons #${Date.now() % 100000}`;
    await sendKeys({ type: reference });
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.id).to.equal('requisition-number');
    await sendKeys({ type: 'REQ-7781' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(stepTitle(el)).to.equal('Items');
    expect(focused(el)?.id).to.equal('step-title');
    await expect(el).to.be.accessible();

    // Step 2 — Items: the first product through the combobox with the arrow keys, the second by item number.
    const whole = expected.catalogue.find((item) => item.decimals === 0 && item.itemNumber.startsWith('D'))!;
    const metric = expected.catalogue.find((item) => item.decimals === 2)!;
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.id).to.equal('product');
    await sendKeys({ type: whole.itemNumber });
    await waitUntil(() => control(el, 'Product').getAttribute('aria-expanded') === 'true', 'the product list did not open');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(control(el, 'Product').getAttribute('aria-activedescendant')).to.equal('product-option-0');
    expect(text(shadow(el).querySelector('#product-option-0'))).to.contain(whole.name);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(control(el, 'Product').value).to.equal(`${whole.itemNumber} ${whole.name}`);
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.id).to.equal('quantity');
    await sendKeys({ type: '3' });
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.id).to.equal('unit');
    await sendKeys({ press: 'Tab' });
    expect(text(focused(el))).to.equal('Add item');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(focused(el)?.id).to.equal('product');

    await sendKeys({ type: metric.itemNumber });
    await waitUntil(() => control(el, 'Product').getAttribute('aria-expanded') === 'true', 'the product list did not open');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '2.5' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const lines = [...shadow(el).querySelectorAll('[part="line"]')];
    expect(lines.map((line) => text(line.querySelector('.item-number')))).to.deep.equal([whole.itemNumber, metric.itemNumber]);
    const total = Math.round((whole.price * 3 + metric.price * 2.5) * 100) / 100;
    const money = (n: number) => new Intl.NumberFormat(navigator.language, { style: 'currency', currency: 'USD' }).format(n);
    expect(text(shadow(el).querySelector('[part="totals"]'))).to.contain(money(total));
    await expect(el).to.be.accessible();

    await tabTo(el, (n) => text(n) === 'Next', 'Next');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(stepTitle(el)).to.equal('Review and submit');
    await expect(el).to.be.accessible();

    // Step 3 — Review and submit.
    await tabTo(el, (n) => text(n) === 'Submit order', 'Submit order');
    const event = oneEvent(el, 'scm-order-submit');
    await sendKeys({ press: 'Enter' });
    const detail = ((await event) as CustomEvent<OrderSubmitDetail>).detail;
    await waitUntil(() => shadow(el).querySelector('[part="success"]'), 'no confirmation');
    await el.updateComplete;
    expect(submitted).to.have.length(1);
    expect(detail.orderId).to.equal(el.orderId);
    expect(detail.orderNumber).to.match(/^ORD-/);
    expect(text(shadow(el).querySelector('[part="order-number"]'))).to.equal(detail.orderNumber);
    expect(text(shadow(el).querySelector('[part="pending"]'))).to.equal('Pending sync');
    await expect(el).to.be.accessible();

    // Exactly one order, with every column dual-write needs.
    expect(await orderCount(user)).to.equal(before + 1);
    expect(await ordersWithId(detail.orderId)).to.equal(1);
    const order = await apiGet<Json>(
      `salesorders(${detail.orderId})?$select=name,ordernumber,msdyn_ordertype,_msdyn_company_value,_transactioncurrencyid_value,` +
        `_pricelevelid_value,_customerid_value,_msdyn_invoicecustomerid_value,_msdyn_contactperson_value,msdyn_language,` +
        `msdyn_requestedreceiptdate,shipto_name,shipto_line1,shipto_line2,shipto_city,shipto_stateorprovince,shipto_postalcode,` +
        `shipto_country,msdyn_deliveryaddressdescription,msdyn_deliveryaddressname,msdyn_customersorderreference,` +
        `msdyn_customerrequisitionnumber,emailaddress` +
        `&$expand=order_details($select=_productid_value,_uomid_value,quantity,sequencenumber,shipto_line1,shipto_city,` +
        `shipto_postalcode,shipto_country,msdyn_deliveryaddressdescription;$orderby=sequencenumber)`,
    );
    const addresses = await apiGetAll<Json>(
      `msdyn_postaladdresses?$select=msdyn_street,msdyn_streetnumber,msdyn_buildingcompliment,msdyn_city,msdyn_state,msdyn_zipcode,` +
        `msdyn_countryregionid,msdyn_validto&$filter=_msdyn_postaladdresscollectionid_value eq ${chosenAddress}`,
    );
    const address = addresses.find((a) => String(a.msdyn_validto) >= new Date().toISOString())!;
    const location = await apiGet<Json>(`msdyn_postaladdresscollections(${chosenAddress})?$select=msdyn_description`);
    expect(order.name).to.equal('sales order');
    expect(order.ordernumber).to.equal(detail.orderNumber);
    expect(order.msdyn_ordertype).to.equal(192350000);
    expect(order._msdyn_company_value).to.equal(expected.contact._msdyn_company_value);
    expect(order._transactioncurrencyid_value).to.equal(expected.contact._transactioncurrencyid_value);
    expect(order._pricelevelid_value).to.equal(expected.contact._defaultpricelevelid_value);
    expect(order._customerid_value).to.equal(user.accountId);
    expect(order._msdyn_invoicecustomerid_value).to.equal(user.accountId);
    expect(order._msdyn_contactperson_value).to.equal(user.contactId);
    // The contact's portal language (a Windows LCID) as the SCM order language.
    const languages: Record<number, number> = { 1033: 192350015, 1031: 192350004, 1036: 192350021, 3082: 192350017 };
    expect(order.msdyn_language).to.equal(languages[Number(expected.contact.mspp_userpreferredlcid)]);
    expect(order.emailaddress).to.equal(expected.contact.emailaddress1);
    expect(order.msdyn_requestedreceiptdate).to.equal(receipt);
    expect(order.shipto_name).to.equal(expected.account.name);
    expect(order.msdyn_deliveryaddressname).to.equal(expected.account.name);
    expect(order.shipto_line1).to.equal(`${String(address.msdyn_streetnumber)} ${String(address.msdyn_street)}`);
    expect(order.shipto_line2 ?? null).to.equal(address.msdyn_buildingcompliment ?? null);
    expect(order.shipto_city).to.equal(address.msdyn_city);
    expect(order.shipto_stateorprovince).to.equal(address.msdyn_state);
    expect(order.shipto_postalcode).to.equal(address.msdyn_zipcode);
    expect(order.shipto_country).to.equal(address.msdyn_countryregionid);
    expect(order.msdyn_deliveryaddressdescription).to.equal(location.msdyn_description);
    expect(order.msdyn_customersorderreference).to.equal(reference);
    expect(order.msdyn_customerrequisitionnumber).to.equal('REQ-7781');
    const orderLines = order.order_details as Json[];
    expect(orderLines.map((l) => [l._productid_value, l._uomid_value, l.quantity, l.sequencenumber])).to.deep.equal([
      [whole.productId, whole.unitId, 3, 1],
      [metric.productId, metric.unitId, 2.5, 2],
    ]);
    for (const line of orderLines) {
      expect(line.shipto_country).to.equal(address.msdyn_countryregionid);
      expect(line.shipto_line1).to.equal(order.shipto_line1);
      expect(line.shipto_city).to.equal(order.shipto_city);
      expect(line.shipto_postalcode).to.equal(order.shipto_postalcode);
      expect(line.msdyn_deliveryaddressdescription).to.equal(location.msdyn_description);
    }

    // The draft is gone; SCM's number shows live once dual-write has synchronised the order.
    expect(sessionStorage.getItem(`scm-order-draft:v1:${user.contactId}`)).to.equal(null);
    const advanced = await fetch('/emulator/scm/advance', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ orderId: detail.orderId }),
    });
    expect(advanced.status).to.equal(200);
    const synced = await apiGet<Json>(`salesorders(${detail.orderId})?$select=msdyn_salesordernumber`);
    expect(synced.msdyn_salesordernumber).to.match(/^SO-/);
    await waitUntil(
      () => text(shadow(el).querySelector('[part="order-number"]')) === synced.msdyn_salesordernumber,
      'the SCM order number did not show',
      { timeout: 10000 },
    );
    expect(shadow(el).querySelector('[part="pending"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('names every field and button exactly, on every step', async () => {
    const { element: el } = await renderForm(user);
    el.lines = [{ productId: expected.catalogue[0]!.productId, quantity: 1 }];
    await expect(el).to.be.accessible(); // loads axe-core, whose name computation is used below
    const names = async () => {
      await el.updateComplete;
      return accessibleControls(el);
    };
    const step1 = await names();
    for (const name of ['Requested receipt date', 'Delivery address', 'Customer reference', 'Requisition number']) {
      expect(step1.some((n) => n.name === name), `a control named "${name}"`).to.equal(true);
    }
    expect(step1.some((n) => n.role === 'button' && n.name === 'Next')).to.equal(true);
    await fillInformation(el);
    await clickButton(el, 'Next');
    await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length === 1, 'the prefilled line did not show');
    const step2 = await names();
    expect(step2.some((n) => n.role === 'combobox' && n.name === 'Product')).to.equal(true);
    for (const name of ['Quantity', 'Unit']) expect(step2.some((n) => n.name === name), `a control named "${name}"`).to.equal(true);
    for (const name of ['Add item', 'Back', 'Next']) expect(step2.some((n) => n.role === 'button' && n.name === name), name).to.equal(true);
    await clickButton(el, 'Next');
    const step3 = await names();
    for (const name of ['Back', 'Submit order']) expect(step3.some((n) => n.role === 'button' && n.name === name), name).to.equal(true);
  });

  it('shows every rule of the order information next to its field, and announces it', async () => {
    const { element: el } = await renderForm(user, html`<scm-order-form earliest-days="5"></scm-order-form>`);
    const date = control(el, 'Requested receipt date');
    const address = control<HTMLSelectElement>(el, 'Delivery address');
    // A new draft starts with the customer's primary delivery address.
    expect(address.value).to.not.equal('');

    await clickButton(el, 'Next');
    expect(stepTitle(el)).to.equal('Order information');
    expect(errorOf(el, date)).to.equal('Enter the requested receipt date.');
    expect(date.getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)).to.equal(date);
    expect(text(shadow(el).querySelector('[role="status"][aria-live="polite"]'))).to.equal('1 field needs attention.');
    await expect(el).to.be.accessible();

    await setValue(el, date, dayFromToday(-1));
    expect(errorOf(el, date)).to.equal("The requested receipt date can't be in the past.");
    await setValue(el, date, dayFromToday(2));
    const earliest = new Intl.DateTimeFormat(navigator.language, { dateStyle: 'long' }).format(
      new Date(Number(dayFromToday(5).slice(0, 4)), Number(dayFromToday(5).slice(5, 7)) - 1, Number(dayFromToday(5).slice(8, 10))),
    );
    expect(errorOf(el, date)).to.equal(`The earliest requested receipt date is ${earliest}.`);
    expect(date.min).to.equal(dayFromToday(5));
    await setValue(el, date, dayFromToday(5));
    expect(errorOf(el, date)).to.equal('');
    expect(date.getAttribute('aria-invalid')).to.equal('false');

    await setValue(el, address, '', 'change');
    expect(errorOf(el, address)).to.equal('Choose a delivery address.');
    await setValue(el, address, 'one-time', 'change');
    expect(errorOf(el, address)).to.equal('');
    await clickButton(el, 'Next');
    expect(errorOf(el, control(el, 'Address name'))).to.equal('Give the one-time address a name, such as "Site office".');
    expect(errorOf(el, control(el, 'Street and number'))).to.equal('Enter the street and number of the one-time address.');
    expect(errorOf(el, control(el, 'City'))).to.equal('Enter the city of the one-time address.');
    expect(errorOf(el, control(el, 'Postal code'))).to.equal('Enter the postal code of the one-time address.');
    expect(focused(el)).to.equal(control(el, 'Address name'));
    expect(errorOf(el, control(el, 'Street line 2'))).to.equal('');

    const long = 'x'.repeat(101);
    await setValue(el, control(el, 'Customer reference'), long);
    await setValue(el, control(el, 'Requisition number'), long);
    expect(errorOf(el, control(el, 'Customer reference'))).to.equal('The customer reference can have at most 100 characters.');
    expect(errorOf(el, control(el, 'Requisition number'))).to.equal('The requisition number can have at most 100 characters.');
    await expect(el).to.be.accessible();

    // Fixing everything lets the customer go on.
    await setValue(el, control(el, 'Customer reference'), 'PO 1');
    await setValue(el, control(el, 'Requisition number'), '');
    await setValue(el, control(el, 'Address name'), 'Site office, Pier 4');
    await setValue(el, control(el, 'Street and number'), '12 Harbor Road');
    await setValue(el, control(el, 'City'), 'Duluth');
    await setValue(el, control(el, 'Postal code'), '55802');
    await clickButton(el, 'Next');
    expect(stepTitle(el)).to.equal('Items');
  });

  it('checks every item: product chosen, quantity a number above 0 within the unit\u2019s decimals, lines before going on', async () => {
    const whole = expected.catalogue.find((item) => item.decimals === 0)!;
    const metric = expected.catalogue.find((item) => item.decimals === 2)!;
    const { element: el } = await renderForm(user);
    await fillInformation(el);
    await clickButton(el, 'Next');
    const product = control(el, 'Product');
    const quantity = control(el, 'Quantity');

    await clickButton(el, 'Add item');
    expect(errorOf(el, product)).to.equal('Search for a product and choose it from the list.');
    expect(focused(el)).to.equal(product);
    await setValue(el, product, 'zzz-no-such-thing');
    await clickButton(el, 'Add item');
    expect(errorOf(el, product)).to.equal('Choose a product from the list.');
    await expect(el).to.be.accessible();

    await chooseProduct(el, whole.itemNumber);
    await clickButton(el, 'Add item');
    expect(errorOf(el, quantity)).to.equal('Enter a quantity.');
    expect(focused(el)).to.equal(quantity);
    for (const [typed, message] of [
      ['abc', 'Enter the quantity as a number, such as 5 or 2.5.'],
      ['-2', 'Enter the quantity as a number, such as 5 or 2.5.'],
      ['0', 'The quantity must be more than 0.'],
      ['1.5', `Quantities in ${whole.symbol} must be whole numbers.`],
    ] as const) {
      await setValue(el, quantity, typed);
      await clickButton(el, 'Add item');
      expect(errorOf(el, quantity), typed).to.equal(message);
      expect(quantity.getAttribute('aria-invalid')).to.equal('true');
    }
    await expect(el).to.be.accessible();

    // Next with a product chosen but not added, then with no line at all.
    await clickButton(el, 'Next');
    expect(errorOf(el, product)).to.equal(`You chose ${whole.itemNumber} but didn't add it. Select Add item, or clear the Product field.`);
    await setValue(el, product, '');
    await clickButton(el, 'Next');
    expect(errorOf(el, product)).to.equal('Add at least one item.');
    expect(stepTitle(el)).to.equal('Items');

    await chooseProduct(el, metric.itemNumber);
    await setValue(el, quantity, '1.234');
    await clickButton(el, 'Add item');
    expect(errorOf(el, quantity)).to.equal(`Quantities in ${metric.symbol} can have at most 2 decimals.`);
    await setValue(el, quantity, '1,25');
    await clickButton(el, 'Add item');
    expect(shadow(el).querySelectorAll('[part="line"]')).to.have.length(1);
    const lineQuantity = shadow(el).querySelector<HTMLInputElement>(`[aria-label="Quantity of ${metric.itemNumber}"]`)!;
    expect(lineQuantity.value).to.equal('1.25');
    const amount = new Intl.NumberFormat(navigator.language, { style: 'currency', currency: 'USD' }).format(Math.round(metric.price * 125) / 100);
    expect(text(shadow(el).querySelector('[part="line"] .amount'))).to.contain(amount);

    // A line's quantity follows the same rules, live.
    await setValue(el, lineQuantity, '0');
    expect(errorOf(el, lineQuantity)).to.equal('The quantity must be more than 0.');
    await clickButton(el, 'Next');
    expect(stepTitle(el)).to.equal('Items');
    expect(focused(el)).to.equal(lineQuantity);
    await expect(el).to.be.accessible();
    await setValue(el, lineQuantity, '4.5');
    await clickButton(el, 'Next');
    expect(stepTitle(el)).to.equal('Review and submit');
  });

  it('quick add: good lines are added, bad lines are reported one by one and kept for editing', async () => {
    const whole = expected.catalogue.find((item) => item.decimals === 0)!;
    const metric = expected.catalogue.find((item) => item.decimals === 2)!;
    const { element: el } = await renderForm(user);
    await fillInformation(el);
    await clickButton(el, 'Next');
    shadow(el).querySelector('summary')!.click();
    await el.updateComplete;
    const box = control<HTMLTextAreaElement>(el, 'Item numbers and quantities');
    const typed = [
      `${whole.itemNumber}, 5`,
      'NOPE-1, 2',
      `${metric.itemNumber} 1.234`,
      '',
      whole.itemNumber,
      `${expected.retired.msdyn_productnumber}, 1`,
      'garbage line here',
      `${metric.itemNumber}; 2,5`,
      `${whole.itemNumber.toLowerCase()},2`,
    ];
    await setValue(el, box, typed.join('\n'));
    await clickButton(el, 'Add lines');
    await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length > 0, 'nothing was added');
    await el.updateComplete;

    const lines = [...shadow(el).querySelectorAll('[part="line"]')].map((line) => [
      text(line.querySelector('.item-number')),
      (line.querySelector<HTMLInputElement>('input')?.value ?? ''),
    ]);
    // The same product twice is one line with the quantities added up.
    expect(lines).to.deep.equal([
      [whole.itemNumber, '7'],
      [metric.itemNumber, '2.5'],
    ]);
    const bad = [
      ['NOPE-1, 2', 'No product NOPE-1 on your price list.'],
      [`${metric.itemNumber} 1.234`, `Quantities in ${metric.symbol} can have at most 2 decimals.`],
      [whole.itemNumber, `Add the quantity after the item number, for example "D0001, 5".`],
      [`${expected.retired.msdyn_productnumber}, 1`, `No product ${expected.retired.msdyn_productnumber} on your price list.`],
      ['garbage line here', 'Write the item number, a comma and the quantity, for example "D0001, 5".'],
    ];
    expect(box.value).to.equal(bad.map(([line]) => line).join('\n'));
    const problems = [...shadow(el).querySelectorAll('#quick-add-problems li')].map(text);
    expect(problems).to.deep.equal(bad.map(([line, message], i) => `Line ${i + 1}, “${line}”: ${message}`.replace(/[“”]/g, '')));
    expect(box.getAttribute('aria-invalid')).to.equal('true');
    expect(box.getAttribute('aria-describedby')).to.contain('quick-add-problems');
    expect(focused(el)).to.equal(box);
    await expect(el).to.be.accessible();

    // Fixing a kept line and adding again adds it and drops it from the box.
    await setValue(el, box, box.value.replace(`${metric.itemNumber} 1.234`, `${metric.itemNumber} 1.23`));
    await clickButton(el, 'Add lines');
    await waitUntil(() => shadow(el).querySelectorAll('#quick-add-problems li').length === 4, 'the fixed line was not added');
    expect(shadow(el).querySelector<HTMLInputElement>(`[aria-label="Quantity of ${metric.itemNumber}"]`)!.value).to.equal('3.73');
  });

  it('the product combobox: debounced search, arrow keys, Enter, Escape, and the previous request aborted', async () => {
    const gate = gatedFetch(/\/_api\/productpricelevels\?/);
    const { element: el } = await renderForm(user, undefined, gate);
    await fillInformation(el);
    await clickButton(el, 'Next');
    const product = control(el, 'Product');
    product.focus();
    gate.release();

    // Typing fast asks the server once, when typing pauses.
    const before = gate.seen.length;
    await sendKeys({ type: 'D0' });
    await waitUntil(() => product.getAttribute('aria-expanded') === 'true', 'the list did not open');
    expect(gate.seen.length - before).to.equal(1);
    const options = () => [...shadow(el).querySelectorAll('[role="option"]')];
    const count = options().length;
    expect(count).to.be.greaterThan(2);
    expect(shadow(el).querySelector<HTMLElement>('[role="listbox"]')!.hidden).to.equal(false);
    expect(text(shadow(el).querySelector('#product-status'))).to.equal(`${count} products found. Use the up and down arrow keys to choose.`);
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(product.getAttribute('aria-activedescendant')).to.equal('product-option-1');
    expect(options()[1]!.getAttribute('aria-selected')).to.equal('true');
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(product.getAttribute('aria-activedescendant')).to.equal(`product-option-${count - 1}`);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(product.getAttribute('aria-expanded')).to.equal('false');
    expect(product.hasAttribute('aria-activedescendant')).to.equal(false);
    expect(product.value).to.equal('D0');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(product.getAttribute('aria-expanded')).to.equal('true');
    const third = text(options()[2]!.querySelector('.item-number'));
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(product.getAttribute('aria-expanded')).to.equal('false');
    expect(product.value.startsWith(`${third} `)).to.equal(true);
    expect(control<HTMLSelectElement>(el, 'Unit').disabled).to.equal(false);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(product.value).to.equal('');

    // A search superseded by more typing is aborted.
    gate.hold();
    const first = gate.seen.length;
    await sendKeys({ type: 'D00' });
    await waitUntil(() => gate.seen.length === first + 1, 'no search was sent');
    await sendKeys({ type: '0' });
    await waitUntil(() => gate.seen.length === first + 2, 'the second search was not sent');
    expect(gate.seen[first]!.signal?.aborted).to.equal(true);
    expect(gate.seen[first + 1]!.signal?.aborted).to.equal(false);
    gate.release();
    await waitUntil(() => product.getAttribute('aria-expanded') === 'true', 'the list did not open');
    expect(decodeURIComponent(gate.seen[first + 1]!.url)).to.contain("'D000'");
    for (const option of options()) expect(text(option.querySelector('.item-number')).startsWith('D000')).to.equal(true);

    // No match says so.
    await setValue(el, product, 'no-such-product-anywhere');
    await waitUntil(() => text(shadow(el).querySelector('#product-status')).startsWith('No product'), 'no "no match" message');
    expect(text(shadow(el).querySelector('#product-status'))).to.equal('No product on your price list matches "no-such-product-anywhere".');
    expect(product.getAttribute('aria-expanded')).to.equal('false');
  });

  it('a reload in the middle restores every field, the step and the order id', async () => {
    const whole = expected.catalogue.find((item) => item.decimals === 0)!;
    const metric = expected.catalogue.find((item) => item.decimals === 2)!;
    const first = await renderForm(user);
    let el = first.element;
    const orderId = el.orderId;
    expect(orderId).to.match(/^[0-9a-f-]{36}$/);
    const day = dayFromToday(12);
    await setValue(el, control(el, 'Requested receipt date'), day);
    await setValue(el, control(el, 'Delivery address'), 'one-time', 'change');
    const oneTime = {
      'Address name': 'Pier 4 site office',
      'Street and number': '1 Harbor Drive',
      'Street line 2': 'Gate "B" – dock 7',
      City: 'Duluth',
      'State or province': 'MN',
      'Postal code': '55802',
    };
    for (const [label, value] of Object.entries(oneTime)) await setValue(el, control(el, label), value);
    await setValue(el, control(el, 'Customer reference'), "Reload's test <b>&</b>");
    await setValue(el, control(el, 'Requisition number'), 'REQ-1');
    await clickButton(el, 'Next');
    await chooseProduct(el, whole.itemNumber);
    await setValue(el, control(el, 'Quantity'), '4');
    await clickButton(el, 'Add item');
    await chooseProduct(el, metric.itemNumber);
    await setValue(el, control(el, 'Quantity'), '1.5');
    shadow(el).querySelector('summary')!.click();
    await el.updateComplete;
    await setValue(el, control(el, 'Item numbers and quantities'), 'X1, 2\nD0002, 1');

    // The page goes away (reload, crash): the element is removed and created again.
    first.portal.remove();
    el = (await renderForm(user)).element;
    await waitUntil(() => stepTitle(el) === 'Items', 'the step was not restored');
    expect(el.orderId).to.equal(orderId);
    expect(shadow(el).querySelectorAll('[part="line"]')).to.have.length(1);
    expect(shadow(el).querySelector<HTMLInputElement>(`[aria-label="Quantity of ${whole.itemNumber}"]`)!.value).to.equal('4');
    expect(control(el, 'Product').value).to.equal(`${metric.itemNumber} ${metric.name}`);
    expect(control(el, 'Quantity').value).to.equal('1.5');
    expect(control<HTMLSelectElement>(el, 'Unit').value).to.equal(metric.unitId);
    expect(shadow(el).querySelector('details')!.open).to.equal(true);
    expect(control<HTMLTextAreaElement>(el, 'Item numbers and quantities').value).to.equal('X1, 2\nD0002, 1');
    await clickButton(el, 'Back');
    expect(control(el, 'Requested receipt date').value).to.equal(day);
    expect(control<HTMLSelectElement>(el, 'Delivery address').value).to.equal('one-time');
    for (const [label, value] of Object.entries(oneTime)) expect(control(el, label).value, label).to.equal(value);
    expect(control(el, 'Customer reference').value).to.equal("Reload's test <b>&</b>");
    expect(control(el, 'Requisition number').value).to.equal('REQ-1');

    // Nothing of the session is stored with the draft.
    const stored = sessionStorage.getItem(`scm-order-draft:v1:${user.contactId}`)!;
    expect(stored).to.not.match(/RequestVerificationToken|AspNet|Bearer/i);

    // Starting over is explicit, and gives a new order id.
    await clickButton(el, 'Start over');
    expect(el.orderId).to.equal(orderId);
    await clickButton(el, 'Discard order');
    expect(el.orderId).to.not.equal(orderId);
    expect(control(el, 'Requested receipt date').value).to.equal('');
    expect(control(el, 'Customer reference').value).to.equal('');
  });

  it('a second Submit while submitting does nothing: one request, one order', async () => {
    const counter = countingFetch();
    const { element: el } = await renderForm(user, undefined, counter);
    await fillOrder(el, [{ productId: expected.catalogue[1]!.productId, quantity: 2 }]);
    const submit = button(el, 'Submit order');
    const events: OrderSubmitDetail[] = [];
    el.addEventListener('scm-order-submit', (e) => events.push(e.detail));
    counter.reset();
    submit.click();
    submit.click();
    await el.updateComplete;
    expect(submit.getAttribute('aria-disabled')).to.equal('true');
    submit.click();
    void el.submit();
    await waitUntil(() => shadow(el).querySelector('[part="success"]'), 'no confirmation', { timeout: 15000 });
    const posts = counter.requests.filter((r) => r.method === 'POST' && /\/_api\/salesorders$/.test(r.url));
    expect(posts).to.have.length(1);
    expect(events).to.have.length(1);
    expect(await ordersWithId(el.orderId!)).to.equal(1);
  });

  it('leaving the page asks while the order is on its way, and no longer once scm-order-submit fires', async () => {
    const gate = gatedFetch(/\/_api\/salesorders$/);
    const { element: el } = await renderForm(user, undefined, gate);
    await fillOrder(el, [{ productId: expected.catalogue[1]!.productId, quantity: 1 }]);
    const orderId = el.orderId!;
    /** A "leave site?" check as the browser makes it: the guard cancels the event. */
    const leavingAsks = () => {
      const leave = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(leave);
      return leave.defaultPrevented;
    };
    expect(leavingAsks(), 'before submitting').to.equal(false);
    // What a host that navigates on the event would meet at that moment; and a host that starts the next order
    // on it (startOver() does nothing while a submission runs) gets a new one.
    let atEvent: { asks: boolean; step: string | undefined; sameOrder: boolean } | undefined;
    el.addEventListener('scm-order-submit', (event) => {
      const asks = leavingAsks();
      el.startOver();
      atEvent = { asks, step: el.step, sameOrder: el.orderId === event.detail.orderId };
    });
    await clickButton(el, 'Submit order');
    await waitUntil(() => gate.seen.some((r) => r.url.endsWith('/salesorders')), 'the order was not sent');
    expect(leavingAsks(), 'while the order is on its way').to.equal(true);
    gate.release();
    await waitUntil(() => atEvent !== undefined, 'no scm-order-submit', { timeout: 15000 });
    expect(atEvent).to.deep.equal({ asks: false, step: 'information', sameOrder: false });
    expect(leavingAsks(), 'afterwards').to.equal(false);
    expect(await ordersWithId(orderId)).to.equal(1);
  });

  it('offline: the order is kept; Submit again sends the same order id and creates one order', async () => {
    const recorder = recordingFetch(droppingPosts(5));
    const { element: el } = await renderForm(user, undefined, recorder);
    await fillOrder(el, [{ productId: expected.catalogue[2]!.productId, quantity: 1 }]);
    const orderId = el.orderId!;
    await clickButton(el, 'Submit order');
    await waitUntil(() => shadow(el).querySelector('[part="problem"]'), 'no problem shown', { timeout: 20000 });
    const problem = text(shadow(el).querySelector('[part="problem"]'));
    expect(problem).to.contain("You seem to be offline, or the connection dropped. Your order is kept; submit when you're back.");
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.contain('Your order was not submitted.');
    expect(button(el, 'Submit order').getAttribute('aria-describedby')).to.equal('submit-problem');
    expect(await ordersWithId(orderId)).to.equal(0);
    expect(sessionStorage.getItem(`scm-order-draft:v1:${user.contactId}`)).to.contain(orderId);
    await expect(el).to.be.accessible();

    await clickButton(el, 'Submit order');
    await waitUntil(() => shadow(el).querySelector('[part="success"]'), 'no confirmation', { timeout: 15000 });
    const bodies = recorder.posts.map((body) => (JSON.parse(body) as Json).salesorderid);
    expect(bodies.length).to.be.greaterThan(1);
    expect(new Set(bodies)).to.deep.equal(new Set([orderId]));
    expect(await ordersWithId(orderId)).to.equal(1);
  });

  it('a reload during a submission: the new page recognises the order instead of creating another', async () => {
    const hanging = hangingPosts();
    const first = await renderForm(user, undefined, hanging);
    const el = first.element;
    await fillOrder(el, [{ productId: expected.catalogue[3]!.productId, quantity: 3 }]);
    const orderId = el.orderId!;
    await clickButton(el, 'Submit order');
    await waitUntil(async () => (await ordersWithId(orderId)) === 1, 'the order did not reach the server', { timeout: 10000 });
    expect(el.matches(':state(submitting)')).to.equal(true);
    // Leaving the page now asks first.
    const leave = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leave);
    expect(leave.defaultPrevented).to.equal(true);

    first.portal.remove();
    const after = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).to.equal(false);
    const { element: again } = await portalFixture<ScmOrderForm>(html`<scm-order-form></scm-order-form>`, { user });
    await waitUntil(() => shadow(again).querySelector('[part="success"]'), 'the earlier submission was not recognised', { timeout: 15000 });
    const number = (await apiGet<Json>(`salesorders(${orderId})?$select=ordernumber`)).ordernumber;
    expect(text(shadow(again).querySelector('[part="order-number"]'))).to.equal(number);
    expect(again.orderId).to.equal(orderId);
    expect(await ordersWithId(orderId)).to.equal(1);
    expect(sessionStorage.getItem(`scm-order-draft:v1:${user.contactId}`)).to.equal(null);
  });

  describe('permissions', () => {
    it('an unauthorized user sees why instead of a form', async () => {
      const unauthorized = await pickUser({ role: 'unauthorized-user' });
      const { element: el, portal } = await portalFixture<ScmOrderForm>(html`<scm-order-form></scm-order-form>`, { user: unauthorized });
      // The provider says what is wrong and what to do; the form says briefly why it is missing.
      expect(text(shadow(el).querySelector('[part="gate"]'))).to.equal("The order form can't be shown right now.");
      expect(text(portal.shadowRoot)).to.contain("doesn't give access");
      expect(shadow(el).querySelector('form')).to.equal(null);
      await expect(el).to.be.accessible();
      await signIn(user);
    });

    it('a web role that may not order gets a plain answer before typing anything', async () => {
      const { element: el } = await portalFixture<ScmOrderForm>(html`<scm-order-form></scm-order-form>`, {
        user,
        roles: 'Authenticated Users,Unauthorized user',
      });
      expect(text(shadow(el).querySelector('[part="gate"]'))).to.contain("Your account can't place orders online.");
      await expect(el).to.be.accessible();
    });

    it('the server refusing the order (role removed meanwhile): said next to Submit, order kept, no order made', async () => {
      const unauthorized = await pickUser({ role: 'unauthorized-user' });
      const { element: el } = await renderForm(user);
      await fillOrder(el, [{ productId: expected.catalogue[4]!.productId, quantity: 1 }]);
      const orderId = el.orderId!;
      // The site owner takes the role away: the same browser session now belongs to a user without it.
      await signIn(unauthorized);
      await clickButton(el, 'Submit order');
      await waitUntil(() => shadow(el).querySelector('[part="problem"]'), 'no problem shown', { timeout: 15000 });
      expect(text(shadow(el).querySelector('[part="problem"]'))).to.contain(
        `You don't have permission to place orders for ${String(expected.account.name)}. Ask your organisation's administrator to give you the Authorized user role. Your order is kept.`,
      );
      await expect(el).to.be.accessible();
      await signIn(user);
      expect(await ordersWithId(orderId)).to.equal(0);
      await clickButton(el, 'Submit order');
      await waitUntil(() => shadow(el).querySelector('[part="success"]'), 'no confirmation', { timeout: 15000 });
      expect(await ordersWithId(orderId)).to.equal(1);
    });
  });

  it('prefill from the host (lines property) checks the price list; a product no longer sold must be removed', async () => {
    const whole = expected.catalogue.find((item) => item.decimals === 0)!;
    const { element: el } = await renderForm(user);
    const fired: string[] = [];
    for (const type of ['scm-order-submit', 'scm-reorder', 'scm-order-select']) el.addEventListener(type, () => fired.push(type));
    const prefill = [
      { productId: expected.retired.productid, quantity: 2 },
      { productId: whole.productId, quantity: 3, unitId: whole.unitId },
      { itemNumber: 'NOT-A-PRODUCT', quantity: 1 },
    ];
    el.lines = prefill;
    await fillInformation(el);
    await clickButton(el, 'Next');
    await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length === 2, 'the prefilled lines did not show');
    expect(fired).to.deep.equal([]);
    const retiredLine = shadow(el).querySelector('[part="line"][data-not-sellable]')!;
    expect(text(retiredLine)).to.contain(expected.retired.name);
    expect(text(retiredLine)).to.contain('No longer sold');
    expect(text(retiredLine.querySelector('.error'))).to.equal(
      `${expected.retired.msdyn_productnumber} is no longer sold to your account. Remove it to submit the order.`,
    );
    expect(text(shadow(el))).to.contain('Not on your price list, so not added: NOT-A-PRODUCT.');
    await expect(el).to.be.accessible();
    await clickButton(el, 'Next');
    expect(stepTitle(el)).to.equal('Items');
    retiredLine.querySelector<HTMLButtonElement>('button.remove')!.click();
    await el.updateComplete;
    await clickButton(el, 'Next');
    expect(stepTitle(el)).to.equal('Review and submit');

    // The same prefill is applied once per draft, even after a reload.
    el.remove();
    const { element: again } = await renderForm(user);
    again.lines = prefill.map((line) => ({ ...line }));
    await again.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await again.updateComplete;
    expect(again.step).to.equal('review');
    expect(shadow(again).querySelectorAll('[part="line"]')).to.have.length(1);
  });

  it('Reorder from anywhere on the page (scm-reorder) fills the items and opens that step', async () => {
    const [a, b] = expected.catalogue.filter((item) => item.decimals === 0);
    const { element: el } = await renderForm(user);
    document.dispatchEvent(
      new CustomEvent('scm-reorder', {
        bubbles: true,
        composed: true,
        detail: {
          sourceOrderId: '00000000-0000-0000-0000-000000000001',
          lines: [
            { productId: a!.productId, itemNumber: a!.itemNumber, quantity: 2, unitId: a!.unitId },
            { productId: b!.productId, itemNumber: b!.itemNumber, quantity: 5, unitId: b!.unitId },
          ],
        },
      }),
    );
    await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length === 2, 'the reorder lines did not show');
    expect(stepTitle(el)).to.equal('Items');
    expect(text(shadow(el).querySelector('[role="status"][aria-live="polite"]'))).to.equal('2 items added from your earlier order.');
    const quantities = [...shadow(el).querySelectorAll<HTMLInputElement>('[part="line"] input')].map((input) => input.value);
    expect(quantities).to.deep.equal(['2', '5']);
  });

  it('fits a phone: one column, full-width buttons, still accessible', async () => {
    await setViewport({ width: 375, height: 800 });
    const { element: el } = await renderForm(user);
    const columns = (node: Element) => getComputedStyle(node).gridTemplateColumns.split(' ').length;
    expect(columns(shadow(el).querySelector('.fields')!)).to.equal(1);
    await expect(el).to.be.accessible();
    el.lines = [{ productId: expected.catalogue[5]!.productId, quantity: 1 }];
    await fillInformation(el);
    await clickButton(el, 'Next');
    await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length === 1, 'no line');
    expect(columns(shadow(el).querySelector('.add-item')!)).to.equal(1);
    const next = button(el, 'Next');
    expect(next.getBoundingClientRect().width).to.be.greaterThan(el.getBoundingClientRect().width * 0.8);
    await expect(el).to.be.accessible();
    await clickButton(el, 'Next');
    await expect(el).to.be.accessible();
  });

  it('is form-associated: a surrounding form gets the order id; resetting the form starts a new order', async () => {
    await signIn(colleague);
    const { element: el } = await portalFixture<ScmOrderForm>(
      html`<scm-order-form name="order" href-template="/orders/?id={id}&n={number}"></scm-order-form>`,
      { user: colleague },
    );
    await formReady(el);
    const form = document.createElement('form');
    const portal = el.parentElement!;
    portal.replaceWith(form);
    form.append(portal);
    await el.updateComplete;
    await fillOrder(el, [{ productId: expected.catalogue[6]!.productId, quantity: 1 }]);
    expect(new FormData(form).get('order')).to.equal(null);
    await clickButton(el, 'Submit order');
    await waitUntil(() => shadow(el).querySelector('[part="success"]'), 'no confirmation', { timeout: 15000 });
    const orderId = el.orderId!;
    expect(new FormData(form).get('order')).to.equal(orderId);
    const number = text(shadow(el).querySelector('[part="order-number"]'));
    expect(shadow(el).querySelector<HTMLAnchorElement>('[part="order-link"]')!.getAttribute('href')).to.equal(
      `/orders/?id=${orderId}&n=${encodeURIComponent(number)}`,
    );
    form.reset();
    await el.updateComplete;
    expect(el.step).to.equal('information');
    expect(el.orderId).to.not.equal(orderId);
    expect(new FormData(form).get('order')).to.equal(null);
    await signIn(user);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Faults. The fault switch (`POST /emulator/faults`) acts on every request its emulator answers, and the emulator
// behind the test server is shared by the test files running beside this one: 503s, 429s and lost answers there
// would fail their requests too. So these tests run the same emulator code in the page, seeded alike, and switch
// faults on that one with the same endpoint (`createEmulatorFetch` answers `/emulator/faults` through the
// emulator's FaultInjector middleware). A lost answer reaches the client exactly as over HTTP: a failed fetch after
// the write was committed.

describe('<scm-order-form> under injected faults', function () {
  this.timeout(15 * 60 * 1000);

  let emulatorFetch: typeof fetch;
  let buyer: SeedUser;
  let items: CatalogueItem[];

  /** GET on the private emulator's `/_api`, as the signed-in buyer. */
  async function privateGet<T = Json>(path: string): Promise<T> {
    const page = await emulatorFetch('/_layout/tokenhtml');
    const token = /value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const response = await emulatorFetch(`/_api/${path}`, {
      headers: { Accept: 'application/json', __RequestVerificationToken: token, Prefer: 'odata.maxpagesize=5000' },
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function faults(settings: Record<string, number> | null): Promise<Json> {
    const response = await emulatorFetch('/emulator/faults', {
      method: settings ? 'POST' : 'DELETE',
      headers: { 'Content-Type': 'application/json' },
      body: settings ? JSON.stringify(settings) : undefined,
    });
    expect(response.status).to.equal(200);
    return (await response.json()) as Json;
  }

  async function privateForm(): Promise<ScmOrderForm> {
    const roles = ['Authenticated Users', ...buyer.webRoles.map((role) => powerPagesRoleNames[role])].join(',');
    const portal = await fixture<HTMLElement & { status: string }>(html`<scm-portal
      base-url="/_api/"
      auth="power-pages"
      contact-id=${buyer.contactId}
      account-id=${buyer.accountId}
      roles=${roles}
      .fetch=${emulatorFetch}
      ><scm-order-form sync-interval="0"></scm-order-form
    ></scm-portal>`);
    await waitUntil(() => portal.status === 'ready', 'the private portal did not load', { timeout: 15000 });
    const el = portal.querySelector('scm-order-form') as ScmOrderForm;
    await formReady(el);
    return el;
  }

  before(async () => {
    const seed = generateSeed({ orders: 60, largeAccountOrders: 0 });
    const store = new MemoryStore({ indexes: lookupIndexes(tables) });
    store.load(seed.tables);
    const emulator = new Emulator({ store, tables, users: seed.users });
    emulator.use(new FaultInjector().middleware);
    emulatorFetch = createEmulatorFetch(emulator, location.origin);
    buyer = seed.users.find((u) => u.accountNumber === ACCOUNT && u.webRoles.includes('authorized-user'))!;
    const signedIn = await emulatorFetch('/emulator/signin', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: buyer.email }),
    });
    expect(signedIn.status).to.equal(200);
    const contact = await privateGet<Json>(`contacts(${buyer.contactId})?$select=_defaultpricelevelid_value`);
    const list = await privateGet<{ value: ApiPriceListItem[] }>(
      `productpricelevels?$select=amount,_productid_value,_uomid_value&$filter=_pricelevelid_value eq ${String(contact._defaultpricelevelid_value)}` +
        `&$expand=productid($select=name,msdyn_productnumber,statecode),uomid($select=msdyn_symbol,msdyn_decimalprecision)`,
    );
    items = list.value
      .filter((item) => item.productid.statecode === 0)
      .map((item) => ({
        productId: item._productid_value,
        itemNumber: item.productid.msdyn_productnumber,
        name: item.productid.name,
        unitId: item._uomid_value,
        symbol: item.uomid.msdyn_symbol,
        decimals: item.uomid.msdyn_decimalprecision,
        price: item.amount,
      }));
  });

  beforeEach(async () => {
    sessionStorage.clear();
    await faults(null);
  });

  afterEach(async () => {
    await faults(null);
  });

  it('30 orders submitted through the form under lost answers, 503s and 429s: each exists exactly once', async () => {
    const ORDERS = 30;
    const settings = { lostResponseShare: 0.4, unavailableShare: 0.3, throttleShare: 0.25, retryAfterSeconds: 1 };
    const countOrders = async () =>
      Number((await privateGet<Json>(`salesorders?$select=salesorderid&$filter=_msdyn_contactperson_value eq ${buyer.contactId}&$count=true&$top=1`))['@odata.count']);
    const before = await countOrders();
    const el = await privateForm();
    const events: OrderSubmitDetail[] = [];
    el.addEventListener('scm-order-submit', (e) => events.push(e.detail));
    const submitted: { id: string; lines: number; presses: number; problems: string[] }[] = [];
    const totals = { requests: 0, lostResponses: 0, unavailable: 0, throttled: 0, presses: 0, reportedProblems: 0 };

    for (let n = 0; n < ORDERS; n++) {
      if (n > 0) await clickButton(el, 'Start a new order');
      const lines = [items[(2 * n) % items.length]!, items[(2 * n + 1) % items.length]!].map((item, i) => ({
        productId: item.productId,
        quantity: i + 1 + (n % 3),
      }));
      await fillOrder(el, lines);
      const id = el.orderId!;
      await faults({ ...settings, seed: 9000 + n });
      const record = { id, lines: lines.length, presses: 0, problems: [] as string[] };
      while (!shadow(el).querySelector('[part="success"]')) {
        if (record.presses >= 12) throw new Error(`order ${n + 1} was not submitted after ${record.presses} presses: ${record.problems.join(' / ')}`);
        record.presses++;
        await clickButton(el, 'Submit order');
        await waitUntil(
          () => shadow(el).querySelector('[part="success"]') || (!el.matches(':state(submitting)') && el.matches(':state(error)')),
          `order ${n + 1}: no outcome`,
          { timeout: 120000 },
        );
        const problem = shadow(el).querySelector('[part="problem"]');
        if (problem && !shadow(el).querySelector('[part="success"]')) {
          record.problems.push(text(problem));
          // A busy service is retried by the form itself: wait for that attempt, as a customer would.
          if (/we'll retry in/.test(text(problem))) {
            await waitUntil(() => shadow(el).querySelector('[part="success"]') || el.matches(':state(submitting)'), 'no automatic retry', { timeout: 30000 });
            await waitUntil(() => !el.matches(':state(submitting)'), 'the automatic retry did not end', { timeout: 120000 });
          }
        }
      }
      const state = (await (await emulatorFetch('/emulator/faults')).json()) as { stats: Record<string, number> };
      await faults(null);
      totals.requests += state.stats.requests ?? 0;
      totals.lostResponses += state.stats.lostResponses ?? 0;
      totals.unavailable += state.stats.unavailable ?? 0;
      totals.throttled += state.stats.throttled ?? 0;
      totals.presses += record.presses;
      totals.reportedProblems += record.problems.length;
      submitted.push(record);
    }

    // Each order exactly once (counted by its id), with all its lines, and nothing else created.
    for (const order of submitted) {
      const found = await privateGet<{ value: Json[]; '@odata.count': number }>(
        `salesorders?$select=salesorderid&$filter=salesorderid eq ${order.id}&$count=true&$expand=order_details($select=quantity)`,
      );
      expect(found['@odata.count'], `order ${order.id}`).to.equal(1);
      expect((found.value[0]!.order_details as Json[]).length).to.equal(order.lines);
    }
    expect(new Set(submitted.map((o) => o.id)).size).to.equal(ORDERS);
    expect(await countOrders()).to.equal(before + ORDERS);
    expect(events.map((e) => e.orderId)).to.deep.equal(submitted.map((o) => o.id));
    // The faults really happened (the seeds are fixed, so these counts are the same on every run).
    expect(totals.lostResponses).to.be.greaterThan(0);
    expect(totals.unavailable).to.be.greaterThan(0);
    expect(totals.throttled).to.be.greaterThan(0);
    console.log(
      `[faults] ${ORDERS} orders, ${totals.presses} presses of Submit order (${totals.reportedProblems} failures shown to the customer), ` +
        `${totals.requests} requests under faults: ${totals.lostResponses} lost answers, ${totals.unavailable} × 503, ${totals.throttled} × 429 → ` +
        `${submitted.length} orders, each present exactly once`,
    );
  });

  it('a busy service: "we\'ll retry in N s" next to Submit, Submit blocked meanwhile, then retried by itself', async () => {
    const el = await privateForm();
    await fillOrder(el, [{ productId: items[0]!.productId, quantity: 1 }]);
    const id = el.orderId!;
    await faults({ throttleShare: 1, retryAfterSeconds: 3, seed: 1 });
    await clickButton(el, 'Submit order');
    await waitUntil(() => /we'll retry in/.test(text(shadow(el).querySelector('[part="problem"]'))), 'no busy message', { timeout: 60000 });
    const message = text(shadow(el).querySelector('[part="problem"]'));
    expect(message).to.match(/^Your order was not submitted\. The service is busy right now\. Your order is kept; we'll retry in [1-3] s\.$/);
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.match(/The service is busy right now\. Your order is kept; we'll retry in 3 s\./);
    const submit = button(el, 'Submit order');
    expect(submit.getAttribute('aria-disabled')).to.equal('true');
    await expect(el).to.be.accessible();
    // Counters start again from 0; a blocked press sends nothing.
    await faults({ throttleShare: 1, retryAfterSeconds: 3, seed: 2 });
    submit.click();
    submit.click();
    await el.updateComplete;
    const seen = (await (await emulatorFetch('/emulator/faults')).json()) as { stats: { requests: number } };
    expect(seen.stats.requests).to.equal(0);
    expect(el.matches(':state(submitting)')).to.equal(false);
    await faults(null);
    await waitUntil(() => shadow(el).querySelector('[part="success"]'), 'the automatic retry did not submit', { timeout: 20000 });
    const found = await privateGet<Json>(`salesorders?$select=salesorderid&$filter=salesorderid eq ${id}&$count=true`);
    expect(found['@odata.count']).to.equal(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// More helpers

interface A11yNode {
  readonly role: string | null;
  readonly name: string;
}

interface AxeLike {
  setup(node: Node): unknown;
  teardown(): void;
  commons: { aria: { getRole(node: Element): string | null }; text: { accessibleText(node: Element): string } };
}

/** Role and accessible name of every visible control, as axe-core computes them (the accname algorithm). */
function accessibleControls(el: ScmOrderForm): A11yNode[] {
  const axe = (window as unknown as { axe: AxeLike }).axe;
  axe.setup(document);
  try {
    return [...shadow(el).querySelectorAll('input, select, textarea, button')]
      .filter((node) => node.getClientRects().length > 0)
      .map((node) => ({ role: axe.commons.aria.getRole(node), name: axe.commons.text.accessibleText(node).replace(/\s+/g, ' ').trim() }));
  } finally {
    axe.teardown();
  }
}

async function setValue(el: ScmOrderForm, node: HTMLElement, value: string, type: 'input' | 'change' = 'input'): Promise<void> {
  (node as HTMLInputElement).value = value;
  node.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
  await el.updateComplete;
}

async function clickButton(el: ScmOrderForm, name: string): Promise<void> {
  button(el, name).click();
  await el.updateComplete;
  await el.updateComplete;
}

async function fillInformation(el: ScmOrderForm, day = dayFromToday(10)): Promise<void> {
  await setValue(el, control(el, 'Requested receipt date'), day);
}

/** Types into the Product field and chooses the first suggestion with the keyboard. */
async function chooseProduct(el: ScmOrderForm, search: string): Promise<void> {
  const product = control(el, 'Product');
  product.focus();
  await setValue(el, product, search);
  await waitUntil(() => product.getAttribute('aria-expanded') === 'true', `no suggestions for ${search}`);
  await sendKeys({ press: 'ArrowDown' });
  await sendKeys({ press: 'Enter' });
  await el.updateComplete;
}

/** Fills the order information, prefills lines and goes to the review step. */
async function fillOrder(el: ScmOrderForm, lines: { productId: string; quantity: number }[]): Promise<void> {
  el.lines = lines;
  await fillInformation(el);
  await clickButton(el, 'Next');
  await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length === lines.length, 'the lines did not show').catch((e) => {
    console.log(text(shadow(el)));
    throw e;
  });
  await clickButton(el, 'Next');
  expect(stepTitle(el)).to.equal('Review and submit');
}

const realFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
const urlOf = (input: RequestInfo | URL) => (input instanceof Request ? input.url : String(input));
const isOrderPost = (input: RequestInfo | URL, init?: RequestInit) =>
  (init?.method ?? 'GET').toUpperCase() === 'POST' && /\/_api\/salesorders$/.test(urlOf(input));

/** A fetch that holds matching requests until released (records each request's AbortSignal). */
function gatedFetch(match: RegExp) {
  const seen: { url: string; signal?: AbortSignal }[] = [];
  let waiting: (() => void)[] = [];
  let open = false;
  const gated = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    if (match.test(url)) {
      seen.push({ url, signal: init?.signal ?? undefined });
      if (!open) {
        await new Promise<void>((resolve, reject) => {
          waiting.push(resolve);
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
        });
      }
    }
    return realFetch(input, init);
  }) as typeof fetch;
  return Object.assign(gated, {
    seen,
    release() {
      open = true;
      for (const go of waiting) go();
      waiting = [];
    },
    hold() {
      open = false;
    },
  });
}

/** A fetch on which the first `times` order POSTs fail as a dropped connection does (nothing reaches the server). */
function droppingPosts(times: number): typeof fetch {
  let dropped = 0;
  return (input, init) => {
    if (isOrderPost(input, init) && dropped < times) {
      dropped++;
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    return realFetch(input, init);
  };
}

/** A fetch that remembers the bodies of order POSTs. */
function recordingFetch(delegate: typeof fetch) {
  const posts: string[] = [];
  const recording = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (isOrderPost(input, init)) posts.push(String(init?.body ?? ''));
    return delegate(input, init);
  }) as typeof fetch;
  return Object.assign(recording, { posts });
}

/** A fetch whose order POSTs reach the server but whose answers never come back (the page is left meanwhile). */
function hangingPosts(): typeof fetch {
  return async (input, init) => {
    if (!isOrderPost(input, init)) return realFetch(input, init);
    await realFetch(input, { ...init, signal: undefined });
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
    });
  };
}
