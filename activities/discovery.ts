import { ApplicationFailure, Context } from '@temporalio/activity';
import type postgres from 'postgres';
import { coerceError } from '../common/errors';
import { logger } from '../common/log';
import { inTransaction } from '../db/client';
import { type CostEntry, insertCosts } from '../db/costs';
import { seedItemStages } from '../db/item-stages';
import { findItemIdsByKey, upsertItemsReturning } from '../db/items';
import { getOperationById, setItemsTotalFromStage } from '../db/operations';
import { collectionItemCount, findTenantQuotas } from '../db/quotas';
import { type DiscoveredItem, PermanentError } from '../handlers/define';
import type { ActivityDeps } from './deps';
import { createHostAccess, operationInfo } from './handler-context';
import { createRunLog } from './run-log';

/** Items upserted and seeded per statement while discovery runs. */
const PAGE_SIZE = 500;
/** A test-mode operation processes one item, so its discovery stops at the first. */
const TEST_MODE_ITEMS = 1;

export interface DiscoveryInput {
  operationId: string;
  stageIndex: number;
}

export function createDiscoveryActivities({ database, handlers, host }: ActivityDeps) {
  const { db } = database;
  const hostAccess = host ?? createHostAccess();

  return {
    /**
     * Runs a discovery stage: its handler's items are upserted into the collection (by key) and
     * enter the later stages of this operation. Safe to retry: upserts and seeds are idempotent.
     */
    async runDiscovery(input: DiscoveryInput): Promise<{ discovered: number }> {
      const context = Context.current();
      const operation = await getOperationById(db, input.operationId);
      const stage = operation?.definition.stages[input.stageIndex];
      const handler = stage && handlers.get(stage.handler);
      if (!operation || !stage || handler?.kind !== 'discovery') {
        throw ApplicationFailure.nonRetryable(
          `operation ${input.operationId} has no discovery stage ${input.stageIndex}`,
        );
      }
      if (!operation.collectionId) {
        throw ApplicationFailure.nonRetryable(
          'a discovery stage needs an operation over a collection',
        );
      }
      const params = handler.params.safeParse(stage.params);
      if (!params.success) {
        throw ApplicationFailure.nonRetryable(
          `stage ${stage.name}: invalid params: ${params.error.message}`,
        );
      }
      const collectionId = operation.collectionId;
      const passOn = stage.passOn ?? 'all';
      const runLog = createRunLog(database, operation);
      const stageCount = operation.definition.stages.length;
      const limit = operation.mode === 'test' ? TEST_MODE_ITEMS : Number.POSITIVE_INFINITY;
      const costs: CostEntry[] = [];
      let page: DiscoveredItem[] = [];
      let discovered = 0;
      let reported: { fraction: number; note?: string } | undefined;

      const flush = async () => {
        if (page.length === 0) return;
        const byKey = new Map(page.map((item) => [item.key, item]));
        // Items and their item stages together: an item found but not seeded would be missed.
        // A retry finds new items of an attempt that committed no longer new, and seeds nothing
        // twice: the attempt that added them seeded them in the same transaction.
        await inTransaction(database, async (tx) => {
          const upserted = await upsertItemsReturning(tx.sql, operation.tenantId, collectionId, [
            ...byKey.values(),
          ]);
          await refuseOverQuota(tx.sql, operation.tenantId, collectionId);
          const ids =
            passOn === 'all'
              ? await findItemIdsByKey(tx.sql, collectionId, [...byKey.keys()])
              : upserted
                  .filter((item) => passOn === 'changed' || item.inserted)
                  .map((item) => item.id);
          await seedItemStages(
            tx.sql,
            operation.id,
            { first: input.stageIndex + 1, count: stageCount },
            { itemIds: ids },
          );
        });
        discovered += byKey.size;
        page = [];
        context.heartbeat({ discovered, progress: reported });
      };

      try {
        const found = handler.discover({
          ...hostAccess,
          params: params.data,
          signal: context.cancellationSignal,
          attempt: context.info.attempt,
          operation: operationInfo(operation),
          stageName: stage.name,
          cost: (amount, unit) => costs.push({ itemId: null, amount, unit }),
          // Discovery has no items yet: its progress rides on the heartbeat of each page.
          progress: (fraction, note) => {
            reported = { fraction, note };
          },
          log: runLog.logger(
            logger({
              tenantId: operation.tenantId,
              operationId: operation.id,
              stage: stage.name,
              handler: handler.name,
            }),
            stage.name,
          ),
        });
        for await (const item of found) {
          page.push(item);
          if (page.length >= PAGE_SIZE) await flush();
          if (discovered + page.length >= limit) break;
        }
        await flush();
      } catch (thrown) {
        const error = coerceError(thrown);
        if (error instanceof PermanentError)
          throw ApplicationFailure.nonRetryable(error.message, 'PermanentError');
        throw error;
      } finally {
        // What it logged before it failed is worth most.
        await runLog.flush();
      }
      const total = await inTransaction(database, async (tx) => {
        const itemsTotal = await setItemsTotalFromStage(tx.sql, operation.id, input.stageIndex + 1);
        await insertCosts(
          tx.sql,
          {
            tenantId: operation.tenantId,
            operationId: operation.id,
            jobName: operation.jobName,
            stageName: stage.name,
          },
          costs,
        );
        return itemsTotal;
      });
      return { discovered: total ?? discovered };
    },
  };
}

/**
 * Discovery obeys the tenant's itemsPerCollection as the items route does: the page that would
 * pass it is rolled back and the stage fails for good, naming the quota; earlier pages stay.
 */
async function refuseOverQuota(sql: postgres.Sql, tenantId: string, collectionId: string) {
  const limit = (await findTenantQuotas(sql, tenantId)).itemsPerCollection;
  const count = await collectionItemCount(sql, collectionId);
  if (count > limit) {
    throw new PermanentError(
      `discovery would bring the collection to ${count} items, over the tenant's quota itemsPerCollection (${limit}); a system key can raise it with PATCH /v1/tenants/{id}`,
    );
  }
}
