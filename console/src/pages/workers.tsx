import { ErrorNote, Loading, Section, Table, Time } from '../components/ui';
import { formatDuration, formatNumber, pretty } from '../format';
import { usePolling } from '../live';
import type { Handler, MaintenanceRuns, Page, Workers } from '../types';
import { useApi } from '../use-api';

function Pollers({ workers }: { workers: Workers }) {
  if (workers.workers.length === 0) {
    return (
      <div class="error" role="alert">
        <p>
          No worker polls task queue <code>{workers.taskQueue}</code>: operations will wait. Start
          one with <code>npm run start:worker</code> (or <code>npm start</code>).
        </p>
      </div>
    );
  }
  return (
    <Table caption="Workers polling the task queue">
      <thead>
        <tr>
          <th scope="col">Worker</th>
          <th scope="col">Polls</th>
          <th scope="col">Last poll</th>
          <th scope="col">Started</th>
          <th scope="col">Handlers it runs</th>
        </tr>
      </thead>
      <tbody>
        {workers.workers.map((worker) => (
          <tr key={worker.identity}>
            <td class="mono">{worker.identity}</td>
            <td>{worker.polls.map((poll) => poll.taskQueueType).join(', ')}</td>
            <td>
              <Time
                at={worker.polls
                  .map((poll) => poll.lastAccessTime)
                  .filter(Boolean)
                  .sort()
                  .pop()}
              />
            </td>
            <td>
              <Time at={worker.startedAt} />
              {worker.stoppedAt && (
                <strong class="error-text">
                  {' '}
                  stopped <Time at={worker.stoppedAt} />
                </strong>
              )}
              {!worker.stoppedAt && worker.reportedAt && !worker.reporting && (
                <strong class="error-text"> silent since its last report</strong>
              )}
            </td>
            <td>{handlersOf(worker, workers.expectedHandlers)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const named = (handler: { name: string; version: string }) => `${handler.name} v${handler.version}`;

/** The worker's own list, with what it lacks of the API's called out: its jobs would not run. */
function handlersOf(worker: Workers['workers'][number], expected: Workers['expectedHandlers']) {
  if (!worker.handlers) return <span class="muted">not reported</span>;
  const runs = new Set(worker.handlers.map(named));
  const missing = expected.map(named).filter((handler) => !runs.has(handler));
  return (
    <>
      {worker.handlers.map(named).join(', ')}
      {missing.length > 0 && <strong class="error-text"> lacks {missing.join(', ')}</strong>}
    </>
  );
}

export function WorkersPage() {
  const workers = useApi<Workers>('/v1/workers');
  const handlers = useApi<Page<Handler>>('/v1/handlers');
  const maintenance = useApi<MaintenanceRuns>('/v1/maintenance');
  usePolling(() => void workers.reload(), 5000, true);

  return (
    <>
      <h1>Workers and maintenance</h1>
      <Section title="Who is polling">
        <ErrorNote error={workers.error} />
        {!workers.data && !workers.error && <Loading what="workers" />}
        {workers.data && (
          <>
            <p class="muted">
              Task queue <code>{workers.data.taskQueue}</code> in namespace{' '}
              <code>{workers.data.namespace}</code>.
            </p>
            <Pollers workers={workers.data} />
            <h3>Backlog</h3>
            <dl class="facts">
              {(['workflow', 'activity'] as const).map((kind) => [
                <dt key={`${kind}-t`}>{kind} tasks</dt>,
                <dd key={`${kind}-d`}>
                  {formatNumber(workers.data?.backlog[kind]?.approximateCount ?? 0)} waiting, oldest{' '}
                  {formatDuration(workers.data?.backlog[kind]?.approximateAgeMs ?? 0)}
                </dd>,
              ])}
            </dl>
          </>
        )}
      </Section>
      <Section title="Handlers">
        <ErrorNote error={handlers.error} />
        {handlers.data && (
          <Table caption="Handlers the workers should offer">
            <thead>
              <tr>
                <th scope="col">Handler</th>
                <th scope="col">Version</th>
                <th scope="col">What it does</th>
              </tr>
            </thead>
            <tbody>
              {handlers.data.data.map((handler) => (
                <tr key={handler.name}>
                  <td class="mono">{handler.name}</td>
                  <td>v{handler.version}</td>
                  <td>{handler.description}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
      <Section title="Last maintenance runs">
        <ErrorNote error={maintenance.error} />
        {maintenance.data && maintenance.data.data.length === 0 && (
          <p class="muted">
            Maintenance has not run yet (schedule <code>{maintenance.data.scheduleId}</code>).
          </p>
        )}
        {maintenance.data?.data.slice(0, 5).map((run) => (
          <details key={run.workflowId}>
            <summary>
              <Time at={run.finishedAt} /> (
              {formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))})
            </summary>
            <pre>{pretty(run.summary)}</pre>
          </details>
        ))}
      </Section>
    </>
  );
}
