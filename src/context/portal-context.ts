/**
 * The one context `<scm-portal>` provides to every element inside it: the connection (a ready client), the
 * signed-in session, and the formatting locale — or, when something is wrong, a problem a site owner can fix.
 */
import { createContext } from '@lit/context';
import type { DataverseClient } from '../dataverse/client.js';
import type { PortalSession } from '../portal/session.js';

export type PortalStatus = 'loading' | 'ready' | 'signed-out' | 'misconfigured' | 'error';

/** Why the portal cannot show data, worded for the person who can fix it. */
export interface PortalProblem {
  readonly code:
    | 'missing-base-url'
    | 'unknown-auth'
    | 'missing-msal-config'
    | 'missing-token-provider'
    | 'no-contact'
    | 'contact-not-found'
    | 'no-permission'
    | 'signed-out'
    | 'unreachable'
    | 'unexpected';
  /** What went wrong, in one sentence. */
  readonly message: string;
  /** What to do about it (for site owners, shown under the message). */
  readonly fix?: string;
}

export interface PortalState {
  readonly status: PortalStatus;
  /** Set when `status` is `ready`. */
  readonly client?: DataverseClient;
  /** Set when `status` is `ready`. */
  readonly session?: PortalSession;
  /** Set when `status` is `signed-out`, `misconfigured` or `error`. */
  readonly problem?: PortalProblem;
  /** BCP 47 locale for dates, numbers and money (`en-US`, `de-DE`). */
  readonly locale: string;
  /** Ask the provider to load the session again (after a sign-in, or a retry). */
  readonly reload?: () => void;
}

export const portalContext = createContext<PortalState>(Symbol('scm-portal'));
