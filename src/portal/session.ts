/**
 * The signed-in customer, as every element sees it: who they are, which customer account they buy for, and the
 * defaults an order takes from them (company, currency, price list, language), plus their Power Pages web roles.
 *
 * Loaded once by `<scm-portal>` and shared through `portalContext`.
 */
import type { WebRole } from '../tables/roles.js';

export type { WebRole };

/** An account's own primary address (`address1_*` columns); each line `null` when empty. */
export interface AccountAddress {
  readonly name: string | null;
  readonly line1: string | null;
  readonly line2: string | null;
  readonly city: string | null;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  /** Country/region as the account stores it (SCM writes ISO 3166 alpha-3). */
  readonly country: string | null;
}

export interface Reference {
  readonly id: string;
  readonly name: string;
}

export interface PortalSession {
  readonly contact: Reference & { readonly email: string | null };
  /** The customer account the contact buys for (`parentcustomerid`). */
  readonly account: Reference & {
    readonly number: string | null;
    /**
     * The account's party in the global address book (`msdyn_partyid`): where its delivery addresses are. `null`
     * when it has none; absent when the session was not read with it (then the order form reads the account).
     */
    readonly partyId?: string | null;
    /** The account's own primary address (`address1_*`), read with the session; absent when not read. */
    readonly address?: AccountAddress;
  };
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
