// The demo website served by `npm start` (scripts/start.mjs) and by the end-to-end test
// (test/node/e2e-demo.test.ts): everything that is not the emulator itself. Give it an open emulator and use
// `handle` as the `fallback` of `startEmulatorServer` (which answers /api/data/v9.2/, /_api/, /_layout/tokenhtml
// and /emulator/… first).
//
//   /                      a corporate website (token sign-in standing in for MSAL, a hash router over the views)
//   /power-pages/…         a Power Pages look-alike: Bootstrap 5, the `shell` object, one page per view, the
//                          signed-in contact written into the markup the way Liquid's `user` object does
//   /power-pages/SignIn    its sign-in page (the emulator's `POST /emulator/signin` behind a form)
//   /csp/                  the corporate portal under a strict Content-Security-Policy with Trusted Types enforced
//   /dist/…, /demo/…, /bootstrap/…, /jquery/…   static files
//
// This file is demo code for Node (it is never served: /demo/server/ is not mounted).
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { raw, renderLiquid } from './liquid.mjs';

/**
 * The policy of the /csp/ page. No 'unsafe-inline', no 'unsafe-eval'; Trusted Types enforced, with one policy
 * allowed: `lit-html`, the one Lit creates for its template elements. Lit's styles are constructable stylesheets
 * (adoptedStyleSheets), which `style-src 'self'` does not block.
 */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

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
  '.woff2': 'font/woff2',
};

/** The web role names Power Pages gives the Customer portal roles (what `user.roles` holds). */
const POWER_PAGES_ROLE_NAMES = {
  administrator: 'Administrators',
  'customer-representative': 'Customer representative',
  'authorized-user': 'Authorized user',
  'unauthorized-user': 'Unauthorized user',
};

/** Role names for people (the sign-in list). */
export const ROLE_LABELS = {
  administrator: 'Administrator',
  'customer-representative': 'Customer representative',
  'authorized-user': 'Authorized user',
  'unauthorized-user': 'Unauthorized user',
};

/**
 * The pages of the Power Pages site (its "sitemap"): URL → page key, title and parent. `/power-pages/orders/?id=…`
 * is the Orders page's detail view, as Power Pages' entity-form pages take `?id=`.
 */
const POWER_PAGES = {
  '/power-pages/': { key: 'home', title: 'Home' },
  '/power-pages/orders/': { key: 'orders', title: 'Orders' },
  '/power-pages/new-order/': { key: 'new-order', title: 'New order' },
  '/power-pages/account/': { key: 'account', title: 'Account' },
  '/power-pages/SignIn': { key: 'signin', title: 'Sign in' },
};

const escapeHtml = (text) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** A local path to return to after signing in or out; anything else (another origin, `//host`) → fallback. */
export function safeReturnUrl(value, fallback = '/power-pages/') {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}

/** Reads a small request body as text. */
function readBody(req, limit = 64 * 1024) {
  return new Promise((resolveBody, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      text += chunk;
      if (text.length > limit) {
        reject(new Error('Body too large'));
        req.destroy();
      }
    });
    req.on('end', () => resolveBody(text));
    req.on('error', reject);
  });
}

/**
 * Creates the demo site.
 * @param {{ opened: import('../../src/emulator/node.ts').OpenedEmulator, root: string }} options
 *   `opened`: the open emulator (its users, its `handle` for sign-in, `userOf` for the session cookie);
 *   `root`: the project folder (demo/, dist/, node_modules/ are read from it).
 * @returns {{ handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void> }}
 */
export function createDemoSite({ opened, root }) {
  const demoDir = join(root, 'demo');
  const jqueryDir = join(root, 'node_modules', 'jquery', 'dist');
  const hasJquery = existsSync(join(jqueryDir, 'jquery.min.js'));

  /** Folder mounts: URL prefix → folder on disk. */
  const mounts = [
    ['/dist/', join(root, 'dist')],
    ['/demo/', demoDir],
    // Bootstrap 5, as Power Pages' default theme ships it.
    ['/bootstrap/', join(root, 'node_modules', 'bootstrap', 'dist')],
    // jQuery, as every Power Pages page loads it (only when the package is installed).
    ...(hasJquery ? [['/jquery/', jqueryDir]] : []),
  ];
  /** Never served: the server's own code and the page templates (they are rendered, not downloaded). */
  const hidden = [join(demoDir, 'server') + sep, join(demoDir, 'power-pages', 'templates') + sep];

  /** A file under a mount, or undefined (never outside the mounted folder). */
  function mountedFile(pathname) {
    for (const [prefix, folder] of mounts) {
      if (!pathname.startsWith(prefix)) continue;
      let file;
      try {
        file = normalize(join(folder, decodeURIComponent(pathname.slice(prefix.length))));
      } catch {
        return undefined; // malformed %-escape
      }
      if (!file.startsWith(folder + sep) || hidden.some((dir) => file.startsWith(dir))) return undefined;
      if (existsSync(file) && statSync(file).isFile()) return file;
      return undefined;
    }
    return undefined;
  }

  function sendFile(res, file, headers = {}) {
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', ...headers });
    createReadStream(file).pipe(res);
  }

  function sendHtml(res, status, html, headers = {}) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(html);
  }

  function redirect(res, location, status = 303, headers = {}) {
    res.writeHead(status, { location, ...headers });
    res.end();
  }

  const template = (name) => readFileSync(join(demoDir, 'power-pages', 'templates', name), 'utf8');

  /** The signed-in contact of a request (the emulator's Power Pages session cookie). */
  function userOf(req, origin) {
    return opened.userOf(new Request(new URL(req.url ?? '/', origin), { headers: { cookie: req.headers.cookie ?? '' } }));
  }

  /** Liquid's `user` object for a seeded user (the fields the templates use). */
  function liquidUser(user) {
    if (!user) return null;
    return {
      id: user.contactId,
      fullname: user.fullName,
      firstname: user.fullName.split(' ')[0],
      emailaddress1: user.email,
      parentcustomerid: { id: user.accountId, logicalname: 'account', name: user.accountNumber },
      // Power Pages gives every signed-in user "Authenticated Users" besides their assigned roles.
      roles: ['Authenticated Users', ...user.webRoles.map((role) => POWER_PAGES_ROLE_NAMES[role] ?? role)],
      role_labels: user.webRoles.map((role) => ROLE_LABELS[role] ?? role).join(', '),
    };
  }

  /** The `<option>`s of the sign-in list (seeded contacts, grouped by account). */
  function userOptions() {
    const byAccount = new Map();
    for (const u of opened.users) {
      if (!byAccount.has(u.accountNumber)) byAccount.set(u.accountNumber, []);
      byAccount.get(u.accountNumber).push(u);
    }
    return [...byAccount]
      .map(([account, users]) => `<optgroup label="Account ${escapeHtml(account)}">${users
        .map((u) => `<option value="${escapeHtml(u.email)}">${escapeHtml(`${u.fullName} — ${u.webRoles.map((r) => ROLE_LABELS[r] ?? r).join(', ')}`)}</option>`)
        .join('')}</optgroup>`)
      .join('\n');
  }

  /** Renders a Power Pages page: its content template inside the layout (header, page heading, footer). */
  function renderPowerPage(req, res, origin, page, status = 200) {
    const url = new URL(req.url ?? '/', origin);
    const params = Object.fromEntries(url.searchParams);
    const detail = page.key === 'orders' && Boolean(params.id);
    const context = {
      user: liquidUser(userOf(req, origin)),
      request: { path: url.pathname, url: url.pathname + url.search, params },
      page: {
        key: detail ? 'order' : page.key,
        title: detail ? 'Order details' : page.title,
        url: url.pathname,
        parent: detail ? { title: 'Orders', url: '/power-pages/orders/' } : null,
      },
      site: { jquery: hasJquery },
      now: { year: new Date().getFullYear() },
      emulator: { user_options: raw(userOptions()) },
    };
    const body = page.key === 'signin' ? 'signin.html' : page.key === 'not-found' ? 'not-found.html' : 'portal.html';
    context.content = raw(renderLiquid(template(body), context));
    sendHtml(res, status, renderLiquid(template('layout.html'), context));
  }

  /**
   * The sign-in and sign-out forms of the Power Pages page post `application/x-www-form-urlencoded`; the
   * emulator's control endpoints take JSON. This makes the emulator's call and answers with a redirect back,
   * carrying the session cookie, as Power Pages' sign-in page does.
   */
  async function signInOrOut(req, res, origin, action) {
    const form = new URLSearchParams(await readBody(req));
    const returnUrl = safeReturnUrl(form.get('returnUrl') ?? undefined);
    const request = new Request(new URL(`/emulator/${action}`, origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: req.headers.cookie ?? '' },
      body: JSON.stringify(action === 'signin' ? { user: form.get('user') ?? '' } : {}),
    });
    const response = await opened.handle(request);
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      return sendHtml(res, response.status, `<!doctype html><meta charset="utf-8"><title>Sign-in failed</title>
        <p>Sign-in failed: ${escapeHtml(problem?.error?.message ?? response.statusText)}</p><p><a href="/power-pages/SignIn">Try again</a></p>`);
    }
    const cookies = response.headers.getSetCookie();
    return redirect(res, returnUrl, 303, cookies.length ? { 'set-cookie': cookies } : {});
  }

  /** The request listener for everything outside the emulator's paths. */
  async function handle(req, res) {
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    let pathname;
    try {
      pathname = new URL(req.url ?? '/', origin).pathname;
    } catch {
      return sendHtml(res, 400, 'Bad request');
    }
    const method = req.method ?? 'GET';
    if (method === 'POST' && pathname === '/power-pages/SignIn') return signInOrOut(req, res, origin, 'signin');
    if (method === 'POST' && pathname === '/power-pages/SignOut') return signInOrOut(req, res, origin, 'signout');
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      return res.end('Method not allowed');
    }

    if (pathname === '/' || pathname === '/index.html') return sendFile(res, join(demoDir, 'index.html'));
    if (pathname === '/favicon.ico') return sendFile(res, join(demoDir, 'assets', 'favicon.svg'));
    if (pathname === '/csp') return redirect(res, '/csp/', 301);
    if (pathname === '/csp/' || pathname === '/csp/index.html') {
      return sendFile(res, join(demoDir, 'csp', 'index.html'), { 'content-security-policy': STRICT_CSP, 'cache-control': 'no-store' });
    }
    if (pathname === '/power-pages') return redirect(res, '/power-pages/', 301);
    // Power Pages URLs end with a slash; /power-pages/orders → /power-pages/orders/ (keeping ?id=…).
    if (POWER_PAGES[`${pathname}/`]) return redirect(res, `${pathname}/${new URL(req.url, origin).search}`, 301);
    const page = POWER_PAGES[pathname];
    if (page) return renderPowerPage(req, res, origin, page);
    if (pathname.startsWith('/power-pages/')) return renderPowerPage(req, res, origin, { key: 'not-found', title: 'Page not found' }, 404);

    const file = mountedFile(pathname);
    if (file) return sendFile(res, file);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end('Not found');
  }

  return { handle };
}
