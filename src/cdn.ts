/**
 * The single-file build (`dist/cdn/scm-portal.js`): every element defined, Lit included, for a plain
 * `<script type="module" src=".../scm-portal.js">` on any site or a Power Pages web file. MSAL is not in it: the
 * client imports it lazily, as a chunk beside this file, only when `auth="msal"` is used.
 */
export * from './index.js';
export { ScmPortal } from './elements/portal/portal.js';
export { ScmAccountSummary } from './elements/account-summary/account-summary.js';
export { ScmOrderList } from './elements/order-list/order-list.js';
export { ScmOrderDetail } from './elements/order-detail/order-detail.js';
export { ScmOrderForm } from './elements/order-form/order-form.js';
