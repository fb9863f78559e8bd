import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OperationProgress } from '../common/engine';

/** Messages the API sends to operation workflows; imported by both sides. */
export const progressQuery = defineQuery<OperationProgress>('progress');
export const pauseUpdate = defineUpdate<OperationProgress>('pause');
export const resumeUpdate = defineUpdate<OperationProgress>('resume');
/** Parent → chunk: follow the operation's pause state. */
export const setPausedSignal = defineSignal<[boolean]>('setPaused');
