import { Table, Time } from '../components/ui';
import { elapsed, formatAmount, formatTime } from '../format';
import type { ConveyorEvent, OperationDetail } from '../types';

/** What an event says, in a line: its counts for progress, its data otherwise. */
function describe(event: ConveyorEvent): string {
  const data = event.data;
  if (event.type === 'operation.progress') {
    return `${data.itemsDone ?? 0}/${data.itemsTotal ?? 0} done, ${data.itemsFailed ?? 0} failed, ${data.itemsPerSecond ?? 0} items/s`;
  }
  const text = Object.entries(data)
    .map(([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join(', ');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function EventList({ events }: { events: ConveyorEvent[] }) {
  if (events.length === 0) return <p class="muted">No event yet.</p>;
  return (
    <Table caption="Events, newest first">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">Stage</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {[...events].reverse().map((event) => (
          <tr key={event.id}>
            <td>
              <Time at={event.createdAt} />
            </td>
            <td class="mono">{event.type}</td>
            <td>{event.stageName ?? ''}</td>
            <td>{describe(event)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** When the operation and each stage started and ended (stage times come from its events). */
export function Timings({
  operation,
  events,
}: {
  operation: OperationDetail;
  events: ConveyorEvent[];
}) {
  const at = (type: string, stage: string) =>
    events.find((event) => event.type === type && event.stageName === stage)?.createdAt ?? null;
  return (
    <dl class="facts">
      <dt>Created</dt>
      <dd>
        <Time at={operation.createdAt} />
      </dd>
      <dt>Started</dt>
      <dd>
        <Time at={operation.startedAt} /> (queued{' '}
        {elapsed(operation.createdAt, operation.startedAt)})
      </dd>
      <dt>Finished</dt>
      <dd>
        <Time at={operation.finishedAt} />
      </dd>
      <dt>Run time</dt>
      <dd>{elapsed(operation.startedAt, operation.finishedAt)}</dd>
      {operation.stages.map((stage) => {
        const started = at('stage.started', stage.name);
        const completed = at('stage.completed', stage.name);
        return [
          <dt key={`${stage.name}-t`}>Stage {stage.name}</dt>,
          <dd key={`${stage.name}-d`}>
            {started
              ? `${formatTime(started)} → ${completed ? formatTime(completed) : operation.finishedAt ? 'stopped' : 'running'}`
              : 'not started'}
            {started && ` (${elapsed(started, completed ?? operation.finishedAt)})`}
          </dd>,
        ];
      })}
    </dl>
  );
}

export function CostTable({ operation }: { operation: OperationDetail }) {
  if (operation.costs.length === 0) return <p class="muted">No handler reported a cost.</p>;
  return (
    <Table caption="Costs per stage">
      <thead>
        <tr>
          <th scope="col">Stage</th>
          <th scope="col">Amount</th>
          <th scope="col">Unit</th>
          <th scope="col">Items</th>
        </tr>
      </thead>
      <tbody>
        {operation.costs.map((cost) => (
          <tr key={`${cost.stageName}-${cost.unit}`}>
            <td>{cost.stageName}</td>
            <td>{formatAmount(cost.amount)}</td>
            <td>{cost.unit}</td>
            <td>{cost.items}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
