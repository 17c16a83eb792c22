// The little glue a Power Pages site adds around the elements (upload it as a web file beside scm-portal.js).
// Each page of the site is a real page, so the glue is about carrying things from one page to the next:
// - Orders: the list's filters, sort and page are kept in the address (?status=…&page=…), so Back from an order
//   returns to the same page of the list, and a filtered list can be bookmarked or shared.
// - Order details: Reorder (`scm-reorder`) carries the order's lines to the New order page.
// - New order: the order form starts with those lines; once the order is created (`scm-order-submit`) the
//   customer is taken to its details page.
// Rows of the list are plain links (href-template), so opening an order needs no script at all.

const REORDER_KEY = 'brightwater-reorder';
const LIST_ATTRIBUTES = ['status', 'search', 'sort', 'from', 'to', 'page'];

/** Keeps the address in step with the list's filter/sort/page attributes (the list writes what the user changes). */
function keepListInAddress(list) {
  const write = () => {
    const url = new URL(location.href);
    for (const name of LIST_ATTRIBUTES) {
      const value = list.getAttribute(name);
      if (value && !(name === 'page' && value === '1')) url.searchParams.set(name, value);
      else url.searchParams.delete(name);
    }
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  };
  new MutationObserver(write).observe(list, { attributes: true, attributeFilter: LIST_ATTRIBUTES });
}

/** Order details → New order: the lines to order again travel in sessionStorage (this tab only). */
function carryReorderToForm(portal) {
  portal.addEventListener('scm-reorder', (event) => {
    sessionStorage.setItem(REORDER_KEY, JSON.stringify(event.detail));
    location.assign(`/power-pages/new-order/?reorder=${encodeURIComponent(event.detail.sourceOrderId)}`);
  });
}

/** New order: start with the carried lines, and go to the order once it is created. */
function prepareForm(form) {
  const carried = sessionStorage.getItem(REORDER_KEY);
  if (carried) {
    sessionStorage.removeItem(REORDER_KEY);
    try {
      const { lines } = JSON.parse(carried);
      if (Array.isArray(lines) && lines.length) form.lines = lines;
    } catch {
      // Not ours: ignore.
    }
  }
  form.addEventListener('scm-order-submit', (event) => {
    const { orderId } = event.detail;
    // After the event the form finishes its own work (it drops its leave-page guard), then we navigate.
    setTimeout(() => location.assign(`/power-pages/orders/?id=${encodeURIComponent(orderId)}&submitted=1`), 0);
  });
}

const portal = document.querySelector('scm-portal');
const list = document.querySelector('scm-order-list:not([page-size])');
const detail = document.querySelector('scm-order-detail');
const form = document.querySelector('scm-order-form');
if (list) keepListInAddress(list);
if (portal && detail) carryReorderToForm(portal);
if (form) prepareForm(form);
