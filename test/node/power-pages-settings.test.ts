/**
 * The Power Pages set-up printed by `scripts/power-pages-settings.mjs` is what the elements need, exactly:
 *
 * - every domain service runs, as a customer representative and as an authorized user, through the real client
 *   against an emulator whose `Webapi/<table>/…` site settings are the GENERATED ones (the emulator refuses a
 *   `$select`ed or written column that is not listed, and a table that is not enabled);
 * - every request they send is recorded and read with the emulator's own OData parser: every column it selects,
 *   filters, sorts, aggregates or writes must be in its table's printed field list, every table it touches must be
 *   enabled, and every printed field must have been used (the lists are not wider than needed);
 * - the printed table permissions are the emulator's `TABLE_PERMISSIONS`;
 * - `docs/power-pages.md` carries the current checklist.
 */
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createDataverseClient, type DataverseClient } from '../../src/dataverse/client.js';
import { Emulator } from '../../src/emulator/emulator.js';
import { createEmulatorFetch } from '../../src/emulator/fetch.js';
import { lookupIndexes } from '../../src/emulator/indexes.js';
import type { FilterExpr } from '../../src/emulator/odata/ast.js';
import { columnOf, lookupColumnOfValueName, navigationOf } from '../../src/emulator/odata/model.js';
import { parseQueryOptions, type ParsedQuery } from '../../src/emulator/odata/query-options.js';
import { TABLE_PERMISSIONS } from '../../src/emulator/permissions.js';
import { generateSeed } from '../../src/emulator/seed/index.js';
import { MemoryStore } from '../../src/emulator/store/memory.js';
import type { SeedUser } from '../../src/emulator/types.js';
import { listDeliveryAddresses, loadAccountSummary } from '../../src/portal/accounts.js';
import { loadDeliveryAddresses } from '../../src/portal/addresses.js';
import { hasOrderChanged, loadOrder } from '../../src/portal/order-detail.js';
import { listOrders, orderPageAt, orderSortColumns, watchOrders } from '../../src/portal/orders.js';
import { describeProducts, findProductsByItemNumber, findSellableProducts, searchProducts } from '../../src/portal/products.js';
import { loadSession, powerPagesRoleNames } from '../../src/portal/session-service.js';
import type { PortalSession } from '../../src/portal/session.js';
import { findSubmittedOrder, readOrderNumbers, submitOrder } from '../../src/portal/submit-order.js';
import { ProcessingStatus } from '../../src/tables/choices.js';
import { tables } from '../../src/tables/index.js';
import type { TableDef } from '../../src/tables/schema.js';
import {
  docIsUpToDate,
  powerPagesSettings,
  renderMarkdown,
  webApiSiteSettings,
  type PowerPagesSettings,
} from '../../scripts/lib/power-pages-settings.js';

const ORIGIN = 'https://contoso.example';
const allTables = tables as Readonly<Record<string, TableDef>>;
const tableOf = (logicalName: string): TableDef | undefined =>
  Object.prototype.hasOwnProperty.call(allTables, logicalName) ? allTables[logicalName] : undefined;
const tableBySet = new Map(Object.values(allTables).map((table) => [table.entitySet, table]));

// ---------------------------------------------------------------------------------------------------------------
// Reading the recorded requests: which columns of which tables they use
// ---------------------------------------------------------------------------------------------------------------

/** Columns used, by table logical name. */
type Usage = Map<string, Set<string>>;

function use(usage: Usage, table: string, column: string): void {
  let set = usage.get(table);
  if (!set) usage.set(table, (set = new Set()));
  set.add(column);
}

/** A column name as a request writes it (`_x_value` or `x`) → the column's logical name. */
function logical(table: TableDef, name: string): string {
  return lookupColumnOfValueName(table, name) ?? name;
}

/** The columns a `$filter` expression reads; `scopes` maps lambda variables to the table they range over. */
function filterColumns(expr: FilterExpr, table: TableDef, usage: Usage, scopes: ReadonlyMap<string, TableDef> = new Map()): void {
  switch (expr.kind) {
    case 'path': {
      let current = table;
      const segments = [...expr.segments];
      if (segments[0] === '$it') segments.shift();
      else if (segments.length > 1 && scopes.has(segments[0]!)) current = scopes.get(segments.shift()!)!;
      for (let i = 0; i < segments.length; i += 1) {
        const segment = segments[i]!;
        const last = i === segments.length - 1;
        if (last) {
          use(usage, current.logicalName, logical(current, segment));
          break;
        }
        const nav = navigationOf(current, segment);
        assert.ok(nav, `unknown navigation ${segment} on ${current.logicalName}`);
        if (nav.kind === 'single') use(usage, current.logicalName, nav.column);
        current = tableOf(nav.table)!;
      }
      return;
    }
    case 'binary':
      filterColumns(expr.left, table, usage, scopes);
      filterColumns(expr.right, table, usage, scopes);
      return;
    case 'logical':
      for (const operand of expr.operands) filterColumns(operand, table, usage, scopes);
      return;
    case 'not':
      filterColumns(expr.operand, table, usage, scopes);
      return;
    case 'call':
      for (const arg of expr.args) filterColumns(arg, table, usage, scopes);
      return;
    case 'namedCall':
      for (const param of expr.params) {
        // Microsoft.Dynamics.CRM.In(PropertyName='x', …): the property is a string literal naming a column.
        if (param.name === 'PropertyName' && param.value.kind === 'literal') use(usage, table.logicalName, logical(table, String(param.value.value)));
        else filterColumns(param.value, table, usage, scopes);
      }
      return;
    case 'in':
      filterColumns(expr.operand, table, usage, scopes);
      return;
    case 'lambda': {
      let current = table;
      for (const segment of expr.collection) {
        const nav = navigationOf(current, segment);
        assert.ok(nav, `unknown navigation ${segment} on ${current.logicalName}`);
        current = tableOf(nav.table)!;
      }
      if (expr.predicate && expr.variable) filterColumns(expr.predicate, table, usage, new Map([...scopes, [expr.variable, current]]));
      return;
    }
    case 'literal':
    case 'array':
      return;
  }
}

/** The columns a parsed query reads (its `$select`, `$filter`, `$orderby`, `$apply` and its `$expand`s). */
function queryColumns(query: ParsedQuery, table: TableDef, usage: Usage): void {
  usage.get(table.logicalName) ?? usage.set(table.logicalName, new Set());
  for (const column of query.select ?? []) use(usage, table.logicalName, column);
  if (query.filter) filterColumns(query.filter, table, usage);
  for (const item of query.orderBy) use(usage, table.logicalName, logical(table, item.column));
  for (const step of query.apply?.steps ?? []) {
    if (step.kind === 'filter') filterColumns(step.filter, table, usage);
    if (step.kind === 'groupby') for (const property of step.properties) use(usage, table.logicalName, logical(table, property));
    if (step.kind === 'groupby' || step.kind === 'aggregate') {
      for (const aggregation of step.aggregations) {
        if (aggregation.kind === 'method') use(usage, table.logicalName, logical(table, aggregation.property));
      }
    }
  }
  for (const item of query.expand) queryColumns(item.options, tableOf(item.table)!, usage);
}

/** The columns a create/update body writes (binds by their lookup column, deep-inserted rows by their table). */
function bodyColumns(body: Record<string, unknown>, table: TableDef, usage: Usage): void {
  for (const [key, value] of Object.entries(body)) {
    const bind = /^(.+)@odata\.bind$/.exec(key);
    if (bind) {
      const nav = navigationOf(table, bind[1]!);
      assert.ok(nav?.kind === 'single', `${table.logicalName}: ${key} binds no lookup`);
      use(usage, table.logicalName, nav.column);
      continue;
    }
    if (key.includes('@')) continue;
    const nav = navigationOf(table, key);
    if (nav?.kind === 'collection') {
      for (const row of value as Record<string, unknown>[]) bodyColumns(row, tableOf(nav.table)!, usage);
      continue;
    }
    assert.ok(columnOf(table, key), `${table.logicalName}: the body writes an unknown column ${key}`);
    use(usage, table.logicalName, key);
  }
}

/** One Web API request as the recording fetch saw it (recorded when sent; `status` once answered). */
interface Recorded {
  readonly method: string;
  readonly url: URL;
  readonly body: string;
  status: number;
}

/** The columns every recorded `/_api/` request uses. */
function usageOf(requests: readonly Recorded[]): Usage {
  const usage: Usage = new Map();
  for (const request of requests) {
    const match = /^\/_api\/([A-Za-z_]+)(\([^)]*\))?$/.exec(request.url.pathname);
    assert.ok(match, `unexpected API path ${request.url.pathname}`);
    const table = tableBySet.get(match[1]!);
    assert.ok(table, `unknown entity set ${match[1]}`);
    queryColumns(parseQueryOptions(request.url.searchParams, table, tableOf), table, usage);
    if (request.body) bodyColumns(JSON.parse(request.body) as Record<string, unknown>, table, usage);
  }
  return usage;
}

// ---------------------------------------------------------------------------------------------------------------
// The run: every service, as two customers, against an emulator with the generated site settings
// ---------------------------------------------------------------------------------------------------------------

interface Customer {
  readonly user: SeedUser;
  readonly client: DataverseClient;
  readonly session: PortalSession;
}

/** Signs `user` in (own cookie jar) and loads their session through a recording fetch. */
async function signIn(emulator: Emulator, user: SeedUser, requests: Recorded[]): Promise<Customer> {
  const emulatorFetch = createEmulatorFetch(emulator, ORIGIN);
  const signin = await emulatorFetch('/emulator/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: user.email }),
  });
  assert.equal(signin.status, 200, await signin.clone().text());
  const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input instanceof Request ? input : new URL(String(input), ORIGIN), init);
    const body = request.method === 'GET' ? '' : await request.clone().text();
    const url = new URL(request.url);
    const recorded: Recorded = { method: request.method, url, body, status: 0 };
    if (url.pathname.startsWith('/_api/')) requests.push(recorded);
    const response = await emulatorFetch(request);
    recorded.status = response.status;
    return response;
  }) as typeof fetch;
  const client = createDataverseClient({ transport: 'power-pages', siteUrl: ORIGIN, fetch: recording, shell: () => undefined });
  const session = await loadSession(client, {
    contactId: user.contactId,
    accountId: user.accountId,
    roles: user.webRoles.map((role) => powerPagesRoleNames[role]).join(','),
  });
  return { user, client, session };
}

/** Calls every service function the elements use, with options that reach every query shape. */
async function useEveryService({ client, session }: Customer, summaryErrors: unknown[]): Promise<void> {
  // Order list: first page, next page, a saved link, search + status + dates, every sort, live updates.
  const first = await listOrders(client, session, { pageSize: 5 });
  assert.ok(first.orders.length > 0, 'the customer has orders');
  if (first.hasNext) {
    const second = await first.next();
    await orderPageAt(client, session, first.nextLink!, { pageSize: 5, known: { count: first.count, countCapped: first.countCapped } });
    assert.ok(second.orders.length > 0);
  }
  await listOrders(client, session, {
    search: first.orders[0]!.number.slice(0, 4),
    statuses: [ProcessingStatus.Confirmed, ProcessingStatus.Invoiced],
    from: '2024-01-01',
    to: '2026-12-31',
  });
  for (const column of orderSortColumns) {
    await listOrders(client, session, { sort: { column, direction: 'asc' }, pageSize: 2 });
    await listOrders(client, session, { sort: { column, direction: 'desc' }, pageSize: 2 });
  }
  const watch = watchOrders(client, session, first.orders);
  await watch.poll();
  await watch.poll();

  // Order detail: by id, by number, the cheap "changed?" check.
  const byId = await loadOrder(client, session, { id: first.orders[0]!.id });
  assert.ok(byId, 'the order loads by id');
  assert.ok(await loadOrder(client, session, { number: first.orders[0]!.number }), 'the order loads by number');
  assert.equal(await hasOrderChanged(client, byId), false);

  // Account summary and the delivery addresses of the global address book. A failure of the summary is kept for
  // its own test (see KNOWN ISSUE below) so that the rest of the services still run.
  try {
    const summary = await loadAccountSummary(client, session);
    assert.ok(summary.orders.total > 0);
    await listDeliveryAddresses(client, summary);
  } catch (error) {
    summaryErrors.push(error);
  }

  // Order form: addresses, product search and resolution, submit (deep insert), numbers, "did it go through?".
  const book = await loadDeliveryAddresses(client, session);
  assert.ok(book.addresses.length > 0, 'the customer has a delivery address');
  const products = await searchProducts(client, session, 'a');
  assert.ok(products.length > 0, 'products are found');
  const product = products[0]!;
  assert.ok((await findProductsByItemNumber(client, session, [product.itemNumber])).size > 0);
  assert.ok((await findSellableProducts(client, session, [product.id])).size > 0);
  assert.ok((await describeProducts(client, [product.id])).size > 0);
  const address = book.addresses[0]!;
  const orderId = crypto.randomUUID();
  const submitted = await submitOrder(client, session, {
    id: orderId,
    requestedReceiptDate: '2026-12-15',
    delivery: { ...address, street: [...address.street, 'Dock 4'].slice(0, 2), shipToName: book.customerName },
    customerReference: 'PP-SETTINGS',
    requisitionNumber: 'REQ-PP',
    lines: [{ productId: product.id, unitId: product.units[0]!.id, quantity: 2 }],
  });
  assert.equal(submitted.id, orderId);
  assert.ok(await readOrderNumbers(client, orderId));
  assert.ok(await findSubmittedOrder(client, session, orderId));
}

describe('Power Pages site settings and table permissions (scripts/power-pages-settings.mjs)', () => {
  let settings: PowerPagesSettings;
  const requests: Recorded[] = [];
  const summaryErrors: unknown[] = [];
  let usage: Usage;

  before(async () => {
    settings = powerPagesSettings();
    const seed = generateSeed({ orders: 400, largeAccountOrders: 0 });
    const store = new MemoryStore({ indexes: lookupIndexes(tables) });
    store.load(seed.tables);
    const emulator = new Emulator({ store, tables, users: seed.users, siteSettings: webApiSiteSettings() });
    const withOrders = (role: SeedUser['webRoles'][number]) =>
      seed.users.find((user) => user.webRoles.includes(role) && seed.tables.salesorder!.some((order) => {
        const contact = order.msdyn_contactperson as { id?: string } | null | undefined;
        return contact?.id?.toLowerCase() === user.contactId.toLowerCase();
      }));
    for (const role of ['customer-representative', 'authorized-user'] as const) {
      const user = withOrders(role);
      assert.ok(user, `the seed has a ${role} who placed orders`);
      await useEveryService(await signIn(emulator, user, requests), summaryErrors);
    }
    usage = usageOf(requests);
  });

  const isAggregate = (r: Recorded) => r.url.searchParams.has('$apply');

  it('runs every service against an emulator that has only the generated site settings', () => {
    assert.ok(requests.length > 40, `the services sent ${requests.length} requests`);
    assert.ok(requests.every((r) => r.status > 0), 'every request was answered');
    // The aggregate of the account summary has its own test below.
    const failed = requests.filter((r) => r.status >= 400 && !isAggregate(r)).map((r) => `${r.method} ${r.url.pathname}${r.url.search} → ${r.status}`);
    assert.deepEqual(failed, []);
    assert.ok(requests.some((r) => r.method === 'POST' && r.url.pathname === '/_api/salesorders'), 'an order was submitted');
    assert.ok(requests.some(isAggregate), 'the account summary sent its aggregate');
  });

  // With `Webapi/salesorder/fields` a list (not `*`), an `$apply` aggregate needs no `$select`: the emulator checks
  // the columns it groups by and aggregates instead.
  it('the account summary’s aggregate ($apply) works when the fields site settings are lists', () => {
    const refused = requests.filter((r) => isAggregate(r) && r.status >= 400).map((r) => `${r.url.search} → ${r.status}`);
    assert.deepEqual(summaryErrors.map((e) => (e instanceof Error ? e.message : String(e))), []);
    assert.deepEqual(refused, []);
  });

  it('lists every column the services select, filter, sort, aggregate or write in its table’s fields', () => {
    const fields = new Map(settings.tables.map((entry) => [entry.table, new Set(entry.fields)]));
    const missing: string[] = [];
    for (const [table, columns] of usage) {
      for (const column of columns) if (!fields.get(table)?.has(column)) missing.push(`${table}.${column}`);
    }
    assert.deepEqual(missing, [], 'columns the services use but the fields site settings do not list');
  });

  it('enables every table the services touch, and no other', () => {
    const enabled = settings.siteSettings.filter((s) => s.name.endsWith('/enabled')).map((s) => [s.name.split('/')[1], s.value]);
    assert.ok(enabled.every(([, value]) => value === 'true'));
    assert.deepEqual(enabled.map(([table]) => table).sort(), [...usage.keys()].sort());
  });

  it('lists no column the services do not use (the field lists are exact)', () => {
    const unused: string[] = [];
    for (const entry of settings.tables) {
      for (const field of entry.fields) if (!usage.get(entry.table)?.has(field)) unused.push(`${entry.table}.${field}`);
    }
    assert.deepEqual(unused, [], 'fields listed but never used by a service');
  });

  it('prints the site settings, table permissions and web roles as JSON, the permissions equal to the emulator’s rules', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/power-pages-settings.mjs', '--json']);
    const printed = JSON.parse(stdout) as PowerPagesSettings;
    assert.deepEqual(printed.tablePermissions, JSON.parse(JSON.stringify(TABLE_PERMISSIONS)));
    assert.deepEqual(printed.siteSettings, settings.siteSettings);
    for (const entry of settings.tables) {
      assert.ok(printed.siteSettings.some((s) => s.name === `Webapi/${entry.table}/fields` && s.value === entry.fields.join(',')));
    }
    // Each web role lists exactly the permissions joined to it.
    for (const role of printed.webRoles) {
      assert.deepEqual(role.permissions, TABLE_PERMISSIONS.filter((p) => p.roles.includes(role.role)).map((p) => p.name));
      assert.equal(role.name, powerPagesRoleNames[role.role]);
    }
  });

  it('prints the same as a Markdown checklist', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/power-pages-settings.mjs', '--markdown']);
    assert.equal(stdout, renderMarkdown(settings));
    for (const setting of settings.siteSettings) assert.ok(stdout.includes(`- [ ] \`${setting.name}\` = \`${setting.value}\``), setting.name);
    for (const permission of TABLE_PERMISSIONS) {
      assert.ok(stdout.includes(`- [ ] **${permission.name}**`), permission.name);
    }
  });

  it('docs/power-pages.md carries the current checklist (`npm run power-pages:settings -- --write-docs`)', () => {
    assert.ok(docIsUpToDate(), 'docs/power-pages.md is out of date: run `npm run power-pages:settings -- --write-docs`');
  });
});
