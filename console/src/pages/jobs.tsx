import { useState } from 'preact/hooks';
import { ErrorNote, Loading, Section, Table, Time } from '../components/ui';
import { Link, navigate } from '../router';
import type { Job, Page } from '../types';
import { useApi } from '../use-api';
import { JobEditor } from './job-editor';

/** What a new job starts from: the smallest definition that runs. */
const NEW_JOB = {
  name: 'my-job',
  description: 'What this job does',
  stages: [{ name: 'first', handler: 'noop', params: { delayMs: 10 } }],
};

export function JobsPage() {
  const jobs = useApi<Page<Job>>('/v1/jobs');
  const [creating, setCreating] = useState(false);
  return (
    <>
      <h1>Jobs</h1>
      <Section
        title="Definitions"
        actions={
          !creating && (
            <button type="button" onClick={() => setCreating(true)}>
              New job
            </button>
          )
        }
      >
        {creating && (
          <div class="card">
            <h2>New job</h2>
            <JobEditor initial={NEW_JOB} onSaved={(job) => navigate(`/ui/jobs/${job.id}`)} />
          </div>
        )}
        <ErrorNote error={jobs.error} />
        {!jobs.data && !jobs.error && <Loading what="jobs" />}
        {jobs.data && jobs.data.data.length === 0 && <p>No job yet: create one above.</p>}
        {jobs.data && jobs.data.data.length > 0 && (
          <Table caption="Jobs, newest first">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Version</th>
                <th scope="col">Stages</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.data.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Link href={`/ui/jobs/${job.id}`}>{job.name}</Link>
                    {job.pausedAt && <span class="badge badge-paused">paused</span>}
                    {job.definition.description && (
                      <div class="muted">{job.definition.description}</div>
                    )}
                  </td>
                  <td>v{job.version}</td>
                  <td>
                    {job.definition.stages
                      .map((stage) => `${stage.name} (${stage.handler})`)
                      .join(' → ')}
                  </td>
                  <td>
                    <Time at={job.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
