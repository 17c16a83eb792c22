// Types of the demo site (site.mjs), for the end-to-end test written in TypeScript.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenedEmulator } from '../../src/emulator/node.js';

/** The Content-Security-Policy header of the /csp/ page. */
export declare const STRICT_CSP: string;
/** Web role → the name shown to people. */
export declare const ROLE_LABELS: Readonly<Record<string, string>>;
/** A local path to return to after signing in or out, else `fallback`. */
export declare function safeReturnUrl(value: unknown, fallback?: string): string;

export interface DemoSite {
  /** The request listener for every path outside the emulator's (use it as `startEmulatorServer`'s `fallback`). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Creates the demo site around an open emulator; `root` is the project folder. */
export declare function createDemoSite(options: { readonly opened: OpenedEmulator; readonly root: string }): DemoSite;
