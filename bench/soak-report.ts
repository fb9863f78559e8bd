import { cpus, totalmem } from 'node:os';
import type { OpRecord, Sample } from './soak-load';
import type { Reconciliation } from './soak-reconcile';
import { fmt } from './soak-support';
import { percentile } from './stats';

export interface RssSample {
  seconds: number;
  workerMb: number;
  apiMb: number;
}

export interface SoakFigures {
  date: string;
  temporalVersion: string;
  settings: Record<string, string | number>;
  plannedMinutes: number;
  loadSeconds: number;
  drainSeconds: number;
  drained: boolean;
  ops: OpRecord[];
  startFailures: string[];
  samples: Sample[];
  apiErrors: string[];
  rss: RssSample[];
  reconciliation: Reconciliation;
  logs: { name: string; file: string; kinds: [string, number][] }[];
}

/** Memory is flat when the last sample is within this fraction above the one-minute sample. */
export const FLAT_TOLERANCE = 0.15;

export interface MemoryVerdict {
  baseline: number;
  end: number;
  max: number;
  flat: boolean;
  /** Least-squares slope from the one-minute sample on, MB per 10 minutes. */
  slopePer10Min: number;
}

export function memoryVerdict(rss: RssSample[], pick: (s: RssSample) => number): MemoryVerdict {
  const valid = rss.filter((s) => Number.isFinite(pick(s)));
  const after = valid.filter((s) => s.seconds >= 60);
  const base = after[0] ?? valid[0];
  const last = valid.at(-1);
  const baseline = base ? pick(base) : Number.NaN;
  const end = last ? pick(last) : Number.NaN;
  const n = after.length;
  let slope = Number.NaN;
  if (n >= 2) {
    const mx = after.reduce((s, p) => s + p.seconds, 0) / n;
    const my = after.reduce((s, p) => s + pick(p), 0) / n;
    const sxy = after.reduce((s, p) => s + (p.seconds - mx) * (pick(p) - my), 0);
    const sxx = after.reduce((s, p) => s + (p.seconds - mx) ** 2, 0);
    slope = sxx > 0 ? (sxy / sxx) * 600 : Number.NaN;
  }
  return {
    baseline,
    end,
    max: Math.max(...valid.map(pick)),
    flat: end <= baseline * (1 + FLAT_TOLERANCE),
    slopePer10Min: slope,
  };
}

const ms = (values: number[], p: number) => `${fmt(percentile(values, p), 1)} ms`;

function latencyTable(samples: Sample[]): string[] {
  const routes = new Map<string, Sample[]>();
  for (const sample of samples) {
    const list = routes.get(sample.route) ?? [];
    list.push(sample);
    routes.set(sample.route, list);
  }
  const failed = (s: Sample) => !(s.status >= 200 && s.status < 300) && !s.expected;
  const lines = [
    '| route | requests | errors | expected 409 | p50 | p95 | p99 |',
    '| ----- | -------: | -----: | -----------: | --: | --: | --: |',
  ];
  for (const [route, list] of [...routes].sort((a, b) => b[1].length - a[1].length)) {
    const times = list.map((s) => s.ms);
    lines.push(
      `| ${route} | ${fmt(list.length)} | ${fmt(list.filter(failed).length)} | ${fmt(list.filter((s) => s.expected).length)} | ${ms(times, 50)} | ${ms(times, 95)} | ${ms(times, 99)} |`,
    );
  }
  return lines;
}

export function renderSoakReport(f: SoakFigures): string {
  const r = f.reconciliation;
  const times = f.samples.map((s) => s.ms);
  const failures = f.samples.filter((s) => !(s.status >= 200 && s.status < 300) && !s.expected);
  const expected409 = f.samples.filter((s) => s.expected).length;
  const worker = memoryVerdict(f.rss, (s) => s.workerMb);
  const api = memoryVerdict(f.rss, (s) => s.apiMb);
  const processed = r.itemStages.done + r.itemStages.failed + r.itemStages.skipped;
  const seconds = f.loadSeconds + f.drainSeconds;
  const count = (pred: (op: OpRecord) => boolean) => f.ops.filter(pred).length;
  const cpu = cpus();
  const memLine = (name: string, v: MemoryVerdict) =>
    `| ${name} | ${fmt(v.baseline)} MB | ${fmt(v.end)} MB | ${fmt(v.max)} MB | ${fmt(v.slopePer10Min, 1)} MB | ${v.flat ? 'flat' : '**NOT flat**'} |`;
  const byPlan = (action: string) => count((op) => op.plan.action === action);
  return [
    '# Conveyor soak',
    '',
    `Written by \`npm run soak\` (bench/soak.ts) on ${f.date}. Not part of CI.`,
    '',
    '## Machine and settings',
    '',
    `- ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'} (shared with other work), ${fmt(totalmem() / 2 ** 30, 1)} GiB memory, Node ${process.version}, ${f.temporalVersion}`,
    `- duration: ${f.plannedMinutes} min of load (${fmt(f.loadSeconds)} s), then ${fmt(f.drainSeconds)} s draining${f.drained ? '' : ' (**the drain timed out**)'}`,
    ...Object.entries(f.settings).map(([key, value]) => `- ${key}: ${value}`),
    '',
    '## Operations',
    '',
    `${fmt(f.ops.length)} started (${fmt(f.startFailures.length)} start requests failed). Planned actions: none ${byPlan('none')}, cancel ${byPlan('cancel')}, pause then resume ${byPlan('pause')}, pause then cancel while paused ${byPlan('pause-cancel')}. Accepted: ${count((op) => op.actions.includes('pause'))} pauses, ${count((op) => op.actions.includes('resume'))} resumes, ${count((op) => op.actions.includes('cancel'))} cancels; ${count((op) => op.late.length > 0)} operations had finished before their pause or cancel (expected 409).`,
    '',
    '| final status (Postgres) | operations |',
    '| ----------------------- | ---------: |',
    ...Object.entries(r.byStatus).map(([status, n]) => `| ${status} | ${fmt(n)} |`),
    '',
    `Temporal: ${Object.entries(r.temporalByStatus)
      .map(([status, n]) => `${status} ${fmt(n)}`)
      .join(
        ', ',
      )} (operation workflows); ${fmt(r.workflowsListed)} workflow runs in all, chunks and continued runs included.`,
    '',
    `Item stages: ${fmt(r.itemStages.done)} done, ${fmt(r.itemStages.failed)} failed, ${fmt(r.itemStages.skipped)} skipped (${fmt(processed)} finished of ${fmt(r.itemStages.total)} rows): **${fmt(processed / seconds)} item-stages/s** mean over load and drain.`,
    '',
    `Longest workflow history: **${fmt(r.longestHistory.length)} events** (${r.longestHistory.workflowId}).`,
    '',
    '## API',
    '',
    `${fmt(f.samples.length)} requests; ${fmt(failures.length)} errors (non-2xx or no answer, expected 409s excluded): **error rate ${fmt((100 * failures.length) / Math.max(1, f.samples.length), 3)}%**; ${fmt(expected409)} expected 409s (pause or cancel of an operation that had just finished). Latency over all requests: p50 ${ms(times, 50)}, p95 ${ms(times, 95)}, p99 ${ms(times, 99)}.`,
    '',
    ...latencyTable(f.samples),
    ...(f.apiErrors.length
      ? ['', 'Unexpected answers (first 50):', '', ...f.apiErrors.map((e) => `- \`${e}\``)]
      : []),
    ...(f.startFailures.length
      ? ['', 'Failed starts:', '', ...f.startFailures.slice(0, 50).map((e) => `- \`${e}\``)]
      : []),
    '',
    '## Memory (VmRSS, sampled every 30 s)',
    '',
    `Flat means the last sample is at most ${FLAT_TOLERANCE * 100}% above the sample taken after one minute (warm-up).`,
    '',
    '| process | after 1 min | end | max | slope per 10 min | verdict |',
    '| ------- | ----------: | --: | --: | ---------------: | ------- |',
    memLine('worker', worker),
    memLine('API', api),
    '',
    `Series (s: worker MB / API MB): ${f.rss.map((s) => `${s.seconds}: ${fmt(s.workerMb)}/${fmt(s.apiMb)}`).join(', ')}`,
    '',
    '## Final reconciliation',
    '',
    'For each operation in Postgres: no item stage pending or in_progress unless cancelled (and none in_progress if cancelled); items_done / items_failed / items_skipped equal the item stages (done = last-stage done; failed = items with a failed row; skipped = last-stage skipped of items with no failed row); item_stages rows = items_total × stages with one row per item and stage; items_total = the items the soak scoped; exactly one operation.created, at most one operation.started and exactly one terminal event, matching the status; completed unless the soak cancelled it; a completed one failed exactly its failKeys in scope (flaky keys recover); the status the API gave when its workflow closed equals the final one; Postgres status = Temporal workflow status; no workflow run left RUNNING.',
    '',
    `**${fmt(r.checked)} operations checked, ${fmt(r.mismatched)} with a mismatch.**`,
    ...(r.mismatches.length ? ['', ...r.mismatches.slice(0, 200).map((m) => `- \`${m}\``)] : []),
    ...(r.mismatches.length > 200 ? [`- … and ${r.mismatches.length - 200} more`] : []),
    ...r.evidence.flatMap(([id, lines]) => ['', `Evidence for ${id}:`, '', '```', ...lines, '```']),
    '',
    '## Process logs',
    '',
    ...f.logs.flatMap((log) => [
      `${log.name} (whole log in \`${log.file}\`), entries by kind:`,
      '',
      ...(log.kinds.length
        ? log.kinds.map(([kind, n]) => `- ${fmt(n)} × \`${kind}\``)
        : ['- none']),
      '',
    ]),
    '## Events by type',
    '',
    '| type | count |',
    '| ---- | ----: |',
    ...r.events.map((e) => `| ${e.type} | ${fmt(e.count)} |`),
    '',
  ].join('\n');
}
