import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote } from '../components/ui';
import { pretty } from '../format';
import type { Job } from '../types';
import { useAction } from '../use-api';

/**
 * A job definition as JSON, checked by `POST /v1/jobs/validate` before it may be saved: Save
 * stays off until the text on screen has passed.
 */
export function JobEditor(props: {
  /** A stored definition, or any starting text for a new one: the editor shows it as JSON. */
  initial: object;
  /** The job to update (PUT, a new version); a new job is created (POST) without one. */
  jobId?: string;
  onSaved: (job: Job) => void;
}) {
  const [text, setText] = useState(pretty(props.initial));
  const [validFor, setValidFor] = useState<string>();
  const [parseError, setParseError] = useState<string>();
  const action = useAction();

  /** The text as JSON, or undefined with the reason shown. */
  const parsed = (): unknown => {
    try {
      setParseError(undefined);
      return JSON.parse(text);
    } catch (error) {
      setParseError(
        `The definition is not JSON (${(error as Error).message}): fix it and validate again.`,
      );
      return undefined;
    }
  };

  const validate = () => {
    const body = parsed();
    if (body === undefined) return;
    void action.run(async () => {
      await api('POST', '/v1/jobs/validate', body);
      setValidFor(text);
    });
  };
  const save = () => {
    const body = parsed();
    if (body === undefined) return;
    void action.run(async () => {
      const job = props.jobId
        ? await api<Job>('PUT', `/v1/jobs/${encodeURIComponent(props.jobId)}`, body)
        : await api<Job>('POST', '/v1/jobs', body);
      props.onSaved(job);
    });
  };

  const valid = validFor === text;
  return (
    <div>
      <label>
        Definition (JSON)
        <textarea
          value={text}
          spellcheck={false}
          onInput={(event) => setText(event.currentTarget.value)}
          aria-describedby="job-editor-state"
        />
      </label>
      <p id="job-editor-state" class={valid ? 'note' : 'muted'} aria-live="polite">
        {valid ? 'Valid: the handlers accept this definition.' : 'Validate before saving.'}
      </p>
      <ErrorNote error={parseError ?? action.error} />
      <div class="actions">
        <button type="button" class="secondary" disabled={action.busy} onClick={validate}>
          Validate
        </button>
        <button type="button" disabled={!valid || action.busy} onClick={save}>
          {props.jobId ? 'Save as a new version' : 'Create job'}
        </button>
      </div>
    </div>
  );
}
