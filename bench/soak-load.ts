import { type Client, WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { between, prngFor, sleep } from './soak-support';

/** One API request as the soak saw it. */
export interface Sample {
  route: string;
  status: number;
  ms: number;
  /** A 409 from pausing, resuming or cancelling an operation that had just finished. */
  expected?: boolean;
}

export interface Reply {
  status: number;
  ok: boolean;
  json: any;
  text: string;
  sample: Sample;
}

/** An API client that records every request's route, status and latency. */
export class MeteredApi {
  readonly samples: Sample[] = [];
  /** The first unexpected non-2xx answers, verbatim (bounded). */
  readonly errors: string[] = [];
  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  async request(method: string, path: string, route: string, body?: unknown): Promise<Reply> {
    const started = performance.now();
    let status = 0;
    let text = '';
    try {
      const response = await fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      text = (error as Error).message;
    }
    const sample: Sample = { route, status, ms: performance.now() - started };
    this.samples.push(sample);
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const ok = status >= 200 && status < 300;
    if (!ok && status !== 409) this.noteError(`${method} ${path}: ${status} ${text}`);
    return { status, ok, json, text, sample };
  }

  noteError(line: string) {
    if (this.errors.length < 50) this.errors.push(line.slice(0, 500));
  }

  /** Requests that failed: non-2xx except the 409s marked expected. */
  failures(): Sample[] {
    return this.samples.filter((s) => !(s.status >= 200 && s.status < 300) && !s.expected);
  }
}

export interface SoakCollection {
  id: string;
  size: number;
  itemIds: number[];
}

export const SOAK_JOBS = [
  { name: 'soak-two', stages: 2, extra: {} },
  { name: 'soak-three', stages: 3, extra: {} },
  { name: 'soak-three-fixed', stages: 3, extra: { batchSize: 250, concurrency: 20 } },
] as const;

export type Action = 'none' | 'cancel' | 'pause' | 'pause-cancel';

export interface Plan {
  n: number;
  job: (typeof SOAK_JOBS)[number];
  collection: SoakCollection;
  scope: 'collection' | 'items' | 'limit';
  body: Record<string, unknown>;
  expectedItems: number;
  failKeys: string[];
  action: Action;
  actionAfterMs: number;
  pauseMs: number;
}

/** The n-th operation of a seeded soak: the same on every run with the same seed. */
export function planFor(seed: number, n: number, collections: SoakCollection[]): Plan {
  const random = prngFor(seed, n);
  const job = SOAK_JOBS[Math.floor(random() * SOAK_JOBS.length)] ?? SOAK_JOBS[0];
  const collection = collections[Math.floor(random() * collections.length)] ?? collections[0];
  if (!collection) throw new Error('no collections');
  const keys = new Set<string>();
  const failKeys: string[] = [];
  const flakyKeys: string[] = [];
  for (const [list, count] of [
    [failKeys, between(random, 0, 3)],
    [flakyKeys, between(random, 0, 5)],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const key = `k${between(random, 0, collection.size - 1)}`;
      if (keys.has(key)) continue;
      keys.add(key);
      list.push(key);
    }
  }
  const params = { delayMs: between(random, 1, 5), failKeys, flakyKeys };
  const body: Record<string, unknown> = { job: job.name, params };
  const scopeDraw = random();
  let scope: Plan['scope'] = 'collection';
  let expectedItems = collection.size;
  if (scopeDraw < 0.15) {
    scope = 'items';
    const count = between(random, 50, 1_500);
    const chosen = new Set<number>();
    while (chosen.size < count) {
      const id = collection.itemIds[Math.floor(random() * collection.itemIds.length)];
      if (id !== undefined) chosen.add(id);
    }
    body.itemIds = [...chosen];
    expectedItems = chosen.size;
  } else if (scopeDraw < 0.3) {
    scope = 'limit';
    body.collectionId = collection.id;
    body.limit = between(random, 200, 3_000);
    expectedItems = Math.min(body.limit as number, collection.size);
  } else {
    body.collectionId = collection.id;
  }
  const actionDraw = random();
  const action: Action =
    actionDraw < 0.07
      ? 'cancel'
      : actionDraw < 0.1
        ? 'pause-cancel'
        : actionDraw < 0.22
          ? 'pause'
          : 'none';
  return {
    n,
    job,
    collection,
    scope,
    body,
    expectedItems,
    failKeys,
    action,
    actionAfterMs: between(random, 500, 15_000),
    pauseMs: between(random, 5_000, 20_000),
  };
}

export interface OpRecord {
  id: string;
  plan: Plan;
  startedAt: number;
  finishedAt?: number;
  /** How Temporal says the workflow ended, from the client's result(). */
  outcome?: string;
  /** The operation's status from GET /v1/operations/{id} once the workflow had closed. */
  apiStatus?: string;
  /** Control requests that were accepted, in order. */
  actions: string[];
  /** Control requests answered 409 because the operation had finished meanwhile. */
  late: string[];
  /** Control answers that were neither accepted nor an expected 409, verbatim. */
  unexpected: string[];
}

const FINISHED = ['completed', 'failed', 'cancelled'];

function outcomeOf(error: unknown): string {
  const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
  if (cause instanceof CancelledFailure) return 'CANCELLED';
  if (cause instanceof TerminatedFailure) return 'TERMINATED';
  if (cause instanceof TimeoutFailure) return 'TIMED_OUT';
  if (error instanceof WorkflowFailedError) return 'FAILED';
  return `ERROR: ${(error as Error).message}`;
}

/** Keeps a number of operations running, starting another whenever one finishes. */
export class OperationDriver {
  readonly ops = new Map<string, OpRecord>();
  readonly startFailures: string[] = [];
  stopping = false;
  private next = 0;
  private readonly recent: string[] = [];

  constructor(
    private readonly api: MeteredApi,
    private readonly temporal: Client,
    private readonly collections: SoakCollection[],
    private readonly seed: number,
  ) {}

  /** Runs `slots` operations at a time until `stopping`, then lets the ones in flight end. */
  run(slots: number): Promise<void> {
    const slot = async () => {
      while (!this.stopping) await this.runOne(this.next++);
    };
    return Promise.all(Array.from({ length: slots }, slot)).then(() => undefined);
  }

  inFlight(): OpRecord[] {
    return [...this.ops.values()].filter((op) => op.finishedAt === undefined);
  }

  /** Ids of the latest operations started, for the read load. */
  recentIds(): string[] {
    return this.recent;
  }

  private async runOne(n: number): Promise<void> {
    const plan = planFor(this.seed, n, this.collections);
    const started = await this.api.request(
      'POST',
      '/v1/operations',
      'POST /v1/operations',
      plan.body,
    );
    if (started.status !== 202 || !started.json?.id) {
      this.startFailures.push(`#${n}: ${started.status} ${started.text.slice(0, 300)}`);
      await sleep(1_000);
      return;
    }
    const op: OpRecord = {
      id: started.json.id,
      plan,
      startedAt: Date.now(),
      actions: [],
      late: [],
      unexpected: [],
    };
    this.ops.set(op.id, op);
    this.recent.push(op.id);
    if (this.recent.length > 50) this.recent.shift();
    let closed = false;
    const finished = this.temporal.workflow
      .getHandle(op.id)
      .result()
      .then(
        () => 'COMPLETED',
        (error: unknown) => outcomeOf(error),
      )
      .then((outcome) => {
        closed = true;
        return outcome;
      });
    /** Waits up to `ms`; true when the operation's workflow closed meanwhile. */
    const waitOrClose = async (ms: number) => {
      await Promise.race([sleep(ms), finished]);
      return closed;
    };
    if (plan.action !== 'none' && !(await waitOrClose(plan.actionAfterMs))) {
      if (plan.action === 'cancel') await this.control(op, 'cancel');
      else if (await this.control(op, 'pause')) {
        await waitOrClose(plan.pauseMs);
        await this.control(op, plan.action === 'pause-cancel' ? 'cancel' : 'resume');
      }
    }
    op.outcome = await finished;
    const final = await this.api.request(
      'GET',
      `/v1/operations/${op.id}`,
      'GET /v1/operations/:id (final)',
    );
    op.apiStatus = final.json?.status ?? `HTTP ${final.status}`;
    op.finishedAt = Date.now();
  }

  /** Pauses, resumes or cancels; true when accepted. A 409 for a finished operation is expected. */
  private async control(op: OpRecord, action: 'pause' | 'resume' | 'cancel'): Promise<boolean> {
    const reply = await this.api.request(
      'POST',
      `/v1/operations/${op.id}/${action}`,
      `POST /v1/operations/:id/${action}`,
    );
    if (reply.ok) {
      op.actions.push(action);
      return true;
    }
    if (reply.status === 409) {
      const now = await this.api.request(
        'GET',
        `/v1/operations/${op.id}`,
        'GET /v1/operations/:id (after 409)',
      );
      if (FINISHED.includes(now.json?.status)) {
        reply.sample.expected = true;
        op.late.push(action);
        return false;
      }
      this.api.noteError(
        `POST /v1/operations/${op.id}/${action}: 409 while ${now.json?.status}: ${reply.text}`,
      );
    }
    op.unexpected.push(`${action}: ${reply.status} ${reply.text.slice(0, 300)}`);
    return false;
  }
}

/** One reader: lists, details, items, collections and health, in a seeded random order. */
export async function readLoop(
  api: MeteredApi,
  driver: OperationDriver,
  random: () => number,
  stopped: () => boolean,
  pauseMs: number,
): Promise<void> {
  while (!stopped()) {
    const ids = driver.recentIds();
    const id = ids[Math.floor(random() * ids.length)];
    const pick = Math.floor(random() * 5);
    if (pick === 0) await api.request('GET', '/v1/operations?limit=20', 'GET /v1/operations');
    else if (pick === 1 && id)
      await api.request('GET', `/v1/operations/${id}`, 'GET /v1/operations/:id');
    else if (pick === 2 && id)
      await api.request(
        'GET',
        `/v1/operations/${id}/items?limit=50`,
        'GET /v1/operations/:id/items',
      );
    else if (pick === 3) await api.request('GET', '/v1/collections', 'GET /v1/collections');
    else await api.request('GET', '/health', 'GET /health');
    await sleep(pauseMs);
  }
}
