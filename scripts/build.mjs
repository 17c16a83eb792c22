#!/usr/bin/env node
// `npm run build`: a clean `dist/` from rollup (see rollup.config.mjs), and the manifest beside it.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
const r = spawnSync(join('node_modules', '.bin', 'rollup'), ['-c', '--silent'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
console.log('build: dist/ written (library modules + .d.ts, dist/cdn/scm-portal.js)');
