#!/usr/bin/env node
// Benchmark of the emulator over HTTP: the order list's query — 50 orders a page, newest first, with formatted
// values — paged through the 25,000-order account (US-010) by following @odata.nextLink, as a client does.
// Prints request rate and latency percentiles, sequential (one client) and with several clients at once.
//
//   npm run build && node scripts/emulator-bench.mjs [--pages 500] [--clients 4]
//
// Uses the build output (dist/emulator/node.js), an in-memory emulator with the default seed.
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const entry = join(root, 'dist', 'emulator', 'node.js');
if (!existsSync(entry)) {
  console.error('dist/emulator/node.js is missing: run `npm run build` first.');
  process.exit(1);
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const maxPages = arg('pages', Infinity);
const clients = arg('clients', 4);

const { startEmulatorServer } = await import(pathToFileURL(entry).href);

let started = performance.now();
const server = await startEmulatorServer({ port: 0, persist: false, scmClock: 'manual' });
console.log(`Seeded ${server.opened.stats.rows.toLocaleString('en-US')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s; serving ${server.url}`);

const rep = server.opened.users.find((u) => u.accountNumber === 'US-010' && u.webRoles.includes('customer-representative'));
const { access_token: token } = await (await fetch(`${server.url}/emulator/token`, {
  method: 'POST',
  body: JSON.stringify({ user: rep.email }),
})).json();

const headers = {
  Authorization: `Bearer ${token}`,
  Accept: 'application/json',
  'OData-MaxVersion': '4.0',
  'OData-Version': '4.0',
  'If-None-Match': 'null',
  Prefer: 'odata.maxpagesize=50,odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
};
const select = 'name,msdyn_salesordernumber,msdyn_processingstatus,totalamount,createdon,msdyn_requestedreceiptdate';
const firstUrl = `${server.url}/api/data/v9.2/salesorders?$select=${select}&$orderby=${encodeURIComponent('createdon desc')}`;

/** Pages through the whole list; returns the latency of each request in ms and the rows seen. */
async function pageThrough() {
  const latencies = [];
  let rows = 0;
  let url = firstUrl;
  while (url && latencies.length < maxPages) {
    const t = performance.now();
    const response = await fetch(url, { headers });
    const page = await response.json();
    latencies.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(page)}`);
    rows += page.value.length;
    url = page['@odata.nextLink'];
  }
  return { latencies, rows };
}

function report(label, latencies, seconds, rows) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  console.log(`${label}: ${sorted.length} requests, ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s → ` +
    `${(sorted.length / seconds).toFixed(0)} req/s; latency p50 ${at(50).toFixed(1)} ms, p95 ${at(95).toFixed(1)} ms, ` +
    `p99 ${at(99).toFixed(1)} ms, mean ${mean.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
}

try {
  await pageThrough(); // warm-up (JIT, caches)
  started = performance.now();
  const one = await pageThrough();
  report('1 client ', one.latencies, (performance.now() - started) / 1000, one.rows);

  started = performance.now();
  const many = await Promise.all(Array.from({ length: clients }, () => pageThrough()));
  report(`${clients} clients`, many.flatMap((r) => r.latencies), (performance.now() - started) / 1000,
    many.reduce((n, r) => n + r.rows, 0));
} finally {
  await server.close();
}
