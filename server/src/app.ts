import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { AppConfig } from './config.js';
import type { Database } from './db/client.js';
import { DomainError } from './shared/errors.js';
import { buildServices, type Services } from './services.js';
import { authenticate, enforceRouteAccess, type RouteAccess } from './modules/auth/auth.hooks.js';
import type { Actor } from './shared/access.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { regionsRoutes } from './modules/regions/regions.routes.js';
import { policyRoutes } from './modules/policy/policy.routes.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { describeValidationError } from './shared/validation.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    database: Database;
    config: AppConfig;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Every /api route declares who may call it; app start fails for a route that does not. */
    access?: RouteAccess;
  }
}

export type App = FastifyInstance;

/** The tags of the OpenAPI document, one per module, in the order of the procedure. */
export const API_TAGS = [
  ['system', '系统 System'],
  ['auth', '登录与账号 Accounts'],
  ['regions', '区域与社区 Regions'],
  ['policy', '年度政策 Policy'],
  ['calendar', '工作日历 Calendar'],
  ['audit', '审计日志 Audit'],
] as const;

export async function buildApp(config: AppConfig, database: Database): Promise<App> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'] },
    trustProxy: process.env.TRUST_PROXY === '1',
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('database', database);
  app.decorate('config', config);
  app.decorate('services', buildServices(database.db));
  app.decorateRequest('actor', null);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'StarFund API · 星级社区"以奖代补"专项资金管理平台',
        version: '0.1.0',
        description: 'Every route of the platform. Sign in with POST /api/auth/login; the session is a cookie.',
      },
      tags: API_TAGS.map(([name, description]) => ({ name, description })),
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sf_session' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    }
    if (!route.schema?.hide && !route.schema?.tags?.length) throw new Error(`route ${route.method} ${route.url} has no module tag`);
  });
  app.addHook('onRequest', authenticate);
  app.addHook('preHandler', enforceRouteAccess);

  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      return reply.status(error.status).send({
        statusCode: error.status,
        code: error.code,
        message: error.messageZh,
        messageEn: error.messageEn,
        ...(error.field ? { field: error.field } : {}),
        ...(error.clause ? { clause: error.clause } : {}),
        ...(error.details !== undefined ? { details: error.details } : {}),
      });
    }
    if (error.validation) {
      const described = describeValidationError(error.validation, error.validationContext);
      return reply.status(400).send({ statusCode: 400, code: 'INVALID_INPUT', ...described });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      return reply.status(429).send({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message: '请求过于频繁，请稍后再试', messageEn: 'Too many requests, try again later' });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, wrong content type): safe to name.
      return reply.status(status).send({ statusCode: status, code: error.code ?? 'BAD_REQUEST', message: `请求无效：${error.message}`, messageEn: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ statusCode: 500, code: 'INTERNAL', message: '服务器内部错误', messageEn: 'Internal server error' });
  });

  await app.register(
    async (api) => {
      await api.register(systemRoutes);
      await api.register(authRoutes, { prefix: '/auth' });
      await api.register(regionsRoutes);
      await api.register(policyRoutes);
      await api.register(calendarRoutes);
      await api.register(auditRoutes);
    },
    { prefix: '/api' },
  );

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  const webDir = config.webDir;
  const hasWeb = webDir !== null && fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api') && !path.extname(request.url.split('?')[0]!);
    if (hasWeb && isPage) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send({ statusCode: 404, code: 'NOT_FOUND', message: '资源不存在', messageEn: 'Not found' });
  });

  return app;
}
