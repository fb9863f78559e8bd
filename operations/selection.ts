import type { ItemSelection, JobDefinition } from '../common/domain';
import { Conflict } from '../common/domain-errors';
import { beginsWithDiscovery } from '../common/engine';
import { itemIdsInState } from '../db/item-states';
import { staleItemIds } from '../db/results';
import type { HandlerRegistry } from '../handlers/registry';
import type { RecordContext } from './start';

/** What a start with `only` selects from. */
export interface SelectionSource {
  tenantId: string;
  collectionId: string;
  job: { id: string; name: string };
  /** The stages the operation runs (after its `stages` choice): the states are read for these. */
  definition: JobDefinition;
}

/**
 * The collection's items a start with `only` takes, in id order: stale by the rule the
 * collection's stats count them by, unprocessed and failed by their state across the job's
 * production runs.
 */
export async function selectItems(
  context: RecordContext,
  selection: ItemSelection,
  source: SelectionSource,
): Promise<number[]> {
  const { sql } = context.database;
  const { definition } = source;
  if (selection === 'stale') {
    const current = [...new Set(definition.stages.map((stage) => stage.handler))].flatMap(
      (name) => {
        const handler = context.handlers.get(name);
        return handler ? [{ handler: name, version: handler.version }] : [];
      },
    );
    return staleItemIds(sql, source.collectionId, current);
  }
  return itemIdsInState(
    sql,
    {
      tenantId: source.tenantId,
      jobId: source.job.id,
      stages: stagesWithItemStates(definition, context.handlers),
    },
    source.collectionId,
    selection,
  );
}

/** The Conflict of a start whose `only` selected nothing: what it looked for, and what to do. */
export function nothingSelected(selection: ItemSelection, source: SelectionSource): Conflict {
  const { collectionId, job } = source;
  switch (selection) {
    case 'stale':
      return new Conflict(
        `No item of collection ${collectionId} has a stale result from the handlers of job ${job.name}; there is nothing to reprocess.`,
      );
    case 'unprocessed':
      return new Conflict(
        `Every item of collection ${collectionId} has a final outcome in each stage of job ${job.name}; there is nothing unprocessed. Add items, or start without "only" to run them all again.`,
      );
    case 'failed':
      return new Conflict(
        `No item of collection ${collectionId} failed in its latest run of job ${job.name}'s stages; there is nothing failed to run again.`,
      );
  }
}

/**
 * The stages of a job whose outcomes are per item, by name: all but a discovery stage, which
 * finds items rather than processing them. A discovery-only job has none.
 */
export function stagesWithItemStates(
  definition: JobDefinition,
  handlers: HandlerRegistry,
): string[] {
  const stages = beginsWithDiscovery(definition.stages, handlers)
    ? definition.stages.slice(1)
    : definition.stages;
  return stages.map((stage) => stage.name);
}
