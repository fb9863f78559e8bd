import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, Loading, Section, StatusBadge, Time } from '../components/ui';
import { pretty } from '../format';
import { Link } from '../router';
import type { Page, Schedule } from '../types';
import { useAction, useApi } from '../use-api';

/** A backfill window: the runs a past window would have had, taken now. */
function Backfill({ schedule, onDone }: { schedule: Schedule; onDone: () => void }) {
  const hourAgo = new Date(Date.now() - 3_600_000);
  const local = (date: Date) =>
    new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const [from, setFrom] = useState(local(hourAgo));
  const [to, setTo] = useState(local(new Date()));
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api('POST', `/v1/schedules/${schedule.id}/backfill`, {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
      });
      onDone();
    });
  };
  return (
    <details>
      <summary>Backfill a past window</summary>
      <form class="form-grid" onSubmit={submit}>
        <label>
          From
          <input
            type="datetime-local"
            step={1}
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            step={1}
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            Backfill
          </button>
        </div>
      </form>
      <ErrorNote error={action.error} />
    </details>
  );
}

function ScheduleCard({ schedule, onChange }: { schedule: Schedule; onChange: () => void }) {
  const action = useAction();
  const post = (verb: 'pause' | 'unpause' | 'trigger') =>
    action.run(async () => {
      await api('POST', `/v1/schedules/${schedule.id}/${verb}`, {});
      onChange();
    });
  return (
    <section class="card" aria-label={`Schedule ${schedule.id}`} data-schedule={schedule.id}>
      <header class="card-head">
        <h2>
          {schedule.job} <StatusBadge status={schedule.paused ? 'paused' : 'running'} />
        </h2>
        <div class="actions">
          {schedule.paused ? (
            <button type="button" disabled={action.busy} onClick={() => post('unpause')}>
              Unpause
            </button>
          ) : (
            <button
              type="button"
              class="secondary"
              disabled={action.busy}
              onClick={() => post('pause')}
            >
              Pause
            </button>
          )}
          <button type="button" disabled={action.busy} onClick={() => post('trigger')}>
            Trigger now
          </button>
        </div>
      </header>
      <ErrorNote error={action.error} />
      <dl class="facts">
        <dt>Id</dt>
        <dd class="mono">{schedule.id}</dd>
        <dt>When</dt>
        <dd>
          <pre>{pretty(schedule.spec)}</pre>
        </dd>
        <dt>Overlap</dt>
        <dd>{schedule.overlap}</dd>
        {schedule.note && (
          <>
            <dt>Note</dt>
            <dd>{schedule.note}</dd>
          </>
        )}
        <dt>Next runs</dt>
        <dd>
          {schedule.paused ? (
            'none while paused'
          ) : (
            <ul class="plain">
              {schedule.nextRuns.slice(0, 5).map((at) => (
                <li key={at}>
                  <Time at={at} />
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Last run</dt>
        <dd>
          {schedule.lastRun ? (
            <>
              <Time at={schedule.lastRun.at} />
              {schedule.lastRun.operationId && (
                <>
                  {' · '}
                  <Link href={`/ui/operations/${schedule.lastRun.operationId}`}>
                    {schedule.lastRun.status ?? 'operation'}
                  </Link>
                </>
              )}
            </>
          ) : (
            'never'
          )}{' '}
          ({schedule.runs} runs ·{' '}
          <Link href={`/ui/operations?scheduleId=${schedule.id}`}>its operations</Link>)
        </dd>
      </dl>
      <Backfill schedule={schedule} onDone={onChange} />
    </section>
  );
}

export function SchedulesPage() {
  const schedules = useApi<Page<Schedule>>('/v1/schedules');
  return (
    <>
      <h1>Schedules</h1>
      <ErrorNote error={schedules.error} />
      {!schedules.data && !schedules.error && <Loading what="schedules" />}
      {schedules.data?.data.length === 0 && (
        <Section title="No schedule">
          <p>
            Create one with <code>POST /v1/schedules</code>: a start's body plus a <code>spec</code>
            , as <a href="/docs">the API reference</a> shows.
          </p>
        </Section>
      )}
      {schedules.data?.data.map((schedule) => (
        <ScheduleCard
          key={schedule.id}
          schedule={schedule}
          onChange={() => void schedules.reload()}
        />
      ))}
    </>
  );
}
