import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJob, type Harness, startHarness, waitFor } from '../harness';
import { parseJson, runCli } from './run-cli';

let harness: Harness;
const dir = mkdtempSync(join(tmpdir(), 'conveyor-cli-'));

beforeAll(async () => {
  harness = await startHarness();
  await createJob(harness, { name: 'nightly', stages: [{ name: 'only', handler: 'noop' }] });
});
afterAll(async () => {
  await harness?.stop();
});

it('creates a collection and loads JSON Lines and CSV items by key', async () => {
  const lines = join(dir, 'items.jsonl');
  writeFileSync(
    lines,
    `${Array.from({ length: 2_500 }, (_, i) => JSON.stringify({ key: `k${i}`, data: { n: i } })).join('\n')}\n`,
  );
  const created = await runCli(harness, ['collections', 'create', 'loaded', '--items', lines]);
  expect(created.stdout).toMatch(/^Created collection loaded: [0-9a-f-]{36}$/m);
  // Three upsert requests of at most 1,000 items, one line each when not in a terminal.
  expect(created.stdout.match(/^loaded /gm)).toHaveLength(3);
  expect(created.stdout).toContain('Loaded 2,500 items into');
  expect(created.code).toBe(0);

  const csv = join(dir, 'items.csv');
  writeFileSync(csv, 'key,url,size\nk0,https://a.example,10\nnew,https://b.example,20\n');
  const loaded = parseJson(await runCli(harness, ['collections', 'load', 'loaded', csv, '--json']));
  expect(loaded).toMatchObject({ received: 2, inserted: 1, updated: 1 });

  const shown = parseJson(await runCli(harness, ['collections', 'show', 'loaded', '--json']));
  expect(shown.itemCount).toBe(2_501);
  const item = await harness.api('GET', `/v1/collections/${shown.id}/items?keyPrefix=new`);
  expect(item.body.data[0].data).toEqual({ url: 'https://b.example', size: '20' });

  const listed = await runCli(harness, ['collections', 'list']);
  expect(listed.stdout).toMatch(/loaded .* 2,501 /);

  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"key":"a"}\n{"data":1}\n');
  const refused = await runCli(harness, ['collections', 'load', 'loaded', bad]);
  expect(refused.stderr).toMatch(/bad\.jsonl:2 has no "key" string/);
  expect(refused.code).toBe(1);
});

it('renames a collection, then deletes it with its items', async () => {
  const created = parseJson(await runCli(harness, ['collections', 'create', 'draft', '--json']));
  const nothing = await runCli(harness, ['collections', 'update', 'draft']);
  expect(nothing.code).toBe(1);
  expect(nothing.stderr).toContain('nothing to change');

  const renamed = parseJson(
    await runCli(harness, [
      'collections',
      'update',
      'draft',
      '--name',
      'final',
      '--metadata',
      '{"owner":"ops"}',
      '--json',
    ]),
  );
  expect(renamed).toMatchObject({ id: created.id, name: 'final', metadata: { owner: 'ops' } });

  const deleted = await runCli(harness, ['collections', 'delete', 'final']);
  expect(deleted.code).toBe(0);
  expect(deleted.stdout).toContain(`Deleted collection final (${created.id})`);
  expect((await harness.api('GET', `/v1/collections/${created.id}`)).status).toBe(404);
});

it('loads a JSON upsert body, and makes no collection from a file with a bad item', async () => {
  const body = join(dir, 'items.json');
  writeFileSync(body, JSON.stringify({ items: [{ key: 'a', data: { n: 1 } }, { key: 'b' }] }));
  const created = parseJson(
    await runCli(harness, ['collections', 'create', 'from-json', '--items', body, '--json']),
  );
  expect(created).toMatchObject({ received: 2, inserted: 2 });

  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify([{ key: 'a' }, { data: 2 }]));
  const refused = await runCli(harness, ['collections', 'create', 'never', '--items', bad]);
  expect(refused.stderr).toMatch(/bad\.json item 1 has no "key" string/);
  expect(refused.code).toBe(1);
  const names = (await harness.api('GET', '/v1/collections?limit=100')).body.data.map(
    (collection: { name: string }) => collection.name,
  );
  expect(names).toContain('from-json');
  expect(names).not.toContain('never');
});

it('creates, pauses, triggers, backfills and deletes a schedule from a file', async () => {
  const file = join(dir, 'schedule.yaml');
  writeFileSync(
    file,
    ['job: nightly', 'scope: global', 'spec:', '  cron: ["0 3 * * *"]', '  timezone: UTC'].join(
      '\n',
    ),
  );
  const [schedule] = parseJson(await runCli(harness, ['schedules', 'create', file, '--json'])).data;
  expect(schedule.id).toMatch(/^sch-/);
  try {
    const paused = parseJson(
      await runCli(harness, ['schedules', 'pause', schedule.id, '--note', 'maintenance', '--json']),
    );
    expect(paused).toMatchObject({ paused: true, note: 'maintenance' });
    const listed = await runCli(harness, ['schedules', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`${schedule.id} .* cron 0 3 \\* \\* \\* UTC .* yes`));
    await runCli(harness, ['schedules', 'unpause', schedule.id]);
    const triggered = await runCli(harness, ['schedules', 'trigger', schedule.id]);
    expect(triggered.stdout).toContain(`conveyor ops list --schedule ${schedule.id}`);
    expect(triggered.code).toBe(0);
    // Two days of a daily cron: two more runs, besides the triggered one.
    const day = 86_400_000;
    const backfilled = await runCli(harness, [
      'schedules',
      'backfill',
      schedule.id,
      '--from',
      new Date(Date.now() - 3 * day).toISOString(),
      '--to',
      new Date(Date.now() - day).toISOString(),
    ]);
    expect(backfilled.stdout, backfilled.stderr).toContain('backfilled from');
    await waitFor(
      async () =>
        (await harness.api('GET', `/v1/operations?scheduleId=${schedule.id}`)).body.data.length,
      (count) => count === 3,
      { what: 'the triggered run and two backfilled ones' },
    );

    const moved = await runCli(harness, [
      'schedules',
      'update',
      schedule.id,
      '--cron',
      '30 4 * * 1-5',
      '--timezone',
      'Europe/Paris',
    ]);
    expect(moved.stdout, moved.stderr).toContain('now runs nightly cron 30 4 * * 1-5 Europe/Paris');
    // What it runs changes too: another job, checked as a start is.
    await createJob(harness, { name: 'weekly', stages: [{ name: 'only', handler: 'noop' }] });
    const rejobbed = await runCli(harness, ['schedules', 'update', schedule.id, '--job', 'weekly']);
    expect(rejobbed.stdout, rejobbed.stderr).toContain('now runs weekly cron');
    const unknown = await runCli(harness, ['schedules', 'update', schedule.id, '--job', 'nope']);
    expect(unknown.stderr).toMatch(/Not found \(404\)/);
    expect(unknown.code).toBe(1);
    const rezoned = parseJson(
      await runCli(harness, [
        'schedules',
        'update',
        schedule.id,
        '--timezone',
        'UTC',
        '--overlap',
        'allow_all',
        '--json',
      ]),
    );
    // The zone alone moves; the times stay as the last update left them.
    expect(rezoned).toMatchObject({
      spec: { cron: ['30 4 * * 1-5'], timezone: 'UTC' },
      overlap: 'allow_all',
    });
    expect(new Date(rezoned.nextRuns[0]).getUTCHours()).toBe(4);
    const nothing = await runCli(harness, ['schedules', 'update', schedule.id]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('nothing to change');
  } finally {
    const deleted = await runCli(harness, ['schedules', 'delete', schedule.id]);
    expect(deleted.stdout).toContain('deleted');
  }
  const gone = await runCli(harness, ['schedules', 'show', schedule.id]);
  expect(gone.code).toBe(1);
});

it('lists items with their state under a job, runs only the failed ones and retries by selection', async () => {
  await createJob(harness, {
    name: 'picky',
    stages: [
      {
        name: 'check',
        handler: 'noop',
        params: { failKeys: ['b'] },
        retry: { maximumAttempts: 1 },
      },
    ],
  });
  const csv = join(dir, 'picky.csv');
  writeFileSync(csv, 'key,n\na,1\nb,2\nc,3\n');
  await runCli(harness, ['collections', 'create', 'picky-items', '--items', csv]);
  const first = parseJson(
    await runCli(harness, ['run', 'picky', '--collection', 'picky-items', '--watch', '--json']),
  );
  expect(first.counts).toMatchObject({ done: 2, failed: 1 });

  const listed = await runCli(harness, ['collections', 'items', 'picky-items', '--job', 'picky']);
  expect(listed.stdout).toMatch(/│ a +│ check: done +│/);
  expect(listed.stdout).toMatch(/│ b +│ check: failed +│/);
  const failed = await runCli(harness, [
    ...['collections', 'items', 'picky-items', '--job', 'picky', '--state', 'failed', '--json'],
  ]);
  expect(parseJson(failed).data.map((item: { key: string }) => item.key)).toEqual(['b']);
  const alone = await runCli(harness, ['collections', 'items', 'picky-items', '--state', 'failed']);
  expect(alone.stderr.trim()).toBe('conveyor: --state needs --job <name|id>.');
  expect(alone.code).toBe(1);

  const plan = await runCli(harness, [
    ...['run', 'picky', '--collection', 'picky-items', '--only', 'failed', '--mode', 'dry_run'],
  ]);
  expect(plan.stdout).toMatch(/items +1\b/);
  const retried = await runCli(harness, ['ops', 'retry', first.id, '--items', 'all']);
  expect(retried.stdout).toMatch(/^Running 1 failed and unfinished items again as op-/);
  const nothing = await runCli(harness, ['ops', 'retry', first.id, '--items', 'unfinished']);
  expect(nothing.stderr).toContain('no unfinished items to run');
  expect(nothing.code).toBe(1);
});

it('prints an operation’s log, filtered by level and item, and who the run was for', async () => {
  await createJob(harness, {
    name: 'talkative',
    stages: [{ name: 'say', handler: 'noop', params: { log: 'said hello', failKeys: ['b'] } }],
  });
  const csv = join(dir, 'talk.csv');
  writeFileSync(csv, 'key,n\na,1\nb,2\n');
  await runCli(harness, ['collections', 'create', 'talk-items', '--items', csv]);
  const run = parseJson(
    await runCli(harness, [
      ...['run', 'talkative', '--collection', 'talk-items', '--for', 'alice', '--watch', '--json'],
    ]),
  );
  // Who it was for: shown, and a filter of the list.
  const shown = await runCli(harness, ['ops', 'show', run.id]);
  expect(shown.stdout).toMatch(/requested for +alice/);
  const listed = parseJson(await runCli(harness, ['ops', 'list', '--for', 'alice', '--json']));
  expect(listed.data.map((operation: { id: string }) => operation.id)).toEqual([run.id]);
  const all = await runCli(harness, ['logs', run.id]);
  expect(all.code).toBe(0);
  expect(all.stdout.trim().split('\n')).toEqual([
    expect.stringMatching(/^\S+ \S+Z {2}info {3}say {2}a {2}said hello \{"key":"a"\}$/),
    expect.stringMatching(/ {2}b {2}said hello /),
  ]);
  const onlyB = await runCli(harness, ['logs', run.id, '--item', 'b', '--json']);
  expect(parseJson(onlyB)).toMatchObject({ itemKey: 'b', level: 'info', message: 'said hello' });
  const followed = await runCli(harness, ['logs', run.id, '--follow', '--level', 'warn']);
  expect(followed.stdout).toBe('');
  expect(followed.code).toBe(0);
});
