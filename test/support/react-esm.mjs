// A @web/dev-server plugin that lets browser tests import React. `react` and `react-dom` ship CommonJS only, which a
// browser cannot load; this plugin bundles them ONCE with esbuild into one ES module (so there is exactly one copy
// of React, shared by react-dom) and answers each bare import (`react`, `react-dom/client`, …) with a small module
// re-exporting that package's named exports from the bundle. Used by web-test-runner.config.mjs.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

/** The React entry points tests (and `@lit/react` users) import. */
const SPECIFIERS = ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom', 'react-dom/client'];
const PREFIX = '/__react-esm/';
const BUNDLE = `${PREFIX}bundle.js`;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `react-dom/client` → `/__react-esm/react-dom/client.js`. */
const urlOf = (specifier) => `${PREFIX}${specifier}.js`;

/** One ES module holding every entry point's CommonJS exports, built with esbuild (development builds of React). */
async function bundle() {
  const entries = SPECIFIERS.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`).join(',\n  ');
  const result = await build({
    stdin: { contents: `export const modules = {\n  ${entries}\n};\n`, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  return result.outputFiles[0].text;
}

/**
 * The export names of a CommonJS package: Node loads the same file (development build) as the bundle. In a child
 * process, because React's development build patches `console`, which the test runner has replaced.
 */
function exportNames(specifier) {
  const script = `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)}))))`;
  const output = execFileSync(process.execPath, ['-e', script], { cwd: process.cwd(), env: { ...process.env, NODE_ENV: 'development', NODE_OPTIONS: '' } });
  return JSON.parse(String(output));
}

/** The module answering `import … from '<specifier>'`: the package's exports, named and default. */
function facade(specifier) {
  const names = exportNames(specifier).filter((name) => IDENTIFIER.test(name) && name !== 'default');
  return [
    `import { modules } from ${JSON.stringify(BUNDLE)};`,
    `const m = modules[${JSON.stringify(specifier)}];`,
    'export default m;',
    names.length ? `export const { ${names.join(', ')} } = m;` : '',
  ].join('\n');
}

/** The plugin: resolve the React specifiers to the facades and serve them. */
export function reactEsmPlugin() {
  let bundled;
  const facades = new Map();
  return {
    name: 'react-esm',
    resolveImport({ source }) {
      return SPECIFIERS.includes(source) ? urlOf(source) : undefined;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      if (context.path === BUNDLE) {
        bundled ??= bundle();
        return { body: await bundled, type: 'js' };
      }
      const specifier = SPECIFIERS.find((s) => urlOf(s) === context.path);
      if (!specifier) return undefined;
      if (!facades.has(specifier)) facades.set(specifier, facade(specifier));
      return { body: facades.get(specifier), type: 'js' };
    },
  };
}
