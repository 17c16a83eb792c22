/**
 * A scripted HTTP peer for browser tests of the Dataverse client: a `fetch` that records every request and
 * answers with real `Response` objects shaped like the examples in Microsoft's documentation
 * (`OData-EntityId`, `@odata.nextLink` with `$skiptoken`, `$deletedEntity`, `Retry-After`, Power Pages error
 * JSON, multipart `$batch` answers…). It is a fake *server*, not a mock of our code: the real client runs
 * end to end, headers and bodies included.
 *
 * ```ts
 * const server = new ScriptedServer('https://contoso.crm.dynamics.com');
 * server.on('GET', '/api/data/v9.2/salesorders', () => server.collection([{ name: 'A' }]));
 * const client = createDataverseClient({ transport: 'dataverse', url: `${server.origin}/api/data/v9.2/`, fetch: server.fetch });
 * ```
 */
import type { Clock } from '../../../src/dataverse/clock.js';
import type { DataverseError } from '../../../src/dataverse/errors.js';

/** A request as the server saw it. */
export class RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string | null;
  readonly signal: AbortSignal | undefined;
  readonly credentials: RequestCredentials | undefined;

  constructor(method: string, url: URL, headers: Headers, body: string | null, init: RequestInit | undefined) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.body = body;
    this.signal = init?.signal ?? undefined;
    this.credentials = init?.credentials;
  }

  header(name: string): string | null {
    return this.headers.get(name);
  }

  /** A query option, decoded the way a server decodes it (URLSearchParams: `+` would become a space). */
  option(name: string): string | null {
    return this.url.searchParams.get(name);
  }

  json<T = Record<string, unknown>>(): T {
    return JSON.parse(this.body ?? 'null') as T;
  }

  /** `pathname + search` exactly as sent (still encoded). */
  get rawPath(): string {
    return this.url.pathname + this.url.search;
  }
}

/** Answers one request (may throw, like a network failure, or never settle, like a hung connection). */
export type Responder = (request: RecordedRequest) => Response | Promise<Response>;

type PathMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

interface ScriptEntry {
  readonly method: string;
  readonly path: PathMatcher;
  readonly respond: Responder;
  remaining: number;
}

const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

/** The scripted peer. Scripted answers are used in order; each answers `times` requests (default once). */
export class ScriptedServer {
  readonly origin: string;
  readonly requests: RecordedRequest[] = [];
  /** Requests nothing in the script matched (answered 500 `Unscripted`). */
  readonly unexpected: RecordedRequest[] = [];
  private readonly script: ScriptEntry[] = [];

  constructor(origin = 'https://contoso.crm.dynamics.com') {
    this.origin = origin;
  }

  /** Scripts an answer for `method` + `path` (exact pathname, a RegExp on `pathname + search`, or a predicate). */
  on(method: string, path: PathMatcher, respond: Responder, options: { times?: number } = {}): this {
    this.script.push({ method: method.toUpperCase(), path, respond, remaining: options.times ?? 1 });
    return this;
  }

  /** Like `on`, for any number of requests. */
  always(method: string, path: PathMatcher, respond: Responder): this {
    return this.on(method, path, respond, { times: Number.POSITIVE_INFINITY });
  }

  /** Requests with this method (and path, when given). */
  sent(method?: string, path?: string): RecordedRequest[] {
    return this.requests.filter((r) => (!method || r.method === method) && (!path || r.url.pathname === path));
  }

  /** The `fetch` to inject into the client. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input), this.origin);
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers ?? request?.headers);
    const body = typeof init?.body === 'string' ? init.body : init?.body == null ? null : String(init.body);
    const recorded = new RecordedRequest(method, url, headers, body, init);
    this.requests.push(recorded);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;

    const entry = this.script.find((e) => e.remaining > 0 && e.method === method && matches(e.path, recorded));
    if (!entry) {
      this.unexpected.push(recorded);
      return this.error(500, 'Unscripted', `No scripted answer for ${method} ${recorded.rawPath}`);
    }
    entry.remaining -= 1;
    // Like a real fetch, an abort during the exchange rejects with the signal's reason.
    const answer = Promise.resolve().then(() => entry.respond(recorded));
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  };

  // ----- answers shaped like Microsoft's examples ---------------------------------------------------------

  /** A JSON answer (`OData-Version: 4.0`, the Content-Type Dataverse sends). */
  json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', ...headers },
    });
  }

  /** A collection: `{ "@odata.context", "value", "@odata.nextLink"?, "@odata.count"?, … }`. */
  collection(rows: unknown[], extra: Record<string, unknown> = {}, entitySet = 'salesorders'): Response {
    return this.json({ '@odata.context': `${this.origin}/api/data/v9.2/$metadata#${entitySet}`, value: rows, ...extra });
  }

  /** A 204 No Content. */
  noContent(headers: Record<string, string> = {}): Response {
    return new Response(null, { status: 204, headers: { 'OData-Version': '4.0', ...headers } });
  }

  /** A Dataverse create answer: 204 with `OData-EntityId` (and `Location`). */
  created(entitySet: string, id: string, base = `${this.origin}/api/data/v9.2/`): Response {
    const entityUrl = `${base}${entitySet}(${id})`;
    return this.noContent({ 'OData-EntityId': entityUrl, Location: entityUrl });
  }

  /** An error in the `{"error":{"code","message"}}` shape (Power Pages adds fields such as `cdscode`). */
  error(status: number, code: string, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Response {
    return this.json({ error: { code, message, ...extra } }, status, headers);
  }

  /** Service protection: 429 with `Retry-After` (seconds) and code 0x80072322. */
  throttled(retryAfterSeconds?: number): Response {
    return this.error(
      429,
      '0x80072322',
      'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
    );
  }

  /** A multipart/mixed answer (for `$batch`), with the given boundary and raw body. */
  multipart(boundary: string, body: string, status = 200): Response {
    return new Response(body, {
      status,
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}`, 'OData-Version': '4.0' },
    });
  }
}

function matches(path: PathMatcher, request: RecordedRequest): boolean {
  if (typeof path === 'string') return request.url.pathname === path;
  if (path instanceof RegExp) return path.test(request.rawPath);
  return path(request);
}

/** What `fetch` throws when there is no answer at all (offline, connection reset). */
export function networkFailure(): never {
  throw new TypeError('Failed to fetch');
}

/** A responder that never answers (until the request is aborted). */
export function hang(): Promise<Response> {
  return new Promise<Response>(() => undefined);
}

/**
 * A clock for tests: `sleep` records the wait, moves time forward and resolves at once — unless `holdSleeps`
 * is set, in which case sleeps wait until `release()` (or their signal aborts).
 */
export class VirtualClock implements Clock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  holdSleeps = false;
  private held: Array<() => void> = [];
  /** Resolves when a sleep starts (to abort "during" a back-off). */
  private waiters: Array<() => void> = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    for (const notify of this.waiters.splice(0)) notify();
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const done = () => {
        this.time += ms;
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.holdSleeps) this.held.push(done);
      else queueMicrotask(done);
    });
  }

  /** Resolves when the next sleep starts. */
  nextSleep(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Ends the held sleeps. */
  release(): void {
    for (const done of this.held.splice(0)) done();
  }
}

/** A fixed "random" source for back-off jitter. */
export const halfRandom = (): number => 0.5;

/** For `promise.then(resolvedUnexpectedly, …)`: a call that should have failed but succeeded fails the test. */
export function resolvedUnexpectedly(value: unknown): never {
  throw new Error(`expected a failure, but the call succeeded with ${JSON.stringify(value)?.slice(0, 200)}`);
}

/** For `promise.then(resolvedUnexpectedly, asDataverseError)`: the rejection, typed (checked by the test's assertions). */
export function asDataverseError(error: unknown): DataverseError {
  return error as DataverseError;
}
