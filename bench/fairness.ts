import { rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { startConveyor } from '../runtime/compose';
import { installQuietRuntime } from '../worker/create-worker';
import { type ApiClient, apiClient, seedCollection } from './engine';
import { profileRun } from './fairness-profile';
import { writeResultsSection } from './results-file';
import { benchRuntime } from './runtime-config';

/**
 * `npm run bench:fairness`: how long a small run takes behind other runs' backlogs, with and
 * without fair sharing, and the shares of two backlogged tenants by weight. "Without" puts the
 * small run in the backlog's own tenant (one fairness key: first come, first served); "with"
 * puts it in another tenant.
 */
const log = (line: string) => console.log(`[fairness] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BACKLOGS = (process.env.FAIRNESS_BACKLOGS ?? '0,1,3,12,50').split(',').map(Number);
const LARGE_ITEMS = 10_000;
/** The backlog whose small runs are taken apart by their histories. */
const PROFILED_BACKLOG = 12;
/** The large runs' tenant's parallelism in the last column: 4 batches a run instead of 16. */
const BOUNDED_PARALLELISM = 4;
/** 50 items of 20 ms, 10 at a time: a 100 ms batch, so a backlog is many short dispatches. */
const largeJob = {
  name: 'large',
  stages: [
    { name: 'work', handler: 'noop', params: { delayMs: 20 }, concurrency: 10, batchSize: 50 },
  ],
};
const smallJob = { name: 'small', stages: [{ name: 'only', handler: 'noop' }] };

async function until(api: ApiClient, id: string, done: (operation: any) => boolean) {
  for (;;) {
    const operation = await api('GET', `/v1/operations/${id}`);
    if (done(operation)) return operation;
    await sleep(50);
  }
}

const finalStatus = (operation: { status: string }) =>
  ['completed', 'failed', 'cancelled'].includes(operation.status);

interface SmallRun {
  seconds: number;
  id: string;
}

async function smallRun(api: ApiClient, collectionId: string): Promise<SmallRun> {
  const started = performance.now();
  const { id } = await api('POST', '/v1/operations', { job: 'small', collectionId });
  await until(api, id, finalStatus);
  return { seconds: (performance.now() - started) / 1000, id };
}

/** One small run is one sample of a noisy wait: the median of three, one after another. */
async function medianSmallRun(api: ApiClient, collectionId: string): Promise<SmallRun> {
  const samples: SmallRun[] = [];
  for (let i = 0; i < 3; i++) samples.push(await smallRun(api, collectionId));
  return samples.sort((a, b) => a.seconds - b.seconds)[1] as SmallRun;
}

/** `count` large runs of tenant A, then the small run of `small`'s tenant (its median of 3). */
async function behindBacklog(
  backlog: { api: ApiClient; collection: string },
  small: { api: ApiClient; collection: string },
  count: number,
): Promise<SmallRun> {
  const large: string[] = [];
  for (let i = 0; i < count; i++) {
    large.push(
      (
        await backlog.api('POST', '/v1/operations', {
          job: 'large',
          collectionId: backlog.collection,
        })
      ).id,
    );
  }
  if (count > 0) await sleep(1_000);
  const run = await medianSmallRun(small.api, small.collection);
  for (const id of large) await backlog.api('POST', `/v1/operations/${id}/cancel`).catch(() => {});
  for (const id of large) await until(backlog.api, id, finalStatus);
  return run;
}

/** Item-stages done by each tenant's two runs over 4 s while both have work waiting. */
async function shares(tenants: { api: ApiClient; collection: string }[]): Promise<number[]> {
  // Four runs each: enough work waiting through the window on 20 batch slots.
  const runs = await Promise.all(
    tenants.map(async ({ api, collection }) => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        ids.push(
          (await api('POST', '/v1/operations', { job: 'large', collectionId: collection })).id,
        );
      }
      return ids;
    }),
  );
  const done = async (api: ApiClient, ids: string[]) => {
    let sum = 0;
    for (const id of ids) sum += (await api('GET', `/v1/operations/${id}`)).counts.done;
    return sum;
  };
  await sleep(2_000);
  const before = await Promise.all(tenants.map(({ api }, i) => done(api, runs[i] ?? [])));
  await sleep(4_000);
  const after = await Promise.all(tenants.map(({ api }, i) => done(api, runs[i] ?? [])));
  for (const [i, { api }] of tenants.entries()) {
    for (const id of runs[i] ?? [])
      await api('POST', `/v1/operations/${id}/cancel`).catch(() => {});
    for (const id of runs[i] ?? []) await until(api, id, finalStatus);
  }
  return after.map((count, i) => count - (before[i] ?? 0));
}

async function main() {
  const { dataDir, config } = benchRuntime(
    'fairness',
    { api: 3120, temporal: 7353, ui: 8353, postgres: 5552 },
    'fairness',
  );
  installQuietRuntime({ level: 'ERROR' });
  log(`starting the embedded runtime in ${dataDir} …`);
  const conveyor = await startConveyor(config, { log });
  try {
    const mine = apiClient(conveyor.apiUrl, conveyor.adminKey);
    const tenant = await mine('POST', '/v1/tenants', { name: 'other' });
    const theirs = apiClient(conveyor.apiUrl, tenant.key);
    const collections = { mine: { large: '', small: '' }, theirs: { large: '', small: '' } };
    for (const [api, target] of [
      [mine, collections.mine],
      [theirs, collections.theirs],
    ] as const) {
      await api('POST', '/v1/jobs', largeJob);
      await api('POST', '/v1/jobs', smallJob);
      target.large = await seedCollection(api, `large-${Date.now()}`, LARGE_ITEMS);
      target.small = await seedCollection(api, `small-${Date.now()}`, 100);
    }
    const tenants = (await mine('GET', '/v1/tenants')).data as { id: string; name: string }[];
    const [mineId, theirsId] = ['default', 'other'].map(
      (name) => tenants.find((t) => t.name === name)?.id,
    );
    const temporal = new Client({
      connection: await Connection.connect({ address: conveyor.endpoints.temporalAddress }),
    });
    const rows: string[] = [];
    const profiles: string[] = [];
    const profileRow = async (what: string, run: SmallRun) => {
      const p = await profileRun(temporal, run.id);
      return `| ${what} | ${p.totalMs} | ${p.dispatchMs} | ${p.workflowTasksMs} | ${p.batchesMs} |`;
    };
    for (const count of BACKLOGS) {
      const backlog = { api: mine, collection: collections.mine.large };
      const unfair = await behindBacklog(
        backlog,
        { api: mine, collection: collections.mine.small },
        count,
      );
      const fair = await behindBacklog(
        backlog,
        { api: theirs, collection: collections.theirs.small },
        count,
      );
      await mine('PATCH', `/v1/tenants/${mineId}`, { parallelism: BOUNDED_PARALLELISM });
      const bounded = await behindBacklog(
        backlog,
        { api: theirs, collection: collections.theirs.small },
        count,
      );
      await mine('PATCH', `/v1/tenants/${mineId}`, { parallelism: 16 });
      const [u, f, b] = [unfair, fair, bounded].map((run) => run.seconds.toFixed(2));
      log(
        `behind ${count} large runs: ${u} s in their tenant, ${f} s in another, ${b} s with the backlog's parallelism at ${BOUNDED_PARALLELISM}`,
      );
      rows.push(`| ${count} | ${u} | ${f} | ${b} |`);
      if (count === PROFILED_BACKLOG) {
        profiles.push(await profileRow(`behind ${count}, another tenant`, fair));
        profiles.push(
          await profileRow(`behind ${count}, parallelism ${BOUNDED_PARALLELISM}`, bounded),
        );
      }
    }
    const aloneRun = await medianSmallRun(theirs, collections.theirs.small);
    const alone = aloneRun.seconds;
    profiles.unshift(await profileRow('alone', aloneRun));
    await temporal.connection.close();
    const shareRows: string[] = [];
    for (const weights of [
      [1, 1],
      [3, 1],
    ]) {
      for (const [i, id] of [mineId, theirsId].entries()) {
        await mine('PATCH', `/v1/tenants/${id}`, { fairnessWeight: weights[i] });
      }
      const [a = 0, b = 0] = await shares([
        { api: mine, collection: collections.mine.large },
        { api: theirs, collection: collections.theirs.large },
      ]);
      log(`weights ${weights.join(':')}: ${a} and ${b} item-stages in 4 s`);
      shareRows.push(
        `| ${weights.join(' : ')} | ${a} : ${b} | ${(a / Math.max(b, 1)).toFixed(2)} |`,
      );
    }
    const section = [
      '<!-- fairness:start -->',
      '## Priorities and fair sharing (`npm run bench:fairness`)',
      '',
      `Last written ${new Date().toISOString()} on the embedded runtime with its worker (20 batch slots) in the API's process. A large run is ${LARGE_ITEMS.toLocaleString('en-US')} items of 20 ms each, 10 at a time, in batches of 50 (100 ms batches, 16 in flight per run unless the last column bounds them); the small run is 100 no-op items, started 1 s after the large ones, three times one after another (the median is shown). "Same tenant" is the small run in the large runs' tenant, where Temporal serves tasks first come, first served (as without fairness); "another tenant" is the small run under its own fairness key. The small run alone: ${alone.toFixed(2)} s (median of 3).`,
      '',
      `| large runs waiting | small run, same tenant (s) | small run, another tenant (s) | another tenant, backlog's parallelism ${BOUNDED_PARALLELISM} (s) |`,
      '|---|---|---|---|',
      ...rows,
      '',
      `Where the small run's time goes, from its own Temporal history (ms): waiting for a worker (what fairness orders), workflow tasks at work (mostly bookkeeping local activities, i.e. Postgres statements) and the batch at work:`,
      '',
      '| small run | total | waiting for dispatch | workflow tasks | batch |',
      '|---|---|---|---|---|',
      ...profiles,
      '',
      'Shares of two tenants, each with four large runs waiting, over 4 s (item-stages done):',
      '',
      '| weights | item-stages | ratio |',
      '|---|---|---|',
      ...shareRows,
      '<!-- fairness:end -->',
    ].join('\n');
    writeResultsSection('fairness', section);
    console.log(`\n${section}\nWritten to bench/results.md`);
  } finally {
    await conveyor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`The fairness benchmark failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
