/**
 * Bearer tokens for the Dataverse Web API transport.
 *
 * A token provider is any function that returns an access token for the Dataverse organisation
 * (`https://<org>.crm.dynamics.com/.default` scope). The client calls it before every request (providers
 * are expected to cache, as MSAL does) and once more with `forceRefresh: true` after a 401.
 *
 * - Your own sign-in code: `token: () => myAuth.getDataverseToken()` (a host callback).
 * - MSAL in the browser: `token: msalTokenProvider({ clientId, orgUrl })` (see `auth/msal.ts`).
 * - A same-origin proxy that adds the header itself: leave `token` out.
 */
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
