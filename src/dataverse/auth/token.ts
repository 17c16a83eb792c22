/**
 * Bearer tokens for the Dataverse Web API transport.
 *
 * A token provider is any function that returns an access token for the Dataverse organisation
 * (`https://<org>.crm.dynamics.com/.default` scope). The client calls it before every request (providers
 * are expected to cache, as MSAL does) and with `forceRefresh: true` after a 401 — once per expired token, not
 * once per refused request: requests refused together share one forced refresh ({@link BearerTokens}).
 *
 * - Your own sign-in code: `token: () => myAuth.getDataverseToken()` (a host callback).
 * - MSAL in the browser: `token: msalTokenProvider({ clientId, orgUrl })` (see `auth/msal.ts`).
 * - A same-origin proxy that adds the header itself: leave `token` out.
 */
import { abortReason, raceAbort } from '../clock.js';
import { DataverseError, isAbort } from '../errors.js';

/** What the client tells a token provider. */
export interface TokenRequest {
  /** True after the server answered 401 to the previous token: do not return a cached token. */
  readonly forceRefresh: boolean;
  /** Cancels the token request when the caller's operation is aborted. */
  readonly signal?: AbortSignal;
}

/** Returns an access token (without the `Bearer ` prefix). A plain `() => Promise<string>` fits. */
export type TokenProvider = (request: TokenRequest) => Promise<string>;

/**
 * Calls a provider and checks what it returned. Provider failures become `auth` DataverseErrors (their
 * original error kept as `cause`); aborts pass through unchanged.
 */
export async function obtainToken(provider: TokenProvider, request: TokenRequest): Promise<string> {
  let token: unknown;
  try {
    token = await provider(request);
  } catch (error) {
    if (isAbort(error, request.signal) || error instanceof DataverseError) throw error;
    throw new DataverseError({
      kind: 'auth',
      code: 'TokenUnavailable',
      message: `Could not get an access token: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  if (typeof token !== 'string' || token.trim() === '' || /[\r\n]/.test(token)) {
    throw new DataverseError({ kind: 'auth', code: 'TokenUnavailable', message: 'The token provider returned no usable token' });
  }
  return token.replace(/^Bearer\s+/i, '').trim();
}

/** Most tokens {@link BearerTokens} remembers the age of (older ones count as older than any refresh). */
const REMEMBERED_TOKENS = 32;

/**
 * One client's bearer tokens: plain reads from the provider, and forced refreshes shared by every request that
 * the server refused with the same (or an older) token.
 *
 * When a token expires while several requests are in flight, each of them comes back 401. They must not each
 * force a refresh (an identity provider round trip each, and with MSAL possibly one popup each):
 * - a refresh already under way is joined (single flight);
 * - a request refused with a token older than the last completed refresh takes the refreshed token (a plain
 *   provider call, which returns the provider's cache) instead of forcing another;
 * - only a request refused with the newest token forces a new one.
 *
 * The shared refresh runs with a signal of its own, aborted only when every request waiting for it was aborted,
 * so one cancelled request does not fail the others.
 */
export class BearerTokens {
  readonly #provider: TokenProvider;
  /** Completed forced refreshes. */
  #generation = 0;
  /** The token of the last completed forced refresh. */
  #refreshed: string | undefined;
  /** Token → the number of forced refreshes completed when it was first handed out. */
  readonly #issued = new Map<string, number>();
  #flight: { readonly promise: Promise<string>; readonly controller: AbortController; waiting: number } | undefined;

  constructor(provider: TokenProvider) {
    this.#provider = provider;
  }

  /** The provider's current token (the provider caches). */
  async get(signal?: AbortSignal): Promise<string> {
    const generation = this.#generation;
    const token = await obtainToken(this.#provider, { forceRefresh: false, signal });
    this.#note(token, generation);
    return token;
  }

  /**
   * A token to retry with after the server refused `rejected`: the token of a refresh that happened since
   * `rejected` was handed out, or of a refresh under way, or else of a new forced refresh.
   */
  async refresh(rejected: string | undefined, signal?: AbortSignal): Promise<string> {
    if (this.#flight && !this.#flight.controller.signal.aborted) return this.#join(signal);
    const issued = rejected === undefined ? undefined : this.#issued.get(rejected);
    const refreshedSince = this.#refreshed !== undefined && this.#refreshed !== rejected && (issued === undefined || issued < this.#generation);
    if (refreshedSince) {
      const token = await this.get(signal);
      if (token !== rejected) return token;
      // The provider still hands out the refused token: force a new one after all.
      if (this.#flight && !this.#flight.controller.signal.aborted) return this.#join(signal);
    }
    const controller = new AbortController();
    const promise = obtainToken(this.#provider, { forceRefresh: true, signal: controller.signal }).then(
      (token) => {
        this.#generation += 1;
        this.#refreshed = token;
        this.#note(token, this.#generation);
        return token;
      },
    );
    const flight = { promise, controller, waiting: 0 };
    this.#flight = flight;
    const clear = () => {
      if (this.#flight === flight) this.#flight = undefined;
    };
    promise.then(clear, clear);
    return this.#join(signal);
  }

  #join(signal: AbortSignal | undefined): Promise<string> {
    const flight = this.#flight!;
    flight.waiting += 1;
    if (!signal) return flight.promise;
    const leave = () => {
      flight.waiting -= 1;
      if (flight.waiting === 0) flight.controller.abort(abortReason(signal));
    };
    signal.addEventListener('abort', leave, { once: true });
    const done = () => signal.removeEventListener('abort', leave);
    flight.promise.then(done, done);
    return raceAbort(flight.promise, signal);
  }

  #note(token: string, generation: number): void {
    if (this.#issued.has(token)) return;
    this.#issued.set(token, generation);
    if (this.#issued.size > REMEMBERED_TOKENS) this.#issued.delete(this.#issued.keys().next().value as string);
  }
}
