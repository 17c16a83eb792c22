// Browser tests: real headless Chromium (Debian's /usr/bin/chromium), one shared emulator per run mounted on
// the dev server's origin, so tests drive the real client over real HTTP semantics.
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { reactEsmPlugin } from './test/support/react-esm.mjs';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const executablePath =
  process.env.CHROME_PATH ?? (existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');

/** The emulator is mounted when its Node adapter exists (the config runs under `node --import tsx`). */
async function emulatorMiddleware() {
  if (!existsSync(new URL('./src/emulator/node.ts', import.meta.url))) return [];
  const { createTestEmulatorMiddleware } = await import('./test/support/emulator-middleware.ts');
  return [await createTestEmulatorMiddleware()];
}

/**
 * `executeServerCommand('emulate-forced-colors', { active: true })`: emulates Windows High Contrast
 * (`forced-colors: active`) with CDP's Emulation.setEmulatedMedia, for the forced-colours tests. Puppeteer's
 * emulateMediaFeatures refuses that feature and @web/test-runner-commands 0.9 forwards `forcedColors` to
 * Playwright only. The CDP session stays open per page: Chromium drops a session's overrides when it detaches.
 */
function forcedColorsPlugin() {
  const sessions = new WeakMap();
  return {
    name: 'emulate-forced-colors',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-forced-colors') return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error('emulate-forced-colors needs a Chromium launcher');
      const page = session.browser.getPage(session.id);
      let cdp = sessions.get(page);
      if (!cdp) {
        cdp = await page.createCDPSession();
        sessions.set(page, cdp);
      }
      const value = payload && payload.active ? 'active' : 'none';
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value }] });
      return true;
    },
  };
}

export default {
  files: ['test/browser/**/*.test.ts', 'src/**/*.test.ts', 'test/reliability/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development', 'browser'] },
  concurrency: 2,
  concurrentBrowsers: 1,
  testsFinishTimeout: 10 * 60 * 1000,
  testFramework: { config: { timeout: 20000, retries: 0 } },
  middleware: await emulatorMiddleware(),
  // React ships CommonJS only: reactEsmPlugin serves it as ES modules (for the React wrapper's tests).
  plugins: [reactEsmPlugin(), esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }), forcedColorsPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
      // Each page gets its own browser context, so test files running side by side don't share the emulator's
      // session cookie (one file may be signed in as a customer representative while another is signed out).
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  ],
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
};
