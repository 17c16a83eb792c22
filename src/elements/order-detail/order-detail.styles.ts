import { css, unsafeCSS } from 'lit';

/**
 * Styles of `<scm-order-detail>`. Element-level custom properties default to the global `--scm-*` tokens. The
 * lines become cards when the element itself is narrower than 600px (a container query on the host), and a
 * print stylesheet turns the view into a clean document: no buttons, no colours that need a screen, the whole
 * order on paper.
 */
const baseStyles = css`
  :host {
    --scm-order-detail-accent: var(--scm-color-primary, #0969da);
    --scm-order-detail-text: var(--scm-color-text, #1f2328);
    --scm-order-detail-muted: var(--scm-color-text-muted, #59636e);
    --scm-order-detail-border: var(--scm-color-border, #d0d7de);
    --scm-order-detail-surface: var(--scm-color-surface, #fff);
    --scm-order-detail-header-background: var(--scm-color-surface-muted, #f6f8fa);
    --scm-order-detail-done: var(--scm-color-success, #1a7f37);
    --scm-order-detail-warning: var(--scm-color-warning, #9a6700);
    --scm-order-detail-danger: var(--scm-color-danger, #cf222e);
    --scm-order-detail-skeleton: color-mix(in srgb, var(--scm-order-detail-border) 55%, var(--scm-order-detail-surface));

    display: block;
    font: var(--scm-font, inherit);
    font-size: var(--scm-font-size, inherit);
    color: var(--scm-order-detail-text);
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

  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.375em;
  }
  h3 {
    font-size: 1.0625em;
    margin-block-end: var(--scm-space-2, 0.5rem);
  }
  p {
    margin: 0;
  }

  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  :is(button, a, [tabindex]):focus-visible {
    outline: var(--scm-focus-ring-width, 2px) solid var(--scm-color-focus, var(--scm-order-detail-accent));
    outline-offset: var(--scm-focus-ring-offset, 2px);
  }
  .button {
    display: inline-flex;
    align-items: center;
    gap: var(--scm-space-1, 0.25rem);
    min-height: 2.25rem;
    padding: 0 var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-order-detail-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-detail-surface);
    white-space: nowrap;
  }
  .button:hover:not(:disabled) {
    background: color-mix(in srgb, var(--scm-order-detail-accent) 7%, var(--scm-order-detail-surface));
  }
  .button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .button.primary {
    background: var(--scm-order-detail-accent);
    border-color: var(--scm-order-detail-accent);
    color: var(--scm-color-on-primary, #fff);
  }
  .button.small {
    min-height: 1.75rem;
    padding: 0 var(--scm-space-2, 0.5rem);
    font-size: 0.875em;
  }

  /* ----- header --------------------------------------------------------------------------------------------- */
  .order {
    display: grid;
    /* One column as wide as the element, never wider: the lines table scrolls inside it, the facts wrap. (An
       automatic column grew to the widest content, pushing the order past the element's edge.) */
    grid-template-columns: minmax(0, 1fr);
    gap: var(--scm-space-5, 1.5rem);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--scm-space-3, 0.75rem);
  }
  .title {
    display: grid;
    gap: var(--scm-space-1, 0.25rem);
  }
  .number-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--scm-space-2, 0.5rem);
  }
  .number {
    font-variant-numeric: tabular-nums;
  }
  .pending {
    display: inline-block;
    padding: 0 var(--scm-space-2, 0.5rem);
    border: 1px dashed var(--scm-order-detail-warning);
    border-radius: 999px;
    color: var(--scm-order-detail-warning);
    font-size: 0.8125rem;
    font-weight: 600;
    white-space: nowrap;
  }
  .copy-status {
    font-size: 0.875em;
    color: var(--scm-order-detail-muted);
  }
  .copy-status.copied {
    color: var(--scm-order-detail-done);
    font-weight: 600;
  }
  .status-line {
    color: var(--scm-order-detail-muted);
  }
  .status-line strong {
    color: var(--scm-order-detail-text);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--scm-space-2, 0.5rem);
  }

  /* ----- timeline ------------------------------------------------------------------------------------------- */
  .timeline {
    display: flex;
    flex-wrap: wrap;
    gap: var(--scm-space-1, 0.25rem);
    margin: 0;
    padding: 0;
    list-style: none;
    counter-reset: step;
  }
  .step {
    position: relative;
    flex: 1 1 7rem;
    display: grid;
    grid-template-columns: auto 1fr;
    align-items: center;
    column-gap: var(--scm-space-2, 0.5rem);
    padding: var(--scm-space-2, 0.5rem) var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-order-detail-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-detail-surface);
    color: var(--scm-order-detail-muted);
  }
  .step .marker {
    grid-row: span 2;
    display: inline-grid;
    place-items: center;
    width: 1.5rem;
    height: 1.5rem;
    border: 2px solid currentColor;
    border-radius: 50%;
    font-size: 0.75rem;
    font-weight: 700;
    line-height: 1;
  }
  .step .label {
    font-weight: 600;
  }
  .step .state {
    font-size: 0.8125em;
  }
  .step.done {
    color: var(--scm-order-detail-text);
  }
  .step.done .marker {
    color: var(--scm-order-detail-done);
  }
  .step.current {
    border-width: 2px;
    border-color: var(--scm-order-detail-accent);
    color: var(--scm-order-detail-text);
    background: color-mix(in srgb, var(--scm-order-detail-accent) 6%, var(--scm-order-detail-surface));
  }
  .step.current .marker {
    color: var(--scm-order-detail-accent);
    background: var(--scm-order-detail-accent);
    box-shadow: inset 0 0 0 3px var(--scm-order-detail-surface);
  }
  .step.current.partial .marker {
    background: linear-gradient(90deg, var(--scm-order-detail-accent) 50%, var(--scm-order-detail-surface) 50%);
  }
  .step.cancelled {
    border-color: var(--scm-order-detail-danger);
  }
  .step.cancelled .marker {
    color: var(--scm-order-detail-danger);
    background: var(--scm-order-detail-surface);
    box-shadow: none;
  }
  .step.upcoming .marker {
    border-style: dashed;
  }
  .timeline.updated .step.current {
    animation: flash 1.6s ease-out 1;
  }
  @keyframes flash {
    from {
      box-shadow: 0 0 0 4px color-mix(in srgb, var(--scm-order-detail-accent) 40%, transparent);
    }
    to {
      box-shadow: 0 0 0 0 transparent;
    }
  }
  .note {
    color: var(--scm-order-detail-muted);
    font-size: 0.9375em;
  }

  /* ----- facts and address ---------------------------------------------------------------------------------- */
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
    gap: var(--scm-space-4, 1rem) var(--scm-space-5, 1.5rem);
  }
  dl.pairs {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--scm-space-1, 0.25rem) var(--scm-space-3, 0.75rem);
    margin: 0;
  }
  dl.pairs dt {
    color: var(--scm-order-detail-muted);
  }
  dl.pairs dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  address {
    font-style: normal;
    overflow-wrap: anywhere;
  }
  address span {
    display: block;
  }
  address + dl.pairs,
  .no-address + dl.pairs {
    margin-block-start: var(--scm-space-3, 0.75rem);
  }
  .none {
    color: var(--scm-order-detail-muted);
  }

  /* ----- lines and invoices --------------------------------------------------------------------------------- */
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--scm-order-detail-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-detail-surface);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: var(--scm-space-2, 0.5rem) var(--scm-space-3, 0.75rem);
    border-block-end: 1px solid var(--scm-order-detail-border);
    text-align: start;
    vertical-align: top;
  }
  thead th {
    background: var(--scm-order-detail-header-background);
    font-weight: 600;
    font-size: 0.875em;
    white-space: nowrap;
  }
  tbody tr:last-child > * {
    border-block-end: 0;
  }
  .numeric {
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .product {
    min-width: 12rem;
    overflow-wrap: anywhere;
  }
  .line-status {
    display: inline-flex;
    align-items: center;
    gap: var(--scm-space-1, 0.25rem);
    white-space: nowrap;
  }
  .line-status::before {
    content: '';
    width: 0.625rem;
    height: 0.625rem;
    border: 2px solid currentColor;
    border-radius: 50%;
  }
  .line-status[data-status='delivered'],
  .line-status[data-status='invoiced'] {
    color: var(--scm-order-detail-done);
  }
  .line-status[data-status='delivered']::before,
  .line-status[data-status='invoiced']::before {
    background: currentColor;
  }
  .line-status[data-status='backorder'] {
    color: var(--scm-order-detail-warning);
  }
  .line-status[data-status='cancelled'] {
    color: var(--scm-order-detail-danger);
  }
  .line-status[data-status='cancelled']::before {
    border-radius: 2px;
    transform: rotate(45deg);
  }
  .line-cards {
    display: none;
    gap: var(--scm-space-2, 0.5rem);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .line-card {
    display: grid;
    gap: var(--scm-space-1, 0.25rem);
    padding: var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-order-detail-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-detail-surface);
  }
  .line-card .product {
    min-width: 0;
    font-weight: 600;
  }

  /* ----- totals --------------------------------------------------------------------------------------------- */
  .totals-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--scm-space-2, 0.5rem);
  }
  .badge {
    display: inline-block;
    padding: 0 var(--scm-space-2, 0.5rem);
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 600;
  }
  .badge.estimated {
    color: var(--scm-order-detail-warning);
    border-style: dashed;
  }
  .badge.confirmed {
    color: var(--scm-order-detail-done);
  }
  dl.totals {
    display: grid;
    grid-template-columns: 1fr max-content;
    gap: var(--scm-space-1, 0.25rem) var(--scm-space-4, 1rem);
    max-width: 24rem;
    /* At the end of the line: the right in English, the left in Arabic. */
    margin-block: var(--scm-space-2, 0.5rem) 0;
    margin-inline: auto 0;
  }
  dl.totals dt {
    color: var(--scm-order-detail-muted);
  }
  dl.totals dd {
    margin: 0;
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  dl.totals .grand {
    padding-block-start: var(--scm-space-1, 0.25rem);
    border-block-start: 1px solid var(--scm-order-detail-border);
    color: var(--scm-order-detail-text);
    font-weight: 700;
  }

  /* ----- loading, messages ---------------------------------------------------------------------------------- */
  .skeleton {
    display: grid;
    gap: var(--scm-space-3, 0.75rem);
  }
  .skeleton .bar {
    height: 1.25rem;
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-detail-skeleton);
    animation: pulse 1.4s ease-in-out infinite;
  }
  .skeleton .bar.title {
    width: 40%;
    height: 1.75rem;
  }
  .skeleton .bar.steps {
    height: 3rem;
  }
  .skeleton .bar.block {
    height: 8rem;
  }
  @keyframes pulse {
    50% {
      opacity: 0.45;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton .bar,
    .timeline.updated .step.current {
      animation: none;
    }
  }
  .message {
    padding: var(--scm-space-5, 1.5rem) var(--scm-space-4, 1rem);
    border: 1px dashed var(--scm-order-detail-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-detail-surface);
    text-align: center;
  }
  .message h2 {
    margin: 0 0 var(--scm-space-1, 0.25rem);
    font-size: 1.125em;
  }
  .message p {
    margin: 0 0 var(--scm-space-3, 0.75rem);
    color: var(--scm-order-detail-muted);
  }
  .message.error {
    border-style: solid;
    border-color: color-mix(in srgb, var(--scm-order-detail-danger) 50%, transparent);
  }
  .message.error h2 {
    color: var(--scm-order-detail-danger);
  }

  /* ----- forced colours (Windows High Contrast) ------------------------------------------------------------ */
  /* The system replaces every colour: shapes and borders carry what colour did (the current step's thicker
     border, filled line-status dots), controls keep their borders, the focus ring is Highlight. */
  @media (forced-colors: active) {
    .step {
      border-color: CanvasText;
    }
    .step.current {
      border-width: 3px;
    }
    .step.upcoming {
      border-style: dashed;
    }
    .line-status::before {
      forced-color-adjust: none;
      border-color: CanvasText;
      background: Canvas;
    }
    .line-status[data-status='delivered']::before,
    .line-status[data-status='invoiced']::before {
      background: CanvasText;
    }
    .badge,
    .pending {
      border-color: CanvasText;
      color: CanvasText;
    }
    .button {
      border-color: ButtonText;
    }
    .button.primary {
      background: ButtonFace;
      color: ButtonText;
    }
    .button:disabled {
      border-color: GrayText;
      color: GrayText;
      opacity: 1;
    }
    :is(button, a, [tabindex]):focus-visible {
      outline-color: Highlight;
    }
    .skeleton .bar {
      background: GrayText;
    }
  }

  /* ----- print: the order as a document --------------------------------------------------------------------- */
  @media print {
    :host {
      color: #000;
      background: #fff;
    }
    .actions,
    .copy,
    .copy-status,
    .live-region {
      display: none !important;
    }
    .table-wrap {
      overflow: visible;
      border: 0;
    }
    table {
      font-size: 10pt;
    }
    thead {
      display: table-header-group;
    }
    tr,
    .line-card,
    dl.totals,
    address {
      break-inside: avoid;
    }
    th,
    td {
      border-block-end: 1px solid #999;
    }
    thead th {
      background: none;
    }
    .step,
    .step.current {
      border-color: #999;
      background: none;
      color: #000;
    }
    .step.upcoming {
      display: none;
    }
    .badge,
    .badge.estimated,
    .badge.confirmed,
    .pending,
    .line-status,
    .line-status[data-status] {
      color: #000;
    }
  }
`;

/**
 * The switch from a lines table to line cards: a container query on the host. Kept apart as plain CSS text because
 * lit-analyzer's CSS data predates container queries (browsers have supported them since 2023). On paper the
 * table is always used.
 */
const containerQueries = unsafeCSS(`
  :host {
    container-type: inline-size;
    container-name: scm-order-detail;
  }
  @container scm-order-detail (max-width: 600px) {
    .lines-table {
      display: none;
    }
    .line-cards {
      display: grid;
    }
    .header .actions {
      width: 100%;
    }
    .timeline {
      flex-direction: column;
    }
    .step {
      flex: none;
    }
    dl.totals {
      max-width: none;
    }
  }
  @media print {
    .lines-table {
      display: block !important;
    }
    .line-cards {
      display: none !important;
    }
  }
`);

export const orderDetailStyles = [baseStyles, containerQueries];
