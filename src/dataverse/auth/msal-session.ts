/**
 * The MSAL session behind {@link msalTokenProvider}: loads `@azure/msal-browser`, opens a
 * `PublicClientApplication`, and acquires tokens silently or through the configured interaction.
 *
 * Loaded with a dynamic `import()` by `msal.ts` on the first token request, together with MSAL itself: pages that
 * sign in otherwise (Power Pages, a host's token callback) never download this code.
 *
 * @module
 */
import type * as Msal from '@azure/msal-browser';
import { DataverseError } from '../errors.js';
import { raceAbort } from '../clock.js';
import type { MsalSettings, SignedInAccount } from './msal.js';
import type { TokenRequest } from './token.js';

/** What the provider asks of an open session. */
export interface MsalSession {
  /** An access token: silently, else per the configured interaction (or an `auth` error for `'none'`). */
  token(request: TokenRequest): Promise<string>;
  /** Interactive sign-in (default: redirect when configured so, else popup). */
  signIn(interaction?: 'popup' | 'redirect'): Promise<SignedInAccount | null>;
  signOut(interaction?: 'popup' | 'redirect'): Promise<void>;
  account(): SignedInAccount | null;
}

function describeAccount(account: Msal.AccountInfo | null): SignedInAccount | null {
  return account ? { username: account.username, name: account.name, tenantId: account.tenantId } : null;
}

/** True when MSAL says the user must interact (checked by class and `errorCode`, never by message). */
function needsInteraction(msal: typeof Msal, error: unknown): boolean {
  if (error instanceof msal.InteractionRequiredAuthError) return true;
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  if (typeof code !== 'string') return false;
  const codes = new Set<string>([...Object.values(msal.InteractionRequiredAuthErrorCodes), msal.BrowserAuthErrorCodes.noAccountError]);
  return codes.has(code);
}

/**
 * Loads MSAL, initialises it (cache in `sessionStorage`, never `localStorage`) and completes a redirect sign-in
 * when the page was loaded back from the authority.
 */
export async function openMsalSession(settings: MsalSettings, loginHint: string | undefined): Promise<MsalSession> {
  const msal = await import('@azure/msal-browser');
  const app = new msal.PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      ...(settings.redirectUri ? { redirectUri: settings.redirectUri } : {}),
    },
    cache: { cacheLocation: msal.BrowserCacheLocation.SessionStorage },
  });
  await app.initialize();
  const redirected = await app.handleRedirectPromise();
  if (redirected?.account) app.setActiveAccount(redirected.account);

  const currentAccount = (): Msal.AccountInfo | null => app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null;
  const defaultInteraction = (): 'popup' | 'redirect' => (settings.interaction === 'redirect' ? 'redirect' : 'popup');

  const interact = async (
    interaction: 'popup' | 'redirect',
    account: Msal.AccountInfo | null,
    signal?: AbortSignal,
  ): Promise<Msal.AuthenticationResult | null> => {
    const request = {
      scopes: [...settings.scopes],
      ...(account ? { account } : {}),
      ...(loginHint && !account ? { loginHint } : {}),
    };
    if (interaction === 'popup') {
      const result = await app.acquireTokenPopup(request);
      if (result.account) app.setActiveAccount(result.account);
      return result;
    }
    await app.acquireTokenRedirect(request);
    // The page is navigating to the sign-in page; nothing after this runs for long. Stay pending (unless aborted).
    await raceAbort(new Promise<never>(() => undefined), signal);
    return null;
  };

  return {
    async token(request) {
      const account = currentAccount();
      if (account) {
        try {
          const result = await app.acquireTokenSilent({ scopes: [...settings.scopes], account, forceRefresh: request.forceRefresh });
          return result.accessToken;
        } catch (error) {
          if (!needsInteraction(msal, error)) throw error;
        }
      }
      if (settings.interaction === 'none') {
        throw new DataverseError({
          kind: 'auth',
          code: 'InteractionRequired',
          message: account ? 'The session expired: sign in again' : 'Not signed in: sign in to continue',
        });
      }
      const result = await interact(settings.interaction, account, request.signal);
      if (!result) throw new DataverseError({ kind: 'auth', code: 'InteractionRequired', message: 'Signing in' });
      return result.accessToken;
    },
    async signIn(interaction = defaultInteraction()) {
      const result = await interact(interaction, null);
      return describeAccount(result?.account ?? null);
    },
    async signOut(interaction = defaultInteraction()) {
      const account = currentAccount();
      if (interaction === 'popup') await app.logoutPopup(account ? { account } : undefined);
      else await app.logoutRedirect(account ? { account } : undefined);
    },
    account: () => describeAccount(currentAccount()),
  };
}
