import type { TableDef } from './schema.js';
import { money, primaryKey, systemColumns } from './columns.js';
import { pricingMethodLabels, quantitySellingLabels } from './choices.js';

/**
 * Price list item (`productpricelevels`): the price of one product in one unit on one price list. A product
 * without an item on the customer's price list cannot be ordered.
 *
 * The table's primary name (`productidname`, the product's name) is computed by Dataverse and not declared.
 */
export const productpricelevel = {
  logicalName: 'productpricelevel',
  entitySet: 'productpricelevels',
  primaryKey: 'productpricelevelid',
  primaryName: 'productidname',
  changeTracking: false,
  columns: {
    productpricelevelid: primaryKey,
    pricelevelid: {
      type: 'lookup', targets: ['pricelevel'], navigation: { pricelevel: 'pricelevelid' }, required: true,
    },
    productid: { type: 'lookup', targets: ['product'], navigation: { product: 'productid' }, required: true },
    uomid: { type: 'lookup', targets: ['uom'], navigation: { uom: 'uomid' }, required: true },
    transactioncurrencyid: {
      type: 'lookup', targets: ['transactioncurrency'], navigation: { transactioncurrency: 'transactioncurrencyid' },
    },
    /** The price per unit. */
    amount: money,
    pricingmethodcode: { type: 'picklist', options: pricingMethodLabels },
    quantitysellingcode: { type: 'picklist', options: quantitySellingLabels },
    /** The product's number, copied by Dataverse. */
    productnumber: { type: 'string', readOnly: true },
    ...systemColumns,
  },
  collections: {},
} as const satisfies TableDef;
