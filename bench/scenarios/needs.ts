import { copyLine, copyRows, exec, openTarget, rowsOf, targetEnv } from '../database.js';
import { startServer } from '../processes.js';
import { policy2023 } from '../../server/src/seed/policy-2023.js';
import { addDays } from '../../server/src/common/dates.js';
import type { Database } from '../../server/src/db/client.js';
import {
  appEnv,
  auditCheck,
  fmt,
  httpLoad,
  inProcessApp,
  ms,
  pct,
  ratio,
  signIn,
  type BenchContext,
  type Check,
  type ResultRow,
} from './common.js';
import { hashPasswordOnce } from './accounts.js';
import { AuditService } from '../../server/src/modules/audit/audit.service.js';

/**
 * Needs collection under load: residents answering online (1) and staff importing paper forms
 * (2). Both run on campaigns of the next fund year that the benchmark opens for itself and removes
 * afterwards, so the generated data stays as it was; audit events stay (the chain is append-only).
 */

const CONNECTIONS = 50;
const ITEM_CODES = policy2023.catalogue.enhancement.map((c) => c.code);

interface BenchCampaign {
  campaignId: number;
  communityCode: string;
  households: number;
}

/** Opens a next-year campaign in each given community (the benchmark's own fixture, by SQL). */
async function openCampaigns(database: Database, ctx: BenchContext, communityCodes: string[], tag: string): Promise<BenchCampaign[]> {
  if (communityCodes.length === 0) return [];
  const year = ctx.fundYear + 1;
  const opens = addDays(ctx.today, -1);
  const closes = addDays(ctx.today, 30);
  const questionnaire = JSON.stringify({ itemCodes: ITEM_CODES, freeText: true, prompt: '基准测试' });
  const channels = JSON.stringify(['household_vote', 'questionnaire', 'online_vote']);
  const values = communityCodes
    .map(
      (code) =>
        `('${code}', ${year}, '基准测试 ${tag}', '${opens}', '${closes}', '${channels}'::jsonb, '${questionnaire}'::jsonb, false, 'open')`,
    )
    .join(',\n');
  await exec(
    database,
    `insert into needs_campaign (community_code, fund_year, title, opens_on, closes_on, channels, questionnaire, allow_changes, status) values ${values}`,
  );
  return rowsOf<BenchCampaign>(
    database,
    `
    select c.id as "campaignId", c.community_code as "communityCode", (select count(*) from household h where h.community_code = c.community_code)::int as households
    from needs_campaign c where c.fund_year = ${year} and c.title = '基准测试 ${tag}' order by c.community_code`,
  );
}

async function removeCampaigns(database: Database, ctx: BenchContext, tag: string) {
  const year = ctx.fundYear + 1;
  const ids = `(select id from needs_campaign where fund_year = ${year} and title = '基准测试 ${tag}')`;
  await exec(database, `delete from needs_opinion where campaign_id in ${ids}`);
  await exec(database, `delete from needs_campaign where id in ${ids}`);
}

/** Communities with a registry and no next-year campaign, largest registries first, up to `households`. */
async function pickCommunities(
  database: Database,
  ctx: BenchContext,
  households: number,
  skip: Set<string> = new Set(),
): Promise<string[]> {
  const rows = await rowsOf<{ code: string; n: number }>(
    database,
    `
    select h.community_code as code, count(*)::int as n from household h
    where not exists (select 1 from needs_campaign c where c.community_code = h.community_code and c.fund_year = ${ctx.fundYear + 1})
    group by h.community_code order by h.community_code`,
  );
  const picked: string[] = [];
  let total = 0;
  for (const r of rows) {
    if (total >= households) break;
    if (skip.has(r.code)) continue;
    picked.push(r.code);
    total += r.n;
  }
  return picked;
}

// ---------------------------------------------------------------- 1. online submission

export async function submissionBenchmark(ctx: BenchContext): Promise<ResultRow> {
  const tag = `submit-${ctx.runId}`;
  let database = await openTarget(ctx.target);
  // Enough households that no client ever needs one twice: a generous ceiling on what 50 clients can submit.
  const wanted = Math.max(2_000, ctx.seconds * 6_000);
  const communities = await pickCommunities(database, ctx, wanted);
  const campaigns = await openCampaigns(database, ctx, communities, tag);
  const households = await rowsOf<{ campaignId: number; householdId: number; householdNo: string; headName: string; phoneLast4: string }>(
    database,
    `
    select c.id as "campaignId", h.id as "householdId", h.household_no as "householdNo", h.head_name as "headName", right(h.phone, 4) as "phoneLast4"
    from needs_campaign c join household h on h.community_code = c.community_code
    where c.fund_year = ${ctx.fundYear + 1} and c.title = '基准测试 ${tag}' order by h.id`,
  );
  await exec(database, 'drop table if exists bench_bare');
  await exec(
    database,
    'create table bench_bare (id serial primary key, household_id integer not null, choices jsonb not null, created_at timestamptz not null default now())',
  );
  const eventsBefore = (
    await rowsOf<{ n: number }>(database, `select count(*)::int as n from audit_event where action = 'needs.opinion.submit'`)
  )[0]!.n;
  await database.close();
  ctx.log(`submission: ${fmt(campaigns.length)} campaigns, ${fmt(households.length)} households`);

  let next = 0;
  const answer = (i: number) => ({ choices: [ITEM_CODES[i % ITEM_CODES.length]!, ITEM_CODES[(i + 3) % ITEM_CODES.length]!] });
  const app = await startServer('app', { ...appEnv(ctx), NEEDS_SUBMIT_RATE_LIMIT: '1000000000', DB_POOL_MAX: '20' });
  let measured;
  try {
    // Each request names its campaign in the path: the path and body come from the same household.
    let current = households[0]!;
    measured = await httpLoad({
      url: app.url,
      method: 'POST',
      connections: CONNECTIONS,
      seconds: ctx.seconds,
      path: () => {
        current = households[next % households.length]!;
        return `/api/public/needs/campaigns/${current.campaignId}/submissions`;
      },
      body: () => {
        const h = current;
        next++;
        return { householdNo: h.householdNo, headName: h.headName, phoneLast4: h.phoneLast4, ...answer(next) };
      },
    });
  } finally {
    await app.stop();
  }
  const submitted = next;

  let bareNext = 0;
  const bare = await startServer('bare', { ...targetEnv(ctx.target), DB_POOL_MAX: '20' });
  let baseline;
  try {
    baseline = await httpLoad({
      url: `${bare.url}/bare`,
      method: 'POST',
      connections: CONNECTIONS,
      seconds: ctx.seconds,
      body: () => ({ householdId: households[bareNext++ % households.length]!.householdId, ...answer(bareNext) }),
    });
  } finally {
    await bare.stop();
  }

  database = await openTarget(ctx.target);
  const checks: Check[] = [];
  try {
    const [stored] = await rowsOf<{ n: number; households: number }>(
      database,
      `
      select count(*)::int as n, count(distinct household_id)::int as households from needs_opinion
      where campaign_id in (select id from needs_campaign where fund_year = ${ctx.fundYear + 1} and title = '基准测试 ${tag}')`,
    );
    await new AuditService(database.db).flush();
    const eventsAfter = (
      await rowsOf<{ n: number }>(database, `select count(*)::int as n from audit_event where action = 'needs.opinion.submit'`)
    )[0]!.n;
    // Answers still in flight when the load generator stopped are stored but were not counted.
    checks.push({
      name: 'every accepted answer is stored',
      ok: stored!.n >= measured.ok && stored!.n - measured.ok <= CONNECTIONS,
      detail: `${fmt(stored!.n)} stored, ${fmt(measured.ok)} counted as accepted`,
    });
    checks.push({ name: 'one household counts once', ok: stored!.n === stored!.households });
    checks.push({
      name: 'no household was offered twice',
      ok: submitted <= households.length,
      detail: `${fmt(submitted)} requests for ${fmt(households.length)} households`,
    });
    checks.push({
      name: 'one audit event per stored answer',
      ok: eventsAfter - eventsBefore === stored!.n,
      detail: `${fmt(eventsAfter - eventsBefore)} events`,
    });
    checks.push({
      name: 'no refused or failed submissions',
      ok: measured.failed === 0 && measured.errors === 0,
      detail: JSON.stringify(measured.statusCodes),
    });
    checks.push({ name: 'baseline inserts all succeeded', ok: baseline.failed === 0 && baseline.errors === 0 });
    checks.push(await auditCheck(database));
  } finally {
    await removeCampaigns(database, ctx, tag);
    await exec(database, 'drop table if exists bench_bare');
    await database.close();
  }

  const r = ratio(measured.requestsPerSecond, baseline.requestsPerSecond);
  const met = r >= 0.5 && measured.p99 < 50;
  return {
    id: 'needs-submit',
    scale: ctx.scale.name,
    title: '1. 居民网上提交意见 Opinion submission over HTTP (50 clients)',
    metrics: {
      rps: measured.requestsPerSecond,
      p50: measured.p50,
      p99: measured.p99,
      baselineRps: baseline.requestsPerSecond,
      baselineP99: baseline.p99,
      ratio: r,
    },
    result: `${fmt(measured.requestsPerSecond)} req/s, p99 ${ms(measured.p99)}`,
    baseline: `bare INSERT route: ${fmt(baseline.requestsPerSecond)} req/s, p99 ${ms(baseline.p99)}`,
    ratio: pct(r),
    target: {
      text: '≥ 50% of baseline, p99 < 50 ms',
      met,
      why: met
        ? undefined
        : "each answer is one prepared statement (identify, insert once, audit; ADR 22) like the bare route, but also passes the app's hooks (security headers, rate limit, validation, serialisation) and waits for its event to be chained before answering (ADR 7); on a busy machine the database is shared with the load generator and both servers",
    },
    checks,
  };
}

// ---------------------------------------------------------------- 2. bulk import of paper forms

export async function importBenchmark(ctx: BenchContext): Promise<ResultRow> {
  const tag = `import-${ctx.runId}`;
  const database = await openTarget(ctx.target);
  const checks: Check[] = [];
  try {
    const communities = await pickCommunities(database, ctx, ctx.importRows);
    const campaigns = await openCampaigns(database, ctx, communities, tag);
    // Every household of those communities, up to the wanted number of rows.
    const households = await rowsOf<{ campaignId: number; communityCode: string; householdId: number; householdNo: string }>(
      database,
      `
      select c.id as "campaignId", c.community_code as "communityCode", h.id as "householdId", h.household_no as "householdNo"
      from needs_campaign c join household h on h.community_code = c.community_code
      where c.fund_year = ${ctx.fundYear + 1} and c.title = '基准测试 ${tag}' order by c.community_code, h.id`,
    );
    const byCampaign = new Map<number, typeof households>();
    for (const h of households) {
      if (!byCampaign.has(h.campaignId)) byCampaign.set(h.campaignId, []);
      byCampaign.get(h.campaignId)!.push(h);
    }
    const choicesOf = (i: number) => [ITEM_CODES[i % ITEM_CODES.length]!, ITEM_CODES[(i + 2) % ITEM_CODES.length]!].sort();
    const rows = households.length;
    ctx.log(`import: ${fmt(campaigns.length)} campaigns, ${fmt(rows)} paper forms`);

    // Baseline: the same rows by raw COPY into the same table, then removed again.
    const lines = households.map((h, i) => copyLine([h.campaignId, h.householdId, 'questionnaire', choicesOf(i), null, null, 1]));
    let t0 = performance.now();
    await copyRows(
      database,
      'needs_opinion',
      ['campaign_id', 'household_id', 'channel', 'choices', 'free_text', 'entered_by_user_id', 'revision'],
      lines,
    );
    const copySeconds = (performance.now() - t0) / 1000;
    const copied = (
      await rowsOf<{ n: number }>(
        database,
        `select count(*)::int as n from needs_opinion where campaign_id in (select id from needs_campaign where fund_year = ${ctx.fundYear + 1} and title = '基准测试 ${tag}')`,
      )
    )[0]!.n;
    await exec(
      database,
      `delete from needs_opinion where campaign_id in (select id from needs_campaign where fund_year = ${ctx.fundYear + 1} and title = '基准测试 ${tag}')`,
    );

    // The product: each community's staff upload their CSV (all or nothing per file), signed in as themselves.
    const passwordHash = await hashPasswordOnce();
    const users = campaigns
      .map((c) => `('bench-${c.communityCode}', '基准测试社区', '${passwordHash}', 'community', '${c.communityCode}')`)
      .join(',\n');
    await exec(
      database,
      `insert into app_user (username, display_name, password_hash, role, scope_code) values ${users} on conflict (username) do nothing`,
    );
    const app = await inProcessApp(database);
    const cookies = new Map<string, string>();
    for (const c of campaigns) cookies.set(c.communityCode, await signIn(app, `bench-${c.communityCode}`));
    const files = campaigns.map((c) => {
      const own = byCampaign.get(c.campaignId) ?? [];
      const offset = households.indexOf(own[0]!);
      const body = own.map((h, i) => `${h.householdNo},问卷,${choicesOf(offset + i).join('、')},`).join('\n');
      return { campaign: c, content: `户号,渠道,选择,意见\n${body}\n`, rows: own.length };
    });
    const eventsBefore = (
      await rowsOf<{ n: number }>(database, `select count(*)::int as n from audit_event where action = 'needs.opinion.import'`)
    )[0]!.n;
    let imported = 0;
    let refused = 0;
    t0 = performance.now();
    for (const f of files) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/needs/campaigns/${f.campaign.campaignId}/opinions/import`,
        headers: { cookie: cookies.get(f.campaign.communityCode)! },
        payload: { format: 'csv', content: f.content },
      });
      if (res.statusCode === 200) imported += (res.json() as { created: number }).created;
      else refused++;
    }
    const importSeconds = (performance.now() - t0) / 1000;
    await app.close();

    const [stored] = await rowsOf<{ n: number; households: number }>(
      database,
      `
      select count(*)::int as n, count(distinct household_id)::int as households from needs_opinion
      where campaign_id in (select id from needs_campaign where fund_year = ${ctx.fundYear + 1} and title = '基准测试 ${tag}')`,
    );
    await new AuditService(database.db).flush();
    const eventsAfter = (
      await rowsOf<{ n: number }>(database, `select count(*)::int as n from audit_event where action = 'needs.opinion.import'`)
    )[0]!.n;
    checks.push({ name: 'raw COPY wrote every row', ok: copied === rows, detail: `${fmt(copied)} of ${fmt(rows)}` });
    checks.push({
      name: 'every file imported',
      ok: refused === 0 && imported === rows,
      detail: `${fmt(imported)} rows, ${refused} files refused`,
    });
    checks.push({ name: 'stored once per household', ok: stored!.n === rows && stored!.households === rows });
    checks.push({ name: 'one audit event per file', ok: eventsAfter - eventsBefore === files.length });
    checks.push(await auditCheck(database));

    const copyRate = rows / copySeconds;
    const importRate = imported / importSeconds;
    const r = ratio(importRate, copyRate);
    const met = r >= 0.3;
    return {
      id: 'needs-import',
      scale: ctx.scale.name,
      title: `2. 纸质问卷批量导入 Bulk import of ${fmt(rows)} paper opinions (CSV, ${fmt(files.length)} files)`,
      metrics: {
        rows,
        files: files.length,
        rowsPerSecond: importRate,
        seconds: importSeconds,
        copyRowsPerSecond: copyRate,
        copySeconds,
        ratio: r,
      },
      result: `${fmt(importRate)} rows/s (${fmt(importSeconds, 1)} s)`,
      baseline: `raw COPY: ${fmt(copyRate)} rows/s (${fmt(copySeconds, 1)} s)`,
      ratio: pct(r),
      target: {
        text: '≥ 30% of raw COPY',
        met,
        why: met
          ? undefined
          : 'each file is parsed, every row validated against the questionnaire, resolved in the registry and checked against earlier answers before one INSERT … SELECT FROM unnest; COPY skips all of that. Sign-in and the per-file audit event are included',
      },
      checks,
    };
  } finally {
    await removeCampaigns(database, ctx, tag);
    await exec(database, `delete from user_session where user_id in (select id from app_user where username like 'bench-%')`);
    await database.close();
  }
}
