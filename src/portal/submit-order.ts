/**
 * Submitting an order: the header and its lines in ONE deep-insert request, with every column dual-write needs to
 * accept the order and send it to Supply Chain Management (SCM), created exactly once.
 *
 * ## What is written (domain.md §1, "Defaults written on submit")
 * Header (`salesorders`):
 * - from the signed-in contact, never typed by the customer: company (`msdyn_Company@odata.bind`, the navigation
 *   name declared in `src/tables/salesorder.ts`), currency, price list, customer (`customerid_account`) and
 *   invoice customer (= customer), contact person, language (the contact's portal language as an SCM language),
 *   e-mail address;
 * - `name` "sales order" (the Customer portal's default), `msdyn_ordertype` = item based, the only type dual-write
 *   sends to SCM;
 * - what the customer chose: requested receipt date, delivery address (ship-to name, street lines, city, state,
 *   postal code, country/region, description, formatted address), customer reference, requisition number.
 * Lines (`order_details`, nested): product, quantity, unit, sequence number, ship-to address and country/region,
 * delivery address description, requested receipt date. Prices, discounts, charges and tax are left to SCM.
 *
 * ## Exactly once
 * The order's GUID is chosen when the draft starts and sent as `salesorderid` with the client's safe create
 * (`createSafely` with `primaryKey`). The client retries a lost answer, a 503 or a 429 with the same id; when a
 * retry — or a later Submit of the same draft, even after a reload — meets "already exists" (412), the row is read
 * back and accepted as ours when its customer and contact person are the session's. So a submission can never
 * create a second order, and a success whose answer was lost is recognised as a success.
 *
 * @module
 */
import type { TableColumns } from './columns.js';
import type { Row } from '../dataverse/annotations.js';
import type { Body, DataverseClient } from '../dataverse/client.js';
import { DataverseError, isAbort } from '../dataverse/errors.js';
import { normalizeGuid } from '../dataverse/guid.js';
import { entityPath } from '../dataverse/odata.js';
import { cdm_company } from '../tables/cdm_company.js';
import { account as accountTable } from '../tables/account.js';
import { contact as contactTable } from '../tables/contact.js';
import { Language, languageLabels, OrderType, orderLanguageByPortalLanguage, type PortalLanguage } from '../tables/choices.js';
import { pricelevel } from '../tables/pricelevel.js';
import { product as productTable } from '../tables/product.js';
import type { CollectionName } from '../tables/index.js';
import { salesorder } from '../tables/salesorder.js';
import { salesorderdetail } from '../tables/salesorderdetail.js';
import { transactioncurrency } from '../tables/transactioncurrency.js';
import { uom } from '../tables/uom.js';
import { addressLines, type PostalAddress } from './accounts.js';
import type { PortalSession } from './session.js';
import { errorKindOf } from './session-service.js';

// ---------------------------------------------------------------------------------------------------------------
// What is submitted

/** Where the order goes. */
export interface OrderDelivery extends PostalAddress {
  /** The address's description ("Main warehouse"): `msdyn_deliveryaddressdescription`. */
  readonly description: string;
  /** The ship-to name (the customer's name, as dual-write writes it). */
  readonly shipToName: string;
}

/** One line to order. */
export interface OrderLineToSubmit {
  readonly productId: string;
  readonly unitId: string;
  readonly quantity: number;
}

/** An order, validated, ready to be submitted. */
export interface OrderToSubmit {
  /** The GUID chosen when the draft started. */
  readonly id: string;
  /** `YYYY-MM-DD`. */
  readonly requestedReceiptDate: string;
  readonly delivery: OrderDelivery;
  readonly customerReference?: string;
  readonly requisitionNumber?: string;
  readonly lines: readonly OrderLineToSubmit[];
}

/** The collection-valued navigation property the lines are nested under (declared on the salesorder table). */
const ORDER_LINES: CollectionName<typeof salesorder> = 'order_details';

/** The Customer portal's name for every order it creates (SCM gives the order its number). */
export const PORTAL_ORDER_NAME = 'sales order';

/** A default an order takes from the signed-in contact, without which dual-write does not accept it. */
export type OrderDefault = 'company' | 'currency' | 'price-list';

/**
 * What the session lacks for an order to be accepted by dual-write (empty when nothing): the contact's company,
 * currency and price list. The form words them for the customer.
 */
export function missingOrderDefaults(session: PortalSession): OrderDefault[] {
  const missing: OrderDefault[] = [];
  if (!session.company) missing.push('company');
  if (!session.currency) missing.push('currency');
  if (!session.priceList) missing.push('price-list');
  return missing;
}

/** `/salesorders(<id>)`-style reference for `@odata.bind` (validated by the client's path builder). */
function ref(entitySet: string, id: string): string {
  return `/${entityPath(entitySet, id)}`;
}

/** `"<navigation>@odata.bind"` of a lookup, with the navigation name from the table declaration. */
function bindKey(navigation: string): string {
  return `${navigation}@odata.bind`;
}

/**
 * The order language (`msdyn_language`): the contact's portal language as an SCM language; else the page's locale
 * when SCM knows it (`de-DE` → `de`); else US English.
 */
export function orderLanguageOf(session: Pick<PortalSession, 'language'>, locale?: string): Language {
  const fromContact = session.language === null ? undefined : orderLanguageByPortalLanguage[session.language as PortalLanguage];
  if (fromContact !== undefined) return fromContact;
  const tag = (locale ?? '').toLowerCase();
  const entries = Object.entries(languageLabels) as [string, string][];
  const exact = entries.find(([, label]) => label === tag);
  const primary = entries.find(([, label]) => label === tag.split('-')[0]);
  const found = exact ?? primary;
  return found ? (Number(found[0]) as Language) : Language.EnUs;
}

const nonBlank = (value: string | null | undefined): string | undefined => {
  const text = value?.trim();
  return text ? text : undefined;
};

/** Leaves out keys whose value is `undefined` (an empty optional field is not written at all). */
function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/**
 * The deep-insert body of an order (see the module comment for every column). The order id itself is added by
 * the safe create as `salesorderid`.
 *
 * @throws Error when the session lacks a company, currency or price list (see {@link missingOrderDefaults}).
 */
export function orderBody(session: PortalSession, order: OrderToSubmit, options: { readonly locale?: string } = {}): Body {
  const missing = missingOrderDefaults(session);
  if (missing.length > 0) throw new Error(`The signed-in contact has no ${missing.join(', ')}: the order cannot be created.`);
  const columns = salesorder.columns;
  const lineColumns = salesorderdetail.columns;
  const delivery = order.delivery;
  const [line1, line2] = delivery.street;
  const country = nonBlank(delivery.country);
  const description = delivery.description.trim();

  const lines = order.lines.map((line, index) =>
    compact({
      [bindKey(lineColumns.productid.navigation.product)]: ref(productTable.entitySet, line.productId),
      [bindKey(lineColumns.uomid.navigation.uom)]: ref(uom.entitySet, line.unitId),
      quantity: line.quantity,
      sequencenumber: index + 1,
      msdyn_requestedreceiptdate: order.requestedReceiptDate,
      shipto_name: nonBlank(delivery.shipToName),
      shipto_line1: nonBlank(line1),
      shipto_city: nonBlank(delivery.city),
      shipto_stateorprovince: nonBlank(delivery.stateOrProvince),
      shipto_postalcode: nonBlank(delivery.postalCode),
      shipto_country: country,
      msdyn_deliveryaddressdescription: description,
    }),
  );

  return compact({
    name: PORTAL_ORDER_NAME,
    msdyn_ordertype: OrderType.SyncToScm,
    [bindKey(columns.msdyn_company.navigation.cdm_company)]: ref(cdm_company.entitySet, session.company!.id),
    [bindKey(columns.transactioncurrencyid.navigation.transactioncurrency)]: ref(transactioncurrency.entitySet, session.currency!.id),
    [bindKey(columns.pricelevelid.navigation.pricelevel)]: ref(pricelevel.entitySet, session.priceList!.id),
    [bindKey(columns.customerid.navigation.account)]: ref(accountTable.entitySet, session.account.id),
    [bindKey(columns.msdyn_invoicecustomerid.navigation.account)]: ref(accountTable.entitySet, session.account.id),
    [bindKey(columns.msdyn_contactperson.navigation.contact)]: ref(contactTable.entitySet, session.contact.id),
    msdyn_language: orderLanguageOf(session, options.locale),
    emailaddress: nonBlank(session.contact.email),
    msdyn_requestedreceiptdate: order.requestedReceiptDate,
    shipto_name: nonBlank(delivery.shipToName),
    shipto_line1: nonBlank(line1),
    shipto_line2: nonBlank(line2),
    shipto_city: nonBlank(delivery.city),
    shipto_stateorprovince: nonBlank(delivery.stateOrProvince),
    shipto_postalcode: nonBlank(delivery.postalCode),
    shipto_country: country,
    msdyn_deliveryaddressname: nonBlank(delivery.shipToName),
    msdyn_deliveryaddressdescription: description,
    msdyn_formatteddeliveryaddress: addressLines(delivery).join('\n'),
    msdyn_customersorderreference: nonBlank(order.customerReference),
    msdyn_customerrequisitionnumber: nonBlank(order.requisitionNumber),
    [ORDER_LINES]: lines,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Submitting

/** An order that exists on the server. */
export interface SubmittedOrder {
  readonly id: string;
  /** The Dataverse order number (`ORD-01234-X1Y2Z3`); `null` when it could not be read yet. */
  readonly orderNumber: string | null;
  /** The SCM sales order number (`SO-001234`); `null` until dual-write has synchronised the order. */
  readonly salesOrderNumber: string | null;
  /** True when an earlier attempt had already created the order (lost answer, reload, second Submit). */
  readonly alreadyExisted: boolean;
}

interface OrderNumberRow {
  readonly salesorderid: string;
  readonly ordernumber: string | null;
  readonly msdyn_salesordernumber: string | null;
  readonly _customerid_value: string | null;
  readonly _msdyn_contactperson_value: string | null;
}

const NUMBER_SELECT = ['ordernumber', 'msdyn_salesordernumber', '_customerid_value', '_msdyn_contactperson_value'] as const;

/**
 * The columns read back after a submission (the new order's numbers), by table: what the Power Pages
 * `Webapi/<table>/fields` site settings must list besides those {@link orderBody} writes.
 */
export const ORDER_SUBMIT_COLUMNS = { salesorder: NUMBER_SELECT } as const satisfies TableColumns;

const same = (a: string | null | undefined, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** True when an existing order with our id is ours: the session's customer, placed by the session's contact. */
function isOurs(session: PortalSession) {
  return (row: Row<OrderNumberRow>) =>
    same(row._customerid_value, session.account.id) && same(row._msdyn_contactperson_value, session.contact.id);
}

/** Options of {@link submitOrder}. */
export interface SubmitOrderOptions {
  readonly signal?: AbortSignal;
  /** The page's locale (for the order language when the contact has none). */
  readonly locale?: string;
}

/**
 * Creates the order with its lines in one deep insert, safely (see the module comment), then reads its number.
 *
 * @throws DataverseError when the order could not be created (see {@link submitProblemOf} for what to tell the
 *   customer); an abort of `signal` passes through unchanged. When the order was created but its number could not
 *   be read, the result has `orderNumber: null` rather than an error.
 */
export async function submitOrder(
  client: DataverseClient,
  session: PortalSession,
  order: OrderToSubmit,
  options: SubmitOrderOptions = {},
): Promise<SubmittedOrder> {
  const id = normalizeGuid(order.id, 'order id');
  const body = orderBody(session, order, { locale: options.locale });
  const created = await client.createSafely<OrderNumberRow>(salesorder.entitySet, body, {
    id,
    primaryKey: salesorder.primaryKey,
    isOurs: isOurs(session),
    verifySelect: NUMBER_SELECT,
    signal: options.signal,
  });
  const numbers = await readOrderNumbers(client, id, options.signal).catch((error: unknown) => {
    if (isAbort(error, options.signal)) throw error;
    return null; // Created; the number shows up with the next look (the form keeps checking for the SCM number).
  });
  return {
    id,
    orderNumber: numbers?.orderNumber ?? null,
    salesOrderNumber: numbers?.salesOrderNumber ?? null,
    alreadyExisted: created.alreadyExisted,
  };
}

/** The order's numbers: Dataverse's and, once dual-write has synchronised it, SCM's. `null` when not found. */
export async function readOrderNumbers(
  client: DataverseClient,
  orderId: string,
  signal?: AbortSignal,
): Promise<{ orderNumber: string | null; salesOrderNumber: string | null } | null> {
  const row = await client.findRow<OrderNumberRow>(salesorder.entitySet, normalizeGuid(orderId, 'order id'), { select: NUMBER_SELECT }, { signal });
  if (!row) return null;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return { orderNumber: text(row.ordernumber), salesOrderNumber: text(row.msdyn_salesordernumber) };
}

/**
 * The order with this id when it exists and is ours (after a reload during a submission: did it go through?),
 * else `null`.
 */
export async function findSubmittedOrder(
  client: DataverseClient,
  session: PortalSession,
  orderId: string,
  signal?: AbortSignal,
): Promise<SubmittedOrder | null> {
  const id = normalizeGuid(orderId, 'order id');
  const row = await client.findRow<OrderNumberRow>(salesorder.entitySet, id, { select: NUMBER_SELECT }, { signal });
  if (!row || !isOurs(session)(row)) return null;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return { id, orderNumber: text(row.ordernumber), salesOrderNumber: text(row.msdyn_salesordernumber), alreadyExisted: true };
}

// ---------------------------------------------------------------------------------------------------------------
// What went wrong

/**
 * Why a submission failed (the form words each kind for the customer, in their language, with what to do; the
 * order is kept in every case):
 * - `offline` — no answer (offline, connection dropped): submit again when back;
 * - `busy` — the service asked us to slow down (429): {@link SubmitProblem.retryAfterMs} says when to retry;
 * - `permission` — the user's web role may not place orders (403);
 * - `signed-out` — the session ended (401): sign in again, then submit;
 * - `refused` — the server refused the order as invalid (400): {@link SubmitProblem.detail} has its message;
 * - `conflict` — an order with this id exists but is not this customer's (should never happen with random ids);
 * - `server` — the service failed (5xx) after the client's retries, or something unexpected happened.
 */
export type SubmitProblemKind = 'offline' | 'busy' | 'permission' | 'signed-out' | 'refused' | 'conflict' | 'server';

/** A failed submission: what kind of failure, and its parameters. */
export interface SubmitProblem {
  readonly kind: SubmitProblemKind;
  /** For `busy`: how long to wait before retrying (at least 1 s; the server's Retry-After, else {@link DEFAULT_BUSY_WAIT_MS}). */
  readonly retryAfterMs?: number;
  /** The server's own message (shown for `refused`; kept for support otherwise). */
  readonly detail?: string;
}

/** How long to wait before retrying a busy service that did not say (Microsoft: back off, don't hammer). */
export const DEFAULT_BUSY_WAIT_MS = 10_000;

/** Turns a submission error (or any error of a request the form makes) into a {@link SubmitProblem}. */
export function submitProblemOf(error: unknown): SubmitProblem {
  if (!(error instanceof DataverseError)) {
    return { kind: 'server', detail: error instanceof Error ? error.message : String(error) };
  }
  switch (errorKindOf(error)) {
    case 'network':
      return { kind: 'offline' };
    case 'throttled':
      return { kind: 'busy', retryAfterMs: Math.max(1000, error.retryAfterMs ?? DEFAULT_BUSY_WAIT_MS) };
    case 'permission':
      return { kind: 'permission', detail: error.message };
    case 'auth':
      return { kind: 'signed-out' };
    case 'conflict':
      return { kind: 'conflict', detail: error.message };
    case 'validation':
    case 'not-found':
      return { kind: 'refused', detail: error.message };
    default:
      return { kind: 'server', detail: error.message };
  }
}
