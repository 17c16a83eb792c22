/**
 * Stories run in Storybook, which cannot reach the Node emulator: they use the same emulator in the browser
 * (`createEmulatorFetch`), seeded with a smaller data set, and give its `fetch` to `<scm-portal>`.
 *
 * ```ts
 * export const Ready: Story = {
 *   loaders: [async () => ({ portal: await storyPortal({ role: 'authorized-user' }) })],
 *   render: (_args, { loaded }) => html`<scm-portal base-url="/_api/" auth="power-pages"
 *     contact-id=${loaded.portal.user.contactId} roles=${loaded.portal.roles} .fetch=${loaded.portal.fetch}>…</scm-portal>`,
 * };
 * ```
 */
import {
  Emulator,
  MemoryStore,
  ScmSimulator,
  createEmulatorFetch,
  generateSeed,
  lookupIndexes,
} from '../../src/emulator/index.js';
import type { SeedUser, WebRole } from '../../src/emulator/types.js';
import { tables } from '../../src/tables/index.js';
import { powerPagesRoleNames } from '../../src/portal/session-service.js';

/** Which emulator: the normal story seed, or one with hostile text (markup, bidi, 2,000-character lines). */
export interface StoryEmulatorOptions {
  readonly hostile?: boolean;
  /**
   * Run the simulated SCM behind dual-write on its demo clock: a new order gets its SCM number and moves
   * Active → Confirmed → Picked → Delivered → Invoiced, one step every few seconds, as in `npm start`.
   */
  readonly scm?: boolean;
}

/** How often the stories' simulated SCM moves each order on (the demo's pace). */
export const STORY_SCM_INTERVAL_MS = 4000;

const emulators = new Map<string, Promise<{ emulator: Emulator; users: readonly SeedUser[] }>>();

/** One emulator per kind, seeded once per Storybook tab (a small seed: about a second). */
export function storyEmulator(options: StoryEmulatorOptions = {}): Promise<{ emulator: Emulator; users: readonly SeedUser[] }> {
  const key = options.hostile ? 'hostile' : options.scm ? 'scm' : 'normal';
  let opened = emulators.get(key);
  if (!opened) {
    opened = Promise.resolve().then(() => {
      // 1,500 orders on the large account: enough for counts in the thousands.
      const seed = generateSeed({ orders: 600, largeAccountOrders: 1500, hostile: options.hostile === true });
      const store = new MemoryStore({ indexes: lookupIndexes(tables) });
      store.load(seed.tables);
      const emulator = new Emulator({ store, tables, users: seed.users });
      if (options.scm) {
        const scm = new ScmSimulator(emulator, { mode: 'demo', intervalMs: STORY_SCM_INTERVAL_MS });
        emulator.use(scm.middleware);
      }
      return { emulator, users: seed.users };
    });
    emulators.set(key, opened);
  }
  return opened;
}

/** Who to sign in. */
export interface StoryUserCriteria extends StoryEmulatorOptions {
  readonly role?: WebRole;
  readonly accountNumber?: string;
  /** Take the n-th match. */
  readonly index?: number;
}

/** A signed-in portal for a story: the user, the roles as Liquid writes them, and a `fetch` with the session. */
export interface StoryPortal {
  readonly user: SeedUser;
  readonly roles: string;
  readonly fetch: typeof fetch;
}

/** Signs a seeded user in to an in-browser emulator and returns what `<scm-portal>` needs. */
export async function storyPortal(criteria: StoryUserCriteria = {}): Promise<StoryPortal> {
  const { emulator, users } = await storyEmulator(criteria);
  const matches = users.filter(
    (u) => (!criteria.role || u.webRoles.includes(criteria.role)) && (!criteria.accountNumber || u.accountNumber === criteria.accountNumber),
  );
  const user = matches[criteria.index ?? 0];
  if (!user) throw new Error(`No seeded user matches ${JSON.stringify(criteria)}`);
  const fetch = createEmulatorFetch(emulator, location.origin);
  const response = await fetch('/emulator/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: user.email }),
  });
  if (!response.ok) throw new Error(`Signing in ${user.email} failed: ${response.status}`);
  return {
    user,
    roles: ['Authenticated Users', ...user.webRoles.map((role) => powerPagesRoleNames[role])].join(','),
    fetch,
  };
}

/** A `fetch` whose Web API requests never answer (a story of the loading state). */
export function neverAnsweringFetch(delegate: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!/\/_api\//.test(url)) return delegate(input, init);
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true });
    });
  };
}

/**
 * A `fetch` answering matching requests the way a failing Power Pages site does (500, CDSError `9004010D`), for
 * the error stories; other requests reach the emulator.
 */
export function failingFetch(delegate: typeof fetch, match: RegExp): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!match.test(url)) return delegate(input, init);
    return new Response(JSON.stringify({ error: { code: '9004010D', message: 'The service is temporarily unavailable.' } }), {
      status: 500,
      headers: { 'Content-Type': 'application/json' },
    });
  };
}
