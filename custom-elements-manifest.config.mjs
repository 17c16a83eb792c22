// `npm run analyze` writes custom-elements.json from the elements' JSDoc (@summary, @slot, @csspart, @cssprop,
// @cssstate, @fires). Storybook's docs and controls and the editors' custom data are generated from it.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
};
