import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { Ajv, type AnySchema, type Options as AjvOptions } from 'ajv';
import addFormats from 'ajv-formats';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppConfig } from './config.js';
import type { Database } from './db/client.js';
import { DomainError } from './common/errors.js';
import { asDomainError } from './common/at-most-one.js';
import { buildReadServices, buildServices, type Services } from './services.js';
import { registerReadRouting } from './read-routing.js';
import { authenticate, enforceRouteAccess, type RouteAccess } from './modules/auth/auth.hooks.js';
import type { Actor } from './common/access.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { regionsRoutes } from './modules/regions/regions.routes.js';
import { policyRoutes } from './modules/policy/policy.routes.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { householdsRoutes } from './modules/households/households.routes.js';
import { needsRoutes } from './modules/needs/needs.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { ratingsRoutes } from './modules/ratings/ratings.routes.js';
import { ledgerRoutes } from './modules/ledger/ledger.routes.js';
import { decisionsRoutes } from './modules/decisions/decisions.routes.js';
import { plansRoutes } from './modules/plans/plans.routes.js';
import { evaluationRoutes } from './modules/evaluation/evaluation.routes.js';
import { supervisionRoutes } from './modules/supervision/supervision.routes.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { disclosureRoutes } from './modules/disclosure/disclosure.routes.js';
import { procurementRoutes } from './modules/procurement/procurement.routes.js';
import { deliveryRoutes } from './modules/delivery/delivery.routes.js';
import { yearsRoutes } from './modules/years/years.routes.js';
import { notifyRoutes } from './modules/notify/notify.routes.js';
import { describeValidationError } from './common/validation.js';
import { registerAuditChaining } from './modules/audit/audit.hooks.js';
import { Clock } from './common/clock.js';
import { isIsoDate } from './common/dates.js';
import { entryFor, hasWebApp, registerWebApp } from './static.js';
import { registerCompression } from './compression.js';
import { lazySchemaCompilers } from './schema-compilers.js';
import { registerHttpCache } from './http-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    database: Database;
    config: AppConfig;
    /** The application's one clock (common/clock.ts): every business date is read from it. */
    clock: Clock;
    /** Compiles every route schema not compiled yet (they compile at first use, schema-compilers.ts); returns how many. */
    compileSchemas(): number;
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
  ['needs', '需求征集与提案 Needs and proposals'],
  ['decisions', '民主决策与公示 Decisions'],
  ['plans', '使用方案与合规检查 Usage plans and compliance'],
  ['review', '街道初审与备案 Street review and filing'],
  ['todo', '待办与站内消息 To-do and messages'],
  ['notify', '提醒设置：邮件与群机器人 Reminders by e-mail and group robots'],
  ['procurement', '承接主体、采购、合同与拨付 Providers, procurement, contracts and payments'],
  ['delivery', '项目实施记录 Delivery records'],
  ['evaluation', '中期与终期评估 Evaluations'],
  ['supervision', '抽查、督导与典型案例 Spot checks, supervision and model cases'],
  ['reports', '评估报告与全市工作台 District reports and the city dashboard'],
  ['disclosure', '信息公开 Disclosure'],
  ['years', '开启新年度 Opening a fund year'],
  ['policy', '年度政策 Policy'],
  ['ratings', '星级评定 Star ratings'],
  ['ledger', '资金下达与账本 Allocations and ledger'],
  ['calendar', '工作日历 Calendar'],
  ['audit', '审计日志 Audit'],
] as const;

/**
 * The `date` format of every schema (common/schemas.ts IsoDateString): a real calendar date,
 * year 0001–9999. Replaces ajv-formats' own, which lets year 0000 through.
 */
function withStrictDate(ajv: Ajv): Ajv {
  return ajv.addFormat('date', { type: 'string', validate: isIsoDate });
}

let sharedValidators: { bodyAjv: Ajv; textAjv: Ajv } | undefined;

/**
 * The two validators of every route. Bodies are JSON and must carry the right types ("12" for a
 * number is refused, naming the field); query strings and path parameters are text by nature and
 * are coerced. One pair per process: Ajv keeps each schema it compiled, so an app built again in
 * the same process (a test file after another, two instances in a race test) reuses the routes'
 * validators instead of compiling them anew, a large share of an app's start.
 */
function validators(): { bodyAjv: Ajv; textAjv: Ajv } {
  if (!sharedValidators) {
    const ajvOptions: AjvOptions = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };
    sharedValidators = {
      bodyAjv: withStrictDate(addFormats.default(new Ajv({ ...ajvOptions, coerceTypes: false }))),
      textAjv: withStrictDate(addFormats.default(new Ajv({ ...ajvOptions, coerceTypes: 'array' }))),
    };
  }
  return sharedValidators;
}

export async function buildApp(config: AppConfig, database: Database): Promise<App> {
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'] },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    schemaController: schemas.schemaController,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies and query strings each have their validator (validators(), above), made at the first
  // compilation like the schemas themselves (schema-compilers.ts), and shared by every app of the process.
  app.setValidatorCompiler(
    schemas.validatorCompiler<AnySchema>(({ schema, httpPart }) =>
      (httpPart === 'body' ? validators().bodyAjv : validators().textAjv).compile(schema),
    ),
  );
  app.decorate('compileSchemas', schemas.compileAll);

  app.decorate('database', database);
  app.decorate('config', config);
  const clock = new Clock(config.now);
  app.decorate('clock', clock);
  const reminders = { ...config.reminders, publicBaseUrl: config.publicBaseUrl };
  app.decorate('services', buildServices(database.db, clock, reminders));
  app.decorateRequest('actor', null);
  // First, so that its scope (preValidation) wraps the other hooks and every handler (ADR 0007).
  registerAuditChaining(app);

  await app.register(cookie);
  // Public and reporting reads from the streaming replica, a session's own writes from the primary (ADR 0025).
  const replicaServices = database.replica ? buildReadServices(database.readDb, clock, reminders) : null;
  registerReadRouting(app, database.replica, app.services, replicaServices, config.secureCookies);
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
  // ETags from the data version, Cache-Control for a reverse proxy and 304s for the public API
  // (http-cache.ts, ADR 0024); before compression, whose onSend must come after its own.
  registerHttpCache(app, { sharedMaxAgeSeconds: config.publicCacheSeconds });
  // The public API's JSON compressed by Accept-Encoding (compression.ts, ADR 0019).
  await registerCompression(app);

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

  /** `METHOD /api/path/{param}` → access rule, published as `x-access` in the OpenAPI document. */
  const routeAccess = new Map<string, RouteAccess>();
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    }
    for (const method of [route.method].flat())
      routeAccess.set(`${method.toLowerCase()} ${route.url.replace(/:(\w+)/g, '{$1}')}`, route.config.access);
    if (!route.schema?.hide && !route.schema?.tags?.length) throw new Error(`route ${route.method} ${route.url} has no module tag`);
  });
  app.addHook('onRequest', authenticate);
  // Before validation: an anonymous or unauthorised caller learns nothing about a route's input.
  app.addHook('preValidation', enforceRouteAccess);
  // PostgreSQL cannot store U+0000, and a lone surrogate would be stored as U+FFFD: refuse both by name.
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const field = unstorableTextAt(value, '');
      if (field !== null) {
        const name = field || part;
        throw new DomainError(
          'INVALID_INPUT',
          {
            zh: `字段 ${name} 无效：包含无法保存的字符`,
            en: `Field ${name} is invalid: it contains a NUL or unpaired surrogate character`,
          },
          { kind: 'invalid', field: name },
        );
      }
    }
  });
  // API answers may carry personal data: never kept by a browser or a shared cache (the public
  // pages that may be kept say so with `httpCache`, which sets their Cache-Control first).
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  app.setErrorHandler((raw: FastifyError | DomainError, request, reply) => {
    // A lost race on a unique index (23505) or a deadlock/serialisation failure (40P01/40001) from
    // either driver, wherever a service did not map it itself: the rule's 409, never a 500.
    const error = asDomainError(raw) as FastifyError | DomainError;
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
      return reply.status(429).send({
        statusCode: 429,
        code: 'TOO_MANY_REQUESTS',
        message: '请求过于频繁，请稍后再试',
        messageEn: 'Too many requests, try again later',
      });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, wrong content type): safe to name.
      return reply
        .status(status)
        .send({ statusCode: status, code: error.code ?? 'BAD_REQUEST', message: `请求无效：${error.message}`, messageEn: error.message });
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
      await api.register(householdsRoutes);
      await api.register(needsRoutes);
      await api.register(ratingsRoutes);
      await api.register(ledgerRoutes);
      await api.register(decisionsRoutes);
      await api.register(procurementRoutes);
      await api.register(deliveryRoutes);
      await api.register(plansRoutes);
      await api.register(evaluationRoutes);
      await api.register(supervisionRoutes);
      await api.register(reportsRoutes);
      await api.register(disclosureRoutes);
      await api.register(yearsRoutes);
      await api.register(notifyRoutes);
    },
    { prefix: '/api' },
  );

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    withAccess(app.swagger(), routeAccess),
  );

  // The built web app: precompressed, cached by hash, two entries (static.ts, ADR 0019).
  const webDir = config.webDir;
  const hasWeb = hasWebApp(webDir);
  const hasPortalEntry = hasWeb && fs.existsSync(path.join(webDir, 'portal.html'));
  if (hasWeb) await registerWebApp(app, webDir);
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0]!;
    const isPage = request.method === 'GET' && !request.url.startsWith('/api') && !path.extname(pathname);
    if (hasWeb && isPage) return reply.type('text/html').sendFile(entryFor(pathname, hasPortalEntry));
    return reply.status(404).send({ statusCode: 404, code: 'NOT_FOUND', message: '资源不存在', messageEn: 'Not found' });
  });

  return app;
}

/** Marks each operation with its access rule (`x-access`) and, unless public, the session requirement. */
function withAccess(document: ReturnType<App['swagger']>, routeAccess: Map<string, RouteAccess>) {
  const paths = (document as { paths?: Record<string, Record<string, Record<string, unknown>>> }).paths ?? {};
  for (const [url, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const access = routeAccess.get(`${method} ${url}`);
      if (!access || typeof operation !== 'object') continue;
      operation['x-access'] = access;
      if (access !== 'public') operation.security = [{ session: [] }];
    }
  }
  return document;
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The dotted path of the first string (or key) that PostgreSQL text cannot hold faithfully, or null. */
function unstorableTextAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return at;
    const found = unstorableTextAt(child, at, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
