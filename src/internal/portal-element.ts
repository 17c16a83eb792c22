/**
 * Base class of every element that lives inside `<scm-portal>`: it consumes the portal context and renders, in
 * place of its content, what a user or a site owner needs to know when there is nothing to show yet:
 * no provider around it, the session loading, signed out, misconfigured or unreachable.
 */
import { LitElement, html, css, nothing, type TemplateResult } from 'lit';
import { consume } from '@lit/context';
import { msg, str } from '@lit/localize';
import { state } from 'lit/decorators.js';
import { portalContext, type PortalState } from '../context/portal-context.js';
import type { DataverseClient } from '../dataverse/client.js';
import type { PortalSession } from '../portal/session.js';

/** Styles for the gate messages, shared by every element (they use the `--scm-*` tokens). */
export const gateStyles = css`
  .gate {
    font: var(--scm-font, inherit);
    color: var(--scm-color-text, #1f2328);
    border: 1px dashed var(--scm-color-border, #d0d7de);
    border-radius: var(--scm-radius, 6px);
    padding: var(--scm-space-4, 1rem);
    background: var(--scm-color-surface, #fff);
  }
  .gate strong { display: block; margin-block-end: 0.25rem; }
  .gate p { margin: 0.25rem 0 0; color: var(--scm-color-text-muted, #59636e); }
  .gate code { font-size: 0.9em; }
`;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What an element's gate says, as whole sentences in the interface language (each element words its own, so
 * that translations need not assemble a sentence around a noun).
 */
export interface GateText {
  /** While the session loads: "Loading your orders…". */
  readonly loading: string;
  /** Signed out: "Sign in to see your orders.". */
  readonly signedOut: string;
  /** Misconfigured or unreachable: "Your orders can't be shown right now.". */
  readonly unavailable: string;
}

export abstract class PortalElement extends LitElement {
  /** The provider's state; `undefined` when the element is not inside a `<scm-portal>`. */
  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  /** The ready client and session, or `undefined` while the gate is shown. */
  protected get ready(): { client: DataverseClient; session: PortalSession; locale: string } | undefined {
    const p = this.portal;
    return p?.status === 'ready' && p.client && p.session ? { client: p.client, session: p.session, locale: p.locale } : undefined;
  }

  /**
   * What to render instead of the element's content, or `nothing` when the portal is ready.
   * @param what the element's sentences for the gate (call `msg()` at render time), or — older form, not
   *   translated — how the element names its content for the user ("the order form"), set into English sentences.
   */
  protected renderGate(what: string | GateText): TemplateResult | typeof nothing {
    const p = this.portal;
    const tag = this.localName;
    if (!p) {
      return html`<div class="gate" role="alert" part="gate">
        <strong>${msg(str`${tag} needs a <scm-portal> around it.`)}</strong>
        <p>${msg(html`Place it inside <code>&lt;scm-portal base-url="…" auth="…"&gt;</code>, which signs in and shares the connection.`)}</p>
      </div>`;
    }
    // The older form (a noun set into English sentences) stays English: a translated sentence around an English
    // noun reads worse than an English sentence. Localised elements pass their own translated sentences.
    const text: GateText =
      typeof what === 'string'
        ? {
            loading: `Loading ${what}…`,
            signedOut: `Sign in to see ${what}.`,
            unavailable: `${capitalise(what)} can't be shown right now.`,
          }
        : what;
    switch (p.status) {
      case 'ready':
        return nothing;
      case 'loading':
        return html`<div class="gate" role="status" aria-live="polite" part="gate">${text.loading}</div>`;
      // The provider itself shows the full message (what went wrong, what to do, a Sign in or Retry button):
      // the element only says, briefly, why its own content is missing, so nothing is said twice.
      case 'signed-out':
        return html`<div class="gate" role="status" part="gate"><strong>${text.signedOut}</strong></div>`;
      default:
        return html`<div class="gate" role="status" part="gate"><strong>${text.unavailable}</strong></div>`;
    }
  }
}
