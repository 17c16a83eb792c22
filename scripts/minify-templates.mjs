// Minifying the markup and styles of Lit's `html`/`css` templates at build time, with the Lit team's
// @lit-labs/rollup-plugin-minify-html-literals (html-minifier-next for markup, lightningcss for styles).
// rollup.config.mjs uses the plugin with MINIFY_TEMPLATE_OPTIONS; the bench bundles with esbuild through
// minifyTemplatesPlugin() below, with the same options, so the weights it reports and the pages it times are the
// code the build ships, not the source's indentation. Only the library's own sources (src/, not tests).
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { minifyHTMLLiterals } from '@lit-labs/rollup-plugin-minify-html-literals/lib/minify-html-literals.js';
import { defaultStrategy } from '@lit-labs/rollup-plugin-minify-html-literals/lib/strategy.js';

/**
 * The default strategy (html-minifier-next with whitespace collapsed, lightningcss), with one rule added for a
 * template's outer whitespace, as JSX has it: whitespace that holds a line break is formatting and goes; a space on
 * the same line is text and stays. The minifier sees each template alone, so it would trim the leading space of
 * html`\` <span>pending sync</span>\`` (which follows a number in the template around it); keeping every space
 * instead (`conservativeCollapse`) would keep a whitespace text node between every two tags — hundreds of DOM
 * nodes in a table of 50 orders.
 */
const keepSameLineEdgeSpaces = {
  ...defaultStrategy,
  async minifyHTML(html, options) {
    let min = await defaultStrategy.minifyHTML(html, options);
    if (/^[ \t]+\S/.test(html) && !/^\s/.test(min)) min = ` ${min}`;
    if (/\S[ \t]+$/.test(html) && !/\s$/.test(min)) min = `${min} `;
    return min;
  },
};

/** The minifier's options, shared by rollup.config.mjs and the bench's esbuild plugin below. */
export const MINIFY_TEMPLATE_OPTIONS = { strategy: keepSameLineEdgeSpaces };

/** An esbuild plugin that minifies the `html`/`css` templates of `<root>/src/**\/*.ts` (tests excluded). */
export function minifyTemplatesPlugin(root) {
  const src = `${root}${sep}src${sep}`;
  return {
    name: 'minify-html-literals',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(src) || args.path.endsWith('.test.ts')) return undefined;
        const code = await readFile(args.path, 'utf8');
        // Files without templates come back as `null`: esbuild then loads them as usual.
        const result = await minifyHTMLLiterals(code, { ...MINIFY_TEMPLATE_OPTIONS, fileName: args.path, generateSourceMap: false });
        return { contents: result ? result.code : code, loader: 'ts' };
      });
    },
  };
}
