// End to end: the demo site that `npm start` serves (demo/server/site.mjs around the emulator), in a real
// Chromium driven by playwright-core, loading the elements from the single-file build (dist/cdn/scm-portal.js)
// exactly as a customer's browser would:
// - Power Pages look-alike: sign in through the sign-in page, account summary, orders (links, page kept in the
//   address), an order's details, a new order through the form, sign out; Bootstrap's styles stay outside the
//   elements and the library adds no global style.
// - Corporate website: "sign in as", hash routes, choosing an order, Reorder into the form, a submitted order
//   opening its details and showing at the top of the refreshed list, Back.
// - Strict CSP page: no Content-Security-Policy or Trusted Types violation while the portal renders and is used,
//   and (so the check can fail) a deliberate violation is caught.
// Screenshots of each page go to .tmp/screenshots/e2e-*.png.
//
// Needs the build (`npm run build`; `npm test` builds before this step). Without dist/cdn/scm-portal.js the suite
// is skipped, saying so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/node.js';
import { createDemoSite, STRICT_CSP } from '../../demo/server/site.mjs';
import { eventually } from './page-support.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bundle = join(root, 'dist', 'cdn', 'scm-portal.js');
const screenshots = join(root, '.tmp', 'screenshots');
const executablePath =
  process.env.CHROME_PATH ?? (existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');

/** Small enough to seed in well under a second, large enough for several pages of orders per account. */
const SEED = { orders: 400, largeAccountOrders: 300 } as const;

interface SeedUser {
  email: string;
  fullName: string;
  contactId: string;
  accountId: string;
  accountNumber: string;
  webRoles: string[];
}

const textOf = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
/** The rendered text of an element's shadow root (a host's innerText holds only its light DOM). */
const shadowTextOf = (locator: Locator) =>
  locator.evaluate((el) => (el.shadowRoot ? (el.shadowRoot as unknown as HTMLElement).textContent ?? '' : '').replace(/\s+/g, ' ').trim());

/** A date `days` from today in the browser's local calendar, as an `<input type="date">` value. */
async function dayFromToday(page: Page, days: number): Promise<string> {
  return page.evaluate((n) => {
    const d = new Date();
    d.setDate(d.getDate() + n);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }, days);
}

describe('demo site (npm start) in Chromium', { skip: existsSync(bundle) ? false : `${bundle} is missing: run \`npm run build\` first` }, () => {
  let server: EmulatorServer;
  let browser: Browser;
  let users: SeedUser[];
  /** Problems the pages reported (uncaught errors, console errors), per page, checked after each test. */
  const pageProblems: string[] = [];

  const user = (predicate: (u: SeedUser) => boolean) => {
    const found = users.find(predicate);
    assert.ok(found, 'the seed has the user the test needs');
    return found;
  };

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/favicon/.test(message.text())) pageProblems.push(`console error: ${message.text()}`);
    });
    return { context, page };
  }

  /** Reads an order through the Dataverse Web API as the administrator (independent of the page). */
  async function adminGet(path: string): Promise<Response> {
    const admin = user((u) => u.webRoles.includes('administrator'));
    const token = await (await fetch(`${server.url}/emulator/token`, { method: 'POST', body: JSON.stringify({ user: admin.email }) })).json();
    return fetch(`${server.url}/api/data/v9.2/${path}`, {
      headers: { Authorization: `Bearer ${token.access_token}`, Accept: 'application/json', 'OData-Version': '4.0' },
    });
  }

  /** Product id → total quantity of an order's lines, read through the Web API. */
  async function quantitiesByProduct(orderId: string): Promise<Record<string, number>> {
    const response = await adminGet(`salesorders(${orderId})?$select=ordernumber&$expand=order_details($select=_productid_value,quantity)`);
    assert.equal(response.status, 200);
    const totals: Record<string, number> = {};
    for (const line of (await response.json()).order_details as { _productid_value: string; quantity: number }[]) {
      totals[line._productid_value] = (totals[line._productid_value] ?? 0) + line.quantity;
    }
    return totals;
  }

  /**
   * Fills the order form from whatever step it shows to a submitted order: a receipt date, one product (found
   * by typing `search` into the Product combobox) unless the order has lines already, then Submit order.
   */
  async function completeOrderForm(page: Page, form: Locator, search: string): Promise<void> {
    const stepTitle = form.locator('#step-title');
    if ((await textOf(stepTitle)) !== 'Order information') {
      await form.getByRole('button', { name: 'Back', exact: true }).click();
    }
    await eventually(() => textOf(stepTitle), (t) => t === 'Order information', 'the Order information step');
    await form.getByLabel('Requested receipt date').fill(await dayFromToday(page, 10));
    await form.getByLabel('Customer reference').fill('E2E demo order');
    await form.getByRole('button', { name: 'Next', exact: true }).click();
    await eventually(() => textOf(stepTitle), (t) => t === 'Items', 'the Items step');
    if ((await form.locator('[part="line"]').count()) === 0) {
      await form.getByRole('combobox', { name: /^Product/ }).fill(search);
      const option = form.getByRole('listbox', { name: 'Products' }).getByRole('option').first();
      await option.waitFor();
      await option.click();
      await form.getByLabel(/^Quantity/).first().fill('4');
      await form.getByRole('button', { name: 'Add item' }).click();
      await form.locator('[part="line"]').first().waitFor();
    }
    await form.getByRole('button', { name: 'Next', exact: true }).click();
    await eventually(() => textOf(stepTitle), (t) => t === 'Review and submit', 'the Review and submit step');
    await form.getByRole('button', { name: 'Submit order' }).click();
  }

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    let site: ReturnType<typeof createDemoSite> | undefined;
    server = await startEmulatorServer({
      port: 0,
      persist: false,
      scmClock: 'manual',
      seed: SEED,
      fallback: (req, res) => site!.handle(req, res),
    });
    site = createDemoSite({ opened: server.opened, root });
    users = (await (await fetch(`${server.url}/emulator/users`)).json()).value as SeedUser[];
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('Power Pages: signs in, shows the account, the orders, an order, keeps the list page in the address, and signs out', { timeout: 120_000 }, async () => {
    const rep = user((u) => u.accountNumber === 'US-001' && u.webRoles.includes('customer-representative'));
    const { context, page } = await newPage();
    try {
      // Signed out: the page asks to sign in; the sign-in page returns to where the customer was going.
      await page.goto(`${server.url}/power-pages/orders/`);
      await page.locator('#signin-prompt').waitFor();
      assert.equal(await page.locator('scm-portal').count(), 0, 'no portal for anonymous visitors');
      await page.locator('#signin-prompt').getByRole('link', { name: 'Sign in' }).click();
      assert.match(page.url(), /\/power-pages\/SignIn\?returnUrl=%2Fpower-pages%2Forders%2F$/);
      await page.screenshot({ path: join(screenshots, 'e2e-power-pages-signin.png'), fullPage: true });
      await page.selectOption('#signin-user', rep.email);
      await Promise.all([page.waitForURL(`${server.url}/power-pages/orders/`), page.getByRole('button', { name: 'Sign in' }).click()]);

      // Liquid wrote the signed-in contact into the markup.
      const portal = page.locator('scm-portal');
      assert.equal(await portal.getAttribute('contact-id'), rep.contactId);
      assert.equal(await portal.getAttribute('account-id'), rep.accountId);
      assert.equal(await portal.getAttribute('roles'), 'Authenticated Users,Customer representative');
      assert.equal(await portal.getAttribute('auth'), 'power-pages');
      assert.equal(await portal.getAttribute('base-url'), '/_api/');

      // Orders: real links built from href-template; the count line and a full first page.
      const list = page.locator('scm-order-list');
      const links = list.locator('tr[part~="row"] a[part="number"]');
      await links.first().waitFor();
      const summary = await eventually(() => textOf(list.locator('[part="summary"]')), (t) => /of [\d,]+ orders/.test(t), 'the count line');
      assert.match(summary, /^1–25 of [\d,]+ orders/);
      assert.equal(await links.count(), 25);
      assert.match((await links.first().getAttribute('href')) ?? '', /^\/power-pages\/orders\/\?id=[0-9a-f-]{36}$/);
      // A customer representative sees who placed each order.
      assert.ok((await list.getByRole('columnheader', { name: /Placed by/ }).count()) === 1);

      // The list's page lives in the address, so Back from an order returns to it.
      await list.getByRole('button', { name: /Next/ }).click();
      await page.waitForURL(/\?page=2$/);
      await eventually(() => textOf(list.locator('[part="summary"]')), (t) => t.startsWith('26–'), 'page 2');
      await page.screenshot({ path: join(screenshots, 'e2e-power-pages-orders.png'), fullPage: true });

      // An order: its page shows the same order.
      const first = links.first();
      const number = (await first.innerText()).trim();
      const href = (await first.getAttribute('href'))!;
      await Promise.all([page.waitForURL(`${server.url}${href}`), first.click()]);
      const detail = page.locator('scm-order-detail');
      await eventually(() => textOf(detail.locator('[part="number"]')), (t) => t === number, `order ${number} on its page`);
      assert.deepEqual(await page.locator('.breadcrumb-item').allInnerTexts(), ['Home', 'Orders', 'Order details']);
      await detail.locator('[part="lines"]').waitFor();
      await page.screenshot({ path: join(screenshots, 'e2e-power-pages-order.png'), fullPage: true });

      // Bootstrap's reboot (button { border-radius: 0 }) does not reach into the element; the site's primary colour
      // does, through the token on <scm-portal>; and the library added no style to the page itself.
      const reorder = detail.getByRole('button', { name: 'Reorder' });
      const look = await reorder.evaluate((b) => ({ radius: getComputedStyle(b).borderTopLeftRadius, background: getComputedStyle(b).backgroundColor }));
      assert.notEqual(look.radius, '0px', 'Bootstrap reset the element\'s button');
      assert.equal(look.background, 'rgb(47, 95, 239)', 'the element uses the site\'s primary colour');
      const globalStyles = await page.evaluate(() => ({
        adopted: document.adoptedStyleSheets.length,
        sheets: [...document.styleSheets].map((s) => s.href ?? 'inline').filter((h) => !/bootstrap\.min\.css|theme\.css/.test(h)),
      }));
      assert.deepEqual(globalStyles, { adopted: 0, sheets: [] });

      await page.goBack();
      await eventually(() => textOf(list.locator('[part="summary"]')), (t) => t.startsWith('26–'), 'page 2 after Back');

      // Account.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
      await page.waitForURL(`${server.url}/power-pages/account/`);
      const account = page.locator('scm-account-summary');
      await eventually(() => shadowTextOf(account), (t) => t.includes('US-001') && t.includes('Credit limit'), 'the account summary');
      await page.screenshot({ path: join(screenshots, 'e2e-power-pages-account.png'), fullPage: true });

      // Sign out.
      await page.getByRole('button', { name: rep.fullName }).click();
      await Promise.all([page.waitForURL(`${server.url}/power-pages/`), page.getByRole('button', { name: 'Sign out' }).click()]);
      await page.locator('#signin-prompt').waitFor();
      assert.deepEqual(pageProblems, []);
    } finally {
      pageProblems.length = 0;
      await context.close();
    }
  });

  it('Power Pages: a new order through the form opens its page, and exists exactly once', { timeout: 120_000 }, async () => {
    const buyer = user((u) => u.accountNumber === 'US-002' && u.webRoles.includes('authorized-user'));
    const { context, page } = await newPage();
    try {
      await page.goto(`${server.url}/power-pages/SignIn?returnUrl=/power-pages/new-order/`);
      await page.selectOption('#signin-user', buyer.email);
      await Promise.all([page.waitForURL(`${server.url}/power-pages/new-order/`), page.getByRole('button', { name: 'Sign in' }).click()]);
      const form = page.locator('scm-order-form');
      await form.locator('#step-title').waitFor();
      await page.screenshot({ path: join(screenshots, 'e2e-power-pages-new-order.png'), fullPage: true });

      await completeOrderForm(page, form, 'Steel');
      await page.waitForURL(/\/power-pages\/orders\/\?id=[0-9a-f-]{36}&submitted=1$/, { timeout: 30_000 });
      const id = new URL(page.url()).searchParams.get('id')!;
      await page.locator('#submitted-notice').waitFor();
      const detail = page.locator('scm-order-detail');
      const number = await eventually(() => textOf(detail.locator('[part="number"]')), (t) => /^ORD-/.test(t), 'the new order on its page');
      await detail.locator('[part="pending"]').waitFor();
      await page.screenshot({ path: join(screenshots, 'e2e-power-pages-submitted.png'), fullPage: true });

      // Independently of the page: the order exists, once, for the buyer's account, with the reference typed.
      const response = await adminGet(`salesorders?$select=ordernumber,_customerid_value,msdyn_customersorderreference&$filter=salesorderid eq ${id}`);
      assert.equal(response.status, 200);
      const rows = (await response.json()).value as Record<string, unknown>[];
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.ordernumber, number);
      assert.equal(rows[0]!._customerid_value, buyer.accountId);
      assert.equal(rows[0]!.msdyn_customersorderreference, 'E2E demo order');

      // The orders page lists it first (newest first).
      await page.getByRole('link', { name: '← All orders' }).click();
      const firstNumber = page.locator('scm-order-list tr[part~="row"] a[part="number"]').first();
      await eventually(() => firstNumber.innerText(), (t) => t.trim() === number, 'the new order at the top of the list');
      assert.deepEqual(pageProblems, []);
    } finally {
      pageProblems.length = 0;
      await context.close();
    }
  });

  it('corporate site: sign in as, hash routes, choose an order, Reorder, submit, refreshed list, Back', { timeout: 150_000 }, async () => {
    const buyer = user((u) => u.accountNumber === 'US-003' && u.webRoles.includes('authorized-user'));
    const { context, page } = await newPage();
    try {
      await page.goto(`${server.url}/`);
      const signIn = page.locator('[data-signin]');
      await signIn.waitFor();
      assert.equal(await page.locator('scm-portal').isVisible(), false, 'the portal waits for a sign-in');
      await page.screenshot({ path: join(screenshots, 'e2e-corporate-signin.png'), fullPage: true });
      await signIn.locator('select').selectOption(buyer.email);
      await signIn.getByRole('button', { name: 'Sign in' }).click();

      const portal = page.locator('scm-portal');
      assert.equal(await portal.getAttribute('contact-id'), buyer.contactId);
      assert.equal(await portal.getAttribute('account-id'), buyer.accountId);
      assert.equal(await portal.getAttribute('auth'), 'token');
      assert.match(await textOf(page.locator('[data-who]')), new RegExp(`Signed in as ${buyer.fullName} · Authorized user · account US-003`));
      await page.waitForURL(/#\/orders$/);

      // Orders, event-driven: rows are not links; choosing one fires scm-order-select and the page routes.
      const list = page.locator('scm-order-list');
      const rows = list.locator('tr[part~="row"]');
      await rows.first().waitFor();
      assert.equal(await list.locator('a[part="number"]').count(), 0);
      // An authorized user sees only their own orders: no "Placed by" column.
      assert.equal(await list.getByRole('columnheader', { name: /Placed by/ }).count(), 0);
      await page.screenshot({ path: join(screenshots, 'e2e-corporate-orders.png'), fullPage: true });
      const chosenNumber = (await textOf(rows.first().locator('[part="number"]')));
      await rows.first().click();
      await page.waitForURL(/#\/orders\/[0-9a-f-]{36}$/);
      const detail = page.locator('scm-order-detail');
      await eventually(() => textOf(detail.locator('[part="number"]')), (t) => t === chosenNumber, 'the chosen order');
      assert.equal(await list.isVisible(), false, 'one view at a time');
      assert.match(await page.title(), /^Order details · /);
      const sourceOrderId = /#\/orders\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
      assert.ok((await detail.locator('tr[part="line"]').count()) > 0);
      await page.screenshot({ path: join(screenshots, 'e2e-corporate-order.png'), fullPage: true });

      // Reorder: the form (same page) takes the lines; the page shows it.
      await detail.getByRole('button', { name: 'Reorder' }).click();
      await page.waitForURL(/#\/new-order$/);
      const form = page.locator('scm-order-form');
      await eventually(() => form.locator('[part="line"]').count(), (n) => n > 0, 'the reordered lines in the form');
      await page.screenshot({ path: join(screenshots, 'e2e-corporate-reorder.png'), fullPage: true });

      // Submit: the new order's details open with a notice; the list was refreshed and shows it first.
      const submitted = page.evaluate(
        () => new Promise<{ orderId: string; orderNumber: string }>((r) => document.addEventListener('scm-order-submit', (e) => r((e as CustomEvent).detail), { once: true })),
      );
      await completeOrderForm(page, form, 'Steel');
      const { orderId, orderNumber } = await submitted;
      await page.waitForURL(new RegExp(`#/orders/${orderId}$`));
      await page.locator('[data-submitted-notice]').waitFor();
      await eventually(() => textOf(detail.locator('[part="number"]')), (t) => t === orderNumber, 'the new order\'s details');
      // Independently of the page: the new order has the products and quantities of the one reordered.
      assert.deepEqual(await quantitiesByProduct(orderId), await quantitiesByProduct(sourceOrderId), 'the reorder copied every line');

      await page.locator('.portal-tabs').getByRole('link', { name: 'Orders' }).click();
      await page.waitForURL(/#\/orders$/);
      await eventually(() => textOf(list.locator('tr[part~="row"]').first().locator('[part="number"]')), (t) => t === orderNumber, 'the new order first in the list');

      // Back goes to the previous view; Account works.
      await page.goBack();
      await page.waitForURL(new RegExp(`#/orders/${orderId}$`));
      assert.equal(await detail.isVisible(), true);
      await page.locator('.portal-tabs').getByRole('link', { name: 'Account' }).click();
      const account = page.locator('scm-account-summary');
      await eventually(() => shadowTextOf(account), (t) => t.includes('US-003') && t.includes('Credit limit'), 'the account summary');
      await page.screenshot({ path: join(screenshots, 'e2e-corporate-account.png'), fullPage: true });

      // Coming back to New order after a submission starts a new order.
      await page.locator('.portal-tabs').getByRole('link', { name: 'New order' }).click();
      await eventually(() => textOf(form.locator('#step-title')), (t) => t === 'Order information', 'a new order');
      assert.deepEqual(pageProblems, []);
    } finally {
      pageProblems.length = 0;
      await context.close();
    }
  });

  it('strict CSP page: no violation while the portal renders and is used; a deliberate one is caught', { timeout: 120_000 }, async () => {
    const rep = user((u) => u.accountNumber === 'US-004' && u.webRoles.includes('customer-representative'));
    const { context, page } = await newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Trusted Type|Refused to/i.test(m.text())) refused.push(m.text());
    });
    try {
      const response = await page.goto(`${server.url}/csp/`);
      assert.equal(response?.headers()['content-security-policy'], STRICT_CSP);
      assert.match(STRICT_CSP, /require-trusted-types-for 'script'; trusted-types lit-html/);
      assert.doesNotMatch(STRICT_CSP, /unsafe-inline|unsafe-eval/);

      const signIn = page.locator('[data-signin]');
      await signIn.locator('select').selectOption(rep.email);
      await signIn.getByRole('button', { name: 'Sign in' }).click();

      // Use it: the list, an order, the form, the account.
      const list = page.locator('scm-order-list');
      const rows = list.locator('tr[part~="row"]');
      await rows.first().waitFor();
      await rows.nth(1).click();
      const detail = page.locator('scm-order-detail');
      await detail.locator('[part="lines"]').waitFor();
      await page.locator('.portal-tabs').getByRole('link', { name: 'New order' }).click();
      const form = page.locator('scm-order-form');
      await form.getByLabel('Requested receipt date').waitFor();
      await form.getByLabel('Requested receipt date').fill(await dayFromToday(page, 12));
      await form.getByRole('button', { name: 'Next', exact: true }).click();
      await eventually(() => textOf(form.locator('#step-title')), (t) => t === 'Items', 'the Items step');
      await form.getByRole('combobox', { name: /^Product/ }).fill('Steel');
      await form.getByRole('listbox', { name: 'Products' }).getByRole('option').first().waitFor();
      await page.locator('.portal-tabs').getByRole('link', { name: 'Account' }).click();
      const account = page.locator('scm-account-summary');
      await eventually(() => shadowTextOf(account), (t) => t.includes('US-004'), 'the account summary');
      await page.locator('.portal-tabs').getByRole('link', { name: 'Orders' }).click();
      await list.getByRole('button', { name: /Next/ }).click();
      await eventually(() => textOf(list.locator('[part="summary"]')), (t) => t.startsWith('26–'), 'page 2');

      assert.deepEqual(await page.evaluate(() => (window as unknown as { cspViolations: unknown[] }).cspViolations), []);
      assert.deepEqual(refused, []);
      assert.equal(await textOf(page.locator('#csp-status')), 'No Content-Security-Policy or Trusted Types violations so far.');
      await page.screenshot({ path: join(screenshots, 'e2e-csp.png'), fullPage: true });

      // The policy is enforced and the page's listener reports what it blocks: an HTML string and an inline style.
      const outcome = await page.evaluate(() => {
        const target = document.createElement('div');
        let html = 'assigned';
        try {
          target.innerHTML = '<b>not allowed</b>';
        } catch (error) {
          html = (error as Error).name;
        }
        target.setAttribute('style', 'color: red');
        document.body.append(target);
        return html;
      });
      assert.equal(outcome, 'TypeError', 'Trusted Types refused the HTML string');
      const violations = await eventually(
        () => page.evaluate(() => (window as unknown as { cspViolations: { directive: string }[] }).cspViolations.map((v) => v.directive)),
        (v) => v.length >= 2,
        'the deliberate violations to be reported',
      );
      assert.deepEqual([...violations].sort(), ['require-trusted-types-for', 'style-src-attr']);
      assert.match(await textOf(page.locator('#csp-status')), /^2 violations/);
      assert.deepEqual(pageProblems.filter((p) => !/Content Security Policy|Trusted Type|TrustedHTML/i.test(p)), []);
    } finally {
      pageProblems.length = 0;
      await context.close();
    }
  });
});
