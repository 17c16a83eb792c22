/**
 * Service protection limits, enforced per user as Dataverse does (powerapps-docs,
 * developer/data-platform/api-limits.md): over a sliding window (5 minutes), a user may send a number of requests
 * (6,000) taking a combined execution time (20 minutes), and have a number of requests in progress at once (52).
 * Past a limit the request is refused with **429 Too Many Requests** and a `Retry-After` header (seconds), with
 * the error codes
 * - `0x80072322` "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
 * - `0x80072321` "Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time
 *   window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try
 *   again later.",
 * - `0x80072326` "Number of concurrent requests exceeded the limit of 52.".
 * On `/_api` the same error is wrapped the Power Pages way (`9004010D` with the Dataverse code in `cdscode`).
 *
 * The user is the session (`.AspNet.ApplicationCookie`) for Power Pages calls and the bearer token for Dataverse
 * calls; anonymous calls share one bucket. Only `/api/data/…` and `/_api/…` count; `/emulator/…` controls never.
 *
 * Control endpoint: `GET /emulator/limits` shows the limits and each user's current usage; `POST` with a JSON
 * {@link ProtectionLimits} object changes some limits (others keep their value); `DELETE` restores the defaults
 * and forgets all usage.
 *
 * @module
 */
import { readCookie, SESSION_COOKIE } from './auth.js';
import { EmulatorError } from './errors.js';
import { controlBody, controlError, controlJson, flavorOf, isDataApiPath } from './faults.js';
import { errorResponse, type EmulatorMiddleware, type EmulatorRequest, type EmulatorResponse } from './http.js';

/** The limits, per user. */
export interface ProtectionLimits {
  /** Turns service protection on or off. Default on. */
  readonly enabled: boolean;
  /** Length of the sliding window, in seconds. Dataverse: 300. */
  readonly windowSeconds: number;
  /** Requests a user may send per window. Dataverse: 6,000. */
  readonly requestsPerWindow: number;
  /** Combined execution time a user may use per window, in seconds. Dataverse: 1,200 (20 minutes). */
  readonly executionSecondsPerWindow: number;
  /** Requests a user may have in progress at once. Dataverse: 52. */
  readonly concurrentRequests: number;
}

/** Dataverse's own figures; a single developer machine stays well inside them unless a test pushes on purpose. */
export const DEFAULT_LIMITS: ProtectionLimits = Object.freeze({
  enabled: true,
  windowSeconds: 300,
  requestsPerWindow: 6000,
  executionSecondsPerWindow: 1200,
  concurrentRequests: 52,
});

/** Service protection error codes. */
export const PROTECTION_CODES = {
  requests: '0x80072322',
  executionTime: '0x80072321',
  concurrency: '0x80072326',
} as const;

/** One user's usage right now. */
export interface UserUsage {
  readonly user: string;
  /** Requests counted in the current window. */
  readonly requests: number;
  /** Execution time used in the current window, in milliseconds. */
  readonly executionMs: number;
  /** Requests in progress. */
  readonly inProgress: number;
  /** Requests refused with 429 since the limits were last reset. */
  readonly refused: number;
}

interface Bucket {
  /** Start times (ms) of the requests counted in the window, oldest first. */
  readonly starts: number[];
  /** End time and duration (ms) of finished requests in the window, oldest first. */
  readonly finished: { end: number; duration: number }[];
  executionMs: number;
  inProgress: number;
  refused: number;
}

/**
 * Who the limits count a request against: the Power Pages session, the bearer token, or "anonymous". Only a
 * short fingerprint of the credential is kept (never shown in full by `GET /emulator/limits`).
 */
export function userKeyOf(request: EmulatorRequest): string {
  const authorization = request.headers.get('authorization');
  const bearer = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1];
  if (bearer) return `token:${fingerprint(bearer)}`;
  const session = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
  if (session) return `session:${fingerprint(session)}`;
  return 'anonymous';
}

/** A short non-reversible label for a credential (FNV-1a, hex). */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Validates a body sent to `POST /emulator/limits`. */
export function parseLimits(input: unknown): Partial<ProtectionLimits> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error('The body must be a JSON object of limits.');
  }
  const result: Record<string, number | boolean> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!(name in DEFAULT_LIMITS)) {
      throw new Error(`Unknown limit '${name}'. Known: ${Object.keys(DEFAULT_LIMITS).join(', ')}.`);
    }
    if (name === 'enabled') {
      if (typeof value !== 'boolean') throw new Error(`'enabled' must be true or false.`);
      result[name] = value;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`'${name}' must be a positive number.`);
    }
    result[name] = value;
  }
  return result as Partial<ProtectionLimits>;
}

/**
 * Service protection: a request middleware in front of the emulator's handler, plus `/emulator/limits`.
 *
 * ```ts
 * const protection = new ServiceProtection({ requestsPerWindow: 100 });
 * emulator.use(protection.middleware);
 * ```
 */
export class ServiceProtection {
  private current: ProtectionLimits;
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly userOf: ((request: EmulatorRequest) => string | undefined) | undefined;

  /**
   * @param options.now the clock in milliseconds (tests); defaults to `Date.now`.
   * @param options.userOf who a request is from (e.g. `(r) => emulator.identify(r).user?.email`), so that all of
   *   a user's sessions and tokens share one budget as in Dataverse; unknown callers are counted per credential.
   */
  constructor(
    limits: Partial<ProtectionLimits> = {},
    options: { now?: () => number; userOf?: (request: EmulatorRequest) => string | undefined } = {},
  ) {
    this.current = { ...DEFAULT_LIMITS, ...limits };
    this.now = options.now ?? Date.now;
    this.userOf = options.userOf;
  }

  get limits(): ProtectionLimits {
    return { ...this.current };
  }

  /** Changes some limits; the others keep their value. Usage counted so far is kept. */
  configure(limits: Partial<ProtectionLimits>): void {
    this.current = { ...this.current, ...limits };
  }

  /** Restores the default limits and forgets all usage. */
  reset(): void {
    this.current = { ...DEFAULT_LIMITS };
    this.buckets.clear();
  }

  /** Each user's usage in the current window. */
  usage(): UserUsage[] {
    const now = this.now();
    return [...this.buckets.entries()].map(([user, bucket]) => {
      this.expire(bucket, now);
      return {
        user,
        requests: bucket.starts.length,
        executionMs: Math.round(bucket.executionMs),
        inProgress: bucket.inProgress,
        refused: bucket.refused,
      };
    });
  }

  /** Answers `/emulator/limits`, or returns `undefined` for any other path. */
  control(request: EmulatorRequest): EmulatorResponse | undefined {
    if (request.url.pathname !== '/emulator/limits') return undefined;
    switch (request.method) {
      case 'GET':
        return controlJson({ limits: this.limits, usage: this.usage() });
      case 'DELETE':
        this.reset();
        return controlJson({ limits: this.limits, usage: [] });
      case 'POST':
      case 'PUT': {
        try {
          this.configure(parseLimits(controlBody(request)));
        } catch (error) {
          return controlError(error instanceof Error ? error.message : String(error));
        }
        return controlJson({ limits: this.limits, usage: this.usage() });
      }
      default:
        return controlError(`Method ${request.method} is not allowed on /emulator/limits.`, 405);
    }
  }

  /**
   * The pipeline step: answers `/emulator/limits`; counts each data-API request against its user and runs it
   * (`next`), or refuses it with 429.
   */
  readonly middleware: EmulatorMiddleware = async (request, next) => {
    const control = this.control(request);
    if (control) return control;
    const { pathname } = request.url;
    if (!this.current.enabled || !isDataApiPath(pathname)) return next(request);
    const known = this.userOf?.(request);
    const key = known ? `user:${known}` : userKeyOf(request);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { starts: [], finished: [], executionMs: 0, inProgress: 0, refused: 0 };
      this.buckets.set(key, bucket);
    }
    const start = this.now();
    this.expire(bucket, start);
    const refusal = this.check(bucket, start);
    if (refusal) {
      bucket.refused++;
      return errorResponse(refusal, flavorOf(pathname));
    }
    bucket.starts.push(start);
    bucket.inProgress++;
    try {
      return await next(request);
    } finally {
      bucket.inProgress--;
      const end = this.now();
      const duration = Math.max(0, end - start);
      bucket.finished.push({ end, duration });
      bucket.executionMs += duration;
    }
  };

  /** Drops what fell out of the sliding window. */
  private expire(bucket: Bucket, now: number): void {
    const from = now - this.current.windowSeconds * 1000;
    let drop = 0;
    while (drop < bucket.starts.length && bucket.starts[drop] <= from) drop++;
    if (drop) bucket.starts.splice(0, drop);
    drop = 0;
    while (drop < bucket.finished.length && bucket.finished[drop].end <= from) {
      bucket.executionMs -= bucket.finished[drop].duration;
      drop++;
    }
    if (drop) bucket.finished.splice(0, drop);
    if (bucket.finished.length === 0) bucket.executionMs = 0;
  }

  /** The 429 to answer, or `undefined` when the request may run. */
  private check(bucket: Bucket, now: number): EmulatorError | undefined {
    const limits = this.current;
    const windowMs = limits.windowSeconds * 1000;
    if (bucket.inProgress >= limits.concurrentRequests) {
      // Dataverse does not document a Retry-After for this one; a concurrent request usually ends within a second.
      return throttled(PROTECTION_CODES.concurrency,
        `Number of concurrent requests exceeded the limit of ${limits.concurrentRequests}.`, 1);
    }
    if (bucket.starts.length >= limits.requestsPerWindow) {
      // Wait until enough of the oldest requests leave the window for one more to fit.
      const oldest = bucket.starts[bucket.starts.length - limits.requestsPerWindow];
      return throttled(PROTECTION_CODES.requests,
        `Number of requests exceeded the limit of ${limits.requestsPerWindow} over time window of ${limits.windowSeconds} seconds.`,
        secondsUntil(oldest + windowMs, now));
    }
    const executionLimitMs = limits.executionSecondsPerWindow * 1000;
    if (bucket.executionMs >= executionLimitMs) {
      // Wait until enough finished work leaves the window to get back under the limit.
      let excess = bucket.executionMs - executionLimitMs;
      let until = now;
      for (const item of bucket.finished) {
        until = item.end + windowMs;
        excess -= item.duration;
        if (excess < 0) break;
      }
      return throttled(PROTECTION_CODES.executionTime,
        `Combined execution time of incoming requests exceeded limit of ${executionLimitMs.toLocaleString('en-US')} milliseconds over time window of ${limits.windowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
        secondsUntil(until, now));
    }
    return undefined;
  }
}

function secondsUntil(time: number, now: number): number {
  return Math.max(1, Math.ceil((time - now) / 1000));
}

function throttled(code: string, message: string, retryAfterSeconds: number): EmulatorError {
  return new EmulatorError(429, code, message, { headers: { 'Retry-After': String(retryAfterSeconds) } });
}
