import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by each part of the benchmark's machine, summed over its processes. */
export type CpuByPart = Record<string, number>;

const TICKS_PER_SECOND = 100;

/**
 * Reads /proc for every process of the named parts: the worker (its pid), Postgres (every
 * `postgres` process: postmaster and backends), the Temporal dev server, and this process (the
 * API and the benchmark's client). Backends that exit between two reads take their time with
 * them, so pooled connections (which live through a run) are what this measures well.
 */
export function cpuByPart(workerPid: number | undefined): CpuByPart {
  const parts: CpuByPart = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const part =
        pid === workerPid
          ? 'worker'
          : pid === process.pid
            ? 'API and client'
            : command.startsWith('postgres')
              ? 'Postgres'
              : command.startsWith('temporal')
                ? 'Temporal server'
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
