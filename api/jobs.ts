import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { HandlerRegistry } from '../activities/handlers/registry';
import { type JobDefinition, jobDefinitionSchema } from '../common/domain';
import { createJob, deleteJob, findJob, listJobs, updateJob } from '../db/jobs';
import { ConflictError } from '../db/pg-errors';
import type { AppEnv } from './env';
import { jsonBody, jsonResponse, listOf, timestamp } from './openapi';
import { errorResponses, type InvalidParam, problems, zodInvalidParams } from './problems';
import { openApiRouter, uuidPath } from './validation';

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

const tags = ['jobs'];
const definitionSchema = jobDefinitionSchema.openapi('JobDefinition', {
  description: 'A named list of stages, each naming a handler with params and policies.',
});
const definitionBody = jsonBody(definitionSchema);

const jobSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    name: z.string(),
    version: z.number().int().openapi({ description: 'Starts at 1; each update adds one.' }),
    definition: definitionSchema,
    createdAt: timestamp('When the job was created.'),
    updatedAt: timestamp('When its definition last changed.'),
    deletedAt: timestamp('Set once deleted; deleted jobs are not served.').nullable(),
  })
  .openapi('Job');

const idOrName = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    description: 'The job’s id or its name.',
    example: 'checksum-dir',
  }),
});
const idParams = uuidPath('job');

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a job',
  request: { body: definitionBody },
  responses: {
    201: jsonResponse(jobSchema, 'The new job, at version 1.'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

const validate = createRoute({
  method: 'post',
  path: '/validate',
  tags,
  summary: 'Check a job definition against the handlers without saving it',
  request: { body: definitionBody },
  responses: {
    200: jsonResponse(
      z.object({
        valid: z.literal(true),
        definition: definitionSchema.openapi({ description: 'With every default filled in.' }),
      }),
      'The definition is valid.',
    ),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List jobs, newest first',
  responses: {
    200: jsonResponse(listOf(jobSchema), 'Every job of the tenant.'),
    ...errorResponses(401, 500, 503),
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'Get a job by id or name',
  request: { params: idOrName },
  responses: {
    200: jsonResponse(jobSchema, 'The job.'),
    ...errorResponses(401, 404, 500, 503),
  },
});

const replace = createRoute({
  method: 'put',
  path: '/{id}',
  tags,
  summary: 'Replace a job definition (a new version)',
  request: { params: idParams, body: definitionBody },
  responses: {
    200: jsonResponse(jobSchema, 'The job at its new version.'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a job (operations that ran it keep their snapshot)',
  request: { params: idParams },
  responses: {
    204: { description: 'Deleted.' },
    ...errorResponses(401, 403, 404, 500, 503),
  },
});

/** `/v1/jobs`: job definitions, checked against the handlers the workers run. */
export function jobRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  const checked = (definition: JobDefinition) => {
    const invalid = checkStages(definition, handlers);
    if (invalid.length > 0) throw problems.validation(invalid, 'job');
    return definition;
  };
  const tenantOf = (c: Context<AppEnv>) => c.get('principal').tenantId;

  app.openapi(create, async (c) => {
    const definition = checked(c.req.valid('json'));
    const job = await createJob(c.get('deps').database.db, tenantOf(c), definition).catch(
      rethrowConflict,
    );
    return c.json(job, 201);
  });

  app.openapi(validate, async (c) => {
    const definition = checked(c.req.valid('json'));
    return c.json({ valid: true as const, definition }, 200);
  });

  app.openapi(list, async (c) => {
    return c.json({ data: await listJobs(c.get('deps').database.db, tenantOf(c)) }, 200);
  });

  app.openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    const job = await findJob(c.get('deps').database.db, tenantOf(c), id);
    if (!job) throw problems.notFound('job', id);
    return c.json(job, 200);
  });

  app.openapi(replace, async (c) => {
    const { id } = c.req.valid('param');
    const { db } = c.get('deps').database;
    const job = await findJob(db, tenantOf(c), id);
    if (!job) throw problems.notFound('job', id);
    const updated = await updateJob(db, job, checked(c.req.valid('json'))).catch(rethrowConflict);
    if (!updated)
      throw problems.conflict('The job changed while you edited it; fetch it and try again.');
    return c.json(updated, 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deleteJob(c.get('deps').database.db, tenantOf(c), id))) {
      throw problems.notFound('job', id);
    }
    return c.body(null, 204);
  });

  return app;
}
