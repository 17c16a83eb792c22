/**
 * The elements in German, French, Japanese and Arabic: `<scm-portal locale>` (or the page's `lang`) chooses the
 * language of every element's text (the nearest shipped one) and the locale of dates, numbers and money; Arabic
 * lays out right to left without overflowing; the language switches at runtime without reloading anything.
 *
 * Expected translations are written out here (the words a German, French, Japanese or Arabic reader sees),
 * expected dates and money are computed with `Intl` from the emulator's rows read with plain fetch.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../src/elements/order-list/order-list.js';
import '../../src/elements/order-detail/order-detail.js';
import '../../src/elements/account-summary/account-summary.js';
import type { ScmOrderList } from '../../src/elements/order-list/order-list.js';
import type { ScmOrderDetail } from '../../src/elements/order-detail/order-detail.js';
import type { ScmAccountSummary } from '../../src/elements/account-summary/account-summary.js';
import { currentUiLocale, isRightToLeft, uiLocaleFor, useUiLocale } from '../../src/internal/localize.js';
import { apiGet, countingFetch, pickUser, portalFixture, signIn, type PortalUser } from '../support/portal.js';

/** Text as a reader sees it: every run of white space (including no-break spaces `Intl` writes) as one space. */
function text(node: Element | null | undefined): string {
  return node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

const norm = (value: string) => value.replace(/\s+/g, ' ').trim();

function shadow(element: Element): ShadowRoot {
  return element.shadowRoot!;
}

function header(list: ScmOrderList, column: string): string {
  const button = shadow(list).querySelector(`th[data-column="${column}"] button`);
  // The sort arrow is decoration (aria-hidden): only the label.
  return norm([...(button?.childNodes ?? [])].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''));
}

async function listLoaded(list: ScmOrderList): Promise<void> {
  await waitUntil(() => shadow(list).querySelector('tbody tr[part~="row"]'), 'the order list did not load', { timeout: 15000 });
}

/** An invoiced order of the user's account (lines, invoices and confirmed totals to show), read as the user. */
async function invoicedOrderOf(user: PortalUser): Promise<{ salesorderid: string; totalamount: number; currency: string }> {
  await signIn(user);
  const filter = encodeURIComponent(`_customerid_value eq ${user.accountId} and msdyn_processingstatus eq 192350005`);
  const found = await apiGet<{ value: { salesorderid: string; totalamount: number; _transactioncurrencyid_value: string }[] }>(
    `salesorders?$select=salesorderid,totalamount,_transactioncurrencyid_value&$filter=${filter}&$top=1`,
  );
  const order = found.value[0];
  if (!order) throw new Error(`the seed has no invoiced order for ${user.accountNumber}`);
  const currency = await apiGet<{ isocurrencycode: string }>(`transactioncurrencies(${order._transactioncurrencyid_value})?$select=isocurrencycode`);
  return { salesorderid: order.salesorderid, totalamount: order.totalamount, currency: currency.isocurrencycode };
}

describe('localisation', function () {
  // Each test renders a whole element against the shared emulator, several of them the order list of a large
  // account; on a loaded 2-core machine a first, cold list query can take longer than the default 20 s.
  this.timeout(60_000);
  afterEach(async () => {
    document.documentElement.removeAttribute('lang');
    await setViewport({ width: 1024, height: 768 });
    // Back to the source language for the next test (the portals of the last test are gone).
    await useUiLocale('en');
  });

  it('maps BCP 47 tags to the nearest shipped language, and knows which run right to left', () => {
    expect(uiLocaleFor('de-DE')).to.equal('de');
    expect(uiLocaleFor('de_AT')).to.equal('de');
    expect(uiLocaleFor('fr-CA')).to.equal('fr');
    expect(uiLocaleFor('ja-JP-u-ca-japanese')).to.equal('ja');
    expect(uiLocaleFor('ar-EG')).to.equal('ar');
    expect(uiLocaleFor('EN-gb')).to.equal('en');
    expect(uiLocaleFor('pt-BR')).to.equal('en');
    expect(uiLocaleFor('')).to.equal('en');
    expect(isRightToLeft('ar-SA')).to.equal(true);
    expect(isRightToLeft('he')).to.equal(true);
    expect(isRightToLeft('de-DE')).to.equal(false);
  });

  it('German: the order list headers, controls, statuses and dates', async () => {
    const rep = await pickUser({ role: 'customer-representative', index: 2 });
    const { portal, element: list } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10"></scm-order-list>`, {
      user: rep,
      locale: 'de-DE',
    });
    await listLoaded(list);
    await waitUntil(() => header(list, 'number') === 'Bestellung', 'the list did not switch to German', { timeout: 10000 });
    expect(currentUiLocale()).to.equal('de');
    expect(portal.getAttribute('lang')).to.equal('de');
    expect(portal.getAttribute('dir')).to.equal('ltr');
    expect(header(list, 'date')).to.equal('Bestellt am');
    expect(header(list, 'receipt-date')).to.equal('Gewünschter Eingang');
    expect(header(list, 'total')).to.equal('Summe');
    expect(header(list, 'placed-by')).to.equal('Aufgegeben von');
    expect(text(shadow(list).querySelector('form.search .field span'))).to.equal('Bestellungen suchen');
    expect(text(shadow(list).querySelector('nav.pagination'))).to.contain('Weiter');
    expect(shadow(list).querySelector('table caption')!.textContent).to.match(/^Ihre Bestellungen, sortiert nach Bestellt am, absteigend$/);
    // Statuses in German, whatever language the server's labels are in.
    const german = ['Aktiv', 'Bestätigt', 'Kommissioniert', 'Teilweise geliefert', 'Geliefert', 'Fakturiert', 'Teilweise fakturiert', 'Storniert', 'Geliefert, teilweise fakturiert'];
    const statuses = [...shadow(list).querySelectorAll('tbody [part~="status"]')].map((badge) => text(badge));
    expect(statuses.length).to.be.greaterThan(0);
    for (const status of statuses) expect(german, status).to.include(status);
    // Dates in the German format of the portal's full locale.
    const firstRow = shadow(list).querySelector<HTMLElement>('tbody tr[part~="row"]')!;
    const order = await apiGet<{ createdon: string }>(`salesorders(${firstRow.dataset.id})?$select=createdon`);
    const expected = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium' }).format(new Date(order.createdon));
    expect(text(firstRow.querySelector('[data-column="date"]'))).to.equal(norm(expected));
    await expect(list).to.be.accessible();
  });

  it('French: the account summary', async () => {
    const rep = await pickUser({ role: 'customer-representative', accountNumber: 'US-010' });
    const { element: summary } = await portalFixture<ScmAccountSummary>(html`<scm-account-summary></scm-account-summary>`, {
      user: rep,
      locale: 'fr-FR',
    });
    await waitUntil(() => summary.matches(':state(ready)'), 'the account summary did not load', { timeout: 15000 });
    await waitUntil(() => text(shadow(summary).querySelector('#credit-title')) === 'Crédit', 'the summary did not switch to French', { timeout: 10000 });
    expect(text(shadow(summary).querySelector('#terms-title'))).to.equal('Conditions');
    expect(text(shadow(summary).querySelector('#addresses-title'))).to.equal('Adresses');
    expect(text(shadow(summary).querySelector('#orders-title'))).to.equal('Commandes par statut');
    expect(text(shadow(summary).querySelector('.total dt'))).to.equal('Toutes');
    expect(['Non bloqué', 'Bloqué (limite de crédit)', 'Bloqué pour la facturation', 'Bloqué : aucune nouvelle commande', 'Bloqué pour les paiements', 'Bloqué pour les demandes d’achat']).to.include(
      text(shadow(summary).querySelector('[part~="hold"]')),
    );
    const credit = shadow(summary).querySelector('[part~="credit"]')!;
    expect(text(credit)).to.contain('Limite de crédit');
    const account = await apiGet<{ creditlimit: number }>(`accounts(${rep.accountId})?$select=creditlimit`);
    expect(text(credit)).to.contain(norm(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'USD' }).format(account.creditlimit)));
    expect(text(shadow(summary).querySelector('[role="status"]'))).to.equal('Informations du compte chargées.');
    await expect(summary).to.be.accessible();
  });

  it('Japanese: the order detail, with the status in Japanese and money in yen-style formatting of the currency', async () => {
    const rep = await pickUser({ role: 'customer-representative', index: 1 });
    const order = await invoicedOrderOf(rep);
    const { element: detail } = await portalFixture<ScmOrderDetail>(
      html`<scm-order-detail order-id=${order.salesorderid} live-interval="0"></scm-order-detail>`,
      { user: rep, locale: 'ja-JP' },
    );
    await waitUntil(() => shadow(detail).querySelector('[part~="base"]'), 'the order did not load', { timeout: 15000 });
    await waitUntil(() => text(shadow(detail).querySelector('#lines-title')) === '明細', 'the detail did not switch to Japanese', { timeout: 10000 });
    expect(text(shadow(detail).querySelector('#order-title'))).to.match(/^注文 \S+$/);
    expect(text(shadow(detail).querySelector('[part~="status"]'))).to.equal('請求済み');
    expect(text(shadow(detail).querySelector('#totals-title'))).to.equal('合計');
    expect(text(shadow(detail).querySelector('#invoices-title'))).to.equal('請求書');
    expect(text(shadow(detail).querySelector('.actions'))).to.equal('再注文 印刷');
    expect(text(shadow(detail).querySelector('[part~="copy"]'))).to.equal('注文番号をコピー');
    expect(text(shadow(detail).querySelector('[data-total="total"]'))).to.equal(
      norm(new Intl.NumberFormat('ja-JP', { style: 'currency', currency: order.currency }).format(order.totalamount)),
    );
    await expect(detail).to.be.accessible();
  });

  for (const width of [1024, 375]) {
    it(`Arabic: right to left, translated, and nothing wider than the page (${width}px)`, async () => {
      await setViewport({ width, height: 900 });
      const rep = await pickUser({ role: 'customer-representative', index: 1 });
      const order = await invoicedOrderOf(rep);
      const { portal } = await portalFixture(
        html`<scm-account-summary></scm-account-summary>
          <scm-order-list page-size="10" live-interval="0"></scm-order-list>
          <scm-order-detail order-id=${order.salesorderid} live-interval="0"></scm-order-detail>`,
        { user: rep, locale: 'ar' },
      );
      const summary = portal.querySelector('scm-account-summary')!;
      const list = portal.querySelector('scm-order-list')!;
      const detail = portal.querySelector('scm-order-detail')!;
      await waitUntil(() => summary.matches(':state(ready)'), 'the account summary did not load', { timeout: 15000 });
      await waitUntil(() => shadow(list).querySelector('[part~="row"], [part~="card"]'), 'the order list did not load', { timeout: 15000 });
      await waitUntil(() => shadow(detail).querySelector('[part~="base"]'), 'the order did not load', { timeout: 15000 });
      await waitUntil(() => portal.getAttribute('dir') === 'rtl', 'the portal did not turn right to left', { timeout: 10000 });
      expect(portal.getAttribute('lang')).to.equal('ar');
      for (const element of [summary, list, detail]) expect(getComputedStyle(element).direction, element.localName).to.equal('rtl');
      expect(text(shadow(summary).querySelector('#credit-title'))).to.equal('الائتمان');
      expect(text(shadow(detail).querySelector('#lines-title'))).to.equal('البنود');
      expect(text(shadow(list).querySelector('form.search .field span'))).to.equal('البحث في الطلبات');

      // Nothing overflows sideways: not the page, not an element, not a card of the summary.
      const root = document.documentElement;
      expect(root.scrollWidth, 'the page scrolls sideways').to.be.at.most(root.clientWidth);
      for (const element of [portal, summary, list, detail]) {
        const box = element.getBoundingClientRect();
        expect(box.left, `${element.localName} starts left of the page`).to.be.at.least(-0.5);
        expect(box.right, `${element.localName} ends right of the page`).to.be.at.most(root.clientWidth + 0.5);
        for (const child of shadow(element).querySelectorAll<HTMLElement>('*')) {
          const inner = child.getBoundingClientRect();
          // Not laid out (the other layout of the list, hidden parts), or clipped on purpose (visually hidden text).
          if (inner.width === 0 || child.closest('.visually-hidden')) continue;
          // Inside a box that scrolls sideways (the lines table), content may be wider than the element.
          if (child.parentElement?.closest('.table-wrap')) continue;
          expect(inner.left, `${element.localName} ${child.localName}.${child.className} overflows on the left`).to.be.at.least(box.left - 0.5);
          expect(inner.right, `${element.localName} ${child.localName}.${child.className} overflows on the right`).to.be.at.most(box.right + 0.5);
        }
      }
      // Mirrored: the search field starts at the right of the list's toolbar, the totals sit at the left.
      const toolbar = shadow(list).querySelector('.toolbar')!.getBoundingClientRect();
      const search = shadow(list).querySelector('form.search')!.getBoundingClientRect();
      expect(Math.abs(toolbar.right - search.right)).to.be.below(1);
      if (width > 600) {
        const totals = shadow(detail).querySelector('dl.totals')!.getBoundingClientRect();
        const section = shadow(detail).querySelector('[part~="totals"]')!.getBoundingClientRect();
        expect(Math.abs(totals.left - section.left)).to.be.below(1);
        expect(section.right - totals.right).to.be.above(1);
      }
      await expect(portal).to.be.accessible();
    });
  }

  it('switches language at runtime, without reloading the session or the orders', async () => {
    const rep = await pickUser({ role: 'customer-representative', index: 2 });
    const counter = countingFetch();
    const { portal, element: list } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10" live-interval="0"></scm-order-list>`, {
      user: rep,
      fetch: counter,
    });
    await listLoaded(list);
    expect(header(list, 'number')).to.equal('Order');
    const requests = counter.count();
    const firstDate = text(shadow(list).querySelector('tbody tr [data-column="date"]'));

    portal.locale = 'de-DE';
    await waitUntil(() => header(list, 'number') === 'Bestellung', 'no German after locale="de-DE"', { timeout: 10000 });
    expect(text(shadow(list).querySelector('tbody tr [data-column="date"]'))).not.to.equal(firstDate);

    portal.locale = 'fr';
    await waitUntil(() => header(list, 'number') === 'Commande', 'no French after locale="fr"', { timeout: 10000 });

    // Without a locale, the page's language decides, and a change of the page's `lang` is followed.
    portal.locale = '';
    document.documentElement.lang = 'ja';
    await waitUntil(() => header(list, 'number') === '注文', 'no Japanese after <html lang="ja">', { timeout: 10000 });

    document.documentElement.lang = 'en-US';
    await waitUntil(() => header(list, 'number') === 'Order', 'not back to English', { timeout: 10000 });
    expect(text(shadow(list).querySelector('tbody tr [data-column="date"]'))).to.equal(firstDate);
    expect(portal.getAttribute('lang')).to.equal('en');
    // The language is presentation: no request was sent for it.
    expect(counter.count()).to.equal(requests);
  });

  it('a language it does not ship shows English text with that locale’s dates and numbers', async () => {
    const rep = await pickUser({ role: 'customer-representative', index: 2 });
    const { element: list } = await portalFixture<ScmOrderList>(html`<scm-order-list page-size="10" live-interval="0"></scm-order-list>`, {
      user: rep,
      locale: 'pt-BR',
    });
    await listLoaded(list);
    expect(currentUiLocale()).to.equal('en');
    expect(header(list, 'number')).to.equal('Order');
    const firstRow = shadow(list).querySelector<HTMLElement>('tbody tr[part~="row"]')!;
    const order = await apiGet<{ createdon: string }>(`salesorders(${firstRow.dataset.id})?$select=createdon`);
    expect(text(firstRow.querySelector('[data-column="date"]'))).to.equal(
      norm(new Intl.DateTimeFormat('pt-BR', { dateStyle: 'medium' }).format(new Date(order.createdon))),
    );
  });

  it('the gate and the portal message are translated too', async () => {
    const { portal, element } = await portalFixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`, { user: null, locale: 'de' });
    await waitUntil(() => text(shadow(element).querySelector('[part~="gate"]')) === 'Melden Sie sich an, um Ihre Bestellungen zu sehen.', 'the gate is not German', {
      timeout: 10000,
    });
    expect(text(shadow(portal).querySelector('[part~="message-title"]'))).to.equal('Niemand ist angemeldet.');
    expect(text(shadow(portal).querySelector('[part~="action"]'))).to.equal('Anmelden');
    // The message follows a later change of language.
    portal.locale = 'fr';
    await waitUntil(() => text(shadow(portal).querySelector('[part~="message-title"]')) === 'Personne n’est connecté.', 'the message is not French', {
      timeout: 10000,
    });
    await expect(portal).to.be.accessible();
  });
});
