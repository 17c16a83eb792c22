/**
 * The signed-in customer, as every element sees it: who they are, which customer account they buy for, and the
 * defaults an order takes from them (company, currency, price list, language), plus their Power Pages web roles.
 *
 * Loaded once by `<scm-portal>` and shared through `portalContext`.
 */
import type { WebRole } from '../tables/roles.js';

export type { WebRole };

export interface Reference {
  readonly id: string;
  readonly name: string;
}

export interface PortalSession {
  readonly contact: Reference & { readonly email: string | null };
  /** The customer account the contact buys for (`parentcustomerid`). */
  readonly account: Reference & { readonly number: string | null };
  /** The legal entity in SCM (`cdm_companies`); orders are created in it. */
  readonly company: (Reference & { readonly code: string | null }) | null;
  readonly currency: { readonly id: string; readonly code: string; readonly symbol: string | null } | null;
  readonly priceList: Reference | null;
  /** Dataverse language code (LCID) of the contact, when set. */
  readonly language: number | null;
  /** Power Pages web roles (`user.roles` in Liquid); in bearer mode, what the host says. */
  readonly roles: readonly WebRole[];
}

/** True when the session may see every order of its account (customer representatives and administrators). */
export function seesWholeAccount(session: PortalSession): boolean {
  return session.roles.includes('customer-representative') || session.roles.includes('administrator');
}
