import { createRoute, z } from '@hono/zod-openapi';
import { RETRY_SELECTIONS } from '../../common/domain';
import type { HandlerRegistry } from '../../handlers/registry';
import { cancelOperation } from '../../operations/cancel';
import { retryItems } from '../../operations/retry';
import { requesterOf } from '../../operations/start';
import { steerOperation } from '../../operations/steer';
import { loadOperation } from '../loaders';
import { jsonBody, jsonResponse } from '../openapi';
import { errorResponses } from '../problems';
import { controlContext, startContext } from '../use-cases';
import { openApiRouter } from '../validation';
import {
  cancelResultSchema,
  controlResultSchema,
  operationIdPath,
  operationSummarySchema,
} from './schemas';
import { operationSummary } from './view';

const tags = ['operations'];
const controlErrors = errorResponses(401, 403, 404, 409, 500, 503);

const cancel = createRoute({
  method: 'post',
  path: '/{id}/cancel',
  tags,
  summary: 'Cancel an operation',
  description:
    'Asks its workflow to cancel: running batches abort their handlers, and the operation becomes `cancelled` once they stop. Nothing done is lost. An operation already completed, failed or cancelled answers 409.',
  request: { params: operationIdPath },
  responses: {
    202: jsonResponse(cancelResultSchema, 'Cancellation requested (`status: cancelling`).'),
    200: jsonResponse(
      cancelResultSchema,
      'It had no workflow left to ask; its record is now `cancelled`.',
    ),
    ...controlErrors,
  },
});

const controls = (['pause', 'resume'] as const).map((action) => ({
  action,
  route: createRoute({
    method: 'post',
    path: `/{id}/${action}`,
    tags,
    summary:
      action === 'pause'
        ? 'Pause an operation: batches in flight finish, then it waits'
        : 'Resume a paused operation where it stopped',
    request: { params: operationIdPath },
    responses: {
      200: jsonResponse(controlResultSchema, 'The operation’s status as its workflow reports it.'),
      ...controlErrors,
    },
  }),
}));

const retryInput = z
  .object({
    items: z.enum(RETRY_SELECTIONS).default('failed').openapi({
      description:
        'Which items to run again: failed, those that failed; unfinished, those a cancel or a failure left without a final outcome in some stage (they run every stage again); all, both.',
    }),
  })
  .openapi('OperationRetry');

const retry = createRoute({
  method: 'post',
  path: '/{id}/retry',
  tags,
  summary:
    'Start a new operation over the items that failed in this finished one, or it left unfinished',
  description:
    'Runs the items through the stages of the definition the operation ran; without a body, the failed ones. For a job that begins with a discovery stage the retry runs the later stages on the discovered items; discovery does not run again. 409 when the operation still runs or the selection is empty.',
  request: { params: operationIdPath, body: { ...jsonBody(retryInput), required: false } },
  responses: {
    202: jsonResponse(operationSummarySchema, 'The retry, linked by `retryOf`.'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503),
  },
});

/** Cancel, pause, resume and retry-failed: the routes that steer a running or finished operation. */
export function operationControlRoutes(handlers: HandlerRegistry) {
  const app = openApiRouter();

  app.openapi(cancel, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const requester = requesterOf(c.get('principal'));
    const status = await cancelOperation(controlContext(c.get('deps')), operation, requester);
    return status === 'cancelling'
      ? c.json({ id: operation.id, status }, 202)
      : c.json({ id: operation.id, status }, 200);
  });

  for (const { action, route } of controls) {
    app.openapi(route, async (c) => {
      const operation = await loadOperation(c, c.req.valid('param').id);
      const progress = await steerOperation(controlContext(c.get('deps')), operation, action);
      return c.json({ id: operation.id, ...progress }, 200);
    });
  }

  app.openapi(retry, async (c) => {
    const operation = await loadOperation(c, c.req.valid('param').id);
    const deps = c.get('deps');
    const result = await retryItems(
      startContext(deps, handlers),
      operation,
      requesterOf(c.get('principal')),
      { items: c.req.valid('json').items },
    );
    if (!result.operation) throw new Error('retry produced no operation');
    return c.json(operationSummary(deps, result.operation), 202);
  });

  return app;
}
