// Two outputs (lit.dev's publishing advice):
// 1. `dist/` — the npm package: one ES module per source module (so each element and each public entry point is
//    its own file), `.d.ts` beside each, every dependency (lit, @lit/*, msal) kept external.
// 2. `dist/cdn/scm-portal.js` — one minified file with everything (Lit included, dev mode dropped) for a plain
//    `<script type="module">` or a Power Pages web file; MSAL stays a lazily imported chunk beside it, fetched
//    only when `auth="msal"` is used.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { MINIFY_TEMPLATE_OPTIONS } from './scripts/minify-templates.mjs';

/**
 * The markup and styles inside Lit's `html` and `css` tagged templates, minified at build time (whitespace,
 * comments; CSS through lightningcss): the Lit team's plugin, which knows where bindings are and keeps them. Runs
 * on the TypeScript source, before the compiler. `failOnError`: a template it cannot parse stops the build rather
 * than shipping unminified by surprise. The options (shared with the bench, which bundles what ships) keep a
 * template's leading or trailing space when it is on the same line (`html\` <span>…\``): see
 * scripts/minify-templates.mjs.
 */
const minifyTemplates = () =>
  minifyHtmlLiterals({ include: ['src/**/*.ts'], exclude: ['src/**/*.test.ts'], failOnError: true, options: MINIFY_TEMPLATE_OPTIONS });

/**
 * Every public entry point: the root, the client, the tables, the emulator, the React wrappers (`react` and
 * `@lit/react` stay external like every bare import), and each element's defining module.
 */
function libraryInputs() {
  const inputs = ['src/index.ts', 'src/dataverse/index.ts', 'src/tables/index.ts', 'src/emulator/index.ts', 'src/emulator/node.ts', 'src/react/index.ts'];
  const elements = 'src/elements';
  if (existsSync(elements)) {
    for (const name of readdirSync(elements)) {
      const file = join(elements, name, `${name}.ts`);
      if (existsSync(file)) inputs.push(file);
    }
  }
  return inputs.filter((f) => existsSync(f));
}

const isBare = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !/^[A-Za-z]:/.test(id);

export default [
  {
    input: libraryInputs(),
    external: isBare,
    output: {
      dir: 'dist',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
      sourcemap: true,
    },
    plugins: [
      minifyTemplates(),
      typescript({
        tsconfig: './tsconfig.build.json',
        outDir: 'dist',
        declaration: true,
        declarationDir: 'dist',
        noEmitOnError: true,
      }),
    ],
  },
  {
    input: { 'scm-portal': 'src/cdn.ts' },
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      manualChunks(id) {
        if (id.includes('node_modules/@azure/')) return 'msal';
        return undefined;
      },
      sourcemap: true,
    },
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['production'] }),
      minifyTemplates(),
      typescript({ tsconfig: './tsconfig.build.json', outDir: 'dist/cdn', declaration: false, declarationMap: false, noEmitOnError: true }),
      terser({ ecma: 2022, module: true, format: { comments: false } }),
    ],
  },
  {
    // The MSAL v5 redirect bridge page's script (src/msal-redirect-bridge.ts): one standalone file, so the page a
    // site registers as its redirect URI loads only MSAL's bridge, not the portal nor the rest of MSAL.
    input: { 'msal-redirect-bridge': 'src/msal-redirect-bridge.ts' },
    output: { dir: 'dist/cdn', format: 'es', entryFileNames: '[name].js', inlineDynamicImports: true, sourcemap: true },
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['production'] }),
      minifyTemplates(),
      typescript({ tsconfig: './tsconfig.build.json', outDir: 'dist/cdn', declaration: false, declarationMap: false, noEmitOnError: true }),
      terser({ ecma: 2022, module: true, format: { comments: false } }),
    ],
  },
];
