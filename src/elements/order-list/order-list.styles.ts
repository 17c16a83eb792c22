import { css, unsafeCSS } from 'lit';

/**
 * Styles of `<scm-order-list>`. Element-level custom properties default to the global `--scm-*` tokens; the
 * layout switches from a table to a card list when the element itself is narrower than 600px (a container
 * query on the host, so it works in a sidebar as well as on a phone).
 */
const baseStyles = css`
  :host {
    --scm-order-list-accent: var(--scm-color-primary, #0969da);
    --scm-order-list-text: var(--scm-color-text, #1f2328);
    --scm-order-list-muted: var(--scm-color-text-muted, #59636e);
    --scm-order-list-border: var(--scm-color-border, #d0d7de);
    --scm-order-list-surface: var(--scm-color-surface, #fff);
    --scm-order-list-header-background: var(--scm-color-surface-muted, #f6f8fa);
    --scm-order-list-row-hover: color-mix(in srgb, var(--scm-order-list-accent) 7%, var(--scm-order-list-surface));
    --scm-order-list-skeleton: color-mix(in srgb, var(--scm-order-list-border) 55%, var(--scm-order-list-surface));

    display: block;
    font: var(--scm-font, inherit);
    font-size: var(--scm-font-size, inherit);
    color: var(--scm-order-list-text);
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

  /* As wide as the element, never any height: what the layout switch measures (see order-list.ts). */
  .width-probe {
    display: block;
    height: 0;
    overflow: hidden;
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

  /* Controls share one look, and never inherit a host page's (Bootstrap) form styles. */
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  :is(button, a, input, select, summary, [tabindex]):focus-visible {
    outline: var(--scm-focus-ring-width, 2px) solid var(--scm-color-focus, var(--scm-order-list-accent));
    outline-offset: var(--scm-focus-ring-offset, 2px);
  }

  .button {
    display: inline-flex;
    align-items: center;
    gap: var(--scm-space-1, 0.25rem);
    min-height: 2.25rem;
    padding: 0 var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-order-list-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-list-surface);
    text-decoration: none;
    white-space: nowrap;
  }
  .button:hover:not(:disabled) {
    background: var(--scm-order-list-row-hover);
  }
  .button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .button.primary {
    background: var(--scm-order-list-accent);
    border-color: var(--scm-order-list-accent);
    color: var(--scm-color-on-primary, #fff);
  }

  /* ----- toolbar -------------------------------------------------------------------------------------------- */
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--scm-space-3, 0.75rem);
    margin-block-end: var(--scm-space-3, 0.75rem);
  }
  .field {
    display: grid;
    gap: var(--scm-space-1, 0.25rem);
    font-size: 0.875em;
    color: var(--scm-order-list-muted);
  }
  .field input,
  .field select {
    min-height: 2.25rem;
    padding: 0 var(--scm-space-2, 0.5rem);
    border: 1px solid var(--scm-order-list-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-list-surface);
    color: var(--scm-order-list-text);
    font-size: 1rem;
  }
  form.search {
    flex: 1 1 16rem;
    margin: 0;
  }
  form.search input {
    width: 100%;
  }
  .sort-field {
    display: none;
  }

  details.statuses {
    position: relative;
  }
  details.statuses > summary {
    list-style: none;
  }
  details.statuses > summary::-webkit-details-marker {
    display: none;
  }
  details.statuses > summary::after {
    content: '';
    border: solid currentColor;
    border-width: 0 2px 2px 0;
    padding: 2.5px;
    transform: rotate(45deg);
    margin-inline-start: var(--scm-space-1, 0.25rem);
  }
  details.statuses fieldset {
    position: absolute;
    z-index: 2;
    inset-block-start: calc(100% + 4px);
    inset-inline-start: 0;
    min-width: 15rem;
    margin: 0;
    padding: var(--scm-space-2, 0.5rem) var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-order-list-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-list-surface);
    box-shadow: 0 8px 24px rgb(0 0 0 / 12%);
  }
  details.statuses legend {
    /* Inside the box, not on its border. */
    float: inline-start;
    width: 100%;
    padding: 0;
    margin-block-end: var(--scm-space-1, 0.25rem);
    font-weight: 600;
  }
  details.statuses label {
    clear: both;
    display: flex;
    align-items: center;
    gap: var(--scm-space-2, 0.5rem);
    padding: var(--scm-space-1, 0.25rem) 0;
  }

  /* ----- summary line, pagination ------------------------------------------------------------------------------ */
  .summary {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: var(--scm-space-2, 0.5rem);
    margin-block: var(--scm-space-2, 0.5rem);
    color: var(--scm-order-list-muted);
    font-size: 0.875em;
  }
  /* The bar slides only while loading (an animation on a hidden element still runs every frame), and slides with a
     transform, which the compositor runs without restyling the page (npm run bench measured both). */
  .progress {
    position: relative;
    height: 2px;
    overflow: hidden;
    visibility: hidden;
  }
  .progress::before {
    content: '';
    position: absolute;
    inset-block: 0;
    /* Physical on purpose: translateX is physical; right to left, the animation runs backwards (below). */
    left: 0;
    width: 50%;
    background: linear-gradient(90deg, transparent, var(--scm-order-list-accent), transparent);
    transform: translateX(-100%);
  }
  :host(:state(loading)) .progress {
    visibility: visible;
  }
  :host(:state(loading)) .progress::before {
    animation: slide 1.2s linear infinite;
  }
  :host(:state(loading):dir(rtl)) .progress::before {
    animation-direction: reverse;
  }
  /* Previous / Next arrows point the way the pages go: mirrored right to left. */
  :host(:dir(rtl)) .arrow {
    display: inline-block;
    transform: scaleX(-1);
  }
  @keyframes slide {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(200%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host(:state(loading)) .progress::before {
      animation: none;
      width: 100%;
      transform: none;
    }
  }
  nav.pagination {
    display: flex;
    align-items: center;
    justify-content: flex-end;
    gap: var(--scm-space-2, 0.5rem);
    margin-block-start: var(--scm-space-3, 0.75rem);
  }
  nav.pagination .page {
    color: var(--scm-order-list-muted);
    min-width: 5rem;
    text-align: center;
  }

  /* ----- table ----------------------------------------------------------------------------------------------- */
  .results[aria-busy='true'] {
    opacity: 0.6;
    transition: opacity 0.2s 0.15s;
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--scm-order-list-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-list-surface);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: var(--scm-space-2, 0.5rem) var(--scm-space-3, 0.75rem);
    text-align: start;
    vertical-align: top;
    border-block-end: 1px solid var(--scm-order-list-border);
  }
  tbody tr:last-child td {
    border-block-end: 0;
  }
  thead th {
    background: var(--scm-order-list-header-background);
    font-weight: 600;
    font-size: 0.875em;
    white-space: nowrap;
    padding: 0;
  }
  thead th button {
    display: flex;
    align-items: center;
    gap: var(--scm-space-1, 0.25rem);
    width: 100%;
    padding: var(--scm-space-2, 0.5rem) var(--scm-space-3, 0.75rem);
    border: 0;
    background: transparent;
    font-weight: inherit;
    text-align: inherit;
  }
  thead th button:hover {
    text-decoration: underline;
  }
  .sort-icon {
    display: inline-block;
    width: 0.75em;
    opacity: 0.35;
  }
  th[aria-sort] .sort-icon {
    opacity: 1;
  }
  .numeric {
    text-align: end;
  }
  td[data-column='date'],
  td[data-column='receipt-date'],
  td.numeric {
    white-space: nowrap;
  }
  thead th.numeric button {
    justify-content: flex-end;
  }
  tbody tr {
    cursor: pointer;
  }
  tbody tr:hover,
  .card:hover {
    background: var(--scm-order-list-row-hover);
  }
  tbody tr:focus-visible,
  .card:focus-visible {
    outline: var(--scm-focus-ring-width, 2px) solid var(--scm-color-focus, var(--scm-order-list-accent));
    outline-offset: calc(-1 * var(--scm-focus-ring-width, 2px));
  }
  .updated {
    animation: flash 2s ease-out;
  }
  @keyframes flash {
    from {
      background: color-mix(in srgb, var(--scm-color-warning, #9a6700) 22%, transparent);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .updated,
    .progress {
      animation: none;
    }
  }
  .number {
    font-weight: 600;
  }
  [part~='number'] {
    white-space: nowrap;
  }
  .number a {
    color: var(--scm-order-list-accent);
  }
  .pending {
    display: inline-block;
    margin-inline-start: var(--scm-space-1, 0.25rem);
    padding: 0 var(--scm-space-1, 0.25rem);
    border: 1px dashed var(--scm-order-list-muted);
    border-radius: var(--scm-radius, 6px);
    color: var(--scm-order-list-muted);
    font-size: 0.75em;
    font-weight: 400;
  }
  /* Customer-typed text can be anything (a 2,000-character reference, right-to-left text): wrap and clamp it. */
  td.reference {
    min-width: 9rem;
    max-width: 22rem;
  }
  .clamp {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    overflow: hidden;
    overflow-wrap: anywhere;
  }
  .secondary .clamp {
    display: inline;
  }
  .card dd {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .secondary {
    display: block;
    color: var(--scm-order-list-muted);
    font-size: 0.875em;
  }
  .none {
    color: var(--scm-order-list-muted);
  }

  /* Status: always a text label; the colour and the shape of the dot only add to it. */
  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: 0.1em 0.6em;
    border-radius: 999px;
    border: 1px solid color-mix(in srgb, var(--status-color) 45%, transparent);
    background: color-mix(in srgb, var(--status-color) 12%, var(--scm-order-list-surface));
    color: var(--scm-order-list-text);
    font-size: 0.875em;
    white-space: nowrap;
    --status-color: var(--scm-color-text-muted, #59636e);
  }
  .status::before {
    content: '';
    width: 0.55em;
    height: 0.55em;
    border-radius: 50%;
    background: var(--status-color);
  }
  .status[data-status='confirmed'],
  .status[data-status='picked'] {
    --status-color: var(--scm-color-primary, #0f6cbd);
  }
  .status[data-status='partially-delivered'],
  .status[data-status='partially-invoiced'],
  .status[data-status='delivered-partially-invoiced'] {
    --status-color: var(--scm-color-warning, #9a6700);
  }
  .status[data-status='partially-delivered']::before,
  .status[data-status='partially-invoiced']::before,
  .status[data-status='delivered-partially-invoiced']::before {
    background: linear-gradient(90deg, var(--status-color) 50%, transparent 50%);
    border: 1px solid var(--status-color);
  }
  .status[data-status='delivered'],
  .status[data-status='invoiced'] {
    --status-color: var(--scm-color-success, #1a7f37);
  }
  .status[data-status='cancelled'] {
    --status-color: var(--scm-color-danger, #cf222e);
  }
  .status[data-status='cancelled']::before {
    border-radius: 1px;
  }

  /* ----- forced colours (Windows High Contrast) ------------------------------------------------------------ */
  /* The system replaces every colour: keep badges outlined (with a system-coloured shape), controls bordered, the
     focus ring in Highlight, and the selected row visible. */
  @media (forced-colors: active) {
    .status,
    .pending {
      border: 1px solid CanvasText;
      background: Canvas;
      color: CanvasText;
    }
    .status::before,
    .status[data-status]::before {
      forced-color-adjust: none;
      background: CanvasText;
      border: 1px solid CanvasText;
    }
    .status[data-status='partially-delivered']::before,
    .status[data-status='partially-invoiced']::before,
    .status[data-status='delivered-partially-invoiced']::before {
      background: linear-gradient(90deg, CanvasText 50%, Canvas 50%);
    }
    .button,
    .field input,
    .field select {
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
    :is(button, a, input, select, summary, [tabindex]):focus-visible,
    tbody tr:focus-visible,
    .card:focus-visible {
      outline-color: Highlight;
    }
    .progress::before {
      background: Highlight;
    }
    .skeleton .bar {
      background: GrayText;
    }
  }

  /* ----- cards (narrow) ------------------------------------------------------------------------------------ */
  .cards {
    display: none;
    grid-template-columns: minmax(0, 1fr);
    list-style: none;
    margin: 0;
    padding: 0;
    gap: var(--scm-space-2, 0.5rem);
  }
  .card {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    align-items: start;
    gap: var(--scm-space-1, 0.25rem) var(--scm-space-3, 0.75rem);
    padding: var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-order-list-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-list-surface);
    cursor: pointer;
  }
  .card dl {
    grid-column: 1 / -1;
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.15rem var(--scm-space-3, 0.75rem);
    margin: 0;
    font-size: 0.875em;
  }
  .card dt {
    color: var(--scm-order-list-muted);
  }
  .card dd {
    margin: 0;
  }

  /* ----- states ---------------------------------------------------------------------------------------------- */
  .skeleton {
    display: grid;
    gap: var(--scm-space-2, 0.5rem);
    padding: var(--scm-space-3, 0.75rem);
    border: 1px solid var(--scm-order-list-border);
    border-radius: var(--scm-radius, 6px);
  }
  .skeleton .bar {
    height: 1.25rem;
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-list-skeleton);
    animation: pulse 1.4s ease-in-out infinite;
  }
  .skeleton .bar:nth-child(odd) {
    width: 92%;
  }
  @keyframes pulse {
    50% {
      opacity: 0.45;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton .bar {
      animation: none;
    }
  }
  .message {
    padding: var(--scm-space-5, 1.5rem) var(--scm-space-4, 1rem);
    border: 1px dashed var(--scm-order-list-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-order-list-surface);
    text-align: center;
  }
  .message h2 {
    margin: 0 0 var(--scm-space-1, 0.25rem);
    font-size: 1.125em;
  }
  .message p {
    margin: 0 0 var(--scm-space-3, 0.75rem);
    color: var(--scm-order-list-muted);
  }
  .message.error {
    border-style: solid;
    border-color: color-mix(in srgb, var(--scm-color-danger, #cf222e) 50%, transparent);
  }
  .message.error h2 {
    color: var(--scm-color-danger, #cf222e);
  }
`;

/**
 * The switch from table to cards: a container query on the host. Kept apart as plain CSS text because
 * lit-analyzer's CSS data predates container queries and would flag `container-type` and `@container` as unknown
 * (browsers have supported them since 2023).
 */
const containerQueries = unsafeCSS(`
  :host {
    container-type: inline-size;
    container-name: scm-order-list;
  }
  @container scm-order-list (max-width: 600px) {
    .table-wrap {
      display: none;
    }
    .cards {
      display: grid;
    }
    .sort-field {
      display: grid;
    }
    .toolbar > * {
      flex: 1 1 100%;
    }
    .field input,
    .field select {
      width: 100%;
    }
    nav.pagination {
      justify-content: space-between;
    }
  }
`);

/** Styles of `<scm-order-list>`, container queries included. */
export const orderListStyles = [baseStyles, containerQueries];
