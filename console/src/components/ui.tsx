/** Small pieces every page uses: status, progress, errors, times. */
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';
import { formatTime, percent } from '../format';

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status.replace('_', ' ')}</span>;
}

/**
 * A progress bar with its numbers in text: the bar is a `<progress>` element, so screen readers
 * announce it, and the label says the same.
 */
export function ProgressBar(props: {
  done: number;
  failed?: number;
  total: number;
  label: string;
}) {
  const finished = props.done + (props.failed ?? 0);
  const value = percent(finished, props.total);
  return (
    <div class="progress">
      <progress
        max={100}
        value={value}
        aria-label={props.label}
        class={props.failed ? 'has-failures' : ''}
      />
      <span class="progress-text">
        {value}% · {finished}/{props.total}
        {props.failed ? ` (${props.failed} failed)` : ''}
      </span>
    </div>
  );
}

/** An error the page cannot get past by itself; its message says what to do. */
export function ErrorNote({ error }: { error: ApiError | string | undefined }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  const fields = typeof error === 'string' ? [] : error.invalidParams;
  return (
    <div class="error" role="alert">
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field) => (
            <li key={field.name}>
              <code>{field.name}</code>: {field.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span>—</span>;
  return <time dateTime={at}>{formatTime(at)}</time>;
}

export function Section(props: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={props.title}>
      <header class="card-head">
        <h2>{props.title}</h2>
        {props.actions && <div class="actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

/** A table that scrolls sideways on a phone instead of squeezing its columns. */
export function Table(props: { caption: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        {props.children}
      </table>
    </div>
  );
}

/** Rows a list asks for at first; "Show more" asks for this many more. */
export const PAGE = 50;

/** Grows a list by a page while the API says there is more, up to `max` rows. */
export function ShowMore(props: {
  more: boolean;
  limit: number;
  max: number;
  onMore: (limit: number) => void;
}) {
  if (!props.more || props.limit >= props.max) return null;
  return (
    <button type="button" class="secondary" onClick={() => props.onMore(props.limit + PAGE)}>
      Show {PAGE} more
    </button>
  );
}
