/**
 * A tenant's quotas: what one tenant may take of the deployment, so that no tenant can crowd the
 * others out. Each tenant stores only its overrides (`tenants.quotas`, set by a system key through
 * `PATCH /v1/tenants/{id}`); every other quota is its default here.
 *
 * Over a quota the API answers 429 with a problem naming it (`quota`, `limit`), with
 * `Retry-After` where waiting frees room (operations finish, streams close, exports end), and
 * without where it does not (items, schedules, webhooks stay until deleted; an interval or a
 * backfill is too short or too large whenever it is asked). A priority above the tenant's
 * highest is a 409 instead: no amount of waiting or deleting makes it allowed.
 */
import { z } from 'zod';
import { PRIORITY } from './domain';

interface QuotaDefinition {
  default: number;
  min: number;
  max: number;
  description: string;
  /** Seconds a client refused by this quota should wait; absent where waiting does not help. */
  retryAfterSeconds?: number;
}

const COUNT_MAX = 2_147_483_647;

export const QUOTAS = {
  operationsInFlight: {
    default: 1_000,
    min: 0,
    max: 1_000_000,
    description:
      'Unfinished operations (queued, running, paused) at once; a start or a schedule run beyond it is refused.',
    retryAfterSeconds: 30,
  },
  itemsPerCollection: {
    default: 10_000_000,
    min: 0,
    // collections.item_count is an int4.
    max: COUNT_MAX,
    description: 'Items one collection may hold; an upsert that would pass it adds nothing.',
  },
  schedules: {
    default: 100,
    min: 0,
    max: 100_000,
    description: 'Schedules the tenant may have.',
  },
  scheduleIntervalSeconds: {
    default: 60,
    min: 1,
    max: 31_536_000,
    description:
      'The shortest time between two runs of a schedule, in seconds: an interval’s `every`, and the closest two times of a cron expression.',
  },
  backfillRuns: {
    default: 1_000,
    min: 0,
    max: 1_000_000,
    description: 'Runs one backfill may take: the times of the schedule’s spec in its window.',
  },
  openStreams: {
    default: 100,
    min: 0,
    max: 100_000,
    description:
      'Server-Sent Event streams (the tenant’s and operations’) open at once, across API processes.',
    retryAfterSeconds: 5,
  },
  webhooks: {
    default: 50,
    min: 0,
    max: 10_000,
    description: 'Webhooks the tenant may have.',
  },
  exportsAtOnce: {
    default: 4,
    min: 0,
    max: 1_000,
    description: 'Result exports streaming at once, across API processes.',
    retryAfterSeconds: 10,
  },
  highestPriority: {
    // The most urgent priority is the operator's to hand out: a tenant that may use it by
    // default has every worker's next free slot before any other tenant's work.
    default: PRIORITY.most + 1,
    min: PRIORITY.most,
    max: PRIORITY.least,
    description:
      'The most urgent priority the tenant’s operations may have (1 is the most urgent, 5 the least); a start, a job’s default or a schedule asking for a more urgent one is refused with 409.',
  },
} as const satisfies Record<string, QuotaDefinition>;

export type QuotaName = keyof typeof QUOTAS;
export const QUOTA_NAMES = Object.keys(QUOTAS) as QuotaName[];

/** Every quota's value for one tenant. */
export type Quotas = Record<QuotaName, number>;
/** The quotas a tenant has set apart from the defaults. */
export type QuotaOverrides = Partial<Quotas>;

export const QUOTA_DEFAULTS = Object.fromEntries(
  QUOTA_NAMES.map((name) => [name, QUOTAS[name].default]),
) as Quotas;

const quotaValue = (name: QuotaName) => {
  const { min, max, description } = QUOTAS[name];
  return z
    .number()
    .int()
    .min(min)
    .max(max)
    .describe(`${description} ${QUOTA_DEFAULTS[name].toLocaleString('en')} by default.`);
};

/** Every quota's value, as the tenant resource shows them. */
export const quotasSchema = z.object(
  Object.fromEntries(QUOTA_NAMES.map((name) => [name, quotaValue(name)])) as Record<
    QuotaName,
    z.ZodNumber
  >,
);

/** Changes to a tenant's quotas: a number sets one, null puts it back to its default. */
export const quotaChangesSchema = z
  .object(
    Object.fromEntries(
      QUOTA_NAMES.map((name) => [name, quotaValue(name).nullable().optional()]),
    ) as Record<QuotaName, z.ZodOptional<z.ZodNullable<z.ZodNumber>>>,
  )
  .strict();
export type QuotaChanges = z.infer<typeof quotaChangesSchema>;

/**
 * The tenant's quotas: its stored overrides over the defaults. An override the current bounds no
 * longer allow (or a name no longer known) is ignored rather than trusted.
 */
export function quotasOf(overrides: Record<string, unknown> | null | undefined): Quotas {
  const quotas = { ...QUOTA_DEFAULTS };
  for (const name of QUOTA_NAMES) {
    const parsed = quotaValue(name).safeParse(overrides?.[name]);
    if (parsed.success) quotas[name] = parsed.data;
  }
  return quotas;
}
