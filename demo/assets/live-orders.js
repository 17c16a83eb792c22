// A stand-in for the <scm-order-list> element until the elements land: the signed-in user's 10 latest orders,
// refreshed every few seconds so the simulated SCM moving them (Active → Confirmed → … → Invoiced) shows live.
// Plain fetch against the Web API, in either flavour:
// - `dataverse`: /api/data/v9.2/ with `Authorization: Bearer <token>` (a website signed in with MSAL);
// - `powerpages`: /_api/ with the session cookie and the `__RequestVerificationToken` header (a Power Pages page).

const SELECT = [
  'name',
  'ordernumber',
  'msdyn_salesordernumber',
  'msdyn_processingstatus',
  'totalamount',
  'createdon',
  'msdyn_requestedreceiptdate',
  'msdyn_confirmedreceiptdate',
].join(',');

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';

/** CSS class per processing status, for the badge colour (the text always says the status). */
const STATUS_TONE = {
  192350000: 'active',
  192350001: 'confirmed',
  192350002: 'picked',
  192350003: 'partial',
  192350004: 'delivered',
  192350005: 'invoiced',
  192350006: 'partial',
  192350007: 'cancelled',
  192350008: 'partial',
};

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * Shows the latest orders in `container` and keeps them fresh.
 * @param {HTMLElement} container
 * @param {{ api: 'dataverse' | 'powerpages', headers: () => Promise<Record<string, string>>, intervalMs?: number,
 *           tableClass?: string, badgeClass?: (tone: string) => string }} options
 * @returns {{ refresh: () => Promise<void>, stop: () => void }}
 */
export function showLatestOrders(container, options) {
  const base = options.api === 'powerpages' ? '/_api/' : '/api/data/v9.2/';
  const query = `salesorders?$select=${SELECT}&$orderby=${encodeURIComponent('createdon desc')}&$top=10`;
  const previous = new Map();
  let timer;
  let stopped = false;

  container.setAttribute('aria-live', 'polite');
  container.innerHTML = '<p class="orders-note">Loading your orders…</p>';

  async function refresh() {
    let response;
    try {
      response = await fetch(base + query, {
        headers: {
          Accept: 'application/json',
          'OData-MaxVersion': '4.0',
          'OData-Version': '4.0',
          'If-None-Match': 'null',
          Prefer: `odata.include-annotations="${FORMATTED}"`,
          ...(await options.headers()),
        },
        credentials: 'same-origin',
      });
    } catch {
      container.innerHTML = '<p class="orders-note">The order service cannot be reached. Retrying…</p>';
      return;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      const retry = response.headers.get('Retry-After');
      const message = response.status === 429
        ? `The service is busy. Retrying${retry ? ` in ${retry} s` : ''}…`
        : body?.error?.message ?? `${response.status} ${response.statusText}`;
      container.innerHTML = `<p class="orders-note">${escapeHtml(message)}</p>`;
      return;
    }
    const { value } = await response.json();
    if (!value.length) {
      container.innerHTML = '<p class="orders-note">No orders yet.</p>';
      return;
    }
    const rows = value.map((order) => {
      const status = order.msdyn_processingstatus;
      const tone = STATUS_TONE[status] ?? 'active';
      const label = order[`msdyn_processingstatus@${FORMATTED}`] ?? (status === null ? 'Sent to SCM' : String(status));
      const changed = previous.has(order.salesorderid) && previous.get(order.salesorderid) !== `${status}`;
      previous.set(order.salesorderid, `${status}`);
      const number = order.msdyn_salesordernumber
        ? escapeHtml(order.msdyn_salesordernumber)
        : '<span class="pending">awaiting SCM number</span>';
      const badge = options.badgeClass ? options.badgeClass(tone) : `status status-${tone}`;
      return `<tr${changed ? ' class="changed"' : ''}>
        <td>${number}</td>
        <td>${escapeHtml(order.name)}</td>
        <td>${escapeHtml(order[`createdon@${FORMATTED}`] ?? order.createdon)}</td>
        <td>${escapeHtml(order[`msdyn_confirmedreceiptdate@${FORMATTED}`] ?? order[`msdyn_requestedreceiptdate@${FORMATTED}`] ?? '')}</td>
        <td class="num">${escapeHtml(order[`totalamount@${FORMATTED}`] ?? order.totalamount ?? '')}</td>
        <td><span class="${badge}">${escapeHtml(label)}</span></td>
      </tr>`;
    });
    container.innerHTML = `<table class="${options.tableClass ?? 'orders'}">
      <caption class="visually-hidden">Your 10 latest orders</caption>
      <thead><tr><th scope="col">Sales order</th><th scope="col">Name</th><th scope="col">Created</th>
        <th scope="col">Receipt date</th><th scope="col" class="num">Total</th><th scope="col">Status</th></tr></thead>
      <tbody>${rows.join('')}</tbody></table>`;
  }

  async function loop() {
    if (stopped) return;
    await refresh();
    if (!stopped) timer = setTimeout(loop, options.intervalMs ?? 3000);
  }
  loop();

  return {
    refresh,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
