/** Names shared by the API, the worker and the runtime; change them in one place only. */

export const WORKFLOW_TYPES = {
  operation: 'operationWorkflow',
  chunk: 'chunkWorkflow',
  webhookDelivery: 'webhookDeliveryWorkflow',
  scheduledOperation: 'scheduledOperationWorkflow',
  maintenance: 'maintenanceWorkflow',
} as const;

/**
 * Search attributes Conveyor stamps on every operation workflow, so the Web UI and
 * `temporal workflow list --query` can filter runs by tenant, job, collection and mode.
 */
export const SEARCH_ATTRIBUTES = {
  tenant: 'ConveyorTenant',
  job: 'ConveyorJob',
  collection: 'ConveyorCollection',
  mode: 'ConveyorMode',
} as const;

/** Temporal refuses payloads over 2 MiB; an item's data stays well below so batches fit. */
export const MAX_ITEM_DATA_BYTES = 256 * 1024;
export const MAX_ITEMS_PER_UPSERT = 5_000;
