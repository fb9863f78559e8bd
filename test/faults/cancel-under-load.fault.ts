import { it } from 'vitest';
import { ProgressMonitor } from './monitor';
import { finish, runScenario, startCountingOperation, waitForFirstStage } from './scenario';

it('cancel under load', () =>
  runScenario(
    'cancel-under-load',
    'cancel mid-run, 5,000 × 3 at 20 ms per item',
    async (context) => {
      const topology = context.topology();
      await topology.start(1);
      const api = topology.client();
      const sql = context.sql(topology.databaseUrl);
      const id = await startCountingOperation(api, {
        name: 'cancel-under-load',
        delayMs: 20,
        concurrency: 10,
      });
      const monitor = new ProgressMonitor(sql, id);
      const before = await waitForFirstStage(api, id);

      const cancelAt = Date.now();
      const cancel = await api.request('POST', `/v1/operations/${id}/cancel`);
      context.note(
        `cancel at stage 1 ${before.stages[0].done}/${before.counts.items} done answered ${cancel.status} in ${Math.round(cancel.elapsedMs)} ms`,
      );
      const violations =
        cancel.status < 300
          ? []
          : [`cancel answered ${cancel.status} ${JSON.stringify(cancel.body)}`];
      const outcome = await finish(sql, monitor, {
        operationId: id,
        ledgerDir: topology.ledgerDir,
        expectedStatus: 'cancelled',
        api,
        faultAt: cancelAt,
        timeoutMs: 60_000,
        // Anything still running after the status changed would show up as late calls or rows.
        settleMs: 2_000,
      });
      const [row] =
        await sql`select extract(epoch from finished_at) * 1000 as finished_ms from operations where id = ${id}`;
      const finishedMs = row?.finished_ms == null ? Number.NaN : Number(row.finished_ms);
      const lastCall = outcome.report?.calls.lastCallAt ?? null;
      const secondsAfterCancel = (at: number | null) =>
        at === null || !Number.isFinite(at) ? '—' : `${((at - cancelAt) / 1000).toFixed(2)} s`;
      if (Number.isFinite(finishedMs)) {
        const [late] = await sql`select count(*)::int as n from handler_calls
          where operation_id = ${id} and called_at_ms > ${finishedMs}`;
        if (late?.n)
          violations.push(`${late.n} handler calls began after the operation was marked cancelled`);
      }
      context.note(
        `cancel → last handler call ${secondsAfterCancel(lastCall)}; cancel → cancelled ${secondsAfterCancel(finishedMs)} (finished_at)`,
      );
      return {
        ...outcome,
        toProgressMs: null,
        violations: [...(outcome.violations ?? []), ...violations],
      };
    },
  ));
