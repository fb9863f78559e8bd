import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generateSchemaTypes, SCHEMA_PATH } from '../../client/generate';

it('client/schema.d.ts matches the API’s OpenAPI document (else: npm run client:generate)', async () => {
  const committed = readFileSync(SCHEMA_PATH, 'utf8');
  const generated = await generateSchemaTypes();
  // One clear failure, not an 8,000-line diff.
  expect(generated === committed, 'client/schema.d.ts is stale: run npm run client:generate').toBe(
    true,
  );
});
