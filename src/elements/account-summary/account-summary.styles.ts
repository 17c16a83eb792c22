import { css } from 'lit';

/** Styles of `<scm-account-summary>`: cards in a grid that becomes one column on a phone. */
export const accountSummaryStyles = css`
  :host {
    display: block;
    --scm-account-summary-gap: var(--scm-space-4, 1rem);
    --scm-account-summary-card-background: var(--scm-color-surface, #fff);
    --scm-account-summary-card-border: var(--scm-color-border, #d0d7de);
    --scm-account-summary-meter-track: var(--scm-color-border, #d0d7de);
    --scm-account-summary-meter-fill: var(--scm-color-primary, #0969da);
    --scm-account-summary-meter-over: var(--scm-color-danger, #cf222e);
    font: var(--scm-font, inherit);
    font-size: var(--scm-font-size, inherit);
    color: var(--scm-color-text, #1f2328);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  /* Header */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--scm-space-2, 0.5rem) var(--scm-space-4, 1rem);
    margin-block-end: var(--scm-account-summary-gap);
  }
  .title {
    margin: 0;
    font-size: 1.375em;
    line-height: 1.25;
    overflow-wrap: anywhere;
  }
  .subtitle {
    margin: var(--scm-space-1, 0.25rem) 0 0;
    color: var(--scm-color-text-muted, #59636e);
    overflow-wrap: anywhere;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.375em;
    padding: 0.125em 0.625em;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.875em;
    font-weight: 600;
    white-space: nowrap;
  }
  .badge[data-hold='true'] {
    color: var(--scm-color-danger, #cf222e);
  }
  .badge[data-hold='false'] {
    color: var(--scm-color-success, #1a7f37);
  }
  .badge::before {
    /* A shape as well as a colour: a square for on hold, a circle for not. */
    content: '';
    width: 0.625em;
    height: 0.625em;
    background: currentColor;
    border-radius: 50%;
  }
  .badge[data-hold='true']::before {
    border-radius: 1px;
  }

  /* Cards */
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr));
    gap: var(--scm-account-summary-gap);
  }
  .card {
    min-width: 0;
    padding: var(--scm-space-4, 1rem);
    border: 1px solid var(--scm-account-summary-card-border);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-account-summary-card-background);
  }
  .card h3 {
    margin: 0 0 var(--scm-space-3, 0.75rem);
    font-size: 1em;
  }
  dl {
    margin: 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    row-gap: var(--scm-space-1, 0.25rem);
  }
  dd {
    padding-inline-start: var(--scm-space-3, 0.75rem);
  }
  a {
    color: var(--scm-color-primary, #0969da);
  }
  dl > div {
    display: contents;
  }
  dt {
    color: var(--scm-color-text-muted, #59636e);
    overflow-wrap: anywhere;
  }
  dd {
    margin: 0;
    text-align: end;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  /* Label beside value when there is room, value under label when there is not (a phone, a narrow column). */
  dl.facts {
    display: block;
  }
  dl.facts > div {
    display: flex;
    flex-wrap: wrap;
    column-gap: var(--scm-space-3, 0.75rem);
    margin-block-end: var(--scm-space-1, 0.25rem);
  }
  dl.facts dt {
    flex: 1 0 7rem;
  }
  dl.facts dd {
    flex: 999 1 10rem;
    min-width: 0;
    padding-inline-start: 0;
    text-align: start;
  }
  .total dt,
  .total dd {
    font-weight: 600;
    border-block-start: 1px solid var(--scm-account-summary-card-border);
    padding-block-start: var(--scm-space-1, 0.25rem);
  }
  .note {
    margin: var(--scm-space-2, 0.5rem) 0 0;
    font-size: 0.875em;
    color: var(--scm-color-text-muted, #59636e);
  }
  .estimate {
    font-size: 0.875em;
    color: var(--scm-color-text-muted, #59636e);
  }

  /* Credit meter: a native <meter> (role meter), drawn with the tokens. */
  .meter {
    display: block;
    width: 100%;
    height: 0.75rem;
    margin-block: var(--scm-space-3, 0.75rem) var(--scm-space-1, 0.25rem);
    appearance: none;
    border: 0;
    border-radius: 999px;
    background: var(--scm-account-summary-meter-track);
    overflow: hidden;
  }
  .meter::-webkit-meter-bar {
    height: 0.75rem;
    border: 0;
    border-radius: 999px;
    background: var(--scm-account-summary-meter-track);
  }
  .meter::-webkit-meter-optimum-value,
  .meter::-webkit-meter-suboptimum-value,
  .meter::-webkit-meter-even-less-good-value {
    border-radius: 999px;
    background: var(--scm-account-summary-meter-fill);
  }
  .meter::-moz-meter-bar {
    border-radius: 999px;
    background: var(--scm-account-summary-meter-fill);
  }
  /* Over the limit: striped as well as coloured, so it does not rely on colour alone. */
  .meter[data-over='true']::-webkit-meter-optimum-value,
  .meter[data-over='true']::-webkit-meter-suboptimum-value,
  .meter[data-over='true']::-webkit-meter-even-less-good-value {
    background: repeating-linear-gradient(
      45deg,
      var(--scm-account-summary-meter-over) 0 6px,
      color-mix(in srgb, var(--scm-account-summary-meter-over) 70%, #fff) 6px 12px
    );
  }
  .meter[data-over='true']::-moz-meter-bar {
    background: var(--scm-account-summary-meter-over);
  }
  .meter-text {
    margin: 0;
    font-size: 0.875em;
  }

  /* Addresses */
  address {
    font-style: normal;
    overflow-wrap: anywhere;
  }
  .address + .address {
    margin-block-start: var(--scm-space-3, 0.75rem);
  }
  .address-label {
    display: block;
    margin-block-end: var(--scm-space-1, 0.25rem);
    color: var(--scm-color-text-muted, #59636e);
  }
  .address-name {
    font-weight: 600;
  }
  details {
    margin-block-start: var(--scm-space-3, 0.75rem);
  }
  summary {
    cursor: pointer;
    color: var(--scm-color-primary, #0969da);
  }
  summary:focus-visible,
  button:focus-visible,
  a:focus-visible {
    outline: var(--scm-focus-ring-width, 2px) solid var(--scm-color-focus, #0969da);
    outline-offset: var(--scm-focus-ring-offset, 2px);
  }
  .list {
    margin: var(--scm-space-2, 0.5rem) 0 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: var(--scm-space-3, 0.75rem);
  }
  .tag {
    display: inline-block;
    margin-inline-start: 0.5em;
    padding: 0 0.5em;
    border: 1px solid var(--scm-account-summary-card-border);
    border-radius: 999px;
    font-size: 0.75em;
    vertical-align: middle;
  }

  /* People */
  .person-name {
    font-weight: 600;
  }
  .person-detail {
    display: block;
    color: var(--scm-color-text-muted, #59636e);
    overflow-wrap: anywhere;
  }

  /* States */
  .skeleton {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr));
    gap: var(--scm-account-summary-gap);
  }
  .skeleton-card {
    height: 9rem;
    border-radius: var(--scm-radius, 6px);
    background: linear-gradient(
      90deg,
      var(--scm-account-summary-meter-track) 0%,
      color-mix(in srgb, var(--scm-account-summary-meter-track) 40%, #fff) 50%,
      var(--scm-account-summary-meter-track) 100%
    );
    background-size: 200% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
    opacity: 0.6;
  }
  @keyframes shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: -100% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton-card {
      animation: none;
    }
  }
  .problem {
    padding: var(--scm-space-4, 1rem);
    border: 1px solid var(--scm-account-summary-card-border);
    border-inline-start: 4px solid var(--scm-color-danger, #cf222e);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-account-summary-card-background);
  }
  .problem p {
    margin: 0;
  }
  .problem .fix {
    margin-block-start: var(--scm-space-1, 0.25rem);
    color: var(--scm-color-text-muted, #59636e);
  }
  .button {
    display: inline-flex;
    align-items: center;
    min-height: 2.5rem;
    margin-block-start: var(--scm-space-3, 0.75rem);
    padding: 0 var(--scm-space-4, 1rem);
    border: 1px solid var(--scm-color-primary, #0969da);
    border-radius: var(--scm-radius, 6px);
    background: var(--scm-color-primary, #0969da);
    color: var(--scm-color-on-primary, #fff);
    font: inherit;
    cursor: pointer;
  }
  .empty {
    margin: 0;
    color: var(--scm-color-text-muted, #59636e);
  }

  /* Forced colours (Windows High Contrast): the system replaces every colour, so the hold badge keeps its
     outline and shape (square when on hold, round when not) in system colours, the meter is drawn with system
     colours (its value is also written beside it), buttons keep their border and the focus ring is Highlight. */
  @media (forced-colors: active) {
    .badge,
    .badge[data-hold='true'],
    .badge[data-hold='false'],
    .tag {
      border-color: CanvasText;
      color: CanvasText;
    }
    .badge::before {
      forced-color-adjust: none;
      background: CanvasText;
    }
    .meter {
      forced-color-adjust: none;
      border: 1px solid CanvasText;
      background: Canvas;
    }
    .meter::-webkit-meter-bar {
      background: Canvas;
    }
    .meter::-webkit-meter-optimum-value,
    .meter::-webkit-meter-suboptimum-value,
    .meter::-webkit-meter-even-less-good-value,
    .meter[data-over='true']::-webkit-meter-optimum-value,
    .meter[data-over='true']::-webkit-meter-suboptimum-value,
    .meter[data-over='true']::-webkit-meter-even-less-good-value {
      background: Highlight;
    }
    .button {
      border-color: ButtonText;
      background: ButtonFace;
      color: ButtonText;
    }
    .problem {
      border-color: CanvasText;
    }
    summary:focus-visible,
    button:focus-visible,
    a:focus-visible {
      outline-color: Highlight;
    }
    .skeleton-card {
      background: GrayText;
    }
  }
`;
