/**
 * The React wrappers (`scm-portal-elements/react`) in real React 19 (react-dom/client) in Chromium, against the
 * emulator: props reach the elements as properties, typed event props are called when the user acts, a React app
 * can route on `onOrderSelect`, and React 19 can also render the elements directly with the JSX types we ship.
 *
 * The compile-time half (typed props and events) is checked by `tsc` (`npm test`'s typecheck): the
 * `@ts-expect-error` lines below fail the build when a wrong type is accepted.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { createElement, useState, type JSX, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { OrderSelectDetail, SessionChangeDetail } from '../../../src/events.js';
import {
  ScmAccountSummary,
  ScmOrderDetail,
  ScmOrderForm,
  ScmOrderList,
  ScmPortal,
  type ScmAccountSummaryElement,
  type ScmOrderDetailElement,
  type ScmOrderFormElement,
  type ScmOrderListElement,
  type ScmPortalElement,
} from '../../../src/react/index.js';
import { ScmOrderList as ScmOrderListClass } from '../../../src/elements/order-list/order-list.js';
import { ScmPortal as ScmPortalClass } from '../../../src/elements/portal/portal.js';
import { countingFetch, isApiRequest, liquidRoles, pickUser, signIn, type PortalUser } from '../../support/portal.js';

/** The account with 25,000 orders: slow to list, left to its own tests. */
const LARGE_ACCOUNT = 'US-010';

let container: HTMLDivElement;
let root: Root;

function render(element: ReactElement): void {
  root.render(element);
}

/** The first element matching `selector` in the rendered tree, once React has committed it. */
async function rendered<T extends Element>(selector: string): Promise<T> {
  await waitUntil(() => container.querySelector(selector), `React did not render ${selector}`, { timeout: 10000 });
  return container.querySelector<T>(selector)!;
}

const shadow = (el: Element) => el.shadowRoot!;
const rows = (list: Element) => [...shadow(list).querySelectorAll<HTMLTableRowElement>('tbody tr')];

/** Waits until the list shows its first page of orders. */
async function ordersShown(list: ScmOrderListElement): Promise<HTMLTableRowElement[]> {
  await waitUntil(() => rows(list).length > 0 && !list.matches(':state(loading)'), 'the order list shows no orders', { timeout: 15000 });
  return rows(list);
}

/** The `<scm-portal>` props Liquid would write on Power Pages, for `user`. */
function portalProps(user: PortalUser) {
  return { baseUrl: '/_api/', auth: 'power-pages' as const, contactId: user.contactId, accountId: user.accountId, roles: liquidRoles(user) };
}

describe('React wrappers (scm-portal-elements/react)', () => {
  let user: PortalUser;

  before(async () => {
    user = await pickUser({ role: 'customer-representative', where: (u) => u.accountNumber !== LARGE_ACCOUNT, index: 1 });
  });

  beforeEach(async () => {
    await signIn(user);
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    root.unmount();
    container.remove();
  });

  it('sets props as properties, calls onSessionChange, and onOrderSelect when the user clicks an order', async () => {
    const sessions: SessionChangeDetail['status'][] = [];
    const selected: OrderSelectDetail[] = [];
    render(
      createElement(
        ScmPortal,
        { ...portalProps(user), onSessionChange: (event) => sessions.push(event.detail.status) },
        createElement(ScmOrderList, { pageSize: 5, onOrderSelect: (event) => selected.push(event.detail) }),
      ),
    );
    const portal = await rendered<ScmPortalElement>('scm-portal');
    expect(portal).to.be.instanceOf(ScmPortalClass);
    expect(portal.baseUrl).to.equal('/_api/');
    expect(portal.contactId).to.equal(user.contactId);
    await waitUntil(() => portal.status === 'ready', 'the session did not load', { timeout: 15000 });
    await waitUntil(() => sessions.includes('ready'), 'onSessionChange was not called');
    expect(sessions).to.deep.equal(['ready']);

    const list = await rendered<ScmOrderListElement>('scm-order-list');
    expect(list).to.be.instanceOf(ScmOrderListClass);
    expect(list.pageSize).to.equal(5); // a number property, not the attribute text
    expect(list.getAttribute('page-size')).to.equal('5'); // reflected by the element itself
    const shown = await ordersShown(list);
    expect(shown.length).to.be.within(1, 5);

    const number = shown[0]!.querySelector('[part="number"]')!.textContent!.trim();
    shown[0]!.click();
    await waitUntil(() => selected.length === 1, 'onOrderSelect was not called');
    expect(selected[0]!.orderNumber).to.equal(number);
    expect(selected[0]!.orderId).to.match(/^[0-9a-f-]{36}$/);

    // A new prop value reaches the element (and the element reloads with it).
    render(
      createElement(
        ScmPortal,
        { ...portalProps(user), onSessionChange: (event) => sessions.push(event.detail.status) },
        createElement(ScmOrderList, { pageSize: 2, onOrderSelect: (event) => selected.push(event.detail) }),
      ),
    );
    await waitUntil(() => list.pageSize === 2, 'the new pageSize did not reach the element');
    await waitUntil(() => rows(list).length > 0 && rows(list).length <= 2 && !list.matches(':state(loading)'), 'the list did not reload with 2 a page', { timeout: 15000 });
    expect(sessions).to.deep.equal(['ready'], 'no session event for a prop change of a child');
  });

  it('lets a React app route on onOrderSelect: list → detail of the chosen order', async () => {
    function App(): ReactElement {
      const [order, setOrder] = useState<OrderSelectDetail | null>(null);
      return createElement(
        ScmPortal,
        portalProps(user),
        order
          ? createElement(ScmOrderDetail, { orderId: order.orderId, liveInterval: 0 })
          : createElement(ScmOrderList, { pageSize: 5, onOrderSelect: (event) => setOrder(event.detail) }),
      );
    }
    render(createElement(App));
    const list = await rendered<ScmOrderListElement>('scm-order-list');
    const shown = await ordersShown(list);
    const number = shown[0]!.querySelector('[part="number"]')!.textContent!.trim();
    shown[0]!.click();

    const detail = await rendered<ScmOrderDetailElement>('scm-order-detail');
    expect(container.querySelector('scm-order-list')).to.equal(null, 'React replaced the list');
    expect(detail.orderId).to.match(/^[0-9a-f-]{36}$/);
    await waitUntil(() => shadow(detail).querySelector('[part="number"]'), 'the order did not load', { timeout: 15000 });
    expect(shadow(detail).querySelector('[part="number"]')!.textContent!.trim()).to.equal(number);
  });

  it('passes object props (fetch) as properties and renders the account summary and the order form', async () => {
    const counter = countingFetch();
    render(
      createElement(
        ScmPortal,
        { ...portalProps(user), fetch: counter },
        createElement(ScmAccountSummary),
        createElement(ScmOrderForm, { earliestDays: 3, name: 'order' }),
      ),
    );
    const portal = await rendered<ScmPortalElement>('scm-portal');
    expect(portal.fetch).to.equal(counter);
    await waitUntil(() => portal.status === 'ready', 'the session did not load', { timeout: 15000 });
    expect(counter.count(isApiRequest)).to.be.greaterThan(0, 'the portal used the fetch given as a prop');

    const summary = await rendered<ScmAccountSummaryElement>('scm-account-summary');
    await waitUntil(() => shadow(summary).querySelector('[part~="title"]'), 'the account summary did not load', { timeout: 15000 });
    expect(shadow(summary).textContent).to.contain(user.accountNumber);

    const form = await rendered<ScmOrderFormElement>('scm-order-form');
    expect(form.earliestDays).to.equal(3);
    expect(form.getAttribute('name')).to.equal('order'); // `name` reflects
  });

  it('React 19 renders the elements directly: attributes, properties and on<event> listeners', async () => {
    const selected: OrderSelectDetail[] = [];
    // Typed by the JSX types of src/react/jsx.ts (what `<scm-order-list … />` gets in a .tsx file).
    const listProps: JSX.IntrinsicElements['scm-order-list'] = {
      'page-size': 3,
      'onscm-order-select': (event) => selected.push(event.detail),
    } as JSX.IntrinsicElements['scm-order-list'];
    const portalIntrinsicProps: JSX.IntrinsicElements['scm-portal'] = {
      baseUrl: '/_api/', // a property of the element: React 19 sets the property
      auth: 'power-pages',
      contactId: user.contactId,
      accountId: user.accountId,
      roles: liquidRoles(user),
    };
    render(createElement('scm-portal', portalIntrinsicProps, createElement('scm-order-list', listProps)));
    const portal = await rendered<ScmPortalElement>('scm-portal');
    expect(portal.baseUrl).to.equal('/_api/');
    await waitUntil(() => portal.status === 'ready', 'the session did not load', { timeout: 15000 });
    const list = await rendered<ScmOrderListElement>('scm-order-list');
    expect(list.pageSize).to.equal(3, 'the page-size attribute was set and converted by the element');
    const shown = await ordersShown(list);
    expect(shown.length).to.be.within(1, 3);
    shown[0]!.click();
    await waitUntil(() => selected.length === 1, 'the onscm-order-select listener was not called');
    expect(selected[0]!.orderId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('types props and events (compile-time: wrong types are errors)', () => {
    // Each line below must NOT compile; `tsc` fails the build if one does.
    // @ts-expect-error pageSize is a number
    createElement(ScmOrderList, { pageSize: '10' });
    // @ts-expect-error onOrderSelect's event carries OrderSelectDetail, which has no `lines`
    createElement(ScmOrderList, { onOrderSelect: (event) => event.detail.lines });
    // @ts-expect-error the list fires no scm-order-submit
    createElement(ScmOrderList, { onOrderSubmit: () => undefined });
    // @ts-expect-error onReorder's event carries the lines to order again, not an order number
    createElement(ScmOrderDetail, { onReorder: (event) => event.detail.orderNumber.trim() });
    // @ts-expect-error SessionChangeDetail has a status, not a session
    createElement(ScmPortal, { onSessionChange: (event) => event.detail.session });
    // @ts-expect-error JSX: live-interval is a number property (liveInterval), not a string
    const wrong: JSX.IntrinsicElements['scm-order-detail'] = { liveInterval: '30' };

    // And these do compile, with the detail types inferred.
    const ok = [
      createElement(ScmOrderDetail, { orderNumber: 'SO-1', onReorder: (event) => event.detail.lines.map((line) => line.quantity) }),
      createElement(ScmOrderForm, { onOrderSubmit: (event) => event.detail.orderId.toUpperCase() }),
      createElement(ScmPortal, { onOrderSelect: (event) => event.detail.orderNumber }), // bubbles through the portal
    ];
    expect(ok.map((element) => element.type)).to.deep.equal([ScmOrderDetail, ScmOrderForm, ScmPortal]);
    expect(wrong).to.be.an('object');
  });
});
