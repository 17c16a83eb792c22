/**
 * Hostile data: an emulator seeded with the seed's `hostile` option (markup with `alert(1)`, bidi overrides, RTL,
 * emoji, quotes, 2,000-character strings) plus payloads of this test that increment `window.__xss` if they ever
 * run, in every text column the elements show: order references and requisition numbers, delivery addresses,
 * line descriptions, product names, contact and account names, address descriptions.
 *
 * The elements render in a page of their own (an iframe: test/reliability/pages/hostile.html) that enforces
 * Trusted Types (only Lit's `lit-html` policy may create HTML) and counts, from before any module loads:
 * script runs (`__xss`), dialogs (`alert`…), CSP/Trusted Types violations, and markup that was not in the
 * templates (scripts, frames, inline handlers, `javascript:` URLs) added to the document or any shadow root.
 * Each element is shown on a desktop (1024 px) and a phone (360 px) width: nothing runs, the payloads show as
 * text, and nothing sticks out of the element's box.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { printFigures } from './support/settings.js';

type Json = Record<string, unknown>;

interface HostileWindow extends Window {
  __pageReady?: boolean;
  __xss: number;
  __dialogs: string[];
  __violations: string[];
  __injected: string[];
  __shadowRoots(): number;
  openEmulator(options: { orders: number; changes: unknown[] }): { email: string; webRoles: string[]; accountId: string; contactId: string; accountNumber: string }[];
  openPortal(email: string, children: { tag: string; attributes?: Record<string, string> }[]): Promise<HTMLElement & { status: string }>;
  adminGet(path: string): Promise<Json>;
}

/** Payloads that increment `window.__xss` if the markup or script in them ever runs. */
const PAYLOADS = [
  '<img src=x onerror="window.__xss++">',
  '"><svg onload="window.__xss++"></svg>',
  "'><script>window.__xss++</script>",
  '<iframe srcdoc="<script>parent.__xss++</script>"></iframe>',
  '<a href="javascript:window.__xss++">open</a>',
  '<details open ontoggle="window.__xss++">',
  '<math><mi xlink:href="javascript:window.__xss++">x</mi></math>',
  '{{constructor.constructor("window.__xss++")()}} ${window.__xss++}',
  '<style>*{display:none!important}</style>',
  '\u202Edaer ton, RTL override\u202C and \u2066isolate\u2069',
  'שלום עולם <b>מודגש</b> مرحبا بالعالم',
  '📦🚚✅👩‍👩‍👧‍👦🇺🇸 '.repeat(12),
  'W'.repeat(2000),
  `${'Supercalifragilistic'.repeat(40)}`,
] as const;

const WIDTHS = [1024, 360] as const;

describe('Reliability: hostile data never executes and layout holds', function () {
  this.timeout(10 * 60 * 1000);

  let frame: HTMLIFrameElement;
  let win: HostileWindow;
  let rep: { email: string; accountId: string; contactId: string };
  const shown: string[] = [];
  const checked: Record<string, string> = {};

  before(async () => {
    frame = document.createElement('iframe');
    frame.style.cssText = 'width:1024px;height:900px;border:0;display:block';
    frame.src = '/test/reliability/pages/hostile.html';
    document.body.append(frame);
    await waitUntil(() => (frame.contentWindow as HostileWindow | null)?.__pageReady, 'the hostile page did not load', { timeout: 60000 });
    win = frame.contentWindow as HostileWindow;
    const replace = (table: string, column: string, texts: readonly string[]) => ({ table, column, texts, mode: 'replace' });
    const append = (table: string, column: string, texts: readonly string[]) => ({ table, column, texts, mode: 'append' });
    const users = win.openEmulator({
      orders: 800,
      changes: [
        replace('salesorder', 'msdyn_customersorderreference', PAYLOADS),
        replace('salesorder', 'msdyn_customerrequisitionnumber', [...PAYLOADS].reverse()),
        replace('salesorder', 'msdyn_formatteddeliveryaddress', [...PAYLOADS.slice(5), ...PAYLOADS.slice(0, 5)]),
        replace('salesorder', 'msdyn_deliveryaddressdescription', [...PAYLOADS.slice(3), ...PAYLOADS.slice(0, 3)]),
        replace('salesorderdetail', 'msdyn_linedescription', PAYLOADS),
        append('product', 'name', PAYLOADS),
        replace('contact', 'fullname', PAYLOADS),
        append('account', 'name', PAYLOADS),
        append('account', 'address1_line1', [...PAYLOADS].reverse()),
        replace('msdyn_postaladdresscollection', 'msdyn_description', PAYLOADS),
        append('msdyn_postaladdress', 'msdyn_street', [...PAYLOADS.slice(7), ...PAYLOADS.slice(0, 7)]),
      ],
    });
    rep = users.find((u) => u.accountNumber === 'US-001' && u.webRoles.includes('customer-representative'))!;
  });

  after(() => {
    frame?.remove();
    printFigures('hostile data: payloads shown by the elements', {
      'payloads (this test) + seed hostile strings': `${PAYLOADS.length} + 10`,
      'element views checked (desktop and phone)': Object.keys(checked).length,
      'views': checked,
      'script runs counted (__xss)': win?.__xss,
      'dialogs opened': win?.__dialogs.length,
      'Trusted Types / CSP violations': win?.__violations.length,
      'injected markup found': win?.__injected.length,
      'payload texts seen rendered as text': shown.length,
    });
  });

  /** Everything that must hold after any rendering: nothing ran, nothing injected, no violation. */
  function expectNothingRan(where: string): void {
    expect(win.__xss, `${where}: script runs`).to.equal(0);
    expect(win.__dialogs, `${where}: dialogs`).to.deep.equal([]);
    expect(win.__violations, `${where}: Trusted Types violations`).to.deep.equal([]);
    expect(win.__injected, `${where}: markup not from the templates`).to.deep.equal([]);
  }

  /** The innermost shadow-tree node that reaches furthest right (to name what overflows). */
  function widestPart(el: HTMLElement): string {
    const right = el.getBoundingClientRect().right;
    let worst: Element | undefined;
    let worstRight = right;
    for (const node of el.shadowRoot?.querySelectorAll('*') ?? []) {
      const r = node.getBoundingClientRect();
      if (r.width > 0 && r.right > worstRight + 0.5 && !node.querySelector('*')) {
        worst = node;
        worstRight = r.right;
      }
    }
    if (!worst) return 'no single node';
    const path: string[] = [];
    for (let n: Element | null = worst; n && n !== el; n = n.parentElement) {
      path.unshift(`${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${n.getAttribute('part') ? `[part=${n.getAttribute('part')}]` : ''}${n.classList.length ? `.${[...n.classList].join('.')}` : ''}`);
    }
    return `${path.join(' > ')} ("${(worst.textContent ?? '').slice(0, 40)}…", ${Math.round(worstRight - right)}px past the box)`;
  }

  /** The element's content stays inside its box at the frame's width (wide tables may scroll inside it). */
  function overflowOf(el: HTMLElement): string | undefined {
    const doc = win.document.documentElement;
    if (el.scrollWidth > el.clientWidth + 1) return `${el.tagName.toLowerCase()} is ${el.scrollWidth}px wide inside a ${el.clientWidth}px box; widest: ${widestPart(el)}`;
    if (doc.scrollWidth > win.innerWidth + 1) return `the page scrolls sideways: ${doc.scrollWidth}px in a ${win.innerWidth}px window`;
    return undefined;
  }

  async function atEachWidth(el: HTMLElement, what: string, ready: () => unknown): Promise<void> {
    for (const width of WIDTHS) {
      frame.style.width = `${width}px`;
      await waitUntil(() => win.innerWidth === width, 'the frame did not resize');
      await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      await waitUntil(ready, `${what} did not render`, { timeout: 30000 });
      await new Promise((resolve) => win.requestAnimationFrame(() => resolve(undefined)));
      expectNothingRan(`${what} at ${width}px`);
      const overflow = overflowOf(el);
      checked[`${what} @${width}px`] = overflow ?? 'inside its box';
      // Layout problems are collected (every view is still checked) and asserted at the end of the test.
      if (overflow) layoutProblems.push(`${what} at ${width}px: ${overflow}`);
    }
    frame.style.width = `${WIDTHS[0]}px`;
  }

  let layoutProblems: string[] = [];
  beforeEach(() => {
    layoutProblems = [];
  });
  /** Ends a test: every view stayed inside its box. */
  function expectLayoutHeld(): void {
    expect(layoutProblems, 'content sticking out of the element').to.deep.equal([]);
  }

  const textIn = (el: Element) => el.shadowRoot?.textContent ?? '';

  function expectShownAsText(el: Element, what: string, candidates: readonly string[]): void {
    const text = textIn(el);
    const seen = candidates.filter((p) => text.includes(p));
    expect(seen.length, `${what}: payloads shown as text`).to.be.greaterThan(0);
    shown.push(...seen);
  }

  it('the order list (a customer representative: references, requisitions, who placed each order)', async () => {
    const portal = await win.openPortal(rep.email, [{ tag: 'scm-order-list', attributes: { 'page-size': '25', 'live-interval': '0' } }]);
    await waitUntil(() => portal.status === 'ready', 'portal', { timeout: 30000 });
    const list = portal.querySelector('scm-order-list')!;
    await atEachWidth(list, 'order list', () => list.shadowRoot?.querySelector('tbody [part="row"]'));
    expectShownAsText(list, 'order list', PAYLOADS);
    // Sorted by reference, the longest and markup-heaviest ones come together on one page.
    list.setAttribute('sort', 'reference');
    await atEachWidth(list, 'order list sorted by reference', () => !list.matches(':state(loading)') && list.shadowRoot?.querySelector('tbody [part="row"]'));
    expectShownAsText(list, 'order list sorted by reference', PAYLOADS);
    expectLayoutHeld();
  });

  it('the order detail (delivery address, lines with hostile product names and descriptions)', async () => {
    const orders = (await win.adminGet(
      `salesorders?$select=salesorderid&$filter=_customerid_value eq ${rep.accountId}&$expand=order_details($select=salesorderdetailid)&$top=50`,
    )) as { value: { salesorderid: string; order_details: unknown[] }[] };
    const chosen = orders.value.filter((o) => o.order_details.length >= 3).slice(0, 3);
    expect(chosen.length).to.equal(3);
    for (const [i, order] of chosen.entries()) {
      const portal = await win.openPortal(rep.email, [{ tag: 'scm-order-detail', attributes: { 'order-id': order.salesorderid, 'live-interval': '0' } }]);
      const detail = portal.querySelector('scm-order-detail')!;
      await atEachWidth(detail, `order detail ${i + 1}`, () => detail.shadowRoot?.querySelector('[part="number"]'));
      expectShownAsText(detail, `order detail ${i + 1}`, PAYLOADS);
    }
    expectLayoutHeld();
  });

  it('the order form (addresses, account and contact names, product suggestions, lines, review)', async () => {
    win.sessionStorage.clear();
    const portal = await win.openPortal(rep.email, [{ tag: 'scm-order-form', attributes: { 'sync-interval': '0' } }]);
    const form = portal.querySelector('scm-order-form')!;
    const root = () => form.shadowRoot!;
    await atEachWidth(form, 'order form: information', () => root().querySelectorAll('#delivery-address option').length > 2);
    expectShownAsText(form, 'order form: information', PAYLOADS);
    // Items: search products whose names carry payloads, add three by quick add.
    const date = root().querySelector<HTMLInputElement>('#receipt-date')!;
    const d = new Date(Date.now() + 10 * 86400000);
    date.value = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    date.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    // (The payloads replaced the address that matched the account's, so none is marked primary: choose one.)
    const address = root().querySelector<HTMLSelectElement>('#delivery-address')!;
    address.value = address.options[1]!.value;
    address.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await (form as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    [...root().querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Next')!.click();
    await waitUntil(() => root().querySelector('#product'), 'the Items step did not open').catch((error: Error) => {
      throw new Error(`${error.message}: ${root().textContent?.replace(/\s+/g, ' ').slice(0, 1500)}`);
    });
    const product = root().querySelector<HTMLInputElement>('#product')!;
    win.focus();
    product.focus();
    product.value = 'D00';
    product.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    product.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => root().querySelectorAll('#product-options [role="option"]').length > 0, 'no product suggestions', { timeout: 30000 });
    // The suggestions open under the focused field: hostile product names in a listbox.
    await atEachWidth(form, 'order form: product suggestions', () => product.getAttribute('aria-expanded') === 'true' && !root().querySelector<HTMLElement>('#product-options')!.hidden);
    expectShownAsText(form, 'order form: product suggestions', PAYLOADS);
    product.blur();
    const box = root().querySelector<HTMLTextAreaElement>('#quick-add')!;
    const numbers = [...root().querySelectorAll('#product-options .item-number')].map((n) => n.textContent!.trim()).slice(0, 3);
    box.value = numbers.map((n) => `${n}, 2`).join('\n');
    box.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    [...root().querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Add lines')!.click();
    await waitUntil(() => root().querySelectorAll('[part="line"]').length === numbers.length, 'the lines were not added', { timeout: 30000 });
    await atEachWidth(form, 'order form: items', () => root().querySelectorAll('[part="line"]').length === numbers.length);
    expectShownAsText(form, 'order form: items', PAYLOADS);
    [...root().querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Next')!.click();
    await atEachWidth(form, 'order form: review', () => /Review and submit/.test(root().querySelector('#step-title')?.textContent ?? ''));
    expectShownAsText(form, 'order form: review', PAYLOADS);
    expectLayoutHeld();
  });

  it('the account summary (account name and addresses)', async () => {
    const portal = await win.openPortal(rep.email, [{ tag: 'scm-account-summary' }]);
    const summary = portal.querySelector('scm-account-summary')!;
    await atEachWidth(summary, 'account summary', () => summary.shadowRoot?.textContent?.includes('US-001') && !summary.matches(':state(loading)'));
    expectShownAsText(summary, 'account summary', PAYLOADS);
    expectLayoutHeld();
  });
});
