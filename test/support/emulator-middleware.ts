/**
 * The emulator for browser tests: ONE in-memory emulator per test run (no persistence), seeded once with the full
 * default seed (30,000 orders, the 25,000-order account included), the SCM clock in manual mode (tests move
 * orders with `POST /emulator/scm/advance`), mounted on the test runner's dev server so test pages reach it on
 * their own origin. Used by `web-test-runner.config.mjs`.
 */
import { koaMiddleware, openEmulator, type OpenedEmulator } from '../../src/emulator/node.js';

let shared: Promise<OpenedEmulator> | undefined;

/** The run's emulator (opened on first use). */
export function testEmulator(): Promise<OpenedEmulator> {
  shared ??= (async () => {
    const started = performance.now();
    const opened = await openEmulator({ persist: false, scmClock: 'manual' });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[emulator] seeded ${opened.stats.rows.toLocaleString('en-US')} rows in ${seconds} s (in memory, SCM clock manual)`);
    return opened;
  })();
  return shared;
}

/** Koa middleware answering the emulator's paths (`/api/data/v9.2/`, `/_api/`, `/_layout/tokenhtml`, `/emulator/`). */
export async function createTestEmulatorMiddleware(): Promise<ReturnType<typeof koaMiddleware>> {
  const opened = await testEmulator();
  return koaMiddleware(opened.handle);
}
