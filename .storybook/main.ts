import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * The element modules define their custom element when imported (`customElements.define`), which is what the
 * stories import them for. package.json's `sideEffects` names only `dist/` files (right for a published bundle),
 * so a production build from `src/` would drop those imports as unused, and the static Storybook would show empty
 * elements. This marks `src/elements/<name>/<name>.ts` as having side effects again.
 */
const elementsDefineThemselves = {
  name: 'scm-elements-define-themselves',
  enforce: 'post' as const,
  transform(code: string, id: string) {
    return /[\\/]src[\\/]elements[\\/]([^\\/]+)[\\/]\1\.ts$/.test(id) ? { code, map: null, moduleSideEffects: true } : null;
  },
};

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  viteFinal: async (config) => ({ ...config, plugins: [...(config.plugins ?? []), elementsDefineThemselves] }),
};
export default config;
