/**
 * The emulator's seed data: a deterministic, realistic data set of one SCM legal entity selling industrial goods
 * to a handful of B2B customers (and one very large one), as dual-write would have filled Dataverse.
 *
 * Same options → byte-identical output: all randomness comes from {@link SeededRandom}, GUIDs included, and
 * every date is relative to `now` (a fixed date unless the caller passes one).
 *
 * @module
 */
import { tables, type TableName } from '../../tables/index.js';
import {
  ActiveState,
  ActiveStatusReason,
  AddressPurpose,
  InvoiceState,
  InvoiceStatusReason,
  LineStatus,
  OnHoldStatus,
  OrderState,
  OrderStatusReason,
  OrderType,
  orderLanguageByPortalLanguage,
  PortalLanguage,
  PriceListStatusReason,
  PricingMethod,
  ProcessingStatus,
  ProductState,
  ProductStatusReason,
  ProductType,
  QuantitySelling,
} from '../../tables/choices.js';
import type { LookupValue, SeedData, SeedUser, StoredRow, WebRole } from '../types.js';
import { buildCatalogue, type ProductSpec, type UnitSymbol } from './catalogue.js';
import {
  customers as customerSpecs,
  firstNames,
  houseAccount,
  jobTitles,
  largeCustomer,
  lastNames,
  paymentTermDays,
  referenceTemplates,
  sellingCompany,
  type AddressSpec,
  type CustomerSpec,
  type PaymentTermCode,
} from './parties.js';
import { SeededRandom } from './random.js';

/**
 * Version of the generator's output. Bump it whenever the same options would produce different data, so that a
 * store holding an older seed can tell it is stale.
 */
export const SEED_VERSION = 2;

/** Options of {@link generateSeed}. */
export interface SeedOptions {
  /** PRNG seed. Default 20261124. */
  readonly seed?: number;
  /** Sales orders spread over the normal customers. Default 5,000. */
  readonly orders?: number;
  /** Sales orders of the large customer (Meridian Retail Group, `US-010`). Default 25,000. */
  readonly largeAccountOrders?: number;
  /**
   * The moment the data is "as of": orders span the two years before it. Default 2026-11-20T12:00:00Z, fixed so
   * that output is identical across runs; pass `new Date()` for data that looks current.
   */
  readonly now?: Date;
  /**
   * Put hostile text in the data (markup such as `<img src=x onerror=…>`, right-to-left and bidi-override text,
   * emoji, quotes, 2,000-character strings) to prove the portal escapes and lays out whatever it shows.
   */
  readonly hostile?: boolean;
}

/** The defaults of {@link SeedOptions} (`now` as an ISO 8601 string). */
export const defaultSeedOptions = {
  seed: 20261124,
  orders: 5000,
  largeAccountOrders: 25000,
  now: '2026-11-20T12:00:00Z',
  hostile: false,
} as const;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const COUNTRY = 'USA';
/** SCM's "no end date" for date-effective records. */
const MAX_DATE = '2154-12-31T23:59:59Z';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

type Weights<T> = readonly (readonly [T, number])[];
const S = ProcessingStatus;
/**
 * How likely each processing status is, by order age (younger than so many days): older orders are mostly
 * invoiced, recent ones open; some are cancelled or part-way.
 */
const statusWeightsByAge: readonly (readonly [number, Weights<ProcessingStatus>])[] = [
  [3, [[S.Active, 45], [S.Confirmed, 35], [S.Picked, 12], [S.Cancelled, 3], [S.PartiallyDelivered, 5]]],
  [14, [[S.Active, 4], [S.Confirmed, 26], [S.Picked, 22], [S.PartiallyDelivered, 12], [S.Delivered, 16], [S.Invoiced, 10],
    [S.PartiallyInvoiced, 3], [S.Cancelled, 5], [S.DeliveredPartiallyInvoiced, 2]]],
  [60, [[S.Confirmed, 4], [S.Picked, 4], [S.PartiallyDelivered, 7], [S.Delivered, 14], [S.Invoiced, 52],
    [S.PartiallyInvoiced, 7], [S.Cancelled, 6], [S.DeliveredPartiallyInvoiced, 6]]],
  [Infinity, [[S.PartiallyDelivered, 1], [S.Delivered, 2], [S.Invoiced, 86], [S.PartiallyInvoiced, 3], [S.Cancelled, 5],
    [S.DeliveredPartiallyInvoiced, 3]]],
];
/** Statuses that need at least two lines (some lines done, others not). */
const partialStatuses: ReadonlySet<number> = new Set([S.PartiallyDelivered, S.PartiallyInvoiced, S.DeliveredPartiallyInvoiced]);
const normalLineCounts: Weights<number> = [[1, 14], [2, 14], [3, 13], [4, 11], [5, 9], [6, 8], [7, 7], [8, 6], [9, 5],
  [10, 4], [11, 3], [12, 2], [13, 2], [14, 1], [15, 1]];
const largeLineCounts: Weights<number> = [[1, 40], [2, 30], [3, 18], [4, 12]];
const countQuantities: Readonly<Record<'ea' | 'pcs' | 'box', Weights<number>>> = {
  ea: [[1, 30], [2, 20], [3, 10], [4, 8], [5, 10], [10, 8], [12, 4], [20, 5], [25, 3], [50, 2]],
  pcs: [[1, 15], [2, 15], [5, 20], [10, 20], [20, 12], [25, 8], [50, 6], [100, 4]],
  box: [[1, 30], [2, 25], [3, 12], [5, 15], [10, 10], [20, 5], [40, 3]],
};
const metreQuantities = [5, 10, 12.5, 15, 20, 25, 50, 75, 100, 150, 250, 500];
const kiloQuantities = [0.5, 1, 2.5, 5, 10, 25, 50];
const litreQuantities = [1, 5, 10, 20, 25, 60, 200, 208];
const discountPercents = [2, 5, 7.5, 10, 12.5, 15];
const normalFreightCents = [1250, 1995, 3500, 4900, 7500, 12000];
const largeFreightCents = [4900, 7500, 12000];

/** ISO 8601 UTC without milliseconds (`2025-03-01T14:05:00Z`). */
const isoDateTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';
/** Date only (`2025-03-01`). */
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number): number => Math.floor(ms / DAY) * DAY;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const cents = (amount: number): number => Math.round(amount * 100);
const ref = (table: TableName, id: string): LookupValue => ({ id, table });

interface UnitInfo {
  readonly symbol: UnitSymbol;
  readonly name: string;
  readonly precision: number;
  readonly id: string;
  readonly ref: LookupValue;
}

interface ProductInfo {
  readonly spec: ProductSpec;
  readonly id: string;
  readonly ref: LookupValue;
  readonly unit: UnitInfo;
  /** When it was retired (ms), or `undefined` when still sellable. */
  readonly retiredAt: number | undefined;
}

interface AddressInfo {
  readonly spec: AddressSpec;
  readonly line1: string;
  readonly line2: string | null;
  readonly formatted: string;
  /** The address this location had before it moved (orders placed before `movedAt` were shipped there). */
  readonly previous?: AddressInfo;
  readonly movedAt?: number;
}

interface ContactInfo {
  readonly id: string;
  readonly ref: LookupValue;
  readonly email: string;
  readonly lastName: string;
  readonly roles: readonly WebRole[];
  readonly orderLanguage: number;
}

interface CustomerInfo {
  readonly spec: CustomerSpec;
  readonly accountId: string;
  readonly ref: LookupValue;
  readonly headOffice: AddressInfo;
  readonly deliveries: readonly AddressInfo[];
  /** Delivery addresses weighted for picking: the primary one is used most. */
  readonly deliveryWeights: Weights<AddressInfo>;
  readonly contacts: readonly ContactInfo[];
  /** Contacts who place orders, with weights. */
  readonly orderers: readonly (readonly [ContactInfo, number])[];
  /** The products this customer usually buys. */
  readonly favourites: readonly ProductInfo[];
  readonly paymentTermRef: LookupValue;
  /** Orders stop at this moment (the customer was put on hold for everything). */
  readonly blockedSince: number | undefined;
}

interface PlannedOrder {
  readonly at: number;
  readonly customer: CustomerInfo;
  readonly large: boolean;
  forcePending: boolean;
}

/** An invoice to create once all orders exist (invoice numbers follow invoice dates). */
interface PlannedInvoice {
  readonly at: number;
  readonly order: StoredRow;
  readonly customer: CustomerInfo;
  readonly lines: readonly StoredRow[];
  readonly freightCents: number;
}

/**
 * Generates the seed data set. Deterministic: the same options always give identical rows, GUIDs and users.
 *
 * Rows are keyed by table logical name and follow the storage conventions of `../types.ts`. With the default
 * options it holds one legal entity, 11 accounts (9 customers, the large customer, the selling company's own
 * account), ~200 products, 5,000 + 25,000 sales orders with ~110,000 lines, their invoices and invoice lines.
 */
export function generateSeed(options: SeedOptions = {}): SeedData {
  const seed = options.seed ?? defaultSeedOptions.seed;
  const orderCount = options.orders ?? defaultSeedOptions.orders;
  const largeOrderCount = options.largeAccountOrders ?? defaultSeedOptions.largeAccountOrders;
  const now = options.now?.getTime() ?? Date.parse(defaultSeedOptions.now);
  for (const [name, value] of [['orders', orderCount], ['largeAccountOrders', largeOrderCount]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`generateSeed: ${name} must be a whole number ≥ 0`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError('generateSeed: seed must be a whole number');
  if (!Number.isFinite(now)) throw new RangeError('generateSeed: now must be a valid date');
  const random = new SeededRandom(seed);

  const rows = Object.fromEntries(Object.keys(tables).map((name) => [name, [] as StoredRow[]])) as
    Record<TableName, StoredRow[]>;
  const users: SeedUser[] = [];
  const setupAt = startOfDay(now - 1200 * DAY) + 14 * HOUR;
  const setup = isoDateTime(setupAt);

  // ------------------------------------------------------------------------------------------------------------
  // Legal entity, currency, units, terms of payment, price list

  const companyId = random.guid();
  const companyRef = ref('cdm_company', companyId);
  rows.cdm_company.push({
    cdm_companyid: companyId,
    cdm_companycode: sellingCompany.code,
    cdm_name: sellingCompany.name,
    createdon: setup,
    modifiedon: setup,
  });

  const currencyId = random.guid();
  const currencyRef = ref('transactioncurrency', currencyId);
  rows.transactioncurrency.push({
    transactioncurrencyid: currencyId,
    currencyname: 'US Dollar',
    isocurrencycode: 'USD',
    currencysymbol: '$',
    currencyprecision: 2,
    exchangerate: 1,
    statecode: ActiveState.Active,
    statuscode: ActiveStatusReason.Active,
    createdon: setup,
    modifiedon: setup,
  });

  // Dual-write puts every SCM unit in one unit group; conversions stay in SCM.
  const scheduleId = random.guid();
  const scheduleRef = ref('uomschedule', scheduleId);
  rows.uomschedule.push({
    uomscheduleid: scheduleId,
    name: 'Default Unit',
    baseuomname: 'Each',
    statecode: ActiveState.Active,
    statuscode: ActiveStatusReason.Active,
    createdon: setup,
    modifiedon: setup,
  });
  const unitDefs: readonly (readonly [UnitSymbol, string, number])[] = [
    ['ea', 'Each', 0], ['pcs', 'Pieces', 0], ['box', 'Box', 0], ['kg', 'Kilogram', 3], ['m', 'Meter', 2],
    ['l', 'Liter', 2],
  ];
  const units = new Map<UnitSymbol, UnitInfo>();
  for (const [symbol, name, precision] of unitDefs) {
    const id = random.guid();
    units.set(symbol, { symbol, name, precision, id, ref: ref('uom', id) });
  }
  const baseUnit = units.get('ea')!;
  for (const unit of units.values()) {
    rows.uom.push({
      uomid: unit.id,
      name: unit.name,
      msdyn_symbol: unit.symbol,
      msdyn_decimalprecision: unit.precision,
      uomscheduleid: scheduleRef,
      baseuom: unit === baseUnit ? null : baseUnit.ref,
      quantity: 1,
      createdon: setup,
      modifiedon: setup,
    });
  }

  const paymentTerms = new Map<PaymentTermCode, LookupValue>();
  for (const code of Object.keys(paymentTermDays) as PaymentTermCode[]) {
    const id = random.guid();
    paymentTerms.set(code, ref('msdyn_paymentterm', id));
    rows.msdyn_paymentterm.push({ msdyn_paymenttermid: id, msdyn_name: code, createdon: setup, modifiedon: setup });
  }

  const priceListId = random.guid();
  const priceListRef = ref('pricelevel', priceListId);
  rows.pricelevel.push({
    pricelevelid: priceListId,
    name: `${sellingCompany.code} Standard USD`,
    description: 'Standard sales prices for customers in the United States.',
    transactioncurrencyid: currencyRef,
    begindate: isoDateTime(startOfDay(setupAt)),
    enddate: null,
    statecode: ActiveState.Active,
    statuscode: PriceListStatusReason.Active,
    createdon: setup,
    modifiedon: setup,
  });

  // ------------------------------------------------------------------------------------------------------------
  // Products: every sellable one on the price list; a few retired ones, no longer on it.

  const catalogue = buildCatalogue(random);
  const retiredIndexes = new Set(random.sample(catalogue.map((_, i) => i), 6));
  const products: ProductInfo[] = catalogue.map((spec, i) => {
    const id = random.guid();
    const retiredAt = retiredIndexes.has(i) ? now - random.int(60, 420) * DAY : undefined;
    return { spec, id, ref: ref('product', id), unit: units.get(spec.unit)!, retiredAt };
  });
  for (const p of products) {
    const retired = p.retiredAt !== undefined;
    rows.product.push({
      productid: p.id,
      name: p.spec.name,
      productnumber: p.spec.itemNumber,
      msdyn_productnumber: p.spec.itemNumber,
      description: p.spec.description,
      producttypecode: ProductType.SalesInventory,
      defaultuomid: p.unit.ref,
      defaultuomscheduleid: scheduleRef,
      pricelevelid: retired ? null : priceListRef,
      transactioncurrencyid: currencyRef,
      price: p.spec.price,
      quantitydecimal: p.unit.precision,
      statecode: retired ? ProductState.Retired : ProductState.Active,
      statuscode: retired ? ProductStatusReason.Retired : ProductStatusReason.Active,
      createdon: setup,
      modifiedon: retired ? isoDateTime(p.retiredAt!) : setup,
    });
    if (retired) continue;
    rows.productpricelevel.push({
      productpricelevelid: random.guid(),
      pricelevelid: priceListRef,
      productid: p.ref,
      uomid: p.unit.ref,
      transactioncurrencyid: currencyRef,
      amount: p.spec.price,
      pricingmethodcode: PricingMethod.CurrencyAmount,
      quantitysellingcode: p.unit.precision === 0 ? QuantitySelling.Whole : QuantitySelling.WholeAndFractional,
      productnumber: p.spec.itemNumber,
      createdon: setup,
      modifiedon: setup,
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Customers: party, postal addresses, account, contacts (the portal users)

  const nameCombos = random.shuffle(firstNames.flatMap((f) => lastNames.map((l) => [f, l] as const)));
  let nameIndex = 0;
  let partyNumber = 1000;
  let locationNumber = 5000;
  let contactPersonNumber = 100;

  const formatAddress = (a: AddressSpec): AddressInfo => {
    const line1 = `${a.streetNumber} ${a.street}`;
    const line2 = a.building ?? null;
    const formatted = [line1, line2, `${a.city}, ${a.state} ${a.zip}`, COUNTRY].filter((x) => x !== null).join('\n');
    return { spec: a, line1, line2, formatted };
  };

  const createCustomer = (spec: CustomerSpec, customerIndex: number): CustomerInfo => {
    const createdAt = setupAt + random.int(5, 400) * DAY;
    const created = isoDateTime(createdAt);
    const accountId = random.guid();
    const accountRef = ref('account', accountId);

    // Global address book: party → locations (head office for invoices, delivery addresses) → postal addresses.
    const partyId = random.guid();
    rows.msdyn_party.push({
      msdyn_partyid: partyId,
      msdyn_partynumber: pad(++partyNumber, 9),
      createdon: created,
      modifiedon: created,
    });
    const partyRef = ref('msdyn_party', partyId);
    const addLocation = (a: AddressSpec, purposes: string, primary: boolean, moved?: { at: number; from: AddressSpec }) => {
      const collectionId = random.guid();
      const collectionRef = ref('msdyn_postaladdresscollection', collectionId);
      rows.msdyn_postaladdresscollection.push({
        msdyn_postaladdresscollectionid: collectionId,
        msdyn_location: pad(++locationNumber, 9),
        msdyn_description: a.description,
        createdon: created,
        modifiedon: created,
      });
      rows.msdyn_partypostaladdress.push({
        msdyn_partypostaladdressid: random.guid(),
        msdyn_partyid: partyRef,
        msdyn_postaladdresscollectionid: collectionRef,
        msdyn_postaladdresspurposenames: purposes,
        msdyn_isprimary: primary,
        msdyn_islocationowner: true,
        createdon: created,
        modifiedon: created,
      });
      const postal = (p: AddressSpec, from: string, to: string): StoredRow => ({
        msdyn_postaladdressid: random.guid(),
        msdyn_name: p.description,
        msdyn_postaladdresscollectionid: collectionRef,
        msdyn_street: p.street,
        msdyn_streetnumber: p.streetNumber,
        msdyn_buildingcompliment: p.building ?? null,
        msdyn_city: p.city,
        msdyn_state: p.state,
        msdyn_zipcode: p.zip,
        msdyn_countryregionid: COUNTRY,
        msdyn_validfrom: from,
        msdyn_validto: to,
        createdon: from,
        modifiedon: to === MAX_DATE ? from : to,
      });
      if (moved === undefined) {
        rows.msdyn_postaladdress.push(postal(a, created, MAX_DATE));
      } else {
        // The location moved once: SCM keeps the old address, no longer valid, beside the current one.
        rows.msdyn_postaladdress.push(postal(moved.from, created, isoDateTime(moved.at - 1000)));
        rows.msdyn_postaladdress.push(postal(a, isoDateTime(moved.at), MAX_DATE));
      }
    };
    addLocation(spec.headOffice, `${AddressPurpose.Business};${AddressPurpose.Invoice}`, true);
    // The first customer's main warehouse moved down the street some months ago.
    const move = customerIndex === 0
      ? { at: startOfDay(now - 300 * DAY) + 12 * HOUR, from: { ...spec.deliveryAddresses[0]!, streetNumber: String(Number(spec.deliveryAddresses[0]!.streetNumber) + 150) } }
      : undefined;
    spec.deliveryAddresses.forEach((a, i) => addLocation(a, AddressPurpose.Delivery, false, i === 0 ? move : undefined));

    // Contacts: the portal users of this customer.
    const contacts: ContactInfo[] = spec.contactRoles.map((role) => {
      const [first, last] = nameCombos[nameIndex++ % nameCombos.length]!;
      const id = random.guid();
      const local = `${first}.${last}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, '')
        .toLowerCase();
      const email = `${local}@${spec.domain}`;
      const portalLanguage = random.weighted<PortalLanguage>([
        [PortalLanguage.English, 17], [PortalLanguage.Spanish, 1], [PortalLanguage.French, 1], [PortalLanguage.German, 1],
      ]);
      const contactCreated = isoDateTime(createdAt + random.int(1, 60) * DAY);
      rows.contact.push({
        contactid: id,
        firstname: first,
        lastname: last,
        fullname: `${first} ${last}`,
        emailaddress1: email,
        telephone1: `+1 ${spec.areaCode} 555 01${pad(random.int(0, 99), 2)}`,
        jobtitle: random.pick(jobTitles[role]),
        parentcustomerid: accountRef,
        msdyn_company: companyRef,
        transactioncurrencyid: currencyRef,
        defaultpricelevelid: priceListRef,
        mspp_userpreferredlcid: portalLanguage,
        msdyn_contactpersonid: `CP-${pad(++contactPersonNumber, 6)}`,
        statecode: ActiveState.Active,
        statuscode: ActiveStatusReason.Active,
        createdon: contactCreated,
        modifiedon: contactCreated,
      });
      users.push({
        email,
        fullName: `${first} ${last}`,
        contactId: id,
        accountId,
        accountNumber: spec.accountNumber,
        webRoles: [role],
      });
      return {
        id, ref: ref('contact', id), email, lastName: last, roles: [role],
        orderLanguage: orderLanguageByPortalLanguage[portalLanguage],
      };
    });

    const headOffice = formatAddress(spec.headOffice);
    const deliveries = spec.deliveryAddresses.map((a, i): AddressInfo => (i === 0 && move
      ? { ...formatAddress(a), previous: formatAddress(move.from), movedAt: move.at }
      : formatAddress(a)));
    const primaryDelivery = deliveries[0]!;
    const onHold = OnHoldStatus[spec.onHold];
    rows.account.push({
      accountid: accountId,
      name: spec.name,
      accountnumber: spec.accountNumber,
      msdyn_company: companyRef,
      msdyn_partyid: partyRef,
      primarycontactid: contacts[0]!.ref,
      transactioncurrencyid: currencyRef,
      defaultpricelevelid: priceListRef,
      creditlimit: spec.creditLimit,
      creditonhold: spec.onHold === 'All',
      msdyn_creditlimitismandatory: spec.creditLimitIsMandatory,
      msdyn_creditrating: spec.creditRating,
      msdyn_onholdstatus: onHold,
      msdyn_paymentterm: paymentTerms.get(spec.paymentTerm)!,
      telephone1: `+1 ${spec.areaCode} 555 0100`,
      emailaddress1: `orders@${spec.domain}`,
      address1_name: primaryDelivery.spec.description,
      address1_line1: primaryDelivery.line1,
      address1_line2: primaryDelivery.line2,
      address1_city: primaryDelivery.spec.city,
      address1_stateorprovince: primaryDelivery.spec.state,
      address1_postalcode: primaryDelivery.spec.zip,
      address1_country: COUNTRY,
      address2_name: headOffice.spec.description,
      address2_line1: headOffice.line1,
      address2_line2: headOffice.line2,
      address2_city: headOffice.spec.city,
      address2_stateorprovince: headOffice.spec.state,
      address2_postalcode: headOffice.spec.zip,
      address2_country: COUNTRY,
      statecode: ActiveState.Active,
      statuscode: ActiveStatusReason.Active,
      createdon: created,
      modifiedon: created,
    });

    const sellable = products.filter((p) => p.retiredAt === undefined || p.retiredAt > now - 2 * 365 * DAY);
    return {
      spec,
      accountId,
      ref: accountRef,
      headOffice,
      deliveries,
      deliveryWeights: deliveries.map((d, i) => [d, i === 0 ? 3 : 1] as const),
      contacts,
      orderers: contacts
        .filter((c) => c.roles.includes('customer-representative') || c.roles.includes('authorized-user'))
        .map((c, i) => [c, c.roles.includes('customer-representative') ? 1 : i === 1 ? 4 : 2] as const),
      favourites: random.sample(sellable, random.int(25, 45)),
      paymentTermRef: paymentTerms.get(spec.paymentTerm)!,
      blockedSince: spec.onHold === 'All' ? now - random.int(30, 50) * DAY : undefined,
    };
  };

  const normalCustomers = customerSpecs.map((spec, i) => createCustomer(spec, i));
  const large = createCustomer(largeCustomer, customerSpecs.length);
  createCustomer(houseAccount, customerSpecs.length + 1);

  // ------------------------------------------------------------------------------------------------------------
  // Order plan: when and for whom, in time order (order numbers count up with time).

  const orderTime = (): number => {
    for (;;) {
      const day = startOfDay(now) - random.int(0, 729) * DAY;
      const weekday = new Date(day).getUTCDay();
      if ((weekday === 0 || weekday === 6) && random.chance(0.85)) continue;
      // 13:00–23:00 UTC: business hours across US time zones.
      const at = day + 13 * HOUR + Math.floor(random.next() * 10 * HOUR / 1000) * 1000;
      if (at < now) return at;
    }
  };
  const customerWeights = normalCustomers.map((c) => [c, c.spec.orderWeight] as const);
  const plan: PlannedOrder[] = [];
  for (let i = 0; i < orderCount; i++) {
    const at = orderTime();
    let customer = random.weighted(customerWeights);
    while (customer.blockedSince !== undefined && at >= customer.blockedSince) customer = random.weighted(customerWeights);
    plan.push({ at, customer, large: false, forcePending: false });
  }
  for (let i = 0; i < largeOrderCount; i++) plan.push({ at: orderTime(), customer: large, large: true, forcePending: false });
  plan.sort((a, b) => a.at - b.at);
  // The newest orders were just submitted on the portal: dual-write has not sent them to SCM yet.
  let pendingNormal = 3;
  let pendingLarge = 1;
  for (let i = plan.length - 1; i >= 0 && (pendingNormal > 0 || pendingLarge > 0); i--) {
    const p = plan[i]!;
    if (p.large && pendingLarge > 0) { p.forcePending = true; pendingLarge--; }
    if (!p.large && pendingNormal > 0 && p.customer.blockedSince === undefined) { p.forcePending = true; pendingNormal--; }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Orders and lines

  const statusByAge = (ageDays: number): ProcessingStatus => {
    for (const [younger, weights] of statusWeightsByAge) if (ageDays < younger) return random.weighted(weights);
    return random.weighted(statusWeightsByAge[statusWeightsByAge.length - 1]![1]);
  };
  const lineCount = (isLarge: boolean): number => random.weighted(isLarge ? largeLineCounts : normalLineCounts);

  const quantity = (unit: UnitInfo, isLarge: boolean): number => {
    const scale = isLarge ? 2 : 1;
    switch (unit.symbol) {
      case 'ea': case 'pcs': case 'box': return scale * random.weighted(countQuantities[unit.symbol]);
      case 'm': return random.chance(0.6)
        ? scale * random.pick(metreQuantities)
        : Math.round(random.between(1, 300) * 100) / 100;
      case 'kg': return random.chance(0.5)
        ? scale * random.pick(kiloQuantities)
        : Math.round(random.between(0.25, 120) * 1000) / 1000;
      case 'l': return random.chance(0.7)
        ? scale * random.pick(litreQuantities)
        : Math.round(random.between(0.5, 100) * 100) / 100;
    }
  };

  const reference = (customer: CustomerInfo, at: number, placedBy: ContactInfo | null, site: string): string => {
    const d = new Date(at);
    return random.pick(referenceTemplates)
      .replace('{n}', String(random.int(1000, 99999)))
      .replace('{yyyy}', String(d.getUTCFullYear()))
      .replace('{customer}', customer.spec.name)
      .replace('{site}', site)
      .replace('{last}', placedBy?.lastName ?? 'Murphy')
      .replace('{d}', String(random.int(1, 12)))
      .replace('{q}', String(Math.floor(d.getUTCMonth() / 3) + 1))
      .replace('{month}', MONTHS[d.getUTCMonth()]!);
  };

  const plannedInvoices: PlannedInvoice[] = [];
  let orderSequence = 1000;
  let scmOrderSequence = 1000;

  for (const planned of plan) {
    const { at, customer } = planned;
    const ageDays = (now - at) / DAY;
    const sinceOrder = now - at;
    const created = isoDateTime(at);
    const orderId = random.guid();
    const orderRef = ref('salesorder', orderId);
    const ordernumber = `ORD-${pad(++orderSequence, 5)}-${random.string(6, ALPHANUMERIC)}`;

    // Placed on the portal by one of the customer's users, or entered in SCM (phone, e-mail, EDI).
    const fromPortal = planned.forcePending || random.chance(0.85);
    const placedBy = fromPortal ? random.weighted(customer.orderers) : null;
    let status = planned.forcePending ? ProcessingStatus.Active : statusByAge(ageDays);
    let lines = lineCount(planned.large);
    if (partialStatuses.has(status) && lines < 2) lines = random.int(2, planned.large ? 4 : 8);
    const pendingSync = planned.forcePending
      || (fromPortal && status === ProcessingStatus.Active && sinceOrder < 2 * HOUR && random.chance(0.5));
    if (pendingSync) status = ProcessingStatus.Active;
    const scmNumber = pendingSync ? null : `SO-${pad(++scmOrderSequence, 6)}`;

    // Events after the order date, always before `now`.
    const confirmAt = at + Math.min(sinceOrder * 0.15, random.between(0.05, 1.5) * DAY);
    const shipAt = confirmAt + Math.min((now - confirmAt) * 0.5, random.between(1, 8) * DAY);
    const invoiceAt = shipAt + Math.min((now - shipAt) * 0.5, random.between(0.2, 3) * DAY);
    const cancelAt = at + Math.min(sinceOrder * 0.3, random.between(0.1, 5) * DAY);
    let lastChange = at;
    switch (status) {
      case ProcessingStatus.Active: lastChange = pendingSync ? at : Math.min(at + 5 * 60_000, now); break;
      case ProcessingStatus.Confirmed: case ProcessingStatus.Picked: lastChange = confirmAt; break;
      case ProcessingStatus.PartiallyDelivered: case ProcessingStatus.Delivered: lastChange = shipAt; break;
      case ProcessingStatus.Cancelled: lastChange = cancelAt; break;
      default: lastChange = invoiceAt;
    }
    const modified = isoDateTime(lastChange);

    const requestedReceiptAt = startOfDay(at) + random.int(3, 21) * DAY;
    const requestedReceipt = isoDate(requestedReceiptAt);
    const confirmed = !pendingSync && status !== ProcessingStatus.Active
      && (status !== ProcessingStatus.Cancelled || random.chance(0.5));
    const confirmedReceiptAt = requestedReceiptAt + random.int(-1, 5) * DAY;
    const confirmedReceipt = confirmed ? isoDate(confirmedReceiptAt) : null;
    const confirmedShipping = confirmed ? isoDate(confirmedReceiptAt - random.int(1, 3) * DAY) : null;

    const location = random.weighted(customer.deliveryWeights);
    const delivery = location.movedAt !== undefined && at < location.movedAt ? location.previous! : location;
    const language = placedBy?.orderLanguage ?? orderLanguageByPortalLanguage[PortalLanguage.English];
    const priceFactor = 1 / (1 + 0.03 * (ageDays / 365));

    // Line statuses consistent with the header status.
    const lineStatuses: number[] = [];
    {
      const L = LineStatus;
      const all = (s: number) => { for (let i = 0; i < lines; i++) lineStatuses.push(s); };
      const split = (first: number, rest: () => number) => {
        const k = random.int(1, lines - 1);
        const order = random.shuffle(Array.from({ length: lines }, (_, i) => i));
        for (let i = 0; i < lines; i++) lineStatuses.push(0);
        order.forEach((lineIndex, i) => { lineStatuses[lineIndex] = i < k ? first : rest(); });
        return order.slice(k);
      };
      switch (status) {
        case ProcessingStatus.Active: all(pendingSync ? L.None : L.Backorder); break;
        case ProcessingStatus.Confirmed: case ProcessingStatus.Picked: all(L.Backorder); break;
        case ProcessingStatus.PartiallyDelivered: split(L.Delivered, () => L.Backorder); break;
        case ProcessingStatus.Delivered: all(L.Delivered); break;
        case ProcessingStatus.Invoiced: all(L.Invoiced); break;
        case ProcessingStatus.PartiallyInvoiced: {
          const rest = split(L.Invoiced, () => (random.chance(0.5) ? L.Delivered : L.Backorder));
          lineStatuses[rest[0]!] = L.Backorder; // something is still to deliver
          break;
        }
        case ProcessingStatus.DeliveredPartiallyInvoiced: split(L.Invoiced, () => L.Delivered); break;
        case ProcessingStatus.Cancelled: all(L.Cancelled); break;
      }
    }

    const order: StoredRow = {
      salesorderid: orderId,
      name: fromPortal ? 'sales order' : scmNumber!,
      ordernumber,
      msdyn_salesordernumber: scmNumber,
      customerid: customer.ref,
      msdyn_invoicecustomerid: customer.ref,
      msdyn_contactperson: placedBy?.ref ?? null,
      msdyn_company: companyRef,
      transactioncurrencyid: currencyRef,
      pricelevelid: priceListRef,
      msdyn_paymentterms: customer.paymentTermRef,
      msdyn_ordertype: OrderType.SyncToScm,
      msdyn_processingstatus: status,
      statecode: OrderState.Active,
      statuscode: OrderStatusReason.New,
      msdyn_issalesprocessingstopped: false,
      totallineitemamount: 0,
      totaldiscountamount: 0,
      totaltax: 0,
      freightamount: 0,
      totalamount: 0,
      requestdeliveryby: isoDateTime(requestedReceiptAt - random.int(1, 2) * DAY),
      msdyn_requestedreceiptdate: requestedReceipt,
      msdyn_confirmedreceiptdate: confirmedReceipt,
      msdyn_confirmedshippingdate: confirmedShipping,
      shipto_name: customer.spec.name,
      shipto_line1: delivery.line1,
      shipto_line2: delivery.line2,
      shipto_city: delivery.spec.city,
      shipto_stateorprovince: delivery.spec.state,
      shipto_postalcode: delivery.spec.zip,
      shipto_country: COUNTRY,
      msdyn_deliveryaddressname: customer.spec.name,
      msdyn_deliveryaddressdescription: delivery.spec.description,
      msdyn_formatteddeliveryaddress: delivery.formatted,
      msdyn_formattedinvoiceaddress: customer.headOffice.formatted,
      msdyn_customerrequisitionnumber: random.chance(0.3) ? `REQ-${random.int(10000, 99999)}` : null,
      msdyn_customersorderreference: random.chance(0.45) ? reference(customer, at, placedBy, delivery.spec.description) : null,
      emailaddress: placedBy?.email ?? null,
      msdyn_language: language,
      createdon: created,
      modifiedon: modified,
    };

    let sumExtended = 0;
    let sumDiscount = 0;
    let sumTax = 0;
    const used = new Set<ProductInfo>();
    const orderLines: StoredRow[] = [];
    for (let n = 0; n < lines; n++) {
      let product: ProductInfo;
      for (let attempt = 0; ; attempt++) {
        product = random.chance(0.8) && attempt < 20 ? random.pick(customer.favourites) : random.pick(products);
        if (used.has(product)) continue;
        if (product.retiredAt !== undefined && product.retiredAt <= at) continue;
        break;
      }
      used.add(product);
      const qty = quantity(product.unit, planned.large);
      const priceCents = Math.round(product.spec.price * 100 * priceFactor);
      const baseCents = Math.round(qty * priceCents);
      const discountPercent = random.chance(0.15) ? random.pick(discountPercents) : 0;
      const discountCents = Math.round(baseCents * discountPercent / 100);
      const extendedCents = baseCents - discountCents;
      const taxCents = Math.round(extendedCents * customer.spec.taxRate);
      sumExtended += extendedCents;
      sumDiscount += discountCents;
      sumTax += taxCents;
      const lineStatus = lineStatuses[n]!;
      const synced = lineStatus !== LineStatus.None;
      const shipped = lineStatus === LineStatus.Delivered || lineStatus === LineStatus.Invoiced;
      const line: StoredRow = {
        salesorderdetailid: random.guid(),
        salesorderid: orderRef,
        productid: product.ref,
        uomid: product.unit.ref,
        transactioncurrencyid: currencyRef,
        msdyn_company: companyRef,
        sequencenumber: n + 1,
        msdyn_linedescription: product.spec.name,
        productnumber: product.spec.itemNumber,
        isproductoverridden: false,
        ispriceoverridden: false,
        quantity: qty,
        priceperunit: priceCents / 100,
        baseamount: baseCents / 100,
        msdyn_linediscountamount: discountCents / 100,
        msdyn_linediscountpercentage: discountPercent,
        extendedamount: extendedCents / 100,
        tax: taxCents / 100,
        msdyn_linestatus: lineStatus,
        quantityshipped: synced ? (shipped ? qty : 0) : null,
        quantitybackordered: synced ? (lineStatus === LineStatus.Backorder ? qty : 0) : null,
        quantitycancelled: synced ? (lineStatus === LineStatus.Cancelled ? qty : 0) : null,
        msdyn_requestedreceiptdate: requestedReceipt,
        msdyn_confirmedreceiptdate: confirmedReceipt,
        msdyn_confirmedshippingdate: confirmedShipping,
        shipto_name: customer.spec.name,
        shipto_line1: delivery.line1,
        shipto_city: delivery.spec.city,
        shipto_stateorprovince: delivery.spec.state,
        shipto_postalcode: delivery.spec.zip,
        shipto_country: COUNTRY,
        msdyn_deliveryaddressdescription: delivery.spec.description,
        createdon: created,
        modifiedon: modified,
      };
      orderLines.push(line);
      rows.salesorderdetail.push(line);
    }

    const freightCents = planned.large
      ? (random.chance(0.1) ? random.pick(largeFreightCents) : 0)
      : (random.chance(0.5) ? random.pick(normalFreightCents) : 0);
    order.totallineitemamount = sumExtended / 100;
    order.totaldiscountamount = sumDiscount / 100;
    order.totaltax = sumTax / 100;
    order.freightamount = freightCents / 100;
    order.totalamount = (sumExtended + sumTax + freightCents) / 100;
    rows.salesorder.push(order);

    // Invoices: the invoiced lines, usually in one invoice, sometimes two.
    const invoiced = orderLines.filter((l) => l.msdyn_linestatus === LineStatus.Invoiced);
    if (invoiced.length > 0) {
      if (status === ProcessingStatus.Invoiced && invoiced.length >= 4 && random.chance(0.2)) {
        const k = random.int(1, invoiced.length - 1);
        const secondAt = invoiceAt + Math.min((now - invoiceAt) * 0.5, random.between(1, 10) * DAY);
        plannedInvoices.push({ at: invoiceAt, order, customer, lines: invoiced.slice(0, k), freightCents });
        plannedInvoices.push({ at: secondAt, order, customer, lines: invoiced.slice(k), freightCents: 0 });
      } else {
        plannedInvoices.push({ at: invoiceAt, order, customer, lines: invoiced, freightCents });
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Invoices, numbered in invoice-date order

  plannedInvoices.sort((a, b) => a.at - b.at);
  let invoiceSequence = 0;
  for (const planned of plannedInvoices) {
    const { at, order, customer } = planned;
    const invoiceId = random.guid();
    const invoiceRef = ref('invoice', invoiceId);
    const number = `CIV-${pad(++invoiceSequence, 6)}`;
    const dueAt = startOfDay(at) + paymentTermDays[customer.spec.paymentTerm] * DAY;
    const paid = dueAt < now - 3 * DAY ? random.chance(0.93) : random.chance(0.1);
    const paidAt = Math.max(at, Math.min(now - HOUR, dueAt - random.int(0, 10) * DAY + random.int(9, 17) * HOUR));
    let sumExtended = 0;
    let sumDiscount = 0;
    let sumTax = 0;
    planned.lines.forEach((line, i) => {
      const extendedCents = cents(line.extendedamount as number);
      const discountCents = cents(line.msdyn_linediscountamount as number);
      const taxCents = cents(line.tax as number);
      sumExtended += extendedCents;
      sumDiscount += discountCents;
      sumTax += taxCents;
      rows.invoicedetail.push({
        invoicedetailid: random.guid(),
        invoiceid: invoiceRef,
        salesorderdetailid: ref('salesorderdetail', line.salesorderdetailid as string),
        productid: line.productid!,
        uomid: line.uomid!,
        transactioncurrencyid: currencyRef,
        sequencenumber: i + 1,
        quantity: line.quantity!,
        priceperunit: line.priceperunit!,
        baseamount: line.baseamount!,
        manualdiscountamount: line.msdyn_linediscountamount!,
        extendedamount: line.extendedamount!,
        tax: line.tax!,
        createdon: isoDateTime(at),
        modifiedon: isoDateTime(at),
      });
    });
    rows.invoice.push({
      invoiceid: invoiceId,
      name: number,
      invoicenumber: `INV-${pad(invoiceSequence + 1000, 5)}-${random.string(6, ALPHANUMERIC)}`,
      msdyn_invoicenumber: number,
      msdyn_invoicedate: isoDate(at),
      duedate: isoDate(dueAt),
      salesorderid: ref('salesorder', order.salesorderid as string),
      customerid: customer.ref,
      transactioncurrencyid: currencyRef,
      pricelevelid: priceListRef,
      msdyn_ordertype: OrderType.SyncToScm,
      totallineitemamount: sumExtended / 100,
      totaldiscountamount: sumDiscount / 100,
      totaltax: sumTax / 100,
      freightamount: planned.freightCents / 100,
      totalamount: (sumExtended + sumTax + planned.freightCents) / 100,
      billto_name: customer.spec.name,
      billto_line1: customer.headOffice.line1,
      billto_city: customer.headOffice.spec.city,
      billto_stateorprovince: customer.headOffice.spec.state,
      billto_postalcode: customer.headOffice.spec.zip,
      billto_country: COUNTRY,
      statecode: paid ? InvoiceState.Paid : InvoiceState.Active,
      statuscode: paid ? InvoiceStatusReason.Complete : InvoiceStatusReason.Billed,
      createdon: isoDateTime(at),
      modifiedon: isoDateTime(paid ? paidAt : at),
    });
  }

  if (options.hostile) injectHostileText(rows, users, random);

  return { tables: rows, users };
}

/** Text that breaks naive rendering: markup, bidi, emoji, quotes, very long strings. */
export const hostileStrings = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(document.domain)</script>',
  "'; DROP TABLE salesorders; --",
  "' or 1 eq 1 or name eq '",
  'שלום עולם – הזמנה 42',
  'طلب شراء رقم ٧٧',
  '\u202Egnp.exe PO 12',
  '📦🚚✅ Rush order 🔥',
  '{{7*7}} ${7*7} <%= 7*7 %>',
  'A'.repeat(2000),
] as const;

/** Replaces some user-visible text with {@link hostileStrings} (the `hostile` option). */
function injectHostileText(rows: Record<TableName, StoredRow[]>, users: SeedUser[], random: SeededRandom): void {
  const pickHostile = () => random.pick(hostileStrings);
  rows.salesorder.forEach((order, i) => {
    if (i % 25 === 0) order.msdyn_customersorderreference = hostileStrings[(i / 25) % hostileStrings.length]!;
    if (i % 40 === 7) order.msdyn_customerrequisitionnumber = pickHostile().slice(0, 100);
  });
  rows.salesorderdetail.forEach((line, i) => {
    if (i % 60 === 0) line.msdyn_linedescription = pickHostile();
  });
  rows.product.forEach((product, i) => {
    if (i % 30 === 3) product.name = `${product.name as string} ${pickHostile()}`;
  });
  const contact = rows.contact[1];
  if (contact) {
    contact.firstname = '<b>Eve</b>';
    contact.fullname = `<b>Eve</b> ${contact.lastname as string}`;
    const user = users.findIndex((u) => u.contactId === contact.contactid);
    if (user >= 0) users[user] = { ...users[user]!, fullName: contact.fullname as string };
  }
  const account = rows.account[0];
  if (account) account.address1_line2 = hostileStrings[hostileStrings.length - 1]!;
  const location = rows.msdyn_postaladdresscollection[1];
  if (location) location.msdyn_description = 'Dock <img src=x onerror=alert(1)> 📦 מחסן';
}
