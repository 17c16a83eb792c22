/**
 * Creating, updating and deleting rows from Web API payloads: type validation against the table declarations,
 * `@odata.bind` references, deep insert (`"order_details": [ … ]`), autonumbers, system columns, table
 * permissions, and cascade delete. Everything runs inside one store transaction, so an error anywhere — a bad
 * line in a deep insert, a bind to a missing row — undoes every write of the request.
 */
import type { ColumnDef, TableDef } from '../tables/schema.js';
import type { ApiContext, Engine } from './context.js';
import {
  DATAVERSE_CODES,
  EmulatorError,
  POWER_PAGES_CODES,
  attributeNotEnabled,
  badPayload,
  badRequest,
  privilegeDenied,
  rowNotFound,
  unknownProperty,
  type DeniedOperation,
} from './errors.js';
import { columnOf, edmTypeOf, isLookupType, lookupColumnOfValueName, navigationOf } from './odata/model.js';
import type { StoreTransaction } from './store.js';
import { isLookupValue, type LookupValue, type StoredRow, type StoredValue } from './types.js';
import { isGuid, isoSeconds, newGuid } from './util.js';

/**
 * Collection-valued relationships whose rows belong to their parent (Dataverse "parental" cascade): deleting
 * the parent deletes them. Other related rows keep existing with their lookup cleared ("remove link").
 */
const PARENTAL_COLLECTIONS: Readonly<Record<string, readonly string[]>> = {
  salesorder: ['order_details'],
  invoice: ['invoice_details'],
};

/** Autonumber columns: Dataverse fills them on create when the payload leaves them out. */
const AUTONUMBER_PREFIXES: Readonly<Record<string, { readonly column: string; readonly prefix: string }>> = {
  salesorder: { column: 'ordernumber', prefix: 'ORD' },
  invoice: { column: 'invoicenumber', prefix: 'INV' },
};

const AUTONUMBER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A parsed `@odata.bind` reference. */
interface Reference {
  readonly entitySet: string;
  readonly id: string;
  readonly text: string;
}

interface Bind {
  readonly column: string;
  readonly navigation: string;
  /** Logical name of the table the navigation property leads to. */
  readonly target: string;
  readonly reference: Reference;
}

interface CollectionBind {
  readonly navigation: string;
  readonly related: TableDef;
  readonly referencingColumn: string;
  readonly references: readonly Reference[];
}

interface DeepCollection {
  readonly navigation: string;
  readonly related: TableDef;
  readonly referencingColumn: string;
  readonly items: readonly Record<string, unknown>[];
}

interface DeepSingle {
  readonly column: string;
  readonly navigation: string;
  readonly target: TableDef;
  readonly body: Record<string, unknown>;
}

interface Payload {
  readonly values: Record<string, StoredValue>;
  readonly binds: Bind[];
  readonly collectionBinds: CollectionBind[];
  readonly deepCollections: DeepCollection[];
  readonly deepSingles: DeepSingle[];
}

/** Counter state of the autonumbers, per table (kept by the emulator so numbers never repeat). */
export interface AutoNumberState {
  next(table: string): number;
}

/** Options of {@link RowWriter.create}. */
export interface CreateOptions {
  /** The id from the URL of an upsert (`PATCH salesorders(<id>)`). */
  readonly id?: string;
  /** Deep insert: the lookup to the parent row created just before. */
  readonly link?: { readonly column: string; readonly value: LookupValue };
}

/** Performs one request's writes inside a store transaction. */
export class RowWriter {
  constructor(
    private readonly engine: Engine,
    private readonly ctx: ApiContext,
    private readonly tx: StoreTransaction,
    private readonly autoNumbers: AutoNumberState,
  ) {}

  /** Creates a row (and, for a deep insert, its related rows) from a payload. */
  create(table: TableDef, body: unknown, options: CreateOptions = {}): StoredRow {
    this.requirePrivilege(table, 'create');
    const payload = this.convert(table, body, 'create');
    const { values } = payload;
    const pk = table.primaryKey;
    const bodyId = values[pk];
    if (options.id && typeof bodyId === 'string' && bodyId !== options.id) {
      throw badPayload(table.entitySet, `The key value '${bodyId}' in the payload does not match the key '${options.id}' in the URL.`);
    }
    const id = options.id ?? (typeof bodyId === 'string' ? bodyId : newGuid());
    if (this.tx.get(table.logicalName, id)) {
      throw new EmulatorError(412, DATAVERSE_CODES.duplicate, 'Cannot insert duplicate key.');
    }

    for (const single of payload.deepSingles) {
      const created = this.create(single.target, single.body);
      values[single.column] = { id: String(created[single.target.primaryKey]), table: single.target.logicalName };
    }
    for (const bind of payload.binds) values[bind.column] = this.resolveBind(table, bind);
    if (options.link) {
      const parent = this.tx.get(options.link.value.table, options.link.value.id)!;
      this.checkAppend(table, options.link.value.table, parent);
      values[options.link.column] = options.link.value;
    }

    const now = isoSeconds(this.engine.now());
    values.createdon = now;
    values.modifiedon = now;
    this.applyDefaults(table, values);
    values[pk] = id;

    const row = this.tx.insert(table.logicalName, id, values);
    if (this.ctx.enforcePermissions && !this.engine.access.allowsCreate(this.ctx.user, table.logicalName, row, this.tx)) {
      throw this.denied('create', table.logicalName);
    }
    const self: LookupValue = { id, table: table.logicalName };
    for (const bind of payload.collectionBinds) this.associate(table, self, bind);
    for (const deep of payload.deepCollections) {
      for (const item of deep.items) {
        this.requireExposed(deep.related);
        this.create(deep.related, item, { link: { column: deep.referencingColumn, value: self } });
      }
    }
    return this.tx.get(table.logicalName, id)!;
  }

  /** Updates an existing row from a payload (the caller has checked it may see the row). */
  update(table: TableDef, existing: StoredRow, body: unknown): StoredRow {
    this.requirePrivilege(table, 'write');
    const id = String(existing[table.primaryKey]);
    if (this.ctx.enforcePermissions && !this.engine.access.allows(this.ctx.user, table.logicalName, existing, 'write', this.tx)) {
      throw this.denied('write', table.logicalName);
    }
    const payload = this.convert(table, body, 'update');
    const { values } = payload;
    const bodyId = values[table.primaryKey];
    if (typeof bodyId === 'string' && bodyId !== id) {
      throw badPayload(table.entitySet, `The key value '${bodyId}' in the payload does not match the key '${id}' in the URL.`);
    }
    delete values[table.primaryKey];
    for (const bind of payload.binds) values[bind.column] = this.resolveBind(table, bind);
    values.modifiedon = isoSeconds(this.engine.now());
    const row = this.tx.update(table.logicalName, id, values);
    if (this.ctx.enforcePermissions && !this.engine.access.allows(this.ctx.user, table.logicalName, row, 'write', this.tx)) {
      throw this.denied('write', table.logicalName);
    }
    const self: LookupValue = { id, table: table.logicalName };
    for (const bind of payload.collectionBinds) this.associate(table, self, bind);
    return this.tx.get(table.logicalName, id)!;
  }

  /** Deletes a row (the caller has checked it may see it), with Dataverse's cascade for parental relationships. */
  delete(table: TableDef, row: StoredRow): void {
    this.requirePrivilege(table, 'delete');
    if (this.ctx.enforcePermissions && !this.engine.access.allows(this.ctx.user, table.logicalName, row, 'delete', this.tx)) {
      throw this.denied('delete', table.logicalName);
    }
    this.deleteCascading(table, String(row[table.primaryKey]));
  }

  /**
   * Sets or clears a single-valued navigation property (`PUT …/customerid_account/$ref`,
   * `DELETE …/customerid_account/$ref`).
   */
  setReference(table: TableDef, existing: StoredRow, navigation: string, referenceText: string | null): StoredRow {
    const body: Record<string, unknown> = { [`${navigation}@odata.bind`]: referenceText };
    return this.update(table, existing, body);
  }

  /** Adds an existing row to a collection-valued navigation property (`POST …/order_details/$ref`). */
  addToCollection(table: TableDef, existing: StoredRow, navigation: string, referenceText: string): void {
    this.requirePrivilege(table, 'write');
    const nav = navigationOf(table, navigation);
    if (!nav || nav.kind !== 'collection') throw unknownProperty(table.entitySet, table.logicalName, navigation);
    const related = this.requireTable(nav.table, navigation);
    const reference = this.parseReference(table, referenceText);
    this.associate(table, { id: String(existing[table.primaryKey]), table: table.logicalName }, {
      navigation,
      related,
      referencingColumn: nav.referencingColumn,
      references: [reference],
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Payload conversion

  private convert(table: TableDef, body: unknown, mode: 'create' | 'update'): Payload {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badPayload(table.entitySet, 'The request body must be a JSON object.');
    }
    const payload: Payload = { values: {}, binds: [], collectionBinds: [], deepCollections: [], deepSingles: [] };
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key.startsWith('@')) continue; // @odata.type, @odata.context, @odata.etag: control information
      const at = key.indexOf('@');
      if (at > 0) {
        this.convertAnnotated(table, key.slice(0, at), key.slice(at + 1), value, mode, payload);
        continue;
      }
      if (lookupColumnOfValueName(table, key)) {
        throw badPayload(
          table.entitySet,
          'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
        );
      }
      const column = columnOf(table, key);
      if (column && !isLookupType(column.type)) {
        if (key === table.primaryKey) {
          if (!isGuid(value)) throw this.typeError(table, key, column, value);
          payload.values[key] = value.toLowerCase();
          continue;
        }
        if (column.readOnly) continue; // Dataverse ignores values for read-only columns
        this.checkFieldEnabled(table, key);
        payload.values[key] = this.validateValue(table, key, column, value);
        continue;
      }
      const nav = navigationOf(table, key);
      if (nav) {
        const related = this.requireTable(nav.table, key);
        if (nav.kind === 'collection') {
          if (mode !== 'create') {
            throw badPayload(table.entitySet, `Deep insert through '${key}' is only supported when creating a ${table.logicalName}.`);
          }
          if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
            throw badPayload(table.entitySet, `The value of the collection-valued navigation property '${key}' must be an array of objects.`);
          }
          payload.deepCollections.push({
            navigation: key,
            related,
            referencingColumn: nav.referencingColumn,
            items: value as Record<string, unknown>[],
          });
        } else {
          if (mode !== 'create' || typeof value !== 'object' || value === null || Array.isArray(value)) {
            throw badPayload(
              table.entitySet,
              `A navigation property '${key}' needs an object (deep insert on create) or '${key}@odata.bind' with an entity reference.`,
            );
          }
          this.checkFieldEnabled(table, nav.column);
          payload.deepSingles.push({ column: nav.column, navigation: key, target: related, body: value as Record<string, unknown> });
        }
        continue;
      }
      throw unknownProperty(table.entitySet, table.logicalName, key);
    }
    return payload;
  }

  private convertAnnotated(
    table: TableDef,
    property: string,
    annotation: string,
    value: unknown,
    mode: 'create' | 'update',
    payload: Payload,
  ): void {
    const nav = navigationOf(table, property);
    if (annotation !== 'odata.bind') {
      // An instance annotation of a declared property (a formatted value sent back, say): ignored.
      if (nav || columnOf(table, property) || lookupColumnOfValueName(table, property)) return;
      throw undeclaredAnnotatedProperty(table, property);
    }
    if (!nav) throw undeclaredAnnotatedProperty(table, property);
    if (nav.kind === 'single') {
      this.checkFieldEnabled(table, nav.column);
      if (value === null) {
        payload.values[nav.column] = null;
        return;
      }
      if (typeof value !== 'string') {
        throw badPayload(table.entitySet, `The value of '${property}@odata.bind' must be a string holding an entity reference.`);
      }
      payload.binds.push({ column: nav.column, navigation: property, target: nav.table, reference: this.parseReference(table, value) });
      return;
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw badPayload(table.entitySet, `The value of '${property}@odata.bind' must be an array of entity references.`);
    }
    if (mode !== 'create' && mode !== 'update') return;
    payload.collectionBinds.push({
      navigation: property,
      related: this.requireTable(nav.table, property),
      referencingColumn: nav.referencingColumn,
      references: (value as string[]).map((text) => this.parseReference(table, text)),
    });
  }

  /** Checks a JSON value against a column's type and converts it to its stored form. */
  private validateValue(table: TableDef, name: string, column: ColumnDef, value: unknown): StoredValue {
    if (value === null) return null;
    const fail = () => this.typeError(table, name, column, value);
    switch (column.type) {
      case 'string':
      case 'memo':
        if (typeof value !== 'string') throw fail();
        if (column.maxLength !== undefined && value.length > column.maxLength) {
          throw new EmulatorError(
            400,
            DATAVERSE_CODES.validation,
            `A validation error occurred.  The length of the '${name}' attribute of the '${table.logicalName}' entity exceeded the maximum allowed length of '${column.maxLength}'.`,
          );
        }
        return value;
      case 'integer':
      case 'picklist':
      case 'state':
      case 'status':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < -2147483648 || value > 2147483647) throw fail();
        if (column.options && column.type !== 'integer' && !(value in column.options)) {
          const accepted = Object.keys(column.options).join(',');
          throw new EmulatorError(
            400,
            DATAVERSE_CODES.validation,
            `A validation error occurred. The value ${value} of '${name}' on record of type '${table.logicalName}' is outside the valid range. Accepted Values: ${accepted}`,
          );
        }
        return value;
      case 'bigint':
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail();
        return value;
      case 'decimal':
      case 'double':
      case 'money':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw fail();
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw fail();
        return value;
      case 'uniqueidentifier':
        if (!isGuid(value)) throw fail();
        return value.toLowerCase();
      case 'datetime': {
        if (typeof value !== 'string') throw fail();
        const normalised = column.dateOnly ? normaliseDate(value) : normaliseDateTime(value);
        if (normalised === undefined) throw fail();
        return normalised;
      }
      case 'lookup':
      case 'customer':
      case 'owner':
        throw badPayload(
          table.entitySet,
          'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
        );
    }
  }

  private typeError(table: TableDef, name: string, column: ColumnDef, value: unknown): EmulatorError {
    const literal = typeof value === 'string' ? value : JSON.stringify(value);
    return badPayload(
      table.entitySet,
      `Cannot convert the literal '${literal}' to the expected type '${edmTypeOf(column)}' for the property '${name}'.`,
    );
  }

  // ---------------------------------------------------------------------------------------------------------
  // References

  /**
   * Parses an entity reference as Dataverse accepts it in `@odata.bind`: `/accounts(<id>)`, `accounts(<id>)`,
   * an absolute URL of the service, or `$<Content-ID>` inside a `$batch` change set.
   */
  parseReference(table: TableDef, text: string): Reference {
    let path = text.trim();
    if (path.startsWith('$')) {
      const url = this.ctx.contentIds?.get(path.slice(1));
      if (!url) throw badRequest(`Content-ID Reference: '${path}' does not exist in the batch context.`);
      path = url;
    }
    if (/^https?:\/\//i.test(path)) {
      try {
        path = new URL(path).pathname;
      } catch {
        throw invalidReference(table, text);
      }
    }
    path = path.replace(/^\/+/, '').replace(/^api\/data\/v9\.\d\//, '').replace(/^_api\//, '');
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\(\s*(?:[A-Za-z_][A-Za-z0-9_]*=)?\{?([0-9a-fA-F-]{36})\}?\s*\)$/.exec(path);
    if (!match || !isGuid(match[2])) throw invalidReference(table, text);
    return { entitySet: match[1], id: match[2].toLowerCase(), text };
  }

  /** Checks a bind and returns the lookup value it sets. */
  private resolveBind(table: TableDef, bind: Bind): LookupValue {
    const target = this.requireTable(bind.target, bind.navigation);
    const referenced = this.engine.tableBySet(bind.reference.entitySet);
    if (!referenced) throw rowNotFoundForSet(bind.reference.entitySet);
    if (referenced.logicalName !== target.logicalName) {
      throw badPayload(
        table.entitySet,
        `A resource with type 'Microsoft.Dynamics.CRM.${referenced.logicalName}' was found, but it is not assignable to the expected type 'Microsoft.Dynamics.CRM.${target.logicalName}'. The type specified in the resource must be equal to either the expected type or a derived type.`,
      );
    }
    const row = this.tx.get(target.logicalName, bind.reference.id);
    if (!row) throw rowNotFound(target.logicalName, bind.reference.id);
    this.checkAppend(table, target.logicalName, row);
    return { id: bind.reference.id, table: target.logicalName };
  }

  /** Links existing rows of a collection to `self` (`order_details@odata.bind: [...]`, `POST …/$ref`). */
  private associate(table: TableDef, self: LookupValue, bind: CollectionBind): void {
    const selfRow = this.tx.get(self.table, self.id)!;
    for (const reference of bind.references) {
      if (reference.entitySet !== bind.related.entitySet) {
        throw badPayload(
          table.entitySet,
          `A resource with type 'Microsoft.Dynamics.CRM.${this.engine.tableBySet(reference.entitySet)?.logicalName ?? reference.entitySet}' was found, but it is not assignable to the expected type 'Microsoft.Dynamics.CRM.${bind.related.logicalName}'.`,
        );
      }
      const child = this.tx.get(bind.related.logicalName, reference.id);
      if (!child || (this.ctx.enforcePermissions && !this.engine.access.allows(this.ctx.user, bind.related.logicalName, child, 'read', this.tx))) {
        throw rowNotFound(bind.related.logicalName, reference.id);
      }
      if (this.ctx.enforcePermissions) {
        if (!this.engine.access.allows(this.ctx.user, bind.related.logicalName, child, 'append', this.tx)) {
          throw this.denied('append', bind.related.logicalName, table.logicalName);
        }
        if (!this.engine.access.allows(this.ctx.user, table.logicalName, selfRow, 'appendTo', this.tx)) {
          throw this.denied('appendTo', table.logicalName, bind.related.logicalName);
        }
      }
      this.tx.update(bind.related.logicalName, reference.id, {
        [bind.referencingColumn]: self,
        modifiedon: isoSeconds(this.engine.now()),
      });
    }
  }

  /** A row of `table` may point at `targetRow` (Append on the table, Append To on the target row). */
  private checkAppend(table: TableDef, target: string, targetRow: StoredRow): void {
    if (!this.ctx.enforcePermissions) return;
    const { access } = this.engine;
    if (!access.hasPrivilege(this.ctx.user, table.logicalName, 'append')) {
      throw this.denied('append', table.logicalName, target);
    }
    if (!access.allows(this.ctx.user, target, targetRow, 'appendTo', this.tx)) {
      throw this.denied('appendTo', target, table.logicalName);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Defaults, cascade, checks

  private applyDefaults(table: TableDef, values: Record<string, StoredValue>): void {
    const state = table.columns.statecode;
    if (state && (values.statecode === undefined || values.statecode === null)) {
      const options = Object.keys(state.options ?? { 0: '' }).map(Number);
      values.statecode = options.includes(0) ? 0 : Math.min(...options);
    }
    const status = table.columns.statuscode;
    if (status?.options && (values.statuscode === undefined || values.statuscode === null)) {
      values.statuscode = Math.min(...Object.keys(status.options).map(Number));
    }
    // Read-only columns Dataverse copies from a related row on create: a line's item number from its product.
    if (table.logicalName === 'salesorderdetail' && table.columns.productnumber) {
      const product = values.productid;
      const row = isLookupValue(product) ? this.tx.get(product.table, product.id) : undefined;
      values.productnumber = typeof row?.productnumber === 'string' ? row.productnumber : null;
    }
    const autonumber = AUTONUMBER_PREFIXES[table.logicalName];
    if (autonumber && table.columns[autonumber.column] && !values[autonumber.column]) {
      const n = this.autoNumbers.next(table.logicalName);
      let suffix = '';
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(6));
      for (const byte of bytes) suffix += AUTONUMBER_ALPHABET[byte % AUTONUMBER_ALPHABET.length];
      values[autonumber.column] = `${autonumber.prefix}-${String(n).padStart(5, '0')}-${suffix}`;
    }
  }

  private deleteCascading(table: TableDef, id: string): void {
    const parental = PARENTAL_COLLECTIONS[table.logicalName] ?? [];
    for (const [name, collection] of Object.entries(table.collections)) {
      const related = this.engine.tableOf(collection.table);
      if (!related) continue;
      for (const child of this.tx.findBy(collection.table, collection.referencingColumn, id)) {
        const childId = String(child[related.primaryKey]);
        if (parental.includes(name)) this.deleteCascading(related, childId);
        else {
          this.tx.update(collection.table, childId, {
            [collection.referencingColumn]: null,
            modifiedon: isoSeconds(this.engine.now()),
          });
        }
      }
    }
    this.tx.delete(table.logicalName, id);
  }

  private requirePrivilege(table: TableDef, privilege: DeniedOperation): void {
    if (this.ctx.enforcePermissions && !this.engine.access.hasPrivilege(this.ctx.user, table.logicalName, privilege)) {
      throw this.denied(privilege, table.logicalName);
    }
  }

  private denied(privilege: DeniedOperation, table: string, related?: string): EmulatorError {
    return privilegeDenied(privilege, table, this.ctx.user?.contactId ?? '00000000-0000-0000-0000-000000000000', related);
  }

  /** On Power Pages, a column outside the `Webapi/<table>/fields` list may not be written. */
  private checkFieldEnabled(table: TableDef, column: string): void {
    if (this.ctx.flavor !== 'powerpages') return;
    const fields = this.engine.siteSetting(table.logicalName)?.fields;
    if (fields && fields !== '*' && !fields.includes(column)) throw attributeNotEnabled(table.logicalName, column);
  }

  /** On Power Pages, a table reached by deep insert must be exposed too. */
  private requireExposed(table: TableDef): void {
    if (this.ctx.flavor === 'powerpages' && !this.engine.siteSetting(table.logicalName)?.enabled) {
      throw new EmulatorError(404, DATAVERSE_CODES.badQuery, `Resource not found for the segment '${table.entitySet}'.`, {
        portalCode: POWER_PAGES_CODES.resourceNotFound,
      });
    }
  }

  private requireTable(logicalName: string, navigation: string): TableDef {
    const table = this.engine.tableOf(logicalName);
    if (!table) {
      throw badRequest(
        `The navigation property '${navigation}' leads to table '${logicalName}', which the emulator does not declare.`,
      );
    }
    return table;
  }
}

function undeclaredAnnotatedProperty(table: TableDef, property: string): EmulatorError {
  return badPayload(
    table.entitySet,
    `An undeclared property '${property}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
    {
      code: POWER_PAGES_CODES.invalidAttribute,
      message: `Attribute ${property} cannot be found for table ${table.logicalName}.`,
    },
  );
}

function invalidReference(table: TableDef, text: string): EmulatorError {
  return badPayload(
    table.entitySet,
    `The entity reference '${text}' is not valid: expected a URL such as '/accounts(00000000-0000-0000-0000-000000000001)'.`,
  );
}

function rowNotFoundForSet(entitySet: string): EmulatorError {
  return new EmulatorError(404, DATAVERSE_CODES.badQuery, `Resource not found for the segment '${entitySet}'.`, {
    portalCode: POWER_PAGES_CODES.resourceNotFound,
  });
}

/** `2025-03-01T14:05:00Z` from any ISO 8601 date-time with `Z` or an offset (or a plain date → midnight UTC). */
function normaliseDateTime(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00Z`;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : isoSeconds(new Date(ms));
}

/** `2025-03-01` from a date (or from a date-time: its UTC date, as Dataverse keeps date-only values). */
function normaliseDate(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : value;
  }
  const dateTime = normaliseDateTime(value);
  return dateTime?.slice(0, 10);
}
