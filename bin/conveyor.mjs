#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a dependency), so it works after `npm ci` with no build.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
