/**
 * `scripts/vscode-data.mjs`: VS Code custom data generated from a custom elements manifest — tags with their docs,
 * attributes with their values when they take a fixed set — and the committed file matching the committed manifest.
 * The script runs as a child process (as `npm run analyze` runs it), on a small manifest and module written here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = 'scripts/vscode-data.mjs';

interface Attribute {
  name: string;
  description: { kind: string; value: string };
  values?: { name: string }[];
  valueSet?: string;
}
interface Tag {
  name: string;
  description: { kind: string; value: string };
  attributes: Attribute[];
}
interface CustomData {
  version: number;
  tags: Tag[];
}

describe('VS Code custom data (scripts/vscode-data.mjs)', () => {
  let dir: string;
  let data: CustomData;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vscode-data-'));
    const modulePath = join(dir, 'x-widget.ts');
    writeFileSync(
      modulePath,
      [
        "export type WidgetSize = 'small' | 'medium' | 'large';",
        "type Mode = 'a' | string;", // not a fixed set
        'export class XWidget extends HTMLElement {}',
      ].join('\n'),
    );
    const manifest = {
      schemaVersion: '1.0.0',
      modules: [
        {
          kind: 'javascript-module',
          path: modulePath,
          declarations: [
            {
              kind: 'class',
              name: 'XWidget',
              customElement: true,
              tagName: 'x-widget',
              summary: 'A widget.',
              description: 'Shows a widget.\n\nWith **details**.',
              events: [{ name: 'x-change', type: { text: 'CustomEvent<{ value: string }>' }, description: 'The value changed.' }],
              slots: [{ name: '', description: 'The content.' }],
              cssParts: [{ name: 'base', description: 'The wrapper.' }],
              cssProperties: [{ name: '--x-widget-accent', default: 'blue', description: 'Accent colour.' }],
              cssStates: [{ name: 'busy', description: 'Working.' }],
              attributes: [
                { name: 'variant', type: { text: "'primary' | 'neutral' | ''" }, default: "''", description: 'The look.', fieldName: 'variant' },
                { name: 'size', type: { text: 'WidgetSize | undefined' }, description: 'How big.', fieldName: 'size' },
                { name: 'mode', type: { text: 'Mode' }, description: 'Open text.', fieldName: 'mode' },
                { name: 'disabled', type: { text: 'boolean' }, default: 'false', description: 'Off.', fieldName: 'disabled' },
                { name: 'label', type: { text: 'string' }, description: 'Label text.', fieldName: 'label' },
              ],
            },
            { kind: 'class', name: 'NotAnElement' },
          ],
        },
        { kind: 'javascript-module', path: join(dir, 'missing.ts'), declarations: [{ kind: 'class', name: 'B', customElement: true, tagName: 'a-first', attributes: [] }] },
      ],
    };
    writeFileSync(join(dir, 'custom-elements.json'), JSON.stringify(manifest));
    await run(process.execPath, [SCRIPT, '--manifest', join(dir, 'custom-elements.json'), '--out', join(dir, 'out.json')]);
    data = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as CustomData;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const widget = () => data.tags.find((t) => t.name === 'x-widget')!;
  const attribute = (name: string) => widget().attributes.find((a) => a.name === name)!;

  it('lists every custom element of the manifest, sorted by tag name, in custom data version 1.1', () => {
    assert.equal(data.version, 1.1);
    assert.deepEqual(data.tags.map((t) => t.name), ['a-first', 'x-widget']);
  });

  it('describes a tag with its summary, description, events, slots, parts, custom properties and states', () => {
    const text = widget().description.value;
    assert.equal(widget().description.kind, 'markdown');
    assert.ok(text.startsWith('A widget.\n\nShows a widget.\n\nWith **details**.'), text);
    assert.match(text, /- `x-change` \(`CustomEvent<\{ value: string \}>`\) — The value changed\./);
    assert.match(text, /- \(default\) — The content\./);
    assert.match(text, /- `::part\(base\)` — The wrapper\./);
    assert.match(text, /- `--x-widget-accent` \(default `blue`\) — Accent colour\./);
    assert.match(text, /- `:state\(busy\)` — Working\./);
  });

  it('offers the values of string-literal unions, inline or as a type alias of the module', () => {
    assert.deepEqual(attribute('variant').values, [{ name: 'primary' }, { name: 'neutral' }]);
    assert.deepEqual(attribute('size').values, [{ name: 'small' }, { name: 'medium' }, { name: 'large' }]);
  });

  it('offers no values for open types, and marks boolean attributes as taking none', () => {
    assert.equal(attribute('mode').values, undefined);
    assert.equal(attribute('label').values, undefined);
    assert.equal(attribute('label').valueSet, undefined);
    assert.equal(attribute('disabled').valueSet, 'v');
  });

  it('describes an attribute with its type, default and property', () => {
    assert.equal(attribute('disabled').description.value, 'Off.\n\nType: `boolean` · Default: `false` · Property: `disabled`');
    assert.equal(attribute('variant').description.value.includes('Default'), false, "the empty default '' is not shown");
  });

  it('--check fails when the file is out of date and passes when it is not', async () => {
    const args = [SCRIPT, '--manifest', join(dir, 'custom-elements.json'), '--out', join(dir, 'out.json'), '--check'];
    await run(process.execPath, args);
    writeFileSync(join(dir, 'out.json'), '{}\n');
    await assert.rejects(run(process.execPath, args), /out of date/);
  });

  it('the committed vscode.html-custom-data.json matches the committed custom-elements.json', async () => {
    await run(process.execPath, [SCRIPT, '--check']);
    const committed = JSON.parse(readFileSync('vscode.html-custom-data.json', 'utf8')) as CustomData;
    const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as { modules: { declarations?: { tagName?: string }[] }[] };
    const tags = manifest.modules.flatMap((m) => m.declarations ?? []).flatMap((d) => (d.tagName ? [d.tagName] : []));
    assert.deepEqual(committed.tags.map((t) => t.name), [...tags].sort());
  });
});
