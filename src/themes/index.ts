/**
 * The light and dark themes as Lit styles, for a Lit application that hosts the portal elements, and for the
 * document (`document.adoptedStyleSheets`):
 *
 * ```ts
 * import { darkTheme } from 'scm-portal-elements/themes';
 * document.adoptedStyleSheets = [...document.adoptedStyleSheets, darkTheme.styleSheet!];
 * // or, in a LitElement that renders <scm-portal>:  static styles = [darkTheme, css`…`];
 * ```
 *
 * Each sets every themed token of {@link designTokens} on `:root` (in a document) and `:host` (in a shadow root).
 * Without JavaScript, link one of the plain CSS files instead (`dist/themes/light.css`, `dark.css`, `auto.css`),
 * or give `<scm-portal>` a `theme` attribute (`light`, `dark`, `auto`).
 *
 * @module
 */
import { unsafeCSS, type CSSResult } from 'lit';
import { themeDeclarations, type ThemeName } from './tokens.js';

export { designTokens, themeDeclarations, themeStylesheets, type DesignToken, type ThemeName, type TokenGroup } from './tokens.js';

// The text comes from the constant token list in ./tokens.ts, never from input: unsafeCSS is safe here.
const theme = (name: ThemeName): CSSResult => unsafeCSS(`:root, :host {\n${themeDeclarations(name)}\n}`);

/** The light theme's tokens on `:root` / `:host`. */
export const lightTheme: CSSResult = theme('light');

/** The dark theme's tokens on `:root` / `:host`. */
export const darkTheme: CSSResult = theme('dark');

/**
 * The themes for `<scm-portal theme="…">`: the tokens on the host (they inherit to every element inside it,
 * slotted or not), a background and text colour so that a dark portal on a light page stays readable, and `auto`
 * following `prefers-color-scheme`. Without a `theme` attribute the portal sets no token: the page's own tokens
 * (or the elements' light defaults) apply.
 */
export const portalThemeStyles: CSSResult = unsafeCSS(`
:host([theme='light']),
:host([theme='auto']) {
${themeDeclarations('light')}
}
:host([theme='dark']) {
${themeDeclarations('dark')}
}
@media (prefers-color-scheme: dark) {
  :host([theme='auto']) {
${themeDeclarations('dark', '    ')}
  }
}
:host([theme='light']),
:host([theme='dark']),
:host([theme='auto']) {
  background: var(--scm-color-background);
  color: var(--scm-color-text);
}
`);
