import {
  ConveyorApiError,
  type ConveyorClient,
  ConveyorUnreachableError,
  type components,
  unwrap,
} from '../client/index';
import type { Connection } from './config';
import { shortTime } from './output';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of `doctor`: what was checked, what was found, and the fix when it is not ok. */
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

type Diagnostics = components['schemas']['Diagnostics'];
type Workers = components['schemas']['Workers'];

/** A clock this far from the database's skews timestamps and schedules visibly. */
const SKEW_WARN_MS = 2_000;
/** No single request of doctor may hang it: a stuck API is itself a finding. */
const REQUEST_TIMEOUT_MS = 10_000;

const timeout = () => ({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function skipped(names: string[], why: string): Check[] {
  return names.map((name) => ({ name, status: 'skip', detail: why }));
}

const DEPENDENT = [
  'Postgres',
  'Temporal',
  'Temporal namespace',
  'Search attributes',
  'Maintenance schedule',
  'Workers',
  'Clock skew',
];

/**
 * Every check of `conveyor doctor`, in order; a check whose premise failed (no API, a key
 * refused) is skipped, so the first failure is the one to fix.
 */
/** What `GET /health` (no key) says; `down` is undefined when the API did not answer. */
async function readHealth(client: ConveyorClient) {
  try {
    const body = await unwrap(client.api.GET('/health', timeout()));
    return { down: [] as string[], checks: body.checks };
  } catch (error) {
    // A 503 is an answer: the API runs and names what it cannot reach.
    if (error instanceof ConveyorApiError) {
      const detail = error.problem?.detail?.toLowerCase() ?? '';
      return { down: ['postgres', 'temporal'].filter((part) => detail.includes(part)), error };
    }
    return { error };
  }
}

/**
 * Every check of `conveyor doctor`, in order; a check whose premise failed (no API, a key
 * refused) is skipped, so the first failure is the one to fix.
 */
export async function runChecks(client: ConveyorClient, connection: Connection): Promise<Check[]> {
  const checks: Check[] = [];
  const health = await readHealth(client);
  if (!health.down) {
    checks.push({
      name: 'API',
      status: 'fail',
      detail: `not reachable at ${connection.url} (from ${connection.source}): ${health.error instanceof ConveyorUnreachableError ? (health.error.reason ?? 'no answer') : message(health.error)}`,
      fix: 'start it with `conveyor start` (or `conveyor api`), or point --url / CONVEYOR_URL / --context at it',
    });
    return [...checks, ...skipped(['API key', ...DEPENDENT], 'the API is not reachable')];
  }
  checks.push({
    name: 'API',
    status: 'ok',
    detail: `${connection.url} (from ${connection.source})`,
  });

  const keyCheck = await checkKey(client, connection);
  checks.push(keyCheck);
  if (keyCheck.status !== 'ok') {
    // Keys live in Postgres: with it down, /health is all there is to go on.
    const fromHealth: Check[] = health.down.map((part) => ({
      name: part === 'postgres' ? 'Postgres' : 'Temporal',
      status: 'fail',
      detail: 'the API cannot reach it (GET /health)',
      fix: `start it, or fix the API's ${part === 'postgres' ? 'DATABASE_URL' : 'TEMPORAL_ADDRESS'}`,
    }));
    const rest = DEPENDENT.filter((name) => !fromHealth.some((check) => check.name === name));
    return [...checks, ...fromHealth, ...skipped(rest, 'no usable API key')];
  }

  const [diagnostics, workers] = await Promise.all([
    unwrap(client.api.GET('/v1/diagnostics', timeout())).catch((error: unknown) => error),
    unwrap(client.api.GET('/v1/workers', timeout())).catch((error: unknown) => error),
  ]);
  if (diagnostics instanceof Error) {
    const why = `GET /v1/diagnostics failed: ${message(diagnostics)}`;
    return [
      ...checks,
      ...skipped(DEPENDENT.slice(0, 5), why),
      workerCheck(workers),
      ...skipped(['Clock skew'], why),
    ];
  }
  const found = diagnostics as Diagnostics;
  return [...checks, ...serverChecks(found), workerCheck(workers), skewCheck(found)];
}

async function checkKey(client: ConveyorClient, connection: Connection): Promise<Check> {
  const fix =
    'pass a key with --key, CONVEYOR_API_KEY or a context; `conveyor start` prints the admin key (kept in .data/admin-key)';
  if (!connection.key) return { name: 'API key', status: 'fail', detail: 'no API key given', fix };
  try {
    await unwrap(client.api.GET('/v1/handlers', timeout()));
    return { name: 'API key', status: 'ok', detail: 'accepted' };
  } catch (error) {
    if (error instanceof ConveyorApiError && error.status === 401) {
      return { name: 'API key', status: 'fail', detail: 'refused by the API (401)', fix };
    }
    if (error instanceof ConveyorApiError && error.status === 503) {
      return {
        name: 'API key',
        status: 'skip',
        detail: `cannot be checked now: ${message(error)}`,
      };
    }
    return { name: 'API key', status: 'fail', detail: message(error), fix: 'see the API log' };
  }
}

function serverChecks({ postgres, temporal, taskQueue }: Diagnostics): Check[] {
  const checks: Check[] = [];
  if (!postgres.reachable) {
    checks.push({
      name: 'Postgres',
      status: 'fail',
      detail: `the API cannot reach it: ${postgres.error}`,
      fix: 'start Postgres or fix DATABASE_URL of the API; Conveyor reconnects on its own',
    });
  } else if (postgres.migrations && postgres.migrations.pending.length > 0) {
    checks.push({
      name: 'Postgres',
      status: 'fail',
      detail: `reachable, but ${postgres.migrations.pending.length} migration(s) not applied: ${postgres.migrations.pending.join(', ')}`,
      fix: 'run `conveyor migrate` with DATABASE_URL set (every API and worker start migrates too)',
    });
  } else {
    checks.push({
      name: 'Postgres',
      status: 'ok',
      detail: `reachable, migrated (${postgres.migrations?.applied ?? '?'} migrations)`,
    });
  }

  if (!temporal.reachable) {
    checks.push({
      name: 'Temporal',
      status: 'fail',
      detail: `the API cannot reach it: ${temporal.error}`,
      fix: 'start Temporal or fix TEMPORAL_ADDRESS of the API',
    });
    return [...checks, ...skipped(DEPENDENT.slice(2, 5), 'Temporal is not reachable')];
  }
  checks.push({ name: 'Temporal', status: 'ok', detail: 'reachable' });
  if (!temporal.namespaceRegistered) {
    checks.push({
      name: 'Temporal namespace',
      status: 'fail',
      detail: `namespace ${temporal.namespace} does not exist`,
      fix: `create it: temporal operator namespace create --namespace ${temporal.namespace}, or set TEMPORAL_NAMESPACE`,
    });
    return [...checks, ...skipped(DEPENDENT.slice(3, 5), 'no namespace')];
  }
  checks.push({ name: 'Temporal namespace', status: 'ok', detail: temporal.namespace });

  const missing = temporal.searchAttributes?.missing;
  checks.push(
    missing === undefined
      ? { name: 'Search attributes', status: 'warn', detail: `not checked: ${temporal.error}` }
      : missing.length > 0
        ? {
            name: 'Search attributes',
            status: 'fail',
            detail: `missing: ${missing.join(', ')}`,
            fix: `register them: ${missing.map((name) => `temporal operator search-attribute create --namespace ${temporal.namespace} --name ${name} --type Keyword`).join('; ')}`,
          }
        : {
            name: 'Search attributes',
            status: 'ok',
            detail: temporal.searchAttributes?.required.join(', ') ?? '',
          },
  );

  const schedule = temporal.maintenanceSchedule;
  checks.push(
    schedule.present === null
      ? { name: 'Maintenance schedule', status: 'warn', detail: `not checked: ${temporal.error}` }
      : !schedule.present
        ? {
            name: 'Maintenance schedule',
            status: 'fail',
            detail: `${schedule.id} is missing: crashed operations are not reconciled, events are kept forever`,
            fix: `restart an API (\`conveyor api\` or \`conveyor start\`) with TASK_QUEUE=${taskQueue}: it installs the schedule`,
          }
        : schedule.paused
          ? {
              name: 'Maintenance schedule',
              status: 'warn',
              detail: `${schedule.id} is paused`,
              fix: `unpause it: temporal schedule toggle --schedule-id ${schedule.id} --unpause --reason doctor`,
            }
          : { name: 'Maintenance schedule', status: 'ok', detail: schedule.id },
  );
  return checks;
}

function workerCheck(answer: unknown): Check {
  if (answer instanceof Error) {
    return {
      name: 'Workers',
      status: 'fail',
      detail: `GET /v1/workers failed: ${message(answer)}`,
      fix: 'check that Temporal is reachable from the API',
    };
  }
  const { workers: listed, taskQueue, expectedHandlers } = answer as Workers;
  // Temporal lists a worker for about a minute after it stops; its own reports say sooner.
  const gone = listed.filter((worker) => worker.reportedAt !== null && !worker.reporting);
  const workers = listed.filter((worker) => !gone.includes(worker));
  const goneText = gone
    .map((worker) =>
      worker.stoppedAt
        ? `${worker.identity} stopped at ${shortTime(worker.stoppedAt)}`
        : `${worker.identity} has not reported since ${shortTime(worker.reportedAt)} (killed, or cut off from Postgres)`,
    )
    .join('; ');
  const polls = (type: string) =>
    workers.filter((worker) => worker.polls.some((poll) => poll.taskQueueType === type));
  const handlers = expectedHandlers
    .map((handler) => `${handler.name}@${handler.version}`)
    .join(', ');
  const fix = `start one: \`conveyor worker\` (or \`npm run start:worker\`) with TASK_QUEUE=${taskQueue} and the API's TEMPORAL_ADDRESS`;
  if (workers.length === 0) {
    return {
      name: 'Workers',
      status: 'fail',
      detail: gone.length
        ? `no worker is running on task queue ${taskQueue}: ${goneText}; operations will wait`
        : `no worker is polling task queue ${taskQueue}: operations will wait forever`,
      fix,
    };
  }
  const lacking = (['workflow', 'activity'] as const).filter((type) => polls(type).length === 0);
  if (lacking.length > 0) {
    return {
      name: 'Workers',
      status: 'fail',
      detail: `no worker polls task queue ${taskQueue} for ${lacking.join(' and ')} tasks`,
      fix,
    };
  }
  // A worker of other code (or an older build) may lack a handler the API accepts jobs for.
  const named = (handler: { name: string; version: string }) =>
    `${handler.name}@${handler.version}`;
  const mismatched = workers.flatMap((worker) => {
    if (!worker.handlers) return [`${worker.identity} has not reported its handlers`];
    const runs = new Set(worker.handlers.map(named));
    const missing = expectedHandlers.map(named).filter((handler) => !runs.has(handler));
    return missing.length ? [`${worker.identity} lacks ${missing.join(', ')}`] : [];
  });
  if (mismatched.length > 0) {
    return {
      name: 'Workers',
      status: 'warn',
      detail: `${workers.length} polling ${taskQueue}, but ${mismatched.join('; ')}`,
      fix: 'run every worker from the same code and HANDLER_MODULES as the API, then restart the others',
    };
  }
  return {
    name: 'Workers',
    status: 'ok',
    detail: `${workers.length} polling ${taskQueue} (${workers.map((worker) => worker.identity).join(', ')}); each runs ${handlers}`,
  };
}

function skewCheck({ postgres }: Diagnostics): Check {
  const skew = postgres.clockSkewMs;
  if (skew === null) {
    return { name: 'Clock skew', status: 'skip', detail: 'Postgres did not answer' };
  }
  const detail = `database clock ${skew >= 0 ? 'ahead of' : 'behind'} the API's by ${Math.abs(skew)} ms`;
  return Math.abs(skew) > SKEW_WARN_MS
    ? {
        name: 'Clock skew',
        status: 'warn',
        detail,
        fix: 'synchronise both hosts with NTP (chrony or systemd-timesyncd)',
      }
    : { name: 'Clock skew', status: 'ok', detail };
}
