// Generated from /openapi.json by `npm run client:generate`; do not edit by hand.
// test/cli/client-schema.test.ts fails when this file no longer matches the API.

export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether Postgres and Temporal answer (no key needed) */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This process’s metrics in Prometheus’s text format (no key needed) */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Whether operations can run now: Postgres, Temporal and a worker (no key needed)
     * @description Ready when Postgres answers, Temporal answers, and at least one worker polls the task queue for both workflow and activity tasks (as Temporal saw within about the last minute). Each check gives up after 3 seconds. Otherwise a 503 problem whose `detail` names what is missing.
     */
    get: operations['getReady'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/collections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List collections with item and operation counts, newest first */
    get: operations['getCollections'];
    put?: never;
    /** Create a collection */
    post: operations['postCollections'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/collections/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a collection with its item count and last operation */
    get: operations['getCollectionsById'];
    put?: never;
    post?: never;
    /**
     * Delete a collection and its items
     * @description Refused with 409, naming the operation, while an unfinished operation runs over the collection or over items of it.
     */
    delete: operations['deleteCollectionsById'];
    options?: never;
    head?: never;
    /** Update a collection’s name, description or metadata */
    patch: operations['patchCollectionsById'];
    trace?: never;
  };
  '/v1/collections/{id}/items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a collection’s items by id, with their state under a job when one is named */
    get: operations['getCollectionsByIdItems'];
    put?: never;
    /** Upsert items by key */
    post: operations['postCollectionsByIdItems'];
    /** Delete items by key */
    delete: operations['deleteCollectionsByIdItems'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/collections/{id}/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Result counts and stale results per handler */
    get: operations['getCollectionsByIdStats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/collections/{id}/items/{itemId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An item with its latest result per stage, its history across operations and its state per job */
    get: operations['getCollectionsByIdItemsByItemId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/collections/{id}/results/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export a collection’s results as NDJSON, streamed
     * @description One `ResultExportLine` per line, by item id then handler, streamed from a Postgres cursor: any size of collection, in constant memory. A failure after the response began resets the connection, so a cut-short export never looks complete.
     */
    get: operations['getCollectionsByIdResultsExport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List jobs, newest first */
    get: operations['getJobs'];
    put?: never;
    /**
     * Create a job
     * @description Needs the admin role.
     */
    post: operations['postJobs'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/validate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Check a job definition against the handlers without saving it */
    post: operations['postJobsValidate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a job by id or name */
    get: operations['getJobsById'];
    /**
     * Replace a job definition (a new version)
     * @description Needs the admin role.
     */
    put: operations['putJobsById'];
    post?: never;
    /**
     * Delete a job (operations that ran it keep their snapshot)
     * @description Needs the admin role.
     */
    delete: operations['deleteJobsById'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List every version a job has had, oldest first */
    get: operations['getJobsByIdVersions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/versions/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a job’s definition as it was at one version */
    get: operations['getJobsByIdVersionsByVersion'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Pause a job: its schedules start nothing and its running operations pause
     * @description Needs the admin role.
     */
    post: operations['postJobsByIdPause'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Wake a paused job: its schedules run again and its paused operations resume
     * @description Needs the admin role.
     */
    post: operations['postJobsByIdResume'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel the unfinished operations that match filters (or preview it)
     * @description Each operation is cancelled as by POST /v1/operations/{id}/cancel and gets an `operation.cancel_requested` event.
     */
    post: operations['postOperationsCancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Retry the failed items of the finished operations that match filters (or preview it)
     * @description Each operation is retried as by POST /v1/operations/{id}/retry and gets an `operation.retried` event; repeating the request does not retry an operation twice.
     */
    post: operations['postOperationsRetry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List operations, newest first */
    get: operations['getOperations'];
    put?: never;
    /**
     * Start an operation (or plan one with mode dry_run)
     * @description Records the operation and its `operation.created` event, then starts its workflow. With an `idempotencyKey`, a repeated request returns the recorded operation (and starts it if an earlier attempt was cut short). With `only: "stale"` it runs only the collection’s items whose results are stale for the job’s handlers (409 when none is). A job that begins with a discovery stage runs it over a whole collection; over given items it runs the later stages only.
     */
    post: operations['postOperations'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an operation with per-stage progress, costs and its Web UI link */
    get: operations['getOperationsById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Items of an operation with their state in every stage */
    get: operations['getOperationsByIdItems'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Events of an operation, oldest first */
    get: operations['getOperationsByIdEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel an operation
     * @description Asks its workflow to cancel: running batches abort their handlers, and the operation becomes `cancelled` once they stop. Nothing done is lost. An operation already completed, failed or cancelled answers 409.
     */
    post: operations['postOperationsByIdCancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause an operation: batches in flight finish, then it waits */
    post: operations['postOperationsByIdPause'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume a paused operation where it stopped */
    post: operations['postOperationsByIdResume'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a new operation over the items that failed in this finished one, or it left unfinished
     * @description Runs the items through the stages of the definition the operation ran; without a body, the failed ones. For a job that begins with a discovery stage the retry runs the later stages on the discovered items; discovery does not run again. 409 when the operation still runs or the selection is empty.
     */
    post: operations['postOperationsByIdRetry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live Server-Sent Events of one operation, from its first event until it finishes
     * @description Sends the operation’s events from its first (or after `Last-Event-ID`, to resume), then each new one as it is written; ends after `operation.completed`, `operation.failed` or `operation.cancelled`.
     */
    get: operations['getOperationsByIdStream'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/logs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The lines the operation’s handlers logged (ctx.log), oldest first
     * @description Lines at info level and above, kept per operation (at most 10,000; a line says when the log is full) for as long as its events.
     */
    get: operations['getOperationsByIdLogs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/logs/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The operation’s log lines as Server-Sent Events, until it finishes
     * @description Sends the lines kept so far (after `Last-Event-ID`, to resume), then new ones as batches write them, about every second; ends with an `end` message once the operation has finished and its last lines were sent.
     */
    get: operations['getOperationsByIdLogsStream'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operations/{id}/results': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Outcomes of an operation’s item stages, with their results
     * @description Item stages in stage order, then item id; each with the item’s current result for that stage.
     */
    get: operations['getOperationsByIdResults'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/handlers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Handlers the workers run, with their params schemas */
    get: operations['getHandlers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Workers polling the task queue, the handlers each runs, and the backlog
     * @description Asks Temporal (`DescribeTaskQueue` with `reportStats`, for the workflow and the activity task type) which workers poll the task queue and how many tasks wait, and joins what each worker reported of its handlers.
     */
    get: operations['getWorkers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/stats/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Per job: operations by status, item-stage counts, durations and throughput
     * @description Needs the viewer role.
     */
    get: operations['getStatsJobs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/stats/stages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Per job and stage: item counts, durations and throughput
     * @description Needs the viewer role.
     */
    get: operations['getStatsStages'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/stats/costs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Costs per day, per job or per stage
     * @description Needs the viewer role.
     */
    get: operations['getStatsCosts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The tenant’s events after an id, oldest first
     * @description Needs the viewer role.
     */
    get: operations['getEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live Server-Sent Events of the whole tenant
     * @description Sends each new event of the tenant that passes the filters, from the moment of connecting, or every one after `Last-Event-ID` when resuming. Never ends on its own.
     *
     *     Needs the viewer role.
     */
    get: operations['getEventsStream'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the tenant’s webhooks, newest first
     * @description Needs the viewer role.
     */
    get: operations['getWebhooks'];
    put?: never;
    /**
     * Create a webhook: events of the chosen types, signed, POSTed to a URL
     * @description Needs the admin role.
     */
    post: operations['postWebhooks'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a webhook
     * @description Needs the viewer role.
     */
    get: operations['getWebhooksById'];
    put?: never;
    post?: never;
    /**
     * Delete a webhook; its pending deliveries stop
     * @description Needs the admin role.
     */
    delete: operations['deleteWebhooksById'];
    options?: never;
    head?: never;
    /**
     * Change a webhook, or disable and enable it
     * @description Needs the admin role.
     */
    patch: operations['patchWebhooksById'];
    trace?: never;
  };
  '/v1/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A webhook’s deliveries, newest first: status, attempts, response and latency
     * @description Needs the viewer role.
     */
    get: operations['getWebhooksByIdDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a delivery again, with the same `webhook-id`
     * @description Needs the admin role.
     */
    post: operations['postWebhooksByIdDeliveriesByDeliveryIdRedeliver'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the tenant’s schedules with their next run times and last run
     * @description Needs the viewer role.
     */
    get: operations['getSchedules'];
    put?: never;
    /**
     * Create a schedule: operations of a job started on a cron or an interval
     * @description Needs the admin role.
     */
    post: operations['postSchedules'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/schedules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a schedule
     * @description Needs the viewer role.
     */
    get: operations['getSchedulesById'];
    put?: never;
    post?: never;
    /**
     * Delete a schedule (its running operations go on)
     * @description Needs the admin role.
     */
    delete: operations['deleteSchedulesById'];
    options?: never;
    head?: never;
    /**
     * Change what a schedule runs (job, params, scope, checked as a start), when, its overlap policy or note
     * @description Needs the admin role.
     */
    patch: operations['patchSchedulesById'];
    trace?: never;
  };
  '/v1/schedules/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Pause a schedule: no run starts until it is unpaused
     * @description Needs the admin role.
     */
    post: operations['postSchedulesByIdPause'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/schedules/{id}/unpause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Unpause a schedule
     * @description Needs the admin role.
     */
    post: operations['postSchedulesByIdUnpause'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/schedules/{id}/trigger': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run a schedule now, under its overlap policy unless told otherwise
     * @description Needs the admin role.
     */
    post: operations['postSchedulesByIdTrigger'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/schedules/{id}/backfill': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Take the runs a past window would have had, now
     * @description Needs the admin role.
     */
    post: operations['postSchedulesByIdBackfill'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/maintenance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The last global maintenance runs and what each did
     * @description Needs the admin role.
     */
    get: operations['getMaintenance'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/diagnostics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * What an operator checks when something does not run: migrations, Temporal, clocks
     * @description Asks Postgres which migrations are applied and how far its clock is from the API’s, and Temporal whether the namespace, Conveyor’s search attributes and the maintenance schedule exist. Each check gives up after 3 seconds; a check that could not be made is reported with its `error`, never as a failed request. `conveyor doctor` reads it.
     */
    get: operations['getDiagnostics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List tenants, newest first
     * @description Needs a system key (the admin key `npm start` prints).
     */
    get: operations['getTenants'];
    put?: never;
    /**
     * Create a tenant with its first admin key
     * @description Needs a system key (the admin key `npm start` prints).
     */
    post: operations['postTenants'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change a tenant's settings (fairness weight, parallelism, quotas)
     * @description Needs a system key (the admin key `npm start` prints).
     */
    patch: operations['patchTenantsById'];
    trace?: never;
  };
  '/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List this tenant’s API keys, revoked ones included, newest first
     * @description Needs the admin role.
     */
    get: operations['getApiKeys'];
    put?: never;
    /**
     * Create an API key for this tenant
     * @description Needs the admin role.
     */
    post: operations['postApiKeys'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke an API key
     * @description The key is refused (401) from its next request on; it stays listed with `revokedAt`. Revoking a revoked key changes nothing. The key making the request cannot revoke itself (409), so nobody locks themselves out by mistake: revoke it with another admin key. A system key is refused too (409): it manages every tenant, so only its operator revokes it, by restarting with another `CONVEYOR_ADMIN_KEY`.
     *
     *     Needs the admin role.
     */
    delete: operations['deleteApiKeysById'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    LaterStage:
      | {
          /** @description Unique within the job. */
          name: string;
          /**
           * @description Sleeps delayMs per item; fails failKeys permanently and flakyKeys on their first attempt; logs `log` (with the key) for each item when given.
           * @enum {string}
           */
          handler: 'noop';
          /**
           * @description Params of noop, checked against its schema.
           * @default {}
           */
          params: {
            /** @default 0 */
            delayMs: number;
            /** @default [] */
            failKeys: string[];
            /** @default [] */
            flakyKeys: string[];
            cost?: number;
            log?: string;
          } & {
            [key: string]: components['schemas']['JsonValue'];
          };
          /**
           * @description Items processed at once inside one batch activity.
           * @default 10
           */
          concurrency: number;
          /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
          batchSize?: number;
          /** @description Items per second this stage's handler may start, summed over every worker. */
          rateLimitPerSecond?: number;
          /**
           * @description Time one item may take before its handler is aborted.
           * @default 60000
           */
          itemTimeoutMs: number;
          /**
           * @default {
           *       "maximumAttempts": 3,
           *       "initialIntervalMs": 1000,
           *       "backoffCoefficient": 2,
           *       "maximumIntervalMs": 60000
           *     }
           */
          retry: {
            /**
             * @description Claims of one item in this stage before its failure is final.
             * @default 3
             */
            maximumAttempts: number;
            /**
             * @description Wait before the first retry of a batch.
             * @default 1000
             */
            initialIntervalMs: number;
            /**
             * @description Each retry waits this many times longer than the one before.
             * @default 2
             */
            backoffCoefficient: number;
            /**
             * @description Longest wait between retries.
             * @default 60000
             */
            maximumIntervalMs: number;
          };
          /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
          barrier?: boolean;
          /**
           * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
           * @enum {string}
           */
          passOn?: 'all' | 'new' | 'changed';
        }
      | {
          /** @description Unique within the job. */
          name: string;
          /**
           * @description GETs the item URL and stores status, content type, byte length and sha256.
           * @enum {string}
           */
          handler: 'http.fetch';
          /**
           * @description Params of http.fetch, checked against its schema.
           * @default {}
           */
          params: {
            /** @default 10000 */
            timeoutMs: number;
            /** @default 5000000 */
            maxBytes: number;
          } & {
            [key: string]: components['schemas']['JsonValue'];
          };
          /**
           * @description Items processed at once inside one batch activity.
           * @default 10
           */
          concurrency: number;
          /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
          batchSize?: number;
          /** @description Items per second this stage's handler may start, summed over every worker. */
          rateLimitPerSecond?: number;
          /**
           * @description Time one item may take before its handler is aborted.
           * @default 60000
           */
          itemTimeoutMs: number;
          /**
           * @default {
           *       "maximumAttempts": 3,
           *       "initialIntervalMs": 1000,
           *       "backoffCoefficient": 2,
           *       "maximumIntervalMs": 60000
           *     }
           */
          retry: {
            /**
             * @description Claims of one item in this stage before its failure is final.
             * @default 3
             */
            maximumAttempts: number;
            /**
             * @description Wait before the first retry of a batch.
             * @default 1000
             */
            initialIntervalMs: number;
            /**
             * @description Each retry waits this many times longer than the one before.
             * @default 2
             */
            backoffCoefficient: number;
            /**
             * @description Longest wait between retries.
             * @default 60000
             */
            maximumIntervalMs: number;
          };
          /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
          barrier?: boolean;
          /**
           * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
           * @enum {string}
           */
          passOn?: 'all' | 'new' | 'changed';
        }
      | {
          /** @description Unique within the job. */
          name: string;
          /**
           * @description Streams data.path through sha256 and stores the digest and byte count.
           * @enum {string}
           */
          handler: 'file.checksum';
          /**
           * @description Params of file.checksum, checked against its schema.
           * @default {}
           */
          params: {
            /**
             * @default sha256
             * @enum {string}
             */
            algorithm: 'sha256' | 'sha1' | 'md5';
          } & {
            [key: string]: components['schemas']['JsonValue'];
          };
          /**
           * @description Items processed at once inside one batch activity.
           * @default 10
           */
          concurrency: number;
          /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
          batchSize?: number;
          /** @description Items per second this stage's handler may start, summed over every worker. */
          rateLimitPerSecond?: number;
          /**
           * @description Time one item may take before its handler is aborted.
           * @default 60000
           */
          itemTimeoutMs: number;
          /**
           * @default {
           *       "maximumAttempts": 3,
           *       "initialIntervalMs": 1000,
           *       "backoffCoefficient": 2,
           *       "maximumIntervalMs": 60000
           *     }
           */
          retry: {
            /**
             * @description Claims of one item in this stage before its failure is final.
             * @default 3
             */
            maximumAttempts: number;
            /**
             * @description Wait before the first retry of a batch.
             * @default 1000
             */
            initialIntervalMs: number;
            /**
             * @description Each retry waits this many times longer than the one before.
             * @default 2
             */
            backoffCoefficient: number;
            /**
             * @description Longest wait between retries.
             * @default 60000
             */
            maximumIntervalMs: number;
          };
          /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
          barrier?: boolean;
          /**
           * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
           * @enum {string}
           */
          passOn?: 'all' | 'new' | 'changed';
        };
    /** @description An RFC 9457 problem (application/problem+json). */
    Problem: {
      /**
       * Format: uri
       * @description Stable identifier of the kind of problem, under https://conveyor.dev/problems/; branch on it.
       * @example https://conveyor.dev/problems/validation
       */
      type: string;
      /** @description Short summary of the kind of problem. */
      title: string;
      /**
       * @description The HTTP status code.
       * @example 400
       */
      status: number;
      /** @description What happened here, and what to do next. */
      detail?: string;
      /** @description For validation problems: each invalid field. */
      invalid_params?: {
        /**
         * @description Path of the field in the request, dot-separated; `(body)` for all of it.
         * @example items.1.key
         */
        name: string;
        /** @description What is wrong with it. */
        reason: string;
      }[];
      /**
       * @description For `quota-exceeded`: the tenant’s quota the request is over.
       * @example operationsInFlight
       * @enum {string}
       */
      quota?:
        | 'operationsInFlight'
        | 'itemsPerCollection'
        | 'schedules'
        | 'scheduleIntervalSeconds'
        | 'backfillRuns'
        | 'openStreams'
        | 'webhooks'
        | 'exportsAtOnce'
        | 'highestPriority';
      /**
       * @description For `quota-exceeded`: that quota’s value.
       * @example 1000
       */
      limit?: number;
      /**
       * @description The request path.
       * @example /v1/collections
       */
      instance: string;
    };
    CollectionSummary: components['schemas']['Collection'] & {
      /** @description Operations ever run over this collection. */
      operationCount: number;
      /** @description The newest operation over this collection; null if none. */
      lastOperation: {
        id: string;
        /** @enum {string} */
        status: 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
        /**
         * Format: date-time
         * @description When it was started.
         * @example 2025-01-31T09:30:00.000Z
         */
        createdAt: string;
      } | null;
    };
    Collection: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      tenantId: string;
      name: string;
      description: string | null;
      /** @description As given at creation or last update. */
      metadata: {
        [key: string]: unknown;
      };
      /** @description Items in the collection now. */
      itemCount: number;
      /**
       * Format: date-time
       * @description When the collection was created.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description Last change to the collection or its items.
       * @example 2025-01-31T09:30:00.000Z
       */
      updatedAt: string;
    };
    CollectionInput: {
      /**
       * @description Unique within the tenant.
       * @example product-pages
       */
      name: string & unknown;
      /** @description Free text. */
      description?: string;
      /** @description Any JSON object, kept as given. */
      metadata?: {
        [key: string]: components['schemas']['JsonValue'];
      };
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    /** @description The fields to change; the others stay. */
    CollectionPatch: {
      /**
       * @description Unique within the tenant.
       * @example product-pages
       */
      name?: string & unknown;
      /** @description Free text. */
      description?: string;
      /** @description Any JSON object, kept as given. */
      metadata?: {
        [key: string]: components['schemas']['JsonValue'];
      };
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    ItemUpsert: {
      /** @description Inserted, or updated when the key exists (the last one wins). Their data is at most 8388608 bytes serialised in all. */
      items: ({
        /**
         * @description Unique within the collection: a URL, a path, an external id.
         * @example https://example.com/page/1
         */
        key: string;
        /**
         * @description Any JSON, at most 262144 bytes serialised (UTF-8); `{}` when omitted.
         * @example {
         *       "url": "https://example.com/page/1"
         *     }
         */
        data?: components['schemas']['JsonValue'];
      } & {
        [key: string]: components['schemas']['JsonValue'];
      })[];
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    ListedItem: components['schemas']['Item'] & {
      /** @description Its latest final outcome per stage of the job the list names (none yet: []). */
      states?: components['schemas']['ItemState'][];
    };
    ItemState: {
      /** @description The job, by the name its latest run had. */
      job: string;
      /** @description The stage’s name. */
      stage: string;
      /**
       * @description Its latest final outcome.
       * @enum {string}
       */
      status: 'done' | 'failed' | 'skipped';
      /** @description The operation that recorded it. */
      operationId: string;
      /**
       * Format: date-time
       * @description When it was recorded.
       * @example 2025-01-31T09:30:00.000Z
       */
      finishedAt: string | null;
    };
    Item: {
      /** @description The item id, used by `itemIds` of a start. */
      id: number;
      key: string;
      /** @description The item data as last upserted. */
      data?: unknown;
      /**
       * Format: date-time
       * @description When the key was first upserted.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description When its data was last upserted.
       * @example 2025-01-31T09:30:00.000Z
       */
      updatedAt: string;
    };
    CollectionStats: {
      /** Format: uuid */
      collectionId: string;
      /** @description Items in the collection. */
      items: number;
      operations: {
        /** @description Operations ever run over the collection. */
        total: number;
        /**
         * @description Operations per status (queued, running, paused, completed, failed, cancelled); absent statuses have none.
         * @example {
         *       "completed": 3,
         *       "running": 1
         *     }
         */
        byStatus: {
          [key: string]: number;
        };
      };
      handlers: {
        handler: string;
        /** @description The version the workers run now; null if none offers it. */
        currentVersion: string | null;
        /** @description Results stored for items of the collection. */
        results: number;
        /** @description Results from an older version than the current one. */
        stale: number;
        /**
         * @description Results per handler version.
         * @example {
         *       "1": 10,
         *       "2": 90
         *     }
         */
        versions: {
          [key: string]: number;
        };
      }[];
      /** @description Stale results over every handler; POST /v1/operations with `only: "stale"` reprocesses them. */
      stale: number;
    };
    ItemDetail: {
      /** @description The item id. */
      id: number;
      /** @description Unique within the collection. */
      key: string;
      /** @description The item data as last upserted. */
      data?: unknown;
      /**
       * Format: date-time
       * @description When the key was first upserted.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description When its data was last upserted.
       * @example 2025-01-31T09:30:00.000Z
       */
      updatedAt: string;
      /** @description The latest result of each stage that stored one, by stage name. */
      results: components['schemas']['Result'][];
      /** @description The item’s stages across operations, newest operation first (last stage first within one); at most the 100 newest. */
      history: components['schemas']['ItemHistoryEntry'][];
      /** @description Per job that ran over it in production and per stage, its latest final outcome: what `only: "unprocessed"` and `only: "failed"` select by. */
      states: components['schemas']['ItemState'][];
    };
    Result: {
      /** @description The stage that stored the result. */
      stage: string;
      /** @description The handler that returned it. */
      handler: string;
      /** @description The handler version stamped on it. */
      handlerVersion: string;
      /** @description The version the workers run now; null when none offers the handler. */
      currentVersion: string | null;
      /** @description True when `currentVersion` is known and differs from `handlerVersion`: reprocess-stale would run the item again. */
      stale: boolean;
      /** @description What the handler returned. */
      output?: unknown;
      /** @description The operation that stored the result. */
      operationId: string | null;
      /**
       * Format: date-time
       * @description When the result was stored.
       * @example 2025-01-31T09:30:00.000Z
       */
      updatedAt: string;
    };
    ItemHistoryEntry: {
      /** @description The operation the item stage belongs to. */
      operationId: string;
      /** @description The job the operation ran. */
      jobName: string;
      /** @description The stage’s name in that job. */
      stage: string;
      /** @description The handler version that ran; null until it ran. */
      handlerVersion: string | null;
      /**
       * @description The item stage’s state.
       * @enum {string}
       */
      status: 'pending' | 'in_progress' | 'done' | 'failed' | 'skipped';
      /** @description Claims of the item in this stage. */
      attempts: number;
      /** @description Why the item failed or was skipped; null otherwise. */
      error: string | null;
      /**
       * Format: date-time
       * @description When the handler last began on the item.
       * @example 2025-01-31T09:30:00.000Z
       */
      startedAt: string | null;
      /**
       * Format: date-time
       * @description When the item stage reached its final state.
       * @example 2025-01-31T09:30:00.000Z
       */
      finishedAt: string | null;
      /** @description How long the handler took on the item, in ms; null until it ran. */
      durationMs: number | null;
    };
    /** @description One line of a results export: a result with its item. */
    ResultExportLine: components['schemas']['Result'] & {
      /** @description The item id. */
      itemId: number;
      /** @description The item key. */
      key: string;
    };
    Job: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      tenantId: string;
      name: string;
      /** @description Starts at 1; each update adds one. */
      version: number;
      definition: components['schemas']['JobDefinition'];
      /**
       * Format: date-time
       * @description When the job was created.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description When its definition last changed.
       * @example 2025-01-31T09:30:00.000Z
       */
      updatedAt: string;
      /**
       * Format: date-time
       * @description Set once deleted; deleted jobs are not served.
       * @example 2025-01-31T09:30:00.000Z
       */
      deletedAt: string | null;
      /**
       * Format: date-time
       * @description Set while the job is paused (POST /v1/jobs/{id}/pause): its schedules start nothing.
       * @example 2025-01-31T09:30:00.000Z
       */
      pausedAt: string | null;
    };
    /** @description A named list of stages, each naming a handler with params and policies. */
    JobDefinition: {
      /** @description Unique within the tenant; operations name the job by it. */
      name: string;
      /** @description Free text. */
      description?: string;
      /** @description Priority of its operations unless a start says otherwise: 1 (most urgent) to 5; 3 by default. */
      priority?: number;
      /** @description What a start that names no scope (no collectionId, itemIds or scope) runs over: a collection of this tenant, or global. */
      defaultScope?:
        | {
            /** @enum {string} */
            kind: 'collection';
            /** Format: uuid */
            collectionId: string;
          }
        | {
            /** @enum {string} */
            kind: 'global';
          };
      /** @description Run in this order; an item enters a stage only after finishing the one before. */
      stages: {
        /** @description Unique within the job. */
        name: string;
        /** @description Name of a handler; GET /v1/handlers lists them. */
        handler: string;
        /**
         * @description The handler's params; checked against its params schema.
         * @default {}
         */
        params: {
          [key: string]: unknown;
        };
        /**
         * @description Items processed at once inside one batch activity.
         * @default 10
         */
        concurrency: number;
        /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
        batchSize?: number;
        /** @description Items per second this stage's handler may start, summed over every worker. */
        rateLimitPerSecond?: number;
        /**
         * @description Time one item may take before its handler is aborted.
         * @default 60000
         */
        itemTimeoutMs: number;
        /**
         * @description How Temporal retries a batch whose items failed with retryable errors.
         * @default {
         *       "maximumAttempts": 3,
         *       "initialIntervalMs": 1000,
         *       "backoffCoefficient": 2,
         *       "maximumIntervalMs": 60000
         *     }
         */
        retry: {
          /**
           * @description Claims of one item in this stage before its failure is final.
           * @default 3
           */
          maximumAttempts: number;
          /**
           * @description Wait before the first retry of a batch.
           * @default 1000
           */
          initialIntervalMs: number;
          /**
           * @description Each retry waits this many times longer than the one before.
           * @default 2
           */
          backoffCoefficient: number;
          /**
           * @description Longest wait between retries.
           * @default 60000
           */
          maximumIntervalMs: number;
        };
        /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
        barrier?: boolean;
        /**
         * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
         * @enum {string}
         */
        passOn?: 'all' | 'new' | 'changed';
      }[];
    };
    /** @description A named list of stages, each naming a handler the workers run with params its schema accepts; stage names are unique (409 otherwise). A field the job or a stage does not have is refused (400 naming it), never dropped. */
    JobDefinitionInput: {
      /** @description Unique within the tenant; operations name the job by it. */
      name: string;
      /** @description Free text. */
      description?: string;
      /** @description Priority of its operations unless a start says otherwise: 1 (most urgent) to 5; 3 by default. */
      priority?: number;
      /** @description What a start that names no scope (no collectionId, itemIds or scope) runs over: a collection of this tenant, or global. */
      defaultScope?:
        | {
            /** @enum {string} */
            kind: 'collection';
            /** Format: uuid */
            collectionId: string;
          }
        | {
            /** @enum {string} */
            kind: 'global';
          };
      /** @description Run in this order; an item enters a stage only after finishing the one before. Only the first stage may name a discovery handler. */
      stages: [
        | {
            /** @description Unique within the job. */
            name: string;
            /**
             * @description Sleeps delayMs per item; fails failKeys permanently and flakyKeys on their first attempt; logs `log` (with the key) for each item when given.
             * @enum {string}
             */
            handler: 'noop';
            /**
             * @description Params of noop, checked against its schema.
             * @default {}
             */
            params: {
              /** @default 0 */
              delayMs: number;
              /** @default [] */
              failKeys: string[];
              /** @default [] */
              flakyKeys: string[];
              cost?: number;
              log?: string;
            } & {
              [key: string]: components['schemas']['JsonValue'];
            };
            /**
             * @description Items processed at once inside one batch activity.
             * @default 10
             */
            concurrency: number;
            /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
            batchSize?: number;
            /** @description Items per second this stage's handler may start, summed over every worker. */
            rateLimitPerSecond?: number;
            /**
             * @description Time one item may take before its handler is aborted.
             * @default 60000
             */
            itemTimeoutMs: number;
            /**
             * @default {
             *       "maximumAttempts": 3,
             *       "initialIntervalMs": 1000,
             *       "backoffCoefficient": 2,
             *       "maximumIntervalMs": 60000
             *     }
             */
            retry: {
              /**
               * @description Claims of one item in this stage before its failure is final.
               * @default 3
               */
              maximumAttempts: number;
              /**
               * @description Wait before the first retry of a batch.
               * @default 1000
               */
              initialIntervalMs: number;
              /**
               * @description Each retry waits this many times longer than the one before.
               * @default 2
               */
              backoffCoefficient: number;
              /**
               * @description Longest wait between retries.
               * @default 60000
               */
              maximumIntervalMs: number;
            };
            /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
            barrier?: boolean;
            /**
             * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
             * @enum {string}
             */
            passOn?: 'all' | 'new' | 'changed';
          }
        | {
            /** @description Unique within the job. */
            name: string;
            /**
             * @description GETs the item URL and stores status, content type, byte length and sha256.
             * @enum {string}
             */
            handler: 'http.fetch';
            /**
             * @description Params of http.fetch, checked against its schema.
             * @default {}
             */
            params: {
              /** @default 10000 */
              timeoutMs: number;
              /** @default 5000000 */
              maxBytes: number;
            } & {
              [key: string]: components['schemas']['JsonValue'];
            };
            /**
             * @description Items processed at once inside one batch activity.
             * @default 10
             */
            concurrency: number;
            /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
            batchSize?: number;
            /** @description Items per second this stage's handler may start, summed over every worker. */
            rateLimitPerSecond?: number;
            /**
             * @description Time one item may take before its handler is aborted.
             * @default 60000
             */
            itemTimeoutMs: number;
            /**
             * @default {
             *       "maximumAttempts": 3,
             *       "initialIntervalMs": 1000,
             *       "backoffCoefficient": 2,
             *       "maximumIntervalMs": 60000
             *     }
             */
            retry: {
              /**
               * @description Claims of one item in this stage before its failure is final.
               * @default 3
               */
              maximumAttempts: number;
              /**
               * @description Wait before the first retry of a batch.
               * @default 1000
               */
              initialIntervalMs: number;
              /**
               * @description Each retry waits this many times longer than the one before.
               * @default 2
               */
              backoffCoefficient: number;
              /**
               * @description Longest wait between retries.
               * @default 60000
               */
              maximumIntervalMs: number;
            };
            /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
            barrier?: boolean;
            /**
             * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
             * @enum {string}
             */
            passOn?: 'all' | 'new' | 'changed';
          }
        | {
            /** @description Unique within the job. */
            name: string;
            /**
             * @description Streams data.path through sha256 and stores the digest and byte count.
             * @enum {string}
             */
            handler: 'file.checksum';
            /**
             * @description Params of file.checksum, checked against its schema.
             * @default {}
             */
            params: {
              /**
               * @default sha256
               * @enum {string}
               */
              algorithm: 'sha256' | 'sha1' | 'md5';
            } & {
              [key: string]: components['schemas']['JsonValue'];
            };
            /**
             * @description Items processed at once inside one batch activity.
             * @default 10
             */
            concurrency: number;
            /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
            batchSize?: number;
            /** @description Items per second this stage's handler may start, summed over every worker. */
            rateLimitPerSecond?: number;
            /**
             * @description Time one item may take before its handler is aborted.
             * @default 60000
             */
            itemTimeoutMs: number;
            /**
             * @default {
             *       "maximumAttempts": 3,
             *       "initialIntervalMs": 1000,
             *       "backoffCoefficient": 2,
             *       "maximumIntervalMs": 60000
             *     }
             */
            retry: {
              /**
               * @description Claims of one item in this stage before its failure is final.
               * @default 3
               */
              maximumAttempts: number;
              /**
               * @description Wait before the first retry of a batch.
               * @default 1000
               */
              initialIntervalMs: number;
              /**
               * @description Each retry waits this many times longer than the one before.
               * @default 2
               */
              backoffCoefficient: number;
              /**
               * @description Longest wait between retries.
               * @default 60000
               */
              maximumIntervalMs: number;
            };
            /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
            barrier?: boolean;
            /**
             * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
             * @enum {string}
             */
            passOn?: 'all' | 'new' | 'changed';
          }
        | {
            /** @description Unique within the job. */
            name: string;
            /**
             * @description Yields one item per file under `path` (recursively), keyed by relative path.
             * @enum {string}
             */
            handler: 'fs.directory';
            /**
             * @description Params of fs.directory, checked against its schema.
             * @default {}
             */
            params: {
              path: string & unknown;
              extensions?: string[];
              /** @default 100000 */
              maxFiles: number;
            } & {
              [key: string]: components['schemas']['JsonValue'];
            };
            /**
             * @description Items processed at once inside one batch activity.
             * @default 10
             */
            concurrency: number;
            /** @description Items per batch activity; omitted, it adapts toward about one second per batch. */
            batchSize?: number;
            /** @description Items per second this stage's handler may start, summed over every worker. */
            rateLimitPerSecond?: number;
            /**
             * @description Time one item may take before its handler is aborted.
             * @default 60000
             */
            itemTimeoutMs: number;
            /**
             * @default {
             *       "maximumAttempts": 3,
             *       "initialIntervalMs": 1000,
             *       "backoffCoefficient": 2,
             *       "maximumIntervalMs": 60000
             *     }
             */
            retry: {
              /**
               * @description Claims of one item in this stage before its failure is final.
               * @default 3
               */
              maximumAttempts: number;
              /**
               * @description Wait before the first retry of a batch.
               * @default 1000
               */
              initialIntervalMs: number;
              /**
               * @description Each retry waits this many times longer than the one before.
               * @default 2
               */
              backoffCoefficient: number;
              /**
               * @description Longest wait between retries.
               * @default 60000
               */
              maximumIntervalMs: number;
            };
            /** @description Start this stage only once every item finished the stage before; otherwise an item may go on while others are still in the stage before. */
            barrier?: boolean;
            /**
             * @description A discovery stage only: which items it found go on to the later stages: all (the default), new (keys it added to the collection) or changed (new ones and those whose data it changed).
             * @enum {string}
             */
            passOn?: 'all' | 'new' | 'changed';
          },
      ];
    };
    JobVersionSummary: {
      /** @description The version number, from 1. */
      version: number;
      /**
       * Format: date-time
       * @description When this version was saved.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
    };
    JobVersion: components['schemas']['JobVersionSummary'] & {
      /** Format: uuid */
      jobId: string;
      definition: components['schemas']['JobDefinition'];
    };
    JobPauseResult: {
      job: string;
      paused: boolean;
      pausedAt: string | null;
      /** @description Schedules of the job paused or unpaused. */
      schedules: number;
      /** @description Its operations paused or resumed. */
      operations: number;
    };
    OperationBulkResult: {
      /** @enum {string} */
      action: 'cancel' | 'retry';
      dryRun: boolean;
      /** @description Operations matching the filters that the action applies to: unfinished ones for cancel, finished ones with failed items for retry. */
      matched: number;
      /** @description The newest `limit` of the matched operations. */
      operations: {
        id: string;
        /** @description The job as it was when the operation started. */
        job: {
          /**
           * Format: uuid
           * @description Null once the job was deleted.
           */
          id: string | null;
          name: string;
          /** @description The job version this run uses. */
          version: number;
        };
        /**
         * @description Its status before acting.
         * @enum {string}
         */
        status: 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
        /**
         * @description What happened to it (absent on a dry run): `cancelling` (its workflow was asked to stop), `cancelled` (it had no workflow; recorded cancelled), `retried` (`retryId` started), `already_retried` (an earlier bulk retry started `retryId`), `skipped` (its state changed meanwhile; see `detail`), `error` (see `detail`; retry the request).
         * @enum {string}
         */
        outcome?: 'cancelling' | 'cancelled' | 'retried' | 'already_retried' | 'skipped' | 'error';
        /** @description The retry operation. */
        retryId?: string;
        detail?: string;
      }[];
    };
    /** @description The filters of GET /v1/operations, in the same form (`status` comma-separated), at least one of them. */
    OperationBulkInput:
      | ({
          /**
           * @description Comma-separated statuses: queued, running, paused, completed, failed, cancelled.
           * @example running,paused
           */
          status?: string;
          /** @description Job name (every operation run under that name) or job id (the operations of that job). */
          job?: string;
          /** Format: uuid */
          collectionId?: string;
          /** @enum {string} */
          scope?: 'collection' | 'items' | 'global';
          /** @description Name of the API key that started it. */
          requestedBy?: string;
          /** @description The end user it is for, as its start named them. */
          requestedFor?: string;
          /** @description Only operations this schedule started. */
          scheduleId?: string;
          /** @description Only operations of this priority. */
          priority?: number;
          /**
           * Format: date-time
           * @description Only operations created after this time.
           */
          createdAfter?: string;
          /**
           * Format: date-time
           * @description Only operations created before this time.
           */
          createdBefore?: string;
          /**
           * @description True: only say how many operations match and which ones it would act on.
           * @default false
           */
          dryRun: boolean;
          /**
           * @description Act on at most this many, newest first (default 100, at most 500); repeat the request for the rest.
           * @default 100
           */
          limit: number;
        } & {
          [key: string]: components['schemas']['JsonValue'];
        })
      | unknown
      | unknown
      | unknown
      | unknown
      | unknown
      | unknown
      | unknown
      | unknown
      | unknown
      | unknown;
    Operation: {
      /**
       * @description The operation id, also its Temporal workflow id.
       * @example op-3b1f0c0e9d2a4c6b8e7f5a4d3c2b1a09
       */
      id: string;
      /** @enum {string} */
      status: 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
      /** @enum {string} */
      mode: 'production' | 'test' | 'dry_run';
      /** @description 1 (most urgent) to 5: the order Temporal dispatches its work in. */
      priority: number;
      /** @description The job as it was when the operation started. */
      job: {
        /**
         * Format: uuid
         * @description Null once the job was deleted.
         */
        id: string | null;
        name: string;
        /** @description The job version this run uses. */
        version: number;
      };
      scope: {
        /** @enum {string} */
        kind: 'collection' | 'items' | 'global';
        /** Format: uuid */
        collectionId: string | null;
        /** @description For explicit item lists: how many items. */
        itemCount?: number;
      };
      /** @description Params laid over every stage’s own. */
      params: {
        [key: string]: unknown;
      };
      /** @description Item counts over the whole operation. */
      counts: {
        /** @description Items in the operation. */
        items: number;
        /** @description Items done in every stage. */
        done: number;
        /** @description Items that failed a stage. */
        failed: number;
        /** @description Items skipped. */
        skipped: number;
        /** @description Items not finished yet. */
        pending: number;
      };
      /** @description Name of the API key that started it. */
      requestedBy: string | null;
      /** @description The end user it is for, as its start named them. */
      requestedFor: string | null;
      /** @description The operation whose failed items this one retries. */
      retryOf: string | null;
      /** @description The schedule that started it, if one did. */
      scheduleId: string | null;
      /** @description Why it failed, when it did. */
      error: string | null;
      /** @description Where to find the run in Temporal. */
      temporal: {
        workflowId: string;
        runId: string | null;
        namespace: string;
        /** @description The run’s history in the Temporal Web UI, when known. */
        uiUrl: string | null;
      };
      /**
       * Format: date-time
       * @description When it was recorded.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description When its workflow began work.
       * @example 2025-01-31T09:30:00.000Z
       */
      startedAt: string | null;
      /**
       * Format: date-time
       * @description When it reached a final status.
       * @example 2025-01-31T09:30:00.000Z
       */
      finishedAt: string | null;
    };
    DryRunPlan: {
      /** @enum {string} */
      mode: 'dry_run';
      /** @description The job as named in the request. */
      job: string;
      plan: {
        /** @description Items in scope (before limit and itemKeys). */
        items: number;
        /** @description The first few keys in scope. */
        sampleKeys: string[];
        /** @description Child workflows the items would be split into. */
        chunks: number;
        /** @description Set when the job begins with a discovery stage. */
        discovery: {
          stage?: string;
          note: string;
        } | null;
        stages: {
          name: string;
          handler: string;
          /** @description The stage’s params with the operation’s laid over them. */
          params: {
            [key: string]: unknown;
          };
          /** @description Items in the first batch. */
          batchSize: number;
          /** @description True when the batch size adapts toward ~1 s per batch. */
          adaptiveBatchSize: boolean;
          /** @description Items processed at once inside a batch. */
          concurrency: number;
          rateLimitPerSecond: number | null;
          /** @description Batch activities the stage would run. */
          batches: number;
          retry: {
            /**
             * @description Claims of one item in this stage before its failure is final.
             * @default 3
             */
            maximumAttempts: number;
            /**
             * @description Wait before the first retry of a batch.
             * @default 1000
             */
            initialIntervalMs: number;
            /**
             * @description Each retry waits this many times longer than the one before.
             * @default 2
             */
            backoffCoefficient: number;
            /**
             * @description Longest wait between retries.
             * @default 60000
             */
            maximumIntervalMs: number;
          };
        }[];
      };
    };
    OperationStart:
      | ({
          /** @description Name or id of the job to run. */
          job: string;
          /**
           * @description What the operation covers; implied by collectionId or itemIds when omitted.
           * @enum {string}
           */
          scope?: 'collection' | 'items' | 'global';
          /**
           * Format: uuid
           * @description For scope "collection": every item of it.
           */
          collectionId?: string;
          /** @description For scope "items": these items, across collections. */
          itemIds?: number[];
          /**
           * @description Laid over every stage's own params, and checked against each handler.
           * @default {}
           */
          params: {
            [key: string]: components['schemas']['JsonValue'];
          };
          /**
           * @description test: one item (or limit), no results kept; dry_run: only the plan.
           * @default production
           * @enum {string}
           */
          mode: 'production' | 'test' | 'dry_run';
          /** @description At most this many items (test mode: 1 unless given). */
          limit?: number;
          /** @description Only these stages of the job, by name, in the job's order. */
          stages?: string[];
          /**
           * @description Only some of the collection's items, by their state across production runs of this job (needs a collectionId): stale, those whose result from one of the job's handlers is older than that handler's current version; unprocessed, those without a final outcome in one of the stages (new items, and items a cancelled or failed run never reached); failed, those whose latest outcome in one of the stages failed.
           * @enum {string}
           */
          only?: 'stale' | 'unprocessed' | 'failed';
          /** @description Only the items with these keys. */
          itemKeys?: string[];
          /** @description The end user this run is for, in your own ids (not an API key): stored, shown, filterable in lists and bulk actions, and carried in its events and webhooks. */
          requestedFor?: string;
          /** @description 1 (most urgent) to 5; the job's priority (3 unless it names one) when omitted. */
          priority?: number;
          /** @description Repeating a start with the same key returns (or finishes starting) the same operation. */
          idempotencyKey?: string;
        } & {
          [key: string]: components['schemas']['JsonValue'];
        })
      | {
          /** @constant */
          scope?: 'collection';
        }
      | {
          /** @constant */
          scope?: 'items';
          only?: never;
        }
      | {
          /** @constant */
          scope: 'global';
          only?: never;
        };
    OperationDetail: components['schemas']['OperationProgress'] & {
      /** @description Costs reported by handlers, per stage and unit. */
      costs: {
        stageName: string;
        /** @example usd */
        unit: string;
        amount: number;
        /** @description Items that reported a cost. */
        items: number;
      }[];
    };
    StageProgress: {
      name: string;
      handler: string;
      /** @description Item stages in this stage. */
      items: number;
      /** @description Not claimed yet. */
      pending: number;
      /** @description Claimed by a running batch. */
      inProgress: number;
      /** @description Done. */
      done: number;
      /** @description Failed for good. */
      failed: number;
      /** @description Skipped (an earlier stage failed). */
      skipped: number;
    };
    OperationProgress: components['schemas']['Operation'] & {
      stages: components['schemas']['StageProgress'][];
    };
    OperationItem: {
      /** @description 0 for the one item of a global operation. */
      itemId: number;
      key: string;
      stages: {
        stage: string;
        /** @enum {string} */
        status: 'pending' | 'in_progress' | 'done' | 'failed' | 'skipped';
        /** @description Claims of this item in this stage. */
        attempts: number;
        error: string | null;
        durationMs: number | null;
      }[];
    };
    Event: {
      /** @description Increasing within the tenant in the order events are recorded; pass as `after` (or `Last-Event-ID`) to read on. */
      id: number;
      /** Format: uuid */
      tenantId: string;
      operationId: string | null;
      /** @enum {string} */
      type:
        | 'operation.created'
        | 'operation.started'
        | 'operation.progress'
        | 'operation.paused'
        | 'operation.resumed'
        | 'operation.cancelled'
        | 'operation.completed'
        | 'operation.failed'
        | 'stage.started'
        | 'stage.completed'
        | 'chunk.stage_started'
        | 'chunk.stage_completed'
        | 'stage.rerun'
        | 'operation.repaired'
        | 'operation.cancel_requested'
        | 'operation.retried'
        | 'webhook.disabled'
        | 'schedule.fired'
        | 'schedule.skipped'
        | 'maintenance.completed';
      stageName: string | null;
      /** @description The operation’s job. */
      jobName: string | null;
      /** @description The collection the operation ran over, if any. */
      collectionId: string | null;
      /** @description What happened, by event type. */
      data: {
        [key: string]: unknown;
      };
      /**
       * Format: date-time
       * @description When it happened.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
    };
    OperationCancel: {
      id: string;
      /**
       * @description `cancelling`: its workflow was asked to stop; follow GET /v1/operations/{id} until it says `cancelled`. `cancelled`: it had no workflow to ask, and its record says so already.
       * @enum {string}
       */
      status: 'cancelling' | 'cancelled';
    };
    OperationControl: {
      id: string;
      /** @enum {string} */
      status: 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
      /** @description Chunks (child workflows) of the operation. */
      chunksTotal: number;
      /** @description Chunks finished. */
      chunksDone: number;
      paused: boolean;
    };
    OperationRetry: {
      /**
       * @description Which items to run again: failed, those that failed; unfinished, those a cancel or a failure left without a final outcome in some stage (they run every stage again); all, both.
       * @default failed
       * @enum {string}
       */
      items: 'failed' | 'unfinished' | 'all';
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    EventStreamMessage: {
      /** @description The event id. */
      id: string;
      /**
       * @description The event type.
       * @enum {string}
       */
      event:
        | 'operation.created'
        | 'operation.started'
        | 'operation.progress'
        | 'operation.paused'
        | 'operation.resumed'
        | 'operation.cancelled'
        | 'operation.completed'
        | 'operation.failed'
        | 'stage.started'
        | 'stage.completed'
        | 'chunk.stage_started'
        | 'chunk.stage_completed'
        | 'stage.rerun'
        | 'operation.repaired'
        | 'operation.cancel_requested'
        | 'operation.retried'
        | 'webhook.disabled'
        | 'schedule.fired'
        | 'schedule.skipped'
        | 'maintenance.completed';
      /** @description The Event, as JSON. */
      data: string;
    };
    RunLogLine: {
      /** @description Grows with each line; a cursor and a stream id. */
      id: number;
      /** @description The stage whose handler wrote it. */
      stage: string;
      /** @description Its item; null for discovery. */
      itemId: number | null;
      itemKey: string | null;
      /** @enum {string} */
      level: 'info' | 'warn' | 'error' | 'fatal';
      message: string;
      /** @description The fields the handler logged with the message. */
      data: {
        [key: string]: unknown;
      } | null;
      /**
       * Format: date-time
       * @description When the handler wrote it.
       * @example 2025-01-31T09:30:00.000Z
       */
      at: string;
    };
    RunLogStreamMessage: {
      /** @description The line id. */
      id: string;
      /** @enum {string} */
      event: 'log' | 'end';
      /** @description The RunLogLine, as JSON. */
      data: string;
    };
    OperationResult: {
      /** @description 0 for the one item of a global operation. */
      itemId: number;
      /** @description The item key; `global` for a global operation. */
      key: string;
      /** @description The stage’s position in the job, from 0. */
      stageIndex: number;
      /** @description The stage’s name. */
      stage: string;
      /** @description The stage’s handler. */
      handler: string;
      /**
       * @description The item stage’s state.
       * @enum {string}
       */
      status: 'pending' | 'in_progress' | 'done' | 'failed' | 'skipped';
      /** @description Claims of the item in this stage. */
      attempts: number;
      /** @description Why the item failed or was skipped; null otherwise. */
      error: string | null;
      /**
       * Format: date-time
       * @description When the handler last began on the item.
       * @example 2025-01-31T09:30:00.000Z
       */
      startedAt: string | null;
      /**
       * Format: date-time
       * @description When the item stage reached its final state.
       * @example 2025-01-31T09:30:00.000Z
       */
      finishedAt: string | null;
      /** @description How long the handler took on the item, in ms; null until it ran. */
      durationMs: number | null;
      /** @description The item’s current result for this stage; a later operation may have replaced the one this operation stored (see its `operationId`). Null when none is stored. */
      result: components['schemas']['Result'] | null;
    };
    Handler: {
      /**
       * @description What a job stage names.
       * @example http.fetch
       */
      name: string;
      /**
       * @description Stamped on every result; results of an older version are stale.
       * @example 1
       */
      version: string;
      description: string;
      /** @description JSON Schema of the params a stage may give it. */
      params: {
        [key: string]: unknown;
      };
      /**
       * @description Handlers whose results for an item this one reads: a stage running it should come after stages running them.
       * @example [
       *       "http.fetch"
       *     ]
       */
      reads: string[];
    };
    Workers: {
      /** @description The Temporal task queue operations run on (the `TASK_QUEUE` setting). */
      taskQueue: string;
      /** @description The Temporal namespace. */
      namespace: string;
      /** @description Workers Temporal saw polling the task queue recently (within about a minute), by identity. Empty means nothing will run. */
      workers: components['schemas']['Worker'][];
      /** @description Tasks waiting for a worker, per task type. */
      backlog: {
        workflow: components['schemas']['TaskQueueBacklog'];
        activity: components['schemas']['TaskQueueBacklog'];
      };
      /** @description The handlers every worker on this queue is expected to offer: those of the registry this API validates jobs against. A worker whose `handlers` lack one of these (or run another version) cannot run the jobs that use it. */
      expectedHandlers: {
        /** @example http.fetch */
        name: string;
        /** @example 1 */
        version: string;
      }[];
    };
    Worker: {
      /**
       * @description The worker's Temporal identity (by default `pid@hostname`); one entry per identity.
       * @example 4242@worker-1
       */
      identity: string;
      /** @description Each task type of the queue this worker polls, with when it last did. */
      polls: {
        /**
         * @description Which tasks of the queue: `workflow` (workflow tasks, the orchestration) or `activity` (activity tasks, where handlers run).
         * @enum {string}
         */
        taskQueueType: 'workflow' | 'activity';
        /**
         * Format: date-time
         * @description When this worker last polled the task queue for tasks of this type, as Temporal recorded it; null if Temporal did not say. Temporal keeps listing a poller for about a minute after it stops.
         * @example 2025-01-31T09:30:00.000Z
         */
        lastAccessTime: string | null;
        /** @description The tasks-per-second limit the worker asked Temporal for (the TypeScript SDK sends 100000 when none is set). */
        ratePerSecond: number;
      }[];
      /** @description The handlers this worker runs, as it reports them to Postgres every 15 s; null when it never reported (a worker of other code, or one that cannot reach Postgres). */
      handlers:
        | {
            /** @example http.fetch */
            name: string;
            /** @example 1 */
            version: string;
          }[]
        | null;
      /**
       * Format: date-time
       * @description When this worker started, by its own report; null without one.
       * @example 2025-01-31T09:30:00.000Z
       */
      startedAt: string | null;
      /**
       * Format: date-time
       * @description Its last report; null without one.
       * @example 2025-01-31T09:30:00.000Z
       */
      reportedAt: string | null;
      /**
       * Format: date-time
       * @description When it shut down, by its own word; Temporal lists a stopped worker for about a minute.
       * @example 2025-01-31T09:30:00.000Z
       */
      stoppedAt: string | null;
      /** @description True while the worker runs as far as it says: it has not stopped and reported within 45 s. False for a worker that stopped, died or never reported, however Temporal still lists it. */
      reporting: boolean;
    };
    /** @description Backlog statistics as Temporal reports them; null if the server reports none. */
    TaskQueueBacklog: {
      /** @description Approximate number of tasks waiting in the queue for a worker (Temporal `approximate_backlog_count`; may briefly count expired tasks; sticky workflow tasks are not counted). */
      approximateCount: number;
      /** @description Approximate age in milliseconds of the oldest waiting task (Temporal `approximate_backlog_age`); 0 when nothing waits. */
      approximateAgeMs: number;
      /** @description Approximate tasks added per second, averaged over the last 30 seconds. */
      tasksAddRate: number;
      /** @description Approximate tasks handed to workers per second, averaged over the last 30 seconds; below `tasksAddRate` means the backlog grows. */
      tasksDispatchRate: number;
    } | null;
    /** @description Per job, newest roll-ups included. Roll-ups are hourly: an hour counts wholly when it starts inside the window. Production runs only (test mode keeps no statistics). */
    JobStats: {
      /**
       * Format: date-time
       * @description Start of the window read.
       * @example 2025-01-31T09:30:00.000Z
       */
      from: string;
      /**
       * Format: date-time
       * @description End of the window read.
       * @example 2025-01-31T09:30:00.000Z
       */
      to: string;
      /** @description Length of the window, which `perSecond` divides by. */
      seconds: number;
      data: {
        /** @description The job name. */
        job: string;
        operations: {
          /** @description Production operations of the job created in the window. */
          total: number;
          /**
           * @description Operations per status (queued, running, paused, completed, failed, cancelled); absent statuses have none.
           * @example {
           *       "completed": 12,
           *       "failed": 1
           *     }
           */
          byStatus: {
            [key: string]: number;
          };
        };
        /** @description Item stages finished in the window, over all stages. */
        itemStages: {
          /** @description Item stages done. */
          done: number;
          /** @description Item stages failed. */
          failed: number;
          /** @description Item stages skipped by their handler. */
          skipped: number;
          /** @description Item stages finished: done, failed and skipped. */
          total: number;
        };
        /** @description Handler durations per item, from duration buckets 2^(1/3) apart: each percentile is the mean of the bucket it falls in, so within about 12%. Null when nothing finished. */
        durationMs: {
          /** @description Mean duration (ms). */
          mean: number;
          /** @description Median duration (ms). */
          p50: number;
          /** @description 95th percentile (ms). */
          p95: number;
          /** @description 99th percentile (ms). */
          p99: number;
        } | null;
        /** @description Item stages finished per second over the window (an item of an n-stage job counts n times). */
        perSecond: number;
      }[];
    };
    /** @description Per job and stage. Roll-ups are hourly: an hour counts wholly when it starts inside the window. Production runs only (test mode keeps no statistics). */
    StageStats: {
      /**
       * Format: date-time
       * @description Start of the window read.
       * @example 2025-01-31T09:30:00.000Z
       */
      from: string;
      /**
       * Format: date-time
       * @description End of the window read.
       * @example 2025-01-31T09:30:00.000Z
       */
      to: string;
      /** @description Length of the window, which `perSecond` divides by. */
      seconds: number;
      data: {
        /** @description The job name. */
        job: string;
        /** @description The stage name. */
        stage: string;
        /** @description Items that finished the stage in the window. */
        items: {
          /** @description Items done. */
          done: number;
          /** @description Items failed. */
          failed: number;
          /** @description Items skipped by their handler. */
          skipped: number;
          /** @description Items finished: done, failed and skipped. */
          total: number;
        };
        /** @description Handler durations per item, from duration buckets 2^(1/3) apart: each percentile is the mean of the bucket it falls in, so within about 12%. Null when nothing finished. */
        durationMs: {
          /** @description Mean duration (ms). */
          mean: number;
          /** @description Median duration (ms). */
          p50: number;
          /** @description 95th percentile (ms). */
          p95: number;
          /** @description 99th percentile (ms). */
          p99: number;
        } | null;
        /** @description Items finished in the stage per second over the window. */
        perSecond: number;
      }[];
    };
    /** @description Costs per UTC day, oldest first; days without costs are absent. */
    CostStats: {
      /**
       * Format: date
       * @description The first UTC day included.
       */
      since: string;
      /** @enum {string} */
      groupBy: 'job' | 'stage';
      data: {
        /**
         * Format: date
         * @description The UTC day.
         * @example 2026-11-25
         */
        day: string;
        job: string;
        /** @description The stage, with `groupBy=stage`; null otherwise. */
        stage: string | null;
        /** @description What the amount counts, as the handler said. */
        unit: string;
        /** @description Sum of the costs reported. */
        amount: number;
        /** @description Costs reported (one per item, or per discovery run). */
        entries: number;
      }[];
    };
    NewWebhook: components['schemas']['Webhook'] & {
      /** @description The signing secret (`whsec_…`, Standard Webhooks): shown only in this response. Verify `webhook-signature` with it. */
      secret: string;
    };
    Webhook: {
      /** Format: uuid */
      id: string;
      url: string;
      eventTypes: string[];
      filters: {
        job: string | null;
        collectionId: string | null;
      };
      description: string | null;
      enabled: boolean;
      /** @description Why Conveyor disabled it, when it did. */
      disabledReason: string | null;
      /**
       * Format: date-time
       * @description Since when every attempt has failed; null while it works.
       * @example 2025-01-31T09:30:00.000Z
       */
      failingSince: string | null;
      /**
       * Format: date-time
       * @description When it was made.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description When it last changed.
       * @example 2025-01-31T09:30:00.000Z
       */
      updatedAt: string;
    };
    WebhookInput: {
      /**
       * @description Where deliveries are POSTed: http or https, a host name or IPv4 address. Private and loopback targets are refused unless WEBHOOK_ALLOW_PRIVATE is set.
       * @example https://hooks.example.com/conveyor
       */
      url: string;
      /**
       * @description The event types to deliver; empty (the default) means every type.
       * @default []
       */
      eventTypes: (
        | 'operation.created'
        | 'operation.started'
        | 'operation.progress'
        | 'operation.paused'
        | 'operation.resumed'
        | 'operation.cancelled'
        | 'operation.completed'
        | 'operation.failed'
        | 'stage.started'
        | 'stage.completed'
        | 'chunk.stage_started'
        | 'chunk.stage_completed'
        | 'stage.rerun'
        | 'operation.repaired'
        | 'operation.cancel_requested'
        | 'operation.retried'
        | 'webhook.disabled'
        | 'schedule.fired'
        | 'schedule.skipped'
        | 'maintenance.completed'
      )[];
      filters?: components['schemas']['WebhookFilters'];
      /** @description What the webhook is for. */
      description?: string | null;
    };
    /** @default {} */
    WebhookFilters: {
      job?: (string & unknown) | null;
      /** @description Only events of operations over this collection. */
      collectionId?: string | null;
    };
    WebhookChanges: {
      /**
       * @description Where deliveries are POSTed: http or https, a host name or IPv4 address. Private and loopback targets are refused unless WEBHOOK_ALLOW_PRIVATE is set.
       * @example https://hooks.example.com/conveyor
       */
      url?: string;
      /** @description The event types to deliver; empty (the default) means every type. */
      eventTypes?: (
        | 'operation.created'
        | 'operation.started'
        | 'operation.progress'
        | 'operation.paused'
        | 'operation.resumed'
        | 'operation.cancelled'
        | 'operation.completed'
        | 'operation.failed'
        | 'stage.started'
        | 'stage.completed'
        | 'chunk.stage_started'
        | 'chunk.stage_completed'
        | 'stage.rerun'
        | 'operation.repaired'
        | 'operation.cancel_requested'
        | 'operation.retried'
        | 'webhook.disabled'
        | 'schedule.fired'
        | 'schedule.skipped'
        | 'maintenance.completed'
      )[];
      filters?: components['schemas']['WebhookFilters'];
      /** @description What the webhook is for. */
      description?: string | null;
      /** @description false pauses deliveries; true resumes them and forgets past failures. */
      enabled?: boolean;
    };
    WebhookDelivery: {
      /** @description The `webhook-id` header of each attempt. */
      id: string;
      eventId: number;
      eventType: string;
      /** @enum {string} */
      status: 'pending' | 'succeeded' | 'failed';
      attempts: number;
      /** @description Of the last attempt. */
      responseStatus: number | null;
      /** @description Of the last attempt. */
      latencyMs: number | null;
      lastError: string | null;
      /**
       * Format: date-time
       * @description When the event was handed to the webhook.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description When an attempt succeeded.
       * @example 2025-01-31T09:30:00.000Z
       */
      deliveredAt: string | null;
    };
    Schedule: {
      id: string;
      job: string;
      /** @description What each run starts. */
      request: {
        [key: string]: unknown;
      };
      spec: {
        [key: string]: unknown;
      };
      overlap: string;
      catchupWindow: string | null;
      note: string | null;
      paused: boolean;
      /** @description The next few run times (ISO 8601). */
      nextRuns: string[];
      /** @description The most recent run, if any. */
      lastRun: {
        at: string;
        operationId: string | null;
        /** @description The run’s operation status. */
        status: string | null;
      } | null;
      /** @description Runs taken so far. */
      runs: number;
      /**
       * Format: date-time
       * @description When it was made.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
    };
    ScheduleInput:
      | ({
          /** @description Name or id of the job to run. */
          job: string;
          /**
           * @description What the operation covers; implied by collectionId or itemIds when omitted.
           * @enum {string}
           */
          scope?: 'collection' | 'items' | 'global';
          /**
           * Format: uuid
           * @description For scope "collection": every item of it.
           */
          collectionId?: string;
          /** @description For scope "items": these items, across collections. */
          itemIds?: number[];
          /**
           * @description Laid over every stage's own params, and checked against each handler.
           * @default {}
           */
          params: {
            [key: string]: components['schemas']['JsonValue'];
          };
          /** @description At most this many items (test mode: 1 unless given). */
          limit?: number;
          /** @description Only these stages of the job, by name, in the job's order. */
          stages?: string[];
          /**
           * @description Only some of the collection's items, by their state across production runs of this job (needs a collectionId): stale, those whose result from one of the job's handlers is older than that handler's current version; unprocessed, those without a final outcome in one of the stages (new items, and items a cancelled or failed run never reached); failed, those whose latest outcome in one of the stages failed.
           * @enum {string}
           */
          only?: 'stale' | 'unprocessed' | 'failed';
          /** @description Only the items with these keys. */
          itemKeys?: string[];
          /** @description The end user this run is for, in your own ids (not an API key): stored, shown, filterable in lists and bulk actions, and carried in its events and webhooks. */
          requestedFor?: string;
          /** @description 1 (most urgent) to 5; the job's priority (3 unless it names one) when omitted. */
          priority?: number;
          /**
           * @description test: each run takes one item (or limit) and keeps no results.
           * @default production
           * @enum {string}
           */
          mode: 'production' | 'test';
          spec:
            | ({
                /**
                 * @description Cron expressions (minute hour day-of-month month day-of-week, numbers only), in `timezone`.
                 * @example [
                 *       "0 3 * * *"
                 *     ]
                 */
                cron?: string[];
                /** @description Runs every so long, counted from the Unix epoch plus `offset`. */
                intervals?: ({
                  /**
                   * @description A whole number and a unit: s, m, h or d.
                   * @example 15m
                   */
                  every: string;
                  /**
                   * @description Shorter than `every`.
                   * @example 15m
                   */
                  offset?: string;
                } & {
                  [key: string]: components['schemas']['JsonValue'];
                })[];
                /**
                 * @description IANA time zone of `cron`.
                 * @default UTC
                 * @enum {string}
                 */
                timezone:
                  | 'UTC'
                  | 'Africa/Abidjan'
                  | 'Africa/Accra'
                  | 'Africa/Addis_Ababa'
                  | 'Africa/Algiers'
                  | 'Africa/Asmera'
                  | 'Africa/Bamako'
                  | 'Africa/Bangui'
                  | 'Africa/Banjul'
                  | 'Africa/Bissau'
                  | 'Africa/Blantyre'
                  | 'Africa/Brazzaville'
                  | 'Africa/Bujumbura'
                  | 'Africa/Cairo'
                  | 'Africa/Casablanca'
                  | 'Africa/Ceuta'
                  | 'Africa/Conakry'
                  | 'Africa/Dakar'
                  | 'Africa/Dar_es_Salaam'
                  | 'Africa/Djibouti'
                  | 'Africa/Douala'
                  | 'Africa/El_Aaiun'
                  | 'Africa/Freetown'
                  | 'Africa/Gaborone'
                  | 'Africa/Harare'
                  | 'Africa/Johannesburg'
                  | 'Africa/Juba'
                  | 'Africa/Kampala'
                  | 'Africa/Khartoum'
                  | 'Africa/Kigali'
                  | 'Africa/Kinshasa'
                  | 'Africa/Lagos'
                  | 'Africa/Libreville'
                  | 'Africa/Lome'
                  | 'Africa/Luanda'
                  | 'Africa/Lubumbashi'
                  | 'Africa/Lusaka'
                  | 'Africa/Malabo'
                  | 'Africa/Maputo'
                  | 'Africa/Maseru'
                  | 'Africa/Mbabane'
                  | 'Africa/Mogadishu'
                  | 'Africa/Monrovia'
                  | 'Africa/Nairobi'
                  | 'Africa/Ndjamena'
                  | 'Africa/Niamey'
                  | 'Africa/Nouakchott'
                  | 'Africa/Ouagadougou'
                  | 'Africa/Porto-Novo'
                  | 'Africa/Sao_Tome'
                  | 'Africa/Tripoli'
                  | 'Africa/Tunis'
                  | 'Africa/Windhoek'
                  | 'America/Adak'
                  | 'America/Anchorage'
                  | 'America/Anguilla'
                  | 'America/Antigua'
                  | 'America/Araguaina'
                  | 'America/Argentina/La_Rioja'
                  | 'America/Argentina/Rio_Gallegos'
                  | 'America/Argentina/Salta'
                  | 'America/Argentina/San_Juan'
                  | 'America/Argentina/San_Luis'
                  | 'America/Argentina/Tucuman'
                  | 'America/Argentina/Ushuaia'
                  | 'America/Aruba'
                  | 'America/Asuncion'
                  | 'America/Bahia'
                  | 'America/Bahia_Banderas'
                  | 'America/Barbados'
                  | 'America/Belem'
                  | 'America/Belize'
                  | 'America/Blanc-Sablon'
                  | 'America/Boa_Vista'
                  | 'America/Bogota'
                  | 'America/Boise'
                  | 'America/Buenos_Aires'
                  | 'America/Cambridge_Bay'
                  | 'America/Campo_Grande'
                  | 'America/Cancun'
                  | 'America/Caracas'
                  | 'America/Catamarca'
                  | 'America/Cayenne'
                  | 'America/Cayman'
                  | 'America/Chicago'
                  | 'America/Chihuahua'
                  | 'America/Ciudad_Juarez'
                  | 'America/Coral_Harbour'
                  | 'America/Cordoba'
                  | 'America/Costa_Rica'
                  | 'America/Coyhaique'
                  | 'America/Creston'
                  | 'America/Cuiaba'
                  | 'America/Curacao'
                  | 'America/Danmarkshavn'
                  | 'America/Dawson'
                  | 'America/Dawson_Creek'
                  | 'America/Denver'
                  | 'America/Detroit'
                  | 'America/Dominica'
                  | 'America/Edmonton'
                  | 'America/Eirunepe'
                  | 'America/El_Salvador'
                  | 'America/Fort_Nelson'
                  | 'America/Fortaleza'
                  | 'America/Glace_Bay'
                  | 'America/Godthab'
                  | 'America/Goose_Bay'
                  | 'America/Grand_Turk'
                  | 'America/Grenada'
                  | 'America/Guadeloupe'
                  | 'America/Guatemala'
                  | 'America/Guayaquil'
                  | 'America/Guyana'
                  | 'America/Halifax'
                  | 'America/Havana'
                  | 'America/Hermosillo'
                  | 'America/Indiana/Knox'
                  | 'America/Indiana/Marengo'
                  | 'America/Indiana/Petersburg'
                  | 'America/Indiana/Tell_City'
                  | 'America/Indiana/Vevay'
                  | 'America/Indiana/Vincennes'
                  | 'America/Indiana/Winamac'
                  | 'America/Indianapolis'
                  | 'America/Inuvik'
                  | 'America/Iqaluit'
                  | 'America/Jamaica'
                  | 'America/Jujuy'
                  | 'America/Juneau'
                  | 'America/Kentucky/Monticello'
                  | 'America/Kralendijk'
                  | 'America/La_Paz'
                  | 'America/Lima'
                  | 'America/Los_Angeles'
                  | 'America/Louisville'
                  | 'America/Lower_Princes'
                  | 'America/Maceio'
                  | 'America/Managua'
                  | 'America/Manaus'
                  | 'America/Marigot'
                  | 'America/Martinique'
                  | 'America/Matamoros'
                  | 'America/Mazatlan'
                  | 'America/Mendoza'
                  | 'America/Menominee'
                  | 'America/Merida'
                  | 'America/Metlakatla'
                  | 'America/Mexico_City'
                  | 'America/Miquelon'
                  | 'America/Moncton'
                  | 'America/Monterrey'
                  | 'America/Montevideo'
                  | 'America/Montserrat'
                  | 'America/Nassau'
                  | 'America/New_York'
                  | 'America/Nome'
                  | 'America/Noronha'
                  | 'America/North_Dakota/Beulah'
                  | 'America/North_Dakota/Center'
                  | 'America/North_Dakota/New_Salem'
                  | 'America/Ojinaga'
                  | 'America/Panama'
                  | 'America/Paramaribo'
                  | 'America/Phoenix'
                  | 'America/Port-au-Prince'
                  | 'America/Port_of_Spain'
                  | 'America/Porto_Velho'
                  | 'America/Puerto_Rico'
                  | 'America/Punta_Arenas'
                  | 'America/Rankin_Inlet'
                  | 'America/Recife'
                  | 'America/Regina'
                  | 'America/Resolute'
                  | 'America/Rio_Branco'
                  | 'America/Santarem'
                  | 'America/Santiago'
                  | 'America/Santo_Domingo'
                  | 'America/Sao_Paulo'
                  | 'America/Scoresbysund'
                  | 'America/Sitka'
                  | 'America/St_Barthelemy'
                  | 'America/St_Johns'
                  | 'America/St_Kitts'
                  | 'America/St_Lucia'
                  | 'America/St_Thomas'
                  | 'America/St_Vincent'
                  | 'America/Swift_Current'
                  | 'America/Tegucigalpa'
                  | 'America/Thule'
                  | 'America/Tijuana'
                  | 'America/Toronto'
                  | 'America/Tortola'
                  | 'America/Vancouver'
                  | 'America/Whitehorse'
                  | 'America/Winnipeg'
                  | 'America/Yakutat'
                  | 'Antarctica/Casey'
                  | 'Antarctica/Davis'
                  | 'Antarctica/DumontDUrville'
                  | 'Antarctica/Macquarie'
                  | 'Antarctica/Mawson'
                  | 'Antarctica/McMurdo'
                  | 'Antarctica/Palmer'
                  | 'Antarctica/Rothera'
                  | 'Antarctica/Syowa'
                  | 'Antarctica/Troll'
                  | 'Antarctica/Vostok'
                  | 'Arctic/Longyearbyen'
                  | 'Asia/Aden'
                  | 'Asia/Almaty'
                  | 'Asia/Amman'
                  | 'Asia/Anadyr'
                  | 'Asia/Aqtau'
                  | 'Asia/Aqtobe'
                  | 'Asia/Ashgabat'
                  | 'Asia/Atyrau'
                  | 'Asia/Baghdad'
                  | 'Asia/Bahrain'
                  | 'Asia/Baku'
                  | 'Asia/Bangkok'
                  | 'Asia/Barnaul'
                  | 'Asia/Beirut'
                  | 'Asia/Bishkek'
                  | 'Asia/Brunei'
                  | 'Asia/Calcutta'
                  | 'Asia/Chita'
                  | 'Asia/Colombo'
                  | 'Asia/Damascus'
                  | 'Asia/Dhaka'
                  | 'Asia/Dili'
                  | 'Asia/Dubai'
                  | 'Asia/Dushanbe'
                  | 'Asia/Famagusta'
                  | 'Asia/Gaza'
                  | 'Asia/Hebron'
                  | 'Asia/Hong_Kong'
                  | 'Asia/Hovd'
                  | 'Asia/Irkutsk'
                  | 'Asia/Jakarta'
                  | 'Asia/Jayapura'
                  | 'Asia/Jerusalem'
                  | 'Asia/Kabul'
                  | 'Asia/Kamchatka'
                  | 'Asia/Karachi'
                  | 'Asia/Katmandu'
                  | 'Asia/Khandyga'
                  | 'Asia/Krasnoyarsk'
                  | 'Asia/Kuala_Lumpur'
                  | 'Asia/Kuching'
                  | 'Asia/Kuwait'
                  | 'Asia/Macau'
                  | 'Asia/Magadan'
                  | 'Asia/Makassar'
                  | 'Asia/Manila'
                  | 'Asia/Muscat'
                  | 'Asia/Nicosia'
                  | 'Asia/Novokuznetsk'
                  | 'Asia/Novosibirsk'
                  | 'Asia/Omsk'
                  | 'Asia/Oral'
                  | 'Asia/Phnom_Penh'
                  | 'Asia/Pontianak'
                  | 'Asia/Pyongyang'
                  | 'Asia/Qatar'
                  | 'Asia/Qostanay'
                  | 'Asia/Qyzylorda'
                  | 'Asia/Rangoon'
                  | 'Asia/Riyadh'
                  | 'Asia/Saigon'
                  | 'Asia/Sakhalin'
                  | 'Asia/Samarkand'
                  | 'Asia/Seoul'
                  | 'Asia/Shanghai'
                  | 'Asia/Singapore'
                  | 'Asia/Srednekolymsk'
                  | 'Asia/Taipei'
                  | 'Asia/Tashkent'
                  | 'Asia/Tbilisi'
                  | 'Asia/Tehran'
                  | 'Asia/Thimphu'
                  | 'Asia/Tokyo'
                  | 'Asia/Tomsk'
                  | 'Asia/Ulaanbaatar'
                  | 'Asia/Urumqi'
                  | 'Asia/Ust-Nera'
                  | 'Asia/Vientiane'
                  | 'Asia/Vladivostok'
                  | 'Asia/Yakutsk'
                  | 'Asia/Yekaterinburg'
                  | 'Asia/Yerevan'
                  | 'Atlantic/Azores'
                  | 'Atlantic/Bermuda'
                  | 'Atlantic/Canary'
                  | 'Atlantic/Cape_Verde'
                  | 'Atlantic/Faeroe'
                  | 'Atlantic/Madeira'
                  | 'Atlantic/Reykjavik'
                  | 'Atlantic/South_Georgia'
                  | 'Atlantic/St_Helena'
                  | 'Atlantic/Stanley'
                  | 'Australia/Adelaide'
                  | 'Australia/Brisbane'
                  | 'Australia/Broken_Hill'
                  | 'Australia/Darwin'
                  | 'Australia/Eucla'
                  | 'Australia/Hobart'
                  | 'Australia/Lindeman'
                  | 'Australia/Lord_Howe'
                  | 'Australia/Melbourne'
                  | 'Australia/Perth'
                  | 'Australia/Sydney'
                  | 'Europe/Amsterdam'
                  | 'Europe/Andorra'
                  | 'Europe/Astrakhan'
                  | 'Europe/Athens'
                  | 'Europe/Belgrade'
                  | 'Europe/Berlin'
                  | 'Europe/Bratislava'
                  | 'Europe/Brussels'
                  | 'Europe/Bucharest'
                  | 'Europe/Budapest'
                  | 'Europe/Busingen'
                  | 'Europe/Chisinau'
                  | 'Europe/Copenhagen'
                  | 'Europe/Dublin'
                  | 'Europe/Gibraltar'
                  | 'Europe/Guernsey'
                  | 'Europe/Helsinki'
                  | 'Europe/Isle_of_Man'
                  | 'Europe/Istanbul'
                  | 'Europe/Jersey'
                  | 'Europe/Kaliningrad'
                  | 'Europe/Kiev'
                  | 'Europe/Kirov'
                  | 'Europe/Lisbon'
                  | 'Europe/Ljubljana'
                  | 'Europe/London'
                  | 'Europe/Luxembourg'
                  | 'Europe/Madrid'
                  | 'Europe/Malta'
                  | 'Europe/Mariehamn'
                  | 'Europe/Minsk'
                  | 'Europe/Monaco'
                  | 'Europe/Moscow'
                  | 'Europe/Oslo'
                  | 'Europe/Paris'
                  | 'Europe/Podgorica'
                  | 'Europe/Prague'
                  | 'Europe/Riga'
                  | 'Europe/Rome'
                  | 'Europe/Samara'
                  | 'Europe/San_Marino'
                  | 'Europe/Sarajevo'
                  | 'Europe/Saratov'
                  | 'Europe/Simferopol'
                  | 'Europe/Skopje'
                  | 'Europe/Sofia'
                  | 'Europe/Stockholm'
                  | 'Europe/Tallinn'
                  | 'Europe/Tirane'
                  | 'Europe/Ulyanovsk'
                  | 'Europe/Vaduz'
                  | 'Europe/Vatican'
                  | 'Europe/Vienna'
                  | 'Europe/Vilnius'
                  | 'Europe/Volgograd'
                  | 'Europe/Warsaw'
                  | 'Europe/Zagreb'
                  | 'Europe/Zurich'
                  | 'Indian/Antananarivo'
                  | 'Indian/Chagos'
                  | 'Indian/Christmas'
                  | 'Indian/Cocos'
                  | 'Indian/Comoro'
                  | 'Indian/Kerguelen'
                  | 'Indian/Mahe'
                  | 'Indian/Maldives'
                  | 'Indian/Mauritius'
                  | 'Indian/Mayotte'
                  | 'Indian/Reunion'
                  | 'Pacific/Apia'
                  | 'Pacific/Auckland'
                  | 'Pacific/Bougainville'
                  | 'Pacific/Chatham'
                  | 'Pacific/Easter'
                  | 'Pacific/Efate'
                  | 'Pacific/Enderbury'
                  | 'Pacific/Fakaofo'
                  | 'Pacific/Fiji'
                  | 'Pacific/Funafuti'
                  | 'Pacific/Galapagos'
                  | 'Pacific/Gambier'
                  | 'Pacific/Guadalcanal'
                  | 'Pacific/Guam'
                  | 'Pacific/Honolulu'
                  | 'Pacific/Kiritimati'
                  | 'Pacific/Kosrae'
                  | 'Pacific/Kwajalein'
                  | 'Pacific/Majuro'
                  | 'Pacific/Marquesas'
                  | 'Pacific/Midway'
                  | 'Pacific/Nauru'
                  | 'Pacific/Niue'
                  | 'Pacific/Norfolk'
                  | 'Pacific/Noumea'
                  | 'Pacific/Pago_Pago'
                  | 'Pacific/Palau'
                  | 'Pacific/Pitcairn'
                  | 'Pacific/Ponape'
                  | 'Pacific/Port_Moresby'
                  | 'Pacific/Rarotonga'
                  | 'Pacific/Saipan'
                  | 'Pacific/Tahiti'
                  | 'Pacific/Tarawa'
                  | 'Pacific/Tongatapu'
                  | 'Pacific/Truk'
                  | 'Pacific/Wake'
                  | 'Pacific/Wallis';
                /**
                 * Format: date-time
                 * @description No run before it.
                 */
                startAt?: string;
                /**
                 * Format: date-time
                 * @description No run after it.
                 */
                endAt?: string;
                /**
                 * @description Each run is delayed by up to this much.
                 * @example 15m
                 */
                jitter?: string;
              } & {
                [key: string]: components['schemas']['JsonValue'];
              })
            | unknown
            | unknown;
          /**
           * @description When a run is due while the last still runs: skip it, keep one (or all) to run after, cancel the running one, or run both.
           * @default skip
           * @enum {string}
           */
          overlap: 'skip' | 'buffer_one' | 'buffer_all' | 'cancel_other' | 'allow_all';
          /**
           * @description Runs missed while the service was down are made up within this window.
           * @example 15m
           */
          catchupWindow?: string;
          note?: string;
        } & {
          [key: string]: components['schemas']['JsonValue'];
        })
      | {
          /** @constant */
          scope?: 'collection';
        }
      | {
          /** @constant */
          scope?: 'items';
          only?: never;
        }
      | {
          /** @constant */
          scope: 'global';
          only?: never;
        };
    ScheduleChanges: {
      /** @description Another job for its runs, by name or id. */
      job?: string;
      /** @description Params its runs lay over every stage’s, in place of the ones it had. */
      params?: {
        [key: string]: components['schemas']['JsonValue'];
      };
      /**
       * Format: uuid
       * @description Its runs cover this collection instead; with itemIds or scope, one of them.
       */
      collectionId?: string;
      /** @description For scope "items": these items, across collections. */
      itemIds?: number[];
      /**
       * @description What the operation covers; implied by collectionId or itemIds when omitted.
       * @enum {string}
       */
      scope?: 'collection' | 'items' | 'global';
      spec?:
        | ({
            /**
             * @description Cron expressions (minute hour day-of-month month day-of-week, numbers only), in `timezone`.
             * @example [
             *       "0 3 * * *"
             *     ]
             */
            cron?: string[];
            /** @description Runs every so long, counted from the Unix epoch plus `offset`. */
            intervals?: ({
              /**
               * @description A whole number and a unit: s, m, h or d.
               * @example 15m
               */
              every: string;
              /**
               * @description Shorter than `every`.
               * @example 15m
               */
              offset?: string;
            } & {
              [key: string]: components['schemas']['JsonValue'];
            })[];
            /**
             * @description IANA time zone of `cron`.
             * @default UTC
             * @enum {string}
             */
            timezone:
              | 'UTC'
              | 'Africa/Abidjan'
              | 'Africa/Accra'
              | 'Africa/Addis_Ababa'
              | 'Africa/Algiers'
              | 'Africa/Asmera'
              | 'Africa/Bamako'
              | 'Africa/Bangui'
              | 'Africa/Banjul'
              | 'Africa/Bissau'
              | 'Africa/Blantyre'
              | 'Africa/Brazzaville'
              | 'Africa/Bujumbura'
              | 'Africa/Cairo'
              | 'Africa/Casablanca'
              | 'Africa/Ceuta'
              | 'Africa/Conakry'
              | 'Africa/Dakar'
              | 'Africa/Dar_es_Salaam'
              | 'Africa/Djibouti'
              | 'Africa/Douala'
              | 'Africa/El_Aaiun'
              | 'Africa/Freetown'
              | 'Africa/Gaborone'
              | 'Africa/Harare'
              | 'Africa/Johannesburg'
              | 'Africa/Juba'
              | 'Africa/Kampala'
              | 'Africa/Khartoum'
              | 'Africa/Kigali'
              | 'Africa/Kinshasa'
              | 'Africa/Lagos'
              | 'Africa/Libreville'
              | 'Africa/Lome'
              | 'Africa/Luanda'
              | 'Africa/Lubumbashi'
              | 'Africa/Lusaka'
              | 'Africa/Malabo'
              | 'Africa/Maputo'
              | 'Africa/Maseru'
              | 'Africa/Mbabane'
              | 'Africa/Mogadishu'
              | 'Africa/Monrovia'
              | 'Africa/Nairobi'
              | 'Africa/Ndjamena'
              | 'Africa/Niamey'
              | 'Africa/Nouakchott'
              | 'Africa/Ouagadougou'
              | 'Africa/Porto-Novo'
              | 'Africa/Sao_Tome'
              | 'Africa/Tripoli'
              | 'Africa/Tunis'
              | 'Africa/Windhoek'
              | 'America/Adak'
              | 'America/Anchorage'
              | 'America/Anguilla'
              | 'America/Antigua'
              | 'America/Araguaina'
              | 'America/Argentina/La_Rioja'
              | 'America/Argentina/Rio_Gallegos'
              | 'America/Argentina/Salta'
              | 'America/Argentina/San_Juan'
              | 'America/Argentina/San_Luis'
              | 'America/Argentina/Tucuman'
              | 'America/Argentina/Ushuaia'
              | 'America/Aruba'
              | 'America/Asuncion'
              | 'America/Bahia'
              | 'America/Bahia_Banderas'
              | 'America/Barbados'
              | 'America/Belem'
              | 'America/Belize'
              | 'America/Blanc-Sablon'
              | 'America/Boa_Vista'
              | 'America/Bogota'
              | 'America/Boise'
              | 'America/Buenos_Aires'
              | 'America/Cambridge_Bay'
              | 'America/Campo_Grande'
              | 'America/Cancun'
              | 'America/Caracas'
              | 'America/Catamarca'
              | 'America/Cayenne'
              | 'America/Cayman'
              | 'America/Chicago'
              | 'America/Chihuahua'
              | 'America/Ciudad_Juarez'
              | 'America/Coral_Harbour'
              | 'America/Cordoba'
              | 'America/Costa_Rica'
              | 'America/Coyhaique'
              | 'America/Creston'
              | 'America/Cuiaba'
              | 'America/Curacao'
              | 'America/Danmarkshavn'
              | 'America/Dawson'
              | 'America/Dawson_Creek'
              | 'America/Denver'
              | 'America/Detroit'
              | 'America/Dominica'
              | 'America/Edmonton'
              | 'America/Eirunepe'
              | 'America/El_Salvador'
              | 'America/Fort_Nelson'
              | 'America/Fortaleza'
              | 'America/Glace_Bay'
              | 'America/Godthab'
              | 'America/Goose_Bay'
              | 'America/Grand_Turk'
              | 'America/Grenada'
              | 'America/Guadeloupe'
              | 'America/Guatemala'
              | 'America/Guayaquil'
              | 'America/Guyana'
              | 'America/Halifax'
              | 'America/Havana'
              | 'America/Hermosillo'
              | 'America/Indiana/Knox'
              | 'America/Indiana/Marengo'
              | 'America/Indiana/Petersburg'
              | 'America/Indiana/Tell_City'
              | 'America/Indiana/Vevay'
              | 'America/Indiana/Vincennes'
              | 'America/Indiana/Winamac'
              | 'America/Indianapolis'
              | 'America/Inuvik'
              | 'America/Iqaluit'
              | 'America/Jamaica'
              | 'America/Jujuy'
              | 'America/Juneau'
              | 'America/Kentucky/Monticello'
              | 'America/Kralendijk'
              | 'America/La_Paz'
              | 'America/Lima'
              | 'America/Los_Angeles'
              | 'America/Louisville'
              | 'America/Lower_Princes'
              | 'America/Maceio'
              | 'America/Managua'
              | 'America/Manaus'
              | 'America/Marigot'
              | 'America/Martinique'
              | 'America/Matamoros'
              | 'America/Mazatlan'
              | 'America/Mendoza'
              | 'America/Menominee'
              | 'America/Merida'
              | 'America/Metlakatla'
              | 'America/Mexico_City'
              | 'America/Miquelon'
              | 'America/Moncton'
              | 'America/Monterrey'
              | 'America/Montevideo'
              | 'America/Montserrat'
              | 'America/Nassau'
              | 'America/New_York'
              | 'America/Nome'
              | 'America/Noronha'
              | 'America/North_Dakota/Beulah'
              | 'America/North_Dakota/Center'
              | 'America/North_Dakota/New_Salem'
              | 'America/Ojinaga'
              | 'America/Panama'
              | 'America/Paramaribo'
              | 'America/Phoenix'
              | 'America/Port-au-Prince'
              | 'America/Port_of_Spain'
              | 'America/Porto_Velho'
              | 'America/Puerto_Rico'
              | 'America/Punta_Arenas'
              | 'America/Rankin_Inlet'
              | 'America/Recife'
              | 'America/Regina'
              | 'America/Resolute'
              | 'America/Rio_Branco'
              | 'America/Santarem'
              | 'America/Santiago'
              | 'America/Santo_Domingo'
              | 'America/Sao_Paulo'
              | 'America/Scoresbysund'
              | 'America/Sitka'
              | 'America/St_Barthelemy'
              | 'America/St_Johns'
              | 'America/St_Kitts'
              | 'America/St_Lucia'
              | 'America/St_Thomas'
              | 'America/St_Vincent'
              | 'America/Swift_Current'
              | 'America/Tegucigalpa'
              | 'America/Thule'
              | 'America/Tijuana'
              | 'America/Toronto'
              | 'America/Tortola'
              | 'America/Vancouver'
              | 'America/Whitehorse'
              | 'America/Winnipeg'
              | 'America/Yakutat'
              | 'Antarctica/Casey'
              | 'Antarctica/Davis'
              | 'Antarctica/DumontDUrville'
              | 'Antarctica/Macquarie'
              | 'Antarctica/Mawson'
              | 'Antarctica/McMurdo'
              | 'Antarctica/Palmer'
              | 'Antarctica/Rothera'
              | 'Antarctica/Syowa'
              | 'Antarctica/Troll'
              | 'Antarctica/Vostok'
              | 'Arctic/Longyearbyen'
              | 'Asia/Aden'
              | 'Asia/Almaty'
              | 'Asia/Amman'
              | 'Asia/Anadyr'
              | 'Asia/Aqtau'
              | 'Asia/Aqtobe'
              | 'Asia/Ashgabat'
              | 'Asia/Atyrau'
              | 'Asia/Baghdad'
              | 'Asia/Bahrain'
              | 'Asia/Baku'
              | 'Asia/Bangkok'
              | 'Asia/Barnaul'
              | 'Asia/Beirut'
              | 'Asia/Bishkek'
              | 'Asia/Brunei'
              | 'Asia/Calcutta'
              | 'Asia/Chita'
              | 'Asia/Colombo'
              | 'Asia/Damascus'
              | 'Asia/Dhaka'
              | 'Asia/Dili'
              | 'Asia/Dubai'
              | 'Asia/Dushanbe'
              | 'Asia/Famagusta'
              | 'Asia/Gaza'
              | 'Asia/Hebron'
              | 'Asia/Hong_Kong'
              | 'Asia/Hovd'
              | 'Asia/Irkutsk'
              | 'Asia/Jakarta'
              | 'Asia/Jayapura'
              | 'Asia/Jerusalem'
              | 'Asia/Kabul'
              | 'Asia/Kamchatka'
              | 'Asia/Karachi'
              | 'Asia/Katmandu'
              | 'Asia/Khandyga'
              | 'Asia/Krasnoyarsk'
              | 'Asia/Kuala_Lumpur'
              | 'Asia/Kuching'
              | 'Asia/Kuwait'
              | 'Asia/Macau'
              | 'Asia/Magadan'
              | 'Asia/Makassar'
              | 'Asia/Manila'
              | 'Asia/Muscat'
              | 'Asia/Nicosia'
              | 'Asia/Novokuznetsk'
              | 'Asia/Novosibirsk'
              | 'Asia/Omsk'
              | 'Asia/Oral'
              | 'Asia/Phnom_Penh'
              | 'Asia/Pontianak'
              | 'Asia/Pyongyang'
              | 'Asia/Qatar'
              | 'Asia/Qostanay'
              | 'Asia/Qyzylorda'
              | 'Asia/Rangoon'
              | 'Asia/Riyadh'
              | 'Asia/Saigon'
              | 'Asia/Sakhalin'
              | 'Asia/Samarkand'
              | 'Asia/Seoul'
              | 'Asia/Shanghai'
              | 'Asia/Singapore'
              | 'Asia/Srednekolymsk'
              | 'Asia/Taipei'
              | 'Asia/Tashkent'
              | 'Asia/Tbilisi'
              | 'Asia/Tehran'
              | 'Asia/Thimphu'
              | 'Asia/Tokyo'
              | 'Asia/Tomsk'
              | 'Asia/Ulaanbaatar'
              | 'Asia/Urumqi'
              | 'Asia/Ust-Nera'
              | 'Asia/Vientiane'
              | 'Asia/Vladivostok'
              | 'Asia/Yakutsk'
              | 'Asia/Yekaterinburg'
              | 'Asia/Yerevan'
              | 'Atlantic/Azores'
              | 'Atlantic/Bermuda'
              | 'Atlantic/Canary'
              | 'Atlantic/Cape_Verde'
              | 'Atlantic/Faeroe'
              | 'Atlantic/Madeira'
              | 'Atlantic/Reykjavik'
              | 'Atlantic/South_Georgia'
              | 'Atlantic/St_Helena'
              | 'Atlantic/Stanley'
              | 'Australia/Adelaide'
              | 'Australia/Brisbane'
              | 'Australia/Broken_Hill'
              | 'Australia/Darwin'
              | 'Australia/Eucla'
              | 'Australia/Hobart'
              | 'Australia/Lindeman'
              | 'Australia/Lord_Howe'
              | 'Australia/Melbourne'
              | 'Australia/Perth'
              | 'Australia/Sydney'
              | 'Europe/Amsterdam'
              | 'Europe/Andorra'
              | 'Europe/Astrakhan'
              | 'Europe/Athens'
              | 'Europe/Belgrade'
              | 'Europe/Berlin'
              | 'Europe/Bratislava'
              | 'Europe/Brussels'
              | 'Europe/Bucharest'
              | 'Europe/Budapest'
              | 'Europe/Busingen'
              | 'Europe/Chisinau'
              | 'Europe/Copenhagen'
              | 'Europe/Dublin'
              | 'Europe/Gibraltar'
              | 'Europe/Guernsey'
              | 'Europe/Helsinki'
              | 'Europe/Isle_of_Man'
              | 'Europe/Istanbul'
              | 'Europe/Jersey'
              | 'Europe/Kaliningrad'
              | 'Europe/Kiev'
              | 'Europe/Kirov'
              | 'Europe/Lisbon'
              | 'Europe/Ljubljana'
              | 'Europe/London'
              | 'Europe/Luxembourg'
              | 'Europe/Madrid'
              | 'Europe/Malta'
              | 'Europe/Mariehamn'
              | 'Europe/Minsk'
              | 'Europe/Monaco'
              | 'Europe/Moscow'
              | 'Europe/Oslo'
              | 'Europe/Paris'
              | 'Europe/Podgorica'
              | 'Europe/Prague'
              | 'Europe/Riga'
              | 'Europe/Rome'
              | 'Europe/Samara'
              | 'Europe/San_Marino'
              | 'Europe/Sarajevo'
              | 'Europe/Saratov'
              | 'Europe/Simferopol'
              | 'Europe/Skopje'
              | 'Europe/Sofia'
              | 'Europe/Stockholm'
              | 'Europe/Tallinn'
              | 'Europe/Tirane'
              | 'Europe/Ulyanovsk'
              | 'Europe/Vaduz'
              | 'Europe/Vatican'
              | 'Europe/Vienna'
              | 'Europe/Vilnius'
              | 'Europe/Volgograd'
              | 'Europe/Warsaw'
              | 'Europe/Zagreb'
              | 'Europe/Zurich'
              | 'Indian/Antananarivo'
              | 'Indian/Chagos'
              | 'Indian/Christmas'
              | 'Indian/Cocos'
              | 'Indian/Comoro'
              | 'Indian/Kerguelen'
              | 'Indian/Mahe'
              | 'Indian/Maldives'
              | 'Indian/Mauritius'
              | 'Indian/Mayotte'
              | 'Indian/Reunion'
              | 'Pacific/Apia'
              | 'Pacific/Auckland'
              | 'Pacific/Bougainville'
              | 'Pacific/Chatham'
              | 'Pacific/Easter'
              | 'Pacific/Efate'
              | 'Pacific/Enderbury'
              | 'Pacific/Fakaofo'
              | 'Pacific/Fiji'
              | 'Pacific/Funafuti'
              | 'Pacific/Galapagos'
              | 'Pacific/Gambier'
              | 'Pacific/Guadalcanal'
              | 'Pacific/Guam'
              | 'Pacific/Honolulu'
              | 'Pacific/Kiritimati'
              | 'Pacific/Kosrae'
              | 'Pacific/Kwajalein'
              | 'Pacific/Majuro'
              | 'Pacific/Marquesas'
              | 'Pacific/Midway'
              | 'Pacific/Nauru'
              | 'Pacific/Niue'
              | 'Pacific/Norfolk'
              | 'Pacific/Noumea'
              | 'Pacific/Pago_Pago'
              | 'Pacific/Palau'
              | 'Pacific/Pitcairn'
              | 'Pacific/Ponape'
              | 'Pacific/Port_Moresby'
              | 'Pacific/Rarotonga'
              | 'Pacific/Saipan'
              | 'Pacific/Tahiti'
              | 'Pacific/Tarawa'
              | 'Pacific/Tongatapu'
              | 'Pacific/Truk'
              | 'Pacific/Wake'
              | 'Pacific/Wallis';
            /**
             * Format: date-time
             * @description No run before it.
             */
            startAt?: string;
            /**
             * Format: date-time
             * @description No run after it.
             */
            endAt?: string;
            /**
             * @description Each run is delayed by up to this much.
             * @example 15m
             */
            jitter?: string;
          } & {
            [key: string]: components['schemas']['JsonValue'];
          })
        | unknown
        | unknown;
      /**
       * @description When a run is due while the last still runs: skip it, keep one (or all) to run after, cancel the running one, or run both.
       * @enum {string}
       */
      overlap?: 'skip' | 'buffer_one' | 'buffer_all' | 'cancel_other' | 'allow_all';
      /**
       * @description A whole number and a unit: s, m, h or d.
       * @example 15m
       */
      catchupWindow?: string;
      note?: string;
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    ScheduleNote: {
      note?: string;
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    ScheduleTrigger: {
      /**
       * @description This run only; the schedule’s own policy when omitted.
       * @enum {string}
       */
      overlap?: 'skip' | 'buffer_one' | 'buffer_all' | 'cancel_other' | 'allow_all';
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    ScheduleBackfill: {
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      /**
       * @description allow_all when omitted, so every run is taken.
       * @enum {string}
       */
      overlap?: 'skip' | 'buffer_one' | 'buffer_all' | 'cancel_other' | 'allow_all';
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    MaintenanceRun: {
      /** @description The run’s workflow, in the Web UI. */
      workflowId: string;
      /**
       * Format: date-time
       * @description When the run began.
       * @example 2025-01-31T09:30:00.000Z
       */
      startedAt: string;
      /**
       * Format: date-time
       * @description When it recorded its summary.
       * @example 2025-01-31T09:30:00.000Z
       */
      finishedAt: string;
      /** @description Operations reconciled with Temporal, claims released, events and test operations deleted. */
      summary: {
        [key: string]: unknown;
      };
    };
    Diagnostics: {
      /**
       * Format: date-time
       * @description The API’s clock when it answered.
       * @example 2025-01-31T09:30:00.000Z
       */
      checkedAt: string;
      /** @description The task queue workers must poll. */
      taskQueue: string;
      postgres: {
        /** @description Postgres answered. */
        reachable: boolean;
        /** @description Why the check could not be made; null when it was. */
        error: string | null;
        /** @description Null when Postgres could not be asked. */
        migrations: {
          /** @description Migrations this API ships. */
          expected: number;
          /** @description Migrations the database recorded. */
          applied: number;
          /** @description Shipped migrations not applied yet, oldest first; empty when migrated. */
          pending: string[];
        } | null;
        /** @description The database clock minus the API’s, in milliseconds (midpoint of the round trip); null when unknown. */
        clockSkewMs: number | null;
      };
      temporal: {
        /** @description Temporal answered. */
        reachable: boolean;
        /** @description Why the check could not be made; null when it was. */
        error: string | null;
        namespace: string;
        /** @description Whether the namespace exists; null when unknown. */
        namespaceRegistered: boolean | null;
        /** @description Null when Temporal could not be asked. */
        searchAttributes: {
          /** @description The search attributes Conveyor stamps on operation workflows. */
          required: string[];
          /** @description Those the namespace lacks: starts fail until they are registered. */
          missing: string[];
        } | null;
        maintenanceSchedule: {
          /** @description The global maintenance schedule’s id. */
          id: string;
          /** @description Whether Temporal has it; null when unknown. */
          present: boolean | null;
          /** @description Whether it is paused; null when absent or unknown. */
          paused: boolean | null;
        };
      };
    };
    /** @description A new tenant with the secret of its first admin key (named `admin`). */
    NewTenant: components['schemas']['Tenant'] & {
      /**
       * @description The key’s secret, for `Authorization: Bearer <key>`; shown only in this response, only its hash is stored.
       * @example cvk_3q2p…
       */
      key: string;
    };
    /**
     * @description What the tenant may take of the deployment. Over a quota a request is refused with 429 (409 for `highestPriority`) and a problem naming the quota and its value.
     * @example {
     *       "operationsInFlight": 1000,
     *       "itemsPerCollection": 10000000,
     *       "schedules": 100,
     *       "scheduleIntervalSeconds": 60,
     *       "backfillRuns": 1000,
     *       "openStreams": 100,
     *       "webhooks": 50,
     *       "exportsAtOnce": 4,
     *       "highestPriority": 2
     *     }
     */
    TenantQuotas: {
      /** @description Unfinished operations (queued, running, paused) at once; a start or a schedule run beyond it is refused. 1,000 by default. */
      operationsInFlight: number;
      /** @description Items one collection may hold; an upsert that would pass it adds nothing. 10,000,000 by default. */
      itemsPerCollection: number;
      /** @description Schedules the tenant may have. 100 by default. */
      schedules: number;
      /** @description The shortest time between two runs of a schedule, in seconds: an interval’s `every`, and the closest two times of a cron expression. 60 by default. */
      scheduleIntervalSeconds: number;
      /** @description Runs one backfill may take: the times of the schedule’s spec in its window. 1,000 by default. */
      backfillRuns: number;
      /** @description Server-Sent Event streams (the tenant’s and operations’) open at once, across API processes. 100 by default. */
      openStreams: number;
      /** @description Webhooks the tenant may have. 50 by default. */
      webhooks: number;
      /** @description Result exports streaming at once, across API processes. 4 by default. */
      exportsAtOnce: number;
      /** @description The most urgent priority the tenant’s operations may have (1 is the most urgent, 5 the least); a start, a job’s default or a schedule asking for a more urgent one is refused with 409. 2 by default. */
      highestPriority: number;
    };
    Tenant: {
      /**
       * Format: uuid
       * @description The tenant’s id.
       */
      id: string;
      /** @description Unique across the deployment. */
      name: string;
      /**
       * @description The tenant's share of the workers while tenants' work waits: a tenant of weight 3 gets about three batches for every one of a tenant of weight 1. New operations take it; 1 by default.
       * @example 1
       */
      fairnessWeight: number;
      /**
       * @description Batches one of the tenant’s operations runs at once (up to 4 chunks side by side, the rest as batches per chunk), so one tenant’s runs cannot fill every worker slot before fair sharing sees the others. New operations and schedule runs take it; 16 by default.
       * @example 16
       */
      parallelism: number;
      quotas: components['schemas']['TenantQuotas'];
      /**
       * Format: date-time
       * @description When the tenant was created.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
    };
    TenantInput: {
      /**
       * @description Unique across the deployment.
       * @example acme
       */
      name: string & unknown;
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    /** @description The tenant settings a system key may change; at least one. */
    TenantSettings: {
      /**
       * @description The tenant's share of the workers while tenants' work waits: a tenant of weight 3 gets about three batches for every one of a tenant of weight 1. New operations take it; 1 by default.
       * @example 1
       */
      fairnessWeight?: number;
      /**
       * @description Batches one of the tenant’s operations runs at once (up to 4 chunks side by side, the rest as batches per chunk), so one tenant’s runs cannot fill every worker slot before fair sharing sees the others. New operations and schedule runs take it; 16 by default.
       * @example 16
       */
      parallelism?: number;
      quotas?: components['schemas']['TenantQuotaChanges'];
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    /**
     * @description Quotas to change: a number sets one, null puts it back to its default; the others stay as they are.
     * @example {
     *       "operationsInFlight": 200,
     *       "openStreams": null
     *     }
     */
    TenantQuotaChanges: {
      /** @description Unfinished operations (queued, running, paused) at once; a start or a schedule run beyond it is refused. 1,000 by default. */
      operationsInFlight?: number | null;
      /** @description Items one collection may hold; an upsert that would pass it adds nothing. 10,000,000 by default. */
      itemsPerCollection?: number | null;
      /** @description Schedules the tenant may have. 100 by default. */
      schedules?: number | null;
      /** @description The shortest time between two runs of a schedule, in seconds: an interval’s `every`, and the closest two times of a cron expression. 60 by default. */
      scheduleIntervalSeconds?: number | null;
      /** @description Runs one backfill may take: the times of the schedule’s spec in its window. 1,000 by default. */
      backfillRuns?: number | null;
      /** @description Server-Sent Event streams (the tenant’s and operations’) open at once, across API processes. 100 by default. */
      openStreams?: number | null;
      /** @description Webhooks the tenant may have. 50 by default. */
      webhooks?: number | null;
      /** @description Result exports streaming at once, across API processes. 4 by default. */
      exportsAtOnce?: number | null;
      /** @description The most urgent priority the tenant’s operations may have (1 is the most urgent, 5 the least); a start, a job’s default or a schedule asking for a more urgent one is refused with 409. 2 by default. */
      highestPriority?: number | null;
    };
    /** @description An API key without its secret, which is never stored. */
    NewApiKey: components['schemas']['ApiKey'] & {
      /**
       * @description The key’s secret, for `Authorization: Bearer <key>`; shown only in this response, only its hash is stored.
       * @example cvk_3q2p…
       */
      key: string;
    };
    /** @description An API key without its secret, which is never stored. */
    ApiKey: {
      /**
       * Format: uuid
       * @description The key’s id, to revoke it by.
       */
      id: string;
      /** @description As given at creation. */
      name: string;
      /**
       * @description viewer reads; operator also writes collections and items and starts and controls operations; admin also manages jobs and API keys.
       * @example operator
       * @enum {string}
       */
      role: 'admin' | 'operator' | 'viewer';
      /** @description Also manages tenants; only the admin key `npm start` prints has it. */
      system: boolean;
      /**
       * Format: date-time
       * @description When the key was created.
       * @example 2025-01-31T09:30:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description When the key was revoked; null while it works.
       * @example 2025-01-31T09:30:00.000Z
       */
      revokedAt: string | null;
    };
    ApiKeyInput: {
      /**
       * @description What the key is for; operations it starts record it as `requestedBy`.
       * @example ci-pipeline
       */
      name: string & unknown;
      /**
       * @description viewer reads; operator also writes collections and items and starts and controls operations; admin also manages jobs and API keys.
       * @example operator
       * @enum {string}
       */
      role: 'admin' | 'operator' | 'viewer';
    } & {
      [key: string]: components['schemas']['JsonValue'];
    };
    /** @description Any JSON value Postgres can store: no NUL characters (nor unpaired surrogates) in strings or keys, at most 256 levels deep. */
    JsonValue:
      | string
      | number
      | boolean
      | null
      | components['schemas']['JsonValue'][]
      | {
          [key: string]: components['schemas']['JsonValue'];
        };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Both answer. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
            checks: {
              postgres: boolean;
              temporal: boolean;
            };
          };
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Counters, gauges and histograms; see the README’s Metrics section. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getReady: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Postgres and Temporal answer and a worker polls the task queue. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ready';
            /** @description The task queue the workers must poll. */
            taskQueue: string;
            checks: {
              /** @description Postgres answered `select 1`. */
              postgres: boolean;
              /** @description Temporal answered. */
              temporal: boolean;
              /** @description A worker polls the task queue for workflow and for activity tasks. */
              worker: boolean;
            };
          };
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCollections: {
    parameters: {
      query?: {
        /** @description Most rows in one page (1–500). */
        limit?: number;
        /** @description The `nextCursor` of the previous page; omit for the first page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of collections. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CollectionSummary'][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postCollections: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CollectionInput'];
      };
    };
    responses: {
      /** @description The new collection. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CollectionSummary'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCollectionsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The collection. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CollectionSummary'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteCollectionsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchCollectionsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CollectionPatch'];
      };
    };
    responses: {
      /** @description The updated collection. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Collection'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCollectionsByIdItems: {
    parameters: {
      query?: {
        /** @description Most rows in one page (1–1000). */
        limit?: number;
        /** @description The `nextCursor` of the previous page (an item id); omit for the first page. */
        cursor?: number;
        /** @description Only items whose key starts with this. */
        keyPrefix?: string;
        /** @description A job, by name or id: each item then carries `states`, its latest final outcome per stage across the job’s production runs. */
        job?: string;
        /** @description With `job`: only items unprocessed (no final outcome in one of its stages), failed (the latest outcome in one of them failed) or processed (final in every stage, none failed). */
        state?: 'unprocessed' | 'failed' | 'processed';
      };
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of items. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ListedItem'][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postCollectionsByIdItems: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ItemUpsert'];
      };
    };
    responses: {
      /** @description How many items were inserted and updated. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description Keys that were new. */
            inserted: number;
            /** @description Keys that existed; their data was replaced. */
            updated: number;
            /** @description Items in the request. */
            received: number;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteCollectionsByIdItems: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Keys of the items to delete; unknown keys are ignored. */
          keys: string[];
        } & {
          [key: string]: components['schemas']['JsonValue'];
        };
      };
    };
    responses: {
      /** @description How many items were deleted. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description Items deleted. */
            deleted: number;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCollectionsByIdStats: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The collection’s statistics. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CollectionStats'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCollectionsByIdItemsByItemId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
        /** @description The item id, as item listings return it. */
        itemId: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The item. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ItemDetail'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCollectionsByIdResultsExport: {
    parameters: {
      query?: {
        /** @description Only results stored by stages of this name. */
        stage?: string;
        /** @description Only stale results (`true`) or only current ones (`false`). */
        stale?: 'true' | 'false';
      };
      header?: never;
      path: {
        /** @description The collection's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newline-delimited JSON; each line is one `ResultExportLine`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/x-ndjson': components['schemas']['ResultExportLine'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getJobs: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every job of the tenant. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Job'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postJobs: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['JobDefinitionInput'];
      };
    };
    responses: {
      /** @description The new job, at version 1. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postJobsValidate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['JobDefinitionInput'];
      };
    };
    responses: {
      /** @description The definition is valid. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            valid: true;
            definition: components['schemas']['JobDefinition'] & unknown;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getJobsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The job’s id or its name. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  putJobsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The job’s id or its name. */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['JobDefinitionInput'];
      };
    };
    responses: {
      /** @description The job at its new version. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteJobsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The job’s id or its name. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getJobsByIdVersions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The job’s id or its name. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job’s versions. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['JobVersionSummary'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getJobsByIdVersionsByVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The job’s id or its name. */
        id: string;
        /** @description A version number, as `GET /v1/jobs/{id}/versions` lists them. */
        version: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The definition saved as this version. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobVersion'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postJobsByIdPause: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The job’s id or its name. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job and how many schedules and operations changed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobPauseResult'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postJobsByIdResume: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The job’s id or its name. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job and how many schedules and operations changed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobPauseResult'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postOperationsCancel: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['OperationBulkInput'];
      };
    };
    responses: {
      /** @description A dry run: what would be acted on. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationBulkResult'];
        };
      };
      /** @description Acted on each operation; `outcome` says how. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationBulkResult'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postOperationsRetry: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['OperationBulkInput'];
      };
    };
    responses: {
      /** @description A dry run: what would be acted on. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationBulkResult'];
        };
      };
      /** @description Acted on each operation; `outcome` says how. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationBulkResult'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperations: {
    parameters: {
      query?: {
        /** @description Comma-separated statuses: queued, running, paused, completed, failed, cancelled. */
        status?: string;
        /** @description Job name (every operation run under that name) or job id (the operations of that job). */
        job?: string;
        collectionId?: string;
        scope?: 'collection' | 'items' | 'global';
        /** @description Name of the API key that started it. */
        requestedBy?: string;
        /** @description The end user it is for, as its start named them. */
        requestedFor?: string;
        /** @description Only operations this schedule started. */
        scheduleId?: string;
        /** @description Only operations of this priority. */
        priority?: number;
        /** @description Only operations created after this time. */
        createdAfter?: string;
        /** @description Only operations created before this time. */
        createdBefore?: string;
        /** @description Most rows in one page (1–500). */
        limit?: number;
        /** @description The `nextCursor` of the previous page; omit for the first page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of operations. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Operation'][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postOperations: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['OperationStart'];
      };
    };
    responses: {
      /** @description The operation already recorded for this idempotency key, or the plan of a dry run. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | components['schemas']['Operation']
            | components['schemas']['DryRunPlan'];
        };
      };
      /** @description Started. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Operation'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperationsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The operation. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationDetail'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperationsByIdItems: {
    parameters: {
      query?: {
        /** @description Stage name whose status filters and pages (the first by default). */
        stage?: string;
        status?: 'pending' | 'in_progress' | 'done' | 'failed' | 'skipped';
        /** @description The `nextCursor` of the previous page (an item id); omit for the first page. */
        cursor?: number;
        /** @description Most rows in one page (1–1000). */
        limit?: number;
      };
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of items, by item id. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['OperationItem'][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperationsByIdEvents: {
    parameters: {
      query?: {
        /** @description Only events with a larger id. */
        after?: number;
        /** @description Most rows in one page (1–1000). */
        limit?: number;
      };
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Events after `after`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Event'][];
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postOperationsByIdCancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description It had no workflow left to ask; its record is now `cancelled`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationCancel'];
        };
      };
      /** @description Cancellation requested (`status: cancelling`). */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationCancel'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postOperationsByIdPause: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The operation’s status as its workflow reports it. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationControl'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postOperationsByIdResume: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The operation’s status as its workflow reports it. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OperationControl'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postOperationsByIdRetry: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['OperationRetry'];
      };
    };
    responses: {
      /** @description The retry, linked by `retryOf`. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Operation'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperationsByIdStream: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The operation’s events, as Server-Sent Events. Each message's `id` is the event id (send it back as `Last-Event-ID` to resume with nothing missed or repeated), `event` its type and `data` the Event as JSON; a comment line keeps an idle stream open. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': components['schemas']['EventStreamMessage'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperationsByIdLogs: {
    parameters: {
      query?: {
        /** @description Only lines about the item of this key. */
        item?: string;
        /** @description Only lines of this stage. */
        stage?: string;
        /** @description Only lines at this level or more severe (info, warn, error, fatal). */
        level?: 'info' | 'warn' | 'error' | 'fatal';
        /** @description Most rows in one page (1–1000). */
        limit?: number;
        /** @description The `nextCursor` of the previous page (a line id); omit for the first page. */
        cursor?: number;
      };
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of lines. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['RunLogLine'][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperationsByIdLogsStream: {
    parameters: {
      query?: {
        /** @description Only lines about the item of this key. */
        item?: string;
        /** @description Only lines of this stage. */
        stage?: string;
        /** @description Only lines at this level or more severe (info, warn, error, fatal). */
        level?: 'info' | 'warn' | 'error' | 'fatal';
      };
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Each message’s `id` is the line id, `event` is `log` (or `end`, last) and `data` the line as JSON. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': components['schemas']['RunLogStreamMessage'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOperationsByIdResults: {
    parameters: {
      query?: {
        /** @description Only this stage (by name); every stage by default. */
        stage?: string;
        /** @description The item stage’s state. */
        status?: 'pending' | 'in_progress' | 'done' | 'failed' | 'skipped';
        /** @description The `nextCursor` of the previous page; omit for the first page. */
        cursor?: string;
        /** @description Most rows in one page (1–1000). */
        limit?: number;
      };
      header?: never;
      path: {
        /** @description The operation id (also its Temporal workflow id). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of item stages. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['OperationResult'][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getHandlers: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every handler. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Handler'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWorkers: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The task queue’s workers and backlog. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Workers'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getStatsJobs: {
    parameters: {
      query?: {
        /** @description Start of the window (ISO 8601). Give either `from` or `window`; with neither, the last 24 hours. */
        from?: string;
        /** @description End of the window (ISO 8601); now by default. */
        to?: string;
        /** @description Length of the window ending at `to`: hours (`h`) or days (`d`), at most 90d. 24h by default. */
        window?: string;
        /** @description Only this job (by name). */
        job?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Statistics per job over the window. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobStats'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getStatsStages: {
    parameters: {
      query?: {
        /** @description Start of the window (ISO 8601). Give either `from` or `window`; with neither, the last 24 hours. */
        from?: string;
        /** @description End of the window (ISO 8601); now by default. */
        to?: string;
        /** @description Length of the window ending at `to`: hours (`h`) or days (`d`), at most 90d. 24h by default. */
        window?: string;
        /** @description Only this job (by name). */
        job?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Statistics per stage over the window. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StageStats'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getStatsCosts: {
    parameters: {
      query?: {
        /** @description How many UTC days, today included (1–366); 30 by default. */
        days?: number;
        /** @description Sum per job, or per job and stage; `job` by default. */
        groupBy?: 'job' | 'stage';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Costs per UTC day. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CostStats'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getEvents: {
    parameters: {
      query?: {
        /** @description Comma-separated event types: operation.created, operation.started, operation.progress, operation.paused, operation.resumed, operation.cancelled, operation.completed, operation.failed, stage.started, stage.completed, chunk.stage_started, chunk.stage_completed, stage.rerun, operation.repaired, operation.cancel_requested, operation.retried, webhook.disabled, schedule.fired, schedule.skipped, maintenance.completed. */
        type?: string;
        /** @description Only events of operations of this job name. */
        job?: string & unknown;
        /** @description Only events of operations over this collection. */
        collectionId?: string;
        /** @description Only events with a larger id. */
        after?: number;
        /** @description Most rows in one page (1–1000). */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Events after `after`, filtered. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Event'][];
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getEventsStream: {
    parameters: {
      query?: {
        /** @description Comma-separated event types: operation.created, operation.started, operation.progress, operation.paused, operation.resumed, operation.cancelled, operation.completed, operation.failed, stage.started, stage.completed, chunk.stage_started, chunk.stage_completed, stage.rerun, operation.repaired, operation.cancel_requested, operation.retried, webhook.disabled, schedule.fired, schedule.skipped, maintenance.completed. */
        type?: string;
        /** @description Only events of operations of this job name. */
        job?: string & unknown;
        /** @description Only events of operations over this collection. */
        collectionId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tenant’s events, as Server-Sent Events. Each message's `id` is the event id (send it back as `Last-Event-ID` to resume with nothing missed or repeated), `event` its type and `data` the Event as JSON; a comment line keeps an idle stream open. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': components['schemas']['EventStreamMessage'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every webhook of the tenant, without secrets. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Webhook'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WebhookInput'];
      };
    };
    responses: {
      /** @description The webhook, with its signing secret shown this once. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NewWebhook'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWebhooksById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The webhook. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteWebhooksById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchWebhooksById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WebhookChanges'];
      };
    };
    responses: {
      /** @description The webhook as changed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Webhook'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWebhooksByIdDeliveries: {
    parameters: {
      query?: {
        status?: 'pending' | 'succeeded' | 'failed';
        /** @description Most rows in one page (1–500). */
        limit?: number;
        /** @description The `nextCursor` of the previous page; omit for the first page. */
        cursor?: string;
      };
      header?: never;
      path: {
        /** @description The webhook's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of deliveries. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['WebhookDelivery'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postWebhooksByIdDeliveriesByDeliveryIdRedeliver: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook id. */
        id: string;
        /** @description The delivery id. */
        deliveryId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The delivery, pending again; its attempts follow. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDelivery'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getSchedules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every schedule, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Schedule'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postSchedules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScheduleInput'];
      };
    };
    responses: {
      /** @description The schedule. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Schedule'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getSchedulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The schedule. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Schedule'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteSchedulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchSchedulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScheduleChanges'];
      };
    };
    responses: {
      /** @description The schedule as changed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Schedule'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postSchedulesByIdPause: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['ScheduleNote'];
      };
    };
    responses: {
      /** @description The schedule, paused. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Schedule'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postSchedulesByIdUnpause: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['ScheduleNote'];
      };
    };
    responses: {
      /** @description The schedule, running again. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Schedule'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postSchedulesByIdTrigger: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['ScheduleTrigger'];
      };
    };
    responses: {
      /** @description The run was asked for. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Schedule'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postSchedulesByIdBackfill: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScheduleBackfill'];
      };
    };
    responses: {
      /** @description The runs were asked for. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Schedule'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over one of the tenant’s quotas, named in `quota` with its `limit`; `Retry-After` says when to try again where waiting frees room. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getMaintenance: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The newest runs first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description The maintenance schedule in Temporal. */
            scheduleId: string;
            data: components['schemas']['MaintenanceRun'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getDiagnostics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every check, made or not. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Diagnostics'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getTenants: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every tenant. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Tenant'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postTenants: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TenantInput'];
      };
    };
    responses: {
      /** @description The new tenant and its admin key. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NewTenant'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchTenantsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The tenant’s id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TenantSettings'];
      };
    };
    responses: {
      /** @description The tenant as changed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every key of the tenant, without secrets. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ApiKey'][];
          };
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ApiKeyInput'];
      };
    };
    responses: {
      /** @description The new key, with its secret shown this once. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NewApiKey'];
        };
      };
      /** @description Invalid input; `invalid_params` names each invalid field. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the API reads. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not `application/json`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiKeysById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The API key's id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, unknown or revoked API key. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The key's role may not do this. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not possible in the resource’s current state. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Something failed on our side; the problem names a request id. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Postgres or Temporal is not reachable right now, or the database is busy; retry after `Retry-After` seconds, or a few. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
}
