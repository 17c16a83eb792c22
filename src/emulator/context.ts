/**
 * What the parts of the request handler share: the engine (tables, store, permissions, clock) and the context of
 * one request (which API, its service root, who is calling).
 */
import type { TableDef } from '../tables/schema.js';
import type { AccessControl } from './access.js';
import type { ApiFlavor } from './errors.js';
import type { FormatSettings } from './format.js';
import type { WebApiTableSetting } from './permissions.js';
import type { EmulatorStore } from './store.js';
import type { SeedUser } from './types.js';

/** The parts of the emulator every operation uses. */
export interface Engine {
  readonly tables: Readonly<Record<string, TableDef>>;
  readonly store: EmulatorStore;
  readonly access: AccessControl;
  readonly now: () => Date;
  readonly format: FormatSettings;
  /** Table by logical name. */
  tableOf(logicalName: string): TableDef | undefined;
  /** Table by entity set name (case-sensitive, as Dataverse). */
  tableBySet(entitySet: string): TableDef | undefined;
  /** Power Pages `Webapi/<table>/…` site settings of a table; `undefined` = not exposed. */
  siteSetting(logicalName: string): WebApiTableSetting | undefined;
}

/** One API request's context. */
export interface ApiContext {
  readonly flavor: ApiFlavor;
  /** Service root with a trailing slash: `https://host/api/data/v9.2/` or `https://host/_api/`. */
  readonly base: string;
  /** The caller; `undefined` only for the emulator's own system writes. */
  readonly user: SeedUser | undefined;
  /** Whether table permissions apply (false for system writes through {@link Engine}). */
  readonly enforcePermissions: boolean;
  /** `$batch` change set: `Content-ID` → the URL of the row that request created. */
  readonly contentIds?: ReadonlyMap<string, string>;
}
