// Weight measurements of `npm run bench` (Node only, no browser): gzip and brotli sizes of the shipped CDN file,
// of each element's entry, of the client alone, and of the peers' npm packages, all measured in the same run
// with the same compressors; plus what makes our bundles big (esbuild metafile) and what collapsing the
// whitespace of template literals (CSS and HTML in `css`/`html` tags) would save.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { minifyTemplatesPlugin } from '../scripts/minify-templates.mjs';

/** gzip -9 and brotli at its highest quality (what a CDN serves), in bytes. */
export function sizesOf(text) {
  const buffer = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return {
    bytes: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
      },
    }).length,
  };
}

/**
 * The sibling files an ES module imports statically (`import … from "./x.js"`, `import "./x.js"`,
 * `export … from "./x.js"`), not those it loads with `import("./x.js")`. Enough for Rollup's minified output.
 */
export function staticImportsOf(code) {
  const found = new Set();
  for (const match of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]*?\s*from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    found.add(match[1]);
  }
  return [...found];
}

/** Lit and its family: kept outside the "lit external" variants. */
export const LIT_EXTERNAL = ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/*', '@lit-labs/*'];
/** MSAL is never part of what a page downloads up front (it is a lazy chunk). */
export const MSAL_EXTERNAL = ['@azure/msal-browser'];

/**
 * Bundles one entry (a file, or `contents` as a module) with esbuild: minified, ES2022, browser, production (Lit's
 * dev mode is the `development` export condition, not asked for), MSAL external, with code splitting. What a page
 * downloads up front is the entry chunk and the chunks it imports statically (`code`); chunks reached only through
 * a dynamic `import()` (the MSAL session code, the `$batch` codec when nothing imports it statically) are returned
 * apart (`lazy`), as the MSAL chunk is beside the CDN file. Returns the eager code, the lazy chunks and the metafile.
 */
export async function bundle(root, { entry, contents, external = [], label = 'entry' }) {
  const input = entry ? join(root, entry) : join(root, '.tmp', 'bench-build', 'weight', `${label}.entry.js`);
  if (!entry) {
    mkdirSync(dirname(input), { recursive: true });
    writeFileSync(input, contents);
  }
  const outdir = join(root, '.tmp', 'bench-build', 'weight', label);
  const result = await esbuild.build({
    entryPoints: [input],
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    outdir,
    entryNames: 'entry',
    chunkNames: 'chunk-[hash]',
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    tsconfig: join(root, 'tsconfig.json'),
    external: [...MSAL_EXTERNAL, ...external],
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'silent',
    // The templates minified as the build minifies them (rollup.config.mjs): the weight of what ships.
    plugins: [minifyTemplatesPlugin(root)],
  });
  const files = new Map(result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [f.path, f.text]));
  const outputs = result.metafile.outputs;
  const key = (path) => relative(root, path).split(sep).join('/');
  const entryPath = [...files.keys()].find((p) => p.endsWith(`${sep}entry.js`));
  // Eager: the entry and what it imports statically, transitively.
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of outputs[key(path)]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(join(root, imported.path));
    }
  };
  visit(entryPath);
  const code = [...eager].map((p) => files.get(p)).join('\n');
  const lazy = [...files.keys()]
    .filter((p) => !eager.has(p))
    .map((p) => ({ modules: Object.keys(outputs[key(p)]?.inputs ?? {}).map((m) => m.replace(/^.*node_modules\//, '')), ...sizesOf(files.get(p)) }));
  return { code, eagerFiles: eager.size, lazy, metafile: result.metafile, eagerOutputs: [...eager].map(key) };
}

/** The modules that make a bundle big: bytes each contributes to the minified output, grouped by package/folder. */
export function composition(metafile, top = 12, outputsToCount = undefined) {
  const outputs = Object.entries(metafile.outputs)
    .filter(([path]) => path.endsWith('.js') && (!outputsToCount || outputsToCount.includes(path)))
    .map(([, output]) => output);
  const groups = new Map();
  for (const [input, { bytesInOutput }] of outputs.flatMap((output) => Object.entries(output.inputs))) {
    let key = input;
    const nm = input.lastIndexOf('node_modules/');
    if (nm >= 0) {
      const parts = input.slice(nm + 'node_modules/'.length).split('/');
      key = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    } else if (input.startsWith('src/elements/')) {
      key = input.split('/').slice(0, 3).join('/');
    }
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
  return [...groups.entries()]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([module, bytes]) => ({ module, bytes }));
}

/**
 * What-if: the same minified code with every multi-line template literal's whitespace collapsed (what a
 * `minify-html-literals`-style build step does to `css` and `html` templates). Returns the gzip saving.
 */
export function templateWhitespaceSaving(code) {
  const source = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const edits = [];
  const visit = (node) => {
    if (
      node.kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
      node.kind === ts.SyntaxKind.TemplateHead ||
      node.kind === ts.SyntaxKind.TemplateMiddle ||
      node.kind === ts.SyntaxKind.TemplateTail
    ) {
      const start = node.getStart(source);
      const text = code.slice(start, node.end);
      if (/\n/.test(text)) edits.push([start, node.end, text.replace(/\s+/g, ' ')]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let collapsed = code;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) collapsed = collapsed.slice(0, start) + text + collapsed.slice(end);
  const before = sizesOf(code);
  const after = sizesOf(collapsed);
  return { literals: edits.length, bytesSaved: before.bytes - after.bytes, gzipSaved: before.gzip - after.gzip };
}

/** A lazy chunk that holds only translations (`src/locales/*`): loaded for a language other than English. */
const isTranslation = (chunk) => chunk.modules.length > 0 && chunk.modules.every((m) => /(^|\/)src\/locales\//.test(m));

/**
 * First load and total of a bundle: `gzip`/`brotli`/`bytes` are what a page downloads up front; `total` adds the
 * lazy chunks of code (loaded on first use: the `$batch` codec, change tracking, …), which still count as the
 * library's weight. Translations (a language other than English) are counted apart, in `translations`.
 */
function withTotal(eager, lazy) {
  const code = lazy.filter((chunk) => !isTranslation(chunk));
  const translations = lazy.filter(isTranslation);
  const add = (key) => eager[key] + code.reduce((n, chunk) => n + chunk[key], 0);
  return {
    total: { bytes: add('bytes'), gzip: add('gzip'), brotli: add('brotli'), lazyChunks: code.length },
    translations: { chunks: translations.length, gzip: translations.reduce((n, chunk) => n + chunk.gzip, 0) },
  };
}

/** Bundles and measures; a failure is reported (`status: 'build failed'`), never thrown. */
async function measured(root, options) {
  try {
    const { code, metafile, lazy, eagerOutputs } = await bundle(root, options);
    const eager = sizesOf(code);
    return { status: 'ok', ...eager, ...withTotal(eager, lazy), ...(lazy.length ? { lazy } : {}), code, metafile, eagerOutputs };
  } catch (error) {
    const message = error?.errors?.map((e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`).join('; ') || String(error);
    return { status: 'build failed', error: message };
  }
}

const strip = ({ code, metafile, eagerOutputs, ...rest }) => rest;

/** The shipped languages other than English (`targetLocales` of src/locales/locale-codes.ts). */
function localeCodes(root) {
  const file = join(root, 'src', 'locales', 'locale-codes.ts');
  if (!existsSync(file)) return [];
  const list = /targetLocales\s*=\s*\[([^\]]*)\]/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  return [...list.matchAll(/[`'"]([A-Za-z-]+)[`'"]/g)].map((m) => m[1]);
}

/** The element modules: `src/elements/<name>/<name>.ts` for the names we bench (missing ones are "not built"). */
export function elementModules(root, names) {
  return names.map((name) => {
    const entry = `src/elements/${name}/${name}.ts`;
    return { name, tag: `scm-${name}`, entry, exists: existsSync(join(root, entry)) };
  });
}

/**
 * Every weight figure of the report. `cdnDir` is dist/cdn (built by `npm run build`); `buildOk` says whether that
 * build succeeded in this run.
 */
export async function measureWeight(root, { elements, buildOk }) {
  const weight = {};

  // 1. The shipped single file (everything but MSAL) and the MSAL chunk beside it.
  const cdnDir = join(root, 'dist', 'cdn');
  if (buildOk && existsSync(join(cdnDir, 'scm-portal.js'))) {
    const files = readdirSync(cdnDir).filter((f) => f.endsWith('.js'));
    // Up front: scm-portal.js and the chunks it imports statically (transitively). Chunks only reached through
    // import() load on demand: MSAL (auth="msal"), translations (a language other than English), …
    const upFront = new Set();
    const visit = (file) => {
      if (upFront.has(file) || !files.includes(file)) return;
      upFront.add(file);
      for (const target of staticImportsOf(readFileSync(join(cdnDir, file), 'utf8'))) visit(target);
    };
    visit('scm-portal.js');
    const msal = files.filter((f) => !upFront.has(f) && /^msal[-.]/.test(f));
    // Translations: the chunks named after a shipped language (rollup names chunks after their module:
    // `de-<hash>.js` is src/locales/de.ts).
    const languages = localeCodes(root);
    const isLocale = (f) => languages.some((code) => f.startsWith(`${code}-`));
    const translations = files.filter((f) => !upFront.has(f) && !msal.includes(f) && isLocale(f));
    const lazy = files.filter((f) => !upFront.has(f) && !msal.includes(f) && !translations.includes(f));
    const parts = [...upFront].map((f) => ({ file: `dist/cdn/${f}`, ...sizesOf(readFileSync(join(cdnDir, f))) }));
    const lazyChunks = lazy.map((f) => ({ file: `dist/cdn/${f}`, ...sizesOf(readFileSync(join(cdnDir, f))) }));
    const cdnSource = existsSync(join(root, 'src', 'cdn.ts')) ? readFileSync(join(root, 'src', 'cdn.ts'), 'utf8') : '';
    const sum = (list, key) => list.reduce((n, p) => n + p[key], 0);
    weight.cdn = {
      status: 'ok',
      files: parts,
      // Up front: what a page that loads scm-portal.js downloads before anything is used.
      bytes: sum(parts, 'bytes'),
      gzip: sum(parts, 'gzip'),
      brotli: sum(parts, 'brotli'),
      // The whole library: up front + the lazy chunks of code (not MSAL, not translations).
      total: {
        bytes: sum(parts, 'bytes') + sum(lazyChunks, 'bytes'),
        gzip: sum(parts, 'gzip') + sum(lazyChunks, 'gzip'),
        brotli: sum(parts, 'brotli') + sum(lazyChunks, 'brotli'),
        lazyChunks: lazyChunks.length,
      },
      msalChunks: msal.map((f) => ({ file: `dist/cdn/${f}`, ...sizesOf(readFileSync(join(cdnDir, f))) })),
      lazyChunks,
      translationChunks: translations.map((f) => ({ file: `dist/cdn/${f}`, ...sizesOf(readFileSync(join(cdnDir, f))) })),
      // Elements that exist but that src/cdn.ts does not (yet) include: the CDN figure leaves them out.
      elementsMissingFromCdn: elements.filter((e) => e.exists && e.name !== 'portal' && !cdnSource.includes(`elements/${e.name}/${e.name}.js`)).map((e) => e.tag),
    };
  } else {
    weight.cdn = { status: buildOk ? 'missing' : 'build failed' };
  }

  // 2. Each element's entry, with Lit bundled in and with Lit external.
  weight.elements = {};
  for (const element of elements) {
    if (!element.exists) {
      weight.elements[element.tag] = { status: 'not built' };
      continue;
    }
    const withLit = await measured(root, { entry: element.entry });
    const litExternal = await measured(root, { entry: element.entry, external: LIT_EXTERNAL });
    weight.elements[element.tag] =
      withLit.status === 'ok'
        ? { status: 'ok', withLit: strip(withLit), litExternal: strip(litExternal) }
        : { status: withLit.status, error: withLit.error };
  }

  // 3. The whole library as esbuild bundles it: the root entry and every element that exists (the CDN file's
  //    contents once src/cdn.ts lists every element).
  const allEntries = ['src/index.ts', ...elements.filter((e) => e.exists && weight.elements[e.tag]?.status === 'ok').map((e) => e.entry)];
  const library = await measured(root, {
    contents: allEntries.map((entry) => `export * from ${JSON.stringify(join(root, entry))};`).join('\n'),
    label: 'library',
  });
  weight.libraryAllElements =
    library.status === 'ok'
      ? {
          status: 'ok',
          entries: allEntries,
          ...strip(library),
          composition: composition(library.metafile, 16, library.eagerOutputs),
          templateWhitespace: templateWhitespaceSaving(library.code),
        }
      : strip(library);

  // 4. The client alone.
  const client = await measured(root, { entry: 'src/dataverse/index.ts' });
  weight.client =
    client.status === 'ok'
      ? { status: 'ok', entry: 'src/dataverse/index.ts', ...strip(client), composition: composition(client.metafile, 16, client.eagerOutputs) }
      : strip(client);

  // 4b. The client as the library uses it: only what src/ outside the client imports from it, tree-shaken (what
  //     the client adds to a page that loads the elements).
  const used = clientImportsOfLibrary(root);
  const usedClient = await measured(root, {
    contents: Object.entries(used)
      .map(([module, names]) => `export { ${[...names].sort().join(', ')} } from ${JSON.stringify(join(root, module))};`)
      .join('\n'),
    label: 'client-used',
  });
  weight.clientAsUsed =
    usedClient.status === 'ok'
      ? { status: 'ok', imports: Object.fromEntries(Object.entries(used).map(([m, n]) => [m, [...n].sort()])), ...strip(usedClient) }
      : strip(usedClient);

  // 5. The peers, from their npm packages, measured the same way.
  const dwaDir = join(root, 'node_modules', 'dynamics-web-api');
  const dwaFile = join(dwaDir, 'dist', 'dynamics-web-api.min.js');
  if (existsSync(dwaFile)) {
    const version = JSON.parse(readFileSync(join(dwaDir, 'package.json'), 'utf8')).version;
    weight.dynamicsWebApi = { status: 'ok', version, file: relative(root, dwaFile), ...sizesOf(readFileSync(dwaFile)) };
  } else {
    weight.dynamicsWebApi = { status: 'missing', error: 'node_modules/dynamics-web-api/dist/dynamics-web-api.min.js not found' };
  }
  const gridDir = join(root, 'node_modules', '@vaadin', 'grid');
  if (existsSync(gridDir)) {
    const version = JSON.parse(readFileSync(join(gridDir, 'package.json'), 'utf8')).version;
    const withLit = await measured(root, { contents: "import '@vaadin/grid';", label: 'vaadin-grid' });
    const litExternal = await measured(root, { contents: "import '@vaadin/grid';", label: 'vaadin-grid', external: LIT_EXTERNAL });
    weight.vaadinGrid = withLit.status === 'ok' ? { status: 'ok', version, withLit: strip(withLit), litExternal: strip(litExternal) } : strip(withLit);
  } else {
    weight.vaadinGrid = { status: 'missing' };
  }
  return weight;
}

/**
 * The value names that library modules outside `src/dataverse/` (services, elements, context, events; not the
 * emulator, not tests) import from the client, by client module.
 */
export function clientImportsOfLibrary(root) {
  const used = {};
  const visit = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path !== 'src/dataverse' && path !== 'src/emulator') visit(path);
        continue;
      }
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.name.endsWith('.d.ts')) continue;
      const text = readFileSync(join(root, path), 'utf8');
      for (const match of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
        if (match[1]) continue;
        const target = join(dirname(path), match[3]).split(sep).join('/').replace(/\.js$/, '.ts');
        if (!target.startsWith('src/dataverse/')) continue;
        for (const part of match[2].split(',')) {
          const name = part.trim().split(/\s+as\s+/)[0].trim();
          if (!name || name.startsWith('type ')) continue;
          (used[target] ??= new Set()).add(name);
        }
      }
    }
  };
  visit('src');
  return used;
}

/** Stops esbuild's service process. */
export function stopBundler() {
  return esbuild.stop();
}
