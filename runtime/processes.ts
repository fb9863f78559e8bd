import { existsSync, readdirSync, readFileSync, readlinkSync, renameSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What Conveyor needs to know about other processes, read from Linux's /proc: whether one is
 * alive, what it runs and where, so a new start can find what a killed one left running.
 */

/** The fields of /proc/<pid>/stat from the state (field 3) on, or undefined when it is gone. */
function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it never do.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * True while `pid` runs. A zombie counts as gone: it holds no files, ports or memory, and a
 * container's init may never reap the orphans of a killed Conveyor.
 */
export function isAlive(pid: number): boolean {
  const fields = stat(pid);
  if (fields) return fields[0] !== 'Z' && fields[0] !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Clock ticks after boot when `pid` started; with the pid it names one process, across reuse. */
export function startTime(pid: number): string | undefined {
  return stat(pid)?.[19];
}

/** argv of `pid`, or undefined when it is gone or hidden. */
export function commandLine(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw ? raw.replace(/\0$/, '').split('\0') : undefined;
  } catch {
    return undefined;
  }
}

export function workingDirectory(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc except this one. */
export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** "postgres, pid 123", for messages. */
export function describeProcess(pid: number): string {
  const argv = commandLine(pid);
  const name = argv?.[0]?.split('/').pop();
  return name ? `${name}, pid ${pid}` : `pid ${pid}`;
}

/** Waits until none of `pids` is alive; false if some still are after `timeoutMs`. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() >= until) return false;
    await sleep(100);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already: that is what we want.
  }
}

/**
 * Asks `pids` to stop with `gently` (each program's own clean shutdown signal), then kills what
 * is left after `graceMs`. Resolves when all are gone or `killWaitMs` more has passed.
 */
export async function stopProcesses(
  pids: number[],
  options: { gently: NodeJS.Signals; graceMs: number; killWaitMs?: number },
): Promise<boolean> {
  for (const pid of pids) signal(pid, options.gently);
  if (await waitForExit(pids, options.graceMs)) return true;
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
  return waitForExit(pids, options.killWaitMs ?? 5_000);
}

/**
 * Moves a server's log of the previous run to `<name>.previous.log`: when that run was killed,
 * its last lines are what explains it, and this start would otherwise overwrite them.
 */
export function keepPreviousLog(path: string): void {
  if (existsSync(path)) renameSync(path, path.replace(/(\.log)?$/, '.previous.log'));
}

/** A point in time every wait of one start shares, so the start as a whole is bounded. */
export class Deadline {
  readonly at: number;
  constructor(readonly totalMs: number) {
    this.at = Date.now() + totalMs;
  }
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }
  expired(): boolean {
    return Date.now() >= this.at;
  }
}
