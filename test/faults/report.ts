import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One scenario's outcome, written by the scenario and gathered into bench/results.md. */
export interface ScenarioResult {
  name: string;
  title: string;
  passed: boolean;
  date: string;
  toProgressMs: number | null;
  toFinalMs: number | null;
  status: string;
  /** Item stages by final state, e.g. "14,985 done / 10 failed / 5 skipped". */
  rows: string;
  /** Handler calls beyond one per item stage (re-runs after the fault, retries). */
  reruns: number | null;
  notes: string[];
}

export const START_MARKER = '<!-- faults:start -->';
export const END_MARKER = '<!-- faults:end -->';

export function writeResult(root: string, result: ScenarioResult): void {
  const dir = join(root, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${result.name}.json`), JSON.stringify(result, null, 2));
}

export function readResults(root: string): ScenarioResult[] {
  const dir = join(root, 'results');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as ScenarioResult);
}

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function row(result: ScenarioResult): string {
  return `| ${[
    result.name,
    result.passed ? 'pass' : '**FAIL**',
    seconds(result.toProgressMs),
    seconds(result.toFinalMs),
    result.status,
    result.rows,
    result.reruns === null ? '—' : String(result.reruns),
    result.notes.join('; '),
    result.date.slice(0, 16).replace('T', ' '),
  ]
    .map(cell)
    .join(' | ')} |`;
}

/**
 * Rewrites the section between the markers of bench/results.md (adding the markers at the end
 * when missing). Rows of scenarios that did not run this time (FAULTS filter) are kept as they were.
 */
export function updateResultsFile(path: string, results: ScenarioResult[], order: string[]): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (!text.includes(START_MARKER) || !text.includes(END_MARKER)) {
    text = `${text.replace(/\n*$/, '\n')}\n${START_MARKER}\n${END_MARKER}\n`;
  }
  const start = text.indexOf(START_MARKER) + START_MARKER.length;
  const end = text.indexOf(END_MARKER);
  const previous = new Map<string, string>();
  for (const line of text.slice(start, end).split('\n')) {
    const name = /^\| ([a-z-]+) \|/.exec(line)?.[1];
    if (name && name !== 'scenario') previous.set(name, line);
  }
  const fresh = new Map(results.map((result) => [result.name, row(result)]));
  const lines = order
    .map((name) => fresh.get(name) ?? previous.get(name))
    .filter((line): line is string => Boolean(line));
  const section = [
    '',
    '## Fault suite (`npm run test:faults`)',
    '',
    `Last written ${new Date().toISOString()} by the fault suite, on this machine. Each scenario runs real processes (embedded Postgres, a Temporal dev server on a SQLite file, workers and the API as separate processes) over 5,000 items × 3 stages of \`test.counting\` unless noted, injects its fault mid-run and checks the operation exactly against its ledger rows (item stages, or version 2's outcomes over its frozen scope) and the handlers' own call ledger.`,
    '',
    '"fault → progressing" is the time from the fault to the first growth of the settled item-stage count past its value when the faulty part was back (for a part not restarted: at the fault); "fault → final" is the time to a final status. "re-runs" counts handler calls beyond one per item stage (flaky keys add their retries).',
    '',
    '| scenario | result | fault → progressing | fault → final | final status | item stages | re-runs | notes | run (UTC) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
  ].join('\n');
  writeFileSync(path, `${text.slice(0, start)}${section}${text.slice(end)}`);
}
