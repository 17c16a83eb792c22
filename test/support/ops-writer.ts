/**
 * Child process of the kill -9 test (test/node/ops-persistence.test.ts): opens a persistent emulator and writes
 * batches as fast as it can, each batch one transaction of BATCH_SIZE new rows, printing `committed <n>` after
 * each commit, until it is killed.
 *
 * Usage: node --import tsx test/support/ops-writer.ts <dataDir> <seedOptionsJson>
 */
import { openEmulator } from '../../src/emulator/node.js';

export const BATCH_SIZE = 5;

const [dataDir, seedJson] = process.argv.slice(2);
const opened = await openEmulator({ dataDir, seed: JSON.parse(seedJson), scmClock: 'manual' });
process.stdout.write('ready\n');
for (let batch = 1; ; batch++) {
  opened.emulator.write((writer) => {
    for (let i = 0; i < BATCH_SIZE; i++) {
      writer.create('salesorder', { name: `batch ${batch} row ${i}`, msdyn_customersorderreference: `batch-${batch}` });
    }
  });
  process.stdout.write(`committed ${batch}\n`);
}
