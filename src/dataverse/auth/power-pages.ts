/**
 * The Power Pages anti-forgery token (`__RequestVerificationToken` header of every `/_api` request).
 *
 * On a Power Pages page, `window.shell.getTokenDeferred()` (a jQuery Deferred) gives it. Elsewhere on the
 * same site (a page without the Power Pages shell script), the client reads it from the token page,
 * `GET /_layout/tokenhtml`, which answers a small HTML fragment:
 * `<input name="__RequestVerificationToken" type="hidden" value="…" />`.
 * (Microsoft documents `shell.getTokenDeferred()`; the token page is what that function itself calls and is
 * community-documented, so its URL is configurable.)
 *
 * The token is cached; when the server rejects it (401/403 with code 90040107, HttpAntiForgeryException)
 * the client asks for a fresh one once and retries once.
 */
import { DataverseError, isAbort } from '../errors.js';
import { raceAbort } from '../clock.js';

/** A jQuery-Deferred-like thenable: `.then(onDone, onFail)` and/or `.done(cb).fail(cb)`. */
export interface DeferredLike<T> {
  then?(onFulfilled: (value: T) => unknown, onRejected?: (reason: unknown) => unknown): unknown;
  done?(callback: (value: T) => unknown): DeferredLike<T> | unknown;
  fail?(callback: (reason: unknown) => unknown): DeferredLike<T> | unknown;
}

/** The part of Power Pages' global `shell` object the client uses. */
export interface PowerPagesShell {
  getTokenDeferred(): DeferredLike<string>;
}

/** Where the anti-forgery token comes from. */
export interface AntiForgeryOptions {
  /** Absolute URL of the token page (default `/_layout/tokenhtml` on the site origin). */
  readonly tokenPageUrl: string;
  /** The fetch used for the token page. */
  readonly fetch: typeof fetch;
  /**
   * Finds the Power Pages shell (default: `globalThis.shell` when it has `getTokenDeferred`).
   * Return `undefined` to always use the token page.
   */
  readonly shell?: () => PowerPagesShell | undefined;
}

/** The default shell lookup: `window.shell` when it is the Power Pages shell. */
export function findPowerPagesShell(): PowerPagesShell | undefined {
  const candidate = (globalThis as { shell?: unknown }).shell;
  return candidate !== null &&
    typeof candidate === 'object' &&
    typeof (candidate as PowerPagesShell).getTokenDeferred === 'function'
    ? (candidate as PowerPagesShell)
    : undefined;
}

/** Turns a jQuery Deferred (or any thenable, or a plain value) into a Promise. */
export function fromDeferred<T>(deferred: DeferredLike<T> | PromiseLike<T> | T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const d = deferred as DeferredLike<T>;
    if (d !== null && typeof d === 'object' && typeof d.then === 'function') {
      d.then(resolve, reject);
    } else if (d !== null && typeof d === 'object' && typeof d.done === 'function') {
      d.done(resolve);
      if (typeof d.fail === 'function') d.fail(reject);
    } else {
      resolve(deferred as T);
    }
  });
}

const INPUT_TAG = /<input\b[^>]*>/gi;
const ATTRIBUTE = /([^\s"'<>/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;

/** Decodes the HTML character references an attribute value may contain. */
function decodeEntities(text: string): string {
  const named: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return named[lower] ?? whole;
  });
}

/**
 * Reads the anti-forgery token out of the token page's HTML, or returns `undefined`. Parsed as text (never
 * inserted into the document), with attributes in any order and either quote style.
 */
export function parseTokenHtml(html: string): string | undefined {
  for (const [tag] of html.matchAll(INPUT_TAG)) {
    const attributes = new Map<string, string>();
    for (const match of tag.matchAll(ATTRIBUTE)) {
      attributes.set(match[1]!.toLowerCase(), decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
    }
    if (attributes.get('name') === '__RequestVerificationToken') {
      const value = attributes.get('value');
      return value && !/[\r\n]/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Holds the current anti-forgery token and renews it on demand. */
export class AntiForgeryToken {
  readonly #options: AntiForgeryOptions;
  #pending: Promise<string> | undefined;
  #current: string | undefined;

  constructor(options: AntiForgeryOptions) {
    this.#options = options;
  }

  /** The cached token, loading it the first time. Concurrent callers share one load. */
  get(signal?: AbortSignal): Promise<string> {
    this.#pending ??= this.#load();
    return raceAbort(this.#pending, signal);
  }

  /**
   * A fresh token after `rejected` was refused by the server. When another request already renewed it,
   * that newer token is returned without loading again.
   */
  refresh(rejected: string, signal?: AbortSignal): Promise<string> {
    if (this.#pending && this.#current !== rejected) return raceAbort(this.#pending, signal);
    this.#pending = this.#load();
    return raceAbort(this.#pending, signal);
  }

  #load(): Promise<string> {
    this.#current = undefined;
    const loading = this.#loadOnce().then(
      (token) => {
        if (this.#pending === loading) this.#current = token;
        return token;
      },
      (error: unknown) => {
        // Forget a failed load so the next request tries again.
        if (this.#pending === loading) this.#pending = undefined;
        throw error;
      },
    );
    return loading;
  }

  async #loadOnce(): Promise<string> {
    const shell = (this.#options.shell ?? findPowerPagesShell)();
    if (shell) {
      let token: unknown;
      try {
        token = await fromDeferred(shell.getTokenDeferred());
      } catch (error) {
        throw new DataverseError({
          kind: 'auth',
          code: 'AntiForgeryTokenUnavailable',
          message: 'Power Pages did not give an anti-forgery token (shell.getTokenDeferred failed)',
          cause: error,
        });
      }
      if (typeof token === 'string' && token !== '') return token;
      throw new DataverseError({ kind: 'auth', code: 'AntiForgeryTokenUnavailable', message: 'shell.getTokenDeferred() gave an empty token' });
    }
    return this.#loadFromTokenPage();
  }

  async #loadFromTokenPage(): Promise<string> {
    const url = this.#options.tokenPageUrl;
    const request = { method: 'GET', url };
    let response: Response;
    try {
      response = await this.#options.fetch(url, { method: 'GET', credentials: 'same-origin', cache: 'no-store' });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new DataverseError({ kind: 'network', message: `Could not load the anti-forgery token page ${url}`, request, cause: error });
    }
    const html = await response.text().catch(() => '');
    const token = response.ok ? parseTokenHtml(html) : undefined;
    if (token === undefined) {
      throw new DataverseError({
        kind: 'auth',
        status: response.status,
        code: 'AntiForgeryTokenUnavailable',
        message: response.ok
          ? `The token page ${url} has no __RequestVerificationToken input`
          : `The token page ${url} answered ${response.status}`,
        request,
      });
    }
    return token;
  }
}
