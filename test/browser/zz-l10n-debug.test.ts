import { html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../src/elements/order-detail/order-detail.js';
import { apiGet, pickUser, portalFixture, signIn } from '../support/portal.js';

async function show(locale: string, width: number) {
  await setViewport({ width, height: 800 });
  const rep = await pickUser({ role: 'customer-representative', index: 1 });
  await signIn(rep);
  const f = encodeURIComponent(`_customerid_value eq ${rep.accountId} and msdyn_processingstatus eq 192350005`);
  const any = await apiGet<{ value: { salesorderid: string }[] }>(`salesorders?$select=salesorderid&$filter=${f}&$top=1`);
  const { portal, element } = await portalFixture(html`<scm-order-detail order-id=${any.value[0]!.salesorderid} live-interval="0"></scm-order-detail>`, { user: rep, locale });
  await waitUntil(() => element.shadowRoot!.querySelector('[part~="base"]'), 'x', { timeout: 15000 });
  await new Promise((r) => setTimeout(r, 500));
  const host = element.getBoundingClientRect();
  console.log(locale, width, 'host', Math.round(host.left), Math.round(host.right), 'scrollX', scrollX, 'docW', document.documentElement.scrollWidth, 'portal dir', portal.getAttribute('dir'));
  const out: string[] = [];
  for (const el of element.shadowRoot!.querySelectorAll('*')) {
    const b = el.getBoundingClientRect();
    if (b.width === 0) continue;
    if (b.left < host.left - 0.5 || b.right > host.right + 0.5) out.push(`${el.localName}.${el.className}[${el.getAttribute('part') ?? ''}] ${Math.round(b.left)}..${Math.round(b.right)} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
  }
  console.log(out.slice(0, 25).join('\n'));
}

describe('debug', () => {
  it('en 800', async () => { await show('en-US', 800); });
  it('ar 375', async () => { await show('ar', 375); });
  it('en 375', async () => { await show('en-US', 375); });
});
