import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { lazySchemaCompilers } from './schema-compilers.js';

/** Schemas compile at a route's first use (ADR 0020), with the same effect as compiled at start. */
describe('lazy schema compilers', () => {
  async function appWith(
    schemas = lazySchemaCompilers(),
    querySchema: object = { type: 'object', properties: { n: { type: 'integer' } } },
  ) {
    // No automatic HEAD route: it would hold a second validator and serializer of its own.
    const app = Fastify({ schemaController: schemas.schemaController, exposeHeadRoutes: false });
    const { Ajv } = await import('ajv');
    const ajv = new Ajv({ coerceTypes: 'array' });
    app.setValidatorCompiler(schemas.validatorCompiler(({ schema }) => ajv.compile(schema as object)));
    app.get(
      '/x',
      {
        schema: {
          querystring: querySchema,
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      async (request) => ({ n: (request.query as { n: number }).n, secret: 'not declared' }),
    );
    await app.ready();
    return app;
  }

  it('validates, coerces and serializes (dropping undeclared fields) at the first request, then compiles nothing twice', async () => {
    const schemas = lazySchemaCompilers();
    const app = await appWith(schemas);
    const ok = await app.inject({ method: 'GET', url: '/x?n=7' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ n: 7 });
    const bad = await app.inject({ method: 'GET', url: '/x?n=seven' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/integer/);
    // The query validator and the 200 serializer are compiled; nothing is left for compileAll.
    expect(schemas.compileAll()).toBe(0);
    await app.close();
  });

  it('compileAll compiles every pending schema and throws on one that does not compile', async () => {
    const schemas = lazySchemaCompilers();
    const app = await appWith(schemas);
    expect(schemas.compileAll()).toBe(2);
    expect(schemas.compileAll()).toBe(0);
    await app.close();
    const broken = lazySchemaCompilers();
    const brokenApp = await appWith(broken, { type: 'object', properties: { n: { type: 'no-such-type' } } });
    expect(() => broken.compileAll()).toThrow();
    await brokenApp.close();
  });
});
