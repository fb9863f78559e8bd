import { useState } from 'preact/hooks';
import { ApiError, api, session } from './api';
import { ErrorNote } from './components/ui';

/**
 * Asks for an API key and checks it with one read before keeping it for this browser
 * session (sessionStorage: closing the tab forgets it).
 */
export function SignIn(props: { reason?: string; onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | string | undefined>(props.reason);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    session.signIn(key.trim());
    try {
      await api('GET', '/v1/operations?limit=1');
      props.onSignedIn();
    } catch (thrown) {
      session.signOut();
      setError(thrown instanceof ApiError ? thrown : String(thrown));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <h1>Conveyor console</h1>
      <form onSubmit={submit} class="card">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="current-password"
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" class="muted">
          The admin key <code>npm start</code> printed (also in <code>.data/admin-key</code>), or
          any key of your tenant. It is kept for this browser tab only.
        </p>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
