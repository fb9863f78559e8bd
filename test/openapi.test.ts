import { validate } from '@readme/openapi-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/env';

// Neither the document, the docs page nor routing touches a dependency, so none is given.
const app = createApp({} as ApiDeps);
const served = async () => (await app.request('/openapi.json')).json() as Promise<any>;

/** Routes that serve the description itself, not the API it describes. */
/** Pages for people (the API reference, the console), not API routes: the document leaves them out. */
const isForPeople = (path: string) =>
  ['/openapi.json', '/docs', '/ui'].includes(path) ||
  path.startsWith('/docs/') ||
  path.startsWith('/ui/');

describe('/openapi.json', () => {
  it('is OpenAPI 3.1', async () => {
    const document = await served();
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.apiKey).toMatchObject({ scheme: 'bearer' });
  });

  it('passes a standard OpenAPI 3.1 validator', async () => {
    const result = await validate(await served());
    expect(result.valid, JSON.stringify('errors' in result ? result.errors : [])).toBe(true);
  });

  it('never describes a nullable field as allOf a named schema, which null cannot satisfy', async () => {
    const offending: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) {
        for (const [index, child] of node.entries()) walk(child, `${path}/${index}`);
      } else if (node && typeof node === 'object') {
        const allOf = (node as { allOf?: { type?: unknown }[] }).allOf;
        if (allOf?.some((part) => Array.isArray(part.type) && part.type.includes('null'))) {
          offending.push(path);
        }
        for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`);
      }
    };
    walk(await served(), '#');
    expect(offending).toEqual([]);
  });

  it('generates a typed client with openapi-typescript, one named operation per route', async () => {
    const document = await served();
    const source = astToString(await openapiTS(document));
    const ids = Object.values<Record<string, { operationId: string }>>(document.paths).flatMap(
      (methods) => Object.values(methods).map((operation) => operation.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(source).toContain(`${id}: {`);
  });

  it('describes every route the app registers, and nothing else', async () => {
    const document = await served();
    const registered = app.routes
      .filter((route) => route.method !== 'ALL' && !isForPeople(route.path))
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    const described = Object.entries<Record<string, unknown>>(document.paths).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect([...new Set(registered)].sort()).toEqual([...new Set(described)].sort());
    expect(described.length).toBeGreaterThan(25);
  });

  it('describes each route’s errors as problems and its path parameters', async () => {
    const document = await served();
    for (const [path, methods] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(methods)) {
        const where = `${method} ${path}`;
        const statuses = Object.keys(operation.responses);
        expect(
          statuses.some((status) => status.startsWith('2')),
          where,
        ).toBe(true);
        expect(statuses, where).toContain('500');
        if (path.startsWith('/v1/')) expect(statuses, where).toContain('401');
        if (method !== 'get') expect(statuses, where).toContain('403');
        if (operation.requestBody)
          expect(statuses, where).toEqual(expect.arrayContaining(['400', '413', '415']));
        for (const status of statuses.filter((status) => Number(status) >= 400)) {
          expect(operation.responses[status].content, `${where} ${status}`).toEqual({
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          });
        }
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        const declared = (operation.parameters ?? [])
          .filter((parameter: any) => parameter.in === 'path')
          .map((parameter: any) => parameter.name);
        expect(declared, where).toEqual(pathParams);
        expect(operation.summary, where).toBeTruthy();
      }
    }
  });

  it('takes enums and limits from the schemas that validate', async () => {
    const document = await served();
    const { schemas } = document.components;
    expect(schemas.Operation.properties.status.enum).toEqual([
      'queued',
      'running',
      'paused',
      'completed',
      'failed',
      'cancelled',
    ]);
    expect(schemas.ItemUpsert.properties.items.maxItems).toBe(5_000);
    const list = document.paths['/v1/operations'].get.parameters;
    expect(list.find((parameter: any) => parameter.name === 'limit').schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 500,
    });
    const stage = schemas.JobDefinition.properties.stages.items.properties;
    expect(stage.concurrency.description).toBeTruthy();
  });
});

describe('/docs', () => {
  it('is an HTML page that loads only files this API serves', async () => {
    const response = await app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1] ?? '');
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(url, url).toMatch(/^\/(?!\/)/);
      const asset = await app.request(url);
      expect(asset.status, url).toBe(200);
      const text = await asset.text();
      // Stylesheets may embed images as data: URLs, never fetch from elsewhere.
      if (url.endsWith('.css')) expect(text.match(/url\(\s*(?!["']?data:)[^)]*\)/g)).toBeNull();
      if (url.endsWith('init.js')) {
        expect(text).not.toMatch(/https?:\/\//);
        expect(text).toContain("'/openapi.json'");
      }
    }
  });

  it('answers 404 for a file it does not serve', async () => {
    const response = await app.request('/docs/secrets.txt');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('wrong method on a known path', () => {
  it.each([
    ['POST', '/openapi.json', 'GET, HEAD'],
    ['DELETE', '/health', 'GET, HEAD'],
    ['PUT', '/docs', 'GET, HEAD'],
  ])('%s %s is a 405 naming the allowed methods', async (method, path, allow) => {
    const response = await app.request(path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as any;
    expect(body).toMatchObject({
      type: 'https://conveyor.dev/problems/method-not-allowed',
      status: 405,
    });
  });

  it('leaves an unknown path a 404', async () => {
    expect((await app.request('/nowhere', { method: 'POST' })).status).toBe(404);
  });
});
