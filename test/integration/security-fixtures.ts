/**
 * Shared by the authorization matrix and the fuzz test: the operations of the OpenAPI document,
 * the accounts to call them as, the values to fill path, query and body fields with, and a
 * cheap fingerprint of the whole database. Adding a route needs nothing here unless it takes a
 * parameter whose name is new and whose "unknown" value would not be refused as absent.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../server/src/app.js';
import type { Database } from '../../server/src/db/client.js';
import { AuthService } from '../../server/src/modules/auth/auth.service.js';
import { pathVisible, ROLE_PERMISSIONS, type Role } from '../../server/src/common/access.js';
import { DEMO_PASSWORD } from '../helpers/app.js';

export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  format?: string;
};

export interface Param {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string; // OpenAPI form: /api/regions/{code}
  key: string; // "patch /api/regions/{code}/profile"
  /** The module the route belongs to (its OpenAPI tag, one per module: app.ts API_TAGS). */
  tag: string;
  access: string;
  params: Param[];
  body: JsonSchema | null;
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every operation of the app's own OpenAPI document, with its `x-access` rule. */
export async function listOperations(app: App): Promise<Operation[]> {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        { 'x-access'?: string; tags?: string[]; parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
      >
    >;
  };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op['x-access']) throw new Error(`${method} ${path} has no x-access in the OpenAPI document`);
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        key: `${method} ${path}`,
        tag: op.tags?.[0] ?? '',
        access: op['x-access'],
        params: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops.sort((a, b) => a.key.localeCompare(b.key));
}

// ---------------------------------------------------------------------------------------------
// Accounts

export interface Account {
  username: string;
  role: Role;
  scopePath: string | null;
  /** A community inside this account's scope (region-scoped roles), for region parameters. */
  inScopeCode: string;
  /** A community outside it and not an ancestor, or null when the account sees the whole city. */
  outOfScopeCode: string | null;
}

/** The two community accounts (in and out of the tested scopes), to create rows on both sides. */
export interface CommunityPair {
  inside: { username: string; code: string };
  outside: { username: string; code: string };
}

const rowsOf = async <T>(database: Database, query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;

/**
 * The demo roles plus a provider and an evaluator account created here. The in-scope community
 * is the first community of district 210102 (和平区); the out-of-scope one is the community
 * account's community of district 210103 (沈河区).
 */
export async function prepareAccounts(app: App, database: Database): Promise<{ accounts: Account[]; communities: CommunityPair }> {
  const communities = await rowsOf<{ scope_code: string; username: string }>(
    database,
    sql`select scope_code, username from app_user where role = 'community' order by scope_code`,
  );
  const inCommunity = communities.find((c) => c.scope_code.startsWith('210102001'))!;
  const outCommunity = communities.find((c) => c.scope_code.startsWith('210103'))!;
  const passwordHash = await AuthService.hashPassword(DEMO_PASSWORD);
  await app.services.auth.insertUsers([
    { username: 'matrix-provider', displayName: '测试承接主体', passwordHash, role: 'provider', scopeCode: null, orgId: 1 },
    { username: 'matrix-evaluator', displayName: '测试评估机构', passwordHash, role: 'evaluator', scopeCode: null, orgId: 2 },
  ]);
  const names = ['city', 'finance', 'district-210102', 'street-210102001', inCommunity.username, 'matrix-provider', 'matrix-evaluator'];
  const users = await rowsOf<{ username: string; role: Role; path: string | null }>(
    database,
    sql`select u.username, u.role, r.path from app_user u left join region r on r.code = u.scope_code`,
  );
  const list = names.map((username) => {
    const u = users.find((x) => x.username === username)!;
    const cityWide = u.path === null || !u.path.includes('/');
    return {
      username,
      role: u.role,
      scopePath: u.path,
      inScopeCode: inCommunity.scope_code,
      outOfScopeCode: cityWide ? null : outCommunity.scope_code,
    };
  });
  return {
    accounts: list,
    communities: {
      inside: { username: inCommunity.username, code: inCommunity.scope_code },
      outside: { username: outCommunity.username, code: outCommunity.scope_code },
    },
  };
}

export function permits(role: Role, access: string): boolean {
  return access === 'public' || access === 'authenticated' || (ROLE_PERMISSIONS[role] as readonly string[]).includes(access);
}

// ---------------------------------------------------------------------------------------------
// Values for parameters and body fields (the allow-list)

/** Names whose value is a region code: filled with the in-scope or out-of-scope community. */
export const REGION_NAMES = new Set(['code', 'region', 'regionCode', 'communityCode', 'streetCode', 'districtCode']);

/** Fixed values by name; anything else is derived from its schema. */
export const VALUE_BY_NAME: Record<string, unknown> = {
  year: 2023,
  fundYear: 2023,
  ratingYear: 2024,
  toYear: 2099,
  date: '2023-10-01',
  from: '2023-10-01',
  opensOn: '2023-10-09',
  closesOn: '2023-10-20',
  days: 5,
  householdNo: 'M-001',
  headName: '王测试',
  phone: '13912345678',
  building: '1',
  room: '101',
  residents: 3,
  limit: 10,
  offset: 0,
};

/** Where an id path parameter of `/…/<segment>/{id}` can be found, with the row's region path. */
export const ID_SOURCES: Record<string, string> = {
  households: `select h.id::text as id, r.path from household h join region r on r.code = h.community_code order by h.id`,
  'roster-terms': `select t.id::text as id, r.path from roster_term t join region r on r.code = t.community_code order by t.id`,
  campaigns: `select c.id::text as id, r.path from needs_campaign c join region r on r.code = c.community_code order by c.id`,
  proposals: `select p.id::text as id, r.path from needs_proposal p join needs_campaign c on c.id = p.campaign_id join region r on r.code = c.community_code order by p.id`,
  transfers: `select t.id::text as id, a.region_path as path from ledger_transfer t join ledger_account a on a.id = t.credit_account_id order by t.id`,
  procurements: `select id::text as id, region_path as path from procurement order by id`,
  contracts: `select id::text as id, region_path as path from contract order by id`,
  instalments: `select i.id::text as id, c.region_path as path from contract_instalment i join contract c on c.id = i.contract_id order by i.id`,
  'payment-requests': `select r.id::text as id, c.region_path as path from payment_request r join contract c on c.id = r.contract_id order by r.id`,
  attachments: `select a.id::text as id, c.region_path as path from delivery_attachment a join contract c on c.id = a.contract_id order by a.id`,
  adjustments: `select a.id::text as id, c.region_path as path from plan_adjustment a join contract c on c.id = a.contract_id order by a.id`,
  plans: `select p.id::text as id, p.region_path as path from plan p order by p.id`,
  'plan-projects': `select pp.id::text as id, p.region_path as path from plan_project pp join plan p on p.id = pp.plan_id order by pp.id`,
  'evaluation-rounds': `select id::text as id, region_path as path from evaluation_round order by id`,
  'evaluation-assignments': `select id::text as id, region_path as path from evaluation_assignment order by id`,
  'district-reports': `select id::text as id, region_path as path from district_report order by id`,
  'spot-checks': `select id::text as id, '2101' as path from spot_check order by id`,
  findings: `select id::text as id, region_path as path from supervision_finding order by id`,
  'model-cases': `select id::text as id, region_path as path from model_case order by id`,
};

/** A value that names nothing: integer ids far beyond any row, strings that match no row. */
export const UNKNOWN_INTEGER = 987_654_321;

export function unknownValue(schema: JsonSchema, seed: number): unknown {
  const s = pickSchema(schema);
  if (s.type === 'integer' || s.type === 'number')
    return Math.min(UNKNOWN_INTEGER, typeof s.maximum === 'number' ? s.maximum : UNKNOWN_INTEGER);
  if (s.type === 'string' && s.pattern) return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { seed, numRuns: 1 })[0];
  return 'no-such-thing';
}

export interface FillContext {
  /** Region code to use for region-named fields. */
  code: string;
  seed: number;
}

/** The first alternative that is not `null`, so optional-but-nullable fields get a real value. */
export function pickSchema(schema: JsonSchema): JsonSchema {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return pickSchema(alternatives.find((a) => a.type !== 'null') ?? alternatives[0]!);
  return schema;
}

/** A value that satisfies `schema`, using the fixtures by name where one applies. */
export function sample(schema: JsonSchema, name: string, ctx: FillContext): unknown {
  const s = pickSchema(schema);
  if (REGION_NAMES.has(name) && (s.type === 'string' || s.type === undefined)) return ctx.code;
  if (name in VALUE_BY_NAME) {
    const v = VALUE_BY_NAME[name];
    if ((s.type === 'integer' && Number.isInteger(v)) || (s.type === 'string' && typeof v === 'string')) return v;
  }
  if ('const' in s) return s.const;
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'date' || s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return '2023-10-01';
      if (s.pattern) return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { seed: ctx.seed, numRuns: 1 })[0];
      const len = Math.max(s.minLength ?? 1, Math.min(4, s.maxLength ?? 4));
      return '测试样例文本'.padEnd(len, '文').slice(0, Math.max(len, Math.min(6, s.maxLength ?? 6)));
    }
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : 1;
      const max = typeof s.maximum === 'number' ? s.maximum : min + 10;
      return Math.min(Math.max(min, 1), max);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const n = s.minItems ?? 1;
      return Array.from({ length: n }, () => sample(s.items ?? { type: 'string' }, name, ctx));
    }
    case 'object':
    default: {
      // Required fields, plus optional ones the fixtures know (region codes, years, dates).
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      const entries = Object.entries(s.properties ?? {});
      for (const [key, prop] of entries) {
        if (required.has(key) || REGION_NAMES.has(key) || key in VALUE_BY_NAME) out[key] = sample(prop, key, ctx);
      }
      const minProperties = typeof s.minProperties === 'number' ? s.minProperties : 0;
      for (const [key, prop] of entries) {
        if (Object.keys(out).length >= minProperties) break;
        if (!(key in out)) out[key] = sample(prop, key, ctx);
      }
      return out;
    }
  }
}

/** Query parameters: every required one, plus region filters (they are what scope applies to). */
export function fillQuery(op: Operation, ctx: FillContext): Record<string, string> {
  const query: Record<string, string> = {};
  for (const p of op.params) {
    if (p.in !== 'query') continue;
    if (!p.required && !REGION_NAMES.has(p.name)) continue;
    query[p.name] = String(sample(p.schema, p.name, ctx));
  }
  return query;
}

export function buildUrl(op: Operation, pathValues: Record<string, unknown>, query: Record<string, string> = {}): string {
  // Lone surrogates cannot travel in a URL: they become U+FFFD, as a browser would send them.
  const wellFormed = (v: unknown) => String(v).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(wellFormed(pathValues[name])));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
}

/** True when the operation names a region anywhere: a path or query parameter, or a body field. */
export function touchesRegion(op: Operation): boolean {
  if (op.params.some((p) => REGION_NAMES.has(p.name))) return true;
  const walk = (s: JsonSchema | undefined): boolean => {
    if (!s) return false;
    const p = pickSchema(s);
    return Object.entries(p.properties ?? {}).some(([k, v]) => REGION_NAMES.has(k) || walk(v)) || walk(p.items);
  };
  return walk(op.body ?? undefined);
}

// ---------------------------------------------------------------------------------------------
// Database fingerprint and leak detection

/** Per database: how to read its fingerprint with the query planned once, not on every call. */
const fingerprintReaders = new WeakMap<Database, Promise<() => Promise<string>>>();

/**
 * Row counts of every table plus the audit chain head: any insert, delete or audited change shows.
 * The fuzzing and the matrix read it before and after thousands of calls, and planning its 60-odd
 * subqueries costs several times what running them does; so the query is planned once per
 * database: a function in PGlite's one session (PL/pgSQL keeps its plan), a named prepared
 * statement on each PostgreSQL connection. The answer is the same query's.
 */
export async function fingerprint(database: Database): Promise<string> {
  let reader = fingerprintReaders.get(database);
  if (!reader) fingerprintReaders.set(database, (reader = fingerprintReader(database)));
  return (await reader)();
}

async function fingerprintReader(database: Database): Promise<() => Promise<string>> {
  const tables = (
    await rowsOf<{ table_name: string }>(
      database,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    )
  ).map((r) => r.table_name);
  const counts = tables.map((t) => `(select count(*) from "${t}")::text`).join(` || ',' || `);
  const query = `select ${counts} || ',' || coalesce((select hash from audit_head where id = 1), '-') as f`;
  if (database.pglite) {
    const pglite = database.pglite;
    await pglite.exec(`create function pg_temp.sf_test_fingerprint() returns text language plpgsql as $$ begin return (${query}); end $$`);
    return async () => (await pglite.query<{ f: string }>('select pg_temp.sf_test_fingerprint() as f')).rows[0]!.f;
  }
  const pool = database.pool!;
  return async () => (await pool.query<{ f: string }>({ name: 'sf_test_fingerprint', text: query })).rows[0]!.f;
}

const CODE = /^2101(\d{2}(\d{3}(\d{3})?)?)?$/;
const PATH = /^2101(\/\d{6}(\/\d{9}(\/\d{12})?)?)?$/;

function pathOfCode(code: string): string {
  const parts = ['2101'];
  if (code.length >= 6) parts.push(code.slice(0, 6));
  if (code.length >= 9) parts.push(code.slice(0, 9));
  if (code.length >= 12) parts.push(code.slice(0, 12));
  return parts.join('/');
}

/**
 * Region codes and paths in a JSON answer that the caller may not see (neither in its scope nor
 * one of its ancestors). City-wide accounts see everything.
 */
export function leakedRegions(scopePath: string | null, response: LightMyRequestResponse): string[] {
  if (scopePath === null || !scopePath.includes('/')) return [];
  if (!String(response.headers['content-type'] ?? '').includes('json')) return [];
  const leaks = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const path = CODE.test(v) ? pathOfCode(v) : PATH.test(v) ? v : null;
      if (path && !pathVisible(scopePath, path)) leaks.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(response.json());
  return [...leaks];
}

/** Id parameter value for an operation: a real row in (or out of) scope when one exists. */
export async function idFor(database: Database, op: Operation, scopePath: string | null, inScope: boolean): Promise<string | null> {
  const segment = op.path
    .split('/')
    .reverse()
    .find((s, i, all) => all[i - 1] === '{id}');
  const query = segment ? ID_SOURCES[segment] : undefined;
  if (!query) return null;
  try {
    const rows = await rowsOf<{ id: string; path: string }>(database, sql.raw(query));
    const visible = (p: string) => scopePath === null || pathVisible(scopePath, p);
    const inside = (p: string) => scopePath === null || p === scopePath || p.startsWith(`${scopePath}/`);
    const row = rows.find((r) => (inScope ? inside(r.path) : !visible(r.path)));
    return row?.id ?? null;
  } catch {
    return null; // the table changed shape: fall back to an unknown id
  }
}
