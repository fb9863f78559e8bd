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
import type { Collection, CollectionStats, Item, Job, Operation, Page } from '../types';
import { useAction, useApi } from '../use-api';

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
      <label>
        Job to run over stale results
        <select value={job} onChange={(event) => setJob(event.currentTarget.value)} required>
          <option value="">choose a job</option>
          {jobs.data?.data.map((candidate) => (
            <option key={candidate.id} value={candidate.name}>
              {candidate.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!job || stale === 0 || action.busy}>
        Reprocess {formatNumber(stale)} stale
      </button>
      <ErrorNote error={action.error ?? jobs.error} />
    </form>
  );
}

/** A collection: its results per handler (with stale counts) and its items. */
export function CollectionPage({ id }: { id: string }) {
  const collection = useApi<Collection>(`/v1/collections/${encodeURIComponent(id)}`);
  const stats = useApi<CollectionStats>(`/v1/collections/${encodeURIComponent(id)}/stats`);
  const [prefix, setPrefix] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const items = useApi<Page<Item>>(
    `/v1/collections/${encodeURIComponent(id)}/items${query({ keyPrefix: prefix, limit })}`,
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
        <label>
          Key starts with
          <input value={prefix} onInput={(event) => setPrefix(event.currentTarget.value)} />
        </label>
        <ErrorNote error={items.error} />
        {items.data && (
          <Table caption="Items by id">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Id</th>
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
