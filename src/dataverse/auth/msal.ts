/**
 * Sign-in with Microsoft Entra ID through `@azure/msal-browser` (v5), for sites outside Power Pages.
 *
 * `@azure/msal-browser` is large, so it is imported only with a dynamic `import()` the first time a token is
 * needed (by `msal-session.ts`, itself loaded then): bundles (and pages) that never use this provider never load
 * it. This module holds only the option checks and a small provider that opens the session on first use.
 *
 * Setup (Azure portal): an app registration of type *single-page application*, with the delegated API
 * permission *Dynamics CRM → user_impersonation*, and a redirect URI on your site. With MSAL v5 the
 * redirect URI page must hand the answer back to the opener: serve a small page that runs
 * `import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge'; broadcastResponseToMainFrame();`
 * (popup and silent flows both need it).
 *
 * ```ts
 * const token = msalTokenProvider({ clientId: '…', orgUrl: 'https://contoso.crm.dynamics.com', interaction: 'popup' });
 * const client = createDataverseClient({ transport: 'dataverse', url: 'https://contoso.crm.dynamics.com/api/data/v9.2/', token });
 * signInButton.onclick = () => token.signIn();   // from a click, popups are not blocked
 * ```
 *
 * Testing note: acquiring a real token needs a tenant and a browser that can reach login.microsoftonline.com;
 * the browser tests cover configuration checks, lazy loading and the "no account yet" path only.
 */
import { clientError } from '../errors.js';
import { raceAbort } from '../clock.js';
import type { MsalSession } from './msal-session.js';
import type { TokenProvider, TokenRequest } from './token.js';

/** How to ask the user to sign in when a token cannot be had silently. */
export type MsalInteraction = 'popup' | 'redirect' | 'none';

/** Options of {@link msalTokenProvider}. */
export interface MsalTokenProviderOptions {
  /** Application (client) ID of the single-page-application registration (a GUID). */
  readonly clientId: string;
  /** The Dataverse organisation, `https://contoso.crm.dynamics.com`; the scope is `<origin>/.default`. */
  readonly orgUrl: string;
  /** Authority (default `https://login.microsoftonline.com/organizations`; use your tenant for single-tenant apps). */
  readonly authority?: string;
  /** Redirect URI registered for the app (default: MSAL's, the current page). */
  readonly redirectUri?: string;
  /**
   * When silent acquisition needs the user (`InteractionRequiredAuthError`, or no signed-in account yet):
   * `'redirect'` (default; navigates away and back, never blocked), `'popup'` (keeps the page, but browsers
   * block popups not started by a click), or `'none'` (throw an `auth` DataverseError with code
   * `InteractionRequired`, so the page can show a sign-in button that calls `signIn()`).
   */
  readonly interaction?: MsalInteraction;
  /** Pre-fills the account name on the sign-in page. */
  readonly loginHint?: string;
}

/** The account MSAL signed in. */
export interface SignedInAccount {
  readonly username: string;
  readonly name: string | undefined;
  readonly tenantId: string;
}

/** A {@link TokenProvider} backed by MSAL, with explicit sign-in and sign-out. */
export interface MsalTokenProvider extends TokenProvider {
  /** Signs in interactively (call it from a click handler when using popups). */
  signIn(options?: { readonly interaction?: 'popup' | 'redirect' }): Promise<SignedInAccount | null>;
  /** Signs the current account out (popup or redirect, like `signIn`). */
  signOut(options?: { readonly interaction?: 'popup' | 'redirect' }): Promise<void>;
  /** The signed-in account, or `null`. Loads MSAL when it is not loaded yet. */
  account(): Promise<SignedInAccount | null>;
}

function httpsUrl(value: unknown, what: string): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.hostname !== 'localhost')) {
    throw clientError('InvalidConfiguration', `${what} must be an absolute https URL, got ${JSON.stringify(value)}`);
  }
  return url;
}

/** Validates the options (synchronously, without loading MSAL) and returns the resolved settings. */
export function checkMsalOptions(options: MsalTokenProviderOptions): {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly authority: string;
  readonly redirectUri: string | undefined;
  readonly interaction: MsalInteraction;
} {
  if (!options || typeof options !== 'object') throw clientError('InvalidConfiguration', 'msalTokenProvider needs options');
  const { clientId } = options;
  if (typeof clientId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) {
    throw clientError('InvalidConfiguration', `clientId must be the application (client) ID GUID, got ${JSON.stringify(clientId)}`);
  }
  const org = httpsUrl(options.orgUrl, 'orgUrl');
  const authority = httpsUrl(options.authority ?? 'https://login.microsoftonline.com/organizations', 'authority');
  const redirectUri = options.redirectUri === undefined ? undefined : httpsUrl(options.redirectUri, 'redirectUri').href;
  const interaction = options.interaction ?? 'redirect';
  if (interaction !== 'popup' && interaction !== 'redirect' && interaction !== 'none') {
    throw clientError('InvalidConfiguration', `interaction must be 'popup', 'redirect' or 'none', got ${JSON.stringify(interaction)}`);
  }
  return {
    clientId,
    scopes: [`${org.origin}/.default`],
    authority: authority.href.replace(/\/$/, ''),
    redirectUri,
    interaction,
  };
}

/** The settings {@link checkMsalOptions} resolves (what the MSAL session is opened with). */
export type MsalSettings = ReturnType<typeof checkMsalOptions>;

/**
 * A token provider that signs in with MSAL (cache in `sessionStorage`, never `localStorage`), acquires
 * tokens silently, and falls back to the configured interaction. Options are checked immediately; MSAL — and
 * the code that drives it, in `msal-session.ts` — is loaded on the first token request (or `signIn`,
 * `signOut`, `account`), so a page that never needs a token never downloads either.
 */
export function msalTokenProvider(options: MsalTokenProviderOptions): MsalTokenProvider {
  const settings = checkMsalOptions(options);
  let opening: Promise<MsalSession> | undefined;

  const open = (): Promise<MsalSession> => {
    opening ??= import('./msal-session.js')
      .then(({ openMsalSession }) => openMsalSession(settings, options.loginHint))
      .catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
    return opening;
  };

  const provider = (async (request: TokenRequest): Promise<string> => (await raceAbort(open(), request.signal)).token(request)) as MsalTokenProvider;
  provider.signIn = async (signInOptions) => (await open()).signIn(signInOptions?.interaction);
  provider.signOut = async (signOutOptions) => (await open()).signOut(signOutOptions?.interaction);
  provider.account = async () => (await open()).account();
  return provider;
}
