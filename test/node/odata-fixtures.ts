/**
 * Small table declarations and rows for the OData engine tests, shaped like the real Dataverse tables
 * (account, contact, salesorder, salesorderdetail) with their real column and navigation names.
 */

import type { TableDef } from '../../src/tables/schema.js';
import type { EvalContext } from '../../src/emulator/odata/index.js';
import type { StoredRow } from '../../src/emulator/types.js';

const system = {
  createdon: { type: 'datetime', readOnly: true },
  modifiedon: { type: 'datetime', readOnly: true },
  versionnumber: { type: 'bigint', readOnly: true },
} as const;

export const account: TableDef = {
  logicalName: 'account',
  entitySet: 'accounts',
  primaryKey: 'accountid',
  primaryName: 'name',
  changeTracking: true,
  columns: {
    accountid: { type: 'uniqueidentifier' },
    name: { type: 'string', maxLength: 160 },
    accountnumber: { type: 'string' },
    address1_city: { type: 'string' },
    revenue: { type: 'money', precision: 2 },
    numberofemployees: { type: 'integer' },
    donotemail: { type: 'boolean' },
    primarycontactid: { type: 'lookup', targets: ['contact'], navigation: { contact: 'primarycontactid' } },
    transactioncurrencyid: {
      type: 'lookup',
      targets: ['transactioncurrency'],
      navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    statecode: { type: 'state', options: { 0: 'Active', 1: 'Inactive' } },
    ...system,
  },
  collections: {
    contact_customer_accounts: { table: 'contact', referencingColumn: 'parentcustomerid' },
    order_customer_accounts: { table: 'salesorder', referencingColumn: 'customerid' },
  },
};

export const contact: TableDef = {
  logicalName: 'contact',
  entitySet: 'contacts',
  primaryKey: 'contactid',
  primaryName: 'fullname',
  changeTracking: true,
  columns: {
    contactid: { type: 'uniqueidentifier' },
    fullname: { type: 'string' },
    firstname: { type: 'string' },
    lastname: { type: 'string' },
    emailaddress1: { type: 'string' },
    birthdate: { type: 'datetime', dateOnly: true },
    donotemail: { type: 'boolean' },
    parentcustomerid: {
      type: 'customer',
      targets: ['account', 'contact'],
      navigation: { account: 'parentcustomerid_account', contact: 'parentcustomerid_contact' },
    },
    ...system,
  },
  collections: {
    order_customer_contacts: { table: 'salesorder', referencingColumn: 'customerid' },
  },
};

export const salesorder: TableDef = {
  logicalName: 'salesorder',
  entitySet: 'salesorders',
  primaryKey: 'salesorderid',
  primaryName: 'name',
  changeTracking: true,
  columns: {
    salesorderid: { type: 'uniqueidentifier' },
    name: { type: 'string' },
    ordernumber: { type: 'string' },
    description: { type: 'memo' },
    customerid: {
      type: 'customer',
      targets: ['account', 'contact'],
      navigation: { account: 'customerid_account', contact: 'customerid_contact' },
    },
    totalamount: { type: 'money', precision: 2 },
    requestdeliveryby: { type: 'datetime' },
    datefulfilled: { type: 'datetime', dateOnly: true },
    statecode: { type: 'state', options: { 0: 'Active', 1: 'Submitted', 2: 'Canceled', 3: 'Fulfilled', 4: 'Invoiced' } },
    statuscode: { type: 'status', options: { 1: 'New', 2: 'Pending', 3: 'In Progress' } },
    msdyn_processingstatus: {
      type: 'picklist',
      options: { 192350000: 'active', 192350001: 'confirmed', 192350004: 'delivered', 192350007: 'canceled' },
    },
    transactioncurrencyid: {
      type: 'lookup',
      targets: ['transactioncurrency'],
      navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    ...system,
  },
  collections: {
    order_details: { table: 'salesorderdetail', referencingColumn: 'salesorderid' },
  },
};

export const salesorderdetail: TableDef = {
  logicalName: 'salesorderdetail',
  entitySet: 'salesorderdetails',
  primaryKey: 'salesorderdetailid',
  primaryName: 'salesorderdetailname',
  changeTracking: false,
  columns: {
    salesorderdetailid: { type: 'uniqueidentifier' },
    salesorderdetailname: { type: 'string' },
    productdescription: { type: 'string' },
    quantity: { type: 'decimal', precision: 5 },
    priceperunit: { type: 'money', precision: 2 },
    extendedamount: { type: 'money', precision: 2 },
    sequencenumber: { type: 'integer' },
    isproductoverridden: { type: 'boolean' },
    salesorderid: { type: 'lookup', targets: ['salesorder'], navigation: { salesorder: 'salesorderid' } },
    ...system,
  },
  collections: {},
};

export const tables: Record<string, TableDef> = { account, contact, salesorder, salesorderdetail };
export const tableOf = (name: string): TableDef | undefined => tables[name];

/** GUIDs by name, so tests read well. */
export const ids = {
  contoso: '11111111-1111-4111-8111-111111111111',
  fabrikam: '22222222-2222-4222-8222-222222222222',
  litware: '33333333-3333-4333-8333-333333333333',
  ann: 'aaaaaaaa-0000-4000-8000-000000000001',
  bob: 'aaaaaaaa-0000-4000-8000-000000000002',
  chloe: 'aaaaaaaa-0000-4000-8000-000000000003',
  order1: 'bbbbbbbb-0000-4000-8000-000000000001',
  order2: 'bbbbbbbb-0000-4000-8000-000000000002',
  order3: 'bbbbbbbb-0000-4000-8000-000000000003',
  order4: 'bbbbbbbb-0000-4000-8000-000000000004',
  order5: 'bbbbbbbb-0000-4000-8000-000000000005',
} as const;

const ref = (table: string, id: string) => ({ table, id });

export function seed(): Record<string, StoredRow[]> {
  return {
    account: [
      { accountid: ids.contoso, name: 'Contoso Ltd', accountnumber: 'C-001', address1_city: 'Seattle', revenue: 1000000, numberofemployees: 250, donotemail: false, primarycontactid: ref('contact', ids.ann), statecode: 0, createdon: '2024-01-10T09:00:00Z' },
      { accountid: ids.fabrikam, name: 'Fabrikam, Inc.', accountnumber: 'F-002', address1_city: 'Zürich', revenue: 50000.5, numberofemployees: 12, donotemail: true, primarycontactid: ref('contact', ids.bob), statecode: 0, createdon: '2024-02-10T09:00:00Z' },
      { accountid: ids.litware, name: "O'Bryan Litware", accountnumber: null, address1_city: null, revenue: null, numberofemployees: 5, primarycontactid: null, statecode: 1, createdon: '2024-03-10T09:00:00Z' },
    ],
    contact: [
      { contactid: ids.ann, fullname: 'Ann Émile', firstname: 'Ann', lastname: 'Émile', emailaddress1: 'ann@contoso.example', birthdate: '1990-05-17', donotemail: false, parentcustomerid: ref('account', ids.contoso) },
      { contactid: ids.bob, fullname: 'Bob Builder', firstname: 'Bob', lastname: 'Bob', emailaddress1: 'bob@fabrikam.example', birthdate: '1985-12-01', donotemail: true, parentcustomerid: ref('account', ids.fabrikam) },
      { contactid: ids.chloe, fullname: 'Chloe Contoso', firstname: 'Chloe', lastname: 'Contoso', emailaddress1: null, birthdate: null, parentcustomerid: ref('account', ids.contoso) },
    ],
    salesorder: [
      { salesorderid: ids.order1, name: 'First order', ordernumber: 'ORD-1001', customerid: ref('account', ids.contoso), totalamount: 150.25, requestdeliveryby: '2025-03-01T14:05:00Z', datefulfilled: '2025-03-03', statecode: 0, statuscode: 1, msdyn_processingstatus: 192350000, createdon: '2025-02-01T10:00:00Z' },
      { salesorderid: ids.order2, name: 'Second order', ordernumber: 'ORD-1002', customerid: ref('account', ids.contoso), totalamount: 99.75, requestdeliveryby: '2025-04-01T00:00:00Z', datefulfilled: null, statecode: 1, statuscode: 2, msdyn_processingstatus: 192350001, createdon: '2025-02-15T10:00:00Z' },
      { salesorderid: ids.order3, name: '50% off sale', ordernumber: 'ORD-2001', customerid: ref('account', ids.fabrikam), totalamount: 1000, requestdeliveryby: null, statecode: 0, statuscode: 1, msdyn_processingstatus: 192350000, createdon: '2025-03-01T10:00:00Z' },
      { salesorderid: ids.order4, name: 'Personal order', ordernumber: 'ORD-3001', customerid: ref('contact', ids.bob), totalamount: null, statecode: 2, statuscode: 3, msdyn_processingstatus: null, createdon: '2025-03-02T10:00:00Z' },
      { salesorderid: ids.order5, name: 'third order ', ordernumber: 'ord-1003', customerid: ref('account', ids.contoso), totalamount: 0.1, statecode: 3, statuscode: 1, msdyn_processingstatus: 192350004, createdon: '2025-03-05T10:00:00Z' },
    ],
    salesorderdetail: [
      { salesorderdetailid: 'cccccccc-0000-4000-8000-000000000001', productdescription: 'Widget', quantity: 10, priceperunit: 10, sequencenumber: 1, isproductoverridden: true, salesorderid: ref('salesorder', ids.order1) },
      { salesorderdetailid: 'cccccccc-0000-4000-8000-000000000002', productdescription: 'Gadget', quantity: 2, priceperunit: 25.125, sequencenumber: 2, isproductoverridden: false, salesorderid: ref('salesorder', ids.order1) },
      { salesorderdetailid: 'cccccccc-0000-4000-8000-000000000003', productdescription: 'Widget', quantity: 3, priceperunit: 33.25, sequencenumber: 1, isproductoverridden: true, salesorderid: ref('salesorder', ids.order2) },
      { salesorderdetailid: 'cccccccc-0000-4000-8000-000000000004', productdescription: 'Gizmo', quantity: 100, priceperunit: 10, sequencenumber: 1, isproductoverridden: false, salesorderid: ref('salesorder', ids.order3) },
      { salesorderdetailid: 'cccccccc-0000-4000-8000-000000000005', productdescription: null, quantity: null, priceperunit: 1, sequencenumber: 1, isproductoverridden: false, salesorderid: ref('salesorder', ids.order5) },
    ],
  };
}

/** An evaluation context over `data`, resolving lookups and collections the way the emulator's store does. */
export function contextFor(table: TableDef, data: Record<string, StoredRow[]>, now?: Date): EvalContext {
  return {
    table,
    tableOf,
    now,
    row(name, id) {
      const def = tables[name];
      return def ? data[name]?.find((r) => r[def.primaryKey] === id) : undefined;
    },
    children(parentTable, navigation, parent) {
      const collection = parentTable.collections[navigation];
      const id = parent[parentTable.primaryKey];
      return (data[collection.table] ?? []).filter((r) => {
        const v = r[collection.referencingColumn];
        return typeof v === 'object' && v !== null && v.id === id;
      });
    },
  };
}
