import { useState } from 'preact/hooks';
import { OPERATION_STATUSES } from '../types';

/** The filters of GET /v1/operations, as the page's query string holds them. */
export const FILTER_NAMES = [
  'status',
  'job',
  'collectionId',
  'scope',
  'requestedBy',
  'requestedFor',
  'priority',
  'createdAfter',
  'createdBefore',
] as const;
export type Filters = Partial<Record<(typeof FILTER_NAMES)[number], string>>;

export function filtersFrom(search: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = search.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

/** `datetime-local` speaks local time without a zone; the API wants ISO 8601. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string | undefined) => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The filter form; applying it puts the filters in the address (so a view can be shared). */
export function OperationFilters(props: { filters: Filters; onApply: (filters: Filters) => void }) {
  const [draft, setDraft] = useState<Filters>(props.filters);
  const statuses = new Set((draft.status ?? '').split(',').filter(Boolean));
  const set = (name: keyof Filters, value: string) => setDraft({ ...draft, [name]: value });
  const toggle = (status: string, on: boolean) => {
    if (on) statuses.add(status);
    else statuses.delete(status);
    set('status', [...statuses].join(','));
  };

  return (
    <form
      class="filters"
      aria-label="Filter operations"
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply(Object.fromEntries(Object.entries(draft).filter(([, value]) => value)));
      }}
    >
      <fieldset class="statuses">
        <legend>Status</legend>
        {OPERATION_STATUSES.map((status) => (
          <label key={status} class="check">
            <input
              type="checkbox"
              checked={statuses.has(status)}
              onChange={(event) => toggle(status, event.currentTarget.checked)}
            />
            {status}
          </label>
        ))}
      </fieldset>
      <label>
        Job (name or id)
        <input value={draft.job ?? ''} onInput={(e) => set('job', e.currentTarget.value)} />
      </label>
      <label>
        Collection id
        <input
          value={draft.collectionId ?? ''}
          onInput={(e) => set('collectionId', e.currentTarget.value.trim())}
        />
      </label>
      <label>
        Scope
        <select value={draft.scope ?? ''} onChange={(e) => set('scope', e.currentTarget.value)}>
          <option value="">any</option>
          <option value="collection">collection</option>
          <option value="items">items</option>
          <option value="global">global</option>
        </select>
      </label>
      <label>
        Requested by
        <input
          value={draft.requestedBy ?? ''}
          onInput={(e) => set('requestedBy', e.currentTarget.value)}
        />
      </label>
      <label>
        Requested for
        <input
          value={draft.requestedFor ?? ''}
          onInput={(e) => set('requestedFor', e.currentTarget.value)}
        />
      </label>
      <label>
        Priority
        <select
          value={draft.priority ?? ''}
          onChange={(e) => set('priority', e.currentTarget.value)}
        >
          <option value="">any</option>
          {[1, 2, 3, 4, 5].map((priority) => (
            <option key={priority} value={String(priority)}>
              {priority}
            </option>
          ))}
        </select>
      </label>
      <label>
        Created after
        <input
          type="datetime-local"
          value={toLocal(draft.createdAfter)}
          onInput={(e) => set('createdAfter', toIso(e.currentTarget.value))}
        />
      </label>
      <label>
        Created before
        <input
          type="datetime-local"
          value={toLocal(draft.createdBefore)}
          onInput={(e) => set('createdBefore', toIso(e.currentTarget.value))}
        />
      </label>
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft({});
            props.onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
