/**
 * The customer account's own primary address (`address1_*` columns), read by the session (expanded from the
 * contact) and by the delivery address book when a session comes without it. One column list and one mapping, so
 * both read the same thing.
 *
 * @module
 */
import type { account as accountTable } from '../tables/account.js';
import type { AccountAddress } from './session.js';

/** Trimmed text, or `null` for a missing or blank value. */
export function cleanText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The account's inline primary delivery address columns (`address1_*`), as the session and the address book read them. */
export const ACCOUNT_ADDRESS_COLUMNS = [
  'address1_name',
  'address1_line1',
  'address1_line2',
  'address1_city',
  'address1_stateorprovince',
  'address1_postalcode',
  'address1_country',
] as const satisfies readonly (keyof (typeof accountTable)['columns'])[];

/** An account row with (at least) its inline primary address columns. */
export type AccountAddressColumns = { readonly [C in (typeof ACCOUNT_ADDRESS_COLUMNS)[number]]?: string | null };

/** The account's inline primary address as the session carries it (each line `null` when empty). */
export function accountAddressOf(row: AccountAddressColumns): AccountAddress {
  return {
    name: cleanText(row.address1_name),
    line1: cleanText(row.address1_line1),
    line2: cleanText(row.address1_line2),
    city: cleanText(row.address1_city),
    stateOrProvince: cleanText(row.address1_stateorprovince),
    postalCode: cleanText(row.address1_postalcode),
    country: cleanText(row.address1_country),
  };
}

