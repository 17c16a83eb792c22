/**
 * Shared helpers of the `ops-*` Node tests: calling an emulator in-process the way a client would (bearer token
 * or Power Pages session), and building a Customer-portal order from a seeded contact.
 */
import type { OpenedEmulator } from '../../src/emulator/node.js';
import type { SeedUser, StoredRow } from '../../src/emulator/types.js';
import { isLookupValue } from '../../src/emulator/types.js';

export const ORIGIN = 'http://emulator.test';
export const API = `${ORIGIN}/api/data/v9.2`;

/** A small seed: quick to generate, same shape as the default one. */
export const SMALL_SEED = { orders: 120, largeAccountOrders: 150 } as const;

export interface CallOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly token?: string;
}

/** Sends a request to an opened emulator's handler. `path` is relative to the origin. */
export async function call(opened: { handle: (r: Request) => Promise<Response> }, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  return opened.handle(new Request(new URL(path, ORIGIN), { method: options.method ?? (body ? 'POST' : 'GET'), headers, body }));
}

/** A Dataverse bearer token for a seeded user. */
export async function tokenFor(opened: OpenedEmulator, user: SeedUser): Promise<string> {
  const response = await call(opened, '/emulator/token', { body: { user: user.email } });
  if (!response.ok) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A Power Pages session: its cookie header and anti-forgery token. */
export async function sessionFor(opened: OpenedEmulator, user: SeedUser): Promise<{ cookie: string; token: string }> {
  const response = await call(opened, '/emulator/signin', { body: { user: user.email } });
  const cookie = response.headers.get('set-cookie')!.split(';')[0];
  const html = await (await call(opened, '/_layout/tokenhtml', { headers: { cookie } })).text();
  const token = /value="([^"]+)"/.exec(html)![1];
  return { cookie, token };
}

/** The first seeded user with a role (optionally of an account). */
export function userWith(opened: OpenedEmulator, role: SeedUser['webRoles'][number], accountNumber?: string): SeedUser {
  const user = opened.users.find((u) => u.webRoles.includes(role) && (!accountNumber || u.accountNumber === accountNumber));
  if (!user) throw new Error(`No seeded ${role}`);
  return user;
}

const idOf = (value: unknown): string => (isLookupValue(value) ? value.id : String(value));

/** Price list items of a contact's price list (products it may order), first `count`. */
export function orderableItems(opened: OpenedEmulator, user: SeedUser, count: number): StoredRow[] {
  const contact = opened.store.get('contact', user.contactId)!;
  const priceList = idOf(contact.defaultpricelevelid);
  const items = opened.store.findBy('productpricelevel', 'pricelevelid', priceList).filter((item) => {
    const product = opened.store.get('product', idOf(item.productid));
    return product && product.statecode === 0;
  });
  return items.slice(0, count);
}

/**
 * The body the Customer portal posts for a new order (domain.md §1: defaults from the contact, lines by deep
 * insert), for `user`, with one line per price list item.
 */
export function orderBody(opened: OpenedEmulator, user: SeedUser, items: readonly StoredRow[], options: { id?: string; quantity?: number } = {}) {
  const contact = opened.store.get('contact', user.contactId)!;
  const account = opened.store.get('account', user.accountId)!;
  return {
    ...(options.id ? { salesorderid: options.id } : {}),
    name: 'sales order',
    msdyn_ordertype: 192350000,
    'customerid_account@odata.bind': `/accounts(${user.accountId})`,
    'msdyn_contactperson@odata.bind': `/contacts(${user.contactId})`,
    'msdyn_Company@odata.bind': `/cdm_companies(${idOf(contact.msdyn_company)})`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${idOf(contact.transactioncurrencyid)})`,
    'pricelevelid@odata.bind': `/pricelevels(${idOf(contact.defaultpricelevelid)})`,
    msdyn_requestedreceiptdate: '2026-12-15',
    shipto_country: 'USA',
    shipto_city: account.address1_city ?? null,
    msdyn_deliveryaddressdescription: 'Main warehouse',
    msdyn_language: 192350015,
    order_details: items.map((item, i) => ({
      'productid@odata.bind': `/products(${idOf(item.productid)})`,
      'uomid@odata.bind': `/uoms(${idOf(item.uomid)})`,
      quantity: (options.quantity ?? 2) + i,
      sequencenumber: i + 1,
      shipto_country: 'USA',
      msdyn_deliveryaddressdescription: 'Main warehouse',
    })),
  };
}
