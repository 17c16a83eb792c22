import type { Decorator, Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import { html } from 'lit';
import manifest from '../custom-elements.json';
import { themeStylesheets } from '../src/themes/tokens.js';
import { isRightToLeft } from '../src/internal/localize.js';

// Docs pages and controls come from custom-elements.json (generated from the elements' JSDoc), never by hand.
setCustomElementsManifest(manifest);

/** The theme the toolbar chose, as the page-level stylesheet a site would link (`dist/themes/*.css`). */
const themeSheet = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, themeSheet];

const PAGE = `
body { background: var(--scm-color-background, #fff); color: var(--scm-color-text, #1f2328); }
`;

function applyTheme(theme: string): void {
  const sheets = themeStylesheets();
  const css = theme === 'dark' ? sheets['dark.css'] : theme === 'auto' ? sheets['auto.css'] : theme === 'light' ? sheets['light.css'] : '';
  themeSheet.replaceSync(css ? `${css}\n${PAGE}` : '');
}

/**
 * The toolbar's theme and language for every story: the theme as the page's stylesheet (as a site links
 * `themes/dark.css`), the language as the `lang` (and direction) of the box around the story — `<scm-portal>`
 * without a `locale` attribute takes the nearest `lang`, as it takes a page's. A story that sets `locale` itself
 * (the German ones) keeps it.
 */
const withThemeAndLanguage: Decorator = (story, context) => {
  const theme = String(context.globals.theme ?? 'light');
  const locale = String(context.globals.locale ?? 'en');
  applyTheme(theme);
  return html`<div class="scm-story" lang=${locale} dir=${isRightToLeft(locale) ? 'rtl' : 'ltr'}>${story()}</div>`;
};

const preview: Preview = {
  // A docs page per element, its API tables read from custom-elements.json.
  tags: ['autodocs'],
  parameters: {
    controls: { expanded: true },
    a11y: { test: 'error' },
  },
  globalTypes: {
    locale: {
      description: 'Language of the elements (the nearest `lang` around <scm-portal>)',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        dynamicTitle: true,
        items: [
          { value: 'en', right: 'en', title: 'English' },
          { value: 'de', right: 'de', title: 'Deutsch' },
          { value: 'fr', right: 'fr', title: 'Français' },
          { value: 'ja', right: 'ja', title: '日本語' },
          { value: 'ar', right: 'ar', title: 'العربية (right to left)' },
        ],
      },
    },
    theme: {
      description: 'Colour theme (the design tokens of src/themes, as a page stylesheet)',
      toolbar: {
        title: 'Theme',
        icon: 'paintbrush',
        dynamicTitle: true,
        items: [
          { value: 'light', icon: 'sun', title: 'Light' },
          { value: 'dark', icon: 'moon', title: 'Dark' },
          { value: 'auto', icon: 'mirror', title: 'System (auto)' },
          { value: 'none', icon: 'close', title: 'No theme (built-in defaults)' },
        ],
      },
    },
  },
  initialGlobals: { locale: 'en', theme: 'light' },
  decorators: [withThemeAndLanguage],
};
export default preview;
