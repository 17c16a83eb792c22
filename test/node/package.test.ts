// The published package: every `exports` entry of package.json points at a file the build writes (with its
// types), the files users are told to upload or link exist, and `files` ships them. Runs after `npm run build`
// (`npm test` builds before the Node-side tests).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { gzipSync } from 'node:zlib';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  files: string[];
  customElements: string;
  sideEffects: string[];
};

const built = existsSync('dist/cdn/scm-portal.js');

/** Files matching an exports target with one `*` (Node's subpath patterns). */
function expand(target: string): string[] {
  if (!target.includes('*')) return existsSync(target) ? [target] : [];
  const [head, tail] = target.split('*');
  const slash = head.lastIndexOf('/');
  const dir = head.slice(0, slash);
  if (!existsSync(dir)) return [];
  const prefix = head.slice(slash + 1);
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(tail))
    .map((f) => join(dir, f));
}

describe('the published package (package.json exports)', { skip: built ? false : 'dist/ is missing: run `npm run build` first' }, () => {
  it('points every export at a file of the build, with its .d.ts beside the JavaScript', () => {
    const missing: string[] = [];
    for (const [name, target] of Object.entries(pkg.exports)) {
      const targets = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const t of targets) if (expand(t).length === 0) missing.push(`${name} → ${t}`);
    }
    assert.deepEqual(missing, []);
  });

  it('has one export per element, named after its tag, whose module defines that tag', () => {
    const elements = readdirSync('src/elements').filter((n) => existsSync(join('src/elements', n, `${n}.ts`)));
    assert.ok(elements.length >= 5, `elements found: ${elements.join(', ')}`);
    for (const name of elements) {
      const target = pkg.exports[`./${name}`];
      assert.ok(target && typeof target !== 'string', `package.json exports has no "./${name}"`);
      const js = readFileSync(target.default, 'utf8');
      assert.match(js, new RegExp(`['"]scm-${name}['"]`), `${target.default} does not define <scm-${name}>`);
    }
  });

  it('exports the three theme stylesheets as ./themes/*.css', () => {
    const target = pkg.exports['./themes/*.css'];
    assert.equal(typeof target, 'string');
    assert.deepEqual(expand(target as string).map((f) => basename(f)).sort(), ['auto.css', 'dark.css', 'light.css']);
  });

  it('ships dist/, the manifest and the VS Code data, and names the manifest', () => {
    for (const f of ['dist/', 'custom-elements.json', 'vscode.html-custom-data.json', 'README.md']) assert.ok(pkg.files.includes(f), f);
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.ok(pkg.sideEffects.includes('./dist/elements/**/*.js'), 'element modules must keep their customElements.define');
  });

  it('builds the MSAL redirect bridge page script, small and without the rest of MSAL', () => {
    const file = 'dist/cdn/msal-redirect-bridge.js';
    assert.ok(existsSync(file), `${file} is missing`);
    // Whatever it imports must be in dist/cdn; the whole of MSAL (the `msal-*.js` chunk) must not be among it.
    const code = readFileSync(file, 'utf8');
    const imports = [...code.matchAll(/from\s*["']\.\/([^"']+)["']|import\s*["']\.\/([^"']+)["']/g)].map((m) => m[1] ?? m[2]);
    for (const i of imports) {
      assert.ok(existsSync(join('dist/cdn', i)), `imports ${i}, which the build did not write`);
      assert.doesNotMatch(i, /^msal-(?!redirect)/, `the bridge page would download the whole of MSAL (${i})`);
    }
    const size = gzipSync(code).length + imports.reduce((n, i) => n + gzipSync(readFileSync(join('dist/cdn', i))).length, 0);
    assert.ok(size < 20_000, `bridge page script is ${size} B gzipped`);
  });
});
