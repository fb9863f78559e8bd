import { ServiceError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../common/config';
import { StartError } from '../common/start-error';
import { migrateDatabase } from '../db/client';
import { connectTemporal, lazyTemporalClient } from '../runtime/api-server';
import { freePort } from '../runtime/ports';
import {
  type Dependency,
  isTemporalNotReadyYet,
  postgresDependency,
  temporalDependency,
  waitOut,
} from '../runtime/waiting';
import { installQuietRuntime } from '../worker/create-worker';

/**
 * Which failures a starting process waits out and which end its start, read from the errors
 * the real drivers throw; and how the wait goes. No Conveyor is started here.
 */

const closing: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closing) await close();
});

/** What `attempt` throws. */
async function thrown(attempt: () => Promise<unknown>): Promise<unknown> {
  try {
    await attempt();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function withPath(url: string, change: (url: URL) => void): string {
  const changed = new URL(url);
  change(changed);
  return changed.toString();
}

describe('Postgres at start', () => {
  it('is waited for while nothing listens at its address', async () => {
    const url = `postgres://conveyor:secret@127.0.0.1:${await freePort()}/conveyor`;
    const error = await thrown(() => migrateDatabase(url));
    expect(postgresDependency(url).passes(error)).toBe(true);
    expect(postgresDependency(url).name).toMatch(/^Postgres at 127\.0\.0\.1:\d+$/);
  });

  it('ends the start on a refused password or a missing database', async () => {
    const template = inject('postgresUrlTemplate');
    const badPassword = withPath(template, (url) => {
      url.password = 'not-the-password';
    });
    const noDatabase = withPath(template, (url) => {
      url.pathname = '/no_such_database';
    });
    for (const url of [badPassword, noDatabase]) {
      expect(postgresDependency(url).passes(await thrown(() => migrateDatabase(url)))).toBe(false);
    }
  });

  it('ends the start on our own refusals', () => {
    const url = 'postgres://a@127.0.0.1:5432/b';
    expect(postgresDependency(url).passes(new StartError('no'))).toBe(false);
  });
});

describe('Temporal at start', () => {
  it('is waited for while nothing listens (the worker’s native connection and the API’s client)', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    installQuietRuntime({ level: 'ERROR' });
    expect(isTemporalNotReadyYet(await thrown(() => NativeConnection.connect({ address })))).toBe(
      true,
    );
    const client = lazyTemporalClient(address, 'default');
    closing.push(() => client.connection.close());
    const answer = await thrown(() =>
      client.connection.withDeadline(Date.now() + 1_000, () =>
        client.workflowService.getSystemInfo({}),
      ),
    );
    expect(isTemporalNotReadyYet(answer)).toBe(true);
    // The shape that ended an API on a fresh cluster: the client's wrapper around gRPC's answer.
    const wrapped = new ServiceError('Failed to describe schedule', { cause: answer as Error });
    expect(isTemporalNotReadyYet(wrapped)).toBe(true);
  });

  it('ends the start on a request Temporal refuses, and on errors of our own making', async () => {
    const temporal = await connectTemporal(inject('temporalAddress'), 'default');
    closing.push(() => temporal.connection.close());
    const refused = await thrown(() => temporal.workflowService.describeNamespace({}));
    expect(isTemporalNotReadyYet(refused)).toBe(false);
    expect(isTemporalNotReadyYet(new Error('the workflow bundle does not build'))).toBe(false);
    expect(isTemporalNotReadyYet(new ConfigError('TEMPORAL_ADDRESS is not an address'))).toBe(
      false,
    );
  });
});

describe('waiting out a dependency', () => {
  const flaky: Dependency = {
    name: 'the flaky thing',
    fix: 'turn it on',
    passes: (error) => (error as Error).message === 'not yet',
  };

  it('tries again until it answers, saying what it waits for and how to fix it', async () => {
    const lines: string[] = [];
    let tries = 0;
    const value = await waitOut(
      flaky,
      async () => {
        tries++;
        if (tries < 3) throw new Error('not yet');
        return 'up';
      },
      { log: (line) => lines.push(line) },
    );
    expect(value).toBe('up');
    expect(tries).toBe(3);
    // The first failure is said at once; the next within five seconds is not repeated.
    expect(lines).toEqual([
      'Waiting for the flaky thing (0 s so far; not yet); turn it on.',
      expect.stringMatching(/^the flaky thing answered after \d+ s\.$/),
    ]);
  });

  it('gives up at once on a failure that does not pass, and says nothing', async () => {
    const lines: string[] = [];
    let tries = 0;
    const failure = await thrown(() =>
      waitOut(
        flaky,
        async () => {
          tries++;
          throw new Error('never');
        },
        { log: (line) => lines.push(line) },
      ),
    );
    expect((failure as Error).message).toBe('never');
    expect(tries).toBe(1);
    expect(lines).toEqual([]);
  });

  it('stops waiting when the process stops', async () => {
    const stop = new AbortController();
    const began = Date.now();
    const waiting = waitOut(
      temporalDependency('127.0.0.1:1'),
      async () => {
        throw Object.assign(new Error('14 UNAVAILABLE'), { code: 14, details: 'down' });
      },
      { log: () => {}, signal: stop.signal },
    );
    setTimeout(() => stop.abort(), 600);
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(Date.now() - began).toBeLessThan(3_000);
  });
});
