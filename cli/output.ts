import Table from 'cli-table3';

/** A failure the CLI reports as one line and exit status 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Whether people read stdout (bars, colours) or a program does (plain lines). */
export const isInteractive = () => Boolean(process.stdout.isTTY);

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A table for people: a header row, then one row per record; `-` for missing values. */
export function printTable(head: string[], rows: unknown[][]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const table = new Table({ head, style: { head: isInteractive() ? ['cyan'] : [], border: [] } });
  for (const row of rows) table.push(row.map(cell));
  process.stdout.write(`${table.toString()}\n`);
}

/** Label-value lines for one record. */
export function printFields(fields: [string, unknown][]): void {
  const width = Math.max(...fields.map(([label]) => label.length));
  for (const [label, value] of fields) {
    process.stdout.write(`${label.padEnd(width)}  ${cell(value)}\n`);
  }
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `2026-01-02T03:04:05.678Z` as `2026-01-02 03:04:05`, shorter in tables. */
export function shortTime(iso: string | null | undefined): string | undefined {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : undefined;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export const count = (n: number) => n.toLocaleString('en-US');
