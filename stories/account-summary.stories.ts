import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../src/elements/portal/portal.js';
import '../src/elements/account-summary/account-summary.js';
import { failingFetch, neverAnsweringFetch, storyPortal, type StoryPortal } from './support/portal-emulator.js';

/**
 * `<scm-account-summary>` in every state, inside a `<scm-portal>` served by the emulator running in the browser.
 */
const meta: Meta = {
  title: 'Portal/scm-account-summary',
  component: 'scm-account-summary',
};
export default meta;

type Story = StoryObj;

const signedIn = (criteria: Parameters<typeof storyPortal>[0]) => [async () => ({ portal: await storyPortal(criteria) })];

const inPortal = (portal: StoryPortal, options: { fetch?: typeof fetch; locale?: string } = {}) => html`<scm-portal
  base-url="/_api/"
  auth="power-pages"
  contact-id=${portal.user.contactId}
  account-id=${portal.user.accountId}
  roles=${portal.roles}
  locale=${options.locale ?? ''}
  .fetch=${options.fetch ?? portal.fetch}
>
  <scm-account-summary></scm-account-summary>
</scm-portal>`;

/** An authorized user: their account, the credit their own open orders use, their orders by status. */
export const AuthorizedUser: Story = {
  loaders: signedIn({ role: 'authorized-user' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
};

/** A customer representative: every order of the account, and the people who may order. */
export const CustomerRepresentative: Story = {
  loaders: signedIn({ role: 'customer-representative' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
};

/** The large account: counts in the thousands. */
export const ManyOrders: Story = {
  loaders: signedIn({ role: 'customer-representative', accountNumber: 'US-010' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
};

/** German locale: money and numbers formatted for de-DE. */
export const GermanLocale: Story = {
  loaders: signedIn({ role: 'customer-representative', accountNumber: 'US-010' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal, { locale: 'de-DE' }),
};

/** Long and hostile text (markup, right-to-left text, a 2,000-character address line): escaped and wrapped. */
export const LongNames: Story = {
  loaders: [async () => ({ portal: await storyPortal({ role: 'customer-representative', hostile: true }) })],
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
};

/** A customer SCM has put on hold ("All": no new orders): the badge says so in words and shape. */
export const OnHold: Story = {
  loaders: signedIn({ role: 'customer-representative', accountNumber: 'US-005' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
};

/** The seller's own administrator: an account without orders. */
export const NoOrders: Story = {
  loaders: signedIn({ role: 'administrator' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
};

/** The account is on its way (it never answers here). */
export const Loading: Story = {
  loaders: signedIn({ role: 'authorized-user' }),
  render: (_args, { loaded }) => {
    const portal = loaded.portal as StoryPortal;
    // The session loads; the summary's own requests never answer.
    const held = neverAnsweringFetch(portal.fetch);
    return inPortal(portal, { fetch: (input, init) => (/\/contacts\(/.test(String(input)) ? portal.fetch(input, init) : held(input, init)) });
  },
};

/** The order counts failed (Power Pages answered 500): an error with Retry. */
export const ServiceError: Story = {
  loaders: signedIn({ role: 'authorized-user' }),
  render: (_args, { loaded }) => {
    const portal = loaded.portal as StoryPortal;
    return inPortal(portal, { fetch: failingFetch(portal.fetch, /\/_api\/salesorders\?/) });
  },
};

/** Signed out: the portal has no contact. */
export const SignedOut: Story = {
  render: () => html`<scm-portal base-url="/_api/" auth="power-pages" contact-id="">
    <scm-account-summary></scm-account-summary>
  </scm-portal>`,
};

/** Used without a `<scm-portal>` around it: it says so. */
export const WithoutPortal: Story = {
  render: () => html`<scm-account-summary></scm-account-summary>`,
};

/** On a phone: one column. */
export const Phone: Story = {
  loaders: signedIn({ role: 'customer-representative' }),
  render: (_args, { loaded }) => html`<div style="max-width: 360px">${inPortal(loaded.portal as StoryPortal)}</div>`,
  parameters: { viewport: { defaultViewport: 'mobile1' } },
};

/** Arabic: the account right to left, hold badge and credit meter included. */
export const ArabicRightToLeft: Story = {
  loaders: signedIn({ role: 'customer-representative' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
  globals: { locale: 'ar' },
};

/** French: the account in French, money in the French format. */
export const French: Story = {
  loaders: signedIn({ role: 'customer-representative', accountNumber: 'US-010' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
  globals: { locale: 'fr' },
};

/** The dark theme. */
export const DarkTheme: Story = {
  loaders: signedIn({ role: 'customer-representative' }),
  render: (_args, { loaded }) => inPortal(loaded.portal as StoryPortal),
  globals: { theme: 'dark' },
};
