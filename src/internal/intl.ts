/**
 * Cached `Intl` formatters for the elements.
 *
 * Constructing an `Intl.DateTimeFormat` or `Intl.NumberFormat` costs far more than formatting with one (locale
 * negotiation, pattern data): a list that built one per cell spent ~5 ms per row in constructors (measured by
 * `npm run bench`: 50 rows took ~250 ms more than the same rows in `<vaadin-grid>`). Ask these functions
 * instead of calling `new Intl.…` in render code: each distinct locale + options pair is built once and reused.
 *
 * ```ts
 * dateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
 * numberFormat(locale, { style: 'currency', currency: 'USD' }).format(1250);
 * ```
 *
 * Invalid options (an unknown currency code) throw from the constructor exactly as `new Intl.…` would, and are
 * not cached.
 */

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** Most formatters kept per kind; a page uses a handful, so this only bounds pathological callers. */
const MAX_CACHED = 64;

function cached<F>(cache: Map<string, F>, locale: string, options: object | undefined, make: () => F): F {
  const key = `${locale}|${options ? JSON.stringify(options) : ''}`;
  let formatter = cache.get(key);
  if (formatter === undefined) {
    formatter = make();
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, formatter);
  }
  return formatter;
}

/** A shared `Intl.DateTimeFormat(locale, options)`. */
export function dateTimeFormat(locale: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateTimeFormats, locale, options, () => new Intl.DateTimeFormat(locale, options));
}

/** A shared `Intl.NumberFormat(locale, options)`. */
export function numberFormat(locale: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options));
}
