import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing, type TemplateResult } from 'lit';
import '../src/elements/portal/portal.js';
import '../src/elements/order-detail/order-detail.js';
import { createEmulatorFetch, type Emulator, type StoredRow } from '../src/emulator/index.js';
import { ScmSimulator, scmScenarioOf } from '../src/emulator/scm.js';
import type { WebRole } from '../src/emulator/types.js';
import { ProcessingStatus } from '../src/tables/choices.js';
import { failingFetch, storyEmulator, storyPortal, type StoryPortal } from './support/portal-emulator.js';

/*
 * `<scm-order-detail>` in every state, inside a `<scm-portal>` served by the emulator running in the browser
 * (Storybook cannot reach the Node one). Each story's loader signs a seeded user in and picks, from the emulator's
 * own rows, an order that shows the state (an invoiced order, a cancelled one, one not yet in SCM, …).
 */

/** Which order a story shows. */
type OrderPick =
  | 'invoiced'
  | 'partial'
  | 'cancelled'
  | 'pending-sync'
  | 'open'
  | 'moving'
  | 'colleague'
  | 'other-customer'
  | 'random'
  | 'none';

interface LoaderOptions {
  readonly role?: WebRole;
  readonly pick: OrderPick;
  /** How the server misbehaves for the order read (at the network boundary, never inside the library). */
  readonly failure?: 'hang' | 'fail';
  /** Nobody signed in. */
  readonly signedOut?: boolean;
}

interface Loaded {
  readonly portal: StoryPortal | null;
  readonly fetch: typeof fetch;
  readonly orderId: string;
  /** For the live story: moves the order one step in the simulated SCM. */
  readonly advance?: () => void;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const status = (row: StoredRow) => (typeof row.msdyn_processingstatus === 'number' ? row.msdyn_processingstatus : null);
const idOf = (value: unknown) =>
  typeof value === 'object' && value !== null && 'id' in value ? String((value as { id: unknown }).id).toLowerCase() : text(value).toLowerCase();

/** What each pick looks for among the orders a user may see. */
const PICKS: Readonly<Record<Exclude<OrderPick, 'colleague' | 'other-customer' | 'random' | 'none'>, (row: StoredRow) => boolean>> = {
  invoiced: (row) => status(row) === ProcessingStatus.Invoiced,
  partial: (row) => status(row) === ProcessingStatus.PartiallyDelivered || status(row) === ProcessingStatus.PartiallyInvoiced,
  cancelled: (row) => status(row) === ProcessingStatus.Cancelled,
  'pending-sync': (row) => text(row.msdyn_salesordernumber) === '',
  open: (row) => text(row.msdyn_salesordernumber) !== '' && status(row) === ProcessingStatus.Active,
  // A confirmed order that the simulated SCM will pick, deliver and invoice (not one it cancels).
  moving: (row) => status(row) === ProcessingStatus.Confirmed && scmScenarioOf(String(row.salesorderid)) !== 'cancelled',
};

/** One simulated SCM per story emulator (created on first use, manual clock: the Live story moves the order). */
const simulators = new WeakMap<Emulator, ScmSimulator>();
function simulatorOf(emulator: Emulator): ScmSimulator {
  let scm = simulators.get(emulator);
  if (!scm) {
    scm = new ScmSimulator(emulator, { mode: 'manual' });
    simulators.set(emulator, scm);
  }
  return scm;
}

/** Order reads never answer (the session loads normally, so the element's own skeleton shows). */
function hangingOrderReads(inner: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!/\/_api\/salesorders/.test(url)) return inner(input, init);
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
    });
  };
}

function withFailure(inner: typeof fetch, failure: LoaderOptions['failure']): typeof fetch {
  if (failure === 'hang') return hangingOrderReads(inner);
  if (failure === 'fail') return failingFetch(inner, /\/_api\/salesorders/);
  return inner;
}

function loader(options: LoaderOptions) {
  return async (): Promise<Loaded> => {
    const { emulator, users } = await storyEmulator();
    if (options.signedOut) {
      return { portal: null, fetch: createEmulatorFetch(emulator, location.origin), orderId: crypto.randomUUID() };
    }
    const role = options.role ?? 'authorized-user';
    const visible = (contactId: string, accountId: string, whole: boolean) =>
      emulator.store
        .findBy('salesorder', 'customerid', accountId)
        .filter((row) => whole || idOf(row.msdyn_contactperson) === contactId);
    // The first user of the role who has an order of the kind the story wants.
    let chosen: { index: number; orderId: string } | undefined;
    const candidates = users.filter((user) => user.webRoles.includes(role));
    for (const [index, user] of candidates.entries()) {
      const mine = visible(user.contactId, user.accountId, role !== 'authorized-user');
      let order: StoredRow | undefined;
      switch (options.pick) {
        case 'none':
        case 'random':
          order = mine[0];
          break;
        case 'colleague': {
          const others = emulator.store.findBy('salesorder', 'customerid', user.accountId);
          order = others.find((row) => idOf(row.msdyn_contactperson) && idOf(row.msdyn_contactperson) !== user.contactId);
          break;
        }
        case 'other-customer':
          for (const row of emulator.store.all('salesorder')) {
            if (idOf(row.customerid) !== user.accountId) {
              order = row;
              break;
            }
          }
          break;
        default:
          order = mine.find(PICKS[options.pick]);
      }
      if (order) {
        chosen = { index, orderId: String(order.salesorderid).toLowerCase() };
        break;
      }
    }
    if (!chosen) throw new Error(`No ${role} of the story seed has an order of the kind "${options.pick}".`);
    const portal = await storyPortal({ role, index: chosen.index });
    const orderId = options.pick === 'random' ? crypto.randomUUID() : options.pick === 'none' ? '' : chosen.orderId;
    const scm = options.pick === 'moving' ? simulatorOf(emulator) : undefined;
    return {
      portal,
      fetch: withFailure(portal.fetch, options.failure),
      orderId,
      advance: scm ? () => void scm.advance({ orderId }) : undefined,
    };
  };
}

/** Attributes of `<scm-order-detail>` a story sets (their controls come from custom-elements.json). */
interface OrderDetailArgs {
  /** Overrides the order the loader picked. */
  orderId: string;
  orderNumber: string;
  liveInterval: number;
  /** Locale of the portal (not an attribute of the element). */
  locale: string;
  /** Width of the box around the element, to show the narrow layout. */
  width: string;
}

function render(args: OrderDetailArgs, loaded: Loaded): TemplateResult {
  const { portal } = loaded;
  const orderId = args.orderId || (args.orderNumber ? '' : loaded.orderId);
  return html`
    ${loaded.advance
      ? html`<p>
          <button type="button" @click=${loaded.advance}>Move the order one step in Supply Chain Management</button>
          (the element checks every ${args.liveInterval} s)
        </p>`
      : nothing}
    <div style=${args.width ? `max-width:${args.width}` : ''}>
      <scm-portal
        base-url="/_api/"
        auth="power-pages"
        contact-id=${portal?.user.contactId ?? ''}
        account-id=${portal?.user.accountId ?? ''}
        roles=${portal?.roles ?? ''}
        locale=${args.locale}
        .fetch=${loaded.fetch}
      >
        <scm-order-detail .orderId=${orderId} .orderNumber=${args.orderNumber} .liveInterval=${args.liveInterval}></scm-order-detail>
      </scm-portal>
    </div>
  `;
}

const meta: Meta<OrderDetailArgs> = {
  title: 'Elements/Order detail',
  component: 'scm-order-detail',
  // locale empty: the language comes from the toolbar (the `lang` around the portal).
  args: { orderId: '', orderNumber: '', liveInterval: 30, locale: '', width: '' },
  loaders: [loader({ pick: 'invoiced' })],
  render: (args, { loaded }) => render(args, loaded as Loaded),
};
export default meta;

type Story = StoryObj<OrderDetailArgs>;

/** An authorized user's invoiced order: every step done, confirmed totals, its invoices. */
export const Invoiced: Story = {};

/** Part delivered or part invoiced: the current step says so in words. */
export const Partial: Story = {
  loaders: [loader({ role: 'customer-representative', pick: 'partial' })],
};

/** Cancelled in SCM: Active, then Cancelled as the current step. */
export const Cancelled: Story = {
  loaders: [loader({ role: 'customer-representative', pick: 'cancelled' })],
};

/** Just placed: no SCM number yet ("pending sync"), no current step, estimated totals. */
export const PendingSync: Story = {
  loaders: [loader({ role: 'customer-representative', pick: 'pending-sync' })],
};

/** In SCM but not yet confirmed: the totals are still estimates. */
export const Estimated: Story = {
  loaders: [loader({ role: 'customer-representative', pick: 'open' })],
};

/** A customer representative opens an order a colleague placed ("Placed by" shows who). */
export const RepresentativeSeesColleaguesOrder: Story = {
  loaders: [loader({ role: 'customer-representative', pick: 'colleague' })],
};

/** Live: press the button to move the order in the simulated SCM; the timeline follows. */
export const Live: Story = {
  args: { liveInterval: 2 },
  loaders: [loader({ role: 'customer-representative', pick: 'moving' })],
};

/** While the order loads: a skeleton. (The server never answers in this story.) */
export const Loading: Story = {
  loaders: [loader({ pick: 'invoiced', failure: 'hang' })],
};

/** No such order: the same message as for someone else's order. */
export const NotFound: Story = {
  loaders: [loader({ pick: 'random' })],
};

/** Another customer's order: exactly the "not found" message, nothing leaks. */
export const NotYours: Story = {
  loaders: [loader({ pick: 'other-customer' })],
};

/** The server fails (500): what happened, and Retry. */
export const ServerError: Story = {
  loaders: [loader({ pick: 'invoiced', failure: 'fail' })],
};

/** Nobody signed in. */
export const SignedOut: Story = {
  loaders: [loader({ pick: 'none', signedOut: true })],
};

/** No `order-id` or `order-number` given. */
export const NoOrderChosen: Story = {
  loaders: [loader({ pick: 'none' })],
};

/** Narrower than 600px: lines as cards (a container query, so it works in any narrow box). */
export const Phone: Story = {
  args: { width: '375px' },
};

/** German formatting of dates, numbers and money. */
export const GermanLocale: Story = {
  args: { locale: 'de-DE' },
};

/** Arabic: an invoiced order right to left — timeline, facts, lines and totals (at the left, the line's end). */
export const ArabicRightToLeft: Story = {
  globals: { locale: 'ar' },
};

/** Japanese: the same order in Japanese, with the statuses translated. */
export const Japanese: Story = {
  globals: { locale: 'ja' },
};

/** The dark theme. */
export const DarkTheme: Story = {
  globals: { theme: 'dark' },
};
