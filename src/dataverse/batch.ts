/**
 * `$batch` (Dataverse only): several operations in one HTTP request, with change sets that succeed or fail
 * as a whole. This module builds the operations; the wire format (encoding the request, parsing the
 * `multipart/mixed` answer) is `batch-codec.ts`, which `client.batch()` loads the first time it is used, so a
 * page that never sends a batch does not download it.
 *
 * ```ts
 * const results = await client.batch([
 *   changeSet(
 *     batchCreate('accounts', { name: 'Contoso' }, { contentId: '1' }),
 *     batchCreate('contacts', { lastname: 'Smith', 'parentcustomerid_account@odata.bind': '$1' }),
 *   ),
 *   batchGet('accounts', undefined, { select: ['name'], top: 5 }),
 * ]);
 * results[0].entityId; // the new account's id
 * ```
 *
 * Requests are `multipart/mixed` with CRLF line ends; each operation is an `application/http` part; change
 * sets are nested `multipart/mixed` parts whose operations carry `Content-ID`. Responses are parsed back
 * into one {@link BatchResponse} per operation, in request order (CRLF and bare LF both accepted).
 *
 * Power Pages has no `$batch`; the client refuses it there with a clear error.
 */
import { clientError, type DataverseError } from './errors.js';
import {
  buildQueryString,
  entityPath,
  preferHeader,
  type AnnotationPreference,
  type Query,
  type RowKey,
} from './odata.js';

/** A reference to the row created by an earlier operation of the same change set (`$1`). */
export interface ContentRef {
  readonly contentRef: string;
}

/** Refers to the result of the change-set operation with Content-ID `id`. */
export function contentRef(id: string | number): ContentRef {
  const text = String(id);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw clientError('InvalidBatch', `Content-ID must be letters, digits, - or _, got ${JSON.stringify(text)}`);
  return { contentRef: text };
}

/** One operation of a batch. Made by {@link batchGet}, {@link batchCreate}, {@link batchUpdate}, {@link batchDelete}. */
export interface BatchOperation {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path relative to the API base (validated and encoded), or `$n`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly contentId?: string;
}

/** Operations applied atomically: all or none. No GETs inside. */
export interface ChangeSet {
  readonly changeSet: readonly BatchOperation[];
}

/** What a batch is made of. */
export type BatchItem = BatchOperation | ChangeSet;

function pathOf(entitySet: string, key: RowKey | ContentRef | undefined): string {
  if (key !== undefined && typeof key === 'object' && 'contentRef' in key && typeof key.contentRef === 'string') {
    return `$${contentRef(key.contentRef).contentRef}`;
  }
  return entityPath(entitySet, key as RowKey | undefined);
}

function checkContentId(contentId: string | undefined): string | undefined {
  return contentId === undefined ? undefined : contentRef(contentId).contentRef;
}

/** A GET in a batch (not allowed inside change sets). */
export function batchGet<T = Record<string, unknown>>(
  entitySet: string,
  key?: RowKey,
  query?: Query<NoInfer<T>>,
  options: { readonly annotations?: AnnotationPreference; readonly maxPageSize?: number } = {},
): BatchOperation {
  const prefer = preferHeader({ annotations: options.annotations ?? '*', maxPageSize: options.maxPageSize });
  return {
    method: 'GET',
    path: `${pathOf(entitySet, key)}${buildQueryString<T>(query)}`,
    headers: prefer ? { Prefer: prefer } : {},
  };
}

/** A create (POST). Give a `contentId` to refer to the new row later in the same change set (`$1`). */
export function batchCreate(
  entitySet: string,
  body: Readonly<Record<string, unknown>>,
  options: { readonly contentId?: string; readonly returnRepresentation?: boolean } = {},
): BatchOperation {
  const prefer = preferHeader({ returnRepresentation: options.returnRepresentation });
  return {
    method: 'POST',
    path: pathOf(entitySet, undefined),
    headers: prefer ? { Prefer: prefer } : {},
    body,
    contentId: checkContentId(options.contentId),
  };
}

/** An update (PATCH, `If-Match: <etag>` or `If-Match: *` so it never creates). */
export function batchUpdate(
  entitySet: string,
  key: RowKey | ContentRef,
  body: Readonly<Record<string, unknown>>,
  options: { readonly etag?: string; readonly contentId?: string } = {},
): BatchOperation {
  return {
    method: 'PATCH',
    path: pathOf(entitySet, key),
    headers: { 'If-Match': options.etag ?? '*' },
    body,
    contentId: checkContentId(options.contentId),
  };
}

/** A delete (with `If-Match: <etag>` when given). */
export function batchDelete(
  entitySet: string,
  key: RowKey | ContentRef,
  options: { readonly etag?: string; readonly contentId?: string } = {},
): BatchOperation {
  return {
    method: 'DELETE',
    path: pathOf(entitySet, key),
    headers: options.etag ? { 'If-Match': options.etag } : {},
    contentId: checkContentId(options.contentId),
  };
}

/** Groups operations into an atomic change set. */
export function changeSet(...operations: BatchOperation[]): ChangeSet {
  if (operations.length === 0) throw clientError('InvalidBatch', 'a change set needs at least one operation');
  for (const op of operations) {
    if (op.method === 'GET') throw clientError('InvalidBatch', 'GET requests are not allowed inside a change set');
  }
  return { changeSet: operations };
}

/** The answer to one batch operation. */
export interface BatchResponse {
  /** Position of the operation in the batch, counting change-set operations one by one. */
  readonly index: number;
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON body, text, or `null` when empty. */
  readonly body: unknown;
  readonly contentId: string | null;
  /** For creates: the new row's id (from `OData-EntityId`). */
  readonly entityId: string | null;
  /** Set when this operation failed (in a failed change set: the change set's error, on every operation). */
  readonly error: DataverseError | null;
}

