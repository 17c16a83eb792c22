/**
 * The typed, table-agnostic client for the Dataverse Web API and the Power Pages `/_api`.
 *
 * Everything the rest of the library sends to the server goes through a {@link DataverseClient}: typed
 * queries (never pasted strings), pages with `nextLink` and an honest count, typed rows with annotation
 * helpers, writes (create, deep insert, safe create, update with ETags, delete), `$batch`, change tracking,
 * and one error type. See `index.ts` for examples per transport.
 */
import { Annotation, type Row } from './annotations.js';
import { AntiForgeryToken, type PowerPagesShell } from './auth/power-pages.js';
import type { TokenProvider } from './auth/token.js';
// Types only: the `$batch` codec (batch-codec.ts) is loaded by `batch()` when it is first used (Power Pages has no
// `$batch`, and most pages never send one), so it is not part of what every page downloads.
import type { BatchItem, BatchResponse } from './batch.js';
import { systemClock, type Clock } from './clock.js';
import { clientError, DataverseError } from './errors.js';
import { idFromEntityId, newGuid, normalizeGuid } from './guid.js';
import {
  assertIdentifier,
  buildQueryString,
  entityPath,
  preferHeader,
  type AnnotationPreference,
  type Query,
  type RowKey,
} from './odata.js';
import {
  antiForgeryAuthenticator,
  bearerAuthenticator,
  HttpPipeline,
  type HttpMethod,
  type HttpRequest,
  type RetryOptions,
} from './transport.js';

// ---------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------

/** Options shared by both transports. */
export interface CommonClientOptions {
  /** The `fetch` to use (default: the global one). The emulator injects its own to answer in-browser. */
  readonly fetch?: typeof fetch;
  /** Retry limits (see `transport.ts` for the policy). */
  readonly retry?: RetryOptions;
  /** Time source for waits (tests inject a virtual clock). */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for back-off jitter (default `Math.random`). */
  readonly random?: () => number;
  /**
   * Annotations asked for on reads (default `'*'`: formatted values, lookup names and tables).
   * `false` asks for none; a list asks for those only.
   */
  readonly annotations?: AnnotationPreference;
  /** Default page size of paged reads (`Prefer: odata.maxpagesize`); the server default is 5,000. */
  readonly maxPageSize?: number;
}

/** A client for the Power Pages Web API (`/_api/`), from a page of the same site. */
export interface PowerPagesClientOptions extends CommonClientOptions {
  readonly transport: 'power-pages';
  /** The site (default: the page's origin). The API is `<site origin>/_api/`. */
  readonly siteUrl?: string;
  /** Where to read the anti-forgery token when `window.shell` is absent (default `/_layout/tokenhtml` on the site). */
  readonly tokenPageUrl?: string;
  /** Finds the Power Pages shell (default `window.shell`); return `undefined` to always use the token page. */
  readonly shell?: () => PowerPagesShell | undefined;
}

/** A client for the Dataverse Web API with bearer tokens (or through a same-origin proxy). */
export interface DataverseClientOptions extends CommonClientOptions {
  readonly transport: 'dataverse';
  /**
   * The Web API base, `https://contoso.crm.dynamics.com/api/data/v9.2/` (an org root gets `/api/data/v9.2/`
   * appended), or a same-origin proxy path such as `/dataverse/api/data/v9.2/`.
   */
  readonly url: string;
  /** Access tokens: `msalTokenProvider(…)`, your own `() => Promise<string>`, or nothing (the proxy adds them). */
  readonly token?: TokenProvider;
}

/** Configuration of {@link createDataverseClient}. */
export type ClientOptions = PowerPagesClientOptions | DataverseClientOptions;

/** Options every call takes. */
export interface RequestOptions {
  /** Cancels the call, including any back-off wait; the abort reason is thrown as is. */
  readonly signal?: AbortSignal;
}

/** Options of reads. */
export interface ReadOptions extends RequestOptions {
  /** Rows per page (1–5000); defaults to the client's `maxPageSize`. */
  readonly maxPageSize?: number;
  /** Annotations to ask for; defaults to the client's `annotations`. */
  readonly annotations?: AnnotationPreference;
}

/** `$select`/`$expand` of a single-row read. */
export type RowQuery<T> = Pick<Query<T>, 'select' | 'expand'>;

/** One page of rows. */
export interface Page<T> {
  readonly rows: Row<T>[];
  /** The link to the next page (pass the page to `getNextPage`), or `null` on the last page. */
  readonly nextLink: string | null;
  /** `@odata.count` when `count: true` was asked for, else `null`. */
  readonly count: number | null;
  /**
   * True when the count is a lower bound: Dataverse caps `$count` at 5,000 and says so with
   * `@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded`; a count of 5,000 or more is treated as capped.
   * Show it as "5,000+", never as an exact total.
   */
  readonly countCapped: boolean;
  /** The page size asked for (sent again with the next page). */
  readonly maxPageSize: number | undefined;
  /** The annotations asked for (sent again with the next page). */
  readonly annotations: AnnotationPreference;
}

/** Options of `createSafely`. */
export interface SafeCreateOptions<T> extends RequestOptions {
  /**
   * The new row's GUID. Default: a fresh random one. Keep it (e.g. in `sessionStorage`) and pass it again
   * when the user retries after a reload, so the second submit recognises the first.
   */
  readonly id?: string;
  /**
   * Decides whether an existing row with this id is the one we created (read after a 412). Default: yes —
   * a row carrying our client-chosen random GUID can only be ours.
   */
  readonly isOurs?: (row: Row<T>) => boolean;
  /** Columns to read when verifying (Power Pages may require a `$select`). */
  readonly verifySelect?: Query<T>['select'];
  /**
   * Send `POST <set>` with the id in this primary-key column instead of `PATCH <set>(<id>)` +
   * `If-None-Match: *`. Use it for deep inserts (a header with its lines), which Dataverse documents for POST.
   */
  readonly primaryKey?: string;
}

/** What `createSafely` did. */
export interface SafeCreateResult {
  readonly id: string;
  /** True when a previous attempt (lost answer, 503, reload) had already created the row. */
  readonly alreadyExisted: boolean;
  /** HTTP attempts of the create request. */
  readonly attempts: number;
}

/** Changes since a delta link. */
export interface Changes<T> {
  /** Rows created or changed (the full current rows, with the selected columns). */
  readonly changed: Row<T>[];
  /** Ids of rows deleted. */
  readonly deleted: string[];
  /** Where to ask for the next changes. */
  readonly deltaLink: string;
}

/** One round of `watchChanges`. */
export interface ChangeRound<T> extends Changes<T> {
  /** True for the first round, which lists every row (unless started from a delta link). */
  readonly initial: boolean;
}

/** Options of `watchChanges`. */
export interface WatchOptions extends ReadOptions {
  /** Time between polls (default 30 s). */
  readonly intervalMs?: number;
  /** Resume from a saved delta link instead of starting over. */
  readonly deltaLink?: string;
}

/** JSON body of a create or update: column values, `…@odata.bind` lookups, nested rows for deep insert. */
export type Body = Readonly<Record<string, unknown>>;

// ---------------------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------------------

const TRACKING_NOT_ALLOWED = ['filter', 'orderBy', 'expand', 'top'] as const;

function apiBaseOf(options: ClientOptions): string {
  const here = typeof location !== 'undefined' ? location.href : undefined;
  const resolve = (value: string, base?: string): URL => {
    try {
      return new URL(value, base);
    } catch {
      throw clientError('InvalidConfiguration', `not a usable URL: ${JSON.stringify(value)}`);
    }
  };
  if (options.transport === 'power-pages') {
    const site = resolve(options.siteUrl ?? here ?? '', here);
    return new URL('/_api/', site.origin).href;
  }
  if (typeof options.url !== 'string' || options.url === '') {
    throw clientError('InvalidConfiguration', 'the dataverse transport needs url: https://<org>.crm.dynamics.com/api/data/v9.2/');
  }
  const url = resolve(options.url, here);
  url.search = '';
  url.hash = '';
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/data/v9.2/';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

type Json = { readonly [key: string]: unknown };

/**
 * Talks to one Dataverse environment or one Power Pages site. Create it with {@link createDataverseClient}.
 */
export class DataverseClient {
  /** Which server this client talks to. */
  readonly transport: 'dataverse' | 'power-pages';
  /** The API base URL (`https://org.crm.dynamics.com/api/data/v9.2/` or `https://site/_api/`). */
  readonly baseUrl: string;
  readonly #pipeline: HttpPipeline;
  readonly #defaults: { readonly annotations: AnnotationPreference; readonly maxPageSize: number | undefined };
  readonly #clock: Clock;

  constructor(options: ClientOptions) {
    if (!options || (options.transport !== 'power-pages' && options.transport !== 'dataverse')) {
      throw clientError('InvalidConfiguration', "transport must be 'power-pages' or 'dataverse'");
    }
    this.transport = options.transport;
    this.baseUrl = apiBaseOf(options);
    const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    const authenticator =
      options.transport === 'power-pages'
        ? antiForgeryAuthenticator(
            new AntiForgeryToken({
              fetch: fetchImpl,
              tokenPageUrl: new URL(options.tokenPageUrl ?? '/_layout/tokenhtml', this.baseUrl).href,
              shell: options.shell,
            }),
          )
        : bearerAuthenticator(options.token);
    this.#pipeline = new HttpPipeline({
      flavor: options.transport,
      baseUrl: this.baseUrl,
      fetch: fetchImpl,
      clock: this.#clock,
      random: options.random ?? Math.random,
      retry: options.retry ?? {},
      authenticator,
    });
    // Validate defaults now rather than on the first request.
    preferHeader({ annotations: options.annotations, maxPageSize: options.maxPageSize });
    this.#defaults = { annotations: options.annotations ?? '*', maxPageSize: options.maxPageSize };
  }

  /** The absolute URL of a table, a row, and/or a query (validated and encoded). */
  urlFor<T = Json>(entitySet: string, key?: RowKey, query?: Query<NoInfer<T>>): string {
    return `${this.baseUrl}${entityPath(entitySet, key)}${buildQueryString<T>(query)}`;
  }

  // ----- reading ------------------------------------------------------------------------------------------

  /**
   * The first page of rows matching `query`.
   * ```ts
   * const page = await client.getPage<SalesOrder>('salesorders', {
   *   select: ['name', 'totalamount', 'statuscode', '_customerid_value'],
   *   filter: where.and(where.lookup('customerid', accountId), where.contains('name', search)),
   *   orderBy: { createdon: 'desc' },
   *   count: true,
   * }, { maxPageSize: 25 });
   * ```
   */
  async getPage<T = Json>(entitySet: string, query?: Query<NoInfer<T>>, options: ReadOptions = {}): Promise<Page<T>> {
    const read = this.#readSettings(options);
    return this.#fetchPage<T>(this.urlFor<T>(entitySet, undefined, query), read, options.signal);
  }

  /**
   * The page after `from` (a page, or its `nextLink`). The link is followed unchanged (it carries the paging
   * cookie), and the same page size and annotations are asked for again.
   */
  async getNextPage<T = Json>(from: Page<T> | string, options: ReadOptions = {}): Promise<Page<T>> {
    const link = typeof from === 'string' ? from : from.nextLink;
    if (!link) throw clientError('NoNextPage', 'this page is the last one (no nextLink)');
    const read =
      typeof from === 'string'
        ? this.#readSettings(options)
        : this.#readSettings({ maxPageSize: options.maxPageSize ?? from.maxPageSize, annotations: options.annotations ?? from.annotations });
    return this.#fetchPage<T>(new URL(link, this.baseUrl).href, read, options.signal);
  }

  /** Every page of the query, one after another (follows `@odata.nextLink`). */
  async *pages<T = Json>(entitySet: string, query?: Query<NoInfer<T>>, options: ReadOptions = {}): AsyncGenerator<Page<T>, void, undefined> {
    let page = await this.getPage<T>(entitySet, query, options);
    yield page;
    while (page.nextLink) {
      page = await this.getNextPage<T>(page, { signal: options.signal });
      yield page;
    }
  }

  /** Every row of the query, page after page. */
  async *rows<T = Json>(entitySet: string, query?: Query<NoInfer<T>>, options: ReadOptions = {}): AsyncGenerator<Row<T>, void, undefined> {
    for await (const page of this.pages<T>(entitySet, query, options)) yield* page.rows;
  }

  /** One row by key; throws a `not-found` DataverseError when it does not exist. */
  async getRow<T = Json>(entitySet: string, key: RowKey, query?: RowQuery<NoInfer<T>>, options: ReadOptions = {}): Promise<Row<T>> {
    const read = this.#readSettings(options);
    const { response } = await this.#pipeline.send({
      method: 'GET',
      url: this.urlFor<T>(entitySet, key, query),
      headers: this.#preferHeaders({ annotations: read.annotations }),
      idempotent: true,
      signal: options.signal,
    });
    return (await this.#readJson(response, 'GET')) as Row<T>;
  }

  /** One row by key, or `null` when it does not exist. */
  async findRow<T = Json>(entitySet: string, key: RowKey, query?: RowQuery<NoInfer<T>>, options: ReadOptions = {}): Promise<Row<T> | null> {
    try {
      return await this.getRow<T>(entitySet, key, query, options);
    } catch (error) {
      // Power Pages 9004010C means the *table* is not exposed: that is not "no such row".
      if (error instanceof DataverseError && error.kind === 'not-found' && error.code?.toUpperCase() !== '9004010C') return null;
      throw error;
    }
  }

  /**
   * Reads a row again only if it changed since `etag` (conditional GET, `If-None-Match`). Returns `null` when
   * unchanged (304). Dataverse answers 304 only without `$expand` and annotations; otherwise the full row comes back.
   */
  async getRowIfChanged<T = Json>(
    entitySet: string,
    key: RowKey,
    etag: string,
    query?: RowQuery<NoInfer<T>>,
    options: ReadOptions = {},
  ): Promise<Row<T> | null> {
    const read = this.#readSettings(options);
    const { response } = await this.#pipeline.send({
      method: 'GET',
      url: this.urlFor<T>(entitySet, key, query),
      headers: { ...this.#preferHeaders({ annotations: read.annotations }), 'If-None-Match': checkEtag(etag) },
      idempotent: true,
      signal: options.signal,
    });
    if (response.status === 304) return null;
    return (await this.#readJson(response, 'GET')) as Row<T>;
  }

  // ----- writing ------------------------------------------------------------------------------------------

  /**
   * Creates a row and returns its id (`POST`, answered 204 with `OData-EntityId`; Power Pages: `entityid`).
   *
   * **Deep insert**: nest related rows under their collection-valued navigation property and the header
   * and its lines are created atomically in one request:
   * ```ts
   * await client.create('salesorders', {
   *   name: 'Web order', 'customerid_account@odata.bind': `/accounts(${accountId})`,
   *   order_details: [{ quantity: 2, 'productid@odata.bind': `/products(${productId})` }],
   * });
   * ```
   * A plain POST is never retried after a lost answer or a 503 (it might have been executed); use
   * {@link createSafely} when the create must survive those.
   */
  create(entitySet: string, body: Body, options?: RequestOptions & { readonly returnRepresentation?: false }): Promise<string>;
  /** Creates a row and returns it as stored (`Prefer: return=representation`, answered 201 with the row). */
  create<T = Json>(
    entitySet: string,
    body: Body,
    options: RequestOptions & { readonly returnRepresentation: true; readonly select?: Query<NoInfer<T>>['select'] },
  ): Promise<Row<T>>;
  async create<T = Json>(
    entitySet: string,
    body: Body,
    options: RequestOptions & { readonly returnRepresentation?: boolean; readonly select?: Query<NoInfer<T>>['select'] } = {},
  ): Promise<string | Row<T>> {
    const represent = options.returnRepresentation === true;
    const { response } = await this.#pipeline.send({
      method: 'POST',
      url: this.urlFor<T>(entitySet, undefined, represent && options.select ? { select: options.select } : undefined),
      headers: this.#writeHeaders(represent),
      body: jsonBody(body),
      idempotent: false,
      signal: options.signal,
    });
    if (represent) return (await this.#readJson(response, 'POST')) as Row<T>;
    return this.#createdId(response);
  }

  /**
   * Creates a row so that retrying is safe. The client picks the GUID (or takes yours) and sends
   * `PATCH <set>(<id>)` with `If-None-Match: *` (create only), which the pipeline may retry after a lost
   * answer, 503, 504 or 429. If a retry (or a later call with the same `id`) gets 412 "already exists",
   * the row is read back and, when it is ours (see `isOurs`), the create counts as done: exactly one row.
   */
  async createSafely<T = Json>(entitySet: string, body: Body, options: SafeCreateOptions<NoInfer<T>> = {}): Promise<SafeCreateResult> {
    const id = options.id === undefined ? newGuid() : normalizeGuid(options.id, 'createSafely id');
    const viaPost = options.primaryKey !== undefined;
    const request: HttpRequest = viaPost
      ? {
          method: 'POST',
          url: this.urlFor(entitySet),
          headers: this.#writeHeaders(false),
          body: jsonBody({ ...body, [assertIdentifier(options.primaryKey, 'primaryKey')]: id }),
          // Idempotent by key: a second POST with the same primary key cannot create a second row.
          idempotent: true,
          signal: options.signal,
        }
      : {
          method: 'PATCH',
          url: this.urlFor(entitySet, id),
          headers: { ...this.#writeHeaders(false), 'If-None-Match': '*' },
          body: jsonBody(body),
          idempotent: true,
          signal: options.signal,
        };
    try {
      const { attempts } = await this.#pipeline.send(request);
      return { id, alreadyExisted: false, attempts };
    } catch (error) {
      if (!(error instanceof DataverseError) || error.kind !== 'conflict') throw error;
      const existing = await this.findRow<T>(
        entitySet,
        id,
        options.verifySelect ? { select: options.verifySelect } : undefined,
        { signal: options.signal },
      );
      if (existing && (options.isOurs ?? (() => true))(existing)) {
        return { id, alreadyExisted: true, attempts: error.attempts };
      }
      throw error.with({
        message: existing
          ? `A different row already has id ${id} (${error.message})`
          : `Create refused as a duplicate, but no row ${id} exists (${error.message})`,
      });
    }
  }

  /**
   * Updates columns of an existing row (`PATCH` with `If-Match`): pass the row's `etag` (see `etagOf`) for
   * optimistic concurrency (a `conflict` error when someone changed it meanwhile), or leave it out for
   * `If-Match: *` (update only; a `not-found` error instead of creating the row).
   * After a lost answer the update is retried; if the first attempt had applied, the retry sees a changed
   * ETag and reports `conflict` with `attempts > 1` — read the row again to see your values.
   */
  update(entitySet: string, key: RowKey, body: Body, options?: RequestOptions & { readonly etag?: string; readonly returnRepresentation?: false }): Promise<void>;
  /** Updates and returns the row as stored (`Prefer: return=representation`, answered 200). */
  update<T = Json>(
    entitySet: string,
    key: RowKey,
    body: Body,
    options: RequestOptions & { readonly etag?: string; readonly returnRepresentation: true; readonly select?: Query<NoInfer<T>>['select'] },
  ): Promise<Row<T>>;
  async update<T = Json>(
    entitySet: string,
    key: RowKey,
    body: Body,
    options: RequestOptions & { readonly etag?: string; readonly returnRepresentation?: boolean; readonly select?: Query<NoInfer<T>>['select'] } = {},
  ): Promise<void | Row<T>> {
    const represent = options.returnRepresentation === true;
    const { response } = await this.#pipeline.send({
      method: 'PATCH',
      url: this.urlFor<T>(entitySet, key, represent && options.select ? { select: options.select } : undefined),
      headers: { ...this.#writeHeaders(represent), 'If-Match': options.etag === undefined ? '*' : checkEtag(options.etag) },
      body: jsonBody(body),
      idempotent: true,
      signal: options.signal,
    });
    if (represent) return (await this.#readJson(response, 'PATCH')) as Row<T>;
  }

  /**
   * Creates or updates the row with this key (`PATCH` without conditions: Dataverse's upsert). Not retried
   * after a lost answer (a create may run plug-ins twice); prefer `createSafely` / `update`.
   */
  async upsert(entitySet: string, key: RowKey, body: Body, options: RequestOptions = {}): Promise<void> {
    await this.#pipeline.send({
      method: 'PATCH',
      url: this.urlFor(entitySet, key),
      headers: this.#writeHeaders(false),
      body: jsonBody(body),
      idempotent: false,
      signal: options.signal,
    });
  }

  /**
   * Deletes a row (with `If-Match: <etag>` when given). Retried after a lost answer; a retry that finds the
   * row gone counts as success.
   */
  async delete(entitySet: string, key: RowKey, options: RequestOptions & { readonly etag?: string } = {}): Promise<void> {
    try {
      await this.#pipeline.send({
        method: 'DELETE',
        url: this.urlFor(entitySet, key),
        headers: options.etag === undefined ? {} : { 'If-Match': checkEtag(options.etag) },
        idempotent: true,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DataverseError && error.kind === 'not-found' && error.attempts > 1) return;
      throw error;
    }
  }

  // ----- $batch -------------------------------------------------------------------------------------------

  /**
   * Sends operations in one `$batch` request (Dataverse only) and returns one response per operation, in
   * request order. Change sets are atomic. By default the server stops at the first failure and this
   * method throws that operation's error (`operationIndex` tells which); with `continueOnError: true` the
   * results are returned with a per-operation `error` (a rolled-back change set's error on each of its operations).
   * A batch is a POST: it is retried after 429 only.
   */
  async batch(items: readonly BatchItem[], options: RequestOptions & { readonly continueOnError?: boolean } = {}): Promise<BatchResponse[]> {
    if (this.transport === 'power-pages') {
      throw clientError(
        'BatchNotSupported',
        'Power Pages has no $batch: its Web API (/_api) accepts single requests only. Send the operations one by one, or create a header with its lines in one deep insert.',
      );
    }
    const { encodeBatch, boundaryOf, parseBatchResponse, matchBatchResponses } = await import('./batch-codec.js');
    const encoded = encodeBatch(this.baseUrl, items);
    const url = `${this.baseUrl}$batch`;
    const prefer = preferHeader({ continueOnError: options.continueOnError });
    const { response } = await this.#pipeline.send({
      method: 'POST',
      url,
      headers: { 'Content-Type': encoded.contentType, ...(prefer ? { Prefer: prefer } : {}) },
      body: encoded.body,
      idempotent: false,
      signal: options.signal,
      // A failed batch still answers multipart/mixed with the failing operation inside.
      passThrough: (r) => boundaryOf(r.headers.get('Content-Type')) !== undefined,
    });
    const parts = parseBatchResponse(response.headers.get('Content-Type'), await response.text());
    const results = matchBatchResponses(encoded.operations, parts, { method: 'POST', url });
    const firstError = results.find((r) => r.error && r.error.code !== 'NotExecuted')?.error;
    if (firstError && (!options.continueOnError || !response.ok)) throw firstError;
    if (!response.ok) {
      throw new DataverseError({ kind: 'server', status: response.status, message: `$batch failed with ${response.status}`, request: { method: 'POST', url } });
    }
    return results;
  }

  // ----- change tracking ----------------------------------------------------------------------------------

  /**
   * Starts change tracking (`Prefer: odata.track-changes`): returns every row (all pages) and the delta
   * link to ask for changes later. Only `select` is allowed (Dataverse rejects `$filter`, `$orderby`,
   * `$expand` and `$top` here), and the table must have change tracking enabled.
   */
  async trackChanges<T = Json>(entitySet: string, query: Pick<Query<NoInfer<T>>, 'select'> = {}, options: ReadOptions = {}): Promise<Changes<T>> {
    for (const option of TRACKING_NOT_ALLOWED) {
      if ((query as Query<T>)[option] !== undefined) {
        throw clientError('InvalidQuery', `change tracking does not allow ${option} (Dataverse rejects $filter, $orderby, $expand and $top)`);
      }
    }
    return this.#changes<T>(this.urlFor<T>(entitySet, undefined, { select: query.select }), options, true);
  }

  /** The changes since `deltaLink` (changed rows, deleted ids) and the next delta link. */
  async changesSince<T = Json>(deltaLink: string, options: ReadOptions = {}): Promise<Changes<T>> {
    return this.#changes<T>(new URL(deltaLink, this.baseUrl).href, options, false);
  }

  /**
   * Polls for changes: the first round lists every row (or starts from `options.deltaLink`), then one round
   * per `intervalMs` with what changed. Stop by breaking out of the loop or aborting `options.signal`
   * (the abort reason is thrown out of the loop).
   */
  async *watchChanges<T = Json>(
    entitySet: string,
    query: Pick<Query<NoInfer<T>>, 'select'> = {},
    options: WatchOptions = {},
  ): AsyncGenerator<ChangeRound<T>, void, undefined> {
    const interval = options.intervalMs ?? 30_000;
    let changes = options.deltaLink
      ? await this.changesSince<T>(options.deltaLink, options)
      : await this.trackChanges<T>(entitySet, query, options);
    yield { ...changes, initial: options.deltaLink === undefined };
    for (;;) {
      await this.#clock.sleep(interval, options.signal);
      changes = await this.changesSince<T>(changes.deltaLink, options);
      yield { ...changes, initial: false };
    }
  }

  // ----- internals ----------------------------------------------------------------------------------------

  #readSettings(options: ReadOptions): { annotations: AnnotationPreference; maxPageSize: number | undefined } {
    return {
      annotations: options.annotations ?? this.#defaults.annotations,
      maxPageSize: options.maxPageSize ?? this.#defaults.maxPageSize,
    };
  }

  #preferHeaders(preferences: Parameters<typeof preferHeader>[0]): Record<string, string> {
    const prefer = preferHeader(preferences);
    return prefer ? { Prefer: prefer } : {};
  }

  #writeHeaders(returnRepresentation: boolean): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      ...this.#preferHeaders(
        returnRepresentation ? { returnRepresentation: true, annotations: this.#defaults.annotations } : {},
      ),
    };
  }

  async #fetchPage<T>(
    url: string,
    read: { annotations: AnnotationPreference; maxPageSize: number | undefined },
    signal: AbortSignal | undefined,
  ): Promise<Page<T>> {
    const { response } = await this.#pipeline.send({
      method: 'GET',
      url,
      headers: this.#preferHeaders(read),
      idempotent: true,
      signal,
    });
    const body = (await this.#readJson(response, 'GET')) as Json | null;
    const rows = body?.value;
    if (!Array.isArray(rows)) {
      throw new DataverseError({ kind: 'server', code: 'UnexpectedResponse', message: 'Expected a collection ("value": [...])', request: { method: 'GET', url } });
    }
    const count = typeof body![Annotation.count] === 'number' ? (body![Annotation.count] as number) : null;
    const nextLink = body![Annotation.nextLink];
    return {
      rows: rows as Row<T>[],
      nextLink: typeof nextLink === 'string' && nextLink !== '' ? nextLink : null,
      count,
      countCapped: body![Annotation.totalCountLimitExceeded] === true || (count !== null && count >= 5000),
      maxPageSize: read.maxPageSize,
      annotations: read.annotations,
    };
  }

  /**
   * One change-tracking round, from `url` through its pages to the delta link. The paging and the reading of
   * deleted rows are in changes.ts, loaded on demand (most pages never track changes); the requests themselves go
   * through this client's pipeline (retries, authentication) like every other read.
   */
  async #changes<T>(url: string, options: ReadOptions, start: boolean): Promise<Changes<T>> {
    const read = this.#readSettings(options);
    const { collectChanges } = await import('./changes.js');
    return collectChanges<T>(
      async (pageUrl, track) => {
        const { response } = await this.#pipeline.send({
          method: 'GET',
          url: pageUrl,
          headers: this.#preferHeaders({ ...read, trackChanges: track }),
          idempotent: true,
          signal: options.signal,
        });
        return ((await this.#readJson(response, 'GET')) ?? {}) as Json;
      },
      this.baseUrl,
      url,
      start,
    );
  }

  /** Reads a JSON body (null when empty); an HTML sign-in page instead of JSON becomes an `auth` error. */
  async #readJson(response: Response, method: HttpMethod): Promise<unknown> {
    const request = { method, url: response.url || this.baseUrl };
    const text = await response.text();
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text);
    } catch (cause) {
      const signIn = this.transport === 'power-pages' && (response.redirected || /^\s*</.test(text));
      throw new DataverseError({
        kind: signIn ? 'auth' : 'server',
        status: response.status,
        code: signIn ? 'SignInRequired' : 'UnexpectedResponse',
        message: signIn ? 'The site answered with a web page instead of data: sign in again' : 'The server answered with something other than JSON',
        request,
        cause,
      });
    }
  }

  #createdId(response: Response): string {
    const id =
      idFromEntityId(response.headers.get('OData-EntityId')) ??
      idFromEntityId(response.headers.get('entityid')) ??
      idFromEntityId(response.headers.get('Location'));
    if (!id) {
      throw new DataverseError({
        kind: 'server',
        status: response.status,
        code: 'MissingEntityId',
        message: 'The row was created but the server did not say its id (no OData-EntityId header). Use createSafely to choose the id.',
        request: { method: 'POST', url: response.url || this.baseUrl },
      });
    }
    return id;
  }
}

function jsonBody(body: Body): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw clientError('InvalidBody', 'the body must be an object of column values');
  }
  return JSON.stringify(body);
}

function checkEtag(etag: string): string {
  if (typeof etag !== 'string' || etag === '' || /[\r\n]/.test(etag)) throw clientError('InvalidEtag', 'an ETag looks like W/"81052965"');
  return etag;
}

/** Creates a client for Power Pages (`transport: 'power-pages'`) or the Dataverse Web API (`transport: 'dataverse'`). */
export function createDataverseClient(options: ClientOptions): DataverseClient {
  return new DataverseClient(options);
}
