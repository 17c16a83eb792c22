/**
 * `scm-portal-elements/dataverse` — a typed client for the Dataverse Web API and the Power Pages `/_api`.
 *
 * No Lit, no table names: everything above this layer (tables, domain services, elements) talks to the
 * server through a {@link DataverseClient}.
 *
 * ## Power Pages (same site, session cookie + anti-forgery token)
 * ```ts
 * import { createDataverseClient, where, formatted, lookupOf } from 'scm-portal-elements/dataverse';
 *
 * const client = createDataverseClient({ transport: 'power-pages' }); // /_api/ on this site
 * const page = await client.getPage('salesorders', {
 *   select: ['name', 'statuscode', '_customerid_value'],
 *   filter: where.eq('statecode', 0),
 *   orderBy: { createdon: 'desc' },
 * }, { maxPageSize: 25 });
 * formatted(page.rows[0], 'statuscode'); // "In Progress"
 * ```
 * The anti-forgery token comes from `window.shell.getTokenDeferred()` on Power Pages pages, else from
 * `/_layout/tokenhtml` (`tokenPageUrl` to change it). No `$batch` on Power Pages.
 *
 * ## Dataverse Web API with MSAL (any website; `@azure/msal-browser` is loaded only when used)
 * ```ts
 * import { createDataverseClient, msalTokenProvider } from 'scm-portal-elements/dataverse';
 *
 * const token = msalTokenProvider({
 *   clientId: '00000000-0000-0000-0000-000000000000',
 *   authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
 *   orgUrl: 'https://contoso.crm.dynamics.com',
 *   redirectUri: 'https://www.contoso.com/auth/redirect.html', // page running broadcastResponseToMainFrame()
 *   interaction: 'popup',
 * });
 * const client = createDataverseClient({ transport: 'dataverse', url: 'https://contoso.crm.dynamics.com/api/data/v9.2/', token });
 * ```
 *
 * ## Dataverse Web API with your own token (or through a proxy)
 * ```ts
 * const client = createDataverseClient({
 *   transport: 'dataverse',
 *   url: 'https://contoso.crm.dynamics.com/api/data/v9.2/',
 *   token: ({ forceRefresh }) => myAuth.getToken({ forceRefresh }), // any () => Promise<string>
 * });
 * // A same-origin proxy that adds the Authorization header itself:
 * const proxied = createDataverseClient({ transport: 'dataverse', url: '/dataverse/api/data/v9.2/' });
 * ```
 *
 * ## Errors, retries, cancellation
 * Every failure is a {@link DataverseError} with a `kind` (`auth`, `permission`, `not-found`, `conflict`,
 * `throttled`, `validation`, `network`, `server`), the server's `code` and `message`, and the failed
 * request's method and URL. 429 waits `Retry-After` and retries; 502/503/504 and network failures are
 * retried for idempotent requests only; all within `retry.budgetMs` (60 s). Every call takes an
 * `AbortSignal`; aborts are thrown unchanged.
 */
export {
  createDataverseClient,
  DataverseClient,
  type Body,
  type ChangeRound,
  type Changes,
  type ClientOptions,
  type CommonClientOptions,
  type DataverseClientOptions,
  type Page,
  type PowerPagesClientOptions,
  type ReadOptions,
  type RequestOptions,
  type RowQuery,
  type SafeCreateOptions,
  type SafeCreateResult,
  type WatchOptions,
} from './client.js';
export {
  DataverseError,
  kindOf,
  parseRetryAfter,
  isAbort,
  POWER_PAGES_ANTI_FORGERY,
  POWER_PAGES_MISSING_SESSION,
  type DataverseErrorInit,
  type DataverseErrorKind,
  type FailedRequest,
} from './errors.js';
export {
  assertColumnPath,
  assertIdentifier,
  buildQueryString,
  dateOnly,
  dateTime,
  entityPath,
  escapeODataString,
  Filter,
  filterFor,
  guid,
  isIdentifier,
  lookupValueColumn,
  odataLiteral,
  parseODataLiteral,
  preferHeader,
  TypedLiteral,
  where,
  type AnnotationPreference,
  type ColumnOf,
  type Expand,
  type ExpandOptions,
  type FilterBuilder,
  type FilterPart,
  type LookupNameOf,
  type ODataValue,
  type OrderBy,
  type ParsedLiteral,
  type Preferences,
  type Query,
  type RowKey,
  type SelectableOf,
  type TypedLiteralKind,
} from './odata.js';
export { Annotation, etagOf, formatted, lookupOf, valuesOf, type AnnotationKey, type LookupRef, type Row } from './annotations.js';
export {
  batchCreate,
  batchDelete,
  batchGet,
  batchUpdate,
  changeSet,
  contentRef,
  type BatchItem,
  type BatchOperation,
  type BatchResponse,
  type ChangeSet,
  type ContentRef,
} from './batch.js';
export type { EncodedBatch, FlatOperation, ParsedBatchPart, ParsedHttpPart } from './batch-codec.js';

/**
 * The `$batch` wire format (`encodeBatch`, `parseBatchResponse`, `splitMultipart`, `boundaryOf`,
 * `matchBatchResponses`), loaded on demand: `client.batch()` needs none of it from you, and a page that never
 * sends a batch never downloads it.
 * ```ts
 * const { encodeBatch } = await loadBatchCodec();
 * const { contentType, body } = encodeBatch(client.baseUrl, [batchGet('accounts', undefined, { top: 1 })]);
 * ```
 */
export function loadBatchCodec(): Promise<typeof import('./batch-codec.js')> {
  return import('./batch-codec.js');
}
export { idFromEntityId, isGuid, newGuid, normalizeGuid } from './guid.js';
export { systemClock, type Clock } from './clock.js';
export type { RetryOptions } from './transport.js';
export type { TokenProvider, TokenRequest } from './auth/token.js';
export { fromDeferred, parseTokenHtml, type DeferredLike, type PowerPagesShell } from './auth/power-pages.js';
// The MSAL provider module imports @azure/msal-browser only dynamically (types are erased).
export {
  checkMsalOptions,
  msalTokenProvider,
  type MsalInteraction,
  type MsalTokenProvider,
  type MsalTokenProviderOptions,
  type SignedInAccount,
} from './auth/msal.js';
