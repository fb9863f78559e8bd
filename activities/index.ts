import type { ActivityDeps } from './deps';
import { createDiscoveryActivities } from './discovery';
import { createLifecycleActivities } from './lifecycle';
import { createMaintenanceActivities } from './maintenance';
import { createBatchActivities } from './process-batch';
import { createSliceActivities } from './process-slice';
import { createScheduledActivities } from './scheduled';
import { createSliceLifecycleActivities } from './slice-lifecycle';
import { createWebhookActivities } from './webhook-delivery';

export type { ActivityDeps } from './deps';

/** Every activity the worker runs, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createLifecycleActivities(deps),
    ...createBatchActivities(deps),
    ...createSliceLifecycleActivities(deps),
    ...createSliceActivities(deps),
    ...createDiscoveryActivities(deps),
    ...createWebhookActivities(deps),
    ...createScheduledActivities(deps),
    ...createMaintenanceActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
