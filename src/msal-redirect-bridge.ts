/**
 * The page MSAL v5 redirects to after a sign-in (`redirect-uri` of `<scm-portal auth="msal">`). In MSAL v5 the
 * popup and silent (iframe) flows no longer read the answer from the redirect page themselves: the redirect page
 * must hand it back to the window that asked. This entry does only that, and is built as
 * `dist/cdn/msal-redirect-bridge.js` (a few KB, not the whole of MSAL) so a site can serve a page with
 *
 * ```html
 * <script type="module" src="/scm/msal-redirect-bridge.js"></script>
 * ```
 *
 * as the redirect URI registered for its app (see README, "Embed on any website").
 */
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

void broadcastResponseToMainFrame();
