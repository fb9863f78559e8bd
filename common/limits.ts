/**
 * Bounds that more than one layer enforces (the job document, the start request, the engine).
 * Pure constants, free of zod and Node, so workflow code may import them too.
 */

/** Most stages in one job, and in one start's `stages` choice. */
export const MAX_STAGES = 20;

/** Largest batch: the most a stage's `batchSize` may ask for and an adaptive one may grow to. */
export const MAX_BATCH_SIZE = 2_000;

/**
 * How long a batch should take: long enough that its fixed Temporal round trip is noise, short
 * enough that pause, cancel and retry stay prompt. Adaptive batch sizes aim at it, and a batch
 * of an adaptive stage stops starting items once it has run this long.
 */
export const TARGET_BATCH_MS = 1_000;

/**
 * Smallest adaptive batch, and the items a time-boxed batch starts whatever the time: it bounds
 * how many batches, and so history events, slow items can make.
 */
export const MIN_BATCH_SIZE = 10;
