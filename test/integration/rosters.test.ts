import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import {
  freeCommunityCodes,
  objectOnline,
  openDecision,
  prepare,
  presentOf,
  readyCommunity,
  unanimous,
} from '../helpers/factories-decisions.js';
import { makeHouseholds, registerHouseholds, streetOf, type Client } from '../helpers/factories-needs.js';
import { encodeGbk } from '../helpers/gbk.js';

process.env.OBJECTION_RATE_LIMIT = '10000';

let ctx: TestContext;
let codes: string[];
beforeAll(async () => {
  ctx = await createTestApp();
  codes = await freeCommunityCodes(ctx);
  expect(codes.length).toBeGreaterThanOrEqual(3);
});
afterAll(async () => ctx?.close());

interface Term {
  id: number;
  body: string;
  personName: string;
  fromDate: string;
  toDate: string | null;
  replacesId: number | null;
  replacedById: number | null;
  endReason: string | null;
}
const names = (terms: Term[]) => terms.map((t) => t.personName).sort();
const rosterOn = async (client: Client, code: string, on: string) => {
  const res = await client.get(`/api/regions/${code}/roster-terms?on=${on}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { representatives: Term[]; councilMembers: Term[]; history: Term[]; masked: boolean };
};
const auditOf = (entityType: string, entityId: string) =>
  queryRows<{ action: string; actor_name: string; after: Record<string, unknown> }>(
    ctx,
    sql`select action, actor_name, after from audit_event where entity_type = ${entityType} and entity_id = ${entityId} order by seq`,
  );

describe('the roster with terms [N 3.1.2(1)]', () => {
  let code: string;
  let staff: Client;
  beforeAll(async () => {
    code = codes[0]!;
    staff = await loginAs(ctx.app, `community-${code}`);
    setToday(ctx.app, '2026-09-01');
    await registerHouseholds(staff, code, makeHouseholds(4, 'R'));
  });

  it('adds, ends and replaces members, audited, and lists the roster as it stood on a day', async () => {
    const [h1] = (await queryRows<{ id: number }>(
      ctx,
      sql`select id from household where community_code = ${code} order by household_no`,
    ))!;
    const add = (personName: string, fromDate: string, body = 'representative', householdId?: number) =>
      staff.post(`/api/regions/${code}/roster-terms`, { body, personName, fromDate, ...(householdId ? { householdId } : {}) });
    const zhou = await add('周一', '2026-01-01', 'representative', h1!.id);
    expect(zhou.statusCode, zhou.body).toBe(200);
    expect(zhou.json().term).toMatchObject({
      personName: '周一',
      householdNo: 'R-001',
      fromDate: '2026-01-01',
      toDate: null,
      inOffice: true,
    });
    const wu = (await add('吴二', '2026-03-01')).json().term as Term;
    const council = await add('冯五', '2026-02-01', 'council_member');
    expect(council.statusCode).toBe(200);

    const ended = await staff.post(`/api/roster-terms/${zhou.json().term.id}/end`, { toDate: '2026-04-30', reason: '辞去居民代表' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().term).toMatchObject({ toDate: '2026-04-30', endReason: '辞去居民代表', inOffice: false });
    const again = await staff.post(`/api/roster-terms/${zhou.json().term.id}/end`, { toDate: '2026-05-30', reason: '再次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ROSTER_TERM_ENDED');

    const replaced = await staff.post(`/api/roster-terms/${wu.id}/replace`, { endsOn: '2026-06-30', reason: '迁出', personName: '郑三' });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().ended).toMatchObject({ id: wu.id, toDate: '2026-06-30', endReason: '迁出' });
    expect(replaced.json().successor).toMatchObject({ personName: '郑三', fromDate: '2026-07-01', toDate: null, replacesId: wu.id });

    expect(names((await rosterOn(staff, code, '2026-02-01')).representatives)).toEqual(['周一']);
    expect(names((await rosterOn(staff, code, '2026-04-30')).representatives)).toEqual(['吴二', '周一']);
    expect(names((await rosterOn(staff, code, '2026-05-01')).representatives)).toEqual(['吴二']);
    expect(names((await rosterOn(staff, code, '2026-06-30')).representatives)).toEqual(['吴二']);
    const july = await rosterOn(staff, code, '2026-07-01');
    expect(names(july.representatives)).toEqual(['郑三']);
    expect(names(july.councilMembers)).toEqual(['冯五']);
    expect(july.history).toHaveLength(4);
    expect(july.history.find((t) => t.id === wu.id)!.replacedById).toBe(replaced.json().successor.id);
    // Default: today (2026-09-01).
    expect(names((await staff.get(`/api/regions/${code}/roster-terms`)).json().representatives)).toEqual(['郑三']);

    // The street reads the roster with names masked, and cannot change it.
    const street = await loginAs(ctx.app, streetOf(code));
    const seen = await rosterOn(street, code, '2026-07-01');
    expect(seen.masked).toBe(true);
    expect(seen.representatives[0]!.personName).toBe('郑*');
    expect(
      (await street.post(`/api/regions/${code}/roster-terms`, { body: 'representative', personName: '王八', fromDate: '2026-01-01' }))
        .statusCode,
    ).toBe(403);

    expect((await auditOf('roster_term', String(zhou.json().term.id))).map((a) => a.action)).toEqual([
      'roster.term.add',
      'roster.term.end',
    ]);
    const replaceAudit = (await auditOf('roster_term', String(wu.id))).map((a) => a.action);
    expect(replaceAudit).toEqual(['roster.term.add', 'roster.term.replace']);
    // Names in the audit log are masked (it is read outside the community).
    expect(JSON.stringify(await auditOf('roster_term', String(wu.id)))).not.toContain('吴二');
  });

  it('refuses bad input naming the field, and an overlapping term of the same person', async () => {
    const early = await staff.post(`/api/regions/${code}/roster-terms`, {
      body: 'council_member',
      personName: '冯五',
      fromDate: '2025-01-01',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('ROSTER_TERM_OVERLAP');
    const term = (
      await staff.post(`/api/regions/${code}/roster-terms`, { body: 'council_member', personName: '褚六', fromDate: '2026-05-01' })
    ).json().term;
    const before = await staff.post(`/api/roster-terms/${term.id}/end`, { toDate: '2026-04-30', reason: '错误' });
    expect(before.statusCode).toBe(400);
    expect(before.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'toDate' });
    expect(before.json().message).toContain('截止日期（toDate）');
    const foreign = await staff.post(`/api/regions/${code}/roster-terms`, {
      body: 'representative',
      personName: '卫七',
      fromDate: '2026-05-01',
      householdId: 999999,
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ field: 'householdId' });
    expect(foreign.json().message).toContain('householdId');
    const badDate = await staff.post(`/api/regions/${code}/roster-terms`, {
      body: 'representative',
      personName: '卫七',
      fromDate: '2026-02-30',
    });
    expect(badDate.statusCode).toBe(400);
  });

  it('two identical adds at once: one wins, the other is refused (the open-term index)', async () => {
    const body = { body: 'representative', personName: '蒋九', fromDate: '2026-08-01' };
    const results = await Promise.all([
      staff.post(`/api/regions/${code}/roster-terms`, body),
      staff.post(`/api/regions/${code}/roster-terms`, body),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('ROSTER_TERM_OVERLAP');
    const open = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from roster_term where community_code = ${code} and person_name = '蒋九' and to_date is null`,
    );
    expect(open[0]!.n).toBe(1);
  });
});

describe('decisions and notices count the roster as it stood [N 3.1.2(1)]', () => {
  it('counts the council on the meeting date, the representatives on the posting day, and objectors in office during the window', async () => {
    const code = codes[1]!;
    // Registry imported on the tests' usual date: the file's roles are in office since 2021-01-01 (ADR 0013).
    const c = await readyCommunity(ctx, code, { representatives: 5, council: 4 });
    setToday(ctx.app, '2026-04-10');
    const roster = (await rosterOn(c.staff, code, '2026-04-10')).history;
    const termOf = (body: string, name: string) => roster.find((t) => t.body === body && t.personName === name)!;
    // A council member whose term ended before the meeting, and one who takes office after it.
    const endedCouncil = c.council[3]!;
    expect(
      (
        await c.staff.post(`/api/roster-terms/${termOf('council_member', endedCouncil.headName).id}/end`, {
          toDate: '2026-03-31',
          reason: '辞任',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await c.staff.post(`/api/regions/${code}/roster-terms`, { body: 'council_member', personName: '新成员', fromDate: '2026-05-01' }))
        .statusCode,
    ).toBe(200);
    // A representative who left before the posting day, and one who takes office after it.
    const leftRep = c.representatives[4]!;
    expect(
      (
        await c.staff.post(`/api/roster-terms/${termOf('representative', leftRep.headName).id}/end`, {
          toDate: '2026-04-09',
          reason: '迁出',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await c.staff.post(`/api/regions/${code}/roster-terms`, { body: 'representative', personName: '后来者', fromDate: '2026-04-11' }))
        .statusCode,
    ).toBe(200);

    const opened = await openDecision(c);
    await prepare(c, opened.id, '2026-04-10');
    const withEnded = await c.staff.post(`/api/decisions/${opened.id}/vote`, {
      heldOn: '2026-04-10',
      body: 'council',
      presentMembers: presentOf(c.council),
      votes: unanimous(opened.projects, 4),
      minutes: '居民议事会逐项表决',
    });
    expect(withEnded.statusCode).toBe(400);
    expect(withEnded.json().field).toBe('presentMembers');
    const voted = await c.staff.post(`/api/decisions/${opened.id}/vote`, {
      heldOn: '2026-04-10',
      body: 'council',
      presentMembers: presentOf(c.council.slice(0, 3)),
      votes: unanimous(opened.projects, 3),
      minutes: '居民议事会逐项表决',
    });
    expect(voted.statusCode, voted.body).toBe(200);
    const step = await queryRows<{ expected_attendance: number }>(
      ctx,
      sql`select expected_attendance from decision_step where decision_id = ${opened.id} and body = 'council'`,
    );
    expect(step[0]!.expected_attendance).toBe(3);
    const notice = voted.json().decision.notices.at(-1);
    // 5 registered, one left on 2026-04-09, one arrives on 2026-04-11: 4 in office on the posting day.
    expect(notice).toMatchObject({ postedOn: '2026-04-10', representatives: 4, objectorsNeeded: 1 });

    setToday(ctx.app, '2026-04-12');
    const refused = await c.staff.post(`/api/decisions/notices/${notice.id}/objections`, {
      householdNo: leftRep.householdNo,
      representativeName: leftRep.headName,
      reason: '书面异议',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('NOT_A_REPRESENTATIVE');
    expect((await objectOnline(ctx.app, notice.id, leftRep)).statusCode).not.toBe(200);
    const counted = await objectOnline(ctx.app, notice.id, c.representatives[0]!);
    expect(counted.statusCode, counted.body).toBe(200);
    expect(counted.json()).toMatchObject({ objectors: 1, representatives: 4, suspended: true });
  });
});

describe('roster import [N 3.1.2(1)]', () => {
  it('imports a GBK CSV all or nothing, with a dry-run preview showing the encoding', async () => {
    const code = codes[2]!;
    const staff = await loginAs(ctx.app, `community-${code}`);
    setToday(ctx.app, '2026-09-01');
    await registerHouseholds(staff, code, makeHouseholds(3, 'G'));
    const file = (rows: string[]) => Buffer.from(encodeGbk(['类别,姓名,户号,起始日期,截止日期', ...rows].join('\r\n'))).toString('base64');
    const bad = file(['居民代表,陈一,G-001,2026-01-01,', '议事会成员,褚二,G-999,2026-01-01,', '居民代表,卫三,,2026-01-01,2025-12-31']);
    const preview = await staff.post(`/api/regions/${code}/roster-terms/import`, {
      format: 'csv',
      content: bad,
      contentEncoding: 'base64',
      dryRun: true,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, encoding: 'gb18030', created: 0 });
    expect(preview.json().errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, '户号'],
      [4, '截止日期'],
    ]);
    const refused = await staff.post(`/api/regions/${code}/roster-terms/import`, {
      format: 'csv',
      content: bad,
      contentEncoding: 'base64',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'IMPORT_INVALID', field: 'content' });
    expect(refused.json().details.errors).toHaveLength(2);
    const none = await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from roster_term where community_code = ${code}`);
    expect(none[0]!.n).toBe(0);

    const good = file(['居民代表,陈一,G-001,2026-01-01,', '议事会成员,褚二,,2024-01-01,2025-12-31', '议事会成员,褚二,,2026-01-01,']);
    const dry = await staff.post(`/api/regions/${code}/roster-terms/import`, {
      format: 'csv',
      content: good,
      contentEncoding: 'base64',
      dryRun: true,
    });
    expect(dry.json()).toMatchObject({ dryRun: true, encoding: 'gb18030', created: 3, errors: [] });
    expect(
      (await queryRows<{ n: number }>(ctx, sql`select count(*)::int as n from roster_term where community_code = ${code}`))[0]!.n,
    ).toBe(0);
    const done = await staff.post(`/api/regions/${code}/roster-terms/import`, { format: 'csv', content: good, contentEncoding: 'base64' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ dryRun: false, encoding: 'gb18030', created: 3 });
    const now = await rosterOn(staff, code, '2026-09-01');
    expect(names(now.representatives)).toEqual(['陈一']);
    expect(names(now.councilMembers)).toEqual(['褚二']);
    expect(now.history).toHaveLength(3);
    expect((await auditOf('community', code)).map((a) => a.action)).toContain('roster.import');
    // Importing the same file again overlaps every term: nothing is added.
    const twice = await staff.post(`/api/regions/${code}/roster-terms/import`, { format: 'csv', content: good, contentEncoding: 'base64' });
    expect(twice.statusCode).toBe(400);

    const template = await staff.get('/api/roster-terms/template?format=csv');
    expect(template.statusCode).toBe(200);
    expect(template.body).toContain('类别,姓名,户号,起始日期,截止日期');
  });
});

describe('migration 0016 backfill (ADR 0013)', () => {
  it('turns every flag into an open term dated no later than the community’s first meeting', async () => {
    const file = fs.readFileSync(path.resolve(__dirname, '../../server/src/db/migrations/0016_roster_terms.sql'), 'utf8');
    const data = file.slice(file.indexOf('-- data:'));
    await ctx.database.db.execute(sql`delete from roster_term`);
    await ctx.database.db.execute(sql.raw(data));
    const [flags] = await queryRows<{ n: number }>(
      ctx,
      sql`select (count(*) filter (where is_representative) + count(*) filter (where is_council_member))::int as n from household_member`,
    );
    const [terms] = await queryRows<{ n: number; open: number }>(
      ctx,
      sql`select count(*)::int as n, count(*) filter (where to_date is null)::int as open from roster_term`,
    );
    expect(flags!.n).toBeGreaterThan(0);
    expect(terms).toEqual({ n: flags!.n, open: flags!.n });
    const late = await queryRows(
      ctx,
      sql`select t.id from roster_term t join decision d on d.community_code = t.community_code
          join decision_step s on s.decision_id = d.id where s.held_on < t.from_date`,
    );
    expect(late).toEqual([]);
  });
});
