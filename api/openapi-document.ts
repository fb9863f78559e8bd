import { z } from 'zod';
import { jobDefinitionSchema } from '../common/domain';
import { startOperationInput } from './operation-starter';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const ok = (description: string, schema?: object) => ({
  description,
  ...(schema ? { content: { 'application/json': { schema } } } : {}),
});
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const id = (name = 'id') => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const query = (name: string, schema: object, description?: string) => ({
  name,
  in: 'query',
  schema,
  description,
});
const page = [
  query('limit', { type: 'integer', minimum: 1 }),
  query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
];

const errors = {
  400: problem('Invalid input; invalid_params names the fields'),
  401: problem('Missing or unknown API key'),
  403: problem('The key’s role may not do this'),
  404: problem('No such resource in this tenant'),
};

interface Route {
  summary: string;
  tag: string;
  parameters?: object[];
  requestBody?: object;
  responses: Record<string, object>;
}

const route = (tag: string, summary: string, rest: Omit<Route, 'summary' | 'tag'>): Route => ({
  summary,
  tag,
  ...rest,
  responses: { ...rest.responses, ...errors },
});

const collectionInput = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    metadata: { type: 'object' },
  },
};
const itemsInput = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        required: ['key'],
        properties: { key: { type: 'string' }, data: {} },
      },
    },
  },
};

const paths: Record<string, Record<string, Route>> = {
  '/v1/collections': {
    post: route('collections', 'Create a collection', {
      requestBody: body(collectionInput),
      responses: { 201: ok('Created', ref('Collection')), 409: problem('Name taken') },
    }),
    get: route('collections', 'List collections with item and operation counts', {
      parameters: page,
      responses: { 200: ok('A page of collections') },
    }),
  },
  '/v1/collections/{id}': {
    get: route('collections', 'Get a collection', {
      parameters: [id()],
      responses: { 200: ok('The collection', ref('Collection')) },
    }),
    patch: route('collections', 'Update a collection', {
      parameters: [id()],
      requestBody: body(collectionInput),
      responses: { 200: ok('Updated') },
    }),
    delete: route('collections', 'Delete a collection and its items', {
      parameters: [id()],
      responses: { 204: ok('Deleted') },
    }),
  },
  '/v1/collections/{id}/items': {
    post: route('collections', 'Upsert items by key', {
      parameters: [id()],
      requestBody: body(itemsInput),
      responses: { 200: ok('Counts of inserted and updated items') },
    }),
    get: route('collections', 'List items', {
      parameters: [id(), ...page, query('keyPrefix', { type: 'string' })],
      responses: { 200: ok('A page of items') },
    }),
    delete: route('collections', 'Delete items by key', {
      parameters: [id()],
      requestBody: body({
        type: 'object',
        properties: { keys: { type: 'array', items: { type: 'string' } } },
      }),
      responses: { 200: ok('How many were deleted') },
    }),
  },
  '/v1/collections/{id}/stats': {
    get: route('collections', 'Result counts and stale results per handler', {
      parameters: [id()],
      responses: { 200: ok('Statistics') },
    }),
  },
  '/v1/collections/{id}/reprocess-stale': {
    post: route('collections', 'Start an operation over the items with stale results', {
      parameters: [id()],
      requestBody: body({
        type: 'object',
        required: ['job'],
        properties: { job: { type: 'string' } },
      }),
      responses: { 202: ok('Started'), 200: ok('Nothing stale') },
    }),
  },
  '/v1/jobs': {
    post: route('jobs', 'Create a job', {
      requestBody: body(json(jobDefinitionSchema)),
      responses: { 201: ok('Created'), 409: problem('Name taken') },
    }),
    get: route('jobs', 'List jobs', { responses: { 200: ok('Jobs') } }),
  },
  '/v1/jobs/validate': {
    post: route('jobs', 'Check a job definition against the handlers', {
      requestBody: body(json(jobDefinitionSchema)),
      responses: { 200: ok('Valid') },
    }),
  },
  '/v1/jobs/{id}': {
    get: route('jobs', 'Get a job by id or name', {
      parameters: [id()],
      responses: { 200: ok('The job') },
    }),
    put: route('jobs', 'Replace a job definition (new version)', {
      parameters: [id()],
      requestBody: body(json(jobDefinitionSchema)),
      responses: { 200: ok('Updated'), 409: problem('Conflict') },
    }),
    delete: route('jobs', 'Delete a job', {
      parameters: [id()],
      responses: { 204: ok('Deleted') },
    }),
  },
  '/v1/handlers': {
    get: route('handlers', 'Handlers the workers run, with params schemas', {
      responses: { 200: ok('Handlers') },
    }),
  },
  '/v1/operations': {
    post: route('operations', 'Start an operation (or plan one with mode dry_run)', {
      requestBody: body(json(startOperationInput)),
      responses: {
        202: ok('Started', ref('Operation')),
        200: ok('Existing operation for the idempotency key, or a dry-run plan'),
        503: problem('Temporal unreachable'),
      },
    }),
    get: route('operations', 'List operations, newest first', {
      parameters: [
        ...page,
        query('status', { type: 'string' }, 'comma-separated statuses'),
        query('job', { type: 'string' }),
        query('collectionId', { type: 'string', format: 'uuid' }),
        query('scope', { type: 'string', enum: ['collection', 'items', 'global'] }),
        query('requestedBy', { type: 'string' }),
        query('createdAfter', { type: 'string', format: 'date-time' }),
        query('createdBefore', { type: 'string', format: 'date-time' }),
      ],
      responses: { 200: ok('A page of operations') },
    }),
  },
  '/v1/operations/{id}': {
    get: route(
      'operations',
      'Get an operation with per-stage progress, costs and its Web UI link',
      { parameters: [id()], responses: { 200: ok('The operation', ref('Operation')) } },
    ),
  },
  '/v1/operations/{id}/items': {
    get: route('operations', 'Items of an operation with their stage states', {
      parameters: [
        id(),
        query('stage', { type: 'string' }),
        query('status', {
          type: 'string',
          enum: ['pending', 'in_progress', 'done', 'failed', 'skipped'],
        }),
        ...page,
      ],
      responses: { 200: ok('A page of items') },
    }),
  },
  '/v1/operations/{id}/stream': {
    get: route(
      'operations',
      'Live Server-Sent Events: each new event, and progress as it changes',
      {
        parameters: [id()],
        responses: {
          200: {
            description:
              'text/event-stream of `event` and `progress` messages; ends when the operation finishes',
          },
        },
      },
    ),
  },
  '/v1/operations/{id}/events': {
    get: route('operations', 'Events of an operation', {
      parameters: [id(), query('after', { type: 'integer' }), query('limit', { type: 'integer' })],
      responses: { 200: ok('Events') },
    }),
  },
};
for (const action of ['cancel', 'pause', 'resume', 'retry']) {
  paths[`/v1/operations/{id}/${action}`] = {
    post: route('operations', `${action[0]?.toUpperCase()}${action.slice(1)} an operation`, {
      parameters: [id()],
      responses: {
        [action === 'pause' || action === 'resume' ? 200 : 202]: ok('Accepted'),
        409: problem('Not possible in its current status'),
      },
    }),
  };
}

/** The OpenAPI 3.1 description of the HTTP API, served at /openapi.json. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Conveyor API',
      version: '1',
      description: 'Collections, jobs and operations of the Conveyor job engine.',
    },
    security: [{ apiKey: [] }],
    paths: {
      '/health': {
        get: {
          summary: 'Health of Postgres and Temporal',
          tags: ['health'],
          security: [],
          responses: { 200: ok('Healthy'), 503: ok('Degraded') },
        },
      },
      ...Object.fromEntries(
        Object.entries(paths).map(([path, methods]) => [
          path,
          Object.fromEntries(
            Object.entries(methods).map(([method, { tag, ...operation }]) => [
              method,
              { ...operation, tags: [tag] },
            ]),
          ),
        ]),
      ),
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key: Authorization: Bearer <key>',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            invalid_params: {
              type: 'array',
              items: {
                type: 'object',
                properties: { name: { type: 'string' }, reason: { type: 'string' } },
              },
            },
          },
        },
        Collection: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            itemCount: { type: 'integer' },
            operationCount: { type: 'integer' },
            lastOperation: { type: ['object', 'null'] },
          },
        },
        Operation: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: {
              type: 'string',
              enum: ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'],
            },
            mode: { type: 'string' },
            job: { type: 'object' },
            scope: { type: 'object' },
            counts: {
              type: 'object',
              properties: Object.fromEntries(
                ['items', 'done', 'failed', 'skipped', 'pending'].map((k) => [
                  k,
                  { type: 'integer' },
                ]),
              ),
            },
            stages: { type: 'array', items: { type: 'object' } },
            costs: { type: 'array', items: { type: 'object' } },
            temporal: {
              type: 'object',
              properties: {
                workflowId: { type: 'string' },
                runId: { type: 'string' },
                uiUrl: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
    },
  };
}
