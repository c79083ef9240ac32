import { formatFen } from '../../common/money.js';
import { ACCEPTED, refuse, type Verdict } from '../../common/verdict.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';
import type { MemberShare } from '../../db/schema/plans.js';
import { filingLevelOf, type CommunityContext, type PlanProjectInput } from './plans.review.rules.js';

/**
 * Area plans [N 2.3] (ADR 0014): the filing route and budget ceiling a draft shows at once, the
 * procedure each member community must have completed itself, and the members' shares of an area
 * project's budget. Pure, no I/O.
 */

export const AREA_CLAUSE = '[N 2.3]';
export const FILING_LABELS = { district: '区（县、市）民政局', city: '市民政局' } as const;

/** [N 2.3] What a draft shows before any review: where it will be filed and the most it may budget (the members' allocations). */
export function draftFigures(communities: Pick<CommunityContext, 'stars' | 'allocationFen'>[]) {
  const level = filingLevelOf(communities.map((c) => c.stars));
  return {
    filingRoute: level,
    filingRouteLabel: FILING_LABELS[level],
    ceilingFen: communities.reduce((s, c) => s + c.allocationFen, 0),
  };
}

export type MissingStep = 'needs' | 'decision';

/** One member's own procedure: needs coverage (share vs the threshold) and its council decision. */
export interface MemberProcedure {
  code: string;
  name: string;
  /** Households reached / resident households, in per mille; null without a campaign. */
  coveragePermille: number | null;
  /** The policy's threshold, in per mille. */
  thresholdPermille: number;
  coverageMeets: boolean;
  decisionStatus: string | null;
  decisionMeets: boolean;
  missing: MissingStep[];
}

/**
 * [N 2.3] with [N 3.1.1(1)], [N 3.1.2(1)] (product decision, docs/spec/domain.md §3): every member
 * community of an area plan collects its own residents' needs up to the threshold and has its own
 * council decision with its notice closed; the notice gives the street no area-level substitute.
 */
export function memberProcedure(c: CommunityContext, policy: Pick<PolicyDocument, 'needsCoverage'>): MemberProcedure {
  const { numerator, denominator } = policy.needsCoverage;
  const coverageMeets = !!c.coverage?.meets;
  const decisionMeets = c.decision?.status === 'ready_for_review';
  const missing: MissingStep[] = [];
  if (!coverageMeets) missing.push('needs');
  if (!decisionMeets) missing.push('decision');
  return {
    code: c.code,
    name: c.name,
    coveragePermille:
      c.coverage && c.coverage.residentHouseholds > 0 ? Math.floor((c.coverage.reached * 1000) / c.coverage.residentHouseholds) : null,
    thresholdPermille: Math.ceil((numerator * 1000) / denominator),
    coverageMeets,
    decisionStatus: c.decision?.status ?? null,
    decisionMeets,
    missing,
  };
}

const STEP_ZH: Record<MissingStep, string> = { needs: '需求征集覆盖率未达标', decision: '议事会决策未完成或公示未期满' };
const STEP_EN: Record<MissingStep, string> = { needs: 'needs coverage below the threshold', decision: 'no closed council decision' };

/**
 * [N 2.3], [N 3.1.1(1)], [N 3.1.2(1)] An area plan is submitted only when every member has its own
 * needs coverage and council decision; the refusal names each member that misses one.
 */
export function areaProcedureVerdict(members: MemberProcedure[]): Verdict {
  const short = members.filter((m) => m.missing.length);
  if (!short.length) return ACCEPTED;
  return refuse({
    code: 'AREA_MEMBER_PROCEDURE',
    zh: `片区方案的成员社区须各自完成需求征集和议事会决策 [N 2.3][N 3.1.1(1)][N 3.1.2(1)]：${short
      .map((m) => `${m.name}（${m.missing.map((s) => STEP_ZH[s]).join('、')}）`)
      .join('；')}`,
    en: `Each member of an area plan needs its own needs coverage and council decision [N 2.3]: ${short
      .map((m) => `${m.code} (${m.missing.map((s) => STEP_EN[s]).join(', ')})`)
      .join('; ')}`,
    clause: AREA_CLAUSE,
    details: { members: short.map((m) => ({ code: m.code, name: m.name, missing: m.missing })) },
  });
}

/**
 * [N 2.3] (ADR 0014) The members' shares of a project's budget: one share per served community,
 * in fen, summing to the budget. A project serving one community may omit them (its whole budget).
 * Returns the shares to store, or the bilingual reason they are wrong.
 */
export function sharesOf(
  budgetFen: number,
  communityCodes: string[],
  given: MemberShare[] | undefined,
): { ok: true; shares: MemberShare[] } | { ok: false; zh: string; en: string } {
  if (!given?.length) {
    if (communityCodes.length === 1) return { ok: true, shares: [{ communityCode: communityCodes[0]!, shareFen: budgetFen }] };
    return {
      ok: false,
      zh: '服务多个社区的项目须申报各社区承担的份额',
      en: 'a project serving several communities declares each one’s share',
    };
  }
  const codes = given.map((s) => s.communityCode);
  if (new Set(codes).size !== codes.length) return { ok: false, zh: '同一社区的份额重复', en: 'a community has two shares' };
  const stranger = codes.find((c) => !communityCodes.includes(c));
  if (stranger) return { ok: false, zh: `社区 ${stranger} 不是本项目服务的社区`, en: `${stranger} is not served by the project` };
  const absent = communityCodes.find((c) => !codes.includes(c));
  if (absent) return { ok: false, zh: `缺少社区 ${absent} 的份额`, en: `no share for ${absent}` };
  const sum = given.reduce((s, x) => s + x.shareFen, 0);
  if (sum !== budgetFen)
    return {
      ok: false,
      zh: `各社区份额合计 ${formatFen(sum)}，应等于项目预算 ${formatFen(budgetFen)}`,
      en: `shares sum to ${formatFen(sum)}, not the budget ${formatFen(budgetFen)}`,
    };
  return { ok: true, shares: [...given].sort((a, b) => a.communityCode.localeCompare(b.communityCode)) };
}

/** [N 2.3] Each member's part of the plan's budget: the sum of its shares over the projects (a project without shares counts for none). */
export function memberBudgets(projects: Pick<PlanProjectInput, 'shares'>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of projects) for (const s of p.shares ?? []) out.set(s.communityCode, (out.get(s.communityCode) ?? 0) + s.shareFen);
  return out;
}
