import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  API_KEY_ROLES,
  FINISHED_STATUSES,
  ITEM_STAGE_STATUSES,
  OPERATION_MODES,
  OPERATION_STATUSES,
  SCOPE_KINDS,
  UNFINISHED_STATUSES,
  WEBHOOK_DELIVERY_STATUSES,
} from '../common/domain';
import { beginsWithDiscovery } from '../common/engine';
import { migrateDatabase } from '../db/client';
import { stageCounts } from '../db/stage-counts';

describe('the status facts', () => {
  it('splits the operation statuses into finished and unfinished, each once', () => {
    expect([...UNFINISHED_STATUSES, ...FINISHED_STATUSES].sort()).toEqual(
      [...OPERATION_STATUSES].sort(),
    );
    expect(UNFINISHED_STATUSES).toEqual(['queued', 'running', 'paused']);
  });

  it('calls a job discovery-first by its first stage only', () => {
    const kinds = new Map([
      ['find', { kind: 'discovery' }],
      ['work', { kind: 'item' }],
    ]);
    const stage = (handler: string) => ({ handler });
    expect(beginsWithDiscovery([stage('find'), stage('work')], kinds)).toBe(true);
    expect(beginsWithDiscovery([stage('work'), stage('find')], kinds)).toBe(false);
    expect(beginsWithDiscovery([], kinds)).toBe(false);
  });
});

/** A fresh database of its own on the suite's Postgres, migrated through 0019 only. */
describe('the CHECK constraints of migration 0020', () => {
  const name = `conveyor_facts_${randomBytes(6).toString('hex')}`;
  const template = inject('postgresUrlTemplate');
  const url = Object.assign(new URL(template), { pathname: `/${name}` }).toString();
  const migrations = new URL('../db/migrations', import.meta.url).pathname;
  let older: string;
  let sql: postgres.Sql;
  let tenantId: string;

  const insertOperation = (id: string, values: { status: string; mode: string; scope: string }) =>
    sql`insert into operations (id, tenant_id, job_name, job_version, definition, scope, status, mode)
      values (${id}, ${tenantId}::uuid, 'job', 1, '{}'::jsonb, ${values.scope}, ${values.status}, ${values.mode})`;

  beforeAll(async () => {
    const admin = postgres(template, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    // The migrations as they stood before 0020: the database it meets in service.
    older = mkdtempSync(join(tmpdir(), 'conveyor-migrations-'));
    cpSync(migrations, older, { recursive: true });
    const journalPath = join(older, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    journal.entries = journal.entries.filter((entry: { idx: number }) => entry.idx < 20);
    writeFileSync(journalPath, JSON.stringify(journal));
    sql = postgres(url, { max: 1, onnotice: () => {} });
    await migrate(drizzle(sql), { migrationsFolder: older });
    const [tenant] = await sql<{ id: string }[]>`
      insert into tenants (name) values ('facts') returning id`;
    tenantId = tenant?.id ?? '';
  });

  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    if (older) rmSync(older, { recursive: true, force: true });
  });

  it('applies over rows holding every value the code writes, then refuses any other', async () => {
    let n = 0;
    for (const status of OPERATION_STATUSES)
      for (const mode of OPERATION_MODES)
        for (const scope of SCOPE_KINDS)
          await insertOperation(`op-${n++}`, { status, mode, scope });
    for (const [index, status] of ITEM_STAGE_STATUSES.entries())
      await sql`insert into item_stages (operation_id, stage_index, item_id, status)
        values ('op-0', 0, ${index + 1}, ${status})`;
    // Before 0020 Postgres takes anything.
    await insertOperation('odd', { status: 'sleeping', mode: 'production', scope: 'global' });
    await sql`delete from operations where id = 'odd'`;

    await migrateDatabase(url);

    const [row] = await sql<{ count: number }[]>`select count(*)::int as count from operations`;
    expect(row?.count).toBe(
      OPERATION_STATUSES.length * OPERATION_MODES.length * SCOPE_KINDS.length,
    );
    const refused = (query: Promise<unknown>) =>
      expect(query).rejects.toMatchObject({ code: '23514' });
    await refused(
      insertOperation('bad-status', { status: 'sleeping', mode: 'test', scope: 'global' }),
    );
    await refused(
      insertOperation('bad-mode', { status: 'queued', mode: 'rehearsal', scope: 'global' }),
    );
    await refused(
      insertOperation('bad-scope', { status: 'queued', mode: 'test', scope: 'tenant' }),
    );
    await refused(sql`update item_stages set status = 'half_done' where operation_id = 'op-0'`);
    await insertOperation('good', { status: 'queued', mode: 'test', scope: 'global' });
  });
});

/** A fresh database migrated through 0020, holding what the code writes, then migrated on. */
describe('migration 0021: role and delivery CHECK constraints, stage tallies backfilled', () => {
  const name = `conveyor_facts21_${randomBytes(6).toString('hex')}`;
  const template = inject('postgresUrlTemplate');
  const url = Object.assign(new URL(template), { pathname: `/${name}` }).toString();
  const migrations = new URL('../db/migrations', import.meta.url).pathname;
  let older: string;
  let sql: postgres.Sql;
  let tenantId: string;
  let webhookId: string;

  const insertKey = (role: string) =>
    sql`insert into api_keys (tenant_id, name, key_hash, role)
      values (${tenantId}::uuid, ${role}, ${randomBytes(8).toString('hex')}, ${role})`;
  const insertDelivery = (status: string) =>
    sql`insert into webhook_deliveries (id, webhook_id, tenant_id, event_id, event_type, status)
      values (${randomBytes(8).toString('hex')}, ${webhookId}::uuid, ${tenantId}::uuid, 1, 'operation.created', ${status})`;

  beforeAll(async () => {
    const admin = postgres(template, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    older = mkdtempSync(join(tmpdir(), 'conveyor-migrations-'));
    cpSync(migrations, older, { recursive: true });
    const journalPath = join(older, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    journal.entries = journal.entries.filter((entry: { idx: number }) => entry.idx < 21);
    writeFileSync(journalPath, JSON.stringify(journal));
    sql = postgres(url, { max: 1, onnotice: () => {} });
    await migrate(drizzle(sql), { migrationsFolder: older });
    const [tenant] = await sql<{ id: string }[]>`
      insert into tenants (name) values ('facts') returning id`;
    tenantId = tenant?.id ?? '';
    const [webhook] = await sql<{ id: string }[]>`
      insert into webhooks (tenant_id, url, secret, after_event_id)
      values (${tenantId}::uuid, 'https://example.com/hook', 'secret', 0) returning id`;
    webhookId = webhook?.id ?? '';
  });

  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    if (older) rmSync(older, { recursive: true, force: true });
  });

  it('applies over every role and delivery status the code writes, then refuses any other', async () => {
    for (const role of API_KEY_ROLES) await insertKey(role);
    for (const status of WEBHOOK_DELIVERY_STATUSES) await insertDelivery(status);
    // An operation from before the tallies: its counts come from the migration's backfill.
    await sql`insert into operations (id, tenant_id, job_name, job_version, definition, scope, status, mode)
      values ('op-old', ${tenantId}::uuid, 'job', 1, '{}'::jsonb, 'global', 'running', 'test')`;
    const statuses = ['done', 'done', 'failed', 'in_progress', 'pending'];
    for (const [index, status] of statuses.entries())
      await sql`insert into item_stages (operation_id, stage_index, item_id, status)
        values ('op-old', ${index % 2}, ${index + 1}, ${status})`;

    await migrateDatabase(url);

    const refused = (query: Promise<unknown>) =>
      expect(query).rejects.toMatchObject({ code: '23514' });
    await refused(insertKey('owner'));
    await refused(insertDelivery('bounced'));
    await insertKey('viewer');
    await insertDelivery('pending');
    expect(await stageCounts(sql, 'op-old', 2)).toEqual([
      { items: 3, pending: 1, inProgress: 0, done: 1, failed: 1, skipped: 0 },
      { items: 2, pending: 0, inProgress: 1, done: 1, failed: 0, skipped: 0 },
    ]);
  });
});
