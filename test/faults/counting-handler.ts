import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defineHandler, PermanentError, sleep } from '../../handlers/define';

/**
 * A handler for the fault suite that counts its own executions. Every call appends
 * `operationId,stageName,itemId,epochMs` to a ledger file of this process in FAULT_LEDGER_DIR,
 * with a synchronous write on a file opened for appending: the line is in the kernel before the
 * handler does anything else, so a process killed with SIGKILL keeps every call it began.
 * Loaded by workers and the API through HANDLER_MODULES.
 */
let ledger: number | undefined;

function record(line: string) {
  // The suite sets this variable on the processes it spawns; nothing else reads it.
  const dir = process.env.FAULT_LEDGER_DIR;
  if (!dir) return;
  if (ledger === undefined) {
    mkdirSync(dir, { recursive: true });
    ledger = openSync(join(dir, `calls-${process.pid}.csv`), 'a');
    process.once('exit', () => ledger !== undefined && closeSync(ledger));
  }
  writeSync(ledger, line);
}

export const countingHandler = defineHandler({
  name: 'test.counting',
  version: '1',
  description:
    'Fault suite: records each call in a ledger, sleeps delayMs, fails failKeys, and flakyKeys on attempt 1.',
  params: z.object({
    delayMs: z.number().int().min(0).default(5),
    failKeys: z.array(z.string()).default([]),
    flakyKeys: z.array(z.string()).default([]),
  }),
  async process(item, { params, signal, attempt, operation, stageName }) {
    record(`${operation.id},${stageName},${item.id},${Date.now()}\n`);
    if (params.delayMs > 0) await sleep(params.delayMs, signal);
    if (params.failKeys.includes(item.key)) throw new PermanentError(`${item.key} is in failKeys`);
    if (attempt === 1 && params.flakyKeys.includes(item.key)) {
      throw new Error(`${item.key} is in flakyKeys and fails on its first attempt`);
    }
    return { key: item.key };
  },
});

export const handlers = [countingHandler];
