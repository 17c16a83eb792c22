/**
 * The local Dataverse + Power Pages emulator (`scm-portal-elements/emulator`): answers the Dataverse Web API
 * (`/api/data/v9.2/`) and the Power Pages Web API (`/_api/`) from in-memory tables, with the Customer portal's
 * table permissions, in Node and in the browser.
 *
 * ```ts
 * import { Emulator, MemoryStore, createEmulatorFetch, generateSeed, lookupIndexes } from 'scm-portal-elements/emulator';
 * import { tables } from 'scm-portal-elements/tables';
 *
 * const seed = generateSeed();
 * const store = new MemoryStore({ indexes: lookupIndexes(tables) });
 * store.load(seed.tables);
 * const emulator = new Emulator({ store, tables, users: seed.users });
 * const fetch = createEmulatorFetch(emulator);
 * ```
 *
 * @module
 */
export {
  Emulator,
  DATAVERSE_PATH,
  POWER_PAGES_PATH,
  MAX_COUNT,
  DELTA_TOKEN_LIFETIME_MS,
  flavorOf,
  type EmulatorOptions,
  type RequestIdentity,
  type SystemWriter,
} from './emulator.js';
export { createEmulatorFetch, DEFAULT_EMULATOR_ORIGIN, type EmulatorFetch, type EmulatorFetchOptions } from './fetch.js';
export {
  fromRequest,
  toResponse,
  jsonResponse,
  emptyResponse,
  errorResponse,
  type EmulatorMiddleware,
  type EmulatorRequest,
  type EmulatorResponse,
} from './http.js';
export { MemoryStore, type MemoryStoreOptions } from './store/memory.js';
export {
  DuplicateKeyError,
  MissingRowError,
  type ChangesSince,
  type EmulatorStore,
  type StoreChange,
  type StoreReader,
  type StoreTransaction,
} from './store.js';
export { lookupIndexes } from './indexes.js';
export {
  TABLE_PERMISSIONS,
  WEB_API_SITE_SETTINGS,
  SCOPE_COLUMNS,
  type AccessType,
  type CreateRequirement,
  type Privilege,
  type TablePermission,
  type WebApiTableSetting,
} from './permissions.js';
export { AccessControl, type ScopeIdentity } from './access.js';
export { ListCache, DEFAULT_LIST_CACHE_ENTRIES, type ListCacheStats } from './list-cache.js';
export { ANTI_FORGERY_HEADER, SESSION_COOKIE, DEFAULT_TOKEN_LIFETIME } from './auth.js';
export {
  EmulatorError,
  DATAVERSE_CODES,
  POWER_PAGES_CODES,
  type ApiFlavor,
  type EmulatorErrorOptions,
} from './errors.js';
export { metadataDocument, serviceDocument } from './metadata.js';
export { generateSeed, defaultSeedOptions, SEED_VERSION, type SeedOptions } from './seed/index.js';
export {
  isLookupValue,
  type LookupValue,
  type SeedData,
  type SeedUser,
  type StoredRow,
  type StoredValue,
  type WebRole,
} from './types.js';
// Operations around the core (browser-safe): fault injection, service protection, the simulated SCM. Install them
// with `emulator.use(x.middleware)`; `scm-portal-elements/emulator/node` wires all three in `openEmulator`.
export { FaultInjector, LATENCY_SPIKE_MS, type FaultSettings, type FaultCounters } from './faults.js';
export { ServiceProtection, DEFAULT_LIMITS, PROTECTION_CODES, type ProtectionLimits, type UserUsage } from './protection.js';
export {
  ScmSimulator,
  scmPathOf,
  scmScenarioOf,
  taxRateOf,
  TAX_RATE,
  DEFAULT_SCM_INTERVAL_MS,
  type ScmClockMode,
  type ScmHost,
  type ScmMove,
  type ScmOrderState,
  type ScmScenario,
  type ScmSimulatorOptions,
} from './scm.js';
