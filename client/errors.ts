import type { components } from './schema';

export type Problem = components['schemas']['Problem'];

/** What to do next, by problem type, when the API's own `detail` does not say it. */
const NEXT_STEP: Record<string, string> = {
  unauthorized: 'check the API key (--key or CONVEYOR_API_KEY)',
  forbidden: 'use a key with a higher role',
  unavailable: 'retry in a few seconds, or run `conveyor doctor`',
};

/** An answer of the API that is not a success, with its problem+json body when it sent one. */
export class ConveyorApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly path: string,
  ) {
    super(describeProblem(status, problem, path));
    this.name = 'ConveyorApiError';
  }
}

/** The API could not be reached at all (refused, reset, timed out, bad address). */
export class ConveyorUnreachableError extends Error {
  /** The socket's error code (ECONNREFUSED, ENOTFOUND, …) or message, when known. */
  readonly reason: string | undefined;

  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const reason = causeCode(cause);
    super(
      `Cannot reach the Conveyor API at ${url}${reason ? ` (${reason})` : ''}; check that it runs (conveyor start) and that --url or CONVEYOR_URL names it.`,
      { cause },
    );
    this.name = 'ConveyorUnreachableError';
    this.reason = reason;
  }
}

function causeCode(error: unknown): string | undefined {
  // undici wraps the socket error: `fetch failed` with `cause.code` ECONNREFUSED and the like.
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error | undefined)?.message;
}

/** One line: status and title, the detail, the invalid fields, and a next step. */
export function describeProblem(status: number, problem: Problem | undefined, where: string) {
  if (!problem) return `${where} answered ${status} without a problem description.`;
  const parts = [`${problem.title} (${status})`];
  if (problem.detail) parts.push(problem.detail);
  const fields = problem.invalid_params?.map((param) => `${param.name}: ${param.reason}`);
  if (fields?.length) parts.push(`fields: ${fields.join('; ')}`);
  const kind = problem.type.split('/').pop() ?? '';
  const next = NEXT_STEP[kind];
  if (next && !problem.detail?.includes(next)) parts.push(next);
  return parts.join(' — ');
}
