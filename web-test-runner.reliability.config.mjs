// Reliability and security tests (`npm run test:reliability`): the main browser-test setup (same plugins, same
// Chromium, the same ONE emulator mounted on the dev server), restricted to test/reliability/**, one file at a time.
//
// RELIABILITY_SCALE=full|short (default short) sets how many orders, cases and views each test runs. The browser
// reads it, with `exclusive: true`, from GET /__reliability/settings (answered below). Because this run has the
// emulator to itself (concurrency 1, no other test files), the tests switch faults and service-protection limits
// on the shared emulator over real HTTP. Under the main config (`npm test`) that endpoint does not exist: the
// tests then run their short form and keep every fault, limit and write inside an in-page emulator of their own,
// so the element tests running beside them never see a fault.
import base from './web-test-runner.config.mjs';

const scale = process.env.RELIABILITY_SCALE === 'full' ? 'full' : 'short';

/** Koa middleware: tells the test pages the scale of this run and that they have the emulator to themselves. */
async function reliabilitySettings(ctx, next) {
  if (ctx.path !== '/__reliability/settings') return next();
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'application/json';
  ctx.body = JSON.stringify({ scale, exclusive: true });
}

export default {
  ...base,
  files: ['test/reliability/**/*.test.ts'],
  // One file at a time: a file that switches faults on must be alone with the emulator.
  concurrency: 1,
  testsFinishTimeout: 90 * 60 * 1000,
  testFramework: { config: { ...base.testFramework?.config, timeout: 60 * 60 * 1000 } },
  middleware: [reliabilitySettings, ...(base.middleware ?? [])],
};
