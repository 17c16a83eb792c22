/**
 * Every event the library fires, typed. Domain events are prefixed `scm-`, bubble and are composed (they cross
 * shadow roots), and are fired only in answer to what a user did, never because a host set a property.
 *
 * @example
 * ```ts
 * list.addEventListener('scm-order-select', (e) => router.go(`/orders/${e.detail.orderId}`));
 * ```
 */

/** Detail of `scm-order-select`: the customer chose an order in a list. */
export interface OrderSelectDetail {
  /** The order's Dataverse id (`salesorderid`). */
  readonly orderId: string;
  /** The order number shown to the customer (SCM number when synced, else the Dataverse one). */
  readonly orderNumber: string;
}

/** A line to put in a new order (Reorder, host prefill). */
export interface ReorderLine {
  readonly productId: string;
  readonly itemNumber: string;
  readonly quantity: number;
  readonly unitId: string;
}

/** Detail of `scm-reorder`: the customer asked to order these lines again. */
export interface ReorderDetail {
  readonly sourceOrderId: string;
  readonly lines: readonly ReorderLine[];
}

/** Detail of `scm-order-submit`: an order was created (exactly once). */
export interface OrderSubmitDetail {
  readonly orderId: string;
  /** The Dataverse order number; the SCM number arrives later through dual-write. */
  readonly orderNumber: string;
}

/** Detail of `scm-session-change`: the provider loaded (or lost) the signed-in session. */
export interface SessionChangeDetail {
  readonly status: 'loading' | 'ready' | 'signed-out' | 'misconfigured' | 'error';
}

function domainEvent<T>(type: string, detail: T): CustomEvent<T> {
  return new CustomEvent<T>(type, { detail, bubbles: true, composed: true });
}

export const orderSelectEvent = (detail: OrderSelectDetail) => domainEvent('scm-order-select', detail);
export const reorderEvent = (detail: ReorderDetail) => domainEvent('scm-reorder', detail);
export const orderSubmitEvent = (detail: OrderSubmitDetail) => domainEvent('scm-order-submit', detail);
export const sessionChangeEvent = (detail: SessionChangeDetail) => domainEvent('scm-session-change', detail);

declare global {
  interface GlobalEventHandlersEventMap {
    'scm-order-select': CustomEvent<OrderSelectDetail>;
    'scm-reorder': CustomEvent<ReorderDetail>;
    'scm-order-submit': CustomEvent<OrderSubmitDetail>;
    'scm-session-change': CustomEvent<SessionChangeDetail>;
  }
}
