// Reliability and security tests (`npm run test:reliability`): the main browser-test setup (same plugins, same
// Chromium, the same ONE emulator mounted on the dev server), restricted to test/reliability/**, one file at a time.
//
// RELIABILITY_SCALE=full|short (default short) sets how many orders, cases and views each test runs. The browser
// reads it, with `exclusive: true`, through the server command `reliability-settings` (the plugin below). Because
// this run has the emulator to itself (concurrency 1, no other test files), the tests switch faults and
// service-protection limits on the shared emulator over real HTTP. Under the main config (`npm test`) the command
// does not exist: the tests then run their short form and keep every fault, limit and write inside an in-page
// emulator of their own, so the element tests running beside them never see a fault.
import base from './web-test-runner.config.mjs';

const scale = process.env.RELIABILITY_SCALE === 'full' ? 'full' : 'short';

/** Tells the test pages (`executeServerCommand('reliability-settings')`) the scale and that they have the emulator to themselves. */
const reliabilitySettings = {
  name: 'reliability-settings',
  executeCommand({ command }) {
    return command === 'reliability-settings' ? { scale, exclusive: true } : undefined;
  },
};

export default {
  ...base,
  files: ['test/reliability/**/*.test.ts'],
  // One file at a time: a file that switches faults on must be alone with the emulator.
  concurrency: 1,
  testsFinishTimeout: 90 * 60 * 1000,
  testFramework: { config: { ...base.testFramework?.config, timeout: 60 * 60 * 1000 } },
  plugins: [...(base.plugins ?? []), reliabilitySettings],
};
