import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from './api';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** Reads again, keeping what is shown until the answer comes. */
  reload: () => Promise<void>;
}

/** GETs `path` (again whenever it changes); null waits. Answers to stale paths are dropped. */
export function useApi<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const current = useRef(path);
  current.current = path;

  const reload = useCallback(async () => {
    if (!path) return;
    try {
      const answer = await api<T>('GET', path);
      if (current.current !== path) return;
      setData(answer);
      setError(undefined);
    } catch (thrown) {
      if (current.current !== path) return;
      setError(thrown instanceof ApiError ? thrown : new ApiError(0, String(thrown)));
    }
  }, [path]);

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    void reload();
  }, [reload]);

  return { data, error, reload };
}

/** Runs an action (a POST), holding its error and whether it is under way. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (thrown) {
      setError(thrown instanceof ApiError ? thrown : new ApiError(0, String(thrown)));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}
