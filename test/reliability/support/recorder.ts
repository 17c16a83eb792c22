/**
 * A `fetch` that records every request a portal sends and how it ended, while the real network (or the in-page
 * emulator) answers it. Nothing is faked: the recorder only watches. It gives the figures of the reliability
 * tests (attempts, answers by kind) and the URLs the hostile-input properties check.
 *
 * @module
 */

/** One request and how it ended. */
export interface RecordedRequest {
  readonly seq: number;
  readonly method: string;
  /** Absolute URL as sent. */
  readonly url: string;
  /** `performance.now()` when the request was sent. */
  readonly startedAt: number;
  /** `performance.now()` when the answer (or the failure) came; `undefined` while in flight. */
  endedAt?: number;
  /** HTTP status, or `undefined` when no answer came. */
  status?: number;
  /** `Retry-After` of the answer, in seconds, when it had one. */
  retryAfter?: number;
  /** How it failed without an answer: a dropped connection (`network`) or an abort. */
  failure?: 'network' | 'abort';
  /** The request body (writes), for checks. */
  readonly body?: string;
}

/** A recording `fetch` (give it to `<scm-portal>` as its `fetch`). */
export interface RecordingFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Every request so far, in order of sending. */
  readonly requests: readonly RecordedRequest[];
  /** A mark to read the requests sent after it (`since(mark)`). */
  mark(): number;
  /** The requests sent after `mark`. */
  since(mark: number): RecordedRequest[];
  /** Requests still waiting for an answer. */
  readonly inFlight: number;
}

/** True for Web API calls (`/_api/…` and `/api/data/…`). */
export function isApi(request: Pick<RecordedRequest, 'url'>): boolean {
  const path = new URL(request.url, location.href).pathname;
  return path.startsWith('/_api/') || path === '/_api' || path.startsWith('/api/data/');
}

/** True for the Power Pages anti-forgery token page. */
export function isTokenPage(request: Pick<RecordedRequest, 'url'>): boolean {
  return new URL(request.url, location.href).pathname === '/_layout/tokenhtml';
}

/** Records what passes through `delegate` (default: the page's `fetch`). */
export function recordingFetch(delegate: typeof fetch = (input, init) => globalThis.fetch(input, init)): RecordingFetch {
  const seen: RecordedRequest[] = [];
  let inFlight = 0;
  const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href).href;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const entry: RecordedRequest = {
      seq: seen.length,
      method,
      url,
      startedAt: performance.now(),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    seen.push(entry);
    inFlight++;
    try {
      const response = await delegate(input, init);
      entry.status = response.status;
      const retryAfter = response.headers.get('Retry-After');
      if (retryAfter !== null && retryAfter.trim() !== '' && Number.isFinite(Number(retryAfter))) entry.retryAfter = Number(retryAfter);
      return response;
    } catch (error) {
      entry.failure = (error as { name?: string })?.name === 'AbortError' || init?.signal?.aborted ? 'abort' : 'network';
      throw error;
    } finally {
      entry.endedAt = performance.now();
      inFlight--;
    }
  }) as RecordingFetch;
  Object.defineProperty(recording, 'requests', { get: () => seen.slice() });
  Object.defineProperty(recording, 'inFlight', { get: () => inFlight });
  recording.mark = () => seen.length;
  recording.since = (mark) => seen.slice(mark);
  return recording;
}

/** Answers of a set of requests, by kind (for the printed figures). */
export function answersByKind(requests: readonly RecordedRequest[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const r of requests) {
    const kind = r.failure ? `no answer (${r.failure})` : r.status === undefined ? 'in flight' : String(r.status);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}
