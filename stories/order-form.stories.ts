import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import '../src/elements/portal/portal.js';
import '../src/elements/order-form/order-form.js';
import type { OrderFormLine, ScmOrderForm } from '../src/elements/order-form/order-form.js';
import { createDataverseClient } from '../src/dataverse/client.js';
import { loadDeliveryAddresses } from '../src/portal/addresses.js';
import { addToLines, DraftStore, localDay, newDraft, ONE_TIME_ADDRESS, type OrderDraft, type OrderStep } from '../src/portal/order-draft.js';
import { searchProducts, describeProducts } from '../src/portal/products.js';
import { loadSession } from '../src/portal/session-service.js';
import { storyEmulator, storyPortal, type StoryPortal } from './support/portal-emulator.js';

/*
 * `<scm-order-form>` in every step and every error. Data comes from the emulator running in the browser. A story
 * that starts on a later step writes the draft the form would have kept (`sessionStorage`, as after a reload);
 * a story of a submission's outcome presses Submit order in its `play` function. Failures are made at the network
 * boundary (the answer a failing site gives), never inside the library.
 */

/** What a story's loader prepares. */
interface Loaded {
  readonly portal: StoryPortal;
  readonly fetch: typeof fetch;
  readonly lines?: readonly OrderFormLine[];
}

/** Attributes of `<scm-order-form>` a story sets, plus the width of the box around it. */
interface OrderFormArgs {
  earliestDays: number;
  syncInterval: number;
  hrefTemplate: string;
  width: string;
  /** Web roles as Liquid writes them (empty: the user's own). */
  roles: string;
}

/** How a story breaks the order submission (the `POST salesorders`), at the network boundary. */
type SubmitFailure = 'none' | 'busy' | 'offline' | 'no-permission';

function failingSubmit(inner: typeof fetch, failure: SubmitFailure): typeof fetch {
  if (failure === 'none') return inner;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const isSubmit = (init?.method ?? 'GET').toUpperCase() === 'POST' && /\/_api\/salesorders$/.test(url);
    if (!isSubmit) return inner(input, init);
    if (failure === 'offline') return Promise.reject(new TypeError('Failed to fetch'));
    const [status, code, message, headers] =
      failure === 'busy'
        ? [429, '0x80072322', 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.', { 'Retry-After': '90' }]
        : [403, '90040103', "You don't have permission to create salesorder entity.", {}];
    return Promise.resolve(
      new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'Content-Type': 'application/json', ...headers } }),
    );
  };
}

/** A draft as the form keeps it, built with the same services from the emulator's data. */
async function writeDraft(portal: StoryPortal, options: { step: OrderStep; lines?: number; oneTime?: boolean }): Promise<void> {
  const client = createDataverseClient({ transport: 'power-pages', fetch: portal.fetch, shell: () => undefined });
  const session = await loadSession(client, { contactId: portal.user.contactId, accountId: portal.user.accountId, roles: portal.user.webRoles });
  const book = await loadDeliveryAddresses(client, session);
  const products = [...(await searchProducts(client, session, 'D0')), ...(await searchProducts(client, session, 'L0'))];
  let draft: OrderDraft = newDraft(session);
  const inTwoWeeks = new Date();
  inTwoWeeks.setDate(inTwoWeeks.getDate() + 14);
  draft = {
    ...draft,
    step: options.step,
    requestedReceiptDate: localDay(inTwoWeeks),
    deliveryAddressId: options.oneTime ? ONE_TIME_ADDRESS : (book.addresses[0]?.id ?? ''),
    oneTimeAddress: options.oneTime
      ? { description: 'Pier 4 site office', line1: '1 Harbor Drive', line2: '', city: '', stateOrProvince: 'MN', postalCode: '' }
      : draft.oneTimeAddress,
    customerReference: 'PO 2026-0412',
    requisitionNumber: 'REQ-7781',
  };
  let lines = draft.lines;
  products.slice(0, options.lines ?? 0).forEach((product, i) => {
    const unit = product.units[0]!;
    lines = addToLines(lines, product, unit, unit.decimals > 0 ? 2.5 : i + 2);
  });
  draft = { ...draft, lines };
  const store = new DraftStore();
  store.clear(session.contact.id);
  store.save(draft);
}

interface LoaderOptions {
  readonly role?: 'authorized-user' | 'customer-representative';
  readonly step?: OrderStep;
  readonly lines?: number;
  readonly oneTime?: boolean;
  readonly failure?: SubmitFailure;
  /** Prefill with one product no longer sold and one sold (the `lines` property). */
  readonly retiredPrefill?: boolean;
}

function loader(options: LoaderOptions = {}) {
  return async (): Promise<Loaded> => {
    const portal = await storyPortal({ role: options.role ?? 'authorized-user' });
    // Every story starts from its own draft (the browser tab keeps one per contact).
    new DraftStore().clear(portal.user.contactId);
    if (options.step) await writeDraft(portal, { step: options.step, lines: options.lines ?? 3, oneTime: options.oneTime });
    let lines: OrderFormLine[] | undefined;
    if (options.retiredPrefill) {
      const { emulator } = await storyEmulator();
      const retired = [...emulator.store.all('product')].find((row) => row.statecode === 1);
      const client = createDataverseClient({ transport: 'power-pages', fetch: portal.fetch, shell: () => undefined });
      const session = await loadSession(client, { contactId: portal.user.contactId, roles: portal.user.webRoles });
      const sold = (await searchProducts(client, session, 'D0'))[0]!;
      const name = retired ? (await describeProducts(client, [String(retired.productid)])).get(String(retired.productid)) : undefined;
      lines = [
        ...(name ? [{ productId: name.id, quantity: 4 }] : []),
        { productId: sold.id, quantity: 2 },
      ];
    }
    return { portal, fetch: failingSubmit(portal.fetch, options.failure ?? 'none'), lines };
  };
}

function render(args: OrderFormArgs, loaded: Loaded): TemplateResult {
  const { portal } = loaded;
  return html`<div style=${args.width ? `max-width:${args.width}` : ''}>
    <scm-portal
      base-url="/_api/"
      auth="power-pages"
      contact-id=${portal.user.contactId}
      account-id=${portal.user.accountId}
      roles=${args.roles || portal.roles}
      .fetch=${loaded.fetch}
    >
      <scm-order-form
        earliest-days=${args.earliestDays}
        sync-interval=${args.syncInterval}
        href-template=${args.hrefTemplate}
        .lines=${loaded.lines ?? []}
      ></scm-order-form>
    </scm-portal>
  </div>`;
}

/** The form inside a story's canvas, once it shows a step. */
async function formIn(canvasElement: HTMLElement): Promise<ScmOrderForm> {
  const form = canvasElement.querySelector('scm-order-form') as ScmOrderForm;
  for (let i = 0; i < 200 && !form.shadowRoot?.querySelector('#step-title'); i++) await new Promise((r) => setTimeout(r, 50));
  await form.updateComplete;
  return form;
}

/** Presses a button of the form by its text, as a customer would. */
async function press(form: ScmOrderForm, name: string): Promise<void> {
  const button = [...form.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.replace(/\s+/g, ' ').trim() === name);
  button?.click();
  await form.updateComplete;
}

/** Waits until the form shows an outcome of a submission. */
async function outcome(form: ScmOrderForm): Promise<void> {
  for (let i = 0; i < 400 && !form.shadowRoot!.querySelector('[part="success"], [part="problem"]'); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

const meta: Meta<OrderFormArgs> = {
  title: 'Elements/Order form',
  component: 'scm-order-form',
  args: { earliestDays: 0, syncInterval: 10, hrefTemplate: '#/orders/{id}', width: '', roles: '' },
  loaders: [loader()],
  render: (args, { loaded }) => render(args, loaded as Loaded),
};
export default meta;

type Story = StoryObj<OrderFormArgs>;

/** Step 1, a new order: the primary delivery address is chosen; company and ship-to country come from the session. */
export const OrderInformation: Story = {};

/** Step 1 with the earliest receipt date three days out, after pressing Next with no date: the rules, next to their fields. */
export const OrderInformationErrors: Story = {
  args: { earliestDays: 3 },
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    await press(form, 'Next');
  },
};

/** Step 1 with a one-time address, half filled, after pressing Next. */
export const OneTimeAddress: Story = {
  loaders: [loader({ step: 'information', oneTime: true, lines: 0 })],
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    await press(form, 'Next');
  },
};

/** Step 2 with three items: estimated amounts in the account's currency, quantities editable. */
export const Items: Story = {
  loaders: [loader({ step: 'items', lines: 3 })],
};

/** Step 2, quick add with bad lines: each reported, kept in the box for editing. */
export const QuickAddProblems: Story = {
  loaders: [loader({ step: 'items', lines: 1 })],
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    form.shadowRoot!.querySelector('summary')!.click();
    await form.updateComplete;
    const box = form.shadowRoot!.querySelector<HTMLTextAreaElement>('#quick-add')!;
    box.value = 'D0001, 5\nNOPE-1, 2\nD0002\nD0005, 1.5\nL0001; 2,5';
    box.dispatchEvent(new Event('input'));
    await form.updateComplete;
    await press(form, 'Add lines');
  },
};

/** Step 2, prefilled by the host with a product no longer sold: it must be removed before going on. */
export const NoLongerSold: Story = {
  loaders: [loader({ step: 'items', lines: 0, retiredPrefill: true })],
};

/** Step 3: everything in one view, with edit links back to each step. */
export const ReviewAndSubmit: Story = {
  loaders: [loader({ step: 'review', lines: 3 })],
};

/** Submitted: the order number, pending sync until Supply Chain Management numbers it. */
export const Submitted: Story = {
  loaders: [loader({ step: 'review', lines: 2 })],
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    await press(form, 'Submit order');
    await outcome(form);
  },
};

/** The service is busy (429 with Retry-After): "we'll retry in N s", Submit blocked meanwhile. */
export const ServiceBusy: Story = {
  loaders: [loader({ step: 'review', lines: 2, failure: 'busy' })],
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    await press(form, 'Submit order');
    await outcome(form);
  },
};

/** Offline (the connection drops): the order is kept; submit again when back. */
export const Offline: Story = {
  loaders: [loader({ step: 'review', lines: 2, failure: 'offline' })],
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    await press(form, 'Submit order');
    await outcome(form);
  },
};

/** The site refuses the order (the web role may not create orders): said next to Submit, the order kept. */
export const PermissionMissing: Story = {
  loaders: [loader({ step: 'review', lines: 2, failure: 'no-permission' })],
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    await press(form, 'Submit order');
    await outcome(form);
  },
};

/** A web role that may not order (the page says "Unauthorized user"): a plain answer instead of a form. */
export const RoleCannotOrder: Story = {
  args: { roles: 'Authenticated Users,Unauthorized user' },
};

/** A customer representative orders the same way, for the whole account. */
export const CustomerRepresentative: Story = {
  loaders: [loader({ role: 'customer-representative' })],
};

/** A phone-sized box: one column, lines as cards, full-width buttons. */
export const Phone: Story = {
  args: { width: '375px' },
  loaders: [loader({ step: 'items', lines: 3 })],
};

/** German: the review with three items; dates and money in the German format (the toolbar's language). */
export const German: Story = {
  loaders: [loader({ step: 'review', lines: 3 })],
  globals: { locale: 'de' },
};

/** German, after pressing Weiter with no date: the rules in German, next to their fields. */
export const GermanErrors: Story = {
  args: { earliestDays: 3 },
  globals: { locale: 'de' },
  play: async ({ canvasElement }) => {
    const form = await formIn(canvasElement);
    // The German translation loads on first use: wait for it before pressing its button.
    const next = () => [...form.shadowRoot!.querySelectorAll('button')].some((b) => b.textContent!.trim() === 'Weiter');
    for (let i = 0; i < 100 && !next(); i++) await new Promise((r) => setTimeout(r, 50));
    await press(form, 'Weiter');
  },
};

/** Arabic: the items step right to left, lines and totals included. */
export const ArabicRightToLeft: Story = {
  loaders: [loader({ step: 'items', lines: 3 })],
  globals: { locale: 'ar' },
};

/** Japanese on a phone: the items step in one column. */
export const JapanesePhone: Story = {
  args: { width: '375px' },
  loaders: [loader({ step: 'items', lines: 2 })],
  globals: { locale: 'ja' },
};

/** Nobody signed in: the form says so (the portal shows how to sign in). */
export const SignedOut: Story = {
  render: (_args, { loaded }) => html`<scm-portal base-url="/_api/" auth="power-pages" contact-id="" .fetch=${(loaded as Loaded).fetch}>
    <scm-order-form></scm-order-form>
  </scm-portal>`,
};
