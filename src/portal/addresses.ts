/**
 * Where an order can be delivered: the customer account's delivery addresses, as the order form offers them.
 *
 * ## Requests (2, one after the other)
 * 1. and 2. The party's locations with the Delivery purpose and their addresses valid today
 *    ({@link listDeliveryAddresses}: `msdyn_partypostaladdresses` → `msdyn_postaladdresses`).
 *
 * The account's party and its inline primary delivery address come with the session (`<scm-portal>` reads them
 * in its one request, expanded from the contact). A session made without them (a host's own) costs one request
 * more, first:
 * ```
 * GET accounts(<id>)?$select=name,_msdyn_partyid_value,address1_name,address1_line1,address1_line2,address1_city,
 *     address1_stateorprovince,address1_postalcode,address1_country
 * ```
 *
 * When the address book has no delivery address (a site without dual-write's Party and global address book
 * solution), the account's own primary delivery address (`address1_*`) is offered instead.
 *
 * The ship-to country/region of an order follows its address; for a one-time address (typed by the customer), it
 * is the account's country, as the Customer portal template fills it for non-administrators.
 *
 * @module
 */
import type { TableColumns } from './columns.js';
import type { DataverseClient } from '../dataverse/client.js';
import { lookupOf } from '../dataverse/annotations.js';
import { account as accountTable } from '../tables/account.js';
import { addressLines, listDeliveryAddresses, type PostalAddress } from './accounts.js';
import type { AccountAddress, PortalSession } from './session.js';
import { ACCOUNT_ADDRESS_COLUMNS, accountAddressOf, cleanText as clean, type AccountAddressColumns } from './account-address.js';

export { addressLines, type PostalAddress };

/** A delivery address the customer can choose for an order. */
export interface OrderAddress extends PostalAddress {
  /**
   * Stable id: the location id (`msdyn_postaladdresscollectionid`) for address-book addresses, `account` for the
   * account's inline primary delivery address.
   */
  readonly id: string;
  /** The name the customer knows the address by ("Main warehouse"): the order's delivery address description. */
  readonly description: string;
  /** True for the customer's primary delivery address. */
  readonly primary: boolean;
  /** Where the address comes from. */
  readonly source: 'address-book' | 'account';
}

/** The delivery addresses of the session's account. */
export interface DeliveryAddressBook {
  /** Primary first, then by description. */
  readonly addresses: readonly OrderAddress[];
  /** The account's name (the order's delivery address name). */
  readonly customerName: string;
  /** The account's country/region (ISO 3166 alpha-3, as SCM writes it), for one-time addresses; `null` when unknown. */
  readonly country: string | null;
}

/** Id of the account's inline primary delivery address in {@link DeliveryAddressBook.addresses}. */
export const ACCOUNT_ADDRESS_ID = 'account';

interface AccountAddressRow extends AccountAddressColumns {
  readonly accountid: string;
  readonly name: string | null;
  readonly _msdyn_partyid_value: string | null;
}

const ACCOUNT_SELECT = ['name', '_msdyn_partyid_value', ...ACCOUNT_ADDRESS_COLUMNS] as const satisfies readonly (keyof AccountAddressRow)[];

/**
 * Every column read here besides the address book's (`DELIVERY_ADDRESS_COLUMNS` of `accounts.ts`), by table:
 * what the Power Pages `Webapi/<table>/fields` site settings must list.
 */
export const ORDER_ADDRESS_COLUMNS = { account: ACCOUNT_SELECT } as const satisfies TableColumns;

/** The account's inline primary delivery address as an order address, or `null` when it has no street. */
function inlineOrderAddress(address: AccountAddress): OrderAddress | null {
  const street = [address.line1, address.line2].filter((line): line is string => line !== null);
  if (street.length === 0) return null;
  return {
    id: ACCOUNT_ADDRESS_ID,
    source: 'account',
    description: address.name ?? street[0]!,
    name: address.name,
    primary: true,
    street,
    city: address.city,
    stateOrProvince: address.stateOrProvince,
    postalCode: address.postalCode,
    country: address.country,
  };
}

/** What the address book starts from: the account's name, party and inline address (from the session, else read). */
async function accountForAddresses(
  client: DataverseClient,
  session: PortalSession,
  signal: AbortSignal | undefined,
): Promise<{ name: string | null; partyId: string | null; address: AccountAddress }> {
  const { partyId, address } = session.account;
  if (partyId !== undefined && address !== undefined) return { name: session.account.name, partyId, address };
  const row = await client.getRow<AccountAddressRow>(accountTable.entitySet, session.account.id, { select: ACCOUNT_SELECT }, { signal });
  return { name: clean(row.name), partyId: lookupOf(row, 'msdyn_partyid')?.id ?? null, address: accountAddressOf(row) };
}

/**
 * The delivery addresses of the session's account (see the module comment for the requests).
 *
 * @throws DataverseError from the client; an abort of `signal` passes through unchanged.
 */
export async function loadDeliveryAddresses(
  client: DataverseClient,
  session: PortalSession,
  signal?: AbortSignal,
  now: Date = new Date(),
): Promise<DeliveryAddressBook> {
  const account = await accountForAddresses(client, session, signal);
  const fromBook = await listDeliveryAddresses(client, { partyId: account.partyId }, signal, now);
  const inline = inlineOrderAddress(account.address);
  // With no primary delivery location in the address book, the one the account keeps inline (`address1_*`, the
  // customer's primary delivery address) is the primary one.
  const matchesInline = (address: PostalAddress) =>
    inline !== null &&
    (address.street[0] ?? '').toLowerCase() === (inline.street[0] ?? '').toLowerCase() &&
    (address.postalCode ?? '') === (inline.postalCode ?? '');
  const anyPrimary = fromBook.some((address) => address.primary);
  const addresses: OrderAddress[] = fromBook
    .map((address) => ({
      ...address,
      source: 'address-book' as const,
      primary: address.primary || (!anyPrimary && matchesInline(address)),
      description: address.name ?? address.street[0] ?? address.location ?? '',
    }))
    .sort((a, b) => Number(b.primary) - Number(a.primary));
  if (addresses.length === 0 && inline) addresses.push(inline);
  return {
    addresses,
    customerName: account.name || session.account.name,
    country: account.address.country ?? addresses.find((a) => a.primary)?.country ?? addresses[0]?.country ?? null,
  };
}

/** The address on one line, for a choice list: "Main warehouse — 2200 Dorchester Avenue, Boston, MA 02124". */
export function addressSummary(address: OrderAddress | PostalAddress, description?: string): string {
  const lines = addressLines(address).filter((line) => line !== address.country);
  const label = description ?? ('description' in address ? address.description : address.name) ?? '';
  const rest = lines.join(', ');
  return label && rest ? `${label} — ${rest}` : label || rest;
}
