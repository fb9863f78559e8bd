import { expect, it } from 'vitest';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/env';
import { openApiDocument } from '../api/openapi-document';

it('describes every route the API serves', () => {
  // Route listing touches no dependency, so none is given.
  const app = createApp({} as ApiDeps);
  const spec = openApiDocument();
  const served = app.routes
    .filter((route) => route.method !== 'ALL' && !['/openapi.json', '/docs'].includes(route.path))
    .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
  const described = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method} ${path}`),
  );
  expect([...new Set(served)].sort()).toEqual([...new Set(described)].sort());
});
