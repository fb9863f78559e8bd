import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, Table } from '../components/ui';
import { formatNumber, pretty } from '../format';
import { navigate } from '../router';
import type { Collection, DryRunPlan, Operation, Page } from '../types';
import { useAction, useApi } from '../use-api';

type Mode = Operation['mode'];

function Plan({ plan }: { plan: DryRunPlan['plan'] }) {
  return (
    <div class="note" aria-live="polite" data-testid="dry-run-plan">
      <p>
        Dry run: {formatNumber(plan.items)} item(s) in {formatNumber(plan.chunks)} chunk(s); nothing
        was recorded.
        {plan.sampleKeys.length > 0 && ` First keys: ${plan.sampleKeys.join(', ')}.`}
      </p>
      {plan.discovery && <p>{plan.discovery.note}</p>}
      <Table caption="Plan per stage">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Handler</th>
            <th scope="col">Batches</th>
            <th scope="col">Batch size</th>
            <th scope="col">Concurrency</th>
            <th scope="col">Rate limit</th>
            <th scope="col">Params</th>
          </tr>
        </thead>
        <tbody>
          {plan.stages.map((stage) => (
            <tr key={stage.name}>
              <td>{stage.name}</td>
              <td>{stage.handler}</td>
              <td>{formatNumber(stage.batches)}</td>
              <td>
                {stage.batchSize}
                {stage.adaptiveBatchSize && ' (adapts)'}
              </td>
              <td>{stage.concurrency}</td>
              <td>{stage.rateLimitPerSecond ? `${stage.rateLimitPerSecond}/s` : 'none'}</td>
              <td>
                <pre>{pretty(stage.params)}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

/**
 * Starts an operation of a job: over a collection or globally, in production, test (one item
 * or `limit`) or dry-run mode (the plan is shown here, nothing starts).
 */
export function StartRun({ jobName }: { jobName: string }) {
  const collections = useApi<Page<Collection>>('/v1/collections?limit=500');
  const [collectionId, setCollectionId] = useState('');
  const [mode, setMode] = useState<Mode>('production');
  const [limit, setLimit] = useState('');
  const [params, setParams] = useState('{}');
  const [plan, setPlan] = useState<DryRunPlan['plan']>();
  const [paramsError, setParamsError] = useState<string>();
  const action = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    let parsedParams: unknown;
    try {
      parsedParams = JSON.parse(params || '{}');
      setParamsError(undefined);
    } catch (error) {
      setParamsError(
        `Params are not JSON (${(error as Error).message}): fix them and start again.`,
      );
      return;
    }
    setPlan(undefined);
    void action.run(async () => {
      const answer = await api<Operation | DryRunPlan>('POST', '/v1/operations', {
        job: jobName,
        ...(collectionId ? { collectionId } : { scope: 'global' }),
        mode,
        params: parsedParams,
        ...(limit ? { limit: Number(limit) } : {}),
      });
      if ('plan' in answer) setPlan(answer.plan);
      else navigate(`/ui/operations/${answer.id}`);
    });
  };

  return (
    <form onSubmit={submit} aria-label="Start a run">
      <div class="form-grid">
        <label>
          Run over
          <select
            name="collection"
            value={collectionId}
            onChange={(event) => setCollectionId(event.currentTarget.value)}
          >
            <option value="">no items (global scope)</option>
            {collections.data?.data.map((collection) => (
              <option key={collection.id} value={collection.id}>
                collection {collection.name} ({collection.itemCount ?? 0} items)
              </option>
            ))}
          </select>
        </label>
        <label>
          Mode
          <select
            name="mode"
            value={mode}
            onChange={(event) => setMode(event.currentTarget.value as Mode)}
          >
            <option value="production">production</option>
            <option value="test">test (one item or the limit; no results stored)</option>
            <option value="dry_run">dry run (show the plan only)</option>
          </select>
        </label>
        <label>
          Limit (items)
          <input
            name="limit"
            type="number"
            min={1}
            value={limit}
            onInput={(event) => setLimit(event.currentTarget.value)}
          />
        </label>
        <label class="wide">
          Params laid over every stage's (JSON)
          <input
            name="params"
            class="mono"
            value={params}
            onInput={(event) => setParams(event.currentTarget.value)}
          />
        </label>
      </div>
      <ErrorNote error={paramsError ?? action.error ?? collections.error} />
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          {mode === 'dry_run' ? 'Plan the run' : 'Start the run'}
        </button>
      </div>
      {plan && <Plan plan={plan} />}
    </form>
  );
}
