import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { App } from '../../server/src/app.js';
import { atTestNow, loginAs, setToday, type TestContext } from './app.js';
import {
  householdCsv,
  makeHouseholds,
  openCampaign,
  setResidentHouseholds,
  streetOf,
  type Client,
  type TestHousehold,
} from './factories-needs.js';

export { identityOf, streetOf } from './factories-needs.js';

/**
 * The districts' first communities (once the demo's only community accounts; every community has
 * one now) whose community has no registry and no campaign yet (the demo seeds some).
 */
export async function freeCommunityCodes(ctx: TestContext): Promise<string[]> {
  const rows = (await ctx.database.db.execute(sql`
    select u.scope_code from app_user u
    where u.role = 'community'
      and u.scope_code in (select min(code) from region where level = 'community' group by substr(code, 1, 6))
      and not exists (select 1 from household h where h.community_code = u.scope_code)
      and not exists (select 1 from needs_campaign n where n.community_code = u.scope_code)
    order by u.scope_code`)) as unknown as { rows: { scope_code: string }[] };
  return rows.rows.map((r) => r.scope_code);
}

export interface DraftProject {
  title: string;
  catalogueCode: string;
  estimatedBudgetFen: number;
}

export const DEFAULT_PROJECTS: DraftProject[] = [
  { title: '社区社工室建设', catalogueCode: 'B1', estimatedBudgetFen: 3_000_000 },
  { title: '空巢老人助餐', catalogueCode: 'E5', estimatedBudgetFen: 5_000_000 },
  { title: '四点半课堂', catalogueCode: 'E6', estimatedBudgetFen: 2_000_000 },
];

export interface ReadyCommunity {
  code: string;
  staff: Client;
  campaignId: number;
  households: TestHousehold[];
  /** Households whose head is a registered representative / council member. */
  representatives: TestHousehold[];
  council: TestHousehold[];
  proposalIds: number[];
}

/**
 * A community with a household registry (the first `representatives` heads are representatives,
 * the first `council` heads council members), a concluded needs campaign and a draft list handed
 * to the council, all through the API as the community's staff. The campaign is run on the tests'
 * usual date (TEST_NOW, fund year 2026) whatever date the test is on; the clock is put back after.
 */
export function readyCommunity(
  ctx: TestContext,
  code: string,
  options: { representatives: number; council: number; projects?: DraftProject[]; prefix?: string },
): Promise<ReadyCommunity> {
  return atTestNow(ctx.app, () => prepareCommunity(ctx, code, options));
}

async function prepareCommunity(
  ctx: TestContext,
  code: string,
  options: { representatives: number; council: number; projects?: DraftProject[]; prefix?: string },
): Promise<ReadyCommunity> {
  const { app } = ctx;
  const staff = await loginAs(app, `community-${code}`);
  const n = Math.max(options.representatives, options.council, 4) + 2;
  const households = makeHouseholds(n, options.prefix ?? `D${code.slice(2, 9)}`);
  const csv = householdCsv(households, (h, i) => ({
    reps: i < options.representatives ? h.headName : '',
    council: i < options.council ? h.headName : '',
  }));
  const imported = await staff.post(`/api/regions/${code}/households/import`, { format: 'csv', content: csv });
  expect(imported.statusCode, imported.body).toBe(200);
  await setResidentHouseholds(app, code, n);
  const campaign = await openCampaign(staff, app, code);
  for (const h of households.slice(0, Math.ceil(n * 0.3) + 1)) {
    const res = await staff.post(`/api/needs/campaigns/${campaign.id}/opinions`, {
      householdNo: h.householdNo,
      channel: 'household_vote',
      choices: ['E5'],
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  const concluded = await staff.post(`/api/needs/campaigns/${campaign.id}/conclude`);
  expect(concluded.statusCode, concluded.body).toBe(200);
  const proposalIds: number[] = [];
  for (const p of options.projects ?? DEFAULT_PROJECTS) {
    const res = await staff.post(`/api/needs/campaigns/${campaign.id}/proposals`, p);
    expect(res.statusCode, res.body).toBe(200);
    proposalIds.push(res.json().proposal.id);
  }
  const listed = await staff.put(`/api/needs/campaigns/${campaign.id}/draft-list`, {
    items: proposalIds.map((proposalId) => ({ proposalId })),
  });
  expect(listed.statusCode, listed.body).toBe(200);
  const ready = await staff.post(`/api/needs/campaigns/${campaign.id}/ready`);
  expect(ready.statusCode, ready.body).toBe(200);
  return {
    code,
    staff,
    campaignId: campaign.id,
    households,
    proposalIds,
    representatives: households.slice(0, options.representatives),
    council: households.slice(0, options.council),
  };
}

export interface DecisionBody {
  id: number;
  status: string;
  round: number;
  nextStep: string | null;
  projects: { id: number; title: string; category: string; passed: boolean | null }[];
  records: { step: string; outcome: string; votes: unknown[] }[];
  notices: {
    id: number;
    round: number;
    status: string;
    postedOn: string;
    windowEnd: string;
    daysLeft: number;
    objectors: number;
    objectorsNeeded: number;
    representatives: number;
    projects: { projectId: number }[];
    objections: { representativeName: string; channel: string }[];
  }[];
}

export async function openDecision(
  c: ReadyCommunity,
  procedure: 'major' | 'simplified' = 'major',
  extra: Record<string, unknown> = {},
): Promise<DecisionBody> {
  const res = await c.staff.post('/api/decisions', { campaignId: c.campaignId, procedure, ...extra });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().decision;
}

export const PREPARATORY_STEPS = ['party_proposal', 'committees_discussion', 'party_members_review', 'street_party_audit'] as const;

/** Records the four preparatory steps of the major procedure, on the given dates (or all on `on`). */
export async function prepare(c: ReadyCommunity, decisionId: number, on: string) {
  for (const step of PREPARATORY_STEPS) {
    const res = await c.staff.post(`/api/decisions/${decisionId}/steps`, {
      step,
      heldOn: on,
      expectedAttendance: 9,
      actualAttendance: 8,
      outcome: 'approved',
      minutes: `${step} 会议纪要`,
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}

/** Every member of the roster present, every project approved unanimously. */
export function unanimous(projects: { id: number }[], present: number) {
  return projects.map((p) => ({ projectId: p.id, for: present, against: 0, abstain: 0 }));
}

export function presentOf(members: TestHousehold[]) {
  return members.map((h) => ({ householdNo: h.householdNo, name: h.headName }));
}

/** The council decides on `heldOn` with all its members present and every project approved. */
export async function councilDecides(c: ReadyCommunity, decision: DecisionBody, heldOn: string): Promise<DecisionBody> {
  const res = await c.staff.post(`/api/decisions/${decision.id}/vote`, {
    heldOn,
    body: 'council',
    presentMembers: presentOf(c.council),
    votes: unanimous(decision.projects, c.council.length),
    minutes: '居民议事会逐项表决',
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().decision;
}

/** A decision noticed on `heldOn`: community ready, procedure walked, council vote recorded. */
export async function noticedDecision(
  ctx: TestContext,
  code: string,
  heldOn: string,
  roster: { representatives: number; council: number },
) {
  setToday(ctx.app, heldOn);
  const c = await readyCommunity(ctx, code, roster);
  const opened = await openDecision(c);
  await prepare(c, opened.id, heldOn);
  const decision = await councilDecides(c, opened, heldOn);
  return { c, decision, notice: decision.notices.at(-1)! };
}

export function objectOnline(app: App, noticeId: number, h: TestHousehold, extra: Record<string, unknown> = {}) {
  return app.inject({
    method: 'POST',
    url: `/api/public/decisions/notices/${noticeId}/objections`,
    payload: { householdNo: h.householdNo, headName: h.headName, phoneLast4: h.phone.slice(-4), reason: '预算偏高', ...extra },
  });
}

export function streetClient(app: App, code: string) {
  return loginAs(app, streetOf(code));
}
