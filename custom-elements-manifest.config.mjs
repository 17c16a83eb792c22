// `npm run analyze` writes custom-elements.json from the elements' JSDoc (@summary, @slot, @csspart, @cssprop,
// @cssstate, @fires). Storybook's docs and controls and the editors' custom data are generated from it.

/**
 * cem lists modules in the order its file glob returns them, which differs between machines and runs (CI once
 * failed the "manifest up to date" check on order alone): sort them by path so the output is the same everywhere.
 */
const sortModules = {
  name: 'scm-sort-modules',
  packageLinkPhase({ customElementsManifest }) {
    customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },
};

export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [sortModules],
};
