/**
 * Other people's orders: for every web role, every read and write the elements can make, aimed at rows of other
 * contacts and other accounts, sent straight to the Web API (`/_api` with a Power Pages session, and
 * `/api/data/v9.2` with a bearer token of the same user): list, get by id, `$expand`, `$apply`, lambdas, change
 * tracking, create for another account (POST and the safe-create PATCH the order form uses), update and delete
 * of others' orders and lines. Every one is refused or answers no foreign row; every write is checked afterwards
 * as the administrator (nothing created, changed or deleted). The elements, given another customer's order,
 * show their "not found" state and none of its data.
 *
 * Positive controls make the probes mean something: the same user reads their own rows through the same calls.
 *
 * Full scale: every seeded customer contact, both sign-in modes; short: one user per role, both modes.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/order-detail/order-detail.js';
import '../../src/elements/order-list/order-list.js';
import { byScale, printFigures, runSettings, type RunSettings } from './support/settings.js';
import { renderPortal, targetFor, type EmulatorUser, type Lane, type Target } from './support/target.js';
import { shadowOf, textOf } from './support/form-driver.js';

type Json = Record<string, unknown>;
type Rows = { value?: Json[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

/** The Web API as one user sees it (Power Pages session + anti-forgery token, or bearer token). */
class UserApi {
  private token?: string;
  constructor(private readonly lane: Lane) {}

  get base(): string {
    return this.lane.auth === 'power-pages' ? '/_api/' : '/api/data/v9.2/';
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
    const auth: Record<string, string> = {};
    if (this.lane.auth === 'power-pages') {
      this.token ??= /value="([^"]+)"/.exec(await (await this.lane.fetch('/_layout/tokenhtml', { cache: 'no-store' })).text())?.[1] ?? '';
      auth.__RequestVerificationToken = this.token;
    } else {
      auth.Authorization = `Bearer ${await this.lane.tokenProvider!({ forceRefresh: false })}`;
    }
    const response = await this.lane.fetch(path.startsWith('/') ? path : `${this.base}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        'OData-Version': '4.0',
        'OData-MaxVersion': '4.0',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...auth,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const text = await response.text();
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      json = { text };
    }
    return { status: response.status, json };
  }

  /** Every row of a collection (following next links), or the refusal status. */
  async all(path: string, headers: Record<string, string> = {}): Promise<{ status: number; rows: Json[]; deltaLink?: string }> {
    const rows: Json[] = [];
    let next: string | undefined = path;
    let deltaLink: string | undefined;
    let status = 200;
    for (let pages = 0; next && pages < 20; pages++) {
      const answer = await this.send('GET', next, undefined, { Prefer: 'odata.maxpagesize=5000', ...headers });
      status = answer.status;
      if (status !== 200) return { status, rows };
      const body = answer.json as Rows;
      rows.push(...(body.value ?? []));
      deltaLink = body['@odata.deltaLink'] ?? deltaLink;
      next = body['@odata.nextLink'] ? new URL(body['@odata.nextLink'], location.href).pathname + new URL(body['@odata.nextLink'], location.href).search : undefined;
    }
    return { status, rows, deltaLink };
  }
}

/** Who sees what, by the Customer portal's rules (domain.md §1). */
function seesWholeAccount(user: EmulatorUser): boolean {
  return user.webRoles.includes('customer-representative') || user.webRoles.includes('administrator');
}
function isCustomer(user: EmulatorUser): boolean {
  return user.webRoles.some((r) => r === 'authorized-user' || r === 'customer-representative');
}
const lower = (value: unknown) => String(value ?? '').toLowerCase();

describe('Reliability: other people\'s orders, for every web role', function () {
  this.timeout(60 * 60 * 1000);

  let settings: RunSettings;
  let target: Target;
  const figures = { users: 0, sessions: 0, probes: 0, refused: 0, ownRowsRead: 0, rowsLeaked: 0, writesThrough: 0, sideChannels: 0, elementsNotFound: 0 };
  const statuses = new Map<number, number>();
  const leaks: string[] = [];

  before(async () => {
    settings = await runSettings();
    target = targetFor(settings);
  });

  after(() => {
    printFigures(`permissions: reads and writes at other people's rows (${target.kind} emulator)`, {
      'users (contacts)': figures.users,
      'sessions (Power Pages + bearer)': figures.sessions,
      'probes sent': figures.probes,
      'probes refused or answered empty': figures.refused,
      'probes answered with the user\'s own rows only': figures.probes - figures.refused - leaks.length,
      'refusal statuses': Object.fromEntries(statuses),
      'own rows read (controls)': figures.ownRowsRead,
      'foreign rows leaked': figures.rowsLeaked,
      'writes that went through': figures.writesThrough,
      'filters that revealed foreign rows': figures.sideChannels,
      'elements showing "not found" for a foreign order': figures.elementsNotFound,
      leaks,
    });
  });

  it('every read and write at other contacts\' and accounts\' rows is refused; zero rows leaked', async () => {
    const all = await target.users();
    const customers = all.filter((u) => !u.webRoles.includes('administrator'));
    const chosen = byScale(settings, {
      full: customers,
      short: (['customer-representative', 'authorized-user', 'unauthorized-user'] as const).map((role) => customers.find((u) => u.webRoles.includes(role))!),
    });
    const admin = target.admin;
    // The truth, as the administrator reads it.
    const accounts = await admin.getAll<Json>('accounts?$select=accountid,accountnumber,_msdyn_partyid_value');
    const contacts = await admin.getAll<Json>('contacts?$select=contactid,_parentcustomerid_value');
    const anOrderOf = async (filter: string) =>
      (await admin.get<Rows>(`salesorders?$select=salesorderid,ordernumber,msdyn_customersorderreference,versionnumber&$filter=${encodeURIComponent(filter)}&$expand=order_details($select=salesorderdetailid)`)).value!.find(
        (o) => (o.order_details as Json[]).length > 0,
      );

    for (const user of chosen) {
      figures.users++;
      const whole = seesWholeAccount(user);
      const customer = isCustomer(user);
      const inScope = (order: Json) =>
        customer && lower(order._customerid_value) === user.accountId && (whole || lower(order._msdyn_contactperson_value) === user.contactId);
      const otherAccount = accounts.find((a) => lower(a.accountid) !== user.accountId && a.accountnumber !== 'US-000' && a.accountnumber !== 'US-010')!;
      const foreignOrder = (await anOrderOf(`_customerid_value eq ${String(otherAccount.accountid)}`))!;
      const colleague = contacts.find((c) => lower(c._parentcustomerid_value) === user.accountId && lower(c.contactid) !== user.contactId);
      const colleagueOrder = colleague ? await anOrderOf(`_msdyn_contactperson_value eq ${String(colleague.contactid)}`) : undefined;
      const foreignContact = contacts.find((c) => lower(c._parentcustomerid_value) === lower(otherAccount.accountid))!;
      const foreignInvoice = (await admin.get<Rows>(`invoices?$select=invoiceid&$filter=_customerid_value eq ${String(otherAccount.accountid)}`)).value![0];
      const foreignLine = (foreignOrder.order_details as Json[])[0]!;
      const ownOrder = customer ? await anOrderOf(whole ? `_customerid_value eq ${user.accountId}` : `_msdyn_contactperson_value eq ${user.contactId}`) : undefined;
      // Orders this user may not see: another account's, and (authorized users) a colleague's.
      const forbidden = [foreignOrder, ...(!whole && colleagueOrder ? [colleagueOrder] : [])];
      const sample = { id: String(foreignOrder.salesorderid) };

      for (const mode of ['power-pages', 'token'] as const) {
        figures.sessions++;
        const lane = mode === 'power-pages' ? await target.powerPagesLane(user) : target.tokenLane(user);
        const api = new UserApi(lane);
        const where = `${user.email} (${user.webRoles.join(', ')}, ${mode})`;
        const refusedOrEmpty = (what: string, answer: { status: number; json: Json }) => {
          figures.probes++;
          if (answer.status >= 400) {
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            figures.refused++;
            return;
          }
          const rows = Array.isArray(answer.json.value) ? answer.json.value : [answer.json];
          if (Array.isArray(answer.json.value) && rows.length === 0) {
            figures.refused++;
            return;
          }
          figures.rowsLeaked += rows.length;
          leaks.push(`${where}: ${what} answered ${answer.status} with ${JSON.stringify(rows).slice(0, 200)}`);
        };
        const collectionInScope = async (what: string, path: string, ok: (row: Json) => boolean, headers: Record<string, string> = {}) => {
          figures.probes++;
          const answer = await api.all(path, headers);
          if (answer.status >= 400) {
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            figures.refused++;
            return answer;
          }
          const bad = answer.rows.filter((row) => !ok(row));
          figures.ownRowsRead += answer.rows.length - bad.length;
          if (bad.length) {
            figures.rowsLeaked += bad.length;
            leaks.push(`${where}: ${what} gave ${bad.length} foreign rows, e.g. ${JSON.stringify(bad[0]).slice(0, 200)}`);
          } else figures.refused += answer.rows.length === 0 ? 1 : 0;
          return answer;
        };

        // --- Reads --------------------------------------------------------------------------------------------
        const list = await collectionInScope('salesorders (all)', 'salesorders?$select=salesorderid,_customerid_value,_msdyn_contactperson_value', inScope);
        const visible = new Set(list.rows.map((r) => lower(r.salesorderid)));
        if (customer && ownOrder) expect(visible.has(lower(ownOrder.salesorderid)), `${where}: own order readable (control)`).to.equal(true);
        refusedOrEmpty('salesorders filtered to another account', await api.send('GET', `salesorders?$select=salesorderid&$filter=_customerid_value eq ${String(otherAccount.accountid)}`));
        if (!whole && colleague) {
          refusedOrEmpty("salesorders filtered to a colleague's", await api.send('GET', `salesorders?$select=salesorderid&$filter=_msdyn_contactperson_value eq ${String(colleague.contactid)}`));
        }
        for (const order of forbidden) {
          const id = String(order.salesorderid);
          refusedOrEmpty('salesorders(id)', await api.send('GET', `salesorders(${id})?$select=salesorderid,totalamount`));
          refusedOrEmpty('salesorders(id) with $expand', await api.send('GET', `salesorders(${id})?$select=name&$expand=order_details($select=quantity),order_invoices($select=invoiceid)`));
          refusedOrEmpty('salesorders by number', await api.send('GET', `salesorders?$select=salesorderid&$filter=ordernumber eq '${String(order.ordernumber).replace(/'/g, "''")}'`));
          refusedOrEmpty('lines of the order', await api.send('GET', `salesorderdetails?$select=salesorderdetailid&$filter=_salesorderid_value eq ${id}`));
          refusedOrEmpty('invoices of the order', await api.send('GET', `invoices?$select=invoiceid&$filter=_salesorderid_value eq ${id}`));
        }
        refusedOrEmpty('salesorderdetails(id) of another account', await api.send('GET', `salesorderdetails(${String(foreignLine.salesorderdetailid)})?$select=quantity`));
        if (foreignInvoice) refusedOrEmpty('invoices(id) of another account', await api.send('GET', `invoices(${String(foreignInvoice.invoiceid)})?$select=totalamount`));
        refusedOrEmpty('contacts(id) of another account', await api.send('GET', `contacts(${String(foreignContact.contactid)})?$select=fullname`));
        if (!whole && colleague) refusedOrEmpty('contacts(id) of a colleague', await api.send('GET', `contacts(${String(colleague.contactid)})?$select=fullname`));
        refusedOrEmpty('accounts(id) of another account', await api.send('GET', `accounts(${String(otherAccount.accountid)})?$select=name,creditlimit`));
        refusedOrEmpty('the other account expanded to its orders', await api.send('GET', `accounts(${String(otherAccount.accountid)})?$select=name&$expand=order_customer_accounts($select=salesorderid)`));
        if (otherAccount._msdyn_partyid_value) {
          refusedOrEmpty("the other account's delivery addresses", await api.send('GET', `msdyn_partypostaladdresses?$select=msdyn_partypostaladdressid&$filter=_msdyn_partyid_value eq ${String(otherAccount._msdyn_partyid_value)}`));
        }
        // Collections: every row must be in scope.
        await collectionInScope('salesorderdetails (all)', 'salesorderdetails?$select=salesorderdetailid,_salesorderid_value', (row) => visible.has(lower(row._salesorderid_value)));
        await collectionInScope('invoices (all)', 'invoices?$select=invoiceid,_customerid_value,_salesorderid_value', (row) =>
          customer && lower(row._customerid_value) === user.accountId && (whole || visible.has(lower(row._salesorderid_value))),
        );
        await collectionInScope('contacts (all)', 'contacts?$select=contactid,_parentcustomerid_value', (row) =>
          customer && (lower(row.contactid) === user.contactId || (whole && lower(row._parentcustomerid_value) === user.accountId)),
        );
        await collectionInScope('accounts (all)', 'accounts?$select=accountid', (row) => customer && lower(row.accountid) === user.accountId);
        // Expanding from one's own account to its orders shows only the orders one may see.
        figures.probes++;
        const expanded = await api.send('GET', `accounts(${user.accountId})?$select=name&$expand=order_customer_accounts($select=salesorderid,_customerid_value,_msdyn_contactperson_value)`);
        if (expanded.status < 400) {
          const rows = (expanded.json.order_customer_accounts as Json[] | undefined) ?? [];
          const bad = rows.filter((r) => !inScope(r));
          figures.rowsLeaked += bad.length;
          if (bad.length) leaks.push(`${where}: own account expanded to order_customer_accounts gave ${bad.length} orders not theirs`);
        } else {
          figures.refused++;
        }
        // Aggregates count only visible rows.
        figures.probes++;
        const counted = await api.send('GET', 'salesorders?$apply=aggregate($count as n)');
        if (counted.status < 400) {
          const n = Number((counted.json.value as Json[] | undefined)?.[0]?.n ?? 0);
          if (n > visible.size) {
            figures.rowsLeaked += n - visible.size;
            leaks.push(`${where}: $apply aggregate counts ${n} orders, ${visible.size} visible`);
          }
        } else figures.refused++;
        // Change tracking: the first round and a later change of a foreign order.
        const delta = await collectionInScope('salesorders change tracking (first round)', 'salesorders?$select=salesorderid,_customerid_value,_msdyn_contactperson_value,msdyn_customersorderreference', inScope, { Prefer: 'odata.track-changes' });
        if (delta.deltaLink) {
          const changed = await admin.send('PATCH', `salesorders(${sample.id})`, { msdyn_customersorderreference: `changed ${Date.now()}` }, { 'If-Match': '*' });
          expect(changed.status, 'the administrator changes a foreign order').to.be.oneOf([200, 204]);
          if (ownOrder) await admin.send('PATCH', `salesorders(${String(ownOrder.salesorderid)})`, { msdyn_customersorderreference: `own ${Date.now()}` }, { 'If-Match': '*' });
          const link = new URL(delta.deltaLink, location.href);
          const next = await collectionInScope('salesorders change tracking (changes)', link.pathname + link.search, (row) => row.reason === 'deleted' || inScope(row));
          if (ownOrder && customer) {
            expect(next.rows.some((r) => lower(r.salesorderid) === lower(ownOrder.salesorderid)), `${where}: the change of an own order shows (control)`).to.equal(true);
          }
        }

        // --- Writes -------------------------------------------------------------------------------------------
        const newId = () => crypto.randomUUID();
        const orderBody = (account: string, contact: string, id: string) => ({
          salesorderid: id,
          name: 'sales order',
          'customerid_account@odata.bind': `/accounts(${account})`,
          'msdyn_contactperson@odata.bind': `/contacts(${contact})`,
        });
        const expectNotCreated = async (what: string, id: string, answer: { status: number }) => {
          figures.probes++;
          const exists = await admin.count('salesorders', `salesorderid eq ${id}`);
          if (answer.status < 400 || exists > 0) {
            figures.writesThrough++;
            leaks.push(`${where}: ${what} answered ${answer.status}; created: ${exists > 0}`);
          } else {
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            figures.refused++;
          }
        };
        let id = newId();
        await expectNotCreated('POST an order for another account', id, await api.send('POST', 'salesorders', orderBody(String(otherAccount.accountid), user.contactId, id)));
        id = newId();
        await expectNotCreated('safe create (PATCH If-None-Match: *) for another account', id, await api.send('PATCH', `salesorders(${id})`, orderBody(String(otherAccount.accountid), user.contactId, id), { 'If-None-Match': '*' }));
        id = newId();
        await expectNotCreated('POST an order for another account\'s contact', id, await api.send('POST', 'salesorders', orderBody(String(otherAccount.accountid), String(foreignContact.contactid), id)));
        if (!whole && colleague) {
          id = newId();
          await expectNotCreated("POST an order in a colleague's name", id, await api.send('POST', 'salesorders', orderBody(user.accountId, String(colleague.contactid), id)));
        }
        if (!customer) {
          id = newId();
          await expectNotCreated('POST an order for one\'s own account (no ordering role)', id, await api.send('POST', 'salesorders', orderBody(user.accountId, user.contactId, id)));
        }
        for (const order of forbidden) {
          const orderId = String(order.salesorderid);
          const before = await admin.get<Json>(`salesorders(${orderId})?$select=msdyn_customersorderreference,versionnumber`);
          const beforeLines = await admin.count('salesorderdetails', `_salesorderid_value eq ${orderId}`);
          const attempts = [
            ['PATCH (If-Match: *)', await api.send('PATCH', `salesorders(${orderId})`, { msdyn_customersorderreference: 'hacked' }, { 'If-Match': '*' })],
            ['PATCH (upsert)', await api.send('PATCH', `salesorders(${orderId})`, { msdyn_customersorderreference: 'hacked' })],
            ['DELETE', await api.send('DELETE', `salesorders(${orderId})`)],
            ['POST a line', await api.send('POST', 'salesorderdetails', { 'salesorderid@odata.bind': `/salesorders(${orderId})`, quantity: 1 })],
            ['DELETE a line', await api.send('DELETE', `salesorderdetails(${String((order.order_details as Json[])[0]!.salesorderdetailid)})`)],
          ] as const;
          const after = await admin.get<Json>(`salesorders(${orderId})?$select=msdyn_customersorderreference,versionnumber`);
          const afterLines = await admin.count('salesorderdetails', `_salesorderid_value eq ${orderId}`);
          for (const [what, answer] of attempts) {
            figures.probes++;
            if (answer.status < 400) {
              figures.writesThrough++;
              leaks.push(`${where}: ${what} of another's order answered ${answer.status}`);
            } else {
              statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
              figures.refused++;
            }
          }
          if (after.versionnumber !== before.versionnumber || after.msdyn_customersorderreference !== before.msdyn_customersorderreference || afterLines !== beforeLines) {
            figures.writesThrough++;
            leaks.push(`${where}: another's order ${orderId} changed (lines ${beforeLines} → ${afterLines})`);
          }
        }
      }
    }
    expect(leaks, 'leaks').to.deep.equal([]);
    expect(figures.rowsLeaked).to.equal(0);
    expect(figures.writesThrough).to.equal(0);
  });

  it('a filter over related rows reveals nothing one cannot read (a lambda over a colleague\'s orders)', async () => {
    // Not a request the elements make: a customer typing OData by hand could. With Dataverse security roles (bearer
    // mode) a lambda only sees rows the caller may read; the emulator applies the same scopes to both APIs.
    const all = await target.users();
    const authorized = all.filter((u) => u.webRoles.includes('authorized-user') && !u.webRoles.includes('customer-representative'));
    const chosen = byScale(settings, { full: authorized, short: authorized.slice(0, 1) });
    const contacts = await target.admin.getAll<Json>('contacts?$select=contactid,_parentcustomerid_value');
    const revealed: string[] = [];
    let probes = 0;
    for (const user of chosen) {
      const colleague = contacts.find((c) => lower(c._parentcustomerid_value) === user.accountId && lower(c.contactid) !== user.contactId);
      if (!colleague) continue;
      const theirs = await target.admin.count('salesorders', `_msdyn_contactperson_value eq ${String(colleague.contactid)}`);
      if (theirs === 0) continue;
      for (const mode of ['power-pages', 'token'] as const) {
        const lane = mode === 'power-pages' ? await target.powerPagesLane(user) : target.tokenLane(user);
        const api = new UserApi(lane);
        probes++;
        const probe = await api.send('GET', `accounts?$select=accountid&$filter=${encodeURIComponent(`accountid eq ${user.accountId} and order_customer_accounts/any(o:o/_msdyn_contactperson_value eq ${String(colleague.contactid)})`)}`);
        if (probe.status < 400 && ((probe.json.value as Json[] | undefined) ?? []).length > 0) {
          revealed.push(`${user.email} (${mode}): accounts?$filter=… order_customer_accounts/any(o:o/_msdyn_contactperson_value eq <colleague>) matched the own account: the colleague's ${theirs} orders (which this user cannot read) are revealed by a filter`);
        }
      }
    }
    figures.sideChannels = revealed.length;
    printFigures('permissions: filters over rows one cannot read', { 'lambda probes': probes, 'probes that revealed unreadable rows': revealed.length });
    expect(revealed, 'filters that reveal unreadable rows').to.deep.equal([]);
  });

  it('the elements show "not found" for another customer\'s order, by id and by number, and list only one\'s own', async () => {
    const all = await target.users();
    const customers = all.filter((u) => !u.webRoles.includes('administrator'));
    const chosen = byScale(settings, {
      full: customers,
      short: (['customer-representative', 'authorized-user', 'unauthorized-user'] as const).map((role) => customers.find((u) => u.webRoles.includes(role))!),
    });
    const seen: Record<string, string> = {};
    for (const user of chosen) {
      const other = (await target.users()).find((u) => u.accountId !== user.accountId && !u.webRoles.includes('administrator'))!;
      const foreign = (await target.admin.get<Rows>(`salesorders?$select=salesorderid,ordernumber,msdyn_customersorderreference&$filter=_customerid_value eq ${other.accountId}`)).value![0]!;
      for (const mode of ['power-pages', 'token'] as const) {
        const lane = mode === 'power-pages' ? await target.powerPagesLane(user) : target.tokenLane(user);
        for (const attribute of ['order-id', 'order-number'] as const) {
          const value = String(attribute === 'order-id' ? foreign.salesorderid : foreign.ordernumber);
          const { portal } = await renderPortal(lane, html`<scm-order-detail live-interval="0"></scm-order-detail>`);
          const detail = portal.querySelector('scm-order-detail')!;
          detail.setAttribute(attribute, value);
          const key = `${user.webRoles.join(',')} ${user.email} (${mode}, ${attribute})`;
          if (portal.status !== 'ready') {
            // No session for this role: the portal says why; nothing of the order shows anywhere.
            seen[key] = `portal ${portal.status}: ${textOf(portal.shadowRoot).slice(0, 160)}`;
          } else {
            await waitUntil(() => detail.matches(':state(not-found)') || detail.matches(':state(error)') || shadowOf(detail).querySelector('[part="number"]') || shadowOf(detail).querySelector('[part="gate"]'), 'the detail did not settle', { timeout: 30000 });
            const shown = shadowOf(detail).querySelector('[part="not-found"]') ? 'not found' : textOf(shadowOf(detail)).slice(0, 120);
            seen[key] = shown;
            if (isCustomer(user)) {
              expect(shown, key).to.equal('not found');
              figures.elementsNotFound++;
            }
          }
          const everything = `${textOf(portal)} ${textOf(shadowOf(detail))}`;
          // (Asked by number, the element may repeat the number the customer asked for; by id, it must not know it.)
          if (attribute === 'order-id') expect(everything, `${key}: the order's number`).to.not.include(String(foreign.ordernumber));
          if (foreign.msdyn_customersorderreference) expect(everything, `${key}: the order's reference`).to.not.include(String(foreign.msdyn_customersorderreference));
        }
        // The list: only one's own orders (page 1, the order numbers compared with what the administrator says).
        if (isCustomer(user)) {
          const { portal } = await renderPortal(lane, html`<scm-order-list live-interval="0" page-size="50"></scm-order-list>`);
          const list = portal.querySelector('scm-order-list')!;
          await waitUntil(() => !list.matches(':state(loading)') && (shadowOf(list).querySelector('tbody [part="row"]') || list.matches(':state(empty)')), 'the list did not load', { timeout: 30000 });
          const scope = seesWholeAccount(user) ? `_customerid_value eq ${user.accountId}` : `_customerid_value eq ${user.accountId} and _msdyn_contactperson_value eq ${user.contactId}`;
          const mine = new Set(
            (await target.admin.getAll<Json>(`salesorders?$select=ordernumber,msdyn_salesordernumber&$filter=${encodeURIComponent(scope)}`)).map((o) => String(o.msdyn_salesordernumber ?? o.ordernumber)),
          );
          const numbers = [...shadowOf(list).querySelectorAll('tbody [part="number"]')].map(textOf);
          const foreignShown = numbers.filter((n) => !mine.has(n));
          figures.rowsLeaked += foreignShown.length;
          expect(foreignShown, `${user.email} (${mode}): orders in the list that are not theirs`).to.deep.equal([]);
        }
      }
    }
    printFigures('permissions: what the elements showed for another customer\'s order', seen);
  });
});
