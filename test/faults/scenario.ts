import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type postgres from 'postgres';
import { expect, inject } from 'vitest';
import { type CheckReport, checkOperation, connect, loadLedger } from './check';
import {
  type ApiClient,
  type CountingJob,
  createCountingJob,
  FINAL_STATUSES,
  STAGE_NAMES,
  seedCollection,
  startOperation,
} from './client';
import type { ProgressMonitor } from './monitor';
import { pollUntil } from './procs';
import { type ScenarioResult, writeResult } from './report';
import { Topology } from './topology';

declare module 'vitest' {
  export interface ProvidedContext {
    faultsRoot: string;
    faultsBundlePath: string;
  }
}

export const ITEMS = 5_000;
/** Permanent failures per stage: an item failing in stage N must never reach stage N+1. */
export const FAIL_KEYS = [['k11', 'k2222', 'k4999'], ['k42', 'k3000'], ['k777']];
/** Failures on attempt 1 only: their batches throw and Temporal retries them. */
export const FLAKY_KEYS = [['k5', 'k1500'], ['k6'], ['k7']];

/** What a scenario hands back to be recorded. */
export interface Outcome {
  report?: CheckReport;
  toProgressMs: number | null;
  toFinalMs: number | null;
  /** Problems beyond the operation's own check (HTTP answers during an outage, starts). */
  violations?: string[];
  notes?: string[];
  status?: string;
  rows?: string;
}

export class ScenarioContext {
  readonly dir: string;
  readonly notes: string[] = [];
  private readonly clients: postgres.Sql[] = [];
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(readonly name: string) {
    this.dir = join(inject('faultsRoot'), name);
  }

  topology(): Topology {
    const topology = new Topology(this.dir, inject('faultsBundlePath'));
    this.onCleanup(() => topology.stop());
    return topology;
  }

  sql(url: string): postgres.Sql {
    const sql = connect(url);
    this.clients.push(sql);
    return sql;
  }

  onCleanup(cleanup: () => Promise<unknown>) {
    this.cleanups.push(cleanup);
  }

  /** A line for the results table (and the console). */
  note(line: string) {
    this.notes.push(line);
    this.log(line);
  }

  /** A line for the console only. */
  log(line: string) {
    console.log(`[${this.name}] ${line}`);
  }

  /**
   * The last lines of every process's log (stack frames left out), so a failure in CI, where
   * the scenario's directory is gone afterwards, shows what each process said last.
   */
  printLogTails(lines = 40) {
    const logs = join(this.dir, 'logs');
    if (!existsSync(logs)) return;
    for (const file of readdirSync(logs)) {
      const text = readFileSync(join(logs, file), 'utf8');
      const tail = text
        .split('\n')
        .filter((line) => !/^\s+at /.test(line))
        .slice(-lines);
      console.log(`[${this.name}] --- last lines of ${file} ---\n${tail.join('\n')}`);
    }
  }

  async close() {
    await Promise.all(this.clients.map((sql) => sql.end({ timeout: 2 }).catch(() => {})));
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => {});
  }
}

function rowsSummary(report: CheckReport): string {
  const { done = 0, failed = 0, skipped = 0, pending = 0, in_progress = 0 } = report.rows;
  return [
    `${done} done`,
    `${failed} failed`,
    `${skipped} skipped`,
    ...(pending || in_progress ? [`${pending} pending`, `${in_progress} in progress`] : []),
  ].join(' / ');
}

/**
 * Runs one scenario, records its result for bench/results.md (pass or fail, with what it saw)
 * and fails the test on any violation.
 */
export async function runScenario(
  name: string,
  title: string,
  body: (context: ScenarioContext) => Promise<Outcome>,
): Promise<void> {
  const context = new ScenarioContext(name);
  const result: ScenarioResult = {
    name,
    title,
    passed: false,
    date: new Date().toISOString(),
    toProgressMs: null,
    toFinalMs: null,
    status: '—',
    rows: '—',
    reruns: null,
    notes: context.notes,
  };
  let violations: string[] = [];
  try {
    const outcome = await body(context);
    const report = outcome.report;
    violations = [...(report?.violations ?? []), ...(outcome.violations ?? [])];
    Object.assign(result, {
      passed: violations.length === 0,
      toProgressMs: outcome.toProgressMs,
      toFinalMs: outcome.toFinalMs,
      status: outcome.status ?? report?.status ?? '—',
      rows: outcome.rows ?? (report ? rowsSummary(report) : '—'),
      reruns: report ? report.calls.total - report.calls.itemStagesCalled : null,
    });
    for (const violation of violations) context.note(`VIOLATION: ${violation}`);
    if (violations.length > 0) context.printLogTails();
    if (report) context.log(`check: ${JSON.stringify({ ...report, violations: undefined })}`);
  } catch (error) {
    context.note(`ERROR: ${(error as Error).message.slice(0, 600)}`);
    context.printLogTails();
    throw error;
  } finally {
    writeResult(inject('faultsRoot'), result);
    await context.close();
  }
  expect(violations).toEqual([]);
}

/** Creates the collection and the 3-stage job and starts the operation; returns its id. */
export async function startCountingOperation(
  api: ApiClient,
  job: Partial<CountingJob> & { name: string },
  items = ITEMS,
): Promise<string> {
  const collectionId = await seedCollection(api, items);
  await createCountingJob(api, {
    delayMs: 3,
    concurrency: 20,
    failKeys: FAIL_KEYS,
    flakyKeys: FLAKY_KEYS,
    ...job,
  });
  return startOperation(api, { job: job.name, collectionId });
}

/** Waits until stage 1 (GET /v1/operations/{id} `stages[0].done`) has `fraction` of the items done. */
export async function waitForFirstStage(api: ApiClient, id: string, fraction = 1 / 3) {
  const operation = await pollUntil(
    () => api.getOperation(id),
    (op) =>
      (op.counts.items > 0 && op.stages[0].done >= op.counts.items * fraction) ||
      FINAL_STATUSES.includes(op.status),
    { intervalMs: 50, what: `stage 1 of ${id} to be ${Math.round(fraction * 100)}% done` },
  );
  if (FINAL_STATUSES.includes(operation.status)) {
    throw new Error(`operation ${id} was ${operation.status} before the fault could be injected`);
  }
  return operation;
}

/** Waits for the final status, loads the ledger and checks the operation exactly. */
export async function finish(
  sql: postgres.Sql,
  monitor: ProgressMonitor,
  options: {
    operationId: string;
    ledgerDir: string;
    expectedStatus: string;
    api?: ApiClient;
    faultAt: number;
    restoredAt?: number;
    items?: number;
    failKeys?: string[][];
    /** How long the operation may take to reach a final status after the fault. */
    timeoutMs?: number;
    /** A pause after the final status, so that anything still running shows in the rows. */
    settleMs?: number;
  },
): Promise<Outcome> {
  const timeoutMs = options.timeoutMs ?? 150_000;
  // A run that never finishes is checked as it stands: the rows tell what went wrong.
  const late = await monitor.waitForFinal(timeoutMs).then(
    () => undefined,
    () => `no final status within ${timeoutMs / 1000} s of the fault (${monitor.latest()?.status})`,
  );
  if (options.settleMs) await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  await monitor.stop();
  const { toProgressMs, toFinalMs } = monitor.recovery(options.faultAt, options.restoredAt);
  const ledger = await loadLedger(sql, options.ledgerDir);
  const report = await checkOperation(sql, {
    operationId: options.operationId,
    expectedStatus: options.expectedStatus,
    items: options.items ?? ITEMS,
    stageNames: STAGE_NAMES,
    failKeys: options.failKeys ?? (options.expectedStatus === 'completed' ? FAIL_KEYS : undefined),
    api: options.api,
  });
  if (late) report.violations.unshift(late);
  if (ledger.malformed > 0) report.violations.push(`${ledger.malformed} malformed ledger lines`);
  return { report, toProgressMs, toFinalMs };
}
