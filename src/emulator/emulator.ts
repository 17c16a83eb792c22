/**
 * The local Dataverse + Power Pages emulator: one class that answers a WHATWG `Request` with a `Response`, in
 * Node 20 and in the browser.
 *
 * - `/api/data/v9.2/…` answers as the Dataverse Web API (bearer token, Dataverse errors, `$batch`, `$metadata`);
 * - `/_api/…` answers as the Power Pages Web API (session cookie + anti-forgery token, Power Pages errors, no
 *   `$batch`), over the same tables and store;
 * - `/_layout/tokenhtml` gives a Power Pages session its anti-forgery token;
 * - `/emulator/…` are control endpoints for development and tests (sign in, tokens, users, token rotation).
 *
 * Table permissions (`permissions.ts`) apply on both APIs. `handle()` runs a pipeline of middleware (see
 * {@link Emulator.use}) around a synchronous core, so fault injection or service-protection limits can wrap
 * every request; {@link Emulator.write} lets a simulator (the SCM/dual-write clock) change rows so that the
 * changes show up in change tracking like any other write.
 *
 * Entity-set reads go through a cache of sorted results ({@link ListCache}, `list-cache.ts`): the rows in the
 * caller's scope that match `$filter`, in `$orderby` order, kept until a write to a table they depend on. A page
 * is then a binary search on the paging cookie and a slice, and `$count` is the list's length.
 */
import type { TableDef } from '../tables/schema.js';
import { AccessControl, referencedId } from './access.js';
import { ANTI_FORGERY_HEADER, Authenticator, DEFAULT_TOKEN_LIFETIME, SESSION_COOKIE, readCookie } from './auth.js';
import { boundaryOf, parseBatch, writeBatchResponse, type BatchItemResponse, type BatchOperation, type BatchResponseEntry } from './batch.js';
import type { ApiContext, Engine } from './context.js';
import {
  DATAVERSE_CODES,
  EmulatorError,
  POWER_PAGES_CODES,
  attributeNotEnabled,
  badPayload,
  badRequest,
  privilegeDenied,
  rowNotFound,
  segmentNotFound,
  toEmulatorError,
  type ApiFlavor,
} from './errors.js';
import { AnnotationFilter, DEFAULT_FORMAT, type FormatSettings } from './format.js';
import {
  emptyResponse,
  errorResponse,
  fromRequest,
  jsonResponse,
  toResponse,
  type EmulatorMiddleware,
  type EmulatorRequest,
  type EmulatorResponse,
} from './http.js';
import { metadataDocument, serviceDocument } from './metadata.js';
import { DEFAULT_LIST_CACHE_ENTRIES, ListCache } from './list-cache.js';
import { isODataQueryError, parseQueryOptions } from './odata/index.js';
import { applyAggregation } from './odata/apply.js';
import { columnOf, isLookupType, lookupColumnOfValueName, navigationOf } from './odata/model.js';
import {
  MAX_PAGE_SIZE,
  cursorAfter,
  decodeSkipToken,
  encodeSkipToken,
  maxPageSize,
  nextLinkQuery,
  parsePrefer,
  startAfter,
} from './paging.js';
import { TABLE_PERMISSIONS, WEB_API_SITE_SETTINGS, type TablePermission, type WebApiTableSetting } from './permissions.js';
import { Serializer, contextUrl, etagOf, type QueryOptions } from './serialize.js';
import type { EmulatorStore, StoreReader, StoreTransaction } from './store.js';
import type { SeedUser, StoredRow, StoredValue } from './types.js';
import { isGuid, isoSeconds, newGuid } from './util.js';
import { RowWriter, type AutoNumberState } from './writes.js';

/** Path of the Dataverse Web API (version 9.2). */
export const DATAVERSE_PATH = '/api/data/v9.2';
/** Path of the Power Pages Web API. */
export const POWER_PAGES_PATH = '/_api';
/** Change-tracking tokens expire after this long (Dataverse's default: 7 days). */
export const DELTA_TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** `@odata.count` is capped at this many rows. */
export const MAX_COUNT = 5000;

export interface EmulatorOptions {
  /** Where rows live. */
  readonly store: EmulatorStore;
  /** The table declarations by logical name (`tables` from `src/tables`). */
  readonly tables: Readonly<Record<string, TableDef>>;
  /** The people who can sign in. */
  readonly users: readonly SeedUser[];
  /** The clock (createdon/modifiedon, token expiry, change-tracking tokens). Default: the system clock. */
  readonly now?: () => Date;
  /** Table permissions. Default: the Customer portal's (`TABLE_PERMISSIONS`). */
  readonly permissions?: readonly TablePermission[];
  /** Power Pages `Webapi/<table>/…` site settings. Default: `WEB_API_SITE_SETTINGS`. */
  readonly siteSettings?: Readonly<Record<string, WebApiTableSetting>>;
  /** Locale and time zone of formatted values. Default en-US, UTC. */
  readonly format?: Partial<FormatSettings>;
  /** Serve the `/emulator/…` control endpoints. Default true. */
  readonly controlEndpoints?: boolean;
  /** Middleware to install at start (see {@link Emulator.use}). */
  readonly middleware?: readonly EmulatorMiddleware[];
  /**
   * How many sorted query results to keep for paging (see `list-cache.ts`). Default
   * {@link DEFAULT_LIST_CACHE_ENTRIES}; 0 computes every list afresh.
   */
  readonly listCacheEntries?: number;
}

/** Who a request is from, as far as the emulator can tell without answering it (for middleware). */
export interface RequestIdentity {
  /** The API the request is for, or `undefined` for other paths. */
  readonly flavor?: ApiFlavor;
  readonly user?: SeedUser;
}

/** System writes for simulators: no permission checks, but system columns and change tracking as usual. */
export interface SystemWriter extends StoreReader {
  /** Creates a row from stored values (lookups as `{ id, table }`); fills the primary key when absent. */
  create(table: string, values: Readonly<Record<string, StoredValue>>): StoredRow;
  /** Changes columns of a row (stored values). */
  update(table: string, id: string, values: Readonly<Record<string, StoredValue>>): StoredRow;
  /** Deletes a row (with the cascade of parental relationships). */
  delete(table: string, id: string): boolean;
  /** Creates a row from a Web API payload (binds, deep insert, validation), as the system user. */
  createFromPayload(table: string, body: Record<string, unknown>): StoredRow;
}

/** A resource path under an API root, split into its parts. */
interface ResourcePath {
  readonly table: TableDef;
  readonly id?: string;
  /** The segment after `set(id)`: a property or navigation property, or `$count` after the set. */
  readonly member?: string;
  /** `$ref` (or `$value`) after the member. */
  readonly suffix?: string;
}

/** Thrown inside a change set to roll it back; carries the failing response. */
class ChangeSetFailure extends Error {
  constructor(readonly response: BatchItemResponse) {
    super('change set failed');
  }
}

const NOT_AN_API_PATH = 'The requested resource does not exist.';

/**
 * The emulator. Construct it with a store, the table declarations and the users; give `handle` to a server,
 * or `createEmulatorFetch(emulator)` to a client.
 */
export class Emulator implements Engine {
  readonly store: EmulatorStore;
  readonly tables: Readonly<Record<string, TableDef>>;
  readonly access: AccessControl;
  readonly now: () => Date;
  readonly format: FormatSettings;
  readonly auth: Authenticator;
  /** Sorted query results kept for paging (see `list-cache.ts`). */
  readonly listCache: ListCache;

  private readonly bySet = new Map<string, TableDef>();
  private readonly siteSettings: Readonly<Record<string, WebApiTableSetting>>;
  private readonly controlEndpoints: boolean;
  private readonly middleware: EmulatorMiddleware[] = [];
  private readonly autoNumberCounters = new Map<string, number>();
  private readonly autoNumbers: AutoNumberState = { next: (table) => this.nextAutoNumber(table) };

  constructor(options: EmulatorOptions) {
    this.store = options.store;
    this.tables = options.tables;
    this.now = options.now ?? (() => new Date());
    this.access = new AccessControl(options.permissions ?? TABLE_PERMISSIONS);
    this.siteSettings = options.siteSettings ?? WEB_API_SITE_SETTINGS;
    this.format = { ...DEFAULT_FORMAT, ...options.format };
    this.controlEndpoints = options.controlEndpoints ?? true;
    this.auth = new Authenticator(options.users, this.now);
    for (const table of Object.values(options.tables)) this.bySet.set(table.entitySet, table);
    for (const middleware of options.middleware ?? []) this.use(middleware);
    this.listCache = new ListCache(this, options.listCacheEntries ?? DEFAULT_LIST_CACHE_ENTRIES);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Engine

  tableOf(logicalName: string): TableDef | undefined {
    return Object.prototype.hasOwnProperty.call(this.tables, logicalName) ? this.tables[logicalName] : undefined;
  }

  tableBySet(entitySet: string): TableDef | undefined {
    return this.bySet.get(entitySet);
  }

  siteSetting(logicalName: string): WebApiTableSetting | undefined {
    const setting = Object.prototype.hasOwnProperty.call(this.siteSettings, logicalName)
      ? this.siteSettings[logicalName]
      : undefined;
    return setting?.enabled && this.tableOf(logicalName) ? setting : undefined;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Public API

  /**
   * Adds a middleware around request handling. The first one added is the outermost. Middleware may delay,
   * answer without calling `next` (a 429, a 503), or call `next` and then drop the response
   * (`{ ...response, networkError: true }`: the write happened, the client never hears of it).
   */
  use(middleware: EmulatorMiddleware): this {
    this.middleware.push(middleware);
    return this;
  }

  /** Answers a WHATWG `Request`. Never throws: unexpected errors become a 500 in the API's error shape. */
  async handle(request: Request): Promise<Response> {
    let internal: EmulatorRequest;
    try {
      internal = await fromRequest(request);
    } catch (error) {
      return toResponse(errorResponse(toEmulatorError(error), 'dataverse'));
    }
    return toResponse(await this.process(internal));
  }

  /**
   * Runs an {@link EmulatorRequest} through the middleware and the core. Never throws.
   *
   * Cross-origin calls to the Dataverse API and the control endpoints get CORS headers (Dataverse allows CORS
   * for bearer-token calls, so a page on another origin can use it); a CORS preflight is answered before any
   * middleware. The Power Pages API stays same-origin, as on a real site.
   */
  async process(request: EmulatorRequest): Promise<EmulatorResponse> {
    const origin = request.headers.get('origin');
    const cors = origin !== null && corsAllowed(request.url.pathname);
    if (cors && request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      return emptyResponse(204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE',
        'Access-Control-Allow-Headers': request.headers.get('access-control-request-headers') ?? '',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    const run = async (index: number, current: EmulatorRequest): Promise<EmulatorResponse> => {
      const middleware = this.middleware[index];
      if (!middleware) return this.execute(current);
      return middleware(current, (next) => run(index + 1, next));
    };
    let response: EmulatorResponse;
    try {
      response = await run(0, request);
    } catch (error) {
      response = errorResponse(toEmulatorError(error), flavorOf(request.url.pathname) ?? 'dataverse');
    }
    if (cors) {
      const headers = new Headers(response.headers);
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
      headers.append('Vary', 'Origin');
      response = { ...response, headers };
    }
    return response;
  }

  /** Who sent a request (bearer token or Power Pages session), without checking anything else. */
  identify(request: EmulatorRequest): RequestIdentity {
    const flavor = flavorOf(request.url.pathname);
    if (flavor === 'dataverse') {
      const result = this.auth.bearerUser(request.headers.get('authorization'));
      return { flavor, user: 'user' in result ? result.user : undefined };
    }
    if (flavor === 'powerpages') {
      return { flavor, user: this.auth.sessionUser(readCookie(request.headers.get('cookie'), SESSION_COOKIE)) };
    }
    return {};
  }

  /**
   * Runs system writes in one transaction: for simulators (the SCM/dual-write clock moving orders through
   * statuses). No permission checks; `createdon`/`modifiedon`/`versionnumber` are maintained and every change
   * shows up in change tracking.
   */
  write<T>(fn: (writer: SystemWriter) => T): T {
    return this.store.transaction((tx) => fn(this.systemWriter(tx)));
  }

  /** The synchronous core: answers one request (no middleware). Never throws. */
  execute(request: EmulatorRequest): EmulatorResponse {
    const flavor = flavorOf(request.url.pathname);
    try {
      const path = request.url.pathname;
      if (path.startsWith('/emulator/') && this.controlEndpoints) return this.control(request);
      if (path === '/_layout/tokenhtml') return this.tokenHtml(request);
      if (flavor) return this.executeApi(request, flavor);
      return jsonResponse(404, { error: { code: DATAVERSE_CODES.badQuery, message: NOT_AN_API_PATH } });
    } catch (error) {
      return errorResponse(toEmulatorError(error), flavor ?? 'dataverse');
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Control endpoints

  private control(request: EmulatorRequest): EmulatorResponse {
    const action = request.url.pathname.slice('/emulator/'.length);
    const method = request.method;
    const body = (): Record<string, unknown> => {
      if (!request.body.trim()) return {};
      try {
        const parsed: unknown = JSON.parse(request.body);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
      } catch {
        // fall through
      }
      throw new EmulatorError(400, '', 'The request body must be a JSON object.');
    };
    const userFrom = (b: Record<string, unknown>): SeedUser => {
      if (typeof b.user !== 'string') throw new EmulatorError(400, '', 'Give the user\'s e-mail address: {"user":"<email>"}.');
      const user = this.auth.findUser(b.user);
      if (!user) throw new EmulatorError(404, '', `No seeded user has the e-mail address '${b.user}'.`);
      return user;
    };

    if (action === 'users' && method === 'GET') {
      return jsonResponse(200, {
        value: this.auth.users.map((u) => ({
          email: u.email,
          fullName: u.fullName,
          contactId: u.contactId,
          accountId: u.accountId,
          accountNumber: u.accountNumber,
          webRoles: u.webRoles,
        })),
      });
    }
    if (action === 'signin' && method === 'POST') {
      const user = userFrom(body());
      const sessionId = this.auth.signIn(user);
      const response = jsonResponse(200, { user: { email: user.email, fullName: user.fullName, webRoles: user.webRoles } });
      return { ...response, cookies: [`${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Lax`] };
    }
    if (action === 'signout' && method === 'POST') {
      const sessionId = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
      if (sessionId) this.auth.signOut(sessionId);
      const bearer = /^Bearer\s+(\S+)/i.exec(request.headers.get('authorization') ?? '');
      if (bearer) this.auth.revokeToken(bearer[1]);
      return { ...emptyResponse(204), cookies: [`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`] };
    }
    if (action === 'token' && method === 'POST') {
      const b = body();
      const user = userFrom(b);
      let lifetime = DEFAULT_TOKEN_LIFETIME;
      if (b.expires_in !== undefined) {
        if (typeof b.expires_in !== 'number' || !(b.expires_in > 0)) {
          throw new EmulatorError(400, '', 'expires_in must be a positive number of seconds.');
        }
        lifetime = b.expires_in;
      }
      return jsonResponse(200, {
        access_token: this.auth.issueToken(user, lifetime),
        token_type: 'Bearer',
        expires_in: lifetime,
      });
    }
    if (action === 'rotate-token' && method === 'POST') {
      const b = body();
      const sessionId = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
      let rotated: number;
      if (typeof b.user === 'string') rotated = this.auth.rotateAntiForgeryTokens({ email: b.user });
      else if (sessionId && b.all !== true) rotated = this.auth.rotateAntiForgeryTokens({ sessionId });
      else rotated = this.auth.rotateAntiForgeryTokens();
      return jsonResponse(200, { rotated });
    }
    return jsonResponse(404, { error: { code: '', message: `Unknown emulator control endpoint: ${method} /emulator/${action}` } });
  }

  /** `GET /_layout/tokenhtml`: the anti-forgery token of the caller's session in a hidden input. */
  private tokenHtml(request: EmulatorRequest): EmulatorResponse {
    if (request.method !== 'GET') return emptyResponse(405);
    const sessionId = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
    // Without a session (an anonymous visitor) Power Pages still hands out a token; it is bound to no session
    // here, so /_api calls with it fail with MissingPortalSessionCookie anyway.
    const token = (sessionId && this.auth.antiForgeryToken(sessionId)) || newGuid().replace(/-/g, '');
    const headers = new Headers({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache, no-store' });
    return {
      status: 200,
      headers,
      body: `<input name="${ANTI_FORGERY_HEADER}" type="hidden" value="${token}" />`,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // The Web APIs

  private executeApi(request: EmulatorRequest, flavor: ApiFlavor, contentIds?: ReadonlyMap<string, string>): EmulatorResponse {
    try {
      const root = flavor === 'dataverse' ? DATAVERSE_PATH : POWER_PAGES_PATH;
      const base = `${request.url.origin}${root}/`;
      const user = this.authenticate(request, flavor);
      const ctx: ApiContext = { flavor, base, user, enforcePermissions: true, contentIds };
      const resource = decodeURIComponentSafe(request.url.pathname.slice(root.length + 1));
      return this.route(request, ctx, resource);
    } catch (error) {
      const emulatorError = isODataQueryError(error) ? fromQueryError(error) : toEmulatorError(error);
      return errorResponse(emulatorError, flavor);
    }
  }

  private authenticate(request: EmulatorRequest, flavor: ApiFlavor): SeedUser {
    if (flavor === 'dataverse') {
      const result = this.auth.bearerUser(request.headers.get('authorization'));
      if ('user' in result) return result.user;
      const messages = {
        missing: 'The request has no access token: send Authorization: Bearer <token>.',
        invalid: 'The access token is not valid.',
        expired: 'The access token has expired.',
      } as const;
      throw new EmulatorError(401, DATAVERSE_CODES.unauthenticated, messages[result.problem], {
        headers: {
          'WWW-Authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=${request.url.origin}/`,
        },
      });
    }
    const sessionId = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
    const user = this.auth.sessionUser(sessionId);
    if (!sessionId || !user) {
      throw new EmulatorError(401, '', 'An Invalid session token was passed into the throwing method.', {
        portalCode: POWER_PAGES_CODES.missingSessionCookie,
      });
    }
    if (!this.auth.checkAntiForgeryToken(sessionId, request.headers.get(ANTI_FORGERY_HEADER))) {
      throw new EmulatorError(401, '', 'The anti-forgery cookie token and form field token do not match.', {
        portalCode: POWER_PAGES_CODES.antiForgery,
      });
    }
    return user;
  }

  private route(request: EmulatorRequest, ctx: ApiContext, resource: string): EmulatorResponse {
    const method = request.method;
    const dataverse = ctx.flavor === 'dataverse';
    if (resource === '' || resource === '/') {
      if (!dataverse) throw segmentNotFound('');
      if (method !== 'GET') throw methodNotAllowed(method);
      return jsonResponse(200, serviceDocument(ctx.base, this.tables));
    }
    if (resource === '$metadata') {
      if (!dataverse) throw segmentNotFound('$metadata');
      if (method !== 'GET') throw methodNotAllowed(method);
      return {
        status: 200,
        headers: new Headers({ 'Content-Type': 'application/xml', 'OData-Version': '4.0' }),
        body: metadataDocument(this.tables),
      };
    }
    if (resource === '$batch') {
      if (!dataverse) throw segmentNotFound('$batch');
      if (method !== 'POST') throw methodNotAllowed(method);
      return this.batch(request, ctx);
    }

    const path = this.parsePath(resource, ctx);
    const { table } = path;
    if (path.id === undefined) {
      if (path.member === '$count') {
        if (method !== 'GET') throw methodNotAllowed(method);
        return this.countRows(request, ctx, table);
      }
      if (path.member !== undefined) throw segmentNotFound(path.member);
      if (method === 'GET') return this.readCollection(request, ctx, table);
      if (method === 'POST') return this.create(request, ctx, table);
      throw methodNotAllowed(method);
    }
    if (path.member === undefined) {
      if (method === 'GET') return this.readRow(request, ctx, table, path.id);
      if (method === 'PATCH') return this.upsert(request, ctx, table, path.id);
      if (method === 'DELETE') return this.deleteRow(request, ctx, table, path.id);
      throw methodNotAllowed(method);
    }
    return this.member(request, ctx, path as Required<Pick<ResourcePath, 'table' | 'id' | 'member'>> & ResourcePath);
  }

  private parsePath(resource: string, ctx: ApiContext): ResourcePath {
    const segments = resource.split('/');
    if (segments.length > 3) throw segmentNotFound(segments[3]);
    const first = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/.exec(segments[0]);
    if (!first) throw segmentNotFound(segments[0]);
    const table = this.tableBySet(first[1]);
    if (!table) throw segmentNotFound(first[1]);
    if (ctx.flavor === 'powerpages' && !this.siteSetting(table.logicalName)) throw segmentNotFound(first[1]);
    let id: string | undefined;
    if (first[2] !== undefined) {
      const key = first[2].trim();
      const match = new RegExp(`^(?:${table.primaryKey}=)?\\{?([0-9a-fA-F-]{36})\\}?$`).exec(key);
      if (!match || !isGuid(match[1])) throw badRequest('Bad Request - Error in query syntax.');
      id = match[1].toLowerCase();
    }
    return { table, id, member: segments[1], suffix: segments[2] };
  }

  // --- Reads -------------------------------------------------------------------------------------------------

  private parseQuery(request: EmulatorRequest, ctx: ApiContext, table: TableDef): QueryOptions {
    const query = parseQueryOptions(request.url.search, table, (name) => this.tableOf(name));
    if (ctx.flavor === 'powerpages') this.checkPortalFields(table, query);
    return query;
  }

  /** Power Pages: `$select` is required unless the table's fields setting is `*`, and only listed fields. */
  private checkPortalFields(table: TableDef, query: QueryOptions): void {
    const fields = this.siteSetting(table.logicalName)?.fields ?? '*';
    if (fields !== '*' && query.apply) {
      // An aggregate reads only the columns it groups by and aggregates: those must be listed (no $select needed).
      for (const step of query.apply.steps) {
        const used = step.kind === 'groupby' ? [...step.properties] : [];
        if (step.kind !== 'filter') {
          for (const a of step.aggregations) if (a.kind === 'method') used.push(a.property);
        }
        for (const name of used) {
          const column = lookupColumnOfValueName(table, name) ?? name;
          if (!fields.includes(column)) throw attributeNotEnabled(table.logicalName, column);
        }
      }
    } else if (fields !== '*') {
      if (!query.select) {
        throw new EmulatorError(400, DATAVERSE_CODES.badQuery, `Specify the columns to read with $select: the Webapi/${table.logicalName}/fields site setting lists them.`);
      }
      for (const name of query.select) {
        const column = lookupColumnOfValueName(table, name) ?? name;
        if (!fields.includes(column)) throw attributeNotEnabled(table.logicalName, column);
      }
    }
    for (const item of query.expand) {
      const nav = navigationOf(table, item.navigation);
      const related = nav ? this.tableOf(nav.table) : undefined;
      if (!related) continue;
      if (!this.siteSetting(related.logicalName)) throw segmentNotFound(item.navigation);
      this.checkPortalFields(related, item.options);
    }
  }

  private requireRead(ctx: ApiContext, table: TableDef): void {
    if (!this.access.hasPrivilege(ctx.user, table.logicalName, 'read')) {
      throw privilegeDenied('read', table.logicalName, ctx.user?.contactId ?? '');
    }
  }

  /** The row if it exists and the caller may read it; else the same 404 either way. */
  private visibleRow(ctx: ApiContext, table: TableDef, id: string, reader: StoreReader = this.store): StoredRow {
    const row = reader.get(table.logicalName, id);
    if (!row || !this.access.allows(ctx.user, table.logicalName, row, 'read', reader)) {
      throw rowNotFound(table.logicalName, id);
    }
    return row;
  }

  private serializer(request: EmulatorRequest, ctx: ApiContext, reader: StoreReader = this.store): Serializer {
    return new Serializer(this, ctx, annotationsOf(request), reader);
  }

  private readCollection(
    request: EmulatorRequest,
    ctx: ApiContext,
    table: TableDef,
    scope?: { readonly parent: TableDef; readonly parentId: string; readonly referencingColumn: string },
  ): EmulatorResponse {
    this.requireRead(ctx, table);
    const preferences = parsePrefer(request.headers.get('prefer'));
    const query = this.parseQuery(request, ctx, table);
    // A page of an initial change-tracking sync stays part of it even when the client follows the nextLink
    // without repeating the preference: the paging cookie carries the tracking version.
    const continuesTracking = query.skipToken !== undefined && decodeSkipToken(query.skipToken).trackingVersion !== undefined;
    if (preferences.has('odata.track-changes') || query.deltaToken !== undefined || continuesTracking) {
      if (scope) throw badRequest('Change tracking is only available on an entity set.', DATAVERSE_CODES.invalidArgument);
      return this.trackChanges(request, ctx, table, query, preferences);
    }
    const serializer = this.serializer(request, ctx);
    // The rows the caller may read: the related rows of one parent row, or the entity set's rows in scope.
    const rowsInScope = (): StoredRow[] => scope
      ? this.store
        .findBy(table.logicalName, scope.referencingColumn, scope.parentId)
        .filter((row) => this.access.allows(ctx.user, table.logicalName, row, 'read', this.store))
      : [...this.access.rowsInScope(ctx.user, table.logicalName, 'read', this.store)];
    const applied: string[] = [];
    const annotations = annotationsOf(request);
    if (annotations.any) applied.push(`odata.include-annotations="${annotations.raw}"`);

    if (query.apply) {
      const value = applyAggregation(query.apply, rowsInScope(), table, { ...serializer.evalContext, table, now: this.now() });
      return jsonResponse(200, { '@odata.context': contextUrl(ctx, this, table, { ...query, select: undefined, expand: [] }), value }, preferenceApplied(applied));
    }

    // An entity set's list comes from the list cache, so that each page of a long list is a binary search and a
    // slice rather than a filter and a sort of every row in scope. A parent's related rows are few: no cache.
    const sorted = scope
      ? serializer.filterAndSort(table, rowsInScope(), query)
      : this.listCache.rows(ctx.user, table, query.filter, query.orderBy, this.now());
    const pageSize = maxPageSize(preferences);
    if (pageSize !== undefined) applied.push(`odata.maxpagesize=${pageSize}`);
    let start = 0;
    let page = 1;
    if (query.skipToken !== undefined) {
      const cursor = decodeSkipToken(query.skipToken);
      start = startAfter(sorted, cursor, serializer.comparator(table, query.orderBy));
      page = cursor.page;
    }
    let limit: number;
    let pageable: boolean;
    if (pageSize !== undefined) {
      limit = pageSize;
      pageable = true;
    } else if (query.top !== undefined) {
      limit = Math.min(query.top, MAX_PAGE_SIZE);
      pageable = false;
    } else {
      limit = MAX_PAGE_SIZE;
      pageable = true;
    }
    const pageRows = sorted.slice(start, start + limit);
    const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, this, table, query) };
    if (query.count) Object.assign(body, countAnnotations(sorted.length));
    body.value = pageRows.map((row) => serializer.entity(table, row, query));
    if (pageable && start + limit < sorted.length) {
      const token = encodeSkipToken(cursorAfter(table, query.orderBy, pageRows[pageRows.length - 1], page + 1));
      body['@odata.nextLink'] = `${request.url.origin}${request.url.pathname}${nextLinkQuery(request.url.search, token)}`;
    }
    return jsonResponse(200, body, preferenceApplied(applied));
  }

  private countRows(request: EmulatorRequest, ctx: ApiContext, table: TableDef): EmulatorResponse {
    this.requireRead(ctx, table);
    const query = this.parseQuery(request, ctx, table);
    const rows = this.listCache.rows(ctx.user, table, query.filter, query.orderBy, this.now());
    return {
      status: 200,
      headers: new Headers({ 'Content-Type': 'text/plain', 'OData-Version': '4.0' }),
      body: String(Math.min(rows.length, MAX_COUNT)),
    };
  }

  private readRow(request: EmulatorRequest, ctx: ApiContext, table: TableDef, id: string): EmulatorResponse {
    this.requireRead(ctx, table);
    const query = this.parseQuery(request, ctx, table);
    if (query.apply) throw badRequest('The query option $apply is not supported on a single record.');
    const row = this.visibleRow(ctx, table, id);
    const annotations = annotationsOf(request);
    const ifNoneMatch = request.headers.get('if-none-match');
    if (ifNoneMatch && ifNoneMatch !== 'null' && query.expand.length === 0 && !annotations.any && etagMatches(ifNoneMatch, row)) {
      return emptyResponse(304, { ETag: etagOf(row) });
    }
    const body = {
      '@odata.context': contextUrl(ctx, this, table, query, '/$entity'),
      ...this.serializer(request, ctx).entity(table, row, query),
    };
    const applied = annotations.any ? [`odata.include-annotations="${annotations.raw}"`] : [];
    return jsonResponse(200, body, { ETag: etagOf(row), ...preferenceApplied(applied) });
  }

  /** `set(id)/member[/suffix]`: a property, a navigation property, or a `$ref`. */
  private member(
    request: EmulatorRequest,
    ctx: ApiContext,
    path: ResourcePath & { id: string; member: string },
  ): EmulatorResponse {
    const { table, id, member, suffix } = path;
    const method = request.method;
    const nav = navigationOf(table, member);
    if (nav && suffix === '$ref') {
      const existing = this.visibleRow(ctx, table, id);
      const body = method === 'DELETE' ? {} : parseJsonBody(request, table);
      const reference = typeof body['@odata.id'] === 'string' ? body['@odata.id'] : undefined;
      if (nav.kind === 'single' && (method === 'PUT' || method === 'DELETE')) {
        if (method === 'PUT' && !reference) throw badPayload(table.entitySet, 'The body must be {"@odata.id": "<entity URL>"}.');
        this.store.transaction((tx) => this.writer(ctx, tx).setReference(table, existing, member, method === 'PUT' ? reference! : null));
        return emptyResponse(204);
      }
      if (nav.kind === 'collection' && method === 'POST') {
        if (!reference) throw badPayload(table.entitySet, 'The body must be {"@odata.id": "<entity URL>"}.');
        this.store.transaction((tx) => this.writer(ctx, tx).addToCollection(table, existing, member, reference));
        return emptyResponse(204);
      }
      if (nav.kind === 'collection' && method === 'DELETE') {
        const target = request.url.searchParams.get('$id');
        const related = this.tableOf(nav.table);
        if (!target || !related) throw badRequest('Give the row to disassociate with ?$id=<entity URL>.');
        this.store.transaction((tx) => {
          const writer = this.writer(ctx, tx);
          const reference = writer.parseReference(table, target);
          const child = this.visibleRow(ctx, related, reference.id, tx);
          if (referencedId(child[nav.referencingColumn]) !== id) throw rowNotFound(related.logicalName, reference.id);
          const back = related.columns[nav.referencingColumn]?.navigation?.[table.logicalName];
          if (!back) throw badRequest(`The relationship '${member}' cannot be changed from this side.`);
          writer.setReference(related, child, back, null);
        });
        return emptyResponse(204);
      }
      throw methodNotAllowed(method);
    }
    if (suffix !== undefined) throw segmentNotFound(suffix);
    if (nav) {
      if (method !== 'GET') throw methodNotAllowed(method);
      const parent = this.visibleRow(ctx, table, id);
      const related = this.tableOf(nav.table);
      if (!related) throw segmentNotFound(member);
      if (nav.kind === 'collection') {
        return this.readCollection(request, ctx, related, { parent: table, parentId: id, referencingColumn: nav.referencingColumn });
      }
      this.requireRead(ctx, related);
      const value = parent[nav.column];
      const target = value && typeof value === 'object' && value.table === nav.table ? this.store.get(nav.table, value.id) : undefined;
      if (!target || !this.access.allows(ctx.user, nav.table, target, 'read', this.store)) return emptyResponse(204);
      const query = this.parseQuery(request, ctx, related);
      return jsonResponse(200, {
        '@odata.context': contextUrl(ctx, this, related, query, '/$entity'),
        ...this.serializer(request, ctx).entity(related, target, query),
      });
    }
    // A single property.
    const columnName = lookupColumnOfValueName(table, member) ?? member;
    const column = columnOf(table, columnName);
    if (!column || (isLookupType(column.type) && columnName === member)) throw segmentNotFound(member);
    if (method === 'GET') {
      this.requireRead(ctx, table);
      const row = this.visibleRow(ctx, table, id);
      const value = row[columnName] ?? null;
      return jsonResponse(200, {
        '@odata.context': `${ctx.base}$metadata#${table.entitySet}(${id})/${member}`,
        value: value !== null && typeof value === 'object' ? value.id : value,
      });
    }
    if (method === 'PUT' || method === 'DELETE') {
      if (isLookupType(column.type)) {
        throw badPayload(table.entitySet, 'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.');
      }
      const body = method === 'PUT' ? parseJsonBody(request, table) : { value: null };
      if (!('value' in body)) throw badPayload(table.entitySet, 'The body must be {"value": <new value>}.');
      const existing = this.visibleRow(ctx, table, id);
      this.store.transaction((tx) => this.writer(ctx, tx).update(table, existing, { [columnName]: body.value }));
      return emptyResponse(204);
    }
    throw methodNotAllowed(method);
  }

  // --- Change tracking -----------------------------------------------------------------------------------

  /**
   * `Prefer: odata.track-changes` and `$deltatoken`. The delta token is `<store version>!<UTC time>` (the shape
   * of Dataverse's tokens); it expires after {@link DELTA_TOKEN_LIFETIME_MS} or when the store's change log no
   * longer reaches back to it.
   *
   * Table permissions apply, kept simple: a changed row is reported (as it is now) when the caller may read it
   * now; a deleted row is reported when the caller could read its last state (judged with the rows deleted
   * since the token, so an order's lines deleted with it still count as the caller's). A row that *moves out*
   * of the caller's scope (say, an order re-assigned to another contact) is not reported at all — neither as
   * changed nor as deleted — so a client keeps its stale copy until it synchronises again from scratch.
   */
  private trackChanges(
    request: EmulatorRequest,
    ctx: ApiContext,
    table: TableDef,
    query: QueryOptions,
    preferences: ReadonlyMap<string, string | true>,
  ): EmulatorResponse {
    if (!table.changeTracking) {
      throw badRequest(`Change tracking is not enabled for the ${table.logicalName} table.`, DATAVERSE_CODES.invalidArgument);
    }
    const refused: string[] = [];
    if (query.filter) refused.push('$filter');
    if (query.orderBy.length) refused.push('$orderby');
    if (query.expand.length) refused.push('$expand');
    if (query.top !== undefined) refused.push('$top');
    if (query.apply) refused.push('$apply');
    if (query.count) refused.push('$count');
    if (refused.length) {
      throw badRequest(
        `The query option ${refused[0]} is not supported with change tracking (Prefer: odata.track-changes); only $select is.`,
        DATAVERSE_CODES.invalidArgument,
      );
    }
    const serializer = this.serializer(request, ctx);
    const applied = ['odata.track-changes'];
    const annotations = annotationsOf(request);
    if (annotations.any) applied.push(`odata.include-annotations="${annotations.raw}"`);
    const deltaLink = (version: number) =>
      `${ctx.base}${table.entitySet}${replaceQueryOptions(request.url.search, { $deltatoken: this.deltaToken(version) })}`;

    if (query.deltaToken !== undefined) {
      const since = this.readDeltaToken(query.deltaToken);
      const { changes, complete } = this.store.changesSince(table.logicalName, since);
      if (!complete) throw expiredDeltaToken();
      const version = this.store.version;
      const tombstones = new TombstoneReader(this.store, since);
      const value: unknown[] = [];
      for (const change of changes) {
        if (change.kind === 'delete') {
          if (this.access.allows(ctx.user, table.logicalName, change.row, 'read', tombstones)) {
            value.push({ '@odata.context': `${ctx.base}$metadata#${table.entitySet}/$deletedEntity`, id: change.id, reason: 'deleted' });
          }
          continue;
        }
        const row = this.store.get(table.logicalName, change.id);
        if (row && this.access.allows(ctx.user, table.logicalName, row, 'read', this.store)) {
          value.push(serializer.entity(table, row, query));
        }
      }
      return jsonResponse(
        200,
        { '@odata.context': contextUrl(ctx, this, table, query, '/$delta'), value, '@odata.deltaLink': deltaLink(version) },
        preferenceApplied(applied),
      );
    }

    // Initial synchronisation: every row in scope, paged; the delta link comes with the last page.
    let trackingVersion = this.store.version;
    let start = 0;
    let page = 1;
    // Change tracking refuses $filter and $orderby: the rows in scope by primary key.
    const sorted = this.listCache.rows(ctx.user, table, undefined, [], this.now());
    const compare = serializer.comparator(table, []);
    if (query.skipToken !== undefined) {
      const cursor = decodeSkipToken(query.skipToken);
      if (cursor.trackingVersion === undefined) throw badRequest('The $skiptoken value is not valid for this query.');
      trackingVersion = cursor.trackingVersion;
      start = startAfter(sorted, cursor, compare);
      page = cursor.page;
    }
    const pageSize = maxPageSize(preferences) ?? MAX_PAGE_SIZE;
    if (preferences.has('odata.maxpagesize')) applied.push(`odata.maxpagesize=${pageSize}`);
    const pageRows = sorted.slice(start, start + pageSize);
    const body: Record<string, unknown> = {
      '@odata.context': contextUrl(ctx, this, table, query),
      value: pageRows.map((row) => serializer.entity(table, row, query)),
    };
    if (start + pageSize < sorted.length) {
      const token = encodeSkipToken(cursorAfter(table, [], pageRows[pageRows.length - 1], page + 1, trackingVersion));
      body['@odata.nextLink'] = `${ctx.base}${table.entitySet}${nextLinkQuery(request.url.search, token)}`;
    } else {
      body['@odata.deltaLink'] = deltaLink(trackingVersion);
    }
    return jsonResponse(200, body, preferenceApplied(applied));
  }

  /** Dataverse-like delta token: `<version>!<MM/DD/YYYY HH:MM:SS>` (UTC). */
  private deltaToken(version: number): string {
    const d = this.now();
    const two = (n: number) => String(n).padStart(2, '0');
    const stamp = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    return `${version}!${stamp}`;
  }

  private readDeltaToken(token: string): number {
    const match = /^(\d+)!(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(token);
    if (!match) throw badRequest('The $deltatoken value is not valid.', DATAVERSE_CODES.invalidArgument);
    const [, version, month, day, year, hours, minutes, seconds] = match.map(Number);
    const issued = Date.UTC(year, month - 1, day, hours, minutes, seconds);
    if (this.now().getTime() - issued > DELTA_TOKEN_LIFETIME_MS || version > this.store.version) throw expiredDeltaToken();
    return version;
  }

  // --- Writes ----------------------------------------------------------------------------------------------

  private writer(ctx: ApiContext, tx: StoreTransaction): RowWriter {
    return new RowWriter(this, ctx, tx, this.autoNumbers);
  }

  private create(request: EmulatorRequest, ctx: ApiContext, table: TableDef): EmulatorResponse {
    const body = parseJsonBody(request, table);
    const row = this.store.transaction((tx) => this.writer(ctx, tx).create(table, body));
    return this.writeResponse(request, ctx, table, row, true);
  }

  private upsert(request: EmulatorRequest, ctx: ApiContext, table: TableDef, id: string): EmulatorResponse {
    const body = parseJsonBody(request, table);
    const ifMatch = request.headers.get('if-match');
    const ifNoneMatch = request.headers.get('if-none-match');
    let created = false;
    const row = this.store.transaction((tx) => {
      const writer = this.writer(ctx, tx);
      const existing = tx.get(table.logicalName, id);
      const visible = existing !== undefined && this.access.allows(ctx.user, table.logicalName, existing, 'read', tx);
      if (ifNoneMatch === '*') {
        if (existing) throw new EmulatorError(412, DATAVERSE_CODES.duplicate, 'A record with matching key values already exists.');
        created = true;
        return writer.create(table, body, { id });
      }
      if (ifMatch) {
        if (!visible) throw rowNotFound(table.logicalName, id);
        if (ifMatch.trim() !== '*' && !etagMatches(ifMatch, existing)) throw concurrencyError();
        return writer.update(table, existing, body);
      }
      if (existing) {
        if (!visible) throw privilegeDenied('write', table.logicalName, ctx.user?.contactId ?? '');
        return writer.update(table, existing, body);
      }
      created = true;
      return writer.create(table, body, { id });
    });
    return this.writeResponse(request, ctx, table, row, created, true);
  }

  private deleteRow(request: EmulatorRequest, ctx: ApiContext, table: TableDef, id: string): EmulatorResponse {
    const ifMatch = request.headers.get('if-match');
    this.store.transaction((tx) => {
      const existing = this.visibleRow(ctx, table, id, tx);
      if (ifMatch && ifMatch.trim() !== '*' && !etagMatches(ifMatch, existing)) throw concurrencyError();
      this.writer(ctx, tx).delete(table, existing);
    });
    return emptyResponse(204);
  }

  /** 204 + `OData-EntityId` (Power Pages: also `entityid`), or the row with `Prefer: return=representation`. */
  private writeResponse(
    request: EmulatorRequest,
    ctx: ApiContext,
    table: TableDef,
    row: StoredRow,
    created: boolean,
    patch = false,
  ): EmulatorResponse {
    const id = String(row[table.primaryKey]);
    const headers: Record<string, string> = { 'OData-EntityId': `${ctx.base}${table.entitySet}(${id})` };
    if (ctx.flavor === 'powerpages') headers.entityid = id;
    const preferences = parsePrefer(request.headers.get('prefer'));
    if (preferences.get('return') !== 'representation') return emptyResponse(204, headers);
    const query = this.parseQuery(request, ctx, table);
    const annotations = annotationsOf(request);
    const applied = ['return=representation'];
    if (annotations.any) applied.push(`odata.include-annotations="${annotations.raw}"`);
    const body = {
      '@odata.context': contextUrl(ctx, this, table, query, '/$entity'),
      ...this.serializer(request, ctx).entity(table, row, query),
    };
    return jsonResponse(created ? 201 : patch ? 200 : 201, body, { ...headers, ETag: etagOf(row), ...preferenceApplied(applied) });
  }

  private nextAutoNumber(table: string): number {
    let current = this.autoNumberCounters.get(table);
    if (current === undefined) {
      // Continue after the highest number already stored (seed data uses the same format).
      current = 999;
      const column = table === 'salesorder' ? 'ordernumber' : 'invoicenumber';
      for (const row of this.store.all(table)) {
        const match = /^[A-Z]+-(\d+)-/.exec(String(row[column] ?? ''));
        if (match) current = Math.max(current, Number(match[1]));
      }
    }
    current++;
    this.autoNumberCounters.set(table, current);
    return current;
  }

  // --- $batch ----------------------------------------------------------------------------------------------

  private batch(request: EmulatorRequest, ctx: ApiContext): EmulatorResponse {
    const boundary = boundaryOf(request.headers.get('content-type'));
    if (!boundary) throw badRequest('A $batch request needs Content-Type: multipart/mixed;boundary=batch_<id>.');
    const parts = parseBatch(request.body, boundary);
    const continueOnError = parsePrefer(request.headers.get('prefer')).has('odata.continue-on-error');
    const entries: BatchResponseEntry[] = [];
    let status = 200;
    for (const part of parts) {
      if (part.kind === 'request') {
        const response = this.batchOperation(request, ctx, part.operation, new Map());
        entries.push({ kind: 'response', response });
        if (response.status >= 400 && !continueOnError) {
          status = response.status;
          break;
        }
        continue;
      }
      const contentIds = new Map<string, string>();
      try {
        const responses = this.store.transaction(() => {
          const done: BatchItemResponse[] = [];
          for (const operation of part.operations) {
            const response = this.batchOperation(request, ctx, operation, contentIds);
            if (response.status >= 400) throw new ChangeSetFailure(response);
            const entityId = response.headers.get('odata-entityid');
            if (operation.contentId !== undefined && entityId) contentIds.set(operation.contentId, entityId);
            done.push(response);
          }
          return done;
        });
        entries.push({ kind: 'changeset', responses });
      } catch (error) {
        if (!(error instanceof ChangeSetFailure)) throw error;
        entries.push({ kind: 'response', response: error.response });
        if (!continueOnError) {
          status = error.response.status;
          break;
        }
      }
    }
    const { body, boundary: responseBoundary } = writeBatchResponse(entries);
    return {
      status,
      headers: new Headers({ 'Content-Type': `multipart/mixed; boundary=${responseBoundary}`, 'OData-Version': '4.0' }),
      body,
    };
  }

  /** Runs one request of a batch with the batch's credentials. */
  private batchOperation(
    outer: EmulatorRequest,
    ctx: ApiContext,
    operation: BatchOperation,
    contentIds: ReadonlyMap<string, string>,
  ): BatchItemResponse {
    let target = operation.url;
    const reference = /^\$([^/?]+)(.*)$/.exec(target);
    if (reference) {
      const url = contentIds.get(reference[1]);
      if (!url) {
        const error = badRequest(`Content-ID Reference: '$${reference[1]}' does not exist in the batch context.`);
        return { ...errorItem(error, ctx.flavor), contentId: operation.contentId };
      }
      target = url + reference[2];
    }
    let url: URL;
    try {
      url = target.startsWith('/') ? new URL(target, outer.url.origin) : new URL(target, ctx.base);
    } catch {
      return { ...errorItem(badRequest(`The URL '${operation.url}' in the batch is not valid.`), ctx.flavor), contentId: operation.contentId };
    }
    const headers = new Headers(operation.headers);
    for (const name of ['authorization', 'cookie', ANTI_FORGERY_HEADER]) {
      const value = outer.headers.get(name);
      if (value !== null && !headers.has(name)) headers.set(name, value);
    }
    const inner: EmulatorRequest = { method: operation.method, url, headers, body: operation.body };
    const flavor = flavorOf(url.pathname);
    const response = flavor
      ? this.executeApi(inner, flavor, contentIds)
      : errorResponse(segmentNotFound(url.pathname), ctx.flavor);
    return { status: response.status, headers: response.headers, body: response.body ?? '', contentId: operation.contentId };
  }

  // --- System writes ------------------------------------------------------------------------------------

  private systemWriter(tx: StoreTransaction): SystemWriter {
    const ctx: ApiContext = { flavor: 'dataverse', base: `https://emulator.local${DATAVERSE_PATH}/`, user: undefined, enforcePermissions: false };
    const requireTable = (name: string): TableDef => {
      const table = this.tableOf(name);
      if (!table) throw new Error(`Unknown table ${name}.`);
      return table;
    };
    return {
      get version() {
        return tx.version;
      },
      get: (table, id) => tx.get(table, id),
      all: (table) => tx.all(table),
      count: (table) => tx.count(table),
      findBy: (table, column, value) => tx.findBy(table, column, value),
      create: (table, values) => {
        const def = requireTable(table);
        const now = isoSeconds(this.now());
        const id = typeof values[def.primaryKey] === 'string' ? String(values[def.primaryKey]).toLowerCase() : newGuid();
        return tx.insert(table, id, { createdon: now, modifiedon: now, ...values, [def.primaryKey]: id });
      },
      update: (table, id, values) => {
        requireTable(table);
        return tx.update(table, id, { ...values, modifiedon: isoSeconds(this.now()) });
      },
      delete: (table, id) => {
        const def = requireTable(table);
        const row = tx.get(table, id);
        if (!row) return false;
        this.writer(ctx, tx).delete(def, row);
        return true;
      },
      createFromPayload: (table, body) => this.writer(ctx, tx).create(requireTable(table), body),
    };
  }
}

// -------------------------------------------------------------------------------------------------------------
// Helpers

/** Response headers a cross-origin client may read. */
const CORS_EXPOSED_HEADERS = 'OData-EntityId, OData-Version, Preference-Applied, ETag, Location, Retry-After, WWW-Authenticate';

/** CORS applies to the Dataverse API and the control endpoints, not to the (same-origin) Power Pages API. */
function corsAllowed(pathname: string): boolean {
  return flavorOf(pathname) === 'dataverse' || pathname.startsWith('/emulator/');
}

/** Which API a path belongs to. */
export function flavorOf(pathname: string): ApiFlavor | undefined {
  if (pathname === DATAVERSE_PATH || pathname.startsWith(`${DATAVERSE_PATH}/`)) return 'dataverse';
  if (pathname === POWER_PAGES_PATH || pathname.startsWith(`${POWER_PAGES_PATH}/`)) return 'powerpages';
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw badRequest('Bad Request - Error in query syntax.');
  }
}

function methodNotAllowed(method: string): EmulatorError {
  return new EmulatorError(405, DATAVERSE_CODES.badQuery, `The requested resource does not support http method '${method}'.`);
}

function concurrencyError(): EmulatorError {
  return new EmulatorError(412, DATAVERSE_CODES.concurrency, "The version of the existing record doesn't match the RowVersion property provided.");
}

function expiredDeltaToken(): EmulatorError {
  return badRequest(
    'The $deltatoken has expired or is not valid for this table: start change tracking again without a token.',
    DATAVERSE_CODES.invalidArgument,
  );
}

/** Whether an `If-Match`/`If-None-Match` value (`W/"123"`, `"123"`, a list) names the row's current etag. */
function etagMatches(header: string, row: StoredRow): boolean {
  const current = String(row.versionnumber ?? '');
  return header.split(',').some((item) => {
    const tag = item.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return tag === '*' || tag === current;
  });
}

function annotationsOf(request: EmulatorRequest): AnnotationFilter {
  const value = parsePrefer(request.headers.get('prefer')).get('odata.include-annotations');
  return typeof value === 'string' ? new AnnotationFilter(value) : AnnotationFilter.none;
}

function preferenceApplied(applied: readonly string[]): Record<string, string> {
  return applied.length ? { 'Preference-Applied': applied.join(',') } : {};
}

function countAnnotations(count: number): Record<string, unknown> {
  if (count <= MAX_COUNT) return { '@odata.count': count };
  return {
    '@odata.count': MAX_COUNT,
    '@Microsoft.Dynamics.CRM.totalrecordcount': MAX_COUNT,
    '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded': true,
  };
}

/** The request's query options with some replaced (and `$skiptoken`/`$deltatoken` dropped), raw otherwise. */
function replaceQueryOptions(search: string, replacements: Record<string, string>): string {
  const names = new Set(['$skiptoken', '$deltatoken', ...Object.keys(replacements)]);
  const parts = search
    .replace(/^\?/, '')
    .split('&')
    .filter((part) => {
      if (!part) return false;
      const name = decodeURIComponentSafe(part.split('=')[0]);
      return !names.has(name);
    });
  for (const [name, value] of Object.entries(replacements)) parts.push(`${name}=${encodeURIComponent(value)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function parseJsonBody(request: EmulatorRequest, table: TableDef): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch (error) {
    throw badPayload(table.entitySet, `Invalid JSON. ${error instanceof Error ? error.message : ''}`.trim());
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badPayload(table.entitySet, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** An OData query error as an emulator error; on Power Pages an unknown column is `InvalidAttribute`. */
function fromQueryError(error: { message: string; code: string }): EmulatorError {
  const property = /Could not find a property named '([^']+)' on type 'Microsoft\.Dynamics\.CRM\.([^']+)'/.exec(error.message);
  return new EmulatorError(400, error.code, error.message, property
    ? { portalCode: POWER_PAGES_CODES.invalidAttribute, portalMessage: `Attribute ${property[1]} cannot be found for table ${property[2]}.` }
    : {});
}

function errorItem(error: EmulatorError, flavor: ApiFlavor): BatchItemResponse {
  const response = errorResponse(error, flavor);
  return { status: response.status, headers: response.headers, body: response.body ?? '' };
}

/**
 * A reader that also finds rows deleted after a version (their last state, from the change log), so that a
 * deleted row's visibility can be judged through parents that were deleted with it (an order's lines).
 */
class TombstoneReader implements StoreReader {
  private readonly deleted = new Map<string, Map<string, StoredRow>>();

  constructor(private readonly store: EmulatorStore, private readonly since: number) {}

  get version(): number {
    return this.store.version;
  }

  get(table: string, id: string): StoredRow | undefined {
    return this.store.get(table, id) ?? this.tombstones(table).get(id.toLowerCase());
  }

  all(table: string): Iterable<StoredRow> {
    return this.store.all(table);
  }

  count(table: string): number {
    return this.store.count(table);
  }

  findBy(table: string, column: string, value: string | number | boolean): StoredRow[] {
    const found = this.store.findBy(table, column, value);
    for (const row of this.tombstones(table).values()) {
      if (referencedId(row[column]) === String(value).toLowerCase()) found.push(row);
    }
    return found;
  }

  private tombstones(table: string): Map<string, StoredRow> {
    let rows = this.deleted.get(table);
    if (!rows) {
      rows = new Map();
      for (const change of this.store.changesSince(table, this.since).changes) {
        if (change.kind === 'delete') rows.set(change.id, change.row);
      }
      this.deleted.set(table, rows);
    }
    return rows;
  }
}

