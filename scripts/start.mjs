#!/usr/bin/env node
// `npm start`: builds the library, then serves the local Dataverse + Power Pages emulator with the demo pages:
//   /               a corporate website (Dataverse Web API with bearer tokens, as a site signed in with MSAL would)
//   /power-pages/   a page laid out like Power Pages (the /_api Web API with session cookie + anti-forgery token)
//   /dist/**        the build output (the elements and the client, as a page would load them)
//   /api/data/v9.2/, /_api/, /_layout/tokenhtml, /emulator/…   the emulator
// Options: `npm start -- --reset` reseeds the data folder; `PORT=9000 npm start`; `EMULATOR_DATA=dir` moves the data.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const reset = args.includes('--reset');
const port = Number(process.env.PORT ?? 8080);

// 1. Build, so the demo pages get the current elements and client.
console.log('Building the library (node scripts/build.mjs)…');
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed: fix it and run `npm start` again.');
  process.exit(build.status ?? 1);
}

// 2. The emulator, from the build output (what integrators get from `scm-portal-elements/emulator/node`).
const { openEmulator, nodeHandler, isEmulatorPath } = await import(pathToFileURL(join(root, 'dist', 'emulator', 'node.js')).href);

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

// 3. Static files and the two demo pages.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Folder mounts: URL prefix → folder on disk. */
const MOUNTS = [
  ['/dist/', join(root, 'dist')],
  ['/demo/', join(root, 'demo')],
  // Bootstrap 5, as Power Pages' default theme ships it.
  ['/bootstrap/', join(root, 'node_modules', 'bootstrap', 'dist')],
];

function sendFile(res, file) {
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
  createReadStream(file).pipe(res);
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found');
}

/** A file under a mount, or undefined (never outside the mounted folder). */
function mountedFile(pathname) {
  for (const [prefix, folder] of MOUNTS) {
    if (!pathname.startsWith(prefix)) continue;
    const file = normalize(join(folder, decodeURIComponent(pathname.slice(prefix.length))));
    if (!file.startsWith(folder + sep)) return undefined;
    if (existsSync(file) && statSync(file).isFile()) return file;
    if (existsSync(join(file, 'index.html'))) return join(file, 'index.html');
    return undefined;
  }
  return undefined;
}

const escapeHtml = (text) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const ROLE_LABELS = {
  administrator: 'Administrator',
  'customer-representative': 'Customer representative',
  'authorized-user': 'Authorized user',
  'unauthorized-user': 'Unauthorized user',
};

/**
 * Renders the Power Pages page the way Liquid would: `{% if user %}…{% else %}…{% endif %}` and `{{ user.* }}`
 * from the signed-in contact, plus the emulator's sign-in choices.
 */
function renderPowerPages(user) {
  const template = readFileSync(join(root, 'demo', 'power-pages', 'index.html'), 'utf8');
  const values = user
    ? {
      'user.id': user.contactId,
      'user.parentcustomerid.id': user.accountId,
      'user.fullname': user.fullName,
      'user.emailaddress1': user.email,
      'user.roles': user.webRoles.map((r) => ROLE_LABELS[r] ?? r).join(', '),
    }
    : {};
  const options = opened.users
    .map((u) => `<option value="${escapeHtml(u.email)}">${escapeHtml(`${u.fullName} — ${u.webRoles.map((r) => ROLE_LABELS[r] ?? r).join(', ')}, ${u.accountNumber} (${u.email})`)}</option>`)
    .join('\n                  ');
  return template
    .replace(/{%\s*if user\s*%}([\s\S]*?){%\s*else\s*%}([\s\S]*?){%\s*endif\s*%}/g, (_, yes, no) => (user ? yes : no))
    .replace(/{{\s*emulator\.user_options\s*}}/g, options)
    .replace(/{{\s*now\.year\s*}}/g, String(new Date().getFullYear()))
    .replace(/{{\s*([\w.]+)\s*}}/g, (_, name) => escapeHtml(values[name] ?? ''));
}

/** Reads a small request body as text. */
function readBody(req) {
  return new Promise((resolveBody, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      text += chunk;
      if (text.length > 64 * 1024) reject(new Error('Body too large'));
    });
    req.on('end', () => resolveBody(text));
    req.on('error', reject);
  });
}

/**
 * The sign-in and sign-out forms of the Power Pages page post `application/x-www-form-urlencoded`; the emulator's
 * endpoints take JSON. This turns the form into the emulator's call and answers with a redirect back, carrying
 * the session cookie, as a real sign-in page would.
 */
async function formSignInOrOut(req, res, origin) {
  const form = new URLSearchParams(await readBody(req));
  const path = req.url.startsWith('/emulator/signin') ? '/emulator/signin' : '/emulator/signout';
  const request = new Request(new URL(path, origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: req.headers.cookie ?? '' },
    body: JSON.stringify(path === '/emulator/signin' ? { user: form.get('user') } : {}),
  });
  const response = await opened.handle(request);
  const returnUrl = form.get('returnUrl')?.startsWith('/') ? form.get('returnUrl') : '/power-pages/';
  const headers = { location: returnUrl };
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  if (!response.ok) {
    res.writeHead(response.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Sign-in failed: ${await response.text()}`);
    return;
  }
  res.writeHead(303, headers);
  res.end();
}

const emulatorHandler = nodeHandler(opened.handle);

const server = createServer(async (req, res) => {
  const origin = `http://${req.headers.host ?? `localhost:${port}`}`;
  const { pathname } = new URL(req.url ?? '/', origin);
  try {
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    if (req.method === 'POST' && isForm && (pathname === '/emulator/signin' || pathname === '/emulator/signout')) {
      return await formSignInOrOut(req, res, origin);
    }
    if (isEmulatorPath(pathname)) return await emulatorHandler(req, res);
    if (pathname === '/' || pathname === '/index.html') return sendFile(res, join(root, 'demo', 'index.html'));
    if (pathname === '/power-pages') {
      res.writeHead(301, { location: '/power-pages/' });
      return res.end();
    }
    if (pathname === '/power-pages/' || pathname === '/power-pages/index.html') {
      const user = opened.userOf(new Request(new URL(req.url, origin), { headers: { cookie: req.headers.cookie ?? '' } }));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(renderPowerPages(user));
    }
    const file = mountedFile(pathname);
    if (file) return sendFile(res, file);
    return notFound(res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Internal error');
  }
});

server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.on('error', async (error) => {
  console.error(error.code === 'EADDRINUSE'
    ? `Port ${port} is in use: stop the other server or choose another port (PORT=9000 npm start).`
    : error);
  await opened.close();
  process.exit(1);
});
server.listen(port, () => {
  const base = `http://localhost:${server.address().port}`;
  const byRole = (role) => opened.users.find((u) => u.webRoles.includes(role));
  const show = (u) => (u ? `${u.email}  (${u.webRoles.map((r) => ROLE_LABELS[r] ?? r).join(', ')}, account ${u.accountNumber})` : '—');
  const large = opened.users.find((u) => u.webRoles.includes('customer-representative') && u.accountNumber === 'US-010');
  console.log(`
Brightwater customer portal demo
  Corporate website      ${base}/
  Power Pages page       ${base}/power-pages/
  Dataverse Web API      ${base}/api/data/v9.2/
  Power Pages Web API    ${base}/_api/
  Emulator controls      ${base}/emulator/faults · /emulator/limits · /emulator/scm

Sign in as (pick any seeded contact on the pages):
  Customer representative  ${show(byRole('customer-representative'))}
  Authorized user          ${show(byRole('authorized-user'))}
  Large account (25,000 orders)  ${show(large)}
  Administrator            ${show(byRole('administrator'))}

SCM simulation: new orders move one status every ${opened.scm.intervalMs / 1000} s (POST /emulator/scm/clock to change).
Data folder: ${opened.dataDir}   (npm start -- --reset to reseed)
Press Ctrl+C to stop.`);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  server.close();
  server.closeAllConnections?.();
  await opened.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
