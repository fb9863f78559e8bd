import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Conveyor's Prometheus metrics, one registry per process: the API serves it at `/metrics`, a
 * worker on METRICS_PORT (in `npm start` both share it). Labels take only values the deployment
 * or the code bounds: handlers (the deployment registers them), route templates, methods,
 * statuses, outcomes, phases. Never a name a tenant chooses (job, stage, collection), nor an
 * item key or operation id: each tenant could mint series without end, and `/metrics` needs no
 * key, so those names would also be read by anyone.
 */
export const registry = new Registry();

const DURATION_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

export const metrics = {
  httpRequests: new Counter({
    name: 'conveyor_http_requests_total',
    help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: 'conveyor_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (to its headers, for streams).',
    labelNames: ['route', 'method'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  }),
  items: new Counter({
    name: 'conveyor_items_total',
    help: 'Item stages recorded, by handler and outcome (done, failed, skipped; retried for a retryable failure sent back to pending). Counted once each, as Postgres recorded them.',
    labelNames: ['handler', 'outcome'] as const,
    registers: [registry],
  }),
  itemDuration: new Histogram({
    name: 'conveyor_item_duration_seconds',
    help: 'Handler time per item, by handler.',
    labelNames: ['handler'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  }),
  batchDuration: new Histogram({
    name: 'conveyor_batch_duration_seconds',
    help: 'Time a batch activity ran, by handler.',
    labelNames: ['handler'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  }),
  batchPhase: new Histogram({
    name: 'conveyor_batch_phase_seconds',
    help: 'Where a batch spends its time: claiming its items in Postgres, running handlers, recording outcomes in Postgres.',
    labelNames: ['phase'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  }),
  batchesInFlight: new Gauge({
    name: 'conveyor_batches_in_flight',
    help: 'Batch activities running in this process, by handler.',
    labelNames: ['handler'] as const,
    registers: [registry],
  }),
  batchRetries: new Counter({
    name: 'conveyor_batch_retries_total',
    help: 'Batch activities run again by Temporal (attempt 2 or later), by handler.',
    labelNames: ['handler'] as const,
    registers: [registry],
  }),
  rateLimitWait: new Histogram({
    name: 'conveyor_rate_limit_wait_seconds',
    help: 'Time an item waited for its handler’s shared rate limit, by handler.',
    labelNames: ['handler'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  }),
  costs: new Counter({
    name: 'conveyor_costs_total',
    help: 'Costs handlers reported, by handler and unit.',
    labelNames: ['handler', 'unit'] as const,
    registers: [registry],
  }),
};
