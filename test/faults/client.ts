import { randomBytes } from 'node:crypto';

export interface ApiResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
  /** Time from sending the request to having the whole body. */
  elapsedMs: number;
}

/** Conveyor's HTTP API with the admin key; every request has a deadline, so nothing hangs. */
export class ApiClient {
  constructor(
    readonly url: string,
    readonly key: string,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 15_000,
  ): Promise<ApiResponse<T>> {
    const began = performance.now();
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text, the caller reports it.
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: parsed as T,
      elapsedMs: performance.now() - began,
    };
  }

  /** The request's body when it answered `expected`; otherwise an error quoting the answer. */
  async expect<T = any>(expected: number, method: string, path: string, body?: unknown) {
    const response = await this.request<T>(method, path, body);
    if (response.status !== expected) {
      throw new Error(
        `${method} ${path}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`,
      );
    }
    return response.body;
  }

  getOperation(id: string) {
    return this.expect(200, 'GET', `/v1/operations/${id}`);
  }
}

/** A collection of `count` items keyed k0…k{count-1}, upserted in pages of 5,000. */
export async function seedCollection(api: ApiClient, count: number): Promise<string> {
  const created = await api.expect(201, 'POST', '/v1/collections', {
    name: `faults-${randomBytes(4).toString('hex')}`,
  });
  for (let start = 0; start < count; start += 5_000) {
    const items = Array.from({ length: Math.min(5_000, count - start) }, (_, i) => ({
      key: `k${start + i}`,
      data: { n: start + i },
    }));
    await api.expect(200, 'POST', `/v1/collections/${created.id}/items`, { items });
  }
  return created.id as string;
}

export const STAGE_NAMES = ['first', 'second', 'third'] as const;

export interface CountingJob {
  name: string;
  delayMs: number;
  concurrency: number;
  /** Keys that fail permanently, per stage (index = stage). */
  failKeys: string[][];
  /** Keys that fail on their first attempt only, per stage. */
  flakyKeys: string[][];
}

/**
 * Retries long enough to outlast a dependency that is down for 20 s (1 + 2 + 4 + 5 × 5 s …);
 * the default of 3 attempts in 3 s would turn a short outage into failed items.
 */
export const PATIENT_RETRY = {
  maximumAttempts: 12,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 5_000,
};

/** A three-stage job of `test.counting`. */
export async function createCountingJob(api: ApiClient, job: CountingJob): Promise<void> {
  await api.expect(201, 'POST', '/v1/jobs', {
    name: job.name,
    stages: STAGE_NAMES.map((name, index) => ({
      name,
      handler: 'test.counting',
      params: {
        delayMs: job.delayMs,
        failKeys: job.failKeys[index] ?? [],
        flakyKeys: job.flakyKeys[index] ?? [],
      },
      concurrency: job.concurrency,
      retry: PATIENT_RETRY,
    })),
  });
}

export async function startOperation(api: ApiClient, body: unknown): Promise<string> {
  const started = await api.request('POST', '/v1/operations', body);
  if (started.status !== 202) {
    throw new Error(`operation start: ${started.status} ${JSON.stringify(started.body)}`);
  }
  return started.body.id as string;
}

/** Item stages that reached a final state, summed over the stages of GET /v1/operations/{id}. */
export function settledCount(operation: any): number {
  return (operation.stages as any[]).reduce(
    (sum, stage) => sum + stage.done + stage.failed + stage.skipped,
    0,
  );
}

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'];
