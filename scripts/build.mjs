#!/usr/bin/env node
// `npm run build`: a clean `dist/` from rollup (see rollup.config.mjs), and the manifest beside it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
const r = spawnSync(join('node_modules', '.bin', 'rollup'), ['-c', '--silent'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
// The themes as plain CSS for a host page to link (generated into src/themes/ by scripts/themes.mjs): beside the
// library modules and beside the CDN file (the folder a Power Pages site uploads as web files).
for (const dir of [join('dist', 'themes'), join('dist', 'cdn', 'themes')]) {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(join('src', 'themes')).filter((f) => f.endsWith('.css'))) cpSync(join('src', 'themes', file), join(dir, file));
}
console.log('build: dist/ written (library modules + .d.ts, dist/cdn/scm-portal.js, dist/themes/*.css)');
