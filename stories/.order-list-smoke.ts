import { expect, fixture, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import meta, * as stories from './order-list.stories.js';

describe('order-list stories (smoke)', () => {
  for (const [name, story] of Object.entries(stories)) {
    if (name === 'default') continue;
    it(name, async function () {
      this.timeout(60000);
      const s = story as any;
      const args = { ...(meta.args as any), ...(s.args ?? {}) };
      const loaders = s.loaders ?? meta.loaders;
      const loaded = Object.assign({}, ...(await Promise.all(loaders.map((l: any) => l()))));
      const host = await fixture('<div></div>');
      render((meta.render as any)(args, { loaded }), host as HTMLElement);
      const el = host.querySelector('scm-order-list')!;
      await waitUntil(() => el.shadowRoot && el.shadowRoot.querySelector('table, [part=empty], [part=no-results], [part=error], [part=gate], [part=skeleton]') && (name === 'Loading' || !el.matches(':state(loading)')), name, { timeout: 30000 });
      await new Promise((r) => setTimeout(r, 300));
      console.log(name, '|', el.shadowRoot!.querySelector('[part=summary]')?.textContent?.replace(/\s+/g, ' ').trim(), '|', el.shadowRoot!.querySelector('tbody tr, [part=empty], [part=no-results], [part=error], [part=gate], [part=skeleton]')?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 160));
      await expect(el).to.be.accessible();
    });
  }
});
