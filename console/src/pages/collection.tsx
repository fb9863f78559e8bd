import { useState } from 'preact/hooks';
import { api, query } from '../api';
import {
  ErrorNote,
  Loading,
  PAGE,
  Section,
  ShowMore,
  StatusBadge,
  Table,
  Time,
} from '../components/ui';
import { formatNumber } from '../format';
import { Link, navigate } from '../router';
import type { Collection, CollectionStats, Job, ListedItem, Operation, Page } from '../types';
import { useAction, useApi } from '../use-api';

/** A job chosen by name from the tenant's jobs; `none` names the empty choice. */
function JobSelect(props: {
  label: string;
  none: string;
  jobs: Job[] | undefined;
  value: string;
  onChange: (job: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        <option value="">{props.none}</option>
        {props.jobs?.map((candidate) => (
          <option key={candidate.id} value={candidate.name}>
            {candidate.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Starts an operation of the chosen job over the collection's stale results only. */
function ReprocessStale({ collectionId, stale }: { collectionId: string; stale: number }) {
  const jobs = useApi<Page<Job>>('/v1/jobs');
  const [job, setJob] = useState('');
  const action = useAction();
  const start = () =>
    action.run(async () => {
      const started = await api<Operation>('POST', '/v1/operations', {
        job,
        collectionId,
        only: 'stale',
      });
      navigate(`/ui/operations/${started.id}`);
    });
  return (
    <form
      class="actions"
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      <JobSelect
        label="Job to run over stale results"
        none="choose a job"
        jobs={jobs.data?.data}
        value={job}
        onChange={setJob}
      />
      <button type="submit" disabled={!job || stale === 0 || action.busy}>
        Reprocess {formatNumber(stale)} stale
      </button>
      <ErrorNote error={action.error ?? jobs.error} />
    </form>
  );
}

/**
 * Starts an operation of the job over the collection's items no run of it finished, or whose
 * latest outcome failed; a 409 (nothing to take) shows as the note it is.
 */
function RunByState({ collectionId, job }: { collectionId: string; job: string }) {
  const action = useAction();
  const start = (only: 'unprocessed' | 'failed') =>
    action.run(async () => {
      const started = await api<Operation>('POST', '/v1/operations', {
        job,
        collectionId,
        only,
      });
      navigate(`/ui/operations/${started.id}`);
    });
  return (
    <div class="actions">
      <button type="button" disabled={action.busy} onClick={() => start('unprocessed')}>
        Run the unprocessed items
      </button>
      <button
        type="button"
        class="secondary"
        disabled={action.busy}
        onClick={() => start('failed')}
      >
        Run the failed items again
      </button>
      <ErrorNote error={action.error} />
    </div>
  );
}

/** A collection: its results per handler (with stale counts) and its items. */
export function CollectionPage({ id }: { id: string }) {
  const collection = useApi<Collection>(`/v1/collections/${encodeURIComponent(id)}`);
  const stats = useApi<CollectionStats>(`/v1/collections/${encodeURIComponent(id)}/stats`);
  const [prefix, setPrefix] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const jobs = useApi<Page<Job>>('/v1/jobs');
  const [job, setJob] = useState('');
  const [state, setState] = useState('');
  const items = useApi<Page<ListedItem>>(
    `/v1/collections/${encodeURIComponent(id)}/items${query({
      keyPrefix: prefix,
      limit,
      job,
      state: job ? state : '',
    })}`,
  );

  return (
    <>
      <p>
        <Link href="/ui/collections">← Collections</Link>
      </p>
      <h1>{collection.data?.name ?? 'Collection'}</h1>
      <ErrorNote error={collection.error} />
      <p class="muted">
        {collection.data?.description} <span class="mono">{id}</span> ·{' '}
        <Link href={`/ui/operations?collectionId=${id}`}>its operations</Link>
      </p>

      <Section title="Results per handler">
        <ErrorNote error={stats.error} />
        {!stats.data && !stats.error && <Loading what="results" />}
        {stats.data && (
          <>
            <p>
              {formatNumber(stats.data.items)} items; {formatNumber(stats.data.stale)} stale
              results.
            </p>
            <Table caption="Results per handler">
              <thead>
                <tr>
                  <th scope="col">Handler</th>
                  <th scope="col">Current version</th>
                  <th scope="col">Results</th>
                  <th scope="col">Stale</th>
                  <th scope="col">Per version</th>
                </tr>
              </thead>
              <tbody>
                {stats.data.handlers.map((handler) => (
                  <tr key={handler.handler}>
                    <td>{handler.handler}</td>
                    <td>{handler.currentVersion ?? 'no worker offers it'}</td>
                    <td>{formatNumber(handler.results)}</td>
                    <td>
                      <StatusBadge status={handler.stale > 0 ? 'stale' : 'fresh'} />{' '}
                      {formatNumber(handler.stale)}
                    </td>
                    <td>
                      {Object.entries(handler.versions)
                        .map(([version, count]) => `v${version}: ${count}`)
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <ReprocessStale collectionId={id} stale={stats.data.stale} />
          </>
        )}
      </Section>

      <Section title="Items">
        <div class="actions">
          <label>
            Key starts with
            <input value={prefix} onInput={(event) => setPrefix(event.currentTarget.value)} />
          </label>
          <JobSelect
            label="State under job"
            none="no job"
            jobs={jobs.data?.data}
            value={job}
            onChange={setJob}
          />
          {job && (
            <label>
              Only
              <select value={state} onChange={(event) => setState(event.currentTarget.value)}>
                <option value="">every item</option>
                <option value="unprocessed">unprocessed</option>
                <option value="failed">failed</option>
                <option value="processed">processed</option>
              </select>
            </label>
          )}
        </div>
        {job && <RunByState collectionId={id} job={job} />}
        <ErrorNote error={items.error ?? jobs.error} />
        {items.data && (
          <Table caption="Items by id">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Id</th>
                {job && <th scope="col">Latest outcome per stage</th>}
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.data.data.map((item) => (
                <tr key={item.id}>
                  <td>
                    <Link href={`/ui/collections/${id}/items/${item.id}`}>{item.key}</Link>
                  </td>
                  <td>{item.id}</td>
                  {job && (
                    <td>
                      {item.states?.length
                        ? item.states.map((each) => (
                            <span key={each.stage}>
                              {each.stage} <StatusBadge status={each.status} />{' '}
                            </span>
                          ))
                        : 'not run yet'}
                    </td>
                  )}
                  <td>
                    <Time at={item.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <ShowMore
          more={Boolean(items.data?.nextCursor)}
          limit={limit}
          max={1000}
          onMore={setLimit}
        />
      </Section>
    </>
  );
}
