#!/usr/bin/env node
// `npm run localize:build`: `lit-localize build` (xliff/<locale>.xlf → src/locales/<locale>.ts, runtime mode), then
// undoes its over-escaping of plain-text messages.
//
// @lit/localize-tools 0.8 writes `<`, `>`, `&` and quotes of EVERY message as XML entities into the generated
// modules (lit/lit#5012, fix pending in lit/lit#5058). That is right for `html` messages, whose static text
// lit-html parses as HTML, but a plain or `str` message is set as text, so `&lt;scm-portal&gt;` would show as
// such. This decodes the entities in the non-`html` templates only (repeating until stable, so a translator's
// `&amp;quot;` comes out as `"`), and leaves `html` templates alone.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT_DIR = 'src/locales';

const r = spawnSync(join('node_modules', '.bin', 'lit-localize'), ['build'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&#39;': "'", '&amp;': '&' };

function decode(text) {
  let previous;
  let current = text;
  do {
    previous = current;
    current = current.replace(/&(?:lt|gt|quot|apos|#39|amp);/g, (entity) => ENTITIES[entity]);
  } while (current !== previous);
  return current;
}

// One entry: 'id': `text`,  'id': str`text`,  'id': html`text`  (template bodies never contain an unescaped backtick).
const ENTRY = /('[A-Za-z0-9_.-]+':\s*)(str|html)?`((?:[^`\\]|\\[\s\S])*)`/g;

let changed = 0;
for (const file of readdirSync(OUTPUT_DIR)) {
  if (!file.endsWith('.ts') || file === 'locale-codes.ts') continue;
  const path = join(OUTPUT_DIR, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(ENTRY, (whole, key, tag, body) => (tag === 'html' ? whole : `${key}${tag ?? ''}\`${decode(body)}\``));
  if (after !== before) {
    writeFileSync(path, after);
    changed++;
  }
}
console.log(`localize:build: ${changed} locale module(s) had plain-text entities decoded`);
