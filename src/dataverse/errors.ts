/**
 * One error type for everything the Dataverse / Power Pages client can report.
 *
 * Callers branch on {@link DataverseError.kind} (what the user should be told) and, when they need finer
 * detail, on {@link DataverseError.code} (the server's own code: Dataverse hex codes such as `0x80040217`,
 * Power Pages codes such as `90040107`). Aborts are never wrapped: an `AbortError` (or whatever reason the
 * caller gave to `AbortController.abort(reason)`) reaches the caller unchanged, so `signal.aborted` checks
 * and `err.name === 'AbortError'` checks keep working.
 */

/**
 * What went wrong, in the terms a user interface needs:
 * - `auth` — not signed in, token or session expired, anti-forgery token rejected (401, Power Pages 90040107/90040109);
 * - `permission` — signed in but not allowed (403, Dataverse 0x80040220, Power Pages 90040101…90040106);
 * - `not-found` — the row or table does not exist or is not exposed (404);
 * - `conflict` — the row changed since it was read, or already exists (412, 409, duplicate key 0x80040237);
 * - `throttled` — service protection limit hit (429); see {@link DataverseError.retryAfterMs};
 * - `validation` — the request was refused as invalid (400, 413, other 4xx), or the client refused to send it
 *   (status 0: an invalid identifier, GUID, literal, or an operation the server does not offer);
 * - `network` — no HTTP answer at all (offline, DNS, CORS, connection reset);
 * - `server` — the server failed (5xx).
 */
export type DataverseErrorKind =
  | 'auth'
  | 'permission'
  | 'not-found'
  | 'conflict'
  | 'throttled'
  | 'validation'
  | 'network'
  | 'server';

/** The request an error belongs to. Never contains credentials (tokens travel in headers, not here). */
export interface FailedRequest {
  readonly method: string;
  readonly url: string;
}

/** Everything a {@link DataverseError} is made from. */
export interface DataverseErrorInit {
  readonly kind: DataverseErrorKind;
  readonly message: string;
  /** HTTP status; 0 when there was no HTTP answer or the client refused to send the request. */
  readonly status?: number;
  /** The server's error code (`0x80040217`, `90040107`), or a client code such as `InvalidIdentifier`. */
  readonly code?: string;
  readonly request?: FailedRequest;
  /** How long the server asked us to wait (429 `Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
  /** How many HTTP attempts were made before giving up (1 when no retry happened). */
  readonly attempts?: number;
  /** In a `$batch`: the index (in request order) of the operation that failed. */
  readonly operationIndex?: number;
  /** Extra fields of the server's error body (`cdscode`, `innererror`, …), when present. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * The error thrown by every method of the client (except aborts, which pass through unchanged).
 *
 * ```ts
 * try { await client.update('salesorders', id, changes, { etag }); }
 * catch (err) {
 *   if (err instanceof DataverseError && err.kind === 'conflict') showReloadPrompt();
 *   else throw err;
 * }
 * ```
 */
export class DataverseError extends Error {
  override readonly name = 'DataverseError';
  readonly kind: DataverseErrorKind;
  /** HTTP status; 0 when there was no HTTP answer or the request was refused before sending. */
  readonly status: number;
  /** The server's error code, or a client code for errors raised before sending. */
  readonly code: string | undefined;
  /** Method and URL of the failed request (no credentials). */
  readonly request: FailedRequest | undefined;
  /** For `throttled`: the server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;
  /** HTTP attempts made (retries included). */
  readonly attempts: number;
  /** In a `$batch`: index of the failing operation in request order. */
  readonly operationIndex: number | undefined;
  /** Other fields of the server's error body. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(init: DataverseErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status ?? 0;
    this.code = init.code;
    this.request = init.request;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? (init.request ? 1 : 0);
    this.operationIndex = init.operationIndex;
    this.details = init.details;
  }

  /** A copy with some fields replaced (used to add attempt counts or batch positions). */
  with(changes: Partial<DataverseErrorInit>): DataverseError {
    // The own fields are the init's fields; `message` and `cause` are Error's own, non-enumerable ones.
    return new DataverseError({ ...this, message: this.message, cause: this.cause, ...changes });
  }
}

/** Power Pages: the anti-forgery token was missing or rejected (HttpAntiForgeryException). */
export const POWER_PAGES_ANTI_FORGERY = '90040107';
/** Power Pages: the request carried no portal session cookie (not signed in / session expired). */
export const POWER_PAGES_MISSING_SESSION = '90040109';

/** Service protection codes: number of requests, execution time, concurrent requests. */
const THROTTLING_CODES = new Set(['0x80072322', '0x80072321', '0x80072326']);
/** Dataverse codes whose meaning overrides the HTTP status. */
const CODE_KINDS: Readonly<Record<string, DataverseErrorKind>> = {
  '0x80040217': 'not-found', // ObjectDoesNotExist
  '0x80040237': 'conflict', // DuplicateRecord: "A record with matching key values already exists."
  '0x80060882': 'conflict', // ConcurrencyVersionMismatch
  '0x80040220': 'permission', // PrivilegeDenied
  [POWER_PAGES_ANTI_FORGERY]: 'auth',
  [POWER_PAGES_MISSING_SESSION]: 'auth',
  '9004010c': 'not-found', // Power Pages: table not exposed to the Web API
  '90040100': 'validation', // Power Pages: InvalidAttribute
};

/** Power Pages: an error that came from Dataverse, wrapped; its Dataverse code is in `cdscode`. */
const POWER_PAGES_CDS_ERROR = '9004010d';

/**
 * Maps an HTTP status and server error code to a {@link DataverseErrorKind}.
 * Codes win over statuses where they are unambiguous (a Power Pages 403 for a rejected anti-forgery
 * token is `auth`, not `permission`; service-protection codes are `throttled` whatever the status).
 */
export function kindOf(status: number, code?: string): DataverseErrorKind {
  const normalized = code?.toLowerCase();
  if (normalized !== undefined) {
    if (THROTTLING_CODES.has(normalized)) return 'throttled';
    const byCode = CODE_KINDS[normalized];
    if (byCode) return byCode;
    // Power Pages 90040101…90040106: missing table permission / attribute permission.
    if (/^9004010[1-6]$/.test(normalized)) return 'permission';
  }
  if (status === 0) return 'network';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server';
  return 'validation';
}

/**
 * Parses a `Retry-After` header: delta-seconds (what Dataverse sends) or an HTTP date.
 * Returns milliseconds, or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The `{ "error": { "code", "message", … } }` body of Dataverse and Power Pages error responses. */
interface ODataErrorBody {
  readonly error?: { readonly code?: unknown; readonly message?: unknown; readonly [key: string]: unknown };
  readonly Message?: unknown;
}

/**
 * Reads an error out of a parsed error body (or raw text), as found in a plain HTTP response or in one part
 * of a `$batch` response.
 */
export function errorFromBody(
  status: number,
  statusText: string,
  body: unknown,
  headers: Headers,
  request: FailedRequest | undefined,
  nowMs?: number,
): DataverseError {
  let code: string | undefined;
  let message: string | undefined;
  let details: Record<string, unknown> | undefined;
  if (body && typeof body === 'object') {
    const error = (body as ODataErrorBody).error;
    if (error && typeof error === 'object') {
      if (typeof error.code === 'string' && error.code !== '') code = error.code;
      if (typeof error.message === 'string' && error.message !== '') message = error.message;
      const rest = Object.fromEntries(Object.entries(error).filter(([key]) => key !== 'code' && key !== 'message'));
      if (Object.keys(rest).length > 0) details = rest;
    } else if (typeof (body as ODataErrorBody).Message === 'string') {
      message = (body as ODataErrorBody).Message as string;
    }
  } else if (typeof body === 'string' && body.trim() !== '' && body.length < 2000 && !/^\s*</.test(body)) {
    // A short plain-text body (batch part errors are sometimes plain text). HTML pages are not messages.
    message = body.trim();
  }
  // Power Pages wraps Dataverse's own errors (a missing row, a bad payload) as 9004010D with the real code in
  // `cdscode`: classify by that code and the HTTP status, so a 404 through /_api is `not-found`, not `server`.
  const cdscode = typeof details?.cdscode === 'string' && details.cdscode !== '' ? details.cdscode : undefined;
  const kind = code?.toLowerCase() === POWER_PAGES_CDS_ERROR ? kindOf(status, cdscode) : kindOf(status, code);
  return new DataverseError({
    kind,
    status,
    code,
    message: message ?? `${status} ${statusText || 'HTTP error'}`.trim(),
    request,
    retryAfterMs: kind === 'throttled' ? parseRetryAfter(headers.get('Retry-After'), nowMs) : undefined,
    details,
  });
}

/** Reads an error out of a failed `fetch` response. */
export async function errorFromResponse(
  response: Response,
  request: FailedRequest,
  nowMs?: number,
): Promise<DataverseError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body could not be read (connection dropped mid-body): keep the status.
  }
  let body: unknown = text;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return errorFromBody(response.status, response.statusText, body, response.headers, request, nowMs);
}

/** An error raised by the client itself before anything was sent (bad identifier, GUID, unsupported op). */
export function clientError(code: string, message: string, kind: DataverseErrorKind = 'validation'): DataverseError {
  return new DataverseError({ kind, code, message, status: 0 });
}

/**
 * True for cancellations: a DOMException `AbortError`/`TimeoutError` (fetch, `AbortSignal.timeout`), or
 * anything when the given signal is aborted (the caller's own `abort(reason)`).
 */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { name?: unknown }).name === 'AbortError' || (error as { name?: unknown }).name === 'TimeoutError')
  );
}
