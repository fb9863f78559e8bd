import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/env';

/** Where the committed types live, beside this script. */
export const SCHEMA_PATH = new URL('./schema.d.ts', import.meta.url);

const HEADER =
  '// Generated from /openapi.json by `npm run client:generate`; do not edit by hand.\n' +
  '// test/cli/client-schema.test.ts fails when this file no longer matches the API.\n\n';

const BIOME = new URL('../node_modules/.bin/biome', import.meta.url).pathname;

/**
 * The client's types, from the same document the API serves: an app without dependencies
 * describes every route, as test/openapi.test.ts relies on. Formatted as biome formats the
 * tree, so `npm run format` leaves the committed file as generated.
 */
export async function generateSchemaTypes(): Promise<string> {
  const app = createApp({} as ApiDeps);
  const document = (await (await app.request('/openapi.json')).json()) as OpenAPI3;
  const source = HEADER + astToString(await openapiTS(document));
  return execFileSync(BIOME, ['format', `--stdin-file-path=${SCHEMA_PATH.pathname}`], {
    input: source,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_PATH, await generateSchemaTypes());
  console.log(`Wrote ${SCHEMA_PATH.pathname}`);
}
