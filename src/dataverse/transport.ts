/**
 * The HTTP pipeline under the client: one place that sets the OData headers, adds credentials, maps
 * failures to {@link DataverseError}, renews credentials once, and retries what may safely be retried.
 *
 * ## Retry policy (and why)
 * - **429 Too Many Requests** (service protection) is retried for every method, POST included: Dataverse
 *   evaluates its service-protection limits *before* executing a request, so a 429 means nothing was
 *   executed and sending it again cannot create a duplicate. The wait is the server's `Retry-After`
 *   (honoured exactly, as Microsoft asks); without one, exponential back-off with full jitter. While a
 *   `Retry-After` is running, every other request of the same client waits too (Microsoft's advice: do not
 *   keep sending while throttled).
 * - **502/503/504 and network failures** are retried only for idempotent requests: GET, DELETE, a PATCH
 *   that carries `If-Match` (update of an existing row) or `If-None-Match: *` (safe create). A plain POST
 *   is never retried on these: the server may have executed it before the answer was lost. (Use
 *   `createSafely` when a create must survive lost answers.)
 * - Everything happens within a total time budget (default 60 s) and a maximum number of attempts; when the
 *   next wait would exceed the budget the last error is thrown at once (with `retryAfterMs` for 429, so a
 *   user interface can say "busy, try again in N s").
 * - Aborts are never retried or wrapped, and an abort during a back-off wait ends the wait at once.
 * - A 401 (Dataverse) gets one fresh token (`forceRefresh: true`) and one retry; a Power Pages 401/403 with
 *   code 90040107 (anti-forgery) gets one fresh anti-forgery token and one retry. Requests refused with the
 *   same token share one renewal (one forced refresh, one token page load), not one each.
 */
import { abortReason, type Clock } from './clock.js';
import { DataverseError, errorFromResponse, isAbort, parseRetryAfter, POWER_PAGES_ANTI_FORGERY } from './errors.js';
import { BearerTokens, type TokenProvider } from './auth/token.js';
import type { AntiForgeryToken } from './auth/power-pages.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One request, fully resolved. */
export interface HttpRequest {
  readonly method: HttpMethod;
  /** Absolute URL (must be on the transport's origin). */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body text (JSON unless a Content-Type header says otherwise). */
  readonly body?: string;
  /** Safe to send twice (decides retries after 5xx gateway errors and network failures). */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal;
  /** Return these non-2xx responses as they are instead of throwing (a failed `$batch` still has a multipart body). */
  readonly passThrough?: (response: Response) => boolean;
}

/** The answer: a 2xx/304 response (or a passed-through one), and how many attempts it took. */
export interface HttpResult {
  readonly response: Response;
  readonly attempts: number;
}

/** Retry limits. */
export interface RetryOptions {
  /** Most HTTP attempts per call, first one included (default 5). */
  readonly maxAttempts?: number;
  /** Total time a call may spend, waits included, in ms (default 60 000). */
  readonly budgetMs?: number;
  /** Back-off base: the first retry waits up to this long (default 500 ms), doubling each time. */
  readonly baseDelayMs?: number;
  /** Longest single back-off wait without a Retry-After (default 30 000 ms). */
  readonly maxDelayMs?: number;
}

/** Adds credentials to requests and says when a refusal deserves one renewed credential. */
export interface Authenticator {
  /**
   * Adds credential headers. `renew` is true on the single retry after the server refused `rejected`.
   * Returns the credential used (so it can be reported as rejected), or `undefined`.
   */
  apply(headers: Headers, options: { renew: boolean; rejected?: string; signal?: AbortSignal }): Promise<string | undefined>;
  /** True when `error` means the credential was refused and a renewed one may succeed. */
  shouldRenew(error: DataverseError): boolean;
}

/**
 * Bearer tokens from a provider (Dataverse). Without a provider, no header is added (a proxy adds it).
 * Requests refused together share one forced refresh (see {@link BearerTokens}).
 */
export function bearerAuthenticator(provider: TokenProvider | undefined): Authenticator {
  const tokens = provider ? new BearerTokens(provider) : undefined;
  return {
    async apply(headers, { renew, rejected, signal }) {
      if (!tokens) return undefined;
      const token = renew ? await tokens.refresh(rejected, signal) : await tokens.get(signal);
      headers.set('Authorization', `Bearer ${token}`);
      return token;
    },
    shouldRenew: (error) => provider !== undefined && error.status === 401,
  };
}

/** The Power Pages anti-forgery header (the session cookie travels by itself). */
export function antiForgeryAuthenticator(token: AntiForgeryToken): Authenticator {
  return {
    async apply(headers, { renew, rejected, signal }) {
      const value = renew && rejected !== undefined ? await token.refresh(rejected, signal) : await token.get(signal);
      headers.set('__RequestVerificationToken', value);
      return value;
    },
    shouldRenew: (error) => (error.status === 401 || error.status === 403) && error.code === POWER_PAGES_ANTI_FORGERY,
  };
}

/** Everything the pipeline needs. */
export interface PipelineConfig {
  readonly flavor: 'dataverse' | 'power-pages';
  /** Base URL of the API, ending with `/`. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetryOptions;
  readonly authenticator: Authenticator;
}

/** Longest URL Dataverse accepts on a GET. */
export const MAX_URL_LENGTH = 32_768;

const CONDITIONAL_HEADERS = ['if-none-match', 'if-match', 'if-modified-since', 'if-unmodified-since'];
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** Sends requests with the OData headers, credentials, error mapping and the retry policy above. */
export class HttpPipeline {
  readonly flavor: 'dataverse' | 'power-pages';
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly #config: PipelineConfig;
  readonly #origin: string;
  /** While the server's Retry-After runs, no request of this client is sent (clock time). */
  #throttledUntil = 0;

  constructor(config: PipelineConfig) {
    this.#config = config;
    this.flavor = config.flavor;
    this.baseUrl = config.baseUrl;
    this.clock = config.clock;
    this.#origin = new URL(config.baseUrl).origin;
  }

  /** Sends `request`; resolves with a 2xx/304 response or throws a {@link DataverseError} (aborts pass through). */
  async send(request: HttpRequest): Promise<HttpResult> {
    const { clock } = this.#config;
    const maxAttempts = Math.max(1, this.#config.retry.maxAttempts ?? 5);
    const budgetMs = this.#config.retry.budgetMs ?? 60_000;
    const failed = { method: request.method, url: request.url };
    const { signal } = request;

    const target = new URL(request.url);
    if (target.origin !== this.#origin) {
      throw new DataverseError({
        kind: 'validation',
        code: 'ForeignOrigin',
        message: `Refusing to send a request to ${target.origin}: this client talks to ${this.#origin} only`,
        request: failed,
      });
    }
    if (request.method === 'GET' && request.url.length > MAX_URL_LENGTH) {
      throw new DataverseError({
        kind: 'validation',
        code: 'UrlTooLong',
        message: `The request URL has ${request.url.length} characters; Dataverse accepts at most ${MAX_URL_LENGTH}. Narrow the filter or select.`,
        request: failed,
      });
    }

    const started = clock.now();
    let attempts = 0;
    let retries = 0;
    let renewed = false;
    let renewNext = false;
    let rejected: string | undefined;

    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      // Respect a Retry-After another request of this client received (no await, so no extra tick, when none runs).
      if (this.#throttledUntil > clock.now()) await this.#throttleGate(started, budgetMs, failed, attempts, signal);

      attempts += 1;
      const headers = this.#headersFor(request);
      const credential = await this.#config.authenticator.apply(headers, { renew: renewNext, rejected, signal });
      renewNext = false;
      // A 429 may have come in while the credential was fetched.
      if (this.#throttledUntil > clock.now()) await this.#throttleGate(started, budgetMs, failed, attempts - 1, signal);

      let error: DataverseError;
      let waitMs: number | undefined;
      try {
        const response = await this.#config.fetch(request.url, {
          method: request.method,
          headers,
          body: request.body,
          signal,
          credentials: 'same-origin',
        });
        if (response.ok || response.status === 304 || request.passThrough?.(response)) return { response, attempts };
        error = await errorFromResponse(response, failed);
        waitMs = parseRetryAfter(response.headers.get('Retry-After'));
      } catch (thrown) {
        if (isAbort(thrown, signal)) throw thrown;
        if (thrown instanceof DataverseError) throw thrown;
        error = new DataverseError({
          kind: 'network',
          message: `No answer from the server (${thrown instanceof Error ? thrown.message : String(thrown)})`,
          request: failed,
          cause: thrown,
        });
      }

      // One renewed credential, one more attempt.
      if (!renewed && this.#config.authenticator.shouldRenew(error)) {
        renewed = true;
        renewNext = true;
        rejected = credential;
        continue;
      }

      const throttled = error.kind === 'throttled';
      // The server's "wait R s" holds every request of this client, even when this one gives up now.
      if (throttled && waitMs !== undefined) this.#throttledUntil = Math.max(this.#throttledUntil, clock.now() + waitMs);
      const retryable =
        throttled || (request.idempotent && (error.kind === 'network' || GATEWAY_STATUSES.has(error.status)));
      if (!retryable || attempts >= maxAttempts) throw error.with({ attempts });

      const delay = waitMs ?? this.#backoff(retries);
      if (clock.now() - started + delay > budgetMs) throw error.with({ attempts });
      retries += 1;
      if (throttled && waitMs !== undefined) continue; // the throttle gate at the top of the loop waits
      await clock.sleep(delay, signal);
    }
  }

  /**
   * Waits while a `Retry-After` of this client runs: one shared "not before" time per client, which every 429
   * with `Retry-After` can only move later. The time is read again after each wait, so a longer `Retry-After`
   * that arrived meanwhile (another request's 429, answered later) is waited out too. Throws `throttled` at once
   * when the wait would not fit in the call's time budget.
   */
  async #throttleGate(started: number, budgetMs: number, failed: { method: HttpMethod; url: string }, attempts: number, signal?: AbortSignal): Promise<void> {
    const { clock } = this.#config;
    for (let wait = this.#throttledUntil - clock.now(); wait > 0; wait = this.#throttledUntil - clock.now()) {
      if (clock.now() - started + wait > budgetMs) {
        throw new DataverseError({
          kind: 'throttled',
          status: 429,
          message: 'The server asked this client to wait longer than the time budget allows',
          retryAfterMs: wait,
          request: failed,
          attempts,
        });
      }
      await clock.sleep(wait, signal);
    }
  }

  /** Exponential back-off with full jitter: a random wait in [0, min(max, base·2^retry)). */
  #backoff(retry: number): number {
    const base = this.#config.retry.baseDelayMs ?? 500;
    const cap = this.#config.retry.maxDelayMs ?? 30_000;
    return Math.floor(this.#config.random() * Math.min(cap, base * 2 ** retry));
  }

  #headersFor(request: HttpRequest): Headers {
    const headers = new Headers({
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
    });
    if (this.flavor === 'power-pages') {
      // Makes ASP.NET answer an expired session with 401 JSON instead of a redirect to the sign-in page.
      headers.set('X-Requested-With', 'XMLHttpRequest');
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    if (request.method === 'GET' && !CONDITIONAL_HEADERS.some((name) => headers.has(name))) {
      // Defeats browser caching of responses (notably of expanded collections).
      headers.set('If-None-Match', 'null');
    }
    if (request.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    return headers;
  }
}
