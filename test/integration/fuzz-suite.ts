import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, login, type TestContext } from '../helpers/app.js';
import { verifyAll } from '../../server/src/modules/invariants/invariants.service.js';
import {
  buildUrl,
  fillQuery,
  fingerprint,
  listOperations,
  permits,
  pickSchema,
  prepareAccounts,
  sample,
  unknownValue,
  WRITE_METHODS,
  type Account,
  type JsonSchema,
  type Operation,
} from './security-fixtures.js';
import { FIELD_LABELS } from '../../server/src/common/field-labels.js';

/**
 * Schema-aware fuzzing of every write route, derived from the OpenAPI document: starting from a
 * valid body, one field at a time is made wrong (type, missing, extra, huge, negative,
 * fractional, impossible dates, Unicode edge cases, SQL and script injection), and whole bodies
 * and path parameters are mangled. Never a 5xx, never internals in the answer, a 400 always
 * names the field, and a refused request leaves the database as it was. Fixed seed, bounded runs.
 *
 * The routes are fuzzed in FUZZ_PARTS parts (route index modulo FUZZ_PARTS), one test each, spread
 * over the files `fuzz-writes-*.test.ts` (FUZZ_FILES of them) so that they run in parallel, each file
 * on its own copy of the demo city; the impossible dates have their own file (`fuzz-dates.test.ts`).
 */
const SEED = 10_2026;
const CASES_PER_ROUTE_AND_ROLE = 20;
const SYSTEMATIC_CASES_PER_ROUTE = 30;
const PATH_CASES_PER_ROUTE = 6;

let ctx: TestContext;
let ops: Operation[];
let accounts: Account[];
const cookies = new Map<string, string>();

const LEAKS =
  /\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|syntax error at or near|violates .* constraint|relation "|duplicate key|invalid byte sequence|node_modules/i;

/** Values that are wrong, hostile or merely unusual, for any field. */
const EDGE_VALUES: unknown[] = [
  // wrong types
  123,
  -7,
  true,
  null,
  [],
  {},
  'text',
  ['a'],
  { nested: 1 },
  // empty, huge
  '',
  ' ',
  'x'.repeat(100_000),
  // numbers: huge, negative, fractional money, beyond safe and 32-bit ranges
  1e308,
  -1e308,
  9_007_199_254_740_993,
  -1,
  -2_147_483_649,
  2_147_483_648,
  0.5,
  12.345,
  -0.01,
  // dates out of range or impossible
  '2023-02-30',
  '2023-13-01',
  '0000-00-00',
  '9999-12-31',
  '1899-12-31',
  '20231001',
  '2023-10-01T00:00:00Z',
  // Unicode edge cases: lone surrogates, NUL, RTL override, zero-width, emoji, combining marks
  '\uD800',
  'a\uDC00b',
  'nul\u0000byte',
  '\u202Eevil\u202C',
  'a\u200Bb\uFEFF',
  '😀👨‍👩‍👧‍👦🇨🇳',
  'é'.normalize('NFD').repeat(20),
  '\u0085\u2028\u2029',
  // injection
  "'; DROP TABLE region; --",
  "1' OR '1'='1",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil.example","x")',
  '+cmd|" /C calc"!A0',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '%00%27',
];

/** Refusals that deliberately leave a trace: a wrong current password counts towards the lockout (audited). */
const RECORDED_REFUSALS = new Set(['BAD_CURRENT_PASSWORD', 'ACCOUNT_LOCKED']);

type Segment = string | number;

/** Every place in a body a value can go (objects' properties, arrays' first element), with its schema. */
function fieldPaths(schema: JsonSchema, prefix: Segment[] = [], depth = 0): { at: Segment[]; schema: JsonSchema; required: boolean }[] {
  const s = pickSchema(schema);
  const out: { at: Segment[]; schema: JsonSchema; required: boolean }[] = [];
  if (depth > 4) return out;
  const required = new Set(s.required ?? []);
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    out.push({ at: [...prefix, key], schema: prop, required: required.has(key) });
    out.push(...fieldPaths(prop, [...prefix, key], depth + 1));
  }
  if (s.items) {
    out.push({ at: [...prefix, 0], schema: s.items, required: false });
    out.push(...fieldPaths(s.items, [...prefix, 0], depth + 1));
  }
  return out;
}

function setAt(body: unknown, at: Segment[], value: unknown, remove = false): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const seg of at.slice(0, -1)) {
    if (node[seg] === undefined || node[seg] === null || typeof node[seg] !== 'object') node[seg] = typeof seg === 'number' ? [] : {};
    node = node[seg] as Record<string | number, unknown>;
  }
  const last = at[at.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

interface Case {
  label: string;
  body: unknown;
  field: string | null; // the field the refusal must name
  pathOverride?: Record<string, unknown>;
}

function casesFor(op: Operation, valid: unknown, seed: number): Case[] {
  const systematic: Case[] = [];
  const paths = op.body ? fieldPaths(op.body) : [];
  if (op.body) {
    for (const whole of [null, [], 'body', 42]) systematic.push({ label: `body=${JSON.stringify(whole)}`, body: whole, field: null });
    systematic.push({ label: 'extra field', body: { ...(valid as object), __extra: 1 }, field: '__extra' });
    // Text PostgreSQL cannot hold faithfully, in every string field.
    for (const p of paths.filter((x) => pickSchema(x.schema).type === 'string')) {
      systematic.push({ label: `NUL in ${p.at.join('.')}`, body: setAt(valid, p.at, 'a\u0000b'), field: String(p.at[p.at.length - 1]) });
      systematic.push({
        label: `lone surrogate in ${p.at.join('.')}`,
        body: setAt(valid, p.at, 'x\uD800y'),
        field: String(p.at[p.at.length - 1]),
      });
    }
    for (const p of paths.filter((x) => x.required))
      systematic.push({
        label: `missing ${p.at.join('.')}`,
        body: setAt(valid, p.at, undefined, true),
        field: String(p.at[p.at.length - 1]),
      });
  }
  const random: Case[] = [];
  if (paths.length) {
    const arb = fc.tuple(
      fc.constantFrom(...paths),
      fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.string({ unit: 'binary', maxLength: 40 }), fc.double(), fc.integer()),
    );
    for (const [p, value] of fc.sample(arb, { seed, numRuns: CASES_PER_ROUTE_AND_ROLE })) {
      random.push({
        label: `${p.at.join('.')}=${JSON.stringify(value)?.slice(0, 60)}`,
        body: setAt(valid, p.at, value),
        field: String(p.at[p.at.length - 1]),
      });
    }
  }
  const pathParams = op.params.filter((p) => p.in === 'path');
  const pathCases: Case[] = [];
  if (pathParams.length) {
    const arb = fc.tuple(
      fc.constantFrom(...pathParams),
      fc.constantFrom(...EDGE_VALUES.filter((v) => typeof v !== 'object' || v === null)),
    );
    for (const [p, value] of fc.sample(arb, { seed: seed + 1, numRuns: PATH_CASES_PER_ROUTE })) {
      pathCases.push({
        label: `path ${p.name}=${JSON.stringify(value)?.slice(0, 60)}`,
        body: valid,
        field: null,
        pathOverride: { [p.name]: value },
      });
    }
  }
  return [...systematic.slice(0, SYSTEMATIC_CASES_PER_ROUTE), ...random.slice(0, CASES_PER_ROUTE_AND_ROLE)].concat(pathCases);
}

/** The write routes are fuzzed in this many tests (route index modulo FUZZ_PARTS)… */
export const FUZZ_PARTS = 12;
/** …spread over this many files (fuzz-writes-1…FUZZ_FILES.test.ts), part p in file p modulo FUZZ_FILES. */
export const FUZZ_FILES = 3;

let allOps: Operation[];

/** The app, its operations and signed-in accounts, for the file that calls it. */
function prepareFuzzing() {
  beforeAll(async () => {
    ctx = await createTestApp();
    allOps = await listOperations(ctx.app);
    ops = allOps.filter((o) => WRITE_METHODS.has(o.method) && o.key !== 'post /api/auth/logout');
    accounts = (await prepareAccounts(ctx.app, ctx.database)).accounts;
    for (const a of accounts) cookies.set(a.username, await login(ctx.app, a.username));
  });
  afterAll(async () => ctx?.close());
}

/** A city-wide account and a scoped one that may call the route (anonymous for public routes). */
function callersOf(op: Operation): (Account | null)[] {
  if (op.access === 'public') return [null, accounts.find((a) => a.username === 'city')!];
  const cityWide = accounts.find((a) => a.outOfScopeCode === null && a.scopePath !== null && permits(a.role, op.access));
  const scoped = [...accounts].reverse().find((a) => a.outOfScopeCode !== null && permits(a.role, op.access));
  return [cityWide, scoped].filter((a): a is Account => a !== undefined);
}

function namesField(res: LightMyRequestResponse, field: string | null): boolean {
  const body = res.json() as { field?: string; message?: string; messageEn?: string };
  // Validation stops at the first invalid field, which need not be the one this case mutated.
  if (typeof body.field === 'string' && body.field.length > 0) return true;
  const text = `${body.message ?? ''} ${body.messageEn ?? ''}`;
  return field !== null ? text.includes(field) : /字段|field/i.test(text);
}

/** The write fuzzing of the parts `file` holds (part modulo FUZZ_FILES), for `fuzz-writes-<file + 1>.test.ts`. */
export function describeWriteFuzzing(file: number) {
  prepareFuzzing();
  const parts = Array.from({ length: FUZZ_PARTS }, (_, part) => part).filter((part) => part % FUZZ_FILES === file);
  describe(`fuzzing every write route (generated from /api/openapi.json), parts ${parts.join(', ')} of ${FUZZ_PARTS}`, () => {
    it('finds write routes to fuzz', () => {
      expect(ops.length).toBeGreaterThan(5);
    });

    // One test per part of the routes (every FUZZ_PARTS-th route), so that no single test runs long and a
    // timed-out part cannot keep writing while the next test reads the database (issue 20).
    it.each(parts)('part %i: never answers 5xx, never reveals internals, names the field, and refuses without writing', async (part) => {
      const failures: string[] = [];
      let total = 0;
      for (const [index, op] of ops.entries()) {
        if (index % FUZZ_PARTS !== part) continue;
        for (const caller of callersOf(op)) {
          const code = caller?.inScopeCode ?? accounts[0]!.inScopeCode;
          const fill = { code, seed: SEED + index };
          const valid = op.body ? sample(op.body, 'body', fill) : undefined;
          const basePath: Record<string, unknown> = {};
          for (const p of op.params.filter((x) => x.in === 'path'))
            basePath[p.name] = p.name === 'id' ? unknownValue(p.schema, SEED) : sample(p.schema, p.name, fill);
          const who = `${op.key} as ${caller?.username ?? 'anonymous'}`;
          for (const c of casesFor(op, valid, SEED + index)) {
            total++;
            const url = buildUrl(op, { ...basePath, ...c.pathOverride }, fillQuery(op, fill));
            const headers: Record<string, string> = caller ? { cookie: cookies.get(caller.username)! } : {};
            const before = await fingerprint(ctx.database);
            const payload = c.body === undefined ? undefined : JSON.stringify(c.body);
            const res = await ctx.app.inject({
              method: op.method,
              url,
              headers: payload !== undefined ? { ...headers, 'content-type': 'application/json' } : headers,
              ...(payload !== undefined ? { payload } : {}),
            });
            const tag = `${who} [${c.label}] → ${res.statusCode} ${res.body.slice(0, 140)}`;
            if (res.statusCode >= 500) failures.push(tag);
            if (LEAKS.test(res.body)) failures.push(`${tag} (reveals internals)`);
            if (res.statusCode === 401 && op.access !== 'public') failures.push(`${tag} (session lost)`);
            if (res.statusCode === 400 && !namesField(res, c.field)) failures.push(`${tag} (does not name the field ${c.field ?? ''})`);
            const recordsRefusal = RECORDED_REFUSALS.has(String((res.json() as { code?: string }).code));
            if (res.statusCode >= 400 && !recordsRefusal && (await fingerprint(ctx.database)) !== before)
              failures.push(`${tag} (refused but changed the database)`);
          }
        }
      }
      if (failures.length) console.log(`${failures.length} fuzz failures of ${total} cases:\n${failures.slice(0, 200).join('\n')}`);
      expect(failures).toEqual([]);
      expect(total).toBeGreaterThan(100 / FUZZ_PARTS);
    });

    it('leaves data that passes every business invariant (npm run verify)', async () => {
      const report = await verifyAll(ctx.database.db);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Impossible dates, on every route that takes a date

/** Not real dates: each must be a 400 naming the field, wherever a date is taken. */
const IMPOSSIBLE_DATES = ['2026-02-30', '2026-13-01', '0000-00-00', '2026-2-3'];

/** Request fields named like a calendar date (they must use the one date schema). */
const DATE_LIKE_NAME = /(On|Until|Date)$|^(date|from|to|since|until)$/;

interface DateField {
  op: Operation;
  in: 'body' | 'query' | 'path';
  at: Segment[];
  /** The field the 400 must name, as the error handler writes it (`instalments.0.dueOn`). */
  field: string;
}

/** Every date field of every operation, found by its schema (`format: date`) in the OpenAPI document. */
function dateFields(operations: Operation[]): { found: DateField[]; withoutDateSchema: string[] } {
  const found: DateField[] = [];
  const withoutDateSchema: string[] = [];
  const isDate = (schema: JsonSchema) => pickSchema(schema).format === 'date';
  for (const op of operations) {
    for (const p of op.params) {
      if (isDate(p.schema)) found.push({ op, in: p.in, at: [p.name], field: p.name });
      else if (DATE_LIKE_NAME.test(p.name) && pickSchema(p.schema).type === 'string') withoutDateSchema.push(`${op.key} ${p.in} ${p.name}`);
    }
    for (const f of op.body ? fieldPaths(op.body) : []) {
      const name = String(f.at[f.at.length - 1]);
      if (isDate(f.schema)) found.push({ op, in: 'body', at: f.at, field: f.at.join('.') });
      else if (DATE_LIKE_NAME.test(name) && pickSchema(f.schema).type === 'string')
        withoutDateSchema.push(`${op.key} body ${f.at.join('.')}`);
    }
  }
  return { found, withoutDateSchema };
}

/** A valid body with `value` at `at`, building any missing parent (object or array) from its schema. */
function bodyWithValueAt(valid: unknown, schema: JsonSchema, at: Segment[], value: unknown, fill: { code: string; seed: number }): unknown {
  const copy = structuredClone(valid ?? {}) as Record<string | number, unknown>;
  let node = copy;
  let nodeSchema = pickSchema(schema);
  for (const seg of at.slice(0, -1)) {
    const childSchema = pickSchema(typeof seg === 'number' ? nodeSchema.items! : nodeSchema.properties![seg]!);
    if (node[seg] === undefined || node[seg] === null || typeof node[seg] !== 'object') node[seg] = sample(childSchema, String(seg), fill);
    const child = node[seg] as Record<string | number, unknown> | unknown[];
    if (Array.isArray(child) && child.length === 0) child.push(sample(childSchema.items ?? { type: 'string' }, String(seg), fill));
    node = child as Record<string | number, unknown>;
    nodeSchema = childSchema;
  }
  node[at[at.length - 1]!] = value;
  return copy;
}

/** The impossible dates on every route that takes one, for `fuzz-dates.test.ts`. */
export function describeImpossibleDates() {
  prepareFuzzing();
  describe('impossible dates on every route that takes one (discovered from /api/openapi.json)', () => {
    it('every date field of every route uses the one date schema (format: date)', () => {
      const { found, withoutDateSchema } = dateFields(allOps);
      expect(withoutDateSchema).toEqual([]);
      // Bodies of write routes, query strings of read routes and path parameters all take dates.
      expect(found.length).toBeGreaterThanOrEqual(25);
      expect(found.some((f) => f.in === 'query' && f.op.method === 'GET')).toBe(true);
      expect(found.some((f) => f.in === 'path')).toBe(true);
      expect(found.some((f) => f.in === 'body' && f.at.some((s) => typeof s === 'number'))).toBe(true);
      expect(found.map((f) => `${f.op.key} ${f.field}`)).toContain('post /api/street-visits visitedOn');
    });

    it('refuses 2026-02-30, 2026-13-01, 0000-00-00 and 2026-2-3 with a 400 naming the field, and changes nothing', async () => {
      const failures: string[] = [];
      let total = 0;
      for (const [index, f] of dateFields(allOps).found.entries()) {
        const { op } = f;
        // Any account the route lets through to validation (a provider for its own contract's records).
        const caller = op.access === 'public' ? null : (callersOf(op)[0] ?? accounts.find((a) => permits(a.role, op.access)) ?? null);
        const code = caller?.inScopeCode ?? accounts[0]!.inScopeCode;
        const fill = { code, seed: SEED + index };
        const valid = op.body ? sample(op.body, 'body', fill) : undefined;
        const pathValues: Record<string, unknown> = {};
        for (const p of op.params.filter((x) => x.in === 'path'))
          pathValues[p.name] = p.name === 'id' ? unknownValue(p.schema, SEED) : sample(p.schema, p.name, fill);
        const query = fillQuery(op, fill);
        for (const bad of IMPOSSIBLE_DATES) {
          total++;
          const body = f.in === 'body' ? bodyWithValueAt(valid, op.body!, f.at, bad, fill) : valid;
          const url = buildUrl(
            op,
            f.in === 'path' ? { ...pathValues, [f.field]: bad } : pathValues,
            f.in === 'query' ? { ...query, [f.field]: bad } : query,
          );
          const headers: Record<string, string> = caller ? { cookie: cookies.get(caller.username)! } : {};
          const before = await fingerprint(ctx.database);
          const payload = body === undefined ? undefined : JSON.stringify(body);
          const res = await ctx.app.inject({
            method: op.method,
            url,
            headers: payload !== undefined ? { ...headers, 'content-type': 'application/json' } : headers,
            ...(payload !== undefined ? { payload } : {}),
          });
          const tag = `${op.key} as ${caller?.username ?? 'anonymous'} [${f.in} ${f.field}=${bad}] → ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (res.statusCode !== 400) {
            failures.push(tag);
            continue;
          }
          const answer = res.json() as { code?: string; field?: string; message?: string; messageEn?: string };
          if (answer.code !== 'INVALID_INPUT' || answer.field !== f.field) failures.push(`${tag} (does not name ${f.field})`);
          // The Chinese half names the field as the form does (its label), the English half by its path.
          const label =
            FIELD_LABELS[
              f.field
                .split('.')
                .reverse()
                .find((s) => !/^\d+$/.test(s)) ?? f.field
            ];
          if (
            !label ||
            !answer.message?.includes(`「${label}」`) ||
            !/日期/.test(answer.message) ||
            !answer.messageEn?.includes(`Field ${f.field} `)
          )
            failures.push(`${tag} (the zh and en messages must name ${f.field})`);
          if ((await fingerprint(ctx.database)) !== before) failures.push(`${tag} (refused but changed the database)`);
        }
      }
      if (failures.length) console.log(`${failures.length} impossible-date failures of ${total} cases:\n${failures.join('\n')}`);
      expect(failures).toEqual([]);
      expect(total).toBeGreaterThanOrEqual(25 * IMPOSSIBLE_DATES.length);
    });
  });
}
