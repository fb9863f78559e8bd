/**
 * Fuzzes the running API from its own document: schemathesis (from PyPI, pinned, installed
 * into .cache) with every check, authenticated as the admin of a seeded tenant, bounded in
 * time. Exits non-zero on any failure, naming where schemathesis's report is.
 *
 *   npm run test:fuzz            FUZZ_SECONDS=120 (default) bounds the run
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../common/config';
import { freePort } from '../../runtime/ports';
import { startConveyor } from '../../runtime/services';
import { installQuietRuntime } from '../../worker/create-worker';

const SCHEMATHESIS_VERSION = '4.32.5';
const REPO = resolve(import.meta.dirname, '../..');
const CACHE = join(REPO, '.cache', 'schemathesis');
const seconds = Number(process.env.FUZZ_SECONDS ?? 120);

function log(line: string) {
  console.log(`[fuzz] ${line}`);
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
): Promise<{ id: string }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** A job, a collection with items and a finished operation, so routes by id have something. */
async function seed(url: string, key: string) {
  await api(url, key, 'POST', '/v1/jobs', {
    name: 'fuzz-noop',
    stages: [{ name: 'touch', handler: 'noop' }],
  });
  const collection = await api(url, key, 'POST', '/v1/collections', { name: 'fuzz-collection' });
  await api(url, key, 'POST', `/v1/collections/${collection.id}/items`, {
    items: Array.from({ length: 20 }, (_, i) => ({ key: `item-${i}`, data: { n: i } })),
  });
  await api(url, key, 'POST', '/v1/operations', {
    job: 'fuzz-noop',
    collectionId: collection.id,
  });
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
    // Whether a webhook's host resolves to a private address depends on DNS, which no document
    // can state; the refusal has its own tests (test/webhooks.test.ts, test/webhook-signature).
    WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  log(`starting Conveyor in ${dataDir} …`);
  // The fuzzer's webhooks point at hosts that do not exist: every delivery attempt fails, and
  // the SDK's warning for each would bury schemathesis's report.
  installQuietRuntime({ level: 'ERROR' });
  const conveyor = await startConveyor(config, { log: () => {}, durable: false });
  const reportDir = join(dataDir, 'report');
  try {
    await seed(conveyor.apiUrl, conveyor.adminKey);
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
          stdio: 'inherit',
          env: { ...process.env, PYTHONPATH: CACHE, SCHEMATHESIS_HOOKS: '' },
        },
      );
      child.on('exit', (status) => done(status ?? 1));
    });
    if (code !== 0) {
      log(`schemathesis found failures (exit ${code}); its report: ${reportDir}`);
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
