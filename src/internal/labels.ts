/**
 * Names of Supply Chain Management states in the user interface language: order statuses, timeline steps, line
 * statuses and the customer's hold status.
 *
 * In English (the source language) an order's or a line's status shows the label the server gave: Dataverse's
 * formatted value, which follows the organisation's own wording (a renamed status reads as the company calls it).
 * In a translated interface the server's label would be English in the middle of German, so the status shows the
 * translation of its value instead; a value the catalogue does not know keeps the server's label.
 *
 * Functions, not constants: `msg()` must run at render time, in the language active then.
 *
 * @module
 */
import { msg } from '@lit/localize';
import type { OrderStatusKey } from '../portal/orders.js';
import type { LineState, OrderStepKey } from '../portal/order-detail.js';
import type { HoldStatus } from '../portal/accounts.js';
import { OnHoldStatus, ProcessingStatus } from '../tables/choices.js';
import { currentUiLocale, uiSourceLocale } from './localize.js';

/** The catalogue's name of an order status key. */
export function orderStatusName(key: OrderStatusKey): string {
  switch (key) {
    case 'active':
      return msg('Active', { desc: 'Order status: open, nothing posted yet.' });
    case 'confirmed':
      return msg('Confirmed', { desc: 'Order status: the order confirmation is posted.' });
    case 'picked':
      return msg('Picked', { desc: 'Order status: the picking list is posted.' });
    case 'partially-delivered':
      return msg('Partially delivered', { desc: 'Order status.' });
    case 'delivered':
      return msg('Delivered', { desc: 'Order status: packing slip posted for the whole order.' });
    case 'invoiced':
      return msg('Invoiced', { desc: 'Order status: invoiced in full.' });
    case 'partially-invoiced':
      return msg('Partially invoiced', { desc: 'Order status.' });
    case 'cancelled':
      return msg('Cancelled', { desc: 'Order status.' });
    case 'delivered-partially-invoiced':
      return msg('Delivered, partially invoiced', { desc: 'Order status.' });
  }
}

const KEY_OF_VALUE = new Map<number, OrderStatusKey>([
  [ProcessingStatus.Active, 'active'],
  [ProcessingStatus.Confirmed, 'confirmed'],
  [ProcessingStatus.Picked, 'picked'],
  [ProcessingStatus.PartiallyDelivered, 'partially-delivered'],
  [ProcessingStatus.Delivered, 'delivered'],
  [ProcessingStatus.Invoiced, 'invoiced'],
  [ProcessingStatus.PartiallyInvoiced, 'partially-invoiced'],
  [ProcessingStatus.Cancelled, 'cancelled'],
  [ProcessingStatus.DeliveredPartiallyInvoiced, 'delivered-partially-invoiced'],
]);

/** True while the interface shows the source language (server labels are then shown as they come). */
function inSourceLanguage(): boolean {
  return currentUiLocale() === uiSourceLocale;
}

/**
 * An order status to show: the server's label in English, the catalogue's translation otherwise.
 * @param status the status's key (or its `msdyn_processingstatus` value) and the label the server gave.
 */
export function orderStatusLabel(status: { readonly key?: OrderStatusKey | null; readonly value?: number | null; readonly label?: string | null }): string {
  const key = status.key ?? (status.value === null || status.value === undefined ? null : (KEY_OF_VALUE.get(status.value) ?? null));
  if (status.label && (inSourceLanguage() || !key)) return status.label;
  return key ? orderStatusName(key) : '';
}

/** A timeline step's name ("Picked"). */
export function stepName(key: OrderStepKey): string {
  switch (key) {
    case 'active':
      return orderStatusName('active');
    case 'confirmed':
      return orderStatusName('confirmed');
    case 'picked':
      return orderStatusName('picked');
    case 'delivered':
      return orderStatusName('delivered');
    case 'invoiced':
      return orderStatusName('invoiced');
    case 'cancelled':
      return orderStatusName('cancelled');
  }
}

/** A line status to show: the server's label in English, the catalogue's translation otherwise. */
export function lineStatusLabel(status: LineState): string {
  if (status.label && (inSourceLanguage() || !status.key)) return status.label;
  switch (status.key) {
    case 'none':
      return msg('None', { desc: 'Line status: not yet known to Supply Chain Management.' });
    case 'backorder':
      return msg('Open order', { desc: 'Line status: still to deliver.' });
    case 'delivered':
    case 'invoiced':
    case 'cancelled':
      return orderStatusName(status.key);
    default:
      return status.label;
  }
}

/** The customer's hold status in words ("Not on hold", "On hold for invoicing"). */
export function holdLabel(hold: HoldStatus): string {
  const heldByScm = hold.reason !== null && hold.reason !== OnHoldStatus.No && hold.reason !== OnHoldStatus.Never;
  if (!heldByScm) return hold.creditHold ? msg('On credit hold') : msg('Not on hold');
  switch (hold.reason) {
    case OnHoldStatus.Invoice:
      return msg('On hold for invoicing');
    case OnHoldStatus.All:
      return msg('On hold: no new orders');
    case OnHoldStatus.Payment:
      return msg('On hold for payments');
    case OnHoldStatus.Requisition:
      return msg('On hold for requisitions');
    default:
      return hold.label;
  }
}
