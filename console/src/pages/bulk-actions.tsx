import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, StatusBadge, Table } from '../components/ui';
import { Link } from '../router';
import type { BulkResult } from '../types';
import { useAction } from '../use-api';
import type { Filters } from './operation-filters';

/**
 * Cancel or retry every operation the filters match, in two steps as the API offers them: a
 * preview (`dryRun: true`) listing what would be acted on, then the action itself.
 */
export function BulkActions(props: { filters: Filters; onDone: () => void }) {
  const [result, setResult] = useState<BulkResult>();
  const action = useAction();
  const hasFilter = Object.keys(props.filters).length > 0;
  const body = {
    ...props.filters,
    ...(props.filters.priority ? { priority: Number(props.filters.priority) } : {}),
  };

  const call = (kind: 'cancel' | 'retry', dryRun: boolean) =>
    action.run(async () => {
      const answer = await api<BulkResult>('POST', `/v1/operations/${kind}`, { ...body, dryRun });
      setResult(answer);
      if (!dryRun) props.onDone();
    });

  return (
    <div class="bulk">
      {!hasFilter && (
        <p class="muted">Apply at least one filter to cancel or retry the operations it matches.</p>
      )}
      <div class="actions">
        <button
          type="button"
          disabled={!hasFilter || action.busy}
          onClick={() => call('cancel', true)}
        >
          Preview cancel
        </button>
        <button
          type="button"
          disabled={!hasFilter || action.busy}
          onClick={() => call('retry', true)}
        >
          Preview retry
        </button>
      </div>
      <ErrorNote error={action.error} />
      {result && (
        <div class="bulk-result" aria-live="polite">
          <p>
            {result.dryRun
              ? `${result.matched} operation(s) match; ${result.action} would act on the ${result.operations.length} listed.`
              : `${result.action === 'cancel' ? 'Cancel' : 'Retry'} asked for ${result.operations.length} operation(s).`}
          </p>
          {result.operations.length > 0 && (
            <Table
              caption={`Operations the ${result.action} ${result.dryRun ? 'would act on' : 'acted on'}`}
            >
              <thead>
                <tr>
                  <th scope="col">Operation</th>
                  <th scope="col">Job</th>
                  <th scope="col">Status</th>
                  {!result.dryRun && <th scope="col">Outcome</th>}
                </tr>
              </thead>
              <tbody>
                {result.operations.map((operation) => (
                  <tr key={operation.id}>
                    <td>
                      <Link href={`/ui/operations/${operation.id}`}>{operation.id}</Link>
                    </td>
                    <td>{operation.job.name}</td>
                    <td>
                      <StatusBadge status={operation.status} />
                    </td>
                    {!result.dryRun && (
                      <td>
                        {operation.outcome}
                        {operation.retryId && (
                          <>
                            {' → '}
                            <Link href={`/ui/operations/${operation.retryId}`}>
                              {operation.retryId}
                            </Link>
                          </>
                        )}
                        {operation.detail && <div class="muted">{operation.detail}</div>}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {result.dryRun && result.operations.length > 0 && (
            <div class="actions">
              <button
                type="button"
                class={result.action === 'cancel' ? 'danger' : ''}
                disabled={action.busy}
                onClick={() => call(result.action, false)}
              >
                {result.action === 'cancel' ? 'Cancel' : 'Retry'} these {result.operations.length}
              </button>
              <button type="button" class="secondary" onClick={() => setResult(undefined)}>
                Dismiss
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
