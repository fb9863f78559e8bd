/**
 * The version-2 batch activity alone (docs/ledger.md): `processSlice` run in this process as
 * Temporal would run it (MockActivityEnvironment), over slices of a frozen 10,000-item chunked
 * scope through three fused no-op stages, against embedded Postgres with durable commits. No
 * Temporal server and no workflow: what one item-stage costs the worker's JavaScript and
 * Postgres, to iterate on the hot path in seconds rather than through the whole engine.
 *
 *   npx tsx bench/slice-cpu.ts     (SLICE_ITEMS=10000, SLICE_SIZE=1000; ~30 s)
 */
import { rmSync } from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSliceActivities } from '../activities/process-slice';
import { connectDatabase } from '../db/client';
import { markOperationRunning } from '../db/operations';
import { freezeScope } from '../db/outcomes';
import { builtInHandlers, createHandlerRegistry } from '../handlers/registry';
import { startConveyor } from '../runtime/compose';
import { installQuietRuntime } from '../worker/create-worker';
import { cpuBetween, cpuByPart } from './cpu-split';
import { apiClient, noopJob, seedCollection } from './engine';
import { benchRuntime } from './runtime-config';

const ITEMS = Number(process.env.SLICE_ITEMS ?? 10_000);
const SIZE = Number(process.env.SLICE_SIZE ?? 1_000);
const CHUNK = 2_000;
const STAGES = 3;
const RUNS = 3;
const log = (line: string) => console.log(`[slice-cpu] ${line}`);

async function main() {
  const { dataDir, config } = benchRuntime(
    'slice-cpu',
    { api: 3300, temporal: 7533, ui: 8533, postgres: 5732 },
    'slice-cpu',
  );
  installQuietRuntime({ level: 'ERROR' });
  const conveyor = await startConveyor(
    { ...config, LEDGER_VERSION: 2 },
    { log: () => {}, startWorker: false },
  );
  const database = connectDatabase(conveyor.endpoints.databaseUrl, { max: 4 });
  const handlers = createHandlerRegistry(builtInHandlers);
  const { processSlice } = createSliceActivities({ database, handlers });
  try {
    const api = apiClient(conveyor.apiUrl, conveyor.adminKey);
    await api('POST', '/v1/jobs', noopJob('slice-noop', STAGES));
    const figures: string[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const collectionId = await seedCollection(api, `slice-${run}`, ITEMS);
      // No worker polls: the operation's workflow waits, and this process is its batches.
      const { id } = await api('POST', '/v1/operations', { job: 'slice-noop', collectionId });
      const [row] = await database.sql<{ key: number }[]>`
        select key from operations where id = ${id}`;
      const key = row?.key ?? 0;
      const chunks = await freezeScope(database.sql, key, { collectionId }, CHUNK);
      await markOperationRunning(database.sql, id, ITEMS, null);
      const inputs = chunks.flatMap((size, chunkIndex) =>
        Array.from({ length: Math.ceil(size / SIZE) }, (_, slice) => ({
          operationId: id,
          chunkIndex,
          from: slice * SIZE + 1,
          to: Math.min(size, (slice + 1) * SIZE),
          stages: [0, 1, 2],
        })),
      );
      const cpuBefore = cpuByPart(undefined, dataDir);
      const ownBefore = process.cpuUsage();
      const started = performance.now();
      // Two batches in flight, as two lanes of a chunk would run them.
      const lanes = [inputs.filter((_, i) => i % 2 === 0), inputs.filter((_, i) => i % 2 === 1)];
      await Promise.all(
        lanes.map(async (lane) => {
          for (const input of lane) await new MockActivityEnvironment().run(processSlice, input);
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const own = process.cpuUsage(ownBefore);
      const postgres = cpuBetween(cpuBefore, cpuByPart(undefined, dataDir)).Postgres ?? 0;
      const itemStages = ITEMS * STAGES;
      const [written] = await database.sql<{ done: number }[]>`
        select count(*)::int as done from outcomes where operation_key = ${key} and status = 'done'`;
      if (written?.done !== itemStages) {
        throw new Error(`run ${run} recorded ${written?.done} outcomes done of ${itemStages}`);
      }
      const line = `run ${run}: ${Math.round(itemStages / seconds)} item-stages/s; worker JS ${((own.user + own.system) / itemStages).toFixed(1)} µs, Postgres ${((postgres * 1e6) / itemStages).toFixed(1)} µs per item-stage`;
      if (run === 0) log(`warm-up ${line}`);
      else figures.push(line);
      await api('POST', `/v1/operations/${id}/cancel`).catch(() => undefined);
    }
    for (const line of figures) log(line);
  } finally {
    await database.close();
    await conveyor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
