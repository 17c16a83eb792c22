#!/usr/bin/env node
// `npm start`: builds the library, then serves the local Dataverse + Power Pages emulator with the demo site
// (demo/server/site.mjs):
//   /               a corporate website with the customer portal (token sign-in standing in for MSAL; hash routes
//                   #/orders, #/orders/<id>, #/new-order, #/account)
//   /power-pages/   a Power Pages look-alike: pages /power-pages/orders/ (?id=… for one order), /new-order/,
//                   /account/, sign-in at /power-pages/SignIn; the /_api Web API with session cookie + anti-forgery token
//   /csp/           the corporate portal under a strict Content-Security-Policy with Trusted Types enforced
//   /dist/**        the build output (dist/cdn/scm-portal.js is what the pages load)
//   /api/data/v9.2/, /_api/, /_layout/tokenhtml, /emulator/…   the emulator
// Options: `npm start -- --reset` reseeds the data folder; `PORT=9000 npm start`; `HOST=0.0.0.0 npm start` to
// listen beyond this machine; `EMULATOR_DATA=dir` moves the data.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDemoSite } from '../demo/server/site.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const reset = args.includes('--reset');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? 'localhost';

// 1. Build, so the demo pages get the current elements and client.
console.log('Building the library (node scripts/build.mjs)…');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed: fix it and run `npm start` again.');
  process.exit(build.status ?? 1);
}

// 2. The emulator, from the build output (what integrators get from `scm-portal-elements/emulator/node`).
const { openEmulator, startEmulatorServer } = await import(pathToFileURL(join(root, 'dist', 'emulator', 'node.js')).href);

const started = performance.now();
const STATUS_LABELS = {
  192350000: 'Active (picked up by SCM)', 192350001: 'Confirmed', 192350002: 'Picked', 192350003: 'Partially delivered',
  192350004: 'Delivered', 192350005: 'Invoiced', 192350006: 'Partially invoiced', 192350007: 'Cancelled',
};
const opened = await openEmulator({
  reset,
  scmClock: 'demo',
  onProgress: (message) => console.log(`  ${message}`),
  onScmMove: (moves) => {
    for (const move of moves) console.log(`  SCM: ${move.salesOrderNumber} → ${STATUS_LABELS[move.to] ?? move.to}`);
  },
});
console.log(`Emulator ready in ${((performance.now() - started) / 1000).toFixed(1)} s — data folder: ${opened.dataDir}`);

// 3. The demo site around the emulator (the emulator's paths are answered first).
const site = createDemoSite({ opened, root });
let server;
try {
  server = await startEmulatorServer({ opened, port, host, fallback: site.handle });
} catch (error) {
  console.error(error?.code === 'EADDRINUSE'
    ? `Port ${port} is in use: stop the other server or choose another port (PORT=9000 npm start).`
    : error);
  await opened.close();
  process.exit(1);
}

const base = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${server.port}`;
const byRole = (role) => opened.users.find((u) => u.webRoles.includes(role));
const show = (u) => (u ? `${u.email}  (${u.fullName}, account ${u.accountNumber})` : '—');
const large = opened.users.find((u) => u.webRoles.includes('customer-representative') && u.accountNumber === 'US-010');
console.log(`
Brightwater customer portal demo
  Corporate website      ${base}/                  (sign in with the "Sign in as" list)
  Power Pages site       ${base}/power-pages/      (Sign in, top right: ${base}/power-pages/SignIn)
  Strict CSP page        ${base}/csp/              (violations are reported on the page)
  Dataverse Web API      ${base}/api/data/v9.2/
  Power Pages Web API    ${base}/_api/
  Emulator controls      ${base}/emulator/users · /emulator/faults · /emulator/limits · /emulator/scm

Sign in as (any seeded contact can be picked on the pages):
  Customer representative  ${show(byRole('customer-representative'))}
  Authorized user          ${show(byRole('authorized-user'))}
  Large account (25,000 orders)  ${show(large)}
  Administrator            ${show(byRole('administrator'))}

SCM simulation: new orders move one status every ${opened.scm.intervalMs / 1000} s (POST /emulator/scm/clock to change).
Data folder: ${opened.dataDir}   (npm start -- --reset to reseed)
Press Ctrl+C to stop.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await server.close();
  await opened.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
