/**
 * Browser-test helpers for elements that live inside `<scm-portal>`: sign in to the emulator mounted on the test
 * server's origin, render an element inside a provider for a seeded user, count requests, and read the
 * emulator's API directly to compute expectations.
 *
 * Everything here talks to the real emulator over HTTP (no mocks). The emulator is shared by every test file of
 * a run, so pick your own user (see {@link pickUser}) and never assume counts another file may change.
 *
 * @example
 * ```ts
 * import { expect, html } from '@open-wc/testing';
 * import { countingFetch, pickUser, portalFixture } from '../../../test/support/portal.js';
 * import './order-list.js';
 *
 * it('shows the orders of a customer representative', async () => {
 *   const rep = await pickUser({ role: 'customer-representative' });
 *   const counter = countingFetch();
 *   const { portal, element } = await portalFixture<ScmOrderList>(html`<scm-order-list></scm-order-list>`, {
 *     user: rep,
 *     fetch: counter,
 *   });
 *   expect(portal.status).to.equal('ready');
 *   await waitUntil(() => element.shadowRoot!.querySelector('table'));
 *   expect(counter.count(isApiRequest)).to.be.at.most(2);
 *   await expect(element).to.be.accessible();
 * });
 * ```
 *
 * @module
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import '../../src/elements/portal/portal.js';
import type { ScmPortal } from '../../src/elements/portal/portal.js';
import { parseWebRoles, powerPagesRoleNames } from '../../src/portal/session-service.js';
import type { WebRole } from '../../src/tables/roles.js';
import type { TokenProvider } from '../../src/dataverse/auth/token.js';

// ---------------------------------------------------------------------------------------------------------------
// Users and sign-in
// ---------------------------------------------------------------------------------------------------------------

/** A seeded user of the emulator, as `GET /emulator/users` lists them (normalised). */
export interface PortalUser {
  readonly email: string;
  readonly name: string;
  /** The contact row of the user (`{{ user.id }}`). */
  readonly contactId: string;
  /** The customer account (`{{ user.parentcustomerid.id }}`). */
  readonly accountId: string;
  readonly accountNumber: string;
  readonly roles: readonly WebRole[];
}

type Json = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Accepts the emulator's user shape (`webRoles`, `fullName`, …) and a few spellings of it. */
function normaliseUser(raw: Json): PortalUser {
  const roleSource = raw.webRoles ?? raw.roles ?? raw.webRole ?? raw.role;
  const roles = Array.isArray(roleSource) ? parseWebRoles(roleSource.map(String)) : parseWebRoles(text(roleSource));
  return {
    email: text(raw.email),
    name: text(raw.fullName ?? raw.name ?? raw.fullname),
    contactId: text(raw.contactId ?? raw.contactid).toLowerCase(),
    accountId: text(raw.accountId ?? raw.accountid).toLowerCase(),
    accountNumber: text(raw.accountNumber ?? raw.accountnumber),
    roles,
  };
}

let cachedUsers: Promise<PortalUser[]> | undefined;

/** The seeded users (`GET /emulator/users`), cached for the test file. */
export function users(): Promise<PortalUser[]> {
  cachedUsers ??= (async () => {
    const response = await fetch('/emulator/users', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET /emulator/users answered ${response.status}: is the emulator mounted?`);
    const body = (await response.json()) as unknown;
    // The emulator answers `{ "value": [ { email, fullName, contactId, accountId, accountNumber, webRoles } ] }`.
    const list = Array.isArray(body) ? body : Array.isArray((body as Json)?.value) ? ((body as Json).value as unknown[]) : [];
    return list.map((entry) => normaliseUser(entry as Json));
  })();
  cachedUsers.catch(() => (cachedUsers = undefined));
  return cachedUsers;
}

/** What {@link pickUser} looks for. */
export interface UserCriteria {
  /** The user has this web role. */
  readonly role?: WebRole;
  /** The user's account number (`US-004`). */
  readonly accountNumber?: string;
  /** Any other condition. */
  readonly where?: (user: PortalUser) => boolean;
  /** Take the n-th match (0-based, default 0): lets two test files pick different users of the same role. */
  readonly index?: number;
}

/** A seeded user matching `criteria`; throws when there is none (the seed changed). */
export async function pickUser(criteria: UserCriteria = {}): Promise<PortalUser> {
  const matches = (await users()).filter(
    (user) =>
      (!criteria.role || user.roles.includes(criteria.role)) &&
      (!criteria.accountNumber || user.accountNumber === criteria.accountNumber) &&
      (!criteria.where || criteria.where(user)),
  );
  const user = matches[criteria.index ?? 0];
  if (!user) throw new Error(`No seeded user matches ${JSON.stringify({ ...criteria, where: undefined })}`);
  return user;
}

async function resolveUser(user: string | PortalUser): Promise<PortalUser> {
  if (typeof user !== 'string') return user;
  const found = (await users()).find((u) => u.email.toLowerCase() === user.toLowerCase());
  if (!found) throw new Error(`No seeded user ${user}`);
  return found;
}

/**
 * Signs in to the emulator's Power Pages side as `user` (`POST /emulator/signin`): the session cookie is set
 * for this page's browser context, as a Power Pages sign-in would.
 */
export async function signIn(user: string | PortalUser): Promise<PortalUser> {
  const resolved = await resolveUser(user);
  const response = await fetch('/emulator/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: resolved.email }),
  });
  if (!response.ok) throw new Error(`POST /emulator/signin answered ${response.status}: ${await response.text()}`);
  return resolved;
}

/** Ends the Power Pages session (`POST /emulator/signout`); afterwards `/_api` answers 401. */
export async function signOut(): Promise<void> {
  const response = await fetch('/emulator/signout', { method: 'POST' });
  if (!response.ok) {
    throw new Error(`POST /emulator/signout answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * A Dataverse bearer-token provider for `user` (`POST /emulator/token`), for `auth="token"` portals. The token
 * lives in this closure only (never in storage); `forceRefresh` asks for a new one.
 */
export function tokenProviderFor(user: string | PortalUser): TokenProvider {
  let token: string | undefined;
  return async ({ forceRefresh }) => {
    if (token && !forceRefresh) return token;
    const email = typeof user === 'string' ? user : user.email;
    const response = await fetch('/emulator/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: email }),
    });
    if (!response.ok) throw new Error(`POST /emulator/token answered ${response.status}`);
    token = String(((await response.json()) as Json).access_token);
    return token;
  };
}

/** The `roles` attribute Liquid would write for `user` (`{{ user.roles | join: ',' }}`). */
export function liquidRoles(user: PortalUser): string {
  return ['Authenticated Users', ...user.roles.map((role) => powerPagesRoleNames[role])].join(',');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the emulator directly (to compute expectations without our client or domain code)
// ---------------------------------------------------------------------------------------------------------------

/**
 * `GET /_api/<path>` with plain `fetch`, as the signed-in Power Pages user (anti-forgery token read from
 * `/_layout/tokenhtml`). Pass a path with its query already written, e.g.
 * `` `salesorders?$select=totalamount&$filter=_customerid_value eq ${id}` `` (test code: fixed names and GUIDs).
 */
export async function apiGet<T = Json>(path: string, options: { prefer?: string } = {}): Promise<T> {
  const page = await fetch('/_layout/tokenhtml', { cache: 'no-store' });
  const token = /value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`/_api/${path}`, {
    headers: {
      Accept: 'application/json',
      'OData-Version': '4.0',
      'OData-MaxVersion': '4.0',
      __RequestVerificationToken: token,
      ...(options.prefer ? { Prefer: options.prefer } : {}),
    },
  });
  if (!response.ok) throw new Error(`GET /_api/${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every row of a `/_api` collection query, following `@odata.nextLink`. */
export async function apiGetAll<T = Json>(path: string): Promise<T[]> {
  const rows: T[] = [];
  let next: string | undefined = path;
  while (next) {
    const body: Json = await apiGet<Json>(next, { prefer: 'odata.maxpagesize=5000' });
    rows.push(...((body.value as T[]) ?? []));
    const link = body['@odata.nextLink'];
    next = typeof link === 'string' ? link.replace(/^.*?\/_api\//, '') : undefined;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Counting requests
// ---------------------------------------------------------------------------------------------------------------

/** One request seen by a {@link countingFetch}. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
}

/** A `fetch` that delegates to the real one and remembers every request. */
export interface CountingFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Every request so far, in order. */
  readonly requests: readonly SeenRequest[];
  /** How many requests so far (all, or those matching `filter`: a URL substring, a RegExp or a predicate). */
  count(filter?: string | RegExp | ((request: SeenRequest) => boolean)): number;
  /** Forgets the requests seen so far. */
  reset(): void;
}

/** True for Web API calls (`/_api/…`, `/api/data/…`), false for the token page and everything else. */
export function isApiRequest(request: SeenRequest): boolean {
  const path = new URL(request.url, location.href).pathname;
  return path.startsWith('/_api/') || path.startsWith('/api/data/');
}

/**
 * A `fetch` for `<scm-portal>`'s `fetch` property that counts requests while delegating to the real `fetch`
 * (counting, not faking: the emulator answers every request).
 */
export function countingFetch(delegate: typeof fetch = (input, init) => globalThis.fetch(input, init)): CountingFetch {
  const seen: SeenRequest[] = [];
  const counting = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    seen.push({ method, url: new URL(url, location.href).href });
    return delegate(input, init);
  }) as CountingFetch;
  Object.defineProperty(counting, 'requests', { get: () => seen.slice() });
  counting.count = (filter) => {
    if (filter === undefined) return seen.length;
    const test =
      typeof filter === 'string'
        ? (r: SeenRequest) => r.url.includes(filter)
        : filter instanceof RegExp
          ? (r: SeenRequest) => filter.test(r.url)
          : filter;
    return seen.filter(test).length;
  };
  counting.reset = () => {
    seen.length = 0;
  };
  return counting;
}

/** A `fetch` that holds matching requests until {@link HeldFetch.release} is called, then sends them for real. */
export interface HeldFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Lets the held requests (and every later one) through. */
  release(): void;
  /** How many requests are waiting. */
  readonly waiting: number;
}

/**
 * Holds Web API requests (by default) so a test can look at a loading state for as long as it likes, then
 * {@link HeldFetch.release}s them to the real server. An abort while held rejects as `fetch` would.
 */
export function heldFetch(
  match: (request: SeenRequest) => boolean = isApiRequest,
  delegate: typeof fetch = (input, init) => globalThis.fetch(input, init),
): HeldFetch {
  let released = false;
  let waiting = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const held = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href).href;
    if (!released && match({ method: init?.method ?? 'GET', url })) {
      waiting += 1;
      const signal = init?.signal;
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError')), { once: true });
      }).finally(() => (waiting -= 1));
    }
    return delegate(input, init);
  }) as HeldFetch;
  held.release = () => {
    released = true;
    open();
  };
  Object.defineProperty(held, 'waiting', { get: () => waiting });
  return held;
}

/**
 * A `fetch` on which matching requests fail the way a dropped connection does (a `TypeError`, no HTTP answer) for
 * the first `times` matches, and reach the real server afterwards. For error states and Retry: nothing of the
 * library is replaced, only the network answer of those requests.
 */
export function droppingFetch(
  match: RegExp,
  times = Number.POSITIVE_INFINITY,
  delegate: typeof fetch = (input, init) => globalThis.fetch(input, init),
): typeof fetch & { readonly dropped: number } {
  let dropped = 0;
  const dropping = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (match.test(url) && dropped < times) {
      dropped += 1;
      throw new TypeError('Failed to fetch');
    }
    return delegate(input, init);
  }) as typeof fetch & { readonly dropped: number };
  Object.defineProperty(dropping, 'dropped', { get: () => dropped });
  return dropping;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link portalFixture}. */
export interface PortalFixtureOptions {
  /**
   * Who is signed in: a seeded user (or email). Default: the first authorized user. `null` renders the portal
   * signed out (no session cookie, no `contact-id`), as Liquid writes it for an anonymous visitor.
   */
  readonly user?: string | PortalUser | null;
  /** `power-pages` (default; session cookie, `/_api/`) or `token` (bearer token, `/api/data/v9.2/`). */
  readonly auth?: 'power-pages' | 'token';
  /** The `roles` attribute; default what Liquid writes for the user. */
  readonly roles?: string;
  /** The `locale` attribute; default none (the portal takes the page's language). */
  readonly locale?: string;
  /** The portal's `fetch` (e.g. a {@link countingFetch}). */
  readonly fetch?: typeof fetch;
  /** Wait until the session is no longer loading (default true). */
  readonly waitForSession?: boolean;
}

/** What {@link portalFixture} rendered. */
export interface PortalFixture<T extends Element> {
  readonly portal: ScmPortal;
  /** The first element inside the portal (the element under test). */
  readonly element: T;
  /** The signed-in user, or `null` when rendered signed out. */
  readonly user: PortalUser | null;
}

/**
 * Signs in (or out) and renders `<scm-portal base-url="/_api/" auth="power-pages" contact-id=… account-id=…
 * roles=…>` around `inner`, then waits until the session has loaded (status no longer `loading`).
 *
 * `inner` is a Lit template (`html\`<scm-order-list page-size="10"></scm-order-list>\``) or fixed markup text.
 */
export async function portalFixture<T extends Element = Element>(
  inner: TemplateResult | string,
  options: PortalFixtureOptions = {},
): Promise<PortalFixture<T>> {
  const auth = options.auth ?? 'power-pages';
  let user: PortalUser | null = null;
  if (options.user === null) {
    if (auth === 'power-pages') await signOut();
  } else {
    user = await resolveUser(options.user ?? (await pickUser({ role: 'authorized-user' })));
    if (auth === 'power-pages') await signIn(user);
  }
  const content = typeof inner === 'string' ? unsafeHTML(inner) : inner;
  const portal = await fixture<ScmPortal>(html`
    <scm-portal
      base-url=${auth === 'power-pages' ? '/_api/' : '/api/data/v9.2/'}
      auth=${auth}
      contact-id=${user?.contactId ?? ''}
      account-id=${user?.accountId ?? ''}
      roles=${options.roles ?? (user ? liquidRoles(user) : '')}
      locale=${options.locale ?? ''}
      .fetch=${options.fetch}
      .tokenProvider=${auth === 'token' && user ? tokenProviderFor(user) : undefined}
      >${content}</scm-portal
    >
  `);
  if (options.waitForSession !== false) {
    await waitUntil(() => portal.status !== 'loading', 'the portal session did not load', { timeout: 15000 });
  }
  return { portal, element: portal.firstElementChild as T, user };
}
