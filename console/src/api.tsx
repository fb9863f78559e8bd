/**
 * The console's one way to the API: same origin, `Authorization: Bearer <key>`, problems
 * turned into errors that say what to do next.
 */

const KEY_STORAGE = 'conveyor.apiKey';

/** The key lives for the browser session only (sessionStorage), never in the URL or a cookie. */
export const session = {
  key: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  signIn: (key: string) => sessionStorage.setItem(KEY_STORAGE, key),
  signOut: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** An RFC 9457 problem as the API sends it. */
interface ProblemBody {
  title?: string;
  detail?: string;
  invalid_params?: { name: string; reason: string }[];
}

/** A failed call, with a message a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly invalidParams: { name: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

/** What to do next after each kind of refusal; the API's own detail comes first. */
function advice(status: number, problem: ProblemBody): string {
  const said = problem.detail ?? problem.title ?? `HTTP ${status}`;
  switch (status) {
    case 401:
      return 'The API key is wrong or was revoked: sign in again with the admin key `npm start` printed (also in .data/admin-key).';
    case 403:
      return `${said} Sign in with a key that has that role.`;
    case 404:
      return `${said} It may have been deleted: go back to the list and reload.`;
    case 429:
    case 503:
      return `${said} Try again in a few seconds.`;
    default:
      return said;
  }
}

/** Called when a key is refused, so the page can go back to sign-in. */
let onUnauthorized: (message: string) => void = () => {};
export function whenUnauthorized(handler: (message: string) => void) {
  onUnauthorized = handler;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${session.key() ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'Cannot reach the Conveyor API: check that `npm start` is still running, then try again.',
    );
  }
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (parsed ?? {}) as ProblemBody;
    const error = new ApiError(
      response.status,
      advice(response.status, problem),
      problem.invalid_params,
    );
    if (response.status === 401) onUnauthorized(error.message);
    throw error;
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

/** A query string from the fields that are set. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
