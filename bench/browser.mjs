// Browser-side helpers of `npm run bench`: Debian Chromium through playwright-core, a network log per page (API
// requests, the anti-forgery token page, bytes), CPU throttling and JS heap figures through CDP.
import { chromium } from 'playwright-core';
import { gzipSync } from 'node:zlib';

/** The flags toolchain.md asks for on these machines (root, no GPU, no background traffic to unreachable hosts). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** What a request is, by path: a Web API call, the anti-forgery token page, or anything else (scripts, pages). */
export function kindOfUrl(url) {
  const path = new URL(url).pathname;
  if (path.startsWith('/_api/') || path.startsWith('/api/data/')) return 'api';
  if (path.startsWith('/_layout/tokenhtml')) return 'token';
  if (path.startsWith('/emulator/')) return 'emulator';
  return 'other';
}

/**
 * Records every request of a page: URL, kind, when it started and ended, status, and for API requests the
 * response size (headers + body as sent; the emulator does not compress) and the body's gzip size (what a
 * compressing server such as Dataverse would send).
 */
export function networkLog(page) {
  const entries = [];
  const byRequest = new Map();
  let inFlight = 0;
  let lastActivity = Date.now();
  page.on('request', (request) => {
    const entry = { url: request.url(), method: request.method(), kind: kindOfUrl(request.url()), started: Date.now(), done: false };
    entries.push(entry);
    byRequest.set(request, entry);
    inFlight++;
    lastActivity = Date.now();
  });
  const settle = async (request, failed) => {
    const entry = byRequest.get(request);
    if (!entry || entry.done) return;
    entry.done = true;
    entry.failed = failed ? request.failure()?.errorText ?? 'failed' : undefined;
    try {
      if (!failed && entry.kind === 'api') {
        const response = await request.response();
        entry.status = response?.status();
        const sizes = await request.sizes();
        entry.responseBytes = sizes.responseHeadersSize + sizes.responseBodySize;
        entry.bodyBytes = sizes.responseBodySize;
        const body = response ? await response.body().catch(() => null) : null;
        entry.bodyGzip = body ? gzipSync(body, { level: 6 }).length : undefined;
      }
    } catch {
      // The page went away: the entry keeps what it has.
    } finally {
      entry.ended = Date.now();
      inFlight--;
      lastActivity = Date.now();
    }
  };
  page.on('requestfinished', (request) => void settle(request, false));
  page.on('requestfailed', (request) => void settle(request, true));
  return {
    entries,
    /** A position in the log; `since(mark)` lists what came after it. */
    mark: () => entries.length,
    since: (mark, kind) => entries.slice(mark).filter((e) => !kind || e.kind === kind),
    /** Resolves once no request has been in flight for `quietMs` (or after `timeoutMs`). */
    async idle(quietMs = 500, timeoutMs = 15000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (inFlight === 0 && Date.now() - lastActivity >= quietMs) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    },
  };
}

/** CDP helpers of one page: CPU throttling and the JS heap after a full garbage collection. */
export async function devtools(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return {
    throttle: (rate) => cdp.send('Emulation.setCPUThrottlingRate', { rate }),
    async heap() {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name) => metrics.find((m) => m.name === name)?.value ?? null;
      return { usedBytes: value('JSHeapUsedSize'), totalBytes: value('JSHeapTotalSize'), nodes: value('Nodes') };
    },
    /** Chromium's page metrics (`Performance.getMetrics`) as a name → value map. */
    async metrics() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    },
    detach: () => cdp.detach().catch(() => undefined),
  };
}
