import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp, type App } from '../../server/src/app.js';
import { openDatabase, type Database } from '../../server/src/db/client.js';
import { lastFourDigits, normalizePersonName } from '../../server/src/modules/households/households.rules.js';
import { lastFourDigitsSql, normalizedPersonNameSql } from '../../server/src/modules/households/households.repository.js';
import { as, createTestApp, login, queryRows, setToday, type TestContext } from '../helpers/app.js';
import { freeCommunityCodes, noticedDecision, objectOnline } from '../helpers/factories-decisions.js';
import { identityOf, makeHouseholds, openCampaign, registerHouseholds, submitOnline, type Client } from '../helpers/factories-needs.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/**
 * An answer written as one statement (ADR 0022): the household identified in SQL exactly as the
 * rule in JavaScript identifies it; the at-most-one rule, the audit event and the one-time code
 * under concurrency on two app instances (one PGlite instance without DATABASE_URL); and a process
 * that remembers a campaign deciding on the campaign as it is now, whoever changed it.
 */
let ctx: TestContext;
let second: { app: App; database: Database } | null = null;
let apps: [App, App];
let codes: string[];

beforeAll(async () => {
  ctx = await createTestApp();
  if (ctx.databaseUrl) {
    const database = await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: '' });
    const app = await buildApp(ctx.app.config, database);
    await app.ready();
    second = { app, database };
  }
  apps = [ctx.app, second?.app ?? ctx.app];
  codes = await freeCommunityCodes(ctx);
}, 300_000);

afterAll(async () => {
  await second?.app.close();
  await second?.database.close();
  await ctx?.close();
});

const staffOf = async (code: string): Promise<[Client, Client]> => [
  as(apps[0], await login(apps[0], `community-${code}`)),
  as(apps[1], await login(apps[1], `community-${code}`)),
];

/** A community with registered households and an open campaign. */
async function setUp(n = 3, overrides: Record<string, unknown> = {}) {
  const code = codes.shift()!;
  const staff = await staffOf(code);
  const households = makeHouseholds(n, `OS${code.slice(6, 9)}`);
  await registerHouseholds(staff[0], code, households);
  const campaign = await openCampaign(staff[0], apps[0], code, overrides);
  return { code, staff, households, campaign };
}

const events = (campaignId: number, householdNo: string) =>
  queryRows<{ action: string; actor_user_id: number | null; actor_name: string; entity_id: string; region_path: string; after: unknown }>(
    ctx,
    sql`select action, actor_user_id, actor_name, entity_id, region_path, after from (
          select action, actor_user_id, actor_name, entity_type, entity_id, region_path, after from audit_event
          union all select action, actor_user_id, actor_name, entity_type, entity_id, region_path, after from audit_inbox) e
        where entity_type = 'needs_opinion' and (after->>'campaignId')::int = ${campaignId} and after->>'householdNo' = ${householdNo}
        order by action`,
  );

describe('identification in SQL is the rule in JavaScript', () => {
  it("normalises a head's name like normalizePersonName, for every character of the Basic Multilingual Plane", async () => {
    // Each character alone and between two letters (so that removing it shows), surrogates and NUL excluded.
    const chars: string[] = [];
    for (let cp = 1; cp < 0x10000; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCharCode(cp));
    const samples = chars.map((c) => `王${c}明`);
    const rows = await queryRows<{ i: number; n: string }>(
      ctx,
      sql`select i::int as i, ${normalizedPersonNameSql(sql`s`)} as n from unnest(${sql.param(samples)}::text[]) with ordinality as t(s, i)`,
    );
    const differences = rows.filter((r) => r.n !== normalizePersonName(samples[r.i - 1]!)).map((r) => samples[r.i - 1]!.codePointAt(1));
    expect(differences).toEqual([]);
  });

  it('takes the last four digits of a phone like lastFourDigits', async () => {
    const phones = ['13912345678', '024-8888 1234', '+86 139 1234 5678', '(024)88881234转5', '１２３４5678', '12', '', 'abc'];
    const rows = await queryRows<{ i: number; d: string }>(
      ctx,
      sql`select i::int as i, ${lastFourDigitsSql(sql`s`)} as d from unnest(${sql.param(phones)}::text[]) with ordinality as t(s, i)`,
    );
    expect(rows.map((r) => r.d)).toEqual(phones.map(lastFourDigits));
  });
});

describe(`one statement per answer, ${process.env.DATABASE_URL ? 'two instances of one PostgreSQL' : 'one PGlite instance'}`, () => {
  it('stores exactly one of 20 concurrent online answers of a household; the others get ALREADY_SUBMITTED; one audit event', async () => {
    const { households, campaign } = await setUp();
    const h = households[0]!;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submitOnline(apps[i % 2]!, campaign.id, { ...identityOf(h), choices: ['E1'] })),
    );
    const ok = responses.filter((r) => r.statusCode === 200);
    expect(ok, responses.find((r) => r.statusCode !== 409 && r.statusCode !== 200)?.body).toHaveLength(1);
    const losers = responses.filter((r) => r.statusCode !== 200);
    expect(losers.map((r) => r.statusCode)).toEqual(Array(19).fill(409));
    const today = new Date().toISOString().slice(0, 10);
    for (const l of losers) {
      expect(l.json()).toMatchObject({ code: 'ALREADY_SUBMITTED', clause: '[N 3.1.1(1)]', details: { channel: 'online_vote' } });
      expect([today, ...[-1, 1].map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10))]).toContain(
        l.json().details.submittedOn,
      );
    }
    const stored = await queryRows<{ id: number }>(
      ctx,
      sql`select o.id from needs_opinion o join household h on h.id = o.household_id where o.campaign_id = ${campaign.id} and h.household_no = ${h.householdNo}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe(ok[0]!.json().opinionId);
    expect(await events(campaign.id, h.householdNo)).toHaveLength(1);
    const check = await ctx.app.services.audit.verify();
    expect(check.ok && check.headMatches).toBe(true);
  }, 60_000);

  it('writes the audit event the services always wrote: actor, action, entity, region and the same after', async () => {
    const { code, staff, households, campaign } = await setUp(3, { allowChanges: true });
    const [online, paper] = households;
    expect(
      (await submitOnline(apps[1], campaign.id, { ...identityOf(online!), choices: ['E3', 'E1'], freeText: ' 加装电梯 ' })).statusCode,
    ).toBe(200);
    const replaced = await submitOnline(apps[0], campaign.id, { ...identityOf(online!), choices: ['E5'] });
    expect(replaced.json()).toMatchObject({ householdNo: online!.householdNo, replaced: true, revision: 2 });
    const entered = await staff[1].post(`/api/needs/campaigns/${campaign.id}/opinions`, {
      householdNo: ` ${paper!.householdNo} `,
      channel: 'courtyard_meeting',
      choices: ['E6'],
    });
    expect(entered.statusCode, entered.body).toBe(200);
    const [{ path }] = (await queryRows<{ path: string }>(ctx, sql`select path from region where code = ${code}`)) as [{ path: string }];
    const [{ id: staffId }] = (await queryRows<{ id: number }>(
      ctx,
      sql`select id from app_user where username = ${`community-${code}`}`,
    )) as [{ id: number }];
    const opinionId = String(replaced.json().opinionId);
    expect(await events(campaign.id, online!.householdNo)).toEqual([
      {
        action: 'needs.opinion.replace',
        actor_user_id: null,
        actor_name: 'resident(online)',
        entity_id: opinionId,
        region_path: path,
        after: {
          campaignId: campaign.id,
          householdNo: online!.householdNo,
          channel: 'online_vote',
          choices: ['E5'],
          hasFreeText: false,
          revision: 2,
          identifiedBy: 'registry',
        },
      },
      {
        action: 'needs.opinion.submit',
        actor_user_id: null,
        actor_name: 'resident(online)',
        entity_id: opinionId,
        region_path: path,
        after: {
          campaignId: campaign.id,
          householdNo: online!.householdNo,
          channel: 'online_vote',
          choices: ['E3', 'E1'],
          hasFreeText: true,
          revision: 1,
          identifiedBy: 'registry',
        },
      },
    ]);
    expect(await events(campaign.id, paper!.householdNo)).toEqual([
      {
        action: 'needs.opinion.enter',
        actor_user_id: staffId,
        actor_name: `community-${code}`,
        entity_id: String(entered.json().opinionId),
        region_path: path,
        after: {
          campaignId: campaign.id,
          householdNo: paper!.householdNo,
          channel: 'courtyard_meeting',
          choices: ['E6'],
          hasFreeText: false,
          revision: 1,
        },
      },
    ]);
    const [row] = await queryRows<{ free_text: string; revision: number; entered_by_user_id: number | null }>(
      ctx,
      sql`select free_text, revision, entered_by_user_id from needs_opinion where id = ${Number(opinionId)}`,
    );
    expect(row).toEqual({ free_text: null, revision: 2, entered_by_user_id: null });
    const check = await ctx.app.services.audit.verify();
    expect(check.ok && check.headMatches).toBe(true);
  }, 60_000);

  it('spends a one-time code only with a stored answer; of concurrent uses exactly one counts, the others get CODE_USED', async () => {
    const { staff, households, campaign } = await setUp(3);
    const issued = await staff[0].post(`/api/needs/campaigns/${campaign.id}/codes`, {});
    expect(issued.statusCode, issued.body).toBe(200);
    const codeOf = (no: string) => (issued.json().items as { householdNo: string; code: string }[]).find((i) => i.householdNo === no)!.code;
    // Answered on paper first: the code is refused as a second answer and stays unspent.
    const [paper, racer] = households;
    expect(
      (
        await staff[1].post(`/api/needs/campaigns/${campaign.id}/opinions`, {
          householdNo: paper!.householdNo,
          channel: 'questionnaire',
          choices: ['E1'],
        })
      ).statusCode,
    ).toBe(200);
    const refused = await submitOnline(apps[0], campaign.id, { code: codeOf(paper!.householdNo), choices: ['E3'] });
    expect(refused.json()).toMatchObject({ code: 'ALREADY_SUBMITTED', details: { channel: 'questionnaire' } });
    const unspent = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from needs_access_code a join household h on h.id = a.household_id
          where a.campaign_id = ${campaign.id} and h.household_no = ${paper!.householdNo} and a.used_at is null`,
    );
    expect(unspent[0]!.n).toBe(1);

    const code = codeOf(racer!.householdNo);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => submitOnline(apps[i % 2]!, campaign.id, { code: code.toLowerCase(), choices: ['E5'] })),
    );
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode !== 200).map((r) => r.json().code)).toEqual(Array(9).fill('CODE_USED'));
    expect(await events(campaign.id, racer!.householdNo)).toHaveLength(1);
    expect((await submitOnline(apps[1], campaign.id, { code: 'ZZZZ-ZZZZ', choices: ['E5'] })).json().code).toBe('HOUSEHOLD_NOT_IDENTIFIED');
  }, 60_000);

  it('decides on the campaign as it is now when another instance changed it after this one remembered it', async () => {
    const { staff, households, campaign } = await setUp(4);
    const [a, b, c, d] = households;
    // Instance 0 remembers the campaign with its first answer.
    expect((await submitOnline(apps[0], campaign.id, { ...identityOf(a!), choices: ['E1'] })).statusCode).toBe(200);
    // The questionnaire changes elsewhere: E1 is gone, E2 is offered.
    const patched = await staff[1].patch(`/api/needs/campaigns/${campaign.id}`, {
      questionnaire: { itemCodes: ['E2', 'E3'], freeText: false, prompt: '改过的问卷' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const gone = await submitOnline(apps[0], campaign.id, { ...identityOf(b!), choices: ['E1'] });
    expect(gone.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'choices' });
    expect((await submitOnline(apps[0], campaign.id, { ...identityOf(b!), choices: ['E2'] })).statusCode).toBe(200);
    const noText = await staff[0].post(`/api/needs/campaigns/${campaign.id}/opinions`, {
      householdNo: c!.householdNo,
      channel: 'household_vote',
      choices: ['E3'],
      freeText: '文字',
    });
    expect(noText.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'freeText' });
    // Closed elsewhere (directly in the table, as another process's conclusion would leave it).
    await ctx.database.db.execute(sql`update needs_campaign set status = 'concluded' where id = ${campaign.id}`);
    expect((await submitOnline(apps[0], campaign.id, { ...identityOf(c!), choices: ['E2'] })).json().code).toBe('CAMPAIGN_NOT_ACCEPTING');
    const closed = await staff[0].post(`/api/needs/campaigns/${campaign.id}/opinions`, {
      householdNo: d!.householdNo,
      channel: 'household_vote',
      choices: ['E3'],
    });
    expect(closed.json().code).toBe('CAMPAIGN_NOT_OPEN');
    const stored = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from needs_opinion where campaign_id = ${campaign.id}`,
    );
    expect(stored[0]!.n).toBe(2);
  }, 60_000);

  it('refuses an unregistered household on paper and an unidentified one online, writing nothing', async () => {
    const { staff, households, campaign } = await setUp(2);
    const notRegistered = await staff[0].post(`/api/needs/campaigns/${campaign.id}/opinions`, {
      householdNo: 'NO-SUCH',
      channel: 'household_vote',
      choices: ['E3'],
    });
    expect(notRegistered.json()).toMatchObject({ code: 'HOUSEHOLD_NOT_REGISTERED', field: 'householdNo' });
    const h = households[0]!;
    const wrongPhone = await submitOnline(apps[1], campaign.id, {
      ...identityOf(h),
      phoneLast4: h.phone.endsWith('1234') ? '4321' : '1234',
      choices: ['E3'],
    });
    expect(wrongPhone.json().code, wrongPhone.body).toBe('HOUSEHOLD_NOT_IDENTIFIED');
    // Spaces, a full-width space and another interpunct in the name still identify, as before.
    const spaced = await submitOnline(apps[1], campaign.id, {
      ...identityOf(h),
      headName: ` ${h.headName.slice(0, 1)}\u3000${h.headName.slice(1)} `,
      householdNo: ` ${h.householdNo} `,
      choices: ['E3'],
    });
    expect(spaced.statusCode, spaced.body).toBe(200);
    const stored = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from needs_opinion where campaign_id = ${campaign.id}`,
    );
    expect(stored[0]!.n).toBe(1);
  }, 60_000);

  it('suspends exactly once when representatives object at the same moment: the one-fifth count is held by the decision lock', async () => {
    const code = codes.shift()!;
    const { c, decision, notice } = await noticedDecision(ctx, code, '2026-06-01', { representatives: 10, council: 5 });
    new Set(apps).forEach((app) => setToday(app, '2026-06-03'));
    // 10 representatives: two objectors reach one fifth.
    const reps = c.representatives.slice(0, 10);
    const responses = await Promise.all(reps.map((rep, i) => objectOnline(apps[i % 2]!, notice.id, rep)));
    const ok = responses.filter((r) => r.statusCode === 200).map((r) => r.json());
    expect(ok, responses.find((r) => r.statusCode !== 200 && r.statusCode !== 409)?.body).toHaveLength(2);
    expect(ok.map((o) => o.objectors).sort()).toEqual([1, 2]);
    expect(ok.filter((o) => o.suspended).map((o) => o.objectors)).toEqual([2]);
    const refused = responses.filter((r) => r.statusCode !== 200);
    expect(new Set(refused.map((r) => r.json().code))).toEqual(new Set(['NOTICE_NOT_OPEN']));
    const rows = await queryRows<{ objections: number; suspends: number; objected: number; status: string }>(
      ctx,
      sql`select (select count(*)::int from decision_objection where notice_id = ${notice.id}) as objections,
            (select count(*)::int from (select entity_id, action from audit_event union all select entity_id, action from audit_inbox) e
              where e.action = 'decision.suspend' and e.entity_id = ${String(decision.id)}) as suspends,
            (select count(*)::int from (select entity_id, action from audit_event union all select entity_id, action from audit_inbox) e
              where e.action = 'decision.objection' and e.entity_id = ${String(notice.id)}) as objected,
            (select status from decision where id = ${decision.id}) as status`,
    );
    expect(rows[0]).toEqual({ objections: 2, suspends: 1, objected: 2, status: 'suspended' });
    const check = await ctx.app.services.audit.verify();
    expect(check.ok && check.headMatches).toBe(true);
  }, 120_000);
});
