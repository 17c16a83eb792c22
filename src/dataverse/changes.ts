/**
 * Change tracking's reading side: a round from its first URL through every page to the delta link, with deleted
 * rows told apart from changed ones.
 *
 * Loaded on demand by `client.trackChanges()` / `changesSince()` / `watchChanges()` (its own chunk in a bundle):
 * most pages never track changes. The HTTP requests are the client's own (its pipeline: retries, authentication),
 * handed in as `readPage`.
 */
import { Annotation, type Row } from './annotations.js';
import type { Changes } from './client.js';
import { DataverseError } from './errors.js';

type Json = { readonly [key: string]: unknown };

/**
 * Reads one page of a change-tracking round (a GET through the client) and returns its JSON body. `track` asks for
 * tracking again (`Prefer: odata.track-changes`): every page of the initial sync does, so the last one carries
 * the delta link.
 */
export type ChangePageReader = (url: string, track: boolean) => Promise<Json>;

/** A deleted row in a delta: `$deletedEntity` context (Dataverse), or `@removed` / `@odata.removed` (OData 4.0/4.01). */
function isDeletedEntry(entry: Json): boolean {
  const context = entry[Annotation.context];
  if (typeof context === 'string' && /\/\$deletedEntity$/.test(context)) return true;
  return '@removed' in entry || '@odata.removed' in entry;
}

/**
 * Follows a change-tracking round from `firstUrl` (a tracked query when `start`, else a delta link) through its
 * `nextLink`s until the delta link. Throws a `server` DataverseError `ChangeTrackingUnavailable` when the server
 * answers without one (change tracking is off for the table).
 */
export async function collectChanges<T>(readPage: ChangePageReader, baseUrl: string, firstUrl: string, start: boolean): Promise<Changes<T>> {
  const changed: Row<T>[] = [];
  const deleted: string[] = [];
  let url = firstUrl;
  for (;;) {
    const body = await readPage(url, start);
    const value = Array.isArray(body.value) ? (body.value as Json[]) : [];
    for (const entry of value) {
      if (isDeletedEntry(entry)) {
        if (typeof entry.id === 'string') deleted.push(entry.id.toLowerCase());
      } else {
        changed.push(entry as Row<T>);
      }
    }
    const deltaLink = body[Annotation.deltaLink];
    const nextLink = body[Annotation.nextLink];
    if (typeof deltaLink === 'string' && deltaLink !== '') return { changed, deleted, deltaLink };
    if (typeof nextLink === 'string' && nextLink !== '') {
      url = new URL(nextLink, baseUrl).href;
      continue;
    }
    throw new DataverseError({
      kind: 'server',
      code: 'ChangeTrackingUnavailable',
      message: 'The server returned no delta link: is change tracking enabled for this table?',
      request: { method: 'GET', url: firstUrl },
    });
  }
}
