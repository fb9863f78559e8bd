import { useState } from 'preact/hooks';
import { query } from '../api';
import {
  ErrorNote,
  Loading,
  PAGE,
  ProgressBar,
  Section,
  ShowMore,
  StatusBadge,
  Table,
  Time,
} from '../components/ui';
import { useEventStream, usePolling, useThrottle } from '../live';
import { Link, navigate, useLocation } from '../router';
import type { Operation, Page } from '../types';
import { useApi } from '../use-api';
import { BulkActions } from './bulk-actions';
import { type Filters, filtersFrom, OperationFilters } from './operation-filters';

/**
 * Every operation of the tenant, newest first, with the API's filters. Kept live by the
 * tenant's event stream (any operation event reloads the list), and by a slow poll besides.
 */
export function OperationsPage() {
  const location = useLocation();
  const filters = filtersFrom(location.searchParams);
  const [limit, setLimit] = useState(PAGE);
  const list = useApi<Page<Operation>>(`/v1/operations${query({ ...filters, limit })}`);
  const reload = useThrottle(() => void list.reload(), 1000);

  useEventStream('/v1/events/stream', (event) => {
    if (event.operationId) reload();
  });
  usePolling(reload, 5000, true);

  const apply = (next: Filters) => navigate(`/ui/operations${query(next)}`, true);

  return (
    <>
      <h1>Operations</h1>
      {/* Folded until used, so the runs come first; open while filters are on. */}
      <details class="card" open={Object.keys(filters).length > 0}>
        <summary>Filters and bulk cancel or retry</summary>
        <OperationFilters key={location.search} filters={filters} onApply={apply} />
        <h2>Bulk cancel or retry</h2>
        <BulkActions filters={filters} onDone={() => void list.reload()} />
      </details>
      <Section title="Runs">
        <ErrorNote error={list.error} />
        {!list.data && !list.error && <Loading what="operations" />}
        {list.data && list.data.data.length === 0 && (
          <p>
            No operation matches. Start one from a <Link href="/ui/jobs">job</Link>.
          </p>
        )}
        {list.data && list.data.data.length > 0 && (
          <Table caption="Operations, newest first">
            <thead>
              <tr>
                <th scope="col">Operation</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Mode</th>
                <th scope="col">Created</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((operation) => (
                <tr key={operation.id} data-operation={operation.id}>
                  <td>
                    <Link href={`/ui/operations/${operation.id}`}>{operation.job.name}</Link>
                    <div class="muted mono">{operation.id}</div>
                  </td>
                  <td>
                    <StatusBadge status={operation.status} />
                  </td>
                  <td class="progress-cell">
                    <ProgressBar
                      label={`Progress of ${operation.job.name} ${operation.id}`}
                      done={operation.counts.done + operation.counts.skipped}
                      failed={operation.counts.failed}
                      total={operation.counts.items}
                    />
                  </td>
                  <td>{operation.mode}</td>
                  <td>
                    <Time at={operation.createdAt} />
                  </td>
                  <td>{operation.requestedBy ?? '—'}</td>
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
