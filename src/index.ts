/**
 * `scm-portal-elements`: the root entry point. It exports the client, the events and the domain types, and defines
 * no element: import the elements you use one by one (`scm-portal-elements/order-list`) so a page pays only for
 * them, or load `dist/cdn/scm-portal.js` for everything in one file.
 */
export * from './dataverse/index.js';
export * from './events.js';
export type { PortalSession, Reference, WebRole } from './portal/session.js';
export type { PortalState, PortalStatus, PortalProblem } from './context/portal-context.js';
export { portalContext } from './context/portal-context.js';
