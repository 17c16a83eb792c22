import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../src/elements/portal/portal.js';
import '../src/elements/account-summary/account-summary.js';
import '../src/elements/order-list/order-list.js';
import '../src/elements/order-detail/order-detail.js';
import '../src/elements/order-form/order-form.js';
import type { OrderSelectDetail, OrderSubmitDetail, ReorderDetail } from '../src/events.js';
import type { OrderFormLine } from '../src/elements/order-form/order-form.js';
import { STORY_SCM_INTERVAL_MS, storyPortal, type StoryPortal } from './support/portal-emulator.js';

type View = 'orders' | 'order' | 'new-order' | 'account';

/**
 * The whole portal wired the way a host page wires it (the corporate demo's `portal-app.js` does the same with
 * a hash router): choosing an order opens it, Reorder fills the order form, a submitted order opens its details.
 * Story-only glue; the elements themselves know nothing of each other.
 */
@customElement('story-whole-portal')
export class StoryWholePortal extends LitElement {
  static override styles = css`
    :host { display: block; font-family: var(--scm-font, system-ui, sans-serif); }
    nav { display: flex; gap: 0.25rem; flex-wrap: wrap; margin-block-end: 1rem; }
    nav button { font: inherit; padding: 0.4rem 0.8rem; border: 1px solid #8a8f98; border-radius: 4px; background: transparent; color: inherit; cursor: pointer; }
    nav button[aria-current='page'] { background: var(--scm-color-primary, #0b5cad); border-color: var(--scm-color-primary, #0b5cad); color: #fff; }
    p { margin: 0 0 1rem; }
  `;

  @property({ attribute: false }) portal?: StoryPortal;
  @state() private view: View = 'orders';
  @state() private orderId = '';
  @state() private lines: readonly OrderFormLine[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('portal')) this.view = 'orders';
  }

  private go(view: View): void {
    this.view = view;
  }

  private readonly onSelect = (e: CustomEvent<OrderSelectDetail>) => {
    this.orderId = e.detail.orderId;
    this.view = 'order';
  };

  private readonly onReorder = (e: CustomEvent<ReorderDetail>) => {
    this.lines = e.detail.lines.map((l) => ({ productId: l.productId, itemNumber: l.itemNumber, quantity: l.quantity, unitId: l.unitId }));
    this.view = 'new-order';
  };

  private readonly onSubmit = (e: CustomEvent<OrderSubmitDetail>) => {
    this.lines = [];
    this.orderId = e.detail.orderId;
    this.view = 'order';
  };

  override render() {
    const portal = this.portal;
    if (!portal) return html`<p>Loading the emulator…</p>`;
    const tab = (view: View, label: string) =>
      html`<button type="button" aria-current=${this.view === view ? 'page' : 'false'} @click=${() => this.go(view)}>${label}</button>`;
    return html`
      <p>Signed in as ${portal.user.fullName} (${portal.user.accountNumber}). The simulated SCM moves new orders on every
        ${STORY_SCM_INTERVAL_MS / 1000} s: place an order, then watch its status in the list and on its page.</p>
      <scm-portal base-url="/_api/" auth="power-pages" contact-id=${portal.user.contactId} account-id=${portal.user.accountId}
        roles=${portal.roles} .fetch=${portal.fetch}
        @scm-order-select=${this.onSelect} @scm-reorder=${this.onReorder} @scm-order-submit=${this.onSubmit}>
        <nav aria-label="Customer portal">
          ${tab('orders', 'Orders')}${tab('new-order', 'New order')}${tab('account', 'Account')}
        </nav>
        ${this.view === 'orders' ? html`<scm-order-list page-size="10"></scm-order-list>` : ''}
        ${this.view === 'order' ? html`<scm-order-detail order-id=${this.orderId}></scm-order-detail>` : ''}
        ${this.view === 'new-order' ? html`<scm-order-form .lines=${this.lines}></scm-order-form>` : ''}
        ${this.view === 'account' ? html`<scm-account-summary></scm-account-summary>` : ''}
      </scm-portal>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'story-whole-portal': StoryWholePortal;
  }
}

/**
 * The whole portal, clickable end to end against the emulator running in this browser tab: orders, an order's
 * details, a new order (requested receipt date, delivery address, items, review, submit) and the account. No
 * server is involved, so this works in the static Storybook too.
 */
const meta: Meta = {
  title: 'Introduction/Whole portal',
  component: 'scm-portal',
  parameters: { layout: 'padded' },
};
export default meta;

type Story = StoryObj;

const wholePortal = (criteria: Parameters<typeof storyPortal>[0]): Story => ({
  loaders: [async () => ({ portal: await storyPortal({ ...criteria, scm: true }) })],
  render: (_args, { loaded }) => html`<story-whole-portal .portal=${loaded.portal as StoryPortal}></story-whole-portal>`,
});

/** An authorized user: their own orders. */
export const AuthorizedUser: Story = wholePortal({ role: 'authorized-user' });

/** A customer representative: every order of the account, and who placed it. */
export const CustomerRepresentative: Story = wholePortal({ role: 'customer-representative' });
