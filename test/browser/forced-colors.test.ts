/**
 * Forced colours (Windows High Contrast): with `forced-colors: active` emulated (CDP Emulation.setEmulatedMedia,
 * through the `emulate-forced-colors` command of web-test-runner.config.mjs), every element stays readable:
 * status badges keep a visible border and their text, the shapes that repeat a status are drawn in a system colour,
 * and the keyboard focus ring is visible (a solid outline in the system Highlight colour).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/elements/order-list/order-list.js';
import '../../src/elements/order-detail/order-detail.js';
import '../../src/elements/account-summary/account-summary.js';
import type { ScmOrderList } from '../../src/elements/order-list/order-list.js';
import type { ScmOrderDetail } from '../../src/elements/order-detail/order-detail.js';
import type { ScmAccountSummary } from '../../src/elements/account-summary/account-summary.js';
import { apiGet, pickUser, portalFixture, signIn } from '../support/portal.js';

/** A system colour as this page computes it now (forced colours change the palette). */
function systemColor(name: string): string {
  const probe = document.createElement('span');
  probe.style.color = name;
  document.body.append(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  return computed;
}

/** Checks that a badge is outlined and its text readable: a solid border of its text colour, text on its background. */
function expectOutlinedBadge(badge: Element, what: string): void {
  const style = getComputedStyle(badge);
  expect(style.borderTopStyle, `${what}: border style`).to.not.equal('none');
  expect(parseFloat(style.borderTopWidth), `${what}: border width`).to.be.at.least(1);
  expect(style.borderTopColor, `${what}: border colour`).to.equal(systemColor('CanvasText'));
  expect(style.color, `${what}: text colour`).to.equal(systemColor('CanvasText'));
  expect(style.color, `${what}: text on background`).to.not.equal(style.backgroundColor);
  expect(badge.textContent!.trim().length, `${what}: text`).to.be.greaterThan(0);
}

/** Checks that the focused element shows a solid focus ring in the Highlight colour. */
function expectFocusRing(focused: Element | null, what: string): void {
  expect(focused, `${what}: nothing focused`).to.not.equal(null);
  expect(focused!.matches(':focus-visible'), `${what}: focus-visible`).to.equal(true);
  const style = getComputedStyle(focused!);
  expect(style.outlineStyle, `${what}: outline style`).to.equal('solid');
  expect(parseFloat(style.outlineWidth), `${what}: outline width`).to.be.at.least(2);
  expect(style.outlineColor, `${what}: outline colour`).to.equal(systemColor('Highlight'));
}

/** Tabs (a real key press, so focus is keyboard focus) until `predicate` holds for the focused element. */
async function tabTo(root: ShadowRoot, predicate: (element: Element) => boolean, limit = 40): Promise<Element> {
  for (let i = 0; i < limit; i++) {
    await sendKeys({ press: 'Tab' });
    const active = root.activeElement;
    if (active && predicate(active)) return active;
  }
  throw new Error('no focusable element found by Tab');
}

describe('forced colours', function () {
  // Each test renders a whole element against the shared emulator, several of them the order list of a large
  // account; on a loaded 2-core machine a first, cold list query can take longer than the default 20 s.
  this.timeout(60_000);
  before(async () => {
    await executeServerCommand('emulate-forced-colors', { active: true });
  });

  after(async () => {
    await executeServerCommand('emulate-forced-colors', { active: false });
  });

  it('is emulated', () => {
    expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
  });

  it('<scm-order-list>: status badges keep their border, text and shape; focus is visible', async () => {
    const rep = await pickUser({ role: 'customer-representative', index: 4 });
    const { element: list } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="25" live-interval="0"></scm-order-list>`, {
      user: rep,
    });
    const root = list.shadowRoot!;
    await waitUntil(() => root.querySelector('tbody [part~="status"]'), 'the list did not load', { timeout: 15000 });
    const badges = [...root.querySelectorAll('tbody [part~="status"]')];
    for (const badge of badges) {
      expectOutlinedBadge(badge, `status ${badge.textContent!.trim()}`);
      // The dot that repeats the status in a shape is drawn in a system colour, not dropped: filled, or half
      // filled (a gradient) for the partial statuses.
      const dot = getComputedStyle(badge, '::before');
      const partial = (badge as HTMLElement).dataset.status!.startsWith('partially') || badge.getAttribute('data-status') === 'delivered-partially-invoiced';
      if (partial) expect(dot.backgroundImage, 'half-filled status dot').to.contain(systemColor('CanvasText'));
      else expect(dot.backgroundColor, 'status dot').to.equal(systemColor('CanvasText'));
      expect(dot.borderTopColor, 'status dot outline').to.equal(systemColor('CanvasText'));
    }
    const row = await tabTo(root, (element) => element.matches('tbody tr'));
    expectFocusRing(row, 'order row');
    const search = root.querySelector('input[type="search"]') as HTMLInputElement;
    search.focus();
    expectFocusRing(root.activeElement, 'search field');
    await expect(list).to.be.accessible();
  });

  it('<scm-order-detail>: line statuses, badges and the focus ring', async () => {
    const rep = await pickUser({ role: 'customer-representative', index: 4 });
    await signIn(rep);
    const filter = encodeURIComponent(`_customerid_value eq ${rep.accountId} and msdyn_processingstatus eq 192350005`);
    const found = await apiGet<{ value: { salesorderid: string }[] }>(`salesorders?$select=salesorderid&$filter=${filter}&$top=1`);
    const id = found.value[0]!.salesorderid;
    const { element: detail } = await portalFixture<ScmOrderDetail>(html`<scm-order-detail order-id=${id} live-interval="0"></scm-order-detail>`, {
      user: rep,
    });
    const root = detail.shadowRoot!;
    await waitUntil(() => root.querySelector('[part~="base"]'), 'the order did not load', { timeout: 15000 });
    expectOutlinedBadge(root.querySelector('[part~="estimated"]')!, 'totals badge');
    for (const status of root.querySelectorAll('.lines-table [part~="line-status"]')) {
      expect(status.textContent!.trim().length).to.be.greaterThan(0);
      const dot = getComputedStyle(status, '::before');
      expect(dot.borderTopColor, 'line status shape').to.equal(systemColor('CanvasText'));
      const filled = ['delivered', 'invoiced'].includes((status as HTMLElement).dataset.status ?? '');
      expect(dot.backgroundColor, 'filled when delivered or invoiced').to.equal(systemColor(filled ? 'CanvasText' : 'Canvas'));
    }
    const current = root.querySelector('.step.current');
    if (current) expect(parseFloat(getComputedStyle(current).borderTopWidth)).to.be.at.least(3);
    const copy = await tabTo(root, (element) => element.matches('[part~="copy"]'));
    expectFocusRing(copy, 'copy button');
    expect(getComputedStyle(copy).borderTopColor).to.equal(systemColor('ButtonText'));
    await expect(detail).to.be.accessible();
  });

  it('<scm-account-summary>: the hold badge keeps its border and shape; focus is visible', async () => {
    const rep = await pickUser({ role: 'customer-representative', index: 4 });
    const { element: summary } = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, { user: rep });
    const root = summary.shadowRoot!;
    await waitUntil(() => summary.matches(':state(ready)'), 'the account summary did not load', { timeout: 15000 });
    const hold = root.querySelector('[part~="hold"]')!;
    expectOutlinedBadge(hold, 'hold badge');
    expect(getComputedStyle(hold, '::before').backgroundColor, 'hold shape').to.equal(systemColor('CanvasText'));
    const meter = root.querySelector('[part~="meter"]');
    if (meter) expect(getComputedStyle(meter).borderTopColor).to.equal(systemColor('CanvasText'));
    const focusable = await tabTo(root, (element) => element.matches('summary, a, button'));
    expectFocusRing(focusable, `${focusable.localName} in the summary`);
    await expect(summary).to.be.accessible();
  });

  it('<scm-portal>: the message keeps its border; the Sign in link has a visible focus ring', async () => {
    const { portal } = await portalFixture('', { user: null });
    const root = portal.shadowRoot!;
    const message = root.querySelector('[part~="message"]')!;
    expect(getComputedStyle(message).borderInlineStartColor).to.equal(systemColor('CanvasText'));
    expect(parseFloat(getComputedStyle(message).borderInlineStartWidth)).to.be.at.least(4);
    const action = await tabTo(root, (element) => element.matches('[part~="action"]'));
    expectFocusRing(action, 'Sign in');
    expect(getComputedStyle(action).color).to.equal(systemColor('LinkText'));
    await expect(portal).to.be.accessible();
  });

  it('an element outside a portal: the gate stays bordered', async () => {
    const element = await fixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`);
    const gate = element.shadowRoot!.querySelector('[part~="gate"]')!;
    expect(getComputedStyle(gate).borderTopStyle).to.equal('dashed');
    expect(getComputedStyle(gate).borderTopColor).to.equal(systemColor('CanvasText'));
  });
});
