// Helpers for the Node-side tests that drive Chromium with playwright-core (e2e-demo, storybook-static).

/**
 * Polls `read` until `ok` holds (Playwright's auto-waiting covers elements; this covers text and state). Throws,
 * naming `what` and the last value read, after `timeoutMs`.
 */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
