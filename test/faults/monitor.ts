import type postgres from 'postgres';
import { FINAL_STATUSES } from './client';

interface Sample {
  at: number;
  settled: number;
  status: string;
}

/**
 * Samples an operation's status and settled item stages (done, failed or skipped rows) straight
 * from Postgres every 100 ms, through faults: a failed read is a gap, not an error. Recovery
 * times are read off the samples afterwards.
 */
export class ProgressMonitor {
  private readonly samples: Sample[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly sql: postgres.Sql,
    private readonly operationId: string,
  ) {
    this.loop = this.run();
  }

  private async run() {
    while (!this.stopped) {
      try {
        const query = this.sql`
          select o.status,
            (select count(*) from item_stages s where s.operation_id = o.id
              and s.status in ('done', 'failed', 'skipped'))
            + (select count(*) from outcomes s where s.operation_key = o.key) as settled
          from operations o where o.id = ${this.operationId}`;
        query.catch(() => {});
        // A read that hangs (a half-dead connection) must not stall the sampling.
        const [row] = await Promise.race([
          query,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('slow')), 3_000)),
        ]);
        if (row)
          this.samples.push({ at: Date.now(), settled: Number(row.settled), status: row.status });
      } catch {
        // Postgres down or restarting: a gap in the samples.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  latest(): Sample | undefined {
    return this.samples.at(-1);
  }

  /** Waits until a sample satisfies `done`; returns it. */
  async waitFor(done: (sample: Sample) => boolean, what: string, timeoutMs = 300_000) {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.samples.length; seen++) {
        const sample = this.samples[seen] as Sample;
        if (done(sample)) return sample;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; last sample ${JSON.stringify(this.latest())}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  waitForFinal(timeoutMs = 300_000) {
    return this.waitFor((s) => FINAL_STATUSES.includes(s.status), 'a final status', timeoutMs);
  }

  /**
   * From `faultAt`: ms until the settled count grew past its first value read at or after
   * `restoredAt` (when the faulty part was back, or the fault itself if nothing restarts), and
   * ms until a final status. Null where it never happened.
   */
  recovery(faultAt: number, restoredAt = faultAt) {
    const after = this.samples.filter((s) => s.at >= restoredAt);
    const baseline = after[0];
    const moved = baseline ? after.find((s) => s.settled > baseline.settled) : undefined;
    const final = this.samples.find((s) => s.at >= faultAt && FINAL_STATUSES.includes(s.status));
    return {
      toProgressMs: moved ? moved.at - faultAt : null,
      toFinalMs: final ? final.at - faultAt : null,
    };
  }

  async stop() {
    this.stopped = true;
    await this.loop;
  }
}
