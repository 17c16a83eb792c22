/**
 * Fault injection: makes the emulator misbehave the way a real Dataverse or Power Pages site sometimes does, so
 * that clients and elements can be tested against slow answers, throttling, outages and lost responses.
 *
 * Switched with a control endpoint (never affected by the faults themselves):
 * - `POST /emulator/faults` with a JSON {@link FaultSettings} object sets the faults (fields left out are off) and
 *   restarts the random sequence from `seed`;
 * - `GET /emulator/faults` shows the current settings and counters;
 * - `DELETE /emulator/faults` turns every fault off.
 *
 * Only requests to `/api/data/…` (Dataverse) and `/_api/…` (Power Pages) are affected. Each affected request
 * draws the same number of random numbers from a seeded generator, in arrival order, so a test that sends the
 * same requests in the same order with the same seed sees the same faults.
 *
 * @module
 */
import { EmulatorError } from './errors.js';
import { errorResponse, jsonResponse, type EmulatorMiddleware, type EmulatorRequest, type EmulatorResponse } from './http.js';

/** What to break, and how often. Shares are probabilities from 0 to 1 per affected request. */
export interface FaultSettings {
  /** Added to every affected request, in milliseconds. */
  readonly latencyMs?: number;
  /** Share of requests delayed by an extra {@link LATENCY_SPIKE_MS} (a "latency spike"). */
  readonly latencySpikeShare?: number;
  /** Share of requests answered 429 (service protection, code 0x80072322) with `Retry-After`. */
  readonly throttleShare?: number;
  /** The `Retry-After` of injected 429s, in seconds. Default 2. */
  readonly retryAfterSeconds?: number;
  /** Share of requests answered 503 Service Unavailable. */
  readonly unavailableShare?: number;
  /**
   * Share of writes (POST, PATCH, PUT, DELETE) whose response is lost: the write is carried out and committed,
   * then the client sees a network error instead of the answer (over HTTP the connection is dropped).
   */
  readonly lostResponseShare?: number;
  /** Seed of the random sequence. Default: a random seed (shown by `GET /emulator/faults`). */
  readonly seed?: number;
}

/** How much an injected latency spike adds, in milliseconds. */
export const LATENCY_SPIKE_MS = 2000;

/** Counters of what the fault injector did since the settings were last changed. */
export interface FaultCounters {
  /** Requests to the data APIs seen. */
  readonly requests: number;
  readonly latencySpikes: number;
  readonly throttled: number;
  readonly unavailable: number;
  readonly lostResponses: number;
}

/** Dataverse's code for "Number of requests exceeded the limit" (service protection). */
export const THROTTLE_CODE = '0x80072322';

const SHARE_FIELDS = ['latencySpikeShare', 'throttleShare', 'unavailableShare', 'lostResponseShare'] as const;
const NUMBER_FIELDS = ['latencyMs', 'retryAfterSeconds', 'seed'] as const;

/** Whether the fault injector (and service protection) apply to this path: the data APIs only. */
export function isDataApiPath(pathname: string): boolean {
  return pathname.startsWith('/api/data/') || pathname === '/_api' || pathname.startsWith('/_api/');
}

/** Which API the path belongs to, for the error shape. */
export function flavorOf(pathname: string): 'dataverse' | 'powerpages' {
  return pathname.startsWith('/_api') ? 'powerpages' : 'dataverse';
}

/** Small, fast, seedable generator (mulberry32): the same seed gives the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** A JSON answer of a control endpoint. */
export function controlJson(body: unknown, status = 200): EmulatorResponse {
  return jsonResponse(status, body, { 'Cache-Control': 'no-store' });
}

/** The error answer of a control endpoint (same shape as the Dataverse errors). */
export function controlError(message: string, status = 400): EmulatorResponse {
  return controlJson({ error: { code: '0x80040203', message } }, status);
}

/** Parses the JSON object body of a control request (an empty body is `{}`); throws a readable message. */
export function controlBody(request: EmulatorRequest): Record<string, unknown> {
  const parsed: unknown = request.body.trim() === '' ? {} : JSON.parse(request.body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** Validates a settings object sent to `POST /emulator/faults`; throws a message on the first bad field. */
export function parseFaultSettings(input: unknown): FaultSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error('The body must be a JSON object of fault settings.');
  }
  const known = new Set<string>([...SHARE_FIELDS, ...NUMBER_FIELDS]);
  const settings: Record<string, number> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!known.has(name)) throw new Error(`Unknown fault setting '${name}'. Known: ${[...known].join(', ')}.`);
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`'${name}' must be a number.`);
    if ((SHARE_FIELDS as readonly string[]).includes(name) && (value < 0 || value > 1)) {
      throw new Error(`'${name}' is a share: a number from 0 to 1.`);
    }
    if (name !== 'seed' && value < 0) throw new Error(`'${name}' cannot be negative.`);
    settings[name] = value;
  }
  return settings;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The fault injector: a request middleware in front of the emulator's handler, plus the `/emulator/faults`
 * control endpoint.
 *
 * ```ts
 * const faults = new FaultInjector();
 * faults.configure({ throttleShare: 0.2, seed: 7 });
 * emulator.use(faults.middleware);
 * ```
 */
export class FaultInjector {
  private current: FaultSettings = {};
  private seed = 1;
  private random: () => number = seededRandom(1);
  private counters = { requests: 0, latencySpikes: 0, throttled: 0, unavailable: 0, lostResponses: 0 };
  private readonly wait: (ms: number) => Promise<void>;

  /** @param options.sleep replaces the delay function (tests); defaults to a `setTimeout` promise. */
  constructor(options: { sleep?: (ms: number) => Promise<void> } = {}) {
    this.wait = options.sleep ?? sleep;
    this.configure({});
  }

  /** The current settings (with the seed in use). */
  get settings(): FaultSettings & { readonly seed: number } {
    return { ...this.current, seed: this.seed };
  }

  /** What was injected since the last {@link configure}. */
  get stats(): FaultCounters {
    return { ...this.counters };
  }

  /** Whether any fault is switched on. */
  get active(): boolean {
    const s = this.current;
    return Boolean(s.latencyMs || s.latencySpikeShare || s.throttleShare || s.unavailableShare || s.lostResponseShare);
  }

  /** Replaces the settings (fields left out are off), restarts the random sequence and the counters. */
  configure(settings: FaultSettings): void {
    this.current = { ...settings };
    this.seed = settings.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = seededRandom(this.seed);
    this.counters = { requests: 0, latencySpikes: 0, throttled: 0, unavailable: 0, lostResponses: 0 };
  }

  /** Turns every fault off. */
  clear(): void {
    this.configure({});
  }

  /**
   * Answers `/emulator/faults`, or returns `undefined` for any other path.
   */
  control(request: EmulatorRequest): EmulatorResponse | undefined {
    if (request.url.pathname !== '/emulator/faults') return undefined;
    switch (request.method) {
      case 'GET':
        return controlJson({ settings: this.settings, active: this.active, stats: this.stats });
      case 'DELETE':
        this.clear();
        return controlJson({ settings: this.settings, active: false, stats: this.stats });
      case 'POST':
      case 'PUT': {
        let settings: FaultSettings;
        try {
          settings = parseFaultSettings(controlBody(request));
        } catch (error) {
          return controlError(error instanceof Error ? error.message : String(error));
        }
        this.configure(settings);
        return controlJson({ settings: this.settings, active: this.active, stats: this.stats });
      }
      default:
        return controlError(`Method ${request.method} is not allowed on /emulator/faults.`, 405);
    }
  }

  /**
   * The pipeline step: answers `/emulator/faults`, and runs data-API requests through the faults (`next` is the
   * rest of the emulator). Other requests go straight to `next`.
   */
  readonly middleware: EmulatorMiddleware = async (request, next) => {
    const control = this.control(request);
    if (control) return control;
    const { pathname } = request.url;
    if (!isDataApiPath(pathname) || !this.active) return next(request);
    const s = this.current;
    this.counters.requests++;
    // Always draw the same four numbers, so one setting does not shift the sequence of another.
    const spike = this.random() < (s.latencySpikeShare ?? 0);
    const throttle = this.random() < (s.throttleShare ?? 0);
    const unavailable = this.random() < (s.unavailableShare ?? 0);
    const lose = this.random() < (s.lostResponseShare ?? 0);

    const delay = (s.latencyMs ?? 0) + (spike ? LATENCY_SPIKE_MS : 0);
    if (spike) this.counters.latencySpikes++;
    if (delay > 0) await this.wait(delay);

    const flavor = flavorOf(pathname);
    if (throttle) {
      this.counters.throttled++;
      const retryAfter = s.retryAfterSeconds ?? 2;
      return errorResponse(
        new EmulatorError(429, THROTTLE_CODE, 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.', {
          headers: { 'Retry-After': String(retryAfter) },
        }),
        flavor,
      );
    }
    if (unavailable) {
      this.counters.unavailable++;
      // Dataverse's 503s carry no platform code; the wording is the emulator's own (UNCONFIRMED).
      return errorResponse(new EmulatorError(503, '', 'The service is temporarily unavailable. Please try again later.'), flavor);
    }
    const response = await next(request);
    if (lose && WRITE_METHODS.has(request.method)) {
      // The write ran (and committed); only its answer is lost: the client sees a network error.
      this.counters.lostResponses++;
      return { status: 0, headers: new Headers(), body: null, networkError: true };
    }
    return response;
  };
}
