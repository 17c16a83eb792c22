import { css, unsafeCSS } from 'lit';

/**
 * Styles of `<scm-order-form>`. Element-level custom properties default to the global `--scm-*` tokens. The layout
 * adapts to the element's own width (a container query on the host), so it fits a phone, a sidebar or a wide
 * page; below 600px, lines stack as cards and buttons take the full width.
 */
const baseStyles = css`
  :host {
    --scm-order-form-accent: var(--scm-color-primary, #0f6cbd);
    --scm-order-form-on-accent: var(--scm-color-on-primary, #fff);
    --scm-order-form-text: var(--scm-color-text, #1f2328);
    --scm-order-form-muted: var(--scm-color-text-muted, #59636e);
    --scm-order-form-border: var(--scm-color-border, #8c959f);
    --scm-order-form-surface: var(--scm-color-surface, #fff);
    --scm-order-form-surface-muted: var(--scm-color-surface-muted, #f6f8fa);
    --scm-order-form-danger: var(--scm-color-danger, #b42318);
    --scm-order-form-success: var(--scm-color-success, #116329);
    --scm-order-form-warning: var(--scm-color-warning, #7a4d00);
    --scm-order-form-radius: var(--scm-radius, 6px);

    display: block;
    font: var(--scm-font, inherit);
    font-size: var(--scm-font-size, inherit);
    color: var(--scm-order-form-text);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  /* Controls share one look and never inherit a host page's (Bootstrap) form styles. */
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    margin: 0;
  }
  input,
  select,
  textarea {
    width: 100%;
    min-height: 2.5rem;
    padding: 0.4rem 0.6rem;
    border: 1px solid var(--scm-order-form-border);
    border-radius: var(--scm-order-form-radius);
    background: var(--scm-order-form-surface);
  }
  textarea {
    min-height: 6rem;
    resize: vertical;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }
  [aria-invalid='true'] {
    border-color: var(--scm-order-form-danger);
    box-shadow: 0 0 0 1px var(--scm-order-form-danger);
  }
  :is(button, a, input, select, textarea, summary, [tabindex]):focus-visible {
    outline: 2px solid var(--scm-order-form-accent);
    outline-offset: 2px;
  }
  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.25em;
  }
  h3 {
    font-size: 1.1em;
  }
  h4 {
    margin: 0;
    font-size: 1em;
  }
  h3:focus {
    outline: none;
  }

  /*
   * Text from the data (product names, item numbers, addresses, account and contact names, references) may be of
   * any length and in any script: it wraps, anywhere if it must, instead of widening the element; grid tracks and
   * their children may shrink below the width of such text.
   */
  .base,
  header[part='header'],
  .step,
  .lines-block,
  .lines,
  .review-section {
    grid-template-columns: minmax(0, 1fr);
  }
  .field,
  .line > *,
  [role='option'] > *,
  .review-section header > *,
  .steps li > span:not(.number) {
    min-width: 0;
  }
  .product,
  .item-number,
  .product-name,
  .hint,
  .error,
  .notice,
  .problem,
  .problems li,
  .success,
  .gate,
  dl.facts dt,
  dl.facts dd,
  .totals,
  .footer,
  .steps,
  label,
  legend,
  summary,
  h2,
  h3,
  h4 {
    overflow-wrap: anywhere;
  }

  .base {
    display: grid;
    gap: var(--scm-space-4, 1rem);
    padding: var(--scm-space-4, 1rem);
    border: 1px solid var(--scm-color-border, #d0d7de);
    border-radius: var(--scm-order-form-radius);
    background: var(--scm-order-form-surface);
  }

  header[part='header'],
  .step,
  .lines-block {
    display: grid;
    gap: var(--scm-space-3, 0.75rem);
  }
  .step {
    gap: var(--scm-space-4, 1rem);
  }
  .lines-block {
    gap: var(--scm-space-2, 0.5rem);
  }

  /* Step indicator */
  .steps {
    display: flex;
    flex-wrap: wrap;
    gap: var(--scm-space-2, 0.5rem) var(--scm-space-4, 1rem);
    margin: 0;
    padding: 0;
    list-style: none;
    counter-reset: step;
  }
  .steps li {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    color: var(--scm-order-form-muted);
  }
  .steps .number {
    display: inline-grid;
    place-items: center;
    width: 1.6rem;
    height: 1.6rem;
    border-radius: 50%;
    border: 1px solid currentColor;
    font-size: 0.85em;
  }
  .steps [aria-current='step'] {
    color: var(--scm-order-form-text);
    font-weight: 600;
  }
  .steps [aria-current='step'] .number {
    background: var(--scm-order-form-accent);
    border-color: var(--scm-order-form-accent);
    color: var(--scm-order-form-on-accent);
  }
  .steps .done .number {
    border-color: var(--scm-order-form-success);
    color: var(--scm-order-form-success);
  }

  /* Fields */
  .fields {
    display: grid;
    gap: var(--scm-space-4, 1rem);
    grid-template-columns: repeat(2, minmax(0, 1fr));
  }
  .fields .wide {
    grid-column: 1 / -1;
  }
  .field {
    display: grid;
    gap: 0.3rem;
    align-content: start;
  }
  .field label {
    font-weight: 600;
  }
  .marker {
    font-weight: 400;
    font-size: 0.85em;
    color: var(--scm-order-form-muted);
    margin-inline-start: 0.35rem;
  }
  .hint {
    margin: 0;
    font-size: 0.9em;
    color: var(--scm-order-form-muted);
  }
  .error {
    margin: 0;
    color: var(--scm-order-form-danger);
    font-size: 0.95em;
  }
  .error::before {
    content: '⚠ ';
  }
  fieldset {
    margin: 0;
    padding: var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-color-border, #d0d7de);
    border-radius: var(--scm-order-form-radius);
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .address-text {
    margin: 0;
    white-space: pre-line;
    color: var(--scm-order-form-muted);
  }

  /* Read-only facts (company, ship-to country, review summary) */
  dl.facts {
    display: grid;
    grid-template-columns: minmax(auto, max-content) minmax(0, 1fr);
    gap: 0.35rem var(--scm-space-4, 1rem);
    margin: 0;
  }
  dl.facts dt {
    color: var(--scm-order-form-muted);
  }
  dl.facts dd {
    margin: 0;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }

  /* Buttons */
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--scm-space-2, 0.5rem);
    align-items: center;
  }
  .actions .end {
    margin-inline-start: auto;
    display: flex;
    gap: var(--scm-space-2, 0.5rem);
  }
  button {
    min-height: 2.5rem;
    padding: 0.4rem 1rem;
    border-radius: var(--scm-order-form-radius);
    border: 1px solid var(--scm-order-form-border);
    background: var(--scm-order-form-surface);
    cursor: pointer;
  }
  button.primary {
    background: var(--scm-order-form-accent);
    border-color: var(--scm-order-form-accent);
    color: var(--scm-order-form-on-accent);
    font-weight: 600;
  }
  button.link {
    min-height: auto;
    padding: 0;
    border: 0;
    background: none;
    color: var(--scm-order-form-accent);
    text-decoration: underline;
  }
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.75;
  }
  .busy-mark {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    margin-inline-end: 0.4rem;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    vertical-align: -0.1em;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .busy-mark {
      animation: none;
    }
  }

  /* Product combobox */
  .add-item {
    display: grid;
    gap: var(--scm-space-3, 0.75rem);
    grid-template-columns: minmax(0, 3fr) minmax(6rem, 1fr) minmax(6rem, 1fr) auto;
    align-items: start;
  }
  .add-item .add {
    align-self: end;
  }
  .add-item .estimate {
    grid-column: 1 / -1;
    margin: 0;
  }
  .combobox {
    position: relative;
  }
  [role='listbox'] {
    position: absolute;
    z-index: 10;
    inset-inline: 0;
    top: 100%;
    margin: 0.25rem 0 0;
    padding: 0.25rem 0;
    list-style: none;
    max-height: 18rem;
    overflow-y: auto;
    border: 1px solid var(--scm-order-form-border);
    border-radius: var(--scm-order-form-radius);
    background: var(--scm-order-form-surface);
    box-shadow: 0 6px 18px rgb(0 0 0 / 0.12);
  }
  [role='option'] {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    gap: 0.6rem;
    padding: 0.45rem 0.75rem;
    cursor: pointer;
  }
  [role='option'][aria-selected='true'] {
    background: color-mix(in srgb, var(--scm-order-form-accent) 12%, var(--scm-order-form-surface));
    outline: 2px solid var(--scm-order-form-accent);
    outline-offset: -2px;
  }
  .item-number {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .price {
    color: var(--scm-order-form-muted);
    white-space: nowrap;
  }

  /* Quick add */
  details {
    border: 1px solid var(--scm-color-border, #d0d7de);
    border-radius: var(--scm-order-form-radius);
    padding: var(--scm-space-2, 0.5rem) var(--scm-space-3, 0.75rem);
  }
  details[open] {
    display: grid;
    gap: var(--scm-space-3, 0.75rem);
  }
  summary {
    cursor: pointer;
    font-weight: 600;
  }
  .problems {
    margin: 0;
    padding-inline-start: 1.25rem;
    color: var(--scm-order-form-danger);
  }
  .problems q {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }

  /* Lines */
  .lines {
    display: grid;
    margin: 0;
    padding: 0;
    list-style: none;
    border-top: 1px solid var(--scm-color-border, #d0d7de);
  }
  .line,
  .lines-header {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(6rem, 1fr) minmax(5rem, 1fr) minmax(6rem, 1fr) minmax(7rem, 1fr) auto;
    gap: var(--scm-space-3, 0.75rem);
    align-items: center;
    padding: var(--scm-space-2, 0.5rem) 0;
    border-bottom: 1px solid var(--scm-color-border, #d0d7de);
  }
  .lines.read-only .line,
  .lines.read-only + .lines-header,
  .read-only-header {
    grid-template-columns: minmax(0, 3fr) minmax(6rem, 1fr) minmax(5rem, 1fr) minmax(6rem, 1fr) minmax(7rem, 1fr);
  }
  .lines-header {
    font-size: 0.85em;
    color: var(--scm-order-form-muted);
    border-bottom: 0;
    padding-bottom: 0;
  }
  .line .cell-label {
    display: none;
    font-size: 0.85em;
    color: var(--scm-order-form-muted);
  }
  .line .amount,
  .lines-header .amount,
  .line .unit-price,
  .lines-header .unit-price {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .line .line-error {
    grid-column: 1 / -1;
  }
  .line[data-not-sellable] .product-name {
    text-decoration: line-through;
  }
  .tag {
    display: inline-block;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    font-size: 0.8em;
    font-weight: 600;
    white-space: nowrap;
  }
  .tag.warning {
    color: var(--scm-order-form-warning);
  }
  .tag.pending {
    color: var(--scm-order-form-warning);
  }
  .tag.synced {
    color: var(--scm-order-form-success);
  }
  .totals {
    display: grid;
    grid-template-columns: 1fr max-content;
    gap: 0.25rem var(--scm-space-4, 1rem);
    margin: 0;
    justify-content: end;
  }
  .totals dt {
    text-align: end;
  }
  .totals dd {
    margin: 0;
    text-align: end;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .note {
    margin: 0;
    font-size: 0.9em;
    color: var(--scm-order-form-muted);
  }

  /* Messages */
  .problem,
  .notice,
  .success {
    margin: 0;
    padding: var(--scm-space-3, 0.75rem) var(--scm-space-4, 1rem);
    border-radius: var(--scm-order-form-radius);
    border: 1px solid;
    border-inline-start-width: 4px;
  }
  .problem {
    border-color: var(--scm-order-form-danger);
    background: color-mix(in srgb, var(--scm-order-form-danger) 6%, var(--scm-order-form-surface));
  }
  .problem strong {
    color: var(--scm-order-form-danger);
  }
  .notice {
    border-color: var(--scm-order-form-border);
    background: var(--scm-order-form-surface-muted);
  }
  .success {
    display: grid;
    gap: var(--scm-space-3, 0.75rem);
    border-color: var(--scm-order-form-success);
  }
  .order-number {
    font-size: 1.2em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .review-section {
    display: grid;
    gap: var(--scm-space-3, 0.75rem);
  }
  .review-section header {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: var(--scm-space-3, 0.75rem);
  }
  .footer {
    display: flex;
    justify-content: space-between;
    flex-wrap: wrap;
    gap: var(--scm-space-2, 0.5rem);
    font-size: 0.9em;
    color: var(--scm-order-form-muted);
  }
  .skeleton {
    height: 2.5rem;
    border-radius: var(--scm-order-form-radius);
    background: var(--scm-order-form-surface-muted);
  }
`;

/**
 * The phone layout: a container query on the host (under 600px of the element's own width). Kept apart as plain
 * CSS text because lit-analyzer's CSS data predates container queries and would flag `container-type` and
 * `@container` as unknown (the same approach as `<scm-order-list>`).
 */
const containerQueries = unsafeCSS(`
  :host {
    container-type: inline-size;
    container-name: scm-order-form;
  }
  @container scm-order-form (max-width: 600px) {
    .base {
      padding: var(--scm-space-3, 0.75rem);
    }
    .fields,
    .add-item {
      grid-template-columns: minmax(0, 1fr);
    }
    .add-item .add {
      width: 100%;
    }
    .lines-header {
      display: none;
    }
    .line,
    .lines.read-only .line {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      align-items: start;
    }
    .line .product {
      grid-column: 1 / -1;
    }
    .line .cell-label {
      display: block;
    }
    .line .amount,
    .line .unit-price {
      text-align: start;
    }
    .actions {
      flex-direction: column-reverse;
      align-items: stretch;
    }
    .actions .end {
      margin-inline-start: 0;
      flex-direction: column-reverse;
    }
    .actions button {
      width: 100%;
    }
    dl.facts {
      grid-template-columns: minmax(0, 1fr);
    }
    dl.facts dd {
      margin-bottom: 0.5rem;
    }
  }
`);

/** Styles of `<scm-order-form>`, container queries included. */
export const orderFormStyles = [baseStyles, containerQueries];
