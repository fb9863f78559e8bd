import { z } from '@hono/zod-openapi';
import { jobDefinitionSchema, retryPolicyWithDefaults, stageSchema } from '../../common/domain';
import { MAX_STAGES } from '../../common/limits';
import type { Handler } from '../../handlers/define';
import type { HandlerRegistry } from '../../handlers/registry';
export const LATER_STAGE = 'LaterStage';

/**
 * A stage of one handler: its name as a constant, its own params schema, and its policies
 * defaulting to the handler's own defaults where it has them.
 */
function stageOf(handler: Handler) {
  const { concurrency, itemTimeoutMs, rateLimitPerSecond, retry } = handler.defaults ?? {};
  const fields = stageSchema.shape;
  // Strict, as the job is: a field the engine does not know is refused, not silently dropped.
  return stageSchema
    .extend({
      handler: z.literal(handler.name).openapi({ description: handler.description }),
      params: (handler.params as z.ZodType<Record<string, unknown>>)
        .default({})
        .openapi({ description: `Params of ${handler.name}, checked against its schema.` }),
      concurrency: orDefault(fields.concurrency, concurrency),
      itemTimeoutMs: orDefault(fields.itemTimeoutMs, itemTimeoutMs),
      rateLimitPerSecond: orDefault(fields.rateLimitPerSecond, rateLimitPerSecond),
      retry: retryPolicyWithDefaults(retry ?? {}),
    })
    .strict();
}

/** The field with the handler's default over Conveyor's, or as it is when the handler has none. */
const orDefault = <T>(field: z.ZodType<T, T | undefined>, value: T | undefined) =>
  value === undefined ? field : field.default(value as never);

function stageOfAny(handlers: Handler[], where: string) {
  const names = handlers.map((handler) => handler.name).join(', ');
  const error = (issue: { input?: unknown }) =>
    issue.input === undefined
      ? 'a job needs at least one stage'
      : `must name a handler that can run ${where}: ${names}`;
  const [only, ...others] = handlers.map(stageOf);
  if (!only) throw new Error(`no handler can run ${where}`);
  if (others.length === 0) return only;
  return z.discriminatedUnion('handler', [only, ...others], { error });
}

/**
 * A job definition as the handlers the workers run accept it, for requests: each stage's
 * `handler` is one of theirs and its `params` that handler's schema, and a discovery handler
 * only starts a job. The document then says exactly what the API takes (a fuzzer or a
 * generated client never has to guess). Stage names being unique is the one rule a schema
 * cannot state; the routes answer it with 409.
 */
export function jobDefinitionInputSchema(handlers: HandlerRegistry) {
  const all = [...handlers.values()];
  const itemHandlers = all.filter((handler) => handler.kind === 'item');
  // Named, so the document can point `items` at it: the generator leaves a tuple's rest out.
  const laterStage = stageOfAny(itemHandlers, 'after the first stage').openapi(LATER_STAGE);
  const definition = jobDefinitionSchema
    .extend({
      stages: z
        .tuple([stageOfAny(all, 'as the first stage')], laterStage)
        .superRefine((stages, context) => {
          if (stages.length > MAX_STAGES) {
            context.addIssue({
              code: 'custom',
              message: `must hold at most ${MAX_STAGES} stages`,
            });
          }
        })
        .openapi({
          // `prefixItems` alone lets the first stage be absent; a job has at least one.
          minItems: 1,
          maxItems: MAX_STAGES,
          items: { $ref: `#/components/schemas/${LATER_STAGE}` },
          description:
            'Run in this order; an item enters a stage only after finishing the one before. Only the first stage may name a discovery handler.',
        } as object),
    })
    .strict()
    .openapi('JobDefinitionInput', {
      description:
        'A named list of stages, each naming a handler the workers run with params its schema accepts; stage names are unique (409 otherwise). A field the job or a stage does not have is refused (400 naming it), never dropped.',
    });
  return { definition, laterStage };
}

/** The first stage name used twice, as the invalid param a 409 names; undefined if none. */
export function repeatedStageName(stages: { name: string }[]) {
  const seen = new Set<string>();
  for (const [index, stage] of stages.entries()) {
    if (seen.has(stage.name)) {
      return { name: `stages.${index}.name`, reason: `"${stage.name}" names an earlier stage too` };
    }
    seen.add(stage.name);
  }
  return undefined;
}

/**
 * The first stage with `passOn` that discovers nothing, as the invalid param a 409 names:
 * undefined if none. The document cannot say it without a union per handler kind.
 */
export function misplacedPassOn(
  stages: { name: string; handler: string; passOn?: unknown }[],
  handlers: HandlerRegistry,
) {
  const index = stages.findIndex(
    (stage) => stage.passOn !== undefined && handlers.get(stage.handler)?.kind !== 'discovery',
  );
  const stage = stages[index];
  if (!stage) return undefined;
  return {
    name: `stages.${index}.passOn`,
    reason: `stage "${stage.name}" does not discover items: passOn applies to a discovery stage only`,
  };
}
