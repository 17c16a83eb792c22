/**
 * How big a reliability run is, and whether it has the emulator to itself.
 *
 * `npm run test:reliability` (web-test-runner.reliability.config.mjs) answers the server command
 * `reliability-settings` with `{ "scale": "full" | "short", "exclusive": true }`: one test file at a time and no
 * other test files, so a test may switch faults and limits on the shared emulator. Under the main config
 * (`npm test`) the command is unknown: the scale is `short` and the run is not exclusive (element tests run beside
 * these files on the same emulator), so the tests keep faults, limits and writes inside an in-page emulator of
 * their own.
 *
 * @module
 */
import { executeServerCommand } from '@web/test-runner-commands';

/** The scale and the exclusivity of this run. */
export interface RunSettings {
  /** `full`: the figures of the issue (500 orders, thousands of cases); `short`: a quick form for `npm test`. */
  readonly scale: 'full' | 'short';
  /** True when this run has the shared emulator to itself (the reliability config). */
  readonly exclusive: boolean;
}

let cached: Promise<RunSettings> | undefined;

/** The settings of this run (asked once per test file). */
export function runSettings(): Promise<RunSettings> {
  cached ??= (async () => {
    try {
      const body = await executeServerCommand<Partial<RunSettings> | null, undefined>('reliability-settings');
      return { scale: body?.scale === 'full' ? 'full' : 'short', exclusive: body?.exclusive === true };
    } catch {
      // The main config has no such command: `npm test`, short and shared with the element tests.
      return { scale: 'short', exclusive: false };
    }
  })();
  return cached;
}

/** Picks the figure of this scale. */
export function byScale<T>(settings: RunSettings, figures: { readonly full: T; readonly short: T }): T {
  return settings.scale === 'full' ? figures.full : figures.short;
}

/** Prints a block of figures (web-test-runner shows the browser's console under the file's name). */
export function printFigures(title: string, figures: Readonly<Record<string, unknown>>): void {
  const width = Math.max(...Object.keys(figures).map((key) => key.length));
  const lines = Object.entries(figures).map(([key, value]) => `  ${key.padEnd(width)}  ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  console.log(`\n[reliability] ${title}\n${lines.join('\n')}`);
}
