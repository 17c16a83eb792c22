/**
 * The order form's delivery addresses in two requests: the session (`loadSession`, one request) carries the
 * account's party and its own primary address, so `loadDeliveryAddresses` goes straight to the address book.
 * Against the in-memory emulator (Power Pages transport, the generated site settings), with every request counted.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createDataverseClient, type DataverseClient } from '../../src/dataverse/client.js';
import { Emulator } from '../../src/emulator/emulator.js';
import { createEmulatorFetch } from '../../src/emulator/fetch.js';
import { lookupIndexes } from '../../src/emulator/indexes.js';
import { generateSeed } from '../../src/emulator/seed/index.js';
import { MemoryStore } from '../../src/emulator/store/memory.js';
import type { SeedUser } from '../../src/emulator/types.js';
import { loadDeliveryAddresses } from '../../src/portal/addresses.js';
import { loadSession, powerPagesRoleNames } from '../../src/portal/session-service.js';
import type { PortalSession } from '../../src/portal/session.js';
import { tables } from '../../src/tables/index.js';
import { webApiSiteSettings } from '../../scripts/lib/power-pages-settings.js';

const ORIGIN = 'https://contoso.example';

interface Signed {
  readonly client: DataverseClient;
  readonly session: PortalSession;
  /** Web API requests (`/_api/…`) since the last `reset()`, as `METHOD path?query`. */
  readonly requests: string[];
}

async function signIn(emulator: Emulator, user: SeedUser): Promise<Signed> {
  const emulatorFetch = createEmulatorFetch(emulator, ORIGIN);
  const signin = await emulatorFetch('/emulator/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: user.email }),
  });
  assert.equal(signin.status, 200, await signin.clone().text());
  const requests: string[] = [];
  const counting = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input instanceof Request ? input : new URL(String(input), ORIGIN), init);
    const url = new URL(request.url);
    if (url.pathname.startsWith('/_api/')) requests.push(`${request.method} ${decodeURIComponent(url.pathname + url.search)}`);
    return emulatorFetch(request);
  }) as typeof fetch;
  const client = createDataverseClient({ transport: 'power-pages', siteUrl: ORIGIN, fetch: counting, shell: () => undefined });
  const session = await loadSession(client, {
    contactId: user.contactId,
    accountId: user.accountId,
    roles: user.webRoles.map((role) => powerPagesRoleNames[role]).join(','),
  });
  return { client, session, requests };
}

describe('delivery addresses of the order form', () => {
  let emulator: Emulator;
  let seed: ReturnType<typeof generateSeed>;

  before(() => {
    seed = generateSeed({ orders: 50, largeAccountOrders: 0 });
    const store = new MemoryStore({ indexes: lookupIndexes(tables) });
    store.load(seed.tables);
    emulator = new Emulator({ store, tables, users: seed.users, siteSettings: webApiSiteSettings() });
  });

  const accountRow = (accountId: string) =>
    seed.tables.account!.find((row) => String(row.accountid).toLowerCase() === accountId.toLowerCase())!;

  it('the session carries the account party and its own primary address (still one request)', async () => {
    const user = seed.users.find((u) => u.webRoles.includes('authorized-user'))!;
    const { session, requests } = await signIn(emulator, user);
    assert.equal(requests.length, 1, requests.join('\n'));
    assert.match(requests[0]!, /^GET \/_api\/contacts\(/);
    const account = accountRow(user.accountId);
    const party = account.msdyn_partyid as { id?: string } | string | null | undefined;
    const partyId = typeof party === 'string' ? party : (party?.id ?? null);
    assert.equal(session.account.partyId, partyId?.toLowerCase() ?? null);
    assert.deepEqual(session.account.address, {
      name: account.address1_name ?? null,
      line1: account.address1_line1 ?? null,
      line2: account.address1_line2 ?? null,
      city: account.address1_city ?? null,
      stateOrProvince: account.address1_stateorprovince ?? null,
      postalCode: account.address1_postalcode ?? null,
      country: account.address1_country ?? null,
    });
  });

  it('lists them in two requests with the session, the same as in three without it', async () => {
    let checked = 0;
    for (const user of seed.users.filter((u) => u.webRoles.some((r) => r === 'authorized-user' || r === 'customer-representative'))) {
      const signed = await signIn(emulator, user);
      signed.requests.length = 0;
      const book = await loadDeliveryAddresses(signed.client, signed.session);
      const withSession = [...signed.requests];
      assert.ok(withSession.every((r) => !r.startsWith('GET /_api/accounts(')), `the account is not read again:\n${withSession.join('\n')}`);
      assert.ok(withSession.length <= 2, `at most two requests:\n${withSession.join('\n')}`);

      // A session made without them (a host's own): the account is read first, and the book is the same.
      const { partyId: _partyId, address: _address, ...account } = signed.session.account;
      signed.requests.length = 0;
      const again = await loadDeliveryAddresses(signed.client, { ...signed.session, account });
      assert.match(signed.requests[0]!, /^GET \/_api\/accounts\(/);
      assert.equal(signed.requests.length, withSession.length + 1);
      assert.deepEqual(again, book);
      if (book.addresses.some((a) => a.source === 'address-book')) checked++;
    }
    assert.ok(checked > 0, 'some customers have address-book delivery addresses');
  });
});
