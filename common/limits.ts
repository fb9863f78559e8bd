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
 * Fewest positions a time-boxed run's first batches take (unless the chunk is smaller): the time
 * box bounds how long such a batch runs, so only quick items ever fill one, and quick items split
 * a lane's share at a time paid a Temporal round trip per hundred or so (100,000 × 3 no-op:
 * 34,000 → 50,000 item-stages/s). Slow items lose at most one time box of parallelism: the rest a
 * first batch hands back spreads over every lane.
 */
export const MIN_FIRST_SLICE = 1_000;

/**
 * Smallest adaptive batch, and the items a time-boxed batch starts whatever the time: it bounds
 * how many batches, and so history events, slow items can make.
 */
export const MIN_BATCH_SIZE = 10;

/**
 * Handler log lines an operation keeps (`ctx.log`, info and above); past it, one line says the
 * log is full and the rest go to the worker's own log only. Batches that flush at the same moment
 * may each add their lines before seeing the other's, so the bound is this plus a flush or two.
 */
export const RUN_LOG_LINES_PER_OPERATION = 10_000;

/** Characters of one kept log line's message (and of its fields as JSON); the rest is cut. */
export const RUN_LOG_LINE_CHARS = 4_000;
