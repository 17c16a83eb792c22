/**
 * Server-driven paging: `Prefer: odata.maxpagesize=N` (default and maximum 5,000), `@odata.nextLink` with an
 * opaque `$skiptoken`.
 *
 * The token is a Dataverse-like paging cookie, `<cookie pagenumber="2" pagingcookie="…" istracking="False" />`,
 * whose `pagingcookie` holds (base64url JSON) the sort-key values and primary key of the last row of the page.
 * The next page starts strictly after that key in the query's order (keyset paging, as Dataverse's paging cookie
 * does), so rows inserted or deleted while a client pages never make it skip or repeat a row that was there all
 * along: a new row shows up if it sorts after the cursor, and not otherwise.
 */
import type { TableDef } from '../tables/schema.js';
import { badRequest } from './errors.js';
import type { OrderByItem } from './odata/order.js';
import { lookupColumnOfValueName } from './odata/model.js';
import type { StoredRow, StoredValue } from './types.js';
import { base64UrlDecode, base64UrlEncode } from './util.js';

/** Default and maximum page size (powerapps-docs, webapi/query/page-results.md). */
export const MAX_PAGE_SIZE = 5000;

/** Where the next page starts. */
export interface PageCursor {
  /** 1-based number of the page this cursor leads to. */
  readonly page: number;
  /** The last row's stored values of the `$orderby` columns and its primary key. */
  readonly key: Readonly<Record<string, StoredValue>>;
  /** Change tracking: the store version the initial synchronisation started at. */
  readonly trackingVersion?: number;
}

/** The stored columns a cursor keeps for `orderBy` on `table`. */
function cursorColumns(table: TableDef, orderBy: readonly OrderByItem[]): string[] {
  const columns = orderBy.map((item) => lookupColumnOfValueName(table, item.column) ?? item.column);
  columns.push(table.primaryKey);
  return columns;
}

/** The cursor after `row`. */
export function cursorAfter(
  table: TableDef,
  orderBy: readonly OrderByItem[],
  row: StoredRow,
  page: number,
  trackingVersion?: number,
): PageCursor {
  const key: Record<string, StoredValue> = {};
  for (const column of cursorColumns(table, orderBy)) key[column] = row[column] ?? null;
  return { page, key, trackingVersion };
}

/** The `$skiptoken` text of a cursor. */
export function encodeSkipToken(cursor: PageCursor): string {
  const payload = base64UrlEncode(JSON.stringify({ k: cursor.key, t: cursor.trackingVersion }));
  const tracking = cursor.trackingVersion === undefined ? 'False' : 'True';
  return `<cookie pagenumber="${cursor.page}" pagingcookie="${payload}" istracking="${tracking}" />`;
}

/** Reads a `$skiptoken`; a 400 when it is not one the emulator issued. */
export function decodeSkipToken(token: string): PageCursor {
  const page = /pagenumber="(\d+)"/.exec(token);
  const cookie = /pagingcookie="([A-Za-z0-9_-]*)"/.exec(token);
  const json = cookie ? base64UrlDecode(cookie[1]) : undefined;
  if (!page || json === undefined) throw invalidSkipToken();
  try {
    const parsed = JSON.parse(json) as { k?: unknown; t?: unknown };
    if (typeof parsed.k !== 'object' || parsed.k === null || Array.isArray(parsed.k)) throw invalidSkipToken();
    const trackingVersion = typeof parsed.t === 'number' ? parsed.t : undefined;
    return { page: Number(page[1]), key: parsed.k as Record<string, StoredValue>, trackingVersion };
  } catch {
    throw invalidSkipToken();
  }
}

function invalidSkipToken() {
  return badRequest('The $skiptoken value is not valid for this query.');
}

/**
 * Index of the first row of `sorted` (sorted with `compare`) that comes after the cursor (binary search).
 * The cursor's key is compared as a row holding only the sort columns and the primary key.
 */
export function startAfter(
  sorted: readonly StoredRow[],
  cursor: PageCursor,
  compare: (a: StoredRow, b: StoredRow) => number,
): number {
  const probe = cursor.key as StoredRow;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(sorted[mid], probe) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The query string of the next page's URL: the request's own query options with `$skiptoken` replaced. The
 * other options are kept as the client wrote them.
 */
export function nextLinkQuery(search: string, skipToken: string): string {
  const parts = search.replace(/^\?/, '').split('&').filter((part) => part && !/^(\$|%24)skiptoken=/i.test(part));
  parts.push(`$skiptoken=${encodeURIComponent(skipToken)}`);
  return `?${parts.join('&')}`;
}

/** `odata.maxpagesize` from a `Prefer` header value, or undefined. A 400 for a value that is not a positive integer. */
export function maxPageSize(preferences: ReadonlyMap<string, string | true>): number | undefined {
  const value = preferences.get('odata.maxpagesize');
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw badRequest(`The value '${String(value)}' of odata.maxpagesize is not a positive integer.`);
  return Math.min(n, MAX_PAGE_SIZE);
}

/**
 * Parses a `Prefer` header: `return=representation, odata.maxpagesize=50, odata.include-annotations="*"` →
 * name → value (quotes removed), `true` for a preference without a value.
 */
export function parsePrefer(header: string | null): Map<string, string | true> {
  const preferences = new Map<string, string | true>();
  if (!header) return preferences;
  // Split on commas outside quotes.
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  for (const item of items) {
    const trimmed = item.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) preferences.set(trimmed.toLowerCase(), true);
    else {
      const name = trimmed.slice(0, eq).trim().toLowerCase();
      let value = trimmed.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      preferences.set(name, value);
    }
  }
  return preferences;
}
