import type { StarLevel } from './demo-city.js';

/**
 * The demo a newcomer can walk (issue 18, ADR 0016). Every community and street has its account, and
 * the README names the accounts that find work waiting. So that those names hold whatever day the
 * demo is first started on (ADR 0009), the plans seed walks fixed communities through its stages and
 * their stars are pinned in the rating of the fund year before (`pinRatings`); everything else the
 * README names follows from seeds that do not depend on the ratings (needs, decisions) or from these
 * plans (the filed plan's contracts, instalments, evaluations and disclosure). demo-walk.test.ts
 * checks every account on more than one date.
 */

export type DemoPlanStage = 'submitted' | 'overdue' | 'approved' | 'filed' | 'draft';

/**
 * The communities the plans seed walks through its stages, in seeding order. The first four are
 * those the seed used to pick for fund year 2026 (small, rated, no other demo data, one per street,
 * none in the decisions street); the draft shares its street with the submitted plan, so that the
 * street office that reviews one also receives the other; the 5★ plan approved last awaits the city.
 */
export const DEMO_PLAN_STAGES: readonly { stage: DemoPlanStage; code: string; stars: StarLevel }[] = [
  { stage: 'submitted', code: '210112022003', stars: 4 }, // 浑南区 龙湾里社区
  { stage: 'overdue', code: '210102002005', stars: 4 }, // 和平区 嘉陵社区
  { stage: 'approved', code: '210112016003', stars: 4 }, // 浑南区 重工西社区: the district files it
  { stage: 'filed', code: '210115001004', stars: 5 }, // 辽中区 长江社区: contracts, instalments, evaluations
  { stage: 'draft', code: '210112022002', stars: 3 }, // 浑南区 北陵里社区: a compliant draft to submit
  { stage: 'approved', code: '210114010004', stars: 5 }, // 于洪区 昆山北社区: the city files it
];

/**
 * A rating list with the walk's communities at their stars, quotas unchanged: a pinned community
 * rated otherwise trades stars with the last other community rated at the pinned level; an unrated
 * one takes that community's place. Pure and deterministic; a no-op when the ratings already agree.
 */
export function pinRatings<R extends { communityCode: string; stars: StarLevel }>(
  ratings: R[],
  pins: readonly { code: string; stars: StarLevel }[],
): R[] {
  const out = ratings.map((r) => ({ ...r }));
  const pinned = new Set(pins.map((p) => p.code));
  for (const pin of pins) {
    const own = out.find((r) => r.communityCode === pin.code);
    if (own?.stars === pin.stars) continue;
    const victim = [...out].reverse().find((r) => r.stars === pin.stars && !pinned.has(r.communityCode));
    if (!victim) throw new Error(`demo walk: no ${pin.stars}★ rating to trade with ${pin.code}`);
    if (own) [own.stars, victim.stars] = [victim.stars, own.stars];
    else victim.communityCode = pin.code;
  }
  return out;
}

const stageCode = (stage: DemoPlanStage, stars?: StarLevel) =>
  DEMO_PLAN_STAGES.find((s) => s.stage === stage && (stars === undefined || s.stars === stars))!.code;
const DRAFT = stageCode('draft');
const SUBMITTED = stageCode('submitted');
const DISTRICT_FILED = stageCode('approved', 4);
const CITY_FILED = stageCode('approved', 5);
const FILED = stageCode('filed');

/**
 * The accounts the README's walk names, and the records that wait for each (README "一年的工作，
 * 用哪个账号"). All sign in with DEMO_PASSWORD.
 */
export const DEMO_WALK = {
  /** 需求征集: 浑河湾街道和睦社区 (the first community account of 和平区) has its campaign open. */
  needsCommunity: { username: 'community-210102001001', communityCode: '210102001001' },
  /** 议事会决策与公示: 桃仙街道光荣西社区, whose notice is open, counted back from today (two objections). */
  noticeCommunity: { username: 'community-210112019002', communityCode: '210112019002' },
  /** 编制与提交方案: a compliant draft plan (3★, decided list closed, coverage above 30%). */
  draftCommunity: { username: `community-${DRAFT}`, communityCode: DRAFT },
  /** 街道初审: the draft's street office, with a neighbour's plan submitted and its countdown running. */
  reviewStreet: { username: `street-${SUBMITTED.slice(0, 9)}`, planCommunityCode: SUBMITTED },
  /** 区备案: the district with a 4★ plan approved by its street. */
  filingDistrict: { username: `district-${DISTRICT_FILED.slice(0, 6)}`, planCommunityCode: DISTRICT_FILED },
  /** 市备案: a 5★ community's approved plan, filed with the city bureau [N 3.1.2(2)]. */
  filingCity: { username: 'city', planCommunityCode: CITY_FILED },
  /** 资金下达确认: the 2023 appropriation, left for the finance bureau to confirm. */
  finance: { username: 'finance', fundYear: 2023 },
  /** 采购与签约, 信息公开: the 5★ community with a filed plan, three contracts and no contracts disclosure yet. */
  contractCommunity: { username: `community-${FILED}`, communityCode: FILED },
  /** 活动记录与请款: the provider whose third contract's on-signing instalment may be claimed. */
  provider: { username: 'provider-1' },
  /** 审批拨付: the street office of the filed plan, with provider-2's request awaiting approval. */
  paymentStreet: { username: `street-${FILED.slice(0, 9)}` },
  /** 评估打分: the evaluator assigned the final evaluations (due 10 December). */
  evaluator: { username: 'evaluator-1' },
  /** 组织评估: the district of the filed plan, with its final round open. */
  evaluationDistrict: { username: `district-${FILED.slice(0, 6)}` },
  /** 抽查: the city's spot check, with a finding under rectification. */
  spotCheck: { username: 'city' },
} as const;
