import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import { PortalElement, gateStyles } from '../../internal/portal-element.js';
import { holdLabel, orderStatusLabel } from '../../internal/labels.js';
import { numberFormat } from '../../internal/intl.js';
import { DataverseError } from '../../dataverse/errors.js';
import {
  addressLines,
  listDeliveryAddresses,
  loadAccountSummary,
  type AccountContact,
  type AccountSummary,
  type DeliveryAddress,
  type PostalAddress,
} from '../../portal/accounts.js';
import { errorKindOf, permissionToGrant, tableNamedIn } from '../../portal/session-service.js';
import { accountSummaryStyles } from './account-summary.styles.js';

/** What a failed load says to the user, and (for site owners) what to fix. */
interface Problem {
  readonly message: string;
  readonly fix?: string;
  /** Retrying may help (network, throttling, server errors). */
  readonly retry: boolean;
}

/** The table a failed request read, from its URL (`…/salesorders?…` → `salesorder`). */
function tableOfRequest(error: DataverseError): string {
  const url = error.request?.url ?? '';
  if (/\/salesorders\b/.test(url)) return 'salesorder';
  if (/\/msdyn_partypostaladdresses\b/.test(url)) return 'msdyn_partypostaladdress';
  if (/\/msdyn_postaladdresses\b/.test(url)) return 'msdyn_postaladdress';
  return 'account';
}

/** What failed to load, in the sentences a problem about it needs (whole sentences, for translation). */
interface Subject {
  readonly notLoaded: () => string;
  readonly noPermission: () => string;
  readonly notEnabled: (table: string) => string;
  readonly notFound: () => string;
  readonly serviceProblem: () => string;
}

/** The account summary itself. */
const ACCOUNT: Subject = {
  notLoaded: () => msg('Your account details could not be loaded.'),
  noPermission: () => msg("You don't have permission to see your account details."),
  notEnabled: (table) => msg(str`Your account details can't be shown: the ${table} table is not enabled for the Web API.`),
  notFound: () => msg('Your account details could not be found.'),
  serviceProblem: () => msg('Your account details could not be loaded because the service had a problem.'),
};

/** The list of all delivery addresses. */
const ADDRESSES: Subject = {
  notLoaded: () => msg('The delivery addresses could not be loaded.'),
  noPermission: () => msg("You don't have permission to see the delivery addresses."),
  notEnabled: (table) => msg(str`The delivery addresses can't be shown: the ${table} table is not enabled for the Web API.`),
  notFound: () => msg('The delivery addresses could not be found.'),
  serviceProblem: () => msg('The delivery addresses could not be loaded because the service had a problem.'),
};

function describeError(error: unknown, what: Subject): Problem {
  if (!(error instanceof DataverseError)) {
    return { message: what.notLoaded(), fix: error instanceof Error ? error.message : String(error), retry: true };
  }
  switch (errorKindOf(error)) {
    case 'permission': {
      const table = tableNamedIn(error, tableOfRequest(error));
      const permission = permissionToGrant(table);
      return {
        message: what.noPermission(),
        fix: msg(str`Site owner: give the web roles of this user ${permission}.`),
        retry: false,
      };
    }
    case 'not-found': {
      const table = tableNamedIn(error, tableOfRequest(error));
      return error.code?.toUpperCase() === '9004010C'
        ? {
            message: what.notEnabled(table),
            fix: msg(str`Site owner: add the site settings Webapi/${table}/enabled = true and Webapi/${table}/fields = *.`),
            retry: false,
          }
        : { message: what.notFound(), retry: true };
    }
    case 'auth':
      return { message: msg('Your session has ended.'), fix: msg('Sign in again to see your account.'), retry: false };
    case 'throttled': {
      const seconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
      return {
        message: msg('The service is busy right now.'),
        fix: seconds ? msg(str`Try again in ${seconds} seconds.`) : msg('Try again in a moment.'),
        retry: true,
      };
    }
    case 'network':
      return { message: msg("The service can't be reached."), fix: msg('Check your connection and try again.'), retry: true };
    case 'server':
      return { message: what.serviceProblem(), fix: error.message, retry: true };
    default:
      return { message: what.notLoaded(), fix: error.message, retry: true };
  }
}

/**
 * The customer's account at a glance: name and number, company, currency and payment terms, the credit limit and
 * an estimate of what open orders use of it, hold status, primary contact, delivery and invoice addresses (all
 * delivery addresses on request), how many orders are in each status, and — for customer representatives — the
 * account's people (its active contacts; their web roles decide who may order).
 *
 * Needs a `<scm-portal>` around it. The first view takes two requests (the account with its related rows, and one
 * aggregate query for the order counts); the further delivery addresses take two more, when asked for.
 *
 * @summary The signed-in customer's account: terms, credit, hold status, addresses, orders by status, people.
 *
 * @csspart base - The summary (header and cards).
 * @csspart header - Account name, number, company and the hold badge.
 * @csspart title - The account name.
 * @csspart hold - The hold status badge (text and shape, never colour alone).
 * @csspart card - Every card (credit, terms, addresses, orders, people).
 * @csspart credit - The credit card.
 * @csspart meter - The credit meter (`role="meter"`).
 * @csspart terms - The terms card.
 * @csspart addresses - The addresses card.
 * @csspart orders - The orders-by-status card.
 * @csspart people - The account's people: its active contacts (customer representatives and administrators only).
 * @csspart gate - The message shown instead of the summary (no portal, loading session, signed out, misconfigured).
 * @csspart problem - The error message shown when the account could not be loaded.
 * @csspart retry - The Retry button of the error message.
 *
 * @cssprop [--scm-account-summary-gap=var(--scm-space-4)] - Space between cards.
 * @cssprop [--scm-account-summary-card-background=var(--scm-color-surface)] - Card background.
 * @cssprop [--scm-account-summary-card-border=var(--scm-color-border)] - Card border colour.
 * @cssprop [--scm-account-summary-meter-track=var(--scm-color-border)] - The credit meter's track.
 * @cssprop [--scm-account-summary-meter-fill=var(--scm-color-primary)] - The credit used.
 * @cssprop [--scm-account-summary-meter-over=var(--scm-color-danger)] - The credit used when over the limit (striped).
 *
 * @cssstate loading - The account is loading.
 * @cssstate ready - The account is shown.
 * @cssstate error - The account could not be loaded.
 * @cssstate on-hold - The customer is on hold in SCM.
 */
@customElement('scm-account-summary')
@localized()
export class ScmAccountSummary extends PortalElement {
  static override styles = [gateStyles, accountSummaryStyles];

  private readonly internals: ElementInternals = this.attachInternals();

  /** Whether the user opened "All delivery addresses" (they load then). */
  @state() private addressesOpen = false;

  private readonly summaryTask = new Task(this, {
    task: async ([client, session], { signal }) => {
      if (!client || !session) return initialState;
      return loadAccountSummary(client, session, signal);
    },
    args: () => [this.ready?.client, this.ready?.session] as const,
  });

  private readonly addressesTask = new Task(this, {
    task: async ([client, summary], { signal }) => {
      if (!client || !summary) return initialState;
      return listDeliveryAddresses(client, summary, signal);
    },
    args: () => [this.addressesOpen ? this.ready?.client : undefined, this.addressesOpen ? this.summaryTask.value : undefined] as const,
  });

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const status = this.ready ? this.summaryTask.status : TaskStatus.INITIAL;
    this.toggleState('loading', status === TaskStatus.PENDING || (this.ready !== undefined && status === TaskStatus.INITIAL));
    this.toggleState('ready', status === TaskStatus.COMPLETE);
    this.toggleState('error', status === TaskStatus.ERROR);
    this.toggleState('on-hold', status === TaskStatus.COMPLETE && this.summaryTask.value?.hold.onHold === true);
  }

  private toggleState(name: string, on: boolean): void {
    if (on) this.internals.states.add(name);
    else this.internals.states.delete(name);
  }

  /** Loads the account again (what the Retry button does). */
  refresh(): void {
    void this.summaryTask.run();
  }

  // ----- formatting ----------------------------------------------------------------------------------------------

  private get locale(): string {
    return this.ready?.locale ?? this.portal?.locale ?? 'en-US';
  }

  private money(value: number, summary: AccountSummary): string {
    const code = summary.currency?.code;
    try {
      if (code) return numberFormat(this.locale, { style: 'currency', currency: code }).format(value);
    } catch {
      // An ISO code Intl does not know: fall through to a plain number with the symbol.
    }
    const number = numberFormat(this.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    return summary.currency?.symbol ? `${summary.currency.symbol} ${number}` : number;
  }

  private count(value: number): string {
    return numberFormat(this.locale).format(value);
  }

  /** A share as a whole percentage; a small share that is not zero reads "< 1 %", never "0 %". */
  private percent(value: number): string {
    const format = numberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 });
    return value > 0 && value < 0.005 ? `< ${format.format(0.01)}` : format.format(value);
  }

  // ----- rendering -----------------------------------------------------------------------------------------------

  protected override render(): TemplateResult | typeof nothing {
    const gate = this.renderGate({
      loading: msg('Loading your account…'),
      signedOut: msg('Sign in to see your account.'),
      unavailable: msg("Your account can't be shown right now."),
    });
    if (gate !== nothing) return gate;
    const status = this.summaryTask.status;
    const announcement =
      status === TaskStatus.COMPLETE ? msg('Account details loaded.') : status === TaskStatus.ERROR ? '' : msg('Loading your account…');
    // One live region that stays in place, so screen readers hear when the account has loaded.
    return html`${this.summaryTask.render({
        initial: () => this.renderLoading(),
        pending: () => this.renderLoading(),
        complete: (summary) => this.renderSummary(summary),
        error: (error) => this.renderProblem(error),
      })}
      <p class="visually-hidden" role="status">${announcement}</p>`;
  }

  private renderLoading(): TemplateResult {
    return html`<div part="base" aria-busy="true">
      <div class="skeleton" aria-hidden="true">
        <div class="skeleton-card"></div>
        <div class="skeleton-card"></div>
        <div class="skeleton-card"></div>
      </div>
    </div>`;
  }

  private renderProblem(error: unknown): TemplateResult {
    const problem = describeError(error, ACCOUNT);
    return html`<div class="problem" part="problem" role="alert">
      <p><strong>${problem.message}</strong></p>
      ${problem.fix ? html`<p class="fix">${problem.fix}</p>` : nothing}
      ${problem.retry
        ? html`<button class="button" part="retry" type="button" @click=${this.refresh}>${msg('Retry')}</button>`
        : nothing}
    </div>`;
  }

  private renderSummary(summary: AccountSummary): TemplateResult {
    const subtitle = [
      summary.number ? msg(str`Account ${summary.number}`, { desc: 'The customer account number: "Account US-004".' }) : null,
      summary.company ? (summary.company.code ? `${summary.company.name} (${summary.company.code})` : summary.company.name) : null,
    ].filter(Boolean);
    return html`<section part="base" aria-labelledby="account-title">
      <header class="header" part="header">
        <div>
          <h2 class="title" id="account-title" part="title">${summary.name}</h2>
          ${subtitle.length ? html`<p class="subtitle">${subtitle.join(' · ')}</p>` : nothing}
        </div>
        <span class="badge" part="hold" data-hold=${String(summary.hold.onHold)}>${holdLabel(summary.hold)}</span>
      </header>
      <div class="cards">
        ${this.renderCredit(summary)} ${this.renderTerms(summary)} ${this.renderAddresses(summary)}
        ${this.renderOrders(summary)} ${this.renderPeople(summary)}
      </div>
    </section>`;
  }

  private renderCredit(summary: AccountSummary): TemplateResult {
    const { credit } = summary;
    const usedLabel = credit.scope === 'account' ? msg('Used by open orders') : msg('Used by your open orders');
    const limit = credit.limit;
    const ratio = limit && limit > 0 ? credit.openOrdersTotal / limit : null;
    const over = limit !== null && credit.openOrdersTotal > limit;
    return html`<section class="card" part="card credit" aria-labelledby="credit-title">
      <h3 id="credit-title">${msg('Credit')}</h3>
      <dl>
        <div>
          <dt>${msg('Credit limit')}</dt>
          <dd>${limit === null ? msg('No limit') : this.money(limit, summary)}</dd>
        </div>
        <div>
          <dt id="credit-used-label">${usedLabel} <span class="estimate">${msg('(estimate)')}</span></dt>
          <dd>${this.money(credit.openOrdersTotal, summary)}</dd>
        </div>
        ${credit.available !== null
          ? html`<div>
              <dt>${over ? msg('Over the limit by') : msg('Available')} <span class="estimate">${msg('(estimate)')}</span></dt>
              <dd>${this.money(Math.abs(credit.available), summary)}</dd>
            </div>`
          : nothing}
      </dl>
      ${ratio !== null && limit !== null
        ? html`<meter
              class="meter"
              part="meter"
              aria-labelledby="credit-used-label"
              min="0"
              max=${limit}
              value=${Math.min(credit.openOrdersTotal, limit)}
              high=${limit * 0.9}
              optimum="0"
              aria-valuetext=${this.meterText(credit.openOrdersTotal, limit, ratio, over, summary)}
              data-over=${String(over)}
            ></meter>
            <p class="meter-text" aria-hidden="true">
              ${over ? msg(str`${this.percent(ratio)} of the credit limit — over the limit`) : msg(str`${this.percent(ratio)} of the credit limit`)}
            </p>`
        : nothing}
      <p class="note">
        ${this.estimateText(credit.openOrderCount, credit.scope)}
        ${credit.scope === 'own-orders' ? msg("Orders placed by your colleagues aren't included.") : ''}
        ${msg('The credit check in our system also counts deliveries not yet invoiced and unpaid invoices.')}
        ${credit.limitIsMandatory ? msg('Orders over the limit are held.') : ''}
      </p>
    </section>`;
  }

  /** The meter's spoken value: "$1,200.00 of $5,000.00 (24%)". */
  private meterText(used: number, limit: number, ratio: number, over: boolean, summary: AccountSummary): string {
    const usedText = this.money(used, summary);
    const limitText = this.money(limit, summary);
    const share = this.percent(ratio);
    return over
      ? msg(str`${usedText} of ${limitText} (${share}), over the limit`)
      : msg(str`${usedText} of ${limitText} (${share})`);
  }

  /** "Estimated from 3 open orders you placed." */
  private estimateText(count: number, scope: AccountSummary['credit']['scope']): string {
    const n = this.count(count);
    if (scope === 'own-orders') {
      return count === 1 ? msg(str`Estimated from ${n} open order you placed.`) : msg(str`Estimated from ${n} open orders you placed.`);
    }
    return count === 1 ? msg(str`Estimated from ${n} open order.`) : msg(str`Estimated from ${n} open orders.`);
  }

  private renderTerms(summary: AccountSummary): TemplateResult {
    const contact = summary.primaryContact;
    return html`<section class="card" part="card terms" aria-labelledby="terms-title">
      <h3 id="terms-title">${msg('Terms')}</h3>
      <dl class="facts">
        <div>
          <dt>${msg('Payment terms')}</dt>
          <dd>${summary.paymentTerms ?? msg('Not set')}</dd>
        </div>
        <div>
          <dt>${msg('Currency')}</dt>
          <dd>${summary.currency ? summary.currency.code : msg('Not set')}</dd>
        </div>
        <div>
          <dt>${msg('Company')}</dt>
          <dd>${summary.company ? summary.company.name : msg('Not set')}</dd>
        </div>
        <div>
          <dt>${msg('On hold', { desc: 'Label of the hold status ("On hold: Not on hold").' })}</dt>
          <dd>${holdLabel(summary.hold)}</dd>
        </div>
        <div>
          <dt>${msg('Primary contact')}</dt>
          <dd>${contact ? this.renderPersonLine(contact) : msg('Not set')}</dd>
        </div>
        ${summary.phone
          ? html`<div>
              <dt>${msg('Phone')}</dt>
              <dd><a href=${`tel:${summary.phone.replace(/[^\d+]/g, '')}`}>${summary.phone}</a></dd>
            </div>`
          : nothing}
        ${summary.email
          ? html`<div>
              <dt>${msg('Email')}</dt>
              <dd><a href=${`mailto:${summary.email}`}>${summary.email}</a></dd>
            </div>`
          : nothing}
      </dl>
    </section>`;
  }

  private renderPersonLine(contact: AccountContact): TemplateResult {
    return html`<span class="person"
      ><span class="person-name">${contact.name}</span>${contact.email
        ? html`<span class="person-detail"><a href=${`mailto:${contact.email}`}>${contact.email}</a></span>`
        : nothing}</span
    >`;
  }

  private renderAddress(label: string | null, address: PostalAddress | null): TemplateResult {
    return html`<div class="address">
      ${label ? html`<span class="address-label">${label}</span>` : nothing}
      ${address
        ? html`<address>
            ${address.name ? html`<span class="address-name">${address.name}</span><br />` : nothing}
            ${addressLines(address).map((line, i, lines) => html`${line}${i < lines.length - 1 ? html`<br />` : nothing}`)}
          </address>`
        : html`<p class="empty">${msg('Not set')}</p>`}
    </div>`;
  }

  private renderAddresses(summary: AccountSummary): TemplateResult {
    return html`<section class="card" part="card addresses" aria-labelledby="addresses-title">
      <h3 id="addresses-title">${msg('Addresses')}</h3>
      ${this.renderAddress(msg('Delivery address'), summary.deliveryAddress)}
      ${this.renderAddress(msg('Invoice address'), summary.invoiceAddress)}
      ${summary.partyId
        ? html`<details @toggle=${this.onAddressesToggle} ?open=${this.addressesOpen}>
            <summary>${msg('All delivery addresses')}</summary>
            ${this.addressesOpen ? this.renderDeliveryAddresses() : nothing}
          </details>`
        : nothing}
    </section>`;
  }

  private onAddressesToggle(event: Event): void {
    this.addressesOpen = (event.target as HTMLDetailsElement).open;
  }

  private renderDeliveryAddresses(): unknown {
    return this.addressesTask.render({
      initial: () => html`<p class="empty" role="status">${msg('Loading delivery addresses…')}</p>`,
      pending: () => html`<p class="empty" role="status">${msg('Loading delivery addresses…')}</p>`,
      complete: (addresses: DeliveryAddress[]) =>
        addresses.length === 0
          ? html`<p class="empty">${msg('No other delivery addresses.')}</p>`
          : html`<ul class="list" aria-label=${msg('Delivery addresses')}>
              ${addresses.map(
                (address) => html`<li>
                  ${this.renderAddress(null, address)}${address.primary
                    ? html`<span class="tag">${msg('Primary', { desc: 'Tag of the primary delivery address.' })}</span>`
                    : nothing}
                </li>`,
              )}
            </ul>`,
      error: (error) => {
        const problem = describeError(error, ADDRESSES);
        return html`<div role="alert">
          <p class="empty">${problem.message}${problem.fix ? ` ${problem.fix}` : ''}</p>
          ${problem.retry
            ? html`<button class="button" type="button" @click=${() => void this.addressesTask.run()}>${msg('Retry')}</button>`
            : nothing}
        </div>`;
      },
    });
  }

  private renderOrders(summary: AccountSummary): TemplateResult {
    const { orders } = summary;
    const title = orders.scope === 'account' ? msg('Orders by status') : msg('Your orders by status');
    return html`<section class="card" part="card orders" aria-labelledby="orders-title">
      <h3 id="orders-title">${title}</h3>
      ${orders.total === 0
        ? html`<p class="empty">${msg('No orders yet.')}</p>`
        : html`<dl>
            ${orders.byStatus.map(
              (s) => html`<div>
                <dt>${s.status === null ? msg('No status') : orderStatusLabel({ value: s.status }) || s.label}</dt>
                <dd>${this.count(s.count)}${s.capped ? '+' : ''}</dd>
              </div>`,
            )}
            <div class="total">
              <dt>${msg('All', { desc: 'Total row of the orders-by-status counts.' })}</dt>
              <dd>${this.count(orders.total)}${orders.capped ? '+' : ''}</dd>
            </div>
          </dl>`}
      ${orders.scope === 'own-orders'
        ? html`<p class="note">${msg("Orders you placed. Your company's customer representative sees all orders of the account.")}</p>`
        : nothing}
    </section>`;
  }

  private renderPeople(summary: AccountSummary): TemplateResult | typeof nothing {
    const people = summary.orderingContacts;
    if (!people) return nothing;
    return html`<section class="card" part="card people" aria-labelledby="people-title">
      <h3 id="people-title">${msg(str`People at ${summary.name}`)}</h3>
      ${people.length === 0
        ? html`<p class="empty">${msg('No active contacts.')}</p>`
        : html`<ul class="list">
            ${people.map(
              (person) => html`<li class="person">
                <span class="person-name">${person.name}</span>
                ${person.jobTitle ? html`<span class="person-detail">${person.jobTitle}</span>` : nothing}
                ${person.email ? html`<span class="person-detail"><a href=${`mailto:${person.email}`}>${person.email}</a></span>` : nothing}
                ${person.phone
                  ? html`<span class="person-detail"><a href=${`tel:${person.phone.replace(/[^\d+]/g, '')}`}>${person.phone}</a></span>`
                  : nothing}
              </li>`,
            )}
          </ul>`}
      <p class="note">${msg("The account's active contacts. Who may place orders is set by each person's web role on this site.")}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scm-account-summary': ScmAccountSummary;
  }
}
