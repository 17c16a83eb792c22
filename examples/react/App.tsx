/**
 * A tiny React 19 app on the portal elements (`scm-portal-elements/react`): the orders of the signed-in customer,
 * the chosen order, Reorder into a new order, and a confirmation when it is submitted. Routing is plain React state.
 *
 * On Power Pages the ids come from Liquid (`{{ user.id }}`, `{{ user.parentcustomerid.id }}`,
 * `{{ user.roles | join: ',' }}`), e.g. written into `data-` attributes of the element the app mounts on; see
 * `main.tsx`. Not part of the library build; type-checked with `npx tsc -p examples/react`.
 */
import { useState } from 'react';
import {
  ScmAccountSummary,
  ScmOrderDetail,
  ScmOrderForm,
  ScmOrderList,
  ScmPortal,
  type OrderSubmitDetail,
  type ReorderLine,
  type SessionChangeDetail,
} from 'scm-portal-elements/react';

/** Who is signed in, as the page knows it. */
export interface SignedInUser {
  readonly contactId: string;
  readonly accountId: string;
  /** Comma-separated web roles (`{{ user.roles | join: ',' }}`). */
  readonly roles: string;
}

type View =
  | { readonly name: 'orders' }
  | { readonly name: 'order'; readonly orderId: string }
  | { readonly name: 'new-order'; readonly lines: readonly ReorderLine[] }
  | { readonly name: 'submitted'; readonly order: OrderSubmitDetail };

export function App({ user }: { readonly user: SignedInUser }) {
  const [view, setView] = useState<View>({ name: 'orders' });
  const [status, setStatus] = useState<SessionChangeDetail['status']>('loading');

  return (
    <ScmPortal
      baseUrl="/_api/"
      auth="power-pages"
      contactId={user.contactId}
      accountId={user.accountId}
      roles={user.roles}
      onSessionChange={(event) => setStatus(event.detail.status)}
    >
      <nav aria-label="Portal">
        <button type="button" onClick={() => setView({ name: 'orders' })}>Orders</button>
        <button type="button" onClick={() => setView({ name: 'new-order', lines: [] })} disabled={status !== 'ready'}>
          New order
        </button>
      </nav>

      {view.name === 'orders' && (
        <>
          {/* React 19 also renders the elements directly, typed by the JSX types of scm-portal-elements/react. */}
          <scm-account-summary />
          <ScmOrderList pageSize={10} sort="-date" onOrderSelect={(event) => setView({ name: 'order', orderId: event.detail.orderId })} />
        </>
      )}

      {view.name === 'order' && (
        <ScmOrderDetail orderId={view.orderId} onReorder={(event) => setView({ name: 'new-order', lines: event.detail.lines })} />
      )}

      {view.name === 'new-order' && (
        <ScmOrderForm lines={view.lines} onOrderSubmit={(event) => setView({ name: 'submitted', order: event.detail })} />
      )}

      {view.name === 'submitted' && (
        <p role="status">
          Thank you: order {view.order.orderNumber} is on its way to Supply Chain Management.{' '}
          <button type="button" onClick={() => setView({ name: 'order', orderId: view.order.orderId })}>See the order</button>
        </p>
      )}

      {/* The summary of the account as a wrapped component works the same way. */}
      {view.name === 'submitted' && <ScmAccountSummary />}
    </ScmPortal>
  );
}
