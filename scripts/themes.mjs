#!/usr/bin/env node
// Writes the theme CSS files (src/themes/light.css, dark.css, auto.css) and the generated sections of
// docs/theming.md (the token table; every element's parts, custom properties and states) from src/themes/tokens.ts
// and custom-elements.json, so that they cannot drift (see scripts/lib/themes.ts).
//
//   node --import tsx scripts/themes.mjs --write    write what is out of date (run `npm run analyze` first)
//   node --import tsx scripts/themes.mjs --check    exit 1 when a file is out of date
//
// Runs under `node --import tsx` (it reads the TypeScript sources).
import { staleFiles, writeGenerated } from './lib/themes.ts';

const args = process.argv.slice(2);
if (args.includes('--write')) {
  const written = writeGenerated();
  console.log(written.length ? `themes: wrote ${written.join(', ')}` : 'themes: everything up to date');
} else if (args.includes('--check')) {
  const stale = staleFiles();
  if (stale.length) {
    console.error(`out of date: ${stale.join(', ')} (run \`node --import tsx scripts/themes.mjs --write\`)`);
    process.exit(1);
  }
  console.log('themes: everything up to date');
} else {
  console.log('usage: node --import tsx scripts/themes.mjs --write | --check');
  process.exit(args.length ? 2 : 0);
}
