/**
 * The emulator's internal request/response types, and their conversion to and from WHATWG `Request`/`Response`.
 *
 * Internally a request carries its body as text (read once, up front), so that the whole operation can run
 * synchronously against the store; see `store.ts`.
 */
import { EmulatorError, type ApiFlavor } from './errors.js';

/** A request as the emulator's pipeline sees it. */
export interface EmulatorRequest {
  readonly method: string;
  readonly url: URL;
  /** Request headers. A plain `Headers` (no browser guard), so `Cookie` can be set by the emulator's fetch. */
  readonly headers: Headers;
  readonly body: string;
}

/** A response as the emulator's pipeline produces it. */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string | null;
  /**
   * `Set-Cookie` values, kept apart from `headers` because browsers drop `Set-Cookie` from a constructed
   * `Response`; {@link createEmulatorFetch} keeps its own cookie jar from them.
   */
  readonly cookies?: readonly string[];
  /**
   * Simulates a failed connection (the request may or may not have been carried out): `handle()` answers
   * `Response.error()` and the emulator's fetch rejects with a `TypeError`, as `fetch` does on a network error.
   */
  readonly networkError?: boolean;
}

/**
 * A step of the request pipeline: inspect or change the request, call `next` (or not), inspect or change the
 * response. Fault injection (latency, 429/503, lost responses) and service-protection limits plug in here.
 */
export type EmulatorMiddleware = (
  request: EmulatorRequest,
  next: (request: EmulatorRequest) => Promise<EmulatorResponse>,
) => Promise<EmulatorResponse>;

/** OData JSON response headers as Dataverse sends them. */
export function jsonHeaders(extra?: Record<string, string>): Headers {
  const headers = new Headers({
    'Content-Type': 'application/json; odata.metadata=minimal',
    'OData-Version': '4.0',
  });
  for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value);
  return headers;
}

/** A JSON response. */
export function jsonResponse(status: number, body: unknown, extra?: Record<string, string>): EmulatorResponse {
  return { status, headers: jsonHeaders(extra), body: JSON.stringify(body) };
}

/** An empty response (204, 304, …). */
export function emptyResponse(status: number, extra?: Record<string, string>): EmulatorResponse {
  const headers = new Headers({ 'OData-Version': '4.0' });
  for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value);
  return { status, headers, body: null };
}

/** An error response in the shape of the API the request came in on. */
export function errorResponse(error: EmulatorError, flavor: ApiFlavor): EmulatorResponse {
  return jsonResponse(error.status, error.toBody(flavor), { ...error.options.headers });
}

/** Reads a WHATWG `Request` into an {@link EmulatorRequest}. */
export async function fromRequest(request: Request): Promise<EmulatorRequest> {
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  return { method: request.method.toUpperCase(), url: new URL(request.url), headers: new Headers(request.headers), body };
}

/** Turns an {@link EmulatorResponse} into a WHATWG `Response`. */
export function toResponse(response: EmulatorResponse): Response {
  if (response.networkError) return Response.error();
  const headers = new Headers(response.headers);
  for (const cookie of response.cookies ?? []) headers.append('Set-Cookie', cookie);
  const nullBody = response.status === 204 || response.status === 304 || response.status === 205;
  return new Response(nullBody ? null : response.body, { status: response.status, headers });
}
