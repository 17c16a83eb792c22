/**
 * `<scm-order-form>` in German and Arabic: every label, button, hint, rule and announcement in the portal's
 * language, dates and money in its locale, a message on screen following a change of language, Arabic laid out
 * right to left without sticking out of the element on a desktop or a phone.
 *
 * Expected words are written out here (what a German or Arabic reader sees); expected dates and money are computed
 * with `Intl` from the emulator's rows, read with plain fetch (OData written out by hand). Nothing is submitted:
 * these tests only read, so they share the seeded buyers of the element tests safely.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { apiGet, apiGetAll, pickUser, portalFixture, signIn, type PortalUser } from '../../../test/support/portal.js';
import { useUiLocale } from '../../internal/localize.js';
import './order-form.js';
import type { ScmOrderForm } from './order-form.js';

type Json = Record<string, unknown>;

const shadow = (el: Element) => el.shadowRoot!;
const text = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const norm = (value: string) => value.replace(/\s+/g, ' ').trim();

/** The control a visible `<label>` with exactly this text is for. */
function control<T extends HTMLElement = HTMLInputElement>(el: ScmOrderForm, label: string): T {
  const found = [...shadow(el).querySelectorAll('label')].find((l) => text(l) === label);
  if (!found) throw new Error(`No field labelled "${label}" (labels: ${[...shadow(el).querySelectorAll('label')].map(text).join(', ')})`);
  return shadow(el).getElementById(found.htmlFor) as T;
}

/** The button whose text is exactly `name`. */
function button(el: ScmOrderForm, name: string): HTMLButtonElement {
  const found = [...shadow(el).querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`No button "${name}" (buttons: ${[...shadow(el).querySelectorAll('button')].map(text).join(' | ')})`);
  return found;
}

/** The error message a field's `aria-describedby` points at. */
function errorOf(el: ScmOrderForm, field: HTMLElement): string {
  return (field.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .map((id) => (id ? shadow(el).getElementById(id) : null))
    .filter((node): node is HTMLElement => node?.classList.contains('error') === true)
    .map(text)
    .join(' ');
}

const stepTitle = (el: ScmOrderForm) => text(shadow(el).querySelector('#step-title'));
const announced = (el: ScmOrderForm) => text(shadow(el).querySelector('[role="status"][aria-live="polite"]'));

async function press(el: ScmOrderForm, name: string): Promise<void> {
  button(el, name).click();
  await el.updateComplete;
  await el.updateComplete;
}

async function setValue(el: ScmOrderForm, node: HTMLElement, value: string): Promise<void> {
  (node as HTMLInputElement).value = value;
  node.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Two products of the user's price list (one unit each, whole or not) and the currency, as the emulator has them. */
async function catalogueOf(user: PortalUser): Promise<{ currency: string; items: { itemNumber: string; price: number; decimals: number }[] }> {
  const contact = await apiGet<Json>(`contacts(${user.contactId})?$select=_transactioncurrencyid_value,_defaultpricelevelid_value`);
  const currency = await apiGet<{ isocurrencycode: string }>(`transactioncurrencies(${String(contact._transactioncurrencyid_value)})?$select=isocurrencycode`);
  const rows = await apiGetAll<{ amount: number; productid: { msdyn_productnumber: string; statecode: number }; uomid: { msdyn_decimalprecision: number } }>(
    `productpricelevels?$select=amount&$filter=_pricelevelid_value eq ${String(contact._defaultpricelevelid_value)}` +
      `&$expand=productid($select=msdyn_productnumber,statecode),uomid($select=msdyn_decimalprecision)`,
  );
  const byNumber = new Map<string, { itemNumber: string; price: number; decimals: number; count: number }>();
  for (const row of rows) {
    if (row.productid.statecode !== 0 || !/^[A-Z0-9-]+$/.test(row.productid.msdyn_productnumber)) continue;
    const known = byNumber.get(row.productid.msdyn_productnumber);
    if (known) known.count++;
    else byNumber.set(row.productid.msdyn_productnumber, { itemNumber: row.productid.msdyn_productnumber, price: row.amount, decimals: row.uomid.msdyn_decimalprecision, count: 1 });
  }
  // Products sold in one unit only: the unit and price the form takes are then certain.
  const items = [...byNumber.values()].filter((item) => item.count === 1).sort((a, b) => a.itemNumber.localeCompare(b.itemNumber)).slice(0, 2);
  if (items.length < 2) throw new Error(`the price list of ${user.email} has fewer than two products in a single unit`);
  return { currency: currency.isocurrencycode, items };
}

async function renderForm(user: PortalUser, locale: string): Promise<{ portal: HTMLElement & { locale: string }; el: ScmOrderForm }> {
  const { portal, element } = await portalFixture<ScmOrderForm>(html`<scm-order-form sync-interval="0"></scm-order-form>`, { user, locale });
  await waitUntil(
    () => shadow(element).querySelector('#step-title') && shadow(element).querySelectorAll('#delivery-address option:not([data-loading])').length > 2,
    'the order form did not load',
    { timeout: 15000 },
  );
  return { portal: portal as unknown as HTMLElement & { locale: string }, el: element };
}

describe('<scm-order-form> in other languages', function () {
  this.timeout(90000);

  let user: PortalUser;
  let catalogue: Awaited<ReturnType<typeof catalogueOf>>;

  before(async () => {
    user = await pickUser({ role: 'authorized-user', accountNumber: 'US-006', index: 1 });
    await signIn(user);
    catalogue = await catalogueOf(user);
  });

  beforeEach(() => sessionStorage.clear());

  afterEach(async () => {
    await setViewport({ width: 1024, height: 768 });
    await useUiLocale('en');
  });

  it('German: labels, buttons, rules and announcements; dates and money of de-DE; a message follows a change of language', async () => {
    const { portal, el } = await renderForm(user, 'de-DE');
    await waitUntil(() => stepTitle(el) === 'Bestellinformationen', 'the form did not switch to German', { timeout: 10000 });
    expect(text(shadow(el).querySelector('#form-title'))).to.equal('Neue Bestellung');
    for (const label of ['Gewünschtes Eingangsdatum', 'Lieferadresse', 'Kundenreferenz', 'Anforderungsnummer']) control(el, label);
    expect([...shadow(el).querySelectorAll('[part="defaults"] dt')].map(text)).to.deep.equal(['Unternehmen', 'Lieferland/-region', 'Kunde', 'Bestellt von']);
    expect([...shadow(el).querySelectorAll('[part="steps"] li')].map(text)).to.deep.equal(['1 Bestellinformationen', '2 Artikel', '3 Prüfen und absenden']);
    expect(text(shadow(el).querySelector('.marker'))).to.equal('Pflichtfeld');
    // The earliest date, in German.
    const today = new Date();
    const longToday = norm(new Intl.DateTimeFormat('de-DE', { dateStyle: 'long' }).format(new Date(today.getFullYear(), today.getMonth(), today.getDate())));
    expect(text(shadow(el).querySelector('#receipt-date-hint'))).to.equal(`Wann Sie die Ware benötigen. Frühestes Datum: ${longToday}.`);

    // A rule broken: said next to its field, and announced, in German.
    await press(el, 'Weiter');
    const date = control(el, 'Gewünschtes Eingangsdatum');
    expect(errorOf(el, date)).to.equal('Geben Sie das gewünschte Eingangsdatum ein.');
    expect(announced(el)).to.equal('1 Feld muss geprüft werden.');
    await expect(el).to.be.accessible();

    // The language changes while the message is shown: the message follows, nothing is loaded again.
    portal.locale = 'fr-FR';
    await waitUntil(() => stepTitle(el) === 'Informations de commande', 'no French after locale="fr-FR"', { timeout: 10000 });
    expect(errorOf(el, control(el, 'Date de réception souhaitée'))).to.equal('Saisissez la date de réception souhaitée.');
    portal.locale = 'de-DE';
    await waitUntil(() => stepTitle(el) === 'Bestellinformationen', 'not back to German', { timeout: 10000 });

    // Items: the add-item rules in German.
    await setValue(el, control(el, 'Gewünschtes Eingangsdatum'), dayFromToday(10));
    await press(el, 'Weiter');
    expect(stepTitle(el)).to.equal('Artikel');
    expect(announced(el)).to.equal('Schritt 2 von 3: Artikel.');
    await setValue(el, control(el, 'Menge'), 'viele');
    await press(el, 'Artikel hinzufügen');
    expect(errorOf(el, control(el, 'Produkt'))).to.equal('Suchen Sie ein Produkt und wählen Sie es aus der Liste.');
    expect(errorOf(el, control(el, 'Menge'))).to.equal('Geben Sie die Menge als Zahl ein, z. B. 5 oder 2,5.');
    await setValue(el, control(el, 'Menge'), '');

    // Lines from the host, and one that is not on the price list: amounts in euros of de-DE, the notice in German.
    const [first, second] = catalogue.items as [(typeof catalogue.items)[0], (typeof catalogue.items)[0]];
    el.lines = [
      { itemNumber: first.itemNumber, quantity: 2 },
      { itemNumber: second.itemNumber, quantity: 3 },
      { itemNumber: 'KEIN-ARTIKEL', quantity: 1 },
    ];
    await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length === 2, 'the lines were not added', { timeout: 15000 });
    await el.updateComplete;
    expect(text(shadow(el).querySelector('.notice:not([role])'))).to.equal('Nicht in Ihrer Preisliste und daher nicht hinzugefügt: KEIN-ARTIKEL.');
    const money = (amount: number) => norm(new Intl.NumberFormat('de-DE', { style: 'currency', currency: catalogue.currency }).format(amount));
    const cents = (amount: number) => Math.round((amount + Number.EPSILON) * 100) / 100;
    const total = cents(cents(first.price * 2) + cents(second.price * 3));
    expect(text(shadow(el).querySelector('[part="totals"] dt'))).to.equal('Geschätzte Summe (2 Artikel)');
    expect(text(shadow(el).querySelector('[part="totals"] dd'))).to.equal(money(total));
    expect(text(shadow(el).querySelector('.note'))).to.equal(
      `Geschätzt in ${catalogue.currency} anhand Ihrer Preisliste. Preise, Rabatte, Gebühren und Steuern werden festgelegt, wenn wir die Bestellung bestätigen.`,
    );
    expect(shadow(el).querySelector(`[aria-label="Menge von ${first.itemNumber}"]`)).to.not.equal(null);

    // Review: the facts and the submit button in German.
    await press(el, 'Weiter');
    expect(stepTitle(el)).to.equal('Prüfen und absenden');
    expect([...shadow(el).querySelectorAll('.review-section dl.facts dt')].map(text)).to.include.members([
      'Gewünschtes Eingangsdatum',
      'Lieferadresse',
      'Kundenreferenz',
      'Anforderungsnummer',
    ]);
    const [year, month, day] = dayFromToday(10).split('-').map(Number) as [number, number, number];
    expect(text(shadow(el).querySelector('.review-section dl.facts dd'))).to.equal(
      norm(new Intl.DateTimeFormat('de-DE', { dateStyle: 'long' }).format(new Date(year, month - 1, day))),
    );
    button(el, 'Bestellung absenden');
    button(el, 'Bearbeiten: Bestellinformationen');
    await expect(el).to.be.accessible();
  });

  for (const width of [1024, 375]) {
    it(`Arabic: right to left, translated, Arabic-Indic digits accepted, nothing wider than the element (${width}px)`, async () => {
      await setViewport({ width, height: 900 });
      const { portal, el } = await renderForm(user, 'ar');
      await waitUntil(() => stepTitle(el) === 'معلومات الطلب' && portal.getAttribute('dir') === 'rtl', 'the form did not switch to Arabic', { timeout: 10000 });
      expect(getComputedStyle(el).direction).to.equal('rtl');
      for (const label of ['تاريخ الاستلام المطلوب', 'عنوان التسليم', 'مرجع العميل', 'رقم طلب الشراء']) control(el, label);
      button(el, 'التالي');

      await setValue(el, control(el, 'تاريخ الاستلام المطلوب'), dayFromToday(10));
      await press(el, 'التالي');
      expect(stepTitle(el)).to.equal('الأصناف');
      const [first, second] = catalogue.items as [(typeof catalogue.items)[0], (typeof catalogue.items)[0]];
      el.lines = [
        { itemNumber: first.itemNumber, quantity: 1 },
        { itemNumber: second.itemNumber, quantity: 1 },
      ];
      await waitUntil(() => shadow(el).querySelectorAll('[part="line"]').length === 2, 'the lines were not added', { timeout: 15000 });
      // A quantity typed with Arabic-Indic digits (an Arabic keyboard) is read as a number: ٣ is 3.
      const quantity = shadow(el).querySelector<HTMLInputElement>(`[aria-label="كمية ${first.itemNumber}"]`)!;
      await setValue(el, quantity, '٣');
      const money = (amount: number) => norm(new Intl.NumberFormat('ar', { style: 'currency', currency: catalogue.currency }).format(amount));
      const firstLine = shadow(el).querySelector('[part="line"]')!;
      expect(text(firstLine.querySelector('.amount span:not(.cell-label)'))).to.equal(money(Math.round(first.price * 3 * 100) / 100));
      expect(errorOf(el, quantity)).to.equal('');
      expect(text(shadow(el).querySelector('[part="totals"] dt'))).to.equal(`الإجمالي التقديري (عدد الأصناف: ${norm(new Intl.NumberFormat('ar').format(2))})`);
      button(el, 'إضافة الصنف');

      // Nothing sticks out of the element, on either side, on the Items step and on the review.
      const inside = (what: string) => {
        const box = el.getBoundingClientRect();
        const root = document.documentElement;
        expect(root.scrollWidth, `${what}: the page scrolls sideways`).to.be.at.most(root.clientWidth);
        for (const child of shadow(el).querySelectorAll<HTMLElement>('*')) {
          const inner = child.getBoundingClientRect();
          // Not rendered: hidden, clipped for screen readers, or inside the closed quick-add box.
          if (inner.width === 0 || child.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)')) continue;
          expect(inner.left, `${what}: ${child.localName}.${child.className} overflows on the left`).to.be.at.least(box.left - 0.5);
          expect(inner.right, `${what}: ${child.localName}.${child.className} overflows on the right`).to.be.at.most(box.right + 0.5);
        }
      };
      inside('items');
      await expect(el).to.be.accessible();
      await press(el, 'التالي');
      expect(stepTitle(el)).to.equal('المراجعة والإرسال');
      button(el, 'إرسال الطلب');
      button(el, 'رجوع');
      inside('review');
      // Mirrored: Submit order sits at the left end of its row, Back at the right.
      if (width > 600) {
        const back = button(el, 'رجوع').getBoundingClientRect();
        const submit = button(el, 'إرسال الطلب').getBoundingClientRect();
        expect(submit.right).to.be.below(back.left);
      }
      await expect(el).to.be.accessible();
    });
  }
});
