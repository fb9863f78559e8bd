import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { embeddedSuperuserUrl } from '../../runtime/postgres-password';
import { ApiClient } from './client';
import { ProgressMonitor } from './monitor';
import { descendants, freePort, type GroupProcess, isAlive, pollUntil, spawnGroup } from './procs';
import {
  finish,
  runScenario,
  type ScenarioContext,
  startCountingOperation,
  waitForFirstStage,
} from './scenario';
import { childEnv, HANDLER_MODULE, ledgerUnderTest, openDir, REPO, TSX } from './topology';

interface Service {
  env: Record<string, string>;
  dataDir: string;
  logFile: string;
  process?: GroupProcess;
}

/** `npm start` as a detached process group: everything embedded, on free ports. */
async function startService(service: Service): Promise<GroupProcess> {
  const proc = spawnGroup('conveyor', TSX, ['runtime/main.ts'], {
    cwd: REPO,
    env: childEnv(service.env),
    logFile: service.logFile,
  });
  service.process = proc;
  await proc.waitForOutput(/Conveyor is running/, 180_000);
  return proc;
}

/** SIGKILLs the service's process group and everything below it, and waits until all are gone. */
async function killService(service: Service, context: ScenarioContext): Promise<void> {
  const proc = service.process;
  if (!proc) return;
  const tree = descendants(proc.pid);
  await proc.kill('SIGKILL');
  for (const pid of tree) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  const alive = await pollUntil(
    async () => tree.filter(isAlive),
    (left) => left.length === 0,
    { timeoutMs: 5_000, what: 'the killed service tree to be gone' },
  ).catch(() => tree.filter(isAlive));
  if (alive.length > 0) context.note(`alive 5 s after SIGKILL: ${alive.join(', ')}`);
  service.process = undefined;
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

it('the whole embedded service killed with SIGKILL and started again', () =>
  runScenario(
    'embedded-restart',
    '`npm start` process tree SIGKILLed and started again',
    async (context) => {
      const dataDir = openDir(join(context.dir, 'data'));
      const ledgerDir = openDir(join(context.dir, 'ledger'));
      const [port, temporalPort, uiPort, postgresPort] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      const adminKey = `cvk_faults_${randomBytes(8).toString('hex')}`;
      const service: Service = {
        dataDir,
        logFile: join(openDir(join(context.dir, 'logs')), 'conveyor.log'),
        env: {
          DATA_DIR: dataDir,
          PORT: String(port),
          TEMPORAL_PORT: String(temporalPort),
          TEMPORAL_UI_PORT: String(uiPort),
          POSTGRES_PORT: String(postgresPort),
          CONVEYOR_ADMIN_KEY: adminKey,
          HANDLER_MODULES: HANDLER_MODULE,
          FAULT_LEDGER_DIR: ledgerDir,
          ...ledgerUnderTest(),
        },
      };
      context.onCleanup(async () => {
        const proc = service.process;
        if (!proc) return;
        const tree = descendants(proc.pid);
        // A clean stop first, so Postgres shuts down properly; then nothing may remain.
        await Promise.race([proc.kill('SIGTERM'), new Promise((r) => setTimeout(r, 20_000))]);
        await proc.kill('SIGKILL');
        for (const pid of tree) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      });

      const firstStart = Date.now();
      await startService(service);
      context.log(`service up in ${((Date.now() - firstStart) / 1000).toFixed(1)} s`);
      const api = new ApiClient(`http://127.0.0.1:${port}`, adminKey);
      const sql = context.sql(embeddedSuperuserUrl(dataDir, postgresPort, 'conveyor'));
      const id = await startCountingOperation(api, { name: 'embedded-restart' });
      const monitor = new ProgressMonitor(sql, id);
      const before = await waitForFirstStage(api, id);

      const postmaster = postmasterPid(dataDir);
      const faultAt = Date.now();
      await killService(service, context);
      context.note(
        `killed the whole tree (postmaster ${postmaster} among it) at stage 1 ${before.stages[0].done}/${before.counts.items} done`,
      );
      const restoredAt = Date.now();
      await startService(service);
      context.note(
        `service back up ${((Date.now() - restoredAt) / 1000).toFixed(1)} s after the restart began`,
      );
      return finish(sql, monitor, {
        operationId: id,
        ledgerDir,
        expectedStatus: 'completed',
        api,
        faultAt,
        restoredAt,
      });
    },
  ));
