import { useState } from 'preact/hooks';
import { ErrorNote, Loading, Section, Time } from '../components/ui';
import { pretty } from '../format';
import { Link } from '../router';
import type { Job, Page } from '../types';
import { useApi } from '../use-api';
import { JobEditor } from './job-editor';
import { StartRun } from './start-run';

interface Version {
  version: number;
  createdAt: string;
}

/** A job's definition at one of its versions (the newest unless another is picked). */
function Versions({ job }: { job: Job }) {
  const versions = useApi<Page<Version>>(`/v1/jobs/${job.id}/versions`);
  const [picked, setPicked] = useState(job.version);
  const shown = useApi<{ definition: unknown }>(
    picked === job.version ? null : `/v1/jobs/${job.id}/versions/${picked}`,
  );
  return (
    <>
      <label>
        Version
        <select value={picked} onChange={(event) => setPicked(Number(event.currentTarget.value))}>
          {(versions.data?.data ?? [{ version: job.version, createdAt: job.updatedAt }])
            .slice()
            .reverse()
            .map((version) => (
              <option key={version.version} value={version.version}>
                v{version.version} ({new Date(version.createdAt).toLocaleString()})
              </option>
            ))}
        </select>
      </label>
      <ErrorNote error={versions.error ?? shown.error} />
      <pre>{pretty(picked === job.version ? job.definition : (shown.data?.definition ?? '…'))}</pre>
    </>
  );
}

export function JobPage({ id }: { id: string }) {
  const job = useApi<Job>(`/v1/jobs/${encodeURIComponent(id)}`);
  const [editing, setEditing] = useState(false);
  const data = job.data;
  return (
    <>
      <p>
        <Link href="/ui/jobs">← Jobs</Link>
      </p>
      <h1>
        {data?.name ?? 'Job'}
        {data && <span class="muted">v{data.version}</span>}
      </h1>
      <ErrorNote error={job.error} />
      {!data && !job.error && <Loading what="the job" />}
      {data && (
        <>
          <p class="muted">
            {data.definition.description ? `${data.definition.description} · ` : ''}Updated{' '}
            <Time at={data.updatedAt} /> ·{' '}
            <Link href={`/ui/operations?job=${encodeURIComponent(data.name)}`}>its operations</Link>
          </p>
          <Section title="Start a run">
            <StartRun jobName={data.name} />
          </Section>
          <Section
            title="Definition"
            actions={
              !editing && (
                <button type="button" class="secondary" onClick={() => setEditing(true)}>
                  Edit
                </button>
              )
            }
          >
            {editing ? (
              <JobEditor
                initial={data.definition}
                jobId={data.id}
                onSaved={() => {
                  setEditing(false);
                  void job.reload();
                }}
              />
            ) : (
              <Versions key={data.version} job={data} />
            )}
          </Section>
        </>
      )}
    </>
  );
}
