import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ConveyorEvent, OperationDetail, StageProgress } from '../client/index';
import { count, duration, isInteractive, printJson } from './output';
import type { Session } from './session';

/** Seconds of history a stage's rate is measured over: recent enough to follow changes. */
const RATE_WINDOW_MS = 15_000;
/** Plain output repeats an unchanged stage at most this often. */
const PLAIN_EVERY_MS = 2_000;

/** Finished item stages of one stage over time, to tell its rate and ETA. */
class StageRate {
  private samples: { at: number; finished: number }[] = [];

  add(finished: number, at = Date.now()) {
    this.samples.push({ at, finished });
    while (this.samples.length > 2 && at - (this.samples[0]?.at ?? at) > RATE_WINDOW_MS) {
      this.samples.shift();
    }
  }

  /** Item stages per second over the window; 0 before two samples. */
  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at === first.at) return 0;
    return ((last.finished - first.finished) * 1000) / (last.at - first.at);
  }
}

const finishedOf = (stage: StageProgress) => stage.done + stage.failed + stage.skipped;

function figures(stage: StageProgress, rate: StageRate) {
  const perSecond = rate.perSecond();
  const left = stage.items - finishedOf(stage);
  // Named apart from cli-progress's own tokens (`total`, `eta`), which it would fill in itself.
  return {
    stage: stage.name,
    done: count(stage.done),
    failures: stage.skipped
      ? `${count(stage.failed)} failed, ${count(stage.skipped)} skipped`
      : `${count(stage.failed)} failed`,
    items: count(stage.items),
    rate: perSecond > 0 ? `${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s` : '-/s',
    timeLeft:
      stage.items === 0
        ? '-'
        : left === 0
          ? 'done'
          : perSecond > 0
            ? duration((left / perSecond) * 1000)
            : '?',
  };
}

/** Live bars in a terminal: one per stage, events logged above them. */
function barsView() {
  const multibar = new MultiBar(
    {
      format: '{stage} |{bar}| {done}/{items} done, {failures} | {rate} | ETA {timeLeft}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
      autopadding: true,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  const rates = new Map<string, StageRate>();
  return {
    progress(operation: OperationDetail) {
      for (const stage of operation.stages) {
        const rate = rates.get(stage.name) ?? new StageRate();
        rates.set(stage.name, rate);
        rate.add(finishedOf(stage));
        const bar = bars.get(stage.name) ?? multibar.create(stage.items, 0, figures(stage, rate));
        bars.set(stage.name, bar);
        bar.setTotal(Math.max(stage.items, 1));
        bar.update(finishedOf(stage), figures(stage, rate));
      }
    },
    event(line: string) {
      multibar.log(`${line}\n`);
    },
    stop() {
      multibar.stop();
    },
  };
}

/** Plain lines when stdout is a file or a pipe: a stage's line when it moved, and events. */
function linesView() {
  const rates = new Map<string, StageRate>();
  const printed = new Map<string, { finished: number; at: number }>();
  return {
    progress(operation: OperationDetail) {
      for (const stage of operation.stages) {
        const rate = rates.get(stage.name) ?? new StageRate();
        rates.set(stage.name, rate);
        const finished = finishedOf(stage);
        rate.add(finished);
        const last = printed.get(stage.name);
        const moved = !last || last.finished !== finished;
        if (!moved || (last && Date.now() - last.at < PLAIN_EVERY_MS && finished < stage.items))
          continue;
        printed.set(stage.name, { finished, at: Date.now() });
        const f = figures(stage, rate);
        process.stdout.write(
          `${f.stage}: ${f.done}/${f.items} done, ${f.failures}, ${f.rate}, ETA ${f.timeLeft}\n`,
        );
      }
    },
    event(line: string) {
      process.stdout.write(`${line}\n`);
    },
    stop() {},
  };
}

function eventLine(event: ConveyorEvent): string | undefined {
  // Progress is what the bars show; chunk-level events are too fine for people.
  if (event.type === 'operation.progress' || event.type.startsWith('chunk.')) return undefined;
  const stage = event.stageName ? ` ${event.stageName}` : '';
  return `${event.createdAt.slice(11, 19)} ${event.type}${stage}`;
}

/**
 * Follows an operation to its end with bars (or plain lines), then prints a summary and the
 * Web UI link; with `--json`, prints only the final operation.
 */
export async function watchAndSummarize(session: Session, id: string): Promise<OperationDetail> {
  if (session.json) {
    const final = await session.client.watchOperation(id);
    printJson(final);
    return final;
  }
  const view = isInteractive() ? barsView() : linesView();
  const interrupted = new AbortController();
  const onSigint = () => interrupted.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    const final = await session.client.watchOperation(id, {
      signal: interrupted.signal,
      onProgress: (operation) => view.progress(operation),
      onEvent: (event) => {
        const line = eventLine(event);
        if (line) view.event(line);
      },
    });
    view.stop();
    printSummary(final);
    return final;
  } catch (error) {
    view.stop();
    if (interrupted.signal.aborted) {
      process.stdout.write(
        `Stopped watching; operation ${id} goes on. Resume with: conveyor ops watch ${id}\n`,
      );
      process.exit(130);
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function printSummary(operation: OperationDetail): void {
  const { counts } = operation;
  const took =
    operation.startedAt && operation.finishedAt
      ? Date.parse(operation.finishedAt) - Date.parse(operation.startedAt)
      : Number.NaN;
  const lines = [
    `Operation ${operation.id} ${operation.status}: ${count(counts.done)} done, ${count(counts.failed)} failed, ${count(counts.skipped)} skipped of ${count(counts.items)} items${Number.isNaN(took) ? '' : ` in ${duration(took)}`}.`,
  ];
  for (const cost of operation.costs) {
    lines.push(
      `  cost ${cost.stageName}: ${cost.amount} ${cost.unit} over ${count(cost.items)} items`,
    );
  }
  if (operation.error) lines.push(`  error: ${operation.error}`);
  if (counts.failed > 0) {
    lines.push(
      `  failed items: conveyor ops show ${operation.id} --failed; retry them: conveyor ops retry ${operation.id}`,
    );
  }
  lines.push(
    `  Web UI: ${operation.temporal.uiUrl ?? '(unknown: set TEMPORAL_UI_URL on the API)'}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
