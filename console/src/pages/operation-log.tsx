import { useEffect, useState } from 'preact/hooks';
import { query } from '../api';
import { ErrorNote, StatusBadge, Table, Time } from '../components/ui';
import { usePolling } from '../live';
import type { Page, RunLogLine } from '../types';
import { useApi } from '../use-api';

/** Lines shown at once; the CLI's `conveyor logs` and the API page through the rest. */
const SHOWN = 200;

/**
 * The lines the operation's handlers logged (ctx.log), oldest first, from a level up; read again
 * every two seconds while the operation runs, and once when it ends.
 */
export function OperationLog({ id, live }: { id: string; live: boolean }) {
  const [level, setLevel] = useState('');
  const lines = useApi<Page<RunLogLine>>(
    `/v1/operations/${encodeURIComponent(id)}/logs${query({ limit: SHOWN, level })}`,
  );
  usePolling(lines.reload, 2000, live);
  // Once more when it ends: its last batches write their lines as they finish.
  const { reload } = lines;
  useEffect(() => {
    if (!live) void reload();
  }, [live, reload]);
  return (
    <>
      <label>
        Log level at least
        <select value={level} onChange={(event) => setLevel(event.currentTarget.value)}>
          <option value="">info</option>
          <option value="warn">warn</option>
          <option value="error">error</option>
        </select>
      </label>
      <ErrorNote error={lines.error} />
      {lines.data && lines.data.data.length === 0 && (
        <p class="muted">No handler has logged a line at this level.</p>
      )}
      {lines.data && lines.data.data.length > 0 && (
        <Table caption="Handler log lines, oldest first">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Level</th>
              <th scope="col">Stage</th>
              <th scope="col">Item</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {lines.data.data.map((line) => (
              <tr key={line.id}>
                <td>
                  <Time at={line.at} />
                </td>
                <td>
                  <StatusBadge status={line.level} />
                </td>
                <td>{line.stage}</td>
                <td>{line.itemKey ?? ''}</td>
                <td>
                  {line.message}
                  {line.data && Object.keys(line.data).length > 0 && (
                    <span class="mono muted"> {JSON.stringify(line.data)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {lines.data?.nextCursor && (
        <p class="muted">
          The first {SHOWN} lines; <span class="mono">conveyor logs {id}</span> prints them all.
        </p>
      )}
    </>
  );
}
