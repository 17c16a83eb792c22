/**
 * Node adapter: serves any WHATWG `(Request) => Promise<Response>` handler (the emulator) over `node:http`, and
 * as a middleware for Koa-based servers (@web/dev-server, @web/test-runner) and Connect-style servers.
 * Node only: the browser uses `createEmulatorFetch` instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type WebHandler = (request: Request) => Promise<Response>;

/** Turns a Node request into a WHATWG `Request` (body streamed, headers copied). */
export function toWebRequest(req: IncomingMessage, origin: string): Request {
  const url = new URL(req.url ?? '/', origin);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs this for a streamed body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a WHATWG `Response` to a Node response (status, headers including every Set-Cookie, body). */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  // `Response.error()`: a simulated network failure (a lost response): drop the connection, send nothing.
  if (response.type === 'error') {
    res.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, response.statusText, headers);
  if (response.body) {
    const body = Buffer.from(await response.arrayBuffer());
    res.end(body);
  } else {
    res.end();
  }
}

/** The paths the emulator answers; everything else falls through to the host server. */
export function isEmulatorPath(pathname: string): boolean {
  return pathname.startsWith('/api/data/') || pathname.startsWith('/_api/') || pathname === '/_api'
    || pathname.startsWith('/_layout/tokenhtml') || pathname.startsWith('/emulator/');
}

/** Connect-style middleware: `(req, res, next)`. */
export function connectMiddleware(handler: WebHandler, origin: string) {
  return async (req: IncomingMessage, res: ServerResponse, next: () => void): Promise<void> => {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (!isEmulatorPath(path)) return next();
    const response = await handler(toWebRequest(req, origin));
    await writeWebResponse(res, response);
  };
}

interface KoaLikeContext {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  respond?: boolean;
  host: string;
  protocol: string;
}

/** Koa middleware for @web/dev-server and @web/test-runner (`middleware: [koaMiddleware(handler)]`). */
export function koaMiddleware(handler: WebHandler) {
  return async (ctx: KoaLikeContext, next: () => Promise<unknown>): Promise<unknown> => {
    if (!isEmulatorPath(ctx.path)) return next();
    const origin = `${ctx.protocol}://${ctx.host}`;
    const response = await handler(toWebRequest(ctx.req, origin));
    ctx.respond = false; // we write the raw response ourselves
    await writeWebResponse(ctx.res, response);
    return undefined;
  };
}
