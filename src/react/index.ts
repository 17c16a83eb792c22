/**
 * `scm-portal-elements/react`: the elements as React components, made with `@lit/react`, with typed props and
 * typed event handlers. They work with React 18 and 19; with React 19 you may also write the elements directly in
 * JSX (their JSX types come with this entry point, see `jsx.ts`).
 *
 * ```tsx
 * import { ScmPortal, ScmOrderList, ScmOrderDetail } from 'scm-portal-elements/react';
 *
 * function Orders({ user }: { user: { contactId: string; accountId: string; roles: string } }) {
 *   const [orderId, setOrderId] = useState<string>();
 *   return (
 *     <ScmPortal baseUrl="/_api/" auth="power-pages" contactId={user.contactId} accountId={user.accountId} roles={user.roles}>
 *       <ScmOrderList pageSize={10} onOrderSelect={(e) => setOrderId(e.detail.orderId)} />
 *       {orderId && <ScmOrderDetail orderId={orderId} />}
 *     </ScmPortal>
 *   );
 * }
 * ```
 *
 * Props are the elements' properties (camelCase: `pageSize`, `hrefTemplate`, and objects such as `fetch` or
 * `tokenProvider`), set as properties, not attributes. Events are `on…` props: `onOrderSelect`, `onReorder`,
 * `onOrderSubmit`, `onSessionChange`. The domain events bubble, so `<ScmPortal>` takes every one of them too.
 * Importing this module defines the five elements.
 *
 * @module
 */
import * as React from 'react';
import { createComponent, type EventName, type ReactWebComponent } from '@lit/react';
import { ScmAccountSummary as ScmAccountSummaryElement } from '../elements/account-summary/account-summary.js';
import { ScmOrderDetail as ScmOrderDetailElement } from '../elements/order-detail/order-detail.js';
import { ScmOrderForm as ScmOrderFormElement } from '../elements/order-form/order-form.js';
import { ScmOrderList as ScmOrderListElement } from '../elements/order-list/order-list.js';
import { ScmPortal as ScmPortalElement } from '../elements/portal/portal.js';
import type { OrderSelectDetail, OrderSubmitDetail, ReorderDetail, SessionChangeDetail } from '../events.js';

export type {
  ScmAccountSummaryJsxProps,
  ScmEventProps,
  ScmOrderDetailJsxProps,
  ScmOrderFormJsxProps,
  ScmOrderListJsxProps,
  ScmPortalJsxProps,
} from './jsx.js';
export type { OrderSelectDetail, OrderSubmitDetail, ReorderDetail, ReorderLine, SessionChangeDetail } from '../events.js';
export type { ScmAccountSummaryElement, ScmOrderDetailElement, ScmOrderFormElement, ScmOrderListElement, ScmPortalElement };

/** The React prop of each domain event, with its typed event. */
const events = {
  onOrderSelect: 'scm-order-select' as EventName<CustomEvent<OrderSelectDetail>>,
  onReorder: 'scm-reorder' as EventName<CustomEvent<ReorderDetail>>,
  onOrderSubmit: 'scm-order-submit' as EventName<CustomEvent<OrderSubmitDetail>>,
  onSessionChange: 'scm-session-change' as EventName<CustomEvent<SessionChangeDetail>>,
} as const;

/** `onOrderSelect`: the user chose an order in a list (`event.detail.orderId`, `event.detail.orderNumber`). */
export type OrderListEvents = Pick<typeof events, 'onOrderSelect'>;
/** `onReorder`: the user asked to order the order's lines again (`event.detail.lines`). */
export type OrderDetailEvents = Pick<typeof events, 'onReorder'>;
/** `onOrderSubmit`: the order was created, once (`event.detail.orderId`, `event.detail.orderNumber`). */
export type OrderFormEvents = Pick<typeof events, 'onOrderSubmit'>;
/** `onSessionChange` (`event.detail.status`), and every event of the elements inside (they bubble). */
export type PortalEvents = typeof events;

/**
 * `<scm-portal>`: connects to Dataverse / Power Pages, loads the signed-in customer and shares them with the
 * elements inside. Props: `baseUrl`, `auth`, `contactId`, `accountId`, `roles`, `locale`, `clientId`, `authority`,
 * `redirectUri`, `signInUrl`, `tokenProvider`, `fetch`; events: `onSessionChange` and those of its elements.
 */
export const ScmPortal: ReactWebComponent<ScmPortalElement, PortalEvents> = createComponent({
  react: React,
  tagName: 'scm-portal',
  elementClass: ScmPortalElement,
  events,
  displayName: 'ScmPortal',
});

/** `<scm-order-list>`: the customer's orders (search, filter, sort, page, live status); `onOrderSelect`. */
export const ScmOrderList: ReactWebComponent<ScmOrderListElement, OrderListEvents> = createComponent({
  react: React,
  tagName: 'scm-order-list',
  elementClass: ScmOrderListElement,
  events: { onOrderSelect: events.onOrderSelect },
  displayName: 'ScmOrderList',
});

/** `<scm-order-detail>`: one order (`orderId` or `orderNumber`) with its lines, totals, invoices; `onReorder`. */
export const ScmOrderDetail: ReactWebComponent<ScmOrderDetailElement, OrderDetailEvents> = createComponent({
  react: React,
  tagName: 'scm-order-detail',
  elementClass: ScmOrderDetailElement,
  events: { onReorder: events.onReorder },
  displayName: 'ScmOrderDetail',
});

/** `<scm-order-form>`: create and submit an order (prefill with `lines`); `onOrderSubmit`. */
export const ScmOrderForm: ReactWebComponent<ScmOrderFormElement, OrderFormEvents> = createComponent({
  react: React,
  tagName: 'scm-order-form',
  elementClass: ScmOrderFormElement,
  events: { onOrderSubmit: events.onOrderSubmit },
  displayName: 'ScmOrderForm',
});

/** `<scm-account-summary>`: the customer's account at a glance. */
export const ScmAccountSummary: ReactWebComponent<ScmAccountSummaryElement> = createComponent({
  react: React,
  tagName: 'scm-account-summary',
  elementClass: ScmAccountSummaryElement,
  displayName: 'ScmAccountSummary',
});
