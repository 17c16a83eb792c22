/**
 * The `$batch` wire format: encodes operations built with `batch.ts` into a `multipart/mixed` request body, and
 * parses the answer back into one {@link BatchResponse} per operation, in request order.
 *
 * Requests are `multipart/mixed` with CRLF line ends; each operation is an `application/http` part; change
 * sets are nested `multipart/mixed` parts whose operations carry `Content-ID`. Responses are parsed back
 * into one {@link BatchResponse} per operation, in request order (CRLF and bare LF both accepted).
 *
 * Loaded on demand: `client.batch()` imports this module the first time a batch is sent (its own chunk in a
 * bundle); `loadBatchCodec()` (exported by the client's entry point) hands it to code that encodes or parses
 * batches itself.
 */
import type { BatchItem, BatchOperation, BatchResponse, ChangeSet } from './batch.js';
import { clientError, DataverseError, errorFromBody } from './errors.js';
import { idFromEntityId, newGuid } from './guid.js';

/** An operation in request order with where it sits. */
export interface FlatOperation {
  readonly index: number;
  readonly operation: BatchOperation;
  /** Index of its change set among the batch items, or `undefined` for a top-level operation. */
  readonly item: number;
  readonly inChangeSet: boolean;
  readonly contentId?: string;
}

/** An encoded batch request body. */
export interface EncodedBatch {
  readonly contentType: string;
  readonly body: string;
  readonly operations: readonly FlatOperation[];
}

const CRLF = '\r\n';

function isChangeSet(item: BatchItem): item is ChangeSet {
  return typeof item === 'object' && item !== null && Array.isArray((item as ChangeSet).changeSet);
}

function encodeOperation(baseUrl: string, op: BatchOperation, contentId: string | undefined): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) lines.push(`Content-ID: ${contentId}`);
  lines.push('');
  const url = op.path.startsWith('$') ? op.path : `${baseUrl}${op.path}`;
  lines.push(`${op.method} ${url} HTTP/1.1`);
  lines.push('Accept: application/json');
  for (const [name, value] of Object.entries(op.headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw clientError('InvalidBatch', 'header names and values cannot contain line breaks');
    lines.push(`${name}: ${value}`);
  }
  if (op.body !== undefined) lines.push('Content-Type: application/json; type=entry');
  lines.push('');
  // A part ends right before the CRLF that precedes the next boundary line.
  lines.push(op.body !== undefined ? JSON.stringify(op.body) : '');
  return lines.join(CRLF);
}

/**
 * Encodes batch items into a `multipart/mixed` body. Change-set operations get a Content-ID (the one given,
 * or the next free number), unique across the batch.
 */
export function encodeBatch(baseUrl: string, items: readonly BatchItem[], boundaryId: () => string = newGuid): EncodedBatch {
  if (!Array.isArray(items) || items.length === 0) throw clientError('InvalidBatch', 'a batch needs at least one operation');
  const batchBoundary = `batch_${boundaryId()}`;
  const operations: FlatOperation[] = [];
  const used = new Set<string>();
  for (const item of items) {
    for (const op of isChangeSet(item) ? item.changeSet : [item]) {
      if (op.contentId !== undefined) {
        if (used.has(op.contentId)) throw clientError('InvalidBatch', `Content-ID ${op.contentId} is used twice`);
        used.add(op.contentId);
      }
    }
  }
  let nextId = 1;
  const freeId = () => {
    while (used.has(String(nextId))) nextId += 1;
    used.add(String(nextId));
    return String(nextId);
  };

  const chunks: string[] = [];
  items.forEach((item, itemIndex) => {
    if (isChangeSet(item)) {
      const changeSetBoundary = `changeset_${boundaryId()}`;
      const parts = item.changeSet.map((op) => {
        if (op.method === 'GET') throw clientError('InvalidBatch', 'GET requests are not allowed inside a change set');
        const contentId = op.contentId ?? freeId();
        operations.push({ index: operations.length, operation: op, item: itemIndex, inChangeSet: true, contentId });
        return `--${changeSetBoundary}${CRLF}${encodeOperation(baseUrl, op, contentId)}`;
      });
      chunks.push(
        `--${batchBoundary}${CRLF}Content-Type: multipart/mixed; boundary=${changeSetBoundary}${CRLF}${CRLF}` +
          `${parts.join(CRLF)}${CRLF}--${changeSetBoundary}--`,
      );
    } else {
      if (item.contentId !== undefined) {
        throw clientError('InvalidBatch', 'Content-ID is only meaningful inside a change set');
      }
      operations.push({ index: operations.length, operation: item, item: itemIndex, inChangeSet: false });
      chunks.push(`--${batchBoundary}${CRLF}${encodeOperation(baseUrl, item, undefined)}`);
    }
  });
  if (operations.length > 1000) throw clientError('InvalidBatch', `a batch holds at most 1000 operations, got ${operations.length}`);
  return {
    contentType: `multipart/mixed; boundary=${batchBoundary}`,
    body: `${chunks.join(CRLF)}${CRLF}--${batchBoundary}--${CRLF}`,
    operations,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Response parsing
// ---------------------------------------------------------------------------------------------------------

/** The boundary parameter of a multipart Content-Type, or `undefined`. */
export function boundaryOf(contentType: string | null): string | undefined {
  if (!contentType || !/^\s*multipart\/mixed\b/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Splits a multipart body into the text of its parts (between boundary lines). */
export function splitMultipart(text: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  // Boundary lines start a line: at the very start, or after LF.
  const find = (from: number): number => {
    let at = text.indexOf(delimiter, from);
    while (at > 0 && text[at - 1] !== '\n') at = text.indexOf(delimiter, at + 1);
    return at;
  };
  let at = find(0);
  if (at < 0) throw clientError('InvalidBatchResponse', `the batch response has no boundary ${boundary}`, 'server');
  for (;;) {
    const after = at + delimiter.length;
    if (text.startsWith('--', after)) break; // closing delimiter
    const lineEnd = text.indexOf('\n', after);
    if (lineEnd < 0) break;
    const next = find(lineEnd + 1);
    if (next < 0) throw clientError('InvalidBatchResponse', 'the batch response ends without a closing boundary', 'server');
    // The line break before a boundary belongs to the boundary.
    let end = next;
    if (text[end - 1] === '\n') end -= 1;
    if (text[end - 1] === '\r') end -= 1;
    parts.push(text.slice(lineEnd + 1, Math.max(lineEnd + 1, end)));
    at = next;
  }
  return parts;
}

/** Splits `headers CRLF CRLF body` (or LF LF) and parses the header lines. */
function splitHeaders(text: string): { headers: Headers; rest: string; firstLine?: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const rest = match ? text.slice(match.index + match[0].length) : '';
  const headers = new Headers();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      try {
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      } catch {
        // Ignore a header the Headers class refuses; it cannot matter to us.
      }
    }
  }
  return { headers, rest };
}

/** One HTTP response read out of an `application/http` part. */
export interface ParsedHttpPart {
  readonly contentId: string | null;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly bodyText: string;
}

/** A top-level part: one response, or the responses of a change set. */
export type ParsedBatchPart =
  | { readonly kind: 'response'; readonly response: ParsedHttpPart }
  | { readonly kind: 'changeset'; readonly responses: readonly ParsedHttpPart[] };

function parseHttpPart(partText: string): ParsedHttpPart {
  const mime = splitHeaders(partText);
  const lineEnd = mime.rest.search(/\r?\n/);
  const statusLine = lineEnd < 0 ? mime.rest : mime.rest.slice(0, lineEnd);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(statusLine.trim());
  if (!status) throw clientError('InvalidBatchResponse', `a batch part has no HTTP status line: ${JSON.stringify(statusLine.slice(0, 80))}`, 'server');
  const http = splitHeaders(lineEnd < 0 ? '' : mime.rest.slice(lineEnd).replace(/^\r?\n/, ''));
  return {
    contentId: mime.headers.get('Content-ID'),
    status: Number(status[1]),
    statusText: status[2] ?? '',
    headers: http.headers,
    bodyText: http.rest.replace(/\s+$/, ''),
  };
}

/** Parses a `$batch` response body into its parts (nested change sets included). */
export function parseBatchResponse(contentType: string | null, text: string): ParsedBatchPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw clientError('InvalidBatchResponse', `the batch response is not multipart/mixed (${contentType ?? 'no Content-Type'})`, 'server');
  return splitMultipart(text, boundary).map((part): ParsedBatchPart => {
    const mime = splitHeaders(part);
    const inner = boundaryOf(mime.headers.get('Content-Type'));
    if (inner) return { kind: 'changeset', responses: splitMultipart(mime.rest, inner).map(parseHttpPart) };
    return { kind: 'response', response: parseHttpPart(part) };
  });
}

function parseBody(part: ParsedHttpPart): unknown {
  if (part.bodyText === '') return null;
  try {
    return JSON.parse(part.bodyText);
  } catch {
    return part.bodyText;
  }
}

function toResponse(op: FlatOperation, part: ParsedHttpPart, request: { method: string; url: string }): BatchResponse {
  const body = parseBody(part);
  const failed = part.status >= 400;
  return {
    index: op.index,
    status: part.status,
    headers: part.headers,
    body,
    contentId: part.contentId ?? op.contentId ?? null,
    entityId: idFromEntityId(part.headers.get('OData-EntityId')),
    error: failed
      ? errorFromBody(part.status, part.statusText, body, part.headers, request).with({ operationIndex: op.index, attempts: 1 })
      : null,
  };
}

/**
 * Matches parsed response parts to the operations sent. A change set answered by a single error part
 * (it was rolled back) gives that error to each of its operations. Operations with no answer (the server
 * stopped at an earlier error) get a `NotExecuted` error.
 */
export function matchBatchResponses(
  operations: readonly FlatOperation[],
  parts: readonly ParsedBatchPart[],
  request: { method: string; url: string },
): BatchResponse[] {
  const results: BatchResponse[] = [];
  const itemIndexes = [...new Set(operations.map((op) => op.item))];
  itemIndexes.forEach((item, position) => {
    const ops = operations.filter((op) => op.item === item);
    const part = parts[position];
    if (!part) {
      for (const op of ops) {
        results.push({
          index: op.index,
          status: 0,
          headers: new Headers(),
          body: null,
          contentId: op.contentId ?? null,
          entityId: null,
          error: new DataverseError({
            kind: 'validation',
            code: 'NotExecuted',
            message: 'Not executed: the batch stopped at an earlier error',
            request,
            operationIndex: op.index,
          }),
        });
      }
      return;
    }
    if (part.kind === 'changeset') {
      ops.forEach((op, i) => {
        const answer = part.responses.find((r) => r.contentId !== null && r.contentId === op.contentId) ?? part.responses[i];
        if (answer) results.push(toResponse(op, answer, request));
      });
      return;
    }
    // One response for this item: a plain operation's answer, or a failed change set's error.
    for (const op of ops) {
      const response = toResponse(op, part.response, request);
      results.push(
        op.inChangeSet && response.error
          ? { ...response, error: response.error.with({ message: `Change set rolled back: ${response.error.message}` }) }
          : response,
      );
    }
  });
  return results;
}
