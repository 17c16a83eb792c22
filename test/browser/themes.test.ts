/**
 * The light and dark themes: `<scm-portal theme>` sets the design tokens for the elements inside it (and a page's
 * own `scm-portal { --scm-… }` still wins), the plain CSS files and the Lit styles set them on the page, `auto`
 * follows the system setting, and every element passes axe (colour contrast included) in the dark theme.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/elements/order-list/order-list.js';
import '../../src/elements/order-detail/order-detail.js';
import '../../src/elements/account-summary/account-summary.js';
import type { ScmOrderList } from '../../src/elements/order-list/order-list.js';
import type { ScmOrderDetail } from '../../src/elements/order-detail/order-detail.js';
import type { ScmAccountSummary } from '../../src/elements/account-summary/account-summary.js';
import { darkTheme, designTokens, lightTheme } from '../../src/themes/index.js';
import { apiGet, pickUser, portalFixture, signIn } from '../support/portal.js';

const token = (name: string) => designTokens.find((t) => t.name === name)!;

/** A colour as the browser computes it (`rgb(…)`), for comparing with computed styles. */
function rgb(color: string): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  document.body.append(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  return computed;
}

function cssVar(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim();
}

describe('themes', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  it('theme="dark" sets every themed token on the portal, for slotted elements too', async () => {
    const user = await pickUser({ role: 'authorized-user', index: 2 });
    const { portal, element } = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, { user });
    expect(cssVar(element, '--scm-color-surface')).to.equal('', 'no token without a theme');
    portal.theme = 'dark';
    await portal.updateComplete;
    expect(portal.getAttribute('theme')).to.equal('dark');
    for (const t of designTokens.filter((t) => t.themed)) {
      expect(cssVar(element, t.name), t.name).to.equal(t.dark);
    }
    expect(getComputedStyle(portal).backgroundColor).to.equal(rgb(token('--scm-color-background').dark));
    expect(getComputedStyle(portal).colorScheme).to.equal('dark');
    await waitUntil(() => element.matches(':state(ready)'), 'the account summary did not load', { timeout: 15000 });
    const card = element.shadowRoot!.querySelector('.card')!;
    expect(getComputedStyle(card).backgroundColor).to.equal(rgb(token('--scm-color-surface').dark));
    // The page can still restyle one token on the portal: its rules beat the portal's own.
    const style = document.createElement('style');
    style.textContent = 'scm-portal { --scm-color-primary: #ff00ff; }';
    document.head.append(style);
    try {
      expect(cssVar(element, '--scm-color-primary')).to.equal('#ff00ff');
    } finally {
      style.remove();
    }
    portal.theme = 'light';
    await portal.updateComplete;
    expect(getComputedStyle(card).backgroundColor).to.equal(rgb(token('--scm-color-surface').light));
  });

  it('theme="auto" follows the system setting', async () => {
    const { portal } = await portalFixture('', { user: null });
    portal.theme = 'auto';
    await portal.updateComplete;
    await emulateMedia({ colorScheme: 'light' });
    expect(cssVar(portal, '--scm-color-text')).to.equal(token('--scm-color-text').light);
    await emulateMedia({ colorScheme: 'dark' });
    expect(cssVar(portal, '--scm-color-text')).to.equal(token('--scm-color-text').dark);
  });

  it('the plain CSS files and the Lit styles set the tokens on the page', async () => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('../../src/themes/dark.css', import.meta.url).href;
    const loaded = new Promise((resolve, reject) => {
      link.onload = resolve;
      link.onerror = reject;
    });
    document.head.append(link);
    try {
      await loaded;
      expect(cssVar(document.documentElement, '--scm-color-surface')).to.equal(token('--scm-color-surface').dark);
    } finally {
      link.remove();
    }
    expect(cssVar(document.documentElement, '--scm-color-surface')).to.equal('');
    const before = document.adoptedStyleSheets;
    document.adoptedStyleSheets = [...before, lightTheme.styleSheet!];
    try {
      expect(cssVar(document.documentElement, '--scm-color-primary')).to.equal(token('--scm-color-primary').light);
      document.adoptedStyleSheets = [...before, darkTheme.styleSheet!];
      expect(cssVar(document.documentElement, '--scm-color-primary')).to.equal(token('--scm-color-primary').dark);
    } finally {
      document.adoptedStyleSheets = before;
    }
  });

  describe('every element passes axe in the dark theme', () => {
    it('<scm-order-list>', async () => {
      const rep = await pickUser({ role: 'customer-representative', index: 3 });
      const { portal, element } = await portalFixture<ScmOrderList>(
        html`<scm-order-list page-size="10" live-interval="0" status="confirmed,invoiced,partially-delivered,cancelled"></scm-order-list>`,
        { user: rep },
      );
      portal.theme = 'dark';
      await waitUntil(() => element.shadowRoot!.querySelector('tbody tr'), 'the list did not load', { timeout: 15000 });
      const table = element.shadowRoot!.querySelector('.table-wrap')!;
      expect(getComputedStyle(table).backgroundColor).to.equal(rgb(token('--scm-color-surface').dark));
      await expect(element).to.be.accessible();
      await expect(portal).to.be.accessible();
    });

    it('<scm-order-detail>', async () => {
      const rep = await pickUser({ role: 'customer-representative', index: 3 });
      await signIn(rep);
      const filter = encodeURIComponent(`_customerid_value eq ${rep.accountId} and msdyn_processingstatus eq 192350003`);
      const orders = await apiGet<{ value: { salesorderid: string }[] }>(`salesorders?$select=salesorderid&$filter=${filter}&$top=1`);
      const any = await apiGet<{ value: { salesorderid: string }[] }>(
        `salesorders?$select=salesorderid&$filter=${encodeURIComponent(`_customerid_value eq ${rep.accountId}`)}&$top=1`,
      );
      const id = (orders.value[0] ?? any.value[0])!.salesorderid;
      const { portal, element } = await portalFixture<ScmOrderDetail>(html`<scm-order-detail order-id=${id} live-interval="0"></scm-order-detail>`, {
        user: rep,
      });
      portal.theme = 'dark';
      await waitUntil(() => element.shadowRoot!.querySelector('[part~="base"]'), 'the order did not load', { timeout: 15000 });
      await expect(element).to.be.accessible();
    });

    it('<scm-account-summary>', async () => {
      const rep = await pickUser({ role: 'customer-representative', index: 3 });
      const { portal, element } = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, { user: rep });
      portal.theme = 'dark';
      await waitUntil(() => element.matches(':state(ready)'), 'the account summary did not load', { timeout: 15000 });
      await expect(element).to.be.accessible();
    });

    it('<scm-portal> messages and an element gate', async () => {
      const { portal, element } = await portalFixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`, { user: null });
      portal.theme = 'dark';
      await portal.updateComplete;
      expect(portal.shadowRoot!.querySelector('[part~="message"]')).not.to.equal(null);
      await expect(portal).to.be.accessible();
      await expect(element).to.be.accessible();
    });

    it('an element outside a portal, on a page that links dark.css', async () => {
      const style = document.createElement('style');
      style.textContent = `:root { --scm-color-background: ${token('--scm-color-background').dark}; }`;
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = new URL('../../src/themes/dark.css', import.meta.url).href;
      const loaded = new Promise((resolve) => (link.onload = resolve));
      document.head.append(link, style);
      try {
        await loaded;
        const element = await fixture<ScmOrderDetail>(
          html`<div style="background: var(--scm-color-background); padding: 1rem"><scm-order-detail></scm-order-detail></div>`,
        );
        await expect(element).to.be.accessible();
      } finally {
        link.remove();
        style.remove();
      }
    });
  });
});
