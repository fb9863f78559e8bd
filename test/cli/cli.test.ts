import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConveyorClient } from '../../client/index';
import { createJob, type Harness, seedCollection, startHarness, waitForStatus } from '../harness';
import { parseJson, runCli } from './run-cli';

let harness: Harness;
let collectionId: string;
const dir = mkdtempSync(join(tmpdir(), 'conveyor-cli-'));

beforeAll(async () => {
  harness = await startHarness();
  collectionId = await seedCollection(harness, 120, 'cli-items');
  await createJob(harness, {
    name: 'cli-two-stages',
    stages: [
      { name: 'first', handler: 'noop', params: { delayMs: 5, failKeys: ['k7'] } },
      { name: 'second', handler: 'noop', params: { delayMs: 5 } },
    ],
  });
  await createJob(harness, {
    name: 'cli-slow',
    stages: [{ name: 'slow', handler: 'noop', params: { delayMs: 2_000 } }],
  });
});
afterAll(async () => {
  await harness?.stop();
});

describe('conveyor run and ops', () => {
  it('runs a job with --watch to its end: stage lines, a summary and the Web UI link', async () => {
    const result = await runCli(harness, [
      'run',
      'cli-two-stages',
      '--collection',
      'cli-items',
      '--watch',
    ]);
    expect(result.stderr).toBe('');
    // Not a terminal: plain lines, no bar drawing.
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toMatch(/^first: \d+\/120 done, \d+ failed/m);
    expect(result.stdout).toMatch(/^second: 119\/120 done, 0 failed, 1 skipped/m);
    expect(result.stdout).toMatch(/operation\.completed/);
    const summary = result.stdout.match(/^Operation (op-\S+) completed: (.*)$/m);
    expect(summary?.[2]).toMatch(/^119 done, 1 failed, 0 skipped of 120 items/);
    expect(result.stdout).toContain(
      `Web UI: http://127.0.0.1:8233/namespaces/default/workflows/${summary?.[1]}/`,
    );
    expect(result.stdout).toContain(`conveyor ops retry ${summary?.[1]}`);
    expect(result.code).toBe(0);
  });

  it('draws a bar per stage in a terminal', async () => {
    const result = await runCli(
      harness,
      ['run', 'cli-two-stages', '--collection', collectionId, '--watch'],
      {},
      { terminal: true },
    );
    expect(result.stdout, JSON.stringify(result)).toMatch(
      /first \|[█░]+\| 119\/120 done, 1 failed \| .* \| ETA done/,
    );
    expect(result.stdout).toMatch(/second \|[█░]+\| 119\/120 done, 0 failed, 1 skipped/);
    expect(result.stdout).toMatch(/Operation \S+ completed: 119 done/);
    expect(result.code).toBe(0);
  });

  it('prints the API’s JSON with --json for start, list and show', async () => {
    const started = parseJson(
      await runCli(harness, [
        '--json',
        'run',
        'cli-two-stages',
        '-c',
        collectionId,
        '-p',
        'delayMs=0',
      ]),
    );
    expect(started).toMatchObject({ job: { name: 'cli-two-stages' }, params: { delayMs: 0 } });
    await waitForStatus(harness, started.id, ['completed']);

    const shown = parseJson(
      await runCli(harness, ['ops', 'show', started.id, '--json', '--failed']),
    );
    expect(shown.status).toBe('completed');
    expect(shown.stages.map((stage: any) => stage.done)).toEqual([119, 119]);
    expect(shown.failedItems.data.map((item: any) => item.key)).toEqual(['k7']);

    const human = await runCli(harness, ['ops', 'show', started.id, '--failed']);
    expect(human.stdout).toMatch(/^status\s+completed$/m);
    expect(human.stdout).toMatch(/│ first\s+│ noop\s+│ 120\s+│ 0\s+│ 0\s+│ 119\s+│ 1\s+│ 0\s+│/);
    expect(human.stdout).toMatch(
      /│ \d+\s+│ k7\s+│ first\s+│ 1\s+│ PermanentError: noop: k7 is in failKeys/,
    );

    const listed = parseJson(
      await runCli(harness, [
        'ops',
        'list',
        '--json',
        '--job',
        'cli-two-stages',
        '--status',
        'completed',
      ]),
    );
    expect(listed.data.map((operation: any) => operation.id)).toContain(started.id);

    const plan = parseJson(
      await runCli(harness, [
        'run',
        'cli-two-stages',
        '--collection',
        collectionId,
        '--mode',
        'dry_run',
        '--json',
      ]),
    );
    expect(plan.plan.items).toBe(120);
  });

  it('cancels an operation and waits until it is cancelled', async () => {
    const started = parseJson(
      await runCli(harness, ['run', 'cli-slow', '--collection', collectionId, '--json']),
    );
    await waitForStatus(harness, started.id, ['running']);
    const cancelled = await runCli(harness, ['ops', 'cancel', started.id, '--watch', '--json']);
    expect(parseJson(cancelled).status).toBe('cancelled');
    expect(cancelled.code).toBe(0);
    // Watching a cancelled operation ends at once, with a status that is not success.
    const watched = await runCli(harness, ['ops', 'watch', started.id]);
    expect(watched.stdout).toMatch(/^Operation \S+ cancelled/m);
    expect(watched.code).toBe(1);
  });

  it('fails with one line and status 1 on API problems and bad input', async () => {
    const missing = await runCli(harness, ['ops', 'show', 'op-missing']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^conveyor: operation not found \(404\) — No operation/i);

    const badJob = await runCli(harness, ['run', 'no-such-job', '--global']);
    expect(badJob.code).toBe(1);
    expect(badJob.stderr).toMatch(/^conveyor: Not found \(404\) — job: .*fields: job: /);

    // No scope and a job without a defaultScope: the API's one line says what to give.
    const noScope = await runCli(harness, ['run', 'cli-slow']);
    expect(noScope.stderr.trim().split('\n')).toHaveLength(1);
    expect(noScope.stderr).toMatch(/collectionId: give collectionId, .*a defaultScope/);
    expect(noScope.code).toBe(1);
    const twoScopes = await runCli(harness, ['run', 'cli-slow', '--global', '--items', '1']);
    expect(twoScopes.stderr).toMatch(/Give at most one scope/);
    expect(twoScopes.code).toBe(1);

    const badKey = await runCli(harness, ['jobs', 'list'], { CONVEYOR_API_KEY: 'cvk_wrong' });
    expect(badKey.stderr).toMatch(/Unauthorized \(401\).*--key or CONVEYOR_API_KEY/);
    expect(badKey.code).toBe(1);
  });
});

describe('conveyor jobs apply', () => {
  it('creates, leaves unchanged, and versions jobs from YAML', async () => {
    const file = join(dir, 'jobs.yaml');
    writeFileSync(
      file,
      [
        'jobs:',
        '  - name: applied-a',
        '    stages:',
        '      - { name: only, handler: noop }',
        '  - name: applied-b',
        '    stages:',
        '      - { name: one, handler: noop, params: { delayMs: 1 } }',
        '      - { name: two, handler: noop }',
      ].join('\n'),
    );
    const first = parseJson(await runCli(harness, ['jobs', 'apply', file, '--json']));
    expect(first.data.map((job: any) => job.action)).toEqual(['created', 'created']);

    const again = await runCli(harness, ['jobs', 'apply', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing changed: all 2 job(s) already match');
    const versions = (await harness.api('GET', '/v1/jobs/applied-b/versions')).body.data;
    expect(versions).toHaveLength(1);

    writeFileSync(
      file,
      JSON.stringify({ name: 'applied-b', stages: [{ name: 'one', handler: 'noop' }] }),
    );
    const changed = parseJson(await runCli(harness, ['jobs', 'apply', file, '--json']));
    expect(changed.data).toEqual([expect.objectContaining({ action: 'updated', version: 2 })]);

    const shown = await runCli(harness, ['jobs', 'show', 'applied-b']);
    expect(shown.stdout).toMatch(/version\s+2/);
    const listed = parseJson(await runCli(harness, ['jobs', 'versions', 'applied-b', '--json']));
    expect(listed.data.map((version: any) => version.version)).toEqual([1, 2]);

    const deleted = await runCli(harness, ['jobs', 'delete', 'applied-a']);
    expect(deleted.stdout).toBe('Deleted job applied-a.\n');
    expect((await harness.api('GET', '/v1/jobs/applied-a')).status).toBe(404);
    const again404 = await runCli(harness, ['jobs', 'delete', 'applied-a']);
    expect(again404.code).toBe(1);
    expect(again404.stderr).toMatch(/^conveyor: .*applied-a/);
  });

  it('refuses an invalid definition with the API’s fields', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', stages: [{ name: 'x', handler: 'nope' }] }));
    const result = await runCli(harness, ['jobs', 'apply', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^conveyor: .*stages\.0\.handler/);
  });
});

describe('the typed client', () => {
  it('starts an operation and watches it to the end', async () => {
    const client = createConveyorClient({ url: harness.url, key: harness.adminKey });
    const started = await client.startOperation({
      job: 'cli-two-stages',
      collectionId,
      params: {},
      mode: 'production',
    });
    if (!('id' in started)) throw new Error('expected an operation');
    const seen: string[] = [];
    const final = await client.watchOperation(started.id, {
      onEvent: (event) => seen.push(event.type),
    });
    expect(final.status).toBe('completed');
    expect(final.counts).toMatchObject({ items: 120, done: 119, failed: 1 });
    expect(seen).toContain('operation.completed');
  });
});
