/** Seconds and batches per phase of the batch activity, from a worker's Prometheus scrape. */
export type BatchPhases = Record<string, { seconds: number; batches: number }>;

export async function scrapeBatchPhases(metricsUrl: string): Promise<BatchPhases> {
  const text = await (await fetch(metricsUrl)).text();
  const phases: BatchPhases = {};
  for (const line of text.split('\n')) {
    const match = /^conveyor_batch_phase_seconds_(sum|count)\{phase="(\w+)"\} ([\d.e+-]+)$/.exec(
      line,
    );
    if (!match) continue;
    const [, kind, phase, value] = match as unknown as [string, string, string, string];
    phases[phase] ??= { seconds: 0, batches: 0 };
    if (kind === 'sum') phases[phase].seconds = Number(value);
    else phases[phase].batches = Number(value);
  }
  return phases;
}

export function phasesBetween(before: BatchPhases, after: BatchPhases): BatchPhases {
  return Object.fromEntries(
    Object.entries(after).map(([phase, figures]) => [
      phase,
      {
        seconds: figures.seconds - (before[phase]?.seconds ?? 0),
        batches: figures.batches - (before[phase]?.batches ?? 0),
      },
    ]),
  );
}
