/**
 * Formatted values (`@OData.Community.Display.V1.FormattedValue`) and the annotation preference.
 *
 * Dataverse formats in the user's language and settings; the emulator formats with `Intl` in one locale and
 * time zone (default `en-US`, UTC): money `$1,234.50` (the row's currency), dates `3/1/2025 2:05 PM`, date-only
 * `3/1/2025`, whole numbers `1,234`, decimals with the column's precision, choices by label, booleans `Yes`/`No`.
 */
import type { ColumnDef } from '../tables/schema.js';

export const FORMATTED_VALUE = 'OData.Community.Display.V1.FormattedValue';
export const LOOKUP_LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
export const ASSOCIATED_NAVIGATION_PROPERTY = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

/** Locale and time zone for formatted values. */
export interface FormatSettings {
  readonly locale: string;
  readonly timeZone: string;
}

export const DEFAULT_FORMAT: FormatSettings = { locale: 'en-US', timeZone: 'UTC' };

/**
 * Which instance annotations a request asked for with `Prefer: odata.include-annotations="…"`: `*`, exact names
 * (`OData.Community.Display.V1.FormattedValue`), namespace wildcards (`Microsoft.Dynamics.CRM.*`) and exclusions
 * (`-Microsoft.Dynamics.CRM.lookuplogicalname`), as OData 4.01 §8.2.8.4 defines them.
 */
export class AnnotationFilter {
  static readonly none = new AnnotationFilter('');

  private readonly include: string[] = [];
  private readonly exclude: string[] = [];
  /** The preference value as the client sent it (for `Preference-Applied`). */
  readonly raw: string;

  constructor(value: string) {
    this.raw = value;
    for (const part of value.split(',')) {
      const item = part.trim();
      if (!item) continue;
      if (item.startsWith('-')) this.exclude.push(item.slice(1));
      else this.include.push(item);
    }
  }

  /** Whether any annotation at all may be included. */
  get any(): boolean {
    return this.include.length > 0;
  }

  includes(name: string): boolean {
    const matches = (pattern: string) =>
      pattern === '*' || pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1)));
    return this.include.some(matches) && !this.exclude.some(matches);
  }
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (!format) {
    format = make();
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = dateFormats.get(key);
  if (!format) {
    format = make();
    dateFormats.set(key, format);
  }
  return format;
}

/** `$1,234.50` for 1234.5 in USD (en-US). Without a currency code: `1,234.50`. */
export function formatMoney(value: number, currency: string | undefined, settings: FormatSettings, precision = 2): string {
  const key = `money|${settings.locale}|${currency ?? ''}|${precision}`;
  const format = numberFormat(key, () => {
    try {
      if (currency) {
        return new Intl.NumberFormat(settings.locale, {
          style: 'currency',
          currency,
          minimumFractionDigits: precision,
          maximumFractionDigits: precision,
        });
      }
    } catch {
      // an unknown currency code: fall through to a plain number
    }
    return new Intl.NumberFormat(settings.locale, { minimumFractionDigits: precision, maximumFractionDigits: precision });
  });
  return format.format(value);
}

/** `1,234` (integers) or `1,234.50` (decimals with `precision` digits). */
export function formatNumber(value: number, settings: FormatSettings, precision: number): string {
  const key = `number|${settings.locale}|${precision}`;
  return numberFormat(
    key,
    () => new Intl.NumberFormat(settings.locale, { minimumFractionDigits: precision, maximumFractionDigits: precision }),
  ).format(value);
}

/** `3/1/2025 2:05 PM` (date and time, in the settings' time zone) or `3/1/2025` (date only). */
export function formatDate(value: string, dateOnly: boolean, settings: FormatSettings): string | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  if (dateOnly) {
    const format = dateFormat(`date|${settings.locale}`, () =>
      new Intl.DateTimeFormat(settings.locale, { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' }));
    return format.format(date);
  }
  const format = dateFormat(`datetime|${settings.locale}|${settings.timeZone}`, () =>
    new Intl.DateTimeFormat(settings.locale, {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: settings.timeZone,
    }));
  // Intl writes "3/1/2025, 2:05 PM"; Dataverse writes no comma. Also normalise the narrow no-break space some
  // ICU versions put before AM/PM to a plain space.
  return format.format(date).replace(', ', ' ').replace(/\u202f/g, ' ');
}

/**
 * The formatted value of a non-lookup column, or `undefined` when Dataverse gives none (strings, GUIDs, big
 * integers) or the value is null.
 * @param currency ISO code of the row's currency, for money columns
 */
export function formatColumnValue(
  column: ColumnDef,
  value: unknown,
  settings: FormatSettings,
  currency?: string,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (column.type) {
    case 'money':
      return typeof value === 'number' ? formatMoney(value, currency, settings, column.precision ?? 2) : undefined;
    case 'integer':
      return typeof value === 'number' ? formatNumber(value, settings, 0) : undefined;
    case 'decimal':
    case 'double':
      return typeof value === 'number' ? formatNumber(value, settings, column.precision ?? 2) : undefined;
    case 'picklist':
    case 'state':
    case 'status':
      return typeof value === 'number' ? column.options?.[value] ?? String(value) : undefined;
    case 'boolean':
      if (typeof value !== 'boolean') return undefined;
      return column.options?.[value ? 1 : 0] ?? (value ? 'Yes' : 'No');
    case 'datetime':
      return typeof value === 'string' ? formatDate(value, column.dateOnly === true, settings) : undefined;
    default:
      return undefined;
  }
}
