import { it } from 'vitest';
import type { ApiClient } from './client';
import { ProgressMonitor } from './monitor';
import { sleep } from './procs';
import { finish, runScenario, startCountingOperation, waitForFirstStage } from './scenario';
import type { Topology } from './topology';

const DOWN_MS = 20_000;
/** "Answers within a few seconds": an outage must be reported, not waited out by the client. */
const ANSWER_WITHIN_MS = 5_000;

interface Probe {
  path: string;
  at: number;
  status: number | string;
  contentType: string;
  elapsedMs: number;
}

/** GET /v1/operations and GET /health while Postgres is down, as a client would see them. */
async function probe(api: ApiClient, path: string, faultAt: number): Promise<Probe> {
  const at = Date.now() - faultAt;
  const began = performance.now();
  try {
    const response = await api.request('GET', path, undefined, 15_000);
    return {
      path,
      at,
      status: response.status,
      contentType: response.contentType,
      elapsedMs: response.elapsedMs,
    };
  } catch (error) {
    return {
      path,
      at,
      status: (error as Error).name,
      contentType: '',
      elapsedMs: performance.now() - began,
    };
  }
}

/** One violation per distinct wrong answer (path, status, content type), with its count. */
function judge(probes: Probe[]): string[] {
  const wrong = new Map<string, Probe[]>();
  for (const p of probes) {
    const ok =
      p.status === 503 &&
      p.contentType.startsWith('application/problem+json') &&
      p.elapsedMs <= ANSWER_WITHIN_MS;
    if (ok) continue;
    const key = `GET ${p.path} answered ${p.status} (${p.contentType.split(';')[0] || 'no content-type'})`;
    wrong.set(key, [...(wrong.get(key) ?? []), p]);
  }
  return [...wrong].map(
    ([key, list]) =>
      `${key} ${list.length}× while Postgres was down (slowest ${Math.round(Math.max(...list.map((p) => p.elapsedMs)))} ms); expected 503 application/problem+json within ${ANSWER_WITHIN_MS} ms`,
  );
}

/** Restarts Postgres on its data dir; a first attempt that fails is reported, then retried. */
async function restartPostgres(
  topology: Topology,
  note: (line: string) => void,
): Promise<string[]> {
  const began = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await topology.startPostgres();
      note(
        `Postgres restarted (attempt ${attempt}) in ${((Date.now() - began) / 1000).toFixed(1)} s; settings ${JSON.stringify(topology.postgresSettings)}`,
      );
      return attempt === 1
        ? []
        : [
            `startEmbeddedPostgres failed ${attempt - 1} time(s) right after the kill before it started`,
          ];
    } catch (error) {
      note(
        `startEmbeddedPostgres attempt ${attempt} failed: ${String((error as Error)?.message ?? error)}`,
      );
      if (Date.now() - began > 60_000) throw error;
      await sleep(2_000);
    }
  }
}

it('Postgres killed with SIGKILL, down 20 s, started again', () =>
  runScenario(
    'postgres-restart',
    'Postgres SIGKILLed, down 20 s, restarted on its data dir',
    async (context) => {
      const topology = context.topology();
      await topology.start(1);
      context.log(`Postgres settings at start: ${JSON.stringify(topology.postgresSettings)}`);
      const api = topology.client();
      const sql = context.sql(topology.databaseUrl);
      const id = await startCountingOperation(api, { name: 'postgres-restart' });
      const monitor = new ProgressMonitor(sql, id);
      const before = await waitForFirstStage(api, id);

      const faultAt = Date.now();
      const pid = await topology.killPostgres();
      context.note(
        `killed postmaster ${pid} at stage 1 ${before.stages[0].done}/${before.counts.items} done`,
      );
      const probes: Probe[] = [];
      while (Date.now() - faultAt < DOWN_MS - ANSWER_WITHIN_MS) {
        probes.push(
          ...(await Promise.all([
            probe(api, '/v1/operations', faultAt),
            probe(api, '/health', faultAt),
          ])),
        );
        await sleep(2_000);
      }
      const seen = [
        ...new Set(probes.map((p) => `${p.path} → ${p.status} ${p.contentType.split(';')[0]}`)),
      ];
      const slowest = Math.max(...probes.map((p) => p.elapsedMs));
      context.note(`while down: ${seen.join(', ')}; slowest answer ${Math.round(slowest)} ms`);
      context.log(`probes: ${JSON.stringify(probes)}`);
      await sleep(Math.max(0, faultAt + DOWN_MS - Date.now()));

      const restoredAt = Date.now();
      const restartViolations = await restartPostgres(topology, (line) => context.note(line));
      const outcome = await finish(sql, monitor, {
        operationId: id,
        ledgerDir: topology.ledgerDir,
        expectedStatus: 'completed',
        api,
        faultAt,
        restoredAt,
      });
      return { ...outcome, violations: [...judge(probes), ...restartViolations] };
    },
  ));
