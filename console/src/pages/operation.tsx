import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, Loading, ProgressBar, Section, StatusBadge } from '../components/ui';
import { pretty } from '../format';
import { useEventStream, usePolling, useThrottle } from '../live';
import { Link, navigate } from '../router';
import {
  type ConveyorEvent,
  FINISHED_STATUSES,
  type Operation,
  type OperationDetail,
  PAUSABLE_STATUSES,
} from '../types';
import { useAction, useApi } from '../use-api';
import { CostTable, EventList, Timings } from './operation-events';
import { FailureList } from './operation-failures';
import { OperationLog } from './operation-log';
import { StageTable } from './operation-stages';

/** Every event of a run is kept; progress snapshots beyond the last few add nothing to read. */
const PROGRESS_KEPT = 5;

function keepEvent(events: ConveyorEvent[], event: ConveyorEvent): ConveyorEvent[] {
  if (events.some((seen) => seen.id === event.id)) return events;
  const next = [...events, event];
  const progress = next.filter((seen) => seen.type === 'operation.progress');
  if (progress.length <= PROGRESS_KEPT) return next;
  const dropped = new Set(progress.slice(0, -PROGRESS_KEPT).map((seen) => seen.id));
  return next.filter((seen) => !dropped.has(seen.id));
}

/**
 * One operation, live: its stream brings events as they are written and each one reads the
 * operation again; a one-second poll covers what events do not say (per-stage counts).
 */
export function OperationPage({ id }: { id: string }) {
  const detail = useApi<OperationDetail>(`/v1/operations/${encodeURIComponent(id)}`);
  const [events, setEvents] = useState<ConveyorEvent[]>([]);
  const control = useAction();
  const operation = detail.data;
  const finished = operation ? FINISHED_STATUSES.includes(operation.status) : false;
  const reload = useThrottle(() => void detail.reload(), 300);

  useEventStream(
    `/v1/operations/${encodeURIComponent(id)}/stream`,
    (event) => {
      setEvents((seen) => keepEvent(seen, event));
      reload();
    },
    () => finished,
  );
  usePolling(reload, 1000, Boolean(operation) && !finished);

  const act = (verb: 'cancel' | 'pause' | 'resume') =>
    control.run(async () => {
      await api('POST', `/v1/operations/${encodeURIComponent(id)}/${verb}`);
      await detail.reload();
    });
  const retry = (items: 'failed' | 'unfinished') =>
    control.run(async () => {
      const started = await api<Operation>(
        'POST',
        `/v1/operations/${encodeURIComponent(id)}/retry`,
        { items },
      );
      navigate(`/ui/operations/${started.id}`);
    });

  if (!operation) {
    return (
      <>
        <h1>Operation</h1>
        <ErrorNote error={detail.error} />
        {!detail.error && <Loading what="the operation" />}
      </>
    );
  }

  return (
    <>
      <p>
        <Link href="/ui/operations">← Operations</Link>
      </p>
      <h1>
        {operation.job.name} <StatusBadge status={operation.status} />
      </h1>
      <p class="mono muted">{operation.id}</p>
      <ErrorNote error={detail.error} />
      {operation.error && (
        <div class="error" role="status">
          <p>{operation.error}</p>
        </div>
      )}
      <div class="actions">
        {PAUSABLE_STATUSES.includes(operation.status) && (
          <button
            type="button"
            class="secondary"
            disabled={control.busy}
            onClick={() => act('pause')}
          >
            Pause
          </button>
        )}
        {operation.status === 'paused' && (
          <button type="button" disabled={control.busy} onClick={() => act('resume')}>
            Resume
          </button>
        )}
        {!finished && (
          <button
            type="button"
            class="danger"
            disabled={control.busy}
            onClick={() => act('cancel')}
          >
            Cancel operation
          </button>
        )}
        {finished && operation.counts.failed > 0 && (
          <button type="button" disabled={control.busy} onClick={() => retry('failed')}>
            Retry {operation.counts.failed} failed item(s)
          </button>
        )}
        {(operation.status === 'cancelled' || operation.status === 'failed') &&
          operation.scope.kind !== 'global' && (
            <button
              type="button"
              class="secondary"
              disabled={control.busy}
              onClick={() => retry('unfinished')}
            >
              Run the unfinished items
            </button>
          )}
        {operation.temporal.uiUrl && (
          <a
            class="button secondary"
            href={operation.temporal.uiUrl}
            target="_blank"
            rel="noreferrer"
          >
            Open in Temporal Web UI
          </a>
        )}
      </div>
      <ErrorNote error={control.error} />

      <Section title="Progress">
        <ProgressBar
          label="Operation progress"
          done={operation.counts.done + operation.counts.skipped}
          failed={operation.counts.failed}
          total={operation.counts.items}
        />
        <StageTable operation={operation} live={!finished && operation.status !== 'paused'} />
      </Section>

      <Section title="Failures">
        <FailureList operation={operation} />
      </Section>

      <div class="columns">
        <Section title="Run">
          <dl class="facts">
            <dt>Mode</dt>
            <dd>{operation.mode}</dd>
            <dt>Priority</dt>
            <dd>{operation.priority}</dd>
            <dt>Job version</dt>
            <dd>
              {operation.job.id ? (
                <Link href={`/ui/jobs/${operation.job.id}`}>v{operation.job.version}</Link>
              ) : (
                `v${operation.job.version}`
              )}
            </dd>
            <dt>Scope</dt>
            <dd>
              {operation.scope.collectionId ? (
                <Link href={`/ui/collections/${operation.scope.collectionId}`}>collection</Link>
              ) : (
                operation.scope.kind
              )}
              {operation.scope.itemCount !== undefined && ` (${operation.scope.itemCount} items)`}
            </dd>
            <dt>Requested by</dt>
            <dd>{operation.requestedBy ?? '—'}</dd>
            <dt>Requested for</dt>
            <dd>{operation.requestedFor ?? '—'}</dd>
            {operation.retryOf && (
              <>
                <dt>Retries</dt>
                <dd>
                  <Link href={`/ui/operations/${operation.retryOf}`}>{operation.retryOf}</Link>
                </dd>
              </>
            )}
            {operation.scheduleId && (
              <>
                <dt>Schedule</dt>
                <dd>{operation.scheduleId}</dd>
              </>
            )}
            <dt>Temporal</dt>
            <dd class="mono">
              {operation.temporal.namespace} / {operation.temporal.workflowId}
            </dd>
            <dt>Params</dt>
            <dd>
              <pre>{pretty(operation.params)}</pre>
            </dd>
          </dl>
        </Section>
        <Section title="Timings">
          <Timings operation={operation} events={events} />
        </Section>
      </div>

      <Section title="Costs">
        <CostTable operation={operation} />
      </Section>

      <Section title="Log">
        <OperationLog id={id} live={!finished} />
      </Section>

      <Section title="Events">
        <EventList events={events} />
      </Section>
    </>
  );
}
