/**
 * Where the worker's CPU goes per item-stage (docs/ledger.md, phase 1): the engine's worker as a
 * process of its own under `--cpu-prof`, `PROFILE_RUNS` operations of `PROFILE_ITEMS` × 3 no-op
 * stages on an embedded runtime (durable settings), then the profile's self time summed by
 * function and by source file. Writes bench/worker-profile-v<ledger>.md (LEDGER_VERSION chooses
 * the ledger its operations are recorded in); the raw .cpuprofile stays in
 * .cache/profiles/ (open it in Chrome's DevTools).
 *
 *   npx tsx bench/profile-worker.ts     (~2 min)
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startConveyor } from '../runtime/compose';
import { bundleWorkflows, installQuietRuntime } from '../worker/create-worker';
import { cpuBetween, cpuByPart, cpuByThread } from './cpu-split';
import { apiClient, noopJob, runEngineOnce, seedCollection } from './engine';
import { benchRuntime } from './runtime-config';
import { startWorkerProcess } from './worker-process';

const RUNS = Number(process.env.PROFILE_RUNS ?? 3);
const ITEMS = Number(process.env.PROFILE_ITEMS ?? 10_000);
const STAGES = 3;
const PROFILE_DIR = resolve('.cache', 'profiles');
/** PROFILE=off runs the worker without the profiler, for the CPU split alone. */
const PROFILING = process.env.PROFILE !== 'off';
const log = (line: string) => console.log(line);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time in µs per key (a function, or a file), from a V8 CPU profile. */
function selfTime(profile: CpuProfile, keyOf: (node: ProfileNode) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    if (!node) return;
    const key = keyOf(node);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return totals;
}

function fileOf(url: string): string {
  if (!url) return '(native or idle)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return `npm: ${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith('node:')) return path;
  return relative(process.cwd(), path);
}

function top(totals: Map<string, number>, itemStages: number, count: number): string[] {
  const all = [...totals.values()].reduce((sum, value) => sum + value, 0);
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, us]) =>
        `| ${key.replaceAll('|', '\\|')} | ${(us / itemStages).toFixed(2)} | ${((100 * us) / all).toFixed(1)}% |`,
    );
}

async function main() {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const { dataDir, config } = benchRuntime(
    'profile',
    { api: 3200, temporal: 7433, ui: 8433, postgres: 5632 },
    'profile',
  );
  installQuietRuntime({ level: 'ERROR' });
  const conveyor = await startConveyor(config, { log, startWorker: false });
  const bundlePath = join(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflows()).code);
  const before = new Set(readdirSync(PROFILE_DIR));
  const worker = await startWorkerProcess(
    {
      WORKFLOW_BUNDLE_PATH: bundlePath,
      DATABASE_URL: conveyor.endpoints.databaseUrl,
      TEMPORAL_ADDRESS: conveyor.endpoints.temporalAddress,
      TASK_QUEUE: config.TASK_QUEUE,
      LOG_LEVEL: 'warn',
    },
    log,
    PROFILING ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  );
  const temporal = new Client({
    connection: await Connection.connect({ address: conveyor.endpoints.temporalAddress }),
  });
  let workerCpuSeconds = 0;
  let parts: Record<string, number> = {};
  let threads: Record<string, number> = {};
  try {
    const api = apiClient(conveyor.apiUrl, conveyor.adminKey);
    await api('POST', '/v1/jobs', noopJob('profile-noop', STAGES));
    // One run first, outside the figures: the worker's code is cold.
    await runEngineOnce(api, temporal, {
      run: 0,
      items: 1_000,
      job: 'profile-noop',
      chunkSize: config.CHUNK_SIZE,
      log: () => {},
    });
    // Seeded first: the CPU figures are of the operations' work alone.
    const collections: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      collections.push(await seedCollection(api, `profile-${run}`, ITEMS));
    }
    const cpuBefore = cpuByPart(worker.pid, dataDir);
    const threadsBefore = cpuByThread(worker.pid);
    for (let run = 1; run <= RUNS; run++) {
      const result = await runEngineOnce(api, temporal, {
        collectionId: collections[run - 1],
        run,
        items: ITEMS,
        job: 'profile-noop',
        chunkSize: config.CHUNK_SIZE,
        log: () => {},
      });
      log(
        `run ${run}: ${Math.round(result.itemStagesPerSecond)} item-stages/s, ${result.batches} batches`,
      );
    }
    parts = cpuBetween(cpuBefore, cpuByPart(worker.pid, dataDir));
    threads = cpuBetween(threadsBefore, cpuByThread(worker.pid));
    workerCpuSeconds = parts.worker ?? 0;
  } finally {
    await temporal.connection.close();
    await worker.stop();
    await conveyor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const measured = RUNS * ITEMS * STAGES;
  const split = (seconds: Record<string, number>) =>
    Object.entries(seconds)
      .filter(([, value]) => value > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, value]) => `| ${name} | ${((value * 1e6) / measured).toFixed(1)} |`);
  const cpuTables = [
    '## CPU per item-stage over the measured runs, from /proc',
    '',
    '| part | µs per item-stage |',
    '|---|---|',
    ...split(parts),
    '',
    '| worker thread | µs per item-stage |',
    '|---|---|',
    ...split(threads),
    '',
  ];
  for (const line of cpuTables) log(line);
  if (!PROFILING) return;
  const written = readdirSync(PROFILE_DIR).filter((name) => !before.has(name));
  const file = written.find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the worker wrote no profile into ${PROFILE_DIR}`);
  const profile = JSON.parse(readFileSync(join(PROFILE_DIR, file), 'utf8')) as CpuProfile;
  // The whole profile includes the warm-up and start; its shares are what this reads.
  const itemStages = (RUNS * ITEMS + 1_000) * STAGES;
  const byFunction = selfTime(
    profile,
    (node) =>
      `${node.callFrame.functionName || '(anonymous)'} ${fileOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`,
  );
  const byFile = selfTime(profile, (node) => fileOf(node.callFrame.url));
  const lines = [
    '# Where the worker spends its CPU',
    '',
    `Run ${new Date().toISOString()} by \`LEDGER_VERSION=${config.LEDGER_VERSION} npx tsx bench/profile-worker.ts\`: ${RUNS} operations of ${ITEMS.toLocaleString('en')} items × ${STAGES} no-op stages (after a warm-up of 1,000), embedded runtime with durable settings, the worker under \`--cpu-prof\`. Worker CPU over the measured runs from /proc: ${((workerCpuSeconds * 1e6) / (RUNS * ITEMS * STAGES)).toFixed(1)} µs per item-stage (the profiler adds its own share). Self time below is per item-stage over the whole profile, start and warm-up included. Profile: \`.cache/profiles/${file}\`.`,
    '',
    ...cpuTables,
    '## By source',
    '',
    '| source | µs per item-stage | share |',
    '|---|---|---|',
    ...top(byFile, itemStages, 20),
    '',
    '## By function',
    '',
    '| function | µs per item-stage | share |',
    '|---|---|---|',
    ...top(byFunction, itemStages, 40),
    '',
  ];
  const report = `bench/worker-profile-v${config.LEDGER_VERSION}.md`;
  writeFileSync(report, lines.join('\n'));
  log(`written: ${report}`);
}

await main();
