/**
 * The emulator's seed generator: determinism, size and coverage of what the portal must show, referential
 * integrity against the table declarations, and consistency of statuses, totals and invoices.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateSeed, hostileStrings, SEED_VERSION, SeededRandom } from '../../src/emulator/seed/index.js';
import { isLookupValue, type SeedData, type StoredRow, type WebRole } from '../../src/emulator/types.js';
import {
  InvoiceState,
  LineStatus,
  OnHoldStatus,
  OrderType,
  ProcessingStatus,
  ProductState,
  tables,
  type ColumnDef,
  type TableDef,
} from '../../src/tables/index.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const cents = (n: unknown) => Math.round((n as number) * 100);
const id = (v: unknown) => (isLookupValue(v) ? v.id : undefined);

/** Hash of a seed, row by row (a full JSON string of the default seed would be hundreds of MB). */
function fingerprint(seed: SeedData): string {
  const hash = createHash('sha256');
  for (const [name, rows] of Object.entries(seed.tables)) {
    hash.update(name);
    for (const row of rows) hash.update(JSON.stringify(row));
  }
  hash.update(JSON.stringify(seed.users));
  return hash.digest('hex');
}

/** Everything wrong with one stored value, per its column declaration. */
function problemWith(def: ColumnDef, value: unknown, rowIds: Map<string, Set<string>>): string | undefined {
  switch (def.type) {
    case 'uniqueidentifier':
      return typeof value === 'string' && GUID.test(value) ? undefined : 'not a GUID';
    case 'string':
    case 'memo':
      if (typeof value !== 'string') return 'not a string';
      return def.maxLength !== undefined && value.length > def.maxLength ? 'too long' : undefined;
    case 'integer':
    case 'bigint':
      return Number.isInteger(value) ? undefined : 'not an integer';
    case 'decimal':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'not a number';
    case 'money':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'not a number';
      return def.precision !== undefined && Math.abs(value * 10 ** def.precision - Math.round(value * 10 ** def.precision)) > 1e-6
        ? `more than ${def.precision} decimals` : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'not a boolean';
    case 'datetime':
      if (typeof value !== 'string' || !(def.dateOnly ? DATE : DATE_TIME).test(value)) return 'bad date format';
      return Number.isNaN(Date.parse(value)) ? 'invalid date' : undefined;
    case 'picklist':
    case 'state':
    case 'status':
      return typeof value === 'number' && def.options && value in def.options ? undefined : `undeclared option ${String(value)}`;
    case 'lookup':
    case 'customer':
    case 'owner':
      if (!isLookupValue(value)) return 'not a LookupValue';
      if (!def.targets?.includes(value.table)) return `points at ${value.table}`;
      return rowIds.get(value.table)?.has(value.id) ? undefined : `dangling reference to ${value.table}(${value.id})`;
  }
}

describe('seed generator', () => {
  let seed: SeedData;
  let elapsedMs = 0;
  let cpuMs = 0;
  const t = (name: keyof typeof tables) => seed.tables[name] ?? [];
  let accountsById: Map<string, StoredRow>;
  let large: StoredRow;
  let house: StoredRow;
  let linesByOrder: Map<string, StoredRow[]>;
  let invoicesByOrder: Map<string, StoredRow[]>;
  let normalOrders: StoredRow[];
  let largeOrders: StoredRow[];

  before(() => {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    seed = generateSeed();
    elapsedMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    cpuMs = (cpu.user + cpu.system) / 1000;
    accountsById = new Map(t('account').map((a) => [a.accountid as string, a]));
    large = t('account').find((a) => a.accountnumber === 'US-010')!;
    house = t('account').find((a) => a.name === t('cdm_company')[0]!.cdm_name)!;
    linesByOrder = new Map();
    for (const line of t('salesorderdetail')) {
      const key = id(line.salesorderid)!;
      (linesByOrder.get(key) ?? linesByOrder.set(key, []).get(key)!).push(line);
    }
    invoicesByOrder = new Map();
    for (const invoice of t('invoice')) {
      const key = id(invoice.salesorderid)!;
      (invoicesByOrder.get(key) ?? invoicesByOrder.set(key, []).get(key)!).push(invoice);
    }
    normalOrders = t('salesorder').filter((o) => id(o.customerid) !== large.accountid);
    largeOrders = t('salesorder').filter((o) => id(o.customerid) === large.accountid);
  });

  it('generates the default seed well under 10 s', () => {
    // CPU time, not wall time: other processes on a busy machine must not make this test flaky.
    console.log(`  default seed generated in ${Math.round(elapsedMs)} ms (${Math.round(cpuMs)} ms CPU)`);
    assert.ok(cpuMs < 10_000, `${Math.round(cpuMs)} ms CPU`);
  });

  it('has a seed version', () => {
    assert.ok(Number.isInteger(SEED_VERSION) && SEED_VERSION >= 1);
  });

  describe('determinism', () => {
    const options = { orders: 400, largeAccountOrders: 600 };

    it('gives identical output for the same seed', () => {
      assert.deepStrictEqual(generateSeed({ ...options, seed: 7 }), generateSeed({ ...options, seed: 7 }));
    });

    it('defaults to a fixed seed and a fixed date', () => {
      assert.equal(fingerprint(generateSeed(options)), fingerprint(generateSeed({ ...options, seed: 20261124, now: NOW })));
    });

    it('gives different output for a different seed', () => {
      const a = generateSeed({ ...options, seed: 1 });
      const b = generateSeed({ ...options, seed: 2 });
      assert.notEqual(fingerprint(a), fingerprint(b));
      assert.notEqual(a.tables.salesorder![0]!.salesorderid, b.tables.salesorder![0]!.salesorderid);
    });

    it('dates everything relative to `now`', () => {
      const now = new Date('2031-02-03T04:05:06Z');
      const shifted = generateSeed({ ...options, now });
      const created = shifted.tables.salesorder!.map((o) => Date.parse(o.createdon as string));
      assert.ok(Math.max(...created) <= now.getTime());
      assert.ok(Math.max(...created) > now.getTime() - 3 * DAY);
      assert.ok(Math.min(...created) >= now.getTime() - 731 * DAY);
    });

    it('rejects impossible options and copes with empty ones', () => {
      assert.throws(() => generateSeed({ orders: -1 }), RangeError);
      assert.throws(() => generateSeed({ largeAccountOrders: 1.5 }), RangeError);
      assert.throws(() => generateSeed({ now: new Date('not a date') }), RangeError);
      const empty = generateSeed({ orders: 0, largeAccountOrders: 0 });
      assert.equal(empty.tables.salesorder!.length, 0);
      assert.equal(empty.tables.invoice!.length, 0);
      assert.ok(empty.tables.product!.length >= 150);
    });

    it('makes GUIDs from the seeded generator', () => {
      const r = new SeededRandom(42);
      const ids = new Set(Array.from({ length: 10_000 }, () => r.guid()));
      assert.equal(ids.size, 10_000);
      for (const g of [...ids].slice(0, 100)) assert.match(g, GUID);
      assert.equal(new SeededRandom(42).guid(), [...ids][0]);
    });
  });

  describe('integrity against the table declarations', () => {
    it('stores rows only for declared tables, each with a unique primary key', () => {
      for (const [name, rows] of Object.entries(seed.tables)) {
        const table = (tables as Record<string, TableDef>)[name];
        assert.ok(table, `${name} is declared`);
        const keys = new Set(rows.map((r) => r[table.primaryKey]));
        assert.equal(keys.size, rows.length, `${name} primary keys are unique`);
      }
    });

    it('writes only declared columns, each with a value of its declared type, and every lookup resolves', () => {
      const rowIds = new Map<string, Set<string>>();
      for (const [name, rows] of Object.entries(seed.tables)) {
        const pk = (tables as Record<string, TableDef>)[name]!.primaryKey;
        rowIds.set(name, new Set(rows.map((r) => r[pk] as string)));
      }
      for (const [name, rows] of Object.entries(seed.tables)) {
        const table = (tables as Record<string, TableDef>)[name]!;
        const problems = new Map<string, number>();
        for (const row of rows) {
          for (const [col, value] of Object.entries(row)) {
            const def = table.columns[col];
            if (!def) { problems.set(`${col}: not declared`, 1); continue; }
            if (value === null) continue;
            const problem = problemWith(def, value, rowIds);
            if (problem) problems.set(`${col}: ${problem}`, (problems.get(`${col}: ${problem}`) ?? 0) + 1);
          }
        }
        assert.deepEqual([...problems.keys()], [], `${name}: ${[...problems].map(([p, n]) => `${p} (${n}×)`).join('; ')}`);
      }
    });

    it('fills every required column', () => {
      for (const [name, rows] of Object.entries(seed.tables)) {
        const table = (tables as Record<string, TableDef>)[name]!;
        const required = Object.entries(table.columns).filter(([, d]) => d.required).map(([c]) => c);
        for (const row of rows) {
          for (const col of required) assert.notEqual(row[col] ?? null, null, `${name}.${col} in ${String(row[table.primaryKey])}`);
        }
      }
    });

    it('keeps creation and modification times in order and before now', () => {
      for (const [name, rows] of Object.entries(seed.tables)) {
        for (const row of rows) {
          const created = Date.parse(row.createdon as string);
          const modified = Date.parse(row.modifiedon as string);
          assert.ok(created <= modified && modified <= NOW.getTime(), `${name} ${row.createdon} ${row.modifiedon}`);
        }
      }
    });
  });

  describe('master data', () => {
    it('has one legal entity, USD and one price list', () => {
      assert.equal(t('cdm_company').length, 1);
      assert.match(t('cdm_company')[0]!.cdm_companycode as string, /^[A-Z0-9]{4}$/);
      assert.deepEqual(t('transactioncurrency').map((c) => c.isocurrencycode), ['USD']);
      assert.equal(t('pricelevel').length, 1);
    });

    it('has units with decimal precision 0 for countable units and 2–3 for measures', () => {
      const precision = Object.fromEntries(t('uom').map((u) => [u.msdyn_symbol, u.msdyn_decimalprecision]));
      assert.deepEqual({ ea: precision.ea, pcs: precision.pcs, box: precision.box }, { ea: 0, pcs: 0, box: 0 });
      for (const s of ['kg', 'm', 'l']) assert.ok((precision[s] as number) >= 2 && (precision[s] as number) <= 3, s);
    });

    it('has at least 150 products with SCM item numbers, every sellable one on the price list, retired ones not', () => {
      const products = t('product');
      assert.ok(products.length >= 150, `${products.length} products`);
      const onList = new Map<string, number>();
      for (const item of t('productpricelevel')) onList.set(id(item.productid)!, (onList.get(id(item.productid)!) ?? 0) + 1);
      const retired = products.filter((p) => p.statecode === ProductState.Retired);
      assert.ok(retired.length >= 3, 'some retired products');
      for (const p of products) {
        assert.match(p.msdyn_productnumber as string, /^[A-Z]\d{4}$/);
        assert.ok((p.price as number) > 0);
        assert.equal(onList.get(p.productid as string) ?? 0, p.statecode === ProductState.Active ? 1 : 0, p.name as string);
      }
      assert.equal(new Set(products.map((p) => p.msdyn_productnumber)).size, products.length);
      assert.equal(new Set(products.map((p) => p.name)).size, products.length);
      for (const item of t('productpricelevel')) {
        const product = products.find((p) => p.productid === id(item.productid))!;
        assert.equal(item.amount, product.price);
        assert.equal(id(item.uomid), id(product.defaultuomid));
      }
    });
  });

  describe('customers and users', () => {
    it('has at least 8 customer accounts besides the large one, with credit, terms, on-hold and addresses', () => {
      const customers = t('account').filter((a) => a !== large && a !== house);
      assert.ok(customers.length >= 8, `${customers.length} customers`);
      for (const a of [...customers, large]) {
        assert.match(a.accountnumber as string, /^US-\d{3}$/);
        assert.ok((a.creditlimit as number) > 0);
        assert.ok(a.msdyn_paymentterm && a.msdyn_onholdstatus !== undefined);
        for (const col of ['address1_line1', 'address1_city', 'address1_postalcode', 'address2_line1', 'address2_city']) {
          assert.ok(a[col], `${a.name as string}.${col}`);
        }
        assert.equal(id(a.primarycontactid) !== undefined, true);
      }
      const terms = new Set(t('msdyn_paymentterm').map((p) => p.msdyn_name));
      assert.ok(terms.has('Net30'));
      const holds = new Set(customers.map((a) => a.msdyn_onholdstatus));
      assert.ok(holds.has(OnHoldStatus.No) && holds.size >= 3, 'several on-hold settings');
    });

    it('gives each customer 2–4 current delivery addresses through the global address book', () => {
      const partyOf = new Map(t('account').map((a) => [id(a.msdyn_partyid)!, a]));
      const deliveryLocations = new Map<string, Set<string>>();
      for (const link of t('msdyn_partypostaladdress')) {
        if (!(link.msdyn_postaladdresspurposenames as string).split(';').includes('Delivery')) continue;
        const account = partyOf.get(id(link.msdyn_partyid)!)!;
        const set = deliveryLocations.get(account.accountid as string) ?? new Set();
        set.add(id(link.msdyn_postaladdresscollectionid)!);
        deliveryLocations.set(account.accountid as string, set);
      }
      for (const a of t('account')) {
        const n = deliveryLocations.get(a.accountid as string)?.size ?? 0;
        assert.ok(n >= 2 && n <= 4, `${a.name as string}: ${n} delivery addresses`);
      }
      // Each location has exactly one address valid now (one moved and kept its old address).
      const valid = new Map<string, number>();
      let expired = 0;
      for (const p of t('msdyn_postaladdress')) {
        const now = NOW.getTime();
        if (Date.parse(p.msdyn_validfrom as string) <= now && Date.parse(p.msdyn_validto as string) > now) {
          const key = id(p.msdyn_postaladdresscollectionid)!;
          valid.set(key, (valid.get(key) ?? 0) + 1);
        } else expired++;
      }
      assert.ok(expired >= 1, 'some address history');
      for (const location of t('msdyn_postaladdresscollection')) {
        assert.equal(valid.get(location.msdyn_postaladdresscollectionid as string), 1, location.msdyn_description as string);
      }
    });

    it('has contacts with e-mail, account, company, currency, price list and language', () => {
      const byAccount = new Map<string, number>();
      for (const c of t('contact')) {
        const domain = (accountsById.get(id(c.parentcustomerid)!)!.emailaddress1 as string).split('@')[1];
        const local = `${c.firstname as string}.${c.lastname as string}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
        assert.equal(c.emailaddress1, `${local}@${domain}`);
        assert.ok(c.msdyn_company && c.transactioncurrencyid && c.defaultpricelevelid && c.mspp_userpreferredlcid);
        assert.equal(c.fullname, `${c.firstname as string} ${c.lastname as string}`);
        byAccount.set(id(c.parentcustomerid)!, (byAccount.get(id(c.parentcustomerid)!) ?? 0) + 1);
      }
      for (const a of t('account')) {
        if (a === house) continue;
        const n = byAccount.get(a.accountid as string) ?? 0;
        assert.ok(n >= 2 && n <= 4, `${a.name as string}: ${n} contacts`);
      }
      assert.equal(new Set(t('contact').map((c) => c.emailaddress1)).size, t('contact').length);
    });

    it('has users in every web role, two authorized users on one account, representatives on most, one administrator', () => {
      const roles = new Set(seed.users.flatMap((u) => u.webRoles));
      for (const role of ['administrator', 'customer-representative', 'authorized-user', 'unauthorized-user'] as WebRole[]) {
        assert.ok(roles.has(role), role);
      }
      const count = (role: WebRole) => {
        const m = new Map<string, number>();
        for (const u of seed.users) if (u.webRoles.includes(role)) m.set(u.accountId, (m.get(u.accountId) ?? 0) + 1);
        return m;
      };
      assert.ok([...count('authorized-user').values()].some((n) => n >= 2));
      const customers = t('account').filter((a) => a !== house);
      const withRep = customers.filter((a) => count('customer-representative').has(a.accountid as string)).length;
      assert.ok(withRep >= customers.length * 0.7 && withRep < customers.length, `${withRep}/${customers.length}`);
      const admins = seed.users.filter((u) => u.webRoles.includes('administrator'));
      assert.equal(admins.length, 1);
      assert.equal(admins[0]!.accountId, house.accountid);
    });

    it('describes every user by a real contact of the right account', () => {
      const contacts = new Map(t('contact').map((c) => [c.contactid as string, c]));
      assert.equal(seed.users.length, contacts.size);
      for (const u of seed.users) {
        const c = contacts.get(u.contactId)!;
        assert.ok(c, u.email);
        assert.equal(c.emailaddress1, u.email);
        assert.equal(c.fullname, u.fullName);
        assert.equal(id(c.parentcustomerid), u.accountId);
        assert.equal(accountsById.get(u.accountId)!.accountnumber, u.accountNumber);
      }
    });
  });

  describe('sales orders', () => {
    it('has the requested number of orders: 5,000 normal ones and 25,000 for the large customer', () => {
      assert.equal(normalOrders.length, 5000);
      assert.equal(largeOrders.length, 25000);
      assert.equal(new Set(normalOrders.map((o) => id(o.customerid))).size >= 8, true);
      assert.equal(t('salesorder').filter((o) => id(o.customerid) === house.accountid).length, 0);
    });

    it('spreads orders over the last two years', () => {
      const now = NOW.getTime();
      const ages = t('salesorder').map((o) => (now - Date.parse(o.createdon as string)) / DAY);
      assert.ok(Math.min(...ages) >= 0 && Math.max(...ages) < 731);
      assert.ok(ages.filter((a) => a > 640).length > 1000, 'old orders');
      assert.ok(ages.filter((a) => a < 7).length > 100, 'recent orders');
    });

    it('covers every processing status, for normal and large customers', () => {
      for (const orders of [normalOrders, largeOrders]) {
        const present = new Set(orders.map((o) => o.msdyn_processingstatus));
        for (const status of Object.values(ProcessingStatus)) assert.ok(present.has(status), `status ${status}`);
      }
      const old = normalOrders.filter((o) => Date.parse(o.createdon as string) < NOW.getTime() - 120 * DAY);
      const invoicedShare = old.filter((o) => o.msdyn_processingstatus === ProcessingStatus.Invoiced).length / old.length;
      assert.ok(invoicedShare > 0.7, `old orders mostly invoiced (${invoicedShare})`);
      const recent = normalOrders.filter((o) => Date.parse(o.createdon as string) > NOW.getTime() - 3 * DAY);
      const openRecent = recent.filter((o) => [ProcessingStatus.Active, ProcessingStatus.Confirmed, ProcessingStatus.Picked]
        .includes(o.msdyn_processingstatus as never)).length;
      assert.ok(openRecent / recent.length > 0.6, 'recent orders mostly open');
    });

    it('numbers orders like Dataverse and SCM, with a few recent ones still pending sync', () => {
      const numbers = t('salesorder').map((o) => o.ordernumber as string);
      for (const n of numbers) assert.match(n, /^ORD-\d{5}-[A-Z0-9]{6}$/);
      assert.equal(new Set(numbers).size, numbers.length);
      const pending = t('salesorder').filter((o) => o.msdyn_salesordernumber === null);
      assert.ok(pending.length >= 3 && pending.length <= 30, `${pending.length} pending`);
      for (const o of pending) {
        assert.equal(o.msdyn_processingstatus, ProcessingStatus.Active);
        assert.ok(Date.parse(o.createdon as string) > NOW.getTime() - DAY);
        assert.ok(linesByOrder.get(o.salesorderid as string)!.every((l) => l.msdyn_linestatus === LineStatus.None));
      }
      const scm = t('salesorder').filter((o) => o.msdyn_salesordernumber !== null).map((o) => o.msdyn_salesordernumber as string);
      for (const n of scm) assert.match(n, /^SO-\d{6}$/);
      assert.equal(new Set(scm).size, scm.length);
    });

    it('sets what dual-write needs on every order', () => {
      const company = t('cdm_company')[0]!.cdm_companyid;
      for (const o of t('salesorder')) {
        assert.equal(o.msdyn_ordertype, OrderType.SyncToScm);
        assert.equal(o.statecode, 0);
        assert.equal(id(o.msdyn_company), company);
        assert.equal(o.customerid && (o.customerid as { table: string }).table, 'account');
      }
    });

    it('ships to one of the customer’s delivery addresses, as it was when the order was placed', () => {
      const partyAccount = new Map(t('account').map((a) => [id(a.msdyn_partyid)!, a.accountid as string]));
      const locationAccount = new Map<string, string>();
      for (const l of t('msdyn_partypostaladdress')) {
        if ((l.msdyn_postaladdresspurposenames as string).split(';').includes('Delivery')) {
          locationAccount.set(id(l.msdyn_postaladdresscollectionid)!, partyAccount.get(id(l.msdyn_partyid)!)!);
        }
      }
      const description = new Map(t('msdyn_postaladdresscollection').map((c) => [c.msdyn_postaladdresscollectionid as string, c.msdyn_description]));
      const addresses = new Map<string, { key: string; from: number; to: number }[]>();
      for (const p of t('msdyn_postaladdress')) {
        const account = locationAccount.get(id(p.msdyn_postaladdresscollectionid)!);
        if (!account) continue;
        const key = [`${p.msdyn_streetnumber as string} ${p.msdyn_street as string}`, p.msdyn_city, p.msdyn_zipcode,
          description.get(id(p.msdyn_postaladdresscollectionid)!)].join('|');
        const list = addresses.get(account) ?? [];
        list.push({ key, from: Date.parse(p.msdyn_validfrom as string), to: Date.parse(p.msdyn_validto as string) });
        addresses.set(account, list);
      }
      let toOldAddress = 0;
      for (const o of t('salesorder')) {
        const key = [o.shipto_line1, o.shipto_city, o.shipto_postalcode, o.msdyn_deliveryaddressdescription].join('|');
        const at = Date.parse(o.createdon as string);
        const match = addresses.get(id(o.customerid)!)?.find((a) => a.key === key && a.from <= at && at <= a.to);
        assert.ok(match, `${o.ordernumber as string}: ${key}`);
        if (match.to < NOW.getTime()) toOldAddress++;
        assert.equal(o.shipto_country, 'USA');
      }
      assert.ok(toOldAddress > 0, 'orders placed before an address changed show the old address');
    });

    it('is placed by an ordering contact of the customer (or entered in SCM)', () => {
      const contacts = new Map(t('contact').map((c) => [c.contactid as string, c]));
      const roles = new Map(seed.users.map((u) => [u.contactId, u.webRoles]));
      let fromScm = 0;
      for (const o of t('salesorder')) {
        const placedBy = id(o.msdyn_contactperson);
        if (!placedBy) { fromScm++; assert.equal(o.emailaddress, null); continue; }
        const c = contacts.get(placedBy)!;
        assert.equal(id(c.parentcustomerid), id(o.customerid));
        assert.equal(o.emailaddress, c.emailaddress1);
        const r = roles.get(placedBy)!;
        assert.ok(r.includes('authorized-user') || r.includes('customer-representative'), `${o.ordernumber as string} placed by ${r.join()}`);
      }
      assert.ok(fromScm > 0 && fromScm < t('salesorder').length * 0.3);
    });

    it('has customer references with apostrophes and ampersands, and requisition numbers', () => {
      const refs = t('salesorder').map((o) => o.msdyn_customersorderreference).filter((r): r is string => typeof r === 'string');
      assert.ok(refs.some((r) => r.includes("'")), 'apostrophe');
      assert.ok(refs.some((r) => r.includes('&')), 'ampersand');
      assert.ok(refs.some((r) => r.includes("'") && r.includes('&')), "O'Neil & Sons-like");
      assert.ok(t('salesorder').some((o) => typeof o.msdyn_customerrequisitionnumber === 'string'));
      assert.ok(!refs.some((r) => /[<>]/.test(r)), 'no markup without the hostile option');
    });

    it('has no orders from a customer on hold for everything since it was put on hold', () => {
      const blocked = t('account').filter((a) => a.msdyn_onholdstatus === OnHoldStatus.All);
      assert.ok(blocked.length >= 1);
      for (const a of blocked) {
        assert.equal(a.creditonhold, true);
        const newest = Math.max(...normalOrders.filter((o) => id(o.customerid) === a.accountid).map((o) => Date.parse(o.createdon as string)));
        assert.ok(newest < NOW.getTime() - 25 * DAY);
      }
    });
  });

  describe('order lines', () => {
    it('has 1–15 lines per normal order and 1–4 per large-customer order, numbered from 1', () => {
      for (const [orders, max] of [[normalOrders, 15], [largeOrders, 4]] as const) {
        const counts = new Set<number>();
        for (const o of orders) {
          const lines = linesByOrder.get(o.salesorderid as string) ?? [];
          assert.ok(lines.length >= 1 && lines.length <= max, `${o.ordernumber as string}: ${lines.length} lines`);
          counts.add(lines.length);
          assert.deepEqual(lines.map((l) => l.sequencenumber), lines.map((_, i) => i + 1));
          assert.equal(new Set(lines.map((l) => id(l.productid))).size, lines.length, 'no product twice');
        }
        assert.equal(counts.size, max, 'every line count occurs');
      }
    });

    it('computes amounts: base = quantity × price, extended = base − discount, header totals = lines + tax + freight', () => {
      for (const o of t('salesorder')) {
        const lines = linesByOrder.get(o.salesorderid as string)!;
        let ext = 0; let disc = 0; let tax = 0;
        for (const l of lines) {
          assert.ok(Math.abs(Math.round((l.quantity as number) * cents(l.priceperunit)) - cents(l.baseamount)) <= 1);
          assert.equal(cents(l.extendedamount), cents(l.baseamount) - cents(l.msdyn_linediscountamount));
          ext += cents(l.extendedamount); disc += cents(l.msdyn_linediscountamount); tax += cents(l.tax);
        }
        assert.equal(cents(o.totallineitemamount), ext);
        assert.equal(cents(o.totaldiscountamount), disc);
        assert.equal(cents(o.totaltax), tax);
        assert.equal(cents(o.totalamount), ext + tax + cents(o.freightamount));
      }
    });

    it('uses quantities the unit allows and products that were sellable then', () => {
      const precision = new Map(t('uom').map((u) => [u.uomid as string, u.msdyn_decimalprecision as number]));
      const products = new Map(t('product').map((p) => [p.productid as string, p]));
      let retiredUsed = 0;
      for (const l of t('salesorderdetail')) {
        const q = l.quantity as number;
        const p = precision.get(id(l.uomid)!)!;
        assert.ok(q > 0 && Math.abs(q * 10 ** p - Math.round(q * 10 ** p)) < 1e-6, `${q} with ${p} decimals`);
        const product = products.get(id(l.productid)!)!;
        assert.equal(id(l.uomid), id(product.defaultuomid));
        if (product.statecode === ProductState.Retired) {
          retiredUsed++;
          assert.ok(Date.parse(l.createdon as string) < Date.parse(product.modifiedon as string), 'ordered before retirement');
        }
      }
      assert.ok(retiredUsed > 0, 'old orders contain products retired since');
    });

    it('keeps line statuses consistent with the order status', () => {
      const L = LineStatus;
      const S = ProcessingStatus;
      for (const o of t('salesorder')) {
        const s = (linesByOrder.get(o.salesorderid as string) ?? []).map((l) => l.msdyn_linestatus);
        const has = (x: number) => s.includes(x);
        const only = (...xs: number[]) => s.every((x) => xs.includes(x as number));
        const ok = {
          [S.Active]: only(o.msdyn_salesordernumber === null ? L.None : L.Backorder),
          [S.Confirmed]: only(L.Backorder),
          [S.Picked]: only(L.Backorder),
          [S.PartiallyDelivered]: only(L.Delivered, L.Backorder) && has(L.Delivered) && has(L.Backorder),
          [S.Delivered]: only(L.Delivered),
          [S.Invoiced]: only(L.Invoiced),
          [S.PartiallyInvoiced]: has(L.Invoiced) && has(L.Backorder) && only(L.Invoiced, L.Backorder, L.Delivered),
          [S.Cancelled]: only(L.Cancelled),
          [S.DeliveredPartiallyInvoiced]: has(L.Invoiced) && has(L.Delivered) && only(L.Invoiced, L.Delivered),
        }[o.msdyn_processingstatus as ProcessingStatus];
        assert.ok(ok, `${o.ordernumber as string}: status ${o.msdyn_processingstatus as number}, lines ${s.join()}`);
        for (const l of linesByOrder.get(o.salesorderid as string)!) {
          if (l.msdyn_linestatus === L.None) continue;
          const shipped = l.msdyn_linestatus === L.Delivered || l.msdyn_linestatus === L.Invoiced;
          assert.equal(l.quantityshipped, shipped ? l.quantity : 0);
        }
      }
    });
  });

  describe('invoices', () => {
    const invoicedStatuses: number[] = [ProcessingStatus.Invoiced, ProcessingStatus.PartiallyInvoiced, ProcessingStatus.DeliveredPartiallyInvoiced];

    it('exist exactly for invoiced and partially invoiced orders', () => {
      for (const o of t('salesorder')) {
        const has = invoicesByOrder.has(o.salesorderid as string);
        assert.equal(has, invoicedStatuses.includes(o.msdyn_processingstatus as number), o.ordernumber as string);
      }
    });

    it('invoice exactly the invoiced lines, once, with consistent totals', () => {
      const invoicedLines = new Map<string, number>();
      const detailsByInvoice = new Map<string, StoredRow[]>();
      for (const d of t('invoicedetail')) {
        const key = id(d.salesorderdetailid)!;
        invoicedLines.set(key, (invoicedLines.get(key) ?? 0) + 1);
        const inv = id(d.invoiceid)!;
        (detailsByInvoice.get(inv) ?? detailsByInvoice.set(inv, []).get(inv)!).push(d);
      }
      for (const l of t('salesorderdetail')) {
        assert.equal(invoicedLines.get(l.salesorderdetailid as string) ?? 0, l.msdyn_linestatus === LineStatus.Invoiced ? 1 : 0);
      }
      const orders = new Map(t('salesorder').map((o) => [o.salesorderid as string, o]));
      const freightByOrder = new Map<string, number>();
      for (const inv of t('invoice')) {
        const details = detailsByInvoice.get(inv.invoiceid as string)!;
        assert.ok(details.length >= 1);
        const ext = details.reduce((s, d) => s + cents(d.extendedamount), 0);
        const tax = details.reduce((s, d) => s + cents(d.tax), 0);
        assert.equal(cents(inv.totallineitemamount), ext);
        assert.equal(cents(inv.totaltax), tax);
        assert.equal(cents(inv.totalamount), ext + tax + cents(inv.freightamount));
        const order = orders.get(id(inv.salesorderid)!)!;
        assert.equal(id(inv.customerid), id(order.customerid));
        assert.ok(inv.msdyn_invoicedate! >= (order.createdon as string).slice(0, 10));
        assert.ok((inv.duedate as string) >= (inv.msdyn_invoicedate as string));
        freightByOrder.set(order.salesorderid as string, (freightByOrder.get(order.salesorderid as string) ?? 0) + cents(inv.freightamount));
      }
      for (const [orderId, freight] of freightByOrder) assert.equal(freight, cents(orders.get(orderId)!.freightamount));
      // A fully invoiced order's invoices add up to the order.
      for (const o of t('salesorder')) {
        if (o.msdyn_processingstatus !== ProcessingStatus.Invoiced) continue;
        const total = invoicesByOrder.get(o.salesorderid as string)!.reduce((s, i) => s + cents(i.totalamount), 0);
        assert.equal(total, cents(o.totalamount), o.ordernumber as string);
      }
    });

    it('number invoices like SCM in date order, some paid and some open', () => {
      const invoices = t('invoice');
      const numbers = invoices.map((i) => i.msdyn_invoicenumber as string);
      for (const n of numbers) assert.match(n, /^CIV-\d{6}$/);
      assert.equal(new Set(numbers).size, numbers.length);
      const sorted = [...invoices].sort((a, b) => (a.msdyn_invoicenumber as string).localeCompare(b.msdyn_invoicenumber as string));
      for (let i = 1; i < sorted.length; i++) {
        assert.ok((sorted[i - 1]!.msdyn_invoicedate as string) <= (sorted[i]!.msdyn_invoicedate as string));
      }
      assert.ok(invoices.some((i) => i.statecode === InvoiceState.Paid));
      assert.ok(invoices.some((i) => i.statecode === InvoiceState.Active));
      assert.ok(invoices.some((i) => i.statecode === InvoiceState.Active && Date.parse(i.duedate as string) < NOW.getTime()), 'overdue');
      assert.ok(invoices.some((o) => invoicesByOrder.get(id(o.salesorderid)!)!.length > 1), 'an order with two invoices');
    });
  });

  describe('hostile option', () => {
    it('injects markup, bidi text, emoji and very long strings, still within the declarations', () => {
      const hostile = generateSeed({ orders: 400, largeAccountOrders: 200, hostile: true });
      const texts = Object.values(hostile.tables).flatMap((rows) => rows.flatMap((r) => Object.values(r)))
        .filter((v): v is string => typeof v === 'string');
      assert.ok(texts.some((s) => s.includes('<img src=x onerror=')));
      assert.ok(texts.some((s) => /[\u0590-\u06ff]/.test(s)), 'right-to-left text');
      assert.ok(texts.some((s) => /\p{Extended_Pictographic}/u.test(s)), 'emoji');
      assert.ok(texts.some((s) => s.length >= 2000), 'long string');
      assert.ok(hostileStrings.length >= 8);
      const plain = generateSeed({ orders: 400, largeAccountOrders: 200 });
      assert.equal(hostile.tables.salesorder!.length, plain.tables.salesorder!.length);
    });
  });
});
