/**
 * JSX types of the custom elements for React 19, which renders custom elements natively: a prop the element has
 * as a property is set as that property (`pageSize={10}`, `fetch={…}`), any other prop is set as an attribute
 * (`page-size="10"`), and `on<event-name>` adds a listener for that event (`onscm-order-select={…}`).
 *
 * Importing anything from `scm-portal-elements/react` (even `import type {} from 'scm-portal-elements/react'`)
 * brings these types in, so `<scm-order-list page-size="10" onscm-order-select={(e) => e.detail.orderId} />`
 * type-checks. The elements themselves must be defined: import the wrappers, or the element modules.
 *
 * @module
 */
import type { WebComponentProps } from '@lit/react';
import type { ScmAccountSummary } from '../elements/account-summary/account-summary.js';
import type { ScmOrderDetail } from '../elements/order-detail/order-detail.js';
import type { ScmOrderForm } from '../elements/order-form/order-form.js';
import type { ScmOrderList } from '../elements/order-list/order-list.js';
import type { ScmPortal } from '../elements/portal/portal.js';
import type { OrderSelectDetail, OrderSubmitDetail, ReorderDetail, SessionChangeDetail } from '../events.js';

/** The library's domain events as React 19 `on<event-name>` props of a custom element. */
export interface ScmEventProps {
  /** `scm-order-select`: the user chose an order in a list. */
  'onscm-order-select'?: (event: CustomEvent<OrderSelectDetail>) => void;
  /** `scm-reorder`: the user asked to order an order's lines again. */
  'onscm-reorder'?: (event: CustomEvent<ReorderDetail>) => void;
  /** `scm-order-submit`: an order was created. */
  'onscm-order-submit'?: (event: CustomEvent<OrderSubmitDetail>) => void;
  /** `scm-session-change`: the portal loaded (or could not load) the signed-in session. */
  'onscm-session-change'?: (event: CustomEvent<SessionChangeDetail>) => void;
}

/** Props of `<scm-portal>` in JSX. Its elements' events bubble through it, so it takes their handlers too. */
export type ScmPortalJsxProps = WebComponentProps<ScmPortal> & ScmEventProps;
/** Props of `<scm-order-list>` in JSX. */
export type ScmOrderListJsxProps = WebComponentProps<ScmOrderList> & Pick<ScmEventProps, 'onscm-order-select'>;
/** Props of `<scm-order-detail>` in JSX. */
export type ScmOrderDetailJsxProps = WebComponentProps<ScmOrderDetail> & Pick<ScmEventProps, 'onscm-reorder'>;
/** Props of `<scm-order-form>` in JSX. */
export type ScmOrderFormJsxProps = WebComponentProps<ScmOrderForm> & Pick<ScmEventProps, 'onscm-order-submit'>;
/** Props of `<scm-account-summary>` in JSX. */
export type ScmAccountSummaryJsxProps = WebComponentProps<ScmAccountSummary>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'scm-portal': ScmPortalJsxProps;
      'scm-order-list': ScmOrderListJsxProps;
      'scm-order-detail': ScmOrderDetailJsxProps;
      'scm-order-form': ScmOrderFormJsxProps;
      'scm-account-summary': ScmAccountSummaryJsxProps;
    }
  }
}
