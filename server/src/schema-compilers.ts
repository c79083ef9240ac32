import { createRequire } from 'node:module';
import type { FastifyServerOptions, FastifySchemaCompiler } from 'fastify';

/**
 * Schemas compiled at a route's first use, not at start (ADR 0020). Compiling every route's Ajv
 * validators and fast-json-stringify serializers was most of the server's start-up CPU, for
 * hundreds of routes of which a process serves a few at first. The same compilers run, with the
 * same options, only later: behaviour (coercion, defaults, removal of fields a response does not
 * declare) is unchanged. `compileAll` compiles everything still pending, so that a test (and
 * `npm run api:check`) still fails on a schema that does not compile.
 */
export interface LazySchemaCompilers {
  validatorCompiler<T>(compile: FastifySchemaCompiler<T>): FastifySchemaCompiler<T>;
  /** The `schemaController` server option: fastify's own serializer factory, made lazy. */
  schemaController: NonNullable<FastifyServerOptions['schemaController']>;
  /** Compiles every schema not yet compiled; returns how many it compiled. */
  compileAll(): number;
}

/** A compiled validator (which fastify reads `errors` from after a call) or serializer. */
type Compiled<R = unknown> = ((data: unknown) => R) & { errors?: unknown };

export function lazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => unknown>();

  /** A function that compiles on its first call, keeping Ajv's `errors` where fastify reads them. */
  function lazy<R>(compile: () => Compiled<R>): Compiled<R> {
    let compiled: Compiled<R> | undefined;
    const ensure = () => {
      if (!compiled) {
        compiled = compile();
        pending.delete(ensure);
      }
      return compiled;
    };
    pending.add(ensure);
    const wrapper: Compiled<R> = (data) => {
      const fn = ensure();
      const result = fn(data);
      wrapper.errors = fn.errors;
      return result;
    };
    return wrapper;
  }

  // Fastify's own serializer factory (the fast-json-stringify version fastify depends on), loaded
  // from fastify's own location rather than declared again beside it.
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  const defaultSerializerFactory = (fromFastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => SerializerFactory })
    .SerializerSelector;

  return {
    validatorCompiler: (compile) => (routeSchema) => lazy(() => compile(routeSchema) as Compiled) as ReturnType<typeof compile>,
    schemaController: {
      compilersFactory: {
        buildSerializer: (externalSchemas: unknown, serializerOptions: unknown) => {
          const compile = defaultSerializerFactory()(externalSchemas, serializerOptions);
          return (routeSchema: unknown) => lazy(() => compile(routeSchema));
        },
      },
    },
    compileAll: () => {
      const all = [...pending];
      for (const ensure of all) ensure();
      return all.length;
    },
  };
}

type SerializerFactory = (externalSchemas: unknown, serializerOptions: unknown) => (routeSchema: unknown) => Compiled<string>;
