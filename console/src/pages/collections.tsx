import { useState } from 'preact/hooks';
import { query } from '../api';
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
import { Link } from '../router';
import type { CollectionSummary, Page } from '../types';
import { useApi } from '../use-api';

export function CollectionsPage() {
  const [limit, setLimit] = useState(PAGE);
  const list = useApi<Page<CollectionSummary>>(`/v1/collections${query({ limit })}`);
  return (
    <>
      <h1>Collections</h1>
      <Section title="Collections, newest first">
        <ErrorNote error={list.error} />
        {!list.data && !list.error && <Loading what="collections" />}
        {list.data && list.data.data.length === 0 && (
          <p>
            No collection yet: create one with <code>POST /v1/collections</code> (see{' '}
            <a href="/docs">the API reference</a>).
          </p>
        )}
        {list.data && list.data.data.length > 0 && (
          <Table caption="Collections">
            <thead>
              <tr>
                <th scope="col">Collection</th>
                <th scope="col">Items</th>
                <th scope="col">Operations</th>
                <th scope="col">Last operation</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((collection) => (
                <tr key={collection.id}>
                  <td>
                    <Link href={`/ui/collections/${collection.id}`}>{collection.name}</Link>
                    {collection.description && <div class="muted">{collection.description}</div>}
                  </td>
                  <td>{formatNumber(collection.itemCount ?? 0)}</td>
                  <td>{formatNumber(collection.operationCount)}</td>
                  <td>
                    {collection.lastOperation ? (
                      <Link href={`/ui/operations/${collection.lastOperation.id}`}>
                        <StatusBadge status={collection.lastOperation.status} />{' '}
                        <Time at={collection.lastOperation.createdAt} />
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <Time at={collection.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <ShowMore more={Boolean(list.data?.nextCursor)} limit={limit} max={500} onMore={setLimit} />
      </Section>
    </>
  );
}
