import { exec, openTarget, rowsOf, targetEnv } from '../database.js';
import { startServer } from '../processes.js';
import { SYSTEM_ACTOR } from '../../server/src/modules/audit/audit.service.js';
import {
  appEnv,
  auditCheck,
  fmt,
  httpLoad,
  inProcessApp,
  ms,
  pct,
  percentile,
  ratio,
  signIn,
  type BenchContext,
  type Check,
  type LoadResult,
  type ResultRow,
} from './common.js';

/** Times `samples` sequential calls (after a short warm-up); `between` runs untimed before each call. */
async function timeCalls(samples: number, call: () => Promise<{ statusCode: number }>, between?: () => Promise<void>) {
  const durations: number[] = [];
  let failures = 0;
  for (let i = 0; i < 3; i++) await call();
  for (let i = 0; i < samples; i++) {
    if (between) await between();
    const t0 = performance.now();
    const res = await call();
    durations.push(performance.now() - t0);
    if (res.statusCode !== 200) failures++;
  }
  return { p50: percentile(durations, 50), p95: percentile(durations, 95), failures };
}

// ---------------------------------------------------------------- 3. dashboard and report queries

export async function dashboardBenchmarks(ctx: BenchContext): Promise<ResultRow[]> {
  const database = await openTarget(ctx.target);
  const rows: ResultRow[] = [];
  try {
    const app = await inProcessApp(database);
    const [root] = await rowsOf<{ code: string }>(database, `select code from region where level = 'city' order by code limit 1`);
    const [district] = await rowsOf<{ code: string }>(database, `select code from region where level = 'district' order by code limit 1`);
    const city = await signIn(app, 'city');
    const districtUser = await signIn(app, `district-${district!.code}`);
    const get =
      (url: string, cookie = city) =>
      () =>
        app.inject({ method: 'GET', url, headers: { cookie } });
    const year = ctx.fundYear;

    // The figures the dashboard shows must be the ledger's and the funnel's own (checked once, untimed).
    const dash = (await get(`/api/dashboard?fundYear=${year}`)()).json() as {
      funnel: { communities: number }[];
      money: { total?: { allocated: number }; byDistrict: { total: { allocated: number } }[] };
    };
    const [truth] = await rowsOf<{ communities: number; allocated: number }>(
      database,
      `
      select (select count(*)::int from rating r join region g on g.code = r.community_code where r.year = ${year - 1}) as communities,
             (select coalesce(sum(credits_posted), 0)::bigint from ledger_account where fund_year = ${year} and kind = 'community_available') as allocated`,
    );
    // The whole scope's total: the districts themselves come a page at a time (ADR 0023).
    const shownAllocated = dash.money?.total?.allocated ?? dash.money?.byDistrict?.reduce((s, d) => s + (d.total?.allocated ?? 0), 0);
    const checks: Check[] = [
      {
        name: 'funnel counts every rated community',
        ok: dash.funnel?.[0]?.communities === truth!.communities,
        detail: `${dash.funnel?.[0]?.communities} of ${truth!.communities}`,
      },
      {
        name: 'allocated money equals the ledger',
        ok: shownAllocated === truth!.allocated,
        detail: `${shownAllocated} vs ${truth!.allocated}`,
      },
    ];

    // A write as the product makes one: an audited transaction, chained before the next read.
    const audit = app.services.audit;
    const write = async () => {
      await database.db.transaction((tx) =>
        audit.record(tx, SYSTEM_ACTOR, { action: 'bench.write', entityType: 'benchmark', entityId: ctx.runId }),
      );
      await audit.flush();
    };
    const fresh =
      'computed afresh after a write (the snapshot of ADR 8 cannot be reused): the funnel, grades and money group the per-community progress rows (ADR 0023); the filed projects by type still read the plans';
    const cases: { id: string; title: string; call: () => Promise<{ statusCode: number }>; between?: () => Promise<void>; why?: string }[] =
      [
        {
          id: 'dashboard-city',
          title: `3a. ${ctx.scale.root.name}工作台 Dashboard, whole scope`,
          call: get(`/api/dashboard?fundYear=${year}`),
          why: fresh,
        },
        {
          id: 'dashboard-city-after-write',
          title: '3b. 工作台（每次读取前有写入）Dashboard, a write before every read',
          call: get(`/api/dashboard?fundYear=${year}`),
          between: write,
          why: fresh,
        },
        {
          id: 'dashboard-district',
          title: '3c. 区县工作台 Dashboard of one district',
          call: get(`/api/dashboard?fundYear=${year}&code=${district!.code}`, districtUser),
          why: fresh,
        },
        {
          id: 'funds-by-stars',
          title: '3d. 按区县与星级的资金 Money by district × star level',
          call: get(`/api/funds/${year}/regions/${root!.code}/by-stars`),
          why: 'groups the progress rows (ADR 0023) of the year by district and star level on each call (not snapshotted)',
        },
      ];
    // A district's mid-term report, compiled live from its projects and evaluations.
    const created = await app.inject({
      method: 'POST',
      url: '/api/district-reports',
      headers: { cookie: districtUser },
      payload: { fundYear: year, kind: 'midterm', districtCode: district!.code },
    });
    const reportId =
      created.statusCode === 200
        ? (created.json() as { id: number }).id
        : (
            await rowsOf<{ id: number }>(
              database,
              `select id from district_report where district_code = '${district!.code}' and fund_year = ${year} and kind = 'midterm'`,
            )
          )[0]?.id;
    if (reportId)
      cases.push({
        id: 'district-report',
        title: '3e. 区县中期评估报告（实时汇总）District mid-term report, compiled live',
        call: get(`/api/district-reports/${reportId}`, districtUser),
        why: 'the draft report is compiled live from every filed project and evaluation of the district on each call',
      });
    checks.push({
      name: 'district report available',
      ok: reportId !== undefined,
      detail: created.statusCode === 200 ? undefined : created.body.slice(0, 200),
    });

    for (const c of cases) {
      const t = await timeCalls(ctx.samples, c.call, c.between);
      const met = t.p95 < 100 && t.failures === 0;
      rows.push({
        id: c.id,
        scale: ctx.scale.name,
        title: c.title,
        metrics: { p50: t.p50, p95: t.p95, samples: ctx.samples, failures: t.failures },
        result: `p50 ${ms(t.p50)}, p95 ${ms(t.p95)}`,
        baseline: '—',
        ratio: '—',
        target: { text: 'p95 < 100 ms', met, why: met ? undefined : t.failures ? `${t.failures} calls failed` : c.why },
        checks: [{ name: 'every call answered 200', ok: t.failures === 0 }, ...(c.id === 'dashboard-city' ? checks : [])],
      });
    }
    await app.close();
    rows[0]!.checks.push(await auditCheck(database));
    await exec(database, `delete from district_report where id = ${reportId ?? 0} and status = 'draft'`);
  } finally {
    await database.close();
  }
  return rows;
}

// ---------------------------------------------------------------- 4. the public community page

/**
 * The public community page under 100 clients, twice — every answer in full (200), then every client
 * revalidating with the `If-None-Match` of an earlier answer (304, ADR 0024) — against the bare
 * SELECT route's baseline in the same run. Target: ≥ 60% of the baseline's throughput, p99 ≤ 1.5×
 * its p99.
 */
export async function portalBenchmark(ctx: BenchContext): Promise<ResultRow[]> {
  const database = await openTarget(ctx.target);
  // Communities at every step, spread over the whole scope.
  const communities = await rowsOf<{ code: string; name: string }>(
    database,
    `
    select code, name from region where level = 'community' order by md5(code) limit 500`,
  );
  await database.close();
  const pageOf = (code: string) => `/api/public/portal/communities/${code}?year=${ctx.fundYear}`;
  let i = 0;
  const app = await startServer('app', { ...appEnv(ctx), PORTAL_RATE_LIMIT: '1000000000' });
  let measured;
  let revalidated;
  const seen: { sample?: { community?: { code: string; name: string } } } = {};
  const fresh: number[] = [];
  let freshFailures = 0;
  /** Each page's ETag from the pass below, sent back by the revalidating clients. */
  const tags = new Map<string, string>();
  const stillValid: { ok: boolean; detail?: string } = { ok: true };
  try {
    const res = await fetch(`${app.url}${pageOf(communities[0]!.code)}`);
    seen.sample = (await res.json()) as typeof seen.sample;
    // One sequential pass first: each page computed afresh (the cost after any write), and kept.
    for (const c of communities) {
      const t0 = performance.now();
      const r = await fetch(`${app.url}${pageOf(c.code)}`);
      await r.arrayBuffer();
      fresh.push(performance.now() - t0);
      if (r.status !== 200) freshFailures++;
      const tag = r.headers.get('etag');
      if (tag) tags.set(pageOf(c.code), tag);
    }
    measured = await httpLoad({
      url: app.url,
      connections: 100,
      seconds: ctx.seconds,
      path: () => pageOf(communities[i++ % communities.length]!.code),
    });
    // The first load's last requests answered before the second starts (PGlite serves one query at a time).
    await (await fetch(`${app.url}${pageOf(communities[0]!.code)}`)).arrayBuffer();
    revalidated = await httpLoad({
      url: app.url,
      connections: 100,
      seconds: ctx.seconds,
      path: () => pageOf(communities[i++ % communities.length]!.code),
      headersFor: (path) => {
        const tag = tags.get(path);
        return tag ? { 'if-none-match': tag } : undefined;
      },
    });
    // Nothing was written meanwhile: the first page's tag still matches, and the answer is empty.
    const again = await fetch(`${app.url}${pageOf(communities[0]!.code)}`, {
      headers: { 'if-none-match': tags.get(pageOf(communities[0]!.code)) ?? '' },
    });
    const body = await again.text();
    if (again.status !== 304 || body !== '') Object.assign(stillValid, { ok: false, detail: `${again.status}, ${body.length} bytes` });
  } finally {
    await app.stop();
  }
  let j = 0;
  const bare = await startServer('bare', targetEnv(ctx.target));
  let baseline;
  try {
    baseline = await httpLoad({
      url: bare.url,
      connections: 100,
      seconds: ctx.seconds,
      path: () => `/bare/${communities[j++ % communities.length]!.code}`,
    });
  } finally {
    await bare.stop();
  }
  const baselineText = `bare SELECT route: ${fmt(baseline.requestsPerSecond)} req/s, p99 ${ms(baseline.p99)}`;
  const baselineCheck = { name: 'baseline answered 200', ok: baseline.failed === 0 && baseline.errors === 0 };
  const judged = (load: LoadResult) => {
    const r = ratio(load.requestsPerSecond, baseline.requestsPerSecond);
    const p99Ratio = load.p99 / Math.max(baseline.p99, 1);
    return { r, p99Ratio, met: r >= 0.6 && p99Ratio <= 1.5 };
  };
  const full = judged(measured);
  const conditional = judged(revalidated);
  const target = 'throughput ≥ 60% of the bare SELECT route, p99 ≤ 1.5× its p99';
  const missed = (j: { r: number; p99Ratio: number }) =>
    `${pct(j.r)} of the baseline's throughput, p99 ${fmt(j.p99Ratio, 2)}× the baseline's: every answer still passes the app's hooks (session cookie, rate limit, access, validation, security headers) and reads the data version (one small query) before its kept page or its 304; the bare route does one primary-key SELECT and nothing else, and with 100 clients the load generator and the server share the 2 cores`;
  return [
    {
      id: 'portal-community',
      scale: ctx.scale.name,
      title: `4a. 社区公开页 Public community page (100 clients, ${fmt(communities.length)} communities in turn, after one pass)`,
      metrics: {
        rps: measured.requestsPerSecond,
        p50: measured.p50,
        p99: measured.p99,
        baselineRps: baseline.requestsPerSecond,
        baselineP99: baseline.p99,
        ratio: full.r,
        p99Ratio: full.p99Ratio,
        freshP50: percentile(fresh, 50),
        freshP95: percentile(fresh, 95),
      },
      result: `${fmt(measured.requestsPerSecond)} req/s, p99 ${ms(measured.p99)} (snapshots kept); computed afresh one at a time: p50 ${ms(percentile(fresh, 50))}, p95 ${ms(percentile(fresh, 95))}`,
      baseline: baselineText,
      ratio: pct(full.r),
      target: { text: target, met: full.met, why: full.met ? undefined : missed(full) },
      checks: [
        {
          name: 'every page answered 200',
          ok: measured.failed === 0 && measured.errors === 0 && freshFailures === 0 && (measured.statusCodes['304'] ?? 0) === 0,
          detail: JSON.stringify(measured.statusCodes),
        },
        {
          name: 'the page shows the community asked for',
          ok: seen.sample?.community?.code === communities[0]!.code && seen.sample?.community?.name === communities[0]!.name,
        },
        { name: 'every page carries an ETag', ok: tags.size === communities.length, detail: `${tags.size} of ${communities.length}` },
        baselineCheck,
      ],
    },
    {
      id: 'portal-community-revalidated',
      scale: ctx.scale.name,
      title: '4b. 社区公开页，带 If-None-Match 重新验证 Public community page, clients revalidating (304 Not Modified)',
      metrics: {
        rps: revalidated.requestsPerSecond,
        p50: revalidated.p50,
        p99: revalidated.p99,
        baselineRps: baseline.requestsPerSecond,
        baselineP99: baseline.p99,
        ratio: conditional.r,
        p99Ratio: conditional.p99Ratio,
      },
      result: `${fmt(revalidated.requestsPerSecond)} req/s, p99 ${ms(revalidated.p99)} (304, no body)`,
      baseline: baselineText,
      ratio: pct(conditional.r),
      target: { text: target, met: conditional.met, why: conditional.met ? undefined : missed(conditional) },
      checks: [
        {
          name: 'every revalidation answered 304',
          ok:
            revalidated.ok > 0 &&
            revalidated.failed === 0 &&
            revalidated.errors === 0 &&
            revalidated.ok === (revalidated.statusCodes['304'] ?? 0),
          detail: JSON.stringify(revalidated.statusCodes),
        },
        { name: 'a 304 has no body, and the tag still matches after the run', ...stillValid },
        baselineCheck,
      ],
    },
  ];
}
