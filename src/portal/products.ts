/**
 * The products a customer may order: the active products on the customer's price list, with their sales units
 * and estimated unit prices.
 *
 * ## The request (one per search, one per quick-add, one per check)
 * Everything comes from the price list items (`productpricelevels`) of the session's price list, with the product
 * and the unit expanded (single-valued, one level deep: Power Pages allows it):
 * ```
 * GET productpricelevels?$select=amount,quantitysellingcode,_productid_value,_uomid_value
 *   &$filter=_pricelevelid_value eq <price list> and productid/statecode eq 0
 *            and (startswith(productid/msdyn_productnumber,'d00') or contains(productid/name,'d00'))
 *   &$expand=productid($select=name,msdyn_productnumber,productnumber,quantitydecimal,_defaultuomid_value),
 *            uomid($select=name,msdyn_symbol,msdyn_decimalprecision)
 *   &$orderby=productnumber&$top=40
 * ```
 * A price list item is one product in one unit at one price, so a product sold in several units comes as several
 * rows; they are grouped into one {@link SellableProduct} with its {@link SalesUnit}s. A product that is not on
 * the price list, or no longer active, is not sellable: dual-write does not accept write-in products.
 *
 * Prices are estimates: Supply Chain Management prices the order (trade agreements, discounts, charges, tax) when
 * dual-write hands it over.
 *
 * @module
 */
import type { TableColumns } from './columns.js';
import { lookupOf, type Row } from '../dataverse/annotations.js';
import type { DataverseClient } from '../dataverse/client.js';
import { normalizeGuid } from '../dataverse/guid.js';
import { filterFor, guid, type Filter } from '../dataverse/odata.js';
import { ProductState, QuantitySelling } from '../tables/choices.js';
import { product as productTable } from '../tables/product.js';
import { productpricelevel as priceListItemTable } from '../tables/productpricelevel.js';
import type { PortalSession } from './session.js';

// ---------------------------------------------------------------------------------------------------------------
// Domain types

/** A unit a product is sold in, with its estimated price on the customer's price list. */
export interface SalesUnit {
  /** The unit's id (`uomid`). */
  readonly id: string;
  /** The SCM unit symbol the customer knows (`ea`, `kg`), or the unit's name when it has none. */
  readonly symbol: string;
  /** The unit's name (`Each`, `Kilogram`). */
  readonly name: string;
  /** How many decimals a quantity in this unit may have (0 for whole units). */
  readonly decimals: number;
  /** Estimated price of one unit in the price list's currency, `null` when the price list gives none. */
  readonly unitPrice: number | null;
}

/** A product the customer may order. */
export interface SellableProduct {
  /** The product's id (`productid`). */
  readonly id: string;
  /** The SCM item number (`D0001`). */
  readonly itemNumber: string;
  readonly name: string;
  /** The units it is sold in on the price list; the product's default unit first. */
  readonly units: readonly SalesUnit[];
}

/** Most products a search returns (a combobox list stays short). */
export const PRODUCT_SEARCH_LIMIT = 8;
/** Most characters (UTF-16 code units, as Dataverse counts string length) of search text sent to the server. */
export const MAX_PRODUCT_SEARCH_LENGTH = 100;
/** Most item numbers resolved in one request (Dataverse allows 500 conditions in a filter). */
export const MAX_ITEM_NUMBERS_PER_REQUEST = 200;

// ---------------------------------------------------------------------------------------------------------------
// Rows as read

interface ExpandedProduct {
  readonly productid: string;
  readonly name: string | null;
  readonly msdyn_productnumber: string | null;
  readonly productnumber: string | null;
  readonly quantitydecimal: number | null;
  readonly _defaultuomid_value: string | null;
}

interface ExpandedUnit {
  readonly uomid: string;
  readonly name: string | null;
  readonly msdyn_symbol: string | null;
  readonly msdyn_decimalprecision: number | null;
}

/** A price list item as the product queries read it. */
interface PriceListItemRow {
  readonly productpricelevelid: string;
  readonly amount: number | null;
  readonly quantitysellingcode: number | null;
  readonly _productid_value: string | null;
  readonly _uomid_value: string | null;
  readonly _pricelevelid_value: string | null;
  readonly productnumber: string | null;
  /** Lets the filter say `productid/statecode`, `productid/name`, … (navigation paths are typed as such). */
  readonly productid?: ExpandedProduct | null;
  readonly uomid?: ExpandedUnit | null;
}

/** Navigation properties of the price list item (from the table declaration). */
const nav = {
  product: priceListItemTable.columns.productid.navigation.product,
  unit: priceListItemTable.columns.uomid.navigation.uom,
} as const;

const ITEM_SELECT = ['amount', 'quantitysellingcode', '_productid_value', '_uomid_value'] as const satisfies readonly (keyof PriceListItemRow)[];

const PRODUCT_SELECT = [
  'name',
  'msdyn_productnumber',
  'productnumber',
  'quantitydecimal',
  '_defaultuomid_value',
] as const satisfies readonly (keyof ExpandedProduct)[];

const UNIT_SELECT = ['name', 'msdyn_symbol', 'msdyn_decimalprecision'] as const satisfies readonly (keyof ExpandedUnit)[];

const EXPAND = {
  [nav.product]: { select: PRODUCT_SELECT },
  [nav.unit]: { select: UNIT_SELECT },
} as const;

/**
 * Every column the product search and {@link describeProducts} read, by table (selects, filters, sort): what the
 * Power Pages `Webapi/<table>/fields` site settings must list.
 */
export const PRODUCT_COLUMNS = {
  productpricelevel: [
    ...ITEM_SELECT,
    '_pricelevelid_value', // filter: the session's price list
    'productnumber', // sort
    'productpricelevelid', // sort (tie-breaker)
  ],
  product: [
    'productid', // describeProducts: filter by id
    ...PRODUCT_SELECT,
    'statecode', // filter: active products only (productid/statecode)
  ],
  uom: UNIT_SELECT,
} as const satisfies TableColumns;

const where = filterFor<PriceListItemRow>();

/** Column paths through the expanded product, checked against the product table's declaration. */
type ProductColumn = keyof (typeof productTable)['columns'] & string;
const productPath = <C extends ProductColumn>(column: C) => `${nav.product}/${column}` as const;

/** On the session's price list, and the product still active. */
function sellableFilter(session: PortalSession): Filter {
  const priceList = requirePriceList(session);
  return where.and(where.lookup('pricelevelid', priceList), where.eq(productPath('statecode'), ProductState.Active))!;
}

function requirePriceList(session: PortalSession): string {
  if (!session.priceList) {
    throw new Error('The signed-in contact has no price list, so no product can be ordered.');
  }
  return session.priceList.id;
}

const clean = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const whole = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10 ? value : null;

/** Decimals allowed in a quantity: whole units when the price list says "Whole", else the unit's precision. */
function decimalsOf(row: Row<PriceListItemRow>): number {
  if (row.quantitysellingcode === QuantitySelling.Whole) return 0;
  return whole(row.uomid?.msdyn_decimalprecision) ?? whole(row.productid?.quantitydecimal) ?? 0;
}

/** Groups price list items into products (rows in server order; a product's default unit first). */
function productsFrom(rows: readonly Row<PriceListItemRow>[]): SellableProduct[] {
  const byId = new Map<string, { product: SellableProduct; units: SalesUnit[]; defaultUnit: string | null }>();
  for (const row of rows) {
    const productId = clean(row._productid_value) ?? clean(row.productid?.productid);
    const unitId = clean(row._uomid_value) ?? clean(row.uomid?.uomid);
    if (!productId || !unitId) continue;
    const id = normalizeGuid(productId);
    let entry = byId.get(id);
    if (!entry) {
      const expanded = row.productid ?? null;
      const itemNumber = clean(expanded?.msdyn_productnumber) ?? clean(expanded?.productnumber) ?? clean(row.productnumber) ?? '';
      const units: SalesUnit[] = [];
      entry = {
        product: { id, itemNumber, name: clean(expanded?.name) ?? lookupOf(row, 'productid')?.name ?? itemNumber, units },
        units,
        defaultUnit: clean(expanded?._defaultuomid_value)?.toLowerCase() ?? null,
      };
      byId.set(id, entry);
    }
    const unit = normalizeGuid(unitId);
    if (entry.units.some((u) => u.id === unit)) continue;
    const symbol = clean(row.uomid?.msdyn_symbol) ?? clean(row.uomid?.name) ?? lookupOf(row, 'uomid')?.name ?? '';
    entry.units.push({
      id: unit,
      symbol,
      name: clean(row.uomid?.name) ?? symbol,
      decimals: decimalsOf(row),
      unitPrice: typeof row.amount === 'number' && Number.isFinite(row.amount) ? row.amount : null,
    });
  }
  for (const entry of byId.values()) {
    entry.units.sort((a, b) => Number(b.id === entry.defaultUnit) - Number(a.id === entry.defaultUnit));
  }
  return [...byId.values()].map((entry) => entry.product);
}

async function readItems(
  client: DataverseClient,
  filter: Filter,
  options: { top?: number; signal?: AbortSignal },
): Promise<Row<PriceListItemRow>[]> {
  const page = await client.getPage<PriceListItemRow>(
    priceListItemTable.entitySet,
    { select: ITEM_SELECT, filter, expand: EXPAND, orderBy: { productnumber: 'asc', productpricelevelid: 'asc' }, top: options.top },
    { signal: options.signal },
  );
  return page.rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Search

/** Options of {@link searchProducts}. */
export interface ProductSearchOptions {
  readonly signal?: AbortSignal;
  /** Most products returned (default {@link PRODUCT_SEARCH_LIMIT}). */
  readonly limit?: number;
}

/**
 * The first `max` UTF-16 code units of `text`, cut between characters: a character outside the Basic
 * Multilingual Plane (an emoji, a rare CJK ideograph) that would straddle the limit is left out whole. Cutting it
 * in half would leave an unpaired surrogate, which no URL can carry (`encodeURIComponent` throws; the client
 * refuses such a literal), so a long pasted text with an emoji near the limit could never be searched.
 */
export function cutToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) && /[\uDC00-\uDFFF]/.test(text.charAt(max)) ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * The sellable products whose item number starts with `text` or whose name contains it (case-insensitive), in
 * one request: item-number matches first (an exact one at the top), then name matches, at most `limit`.
 * The search uses the first {@link MAX_PRODUCT_SEARCH_LENGTH} characters of the trimmed text (never splitting a
 * character). Blank text finds nothing (no request).
 *
 * @throws DataverseError from the client; an abort of `signal` passes through unchanged.
 */
export async function searchProducts(
  client: DataverseClient,
  session: PortalSession,
  text: string,
  options: ProductSearchOptions = {},
): Promise<SellableProduct[]> {
  const search = cutToLength(text.trim(), MAX_PRODUCT_SEARCH_LENGTH);
  if (search === '') return [];
  const limit = Math.max(1, Math.min(options.limit ?? PRODUCT_SEARCH_LIMIT, 50));
  const rows = await readItems(
    client,
    where.and(
      sellableFilter(session),
      where.or(where.startsWith(productPath('msdyn_productnumber'), search), where.contains(productPath('name'), search)),
    )!,
    // A product may have a few units: read a few rows more than products shown.
    { top: limit * 4, signal: options.signal },
  );
  const needle = search.toLocaleLowerCase();
  const rank = (product: SellableProduct): number => {
    const number = product.itemNumber.toLocaleLowerCase();
    if (number === needle) return 0;
    if (number.startsWith(needle)) return 1;
    return 2;
  };
  return productsFrom(rows)
    .map((product, index) => ({ product, index }))
    .sort((a, b) => rank(a.product) - rank(b.product) || a.index - b.index)
    .slice(0, limit)
    .map(({ product }) => product);
}

// ---------------------------------------------------------------------------------------------------------------
// Resolution (quick add, reorder, checks before submitting)

/** Upper-case, trimmed item number: the key of {@link findProductsByItemNumber}'s result. */
export function itemNumberKey(itemNumber: string): string {
  return itemNumber.trim().toUpperCase();
}

/**
 * Resolves item numbers (quick add: `D0001, 5` per line) to sellable products, in one request per
 * {@link MAX_ITEM_NUMBERS_PER_REQUEST} numbers. The result is keyed by {@link itemNumberKey}; an item number
 * missing from it is not on the customer's price list (or no longer active).
 */
export async function findProductsByItemNumber(
  client: DataverseClient,
  session: PortalSession,
  itemNumbers: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, SellableProduct>> {
  const wanted = [...new Set(itemNumbers.map((n) => n.trim()).filter((n) => n !== ''))];
  const found = new Map<string, SellableProduct>();
  for (let start = 0; start < wanted.length; start += MAX_ITEM_NUMBERS_PER_REQUEST) {
    const chunk = wanted.slice(start, start + MAX_ITEM_NUMBERS_PER_REQUEST);
    const rows = await readItems(
      client,
      where.and(sellableFilter(session), where.oneOf(productPath('msdyn_productnumber'), chunk))!,
      { signal },
    );
    for (const product of productsFrom(rows)) found.set(itemNumberKey(product.itemNumber), product);
  }
  return found;
}

/**
 * The products among `productIds` that are still sellable (active and on the session's price list), with their
 * current units and prices, keyed by product id. A product missing from the result can no longer be ordered:
 * used before submitting, and when lines come from a reorder or a saved draft.
 */
export async function findSellableProducts(
  client: DataverseClient,
  session: PortalSession,
  productIds: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, SellableProduct>> {
  const wanted = [...new Set(productIds.map((id) => normalizeGuid(id, 'product id')))];
  const found = new Map<string, SellableProduct>();
  for (let start = 0; start < wanted.length; start += MAX_ITEM_NUMBERS_PER_REQUEST) {
    const chunk = wanted.slice(start, start + MAX_ITEM_NUMBERS_PER_REQUEST);
    const rows = await readItems(client, where.and(sellableFilter(session), where.lookupOneOf('productid', chunk))!, { signal });
    for (const product of productsFrom(rows)) found.set(product.id, product);
  }
  return found;
}

/** A product as a line shows it when it is no longer sellable (so not on the price list). */
export interface ProductName {
  readonly id: string;
  readonly itemNumber: string;
  readonly name: string;
}

interface ProductNameRow {
  readonly productid: string;
  readonly name: string | null;
  readonly msdyn_productnumber: string | null;
  readonly productnumber: string | null;
}

/**
 * Names and item numbers of products whatever their state (a retired product in a reorder is still shown by
 * name, marked as no longer sold). One request; unknown ids are left out.
 */
export async function describeProducts(
  client: DataverseClient,
  productIds: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, ProductName>> {
  const wanted = [...new Set(productIds.map((id) => normalizeGuid(id, 'product id')))].slice(0, MAX_ITEM_NUMBERS_PER_REQUEST);
  const result = new Map<string, ProductName>();
  if (wanted.length === 0) return result;
  const whereProduct = filterFor<ProductNameRow>();
  const page = await client.getPage<ProductNameRow>(
    productTable.entitySet,
    { select: ['name', 'msdyn_productnumber', 'productnumber'], filter: whereProduct.oneOf('productid', wanted.map((id) => guid(id))) },
    { signal },
  );
  for (const row of page.rows) {
    const id = normalizeGuid(row.productid);
    const itemNumber = clean(row.msdyn_productnumber) ?? clean(row.productnumber) ?? '';
    result.set(id, { id, itemNumber, name: clean(row.name) ?? itemNumber });
  }
  return result;
}
