#!/usr/bin/env node
// `npm run bench`: weight, requests, time, memory and typing of the library in real headless Chromium against the
// emulator, beside its peers measured in the same run — DynamicsWebApi (the client peer) and @vaadin/grid (the
// list peer, fed by OUR client) — with budgets. Prints one JSON report and a readable table, writes the report to
// .tmp/bench-report.json, and exits non-zero when a budget is exceeded (saying which).
//
//   npm run bench                      # full run (7 repetitions per timing)
//   npm run bench -- --quick           # CI: 3 repetitions, fewer typing rounds
//   npm run bench -- --runs 11         # more repetitions
//   npm run bench -- --only weight,views   # sections: weight, msal, views, time, heap, typing
//   npm run bench -- --strict-peers    # also fail when slower/heavier than a peer (otherwise reported only)
//   npm run bench -- --no-build        # use dist/ as it is (while iterating; the report says so)
//
// What it does: builds (when dist/ is missing or older than the sources), measures weight with esbuild/zlib,
// bundles the bench pages (bench/*.html + bench/*.js: <scm-portal> and every element module that exists, and a
// <vaadin-grid> page over our client), starts ONE emulator server (in memory, full default seed: the 25,000-order
// account included; SCM clock manual) on a free port serving the pages and dist/, drives Debian Chromium
// (/usr/bin/chromium) with playwright-core, and closes everything at the end.
//
// An element whose module does not exist yet is reported as "not built" in every section (not a failure).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
process.chdir(root);

// ---------------------------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag('quick');
const RUNS = Math.max(1, Number(option('runs') ?? (QUICK ? 3 : 7)));
const TYPING_ROUNDS = QUICK ? 2 : 5;
const SECTIONS = new Set((option('only') ?? 'weight,msal,views,time,heap,typing').split(',').map((s) => s.trim()));
const STRICT_PEERS = flag('strict-peers');
const NO_BUILD = flag('no-build');
/** 1 KB = 1,024 bytes throughout (what browsers' devtools and bundle analysers show). */
const KB = 1024;
const PAGE_SIZE = 50;
const PAGES_1000 = 1000 / PAGE_SIZE - 1; // Next clicks after the first page: 20 pages = 1,000 rows
const PAGES_5000 = 5000 / PAGE_SIZE - 1; // 100 pages = 5,000 orders

/** Elements of the library, in the order the report lists them. */
const ELEMENT_NAMES = ['order-list', 'order-detail', 'account-summary', 'order-form'];

/** Request budgets of each element's first view (API requests; the provider's session load is counted apart). */
const VIEW_BUDGETS = { 'scm-order-list': 1, 'scm-order-detail': 1, 'scm-account-summary': 2, 'scm-order-form': 2 };

const log = (...parts) => console.error(`[bench] ${parts.join(' ')}`);

// ---------------------------------------------------------------------------------------------------------------
// Statistics

const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 1) => (value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const summary = (values) => ({
  median: round(median(values)),
  min: round(values.length ? Math.min(...values) : null),
  max: round(values.length ? Math.max(...values) : null),
  runs: values.map((v) => round(v)),
});
const ratio = (ours, peer) => (typeof ours === 'number' && typeof peer === 'number' && peer > 0 ? round(ours / peer, 2) : null);

// ---------------------------------------------------------------------------------------------------------------
// 1. Build when needed

/** The newest modification time under `paths` (files or folders; test files skipped). */
function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (!/\.test\.ts$/.test(path)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  paths.forEach(visit);
  return newest;
}

function ensureBuild() {
  if (NO_BUILD) {
    const ok = existsSync(join(root, 'dist', 'cdn', 'scm-portal.js')) && existsSync(join(root, 'dist', 'emulator', 'node.js'));
    return { ran: false, ok, reason: ok ? '--no-build: dist/ used as it is (may be stale)' : '--no-build, and dist/ is missing', ...(ok ? {} : { error: 'dist/ is missing' }) };
  }
  const output = join(root, 'dist', 'cdn', 'scm-portal.js');
  const inputs = newestMtime(['src', 'rollup.config.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'].map((p) => join(root, p)));
  const stale = !existsSync(output) || statSync(output).mtimeMs < inputs || !existsSync(join(root, 'dist', 'emulator', 'node.js'));
  if (!stale) return { ran: false, ok: true, reason: 'dist/ is up to date' };
  log('dist/ is missing or older than the sources: running `npm run build`…');
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
  const ms = Math.round(performance.now() - started);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    log(`the build failed (exit ${result.status}):\n${tail}`);
    return { ran: true, ok: false, ms, error: tail };
  }
  return { ran: true, ok: true, ms };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. The bench pages' bundles

async function buildBenchBundles(elements) {
  const esbuild = await import('esbuild');
  const { minifyTemplatesPlugin } = await import('./minify-templates.mjs');
  const out = join(root, '.tmp', 'bench-build');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    tsconfig: join(root, 'tsconfig.json'),
    external: ['@azure/msal-browser'],
    // Every module of the page must run (the package's "sideEffects" list names dist/ files, not src/).
    ignoreAnnotations: true,
    logLevel: 'silent',
    legalComments: 'none',
    // The templates minified as the shipped build minifies them (rollup.config.mjs): the pages run what ships.
    plugins: [minifyTemplatesPlugin(root)],
  };
  const present = elements.filter((e) => e.bundled);
  const entry = (lines, name) => ({ stdin: { contents: lines.join('\n'), resolveDir: root, sourcefile: `${name}-entry.js`, loader: 'js' }, outfile: join(out, `${name}.js`) });
  await esbuild.build({
    ...common,
    ...entry(
      [
        "export * from './src/elements/portal/portal.ts';",
        ...present.map((e) => `export * from './${e.entry}';`),
        "export * from './bench/harness.js';",
      ],
      'elements',
    ),
  });
  await esbuild.build({
    ...common,
    ...entry(["export * from './src/elements/portal/portal.ts';", "export * from './bench/grid-harness.js';"], 'grid'),
  });
  return present.map((e) => e.tag);
}

// ---------------------------------------------------------------------------------------------------------------
// Main

const report = {
  version: 1,
  startedAt: new Date().toISOString(),
  options: { quick: QUICK, runs: RUNS, sections: [...SECTIONS], kb: KB, gzip: 'zlib level 9', brotli: 'zlib quality 11, text mode' },
  environment: {},
  build: null,
  weight: null,
  msal: null,
  views: null,
  time: null,
  heap: null,
  typing: null,
  budgets: [],
  peers: [],
  notes: [],
};

let server;
let browser;
let stopBundler = async () => undefined;
let exitCode = 0;

async function cleanup() {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  await server?.close().catch(() => undefined);
  server = undefined;
  await stopBundler();
}

process.on('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

try {
  report.build = ensureBuild();
  const weightModule = await import('../bench/weight.mjs');
  stopBundler = () => weightModule.stopBundler();
  const elements = weightModule.elementModules(root, ELEMENT_NAMES);

  // ----- weight ------------------------------------------------------------------------------------------------
  if (SECTIONS.has('weight')) {
    log('weight: bundling and compressing…');
    report.weight = await weightModule.measureWeight(root, { elements, buildOk: report.build.ok });
  }

  // Which elements the pages can use: the module exists and esbuild bundles it.
  for (const element of elements) {
    const status = report.weight?.elements?.[element.tag]?.status;
    element.bundled = element.exists && (status === undefined || status === 'ok');
  }
  const browserSections = ['msal', 'views', 'time', 'heap', 'typing'].filter((s) => SECTIONS.has(s));
  let pagesBundled = browserSections.length > 0;
  if (pagesBundled) {
    log('bundling the bench pages…');
    try {
      await buildBenchBundles(elements);
    } catch (error) {
      // One broken element module breaks the page bundle: leave the failing ones out and try again.
      const first = (e) => {
        const m = e?.errors?.[0];
        return m ? `${m.location?.file ?? ''}:${m.location?.line ?? ''} ${m.text}` : String(e);
      };
      log(`the bench bundle failed (${first(error)}); retrying element by element…`);
      for (const element of elements.filter((e) => e.bundled)) {
        try {
          await buildBenchBundles([{ ...element }]);
        } catch (elementError) {
          element.bundled = false;
          element.bundleError = `does not bundle: ${first(elementError)}`;
        }
      }
      try {
        await buildBenchBundles(elements);
      } catch (pageError) {
        // Even <scm-portal> alone does not bundle: nothing can run in the browser.
        pagesBundled = false;
        const reason = `the bench pages do not bundle: ${first(pageError)}`;
        log(reason);
        for (const section of browserSections) report[section] = { status: 'not measured', reason };
      }
    }
  }
  if (pagesBundled) {

    const { startBenchServer } = await import('../bench/server.mjs');
    log('starting the emulator (in memory, full default seed, SCM clock manual)…');
    const started = await startBenchServer(root, { preferDist: report.build.ok, onProgress: (m) => log(`  ${m}`) });
    server = started.server;
    report.environment.emulator = { from: started.emulatorFrom, openMs: started.openMs, rows: server.opened.stats.rows, url: server.url };
    log(`emulator ready in ${(started.openMs / 1000).toFixed(1)} s at ${server.url} (${server.opened.stats.rows.toLocaleString('en-US')} rows)`);

    const bench = await import('../bench/scenarios.mjs');
    const { launchChromium } = await import('../bench/browser.mjs');
    browser = await launchChromium();
    report.environment.chromium = browser.version();
    report.environment.node = process.version;
    report.environment.cpus = os.cpus().length;
    report.environment.loadAverageAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100);

    const ctx = await bench.prepare({ browser, server, elements, log });
    report.environment.users = ctx.describeUsers();

    if (SECTIONS.has('msal')) report.msal = await bench.msalProof(ctx, { buildOk: report.build.ok });
    if (SECTIONS.has('views')) report.views = await bench.firstViews(ctx);
    if (SECTIONS.has('time')) report.time = await bench.timing(ctx, { runs: RUNS, pages: PAGES_1000, pageSize: PAGE_SIZE });
    if (SECTIONS.has('heap')) report.heap = await bench.memory(ctx, { pages: PAGES_5000, pageSize: PAGE_SIZE });
    if (SECTIONS.has('typing')) report.typing = await bench.typing(ctx, { rounds: TYPING_ROUNDS });
  }
} catch (error) {
  report.error = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  log(`bench failed: ${report.error}`);
  exitCode = 2;
} finally {
  await cleanup();
}

// ---------------------------------------------------------------------------------------------------------------
// Budgets and peer comparisons

const budget = (name, actual, limit, ok, detail) => report.budgets.push({ name, actual, limit, ok, ...(detail ? { detail } : {}) });
const peer = (name, ours, theirs, value, detail) => report.peers.push({ name, ours, peer: theirs, ratio: value, behind: value !== null && value > 1, ...(detail ? { detail } : {}) });

if (report.build && !report.build.ok) budget('the build succeeds', 'failed', 'succeeds', false, report.build.error);
const w = report.weight;
if (w) {
  if (w.cdn?.status === 'ok') {
    // The whole library: what loads up front AND the chunks it loads on first use (the $batch codec, change
    // tracking, …): moving code behind import() makes a first load lighter, not the library.
    budget(
      'library (dist/cdn: up front + lazy chunks; not MSAL, not translations; Lit included) gzip',
      w.cdn.total.gzip,
      35 * KB,
      w.cdn.total.gzip <= 35 * KB,
      `up front ${w.cdn.gzip} B + ${w.cdn.total.lazyChunks} lazy chunk(s) ${w.cdn.total.gzip - w.cdn.gzip} B`,
    );
    if (w.cdn.elementsMissingFromCdn.length > 0) {
      report.notes.push(`src/cdn.ts does not include ${w.cdn.elementsMissingFromCdn.join(', ')}: the CDN figure leaves them out; "library, all elements" counts them.`);
    }
  }
  if (w.libraryAllElements?.status === 'ok') {
    budget(
      'library, all elements (esbuild: up front + lazy chunks, Lit included) gzip',
      w.libraryAllElements.total.gzip,
      35 * KB,
      w.libraryAllElements.total.gzip <= 35 * KB,
      `up front ${w.libraryAllElements.gzip} B`,
    );
  }
  if (w.client?.status === 'ok' && w.dynamicsWebApi?.status === 'ok') {
    const limit = Math.floor(w.dynamicsWebApi.gzip / 2);
    // The client's first load (what `import … from 'scm-portal-elements/dataverse'` downloads); its lazy chunks
    // (the $batch codec, change tracking) are reported beside it and count in the library's total.
    budget('client alone gzip ≤ ½ DynamicsWebApi (first load)', w.client.gzip, limit, w.client.gzip <= limit, `with its lazy chunks: ${w.client.total.gzip} B`);
    peer('weight: client / DynamicsWebApi (gzip, first load)', w.client.gzip, w.dynamicsWebApi.gzip, ratio(w.client.gzip, w.dynamicsWebApi.gzip));
    peer('weight: client / DynamicsWebApi (gzip, with lazy chunks)', w.client.total.gzip, w.dynamicsWebApi.gzip, ratio(w.client.total.gzip, w.dynamicsWebApi.gzip));
    peer('weight: client / DynamicsWebApi (brotli)', w.client.brotli, w.dynamicsWebApi.brotli, ratio(w.client.brotli, w.dynamicsWebApi.brotli));
  }
  const list = w.elements?.['scm-order-list'];
  if (list?.status === 'ok' && w.vaadinGrid?.status === 'ok') {
    peer('weight: scm-order-list / vaadin-grid (gzip, Lit included)', list.withLit.gzip, w.vaadinGrid.withLit.gzip, ratio(list.withLit.gzip, w.vaadinGrid.withLit.gzip));
    peer('weight: scm-order-list / vaadin-grid (gzip, Lit external)', list.litExternal.gzip, w.vaadinGrid.litExternal.gzip, ratio(list.litExternal.gzip, w.vaadinGrid.litExternal.gzip));
  }
}
if (report.msal) {
  const m = report.msal;
  if (m.status === 'ok') {
    budget('MSAL not downloaded with auth="power-pages"', m.powerPages.msalRequests, 0, m.powerPages.msalRequests === 0 && m.powerPages.portalStatus === 'ready');
    budget('MSAL chunk downloaded with auth="msal"', m.msal.msalRequests, '≥ 1', m.msal.msalRequests >= 1);
  } else {
    budget('MSAL lazy-loading proof', m.status, 'measured', false, m.reason);
  }
}
if (report.views?.elements) {
  for (const [tag, view] of Object.entries(report.views.elements)) {
    if (view.status !== 'ok') continue;
    budget(`${tag} first view: API requests`, view.apiRequests, VIEW_BUDGETS[tag], view.apiRequests <= VIEW_BUDGETS[tag]);
    // Shown and idle, an element must not keep the main thread busy (an endless animation restyles every frame).
    if (view.idle) budget(`${tag} idle: running animations`, view.idle.runningAnimations.length, 0, view.idle.runningAnimations.length === 0, view.idle.runningAnimations.join(', ') || undefined);
  }
}
if (report.time?.status === 'ok') {
  for (const rate of Object.keys(report.time.byRate)) {
    const t = report.time.byRate[rate];
    peer(`time ${rate}× CPU: connected → first rows painted (median ms)`, t.list.firstRows.median, t.grid.firstRows.median, ratio(t.list.firstRows.median, t.grid.firstRows.median));
    peer(`time ${rate}× CPU: paging 1,000 rows (median ms)`, t.list.paging.median, t.grid.paging.median, ratio(t.list.paging.median, t.grid.paging.median));
    if (rate === '1') peer('DOM nodes added by the first view (50 orders)', t.list.firstNodes, t.grid.firstNodes, ratio(t.list.firstNodes, t.grid.firstNodes));
    peer(`time ${rate}× CPU: first rows, client work only (median ms)`, t.list.firstRowsClient.median, t.grid.firstRowsClient.median, ratio(t.list.firstRowsClient.median, t.grid.firstRowsClient.median));
    peer(`time ${rate}× CPU: paging, client work only (median ms)`, t.list.pagingClient.median, t.grid.pagingClient.median, ratio(t.list.pagingClient.median, t.grid.pagingClient.median));
  }
}
if (report.heap?.status === 'ok') {
  peer('JS heap after browsing 5,000 orders (bytes)', report.heap.list.afterBrowsing.usedBytes, report.heap.grid.afterBrowsing.usedBytes, ratio(report.heap.list.afterBrowsing.usedBytes, report.heap.grid.afterBrowsing.usedBytes));
  peer('JS heap growth while browsing 5,000 orders (bytes)', report.heap.list.growthBytes, report.heap.grid.growthBytes, ratio(report.heap.list.growthBytes, report.heap.grid.growthBytes));
}
if (report.typing && !report.typing.status) {
  for (const [name, t] of Object.entries(report.typing)) {
    if (t.status !== 'ok') continue;
    budget(`typing (${name}): requests for superseded keystrokes`, t.supersededRequests, 0, t.supersededRequests === 0);
  }
}

for (const b of report.budgets) if (!b.ok) exitCode = Math.max(exitCode, 1);
if (STRICT_PEERS) for (const p of report.peers) if (p.behind) exitCode = Math.max(exitCode, 1);
report.finishedAt = new Date().toISOString();
report.environment.loadAverageAtEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
if (report.environment.loadAverageAtStart?.[0] > (report.environment.cpus ?? 1)) {
  report.notes.push(`The machine was busy (load average ${report.environment.loadAverageAtStart[0]} on ${report.environment.cpus} CPUs): absolute times are noisy; the ratios (both sides alternate run by run) are the figures to read.`);
}
report.exitCode = exitCode;

mkdirSync(join(root, '.tmp'), { recursive: true });
writeFileSync(join(root, '.tmp', 'bench-report.json'), `${JSON.stringify(report, null, 2)}\n`);
const { formatReport } = await import('../bench/table.mjs');
console.log(JSON.stringify(report));
console.log('');
console.log(formatReport(report));
console.log(`\nReport written to .tmp/bench-report.json.`);
process.exit(exitCode);
