const DAY = 86_400;

/**
 * The values one cron field names within `[low, high]`: `*`, values, ranges and steps
 * (`a/s` runs to `high`), comma-separated. A range that runs backwards names nothing here;
 * Temporal refuses it when the schedule is made.
 */
function fieldValues(field: string, low: number, high: number): number[] {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [from, to] =
      range === '*'
        ? [low, high]
        : range.includes('-')
          ? range.split('-').map(Number)
          : [Number(range), stepText ? high : Number(range)];
    if (from === undefined || to === undefined || !(step > 0)) continue;
    for (let value = Math.max(from, low); value <= Math.min(to, high); value += step) {
      values.add(value);
    }
  }
  return [...values].sort((a, b) => a - b);
}

/** A schedule's times, as the gap check reads them. */
export interface ScheduleTimes {
  /** Five-field cron expressions, all in one time zone. */
  cron?: string[];
  /** Runs every `every` seconds from the Unix epoch plus `offset` seconds. */
  intervals?: { every: number; offset: number }[];
  /** How far the cron's time zone is ahead of UTC, in seconds (now: daylight saving aside). */
  zoneOffsetSeconds: number;
}

/** The minutes of the day a cron expression runs at: its minutes at each of its hours. */
function cronTimesOfDay(expression: string): number[] {
  const [minuteField = '', hourField = ''] = expression.trim().split(/\s+/);
  const minutes = fieldValues(minuteField, 0, 59);
  return fieldValues(hourField, 0, 23).flatMap((hour) =>
    minutes.map((minute) => hour * 60 + minute),
  );
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The closest two runs of progressions `a + k·p` and `b + m·q` can be: a multiple of
 * gcd(p, q) apart, the smallest being the remainder of `a - b` either way; when they meet, the
 * next pair is the gcd apart (a time both name is one run).
 */
function progressionsGap(a: number, p: number, b: number, q: number): number {
  const g = gcd(p, q);
  const r = (((a - b) % g) + g) % g;
  return r === 0 ? g : Math.min(r, g - r);
}

/**
 * The shortest time, in seconds, between two runs of a schedule, over all its cron expressions
 * and intervals together. A cron's day fields are read as running every day, and its time zone at
 * its offset now: the result is exact when two days in a row both run and otherwise a bound
 * below the true gap, the safe side for a quota. Undefined when the spec names no time.
 */
export function shortestGapSeconds(spec: ScheduleTimes): number | undefined {
  const times = [...new Set((spec.cron ?? []).flatMap(cronTimesOfDay))]
    .sort((a, b) => a - b)
    .map((minute) => minute * 60 - spec.zoneOffsetSeconds);
  const intervals = spec.intervals ?? [];
  const gaps: number[] = intervals.map(({ every }) => every);
  // Cron times recur daily: the closest two are neighbours, the last and the next day's first too.
  const [first, last] = [times[0], times.at(-1)];
  if (first !== undefined && last !== undefined) gaps.push(first + DAY - last);
  for (let index = 1; index < times.length; index += 1) {
    gaps.push((times[index] ?? 0) - (times[index - 1] ?? 0));
  }
  for (const [index, one] of intervals.entries()) {
    for (const other of intervals.slice(index + 1)) {
      gaps.push(progressionsGap(one.offset, one.every, other.offset, other.every));
    }
    for (const time of times) gaps.push(progressionsGap(time, DAY, one.offset, one.every));
  }
  return gaps.length > 0 ? gaps.reduce((a, b) => Math.min(a, b)) : undefined;
}
