import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workerHeapFlag, workerProcessEnv } from '../worker/process-limits';

const workerMain = fileURLToPath(new URL('../runtime/worker-main.ts', import.meta.url));

/**
 * The engine's worker as a process of its own, so its memory is measured alone; with the heap
 * bound `npm run start:worker` gives it.
 */
export async function startWorkerProcess(
  env: Record<string, string>,
  log: (line: string) => void,
  /** Flags for node itself (`--cpu-prof` is refused in NODE_OPTIONS). */
  nodeFlags: string[] = [],
) {
  const child: ChildProcess = spawn(
    process.execPath,
    [workerHeapFlag(), ...nodeFlags, '--import', 'tsx', workerMain],
    {
      env: { ...process.env, ...workerProcessEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => log(`worker: ${chunk.toString().trim()}`));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the worker process exited with ${code} before it was ready`)),
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('polling task queue')) resolve();
    });
  });
  return {
    pid: child.pid,
    /** The kernel's high-water mark of the worker's resident memory (VmHWM), in MB. */
    peakRssMb(): number {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return kb / 1024;
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
