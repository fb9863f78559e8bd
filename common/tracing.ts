import { createRequire } from 'node:module';
import { type Attributes, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * OpenTelemetry traces, off unless a process configures them (an OTLP endpoint, or a test's own
 * span processor). On, one trace runs from an API request through the operation workflow it
 * starts, its chunk workflows and its batch activities: Temporal's interceptors carry the context
 * in workflow and activity headers, and batches add spans for their Postgres work.
 */
interface Tracing {
  provider: NodeTracerProvider;
  processor: SpanProcessor;
  resource: Resource;
}

let active: Tracing | undefined;

export function configureTracing(options: {
  serviceName: string;
  /** OTLP/HTTP base address, as in OTEL_EXPORTER_OTLP_ENDPOINT; traces go to its /v1/traces. */
  otlpEndpoint?: string;
  /** Instead of OTLP: where spans go (tests hand in an in-memory exporter's processor). */
  processor?: SpanProcessor;
}): boolean {
  const processor =
    options.processor ??
    (options.otlpEndpoint
      ? new BatchSpanProcessor(
          new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }),
        )
      : undefined);
  if (!processor || active) return active !== undefined;
  const resource = new Resource({ 'service.name': options.serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // Also installs the async-local context and W3C propagation that link spans across awaits.
  provider.register();
  active = { provider, processor, resource };
  return true;
}

export function tracingEnabled(): boolean {
  return active !== undefined;
}

/** Sends the spans still buffered; entry points call it before they exit. */
export async function shutdownTracing(): Promise<void> {
  await active?.provider.shutdown();
  active = undefined;
}

/** Client interceptors that start each workflow inside the caller's span. */
export function tracingClientInterceptors() {
  return active ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

const require = createRequire(import.meta.url);
/** The workflow-side interceptors; they must be in the workflow bundle. */
export const TRACING_WORKFLOW_MODULE = require.resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/**
 * What a worker adds when tracing is on: activity spans that continue the workflow's trace, and
 * the sink through which workflow code (which cannot export by itself) hands over its spans.
 */
export function workerTracingOptions(
  prebuiltBundle: boolean,
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!active) return {};
  return {
    interceptors: {
      // A prebuilt bundle carries them only if it was built with tracing on (bundleWorkflows).
      ...(prebuiltBundle ? {} : { workflowModules: [TRACING_WORKFLOW_MODULE] }),
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(active.processor, active.resource) },
  };
}

const tracer = trace.getTracer('conveyor');

/** The current trace's id for a log line, so a log search and a trace find each other. */
export function traceFields(): { traceId?: string } {
  const span = active ? trace.getActiveSpan() : undefined;
  return span ? { traceId: span.spanContext().traceId } : {};
}

/**
 * Runs `work` in a child span of the current one; with tracing off, in the current context as it
 * is (which still carries a trace begun elsewhere on to what `work` calls).
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!active) return work();
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
