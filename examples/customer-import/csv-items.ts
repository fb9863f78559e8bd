/**
 * Turns a CRM export (CSV with a header row) into the body of `POST /v1/collections/{id}/items`:
 * one item per row, keyed by `customer_id` so a re-import updates customers instead of adding
 * them again (a customer listed twice keeps its later row), its fields kept as the file wrote
 * them (customer.normalise does the cleaning).
 *
 *   npx tsx examples/customer-import/csv-items.ts examples/customer-import/customers.csv
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';

export interface ItemInput {
  key: string;
  data: Record<string, string>;
}

export function csvToItems(csv: string): ItemInput[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const byKey = new Map<string, ItemInput>();
  rows.forEach((row, index) => {
    // A row without an id still becomes an item, keyed by its line, so its failure is reported.
    const key = row.customer_id?.trim() || `line-${index + 2}`;
    // An export that lists a customer twice holds its later state in the later row.
    byKey.delete(key);
    byKey.set(key, { key, data: row });
  });
  return [...byKey.values()];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx examples/customer-import/csv-items.ts <file.csv>');
    process.exit(1);
  }
  console.log(JSON.stringify({ items: csvToItems(readFileSync(file, 'utf8')) }));
}
