import { describe, expect, it } from 'vitest';
import { shortestGapSeconds } from '../common/schedule-gap';

const gap = (cron?: string[], intervals?: { every: number; offset: number }[], zone = 0) =>
  shortestGapSeconds({ cron, intervals, zoneOffsetSeconds: zone });

describe('the shortest gap between a schedule’s runs', () => {
  it('reads a cron’s minutes and hours, the last run of a day and the next day’s first', () => {
    expect(gap(['* * * * *'])).toBe(60);
    expect(gap(['*/7 * * * *'])).toBe(4 * 60);
    expect(gap(['0 3 * * *'])).toBe(86_400);
    expect(gap(['0 3,23 * * *'])).toBe(4 * 3600);
    expect(gap(['15 0-6/2 * * 1-5'])).toBe(2 * 3600);
    expect(gap(['5/20 * * * *'])).toBe(20 * 60);
    expect(gap(['0,30 9-17 * * *'])).toBe(30 * 60);
  });

  it('takes every expression and interval of a spec together', () => {
    expect(gap(['0 * * * *', '59 * * * *'])).toBe(60);
    expect(gap(undefined, [{ every: 3600, offset: 0 }])).toBe(3600);
    expect(
      gap(undefined, [
        { every: 7200, offset: 0 },
        { every: 7200, offset: 1 },
      ]),
    ).toBe(1);
    expect(
      gap(undefined, [
        { every: 7200, offset: 0 },
        { every: 10_800, offset: 0 },
      ]),
    ).toBe(3600);
    expect(gap(['0 * * * *'], [{ every: 7200, offset: 1800 }])).toBe(1800);
    // The zone moves a cron against an interval counted from the epoch in UTC.
    expect(gap(['0 0 * * *'], [{ every: 86_400, offset: 0 }], 0)).toBe(86_400);
    expect(gap(['0 0 * * *'], [{ every: 86_400, offset: 0 }], 1800)).toBe(1800);
  });

  it('names no gap for a spec that names no time (a backwards range)', () => {
    expect(gap(['0 20-7 * * *'])).toBeUndefined();
    expect(gap([], [])).toBeUndefined();
  });
});
