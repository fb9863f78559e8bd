/** How numbers and times read on every page. */

const numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const rates = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });
const money = new Intl.NumberFormat('en', { maximumFractionDigits: 4 });

export const formatNumber = (value: number) => numbers.format(value);
export const formatAmount = (value: number) => money.format(value);
/** Rates span orders of magnitude (a quiet day, a fast stage): three significant digits. */
export const formatRate = (value: number) => rates.format(value);

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${numbers.format(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A timestamp in the reader's locale and time zone; the ISO form in its tooltip. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}

/** Time between two timestamps, the second one being now when missing. */
export function elapsed(from: string | null, to: string | null): string {
  if (!from) return '—';
  return formatDuration((to ? Date.parse(to) : Date.now()) - Date.parse(from));
}

export const percent = (part: number, whole: number) =>
  whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 0;

/** JSON for a <pre>: two-space indent, long strings kept. */
export const pretty = (value: unknown) => JSON.stringify(value, null, 2);
