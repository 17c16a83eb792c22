/**
 * Mounts {@link App} on `<div id="portal-app" data-contact-id="{{ user.id }}" data-account-id="{{
 * user.parentcustomerid.id }}" data-roles="{{ user.roles | join: ',' | escape }}">` (a Power Pages web template).
 */
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

const mount = document.getElementById('portal-app');
if (mount) {
  const { contactId = '', accountId = '', roles = '' } = mount.dataset;
  createRoot(mount).render(<App user={{ contactId, accountId, roles }} />);
}
