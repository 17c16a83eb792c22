/**
 * Deterministic seed data for the emulator. See {@link generateSeed}.
 *
 * @module
 */
export { generateSeed, defaultSeedOptions, hostileStrings, SEED_VERSION } from './generate.js';
export type { SeedOptions } from './generate.js';
export { SeededRandom } from './random.js';
