/**
 * The emulator a reliability test talks to, and the browser "tabs" (lanes) it opens on it.
 *
 * - **shared**: the run's emulator behind the test server, over real HTTP (dropped connections, real latency).
 *   Used when the run is exclusive (`npm run test:reliability`): faults and limits switched on it reach no other
 *   test file.
 * - **private**: the same emulator code running in the page (`createEmulatorFetch`), with the fault injector and
 *   service protection wired as `openEmulator` wires them. Used under `npm test`, where element tests share the
 *   run's emulator: a 30 % fault rate there would fail their requests too. Every fault, limit and write of these
 *   tests then stays in the page.
 *
 * Both answer the same control endpoints (`/emulator/faults`, `/emulator/limits`, `/emulator/signin`,
 * `/emulator/token`, `/emulator/rotate-token`), so a test is written once.
 *
 * A **lane** is what one browser tab of one user would have: a `fetch` (with its own cookie jar on the private
 * emulator) and, for bearer-token lanes, a token provider. On the shared emulator the page has one cookie jar, so
 * only one Power Pages user is signed in at a time; other lanes use bearer tokens (`auth="token"`).
 *
 * @module
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import '../../../src/elements/portal/portal.js';
import type { ScmPortal } from '../../../src/elements/portal/portal.js';
import type { TokenProvider } from '../../../src/dataverse/auth/token.js';
import { Emulator, MemoryStore, createEmulatorFetch, generateSeed, lookupIndexes, type SeedData, type SeedOptions } from '../../../src/emulator/index.js';
import { FaultInjector, type FaultCounters, type FaultSettings } from '../../../src/emulator/faults.js';
import { ServiceProtection, type ProtectionLimits, type UserUsage } from '../../../src/emulator/protection.js';
import { powerPagesRoleNames } from '../../../src/portal/session-service.js';
import { tables } from '../../../src/tables/index.js';
import type { WebRole } from '../../../src/tables/roles.js';
import type { RunSettings } from './settings.js';

type Json = Record<string, unknown>;

/** A person who can sign in (as `GET /emulator/users` lists them). */
export interface EmulatorUser {
  readonly email: string;
  readonly fullName: string;
  readonly contactId: string;
  readonly accountId: string;
  readonly accountNumber: string;
  readonly webRoles: readonly WebRole[];
}

/** How a lane signs in. */
export type LaneAuth = 'power-pages' | 'token';

/** One browser tab of one user. */
export interface Lane {
  readonly user: EmulatorUser;
  readonly auth: LaneAuth;
  /** The network of this tab. */
  readonly fetch: typeof fetch;
  /** Bearer lanes: the token provider the portal calls. */
  readonly tokenProvider?: TokenProvider;
  /** Bearer lanes: how often the provider was called (with and without `forceRefresh`), how many tokens it got, the last one. */
  readonly tokenCalls?: { plain: number; forced: number; issued: number; current?: string };
}

/** Options of a bearer lane. */
export interface TokenLaneOptions {
  /** Lifetime of each token the provider gets (`expires_in`, seconds). Default: the emulator's (an hour). */
  readonly expiresIn?: number;
}

/** Options of {@link createPrivateTarget}. */
export interface PrivateTargetOptions {
  readonly seed?: SeedOptions;
  /** Changes the generated rows before they are loaded (test data of a test's own). */
  readonly prepare?: (seed: SeedData) => void;
}

/** The emulator under test. */
export interface Target {
  readonly kind: 'shared' | 'private';
  /** The people who can sign in. */
  users(): Promise<EmulatorUser[]>;
  /** Calls a control endpoint (`/emulator/…`); throws unless it answers 2xx. */
  control<T = Json>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Switches faults on (`POST /emulator/faults`) or off (`null`: `DELETE`). */
  faults(settings: FaultSettings | null): Promise<void>;
  /** What the fault injector did since it was last configured. */
  faultStats(): Promise<FaultCounters & { readonly seed: number }>;
  /** Lowers (or raises) service-protection limits (`POST /emulator/limits`). */
  limits(limits: Partial<ProtectionLimits>): Promise<void>;
  /** Restores Dataverse's limits and forgets usage (`DELETE /emulator/limits`). */
  resetLimits(): Promise<void>;
  /** Usage per user as service protection counts it. */
  limitUsage(): Promise<UserUsage[]>;
  /** A signed-in Power Pages tab of `user` (on the shared emulator: the page's one session). */
  powerPagesLane(user: EmulatorUser): Promise<Lane>;
  /** A bearer-token tab of `user` (`auth="token"`, `/api/data/v9.2/`). */
  tokenLane(user: EmulatorUser, options?: TokenLaneOptions): Lane;
  /** The Dataverse Web API as the seeded administrator (global read): the truth tests compare against. */
  readonly admin: AdminApi;
  /** A plain `fetch` on this emulator without credentials of its own (for `/emulator/…` and direct probes). */
  readonly rawFetch: typeof fetch;
}

/** Reads and writes as the administrator, with plain `fetch` and OData written out by hand (test code). */
export interface AdminApi {
  get<T = Json>(path: string): Promise<T>;
  /** Every row of a collection query, following `@odata.nextLink`. */
  getAll<T = Json>(path: string): Promise<T[]>;
  /** The exact number of rows matching a filter (`$apply=filter(…)/aggregate($count as n)`). */
  count(entitySet: string, filter: string): Promise<number>;
  /** A raw request as the administrator (for writes that set up data). */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

function normaliseUser(raw: Json): EmulatorUser {
  return {
    email: String(raw.email),
    fullName: String(raw.fullName ?? ''),
    contactId: String(raw.contactId).toLowerCase(),
    accountId: String(raw.accountId).toLowerCase(),
    accountNumber: String(raw.accountNumber ?? ''),
    webRoles: (raw.webRoles as WebRole[]) ?? [],
  };
}

/** The `roles` attribute Liquid writes for a user (`{{ user.roles | join: ',' }}`). */
export function liquidRolesOf(user: EmulatorUser): string {
  return ['Authenticated Users', ...user.webRoles.map((role) => powerPagesRoleNames[role])].join(',');
}

function makeTarget(kind: 'shared' | 'private', rawFetch: typeof fetch, newJar: () => typeof fetch): Target {
  let userList: Promise<EmulatorUser[]> | undefined;
  let adminToken: Promise<string> | undefined;

  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await rawFetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };

  const users = () => {
    userList ??= control<{ value: Json[] }>('GET', '/emulator/users').then((body) => body.value.map(normaliseUser));
    return userList;
  };

  const issueToken = async (email: string, expiresIn?: number): Promise<string> => {
    const body = await control<{ access_token: string }>('POST', '/emulator/token', expiresIn ? { user: email, expires_in: expiresIn } : { user: email });
    return body.access_token;
  };

  const adminBearer = () => {
    adminToken ??= users().then((list) => {
      const admin = list.find((u) => u.webRoles.includes('administrator'));
      if (!admin) throw new Error('The seed has no administrator');
      return issueToken(admin.email);
    });
    return adminToken;
  };

  const admin: AdminApi = {
    async send(method, path, body, headers = {}) {
      return rawFetch(`/api/data/v9.2/${path}`, {
        method,
        headers: {
          Accept: 'application/json',
          'OData-Version': '4.0',
          'OData-MaxVersion': '4.0',
          Authorization: `Bearer ${await adminBearer()}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    },
    async get<T>(path: string) {
      const response = await admin.send('GET', path, undefined, { Prefer: 'odata.maxpagesize=5000' });
      if (!response.ok) throw new Error(`GET ${path} (administrator) answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
    async getAll<T>(path: string) {
      const rows: T[] = [];
      let next: string | undefined = path;
      while (next) {
        const body: Json = await admin.get<Json>(next);
        rows.push(...((body.value as T[]) ?? []));
        const link = body['@odata.nextLink'];
        next = typeof link === 'string' ? link.replace(/^.*?\/api\/data\/v9\.2\//, '') : undefined;
      }
      return rows;
    },
    async count(entitySet, filter) {
      // Not `$count=true`: Dataverse caps `@odata.count` at 5,000, and a contact of the seed's large account has
      // more orders than that (a difference of two capped counts is 0). An aggregate counts exactly.
      const body = await admin.get<{ value: Json[] }>(`${entitySet}?$apply=${encodeURIComponent(`filter(${filter})/aggregate($count as n)`)}`);
      return Number(body.value[0]?.n ?? 0);
    },
  };

  return {
    kind,
    rawFetch,
    users,
    control: control as Target['control'],
    async faults(settings) {
      if (settings) await control('POST', '/emulator/faults', settings);
      else await control('DELETE', '/emulator/faults');
    },
    async faultStats() {
      const body = await control<{ stats: FaultCounters; settings: { seed: number } }>('GET', '/emulator/faults');
      return { ...body.stats, seed: body.settings.seed };
    },
    async limits(limits) {
      await control('POST', '/emulator/limits', limits);
    },
    async resetLimits() {
      await control('DELETE', '/emulator/limits');
    },
    async limitUsage() {
      return (await control<{ usage: UserUsage[] }>('GET', '/emulator/limits')).usage;
    },
    async powerPagesLane(user) {
      const laneFetch = newJar();
      const response = await laneFetch('/emulator/signin', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: user.email }),
      });
      if (!response.ok) throw new Error(`sign-in of ${user.email} answered ${response.status}`);
      return { user, auth: 'power-pages', fetch: laneFetch };
    },
    tokenLane(user, options = {}) {
      const calls: { plain: number; forced: number; issued: number; current?: string } = { plain: 0, forced: 0, issued: 0 };
      // A host's provider as the client expects one: cached, a new token only when asked to force a refresh.
      const tokenProvider: TokenProvider = async ({ forceRefresh }) => {
        if (forceRefresh) calls.forced++;
        else calls.plain++;
        if (calls.current && !forceRefresh) return calls.current;
        calls.current = await issueToken(user.email, options.expiresIn);
        calls.issued++;
        return calls.current;
      };
      return { user, auth: 'token', fetch: rawFetch, tokenProvider, tokenCalls: calls };
    },
    admin,
  };
}

/** The run's emulator behind the test server (real HTTP). The page has one cookie jar: one Power Pages user at a time. */
export function sharedTarget(): Target {
  const pageFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
  return makeTarget('shared', pageFetch, () => pageFetch);
}

/**
 * An emulator of this page's own: the generated seed (small by default), the fault injector and service
 * protection in front of it as `openEmulator` wires them.
 */
export function createPrivateTarget(options: PrivateTargetOptions = {}): Target & { readonly emulator: Emulator; readonly seed: SeedData } {
  const seed = generateSeed({ orders: 1500, largeAccountOrders: 1500, ...options.seed });
  options.prepare?.(seed);
  const store = new MemoryStore({ indexes: lookupIndexes(tables) });
  store.load(seed.tables);
  const emulator = new Emulator({ store, tables, users: seed.users });
  const faults = new FaultInjector();
  const protection = new ServiceProtection({}, { userOf: (request) => emulator.identify(request).user?.email });
  emulator.use(protection.middleware).use(faults.middleware);
  // Control calls and bearer lanes: no cookies. Power Pages lanes: a jar each, as separate browser tabs would.
  const rawFetch = createEmulatorFetch(emulator, location.origin, { cookies: false });
  const target = makeTarget('private', rawFetch, () => createEmulatorFetch(emulator, location.origin));
  return Object.assign(target, { emulator, seed });
}

/** The shared emulator when the run is exclusive, else a private one (see the module comment). */
export function targetFor(settings: RunSettings, options: PrivateTargetOptions = {}): Target {
  return settings.exclusive ? sharedTarget() : createPrivateTarget(options);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** What {@link renderPortal} rendered. */
export interface RenderedPortal<T extends Element = Element> {
  readonly portal: ScmPortal;
  /** The first element inside the portal. */
  readonly element: T;
}

/** Options of {@link renderPortal} and {@link renderPortals}. */
export interface RenderOptions {
  /**
   * Keep the portals across tests (for a `before` hook): rendered outside `@open-wc/testing`'s fixture, whose
   * automatic cleanup after each test would disconnect them. Remove them with {@link disposePortals}.
   */
  readonly persistent?: boolean;
}

/**
 * Renders `<scm-portal>` for a lane around `inner`: `auth="power-pages"` on `/_api/` (contact, account and roles
 * as Liquid writes them) or `auth="token"` on `/api/data/v9.2/`. `fetch` defaults to the lane's (pass a recorder
 * wrapping it). Waits until the session has loaded.
 */
export async function renderPortal<T extends Element = Element>(
  lane: Lane,
  inner: TemplateResult,
  options: RenderOptions & { readonly fetch?: typeof fetch } = {},
): Promise<RenderedPortal<T>> {
  const [rendered] = await renderPortals<T>([{ lane, inner, fetch: options.fetch }], options);
  return rendered!;
}

const persistentBoxes = new Set<HTMLElement>();

/** Renders several portals side by side (one per lane) and waits until every session has loaded. */
export async function renderPortals<T extends Element = Element>(
  entries: readonly { readonly lane: Lane; readonly inner: TemplateResult; readonly fetch?: typeof fetch }[],
  options: RenderOptions = {},
): Promise<RenderedPortal<T>[]> {
  const template = html`<div>${entries.map((e) => portalTemplate(e.lane, e.inner, e.fetch))}</div>`;
  let box: HTMLElement;
  if (options.persistent) {
    const host = document.createElement('div');
    document.body.append(host);
    render(template, host);
    box = host.firstElementChild as HTMLElement;
    persistentBoxes.add(host);
  } else {
    box = await fixture<HTMLDivElement>(template);
  }
  const portals = [...box.children] as ScmPortal[];
  await waitUntil(() => portals.every((p) => p.status !== 'loading'), 'a portal session did not load', { timeout: 120000 });
  return portals.map((portal) => ({ portal, element: portal.firstElementChild as T }));
}

/** Removes the portals rendered with `persistent: true`. */
export function disposePortals(): void {
  for (const host of persistentBoxes) host.remove();
  persistentBoxes.clear();
}

/** The `<scm-portal>` template of a lane (for rendering many at once). */
export function portalTemplate(lane: Lane, inner: TemplateResult, fetchImpl?: typeof fetch): TemplateResult {
  const powerPages = lane.auth === 'power-pages';
  return html`<scm-portal
    base-url=${powerPages ? '/_api/' : '/api/data/v9.2/'}
    auth=${lane.auth}
    contact-id=${lane.user.contactId}
    account-id=${lane.user.accountId}
    roles=${liquidRolesOf(lane.user)}
    .fetch=${fetchImpl ?? lane.fetch}
    .tokenProvider=${lane.tokenProvider}
    >${inner}</scm-portal
  >`;
}
