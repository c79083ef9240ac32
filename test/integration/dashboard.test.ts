import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setTestNow, setToday, type TestContext } from '../helpers/app.js';
import type { Client } from '../helpers/factories-needs.js';

/**
 * The city dashboard's figures for the seeded demo city (fund year 2026), pinned as the
 * JS-counting implementation returned them, so that counting in SQL is shown to return the same.
 */

const DISTRICT = '210115'; // 辽中区: one community went through to the mid-term evaluation
const FUNNEL = [
  ['allocated', '资金下达'],
  ['needs', '需求征集'],
  ['decided', '民主决策'],
  ['filed', '方案备案'],
  ['contracted', '签订合同'],
  ['midterm', '中期评估'],
  ['final', '终期评估'],
];

interface Dashboard {
  fundYear: number;
  region: { code: string; name: string; level: string };
  today: string;
  funnel: { key: string; label: string; communities: number }[];
  byDistrict: { districtCode: string; districtName: string; steps: { key: string; communities: number }[] }[];
  communities: {
    code: string;
    name: string;
    streetName: string;
    districtCode: string;
    districtName: string;
    stars: number;
    step: number;
    stepKey: string;
    stepLabel: string;
  }[];
  money: {
    levels: number[];
    byDistrict: {
      districtCode: string;
      districtName: string;
      byStars: { stars: number; communities: number; allocated: number; committed: number; paid: number; available: number }[];
      total: { allocated: number; committed: number; paid: number; available: number };
    }[];
  };
  byType: { catalogueCode: string; category: string; name: string; projects: number; budgetFen: number; contractedFen: number }[];
  grades: Record<'midterm' | 'final', { excellent: number; good: number; pass: number; fail: number; outstanding: number }>;
  overdue: {
    reviews: { id: number; title: string; reviewDueOn: string; link: string }[];
    evaluationRounds: { id: number; districtName: string; kindLabel: string; dueOn: string; outstanding: number; link: string }[];
    findings: { id: number; communityName: string; deadlineOn: string; description: string; link: string }[];
  };
}

// Compact one-line forms, so that whole tables are compared at once.
const steps = (d: Dashboard) =>
  d.byDistrict.map((b) => `${b.districtCode} ${b.districtName} ${b.steps.map((s) => s.communities).join(',')}`);
const money = (d: Dashboard) =>
  d.money.byDistrict.map(
    (x) =>
      `${x.districtCode} ${x.districtName} ${x.byStars.map((b) => `${b.stars}:${b.communities}:${b.allocated}/${b.committed}/${b.paid}/${b.available}`).join(' ')} = ${x.total.allocated}/${x.total.committed}/${x.total.paid}/${x.total.available}`,
  );
const types = (d: Dashboard) =>
  d.byType.map((t) => `${t.catalogueCode} ${t.category} ${t.name} ${t.projects} ${t.budgetFen} ${t.contractedFen}`);
const communities = (d: Dashboard) =>
  d.communities.map((c) => `${c.code} ${c.name} ${c.streetName} ${c.stars} ${c.step} ${c.stepKey} ${c.stepLabel}`);

const TYPES = [
  'B1 basic 创建社区社工室 1 600000 1200000',
  'B2 basic 孵化社区社会组织 1 600000 0',
  'B3 basic 培育居民骨干（能人、达人） 1 600000 1100000',
  'E1 enhancement 社区共治 1 500000 0',
  'E3 enhancement 社会关爱 1 500000 0',
  'E4 enhancement 文明新风 1 500000 0',
  'E5 enhancement 为老服务 1 500000 0',
  'E6 enhancement 儿童服务 1 500000 1000000',
  'E7 enhancement 志愿者培育 1 500000 0',
];
/** The city adds the demo area plan of three communities in 210102 (ADR 0014): its lines, and its shared E7 contract. */
const CITY_TYPES = [
  'B1 basic 创建社区社工室 4 2400000 1200000',
  'B2 basic 孵化社区社会组织 4 2400000 0',
  'B3 basic 培育居民骨干（能人、达人） 4 2400000 1100000',
  'E1 enhancement 社区共治 1 500000 0',
  'E3 enhancement 社会关爱 3 1500000 0',
  'E4 enhancement 文明新风 1 500000 0',
  'E5 enhancement 为老服务 3 1500000 0',
  'E6 enhancement 儿童服务 3 1500000 1000000',
  'E7 enhancement 志愿者培育 2 3500000 3000000',
];
const GRADES = {
  midterm: { excellent: 3, good: 3, pass: 3, fail: 0, outstanding: 0 },
  final: { excellent: 0, good: 0, pass: 0, fail: 0, outstanding: 9 },
};
const DISTRICT_MONEY =
  '210115 辽中区 5:4:80000000/2820000/480000/76700000 4:7:70000000/0/0/70000000 3:16:80000000/0/0/80000000 = 230000000/2820000/480000/226700000';
const OVERDUE_REVIEW = { id: 3, title: '2026 年度嘉陵社区"以奖代补"专项资金使用方案', link: '/plans/3' };

let ctx: TestContext;
let city: Client;
let district: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  city = await loginAs(ctx.app, 'city');
  district = await loginAs(ctx.app, `district-${DISTRICT}`);
});
afterAll(async () => ctx?.close());

async function dashboard(client: Client, query = ''): Promise<Dashboard> {
  const res = await client.get(`/api/dashboard?fundYear=2026${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('the dashboard of the demo city, fund year 2026', () => {
  it('city root: funnel, districts, money, types, grades and overdue items', async () => {
    const d = await dashboard(city);
    expect(d.fundYear).toBe(2026);
    expect(d.region).toEqual({ code: '2101', name: '沈阳市', level: 'city' });
    expect(d.funnel).toEqual(FUNNEL.map(([key, label], i) => ({ key, label, communities: [350, 12, 11, 4, 4, 1, 0][i] })));
    expect(steps(d)).toEqual([
      '210102 和平区 27,5,4,3,3,0,0',
      '210103 沈河区 27,0,0,0,0,0,0',
      '210104 大东区 27,0,0,0,0,0,0',
      '210105 皇姑区 27,0,0,0,0,0,0',
      '210106 铁西区 27,0,0,0,0,0,0',
      '210111 苏家屯区 27,0,0,0,0,0,0',
      '210112 浑南区 27,5,5,0,0,0,0',
      '210113 沈北新区 27,0,0,0,0,0,0',
      '210114 于洪区 27,1,1,0,0,0,0',
      '210115 辽中区 27,1,1,1,1,1,0',
      '210123 康平县 27,0,0,0,0,0,0',
      '210124 法库县 27,0,0,0,0,0,0',
      '210181 新民市 26,0,0,0,0,0,0',
    ]);
    expect(d.byDistrict.every((b) => b.steps.map((s) => s.key).join() === FUNNEL.map(([k]) => k).join())).toBe(true);
    // At city level the per-community list is left out.
    expect(d.communities).toEqual([]);
    expect(d.money.levels).toEqual([5, 4, 3]);
    expect(money(d)).toEqual([
      '210102 和平区 5:4:80000000/0/0/80000000 4:8:80000000/1333333/666667/78000000 3:15:75000000/666667/333333/74000000 = 235000000/2000000/1000000/232000000',
      '210103 沈河区 5:4:80000000/0/0/80000000 4:8:80000000/0/0/80000000 3:15:75000000/0/0/75000000 = 235000000/0/0/235000000',
      '210104 大东区 5:4:80000000/0/0/80000000 4:8:80000000/0/0/80000000 3:15:75000000/0/0/75000000 = 235000000/0/0/235000000',
      '210105 皇姑区 5:4:80000000/0/0/80000000 4:8:80000000/0/0/80000000 3:15:75000000/0/0/75000000 = 235000000/0/0/235000000',
      '210106 铁西区 5:4:80000000/0/0/80000000 4:8:80000000/0/0/80000000 3:15:75000000/0/0/75000000 = 235000000/0/0/235000000',
      '210111 苏家屯区 5:4:80000000/0/0/80000000 4:8:80000000/0/0/80000000 3:15:75000000/0/0/75000000 = 235000000/0/0/235000000',
      '210112 浑南区 5:4:80000000/0/0/80000000 4:8:80000000/0/0/80000000 3:15:75000000/0/0/75000000 = 235000000/0/0/235000000',
      '210113 沈北新区 5:4:80000000/0/0/80000000 4:7:70000000/0/0/70000000 3:16:80000000/0/0/80000000 = 230000000/0/0/230000000',
      '210114 于洪区 5:4:80000000/0/0/80000000 4:7:70000000/0/0/70000000 3:16:80000000/0/0/80000000 = 230000000/0/0/230000000',
      DISTRICT_MONEY,
      '210123 康平县 5:4:80000000/0/0/80000000 4:7:70000000/0/0/70000000 3:16:80000000/0/0/80000000 = 230000000/0/0/230000000',
      '210124 法库县 5:3:60000000/0/0/60000000 4:8:80000000/0/0/80000000 3:16:80000000/0/0/80000000 = 220000000/0/0/220000000',
      '210181 新民市 5:3:60000000/0/0/60000000 4:8:80000000/0/0/80000000 3:15:75000000/0/0/75000000 = 215000000/0/0/215000000',
    ]);
    expect(types(d)).toEqual(CITY_TYPES);
    expect(d.grades).toEqual(GRADES);
    // Seeded dates count back from today: the overdue review stays overdue, the rest is not due yet.
    expect(d.overdue.reviews).toEqual([{ ...OVERDUE_REVIEW, reviewDueOn: expect.any(String) }]);
    expect(d.overdue.reviews[0]!.reviewDueOn < d.today).toBe(true);
    expect(d.overdue.evaluationRounds).toEqual([]);
    expect(d.overdue.findings).toEqual([]);
  });

  it(`one district (${DISTRICT}): the same figures narrowed, with its communities and their steps`, async () => {
    const d = await dashboard(city, `&code=${DISTRICT}`);
    expect(d.region).toEqual({ code: DISTRICT, name: '辽中区', level: 'district' });
    expect(d.funnel.map((s) => s.communities)).toEqual([27, 1, 1, 1, 1, 1, 0]);
    expect(steps(d)).toEqual(['210115 辽中区 27,1,1,1,1,1,0']);
    expect(money(d)).toEqual([DISTRICT_MONEY]);
    expect(types(d)).toEqual(TYPES);
    expect(d.grades).toEqual(GRADES);
    expect(d.communities.every((c) => c.districtCode === DISTRICT && c.districtName === '辽中区')).toBe(true);
    expect(communities(d)).toEqual([
      '210115001004 长江社区 蒲西街道 5 5 midterm 中期评估',
      '210115002001 南湖南社区 蒲东街道 3 0 allocated 资金下达',
      '210115004002 紫荆西社区 城郊街道 4 0 allocated 资金下达',
      '210115004003 兴工城社区 城郊街道 4 0 allocated 资金下达',
      '210115101001 幸福西社区 于家房镇 3 0 allocated 资金下达',
      '210115101002 宁山园社区 于家房镇 3 0 allocated 资金下达',
      '210115102001 太平苑社区 朱家房镇 5 0 allocated 资金下达',
      '210115104001 嘉陵新村社区 刘二堡镇 3 0 allocated 资金下达',
      '210115104002 天山花园社区 刘二堡镇 3 0 allocated 资金下达',
      '210115106001 衡山花园社区 新民屯镇 5 0 allocated 资金下达',
      '210115106005 万泉东社区 新民屯镇 3 0 allocated 资金下达',
      '210115108001 同泽社区 杨士岗镇 3 0 allocated 资金下达',
      '210115110002 白塔园社区 长滩镇 4 0 allocated 资金下达',
      '210115110003 长安新村社区 长滩镇 3 0 allocated 资金下达',
      '210115111001 民主园社区 四方台镇 4 0 allocated 资金下达',
      '210115111002 衡山里社区 四方台镇 3 0 allocated 资金下达',
      '210115111006 启工北社区 四方台镇 3 0 allocated 资金下达',
      '210115114002 北陵城社区 养士堡镇 3 0 allocated 资金下达',
      '210115115003 黄河园社区 潘家堡镇 4 0 allocated 资金下达',
      '210115117001 宁山苑社区 老大房镇 3 0 allocated 资金下达',
      '210115117004 勋望新村社区 老大房镇 3 0 allocated 资金下达',
      '210115118001 蒲河新村社区 大黑岗子镇 3 0 allocated 资金下达',
      '210115119001 蒲河苑社区 牛心坨镇 3 0 allocated 资金下达',
      '210115119002 轻工花园社区 牛心坨镇 5 0 allocated 资金下达',
      '210115401003 吉祥新村社区 四方台农场 4 0 allocated 资金下达',
      '210115401004 北塔花园社区 四方台农场 3 0 allocated 资金下达',
      '210115401006 迎宾西社区 四方台农场 4 0 allocated 资金下达',
    ]);
    // Overdue reviews are those of the caller's own scope (the city sees another district's).
    expect(d.overdue.reviews.map((r) => r.id)).toEqual([OVERDUE_REVIEW.id]);
    const own = await dashboard(district);
    const { today: _t1, overdue: o1, ...rest1 } = d;
    const { today: _t2, overdue: o2, ...rest2 } = own;
    expect(rest2).toEqual(rest1);
    expect(o2).toEqual({ ...o1, reviews: [] });
    // A street drill-down: 浑河湾街道 of 和平区, one community with a campaign.
    const street = await dashboard(await loginAs(ctx.app, 'street-210102001'));
    expect(street.region).toEqual({ code: '210102001', name: '浑河湾街道', level: 'street' });
    expect(street.funnel.map((s) => s.communities)).toEqual([5, 1, 0, 0, 0, 0, 0]);
    expect(street.communities.map((c) => `${c.code} ${c.stars} ${c.stepKey}`)).toEqual([
      '210102001001 3 needs',
      '210102001002 3 allocated',
      '210102001003 3 allocated',
      '210102001004 3 allocated',
      '210102001005 3 allocated',
    ]);
    expect(street.byType).toEqual([]);
    expect(street.grades).toEqual({
      midterm: { excellent: 0, good: 0, pass: 0, fail: 0, outstanding: 0 },
      final: { excellent: 0, good: 0, pass: 0, fail: 0, outstanding: 0 },
    });
  });

  it('lists the final round once it is overdue, and the spot-check finding past its deadline', async () => {
    try {
      // On 1 March 2027 the final round (due 10 December) is still outstanding and the seeded
      // spot-check finding is past its deadline.
      setToday(ctx.app, '2027-03-01');
      const round = {
        id: 2,
        districtName: '辽中区',
        kindLabel: '终期评估',
        dueOn: '2026-12-10',
        outstanding: 9,
        link: '/evaluations/rounds/2',
      };
      const finding = {
        id: 1,
        communityName: '紫荆新村社区',
        deadlineOn: expect.any(String),
        description: '项目公示材料未在社区公开栏张贴，仅在微信群发布',
        link: '/supervision/spot-checks/1',
      };
      const d = await dashboard(city);
      expect(d.overdue.evaluationRounds).toEqual([round]);
      expect(d.overdue.findings).toEqual([finding]);
      expect(d.overdue.findings[0]!.deadlineOn < '2027-03-01').toBe(true);
      expect((await dashboard(city, `&code=${DISTRICT}`)).overdue).toMatchObject({ evaluationRounds: [round], findings: [] });
      expect((await dashboard(city, '&code=210102')).overdue).toMatchObject({ evaluationRounds: [], findings: [finding] });
      // The district's own view the day after the final round was due, before its plan reviews fall due.
      setToday(ctx.app, '2026-12-11');
      expect((await dashboard(district)).overdue).toEqual({ reviews: [], evaluationRounds: [round], findings: [] });
      setToday(ctx.app, '2026-12-10');
      expect((await dashboard(city)).overdue.evaluationRounds).toEqual([]);
    } finally {
      setTestNow(ctx.app);
    }
  });
});

describe('served again while the audit version stands', () => {
  const COMMUNITY = '210105001001'; // 丽景社区 of 皇姑区: rated, nothing started yet
  const page = async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/public/portal/communities/${COMMUNITY}?year=2026` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('shows a change made through the API at the next read, and nothing stale before it', async () => {
    const cache = ctx.app.services.reports.dashboardCache;
    const before = await dashboard(city, '&code=210105');
    expect(before.communities.find((c) => c.code === COMMUNITY)?.stepKey).toBe('allocated');
    expect(before.funnel.find((s) => s.key === 'needs')?.communities).toBe(0);
    // Unchanged data: served from the cache.
    const hits = cache.stats.hits;
    expect(await dashboard(city, '&code=210105')).toEqual(before);
    expect(cache.stats.hits).toBe(hits + 1);
    // Another caller's visibility is another entry: the district sees no other district's overdue review.
    const foreign = await dashboard(await loginAs(ctx.app, 'district-210105'));
    expect(foreign.overdue.reviews).toEqual([]);
    expect(before.overdue.reviews.map((r) => r.id)).toEqual([OVERDUE_REVIEW.id]);

    // A state change through the API (audited in its transaction) moves the head.
    const staff = await loginAs(ctx.app, `community-${COMMUNITY}`);
    const created = await staff.post('/api/needs/campaigns', {
      communityCode: COMMUNITY,
      fundYear: 2026,
      title: '2026 年度居民需求征集',
      opensOn: '2026-01-01',
      closesOn: '2026-02-01',
      channels: ['questionnaire'],
      questionnaire: { itemCodes: ['E1'], freeText: false },
    });
    expect(created.statusCode, created.body).toBe(200);
    const after = await dashboard(city, '&code=210105');
    expect(after.communities.find((c) => c.code === COMMUNITY)?.stepKey).toBe('needs');
    expect(after.funnel.find((s) => s.key === 'needs')?.communities).toBe(1);
    expect((await dashboard(city)).funnel.find((s) => s.key === 'needs')?.communities).toBe(13);
  });

  it('serves the public community page again until a disclosure is recorded', async () => {
    const cache = ctx.app.services.disclosure.communityPageCache;
    const before = await page();
    expect(before.disclosures.find((d: { kind: string }) => d.kind === 'plan').publishedOn).toBeNull();
    // Served again without computing the page: from the answer kept under its ETag (ADR 0024) or the
    // page's snapshot (ADR 8) — either way, no new computation.
    const misses = cache.stats.misses;
    expect(await page()).toEqual(before);
    expect(cache.stats.misses).toBe(misses);
    const staff = await loginAs(ctx.app, `community-${COMMUNITY}`);
    const today = ctx.app.services.disclosure.today();
    const res = await staff.post('/api/disclosure/records', {
      communityCode: COMMUNITY,
      fundYear: 2026,
      kind: 'plan',
      publishedOn: today,
      title: '使用方案公开',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await page();
    expect(after.disclosures.find((d: { kind: string }) => d.kind === 'plan')).toMatchObject({ publishedOn: today, status: 'published' });
  });

  it('sees a write the moment it commits, before its event is chained', async () => {
    const before = await page();
    const v1 = await ctx.app.services.audit.version();
    // Through the service, not HTTP: no response hook chains the event (it waits in the inbox).
    const [user] = await queryRows<{ id: number }>(ctx, sql`select id from app_user where username = ${`community-${COMMUNITY}`}`);
    const actor = {
      userId: user!.id,
      username: `community-${COMMUNITY}`,
      displayName: '',
      role: 'community' as const,
      scopePath: `2101/210105/210105001/${COMMUNITY}`,
      orgId: null,
    };
    await ctx.app.services.disclosure.record(actor, {
      communityCode: COMMUNITY,
      fundYear: 2026,
      kind: 'contracts',
      publishedOn: ctx.app.services.disclosure.today(),
      title: '合同公开',
    });
    expect(await ctx.app.services.audit.version()).not.toBe(v1);
    const after = await page();
    expect(before.disclosures.find((d: { kind: string }) => d.kind === 'contracts').publishedOn).toBeNull();
    expect(after.disclosures.find((d: { kind: string }) => d.kind === 'contracts').publishedOn).toBe(ctx.app.services.disclosure.today());
  });
});
