// The static Storybook (`npm run build-storybook`) for designers: built once into a temporary folder, served as
// plain files, and opened in Chromium with every request that leaves that origin blocked (no server, no
// network). It must show each element with its data from the in-browser emulator, generate the docs pages from
// custom-elements.json, and let a designer click through the whole portal: place an order and watch the
// simulated SCM move it on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually } from './page-support.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = join(root, '.tmp', 'storybook-static-test');
const executablePath =
  process.env.CHROME_PATH ?? (existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.png': 'image/png', '.ico': 'image/x-icon', '.map': 'application/json',
};

/** Serves a folder as static files: what a designer gets by opening the build on any web server. */
function serveFolder(folder: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(folder, path));
    if (!file.startsWith(folder)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    ok({ server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  }));
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((ok) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => ok({ code: code ?? 1, output }));
  });
}

/**
 * Installed in every page: finds the first element matching `selector` in the document or any shadow root, and
 * returns its rendered text — or, with `part`, the text of that part inside its shadow root. (A string, not a
 * function: tsx would wrap a function's inner named functions in a Node-only `__name` helper.)
 */
const FIND_DEEP = `globalThis.scmTextOf = (selector, part) => {
  const find = (node) => {
    const hit = node.querySelector(selector);
    if (hit) return hit;
    for (const el of node.querySelectorAll('*')) {
      const inner = el.shadowRoot && find(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  const el = find(document);
  if (!el) return '';
  const target = part ? el.shadowRoot && el.shadowRoot.querySelector('[part~="' + part + '"]') : el;
  if (!target) return '';
  const text = part ? target.textContent : (el.shadowRoot ? el.shadowRoot.textContent : '') + ' ' + el.innerText;
  return (text || '').replace(/\\s+/g, ' ').trim();
};`;

declare global {
  // eslint-disable-next-line no-var
  var scmTextOf: (selector: string, part?: string) => string;
}

/** The rendered text of the first `selector` (through shadow roots). */
const deepText = (page: Page, selector: string) => page.evaluate((sel) => globalThis.scmTextOf(sel), selector);
/** The text of one part of the first `host` element. */
const partText = (page: Page, host: string, part: string) => page.evaluate(([h, p]) => globalThis.scmTextOf(h, p), [host, part] as const);

describe('static Storybook (npm run build-storybook), offline', { timeout: 12 * 60_000 }, () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let index: { entries: Record<string, { id: string; type: string; title: string }> };
  const blocked: string[] = [];
  const problems: string[] = [];

  before(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const built = await run(process.execPath, [join(root, 'node_modules', 'storybook', 'dist', 'bin', 'dispatcher.js'), 'build', '-o', out, '--disable-telemetry', '--quiet']);
    assert.equal(built.code, 0, `storybook build failed:\n${built.output.slice(-3000)}`);
    index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    ({ server, origin } = await serveFolder(out));
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    rmSync(out, { recursive: true, force: true });
  });

  async function openStory(id: string, viewMode: 'story' | 'docs' = 'story'): Promise<Page> {
    assert.ok(index.entries[id], `the static Storybook has no entry ${id} (entries: ${Object.keys(index.entries).length})`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    // Offline: anything that is not the static folder's origin is refused.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await context.addInitScript(FIND_DEEP);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`${id}: ${error.message}`));
    await page.goto(`${origin}/iframe.html?id=${encodeURIComponent(id)}&viewMode=${viewMode}`);
    return page;
  }

  it('has a story for every element, and a docs page per element generated from the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as {
      modules: { declarations?: { tagName?: string }[] }[];
    };
    const tags = manifest.modules.flatMap((m) => (m.declarations ?? []).map((d) => d.tagName)).filter(Boolean);
    assert.ok(tags.length >= 5, `tags in the manifest: ${tags.join(', ')}`);
    const stories = Object.values(index.entries).filter((e) => e.type === 'story').length;
    const docs = Object.values(index.entries).filter((e) => e.type === 'docs').map((e) => e.id);
    assert.ok(stories >= 60, `${stories} stories`);
    for (const tag of tags) {
      const name = String(tag).replace(/^scm-/, '');
      assert.ok(docs.some((d) => d.includes(name) && d.endsWith('--docs')), `no docs page for <${tag}> (docs: ${docs.join(', ')})`);
    }
  });

  it('renders the order list with orders from the in-browser emulator', async () => {
    const page = await openStory('elements-order-list--ready');
    const text = await eventually(() => deepText(page, 'scm-order-list'), (t) => /ORD-\d{5}|SO-\d+/.test(t), 'orders in the list', 60_000);
    assert.match(text, /Status/);
    await page.context().close();
  });

  it('renders an order in full, and the signed-out state', async () => {
    const detail = await openStory('elements-order-detail--invoiced');
    await eventually(() => deepText(detail, 'scm-order-detail'), (t) => /Invoiced/.test(t) && /Total/.test(t), 'the order detail', 60_000);
    await detail.context().close();
    const signedOut = await openStory('elements-order-list--signed-out');
    await eventually(() => deepText(signedOut, 'scm-order-list'), (t) => /sign in/i.test(t), 'the signed-out message', 60_000);
    await signedOut.context().close();
  });

  it('builds the element docs page from custom-elements.json (attributes and events listed)', async () => {
    const docsId = Object.keys(index.entries).find((id) => /order-detail/.test(id) && id.endsWith('--docs'));
    assert.ok(docsId, 'an order-detail docs page');
    const page = await openStory(docsId, 'docs');
    const text = await eventually(() => page.evaluate(() => document.body.innerText), (t) => /order-id/.test(t) && /scm-reorder/.test(t), 'the API table', 60_000);
    assert.match(text, /order-number/);
    await page.context().close();
  });

  it('lets a designer place an order in the whole portal and watch SCM move it on', async () => {
    const page = await openStory('introduction-whole-portal--authorized-user');
    const portal = page.locator('story-whole-portal');
    await eventually(() => deepText(page, 'scm-order-list'), (t) => /ORD-\d{5}|SO-\d+/.test(t), 'the list', 60_000);
    await portal.getByRole('button', { name: 'New order' }).click();
    const form = page.locator('scm-order-form');
    const date = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 10);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await form.getByLabel('Requested receipt date').fill(date);
    await form.getByRole('button', { name: 'Next', exact: true }).click();
    await form.getByRole('combobox', { name: /^Product/ }).fill('D0');
    const option = form.getByRole('listbox', { name: 'Products' }).getByRole('option').first();
    await option.waitFor({ timeout: 30_000 });
    await option.click();
    await form.getByLabel(/^Quantity/).first().fill('3');
    await form.getByRole('button', { name: 'Add item' }).click();
    await form.locator('[part="line"]').first().waitFor();
    await form.getByRole('button', { name: 'Next', exact: true }).click();
    await form.getByRole('button', { name: 'Submit order' }).click();
    // The story opens the submitted order; the simulated SCM numbers it and moves it past Active.
    const status = await eventually(
      async () => `${await partText(page, 'scm-order-detail', 'number')} | ${await partText(page, 'scm-order-detail', 'status')}`,
      (t) => /SO-\d+/.test(t) && /Confirmed|Picked|Delivered|Invoiced/.test(t.split('|')[1] ?? ''),
      'the new order numbered by SCM and past Active',
      60_000,
    );
    assert.match(status, /SO-\d+/);
    await page.context().close();
  });

  it('needed nothing from the network, and no page failed', () => {
    assert.deepEqual(blocked, []);
    assert.deepEqual(problems, []);
  });
});
