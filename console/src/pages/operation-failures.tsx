import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, query } from '../api';
import { ErrorNote, Table } from '../components/ui';
import { Link } from '../router';
import type { OperationDetail, OperationItem, Page } from '../types';

const SHOWN = 100;

interface Failure {
  stage: string;
  itemId: number;
  key: string;
  attempts: number;
  error: string | null;
}

/** The failed items of each stage that has some (the API filters by one stage at a time). */
function useFailures(operation: OperationDetail) {
  const [failures, setFailures] = useState<Failure[]>([]);
  const [error, setError] = useState<ApiError>();
  const failedStages = operation.stages.filter((stage) => stage.failed > 0);
  const signature = failedStages.map((stage) => `${stage.name}:${stage.failed}`).join(',');

  useEffect(() => {
    let current = true;
    Promise.all(
      failedStages.map((stage) =>
        api<Page<OperationItem>>(
          'GET',
          `/v1/operations/${operation.id}/items${query({ stage: stage.name, status: 'failed', limit: SHOWN })}`,
        ).then((page) =>
          page.data.map((item) => {
            const state = item.stages.find((entry) => entry.stage === stage.name);
            return {
              stage: stage.name,
              itemId: item.itemId,
              key: item.key,
              attempts: state?.attempts ?? 0,
              error: state?.error ?? null,
            };
          }),
        ),
      ),
    ).then(
      (lists) => current && setFailures(lists.flat()),
      (thrown) => current && setError(thrown instanceof ApiError ? thrown : undefined),
    );
    return () => {
      current = false;
    };
    // Read again only when the failure counts change.
  }, [operation.id, signature]);

  return { failures, error };
}

/** Failures with their errors, each item linked to its page (results and history). */
export function FailureList({ operation }: { operation: OperationDetail }) {
  const { failures, error } = useFailures(operation);
  const collectionId = operation.scope.collectionId;
  if (operation.counts.failed === 0 && failures.length === 0) {
    return <p class="muted">No item failed.</p>;
  }
  return (
    <>
      <ErrorNote error={error} />
      <Table caption="Failed items">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Stage</th>
            <th scope="col">Attempts</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {failures.map((failure) => (
            <tr key={`${failure.stage}-${failure.itemId}`} class="failure">
              <td>
                {collectionId ? (
                  <Link href={`/ui/collections/${collectionId}/items/${failure.itemId}`}>
                    {failure.key}
                  </Link>
                ) : (
                  failure.key
                )}
              </td>
              <td>{failure.stage}</td>
              <td>{failure.attempts}</td>
              <td class="error-text">{failure.error ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {failures.length >= SHOWN && (
        <p class="muted">The first {SHOWN} failures of each stage are shown.</p>
      )}
    </>
  );
}
