import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type JobDefinition, jobDefinitionSchema } from '../../common/domain';
import { NotFound } from '../../common/domain-errors';
import { getCollection } from '../../db/collections';
import {
  createJob,
  deleteJob,
  findJob,
  getJobVersion,
  listJobs,
  listJobVersions,
  updateJob,
} from '../../db/jobs';
import { ConflictError } from '../../db/pg-errors';
import type { HandlerRegistry } from '../../handlers/registry';
import { needsRole } from '../auth';
import type { AppEnv } from '../env';
import { jsonBody, jsonResponse, listOf, timestamp } from '../openapi';
import { errorResponses, Problem, problems } from '../problems';
import { openApiRouter } from '../validation';
import {
  jobDefinitionInputSchema,
  LATER_STAGE,
  misplacedPassOn,
  repeatedStageName,
} from './schemas';

function rethrowConflict(error: unknown): never {
  if (error instanceof ConflictError)
    throw problems.conflict(`${error.message}; choose another name or update it.`);
  throw error;
}

const tags = ['jobs'];
// Rebuilt with the API's `z`: a schema plain zod made before @hono/zod-openapi loaded (the
// domain module is often imported first, through db/) has no `.openapi()`. Stored definitions
// are described by it; request bodies by `jobDefinitionInputSchema`.
const definitionSchema = z.object(jobDefinitionSchema.shape).openapi('JobDefinition', {
  description: 'A named list of stages, each naming a handler with params and policies.',
});

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
    pausedAt: timestamp(
      'Set while the job is paused (POST /v1/jobs/{id}/pause): its schedules start nothing.',
    ).nullable(),
  })
  .openapi('Job');

export const idOrName = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    description: 'The job’s id or its name.',
    example: 'checksum-dir',
  }),
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

const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a job (operations that ran it keep their snapshot)',
  ...needsRole('admin'),
  request: { params: idOrName },
  responses: {
    204: { description: 'Deleted.' },
    ...errorResponses(401, 403, 404, 500, 503),
  },
});

const versionSummarySchema = z
  .object({
    version: z.number().int().openapi({ description: 'The version number, from 1.' }),
    createdAt: timestamp('When this version was saved.'),
  })
  .openapi('JobVersionSummary');

const versions = createRoute({
  method: 'get',
  path: '/{id}/versions',
  tags,
  summary: 'List every version a job has had, oldest first',
  request: { params: idOrName },
  responses: {
    200: jsonResponse(listOf(versionSummarySchema), 'The job’s versions.'),
    ...errorResponses(401, 404, 500, 503),
  },
});

const versionPath = idOrName.extend({
  version: z.string().openapi({
    param: { name: 'version', in: 'path' },
    description: 'A version number, as `GET /v1/jobs/{id}/versions` lists them.',
    example: '2',
  }),
});

const version = createRoute({
  method: 'get',
  path: '/{id}/versions/{version}',
  tags,
  summary: 'Get a job’s definition as it was at one version',
  request: { params: versionPath },
  responses: {
    200: jsonResponse(
      versionSummarySchema
        .extend({ jobId: z.uuid(), definition: definitionSchema })
        .openapi('JobVersion'),
      'The definition saved as this version.',
    ),
    ...errorResponses(401, 404, 500, 503),
  },
});

/**
 * The routes that take a definition: their body schema is built from the handlers the workers
 * run, so it exists only once the registry does.
 */
function definitionWriteRoutes(handlers: HandlerRegistry) {
  const { definition, laterStage } = jobDefinitionInputSchema(handlers);
  const body = jsonBody(definition);
  const create = createRoute({
    method: 'post',
    path: '/',
    tags,
    summary: 'Create a job',
    ...needsRole('admin'),
    request: { body },
    responses: {
      201: jsonResponse(jobSchema, 'The new job, at version 1.'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503),
    },
  });

  const validate = createRoute({
    method: 'post',
    path: '/validate',
    tags,
    summary: 'Check a job definition against the handlers without saving it',
    request: { body },
    responses: {
      200: jsonResponse(
        z.object({
          valid: z.literal(true),
          definition: definitionSchema.openapi({ description: 'With every default filled in.' }),
        }),
        'The definition is valid.',
      ),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503),
    },
  });

  const replace = createRoute({
    method: 'put',
    path: '/{id}',
    tags,
    summary: 'Replace a job definition (a new version)',
    ...needsRole('admin'),
    request: { params: idOrName, body },
    responses: {
      200: jsonResponse(jobSchema, 'The job at its new version.'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503),
    },
  });

  return { create, validate, replace, laterStage };
}

/** `/v1/jobs`: job definitions, checked against the handlers the workers run. */
export function jobRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  const { create, validate, replace, laterStage } = definitionWriteRoutes(handlers);
  app.openAPIRegistry.register(LATER_STAGE, laterStage);
  const tenantOf = (c: Context<AppEnv>) => c.get('principal').tenantId;
  const checked = async (c: Context<AppEnv>, definition: JobDefinition) => {
    const scope = definition.defaultScope;
    if (
      scope?.kind === 'collection' &&
      !(await getCollection(c.get('deps').database.db, tenantOf(c), scope.collectionId))
    ) {
      throw new NotFound([
        {
          name: 'defaultScope.collectionId',
          reason: `no collection ${scope.collectionId} in this tenant`,
        },
      ]);
    }
    const repeated = repeatedStageName(definition.stages);
    if (repeated) {
      throw new Problem(
        409,
        'conflict',
        'Conflict',
        `Stage names are unique within a job; rename stage ${repeated.name.split('.')[1]}.`,
        [repeated],
      );
    }
    const passOn = misplacedPassOn(definition.stages, handlers);
    if (passOn) {
      throw new Problem(409, 'conflict', 'Conflict', `${passOn.reason}; remove it.`, [passOn]);
    }
    return definition;
  };
  const loadJob = async (c: Context<AppEnv>, idOrName: string) => {
    const job = await findJob(c.get('deps').database.db, tenantOf(c), idOrName);
    if (!job) throw problems.notFound('job', idOrName);
    return job;
  };

  app.openapi(create, async (c) => {
    const definition = await checked(c, c.req.valid('json'));
    const job = await createJob(c.get('deps').database, tenantOf(c), definition).catch(
      rethrowConflict,
    );
    return c.json(job, 201);
  });

  app.openapi(validate, async (c) => {
    const definition = await checked(c, c.req.valid('json'));
    return c.json({ valid: true as const, definition }, 200);
  });

  app.openapi(list, async (c) => {
    return c.json({ data: await listJobs(c.get('deps').database.db, tenantOf(c)) }, 200);
  });

  app.openapi(get, async (c) => {
    return c.json(await loadJob(c, c.req.valid('param').id), 200);
  });

  app.openapi(replace, async (c) => {
    const { id } = c.req.valid('param');
    const job = await loadJob(c, id);
    const updated = await updateJob(
      c.get('deps').database,
      job,
      await checked(c, c.req.valid('json')),
    ).catch(rethrowConflict);
    if (!updated)
      throw problems.conflict('The job changed while you edited it; fetch it and try again.');
    return c.json(updated, 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const job = await loadJob(c, id);
    if (!(await deleteJob(c.get('deps').database.db, tenantOf(c), job.id))) {
      throw problems.notFound('job', id);
    }
    return c.body(null, 204);
  });

  app.openapi(versions, async (c) => {
    const job = await loadJob(c, c.req.valid('param').id);
    return c.json({ data: await listJobVersions(c.get('deps').database.db, job.id) }, 200);
  });

  app.openapi(version, async (c) => {
    const { id, version: wanted } = c.req.valid('param');
    const { db } = c.get('deps').database;
    const job = await loadJob(c, id);
    // Parsed here rather than by the schema: a bad path parameter is a 404 of the job otherwise.
    const number = /^[1-9][0-9]{0,8}$/.test(wanted) ? Number(wanted) : undefined;
    const row = number === undefined ? undefined : await getJobVersion(db, job.id, number);
    if (!row) throw problems.notFound(`version of job ${job.name}`, wanted);
    return c.json(row, 200);
  });

  return app;
}
