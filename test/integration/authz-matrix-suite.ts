import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, login, type TestContext } from '../helpers/app.js';
import {
  buildUrl,
  fillQuery,
  fingerprint,
  idFor,
  leakedRegions,
  listOperations,
  permits,
  prepareAccounts,
  sample,
  touchesRegion,
  unknownValue,
  WRITE_METHODS,
  type Account,
  type Operation,
} from './security-fixtures.js';

/**
 * The authorization matrix, generated from the app's own OpenAPI document: every operation as an
 * anonymous visitor and as every role, inside and outside its scope. A new route is covered the
 * moment it is registered. Failures are collected and reported together, one line each.
 *
 * Split by module (the routes' OpenAPI tag) so that no test runs long: one test per module, the
 * modules spread over the files `authz-matrix-<n>.test.ts` (MATRIX_FILES), which run in parallel,
 * each on its own copy of the demo city prepared the same way. Every module of the document must
 * be in exactly one file, so a new module cannot escape the matrix.
 */
export const MATRIX_FILES: readonly (readonly string[])[] = [
  ['system', 'auth', 'regions', 'policy', 'calendar', 'audit', 'ratings', 'ledger'],
  ['needs', 'decisions', 'plans', 'review', 'todo', 'years', 'notify', 'reports'],
  ['procurement', 'delivery', 'evaluation', 'supervision', 'disclosure'],
];

/**
 * Each file must refuse more calls than this for lack of permission, and than this outside the
 * caller's scope: the thresholds the whole matrix once had, met by each file (about 150–240 and 45–55).
 */
const FORBIDDEN_AT_LEAST = 50;
const OUT_OF_SCOPE_AT_LEAST = 10;

let ctx: TestContext;
let ops: Operation[];
let accounts: Account[];
const cookies = new Map<string, string>();

/** Operations that end the caller's own session: called anonymously only. */
const SESSION_ENDING = new Set(['post /api/auth/logout']);

function prepareMatrix() {
  beforeAll(async () => {
    ctx = await createTestApp();
    ops = await listOperations(ctx.app);
    const prepared = await prepareAccounts(ctx.app, ctx.database);
    accounts = prepared.accounts;
    for (const a of accounts) cookies.set(a.username, await login(ctx.app, a.username));
    // Rows on both sides of the scope line: every creating route a community may call, called by
    // the community inside the tested scopes and by one of another district, each for itself.
    for (const side of [prepared.communities.inside, prepared.communities.outside]) {
      const cookie = await login(ctx.app, side.username);
      const scope = accounts.find((a) => a.role === 'community')!.scopePath;
      for (const op of ops.filter(
        (o) => o.method === 'POST' && permits('community', o.access) && o.access !== 'public' && !SESSION_ENDING.has(o.key),
      )) {
        const res = await call(
          op,
          cookie,
          side.code,
          true,
          scope === null ? null : `2101/${side.code.slice(0, 6)}/${side.code.slice(0, 9)}/${side.code}`,
        );
        expect(res.statusCode, `${op.key} as ${side.username}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }
    }
  });
  afterAll(async () => ctx?.close());
}

async function call(
  op: Operation,
  cookie: string | null,
  code: string,
  inScope: boolean,
  scopePath: string | null,
): Promise<LightMyRequestResponse> {
  const seed = 20_260_101;
  const pathValues: Record<string, unknown> = {};
  for (const p of op.params.filter((x) => x.in === 'path')) {
    if (p.name === 'id') pathValues.id = (await idFor(ctx.database, op, scopePath, inScope)) ?? unknownValue(p.schema, seed);
    else {
      const v = sample(p.schema, p.name, { code, seed });
      pathValues[p.name] = v ?? unknownValue(p.schema, seed);
    }
  }
  const url = buildUrl(op, pathValues, fillQuery(op, { code, seed }));
  const payload = op.body ? (sample(op.body, 'body', { code, seed }) as object) : WRITE_METHODS.has(op.method) ? {} : undefined;
  return ctx.app.inject({ method: op.method, url, headers: cookie ? { cookie } : {}, ...(payload !== undefined ? { payload } : {}) });
}

const describeRes = (res: LightMyRequestResponse) => `${res.statusCode} ${res.body.slice(0, 160)}`;

/** The matrix for the modules of MATRIX_FILES[file], for `authz-matrix-<file + 1>.test.ts`. */
export function describeAuthzMatrix(file: number) {
  prepareMatrix();
  const modules = MATRIX_FILES[file]!;
  const ofModules = () => ops.filter((op) => modules.includes(op.tag));
  const stats = { forbidden: 0, outOfScope: 0, inScope: 0 };

  describe(`authorization matrix (generated from /api/openapi.json): ${modules.join(', ')}`, () => {
    it('covers the known routes, each with an access rule', () => {
      expect(ops.length).toBeGreaterThan(20);
      for (const key of [
        'get /api/regions/{code}',
        'patch /api/regions/{code}/profile',
        'put /api/policy/{year}',
        'get /api/audit/events',
      ]) {
        expect(ops.map((o) => o.key)).toContain(key);
      }
    });

    it('every module of the document is in exactly one matrix file', () => {
      const assigned = MATRIX_FILES.flat();
      expect(new Set(assigned).size).toBe(assigned.length);
      expect([...new Set(ops.map((op) => op.tag))].filter((tag) => !assigned.includes(tag))).toEqual([]);
      for (const module of modules)
        expect(
          ops.some((op) => op.tag === module),
          module,
        ).toBe(true);
    });

    it('anonymous visitors get 401 from every non-public route and change nothing', async () => {
      const failures: string[] = [];
      const code = accounts[0]!.inScopeCode;
      for (const op of ofModules()) {
        const before = WRITE_METHODS.has(op.method) ? await fingerprint(ctx.database) : null;
        const res = await call(op, null, code, true, null);
        if (res.statusCode >= 500) failures.push(`${op.key} anonymous → ${describeRes(res)}`);
        if (op.access !== 'public' && res.statusCode !== 401) failures.push(`${op.key} anonymous → ${describeRes(res)} (want 401)`);
        if (op.access !== 'public' && before !== null && (await fingerprint(ctx.database)) !== before)
          failures.push(`${op.key} anonymous changed the database`);
      }
      expect(failures).toEqual([]);
    });

    it('a forged or expired session is treated as anonymous', async () => {
      const failures: string[] = [];
      for (const op of ofModules().filter((o) => o.access !== 'public')) {
        const res = await call(op, 'sf_session=forged-token-value', accounts[0]!.inScopeCode, true, null);
        if (res.statusCode !== 401) failures.push(`${op.key} forged session → ${describeRes(res)}`);
      }
      expect(failures).toEqual([]);
    });

    it.each(modules)(
      '%s, every role: 403 without the permission, 404/403 outside its scope, never a 5xx or a leak, nothing changed when refused',
      async (module) => {
        const failures: string[] = [];
        for (const op of ops.filter((o) => o.tag === module)) {
          if (SESSION_ENDING.has(op.key)) continue;
          const isWrite = WRITE_METHODS.has(op.method);
          for (const account of accounts) {
            const cookie = cookies.get(account.username)!;
            const who = `${op.key} as ${account.username}`;

            if (!permits(account.role, op.access)) {
              const before = isWrite ? await fingerprint(ctx.database) : null;
              const res = await call(op, cookie, account.inScopeCode, true, account.scopePath);
              stats.forbidden++;
              if (res.statusCode !== 403) failures.push(`${who} (lacks ${op.access}) → ${describeRes(res)} (want 403)`);
              if (before !== null && (await fingerprint(ctx.database)) !== before)
                failures.push(`${who} (lacks ${op.access}) changed the database`);
              continue;
            }

            // Outside the scope: a community of another district, or a row that belongs to one.
            const hasIdRow = op.params.some((p) => p.name === 'id') && (await idFor(ctx.database, op, account.scopePath, false)) !== null;
            if (account.outOfScopeCode && op.access !== 'public' && (touchesRegion(op) || hasIdRow)) {
              const before = isWrite ? await fingerprint(ctx.database) : null;
              const res = await call(op, cookie, account.outOfScopeCode, false, account.scopePath);
              stats.outOfScope++;
              if (process.env.MATRIX_DEBUG) console.log(`${who} OUT of scope → ${describeRes(res).slice(0, 120)}`);
              const schemaRefusal = res.statusCode === 400 && res.json().code === 'INVALID_INPUT';
              if (res.statusCode >= 500) failures.push(`${who} out of scope → ${describeRes(res)}`);
              else if (isWrite && ![403, 404].includes(res.statusCode) && !schemaRefusal)
                failures.push(`${who} out of scope → ${describeRes(res)} (want 404 or 403)`);
              else if (!isWrite && ![200, 403, 404].includes(res.statusCode) && !schemaRefusal)
                failures.push(`${who} out of scope → ${describeRes(res)} (want 404 or 403)`);
              if (res.statusCode === 200) {
                const leaks = leakedRegions(account.scopePath, res);
                if (leaks.length) failures.push(`${who} out of scope leaked ${leaks.slice(0, 5).join(', ')}`);
              }
              if (before !== null && res.statusCode >= 400 && (await fingerprint(ctx.database)) !== before)
                failures.push(`${who} out of scope changed the database (${res.statusCode})`);
            }

            // Inside the scope: allowed to work or to be refused by a rule, never to fail or leak.
            const before = isWrite ? await fingerprint(ctx.database) : null;
            const res = await call(op, cookie, account.inScopeCode, true, account.scopePath);
            stats.inScope++;
            if (res.statusCode >= 500) failures.push(`${who} in scope → ${describeRes(res)}`);
            if (res.statusCode === 401 && op.access !== 'public') failures.push(`${who} in scope → 401: the session was lost`);
            if (process.env.MATRIX_DEBUG) console.log(`${who} in scope → ${describeRes(res).slice(0, 120)}`);
            // Public routes (the portal, open data) show the whole city to anyone; their privacy has its own crawler test (disclosure.test.ts).
            if (res.statusCode >= 200 && res.statusCode < 300 && op.access !== 'public') {
              const leaks = leakedRegions(account.scopePath, res);
              if (leaks.length) failures.push(`${who} in scope leaked ${leaks.slice(0, 5).join(', ')}`);
            }
            if (before !== null && res.statusCode >= 400 && (await fingerprint(ctx.database)) !== before)
              failures.push(`${who} refused (${res.statusCode}) but changed the database`);
          }
        }
        expect(failures).toEqual([]);
      },
    );

    // Per file, so that each file shows it exercised both kinds of refusal.
    it('exercised refusals for lack of permission and outside the scope', () => {
      if (process.env.MATRIX_DEBUG) console.log(`matrix file ${file + 1}: ${JSON.stringify(stats)}`);
      expect(stats.forbidden).toBeGreaterThan(FORBIDDEN_AT_LEAST);
      expect(stats.outOfScope).toBeGreaterThan(OUT_OF_SCOPE_AT_LEAST);
    });
  });
}
