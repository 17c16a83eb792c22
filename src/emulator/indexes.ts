/** Which columns the memory store should index for the emulator's queries. */
import type { TableDef } from '../tables/schema.js';
import { isLookupType } from './odata/model.js';

/**
 * Every lookup column of every table: lists by parent (an order's lines, an account's orders, a contact's
 * orders), table-permission scopes and collection-valued `$expand` all look rows up by a lookup value.
 */
export function lookupIndexes(tables: Readonly<Record<string, TableDef>>): Record<string, string[]> {
  const indexes: Record<string, string[]> = {};
  for (const table of Object.values(tables)) {
    indexes[table.logicalName] = Object.entries(table.columns)
      .filter(([, column]) => isLookupType(column.type))
      .map(([name]) => name);
  }
  return indexes;
}
