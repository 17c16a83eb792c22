#!/usr/bin/env node
// `npm test`: every check the project has, in one run, with one summary line at the end.
// Steps: manifest up to date, type check, template type check (lit-analyzer), the build, Node-side tests (node --test,
// including the end-to-end demo test, which needs the build), browser tests (web-test-runner in headless Chromium
// against the emulator).
// Exit code is non-zero when anything fails. The last line reads `N passed, M failed`
// (tests counted one by one; a check step that is not a test runner counts as one).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const only = process.argv.slice(2); // e.g. `npm test -- node browser`
const bin = (name) => join('node_modules', '.bin', name);

/** Runs a command, streaming its output, and returns { code, output }. */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// eslint-disable-next-line no-control-regex
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

const steps = [
  {
    name: 'manifest',
    async run() {
      // custom-elements.json and vscode.html-custom-data.json (generated from it) are what `npm run analyze` writes
      // now. cem resolves --outdir against the working directory: use a folder inside the project. A config of
      // our own turns off cem's `packagejson` option, which would otherwise point package.json's
      // "customElements" at that temporary folder.
      mkdirSync('.tmp', { recursive: true });
      const dir = mkdtempSync(join('.tmp', 'cem-'));
      try {
        const config = join(dir, 'custom-elements-manifest.config.mjs');
        writeFileSync(
          config,
          `import base from ${JSON.stringify(pathToFileURL(resolve('custom-elements-manifest.config.mjs')).href)};\n` +
            `export default { ...base, outdir: ${JSON.stringify(dir)}, packagejson: false };\n`,
        );
        const r = await run(bin('cem'), ['analyze', '--quiet', '--config', config]);
        if (r.code !== 0) {
          console.error(`cem analyze exited with code ${r.code}`);
          return { passed: 0, failed: 1 };
        }
        const fresh = readFileSync(join(dir, 'custom-elements.json'), 'utf8');
        let committed = '';
        try { committed = readFileSync('custom-elements.json', 'utf8'); } catch { /* missing */ }
        if (fresh.trim() !== committed.trim()) {
          console.error('custom-elements.json is out of date: run `npm run analyze` and commit the result.');
          // Say where, so a failure on another machine can be understood from its log alone.
          const a = committed.split('\n');
          const b = fresh.split('\n');
          const first = a.findIndex((line, i) => line !== b[i]);
          const at = first === -1 ? Math.min(a.length, b.length) : first;
          console.error(`first difference at line ${at + 1} (committed ${a.length} lines, generated ${b.length}):`);
          for (let i = Math.max(0, at - 3); i < at + 8; i++) {
            if (a[i] !== b[i]) console.error(`  committed ${i + 1}: ${a[i] ?? '(end)'}\n  generated ${i + 1}: ${b[i] ?? '(end)'}`);
          }
          return { passed: 0, failed: 1 };
        }
        const data = await run(process.execPath, ['scripts/vscode-data.mjs', '--manifest', join(dir, 'custom-elements.json'), '--check']);
        if (data.code !== 0) return { passed: 0, failed: 1 }; // it names the file and the fix
        return { passed: 1, failed: 0 };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  { name: 'typecheck', async run() { const r = await run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']); return r.code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }; } },
  { name: 'lit-analyzer', async run() { const r = await run(bin('lit-analyzer'), ['src', '--strict', '--quiet']); return r.code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }; } },
  // The build comes before the Node-side tests: the end-to-end demo test (test/node/e2e-demo.test.ts) loads
  // dist/cdn/scm-portal.js in Chromium, as the demo pages do.
  { name: 'build', async run() { const r = await run(process.execPath, ['scripts/build.mjs']); return r.code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }; } },
  {
    name: 'node',
    async run() {
      // Node 20's --test does not discover .ts files by itself: name them.
      const files = readdirSync('test/node').filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', 'node', f));
      const r = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files]);
      const text = plain(r.output);
      const pass = Number(/ℹ pass (\d+)/.exec(text)?.[1] ?? 0);
      const fail = Number(/ℹ fail (\d+)/.exec(text)?.[1] ?? 0);
      return { passed: pass, failed: fail + (r.code !== 0 && fail === 0 ? 1 : 0) };
    },
  },
  {
    name: 'browser',
    async run() {
      const r = await run(process.execPath, ['--import', 'tsx', join('node_modules', '@web', 'test-runner', 'dist', 'bin.js'), '--config', 'web-test-runner.config.mjs']);
      const text = plain(r.output);
      const matches = [...text.matchAll(/(\d+) passed, (\d+) failed/g)];
      const last = matches.at(-1);
      const pass = Number(last?.[1] ?? 0);
      const fail = Number(last?.[2] ?? 0);
      return { passed: pass, failed: fail + (r.code !== 0 && fail === 0 ? 1 : 0) };
    },
  },
];

let passed = 0;
let failed = 0;
const lines = [];
const started = Date.now();
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  const t0 = Date.now();
  console.log(`\n── ${step.name} ──`);
  const result = await step.run();
  passed += result.passed;
  failed += result.failed;
  lines.push(`${result.failed ? '✗' : '✓'} ${step.name}: ${result.passed} passed, ${result.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
console.log(`\n${lines.join('\n')}\ntotal time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
