import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { App } from '../../server/src/app.js';
import { addDays } from '../../server/src/common/dates.js';
import { loginAs, queryRows, type TestContext } from './app.js';

export type Client = Awaited<ReturnType<typeof loginAs>>;

/**
 * The districts' first communities, `community-<code>` (once the demo's only community accounts; every
 * community has one now, and the demo seeds no procedure in these but the needs campaigns).
 */
export async function communityCodes(ctx: TestContext): Promise<string[]> {
  const rows = await queryRows<{ scope_code: string }>(
    ctx,
    sql`select scope_code from app_user where role = 'community'
      and scope_code in (select min(code) from region where level = 'community' group by substr(code, 1, 6))
      order by scope_code`,
  );
  return rows.map((r) => r.scope_code);
}

export const streetOf = (communityCode: string) => `street-${communityCode.slice(0, 9)}`;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['建国', '秀英', '桂兰', '志强', '丽华', '海燕', '文博', '子涵', '明', '静', '伟', '芳', '晓东', '玉梅', '国庆'];

export interface TestHousehold {
  householdNo: string;
  headName: string;
  phone: string;
}

/** Deterministic households `${prefix}-001…`, with distinct names and phones. */
export function makeHouseholds(n: number, prefix = 'T', offset = 0): TestHousehold[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return {
      householdNo: `${prefix}-${String(i + 1).padStart(3, '0')}`,
      headName: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`,
      phone: `139${String(10_000_000 + i * 7919).slice(-8)}`,
    };
  });
}

export function householdCsv(
  households: TestHousehold[],
  extra: (h: TestHousehold, i: number) => { reps?: string; council?: string } = () => ({}),
): string {
  const lines = ['户号,楼栋,单元,房号,户主姓名,联系电话,常住人数,居民代表,议事会成员'];
  households.forEach((h, i) => {
    const e = extra(h, i);
    lines.push(
      [
        h.householdNo,
        String(1 + (i % 12)),
        String(1 + (i % 3)),
        `${1 + (i % 6)}0${1 + (i % 2)}`,
        h.headName,
        h.phone,
        String(1 + (i % 5)),
        e.reps ?? '',
        e.council ?? '',
      ].join(','),
    );
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** Registers households through the API (CSV import), as the community's staff. */
export async function registerHouseholds(staff: Client, code: string, households: TestHousehold[]) {
  const res = await staff.post(`/api/regions/${code}/households/import`, { format: 'csv', content: householdCsv(households) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The current fund year (China time), with a policy copied from 2026 if the calendar has moved on. */
export async function currentFundYear(app: App): Promise<number> {
  const year = Number(app.clock.today().slice(0, 4));
  const city = await loginAs(app, 'city');
  if ((await city.get(`/api/policy/${year}`)).statusCode === 404) {
    expect((await city.post('/api/policy/2026/copy', { toYear: year })).statusCode).toBe(200);
  }
  return year;
}

export async function openCampaign(staff: Client, app: App, code: string, overrides: Record<string, unknown> = {}) {
  const fundYear = await currentFundYear(app);
  const today = app.clock.today();
  const res = await staff.post('/api/needs/campaigns', {
    communityCode: code,
    fundYear,
    title: `${fundYear} 年度居民需求征集`,
    opensOn: addDays(today, -1),
    closesOn: addDays(today, 30),
    channels: ['household_vote', 'courtyard_meeting', 'questionnaire', 'online_vote', 'field_visit'],
    questionnaire: { itemCodes: ['E1', 'E3', 'E5', 'E6'], freeText: true, prompt: '您最希望社区开展哪些服务？' },
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().campaign as { id: number; coverage: { reached: number; residentHouseholds: number } };
}

/** Sets a community's resident-household denominator, as its street office. */
export async function setResidentHouseholds(app: App, code: string, residentHouseholds: number) {
  const street = await loginAs(app, streetOf(code));
  const res = await street.patch(`/api/regions/${code}/profile`, { residentHouseholds });
  expect(res.statusCode, res.body).toBe(200);
}

export function submitOnline(app: App, campaignId: number, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: `/api/public/needs/campaigns/${campaignId}/submissions`, payload: body });
}

export const identityOf = (h: TestHousehold) => ({ householdNo: h.householdNo, headName: h.headName, phoneLast4: h.phone.slice(-4) });
