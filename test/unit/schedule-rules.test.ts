import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { Conflict, InvalidInput, NotFound, QuotaExceeded } from '../../common/domain-errors';
import { QUOTA_DEFAULTS } from '../../common/quotas';
import { refuseShortInterval } from '../../schedules/quotas';
import { durationMs, type ScheduleSpecInput } from '../../schedules/spec';
import { orMissing, overlapPolicy, specRefused, temporalSpec } from '../../schedules/temporal';

// The schedule rules that need neither Temporal nor Postgres; the routes' answers to them are
// asserted end to end in test/schedules.test.ts and test/security/quotas.test.ts.

const spec = (fields: Partial<ScheduleSpecInput>): ScheduleSpecInput => ({
  timezone: 'UTC',
  ...fields,
});

const thrownBy = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
};

describe('a schedule spec as Temporal takes it', () => {
  it('reads durations in seconds, minutes, hours and days', () => {
    expect([durationMs('90s'), durationMs('5m'), durationMs('2h'), durationMs('1d')]).toEqual([
      90_000, 300_000, 7_200_000, 86_400_000,
    ]);
  });

  it('carries cron, intervals, zone, bounds and jitter over', () => {
    expect(
      temporalSpec(
        spec({
          cron: ['0 3 * * *'],
          intervals: [{ every: '1h', offset: '5m' }],
          timezone: 'Europe/Paris',
          startAt: '2030-01-01T00:00:00Z',
          endAt: '2031-01-01T00:00:00Z',
          jitter: '30s',
        }),
      ),
    ).toEqual({
      cronExpressions: ['0 3 * * *'],
      intervals: [{ every: 3_600_000, offset: 300_000 }],
      timezone: 'Europe/Paris',
      startAt: new Date('2030-01-01T00:00:00Z'),
      endAt: new Date('2031-01-01T00:00:00Z'),
      jitter: 30_000,
    });
  });

  it('needs cron or intervals, naming spec.cron', () => {
    const error = thrownBy(() => temporalSpec(spec({})));
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).fields.map((field) => field.name)).toEqual(['spec.cron']);
  });

  it('refuses an offset not shorter than its interval, naming that interval', () => {
    const error = thrownBy(() =>
      temporalSpec(
        spec({
          intervals: [
            { every: '1h', offset: '59m' },
            { every: '1h', offset: '1h' },
          ],
        }),
      ),
    );
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).fields?.map((field) => field.name)).toEqual([
      'spec.intervals[1].offset',
    ]);
  });

  it('refuses an end that is not after the start, naming spec.endAt', () => {
    const at = '2030-01-01T00:00:00Z';
    const error = thrownBy(() =>
      temporalSpec(spec({ cron: ['0 3 * * *'], startAt: at, endAt: at })),
    );
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).fields?.map((field) => field.name)).toEqual(['spec.endAt']);
  });

  it('maps each overlap policy to Temporal’s', () => {
    expect(overlapPolicy('skip')).toBe(ScheduleOverlapPolicy.SKIP);
    expect(overlapPolicy('buffer_one')).toBe(ScheduleOverlapPolicy.BUFFER_ONE);
    expect(overlapPolicy('allow_all')).toBe(ScheduleOverlapPolicy.ALLOW_ALL);
  });
});

describe('Temporal’s answers, as the domain says them', () => {
  it('a spec Temporal refuses is invalid input naming spec; anything else passes through', () => {
    const refused = thrownBy(() => specRefused(new TypeError('DayOfMonth End is before Start')));
    expect(refused).toBeInstanceOf(InvalidInput);
    expect((refused as InvalidInput).fields).toEqual([
      { name: 'spec', reason: 'Temporal refused it: DayOfMonth End is before Start' },
    ]);
    const other = new Error('connection reset');
    expect(thrownBy(() => specRefused(other))).toBe(other);
  });

  it('a schedule gone from Temporal is not found by its id; anything else passes through', () => {
    const gone = thrownBy(() => orMissing('sch-1')(new ScheduleNotFoundError('gone', 'sch-1')));
    expect(gone).toBeInstanceOf(NotFound);
    expect((gone as NotFound).resource).toEqual({ kind: 'schedule', id: 'sch-1' });
    const other = new Error('deadline exceeded');
    expect(thrownBy(() => orMissing('sch-1')(other))).toBe(other);
  });
});

describe('the shortest-interval quota', () => {
  const quotas = { ...QUOTA_DEFAULTS, scheduleIntervalSeconds: 300 };

  it('lets runs spaced at the quota through', () => {
    expect(() => refuseShortInterval(quotas, spec({ cron: ['*/5 * * * *'] }))).not.toThrow();
    expect(() => refuseShortInterval(quotas, spec({ intervals: [{ every: '5m' }] }))).not.toThrow();
  });

  it('refuses runs closer than the quota, saying how close', () => {
    const error = thrownBy(() =>
      refuseShortInterval(
        quotas,
        spec({ intervals: [{ every: '1h' }, { every: '1h', offset: '2m' }] }),
      ),
    );
    expect(error).toBeInstanceOf(QuotaExceeded);
    expect(error).toMatchObject({ quota: 'scheduleIntervalSeconds', limit: 300 });
    expect((error as QuotaExceeded).reason).toContain('120 s apart');
  });
});
