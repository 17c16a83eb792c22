/**
 * The people and organisations of the seed: the selling company, its customers with their addresses, and name
 * pools for contacts. All invented; e-mail domains use the reserved `.example` top-level domain and telephone
 * numbers the fictional 555-01xx range.
 *
 * @module
 */
import type { WebRole } from '../types.js';

/** A postal address of a customer (one SCM location). */
export interface AddressSpec {
  /** The location's description, the name customers know it by ("Main warehouse"). */
  readonly description: string;
  readonly streetNumber: string;
  readonly street: string;
  /** Suite, building, dock, … (`msdyn_buildingcompliment`, `line2`). */
  readonly building?: string;
  readonly city: string;
  /** Two-letter state code. */
  readonly state: string;
  readonly zip: string;
}

/** A customer (account) of the selling company. */
export interface CustomerSpec {
  readonly name: string;
  /** SCM customer account number. */
  readonly accountNumber: string;
  /** E-mail domain of the customer's people. */
  readonly domain: string;
  readonly areaCode: string;
  /** Head office: the invoice address (`address2_*`). */
  readonly headOffice: AddressSpec;
  /** Delivery addresses; the first is the primary one (`address1_*`). */
  readonly deliveryAddresses: readonly AddressSpec[];
  /** Sales tax rate applied to its orders (0 when exempt). */
  readonly taxRate: number;
  readonly creditLimit: number;
  readonly creditRating: string;
  readonly creditLimitIsMandatory: boolean;
  /** SCM terms of payment code. */
  readonly paymentTerm: PaymentTermCode;
  /** SCM on-hold setting; see `OnHoldStatus`. */
  readonly onHold: 'No' | 'Invoice' | 'All' | 'Payment' | 'Requisition' | 'Never';
  /** Web roles of its contacts, one entry per contact (2–4 contacts). */
  readonly contactRoles: readonly WebRole[];
  /** Relative ordering frequency among the normal customers. */
  readonly orderWeight: number;
}

/** SCM terms of payment codes the seed uses, with their number of days. */
export const paymentTermDays = { Net10: 10, Net30: 30, Net45: 45, Net60: 60, COD: 0 } as const;
export type PaymentTermCode = keyof typeof paymentTermDays;

/** The selling company: the legal entity running SCM. */
export const sellingCompany = {
  code: 'BWUS',
  name: 'Brightwater Industrial Supply, Inc.',
  domain: 'brightwater.example',
} as const;

const rep: WebRole = 'customer-representative';
const auth: WebRole = 'authorized-user';
const unauth: WebRole = 'unauthorized-user';

/** The normal customers: a handful of orders a day between them. */
export const customers: readonly CustomerSpec[] = [
  {
    name: "O'Neil & Sons Hardware",
    accountNumber: 'US-001',
    domain: 'oneilsons.example',
    areaCode: '617',
    headOffice: { description: 'Head office', streetNumber: '145', street: 'Summer Street', building: 'Suite 300', city: 'Boston', state: 'MA', zip: '02110' },
    deliveryAddresses: [
      { description: 'Main warehouse', streetNumber: '2200', street: 'Dorchester Avenue', city: 'Boston', state: 'MA', zip: '02124' },
      { description: 'Store – Quincy', streetNumber: '480', street: 'Hancock Street', city: 'Quincy', state: 'MA', zip: '02171' },
      { description: "Store – St. Mary's Plaza", streetNumber: '77', street: 'Main Street', city: 'Brockton', state: 'MA', zip: '02301' },
      { description: 'Contractor desk – Dedham', streetNumber: '925', street: 'Providence Highway', city: 'Dedham', state: 'MA', zip: '02026' },
    ],
    taxRate: 0.0625,
    creditLimit: 75000,
    creditRating: 'A',
    creditLimitIsMandatory: true,
    paymentTerm: 'Net30',
    onHold: 'No',
    contactRoles: [rep, auth, auth, unauth],
    orderWeight: 3,
  },
  {
    name: 'Lakeside Mechanical, LLC',
    accountNumber: 'US-002',
    domain: 'lakesidemech.example',
    areaCode: '312',
    headOffice: { description: 'Head office', streetNumber: '333', street: 'West Wacker Drive', building: 'Suite 1400', city: 'Chicago', state: 'IL', zip: '60606' },
    deliveryAddresses: [
      { description: 'Shop & yard', streetNumber: '4100', street: 'South Halsted Street', city: 'Chicago', state: 'IL', zip: '60609' },
      { description: 'Job site – Navy Pier East', streetNumber: '600', street: 'East Grand Avenue', building: 'Gate 3', city: 'Chicago', state: 'IL', zip: '60611' },
    ],
    taxRate: 0.1025,
    creditLimit: 50000,
    creditRating: 'B',
    creditLimitIsMandatory: true,
    paymentTerm: 'Net45',
    onHold: 'No',
    contactRoles: [rep, auth, unauth],
    orderWeight: 2,
  },
  {
    name: 'Keller & Boyd Construction',
    accountNumber: 'US-003',
    domain: 'kellerboyd.example',
    areaCode: '303',
    headOffice: { description: 'Head office', streetNumber: '1600', street: 'Broadway', building: '12th floor', city: 'Denver', state: 'CO', zip: '80202' },
    deliveryAddresses: [
      { description: 'Central yard', streetNumber: '5200', street: 'Franklin Street', city: 'Denver', state: 'CO', zip: '80216' },
      { description: 'Site – Aurora Medical Campus', streetNumber: '13001', street: 'East 17th Place', city: 'Aurora', state: 'CO', zip: '80045' },
      { description: 'Site – Boulder Flatirons', streetNumber: '2550', street: 'Canyon Boulevard', city: 'Boulder', state: 'CO', zip: '80302' },
    ],
    taxRate: 0.0881,
    creditLimit: 120000,
    creditRating: 'A',
    creditLimitIsMandatory: false,
    paymentTerm: 'Net30',
    onHold: 'Invoice',
    contactRoles: [rep, auth, auth],
    orderWeight: 3,
  },
  {
    name: 'Summit Fabrication Inc.',
    accountNumber: 'US-004',
    domain: 'summitfab.example',
    areaCode: '801',
    headOffice: { description: 'Head office', streetNumber: '2180', street: 'South 1300 East', city: 'Salt Lake City', state: 'UT', zip: '84106' },
    deliveryAddresses: [
      { description: 'Plant 1 – receiving', streetNumber: '3450', street: 'West 2100 South', city: 'West Valley City', state: 'UT', zip: '84119' },
      { description: 'Plant 2 – receiving dock B', streetNumber: '1875', street: 'North 2200 West', building: 'Dock B', city: 'Salt Lake City', state: 'UT', zip: '84116' },
    ],
    taxRate: 0.0775,
    creditLimit: 90000,
    creditRating: 'A',
    creditLimitIsMandatory: true,
    paymentTerm: 'Net60',
    onHold: 'No',
    contactRoles: [rep, auth],
    orderWeight: 2,
  },
  {
    name: 'Riverbend Auto Parts',
    accountNumber: 'US-005',
    domain: 'riverbendauto.example',
    areaCode: '901',
    headOffice: { description: 'Head office', streetNumber: '88', street: 'Union Avenue', city: 'Memphis', state: 'TN', zip: '38103' },
    deliveryAddresses: [
      { description: 'Distribution center', streetNumber: '4400', street: 'Lamar Avenue', city: 'Memphis', state: 'TN', zip: '38118' },
      { description: 'Store #3 – Germantown', streetNumber: '7850', street: 'Poplar Avenue', city: 'Germantown', state: 'TN', zip: '38138' },
      { description: 'Store #7 – Southaven', streetNumber: '6500', street: 'Airways Boulevard', city: 'Southaven', state: 'MS', zip: '38671' },
    ],
    taxRate: 0.0975,
    creditLimit: 35000,
    creditRating: 'C',
    creditLimitIsMandatory: true,
    paymentTerm: 'Net10',
    // Put on hold for everything some weeks ago (overdue invoices): no orders since.
    onHold: 'All',
    contactRoles: [rep, auth],
    orderWeight: 2,
  },
  {
    name: 'Northgate Facilities Services',
    accountNumber: 'US-006',
    domain: 'northgatefs.example',
    areaCode: '612',
    headOffice: { description: 'Head office', streetNumber: '80', street: 'South 8th Street', building: 'Suite 2200', city: 'Minneapolis', state: 'MN', zip: '55402' },
    deliveryAddresses: [
      { description: 'Service depot', streetNumber: '2900', street: 'Lyndale Avenue North', city: 'Minneapolis', state: 'MN', zip: '55411' },
      { description: 'Client site – Riverside Medical Center', streetNumber: '2450', street: 'Riverside Avenue', building: 'Loading bay 2', city: 'Minneapolis', state: 'MN', zip: '55454' },
    ],
    taxRate: 0.08025,
    creditLimit: 60000,
    creditRating: 'B',
    creditLimitIsMandatory: false,
    paymentTerm: 'Net30',
    onHold: 'No',
    // No customer representative: two authorized users only.
    contactRoles: [auth, auth],
    orderWeight: 1,
  },
  {
    name: 'Pioneer Agricultural Co-op',
    accountNumber: 'US-007',
    domain: 'pioneerag.example',
    areaCode: '515',
    headOffice: { description: 'Head office', streetNumber: '400', street: 'Locust Street', city: 'Des Moines', state: 'IA', zip: '50309' },
    deliveryAddresses: [
      { description: 'Elevator & farm store', streetNumber: '1200', street: 'East Army Post Road', city: 'Des Moines', state: 'IA', zip: '50315' },
      { description: 'Ankeny branch', streetNumber: '1605', street: 'SE Delaware Avenue', city: 'Ankeny', state: 'IA', zip: '50021' },
      { description: 'Ames branch', streetNumber: '2321', street: 'North Loop Drive', city: 'Ames', state: 'IA', zip: '50010' },
    ],
    // Agricultural co-op: tax exempt.
    taxRate: 0,
    creditLimit: 40000,
    creditRating: 'B',
    creditLimitIsMandatory: false,
    paymentTerm: 'Net45',
    onHold: 'Never',
    contactRoles: [rep, auth, auth],
    orderWeight: 1,
  },
  {
    name: 'Cascade Marine Supply',
    accountNumber: 'US-008',
    domain: 'cascademarine.example',
    areaCode: '206',
    headOffice: { description: 'Head office', streetNumber: '1201', street: 'Western Avenue', city: 'Seattle', state: 'WA', zip: '98101' },
    deliveryAddresses: [
      { description: "Fishermen's Terminal store", streetNumber: '3919', street: '18th Avenue West', city: 'Seattle', state: 'WA', zip: '98119' },
      { description: 'Ballard warehouse', streetNumber: '4701', street: 'Shilshole Avenue NW', city: 'Seattle', state: 'WA', zip: '98107' },
    ],
    taxRate: 0.1035,
    creditLimit: 45000,
    creditRating: 'B',
    creditLimitIsMandatory: true,
    paymentTerm: 'COD',
    onHold: 'No',
    contactRoles: [rep, auth, unauth],
    orderWeight: 2,
  },
  {
    name: 'Harbor Electric & Lighting',
    accountNumber: 'US-009',
    domain: 'harborelectric.example',
    areaCode: '843',
    headOffice: { description: 'Head office', streetNumber: '40', street: 'Calhoun Street', city: 'Charleston', state: 'SC', zip: '29401' },
    deliveryAddresses: [
      { description: 'Warehouse – North Charleston', streetNumber: '7410', street: 'Northside Drive', city: 'North Charleston', state: 'SC', zip: '29420' },
      { description: 'Showroom – King Street', streetNumber: '530', street: 'King Street', city: 'Charleston', state: 'SC', zip: '29403' },
    ],
    taxRate: 0.09,
    creditLimit: 80000,
    creditRating: 'A',
    creditLimitIsMandatory: true,
    paymentTerm: 'Net30',
    onHold: 'No',
    contactRoles: [rep, auth],
    orderWeight: 2,
  },
];

/** The large customer: tens of thousands of orders (paging, search and performance). */
export const largeCustomer: CustomerSpec = {
  name: 'Meridian Retail Group',
  accountNumber: 'US-010',
  domain: 'meridianretail.example',
  areaCode: '404',
  headOffice: { description: 'Head office', streetNumber: '3500', street: 'Lenox Road NE', building: 'Suite 900', city: 'Atlanta', state: 'GA', zip: '30326' },
  deliveryAddresses: [
    { description: 'Distribution center East', streetNumber: '1500', street: 'Fulton Industrial Boulevard SW', city: 'Atlanta', state: 'GA', zip: '30336' },
    { description: 'Store #014 – Peachtree Corners', streetNumber: '5185', street: 'Peachtree Parkway', city: 'Peachtree Corners', state: 'GA', zip: '30092' },
    { description: 'Store #027 – Marietta', streetNumber: '50', street: 'Cobb Parkway North', city: 'Marietta', state: 'GA', zip: '30062' },
    { description: 'Store #033 – Decatur', streetNumber: '2050', street: 'Lawrenceville Highway', city: 'Decatur', state: 'GA', zip: '30033' },
  ],
  taxRate: 0.089,
  creditLimit: 2500000,
  creditRating: 'A',
  creditLimitIsMandatory: true,
  paymentTerm: 'Net60',
  onHold: 'No',
  contactRoles: [rep, auth, auth, auth],
  orderWeight: 0,
};

/**
 * The selling company's own account ("house account"): the portal administrator is a contact of it. It places
 * no orders.
 */
export const houseAccount: CustomerSpec = {
  name: sellingCompany.name,
  accountNumber: 'US-000',
  domain: sellingCompany.domain,
  areaCode: '412',
  headOffice: { description: 'Head office', streetNumber: '600', street: 'Grant Street', building: 'Suite 4100', city: 'Pittsburgh', state: 'PA', zip: '15219' },
  deliveryAddresses: [
    { description: 'Central warehouse', streetNumber: '3200', street: 'Liberty Avenue', city: 'Pittsburgh', state: 'PA', zip: '15201' },
    { description: 'Returns center', streetNumber: '75', street: 'McKees Rocks Bridge Road', city: 'McKees Rocks', state: 'PA', zip: '15136' },
  ],
  taxRate: 0,
  creditLimit: 0,
  creditRating: 'A',
  creditLimitIsMandatory: false,
  paymentTerm: 'Net30',
  onHold: 'Never',
  contactRoles: ['administrator'],
  orderWeight: 0,
};

export const firstNames = [
  'Sean', 'Maria', 'James', 'Aisha', 'Robert', 'Linda', 'Miguel', 'Karen', 'David', 'Priya', 'Thomas', 'Grace',
  'Daniel', 'Mei', 'Carlos', 'Emily', 'Kwame', 'Hannah', 'Luis', 'Olivia', 'Raj', 'Sofia', 'Patrick', 'Yuki',
  'Brian', 'Fatima', 'Kevin', 'Chloé', 'Andre', 'Ingrid',
] as const;

export const lastNames = [
  "O'Brien", 'Nguyen', 'Schmidt', "D'Angelo", 'Johnson', 'García', 'Okafor', 'Kowalski', 'Patel', 'Hernández',
  'Murphy', 'Chen', 'Lindqvist', 'Brooks', 'Rossi', 'Yamamoto', 'Walker', 'Dubois', 'Novak', 'Reyes', 'Fischer',
  'Campbell', 'Haddad', 'Svensson',
] as const;

/** Job titles by web role. */
export const jobTitles: Readonly<Record<WebRole, readonly string[]>> = {
  'administrator': ['Customer service lead'],
  'customer-representative': ['Purchasing manager', 'Procurement lead', 'Operations manager'],
  'authorized-user': ['Buyer', 'Maintenance supervisor', 'Site foreman', 'Store manager', 'Project engineer'],
  'unauthorized-user': ['Accounts payable clerk', 'Warehouse assistant'],
};

/** Customer references (`msdyn_customersorderreference`) customers type; `{…}` are filled in. */
export const referenceTemplates = [
  'PO {n}',
  'PO-{yyyy}-{n}',
  '{customer} PO {n}',
  'Job #{n} – {site}',
  "{last}'s crew, bay {d}",
  'Restock Q{q} {yyyy}',
  'Repairs & maintenance {month}',
  'Urgent – line down',
  'Blanket PO {n}, call-off {d}',
] as const;
