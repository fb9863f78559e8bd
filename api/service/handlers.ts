import { createRoute, z } from '@hono/zod-openapi';
import type { HandlerRegistry } from '../../handlers/registry';
import { jsonObject, jsonResponse, listOf } from '../openapi';
import { errorResponses } from '../problems';
import { openApiRouter } from '../validation';

const handlerSchema = z
  .object({
    name: z.string().openapi({ description: 'What a job stage names.', example: 'http.fetch' }),
    version: z.string().openapi({
      description: 'Stamped on every result; results of an older version are stale.',
      example: '1',
    }),
    description: z.string(),
    params: jsonObject('JSON Schema of the params a stage may give it.'),
    reads: z.array(z.string()).openapi({
      description:
        'Handlers whose results for an item this one reads: a stage running it should come after stages running them.',
      example: ['http.fetch'],
    }),
  })
  .openapi('Handler');

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['handlers'],
  summary: 'Handlers the workers run, with their params schemas',
  responses: {
    200: jsonResponse(listOf(handlerSchema), 'Every handler.'),
    ...errorResponses(401, 500, 503),
  },
});

/** `/v1/handlers`: what a job's stages may name. */
export function handlerRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();
  app.openapi(list, (c) =>
    c.json(
      {
        data: [...handlers.values()].map((handler) => ({
          name: handler.name,
          version: handler.version,
          description: handler.description,
          params: z.toJSONSchema(handler.params, { io: 'input', unrepresentable: 'any' }),
          reads: handler.kind === 'item' ? [...(handler.reads ?? [])] : [],
        })),
      },
      200,
    ),
  );
  return app;
}
