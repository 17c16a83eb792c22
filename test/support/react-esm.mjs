// A @web/dev-server plugin that lets browser tests import React. `react` and `react-dom` ship CommonJS only, which a
// browser cannot load; this plugin bundles them ONCE with esbuild into one ES module (so there is exactly one copy
// of React, shared by react-dom) and answers each bare import (`react`, `react-dom/client`, …) with a small module
// re-exporting that package's named exports from the bundle. Used by web-test-runner.config.mjs.
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

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

/** The module answering `import … from '<specifier>'`: the package's exports, named and default. */
function facade(specifier) {
  // Node loads the same CommonJS file (development build), so its export names are the browser bundle's.
  const names = Object.keys(require(specifier)).filter((name) => IDENTIFIER.test(name) && name !== 'default');
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
      return specifier ? { body: facade(specifier), type: 'js' } : undefined;
    },
  };
}
