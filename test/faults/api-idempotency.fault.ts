import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type postgres from 'postgres';
import { it } from 'vitest';
import { checkOperation, loadLedger } from './check';
import { createCountingJob, FINAL_STATUSES, STAGE_NAMES, seedCollection } from './client';
import { pollUntil } from './procs';
import { runScenario } from './scenario';

const STARTS = 20;
const ITEMS = 50;
/**
 * The kill comes once this many records are still `queued` (their workflow not started, or not
 * yet running), or once KILL_AT_ROWS records exist: the other starts are then part-way through.
 */
const KILL_AT_QUEUED = 2;
const KILL_AT_ROWS = 8;

/** Executions (runs) Temporal has for one workflow id, read from visibility. */
async function executionsOf(client: Client, workflowId: string): Promise<number> {
  let count = 0;
  for await (const _ of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) count++;
  return count;
}

const keyedRows = (sql: postgres.Sql, keys: string[]) =>
  sql`select id, idempotency_key as key, status, error from operations
      where idempotency_key = any(${keys}) order by id`;

it('the API killed while starts with an idempotency key are in flight', () =>
  runScenario(
    'api-idempotency',
    `API SIGKILLed during ${STARTS} concurrent keyed starts`,
    async (context) => {
      const topology = context.topology();
      await topology.start(1);
      const api = topology.client();
      const sql = context.sql(topology.databaseUrl);
      const connection = await Connection.connect({ address: topology.temporalAddress });
      context.onCleanup(() => connection.close());
      const temporal = new Client({ connection, namespace: 'default' });
      const collectionId = await seedCollection(api, ITEMS);
      await createCountingJob(api, {
        name: 'idem',
        delayMs: 3,
        concurrency: 20,
        failKeys: [],
        flakyKeys: [],
      });
      const keys = Array.from(
        { length: STARTS },
        (_, i) => `idem-${randomBytes(3).toString('hex')}-${i}`,
      );
      const body = (key: string) => ({ job: 'idem', collectionId, idempotencyKey: key });
      const start = (key: string) => api.request('POST', '/v1/operations', body(key), 20_000);

      const first = keys.map((key) =>
        start(key).then(
          (r) => ({
            key,
            status: r.status as number | string,
            id: r.body?.id as string | undefined,
          }),
          (e: Error) => ({ key, status: e.name, id: undefined }),
        ),
      );
      await pollUntil(
        () => keyedRows(sql, keys),
        (rows) =>
          rows.filter((row) => row.status === 'queued').length >= KILL_AT_QUEUED ||
          rows.length >= KILL_AT_ROWS,
        { timeoutMs: 10_000, intervalMs: 5, what: 'records part-way through their start' },
      ).catch(() => undefined);
      const faultAt = Date.now();
      await topology.killApi();
      const firstRound = await Promise.all(first);
      const answered = firstRound.filter((r) => typeof r.status === 'number').length;
      const atKill = await keyedRows(sql, keys);
      const runsAtKill = await Promise.all(atKill.map((row) => executionsOf(temporal, row.id)));
      context.note(
        `API killed with ${answered}/${STARTS} starts answered (${[...new Set(firstRound.map((r) => r.status))].join(', ')}); ${atKill.length} records then, ${runsAtKill.filter((n) => n === 0).length} of them without a workflow`,
      );

      const restoredAt = Date.now();
      await topology.startApi();
      const second = await Promise.all(
        keys.map(async (key) => ({ key, response: await start(key) })),
      );
      const violations: string[] = [];
      const idOf = new Map<string, string>();
      for (const { key, response } of second) {
        if (response.status !== 200 && response.status !== 202) {
          violations.push(
            `repeat of ${key} answered ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
          );
          continue;
        }
        idOf.set(key, response.body.id);
        const earlier = firstRound.find((r) => r.key === key)?.id;
        if (earlier && earlier !== response.body.id)
          violations.push(`${key}: first ${earlier}, repeat ${response.body.id}`);
      }
      const rows = await keyedRows(sql, keys);
      for (const key of keys) {
        const mine = rows.filter((row) => row.key === key);
        if (mine.length !== 1) violations.push(`${key} has ${mine.length} operation rows`);
        else if (idOf.has(key) && idOf.get(key) !== mine[0]?.id)
          violations.push(`${key}: API said ${idOf.get(key)}, the row is ${mine[0]?.id}`);
      }

      const finals = await pollUntil(
        () => keyedRows(sql, keys),
        (all) => all.length === STARTS && all.every((r) => FINAL_STATUSES.includes(r.status)),
        { timeoutMs: 60_000, intervalMs: 250, what: 'every keyed operation to finish' },
      ).catch(async () => {
        const all = await keyedRows(sql, keys);
        const stuck = all.filter((r) => !FINAL_STATUSES.includes(r.status));
        violations.push(
          `${stuck.length} operations never finished: ${stuck.map((r) => `${r.id} ${r.status}`).join(', ')}`,
        );
        return all;
      });
      const toFinalMs = Date.now() - faultAt;
      const restartToFinalMs = Date.now() - restoredAt;
      const ledger = await loadLedger(sql, topology.ledgerDir);
      if (ledger.malformed) violations.push(`${ledger.malformed} malformed ledger lines`);
      let reruns = 0;
      for (const { id, status } of finals) {
        const runs = await executionsOf(temporal, id);
        if (runs !== 1) violations.push(`${id} has ${runs} Temporal executions`);
        // One that never finished is reported above; its rows say nothing more.
        if (!FINAL_STATUSES.includes(status)) continue;
        const report = await checkOperation(sql, {
          operationId: id,
          expectedStatus: 'completed',
          items: ITEMS,
          stageNames: STAGE_NAMES,
          failKeys: [],
          api,
        });
        violations.push(...report.violations.map((v) => `${id}: ${v}`));
        reruns += report.calls.total - report.calls.itemStagesCalled;
      }
      const count = (status: number) => second.filter((s) => s.response.status === status).length;
      context.note(
        `repeat: ${count(202)} answered 202, ${count(200)} answered 200; handler re-runs ${reruns}`,
      );
      return {
        toProgressMs: null,
        toFinalMs,
        violations,
        status: [...new Set(finals.map((r) => r.status))].join(', '),
        rows: `${STARTS} operations × ${ITEMS} items × 3 stages; all final ${(restartToFinalMs / 1000).toFixed(1)} s after the API restart began`,
      };
    },
  ));
