import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { CliError } from './output';

/**
 * The definitions in a YAML or JSON file (JSON is YAML): one object, a list of them, several
 * YAML documents, or a `key:` list (e.g. `jobs:` as in a jobs.yaml).
 */
export function readDefinitions(path: string, key: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}.`);
  }
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  const values: unknown[] = [];
  for (const document of documents) {
    const [error] = document.errors;
    if (error)
      throw new CliError(`${path} is not valid YAML or JSON: ${error.message.split('\n')[0]}`);
    const value = document.toJS();
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) values.push(...value);
    else if (typeof value === 'object' && Array.isArray((value as Record<string, unknown>)[key]))
      values.push(...((value as Record<string, unknown[]>)[key] ?? []));
    else values.push(value);
  }
  return values.map((value, index) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new CliError(`${path}: entry ${index + 1} is not an object.`);
    }
    return value as Record<string, unknown>;
  });
}

/** JSON with object keys sorted, so two equal values compare equal as text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
