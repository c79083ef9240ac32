import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';

/**
 * The API's contract: every operation of /api/openapi.json declares what it answers on success
 * (a 2xx response with a schema, or 204 No Content) and at least one error response (4xx,
 * ErrorResponse). A declared response schema is also what Fastify serialises: undeclared fields
 * never leave the server. The web client's types are generated from this document.
 */

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

let ctx: TestContext;
let doc: { paths: Record<string, Record<string, Operation>> };

beforeAll(async () => {
  ctx = await createTestApp({ seed: false });
  const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => ctx?.close());

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

describe('the OpenAPI contract', () => {
  it('declares a success schema and the error responses of every operation', () => {
    const lacking: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        operations++;
        const responses = op.responses ?? {};
        const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
        const hasSuccessSchema = success.some(
          ([status, r]) => status === '204' || Object.values(r.content ?? {}).some((c) => c.schema !== undefined),
        );
        const hasError = Object.keys(responses).some((status) => /^4\d\d$/.test(status));
        const missing = [!hasSuccessSchema && 'no 2xx response schema', !hasError && 'no 4xx error response'].filter(Boolean);
        if (missing.length > 0) lacking.push(`${method.toUpperCase()} ${path}: ${missing.join(', ')}`);
      }
    }
    expect(operations).toBeGreaterThan(100);
    expect(lacking, `${lacking.length} of ${operations} operations lack a declared response`).toEqual([]);
  });
});
