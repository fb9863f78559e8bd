import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { defineHandler, type HostAccess, PermanentError } from '../../handlers/define';

const deviceItem = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  platform: z.string().optional(),
});

/** Largest answer kept; a running config beyond it is a sign of the wrong command. */
const MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * Sends one command to a device's management port and reads the answer until the device closes
 * the session, the way `ssh host command` runs one command. Refused or timed-out connections are
 * retryable (a device reboots, a link flaps); an answer of "% Invalid input" is not, nor an
 * address the deployment does not let handlers reach (the context's `connect` checks it).
 */
async function runCommand(
  connect: HostAccess['connect'],
  target: { host: string; port: number },
  command: string,
  signal: AbortSignal,
) {
  const started = performance.now();
  const socket: Socket = await connect(target, { signal });
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  return new Promise<{ output: string; latencyMs: number }>((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    socket.end(`${command}\n`);
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) {
        socket.destroy();
        reject(new PermanentError(`answer to "${command}" is over ${MAX_OUTPUT_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    socket.once('error', reject);
    socket.once('close', (hadError) => {
      if (!hadError) resolvePromise({ output: Buffer.concat(chunks).toString('utf8'), latencyMs });
    });
  });
}

/**
 * Runs a command on one device of an inventory (the item) and records its answer: a config
 * backup, a version audit or, with `expect`, a compliance check of the running config.
 */
export const deviceCommandHandler = defineHandler({
  name: 'device.command',
  version: '1',
  description:
    'Runs params.command on the device at data.host:data.port and stores its output, digest and parsed version; with params.expect, whether the output contains that line.',
  params: z.object({
    command: z.string().min(1).max(500).default('show version'),
    expect: z
      .array(z.string().min(1).max(500))
      .default([])
      .describe('Lines the output must contain; the result lists those missing.'),
    timeoutMs: z.number().int().min(100).max(120_000).default(5_000),
  }),
  // Devices are few and slow: a handful at a time, one quick retry for a flapping link.
  defaults: {
    concurrency: 4,
    itemTimeoutMs: 20_000,
    retry: { maximumAttempts: 2, initialIntervalMs: 500 },
  },
  async process(item, { params, signal, attempt, log, connect }) {
    const parsed = deviceItem.safeParse(item.data);
    if (!parsed.success) {
      throw new PermanentError(`device.command: item ${item.key} has no data.host and data.port`);
    }
    const { host, port, platform } = parsed.data;
    let answer: { output: string; latencyMs: number };
    try {
      answer = await runCommand(
        connect,
        { host, port },
        params.command,
        AbortSignal.any([signal, AbortSignal.timeout(params.timeoutMs)]),
      );
    } catch (error) {
      if (error instanceof PermanentError) throw error;
      log.warn({ host, port, attempt, error: (error as Error).message }, 'device unreachable');
      throw new Error(
        `device.command: ${item.key} (${host}:${port}) is unreachable: ${(error as Error).message}`,
      );
    }
    const { output, latencyMs } = answer;
    if (/^% ?Invalid input/m.test(output)) {
      throw new PermanentError(`device.command: ${item.key} refused "${params.command}"`);
    }
    const lines = output.split('\n').map((line) => line.trimEnd());
    const missing = params.expect.filter((line) => !lines.includes(line));
    return {
      hostname: item.key,
      platform: platform ?? null,
      command: params.command,
      latencyMs,
      version: /\bVersion:? ([\w.()-]+)/i.exec(output)?.[1] ?? null,
      lines: lines.length,
      sha256: createHash('sha256').update(output).digest('hex'),
      ...(params.expect.length > 0 ? { compliant: missing.length === 0, missing } : {}),
      output,
    };
  },
});
