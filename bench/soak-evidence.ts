import { appendFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import type { OpRecord } from './soak-load';

/**
 * What a mismatched operation looked like before the soak's data is deleted: what the soak did
 * to it, its operation events from Postgres and the tail of its workflow history.
 */
export async function gatherEvidence(
  sql: postgres.Sql,
  temporal: Client,
  id: string,
  record: OpRecord | undefined,
): Promise<string[]> {
  const lines: string[] = [];
  if (record) {
    const t = (at: number | undefined) =>
      at === undefined ? '?' : `+${((at - record.startedAt) / 1000).toFixed(1)} s`;
    lines.push(
      `soak: plan ${record.plan.action} after ${record.plan.actionAfterMs} ms (${record.plan.job.name}, ${record.plan.scope}, ${record.plan.expectedItems} items); accepted [${record.actions.join(', ')}], late [${record.late.join(', ')}]; workflow result ${record.outcome} at ${t(record.finishedAt)}; API then said ${record.apiStatus}`,
    );
  }
  const events = await sql<{ id: number; type: string; data: unknown; createdAt: string }[]>`
    select id, type, data, created_at::text as "createdAt" from events
    where operation_id = ${id} and type like 'operation.%' order by id`;
  for (const event of events) {
    lines.push(`event ${event.createdAt} ${event.type} ${JSON.stringify(event.data)}`);
  }
  const stages = await sql<{ stageIndex: number; status: string; count: number }[]>`
    select stage_index as "stageIndex", status, count(*)::int as count from item_stages
    where operation_id = ${id} group by 1, 2 order by 1, 2`;
  lines.push(
    `item stages: ${stages.map((row) => `stage ${row.stageIndex} ${row.status} ${row.count}`).join(', ')}`,
  );
  try {
    const history = await temporal.workflow.getHandle(id).fetchHistory();
    const all = history.events ?? [];
    for (const event of all.slice(-16)) {
      const kind =
        Object.keys(event)
          .find((key) => key.endsWith('EventAttributes') && (event as any)[key])
          ?.replace(/EventAttributes$/, '') ?? 'unknown';
      const seconds = Number(event.eventTime?.seconds ?? 0);
      const time = new Date(seconds * 1000 + (event.eventTime?.nanos ?? 0) / 1e6).toISOString();
      let detail = '';
      const marker = event.markerRecordedEventAttributes;
      if (marker) {
        // A local activity's marker names the activity in its JSON details.
        const payload = marker.details?.data?.payloads?.[0]?.data;
        let activity = '';
        try {
          activity = payload ? JSON.parse(Buffer.from(payload).toString()).activity_type : '';
        } catch {}
        detail = ` ${marker.markerName} ${activity}`;
      }
      const failed = event.workflowExecutionFailedEventAttributes?.failure?.message;
      if (failed) detail = ` ${failed}`;
      lines.push(`history #${event.eventId} ${time} ${kind}${detail}`);
    }
    if (all.length > 16) lines.push(`history: last 16 of ${all.length} events shown`);
  } catch (error) {
    lines.push(`history: ${(error as Error).message}`);
  }
  // Its chunk children, if it had any: how each ended and why.
  for (let chunk = 0; chunk < 50; chunk++) {
    const chunkId = `${id}.chunk-${chunk}`;
    try {
      const described = await temporal.workflow.getHandle(chunkId).describe();
      let why = '';
      if (described.status.name === 'FAILED') {
        const history = await temporal.workflow.getHandle(chunkId).fetchHistory();
        const failure = history.events?.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
        why = `: ${failure?.message}${failure?.cause ? ` / ${failure.cause.message}` : ''}`;
      }
      lines.push(`chunk ${chunkId} ${described.status.name}${why}`);
    } catch {
      break;
    }
  }
  return lines;
}

/**
 * A child process's log, kept whole in a file; on the console, each kind of entry (level,
 * message, error type) is shown the first time only, and counted.
 */
export function processLog(name: string, file: string, print: (line: string) => void) {
  const kinds = new Map<string, number>();
  let buffer = '';
  const entry = (text: string) => {
    const first = text.split('\n', 1)[0] ?? '';
    const level = /\[(\w+)\]/.exec(first)?.[1] ?? '';
    const message = first.replace(/^\S+\s+\[\w+\]\s*/, '').replace(/\s*\{$/, '');
    const type = /type: '([^']+)'/.exec(text)?.[1];
    const kind = `${level} ${message}${type ? ` (${type})` : ''}`.trim().slice(0, 200);
    const seen = kinds.get(kind) ?? 0;
    kinds.set(kind, seen + 1);
    if (seen === 0) print(`${name} (first of its kind): ${text.slice(0, 1_500)}`);
  };
  return {
    write(chunk: string) {
      appendFileSync(file, `${chunk}\n`);
      buffer += `${chunk}\n`;
      // Entries start with an ISO timestamp; the last one may still be arriving.
      const parts = buffer.split(/\n(?=\d{4}-\d\d-\d\dT)/);
      buffer = parts.pop() ?? '';
      for (const part of parts) if (part.trim()) entry(part);
    },
    flush() {
      if (buffer.trim()) entry(buffer);
      buffer = '';
    },
    kinds: () => [...kinds].sort((a, b) => b[1] - a[1]),
  };
}
