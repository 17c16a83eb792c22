/**
 * A small, hand-written data set for the emulator's tests: two customer accounts with contacts in every web role,
 * a few orders with lines and an invoice, the catalogue, and the delivery-address chain. Plus helpers that send
 * requests to `emulator.handle()` the way a client would.
 */
import { tables } from '../../src/tables/index.js';
import { Emulator, type EmulatorOptions } from '../../src/emulator/emulator.js';
import { lookupIndexes } from '../../src/emulator/indexes.js';
import { MemoryStore } from '../../src/emulator/store/memory.js';
import type { LookupValue, SeedUser, StoredRow } from '../../src/emulator/types.js';

export const ORIGIN = 'https://contoso.example';
export const DV = `${ORIGIN}/api/data/v9.2`;
export const PP = `${ORIGIN}/_api`;

/** Readable fixed GUIDs: `id(1)` = `00000000-0000-4000-8000-000000000001`. */
export function id(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

const ref = (table: string, n: number): LookupValue => ({ id: id(n), table });

export const IDS = {
  usd: id(1),
  eur: id(2),
  company: id(3),
  priceList: id(4),
  uomEach: id(5),
  uomBox: id(6),
  productBolt: id(7),
  productNut: id(8),
  uomSchedule: id(9),
  contoso: id(10),
  fabrikam: id(11),
  house: id(12),
  alice: id(20), // Contoso, authorized user
  andy: id(21), // Contoso, authorized user
  rita: id(22), // Contoso, customer representative
  bob: id(23), // Fabrikam, authorized user
  rob: id(24), // Fabrikam, customer representative
  admin: id(25), // house account, administrator
  uma: id(26), // Contoso, unauthorized user
  orderAlice1: id(40),
  orderAlice2: id(41),
  orderAndy: id(42),
  orderBob: id(43),
  lineAlice1a: id(50),
  lineAlice1b: id(51),
  lineAndy: id(52),
  lineBob: id(53),
  invoiceAlice1: id(60),
  invoiceBob: id(61),
  partyContoso: id(70),
  partyFabrikam: id(71),
  partyAddressContoso: id(72),
  partyAddressFabrikam: id(73),
  locationContoso: id(74),
  locationFabrikam: id(75),
  addressContoso: id(76),
  addressFabrikam: id(77),
} as const;

export const USERS: SeedUser[] = [
  user('alice@contoso.example', 'Alice Archer', IDS.alice, IDS.contoso, 'C-001', ['authorized-user']),
  user('andy@contoso.example', 'Andy Ames', IDS.andy, IDS.contoso, 'C-001', ['authorized-user']),
  user('rita@contoso.example', 'Rita Reyes', IDS.rita, IDS.contoso, 'C-001', ['customer-representative']),
  user('bob@fabrikam.example', 'Bob Baker', IDS.bob, IDS.fabrikam, 'F-002', ['authorized-user']),
  user('rob@fabrikam.example', 'Rob Ross', IDS.rob, IDS.fabrikam, 'F-002', ['customer-representative']),
  user('admin@house.example', 'Ada Admin', IDS.admin, IDS.house, 'H-000', ['administrator']),
  user('uma@contoso.example', 'Uma Unwin', IDS.uma, IDS.contoso, 'C-001', ['unauthorized-user']),
];

function user(
  email: string,
  fullName: string,
  contactId: string,
  accountId: string,
  accountNumber: string,
  webRoles: SeedUser['webRoles'],
): SeedUser {
  return { email, fullName, contactId, accountId, accountNumber, webRoles };
}

const T0 = '2025-01-10T09:00:00Z';

function contact(n: number, first: string, last: string, account: number, email: string): StoredRow {
  return {
    contactid: id(n),
    firstname: first,
    lastname: last,
    fullname: `${first} ${last}`,
    emailaddress1: email,
    parentcustomerid: ref('account', account),
    transactioncurrencyid: ref('transactioncurrency', 1),
    defaultpricelevelid: ref('pricelevel', 4),
    statecode: 0,
    statuscode: 1,
    createdon: T0,
    modifiedon: T0,
  };
}

function order(n: number, name: string, account: number, contactN: number, total: number, created: string): StoredRow {
  return {
    salesorderid: id(n),
    name,
    ordernumber: `ORD-0${n}00-ABCDEF`,
    customerid: ref('account', account),
    msdyn_contactperson: ref('contact', contactN),
    msdyn_company: ref('cdm_company', 3),
    transactioncurrencyid: ref('transactioncurrency', 1),
    pricelevelid: ref('pricelevel', 4),
    msdyn_ordertype: 192350000,
    msdyn_processingstatus: 192350000,
    statecode: 0,
    statuscode: 1,
    totalamount: total,
    shipto_country: 'USA',
    msdyn_deliveryaddressdescription: 'Main warehouse',
    msdyn_language: 192350015,
    createdon: created,
    modifiedon: created,
  };
}

function line(n: number, orderN: number, product: number, quantity: number, price: number, sequence: number): StoredRow {
  return {
    salesorderdetailid: id(n),
    salesorderid: ref('salesorder', orderN),
    productid: ref('product', product),
    uomid: ref('uom', 5),
    transactioncurrencyid: ref('transactioncurrency', 1),
    quantity,
    priceperunit: price,
    extendedamount: quantity * price,
    sequencenumber: sequence,
    shipto_country: 'USA',
    msdyn_deliveryaddressdescription: 'Main warehouse',
    createdon: T0,
    modifiedon: T0,
  };
}

/** The fixture rows by table logical name. */
export function fixtureRows(): Record<string, StoredRow[]> {
  return {
    transactioncurrency: [
      { transactioncurrencyid: IDS.usd, currencyname: 'US Dollar', isocurrencycode: 'USD', currencysymbol: '$', currencyprecision: 2 },
      { transactioncurrencyid: IDS.eur, currencyname: 'Euro', isocurrencycode: 'EUR', currencysymbol: '€', currencyprecision: 2 },
    ],
    cdm_company: [{ cdm_companyid: IDS.company, cdm_companycode: 'USMF', cdm_name: 'Contoso Entertainment System USA' }],
    pricelevel: [{ pricelevelid: IDS.priceList, name: 'Retail USD', transactioncurrencyid: ref('transactioncurrency', 1) }],
    uomschedule: [{ uomscheduleid: IDS.uomSchedule, name: 'Default unit' }],
    uom: [
      { uomid: IDS.uomEach, name: 'Each', msdyn_symbol: 'ea', uomscheduleid: ref('uomschedule', 9) },
      { uomid: IDS.uomBox, name: 'Box', msdyn_symbol: 'box', uomscheduleid: ref('uomschedule', 9) },
    ],
    product: [
      { productid: IDS.productBolt, name: 'Hex bolt M8', productnumber: 'P-0001', defaultuomid: ref('uom', 5) },
      { productid: IDS.productNut, name: 'Hex nut M8', productnumber: 'P-0002', defaultuomid: ref('uom', 5) },
    ],
    account: [
      { accountid: IDS.contoso, name: 'Contoso Pharmaceuticals', accountnumber: 'C-001', creditlimit: 50000, transactioncurrencyid: ref('transactioncurrency', 1), msdyn_partyid: ref('msdyn_party', 70), statecode: 0, statuscode: 1, createdon: T0, modifiedon: T0 },
      { accountid: IDS.fabrikam, name: 'Fabrikam Inc.', accountnumber: 'F-002', creditlimit: 20000, transactioncurrencyid: ref('transactioncurrency', 1), msdyn_partyid: ref('msdyn_party', 71), statecode: 0, statuscode: 1, createdon: T0, modifiedon: T0 },
      { accountid: IDS.house, name: 'House account', accountnumber: 'H-000', statecode: 0, statuscode: 1, createdon: T0, modifiedon: T0 },
    ],
    contact: [
      contact(20, 'Alice', 'Archer', 10, 'alice@contoso.example'),
      contact(21, 'Andy', 'Ames', 10, 'andy@contoso.example'),
      contact(22, 'Rita', 'Reyes', 10, 'rita@contoso.example'),
      contact(23, 'Bob', 'Baker', 11, 'bob@fabrikam.example'),
      contact(24, 'Rob', 'Ross', 11, 'rob@fabrikam.example'),
      contact(25, 'Ada', 'Admin', 12, 'admin@house.example'),
      contact(26, 'Uma', 'Unwin', 10, 'uma@contoso.example'),
    ],
    salesorder: [
      order(40, 'Bolts for line 1', 10, 20, 1234.5, '2025-02-01T10:00:00Z'),
      order(41, 'Nuts restock', 10, 20, 99, '2025-02-03T10:00:00Z'),
      order(42, 'Andy order', 10, 21, 500, '2025-02-02T10:00:00Z'),
      order(43, 'Fabrikam order', 11, 23, 700, '2025-02-04T10:00:00Z'),
    ],
    salesorderdetail: [
      line(50, 40, 7, 10, 100, 1),
      line(51, 40, 8, 5, 46.9, 2),
      line(52, 42, 7, 5, 100, 1),
      line(53, 43, 8, 7, 100, 1),
    ],
    invoice: [
      { invoiceid: IDS.invoiceAlice1, name: 'Invoice 1', salesorderid: ref('salesorder', 40), customerid: ref('account', 10), transactioncurrencyid: ref('transactioncurrency', 1), totalamount: 1234.5, createdon: T0, modifiedon: T0 },
      { invoiceid: IDS.invoiceBob, name: 'Invoice 2', salesorderid: ref('salesorder', 43), customerid: ref('account', 11), transactioncurrencyid: ref('transactioncurrency', 1), totalamount: 700, createdon: T0, modifiedon: T0 },
    ],
    msdyn_party: [
      { msdyn_partyid: IDS.partyContoso, msdyn_partynumber: '000001' },
      { msdyn_partyid: IDS.partyFabrikam, msdyn_partynumber: '000002' },
    ],
    msdyn_partypostaladdress: [
      { msdyn_partypostaladdressid: IDS.partyAddressContoso, msdyn_partyid: ref('msdyn_party', 70), msdyn_postaladdresscollectionid: ref('msdyn_postaladdresscollection', 74), msdyn_postaladdresspurposenames: 'Delivery' },
      { msdyn_partypostaladdressid: IDS.partyAddressFabrikam, msdyn_partyid: ref('msdyn_party', 71), msdyn_postaladdresscollectionid: ref('msdyn_postaladdresscollection', 75), msdyn_postaladdresspurposenames: 'Delivery' },
    ],
    msdyn_postaladdresscollection: [
      { msdyn_postaladdresscollectionid: IDS.locationContoso, msdyn_description: 'Contoso main warehouse' },
      { msdyn_postaladdresscollectionid: IDS.locationFabrikam, msdyn_description: 'Fabrikam dock' },
    ],
    msdyn_postaladdress: [
      { msdyn_postaladdressid: IDS.addressContoso, msdyn_name: 'Contoso main', msdyn_postaladdresscollectionid: ref('msdyn_postaladdresscollection', 74), msdyn_city: 'Redmond' },
      { msdyn_postaladdressid: IDS.addressFabrikam, msdyn_name: 'Fabrikam dock', msdyn_postaladdresscollectionid: ref('msdyn_postaladdresscollection', 75), msdyn_city: 'Seattle' },
    ],
  };
}

/** A controllable clock. */
export class TestClock {
  constructor(public time = Date.parse('2025-03-01T12:00:00Z')) {}
  now = (): Date => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
}

/** An emulator over the fixture. */
export function fixtureEmulator(options: Partial<EmulatorOptions> = {}): { emulator: Emulator; store: MemoryStore; clock: TestClock } {
  const clock = new TestClock();
  const store = new MemoryStore({ indexes: lookupIndexes(tables) });
  store.load(fixtureRows());
  const emulator = new Emulator({ store, tables, users: USERS, now: clock.now, ...options });
  return { emulator, store, clock };
}

/** A test client: sends requests as a signed-in user on one of the two APIs. */
export class Client {
  token?: string;
  cookie?: string;
  antiForgery?: string;

  constructor(readonly emulator: Emulator, readonly api: 'dataverse' | 'powerpages') {}

  static async dataverse(emulator: Emulator, email: string): Promise<Client> {
    const client = new Client(emulator, 'dataverse');
    const response = await emulator.handle(post(`${ORIGIN}/emulator/token`, { user: email }));
    const body = (await response.json()) as { access_token: string };
    client.token = body.access_token;
    return client;
  }

  static async portal(emulator: Emulator, email: string): Promise<Client> {
    const client = new Client(emulator, 'powerpages');
    const signin = await emulator.handle(post(`${ORIGIN}/emulator/signin`, { user: email }));
    const setCookie = signin.headers.get('set-cookie') ?? '';
    client.cookie = setCookie.split(';')[0];
    await client.refreshToken();
    return client;
  }

  async refreshToken(): Promise<void> {
    const html = await (await this.emulator.handle(new Request(`${ORIGIN}/_layout/tokenhtml`, { headers: { cookie: this.cookie ?? '' } }))).text();
    this.antiForgery = /value="([^"]+)"/.exec(html)?.[1];
  }

  get base(): string {
    return this.api === 'dataverse' ? DV : PP;
  }

  headers(extra: Record<string, string> = {}): Headers {
    const headers = new Headers({ Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' });
    if (this.token) headers.set('Authorization', `Bearer ${this.token}`);
    if (this.cookie) headers.set('Cookie', this.cookie);
    if (this.antiForgery) headers.set('__RequestVerificationToken', this.antiForgery);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return headers;
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = { method, headers: this.headers(headers) };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      if (!('Content-Type' in headers)) (init.headers as Headers).set('Content-Type', 'application/json');
    }
    return this.emulator.handle(new Request(path.startsWith('http') ? path : `${this.base}/${path}`, init));
  }

  get(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('GET', path, undefined, headers);
  }

  async json<T = Record<string, unknown>>(path: string, headers?: Record<string, string>): Promise<{ status: number; body: T; response: Response }> {
    const response = await this.get(path, headers);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, response };
  }
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
}

/** Reads a JSON body (undefined when empty). */
export async function bodyOf(response: Response): Promise<any> {
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}
