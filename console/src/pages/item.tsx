import { ErrorNote, Loading, Section, StatusBadge, Table, Time } from '../components/ui';
import { formatDuration, pretty } from '../format';
import { Link } from '../router';
import type { ItemDetail } from '../types';
import { useApi } from '../use-api';

/**
 * One item: its data, its latest result per stage (stale or not), its state per job, its history
 * of runs.
 */
export function ItemPage({ collectionId, itemId }: { collectionId: string; itemId: string }) {
  const item = useApi<ItemDetail>(
    `/v1/collections/${encodeURIComponent(collectionId)}/items/${encodeURIComponent(itemId)}`,
  );
  const data = item.data;
  return (
    <>
      <p>
        <Link href={`/ui/collections/${collectionId}`}>← Collection</Link>
      </p>
      <h1>Item {data?.key ?? itemId}</h1>
      <ErrorNote error={item.error} />
      {!data && !item.error && <Loading what="the item" />}
      {data && (
        <>
          <Section title="Data">
            <pre>{pretty(data.data ?? {})}</pre>
          </Section>
          <Section title="Latest result per stage">
            {data.results.length === 0 ? (
              <p class="muted">No stored result yet.</p>
            ) : (
              <Table caption="Results per stage">
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col">Handler</th>
                    <th scope="col">Version</th>
                    <th scope="col">Freshness</th>
                    <th scope="col">Output</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {data.results.map((result) => (
                    <tr key={`${result.stage}-${result.handler}`}>
                      <td>{result.stage}</td>
                      <td>{result.handler}</td>
                      <td>
                        v{result.handlerVersion}
                        {result.stale && ` (now v${result.currentVersion})`}
                      </td>
                      <td>
                        <StatusBadge status={result.stale ? 'stale' : 'fresh'} />
                      </td>
                      <td>
                        <pre>{pretty(result.output)}</pre>
                      </td>
                      <td>
                        <Time at={result.updatedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Section>
          <Section title="State per job">
            {data.states.length === 0 ? (
              <p class="muted">No production run of any job has reached this item yet.</p>
            ) : (
              <Table caption="Latest final outcome per job and stage">
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Latest outcome</th>
                    <th scope="col">Operation</th>
                    <th scope="col">Finished</th>
                  </tr>
                </thead>
                <tbody>
                  {data.states.map((state) => (
                    <tr key={`${state.job}-${state.stage}`}>
                      <td>{state.job}</td>
                      <td>{state.stage}</td>
                      <td>
                        <StatusBadge status={state.status} />
                      </td>
                      <td>
                        <Link href={`/ui/operations/${state.operationId}`}>
                          {state.operationId}
                        </Link>
                      </td>
                      <td>{state.finishedAt && <Time at={state.finishedAt} />}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Section>
          <Section title="History across operations">
            <Table caption="Item stages, newest first">
              <thead>
                <tr>
                  <th scope="col">Operation</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {data.history.map((entry) => (
                  <tr key={`${entry.operationId}-${entry.stage}`}>
                    <td>
                      <Link href={`/ui/operations/${entry.operationId}`}>{entry.jobName}</Link>
                      <div class="muted">
                        <Time at={entry.startedAt} />
                      </div>
                    </td>
                    <td>
                      {entry.stage}
                      {entry.handlerVersion && <span class="muted"> v{entry.handlerVersion}</span>}
                    </td>
                    <td>
                      <StatusBadge status={entry.status} />
                    </td>
                    <td>{entry.attempts}</td>
                    <td>{formatDuration(entry.durationMs)}</td>
                    <td class="error-text">{entry.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Section>
        </>
      )}
    </>
  );
}
