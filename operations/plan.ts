import type { JobDefinition } from '../common/domain';
import { Conflict, type Field, NotFound, zodFields } from '../common/domain-errors';
import {
  beginsWithDiscovery,
  type EngineSettings,
  lanesFor,
  planItemStages,
} from '../common/engine';
import type { Database } from '../db/client';
import { type ItemSelection, sampleItems, selectItemIds } from '../db/items';
import type { HandlerRegistry } from '../handlers/registry';

/** The sizes an operation's work is cut up by: the deployment's, the same for every tenant. */
export type PlanSettings = Pick<EngineSettings, 'chunkSize' | 'batchSize' | 'historyEventsLimit'>;

/**
 * How an operation's work is cut up: chunks (child workflows) and batches (activities), as many
 * side by side as its tenant's parallelism allows.
 */
export function engineSettings(settings: PlanSettings, parallelism: number): EngineSettings {
  return {
    chunkSize: settings.chunkSize,
    batchSize: settings.batchSize,
    ...lanesFor(parallelism),
    historyEventsLimit: settings.historyEventsLimit,
  };
}

/**
 * The job as this operation will run it: only the chosen stages, each with the operation's
 * params laid over the stage's own and checked against the handler's schema.
 */
export function operationDefinition(
  job: JobDefinition,
  handlers: HandlerRegistry,
  options: { stages?: string[]; params: Record<string, unknown> },
): JobDefinition {
  const names = new Set(job.stages.map((stage) => stage.name));
  const unknown = (options.stages ?? []).flatMap((name, index) =>
    names.has(name)
      ? []
      : [{ name: `stages.${index}`, reason: `job ${job.name} has no stage "${name}"` }],
  );
  if (unknown.length > 0) throw new NotFound(unknown);
  const invalid: Field[] = [];
  const chosen = options.stages
    ? job.stages.filter((stage) => options.stages?.includes(stage.name))
    : job.stages;
  const stages = chosen.map((stage) => {
    const params = { ...stage.params, ...options.params };
    const handler = handlers.get(stage.handler);
    const parsed = handler?.params.safeParse(params);
    if (parsed && !parsed.success)
      invalid.push(...zodFields(parsed.error, `params (stage ${stage.name})`));
    return { ...stage, params };
  });
  stages.forEach((stage, index) => {
    const discovery = handlers.get(stage.handler)?.kind === 'discovery';
    if (index > 0 && discovery) {
      invalid.push({ name: 'stages', reason: `discovery stage "${stage.name}" must come first` });
    }
    if (stage.passOn !== undefined && !discovery) {
      invalid.push({
        name: `stages.${index}.passOn`,
        reason: `stage "${stage.name}" does not discover items: passOn applies to a discovery stage only`,
      });
    }
  });
  // Well-formed by the document, but at odds with the job's handlers: what the job is decides.
  if (invalid.length > 0) throw Conflict.over(invalid);
  return { ...job, stages };
}

/**
 * A discovery stage fills a collection, so it runs only when an operation covers a whole one.
 * Over items that already exist (a retry of failures, stale results, an explicit list) the
 * operation runs the later stages on them and leaves discovery out.
 */
export function stagesForCoverage(
  definition: JobDefinition,
  handlers: HandlerRegistry,
  covers: 'collection' | 'items' | 'global',
): JobDefinition {
  if (!beginsWithDiscovery(definition.stages, handlers)) return definition;
  if (covers === 'collection') return definition;
  if (covers === 'global') {
    throw Conflict.over([
      { name: 'scope', reason: 'a job that begins with a discovery stage needs a collection' },
    ]);
  }
  const stages = definition.stages.slice(1);
  if (stages.length === 0) {
    throw Conflict.over([
      {
        name: 'job',
        reason: `job ${definition.name} has only a discovery stage, which runs over a whole collection, not over given items`,
      },
    ]);
  }
  return { ...definition, stages };
}

export type ItemSource = { collectionId: string } | { itemIds: number[] };

/** Explicit item ids when a limit or keys narrow the scope; otherwise the source stands. */
export async function narrowItems(
  sql: Database['sql'],
  source: ItemSource,
  selection: ItemSelection,
): Promise<number[] | null> {
  if (selection.limit === undefined && selection.itemKeys === undefined) {
    return 'itemIds' in source ? source.itemIds : null;
  }
  return selectItemIds(sql, source, selection);
}

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** What a dry run returns: what would run, on which items, in how many chunks and batches. */
export async function dryRunPlan(
  sql: Database['sql'],
  settings: Pick<PlanSettings, 'chunkSize' | 'batchSize'>,
  definition: JobDefinition,
  handlers: HandlerRegistry,
  source: ItemSource | null,
) {
  const { count, keys } = source
    ? await sampleItems(sql, source, 10)
    : { count: 1, keys: ['global'] };
  const discovery = beginsWithDiscovery(definition.stages, handlers);
  const itemStages = planItemStages(definition.stages, discovery, settings.batchSize);
  const chunkSizes = Array.from({ length: ceilDiv(count, settings.chunkSize) }, (_, i) =>
    Math.min(settings.chunkSize, count - i * settings.chunkSize),
  );
  return {
    items: count,
    sampleKeys: keys,
    chunks: chunkSizes.length,
    discovery: discovery
      ? { stage: definition.stages[0]?.name, note: 'items found at run time are not counted here' }
      : null,
    stages: definition.stages.map((stage, index) => {
      // The engine's own plan of the stage; a discovery stage has none and runs no batches.
      const planned = itemStages.find((plan) => plan.index === index);
      const batchSize = planned?.batchSize ?? stage.batchSize ?? settings.batchSize;
      return {
        name: stage.name,
        handler: stage.handler,
        params: stage.params,
        batchSize,
        // Adaptive stages start at batchSize and grow or shrink toward ~1 s per batch.
        adaptiveBatchSize: stage.batchSize === undefined,
        concurrency: stage.concurrency,
        rateLimitPerSecond: stage.rateLimitPerSecond ?? null,
        batches: planned ? chunkSizes.reduce((sum, size) => sum + ceilDiv(size, batchSize), 0) : 0,
        retry: stage.retry,
      };
    }),
  };
}
