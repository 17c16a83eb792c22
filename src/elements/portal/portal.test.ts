import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { ContextConsumer } from '@lit/context';
import { portalContext, type PortalState } from '../../context/portal-context.js';
import './portal.js';
import '../account-summary/account-summary.js';
import type { ScmPortal } from './portal.js';
import type { SessionChangeDetail } from '../../events.js';
import { parseWebRoles } from '../../portal/session-service.js';
import {
  apiGet,
  countingFetch,
  droppingFetch,
  heldFetch,
  isApiRequest,
  liquidRoles,
  pickUser,
  portalFixture,
  signIn,
  signOut,
  tokenProviderFor,
} from '../../../test/support/portal.js';

/** A consumer of the portal context, as any element inside the portal would be: it records what it is given. */
class PortalProbe extends LitElement {
  readonly context = new ContextConsumer(this, { context: portalContext, subscribe: true });
  get state(): PortalState | undefined {
    return this.context.value;
  }
}
customElements.define('test-portal-probe', PortalProbe);

/** Every `scm-session-change` fired while a test runs. */
function recordSessionEvents(): { statuses: string[]; stop(): void } {
  const statuses: string[] = [];
  const listener = (event: CustomEvent<SessionChangeDetail>) => statuses.push(event.detail.status);
  document.addEventListener('scm-session-change', listener);
  return { statuses, stop: () => document.removeEventListener('scm-session-change', listener) };
}

function messageText(portal: ScmPortal): string {
  return portal.shadowRoot!.querySelector('[part~="message"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** The element inside the shadow root (or the page) that has focus. */
function focused(portal: ScmPortal): Element | null {
  return portal.shadowRoot!.activeElement ?? document.activeElement;
}

describe('<scm-portal>', () => {
  describe('web roles', () => {
    it('maps the role names Liquid writes to web roles, ignoring roles it does not know', () => {
      expect(parseWebRoles('Authenticated Users,Customer representative,Administrators')).to.deep.equal([
        'customer-representative',
        'administrator',
      ]);
      expect(parseWebRoles(' authorized users , Unauthorized User,authorized-user')).to.deep.equal(['authorized-user', 'unauthorized-user']);
      expect(parseWebRoles('')).to.deep.equal([]);
    });
  });

  describe('ready', () => {
    it('loads the signed-in contact and account from the server and shares them', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      const events = recordSessionEvents();
      try {
        const { portal } = await portalFixture(html`<scm-account-summary></scm-account-summary>`, { user });
        expect(portal.status).to.equal('ready');
        const contact = await apiGet<{ fullname: string; emailaddress1: string }>(`contacts(${user.contactId})?$select=fullname,emailaddress1`);
        const account = await apiGet<Record<string, string | null>>(
          `accounts(${user.accountId})?$select=name,accountnumber,_msdyn_partyid_value,address1_name,address1_line1,address1_line2,address1_city,address1_stateorprovince,address1_postalcode,address1_country`,
        );
        const session = portal.session!;
        expect(session.contact).to.deep.equal({ id: user.contactId, name: contact.fullname, email: contact.emailaddress1 });
        // With the account's party and own address (the order form's delivery addresses start from them).
        expect(session.account).to.deep.equal({
          id: user.accountId,
          name: account.name,
          number: account.accountnumber,
          partyId: account._msdyn_partyid_value ?? null,
          address: {
            name: account.address1_name ?? null,
            line1: account.address1_line1 ?? null,
            line2: account.address1_line2 ?? null,
            city: account.address1_city ?? null,
            stateOrProvince: account.address1_stateorprovince ?? null,
            postalCode: account.address1_postalcode ?? null,
            country: account.address1_country ?? null,
          },
        });
        expect(session.roles).to.deep.equal(['authorized-user']);
        expect(session.currency?.code).to.match(/^[A-Z]{3}$/);
        expect(session.company?.name).to.be.a('string').and.not.equal('');
        expect(portal.matches(':state(ready)')).to.equal(true);
        expect(portal.shadowRoot!.querySelector('[part~="message"]')).to.equal(null);
        expect(events.statuses).to.deep.equal(['ready']);
        await expect(portal).to.be.accessible();
      } finally {
        events.stop();
      }
    });

    it('loads the session once, in one request, however many elements consume it', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      const counter = countingFetch();
      const { portal } = await portalFixture(
        html`<div><scm-account-summary></scm-account-summary><scm-account-summary></scm-account-summary></div>`,
        { user, fetch: counter },
      );
      const sessionRequests = () => counter.count((r) => isApiRequest(r) && /\/contacts\(/.test(r.url));
      expect(sessionRequests()).to.equal(1);
      // Re-rendering, a new locale or new roles change nothing on the server: no new request.
      portal.locale = 'de-DE';
      portal.roles = 'Customer representative';
      portal.requestUpdate();
      await portal.updateComplete;
      expect(portal.status).to.equal('ready');
      expect(portal.session!.roles).to.deep.equal(['customer-representative']);
      expect(sessionRequests()).to.equal(1);
      // Moving the portal in the page keeps its session.
      const elsewhere = await fixture<HTMLDivElement>(html`<div></div>`);
      elsewhere.append(portal);
      await portal.updateComplete;
      expect(portal.status).to.equal('ready');
      expect(sessionRequests()).to.equal(1);
    });

    it('loads again when the contact changes', async () => {
      const first = await pickUser({ role: 'customer-representative' });
      const counter = countingFetch();
      const { portal } = await portalFixture('', { user: first, fetch: counter });
      expect(portal.session!.contact.id).to.equal(first.contactId);
      // A colleague of the same account (a customer representative may read the account's contacts).
      const colleague = await pickUser({ where: (u) => u.accountId === first.accountId && u.contactId !== first.contactId });
      portal.contactId = colleague.contactId;
      await waitUntil(() => portal.status === 'ready' && portal.session?.contact.id === colleague.contactId, 'the new contact did not load');
      expect(counter.count((r) => /\/contacts\(/.test(r.url))).to.equal(2);
    });

    it('signs in with a bearer token (auth="token") and keeps it out of web storage', async () => {
      const user = await pickUser({ role: 'authorized-user', index: 1 });
      const { portal } = await portalFixture('', { user, auth: 'token' });
      expect(portal.status).to.equal('ready');
      expect(portal.client!.transport).to.equal('dataverse');
      expect(portal.session!.contact.id).to.equal(user.contactId);
      const token = await tokenProviderFor(user)({ forceRefresh: false });
      const stored = [...Object.values(localStorage), ...Object.values(sessionStorage)].join('\n');
      expect(stored).not.to.contain(token.slice(0, 16));
    });

    it('shares the client, session and locale through the context; locale from the attribute, else the page', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      const { portal, element } = await portalFixture<PortalProbe>(html`<test-portal-probe></test-portal-probe>`, { user, locale: 'de-DE' });
      expect(element.state?.status).to.equal('ready');
      expect(element.state?.client).to.equal(portal.client);
      expect(element.state?.session).to.equal(portal.session);
      expect(element.state?.locale).to.equal('de-DE');
      document.documentElement.lang = 'fr-FR';
      try {
        portal.locale = '';
        await portal.updateComplete;
        expect(element.state?.locale).to.equal('fr-FR');
        expect(element.state?.session).to.deep.equal(portal.session);
      } finally {
        document.documentElement.lang = '';
      }
    });
  });

  describe('loading', () => {
    it('shows elements loading while the session request is on its way, then ready', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      const held = heldFetch();
      const events = recordSessionEvents();
      try {
        const { portal, element } = await portalFixture(html`<scm-account-summary></scm-account-summary>`, {
          user,
          fetch: held,
          waitForSession: false,
        });
        await waitUntil(() => held.waiting > 0, 'the session request was not sent');
        expect(portal.status).to.equal('loading');
        expect(portal.matches(':state(loading)')).to.equal(true);
        expect(portal.shadowRoot!.querySelector('[part~="message"]')).to.equal(null);
        expect(element.shadowRoot!.textContent).to.contain('Loading your account');
        expect(events.statuses).to.deep.equal([]); // never announced for loading
        await expect(portal).to.be.accessible();
        held.release();
        await waitUntil(() => portal.status === 'ready', 'the session did not load');
        expect(events.statuses).to.deep.equal(['ready']);
      } finally {
        events.stop();
      }
    });
  });

  describe('signed out', () => {
    it('without a contact id: says so, offers Sign in, sends nothing', async () => {
      const counter = countingFetch();
      const events = recordSessionEvents();
      try {
        const { portal, element } = await portalFixture(html`<scm-account-summary></scm-account-summary>`, { user: null, fetch: counter });
        expect(portal.status).to.equal('signed-out');
        expect(portal.problem?.code).to.equal('no-contact');
        expect(portal.matches(':state(signed-out)')).to.equal(true);
        expect(messageText(portal)).to.contain('Nobody is signed in');
        const link = portal.shadowRoot!.querySelector<HTMLAnchorElement>('a[part~="action"]')!;
        expect(link.textContent!.trim()).to.equal('Sign in');
        expect(new URL(link.href).pathname).to.equal('/SignIn');
        expect(new URL(link.href).searchParams.get('returnUrl')).to.equal(location.pathname + location.search);
        expect(element.shadowRoot!.textContent).to.contain('Sign in to see your account');
        expect(counter.count()).to.equal(0);
        expect(events.statuses).to.deep.equal(['signed-out']);
        await expect(portal).to.be.accessible();
        await expect(element).to.be.accessible();
      } finally {
        events.stop();
      }
    });

    it('when the server session has ended: signed out, not an error', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      await signOut();
      const portal = await fixture<ScmPortal>(html`<scm-portal
        base-url="/_api/"
        auth="power-pages"
        contact-id=${user.contactId}
        roles=${liquidRoles(user)}
      ></scm-portal>`);
      await waitUntil(() => portal.status !== 'loading', 'the session did not settle');
      expect(portal.status).to.equal('signed-out');
      expect(portal.problem?.code).to.equal('signed-out');
      expect(messageText(portal)).to.contain('Your session has ended');
      await expect(portal).to.be.accessible();
      // Signing in again and reloading brings the session back.
      await signIn(user);
      portal.reload();
      await waitUntil(() => portal.status === 'ready', 'the session did not load after signing in');
    });
  });

  describe('MSAL', () => {
    it('nobody signed in with Microsoft Entra ID: signed out with a Sign in button, nothing sent, nothing in localStorage', async () => {
      const counter = countingFetch();
      localStorage.clear();
      const portal = await fixture<ScmPortal>(html`<scm-portal
        base-url="https://contoso.crm.dynamics.com/api/data/v9.2/"
        auth="msal"
        client-id="11111111-2222-3333-4444-555555555555"
        authority="https://login.microsoftonline.com/contoso.onmicrosoft.com"
        contact-id="00000000-0000-0000-0000-000000000001"
        .fetch=${counter}
      ></scm-portal>`);
      await waitUntil(() => portal.status !== 'loading', 'the session did not settle', { timeout: 15000 });
      expect(portal.status).to.equal('signed-out');
      expect(portal.problem?.code).to.equal('signed-out');
      const button = portal.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="action"]')!;
      expect(button.textContent!.trim()).to.equal('Sign in');
      expect(counter.count()).to.equal(0);
      expect(localStorage.length).to.equal(0);
      await expect(portal).to.be.accessible();
    });
  });

  describe('misconfigured', () => {
    const cases: { name: string; attributes: Record<string, string>; code: string; mentions: string }[] = [
      { name: 'missing base-url', attributes: { auth: 'power-pages' }, code: 'missing-base-url', mentions: 'base-url' },
      { name: 'unknown auth', attributes: { 'base-url': '/_api/', auth: 'magic' }, code: 'unknown-auth', mentions: 'auth="magic"' },
      { name: 'missing auth', attributes: { 'base-url': '/_api/' }, code: 'unknown-auth', mentions: 'auth' },
      { name: 'MSAL without client-id', attributes: { 'base-url': 'https://contoso.crm.dynamics.com/api/data/v9.2/', auth: 'msal' }, code: 'missing-msal-config', mentions: 'client-id' },
      { name: 'token without a token provider', attributes: { 'base-url': '/api/data/v9.2/', auth: 'token' }, code: 'missing-token-provider', mentions: 'tokenProvider' },
      { name: 'power-pages on a non-/_api/ base-url', attributes: { 'base-url': '/api/data/v9.2/', auth: 'power-pages' }, code: 'missing-base-url', mentions: '/_api/' },
    ];
    for (const c of cases) {
      it(`${c.name}: tells the site owner what to fix, sends nothing`, async () => {
        const user = await pickUser({ role: 'authorized-user' });
        const counter = countingFetch();
        const portal = document.createElement('scm-portal');
        for (const [name, value] of Object.entries(c.attributes)) portal.setAttribute(name, value);
        portal.setAttribute('contact-id', user.contactId);
        portal.fetch = counter;
        portal.append(document.createElement('scm-account-summary'));
        const host = await fixture<HTMLDivElement>(html`<div></div>`);
        host.append(portal);
        await portal.updateComplete;
        expect(portal.status).to.equal('misconfigured');
        expect(portal.problem?.code).to.equal(c.code);
        expect(portal.matches(':state(misconfigured)')).to.equal(true);
        expect(messageText(portal)).to.contain('The portal cannot show your account yet');
        expect(messageText(portal)).to.contain(c.mentions);
        expect(counter.count()).to.equal(0);
        await expect(portal).to.be.accessible();
      });
    }

    it('a contact id Liquid did not fill in: names the attribute and the Liquid to use', async () => {
      const portal = await fixture<ScmPortal>(html`<scm-portal base-url="/_api/" auth="power-pages" contact-id="{{ user.id }}"></scm-portal>`);
      expect(portal.status).to.equal('misconfigured');
      expect(portal.problem?.code).to.equal('no-contact');
      expect(messageText(portal)).to.contain('{{ user.id }}');
      await expect(portal).to.be.accessible();
    });

    it('fixing the configuration loads the session', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      await signIn(user);
      const portal = await fixture<ScmPortal>(html`<scm-portal auth="power-pages" contact-id=${user.contactId}></scm-portal>`);
      expect(portal.status).to.equal('misconfigured');
      portal.baseUrl = '/_api/';
      await waitUntil(() => portal.status === 'ready', 'the session did not load after base-url was set');
      expect(portal.shadowRoot!.querySelector('[part~="message"]')).to.equal(null);
    });
  });

  describe('no permission', () => {
    it('an unauthorized user: the server refuses the contact table; the message names it', async () => {
      const user = await pickUser({ role: 'unauthorized-user' });
      const { portal, element } = await portalFixture(html`<scm-account-summary></scm-account-summary>`, { user });
      expect(portal.status).to.equal('misconfigured');
      expect(portal.problem?.code).to.equal('no-permission');
      const text = messageText(portal);
      expect(text).to.contain("doesn't give access to customer data");
      expect(text).to.contain('Contact table (contact, Self scope)');
      expect(text).to.contain('Unauthorized user');
      // The provider says what is wrong and how to fix it; the element only says, briefly, that it can't show.
      expect(element.shadowRoot!.textContent).to.contain("can't be shown right now");
      expect(element.shadowRoot!.textContent).not.to.contain("doesn't give access");
      await expect(portal).to.be.accessible();
      await expect(element).to.be.accessible();
    });

    it('a contact the user may not see is reported as not found, naming the permission to check', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      const stranger = await pickUser({ where: (u) => u.accountId !== user.accountId && u.roles.includes('authorized-user') });
      await signIn(user);
      const portal = await fixture<ScmPortal>(html`<scm-portal
        base-url="/_api/"
        auth="power-pages"
        contact-id=${stranger.contactId}
        roles=${liquidRoles(user)}
      ></scm-portal>`);
      await waitUntil(() => portal.status !== 'loading', 'the session did not settle');
      expect(portal.status).to.equal('misconfigured');
      expect(portal.problem?.code).to.equal('contact-not-found');
      expect(messageText(portal)).to.contain(stranger.contactId);
      await expect(portal).to.be.accessible();
    });
  });

  describe('unreachable', () => {
    it('says the service cannot be reached and offers Retry, reachable by keyboard', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      // The first session request (and its retries) get no answer, as if the connection dropped.
      const dropping = droppingFetch(/\/_api\/contacts\(/, 5);
      const events = recordSessionEvents();
      try {
        const { portal } = await portalFixture(html`<p>Welcome</p>`, { user, fetch: dropping });
        expect(portal.status).to.equal('error');
        expect(portal.problem?.code).to.equal('unreachable');
        expect(portal.matches(':state(error)')).to.equal(true);
        expect(messageText(portal)).to.contain('The service could not be reached');
        expect(events.statuses).to.deep.equal(['error']);
        await expect(portal).to.be.accessible();

        const retry = portal.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="action"]')!;
        expect(retry.textContent!.trim()).to.equal('Retry');
        (document.activeElement as HTMLElement | null)?.blur();
        await sendKeys({ press: 'Tab' });
        expect(focused(portal)).to.equal(retry);
        await sendKeys({ press: 'Enter' });
        await waitUntil(() => portal.status === 'ready', 'Retry did not load the session');
        expect(events.statuses).to.deep.equal(['error', 'ready']);
      } finally {
        events.stop();
      }
    });

    it('traps no focus: Tab moves on past the message', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <scm-portal base-url="/_api/" auth="power-pages" roles=${liquidRoles(user)}></scm-portal>
        <button id="after">After</button>
      </div>`);
      const portal = wrapper.querySelector('scm-portal')!;
      await portal.updateComplete;
      expect(portal.status).to.equal('signed-out');
      (document.activeElement as HTMLElement | null)?.blur();
      await sendKeys({ press: 'Tab' });
      expect(portal.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Sign in');
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement?.id).to.equal('after');
    });
  });

  describe('events', () => {
    it('does not fire scm-session-change when the host only sets locale or roles', async () => {
      const user = await pickUser({ role: 'authorized-user' });
      const { portal } = await portalFixture('', { user });
      const events = recordSessionEvents();
      try {
        portal.locale = 'de-DE';
        portal.roles = 'Administrators';
        await portal.updateComplete;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        expect(events.statuses).to.deep.equal([]);
      } finally {
        events.stop();
      }
    });
  });

  describe('without a provider', () => {
    it('an element outside <scm-portal> says so in place', async () => {
      const element = await fixture(html`<scm-account-summary></scm-account-summary>`);
      expect(element.shadowRoot!.textContent).to.contain('needs a <scm-portal> around it');
      await expect(element).to.be.accessible();
    });
  });
});
