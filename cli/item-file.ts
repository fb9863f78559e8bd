import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { CliError } from './output';

export interface ItemInput {
  key: string;
  data?: unknown;
}

export type ItemFormat = 'jsonl' | 'csv' | 'json';

/** Items per upsert request: well under the API's 5,000 and 10 MiB per request. */
const BATCH_ITEMS = 1_000;
const BATCH_BYTES = 4 * 1024 * 1024;

export function formatOf(path: string, given?: string): ItemFormat {
  const format =
    given ??
    (
      { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json' } as Record<
        string,
        string
      >
    )[extname(path).toLowerCase()];
  if (format === 'csv' || format === 'jsonl' || format === 'json') return format;
  throw new CliError(
    `Cannot tell the format of ${path}; pass --format jsonl, --format csv or --format json.`,
  );
}

/** A JSON Lines line: `{"key": …, "data": …}`. */
function jsonlItem(line: string, where: string): ItemInput {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new CliError(`${where} is not JSON; each line must be {"key": "...", "data": {...}}.`);
  }
  return itemOf(value, where, 'each line');
}

function itemOf(value: unknown, where: string, each: string): ItemInput {
  const item = value as Partial<ItemInput> | null;
  if (!item || typeof item.key !== 'string' || item.key === '')
    throw new CliError(
      `${where} has no "key" string; ${each} must be {"key": "...", "data": {...}}.`,
    );
  return item.data === undefined ? { key: item.key } : { key: item.key, data: item.data };
}

/** A JSON document: an array of items, or the body of the items upsert (`{"items": [...]}`). */
function jsonItems(path: string): ItemInput[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`${path} is not JSON (${(error as Error).message}).`);
  }
  const list = Array.isArray(value) ? value : (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(list))
    throw new CliError(`${path} must hold an array of items or {"items": [...]}.`);
  return list.map((item, index) => itemOf(item, `${path} item ${index}`, 'each item'));
}

/**
 * A CSV row: the key column is the key; a lone `data` column holds the data as JSON, otherwise
 * the other columns become the data object (as text).
 */
function csvItem(row: Record<string, string>, keyColumn: string, where: string): ItemInput {
  const { [keyColumn]: key, ...rest } = row;
  if (!key) throw new CliError(`${where} has no value in column "${keyColumn}" (the item key).`);
  const columns = Object.keys(rest);
  if (columns.length === 1 && columns[0] === 'data') {
    try {
      return { key, data: JSON.parse(rest.data ?? 'null') };
    } catch {
      return { key, data: rest.data };
    }
  }
  return columns.length ? { key, data: rest } : { key };
}

export interface ItemBatch {
  items: ItemInput[];
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

/** The file's items in batches sized for one upsert request each, read as a stream. */
export async function* readItemBatches(
  path: string,
  format: ItemFormat,
  keyColumn = 'key',
): AsyncGenerator<ItemBatch> {
  const stream = createReadStream(path);
  const opened = new Promise((resolve, reject) => {
    stream.once('open', resolve);
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CliError(`Cannot read ${path}: ${error.code ?? error.message}.`)),
    );
  });
  await opened;
  if (format === 'json') {
    stream.destroy();
    const items = jsonItems(path);
    const size = fileSize(path);
    for (let from = 0; from < items.length; from += BATCH_ITEMS) {
      const done = Math.min(from + BATCH_ITEMS, items.length);
      yield { items: items.slice(from, done), bytesRead: Math.round((size * done) / items.length) };
    }
    return;
  }
  let batch: ItemInput[] = [];
  let batchBytes = 0;
  let number = 0;
  const records: AsyncIterable<unknown> =
    format === 'csv'
      ? stream.pipe(parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }))
      : createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const record of records) {
    number += 1;
    const where = `${path}:${format === 'csv' ? number + 1 : number}`;
    if (format === 'jsonl' && String(record).trim() === '') continue;
    const item =
      format === 'csv'
        ? csvItem(record as Record<string, string>, keyColumn, where)
        : jsonlItem(String(record), where);
    batch.push(item);
    batchBytes += JSON.stringify(item).length;
    if (batch.length >= BATCH_ITEMS || batchBytes >= BATCH_BYTES) {
      yield { items: batch, bytesRead: stream.bytesRead };
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length) yield { items: batch, bytesRead: stream.bytesRead };
}

export const fileSize = (path: string) => statSync(path).size;
