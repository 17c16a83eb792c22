import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import '../src/elements/portal/portal.js';
import '../src/elements/order-list/order-list.js';
import { Emulator, MemoryStore, createEmulatorFetch, generateSeed, lookupIndexes, type SeedUser } from '../src/emulator/index.js';
import { largeCustomer } from '../src/emulator/seed/parties.js';
import { powerPagesRoleNames } from '../src/portal/session-service.js';
import { tables } from '../src/tables/index.js';
import type { WebRole } from '../src/tables/roles.js';

/*
 * Every story runs against the in-browser emulator (Storybook cannot reach the Node one): a smaller seed than the
 * test emulator's, still with one account past Dataverse's 5,000-row count cap. It is generated once per page
 * (a few seconds) in a loader, and each story signs its own user in on its own `fetch` (its own cookie jar).
 */

type SeedKind = 'standard' | 'hostile';

interface StoryEmulator {
  readonly emulator: Emulator;
  readonly users: readonly SeedUser[];
}

const emulators = new Map<SeedKind, Promise<StoryEmulator>>();

/** The shared emulator of a seed kind (`hostile` puts markup, bidi text and 2,000-character strings in the data). */
function storyEmulator(kind: SeedKind): Promise<StoryEmulator> {
  let opened = emulators.get(kind);
  if (!opened) {
    opened = Promise.resolve().then(() => {
      const seed = generateSeed({ orders: 600, largeAccountOrders: 5400, hostile: kind === 'hostile' });
      const store = new MemoryStore({ indexes: lookupIndexes(tables) });
      store.load(seed.tables);
      return { emulator: new Emulator({ store, tables, users: seed.users }), users: seed.users };
    });
    emulators.set(kind, opened);
  }
  return opened;
}

/** Which seeded user a story signs in as. */
interface UserChoice {
  readonly role: WebRole;
  /** The account with the most orders (the large customer), else the first that has the role. */
  readonly large?: boolean;
}

/** What a story's loader prepares: the signed-in user and a `fetch` answered by the emulator. */
interface Loaded {
  readonly user: SeedUser | null;
  readonly fetch: typeof fetch;
}

/** How a story breaks the server, at the network boundary (never inside the library). */
type Failure = 'none' | 'hang' | 'fail';

function withFailure(inner: typeof fetch, failure: Failure): typeof fetch {
  if (failure === 'none') return inner;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.includes('/_api/salesorders')) return inner(input, init);
    if (failure === 'hang') return new Promise<Response>(() => undefined);
    const body = JSON.stringify({ error: { code: '9004010D', message: 'CDSError' } });
    return Promise.resolve(new Response(body, { status: 500, headers: { 'Content-Type': 'application/json' } }));
  };
}

function loader(choice: UserChoice | null, options: { seed?: SeedKind; failure?: Failure } = {}) {
  return async (): Promise<Loaded> => {
    const { emulator, users } = await storyEmulator(options.seed ?? 'standard');
    const emulatorFetch = createEmulatorFetch(emulator, location.origin);
    let user: SeedUser | null = null;
    if (choice) {
      const candidates = users.filter((u) => u.webRoles.includes(choice.role));
      user = (choice.large ? candidates.find((u) => u.accountNumber === largeCustomer.accountNumber) : candidates[0]) ?? null;
      if (user) {
        await emulatorFetch('/emulator/signin', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ user: user.email }),
        });
      }
    }
    return { user, fetch: withFailure(emulatorFetch, options.failure ?? 'none') };
  };
}

/** Attributes of `<scm-order-list>` a story sets (controls come from custom-elements.json). */
interface OrderListArgs {
  pageSize: number;
  status: string;
  search: string;
  sort: string;
  from: string;
  to: string;
  page: number;
  hrefTemplate: string;
  createHref: string;
  liveInterval: number;
  /** Locale of the portal (not an attribute of the list). */
  locale: string;
  /** Width of the box around the list, to show the card layout. */
  width: string;
}

function renderPortal(args: OrderListArgs, loaded: Loaded): TemplateResult {
  const { user } = loaded;
  const roles = user ? ['Authenticated Users', ...user.webRoles.map((role) => powerPagesRoleNames[role])].join(',') : '';
  return html`
    <div style=${args.width ? `max-width:${args.width}` : ''}>
      <scm-portal
        base-url="/_api/"
        auth="power-pages"
        contact-id=${user?.contactId ?? ''}
        account-id=${user?.accountId ?? ''}
        roles=${roles}
        locale=${args.locale}
        .fetch=${loaded.fetch}
      >
        <scm-order-list
          .pageSize=${args.pageSize}
          .status=${args.status}
          .search=${args.search}
          .sort=${args.sort}
          .from=${args.from}
          .to=${args.to}
          .page=${args.page}
          .hrefTemplate=${args.hrefTemplate}
          .createHref=${args.createHref}
          .liveInterval=${args.liveInterval}
        ></scm-order-list>
      </scm-portal>
    </div>
  `;
}

const meta: Meta<OrderListArgs> = {
  title: 'Elements/Order list',
  component: 'scm-order-list',
  args: {
    pageSize: 25,
    status: '',
    search: '',
    sort: '',
    from: '',
    to: '',
    page: 1,
    hrefTemplate: '',
    createHref: '',
    liveInterval: 30,
    // Empty: the language comes from the toolbar (the `lang` around the portal), dates and money with it.
    locale: '',
    width: '',
  },
  loaders: [loader({ role: 'customer-representative' })],
  render: (args, { loaded }) => renderPortal(args, loaded as Loaded),
};
export default meta;

type Story = StoryObj<OrderListArgs>;

/** A customer representative: every order of the account, with who placed it. */
export const Ready: Story = {};

/** An authorized user: their own orders only, no "placed by" column. */
export const AuthorizedUser: Story = {
  loaders: [loader({ role: 'authorized-user' })],
};

/** The large customer: more orders than Dataverse counts ("5,000+"), paged on the server. */
export const ManyRows: Story = {
  args: { pageSize: 50 },
  loaders: [loader({ role: 'customer-representative', large: true })],
};

/** While the first page loads: a skeleton. (The server never answers in this story.) */
export const Loading: Story = {
  loaders: [loader({ role: 'customer-representative' }, { failure: 'hang' })],
};

/** A customer without orders (the house account's administrator), with a link to the order form. */
export const Empty: Story = {
  args: { createHref: '#new-order' },
  loaders: [loader({ role: 'administrator' })],
};

/** A search that finds nothing: distinct from "no orders yet". */
export const NoResults: Story = {
  args: { search: 'no-such-order' },
};

/** The server fails (500): what happened, and Retry. */
export const ServerError: Story = {
  loaders: [loader({ role: 'customer-representative' }, { failure: 'fail' })],
};

/** Nobody signed in. */
export const SignedOut: Story = {
  loaders: [loader(null)],
};

/** Hostile and long customer text: markup, right-to-left and bidi-override text, 2,000-character references. */
export const LongNames: Story = {
  args: { pageSize: 50 },
  loaders: [loader({ role: 'customer-representative', large: true }, { seed: 'hostile' })],
};

/** German formatting of dates, numbers and money. */
export const GermanLocale: Story = {
  args: { locale: 'de-DE' },
  loaders: [loader({ role: 'customer-representative', large: true })],
};

/** Narrower than 600px: cards instead of a table (a container query, so it works in any narrow box). */
export const Phone: Story = {
  args: { width: '375px', pageSize: 10 },
};

/** Deep-linked filters, sort and page, and orders as real links. */
export const DeepLinked: Story = {
  args: { status: 'confirmed,invoiced', sort: '-total', page: 2, pageSize: 10, hrefTemplate: '#/orders/{id}' },
};

/** Arabic: the list's words in Arabic, laid out right to left (search at the right, arrows mirrored). */
export const ArabicRightToLeft: Story = {
  globals: { locale: 'ar' },
};

/** Arabic on a phone: right-to-left cards. */
export const ArabicPhone: Story = {
  args: { width: '375px', pageSize: 10 },
  globals: { locale: 'ar' },
};

/** The dark theme (the page links `themes/dark.css`; `<scm-portal theme="dark">` does the same for one portal). */
export const DarkTheme: Story = {
  globals: { theme: 'dark' },
};
