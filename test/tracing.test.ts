import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureTracing, shutdownTracing } from '../common/tracing';
import {
  createJob,
  type Harness,
  seedCollection,
  startHarness,
  startOperation,
  waitFor,
  waitForStatus,
} from './harness';
import { captureLogs } from './log-capture';

const exporter = new InMemorySpanExporter();
let logs: ReturnType<typeof captureLogs>;
let harness: Harness;
beforeAll(async () => {
  logs = captureLogs();
  // Before the harness: its Temporal client and worker take their interceptors when made.
  configureTracing({ serviceName: 'conveyor-test', processor: new SimpleSpanProcessor(exporter) });
  harness = await startHarness({ ownWorkflowBundle: true, batchSize: 50, chunkSize: 100 });
});
afterAll(async () => {
  logs?.stop();
  await harness?.stop();
  await shutdownTracing();
});

/** The chain of span names from `span` up to its trace's root. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((each) => [each.spanContext().spanId, each]));
  const names = [span.name];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; ) {
    names.push(parent.name);
    parent = byId.get(parent.parentSpanId ?? '');
  }
  return names;
}

describe('OpenTelemetry traces', () => {
  it('follow one operation from its API request through its workflows into its batches', async () => {
    const collectionId = await seedCollection(harness, 200);
    // Four batches of a set size (an adaptive stage would take the 200 in one).
    await createJob(harness, {
      name: 'traced',
      stages: [{ name: 'only', handler: 'noop', batchSize: 50 }],
    });
    const id = await startOperation(harness, { job: 'traced', collectionId });
    await waitForStatus(harness, id, ['completed']);

    const request = exporter
      .getFinishedSpans()
      .find(
        (span) =>
          span.name === 'POST /v1/operations' && span.attributes['conveyor.operation_id'] === id,
      );
    expect(request, 'the API span of the start').toBeDefined();
    const traceId = request?.spanContext().traceId;
    const [{ ledger } = { ledger: 0 }] = await harness.database.sql<{ ledger: number }[]>`
      select ledger from operations where id = ${id}`;
    // Version 1 runs each chunk as a child workflow, a batch per stage; version 2 runs a few
    // chunks in the operation's own workflow, a batch per run of fused stages.
    const batchName = ledger === 2 ? 'processSlice' : 'processBatch';
    const batchChain = [
      `RunActivity:${batchName}`,
      `StartActivity:${batchName}`,
      ...(ledger === 2 ? [] : ['RunWorkflow:chunkWorkflow', 'StartChildWorkflow:chunkWorkflow']),
      'RunWorkflow:operationWorkflow',
      'StartWorkflow:operationWorkflow',
      'POST /v1/operations',
    ];
    // Workflow spans reach the exporter through the worker's sink, after their activations.
    const traceSpans = () =>
      exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    await waitFor(
      async () => {
        const found = traceSpans();
        return found
          .filter((s) => s.name === `RunActivity:${batchName}`)
          .map((batch) => ancestry(batch, found));
      },
      (chains) => chains.length === 4 && chains.every((c) => c.at(-1) === 'POST /v1/operations'),
      { what: 'every batch span and the spans above it up to the request', timeoutMs: 20_000 },
    );
    const spans = traceSpans();

    const batches = spans.filter((span) => span.name === `RunActivity:${batchName}`);
    expect(batches).toHaveLength(4);
    for (const batch of batches) expect(ancestry(batch, spans)).toEqual(batchChain);
    // A log search by trace id finds the start's request line and every batch's line.
    const traced = logs.lines.filter((line) => line.traceId === traceId);
    expect(traced.find((line) => line.route === '/v1/operations')).toMatchObject({ status: 202 });
    expect(
      traced.filter((line) => String(line.msg).startsWith('batch of') && line.operationId === id),
    ).toHaveLength(4);
    // Postgres time shows inside each batch: its claim and the write of its outcomes.
    const batchIds = new Set(batches.map((batch) => batch.spanContext().spanId));
    const claim = ledger === 2 ? 'postgres: claim slice' : 'postgres: claim batch';
    for (const name of [claim, 'postgres: record outcomes']) {
      const children = spans.filter(
        (span) => span.name === name && batchIds.has(span.parentSpanId ?? ''),
      );
      expect(children, name).toHaveLength(4);
    }
  });

  it('continue a caller’s trace given in traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${harness.url}/v1/operations?limit=1`, {
      headers: {
        authorization: `Bearer ${harness.adminKey}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    });
    expect(response.status).toBe(200);
    const span = exporter.getFinishedSpans().find((each) => each.spanContext().traceId === traceId);
    expect(span?.name).toBe('GET /v1/operations');
    expect(span?.parentSpanId).toBe('00f067aa0ba902b7');
  });
});
