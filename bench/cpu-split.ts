import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by each part of the benchmark's machine, summed over its processes. */
export type CpuByPart = Record<string, number>;

const TICKS_PER_SECOND = 100;

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Reads /proc for every process of the named parts: the worker (its pid), Postgres (every
 * `postgres` process: postmaster and backends), the Temporal dev server, and this process (the
 * API and the benchmark's client). Backends that exit between two reads take their time with
 * them, so pooled connections (which live through a run) are what this measures well.
 * With `within` (the run's data directory), only servers started on it count, and their
 * children: tests or benchmarks of others on the same machine run servers of their own.
 */
export function cpuByPart(workerPid: number | undefined, within?: string): CpuByPart {
  const parts: CpuByPart = {};
  const ours = (pid: string, parentPid: string) =>
    within === undefined ||
    commandLine(pid).includes(within) ||
    commandLine(parentPid).includes(within);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const server = command.startsWith('postgres')
        ? 'Postgres'
        : command.startsWith('temporal')
          ? 'Temporal server'
          : undefined;
      const part =
        pid === workerPid
          ? 'worker'
          : pid === process.pid
            ? 'API and client'
            : server && ours(entry, fields[1] ?? '')
              ? server
              : undefined;
      if (!part) continue;
      const ticks = Number(fields[11]) + Number(fields[12]);
      parts[part] = (parts[part] ?? 0) + ticks / TICKS_PER_SECOND;
    } catch {
      // The process ended while being read.
    }
  }
  return parts;
}

export function cpuBetween(before: CpuByPart, after: CpuByPart): CpuByPart {
  return Object.fromEntries(
    Object.entries(after).map(([part, seconds]) => [part, seconds - (before[part] ?? 0)]),
  );
}

/**
 * CPU seconds so far of each kind of thread of one process, by thread name (`node` is the main
 * thread; Temporal's workflow threads, its Rust core's runtime, V8's GC helpers and libuv's pool
 * have names of their own), so a process's share can be told apart without a profiler.
 */
export function cpuByThread(pid: number | undefined): CpuByPart {
  const threads: CpuByPart = {};
  if (pid === undefined) return threads;
  let entries: string[] = [];
  try {
    entries = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const task of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[\d-]+$/, '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      threads[name] = (threads[name] ?? 0) + ticks / TICKS_PER_SECOND;
    } catch {
      // The thread ended while being read.
    }
  }
  return threads;
}
