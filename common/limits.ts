/**
 * Bounds that more than one layer enforces (the job document, the start request, the engine).
 * Pure constants, free of zod and Node, so workflow code may import them too.
 */

/** Most stages in one job, and in one start's `stages` choice. */
export const MAX_STAGES = 20;

/** Largest batch: the most a stage's `batchSize` may ask for and an adaptive one may grow to. */
export const MAX_BATCH_SIZE = 2_000;
