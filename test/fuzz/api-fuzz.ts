/**
 * Fuzzes the running API from its own document: schemathesis (from PyPI, pinned, installed
 * into .cache) with every check, authenticated as the admin of a seeded tenant, bounded in
 * time. The tenant holds a job, a collection, a finished operation, a schedule and a webhook,
 * and routes by id are sent their ids (fuzz_hooks.py); webhook targets follow the deployment's
 * default policy (private ones refused). Each run takes a fresh seed and prints it. Exits
 * non-zero on any failure, naming where schemathesis's report is.
 *
 *   npm run test:fuzz            FUZZ_SECONDS=120 (default) bounds the run
 *   FUZZ_SEED=123 npm run test:fuzz    replays a run
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout } from 'node:timers/promises';
import { loadConfig } from '../../common/config';
import { FINISHED_STATUSES, type OperationStatus } from '../../common/operation-statuses';
import { startConveyor } from '../../runtime/compose';
import { freePort } from '../../runtime/ports';
import { installQuietRuntime } from '../../worker/create-worker';

const SCHEMATHESIS_VERSION = '4.32.5';
const REPO = resolve(import.meta.dirname, '../..');
const CACHE = join(REPO, '.cache', 'schemathesis');
const seconds = Number(process.env.FUZZ_SECONDS ?? 120);
const fuzzSeed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);

function log(line: string) {
  console.log(`[fuzz] ${line}`);
}

/**
 * Schemathesis closes with a pytest-style rule ("==== 4 warnings in 120.12s ====") that names
 * no test counts, which CI's reader takes for a run that executed nothing. Its counts are on
 * the "Test cases" line above it, so the rule is reprinted as plain text.
 */
function readable(line: string): string {
  const closing = /^=+ (.+ in [\d.]+s) =+$/.exec(line);
  return closing ? `schemathesis finished: ${closing[1]}` : line;
}

/** Installs the pinned schemathesis once; later runs reuse the cache. */
function ensureSchemathesis(): string {
  const bin = join(CACHE, 'bin', 'schemathesis');
  const versionFile = join(CACHE, `.version-${SCHEMATHESIS_VERSION}`);
  if (existsSync(bin) && existsSync(versionFile)) return bin;
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${CACHE} …`);
  rmSync(CACHE, { recursive: true, force: true });
  const pip = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--target',
      CACHE,
      `schemathesis==${SCHEMATHESIS_VERSION}`,
    ],
    { stdio: 'inherit' },
  );
  if (pip.status !== 0) {
    throw new Error(
      `pip could not install schemathesis ${SCHEMATHESIS_VERSION}; check that python3 -m pip reaches PyPI`,
    );
  }
  mkdirSync(versionFile);
  return bin;
}

async function api(
  url: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ id: string; status?: string }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; status?: string };
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** What fuzz_hooks.py swaps generated path ids for: each seeded resource under its routes. */
interface SeededResource {
  path: string;
  pattern: string;
  id: string;
}

/**
 * A job, a collection with items, a finished operation, a schedule and a webhook, so routes by
 * id have something to act on; returned for fuzz_hooks.py.
 */
async function seedState(url: string, key: string): Promise<SeededResource[]> {
  await api(url, key, 'POST', '/v1/jobs', {
    name: 'fuzz-noop',
    stages: [{ name: 'touch', handler: 'noop' }],
  });
  const collection = await api(url, key, 'POST', '/v1/collections', { name: 'fuzz-collection' });
  await api(url, key, 'POST', `/v1/collections/${collection.id}/items`, {
    items: Array.from({ length: 20 }, (_, i) => ({ key: `item-${i}`, data: { n: i } })),
  });
  const operation = await api(url, key, 'POST', '/v1/operations', {
    job: 'fuzz-noop',
    collectionId: collection.id,
  });
  for (let waited = 0; ; waited += 250) {
    const { status } = await api(url, key, 'GET', `/v1/operations/${operation.id}`);
    if (status && FINISHED_STATUSES.includes(status as OperationStatus)) break;
    if (waited > 60_000) throw new Error(`operation ${operation.id} did not finish: ${status}`);
    await setTimeout(250);
  }
  const schedule = await api(url, key, 'POST', '/v1/schedules', {
    job: 'fuzz-noop',
    collectionId: collection.id,
    spec: { cron: ['0 3 * * *'] },
  });
  const webhook = await api(url, key, 'POST', '/v1/webhooks', {
    url: 'https://hooks.example.com/conveyor',
  });
  return [
    { path: '/v1/collections/{id}', pattern: UUID, id: collection.id },
    { path: '/v1/operations/{id}', pattern: '[^/]+', id: operation.id },
    { path: '/v1/schedules/{id}', pattern: 'sch-[0-9a-f-]{36}', id: schedule.id },
    { path: '/v1/webhooks/{id}', pattern: UUID, id: webhook.id },
  ];
}

async function main() {
  const bin = ensureSchemathesis();
  const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-fuzz-'));
  chmodSync(dataDir, 0o755);
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    POSTGRES_PORT: String(await freePort()),
    TASK_QUEUE: 'fuzz',
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    CONVEYOR_ADMIN_KEY: '',
    // The deployment's default: private and loopback webhook targets are refused (a 409).
    WEBHOOK_ALLOW_PRIVATE: 'false',
  });
  log(`starting Conveyor in ${dataDir} …`);
  // The fuzzer's webhooks point at hosts that do not exist: every delivery attempt fails, and
  // the SDK's warning for each would bury schemathesis's report.
  installQuietRuntime({ level: 'ERROR' });
  const conveyor = await startConveyor(config, { log: () => {}, durable: false });
  const reportDir = join(dataDir, 'report');
  try {
    const resources = await seedState(conveyor.apiUrl, conveyor.adminKey);
    log(`seed ${fuzzSeed} (replay with FUZZ_SEED=${fuzzSeed} npm run test:fuzz)`);
    log(`fuzzing ${conveyor.apiUrl}/openapi.json for up to ${seconds} s with every check …`);
    const code = await new Promise<number>((done) => {
      const child = spawn(
        bin,
        [
          'run',
          `${conveyor.apiUrl}/openapi.json`,
          '--header',
          `Authorization: Bearer ${conveyor.adminKey}`,
          '--checks',
          'all',
          '--max-time',
          String(seconds),
          '--seed',
          String(fuzzSeed),
          // One worker: Python 3.11 before 3.11.8 fails parsing in threads ("AST constructor
          // recursion depth mismatch"), which Hypothesis does to describe strategies.
          '--workers',
          '1',
          // Hypothesis's own health check that it discards too many drawn values (the job
          // bodies, one schema per handler) is about generation, not the API: it is no finding.
          '--suppress-health-check',
          'filter_too_much',
          '--request-timeout',
          '10',
          '--report',
          'junit',
          '--report-dir',
          reportDir,
          '--no-color',
        ],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: {
            ...process.env,
            PYTHONPATH: [CACHE, import.meta.dirname].join(delimiter),
            SCHEMATHESIS_HOOKS: 'fuzz_hooks',
            FUZZ_RESOURCES: JSON.stringify(resources),
          },
        },
      );
      createInterface({ input: child.stdout }).on('line', (line) => console.log(readable(line)));
      child.on('close', (status) => done(status ?? 1));
    });
    if (code !== 0) {
      log(
        `schemathesis found failures (exit ${code}) with seed ${fuzzSeed}; its report: ${reportDir}`,
      );
      process.exitCode = 1;
    } else {
      log('no failures');
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await conveyor.stop();
  }
}

main().catch((error) => {
  console.error(`[fuzz] ${(error as Error).message}`);
  process.exit(1);
});
