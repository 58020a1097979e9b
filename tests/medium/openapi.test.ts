/** The OpenAPI document at /api/docs is generated from the route schemas: every API route is in it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, openTestRuntime, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { routeTables } from '../../src/server/routes/index.ts';

let runtime: TestRuntime;
let app: App;
beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

describe('OpenAPI document', () => {
  it('documents every registered API route with its method', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    const missing: string[] = [];
    for (const route of routeTables.get(app) ?? []) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      if (!document.paths[path]?.[route.method.toLowerCase()]) missing.push(`${route.method} ${route.url}`);
    }
    expect(missing).toEqual([]);
  });

  it('describes request bodies from the zod schemas (login needs email and password)', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const login = document.paths['/api/v1/auth/login'].post;
    const schema = login.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'password']));
  });
});

describe('unknown API paths', () => {
  it('answer 404 naming the path even when signed out, while a real route still asks to sign in', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    expect(unknown.json().error.messageEn).toContain('/api/v1/no-such-thing');
    const known = await app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(known.statusCode).toBe(401);
  });
});
