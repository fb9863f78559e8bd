import { type Context, Hono } from 'hono';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { type JobDefinition, jobDefinitionSchema } from '../common/domain';
import { createJob, deleteJob, findJob, listJobs, updateJob } from '../db/jobs';
import { ConflictError } from '../db/pg-errors';
import type { AppEnv } from './env';
import { type InvalidParam, problems, zodInvalidParams } from './problems';
import { readBody, uuidParam } from './validation';

/** Checks each stage's handler exists and its params fit the handler's schema. */
export function checkStages(definition: JobDefinition, handlers: HandlerRegistry): InvalidParam[] {
  return definition.stages.flatMap((stage, index): InvalidParam[] => {
    const handler = handlers.get(stage.handler);
    if (!handler) {
      return [
        {
          name: `stages.${index}.handler`,
          reason: `no handler named "${stage.handler}"; GET /v1/handlers lists them`,
        },
      ];
    }
    if (handler.kind === 'discovery' && index > 0) {
      return [
        {
          name: `stages.${index}.handler`,
          reason: `discovery handler "${handler.name}" can only run as the first stage`,
        },
      ];
    }
    const params = handler.params.safeParse(stage.params);
    return params.success ? [] : zodInvalidParams(params.error, `stages.${index}.params`);
  });
}

function rethrowConflict(error: unknown): never {
  if (error instanceof ConflictError)
    throw problems.conflict(`${error.message}; choose another name or update it.`);
  throw error;
}

export function jobRoutes(handlers: HandlerRegistry) {
  const app = new Hono<AppEnv>();

  const readDefinition = async (c: Context<AppEnv>) => {
    const definition = await readBody(c, jobDefinitionSchema);
    const invalid = checkStages(definition, handlers);
    if (invalid.length > 0) throw problems.validation(invalid, 'job');
    return definition;
  };

  app.post('/', async (c) => {
    const definition = await readDefinition(c);
    const job = await createJob(
      c.get('deps').database.db,
      c.get('principal').tenantId,
      definition,
    ).catch(rethrowConflict);
    return c.json(job, 201);
  });

  app.post('/validate', async (c) => {
    const definition = await readDefinition(c);
    return c.json({ valid: true, definition });
  });

  app.get('/', async (c) => {
    return c.json({ data: await listJobs(c.get('deps').database.db, c.get('principal').tenantId) });
  });

  app.get('/:id', async (c) => {
    const idOrName = c.req.param('id');
    const job = await findJob(c.get('deps').database.db, c.get('principal').tenantId, idOrName);
    if (!job) throw problems.notFound('job', idOrName);
    return c.json(job);
  });

  app.put('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'job');
    const { db } = c.get('deps').database;
    const job = await findJob(db, c.get('principal').tenantId, id);
    if (!job) throw problems.notFound('job', id);
    const updated = await updateJob(db, job, await readDefinition(c)).catch(rethrowConflict);
    if (!updated)
      throw problems.conflict('The job changed while you edited it; fetch it and try again.');
    return c.json(updated);
  });

  app.delete('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'job');
    if (!(await deleteJob(c.get('deps').database.db, c.get('principal').tenantId, id))) {
      throw problems.notFound('job', id);
    }
    return c.body(null, 204);
  });

  return app;
}
