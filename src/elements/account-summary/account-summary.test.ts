import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import './account-summary.js';
import type { ScmAccountSummary } from './account-summary.js';
import { processingStatusLabels, OnHoldStatus } from '../../tables/choices.js';
import { tables } from '../../tables/index.js';
import { Emulator, MemoryStore, createEmulatorFetch, generateSeed, lookupIndexes } from '../../emulator/index.js';
import {
  apiGet,
  apiGetAll,
  countingFetch,
  droppingFetch,
  heldFetch,
  isApiRequest,
  pickUser,
  portalFixture,
  signIn,
  type PortalUser,
} from '../../../test/support/portal.js';

// Expectations are computed from the emulator's API with plain fetch (no library code), right before asserting.

interface OrderFacts {
  readonly msdyn_processingstatus: number | null;
  readonly totalamount: number | null;
}

const OPEN = [192350000, 192350001, 192350002, 192350003];
const largeAccount = 'US-010';

/** The orders the summary should count for `user`: all of the account for representatives, else their own. */
async function expectedOrders(user: PortalUser): Promise<{ byLabel: Record<string, number>; total: number; openTotal: number; openCount: number }> {
  const own = !user.roles.includes('customer-representative') && !user.roles.includes('administrator');
  const filter = `_customerid_value eq ${user.accountId}${own ? ` and _msdyn_contactperson_value eq ${user.contactId}` : ''}`;
  const rows = await apiGetAll<OrderFacts>(`salesorders?$select=msdyn_processingstatus,totalamount&$filter=${encodeURIComponent(filter)}`);
  const byLabel: Record<string, number> = {};
  let openTotal = 0;
  let openCount = 0;
  for (const row of rows) {
    const label = row.msdyn_processingstatus === null ? 'No status' : (processingStatusLabels as Record<number, string>)[row.msdyn_processingstatus]!;
    byLabel[label] = (byLabel[label] ?? 0) + 1;
    if (row.msdyn_processingstatus !== null && OPEN.includes(row.msdyn_processingstatus)) {
      openTotal += row.totalamount ?? 0;
      openCount += 1;
    }
  }
  return { byLabel, total: rows.length, openTotal: Math.round(openTotal * 100) / 100, openCount };
}

function part(element: ScmAccountSummary, name: string): HTMLElement | null {
  return element.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

function text(node: Element | null | undefined): string {
  return node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** The order counts as shown: label → number (parsed in the element's locale's grouping). */
function shownCounts(element: ScmAccountSummary, groupSeparator = ','): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of part(element, 'orders')!.querySelectorAll('dl > div')) {
    const label = text(row.querySelector('dt'));
    counts[label] = Number(text(row.querySelector('dd')).split(groupSeparator).join(''));
  }
  return counts;
}

async function renderSummary(user: PortalUser, options: { locale?: string; fetch?: typeof fetch } = {}) {
  const result = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, { user, ...options });
  await waitUntil(() => result.element.matches(':state(ready), :state(error)'), 'the account summary did not load', { timeout: 15000 });
  return result;
}

/** Money as `Intl` writes it, with its (non-breaking) spaces as plain ones, as {@link text} reads the page. */
const usd = (value: number, locale = 'en-US') =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(value).replace(/\s+/g, ' ');

describe('<scm-account-summary>', () => {
  afterEach(async () => {
    await setViewport({ width: 1024, height: 768 });
  });

  it('shows an authorized user their account, terms, credit estimate and their own orders by status', async () => {
    const user = await pickUser({ role: 'authorized-user', where: (u) => u.accountNumber !== largeAccount });
    const { element } = await renderSummary(user);
    expect(element.matches(':state(ready)')).to.equal(true);

    const account = await apiGet<Record<string, unknown>>(
      `accounts(${user.accountId})?$select=name,accountnumber,creditlimit,_msdyn_paymentterm_value,address1_city,address2_city`,
      { prefer: 'odata.include-annotations="*"' },
    );
    expect(text(part(element, 'title'))).to.equal(account.name);
    expect(text(part(element, 'header'))).to.contain(`Account ${account.accountnumber}`);
    expect(text(part(element, 'terms'))).to.contain(String(account['_msdyn_paymentterm_value@OData.Community.Display.V1.FormattedValue']));

    const expected = await expectedOrders(user);
    expect(shownCounts(element)).to.deep.equal({ ...expected.byLabel, All: expected.total });

    const credit = text(part(element, 'credit'));
    expect(credit).to.contain(usd(account.creditlimit as number));
    expect(credit).to.contain('Used by your open orders (estimate)');
    expect(credit).to.contain(usd(expected.openTotal));
    expect(credit).to.contain(`Estimated from ${expected.openCount} open`);
    expect(credit).to.contain("Orders placed by your colleagues aren't included");
    const meter = part(element, 'meter') as HTMLMeterElement;
    expect(meter.localName).to.equal('meter');
    expect(meter.max).to.equal(account.creditlimit);
    expect(meter.value).to.equal(Math.min(expected.openTotal, account.creditlimit as number));
    expect(meter.getAttribute('aria-valuetext')).to.contain(usd(expected.openTotal));

    // Delivery (address1) and invoice (address2) addresses, as <address>.
    const addresses = part(element, 'addresses')!.querySelectorAll('address');
    expect(addresses.length).to.equal(2);
    expect(text(addresses[0])).to.contain(String(account.address1_city));
    expect(text(addresses[1])).to.contain(String(account.address2_city));

    // Authorized users do not see their colleagues.
    expect(part(element, 'people')).to.equal(null);
    await expect(element).to.be.accessible();
  });

  it('shows a customer representative every order of the account and the people who may order', async () => {
    const user = await pickUser({ role: 'customer-representative', where: (u) => u.accountNumber !== largeAccount });
    const { element } = await renderSummary(user);
    const expected = await expectedOrders(user);
    expect(shownCounts(element)).to.deep.equal({ ...expected.byLabel, All: expected.total });
    expect(text(part(element, 'credit'))).to.contain('Used by open orders (estimate)');
    expect(text(part(element, 'credit'))).to.contain(usd(expected.openTotal));

    const contacts = await apiGetAll<{ fullname: string }>(
      `contacts?$select=fullname&$filter=${encodeURIComponent(`_parentcustomerid_value eq ${user.accountId} and statecode eq 0`)}`,
    );
    const shown = [...part(element, 'people')!.querySelectorAll('.person-name')].map((n) => text(n));
    expect(shown).to.deep.equal(contacts.map((c) => c.fullname).sort((a, b) => a.localeCompare(b)));
    expect(shown).to.include(user.name);

    // The primary contact comes with their e-mail for a representative (who may read the account's contacts).
    const account = await apiGet<Record<string, unknown>>(`accounts(${user.accountId})?$select=_primarycontactid_value`, {
      prefer: 'odata.include-annotations="*"',
    });
    expect(text(part(element, 'terms'))).to.contain(String(account['_primarycontactid_value@OData.Community.Display.V1.FormattedValue']));
    await expect(element).to.be.accessible();
  });

  it('takes two requests for its first view (the session takes one more), measured on the wire', async () => {
    const user = await pickUser({ role: 'customer-representative', where: (u) => u.accountNumber !== largeAccount });
    const counter = countingFetch();
    await renderSummary(user, { fetch: counter });
    const api = counter.requests.filter(isApiRequest);
    const summaryRequests = api.filter((r) => !/\/contacts\(/.test(r.url));
    expect(summaryRequests.map((r) => new URL(r.url).pathname)).to.have.members(['/_api/salesorders', `/_api/accounts(${user.accountId})`]);
    expect(summaryRequests.find((r) => r.url.includes('salesorders'))!.url).to.contain('$apply=');
    expect(api.length).to.equal(3);
  });

  it('formats money and numbers for the German locale', async () => {
    const user = await pickUser({ role: 'customer-representative', accountNumber: largeAccount });
    const { element } = await renderSummary(user, { locale: 'de-DE' });
    const account = await apiGet<{ creditlimit: number }>(`accounts(${user.accountId})?$select=creditlimit`);
    const credit = text(part(element, 'credit'));
    const limit = usd(account.creditlimit, 'de-DE');
    expect(limit).to.match(/^\d{1,3}(\.\d{3})+,\d\d \$$/); // 2.500.000,00 $
    expect(credit).to.contain(limit);
    // The large account has more than 1,000 orders: the total is grouped with a dot. (locale="de-DE" also makes the
    // text German, so the total row is read by its place, and its label is German.)
    await waitUntil(() => text(part(element, 'orders')!.querySelector('.total dt')) === 'Alle', 'the summary did not switch to German');
    const all = text(part(element, 'orders')!.querySelector('.total dd'));
    const total = Number(all.split('.').join(''));
    expect(total).to.be.greaterThan(1000);
    expect(all).to.equal(new Intl.NumberFormat('de-DE').format(total));
    expect(all).to.contain('.');
    await expect(element).to.be.accessible();
  });

  it('shows the hold status as text and shape, and the on-hold state', async () => {
    // Find a customer that SCM has put on hold: the administrator may read every account.
    const admin = await pickUser({ role: 'administrator' });
    await signIn(admin);
    const accounts = await apiGetAll<{ accountid: string; msdyn_onholdstatus: number | null }>('accounts?$select=accountid,msdyn_onholdstatus');
    const held = new Set(
      accounts
        .filter((a) => a.msdyn_onholdstatus !== null && a.msdyn_onholdstatus !== OnHoldStatus.No && a.msdyn_onholdstatus !== OnHoldStatus.Never)
        .map((a) => a.accountid),
    );
    const user = await pickUser({ where: (u) => held.has(u.accountId) && u.roles.includes('authorized-user') });
    const { element } = await renderSummary(user);
    const badge = part(element, 'hold')!;
    expect(text(badge)).to.match(/^On hold/);
    expect(badge.dataset.hold).to.equal('true');
    expect(element.matches(':state(on-hold)')).to.equal(true);
    await expect(element).to.be.accessible();
  });

  it('an account without orders says so', async () => {
    const admin = await pickUser({ role: 'administrator' });
    await signIn(admin);
    const orders = await apiGet<{ value: unknown[] }>(`salesorders?$select=salesorderid&$top=1&$filter=_customerid_value eq ${admin.accountId}`);
    expect(orders.value.length, 'the seller account has no orders in the seed').to.equal(0);
    const { element } = await renderSummary(admin);
    expect(text(part(element, 'orders'))).to.contain('No orders yet');
    expect(text(part(element, 'credit'))).to.contain('Estimated from 0 open orders');
    await expect(element).to.be.accessible();
  });

  it('loads every delivery address when asked, with the keyboard', async () => {
    const user = await pickUser({ role: 'authorized-user', where: (u) => u.accountNumber !== largeAccount, index: 1 });
    const counter = countingFetch();
    const { element } = await renderSummary(user, { fetch: counter });
    const before = counter.count(isApiRequest);
    const details = part(element, 'addresses')!.querySelector('details')!;
    expect(details.open).to.equal(false);
    (document.activeElement as HTMLElement | null)?.blur();
    // Tab through the summary's links to the disclosure, then open it with Enter.
    for (let i = 0; i < 20 && element.shadowRoot!.activeElement?.localName !== 'summary'; i++) await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement?.localName).to.equal('summary');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => details.querySelector('ul'), 'the delivery addresses did not load');

    const party = await apiGet<{ _msdyn_partyid_value: string }>(`accounts(${user.accountId})?$select=_msdyn_partyid_value`);
    const links = await apiGetAll<{ msdyn_postaladdresspurposenames: string; msdyn_postaladdresscollectionid: { msdyn_description: string } }>(
      `msdyn_partypostaladdresses?$select=msdyn_postaladdresspurposenames&$filter=${encodeURIComponent(`_msdyn_partyid_value eq ${party._msdyn_partyid_value}`)}&$expand=msdyn_postaladdresscollectionid($select=msdyn_description)`,
    );
    const expected = links
      .filter((l) => l.msdyn_postaladdresspurposenames.split(';').includes('Delivery'))
      .map((l) => l.msdyn_postaladdresscollectionid.msdyn_description)
      .sort();
    const shown = [...details.querySelectorAll('li .address-name')].map((n) => text(n)).sort();
    expect(shown).to.deep.equal(expected);
    expect(details.querySelectorAll('li address').length).to.equal(expected.length);
    expect(counter.count(isApiRequest) - before).to.equal(2);
    await expect(element).to.be.accessible();
  });

  it('shows a loading state while the account is on its way', async () => {
    const user = await pickUser({ role: 'authorized-user' });
    // Let the session through, hold the summary's own requests.
    const held = heldFetch((r) => isApiRequest(r) && !/\/contacts\(/.test(r.url));
    const { element } = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, { user, fetch: held });
    await waitUntil(() => held.waiting === 2, 'the summary requests were not sent');
    expect(element.matches(':state(loading)')).to.equal(true);
    expect(element.shadowRoot!.querySelector('[aria-busy="true"]')).not.to.equal(null);
    expect(text(element.shadowRoot!.querySelector('[role="status"]'))).to.equal('Loading your account…');
    await expect(element).to.be.accessible();
    held.release();
    await waitUntil(() => element.matches(':state(ready)'), 'the summary did not load');
    expect(text(element.shadowRoot!.querySelector('[role="status"]'))).to.equal('Account details loaded.');
  });

  it('shows an error with Retry (reachable by keyboard) when the service cannot be reached', async () => {
    const user = await pickUser({ role: 'authorized-user' });
    // The aggregate request (and the client's own retries of it) get no answer; after Retry it goes through.
    const dropping = droppingFetch(/\/_api\/salesorders\?\$apply=/, 5);
    const { element } = await renderSummary(user, { fetch: dropping });
    expect(element.matches(':state(error)')).to.equal(true);
    const problem = part(element, 'problem')!;
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(text(problem)).to.contain("The service can't be reached");
    await expect(element).to.be.accessible();
    (document.activeElement as HTMLElement | null)?.blur();
    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(part(element, 'retry'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => element.matches(':state(ready)'), 'Retry did not load the account');
  });

  it('is signed out with the portal', async () => {
    const { element } = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, { user: null });
    expect(text(element.shadowRoot!.querySelector('[part~="gate"]'))).to.contain('Sign in to see your account');
    await expect(element).to.be.accessible();
  });

  it('shows hostile text as text, and wraps a 2,000-character address line on a phone', async () => {
    await setViewport({ width: 360, height: 740 });
    // A small emulator in this page, seeded with hostile text (markup, bidi, very long lines) on the first customer.
    const seed = generateSeed({ orders: 40, largeAccountOrders: 5, hostile: true });
    const store = new MemoryStore({ indexes: lookupIndexes(tables) });
    store.load(seed.tables);
    const emulatorFetch = createEmulatorFetch(new Emulator({ store, tables, users: seed.users }), location.origin);
    const firstAccount = seed.tables.account![0]!;
    const rep = seed.users.find((u) => u.accountId === firstAccount.accountid && u.webRoles.includes('customer-representative'))!;
    await emulatorFetch('/emulator/signin', { method: 'POST', body: JSON.stringify({ user: rep.email }) });
    const { element } = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, {
      user: { email: rep.email, name: rep.fullName, contactId: rep.contactId, accountId: rep.accountId, accountNumber: rep.accountNumber, roles: rep.webRoles },
      fetch: emulatorFetch,
    });
    await waitUntil(() => element.matches(':state(ready)'), 'the account summary did not load');
    const longLine = String(firstAccount.address1_line2);
    expect(longLine.length).to.be.greaterThan(1000);
    expect(text(part(element, 'addresses'))).to.contain(longLine.replace(/\s+/g, ' ').trim().slice(0, 40));
    const hostileContact = seed.tables.contact!.find((c) => String(c.fullname).includes('<b>'))!;
    expect((hostileContact.parentcustomerid as { id: string }).id).to.equal(firstAccount.accountid);
    expect(text(part(element, 'people'))).to.contain(String(hostileContact.fullname));
    const details = part(element, 'addresses')!.querySelector('details')!;
    details.open = true;
    await waitUntil(() => details.querySelector('ul, .empty:not([role])'), 'the delivery addresses did not load');
    // Markup in the data stays text: no element was made from it.
    expect(element.shadowRoot!.querySelector('img, script, b')).to.equal(null);
    for (const card of element.shadowRoot!.querySelectorAll<HTMLElement>('[part~="card"]')) {
      expect(card.scrollWidth).to.be.at.most(card.clientWidth + 1);
    }
    expect(document.documentElement.scrollWidth).to.be.at.most(360);
    await expect(element).to.be.accessible();
  });

  it('fits a phone: one column, nothing wider than the screen', async () => {
    await setViewport({ width: 360, height: 740 });
    const user = await pickUser({ role: 'customer-representative', where: (u) => u.accountNumber !== largeAccount });
    const { element } = await renderSummary(user);
    const cards = [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part~="card"]')];
    expect(cards.length).to.be.greaterThan(3);
    const lefts = new Set(cards.map((c) => Math.round(c.getBoundingClientRect().left)));
    expect(lefts.size).to.equal(1);
    for (const card of cards) expect(card.scrollWidth).to.be.at.most(card.clientWidth + 1);
    expect(element.getBoundingClientRect().width).to.be.at.most(360);
    expect(document.documentElement.scrollWidth).to.be.at.most(360);
    await expect(element).to.be.accessible();
  });
});
