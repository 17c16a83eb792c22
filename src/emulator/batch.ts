/**
 * `$batch` bodies: parsing `multipart/mixed` requests (with nested change sets) and writing `multipart/mixed`
 * responses, as powerapps-docs/developer/data-platform/webapi/execute-batch-operations-using-web-api.md shows
 * them. CRLF and bare LF line endings are both accepted.
 */
import { badRequest } from './errors.js';
import { REASON_PHRASES, newGuid } from './util.js';

/** At most this many requests in one batch. */
export const MAX_BATCH_REQUESTS = 1000;

/** One HTTP request inside a batch. */
export interface BatchOperation {
  readonly method: string;
  /** The URL as written: absolute, `/api/data/v9.2/…`, relative to the service root, or `$1/…`. */
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
  /** The part's `Content-ID`, if any. */
  readonly contentId?: string;
}

/** A top-level part: a single request or a change set of requests. */
export type BatchPart =
  | { readonly kind: 'request'; readonly operation: BatchOperation }
  | { readonly kind: 'changeset'; readonly operations: readonly BatchOperation[] };

/** A response to put in the batch response. */
export interface BatchItemResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly contentId?: string;
}

/** The `boundary` parameter of a `multipart/mixed` content type, or undefined. */
export function boundaryOf(contentType: string | null): string | undefined {
  if (!contentType || !/^\s*multipart\/mixed\b/i.test(contentType)) return undefined;
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Splits a multipart body into its parts' raw text (line endings normalised to LF). */
function splitParts(body: string, boundary: string): string[] {
  const text = body.replace(/\r\n/g, '\n');
  const delimiter = `--${boundary}`;
  const lines = text.split('\n');
  const parts: string[] = [];
  let current: string[] | undefined;
  let closed = false;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\n'));
      current = undefined;
      closed = true;
      break;
    }
    if (trimmed === delimiter) {
      if (current) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (!closed) throw badRequest(`The batch body does not end with the closing boundary '--${boundary}--'.`);
  return parts;
}

/** Splits "headers, blank line, rest" (LF-normalised). */
function splitHeaders(text: string, skipLeadingBlank = true): { headers: Headers; rest: string } {
  const headers = new Headers();
  const lines = text.split('\n');
  let i = 0;
  // A part may start with a blank line (some writers put one after the boundary line).
  if (skipLeadingBlank && lines.length > 1 && lines[0].trim() === '' && lines[1].trim() !== '') i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      break;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw badRequest(`Invalid header line in batch part: '${line.slice(0, 100)}'.`);
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw badRequest(`Invalid header line in batch part: '${line.slice(0, 100)}'.`);
    }
  }
  return { headers, rest: lines.slice(i).join('\n') };
}

function parseOperation(partText: string): BatchOperation {
  const { headers: partHeaders, rest } = splitHeaders(partText);
  const contentType = partHeaders.get('content-type') ?? '';
  if (!/^application\/http\b/i.test(contentType)) {
    throw badRequest(`A batch part must have Content-Type application/http, not '${contentType}'.`);
  }
  const lines = rest.split('\n');
  let first = 0;
  while (first < lines.length && lines[first].trim() === '') first++;
  const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?\s*$/.exec(lines[first] ?? '');
  if (!requestLine) throw badRequest(`Invalid request line in batch part: '${(lines[first] ?? '').slice(0, 100)}'.`);
  const { headers, rest: body } = splitHeaders(lines.slice(first + 1).join('\n'), false);
  const contentId = partHeaders.get('content-id') ?? headers.get('content-id') ?? undefined;
  return {
    method: requestLine[1],
    url: requestLine[2],
    headers,
    body: body.replace(/\n+$/, ''),
    contentId: contentId ?? undefined,
  };
}

/** Parses a `$batch` request body. */
export function parseBatch(body: string, boundary: string): BatchPart[] {
  const parts: BatchPart[] = [];
  let count = 0;
  for (const partText of splitParts(body, boundary)) {
    const { headers, rest } = splitHeaders(partText);
    const changesetBoundary = boundaryOf(headers.get('content-type'));
    if (changesetBoundary) {
      const operations = splitParts(rest, changesetBoundary).map(parseOperation);
      for (const operation of operations) {
        if (operation.method === 'GET') throw badRequest('A change set cannot contain GET requests.');
        if (boundaryOf(operation.headers.get('content-type'))) throw badRequest('A change set cannot contain a batch.');
      }
      count += operations.length;
      parts.push({ kind: 'changeset', operations });
    } else {
      const operation = parseOperation(partText);
      if (/\$batch(\?|$)/.test(operation.url)) throw badRequest('A batch request cannot contain another batch.');
      count++;
      parts.push({ kind: 'request', operation });
    }
    if (count > MAX_BATCH_REQUESTS) {
      throw badRequest(`The batch contains more than ${MAX_BATCH_REQUESTS} requests, the maximum allowed.`);
    }
  }
  return parts;
}

function writeResponse(lines: string[], response: BatchItemResponse): void {
  lines.push('Content-Type: application/http');
  lines.push('Content-Transfer-Encoding: binary');
  if (response.contentId !== undefined) lines.push(`Content-ID: ${response.contentId}`);
  lines.push('');
  lines.push(`HTTP/1.1 ${response.status} ${REASON_PHRASES[response.status] ?? ''}`.trimEnd());
  response.headers.forEach((value, name) => lines.push(`${canonicalHeaderName(name)}: ${value}`));
  lines.push('');
  lines.push(response.body);
}

/** `odata-entityid` → `OData-EntityId` (Headers lower-cases names; batch text shows them as Dataverse writes them). */
function canonicalHeaderName(name: string): string {
  const special: Record<string, string> = {
    'odata-entityid': 'OData-EntityId',
    'odata-version': 'OData-Version',
    'preference-applied': 'Preference-Applied',
    etag: 'ETag',
  };
  return special[name] ?? name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
}

/** An entry of a batch response: a response, or the responses of a committed change set. */
export type BatchResponseEntry =
  | { readonly kind: 'response'; readonly response: BatchItemResponse }
  | { readonly kind: 'changeset'; readonly responses: readonly BatchItemResponse[] };

/** Writes a batch response body; returns it with its boundary. */
export function writeBatchResponse(entries: readonly BatchResponseEntry[]): { body: string; boundary: string } {
  const boundary = `batchresponse_${newGuid()}`;
  const lines: string[] = [];
  for (const entry of entries) {
    lines.push(`--${boundary}`);
    if (entry.kind === 'response') {
      writeResponse(lines, entry.response);
      continue;
    }
    const changeset = `changesetresponse_${newGuid()}`;
    lines.push(`Content-Type: multipart/mixed; boundary=${changeset}`);
    lines.push('');
    for (const response of entry.responses) {
      lines.push(`--${changeset}`);
      writeResponse(lines, response);
    }
    lines.push(`--${changeset}--`);
  }
  lines.push(`--${boundary}--`);
  lines.push('');
  return { body: lines.join('\r\n'), boundary };
}
