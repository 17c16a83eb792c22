import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { portalContext, type PortalProblem, type PortalState, type PortalStatus } from '../../context/portal-context.js';
import { createDataverseClient, type DataverseClient } from '../../dataverse/client.js';
import { msalTokenProvider, type MsalTokenProvider } from '../../dataverse/auth/msal.js';
import type { TokenProvider } from '../../dataverse/auth/token.js';
import { isAbort } from '../../dataverse/errors.js';
import { isGuid } from '../../dataverse/guid.js';
import { sessionChangeEvent } from '../../events.js';
import type { PortalSession } from '../../portal/session.js';
import { loadSession, parseWebRoles, permissionToGrant, SessionError } from '../../portal/session-service.js';
import { isRightToLeft, useUiLocale, type UiLocale } from '../../internal/localize.js';
import { portalThemeStyles } from '../../themes/index.js';
import { portalStyles } from './portal.styles.js';

/** How `<scm-portal>` signs in to the server. */
export type PortalAuth = 'power-pages' | 'msal' | 'token' | 'none';

const AUTH_MODES: readonly PortalAuth[] = ['power-pages', 'msal', 'token', 'none'];

/** The portals on the page: the interface language is theirs while there is one. */
const connectedPortals = new Set<ScmPortal>();

/** The colour theme `<scm-portal theme>` applies to the elements inside it. */
export type PortalTheme = 'light' | 'dark' | 'auto';

/**
 * A problem's text, made when it is shown: the sentences are in the interface language of that moment, and are
 * made again when the language changes.
 */
type ProblemText = () => PortalProblem;

/** The resolved connection, or why there is none. */
type Connection =
  | { readonly client: DataverseClient; readonly msal?: MsalTokenProvider; readonly problem?: undefined }
  | { readonly client?: undefined; readonly msal?: undefined; readonly problem: ProblemText };

/** Properties that decide which client is built. */
const CONNECTION_PROPERTIES = ['baseUrl', 'auth', 'clientId', 'authority', 'redirectUri', 'tokenProvider', 'fetch'] as const;

/**
 * The locale to format with: the given one when valid, else the language of the page around the portal (the
 * nearest `lang`), else the browser's.
 */
function resolveLocale(requested: string, pageLanguage: string): string {
  const candidates = [requested, pageLanguage, navigator.language, 'en-US'];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(candidate);
      if (canonical) return canonical;
    } catch {
      // Not a BCP 47 tag: try the next source.
    }
  }
  return 'en-US';
}

/**
 * The provider every portal element lives in. It connects to Dataverse or Power Pages, loads the signed-in
 * customer's session once (contact, account, company, currency, price list, language, web roles) and shares the
 * client, the session and the formatting locale with the elements inside it through `@lit/context`.
 *
 * On Power Pages, Liquid writes the signed-in user into the markup:
 * ```html
 * <scm-portal base-url="/_api/" auth="power-pages"
 *   contact-id="{{ user.id }}" account-id="{{ user.parentcustomerid.id }}" roles="{{ user.roles | join: ',' }}">
 *   <scm-account-summary></scm-account-summary>
 *   <scm-order-list></scm-order-list>
 * </scm-portal>
 * ```
 * On any other website, use `auth="msal"` with `client-id` (Microsoft Entra ID sign-in), or `auth="token"` with
 * the `tokenProvider` property (your own sign-in), against `https://<org>.crm.dynamics.com/api/data/v9.2/`.
 *
 * While the session cannot be shown it renders, above its content, a message that says what is wrong and who can
 * fix it: signed out (with a way to sign in), misconfigured (missing `base-url`, unknown `auth`, MSAL without
 * `client-id`, no permission on a table — naming the table permission to add), or the service unreachable (with
 * Retry). Access tokens are kept in memory (MSAL: `sessionStorage`), never in `localStorage`.
 *
 * Language: `locale` (else the nearest `lang` around the portal, else the browser's language) sets the language of
 * every element's text — the nearest one shipped: English, German, French, Japanese, Arabic — and the locale of
 * dates, numbers and money (the full tag, `de-CH`). The portal writes `lang` (and `dir="rtl"` for Arabic) on itself
 * unless the page set them, so right-to-left languages lay out right to left.
 *
 * Theme: `theme="light"`, `"dark"` or `"auto"` (the system setting) sets the design tokens (`--scm-*`) for the
 * elements inside; without it, the page's tokens or the light defaults apply (see docs/theming.md).
 *
 * @summary Connects to Dataverse / Power Pages, loads the signed-in customer and shares them with the elements inside.
 *
 * @slot - The portal's content: `<scm-account-summary>`, `<scm-order-list>` and the other elements, and any markup.
 *
 * @csspart message - The box shown while the session cannot be shown (signed out, misconfigured, unreachable).
 * @csspart message-title - The message's first line.
 * @csspart message-fix - What to do about it.
 * @csspart action - The message's button or link (Sign in, Retry).
 *
 * @cssprop [--scm-portal-message-border=var(--scm-color-border)] - Border colour of the message.
 * @cssprop [--scm-portal-message-background=var(--scm-color-surface)] - Background of the message.
 * @cssprop [--scm-portal-message-accent=var(--scm-color-warning)] - The message's accent stripe (signed out: primary; unreachable: danger).
 * @cssprop [--scm-color-background] - Behind the portal's content when `theme` is set (from the theme).
 *
 * @cssstate loading - The session is loading.
 * @cssstate ready - The session is loaded and shared.
 * @cssstate signed-out - Nobody is signed in, or the sign-in expired.
 * @cssstate misconfigured - The page's configuration (attributes, table permissions) needs fixing.
 * @cssstate error - The service could not be reached or failed.
 *
 * @fires {CustomEvent<SessionChangeDetail>} scm-session-change - The session finished loading (`ready`) or could
 *   not be loaded (`signed-out`, `misconfigured`, `error`). Not fired for `loading`, nor when only `locale` or
 *   `roles` change.
 */
@customElement('scm-portal')
@localized()
export class ScmPortal extends LitElement {
  static override styles = [portalThemeStyles, portalStyles];

  /**
   * The Web API base: `/_api/` on Power Pages, `https://<org>.crm.dynamics.com/api/data/v9.2/` (or a same-origin
   * proxy path) for Dataverse, the emulator's URL in the demo.
   */
  @property({ attribute: 'base-url' }) baseUrl = '';

  /** How to sign in: `power-pages` (session cookie), `msal` (Entra ID), `token` (the `tokenProvider` property), `none` (a proxy adds credentials). */
  @property() auth: PortalAuth | '' = '';

  /** MSAL: the application (client) ID of the single-page-application registration. */
  @property({ attribute: 'client-id' }) clientId = '';

  /** MSAL: the authority (default `https://login.microsoftonline.com/organizations`). */
  @property() authority = '';

  /** MSAL: the redirect URI registered for the app (a page running MSAL's redirect bridge). */
  @property({ attribute: 'redirect-uri' }) redirectUri = '';

  /** The signed-in contact's id; on Power Pages `{{ user.id }}`. Empty means signed out. */
  @property({ attribute: 'contact-id' }) contactId = '';

  /** The contact's customer account id; on Power Pages `{{ user.parentcustomerid.id }}`. */
  @property({ attribute: 'account-id' }) accountId = '';

  /**
   * The user's web roles, comma-separated, as `{{ user.roles | join: ',' }}` writes them ("Customer
   * representative", "Authorized user", "Administrators"); unknown roles are ignored.
   */
  @property() roles = '';

  /**
   * BCP 47 locale (`de-DE`): the language of the elements' text (the nearest shipped: `en`, `de`, `fr`, `ja`,
   * `ar`) and the locale of dates, numbers and money. Default: the nearest `lang` around the portal (the page's),
   * else the browser's language.
   */
  @property() locale = '';

  /**
   * Colour theme for the elements inside: `light`, `dark`, or `auto` (follows the system's light or dark setting).
   * Without it the portal sets no token, so the page's `--scm-*` tokens (or the light defaults) apply.
   */
  @property({ reflect: true }) theme?: PortalTheme;

  /** Where the Sign in link of the signed-out message goes on Power Pages (`returnUrl` is added). */
  @property({ attribute: 'sign-in-url' }) signInUrl = '/SignIn';

  /** `auth="token"`: returns an access token for the Dataverse organisation (called before requests; cache it). */
  @property({ attribute: false }) tokenProvider?: TokenProvider;

  /** The `fetch` the client uses (default the global one); the in-browser emulator or a test's counting fetch. */
  @property({ attribute: false }) fetch?: typeof fetch;

  /** What the elements inside see (provided through `portalContext`). */
  @provide({ context: portalContext })
  @state()
  private portalState: PortalState = { status: 'loading', locale: 'en-US' };

  private readonly internals: ElementInternals = this.attachInternals();
  private connection?: Connection;
  /** Aborts the session load in flight. */
  private loading?: AbortController;
  /** The contact/account/connection the current session (or load) is for; a change means load again. */
  private sessionFor?: { connection: Connection; contactId: string; accountId: string };
  /** The status last announced with `scm-session-change`. */
  private announced?: PortalStatus;
  @state() private signingIn = false;
  /** Makes the current problem's sentences again (in the language of the moment). */
  private problemText?: ProblemText;
  /** The locale whose language was last asked for, and the `lang` / `dir` values the portal wrote on itself. */
  private uiFor?: string;
  private ownLang?: string;
  private ownDir?: string;
  /** Follows `lang` changes of the page (a site's language switcher), when no `locale` is set. */
  private langObserver?: MutationObserver;

  /** `loading`, `ready`, `signed-out`, `misconfigured` or `error`. */
  get status(): PortalStatus {
    return this.portalState.status;
  }

  /** The signed-in customer, once `status` is `ready`. */
  get session(): PortalSession | undefined {
    return this.portalState.session;
  }

  /** The client, once `status` is `ready` (for a host's own queries; it carries the same sign-in). */
  get client(): DataverseClient | undefined {
    return this.portalState.client;
  }

  /** What is wrong, when `status` is `signed-out`, `misconfigured` or `error`. */
  get problem(): PortalProblem | undefined {
    return this.portalState.problem;
  }

  /** Loads the session again (after the user signed in elsewhere, or to retry). */
  reload(): void {
    this.sessionFor = undefined;
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A load aborted by a disconnect starts again when the element comes back.
    if (this.portalState.status === 'loading') this.sessionFor = undefined;
    connectedPortals.add(this);
    this.langObserver = new MutationObserver(() => {
      if (!this.locale.trim()) this.requestUpdate();
    });
    this.langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loading?.abort();
    this.loading = undefined;
    this.langObserver?.disconnect();
    this.langObserver = undefined;
    // Connected again (moved in the page), it asks for its language again.
    this.uiFor = undefined;
    connectedPortals.delete(this);
    // The last portal gone (a single-page application moved on): elements left without one speak the page's language.
    if (connectedPortals.size === 0) void useUiLocale(document.documentElement.lang || navigator.language);
  }

  /** The language of the page around the portal: its own `lang` (unless the portal wrote it), else the nearest. */
  private get pageLanguage(): string {
    const own = this.getAttribute('lang');
    if (own && own !== this.ownLang) return own;
    return this.parentElement?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? '';
  }

  /** Asks for the interface language of `locale` (once per change) and marks the portal with it when it is ready. */
  private applyUiLanguage(locale: string): void {
    if (this.uiFor === locale) return;
    this.uiFor = locale;
    void useUiLocale(locale).then((language) => {
      if (this.uiFor !== locale) return;
      this.markLanguage(language);
      // The sentences of a problem on show follow the language.
      if (this.problemText) this.portalState = { ...this.portalState, problem: this.problemText() };
    });
  }

  /** Writes `lang` and `dir` on the portal for its content, unless the page set its own. */
  private markLanguage(language: UiLocale): void {
    const lang = this.getAttribute('lang');
    if (lang === null || lang === this.ownLang) {
      this.setAttribute('lang', language);
      this.ownLang = language;
    }
    const dir = this.getAttribute('dir');
    if (dir === null || dir === this.ownDir) {
      const wanted = isRightToLeft(language) ? 'rtl' : 'ltr';
      this.setAttribute('dir', wanted);
      this.ownDir = wanted;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.connection || CONNECTION_PROPERTIES.some((name) => changed.has(name))) {
      this.connection = this.connect();
    }
    const locale = resolveLocale(this.locale, this.pageLanguage);
    this.applyUiLanguage(locale);
    const connection = this.connection;
    const contactId = this.contactId.trim();
    const accountId = this.accountId.trim();
    const target = this.sessionFor;
    if (!target || target.connection !== connection || target.contactId !== contactId || target.accountId !== accountId) {
      this.sessionFor = { connection, contactId, accountId };
      this.startSession(connection, contactId, accountId, locale);
    } else if (changed.has('roles') || changed.has('locale') || this.portalState.locale !== locale) {
      // Roles and locale change what elements show, not what the server says: no new request.
      const session = this.portalState.session;
      this.portalState = {
        ...this.portalState,
        locale,
        session: session ? { ...session, roles: parseWebRoles(this.roles) } : undefined,
      };
    }
  }

  protected override updated(): void {
    const status = this.portalState.status;
    for (const name of ['loading', 'ready', 'signed-out', 'misconfigured', 'error'] as const) {
      if (name === status) this.internals.states.add(name);
      else this.internals.states.delete(name);
    }
  }

  /** Builds the client for the configured transport, or says what is missing. */
  private connect(): Connection {
    const baseUrl = this.baseUrl.trim();
    const auth = this.auth.trim() as PortalAuth;
    if (!baseUrl) {
      return {
        problem: () => ({
          code: 'missing-base-url',
          message: msg('<scm-portal> has no base-url, so it does not know which server to ask.'),
          fix: msg('Set base-url="/_api/" on a Power Pages site, or base-url="https://<org>.crm.dynamics.com/api/data/v9.2/" on another website.'),
        }),
      };
    }
    if (!AUTH_MODES.includes(auth)) {
      return {
        problem: () => ({
          code: 'unknown-auth',
          message: auth
            ? msg(str`<scm-portal> does not know auth="${auth}".`)
            : msg('<scm-portal> has no auth attribute, so it does not know how to sign in.'),
          fix: msg(
            'Use auth="power-pages" on a Power Pages site, auth="msal" with client-id for Microsoft Entra ID sign-in, auth="token" with the tokenProvider property, or auth="none" behind a proxy that signs requests.',
          ),
        }),
      };
    }
    const fetchImpl = this.fetch;
    let url: URL;
    try {
      url = new URL(baseUrl, location.href);
    } catch {
      return {
        problem: () => ({
          code: 'missing-base-url',
          message: msg(str`base-url="${baseUrl}" is not a URL.`),
          fix: msg('Set base-url to the Web API address, e.g. /_api/.'),
        }),
      };
    }
    try {
      switch (auth) {
        case 'power-pages':
          if (url.pathname !== '/_api/' && url.pathname !== '/_api') {
            return {
              problem: () => ({
                code: 'missing-base-url',
                message: msg(str`auth="power-pages" talks to the site's /_api/, but base-url is "${baseUrl}".`),
                fix: msg('Set base-url="/_api/" (Power Pages serves its Web API there), or choose the auth that matches this server.'),
              }),
            };
          }
          return { client: createDataverseClient({ transport: 'power-pages', siteUrl: url.origin, fetch: fetchImpl }) };
        case 'msal': {
          if (!this.clientId.trim()) {
            return {
              problem: () => ({
                code: 'missing-msal-config',
                message: msg('auth="msal" needs the client-id of your app registration.'),
                fix: msg(
                  'Register a single-page application in Microsoft Entra ID with the Dynamics CRM user_impersonation permission, and set client-id="<application (client) ID>" (plus authority and redirect-uri if your tenant needs them).',
                ),
              }),
            };
          }
          const msal = msalTokenProvider({
            clientId: this.clientId.trim(),
            orgUrl: url.origin,
            ...(this.authority.trim() ? { authority: this.authority.trim() } : {}),
            ...(this.redirectUri.trim() ? { redirectUri: new URL(this.redirectUri.trim(), location.href).href } : {}),
            // Never navigate away on its own: the signed-out message offers a Sign in button (a popup from a click).
            interaction: 'none',
          });
          return { client: createDataverseClient({ transport: 'dataverse', url: url.href, token: msal, fetch: fetchImpl }), msal };
        }
        case 'token':
          if (!this.tokenProvider) {
            return {
              problem: () => ({
                code: 'missing-token-provider',
                message: msg('auth="token" needs the tokenProvider property: a function that returns an access token.'),
                fix: msg('Set it from script: portal.tokenProvider = ({ forceRefresh }) => myAuth.getDataverseToken({ forceRefresh }).'),
              }),
            };
          }
          return { client: createDataverseClient({ transport: 'dataverse', url: url.href, token: this.tokenProvider, fetch: fetchImpl }) };
        case 'none':
          return { client: createDataverseClient({ transport: 'dataverse', url: url.href, fetch: fetchImpl }) };
      }
    } catch (error) {
      // The client and MSAL check their configuration synchronously (URLs, GUIDs).
      const reason = error instanceof Error ? error.message : String(error);
      return {
        problem: () => ({
          code: auth === 'msal' ? 'missing-msal-config' : 'missing-base-url',
          message: msg(str`<scm-portal> could not connect: ${reason}`),
          fix: msg('Check base-url, client-id, authority and redirect-uri.'),
        }),
      };
    }
    return { problem: () => ({ code: 'unknown-auth', message: msg(str`<scm-portal> does not know auth="${auth}".`) }) };
  }

  private startSession(connection: Connection, contactId: string, accountId: string, locale: string): void {
    this.loading?.abort();
    this.loading = undefined;
    if (!connection.client) {
      this.settle({ status: 'misconfigured', locale }, connection.problem);
      return;
    }
    if (!contactId) {
      const powerPages = this.auth === 'power-pages';
      this.settle({ status: 'signed-out', locale }, () => ({
        code: 'no-contact',
        message: msg('Nobody is signed in.'),
        fix: powerPages
          ? msg('Sign in to see your orders and account. (Site owner: the page must write contact-id="{{ user.id }}" for signed-in users.)')
          : msg("Sign in to see your orders and account. (Site owner: set contact-id to the signed-in contact's id.)"),
      }));
      return;
    }
    if (!isGuid(contactId)) {
      this.settle({ status: 'misconfigured', locale }, () => ({
        code: 'no-contact',
        message: msg(str`contact-id must be the signed-in contact's id (a GUID), but it is "${contactId}".`),
        fix: msg('On Power Pages write contact-id="{{ user.id }}" in a web template (Liquid runs there, not in a content snippet of plain HTML).'),
      }));
      return;
    }
    const controller = new AbortController();
    this.loading = controller;
    const client = connection.client;
    this.problemText = undefined;
    this.portalState = { status: 'loading', locale, reload: () => this.reload() };
    loadSession(client, { contactId, accountId: accountId || null, roles: this.roles }, controller.signal).then(
      (session) => {
        if (this.loading !== controller) return;
        this.loading = undefined;
        this.settle({
          status: 'ready',
          client,
          session: { ...session, roles: parseWebRoles(this.roles) },
          locale: resolveLocale(this.locale, this.pageLanguage),
        });
      },
      (error: unknown) => {
        if (this.loading !== controller || isAbort(error, controller.signal)) return;
        this.loading = undefined;
        const { status, problem } = this.describe(error);
        this.settle({ status, locale: resolveLocale(this.locale, this.pageLanguage) }, problem);
      },
    );
  }

  /** Publishes a settled state (with its problem, when there is one) and announces it once the update is rendered. */
  private settle(next: Omit<PortalState, 'reload' | 'problem'>, problem?: ProblemText): void {
    this.problemText = problem;
    this.portalState = { ...next, ...(problem ? { problem: problem() } : {}), reload: () => this.reload() };
    const status = next.status;
    if (status !== this.announced || status === 'ready') {
      this.announced = status;
      void this.updateComplete.then(() => {
        if (this.portalState.status === status) this.dispatchEvent(sessionChangeEvent({ status }));
      });
    }
  }

  /** The state for a session that could not be loaded. */
  private describe(error: unknown): { status: PortalStatus; problem: ProblemText } {
    const roles = parseWebRoles(this.roles);
    const roleList = this.roles.trim();
    const roleText = () => (roleList ? msg(str`the web roles of this user (${roleList})`) : msg('the web roles of this user'));
    if (!(error instanceof SessionError)) {
      const reason = error instanceof Error ? error.message : String(error);
      return { status: 'error', problem: () => ({ code: 'unexpected', message: msg(str`Your account could not be loaded: ${reason}`) }) };
    }
    switch (error.code) {
      case 'signed-out':
        return {
          status: 'signed-out',
          problem: () => ({
            code: 'signed-out',
            message: msg('Your session has ended.'),
            fix: msg('Sign in again to see your orders and account.'),
          }),
        };
      case 'contact-not-found': {
        const contactId = this.contactId.trim();
        return {
          status: 'misconfigured',
          problem: () => ({
            code: 'contact-not-found',
            message: msg(str`The signed-in contact (${contactId}) was not found, or this user may not read it.`),
            fix: msg(str`Check contact-id (on Power Pages: {{ user.id }}), and give ${roleText()} ${permissionToGrant('contact')}.`),
          }),
        };
      }
      case 'no-account':
        return {
          status: 'misconfigured',
          problem: () => ({
            code: 'contact-not-found',
            message: msg('The signed-in contact is not linked to a customer account.'),
            fix: msg("Set the contact's Company Name (parentcustomerid) to the customer account it buys for."),
          }),
        };
      case 'no-permission': {
        const table = error.table ?? 'contact';
        const unauthorized = roles.length > 0 && roles.every((role) => role === 'unauthorized-user');
        return {
          status: 'misconfigured',
          problem: () => ({
            code: 'no-permission',
            message: unauthorized
              ? msg("Your sign-in doesn't give access to customer data on this site yet.")
              : msg(str`This user may not read the ${table} table, so the portal cannot load.`),
            fix: unauthorized
              ? msg(
                  str`Ask your company's portal administrator for access. (Site owner: this user only has the Unauthorized user role; give them a customer role, or give ${roleText()} ${permissionToGrant(table)}.)`,
                )
              : msg(str`In Power Pages → Security → Table permissions, give ${roleText()} ${permissionToGrant(table)}.`),
          }),
        };
      }
      case 'not-exposed': {
        const table = error.table ?? 'contact';
        return {
          status: 'misconfigured',
          problem: () => ({
            code: 'no-permission',
            message: msg(str`The ${table} table is not enabled for the Power Pages Web API.`),
            fix: msg(
              str`Add the site settings Webapi/${table}/enabled = true and Webapi/${table}/fields = * (or the columns the portal reads).`,
            ),
          }),
        };
      }
      case 'unreachable': {
        const reason = error.message;
        return {
          status: 'error',
          problem: () => ({
            code: 'unreachable',
            message: msg('The service could not be reached.'),
            fix: msg(str`Check your connection and try again. (${reason})`),
          }),
        };
      }
      default: {
        const reason = error.message;
        return { status: 'error', problem: () => ({ code: 'unexpected', message: msg(str`Your account could not be loaded: ${reason}`) }) };
      }
    }
  }

  private async signInWithMsal(): Promise<void> {
    const msal = this.connection?.msal;
    if (!msal || this.signingIn) return;
    this.signingIn = true;
    try {
      await msal.signIn({ interaction: 'popup' });
      this.reload();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.settle({ status: 'signed-out', locale: this.portalState.locale }, () => ({
        code: 'signed-out',
        message: msg('Signing in did not complete.'),
        fix: reason,
      }));
    } finally {
      this.signingIn = false;
    }
  }

  private renderAction(): TemplateResult | typeof nothing {
    const { status } = this.portalState;
    if (status === 'signed-out') {
      if (this.auth === 'msal' && this.connection?.msal) {
        return html`<button class="action" part="action" type="button" ?disabled=${this.signingIn} @click=${this.signInWithMsal}>
          ${msg('Sign in')}
        </button>`;
      }
      if (this.auth === 'power-pages') {
        const href = `${this.signInUrl}${this.signInUrl.includes('?') ? '&' : '?'}returnUrl=${encodeURIComponent(location.pathname + location.search)}`;
        return html`<a class="action" part="action" href=${href}>${msg('Sign in')}</a>`;
      }
      return nothing;
    }
    if (status === 'error') {
      return html`<button class="action" part="action" type="button" @click=${this.reload}>${msg('Retry')}</button>`;
    }
    return nothing;
  }

  private renderMessage(): TemplateResult | typeof nothing {
    const { status, problem } = this.portalState;
    if (status === 'ready' || status === 'loading' || !problem) return nothing;
    const title =
      status === 'signed-out'
        ? problem.message
        : status === 'misconfigured'
          ? msg('The portal cannot show your account yet.')
          : msg('The portal could not load your account.');
    const action = this.renderAction();
    return html`<section class="message" part="message" data-kind=${status} aria-labelledby="message-title">
      <p class="title" id="message-title" part="message-title">${title}</p>
      ${status !== 'signed-out' ? html`<p class="detail">${problem.message}</p>` : nothing}
      ${problem.fix ? html`<p class="fix" part="message-fix">${problem.fix}</p>` : nothing}
      ${action === nothing ? nothing : html`<div class="actions">${action}</div>`}
    </section>`;
  }

  protected override render(): TemplateResult {
    return html`${this.renderMessage()}<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scm-portal': ScmPortal;
  }
}
