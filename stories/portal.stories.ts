import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../src/elements/portal/portal.js';
import '../src/elements/account-summary/account-summary.js';
import { failingFetch, neverAnsweringFetch, storyPortal, type StoryPortal } from './support/portal-emulator.js';

/**
 * `<scm-portal>` in every state. The portal itself draws nothing but its message; an `<scm-account-summary>`
 * inside shows what the elements see. Data comes from the emulator running in the browser.
 */
const meta: Meta = {
  title: 'Portal/scm-portal',
  component: 'scm-portal',
};
export default meta;

type Story = StoryObj;

const signedIn = (criteria: Parameters<typeof storyPortal>[0]) => [async () => ({ portal: await storyPortal(criteria) })];

const portalWith = (portal: StoryPortal, fetchImpl: typeof fetch = portal.fetch, locale = '') => html`<scm-portal
  base-url="/_api/"
  auth="power-pages"
  contact-id=${portal.user.contactId}
  account-id=${portal.user.accountId}
  roles=${portal.roles}
  locale=${locale}
  .fetch=${fetchImpl}
>
  <scm-account-summary></scm-account-summary>
</scm-portal>`;

/** An authorized user, signed in on a Power Pages site: the session is loaded and shared. */
export const Ready: Story = {
  loaders: signedIn({ role: 'authorized-user' }),
  render: (_args, { loaded }) => portalWith(loaded.portal as StoryPortal),
};

/** A customer representative: the same portal, with the account's people. */
export const CustomerRepresentative: Story = {
  loaders: signedIn({ role: 'customer-representative' }),
  render: (_args, { loaded }) => portalWith(loaded.portal as StoryPortal),
};

/** German locale: dates, numbers and money follow `locale`. */
export const GermanLocale: Story = {
  loaders: signedIn({ role: 'customer-representative', accountNumber: 'US-010' }),
  render: (_args, { loaded }) => portalWith(loaded.portal as StoryPortal, undefined, 'de-DE'),
};

/** The session request is on its way (it never answers here). */
export const Loading: Story = {
  loaders: signedIn({ role: 'authorized-user' }),
  render: (_args, { loaded }) => {
    const portal = loaded.portal as StoryPortal;
    return portalWith(portal, neverAnsweringFetch(portal.fetch));
  },
};

/** Nobody is signed in: Liquid writes an empty `contact-id` for anonymous visitors. */
export const SignedOut: Story = {
  render: () => html`<scm-portal base-url="/_api/" auth="power-pages" contact-id="">
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
};

/** Misconfigured: no `base-url`. */
export const MissingBaseUrl: Story = {
  render: () => html`<scm-portal auth="power-pages" contact-id="00000000-0000-0000-0000-000000000001">
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
};

/** Misconfigured: an `auth` the portal does not know. */
export const UnknownAuth: Story = {
  render: () => html`<scm-portal base-url="/_api/" auth="cookie" contact-id="00000000-0000-0000-0000-000000000001">
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
};

/** Misconfigured: MSAL sign-in without the app registration's `client-id`. */
export const MsalWithoutClientId: Story = {
  render: () => html`<scm-portal
    base-url="https://contoso.crm.dynamics.com/api/data/v9.2/"
    auth="msal"
    contact-id="00000000-0000-0000-0000-000000000001"
  >
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
};

/** Misconfigured: the page is not a Liquid web template, so `{{ user.id }}` was not filled in. */
export const LiquidNotRendered: Story = {
  render: () => html`<scm-portal base-url="/_api/" auth="power-pages" contact-id="{{ user.id }}">
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
};

/** A user whose web role may not read the contact table (the Customer portal's "Unauthorized user"). */
export const NoPermission: Story = {
  loaders: signedIn({ role: 'unauthorized-user' }),
  render: (_args, { loaded }) => portalWith(loaded.portal as StoryPortal),
};

/** The service failed (Power Pages answered 500): Retry. */
export const Unreachable: Story = {
  loaders: signedIn({ role: 'authorized-user' }),
  render: (_args, { loaded }) => {
    const portal = loaded.portal as StoryPortal;
    return portalWith(portal, failingFetch(portal.fetch, /\/_api\/contacts\(/));
  },
};

/** Arabic: the signed-out message right to left (the portal writes dir="rtl" and lang="ar" on itself). */
export const ArabicRightToLeft: Story = {
  render: () => html`<scm-portal base-url="/_api/" auth="power-pages" contact-id="">
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
  globals: { locale: 'ar' },
};

/** `theme="dark"` on the portal: the tokens (and a background) for everything inside it, whatever the page's theme. */
export const DarkPortalTheme: Story = {
  loaders: signedIn({ role: 'customer-representative' }),
  render: (_args, { loaded }) => {
    const portal = loaded.portal as StoryPortal;
    return html`<scm-portal
      base-url="/_api/"
      auth="power-pages"
      theme="dark"
      contact-id=${portal.user.contactId}
      account-id=${portal.user.accountId}
      roles=${portal.roles}
      .fetch=${portal.fetch}
      style="padding: 1rem"
    >
      <scm-account-summary></scm-account-summary>
    </scm-portal>`;
  },
};

/** The dark theme as a page stylesheet, on the misconfigured message. */
export const DarkTheme: Story = {
  render: () => html`<scm-portal auth="power-pages" contact-id="00000000-0000-0000-0000-000000000001">
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
  globals: { theme: 'dark' },
};
