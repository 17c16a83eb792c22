/**
 * The design tokens of the portal elements: one documented list, the single source of the light and dark themes
 * (`lightTheme`, `darkTheme` in `./index.ts`), of the plain CSS files a host page links (`src/themes/*.css`,
 * copied to `dist/themes/`), and of the token table in `docs/theming.md` (`node --import tsx scripts/themes.ts`
 * writes both; `test/node/themes.test.ts` fails when they drift).
 *
 * Every element reads the global tokens through element-level custom properties with these defaults
 * (`--scm-order-list-accent: var(--scm-color-primary, #0969da)`), so a page can restyle everything with the
 * global tokens and one element with its own properties. Pure data: no Lit, no DOM (the scripts read it in Node).
 *
 * @module
 */

/** What a token is about (the sections of the documentation). */
export type TokenGroup = 'colour' | 'focus' | 'shape' | 'space' | 'type';

/** One design token. */
export interface DesignToken {
  /** The custom property (`--scm-color-primary`). */
  readonly name: `--scm-${string}`;
  readonly group: TokenGroup;
  /** The value in the light theme, and the fallback the elements use when the token is not set. */
  readonly light: string;
  /** The value in the dark theme. */
  readonly dark: string;
  /** What it styles, in a designer's words. */
  readonly description: string;
  /**
   * `false` for tokens the themes leave to the page (the font: the elements inherit the site's font unless a
   * page sets the token). Their `light`/`dark` values are the documented defaults only.
   */
  readonly themed: boolean;
}

/**
 * Every global token. Colour pairs meet WCAG 2.2 AA text contrast in both themes: text and muted text on the
 * background and surfaces, `on-primary` on `primary`, and the colours used as text (primary links, danger,
 * success, warning) on the surface are all ≥ 4.5:1; the focus ring is ≥ 3:1 against the surface
 * (`test/node/themes.test.ts` computes them). Borders are decorative: every control also has a text label.
 */
export const designTokens: readonly DesignToken[] = [
  // Colour
  { name: '--scm-color-primary', group: 'colour', light: '#0969da', dark: '#4493f8', themed: true, description: 'Accent: links, primary buttons, the current step, the credit meter.' },
  { name: '--scm-color-on-primary', group: 'colour', light: '#ffffff', dark: '#0d1117', themed: true, description: 'Text on a primary-coloured background (primary buttons).' },
  { name: '--scm-color-text', group: 'colour', light: '#1f2328', dark: '#e6edf3', themed: true, description: 'Body text, headings and values.' },
  { name: '--scm-color-text-muted', group: 'colour', light: '#59636e', dark: '#9198a1', themed: true, description: 'Labels, secondary text, placeholders for missing values.' },
  { name: '--scm-color-background', group: 'colour', light: '#ffffff', dark: '#0d1117', themed: true, description: 'Behind the elements: set on `<scm-portal theme>` and on `:root` by the theme files.' },
  { name: '--scm-color-surface', group: 'colour', light: '#ffffff', dark: '#151b23', themed: true, description: 'Cards, tables, buttons, messages.' },
  { name: '--scm-color-surface-muted', group: 'colour', light: '#f6f8fa', dark: '#212830', themed: true, description: 'Table headers, hover and subtle fills.' },
  { name: '--scm-color-border', group: 'colour', light: '#d0d7de', dark: '#3d444d', themed: true, description: 'Borders and rules (decorative; controls also have a text label).' },
  { name: '--scm-color-danger', group: 'colour', light: '#cf222e', dark: '#f85149', themed: true, description: 'Errors, cancelled, on hold, over the credit limit.' },
  { name: '--scm-color-success', group: 'colour', light: '#1a7f37', dark: '#3fb950', themed: true, description: 'Delivered, invoiced, not on hold, "Copied".' },
  { name: '--scm-color-warning', group: 'colour', light: '#9a6700', dark: '#d29922', themed: true, description: 'Partly done, estimated totals, pending sync, live updates.' },
  // Focus
  { name: '--scm-color-focus', group: 'focus', light: '#0969da', dark: '#4493f8', themed: true, description: 'The keyboard focus ring.' },
  { name: '--scm-focus-ring-width', group: 'focus', light: '2px', dark: '2px', themed: true, description: 'Thickness of the focus ring (an outline; forced-colours mode keeps it, in the system Highlight colour).' },
  { name: '--scm-focus-ring-offset', group: 'focus', light: '2px', dark: '2px', themed: true, description: 'Gap between a control and its focus ring.' },
  // Shape
  { name: '--scm-radius', group: 'shape', light: '6px', dark: '6px', themed: true, description: 'Corner radius of cards, buttons, fields and messages.' },
  // Space
  { name: '--scm-space-1', group: 'space', light: '0.25rem', dark: '0.25rem', themed: true, description: 'Smallest gap (label to value, badge padding).' },
  { name: '--scm-space-2', group: 'space', light: '0.5rem', dark: '0.5rem', themed: true, description: 'Gap between related items; cell padding (block).' },
  { name: '--scm-space-3', group: 'space', light: '0.75rem', dark: '0.75rem', themed: true, description: 'Gap between controls; cell padding (inline).' },
  { name: '--scm-space-4', group: 'space', light: '1rem', dark: '1rem', themed: true, description: 'Card padding; gap between cards.' },
  { name: '--scm-space-5', group: 'space', light: '1.5rem', dark: '1.5rem', themed: true, description: 'Gap between sections.' },
  { name: '--scm-space-6', group: 'space', light: '2rem', dark: '2rem', themed: true, description: 'Largest gap (around empty and error messages).' },
  // Type
  { name: '--scm-font', group: 'type', light: 'inherit', dark: 'inherit', themed: false, description: 'The `font` shorthand of every element (default: the page\'s font, e.g. a Power Pages theme\'s).' },
  { name: '--scm-font-size', group: 'type', light: 'inherit', dark: 'inherit', themed: false, description: 'Base font size of every element (default: the page\'s).' },
  { name: '--scm-font-mono', group: 'type', light: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', dark: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', themed: false, description: 'Code in site-owner messages (`base-url`, attribute names).' },
];

/** A theme's name. */
export type ThemeName = 'light' | 'dark';

/** The declarations of a theme (`--scm-color-primary: #0969da;` …, and `color-scheme`), one per line. */
export function themeDeclarations(theme: ThemeName, indent = '  '): string {
  const lines = designTokens.filter((token) => token.themed).map((token) => `${indent}${token.name}: ${token[theme]};`);
  // Native controls (date pickers, scrollbars, checkboxes) follow the theme too.
  lines.push(`${indent}color-scheme: ${theme};`);
  return lines.join('\n');
}

const HEADER = (what: string) =>
  `/* scm-portal-elements: ${what}. Generated from src/themes/tokens.ts by scripts/themes.mjs: do not edit by hand. */\n`;

/**
 * The plain CSS files a host page can link (`<link rel="stylesheet" href=".../themes/dark.css">`): the tokens on
 * `:root`, so every element on the page (and the page itself, if it reads them) takes the theme.
 * `auto.css` follows the user's system setting (`prefers-color-scheme`).
 */
export function themeStylesheets(): Record<'light.css' | 'dark.css' | 'auto.css', string> {
  return {
    'light.css': `${HEADER('light theme')}:root {\n${themeDeclarations('light')}\n}\n`,
    'dark.css': `${HEADER('dark theme')}:root {\n${themeDeclarations('dark')}\n}\n`,
    'auto.css':
      `${HEADER('light or dark theme, following the system setting')}:root {\n${themeDeclarations('light')}\n}\n` +
      `@media (prefers-color-scheme: dark) {\n  :root {\n${themeDeclarations('dark', '    ')}\n  }\n}\n`,
  };
}
