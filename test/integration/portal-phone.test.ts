import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublicBaseUrl } from '../../server/src/config.js';
import { createTestApp, loginAs, type TestContext } from '../helpers/app.js';

/** The portal views a resident reads on a phone (issue 19): evaluations name their project, progress over all projects, the poster's address. */

let ctx: TestContext;
const YEAR = 2026;
const BASE = 'https://starfund.example.cn/shenyang';
/** 长江社区 of 辽中区. */
const COMMUNITY = '210115001004';
const DISTRICT = '210115';

beforeAll(async () => {
  ctx = await createTestApp({ config: { publicBaseUrl: BASE } });
});
afterAll(async () => ctx?.close());

const get = async <T>(url: string): Promise<T> => {
  const res = await ctx.app.inject({ method: 'GET', url });
  expect(res.statusCode, url).toBe(200);
  return res.json() as T;
};

interface CommunityPage {
  step: { code: string; label: string };
  plan: { projects: { id: number; title: string }[] } | null;
  evaluations: { projectId: number | null; projectTitle: string; stage: string; grade: string; evaluatedOn: string }[];
  evaluationProgress: { projects: number; midtermEvaluated: number; finalEvaluated: number; label: string | null; clause: string };
}

describe('portal views for a phone [N 4.2] [N 3.2]', () => {
  it("names the project on every evaluation, and is 评估完成 only when all the community's projects have their final evaluation", async () => {
    // 长江社区 (辽中区): the demo's nine projects have their mid-term grades; the final round is open, nothing concluded.
    const district = await loginAs(ctx.app, `district-${DISTRICT}`);
    const evaluator = await loginAs(ctx.app, 'evaluator-1');
    const page = () => get<CommunityPage>(`/api/public/portal/communities/${COMMUNITY}?year=${YEAR}`);
    const before = await page();
    const titles = new Map(before.plan!.projects.map((p) => [p.id, p.title]));
    expect(titles.size).toBe(9);
    expect(before.evaluationProgress).toEqual({
      projects: 9,
      midtermEvaluated: 9,
      finalEvaluated: 0,
      label: '9 个项目中 0 个完成终期评估',
      clause: '[N 3.2]',
    });

    const round = (await district.get(`/api/evaluation-rounds?fundYear=${YEAR}&kind=final`))
      .json()
      .items.find((r: { districtCode: string }) => r.districtCode === DISTRICT);
    const assignments = (await district.get(`/api/evaluation-rounds/${round.id}`))
      .json()
      .assignments.filter((a: { communityCode: string; status: string }) => a.communityCode === COMMUNITY && a.status === 'assigned') as {
      id: number;
    }[];
    expect(assignments).toHaveLength(9);
    const conclude = async (id: number) => {
      const res = await evaluator.post(`/api/evaluation-assignments/${id}/conclude`, {
        scores: ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'].map((code) => ({ code, score: 90 })),
        conclusion: '服务按合同完成',
        problems: '',
      });
      expect(res.statusCode, res.body).toBe(200);
    };

    // One of nine final evaluations: still 资金拨付, "9 个项目中 1 个完成终期评估".
    await conclude(assignments[0]!.id);
    const one = await page();
    expect(one.evaluations).toHaveLength(10);
    for (const e of one.evaluations) expect(e.projectTitle).toBe(titles.get(e.projectId!));
    expect(one.evaluationProgress).toMatchObject({ projects: 9, finalEvaluated: 1, label: '9 个项目中 1 个完成终期评估' });
    expect(one.step.code).toBe('paid');

    // All nine: 评估完成.
    for (const a of assignments.slice(1)) await conclude(a.id);
    const all = await page();
    expect(all.evaluationProgress).toMatchObject({ projects: 9, finalEvaluated: 9, label: '9 个项目中 9 个完成终期评估' });
    expect(all.step).toEqual({ code: 'evaluated', label: '评估完成' });
  });

  it('a community without a filed plan has no progress label and is not 评估完成', async () => {
    const city = await get<{ children: { code: string }[] }>(`/api/public/portal/city?year=${YEAR}`);
    const district = await get<{ children: { code: string }[] }>(`/api/public/portal/regions/${city.children[0]!.code}?year=${YEAR}`);
    const street = await get<{ children: { code: string }[] }>(`/api/public/portal/regions/${district.children[0]!.code}?year=${YEAR}`);
    for (const c of street.children) {
      const page = await get<CommunityPage>(`/api/public/portal/communities/${c.code}?year=${YEAR}`);
      if (page.evaluationProgress.projects === 0) {
        expect(page.evaluationProgress.label).toBeNull();
        expect(page.step.code).not.toBe('evaluated');
      } else {
        expect(page.evaluationProgress.label).toMatch(/^\d+ 个项目中 \d+ 个完成终期评估$/);
      }
    }
  });

  it('serves PUBLIC_BASE_URL for posters and share links, whatever host the request came to', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/public/site', headers: { host: 'evil.example.com' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ publicBaseUrl: BASE });
  });

  it('reads PUBLIC_BASE_URL with a default, drops the trailing slash and refuses other schemes', () => {
    expect(loadPublicBaseUrl({})).toBe('http://127.0.0.1:3000');
    expect(loadPublicBaseUrl({ PUBLIC_BASE_URL: 'https://x.example.cn/' })).toBe('https://x.example.cn');
    expect(loadPublicBaseUrl({ PUBLIC_BASE_URL: 'https://x.example.cn/sy/' })).toBe('https://x.example.cn/sy');
    expect(() => loadPublicBaseUrl({ PUBLIC_BASE_URL: 'ftp://x.example.cn' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => loadPublicBaseUrl({ PUBLIC_BASE_URL: 'not a url' })).toThrow(/PUBLIC_BASE_URL/);
  });
});
