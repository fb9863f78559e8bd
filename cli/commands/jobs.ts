import type { Command } from 'commander';
import { ConveyorApiError, type ConveyorClient, type components, unwrap } from '../../client/index';
import { canonicalJson, readDefinitions } from '../files';
import { CliError, printFields, printJson, printTable, shortTime } from '../output';
import { sessionOf } from '../session';

type JobInput = components['schemas']['JobDefinitionInput'];

interface Applied {
  name: string;
  action: 'created' | 'updated' | 'unchanged';
  version: number;
  id: string;
}

/**
 * Creates the job, or versions it when its definition differs from the stored one. Both are
 * compared after the API filled in the handlers' defaults (`/v1/jobs/validate`), so a file that
 * leaves a default out still matches what applying it stored.
 */
async function applyOne(client: ConveyorClient, definition: JobInput): Promise<Applied> {
  const checked = await unwrap(client.api.POST('/v1/jobs/validate', { body: definition }));
  const path = { params: { path: { id: definition.name } } };
  const existing = await unwrap(client.api.GET('/v1/jobs/{id}', path)).catch((error) => {
    if (error instanceof ConveyorApiError && error.status === 404) return undefined;
    throw error;
  });
  if (!existing) {
    const created = await unwrap(client.api.POST('/v1/jobs', { body: definition }));
    return { name: created.name, action: 'created', version: created.version, id: created.id };
  }
  if (canonicalJson(existing.definition) === canonicalJson(checked.definition)) {
    return { name: existing.name, action: 'unchanged', version: existing.version, id: existing.id };
  }
  const updated = await unwrap(
    client.api.PUT('/v1/jobs/{id}', { params: { path: { id: existing.id } }, body: definition }),
  );
  return { name: updated.name, action: 'updated', version: updated.version, id: updated.id };
}

export function registerJobs(program: Command) {
  const jobs = program
    .command('jobs')
    .description('job definitions: list, show, versions, apply from files, delete');

  jobs
    .command('list')
    .description('every job of the tenant')
    .action(async (_options: unknown, command: Command) => {
      const session = sessionOf(command);
      const page = await unwrap(session.client.api.GET('/v1/jobs'));
      if (session.json) return printJson(page);
      printTable(
        ['name', 'version', 'stages', 'paused', 'updated'],
        page.data.map((job) => [
          job.name,
          job.version,
          job.definition.stages.map((stage) => `${stage.name}(${stage.handler})`).join(' → '),
          job.pausedAt ? 'yes' : '',
          shortTime(job.updatedAt),
        ]),
      );
    });

  jobs
    .command('show')
    .description('a job and its stages')
    .argument('<name|id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const job = await unwrap(
        session.client.api.GET('/v1/jobs/{id}', { params: { path: { id } } }),
      );
      if (session.json) return printJson(job);
      printFields([
        ['job', job.name],
        ['id', job.id],
        ['version', job.version],
        ['description', job.definition.description],
        ['paused', shortTime(job.pausedAt)],
        ['updated', shortTime(job.updatedAt)],
      ]);
      process.stdout.write('\n');
      printTable(
        ['stage', 'handler', 'params', 'concurrency', 'batch size', 'attempts'],
        job.definition.stages.map((stage) => [
          stage.name,
          stage.handler,
          stage.params,
          stage.concurrency,
          stage.batchSize,
          stage.retry?.maximumAttempts,
        ]),
      );
    });

  jobs
    .command('versions')
    .description('every version a job has had, oldest first (show one with the API)')
    .argument('<name|id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const page = await unwrap(
        session.client.api.GET('/v1/jobs/{id}/versions', { params: { path: { id } } }),
      );
      if (session.json) return printJson(page);
      printTable(
        ['version', 'saved'],
        page.data.map((version) => [version.version, shortTime(version.createdAt)]),
      );
    });

  jobs
    .command('delete')
    .description('delete a job; operations that ran it keep their snapshot (admin key)')
    .argument('<name|id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      await unwrap(session.client.api.DELETE('/v1/jobs/{id}', { params: { path: { id } } }));
      if (session.json) return printJson({ deleted: id });
      process.stdout.write(`Deleted job ${id}.\n`);
    });

  jobs
    .command('apply')
    .description('create or version jobs from a YAML or JSON file; unchanged ones are left alone')
    .argument('<file>', 'one definition, a list, several YAML documents, or a `jobs:` list')
    .action(async (file: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const definitions = readDefinitions(file, 'jobs');
      if (definitions.length === 0) throw new CliError(`${file} holds no job definition.`);
      const results: Applied[] = [];
      for (const definition of definitions) {
        if (typeof definition.name !== 'string')
          throw new CliError(`${file}: a job definition has no name.`);
        results.push(await applyOne(session.client, definition as JobInput));
      }
      if (session.json) return printJson({ data: results });
      printTable(
        ['job', 'action', 'version'],
        results.map((result) => [result.name, result.action, result.version]),
      );
      const changed = results.filter((result) => result.action !== 'unchanged').length;
      process.stdout.write(
        changed === 0
          ? `Nothing changed: all ${results.length} job(s) already match ${file}.\n`
          : `${changed} of ${results.length} job(s) changed.\n`,
      );
    });
}
