/**
 * Which columns of which tables a domain service reads and writes, as data.
 *
 * Every service module that talks to the server exports one or more `…_COLUMNS` constants of this shape, built from
 * the very `$select` lists, filters, sort orders and request bodies the service sends. They are what a Power Pages
 * site must expose: `scripts/power-pages-settings.mjs` turns them into the `Webapi/<table>/fields` site settings,
 * and `test/node/power-pages-settings.test.ts` checks them against the requests the services really send.
 *
 * Keys are table logical names (`salesorder`); values are column names as the service writes them: a plain
 * logical name (`ordernumber`) or a lookup's read name (`_customerid_value`, meaning the column `customerid`).
 *
 * @module
 */

/** Column names by table logical name (see the module comment). */
export type TableColumns = { readonly [table: string]: readonly string[] };
