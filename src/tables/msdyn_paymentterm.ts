import type { TableDef } from './schema.js';
import { systemColumns } from './columns.js';

/**
 * Terms of payment (`msdyn_paymentterms`), filled by dual-write's "Terms of payment" map: the target of
 * `account.msdyn_paymentterm` and `salesorder.msdyn_paymentterms`.
 *
 * Not in the column reference: the table and `msdyn_name` are named by the dual-write mapping
 * (`msdyn_paymentterm.msdyn_name`); the primary key follows Dataverse's `<table>id` convention. Everything is
 * `unconfirmed` until a real environment answers.
 */
export const msdyn_paymentterm = {
  logicalName: 'msdyn_paymentterm',
  entitySet: 'msdyn_paymentterms',
  primaryKey: 'msdyn_paymenttermid',
  primaryName: 'msdyn_name',
  changeTracking: false,
  columns: {
    msdyn_paymenttermid: { type: 'uniqueidentifier', unconfirmed: true },
    /** The SCM terms of payment code (`Net30`). */
    msdyn_name: { type: 'string', required: true, unconfirmed: true },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
