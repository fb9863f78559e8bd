/** Every workflow the worker's bundle contains. */
export { chunkWorkflow } from './chunk';
export { maintenanceWorkflow } from './maintenance';
export { operationWorkflow } from './operation';
export { scheduledOperationWorkflow } from './scheduled-operation';
export { webhookDeliveryWorkflow } from './webhook-delivery';
