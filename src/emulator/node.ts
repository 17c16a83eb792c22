/**
 * The emulator for Node (`scm-portal-elements/emulator/node`): open it with persistence, the SCM simulator, fault
 * injection and service protection wired in, and serve it over HTTP.
 *
 * ```ts
 * import { openEmulator, startEmulatorServer } from 'scm-portal-elements/emulator/node';
 *
 * // In-process (tests): a handler answering WHATWG Requests.
 * const { handle, close } = await openEmulator({ persist: false, scmClock: 'manual' });
 * const response = await handle(new Request('http://localhost/emulator/users'));
 * await close();
 *
 * // Over HTTP (integrators, `npm start`): the data survives restarts in `.emulator-data/default`.
 * const server = await startEmulatorServer({ port: 8080 });
 * console.log(server.url);
 * await server.close();
 * ```
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { tables } from '../tables/index.js';
import { Emulator } from './emulator.js';
import { SESSION_COOKIE, readCookie } from './auth.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { lookupIndexes } from './indexes.js';
import { isEmulatorPath, toWebRequest, writeWebResponse, type WebHandler } from './node-http.js';
import { ServiceProtection, type ProtectionLimits } from './protection.js';
import { ScmSimulator, type ScmClockMode, type ScmMove } from './scm.js';
import { SEED_VERSION, generateSeed, type SeedOptions } from './seed/index.js';
import type { EmulatorStore } from './store.js';
import { MemoryStore } from './store/memory.js';
import { SqliteStore } from './store/sqlite.js';
import type { SeedUser } from './types.js';

// Everything of the browser-safe entry (`scm-portal-elements/emulator`), plus the Node-only parts below.
export * from './index.js';
export { isEmulatorPath, toWebRequest, writeWebResponse, connectMiddleware, koaMiddleware, type WebHandler } from './node-http.js';
export { SqliteStore, DATABASE_FILE, type SqliteStoreOptions } from './store/sqlite.js';

/** Options of {@link openEmulator}. */
export interface OpenEmulatorOptions {
  /**
   * The data folder of a persistent emulator. Default: the `EMULATOR_DATA` environment variable, else
   * `.emulator-data/default` under the current directory (git-ignored).
   */
  readonly dataDir?: string;
  /** Throw the stored data away and seed again. */
  readonly reset?: boolean;
  /** Seed options (the default seed has 30,000 orders, 25,000 of them for one large account). */
  readonly seed?: SeedOptions;
  /** `demo` (default): the simulated SCM moves new orders one status every few seconds; `manual`: only on request. */
  readonly scmClock?: ScmClockMode;
  /** Time between SCM steps in `demo` mode (default 4 s). */
  readonly scmIntervalMs?: number;
  /** Keep the data in SQLite in {@link OpenEmulatorOptions.dataDir} (default `true`); `false`: memory only. */
  readonly persist?: boolean;
  /** Faults to switch on from the start (see `POST /emulator/faults`). */
  readonly faults?: FaultSettings;
  /** Service protection limits (see `POST /emulator/limits`). */
  readonly limits?: Partial<ProtectionLimits>;
  /** The emulator's clock. Default: the system clock. */
  readonly now?: () => Date;
  /** Progress messages while opening (seeding takes a few seconds). */
  readonly onProgress?: (message: string) => void;
  /** Called after each demo-clock tick of the simulated SCM that moved orders (for logging). */
  readonly onScmMove?: (moves: readonly ScmMove[]) => void;
}

/** How opening went. */
export interface OpenStats {
  /** Whether the data was (re)generated, and why. */
  readonly seeded: false | 'new' | 'reset' | 'seed-changed';
  /** Generating the seed, in milliseconds (0 when not seeded). */
  readonly seedMs: number;
  /** Writing the seed to SQLite, in milliseconds (0 when not seeded or not persistent). */
  readonly writeMs: number;
  /** Loading stored data from SQLite, in milliseconds (0 when seeded or not persistent). */
  readonly loadMs: number;
  /** Total time of {@link openEmulator}. */
  readonly totalMs: number;
  /** Rows in the store. */
  readonly rows: number;
}

/** An open emulator. */
export interface OpenedEmulator {
  /** The core: tables, store, permissions, auth, `process()`, `write()`. */
  readonly emulator: Emulator;
  /** Answers a WHATWG `Request` (faults, limits, SCM controls and the emulator); never throws. */
  readonly handle: WebHandler;
  readonly store: EmulatorStore;
  /** The people who can sign in. */
  readonly users: readonly SeedUser[];
  /** The simulated SCM (clock, `advance`). */
  readonly scm: ScmSimulator;
  readonly faults: FaultInjector;
  readonly protection: ServiceProtection;
  /** The data folder (absolute), or `undefined` when not persistent. */
  readonly dataDir: string | undefined;
  readonly stats: OpenStats;
  /** The signed-in user of a request: its Power Pages session cookie or its bearer token. */
  userOf(request: Request): SeedUser | undefined;
  /** Stops the SCM clock and closes the database; the process can then exit. Idempotent. */
  close(): Promise<void>;
}

/** The data folder used when none is given. */
export function defaultDataDir(name = 'default'): string {
  return resolve(process.env.EMULATOR_DATA ?? join('.emulator-data', name));
}

const META_SEED_VERSION = 'seedVersion';
const META_SEED_OPTIONS = 'seedOptions';
const META_USERS = 'users';
const META_SCM = 'scmInFlight';

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

/**
 * Opens the emulator: loads the data folder (or seeds it on first use, after `reset`, or when the seed generator
 * changed), and wires the simulated SCM, fault injection and service protection around the core.
 */
export async function openEmulator(options: OpenEmulatorOptions = {}): Promise<OpenedEmulator> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  const persist = options.persist ?? true;
  const seedOptions = options.seed ?? {};
  const seedKey = JSON.stringify(seedOptions);
  const indexes = lookupIndexes(tables);

  let store: EmulatorStore;
  let sqlite: SqliteStore | undefined;
  let users: readonly SeedUser[];
  let seeded: OpenStats['seeded'] = false;
  let seedMs = 0;
  let writeMs = 0;
  let loadMs = 0;

  const generate = () => {
    const orders = (seedOptions.orders ?? 5000) + (seedOptions.largeAccountOrders ?? 25000);
    progress(`Generating seed data (${orders.toLocaleString('en-US')} orders)…`);
    const t = performance.now();
    const seed = generateSeed(seedOptions);
    seedMs = elapsed(t);
    const rows = Object.values(seed.tables).reduce((n, r) => n + r.length, 0);
    progress(`Seed generated: ${rows.toLocaleString('en-US')} rows in ${(seedMs / 1000).toFixed(1)} s.`);
    return seed;
  };

  if (persist) {
    const dataDir = resolve(options.dataDir ?? defaultDataDir());
    if (options.reset) SqliteStore.destroy(dataDir);
    let t = performance.now();
    sqlite = SqliteStore.open({ dataDir, indexes });
    const storedVersion = sqlite.getMeta(META_SEED_VERSION);
    const stale = !sqlite.isEmpty && (storedVersion !== String(SEED_VERSION) || sqlite.getMeta(META_SEED_OPTIONS) !== seedKey);
    if (stale) {
      progress(`The data in ${dataDir} comes from another seed (version ${storedVersion}); seeding again.`);
      sqlite.close();
      SqliteStore.destroy(dataDir);
      sqlite = SqliteStore.open({ dataDir, indexes });
    }
    if (sqlite.isEmpty) {
      seeded = options.reset ? 'reset' : stale ? 'seed-changed' : 'new';
      const seed = generate();
      progress(`Writing the seed to ${dataDir}…`);
      t = performance.now();
      sqlite.seed(seed.tables, {
        [META_SEED_VERSION]: String(SEED_VERSION),
        [META_SEED_OPTIONS]: seedKey,
        [META_USERS]: JSON.stringify(seed.users),
      });
      writeMs = elapsed(t);
      progress(`Seed written in ${(writeMs / 1000).toFixed(1)} s.`);
      users = seed.users;
    } else {
      loadMs = elapsed(t);
      users = JSON.parse(sqlite.getMeta(META_USERS) ?? '[]') as SeedUser[];
      progress(`Loaded the data folder ${dataDir} in ${(loadMs / 1000).toFixed(1)} s.`);
    }
    store = sqlite;
  } else {
    const memory = new MemoryStore({ indexes });
    const seed = generate();
    memory.load(seed.tables);
    seeded = 'new';
    users = seed.users;
    store = memory;
  }

  const emulator = new Emulator({ store, tables, users, now: options.now });
  const faults = new FaultInjector();
  if (options.faults) faults.configure(options.faults);
  const protection = new ServiceProtection(options.limits, { userOf: (request) => emulator.identify(request).user?.email });
  const scm = new ScmSimulator(emulator, {
    mode: options.scmClock ?? 'demo',
    intervalMs: options.scmIntervalMs,
    onMove: options.onScmMove,
    state: sqlite
      ? {
        load: () => JSON.parse(sqlite!.getMeta(META_SCM) ?? '[]') as string[],
        save: (ids) => sqlite!.setMeta(META_SCM, JSON.stringify(ids)),
      }
      : undefined,
  });
  // Outermost first. Service protection sees every request the "server" receives, and the time injected latency
  // adds counts as execution time and keeps requests concurrent, as a slow server would. Control endpoints
  // (/emulator/…) pass through both untouched.
  emulator.use(protection.middleware).use(faults.middleware).use(scm.middleware);

  let closed = false;
  const rows = Object.keys(tables).reduce((n, table) => n + store.count(table), 0);
  return {
    emulator,
    handle: (request) => emulator.handle(request),
    store,
    users,
    scm,
    faults,
    protection,
    dataDir: sqlite?.dataDir,
    stats: { seeded, seedMs, writeMs, loadMs, totalMs: elapsed(started), rows },
    userOf(request) {
      const session = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
      const fromSession = emulator.auth.sessionUser(session);
      if (fromSession) return fromSession;
      const bearer = emulator.auth.bearerUser(request.headers.get('authorization'));
      return 'user' in bearer ? bearer.user : undefined;
    },
    async close() {
      if (closed) return;
      closed = true;
      scm.close();
      sqlite?.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

/**
 * A `node:http` request listener for a WHATWG handler. A response the emulator marks as a network failure (a
 * lost response from fault injection: `Response.error()`) destroys the connection, so the client sees a network
 * error after the write was committed.
 */
export function nodeHandler(handle: WebHandler) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    try {
      await writeWebResponse(res, await handle(toWebRequest(req, origin)));
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`Emulator error: ${error instanceof Error ? error.message : String(error)}`);
      } else {
        res.destroy();
      }
    }
  };
}

/** Options of {@link startEmulatorServer}: where to listen, and how to open the emulator. */
export interface EmulatorServerOptions extends OpenEmulatorOptions {
  /** Port; 0 picks a free one. Default: `PORT` environment variable, else 8080. */
  readonly port?: number;
  /** Interface to listen on. Default `localhost`. */
  readonly host?: string;
  /** An emulator opened already (then `close()` leaves it open). */
  readonly opened?: OpenedEmulator;
  /** Requests outside the emulator's paths (static files, pages). Default: 404. */
  readonly fallback?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/** A running emulator server. */
export interface EmulatorServer {
  /** `http://localhost:<port>` */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly opened: OpenedEmulator;
  /** Stops listening, drops open connections, and closes the emulator if this server opened it. */
  close(): Promise<void>;
}

/** Serves the emulator over HTTP (`/api/data/v9.2/`, `/_api/`, `/_layout/tokenhtml`, `/emulator/…`). */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const opened = options.opened ?? (await openEmulator(options));
  const emulatorListener = nodeHandler(opened.handle);
  const fallback = options.fallback ?? ((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found: the emulator answers /api/data/v9.2/, /_api/, /_layout/tokenhtml and /emulator/.');
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (isEmulatorPath(path)) void emulatorListener(req, res);
    else void Promise.resolve(fallback(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    });
  });
  // Keep idle connections longer than clients do (undici: 4 s), so a client never sends on a socket the server is
  // closing at that moment (ECONNRESET under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = options.port ?? Number(process.env.PORT ?? 8080);
  const host = options.host ?? 'localhost';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    server,
    opened,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      if (!options.opened) await opened.close();
    },
  };
}
