import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './db/schema.ts',
    './db/schema-automation.ts',
    './db/schema-ledger.ts',
    './db/schema-logs.ts',
  ],
  out: './db/migrations',
});
