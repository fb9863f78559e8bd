import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import { createHostAccess, type HostAccessSettings } from '../activities/handler-context';
import { loadConfig } from '../common/config';
import type { LedgerVersion } from '../common/domain';
import { logger } from '../common/log';
import type { RetentionFloor } from '../common/maintenance';
import {
  TRACING_WORKFLOW_MODULE,
  tracingClientInterceptors,
  tracingEnabled,
  workerTracingOptions,
} from '../common/tracing';
import { type WebhookSettings, webhookPolicy } from '../common/webhooks';
import type { Database } from '../db/client';
import { createHandlerRegistry, type HandlerRegistry } from '../handlers/registry';
import { reportWorker } from './worker-report';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Bundles the workflows once; tests and the benchmark share one bundle across workers. With
 * tracing on, the bundle carries the workflow-side span interceptors too.
 */
export function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: tracingEnabled() ? [TRACING_WORKFLOW_MODULE] : undefined,
    logger: new DefaultLogger('WARN'),
  });
}

let runtimeInstalled = false;

/**
 * Keeps the SDK's own logs to warnings (its per-task INFO lines drown what a person watches).
 * With `ownSignals`, the SDK leaves SIGINT and SIGTERM alone: otherwise it shuts the worker
 * down and re-raises the signal, killing the process before the caller has stopped the rest.
 */
export function installQuietRuntime(
  options: {
    level?: 'WARN' | 'ERROR';
    ownSignals?: boolean;
    /** host:port where the SDK serves its own worker metrics (task slots, poll latency, …). */
    sdkMetricsAddress?: string;
  } = {},
): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      // The SDK's own lines go through Conveyor's logger, with their workflow and activity ids.
      logger: new DefaultLogger(options.level ?? 'WARN', (entry) => {
        const level = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'info');
        logger({ source: 'temporal-sdk', ...entry.meta })[level](entry.message);
      }),
      ...(options.ownSignals ? { shutdownSignals: [] } : {}),
      ...(options.sdkMetricsAddress
        ? {
            telemetryOptions: {
              metrics: { prometheus: { bindAddress: options.sdkMetricsAddress } },
            },
          }
        : {}),
    });
  } catch {
    // Something in this process built the runtime first; it keeps its own logger.
  }
}

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  database: Database;
  handlers?: HandlerRegistry;
  /** What handlers may touch on the host (FILE_ROOTS, OUTBOUND_*); unset: no files, no private addresses. */
  hostAccess?: HostAccessSettings;
  workflowBundle?: WorkflowBundleOption;
  /** Batch activities this worker runs at once. */
  maxConcurrentActivities?: number;
  /** How Temporal's history names this worker (default: pid@host). */
  identity?: string;
  /** The deployment's webhook settings: where this worker's deliveries may connect. */
  webhooks?: Partial<WebhookSettings>;
  /** The deployment's retention (EVENT_RETENTION_DAYS, TEST_RETENTION_DAYS); their defaults without. */
  retention?: RetentionFloor;
  /** The ledger schedules' runs are recorded in (LEDGER_VERSION); the default's without. */
  ledger?: LedgerVersion;
}

export interface RunningWorker {
  worker: Worker;
  connection: NativeConnection;
  /** Records that the worker stopped; call it after `run()` ends, before the database closes. */
  stopped(): Promise<void>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<RunningWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address: options.address });
  const handlers = options.handlers ?? createHandlerRegistry();
  try {
    const worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...(options.identity ? { identity: options.identity } : {}),
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
      activities: createActivities({
        database: options.database,
        handlers,
        host: createHostAccess(options.hostAccess),
        // Connected on first use: only maintenance asks Temporal anything from an activity.
        temporal: new Client({
          connection: Connection.lazy({ address: options.address }),
          namespace: options.namespace,
          interceptors: tracingClientInterceptors(),
        }),
        webhooks: webhookPolicy(options.webhooks ?? {}),
        retention: options.retention ?? loadConfig({}),
        ledger: options.ledger,
      }),
      ...workerTracingOptions(options.workflowBundle !== undefined),
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 20,
      // Heartbeats reach the server at least this often, so a cancel reaches handlers quickly.
      maxHeartbeatThrottleInterval: '1s',
      defaultHeartbeatThrottleInterval: '1s',
    });
    const report = reportWorker(options.database, worker, handlers);
    return { worker, connection, stopped: report.stopped };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
