/**
 * Who is calling: Power Pages sessions (cookie + anti-forgery token) and Dataverse bearer tokens.
 *
 * - Power Pages: `POST /emulator/signin {"user":"<email>"}` opens a session and sets the cookie
 *   `.AspNet.ApplicationCookie`. `GET /_layout/tokenhtml` returns the session's anti-forgery token, which every
 *   `/_api` call must send in the `__RequestVerificationToken` header. `POST /emulator/rotate-token` issues a new
 *   token (the old one stops working), so tests can prove that a client refreshes it.
 * - Dataverse: `POST /emulator/token {"user":"<email>","expires_in"?:seconds}` issues an opaque access token for
 *   `Authorization: Bearer …`; tokens expire on the emulator's clock.
 */
import type { SeedUser } from './types.js';

/** The session cookie Power Pages (ASP.NET) uses. */
export const SESSION_COOKIE = '.AspNet.ApplicationCookie';
/** The anti-forgery header Power Pages checks on `/_api` calls. */
export const ANTI_FORGERY_HEADER = '__RequestVerificationToken';
/** Default lifetime of a bearer token, in seconds (Entra ID access tokens live about an hour). */
export const DEFAULT_TOKEN_LIFETIME = 3600;

interface Session {
  readonly id: string;
  readonly email: string;
  antiForgeryToken: string;
}

interface AccessToken {
  readonly email: string;
  readonly expiresAt: number;
}

/** Why a bearer token was refused. */
export type BearerProblem = 'missing' | 'invalid' | 'expired';

/** Random URL-safe text from the platform's CSPRNG (Node 20 and browsers both have `crypto.getRandomValues`). */
export function randomToken(bytes = 24): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  let text = '';
  for (const byte of buffer) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Sessions and tokens, kept in memory (they do not survive a restart, as a real sign-in would not either). */
export class Authenticator {
  private readonly sessions = new Map<string, Session>();
  private readonly tokens = new Map<string, AccessToken>();
  private readonly usersByEmail = new Map<string, SeedUser>();

  constructor(users: readonly SeedUser[], private readonly now: () => Date) {
    for (const user of users) this.usersByEmail.set(user.email.toLowerCase(), user);
  }

  /** The seeded users. */
  get users(): readonly SeedUser[] {
    return [...this.usersByEmail.values()];
  }

  findUser(email: string): SeedUser | undefined {
    return this.usersByEmail.get(email.toLowerCase());
  }

  // --- Power Pages --------------------------------------------------------------------------------------------

  /** Opens a session for a user; returns the cookie value. */
  signIn(user: SeedUser): string {
    const id = randomToken();
    this.sessions.set(id, { id, email: user.email, antiForgeryToken: randomToken() });
    return id;
  }

  signOut(sessionId: string): boolean {
    return this.sessions.delete(sessionId);
  }

  /** The user of a session cookie, or `undefined` when the cookie is unknown. */
  sessionUser(sessionId: string | undefined): SeedUser | undefined {
    if (!sessionId) return undefined;
    const session = this.sessions.get(sessionId);
    return session ? this.findUser(session.email) : undefined;
  }

  /** The current anti-forgery token of a session. */
  antiForgeryToken(sessionId: string): string | undefined {
    return this.sessions.get(sessionId)?.antiForgeryToken;
  }

  /** Whether `token` is the session's current anti-forgery token (constant-time compare). */
  checkAntiForgeryToken(sessionId: string, token: string | null): boolean {
    const expected = this.sessions.get(sessionId)?.antiForgeryToken;
    if (!expected || !token || token.length !== expected.length) return false;
    let diff = 0;
    for (let i = 0; i < token.length; i++) diff |= token.charCodeAt(i) ^ expected.charCodeAt(i);
    return diff === 0;
  }

  /**
   * Issues new anti-forgery tokens: for one session, for every session of a user, or for all sessions.
   * @returns how many sessions got a new token.
   */
  rotateAntiForgeryTokens(filter: { sessionId?: string; email?: string } = {}): number {
    let rotated = 0;
    for (const session of this.sessions.values()) {
      if (filter.sessionId && session.id !== filter.sessionId) continue;
      if (filter.email && session.email.toLowerCase() !== filter.email.toLowerCase()) continue;
      session.antiForgeryToken = randomToken();
      rotated++;
    }
    return rotated;
  }

  // --- Dataverse ----------------------------------------------------------------------------------------------

  /** Issues a bearer token valid for `lifetimeSeconds` on the emulator's clock. */
  issueToken(user: SeedUser, lifetimeSeconds = DEFAULT_TOKEN_LIFETIME): string {
    const token = randomToken(32);
    this.tokens.set(token, { email: user.email, expiresAt: this.now().getTime() + lifetimeSeconds * 1000 });
    return token;
  }

  revokeToken(token: string): boolean {
    return this.tokens.delete(token);
  }

  /** Resolves an `Authorization` header to a user, or says why it cannot. */
  bearerUser(authorization: string | null): { user: SeedUser } | { problem: BearerProblem } {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { problem: authorization ? 'invalid' : 'missing' };
    const token = this.tokens.get(match[1]);
    if (!token) return { problem: 'invalid' };
    if (token.expiresAt <= this.now().getTime()) return { problem: 'expired' };
    const user = this.findUser(token.email);
    return user ? { user } : { problem: 'invalid' };
  }
}
