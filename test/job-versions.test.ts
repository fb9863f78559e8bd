import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, type Harness, startHarness, waitForStatus } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

const definition = (delayMs: number) => ({
  name: 'versioned-job',
  stages: [{ name: 's', handler: 'noop', params: { delayMs } }],
});

describe('jobs by id or name, with their versions', () => {
  it('reads, replaces and lists versions by name and by id', async () => {
    const job = await createJob(harness, definition(1));
    const byName = await harness.api('GET', '/v1/jobs/versioned-job');
    expect(byName.status).toBe(200);
    expect(byName.body.id).toBe(job.id);

    const replaced = await harness.api('PUT', '/v1/jobs/versioned-job', definition(2));
    expect(replaced.status).toBe(200);
    expect(replaced.body.version).toBe(2);
    const again = await harness.api('PUT', `/v1/jobs/${job.id}`, definition(3));
    expect(again.body.version).toBe(3);

    for (const path of [`/v1/jobs/${job.id}/versions`, '/v1/jobs/versioned-job/versions']) {
      const list = await harness.api('GET', path);
      expect(list.status).toBe(200);
      expect(list.body.data.map((row: { version: number }) => row.version)).toEqual([1, 2, 3]);
      expect(Number.isNaN(Date.parse(list.body.data[0].createdAt))).toBe(false);
    }

    const first = await harness.api('GET', '/v1/jobs/versioned-job/versions/1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ jobId: job.id, version: 1 });
    // Stored as validated: the handler's defaults are filled in.
    expect(first.body.definition.stages[0].params).toMatchObject({ delayMs: 1 });
    const second = await harness.api('GET', `/v1/jobs/${job.id}/versions/2`);
    expect(second.body.definition.stages[0].params).toMatchObject({ delayMs: 2 });
  });

  it('starts an operation by job id as by name', async () => {
    const job = (await harness.api('GET', '/v1/jobs/versioned-job')).body;
    const started = await harness.api('POST', '/v1/operations', {
      job: job.id,
      scope: 'global',
    });
    expect(started.status).toBe(202);
    expect(started.body.job).toEqual({ id: job.id, name: 'versioned-job', version: 3 });
    await waitForStatus(harness, started.body.id, ['completed']);
    for (const filter of [job.id, 'versioned-job']) {
      const listed = await harness.api('GET', `/v1/operations?job=${filter}`);
      expect(listed.body.data.map((op: { id: string }) => op.id)).toEqual([started.body.id]);
    }
  });

  it('answers 404 naming what is missing', async () => {
    const unknownVersion = await harness.api('GET', '/v1/jobs/versioned-job/versions/9');
    expect(unknownVersion.status).toBe(404);
    expect(unknownVersion.contentType).toContain('application/problem+json');
    expect(unknownVersion.body.detail).toContain('"9"');
    expect((await harness.api('GET', '/v1/jobs/versioned-job/versions/zero')).status).toBe(404);
    expect((await harness.api('GET', '/v1/jobs/no-such-job/versions')).status).toBe(404);
    expect((await harness.api('PUT', '/v1/jobs/no-such-job', definition(1))).status).toBe(404);
    expect((await harness.api('DELETE', '/v1/jobs/no-such-job')).status).toBe(404);
  });

  it('keeps a new version row only when the update commits', async () => {
    const clash = await createJob(harness, { ...definition(1), name: 'other-job' });
    // Renaming onto a taken name is refused, and no version 2 of other-job is left behind.
    const refused = await harness.api('PUT', '/v1/jobs/other-job', definition(5));
    expect(refused.status).toBe(409);
    const list = await harness.api('GET', `/v1/jobs/${clash.id}/versions`);
    expect(list.body.data.map((row: { version: number }) => row.version)).toEqual([1]);
  });

  it('deletes by name; the versions go with the job', async () => {
    const viewer = await harness.keyWithRole('viewer');
    expect((await harness.api('DELETE', '/v1/jobs/other-job', undefined, viewer)).status).toBe(403);
    expect((await harness.api('DELETE', '/v1/jobs/other-job')).status).toBe(204);
    expect((await harness.api('GET', '/v1/jobs/other-job')).status).toBe(404);
    expect((await harness.api('GET', '/v1/jobs/other-job/versions')).status).toBe(404);
  });
});
