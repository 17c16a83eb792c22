#!/usr/bin/env node
// Writes `vscode.html-custom-data.json` from `custom-elements.json`, so that VS Code (and other editors using the
// VS Code HTML language service) complete and describe the elements in HTML, Liquid and template files: each tag
// with its summary, description, events, slots, CSS parts and custom properties; each attribute with its
// description, type and default, and its values when the attribute takes one of a fixed set (a union of string
// literals, written inline or as a type alias declared in the element's module), or none (a boolean attribute).
//
//   node scripts/vscode-data.mjs                  after `cem analyze` (`npm run analyze` runs both)
//   node scripts/vscode-data.mjs --check          exit 1 when vscode.html-custom-data.json is out of date
//   node scripts/vscode-data.mjs --manifest <custom-elements.json> --out <file>
//
// Use it in VS Code with `"html.customData": ["./node_modules/scm-portal-elements/vscode.html-custom-data.json"]`
// in `.vscode/settings.json`.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The custom data format version VS Code reads. */
const CUSTOM_DATA_VERSION = 1.1;
const SCHEMA = 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json';

/**
 * String literal unions declared as type aliases in a module: `type PortalAuth = 'power-pages' | 'msal'` →
 * `{ PortalAuth: ['power-pages', 'msal'] }`. Aliases of anything else are left out.
 */
export function literalAliasesOf(sourceText, fileName = 'module.ts') {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const aliases = {};
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const members = ts.isUnionTypeNode(statement.type) ? statement.type.types : [statement.type];
    const values = [];
    for (const member of members) {
      if (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal)) values.push(member.literal.text);
      else {
        values.length = 0;
        break;
      }
    }
    if (values.length > 0) aliases[statement.name.text] = values;
  }
  return aliases;
}

/** Splits a type at its top-level `|` (not inside quotes, brackets or generics). */
function unionMembers(typeText) {
  const members = [];
  let depth = 0;
  let quote = null;
  let current = '';
  for (const char of typeText) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"' || char === '`') quote = char;
    else if ('(<[{'.includes(char)) depth += 1;
    else if (')>]}'.includes(char)) depth -= 1;
    else if (char === '|' && depth === 0) {
      members.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  members.push(current.trim());
  return members.filter((m) => m !== '');
}

/**
 * The values an attribute of type `typeText` can take, or `undefined` when it is not a fixed set: every member of
 * the union must be a string literal or an alias of string literals (`undefined` and `null` are ignored; the empty
 * string, "not set", is not offered).
 */
export function enumValues(typeText, aliases = {}) {
  if (!typeText) return undefined;
  const values = [];
  for (const member of unionMembers(typeText)) {
    const literal = /^(['"`])(.*)\1$/s.exec(member);
    if (literal) values.push(literal[2]);
    else if (Object.prototype.hasOwnProperty.call(aliases, member)) values.push(...aliases[member]);
    else if (member === 'undefined' || member === 'null') continue;
    else return undefined;
  }
  const offered = [...new Set(values)].filter((v) => v !== '');
  return offered.length > 0 ? offered : undefined;
}

const isBooleanType = (typeText) => unionMembers(typeText ?? '').filter((m) => m !== 'undefined' && m !== 'null').join('|') === 'boolean';

/** Markdown of one list section of a tag's description (events, slots, parts, …), or nothing. */
function section(title, items, format) {
  if (!items || items.length === 0) return [];
  return [`**${title}**`, '', ...items.map(format), ''];
}

const describe = (text) => (text ? ` — ${text.replace(/\s+/g, ' ').trim()}` : '');

/** The tag's hover text: summary, description, then its events, slots, CSS parts and custom properties. */
function tagDescription(declaration) {
  const lines = [];
  if (declaration.summary) lines.push(declaration.summary.trim(), '');
  if (declaration.description && declaration.description.trim() !== declaration.summary?.trim()) lines.push(declaration.description.trim(), '');
  lines.push(
    ...section('Events', declaration.events?.filter((e) => e.name), (e) => `- \`${e.name}\`${e.type?.text ? ` (\`${e.type.text}\`)` : ''}${describe(e.description)}`),
    ...section('Slots', declaration.slots, (s) => `- ${s.name ? `\`${s.name}\`` : '(default)'}${describe(s.description)}`),
    ...section('CSS parts', declaration.cssParts, (p) => `- \`::part(${p.name})\`${describe(p.description)}`),
    ...section('CSS custom properties', declaration.cssProperties, (p) => `- \`${p.name}\`${p.default ? ` (default \`${p.default}\`)` : ''}${describe(p.description)}`),
    ...section('CSS states', declaration.cssStates, (s) => `- \`:state(${s.name})\`${describe(s.description)}`),
  );
  return lines.join('\n').trim();
}

/** One attribute as VS Code custom data. */
function attributeData(attribute, aliases) {
  const typeText = attribute.type?.text;
  const details = [
    typeText ? `Type: \`${typeText}\`` : undefined,
    attribute.default !== undefined && attribute.default !== "''" ? `Default: \`${attribute.default}\`` : undefined,
    attribute.fieldName ? `Property: \`${attribute.fieldName}\`` : undefined,
  ].filter(Boolean);
  const description = [attribute.description?.trim(), details.join(' · ')].filter(Boolean).join('\n\n');
  const data = { name: attribute.name, description: { kind: 'markdown', value: description } };
  const values = enumValues(typeText, aliases);
  if (values) data.values = values.map((name) => ({ name }));
  else if (isBooleanType(typeText)) data.valueSet = 'v';
  return data;
}

/**
 * VS Code custom data for every custom element of a manifest, tags sorted by name. `readSource(path)` gives the
 * text of a module named in the manifest (for its type aliases); `undefined` when it cannot be read.
 */
export function customData(manifest, readSource = (path) => (existsSync(resolve(path)) ? readFileSync(resolve(path), 'utf8') : undefined)) {
  const tags = [];
  for (const module of manifest.modules ?? []) {
    const elements = (module.declarations ?? []).filter((d) => d.customElement && d.tagName);
    if (elements.length === 0) continue;
    const text = readSource(module.path);
    const aliases = text === undefined ? {} : literalAliasesOf(text, module.path);
    for (const declaration of elements) {
      tags.push({
        name: declaration.tagName,
        description: { kind: 'markdown', value: tagDescription(declaration) },
        attributes: (declaration.attributes ?? []).filter((a) => a.name).map((a) => attributeData(a, aliases)),
      });
    }
  }
  tags.sort((a, b) => a.name.localeCompare(b.name));
  return { $schema: SCHEMA, version: CUSTOM_DATA_VERSION, tags };
}

/** The file's text: JSON with two-space indents and a final newline. */
export function customDataText(manifest, readSource) {
  return `${JSON.stringify(customData(manifest, readSource), null, 2)}\n`;
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  if (!value || value.startsWith('--')) {
    console.error(`${name} needs a value`);
    process.exit(2);
  }
  return value;
}

function main(args) {
  const manifestPath = option(args, '--manifest', 'custom-elements.json');
  const outPath = option(args, '--out', 'vscode.html-custom-data.json');
  if (!existsSync(manifestPath)) {
    console.error(`${manifestPath} not found: run \`npm run analyze\` first.`);
    process.exit(1);
  }
  const text = customDataText(JSON.parse(readFileSync(manifestPath, 'utf8')));
  if (args.includes('--check')) {
    const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
    if (current !== text) {
      console.error(`${outPath} is out of date: run \`npm run analyze\` and commit the result.`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(outPath, text);
}

// Run as a script (not when imported by a test).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
