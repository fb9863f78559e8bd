import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:console` writes the page and `api/service/console.ts` serves it from. */
export const CONSOLE_DIST = join(dirname(fileURLToPath(import.meta.url)), 'dist');
