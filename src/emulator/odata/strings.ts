/**
 * String comparison as Dataverse's SQL Server database does it.
 *
 * Dataverse databases use a case- and accent-insensitive collation (`Latin1_General_CI_AI` for English
 * organisations), and Dataverse documents that "all filters using string values are case insensitive"
 * (powerapps-docs, webapi/query/filter-rows.md). `=` ignores trailing spaces (SQL Server pads the shorter
 * string). `contains`, `startswith` and `endswith` become SQL `LIKE` conditions, so `%`, `_` and `[...]` in
 * their argument are wildcards ("Use wildcard characters", same page).
 *
 * @module
 */

const ASCII = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}+/gu;

/** Case- and accent-folded form of a string, for equality and pattern matching. */
export function fold(value: string): string {
  if (ASCII.test(value)) return value.toLowerCase();
  return value.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/** The folded form used by `eq`/`ne`: also without trailing spaces, as SQL Server's `=` ignores them. */
export function foldForEquality(value: string): string {
  return fold(value).replace(/ +$/, '');
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: false });

/** Orders strings as a case- and accent-insensitive collation does (trailing spaces ignored). */
export function compareStrings(a: string, b: string): number {
  return compareTrimmedStrings(a.replace(/ +$/, ''), b.replace(/ +$/, ''));
}

/** {@link compareStrings} of two strings whose trailing spaces are already removed. */
export function compareTrimmedStrings(x: string, y: string): number {
  const c = collator.compare(x, y);
  if (c !== 0) return c;
  // The collation deems them equal; order their folded forms so the result is a total order anyway.
  const fx = fold(x);
  const fy = fold(y);
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

/** How a `LIKE` pattern built from a function argument is anchored. */
export type LikeMode = 'contains' | 'startswith' | 'endswith';

/**
 * A matcher for a SQL `LIKE` pattern over folded strings: `%` any run, `_` any one character, `[abc]`,
 * `[a-f]` and `[^abc]` a character set; a `[` without a closing `]` is an ordinary character.
 * Without wildcards it is a plain substring test.
 *
 * @param argument the function's second argument (unfolded)
 */
export function likeMatcher(argument: string, mode: LikeMode): (folded: string) => boolean {
  const pattern = fold(argument);
  if (!/[%_[]/.test(pattern)) {
    if (mode === 'contains') return (s) => s.includes(pattern);
    if (mode === 'startswith') return (s) => s.startsWith(pattern);
    return (s) => s.endsWith(pattern);
  }
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      // Keep `a-z` ranges; escape everything else that is special inside a character class.
      const escaped = body.replace(/[\\\]^[]/g, (ch) => '\\' + ch);
      source += (negate ? '[^' : '[') + escaped + ']';
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, (ch) => '\\' + ch);
  }
  const anchored = mode === 'contains' ? source : mode === 'startswith' ? '^' + source : source + '$';
  let regexp: RegExp;
  try {
    regexp = new RegExp(anchored, 'u');
  } catch {
    // An odd character range such as `[z-a]`: SQL Server matches nothing with it.
    return () => false;
  }
  return (s) => regexp.test(s);
}
