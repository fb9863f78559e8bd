import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { type components, unwrap } from '../../client/index';
import { ITEM_STATE_FILTERS, type ItemStateFilter } from '../../common/domain';
import { fileSize, formatOf, readItemBatches } from '../item-file';
import {
  CliError,
  count,
  isInteractive,
  printFields,
  printJson,
  printTable,
  shortTime,
} from '../output';
import { collectionIdOf, type Session, sessionOf } from '../session';

type JsonValue = components['schemas']['JsonValue'];
type ItemUpsert = components['schemas']['ItemUpsert'];
type CollectionInput = components['schemas']['CollectionInput'];
type CollectionPatch = components['schemas']['CollectionPatch'];

interface ItemListOptions {
  job?: string;
  state?: ItemStateFilter;
  keyPrefix?: string;
  limit: string;
  cursor?: string;
}

function jsonOption(text: string): Record<string, JsonValue> {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`--metadata must be a JSON object, got ${text}`);
  }
}

/** Upserts a file's items in batches, with a bar in a terminal and a line per batch otherwise. */
async function loadItems(
  session: Session,
  id: string,
  file: string,
  options: { format?: string; keyColumn: string },
) {
  const format = formatOf(file, options.format);
  const total = fileSize(file);
  const bar =
    isInteractive() && !session.json
      ? new SingleBar({
          format: 'loading |{bar}| {percentage}% | {items} items | {rate}/s | ETA {eta_formatted}',
          hideCursor: true,
        })
      : undefined;
  bar?.start(total, 0, { items: 0, rate: 0 });
  const started = Date.now();
  const totals = { received: 0, inserted: 0, updated: 0 };
  try {
    for await (const batch of readItemBatches(file, format, options.keyColumn)) {
      const answer = await unwrap(
        session.client.api.POST('/v1/collections/{id}/items', {
          params: { path: { id } },
          body: { items: batch.items } as ItemUpsert,
        }),
      );
      totals.received += answer.received;
      totals.inserted += answer.inserted;
      totals.updated += answer.updated;
      const rate = Math.round((totals.received * 1000) / Math.max(Date.now() - started, 1));
      bar?.update(batch.bytesRead, { items: count(totals.received), rate: count(rate) });
      if (!bar && !session.json) {
        process.stdout.write(
          `loaded ${count(totals.received)} items (${Math.round((batch.bytesRead / Math.max(total, 1)) * 100)}%)\n`,
        );
      }
    }
  } catch (error) {
    if (!(error instanceof CliError) || totals.received === 0) throw error;
    throw new CliError(
      `${error.message} ${count(totals.received)} items before it were loaded; fix the file and load it again (items upsert by key, so nothing doubles).`,
    );
  } finally {
    bar?.stop();
  }
  if (session.json) return printJson({ collectionId: id, ...totals });
  process.stdout.write(
    `Loaded ${count(totals.received)} items into ${id}: ${count(totals.inserted)} new, ${count(totals.updated)} updated.\n`,
  );
}

async function checkItemFile(file: string, options: { format?: string; keyColumn: string }) {
  for await (const _batch of readItemBatches(
    file,
    formatOf(file, options.format),
    options.keyColumn,
  )) {
    // Reading is the check: a line that is not an item throws, naming its file and line.
  }
}

export function registerCollections(program: Command) {
  const collections = program
    .command('collections')
    .description(
      'collections and their items: list, show, list items with their state, create, load items from a file, update, delete',
    );

  collections
    .command('list')
    .description('collections with their item and operation counts')
    .option('-n, --limit <n>', 'at most this many', '50')
    .option('--cursor <cursor>', 'the next page, as the previous one printed')
    .action(async (options: { limit: string; cursor?: string }, command: Command) => {
      const session = sessionOf(command);
      const page = await unwrap(
        session.client.api.GET('/v1/collections', {
          params: { query: { limit: Number(options.limit), cursor: options.cursor } },
        }),
      );
      if (session.json) return printJson(page);
      printTable(
        ['id', 'name', 'items', 'operations', 'last operation', 'created'],
        page.data.map((collection) => [
          collection.id,
          collection.name,
          count(collection.itemCount),
          count(collection.operationCount),
          collection.lastOperation
            ? `${collection.lastOperation.id} (${collection.lastOperation.status})`
            : '',
          shortTime(collection.createdAt),
        ]),
      );
      if (page.nextCursor) process.stdout.write(`More: --cursor ${page.nextCursor}\n`);
    });

  collections
    .command('show')
    .description('a collection and its stale results per handler')
    .argument('<id|name>')
    .action(async (idOrName: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const id = await collectionIdOf(session.client, idOrName);
      const path = { params: { path: { id } } };
      const [collection, stats] = await Promise.all([
        unwrap(session.client.api.GET('/v1/collections/{id}', path)),
        unwrap(session.client.api.GET('/v1/collections/{id}/stats', path)),
      ]);
      if (session.json) return printJson({ ...collection, stats });
      printFields([
        ['collection', collection.name],
        ['id', collection.id],
        ['description', collection.description],
        ['items', count(collection.itemCount)],
        ['metadata', Object.keys(collection.metadata).length ? collection.metadata : undefined],
        ['created', shortTime(collection.createdAt)],
        ['updated', shortTime(collection.updatedAt)],
      ]);
      process.stdout.write('\n');
      printTable(
        ['handler', 'current version', 'results', 'stale'],
        stats.handlers.map((handler) => [
          handler.handler,
          handler.currentVersion,
          handler.results,
          handler.stale,
        ]),
      );
    });

  collections
    .command('items')
    .description("a collection's items, with their state under a job: its latest outcome per stage")
    .argument('<id|name>')
    .option('-j, --job <name|id>', 'show each item’s latest outcome per stage of this job')
    .addOption(
      new Option('--state <state>', 'with --job: only items in this state').choices(
        ITEM_STATE_FILTERS,
      ),
    )
    .option('--key-prefix <prefix>', 'only items whose key starts with this')
    .option('-n, --limit <n>', 'at most this many', '100')
    .option('--cursor <cursor>', 'the next page, as the previous one printed')
    .action(async (idOrName: string, options: ItemListOptions, command: Command) => {
      const session = sessionOf(command);
      if (options.state && !options.job) throw new CliError('--state needs --job <name|id>.');
      const id = await collectionIdOf(session.client, idOrName);
      const page = await unwrap(
        session.client.api.GET('/v1/collections/{id}/items', {
          params: {
            path: { id },
            query: {
              limit: Number(options.limit),
              cursor: options.cursor ? Number(options.cursor) : undefined,
              keyPrefix: options.keyPrefix,
              job: options.job,
              state: options.state,
            },
          },
        }),
      );
      if (session.json) return printJson(page);
      printTable(
        ['id', 'key', ...(options.job ? ['state (stage: latest outcome)'] : []), 'updated'],
        page.data.map((item) => [
          item.id,
          item.key,
          ...(options.job
            ? [
                item.states?.length
                  ? item.states.map((state) => `${state.stage}: ${state.status}`).join(', ')
                  : 'not run',
              ]
            : []),
          shortTime(item.updatedAt),
        ]),
      );
      if (page.nextCursor) process.stdout.write(`More: --cursor ${page.nextCursor}\n`);
    });

  collections
    .command('create')
    .description('a new collection, optionally loaded with items from a file')
    .argument('<name>')
    .option('-d, --description <text>')
    .option('--metadata <json>', 'a JSON object kept with the collection', jsonOption)
    .option('--items <file>', 'then load items from this JSON Lines, CSV or JSON file')
    .option('--format <format>', 'jsonl, csv or json (by default from the file name)')
    .option('--key-column <name>', 'the CSV column holding item keys', 'key')
    .action(async (name: string, options, command: Command) => {
      const session = sessionOf(command);
      // The whole file is read once before anything is made, so a bad line leaves no empty
      // collection behind.
      if (options.items) await checkItemFile(options.items, options);
      const created = await unwrap(
        session.client.api.POST('/v1/collections', {
          body: {
            name,
            description: options.description,
            metadata: options.metadata,
          } as CollectionInput,
        }),
      );
      if (!session.json)
        process.stdout.write(`Created collection ${created.name}: ${created.id}\n`);
      if (options.items) return loadItems(session, created.id, options.items, options);
      if (session.json) printJson(created);
    });

  collections
    .command('load')
    .description('upsert items (by key) from a JSON Lines, CSV or JSON file, with a progress bar')
    .argument('<id|name>')
    .argument(
      '<file>',
      'JSON Lines ({"key","data"} per line), CSV (a key column; the others become data) or JSON (an array of items or {"items": [...]})',
    )
    .option('--format <format>', 'jsonl, csv or json (by default from the file name)')
    .option('--key-column <name>', 'the CSV column holding item keys', 'key')
    .action(async (idOrName: string, file: string, options, command: Command) => {
      const session = sessionOf(command);
      await loadItems(session, await collectionIdOf(session.client, idOrName), file, options);
    });

  collections
    .command('update')
    .description("change a collection's name, description or metadata")
    .argument('<id|name>')
    .option('--name <name>')
    .option('-d, --description <text>')
    .option('--metadata <json>', 'a JSON object that replaces the kept one', jsonOption)
    .action(async (idOrName: string, options, command: Command) => {
      const session = sessionOf(command);
      const body = {
        name: options.name,
        description: options.description,
        metadata: options.metadata,
      } as CollectionPatch;
      if (Object.values(body).every((value) => value === undefined)) {
        throw new CliError('Give --name, --description or --metadata: nothing to change.');
      }
      const id = await collectionIdOf(session.client, idOrName);
      const updated = await unwrap(
        session.client.api.PATCH('/v1/collections/{id}', { params: { path: { id } }, body }),
      );
      if (session.json) return printJson(updated);
      process.stdout.write(`Updated collection ${updated.name}: ${updated.id}\n`);
    });

  collections
    .command('delete')
    .description('delete a collection and its items, with their results')
    .argument('<id|name>')
    .action(async (idOrName: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const id = await collectionIdOf(session.client, idOrName);
      await unwrap(session.client.api.DELETE('/v1/collections/{id}', { params: { path: { id } } }));
      if (session.json) return printJson({ deleted: id });
      process.stdout.write(`Deleted collection ${idOrName} (${id}) and its items.\n`);
    });
}
