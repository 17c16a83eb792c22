/**
 * Errors the emulator answers with, in Dataverse's shape on `/api/data/v9.2/` and Power Pages' shape on `/_api/`.
 *
 * Dataverse: `{"error":{"code":"0x80040217","message":"salesorder With Id = … Does Not Exist"}}`.
 * Power Pages: its own errors (session, anti-forgery, site settings, table permissions) as
 * `{"error":{"code":"90040107","message":"…"}}`, and errors of the Dataverse behind it wrapped as CDSError:
 * `{"error":{"code":"9004010D","message":"…","cdscode":"0x80040217","innererror":{…}}}`
 * (power-pages-docs/configure/web-api-http-requests-handle-errors.md).
 *
 * Messages copy Microsoft's wording where the docs show it; the rest say so in a comment.
 */

/** Which API a request came in on. */
export type ApiFlavor = 'dataverse' | 'powerpages';

/** Dataverse error codes the emulator uses. */
export const DATAVERSE_CODES = {
  /** ObjectDoesNotExist: a row that does not exist (or that the caller may not see). */
  notFound: '0x80040217',
  /** Bad payload: wrong type, unknown property, lookup written directly (OData deserialization). */
  badPayload: '0x80048d19',
  /** OData URL / query errors: unknown segment, unknown property in $select, query syntax. */
  badQuery: '0x80060888',
  /** Generic invalid argument. */
  invalidArgument: '0x80040203',
  /** Validation: string longer than the column's maximum length, choice value out of range. */
  validation: '0x80044331',
  /** Privilege denied (prvCreate…, prvRead…). */
  privilegeDenied: '0x80040220',
  /** Duplicate record (upsert with If-None-Match: *). */
  duplicate: '0x80040237',
  /** Optimistic concurrency: etag mismatch. */
  concurrency: '0x80060882',
  /** Unexpected server error. */
  unexpected: '0x80040216',
  /**
   * Not authenticated. Dataverse itself answers 401 with an empty body and a `WWW-Authenticate` header; the
   * emulator adds a JSON body for uniform client handling, with an empty code as Microsoft's own examples show
   * for errors without a platform code.
   */
  unauthenticated: '',
} as const;

/** Power Pages error codes (power-pages-docs/configure/web-api-http-requests-handle-errors.md). */
export const POWER_PAGES_CODES = {
  invalidAttribute: '90040100',
  attributePermissionIsMissing: '90040101',
  writePermissionIsMissing: '90040102',
  createPermissionIsMissing: '90040103',
  deletePermissionIsMissing: '90040104',
  appendPermissionIsMissing: '90040105',
  appendToPermissionIsMissing: '90040106',
  antiForgery: '90040107',
  missingSessionCookie: '90040109',
  resourceNotFound: '9004010C',
  cdsError: '9004010D',
  /**
   * Read permission missing. UNCONFIRMED: not in Microsoft's table of codes; seen in third-party code for
   * Power Pages ("You don't have permission to read …").
   */
  readPermissionIsMissing: '90040120',
} as const;

export interface EmulatorErrorOptions {
  /** Power Pages code when it differs from the generic CDSError wrapping (`9004010D` + `cdscode`). */
  readonly portalCode?: string;
  /** Power Pages message when it differs from the Dataverse message. */
  readonly portalMessage?: string;
  /** Extra response headers (`WWW-Authenticate`, `Retry-After`, …). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An error answer. Throw it anywhere in request handling; the pipeline turns it into a response in the shape
 * of the API the request came in on.
 */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    /** Dataverse code (`0x…`). */
    readonly code: string,
    message: string,
    readonly options: EmulatorErrorOptions = {},
  ) {
    super(message);
    this.name = 'EmulatorError';
  }

  /** The JSON body for the given API. */
  toBody(flavor: ApiFlavor): { error: Record<string, unknown> } {
    if (flavor === 'dataverse') return { error: { code: this.code, message: this.message } };
    const { portalCode, portalMessage } = this.options;
    // A Power Pages error of its own (session, anti-forgery, site settings, table permissions): its code only.
    if (portalCode) return { error: { code: portalCode, message: portalMessage ?? this.message } };
    // A Dataverse error passed through the portal: CDSError, with the Dataverse code and message inside.
    return {
      error: {
        code: POWER_PAGES_CODES.cdsError,
        message: this.message,
        cdscode: this.code,
        innererror: { code: this.code, message: this.message },
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Builders for the errors the emulator raises, so that the same situation always gets the same words.

/** `salesorder With Id = … Does Not Exist` (perform-conditional-operations-using-web-api.md). */
export function rowNotFound(logicalName: string, id: string): EmulatorError {
  return new EmulatorError(404, DATAVERSE_CODES.notFound, `${logicalName} With Id = ${id} Does Not Exist`);
}

/** An unknown URL segment (entity set, navigation property, …). */
export function segmentNotFound(segment: string): EmulatorError {
  return new EmulatorError(404, DATAVERSE_CODES.badQuery, `Resource not found for the segment '${segment}'.`, {
    portalCode: POWER_PAGES_CODES.resourceNotFound,
  });
}

/**
 * A payload Dataverse cannot deserialize; the message wraps the OData library's inner message as Dataverse
 * does ("Error identified in Payload provided by the user for Entity :'salesorders', … ----> InnerException :
 * Microsoft.OData.ODataException: Cannot convert the literal 'abc' to the expected type 'Edm.Decimal'.").
 */
export function badPayload(entitySet: string, inner: string, portal?: { code: string; message: string }): EmulatorError {
  return new EmulatorError(
    400,
    DATAVERSE_CODES.badPayload,
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: ${inner}`,
    portal ? { portalCode: portal.code, portalMessage: portal.message } : {},
  );
}

/** A property that the entity type does not declare (payload or query). */
export function unknownProperty(entitySet: string, logicalName: string, property: string): EmulatorError {
  return badPayload(
    entitySet,
    `The property '${property}' does not exist on type 'Microsoft.Dynamics.CRM.${logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    { code: POWER_PAGES_CODES.invalidAttribute, message: `Attribute ${property} cannot be found for table ${logicalName}.` },
  );
}

/** A malformed request (bad JSON, bad key, unsupported option) in the OData URL/query family. */
export function badRequest(message: string, code: string = DATAVERSE_CODES.badQuery): EmulatorError {
  return new EmulatorError(400, code, message);
}

/** Which privilege a denied operation needed. */
export type DeniedOperation = 'read' | 'create' | 'write' | 'delete' | 'append' | 'appendTo';

const PRV: Record<DeniedOperation, string> = {
  read: 'Read',
  create: 'Create',
  write: 'Write',
  delete: 'Delete',
  append: 'Append',
  appendTo: 'AppendTo',
};

/**
 * A missing privilege, worded per API: Dataverse's "Principal user … is missing prvCreatesalesorder privilege"
 * (0x80040220) and Power Pages' table-permission codes 90040102–90040106 (90040120 for read, see
 * {@link POWER_PAGES_CODES.readPermissionIsMissing}).
 */
export function privilegeDenied(
  operation: DeniedOperation,
  logicalName: string,
  principalId: string,
  related?: string,
): EmulatorError {
  const dataverseMessage = `Principal user (Id=${principalId}, type=8) is missing prv${PRV[operation]}${logicalName} privilege on entity '${logicalName}'.`;
  let portalCode: string;
  let portalMessage: string;
  switch (operation) {
    case 'read':
      portalCode = POWER_PAGES_CODES.readPermissionIsMissing;
      portalMessage = `You don't have permission to read ${logicalName} entity.`;
      break;
    case 'write':
      portalCode = POWER_PAGES_CODES.writePermissionIsMissing;
      portalMessage = `You don't have permission to update ${logicalName} entity.`;
      break;
    case 'create':
      portalCode = POWER_PAGES_CODES.createPermissionIsMissing;
      portalMessage = `You don't have permission to create ${logicalName} entity.`;
      break;
    case 'delete':
      portalCode = POWER_PAGES_CODES.deletePermissionIsMissing;
      portalMessage = `You don't have permission to delete ${logicalName} entity.`;
      break;
    case 'append':
      portalCode = POWER_PAGES_CODES.appendPermissionIsMissing;
      portalMessage = `You don't have permission to associate or disassociate table ${logicalName} with ${related ?? logicalName}.`;
      break;
    case 'appendTo':
      portalCode = POWER_PAGES_CODES.appendToPermissionIsMissing;
      portalMessage = `You don't have permission to associate or disassociate table ${related ?? logicalName} to ${logicalName}`;
      break;
  }
  return new EmulatorError(403, DATAVERSE_CODES.privilegeDenied, dataverseMessage, { portalCode, portalMessage });
}

/** A column the Power Pages `Webapi/<table>/fields` site setting does not list. */
export function attributeNotEnabled(logicalName: string, column: string): EmulatorError {
  return new EmulatorError(
    403,
    DATAVERSE_CODES.privilegeDenied,
    `Attribute ${column} in table ${logicalName} is not enabled for Web Api.`,
    { portalCode: POWER_PAGES_CODES.attributePermissionIsMissing },
  );
}

/** Turns anything thrown into an {@link EmulatorError}; unknown exceptions become a 500. */
export function toEmulatorError(error: unknown): EmulatorError {
  if (error instanceof EmulatorError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new EmulatorError(500, DATAVERSE_CODES.unexpected, `An unexpected error occurred. (${detail})`, {
    portalCode: POWER_PAGES_CODES.cdsError,
    portalMessage: 'An unexpected error occurred while processing the request.',
  });
}
