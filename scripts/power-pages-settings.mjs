#!/usr/bin/env node
// `npm run power-pages:settings`: prints what a Power Pages site needs for the elements, generated from the code so
// that it cannot drift (see scripts/lib/power-pages-settings.ts):
// - the `Webapi/<table>/enabled` and `Webapi/<table>/fields` site settings, with exactly the columns the domain
//   services read and write;
// - the table permissions per web role (the rules the emulator enforces).
//
//   npm run power-pages:settings                     Markdown checklist (the default)
//   npm run power-pages:settings -- --markdown       the same
//   npm run power-pages:settings -- --json           JSON (site settings, tables, table permissions, web roles)
//   npm run power-pages:settings -- --write-docs     writes the checklist into docs/power-pages.md
//   npm run power-pages:settings -- --check-docs     exits 1 when docs/power-pages.md is out of date
//
// Runs under `node --import tsx` (it reads the TypeScript sources).
import {
  DOC_PATH,
  docIsUpToDate,
  powerPagesSettings,
  renderJson,
  renderMarkdown,
  writeDoc,
} from './lib/power-pages-settings.ts';

const KNOWN = new Set(['--markdown', '--json', '--write-docs', '--check-docs', '--help']);
const args = process.argv.slice(2);
const unknown = args.filter((arg) => !KNOWN.has(arg));
if (unknown.length > 0 || args.includes('--help')) {
  const usage = 'usage: power-pages-settings [--markdown | --json | --write-docs | --check-docs]';
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(' ')}\n${usage}`);
    process.exit(2);
  }
  console.log(usage);
  process.exit(0);
}

const settings = powerPagesSettings();

if (args.includes('--write-docs')) {
  const changed = writeDoc(DOC_PATH, renderMarkdown(settings));
  console.log(changed ? `${DOC_PATH}: checklist updated` : `${DOC_PATH}: already up to date`);
} else if (args.includes('--check-docs')) {
  if (!docIsUpToDate(DOC_PATH, renderMarkdown(settings))) {
    console.error(`${DOC_PATH} is out of date: run \`npm run power-pages:settings -- --write-docs\``);
    process.exit(1);
  }
  console.log(`${DOC_PATH} is up to date`);
} else if (args.includes('--json')) {
  process.stdout.write(renderJson(settings));
} else {
  process.stdout.write(renderMarkdown(settings));
}
