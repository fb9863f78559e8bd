import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export { freePort } from '../../runtime/ports';
export { sleep };

/** A child process that leads its own process group, so a SIGKILL reaches everything it spawned. */
export interface GroupProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the group leader is gone. */
  exited: Promise<string>;
  /** Everything it printed so far (stdout and stderr), also kept in its log file. */
  output(): string;
  /** Resolves when `pattern` appears in its output; rejects if it exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` to the whole group and waits for the leader to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<GroupProcess>();

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

// A test process that dies must not leave servers behind for the next run.
process.once('exit', () => {
  for (const proc of running) killGroup(proc.pid, 'SIGKILL');
});

export function spawnGroup(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): GroupProcess {
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: spawn of ${command} failed`);
  let text = '';
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    const piece = chunk.toString();
    // Keep the tail only: long runs print a lot and patterns are looked for near the end.
    text = (text + piece).slice(-200_000);
    log.write(piece);
    for (const watch of watchers) watch();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exitedWith: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedWith = signal ?? `code ${code}`;
      running.delete(proc);
      log.write(`--- exited: ${exitedWith}\n`);
      log.end();
      for (const watch of watchers) watch();
      resolve(exitedWith);
    });
  });
  const proc: GroupProcess = {
    name,
    pid: child.pid,
    child,
    exited,
    output: () => text,
    waitForOutput(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(
            new Error(
              `${name}: no ${pattern} after ${timeoutMs} ms; output:\n${text.slice(-3000)}`,
            ),
          );
        }, timeoutMs);
        const watch = () => {
          if (pattern.test(text)) {
            clearTimeout(timer);
            watchers.delete(watch);
            resolve();
          } else if (exitedWith !== undefined) {
            clearTimeout(timer);
            watchers.delete(watch);
            reject(
              new Error(`${name} exited (${exitedWith}) before ${pattern}:\n${text.slice(-3000)}`),
            );
          }
        };
        watchers.add(watch);
        watch();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (exitedWith !== undefined) return;
      killGroup(child.pid as number, signal);
      await exited;
      // Group members other than the leader (tsx's own node child) get the same signal.
      if (signal === 'SIGKILL') killGroup(child.pid as number, 'SIGKILL');
    },
  };
  running.add(proc);
  return proc;
}

/** Kills every group this process started that is still running. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.kill('SIGKILL')));
}

/** Whether a process with this pid exists (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `read` until `done` holds; read errors count as "not yet". Returns the last value. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 120_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}${
          lastError ? `; last error: ${(lastError as Error).message}` : ''
        }`,
      );
    }
    await sleep(intervalMs);
  }
}

/** Every process below `pid` in the process tree (children, grandchildren, …), from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the name (field 2) may hold spaces, so
      // read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}
