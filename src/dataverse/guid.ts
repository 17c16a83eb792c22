/**
 * GUIDs as Dataverse writes them: 36 characters, lower-case hex, hyphenated (`3fa85f64-5717-4562-b3fc-2c963f66afa6`).
 */
import { clientError } from './errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BRACED_GUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;

/** True when `value` is a hyphenated GUID (braces, as the SDK writes them, are accepted too). */
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && (GUID.test(value) || BRACED_GUID.test(value));
}

/**
 * Returns the GUID in canonical form (lower case, no braces), or throws a `validation` DataverseError.
 * Use this on any id that came from outside (URL parameters, user input) before it reaches a URL.
 */
export function normalizeGuid(value: unknown, what = 'id'): string {
  if (!isGuid(value)) {
    throw clientError('InvalidGuid', `${what} must be a GUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6, got ${describe(value)}`);
  }
  return (value.startsWith('{') ? value.slice(1, -1) : value).toLowerCase();
}

/** The id in an `OData-EntityId` / `entityid` header (`…/accounts(<guid>)` or a bare GUID), lower case. */
export function idFromEntityId(value: string | null): string | null {
  if (!value) return null;
  const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)?\s*$/i.exec(value.trim());
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * A new random (version 4) GUID. Uses `crypto.randomUUID` where the page is a secure context, and builds
 * one from `crypto.getRandomValues` elsewhere (plain-http intranet pages have no `randomUUID`).
 */
export function newGuid(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A short, safe description of a bad value for error messages (never the whole of a long string). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null) return 'null';
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  return typeof value === 'object' ? Object.prototype.toString.call(value) : String(value);
}
