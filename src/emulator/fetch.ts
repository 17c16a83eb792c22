/**
 * `createEmulatorFetch`: a `fetch` served by an in-process {@link Emulator}, for clients in the browser (Storybook,
 * browser tests, demo pages without a server) and in Node.
 *
 * It behaves like a browser's `fetch` on the emulator's origin: relative URLs resolve against the origin, a
 * cookie jar keeps the Power Pages session cookie between calls (browsers would; a constructed `Request` cannot
 * carry cookies), an aborted signal rejects with its reason, and a simulated network failure rejects with a
 * `TypeError`.
 */
import type { Emulator } from './emulator.js';
import { toResponse, type EmulatorRequest } from './http.js';

/** The origin used when none is given. */
export const DEFAULT_EMULATOR_ORIGIN = 'https://emulator.local';

/** Options of {@link createEmulatorFetch}. */
export interface EmulatorFetchOptions {
  /** Keep cookies set by the emulator and send them back (default true). */
  readonly cookies?: boolean;
}

/** A `fetch` whose cookie jar can be inspected and cleared (tests). */
export type EmulatorFetch = typeof fetch & {
  /** Cookies currently held, by name. */
  readonly cookies: Map<string, string>;
};

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * A `fetch` answered by `emulator`.
 *
 * @param origin the origin relative URLs resolve against (default `https://emulator.local`); in a browser page
 *   pass `location.origin` so that absolute URLs the client builds from it are recognised
 */
export function createEmulatorFetch(
  emulator: Emulator,
  origin: string = DEFAULT_EMULATOR_ORIGIN,
  options: EmulatorFetchOptions = {},
): EmulatorFetch {
  const jar = new Map<string, string>();
  const keepCookies = options.cookies ?? true;

  const emulatorFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const effective = input instanceof Request
      ? new Request(input, init)
      : new Request(new URL(input instanceof URL ? input.href : String(input), origin), init);
    const signal = effective.signal;
    if (signal.aborted) throw abortError(signal);

    const headers = new Headers(effective.headers);
    if (keepCookies && jar.size > 0 && !headers.has('cookie')) {
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const body = effective.method === 'GET' || effective.method === 'HEAD' ? '' : await effective.text();
    const internal: EmulatorRequest = { method: effective.method.toUpperCase(), url: new URL(effective.url), headers, body };

    const abort = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(abortError(signal)), { once: true });
    });
    const response = await Promise.race([emulator.process(internal), abort]);

    if (keepCookies) {
      for (const cookie of response.cookies ?? []) {
        const [pair, ...attributes] = cookie.split(';');
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === '';
        if (expired) jar.delete(name);
        else jar.set(name, value);
      }
    }
    if (response.networkError) throw new TypeError('Failed to fetch');
    return toResponse(response);
  };
  return Object.assign(emulatorFetch as typeof fetch, { cookies: jar });
}
