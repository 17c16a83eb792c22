// The one server of `npm run bench`: the emulator (in memory, full default seed, SCM clock manual) on a free port,
// serving beside it the bench pages (/bench/), the build output (/dist/) and the bench's own bundles
// (/.bench-build/ → .tmp/bench-build/). Pages and API share one origin, as on a Power Pages site.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** A static-file fallback for the emulator server: only files under the mounted folders, never outside them. */
function staticFiles(mounts) {
  return (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    for (const [prefix, folder] of mounts) {
      if (!pathname.startsWith(prefix)) continue;
      const file = normalize(join(folder, pathname.slice(prefix.length)));
      if (!file.startsWith(folder + sep) || !existsSync(file) || !statSync(file).isFile()) break;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  };
}

/**
 * Loads the emulator's Node entry: the build output when the build succeeded, else the TypeScript source through
 * tsx (so the browser measurements still run while a half-written module breaks the build).
 */
async function emulatorModule(root, { preferDist }) {
  const dist = join(root, 'dist', 'emulator', 'node.js');
  if (preferDist && existsSync(dist)) return { module: await import(pathToFileURL(dist).href), from: 'dist/emulator/node.js' };
  const { register } = await import('tsx/esm/api');
  register();
  return { module: await import(pathToFileURL(join(root, 'src', 'emulator', 'node.ts')).href), from: 'src/emulator/node.ts (tsx)' };
}

/**
 * Starts the server. Service protection is off: the bench sends thousands of requests as one user on purpose, and
 * measures the client and the elements, not the throttling (which has its own tests).
 */
export async function startBenchServer(root, { preferDist = true, onProgress = () => undefined } = {}) {
  const { module, from } = await emulatorModule(root, { preferDist });
  const started = performance.now();
  const server = await module.startEmulatorServer({
    port: 0,
    host: '127.0.0.1',
    persist: false,
    scmClock: 'manual',
    limits: { enabled: false },
    onProgress,
    fallback: staticFiles([
      ['/bench/', join(root, 'bench')],
      ['/dist/', join(root, 'dist')],
      ['/.bench-build/', join(root, '.tmp', 'bench-build')],
    ]),
  });
  return { server, emulatorFrom: from, openMs: Math.round(performance.now() - started) };
}
