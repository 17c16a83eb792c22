/**
 * Drafts: a customer in the middle of the order form loses nothing they typed when the page reloads, when the
 * tab crashes, or when the network goes away.
 *
 * - Reload: the form's page (test/reliability/pages/order-form.html, in a frame) is reloaded for real — a new
 *   document, nothing kept in memory — and opened again.
 * - Crash: the frame is thrown away right after a keystroke (nothing of the page runs after it), and a new one is
 *   opened.
 * - Offline: the portal's `fetch` fails as a dropped network does (`TypeError`) in the middle of the form; the
 *   customer keeps typing, searches, adds items and presses Submit; the form element is even re-created while
 *   offline. Back online, Submit creates the order exactly once.
 *
 * Every field the customer typed comes back each time: receipt date, delivery address (a one-time address with
 * all six fields), customer reference, requisition number, the lines and their edited quantities, the Product
 * field with its chosen product, quantity and unit, the quick-add box, the step, and the order's id.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/order-form/order-form.js';
import type { ScmOrderForm } from '../../src/elements/order-form/order-form.js';
import { printFigures, runSettings, type RunSettings } from './support/settings.js';
import { liquidRolesOf, renderPortal, sharedTarget, targetFor, type EmulatorUser, type Target } from './support/target.js';
import { catalogueOf, dayFromToday, field, findButton, formReady, press, shadowOf, textOf, typeInto, type CatalogueItem } from './support/form-driver.js';

/** Everything a customer typed, to compare with what the form shows. */
interface Typed {
  receiptDate: string;
  oneTime: Record<string, string>;
  reference: string;
  requisition: string;
  /** Lines by item number with the quantity shown. */
  lines: Record<string, string>;
  product: string;
  quantity: string;
  unit: string;
  quickAdd: string;
}

const ONE_TIME_FIELDS = ['Address name', 'Street and number', 'Street line 2', 'City', 'State or province', 'Postal code'] as const;

/** What the form shows now, read from its fields (the Items step, then Back to Order information, then Next). */
async function readBack(form: ScmOrderForm): Promise<Typed> {
  if (form.step !== 'items') throw new Error(`expected the Items step, the form shows ${form.step}`);
  const root = shadowOf(form);
  const lines: Record<string, string> = {};
  for (const line of root.querySelectorAll('[part="line"]')) {
    lines[textOf(line.querySelector('.item-number'))] = (line.querySelector('input') as HTMLInputElement | null)?.value ?? textOf(line.querySelector('.quantity span:not(.cell-label)'));
  }
  const items = {
    lines,
    product: field(form, 'Product').value,
    quantity: field(form, 'Quantity').value,
    unit: field<HTMLSelectElement>(form, 'Unit').value,
    quickAdd: field<HTMLTextAreaElement>(form, 'Item numbers and quantities').value,
  };
  await press(form, 'Back');
  // (A page that opened on Items loads the delivery addresses meanwhile; Next checks the chosen one against them.)
  await waitUntil(() => shadowOf(form).querySelectorAll('#delivery-address option:not([data-loading])').length > 2, 'the addresses did not load', { timeout: 30000 });
  const information = {
    receiptDate: field(form, 'Requested receipt date').value,
    deliveryAddress: field<HTMLSelectElement>(form, 'Delivery address').value,
    oneTime: Object.fromEntries(ONE_TIME_FIELDS.map((label) => [label, field(form, label).value])),
    reference: field(form, 'Customer reference').value,
    requisition: field(form, 'Requisition number').value,
  };
  const { deliveryAddress, ...rest } = information;
  expect(deliveryAddress, 'delivery address').to.equal('one-time');
  await press(form, 'Next');
  expect(form.step, 'back on Items').to.equal('items');
  return { ...rest, ...items } as Typed;
}

describe('Reliability: drafts survive reload, crash and offline', function () {
  this.timeout(10 * 60 * 1000);

  let settings: RunSettings;
  let buyer: EmulatorUser;
  let catalogue: CatalogueItem[];
  const figures: Record<string, unknown> = {};

  before(async () => {
    settings = await runSettings();
    const shared = sharedTarget();
    buyer = (await shared.users()).find((u) => u.accountNumber === 'US-007' && u.webRoles.includes('authorized-user'))!;
    catalogue = (await catalogueOf(shared.admin, buyer)).filter((c) => /^[A-Z0-9-]+$/.test(c.itemNumber) && c.decimals === 0);
  });

  after(() => printFigures('drafts: every typed field after reload, crash and offline', figures));
  afterEach(() => {
    // A frame left by a failed test would keep its form alive (and writing the same contact's draft).
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
    sessionStorage.clear();
  });

  it('reload and crash in the middle of the form: every typed field comes back, in a new page with nothing in memory', async () => {
    sessionStorage.clear();
    // The frame's page uses the run's emulator with the page's session cookie (same origin): reads only.
    await sharedTarget().powerPagesLane(buyer);
    const attributes = {
      'base-url': '/_api/',
      auth: 'power-pages',
      'contact-id': buyer.contactId,
      'account-id': buyer.accountId,
      roles: liquidRolesOf(buyer),
    };
    let frame!: HTMLIFrameElement;
    const openPage = async (): Promise<ScmOrderForm> => {
      frame = document.createElement('iframe');
      frame.style.cssText = 'width:1024px;height:1200px;border:0';
      frame.src = '/test/reliability/pages/order-form.html';
      document.body.append(frame);
      return formIn(frame);
    };
    const formIn = async (f: HTMLIFrameElement): Promise<ScmOrderForm> => {
      await waitUntil(() => (f.contentWindow as (Window & { __pageLoaded?: boolean }) | null)?.__pageLoaded, 'the form page did not load', { timeout: 60000 });
      const form = (f.contentWindow as unknown as { openForm(a: Record<string, string>): ScmOrderForm }).openForm(attributes);
      await formReady(form);
      return form;
    };
    const reload = async (): Promise<ScmOrderForm> => {
      const old = frame.contentWindow!;
      old.location.reload();
      await waitUntil(() => frame.contentWindow !== old || !(old as Window & { __pageLoaded?: boolean }).__pageLoaded, 'the page did not unload', { timeout: 30000 }).catch(() => undefined);
      await waitUntil(() => frame.contentDocument?.readyState === 'complete' && (frame.contentWindow as Window & { __pageLoaded?: boolean }).__pageLoaded && !frame.contentDocument.querySelector('scm-portal'), 'the page did not reload', { timeout: 60000 });
      return formIn(frame);
    };
    const crash = async (): Promise<ScmOrderForm> => {
      frame.remove(); // the tab is gone: nothing of its page runs any more
      return openPage();
    };

    let form = await openPage();
    const orderId = form.orderId;
    const [first, second, third] = catalogue;
    const typed: Typed = {
      receiptDate: dayFromToday(12),
      oneTime: {
        'Address name': 'Site office – Pier 4, O\'Hara & Sons 📦',
        'Street and number': '12 Harbour Road',
        'Street line 2': 'Gate "B" / דלת 3',
        City: 'Charleston',
        'State or province': 'SC',
        'Postal code': '29401',
      },
      reference: `PO 50% "rush" <b>${Date.now() % 100000}</b>`,
      requisition: 'REQ-7781 ‮RTL‬',
      lines: {},
      product: '',
      quantity: '',
      unit: '',
      quickAdd: '',
    };

    // Order information, a reload half-way through it.
    await typeInto(form, field(form, 'Requested receipt date'), typed.receiptDate);
    await typeInto(form, field<HTMLSelectElement>(form, 'Delivery address'), 'one-time', 'change');
    for (const label of ONE_TIME_FIELDS.slice(0, 3)) await typeInto(form, field(form, label), typed.oneTime[label]!);
    form = await reload();
    expect(form.orderId, 'order id after a reload').to.equal(orderId);
    expect(form.step).to.equal('information');
    expect(field(form, 'Requested receipt date').value).to.equal(typed.receiptDate);
    expect(field<HTMLSelectElement>(form, 'Delivery address').value).to.equal('one-time');
    for (const label of ONE_TIME_FIELDS.slice(0, 3)) expect(field(form, label).value, label).to.equal(typed.oneTime[label]);
    for (const label of ONE_TIME_FIELDS.slice(3)) await typeInto(form, field(form, label), typed.oneTime[label]!);
    await typeInto(form, field(form, 'Customer reference'), typed.reference);
    await typeInto(form, field(form, 'Requisition number'), typed.requisition);
    await press(form, 'Next');
    expect(form.step, 'Items').to.equal('items');

    // Items: two by quick add, a quantity edited, a product chosen but not added, quick-add text left in the box.
    const details = shadowOf(form).querySelector<HTMLDetailsElement>('details[part="quick-add"]')!;
    details.querySelector('summary')!.click();
    await waitUntil(() => details.open);
    await typeInto(form, field<HTMLTextAreaElement>(form, 'Item numbers and quantities'), `${first!.itemNumber}, 2\n${second!.itemNumber}, 3`);
    await press(form, 'Add lines');
    await waitUntil(() => shadowOf(form).querySelectorAll('[part="line"]').length === 2, 'the lines were not added', { timeout: 30000 });
    const quantityOfFirst = shadowOf(form).querySelector<HTMLInputElement>(`[part="line"] input[aria-label^="Quantity of ${first!.itemNumber}"]`)!;
    await typeInto(form, quantityOfFirst, '7');
    typed.lines = { [first!.itemNumber]: '7', [second!.itemNumber]: '3' };
    const product = field(form, 'Product');
    await typeInto(form, product, third!.itemNumber);
    product.dispatchEvent(new (form.ownerDocument.defaultView as typeof window).KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => shadowOf(form).querySelector('#product-option-0'), 'no product suggestions', { timeout: 30000 });
    (shadowOf(form).querySelector('#product-option-0') as HTMLElement).click();
    await form.updateComplete;
    typed.product = product.value;
    expect(typed.product).to.contain(third!.itemNumber);
    typed.unit = field<HTMLSelectElement>(form, 'Unit').value;
    typed.quantity = '4';
    await typeInto(form, field(form, 'Quantity'), typed.quantity);
    typed.quickAdd = 'LEFTOVER-1, 9';
    await typeInto(form, field<HTMLTextAreaElement>(form, 'Item numbers and quantities'), typed.quickAdd);

    // Crash right after that keystroke.
    form = await crash();
    expect(form.orderId, 'order id after a crash').to.equal(orderId);
    expect(await readBack(form), 'after a crash').to.deep.equal(typed);
    // And a plain reload on top.
    form = await reload();
    expect(form.orderId, 'order id after the second reload').to.equal(orderId);
    expect(await readBack(form), 'after a reload').to.deep.equal(typed);
    frame.remove();
    figures['reload (information step)'] = `${3 + 2} fields back, order id kept`;
    figures['crash (items step)'] = `${Object.keys(typed.oneTime).length + 4 + Object.keys(typed.lines).length + 4} fields back, order id kept`;
    figures['reload (items step)'] = 'same';
  });

  it('offline in the middle of the form: every field kept, every action says why, Submit back online creates the order once', async () => {
    sessionStorage.clear();
    const target: Target = targetFor(settings);
    const user = (await target.users()).find((u) => u.email === buyer.email)!;
    const lane = await target.powerPagesLane(user);
    let offline = false;
    let refused = 0;
    const network: typeof fetch = async (input, init) => {
      if (offline) {
        refused++;
        throw new TypeError('Failed to fetch');
      }
      return lane.fetch(input, init);
    };
    const { portal } = await renderPortal(lane, html`<scm-order-form sync-interval="0"></scm-order-form>`, { fetch: network });
    let form = portal.querySelector('scm-order-form')!;
    await formReady(form);
    const orderId = form.orderId;
    const [first, second, third] = (await catalogueOf(target.admin, user)).filter((c) => /^[A-Z0-9-]+$/.test(c.itemNumber) && c.decimals === 0);
    await typeInto(form, field(form, 'Requested receipt date'), dayFromToday(14));
    await typeInto(form, field<HTMLSelectElement>(form, 'Delivery address'), 'one-time', 'change');
    const oneTime: Record<string, string> = { 'Address name': 'Dock 9', 'Street and number': '1 Quay St', 'Street line 2': '', City: 'Boston', 'State or province': 'MA', 'Postal code': '02110' };
    for (const label of ONE_TIME_FIELDS) await typeInto(form, field(form, label), oneTime[label]!);
    await press(form, 'Next');
    const details = shadowOf(form).querySelector<HTMLDetailsElement>('details[part="quick-add"]')!;
    details.querySelector('summary')!.click();
    await waitUntil(() => details.open);
    await typeInto(form, field<HTMLTextAreaElement>(form, 'Item numbers and quantities'), `${first!.itemNumber}, 2`);
    await press(form, 'Add lines');
    await waitUntil(() => shadowOf(form).querySelectorAll('[part="line"]').length === 1, 'the line was not added', { timeout: 30000 });

    // The network goes away. The customer keeps working.
    offline = true;
    const messages: Record<string, string> = {};
    await typeInto(form, field(form, 'Product'), second!.itemNumber);
    field(form, 'Product').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => /couldn't|offline|connection/i.test(textOf(shadowOf(form).querySelector('#product-status'))), 'no word about the failed search', { timeout: 30000 });
    messages['product search'] = textOf(shadowOf(form).querySelector('#product-status'));
    await typeInto(form, field(form, 'Quantity'), '5');
    await typeInto(form, field<HTMLTextAreaElement>(form, 'Item numbers and quantities'), `${third!.itemNumber}, 6`);
    await press(form, 'Add lines');
    await waitUntil(() => shadowOf(form).querySelector('#quick-add-problems'), 'no word about the failed quick add', { timeout: 30000 });
    messages['quick add'] = textOf(shadowOf(form).querySelector('#quick-add-problems'));
    await typeInto(form, shadowOf(form).querySelector<HTMLInputElement>('[part="line"] input')!, '8');
    await typeInto(form, field(form, 'Product'), '');
    await typeInto(form, field(form, 'Quantity'), '');
    await press(form, 'Next');
    expect(form.step).to.equal('review');
    await press(form, 'Submit order');
    await waitUntil(() => shadowOf(form).querySelector('[part="problem"]') && !form.matches(':state(submitting)'), 'no word about the failed submission', { timeout: 30000 });
    messages['Submit order'] = textOf(shadowOf(form).querySelector('[part="problem"]'));
    expect(messages['Submit order']).to.match(/^Your order was not submitted\. .*Your order is kept.*submit/);

    // Still offline, the form element is re-created (the page's script runs it again): the draft comes back.
    form.remove();
    form = document.createElement('scm-order-form') as ScmOrderForm;
    form.setAttribute('sync-interval', '0');
    portal.append(form);
    await waitUntil(() => form.step !== undefined && shadowOf(form).querySelector('#step-title'), 'the re-created form did not open', { timeout: 30000 });
    await form.updateComplete;
    expect(form.orderId, 'order id after re-creating the form offline').to.equal(orderId);
    expect(form.step, 'the step after re-creating').to.equal('review');
    figures['offline: the review after re-creating the form'] = textOf(shadowOf(form).querySelector('[part="step"]')).slice(0, 260);
    expect(textOf(shadowOf(form).querySelector('[part="line"] .quantity')), 'the edited quantity').to.contain('8');
    expect(textOf(shadowOf(form).querySelector('[part="line"] .item-number')), 'the line').to.equal(first!.itemNumber);
    await press(form, 'Back');
    expect(field<HTMLTextAreaElement>(form, 'Item numbers and quantities').value, 'quick-add box').to.equal(`${third!.itemNumber}, 6`);
    await press(form, 'Back');
    expect(field(form, 'Requested receipt date').value, 'receipt date').to.equal(dayFromToday(14));
    expect(field<HTMLSelectElement>(form, 'Delivery address').value, 'delivery address').to.equal('one-time');
    for (const label of ONE_TIME_FIELDS) expect(field(form, label).value, label).to.equal(oneTime[label]);

    // Back online. The addresses could not load offline: the client is still retrying them, or the form offers
    // Retry (pressed, as a customer would).
    offline = false;
    const addressesLoaded = () => shadowOf(form).querySelectorAll('#delivery-address option:not([data-loading])').length > 2;
    await waitUntil(() => addressesLoaded() || findButton(form, 'Retry'), 'the addresses neither loaded nor offered Retry', { timeout: 60000 });
    if (!addressesLoaded()) {
      figures['offline: addresses needed Retry'] = true;
      await press(form, 'Retry');
      await waitUntil(addressesLoaded, 'the addresses did not load', { timeout: 30000 });
    }
    await press(form, 'Next');
    await press(form, 'Next');
    expect(form.step).to.equal('review');
    // One press of Submit creates the order, once.
    const before = await target.admin.count('salesorders', `salesorderid eq ${orderId}`);
    expect(before, 'nothing was created offline').to.equal(0);
    await press(form, 'Submit order');
    await waitUntil(() => shadowOf(form).querySelector('[part="success"]'), 'the order was not submitted back online', { timeout: 60000 });
    expect(await target.admin.count('salesorders', `salesorderid eq ${orderId}`), 'the order, once').to.equal(1);
    expect(findButton(form, 'Start a new order')).to.not.equal(undefined);
    figures['offline: requests refused by the network'] = refused;
    figures['offline: what the customer was told'] = messages;
    figures['offline: order created back online'] = `once (${orderId})`;
  });
});
