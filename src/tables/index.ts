/**
 * The Dataverse tables the portal reads and writes: one declaration per table (columns, types, lookups,
 * navigation properties, choices), a registry by logical name and a lookup by entity set name.
 *
 * Data only. The domain layer builds typed queries from these declarations and the emulator answers from the
 * same ones, so the two cannot drift.
 *
 * @module
 */
import type { ColumnDef, TableDef } from './schema.js';
import { account } from './account.js';
import { cdm_company } from './cdm_company.js';
import { contact } from './contact.js';
import { invoice } from './invoice.js';
import { invoicedetail } from './invoicedetail.js';
import { msdyn_party } from './msdyn_party.js';
import { msdyn_partypostaladdress } from './msdyn_partypostaladdress.js';
import { msdyn_paymentterm } from './msdyn_paymentterm.js';
import { msdyn_postaladdress } from './msdyn_postaladdress.js';
import { msdyn_postaladdresscollection } from './msdyn_postaladdresscollection.js';
import { pricelevel } from './pricelevel.js';
import { product } from './product.js';
import { productpricelevel } from './productpricelevel.js';
import { salesorder } from './salesorder.js';
import { salesorderdetail } from './salesorderdetail.js';
import { transactioncurrency } from './transactioncurrency.js';
import { uom } from './uom.js';
import { uomschedule } from './uomschedule.js';

export type { ColumnDef, ColumnType, CollectionDef, TableDef } from './schema.js';
export * from './choices.js';
export { webRoleLabels } from './roles.js';
export type { WebRole } from './roles.js';
export { systemColumns } from './columns.js';
export type { SystemColumnName } from './columns.js';
export {
  account,
  cdm_company,
  contact,
  invoice,
  invoicedetail,
  msdyn_party,
  msdyn_partypostaladdress,
  msdyn_paymentterm,
  msdyn_postaladdress,
  msdyn_postaladdresscollection,
  pricelevel,
  product,
  productpricelevel,
  salesorder,
  salesorderdetail,
  transactioncurrency,
  uom,
  uomschedule,
};

/** Every declared table, by logical name. */
export const tables = {
  account,
  cdm_company,
  contact,
  invoice,
  invoicedetail,
  msdyn_party,
  msdyn_partypostaladdress,
  msdyn_paymentterm,
  msdyn_postaladdress,
  msdyn_postaladdresscollection,
  pricelevel,
  product,
  productpricelevel,
  salesorder,
  salesorderdetail,
  transactioncurrency,
  uom,
  uomschedule,
} as const satisfies Readonly<Record<string, TableDef>>;

/** Logical name of a declared table (`'salesorder'`). */
export type TableName = keyof typeof tables;

/** Entity set name of a declared table (`'salesorders'`). */
export type EntitySetName = (typeof tables)[TableName]['entitySet'];

/** The declared tables by entity set name (`tableBySet.salesorders === salesorder`). */
export type TablesBySet = { readonly [K in TableName as (typeof tables)[K]['entitySet']]: (typeof tables)[K] };

/** Every declared table, by entity set name (the name in Web API URLs). */
export const tableBySet: TablesBySet = {
  accounts: account,
  cdm_companies: cdm_company,
  contacts: contact,
  invoices: invoice,
  invoicedetails: invoicedetail,
  msdyn_parties: msdyn_party,
  msdyn_partypostaladdresses: msdyn_partypostaladdress,
  msdyn_paymentterms: msdyn_paymentterm,
  msdyn_postaladdresses: msdyn_postaladdress,
  msdyn_postaladdresscollections: msdyn_postaladdresscollection,
  pricelevels: pricelevel,
  products: product,
  productpricelevels: productpricelevel,
  salesorders: salesorder,
  salesorderdetails: salesorderdetail,
  transactioncurrencies: transactioncurrency,
  uoms: uom,
  uomschedules: uomschedule,
};

/** Column logical names of a table declaration: `ColumnName<typeof salesorder>` is `'salesorderid' | 'name' | …`. */
export type ColumnName<T extends TableDef> = keyof T['columns'] & string;

/** The declaration of one column: `ColumnOf<typeof salesorder, 'msdyn_processingstatus'>`. */
export type ColumnOf<T extends TableDef, C extends ColumnName<T>> = T['columns'][C];

/** Column names of a table whose declared type is one of `Types`: `ColumnsOfType<typeof salesorder, 'money'>`. */
export type ColumnsOfType<T extends TableDef, Types extends ColumnDef['type']> = {
  [C in ColumnName<T>]: T['columns'][C] extends { readonly type: infer X } ? (X extends Types ? C : never) : never;
}[ColumnName<T>];

/** The values a choice column accepts: `ChoiceValue<typeof salesorder, 'msdyn_processingstatus'>`. */
export type ChoiceValue<T extends TableDef, C extends ColumnName<T>> =
  T['columns'][C] extends { readonly options: infer O } ? keyof O & number : never;

/** Collection-valued navigation property names of a table (`'order_details' | 'order_invoices'`). */
export type CollectionName<T extends TableDef> = keyof T['collections'] & string;
