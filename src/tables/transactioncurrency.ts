import type { TableDef } from './schema.js';
import { decimal, integer, primaryKey, systemColumns, text } from './columns.js';
import { activeStateLabels, activeStatusReasonLabels } from './choices.js';

/** Currency (`transactioncurrencies`), filled by dual-write's "Currencies" map. */
export const transactioncurrency = {
  logicalName: 'transactioncurrency',
  entitySet: 'transactioncurrencies',
  primaryKey: 'transactioncurrencyid',
  primaryName: 'currencyname',
  changeTracking: false,
  columns: {
    transactioncurrencyid: primaryKey,
    currencyname: { type: 'string', required: true },
    /** ISO 4217 code (`USD`), for `Intl.NumberFormat`. */
    isocurrencycode: { type: 'string', required: true },
    currencysymbol: text,
    currencyprecision: integer,
    exchangerate: decimal,
    statecode: { type: 'state', options: activeStateLabels },
    statuscode: { type: 'status', options: activeStatusReasonLabels },
    ...systemColumns,
  },
  collections: {
    transactioncurrency_account: { table: 'account', referencingColumn: 'transactioncurrencyid' },
  },
} as const satisfies TableDef;
