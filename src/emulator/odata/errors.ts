/**
 * The error every part of the OData query engine throws for a request Dataverse would refuse with 400.
 *
 * Dataverse parses query options with Microsoft.OData.Core (ODataLib) and answers its parse and bind errors with
 * the generic code `0x80060888` and ODataLib's own English message. Observed answers, for example:
 * - `{"error":{"code":"0x80060888","message":"Could not find a property named '_ownerid_value' on type
 *   'Microsoft.Dynamics.CRM.sprk_todo'."}}` (reported against live environments in several public projects; older
 *   environments answered the same message with code `""` or `"0x0"`, e.g. MicrosoftDocs/dynamics-365-customer-engagement
 *   issue #678 and jlattimer/CRMRESTBuilder issue #3);
 * - `{"error":{"code":"0x80060888","message":"Skip Clause is not supported in CRM"}}` for `$skip`;
 * - "There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''." (powerapps-docs,
 *   developer/data-platform/webapi/query/filter-rows.md, "Manage single quotes").
 * Message templates not observed verbatim from Dataverse are ODataLib's resource strings
 * (OData/odata.net, Microsoft.OData.Core resources), which is what Dataverse relays.
 *
 * @module
 */

/** Dataverse's code for a query option it cannot parse or bind (ODataLib errors). */
export const QUERY_ERROR_CODE = '0x80060888';

/**
 * Dataverse's code for more than 500 conditions in one query: `TooManyConditionsInQuery`, message
 * "Number of conditions in query exceeded maximum limit." (powerapps-docs,
 * developer/data-platform/webapi/query/filter-rows.md and fetchxml/filter-rows.md, "Condition limits").
 */
export const TOO_MANY_CONDITIONS_CODE = '0x8004430C';

/** A query Dataverse would refuse with HTTP 400. The request handler turns it into `{"error":{code,message}}`. */
export class ODataQueryError extends Error {
  /** Always 400: every query error is the client's. */
  readonly status: 400 = 400;
  /** Dataverse's hexadecimal error code (`0x80060888` unless said otherwise). */
  readonly code: string;
  /** Zero-based character offset in the expression where the problem was found, when there is one. */
  readonly position?: number;

  constructor(message: string, options: { code?: string; position?: number } = {}) {
    super(message);
    this.name = 'ODataQueryError';
    this.code = options.code ?? QUERY_ERROR_CODE;
    this.position = options.position;
  }
}

/** Whether `error` is an {@link ODataQueryError} (also across bundle copies of this module). */
export function isODataQueryError(error: unknown): error is ODataQueryError {
  return error instanceof ODataQueryError
    || (error instanceof Error && error.name === 'ODataQueryError' && (error as ODataQueryError).status === 400);
}

/** ODataLib's message for a name that is not a property of a type. */
export function propertyNotFound(name: string, typeName: string): ODataQueryError {
  return new ODataQueryError(`Could not find a property named '${name}' on type '${typeName}'.`);
}
