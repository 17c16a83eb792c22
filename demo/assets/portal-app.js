// The customer portal of the corporate website (/) and of the strict-CSP page (/csp/), with no framework:
// - sign-in: a "sign in as" list of the emulator's seeded contacts. It stands in for Microsoft Entra ID (MSAL),
//   which the offline demo cannot reach: the chosen contact's access token comes from the emulator's
//   `POST /emulator/token` and is handed to <scm-portal auth="token"> through its `tokenProvider` property.
//   In production the page uses <scm-portal auth="msal" client-id=… authority=… redirect-uri=…> instead (see the
//   comment in demo/index.html), or `auth="token"` with a provider that asks the site's own back end;
// - a tiny hash router over four views: #/orders, #/orders/<id>, #/new-order, #/account;
// - the elements' events wired between the views: choosing an order opens it (`scm-order-select`), Reorder opens
//   the order form with its lines (`scm-reorder`), a submitted order opens its details (`scm-order-submit`) and
//   the list and account are refreshed.
// No innerHTML anywhere (the /csp/ page enforces Trusted Types): only DOM APIs and textContent.

/** The signed-in contact's e-mail, per tab (the demo keeps no token in storage: tokens live in memory). */
const USER_KEY = 'brightwater-demo-user';
const ROLE_LABELS = {
  administrator: 'Administrator',
  'customer-representative': 'Customer representative',
  'authorized-user': 'Authorized user',
  'unauthorized-user': 'Unauthorized user',
};
const VIEW_TITLES = { orders: 'Your orders', order: 'Order details', 'new-order': 'New order', account: 'Your account' };
/** The list attributes kept in the address (#/orders?status=…&page=2), so Back from an order returns to them. */
const LIST_ATTRIBUTES = ['status', 'search', 'sort', 'from', 'to', 'page'];

/**
 * Reads a route from a location hash: `#/orders`, `#/orders/<id>`, `#/new-order`, `#/account` (each may carry a
 * `?query`). Returns `undefined` for a hash that is not a route (an ordinary in-page anchor such as `#main`).
 * @param {string} hash
 * @returns {{ view: 'orders' | 'order' | 'new-order' | 'account', orderId?: string, params: URLSearchParams } | undefined}
 */
export function parseRoute(hash) {
  if (!hash.startsWith('#/')) return undefined;
  const [path, query = ''] = hash.slice(2).split('?');
  const params = new URLSearchParams(query);
  const [first, second] = path.split('/').filter(Boolean);
  if (first === 'orders' && second) {
    let orderId = second;
    try {
      orderId = decodeURIComponent(second);
    } catch {
      // keep it as written
    }
    return { view: 'order', orderId, params };
  }
  if (first === 'orders' || first === 'new-order' || first === 'account') return { view: first, params };
  return { view: 'orders', params };
}

/**
 * A `tokenProvider` for `<scm-portal auth="token">` that asks the emulator for the contact's token, caches it in
 * memory until a minute before it expires, and fetches a new one when the client says the last one was refused
 * (`forceRefresh`). A site with its own back end writes the same function around its own token endpoint.
 * @param {string} email the seeded contact
 */
export function emulatorTokenProvider(email) {
  let cached;
  const provider = async ({ forceRefresh, signal } = {}) => {
    if (!forceRefresh && cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
    const response = await fetch('/emulator/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: email }),
      signal,
    });
    if (!response.ok) throw new Error(`the sign-in service answered ${response.status}`);
    const body = await response.json();
    cached = { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return cached.token;
  };
  /** Ends the emulator session of the cached token (sign-out). */
  provider.revoke = async () => {
    if (!cached) return;
    const token = cached.token;
    cached = undefined;
    await fetch('/emulator/signout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
  };
  return provider;
}

const describeRoles = (user) => user.webRoles.map((role) => ROLE_LABELS[role] ?? role).join(', ');

/**
 * Starts the portal in `root` (an element holding the sign-in form `[data-signin]`, the signed-in bar
 * `[data-account-bar]` and the `<scm-portal>` with its `[data-view]` sections).
 * @param {ParentNode} root
 */
export async function startCustomerPortal(root) {
  const q = (selector) => {
    const found = root.querySelector(selector);
    if (!found) throw new Error(`The portal page has no ${selector}`);
    return found;
  };
  const portal = q('scm-portal');
  const signInForm = q('[data-signin]');
  const userSelect = q('[data-signin] select');
  const accountBar = q('[data-account-bar]');
  const who = q('[data-who]');
  const detail = q('scm-order-detail');
  const form = q('scm-order-form');
  const summary = q('scm-account-summary');
  const submittedNotice = q('[data-submitted-notice]');
  const list = () => q('scm-order-list');
  const baseTitle = document.title;
  /** The order created last in this page (its details show a "submitted" notice). */
  let submittedOrderId;
  let provider;

  // ----- sign-in ------------------------------------------------------------------------------------------
  const users = await fetch('/emulator/users')
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`${response.status}`))))
    .then((body) => body.value);
  const byAccount = new Map();
  for (const user of users) {
    if (!byAccount.has(user.accountNumber)) byAccount.set(user.accountNumber, []);
    byAccount.get(user.accountNumber).push(user);
  }
  for (const [account, people] of byAccount) {
    const group = document.createElement('optgroup');
    group.label = `Account ${account}`;
    for (const user of people) group.append(new Option(`${user.fullName} — ${describeRoles(user)}`, user.email));
    userSelect.append(group);
  }

  function signIn(user) {
    provider = emulatorTokenProvider(user.email);
    portal.tokenProvider = provider;
    portal.setAttribute('contact-id', user.contactId);
    portal.setAttribute('account-id', user.accountId);
    portal.setAttribute('roles', user.webRoles.join(','));
    who.textContent = '';
    const name = document.createElement('strong');
    name.textContent = user.fullName;
    who.append('Signed in as ', name, ` · ${describeRoles(user)} · account ${user.accountNumber}`);
    signInForm.hidden = true;
    accountBar.hidden = false;
    portal.hidden = false;
    if (!parseRoute(location.hash)) history.replaceState(history.state, '', '#/orders');
    show(parseRoute(location.hash), { focus: false });
  }

  signInForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const user = users.find((u) => u.email === userSelect.value);
    if (!user) return;
    sessionStorage.setItem(USER_KEY, user.email);
    signIn(user);
    q('[data-view]:not([hidden])').focus();
  });

  q('[data-signout]').addEventListener('click', async () => {
    sessionStorage.removeItem(USER_KEY);
    await provider?.revoke();
    // A fresh page: nothing of this customer stays in memory.
    location.replace(location.pathname);
  });

  // ----- views ----------------------------------------------------------------------------------------------
  function applyListParams(params) {
    const element = list();
    for (const name of LIST_ATTRIBUTES) {
      const value = params.get(name);
      if (value) {
        if (element.getAttribute(name) !== value) element.setAttribute(name, value);
      } else if (element.hasAttribute(name)) {
        element.removeAttribute(name);
      }
    }
  }

  /** Writes the list's filters, sort and page into the address while the list is shown. */
  function watchList(element) {
    new MutationObserver(() => {
      if (parseRoute(location.hash)?.view !== 'orders') return;
      const params = new URLSearchParams();
      for (const name of LIST_ATTRIBUTES) {
        const value = element.getAttribute(name);
        if (value && !(name === 'page' && value === '1')) params.set(name, value);
      }
      const hash = `#/orders${params.size ? `?${params}` : ''}`;
      if (hash !== location.hash) history.replaceState(history.state, '', hash);
    }).observe(element, { attributes: true, attributeFilter: LIST_ATTRIBUTES });
  }
  watchList(list());

  /** A new list element: it loads the first page again (the new order included), keeping filters and sort. */
  function refreshList() {
    const old = list();
    const fresh = old.cloneNode(false);
    fresh.removeAttribute('page');
    old.replaceWith(fresh);
    watchList(fresh);
  }

  function show(route, { focus }) {
    if (!route || portal.hidden) return;
    let shown;
    for (const section of root.querySelectorAll('[data-view]')) {
      section.hidden = section.dataset.view !== route.view;
      if (!section.hidden) shown = section;
    }
    for (const link of root.querySelectorAll('[data-route]')) {
      const current = link.dataset.route === route.view || (route.view === 'order' && link.dataset.route === 'orders');
      if (current) link.setAttribute('aria-current', route.view === 'order' ? 'true' : 'page');
      else link.removeAttribute('aria-current');
    }
    if (route.view === 'order') {
      detail.orderId = route.orderId;
      submittedNotice.hidden = route.orderId !== submittedOrderId;
    }
    if (route.view === 'orders') applyListParams(route.params);
    // Coming back to New order after submitting one starts the next order.
    if (route.view === 'new-order' && form.step === 'submitted') form.startOver();
    document.title = `${VIEW_TITLES[route.view]} · ${baseTitle}`;
    if (focus && shown) shown.focus({ preventScroll: true });
    if (focus && shown) shown.closest('[data-portal-area]')?.scrollIntoView({ block: 'start' });
  }

  window.addEventListener('hashchange', () => show(parseRoute(location.hash), { focus: true }));

  // ----- the elements' events -------------------------------------------------------------------------------
  portal.addEventListener('scm-order-select', (event) => {
    location.hash = `#/orders/${encodeURIComponent(event.detail.orderId)}`;
  });
  portal.addEventListener('scm-reorder', () => {
    // The form hears the event itself (it listens on the document, after us) and fills in the lines; a form
    // showing the confirmation of the previous order starts a new one first, so the lines go into a new order.
    if (form.step === 'submitted') form.startOver();
    location.hash = '#/new-order';
  });
  portal.addEventListener('scm-order-submit', (event) => {
    submittedOrderId = event.detail.orderId;
    refreshList();
    summary.refresh();
    location.hash = `#/orders/${encodeURIComponent(event.detail.orderId)}`;
  });

  // ----- start ----------------------------------------------------------------------------------------------
  const remembered = users.find((u) => u.email === sessionStorage.getItem(USER_KEY));
  if (remembered) {
    signIn(remembered);
  } else {
    signInForm.hidden = false;
  }
}

const root = document.querySelector('[data-customer-portal]');
if (root) {
  startCustomerPortal(root).catch((error) => {
    const message = document.createElement('p');
    message.className = 'portal-failure';
    message.setAttribute('role', 'alert');
    message.textContent = `The customer portal could not start: ${error instanceof Error ? error.message : String(error)}`;
    root.prepend(message);
  });
}
