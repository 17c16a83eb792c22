/**
 * The elements' user interface language, with `@lit/localize` in runtime mode.
 *
 * Every user-visible string of the elements is written in English with `msg()` (`msg('Retry')`,
 * msg(str`Page ${n}`)); `npm run localize:extract` collects them into `xliff/<locale>.xlf` for translators, and
 * `npm run localize:build` turns the translated XLIFF into `src/locales/<locale>.ts` (committed). A locale's
 * module is loaded only when that language is first used (a separate chunk in the CDN build).
 *
 * `<scm-portal locale="de-DE">` (or the page's `lang`) chooses the language for every element on the page
 * through {@link useUiLocale}: the nearest language we ship (`de-DE` → `de`, `pt-BR` → `en`). Dates, numbers and
 * money keep the full locale (`de-DE`, `de-CH`) through `Intl`.
 *
 * One language per page: `@lit/localize` keeps a single active locale, so two portals with different languages
 * on one page show the language set last. A host application that configures `@lit/localize` itself (with its
 * own catalogue) keeps its configuration: the elements then stay in English (a warning says so once).
 *
 * @module
 */
import { configureLocalization, type LocaleModule } from '@lit/localize';
import { sourceLocale, targetLocales, allLocales } from '../locales/locale-codes.js';

/** A language the elements ship: `en` (the source), `de`, `fr`, `ja`, `ar`. */
export type UiLocale = (typeof allLocales)[number];
type TargetLocale = (typeof targetLocales)[number];

/** The source language (the strings in the code). */
export const uiSourceLocale: UiLocale = sourceLocale;

/** Every language the elements ship, source first. */
export const uiLocales: readonly UiLocale[] = [sourceLocale, ...targetLocales];

/** Each translation as a lazily loaded module (a static import each, so bundlers make one chunk per language). */
const loaders: Readonly<Record<TargetLocale, () => Promise<LocaleModule>>> = {
  de: () => import('../locales/de.js'),
  fr: () => import('../locales/fr.js'),
  ja: () => import('../locales/ja.js'),
  ar: () => import('../locales/ar.js'),
};

/** Languages written right to left (of the BCP 47 primary subtags; only `ar` is shipped today). */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'iw', 'ps', 'sd', 'ug', 'ur', 'yi', 'dv', 'ckb']);

type Runtime = ReturnType<typeof configureLocalization>;

let runtime: Runtime | null | undefined;

/** Configures `@lit/localize` on first use; `null` when the host application had configured it already. */
function localization(): Runtime | null {
  if (runtime !== undefined) return runtime;
  try {
    runtime = configureLocalization({
      sourceLocale,
      targetLocales,
      loadLocale: (locale) => loaders[locale as TargetLocale](),
    });
  } catch (error) {
    runtime = null;
    console.warn(
      'scm-portal-elements: @lit/localize was configured by the page already, so the portal elements stay in English.',
      error,
    );
  }
  return runtime;
}

/**
 * The shipped language nearest to a BCP 47 tag: the tag itself, else its language (`de-AT` → `de`,
 * `ja-JP-u-ca-japanese` → `ja`), else English. Case and `_` separators are tolerated (`fr_CA`).
 */
export function uiLocaleFor(tag: string | null | undefined): UiLocale {
  const text = (tag ?? '').trim().replace(/_/g, '-').toLowerCase();
  if (!text) return sourceLocale;
  const exact = uiLocales.find((locale) => locale.toLowerCase() === text);
  if (exact) return exact;
  const language = text.split('-')[0];
  return uiLocales.find((locale) => locale.toLowerCase() === language) ?? sourceLocale;
}

/** True when text in this language runs right to left (`ar`, `he`, `fa`, `ur`, …). */
export function isRightToLeft(tag: string | null | undefined): boolean {
  return RIGHT_TO_LEFT.has((tag ?? '').trim().replace(/_/g, '-').toLowerCase().split('-')[0] ?? '');
}

/** The language the elements render now (`en` until a translation has loaded). */
export function currentUiLocale(): UiLocale {
  const active = localization()?.getLocale();
  return active ? uiLocaleFor(active) : sourceLocale;
}

/**
 * Switches every element on the page to the shipped language nearest to `tag`, loading its translation the
 * first time. Elements decorated with `@localized()` render again once it has loaded. Resolves with the language
 * in use afterwards (the source language when the page configured `@lit/localize` itself, or loading failed).
 */
export async function useUiLocale(tag: string | null | undefined): Promise<UiLocale> {
  const wanted = uiLocaleFor(tag);
  const runtime = localization();
  if (!runtime) return sourceLocale;
  try {
    await runtime.setLocale(wanted);
  } catch (error) {
    console.warn(`scm-portal-elements: the ${wanted} translation could not be loaded; showing English.`, error);
  }
  return currentUiLocale();
}
