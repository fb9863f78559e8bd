import { useRef } from 'preact/hooks';
import { ProgressBar, Table } from '../components/ui';
import { formatDuration, formatNumber } from '../format';
import type { OperationDetail, StageProgress } from '../types';

/** How far back the rate looks: long enough to smooth batches, short enough to follow changes. */
const RATE_WINDOW_MS = 15_000;

interface Sample {
  at: number;
  finished: number;
}

const finishedOf = (stage: StageProgress) => stage.done + stage.failed + stage.skipped;

/**
 * Items per second of each stage, from the snapshots this page has seen (the API gives counts,
 * not rates per stage): the change over the last RATE_WINDOW_MS.
 */
function useStageRates(operation: OperationDetail): Map<string, number | undefined> {
  const samples = useRef(new Map<string, Sample[]>());
  const now = Date.now();
  const rates = new Map<string, number | undefined>();
  for (const stage of operation.stages) {
    const seen = samples.current.get(stage.name) ?? [];
    const last = seen[seen.length - 1];
    if (!last || last.finished !== finishedOf(stage) || now - last.at > 1000) {
      seen.push({ at: now, finished: finishedOf(stage) });
    }
    while (seen.length > 2 && now - (seen[0] as Sample).at > RATE_WINDOW_MS) seen.shift();
    samples.current.set(stage.name, seen);
    const first = seen[0] as Sample;
    const newest = seen[seen.length - 1] as Sample;
    const seconds = (newest.at - first.at) / 1000;
    rates.set(stage.name, seconds >= 1 ? (newest.finished - first.finished) / seconds : undefined);
  }
  return rates;
}

function eta(stage: StageProgress, rate: number | undefined): string {
  const remaining = stage.items - finishedOf(stage);
  if (remaining <= 0) return 'done';
  if (!rate || rate <= 0) return '—';
  return formatDuration((remaining / rate) * 1000);
}

/** Per-stage progress with rate and ETA while the operation runs. */
export function StageTable({ operation, live }: { operation: OperationDetail; live: boolean }) {
  const rates = useStageRates(operation);
  return (
    <Table caption="Progress per stage">
      <thead>
        <tr>
          <th scope="col">Stage</th>
          <th scope="col">Progress</th>
          <th scope="col">Done</th>
          <th scope="col">Failed</th>
          <th scope="col">Skipped</th>
          <th scope="col">In progress</th>
          <th scope="col">Pending</th>
          <th scope="col">Rate</th>
          <th scope="col">ETA</th>
        </tr>
      </thead>
      <tbody>
        {operation.stages.map((stage) => {
          const rate = rates.get(stage.name);
          return (
            <tr key={stage.name} data-stage={stage.name}>
              <th scope="row">
                {stage.name}
                <div class="muted">{stage.handler}</div>
              </th>
              <td class="progress-cell">
                <ProgressBar
                  label={`Stage ${stage.name}`}
                  done={stage.done + stage.skipped}
                  failed={stage.failed}
                  total={stage.items}
                />
              </td>
              <td>{formatNumber(stage.done)}</td>
              <td>{formatNumber(stage.failed)}</td>
              <td>{formatNumber(stage.skipped)}</td>
              <td>{formatNumber(stage.inProgress)}</td>
              <td>{formatNumber(stage.pending)}</td>
              <td>{live && rate !== undefined ? `${formatNumber(rate)}/s` : '—'}</td>
              <td>{live ? eta(stage, rate) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
