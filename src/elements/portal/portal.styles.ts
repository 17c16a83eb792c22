import { css } from 'lit';

/** Styles of `<scm-portal>`: the host is a plain block; only the site-owner message is drawn. */
export const portalStyles = css`
  :host {
    display: block;
    --scm-portal-message-border: var(--scm-color-border, #d0d7de);
    --scm-portal-message-background: var(--scm-color-surface, #fff);
    --scm-portal-message-accent: var(--scm-color-warning, #9a6700);
    font: var(--scm-font, inherit);
    font-size: var(--scm-font-size, inherit);
    color: var(--scm-color-text, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .message {
    box-sizing: border-box;
    margin-block-end: var(--scm-space-4, 1rem);
    padding: var(--scm-space-4, 1rem);
    border: 1px solid var(--scm-portal-message-border);
    border-inline-start: 4px solid var(--scm-portal-message-accent);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-portal-message-background);
    color: var(--scm-color-text, #1f2328);
    line-height: 1.5;
    overflow-wrap: anywhere;
  }
  .message[data-kind='signed-out'] {
    --scm-portal-message-accent: var(--scm-color-primary, #0969da);
  }
  .message[data-kind='error'] {
    --scm-portal-message-accent: var(--scm-color-danger, #cf222e);
  }
  .title {
    margin: 0;
    font-size: 1em;
    font-weight: 600;
  }
  .detail,
  .fix {
    margin: var(--scm-space-1, 0.25rem) 0 0;
  }
  .fix {
    color: var(--scm-color-text-muted, #59636e);
  }
  .fix-label {
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--scm-space-2, 0.5rem);
    margin-block-start: var(--scm-space-3, 0.75rem);
  }
  .action {
    display: inline-flex;
    align-items: center;
    min-height: 2.5rem;
    padding: 0 var(--scm-space-4, 1rem);
    border: 1px solid var(--scm-color-primary, #0969da);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-color-primary, #0969da);
    color: var(--scm-color-on-primary, #fff);
    font: inherit;
    text-decoration: none;
    cursor: pointer;
  }
  .action:focus-visible {
    outline: var(--scm-focus-ring-width, 2px) solid var(--scm-color-focus, #0969da);
    outline-offset: var(--scm-focus-ring-offset, 2px);
  }
  /* Forced colours (Windows High Contrast): system colours for what colour alone would carry. */
  @media (forced-colors: active) {
    .message {
      border-color: CanvasText;
    }
    .action {
      border-color: ButtonText;
      background: ButtonFace;
      color: ButtonText;
    }
    a.action {
      color: LinkText;
    }
    .action:focus-visible {
      outline-color: Highlight;
    }
  }
  code {
    font-family: var(--scm-font-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    font-size: 0.9em;
  }
`;
