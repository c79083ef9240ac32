import type { Tx } from '../db/client.js';
import type { NoticeProject, PresentMember } from '../db/schema/decisions.js';
import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { categoryOf, MAJOR_PROCEDURE_STEPS } from '../modules/decisions/decisions.rules.js';
import { filingLevelOf } from '../modules/plans/plans.rules.js';
import { addDays } from '../common/dates.js';
import type { DemoTimeline } from './demo-timeline.js';
import { CITY_CODE, type DemoCity } from './demo-city.js';
import { generateHouseholds } from './demo-needs.js';
import { createRandom } from './random.js';
import { DEMO_PLAN_STAGES, type DemoPlanStage } from './demo-walk.js';
import { NeedsRepository } from '../modules/needs/needs.repository.js';
import { DecisionsRepository } from '../modules/decisions/decisions.repository.js';
import { PlansRepository } from '../modules/plans/plans.repository.js';

/**
 * Demo usage plans [N 2], [N 3.1.2(2)], [N 2.3] for fund year 2026: the seeded community whose
 * decision is ready for review gets a draft plan that fails the compliance rules (its decided list
 * lacks two basic projects); the walk's communities (demo-walk.ts, the same on any date) are walked
 * through needs and a closed notice, and their plans stand submitted (countdown running), submitted
 * past due (flagged to the district), approved awaiting the district's filing, filed with the city
 * (a 5★ community), a compliant draft ready to submit, and a 5★ plan approved awaiting the city.
 * Deterministic but for the dates, which are counted back from today so the countdowns stay live.
 */
export const DEMO_PLANS_SEED = 20231015;

const LIST = [
  { title: '社区社工室建设与驻室服务', code: 'B1', fen: 600_000 },
  { title: '社区社会组织孵化培育', code: 'B2', fen: 600_000 },
  { title: '居民骨干（能人、达人）培育', code: 'B3', fen: 600_000 },
  { title: '"幸福餐桌"老年助餐服务', code: 'E5', fen: 500_000 },
  { title: '"四点半课堂"课后托管', code: 'E6', fen: 500_000 },
  { title: '孤寡高龄老人上门探访', code: 'E3', fen: 500_000 },
  { title: '社区志愿服务队培育', code: 'E7', fen: 500_000 },
  { title: '楼院议事协商', code: 'E1', fen: 500_000 },
  { title: '文明家庭评选', code: 'E4', fen: 500_000 },
] as const;

type Stage = DemoPlanStage;

export async function seedDemoPlans(
  tx: Tx,
  services: Services,
  city: DemoCity,
  accountCommunityCodes: string[],
  timeline: DemoTimeline,
): Promise<Record<string, number>> {
  const { today, fundYear: FUND_YEAR } = timeline;
  const r = createRandom(DEMO_PLANS_SEED);
  const policy = await services.policy.forYear(FUND_YEAR, tx);
  const repo = new PlansRepository();
  const due = (from: string) => services.calendar.addWorkdaysDetailed(from, policy.reviewWorkdays, tx);
  let plans = 0;

  // 1. The seeded decision ready for review leads to a draft plan (fails: basic projects, 5★ minimum).
  const decided = (await services.decisions.overviewUnder('', { fundYear: FUND_YEAR }, tx)).filter((d) => d.status === 'ready_for_review');
  const busyStreets = new Set(
    (await services.decisions.overviewUnder('', { fundYear: FUND_YEAR }, tx)).map((d) => d.communityCode.slice(0, 9)),
  );
  for (const d of decided) {
    const c = city.communities.find((x) => x.code === d.communityCode)!;
    const street = city.regions.find((x) => x.code === c.streetCode)!;
    const p = await repo.insertPlan(tx, {
      fundYear: FUND_YEAR,
      kind: 'community',
      title: `${FUND_YEAR} 年度${c.name}"以奖代补"专项资金使用方案`,
      communityCode: c.code,
      streetCode: c.streetCode,
      districtCode: c.districtCode,
      regionPath: `${street.path}/${c.code}`,
    });
    await repo.insertCommunities(tx, p.id, FUND_YEAR, [c.code]);
    await repo.replaceProjects(
      tx,
      p.id,
      d.passedProjects.map((x: NoticeProject) => ({
        decisionProjectId: x.projectId,
        title: x.title,
        content: '',
        catalogueCode: x.catalogueCode,
        category: categoryOf(policy, x.catalogueCode),
        budgetFen: x.estimatedBudgetFen,
        communityCodes: [c.code],
        providerKind: 'social_organisation' as const,
        otherFunding: [],
        procedureType: 'small_direct',
      })),
    );
    plans++;
  }

  // 2. The walk's communities (demo-walk.ts), one per stage: rated at their pinned stars, no account in the tests' use, no other demo data.
  const accounts = new Set(accountCommunityCodes);
  const rated = await services.ratings.ratingsUnder(tx, policy.ratingYear, CITY_CODE);
  const starsOf = new Map(rated.map((x) => [x.communityCode, x.stars]));
  const stages: [Stage, DemoCity['communities'][number]][] = DEMO_PLAN_STAGES.map((s) => {
    const c = city.communities.find((x) => x.code === s.code);
    if (!c || accounts.has(c.code) || busyStreets.has(c.streetCode) || starsOf.get(c.code) !== s.stars)
      throw new Error(`demo plans: walk community ${s.code} is not free or not rated ${s.stars}★`);
    return [s.stage, c];
  });

  let households = 0;
  for (const [stage, c] of stages) {
    const stars = starsOf.get(c.code)!;
    const min = policy.tiers.find((t) => t.stars === stars)!.enhancementMin;
    const list = [...LIST.filter((x) => x.code.startsWith('B')), ...LIST.filter((x) => x.code.startsWith('E')).slice(0, min)];

    // Registry, a campaign above the coverage threshold, the draft list.
    const generated = generateHouseholds(r, c.residentHouseholds, c.representatives, c.councilMembers);
    const ids = await services.households.seedHouseholds(
      tx,
      generated.map((h) => ({ ...h.row, communityCode: c.code })),
    );
    await services.households.seedMembers(
      tx,
      generated.flatMap((h) => h.members.map((m) => ({ ...m, householdId: ids.get(h.row.householdNo)! }))),
      // Terms from 1 January of the year before the fund year: before any decision the demo records.
      { communityCode: c.code, fromDate: `${FUND_YEAR - 1}-01-01` },
    );
    households += generated.length;
    const needs = new NeedsRepository();
    const campaign = await needs.insertCampaign(tx, {
      communityCode: c.code,
      fundYear: FUND_YEAR,
      title: `${FUND_YEAR} 年度"以奖代补"项目需求征集`,
      opensOn: `${FUND_YEAR}-02-16`,
      closesOn: `${FUND_YEAR}-03-20`,
      channels: ['household_vote', 'courtyard_meeting'],
      questionnaire: { itemCodes: ['E1', 'E3', 'E5', 'E6'], freeText: false, prompt: null },
      allowChanges: false,
    });
    const reached = r.shuffle([...ids.values()]).slice(0, Math.ceil(ids.size * 0.34));
    await needs.insertOpinions(
      tx,
      reached.map((householdId) => ({
        campaignId: campaign.id,
        householdId,
        channel: r.pick(['household_vote', 'courtyard_meeting']),
        choices: [r.pick(['E3', 'E5', 'E6'])],
        freeText: null,
        enteredByUserId: null,
      })),
      false,
    );
    await needs.updateCampaign(tx, campaign.id, {
      status: 'ready',
      concludedAt: new Date(`${FUND_YEAR}-03-21T02:00:00Z`),
      concludedReached: reached.length,
      concludedResidentHouseholds: c.residentHouseholds,
      readyAt: new Date(`${FUND_YEAR}-03-25T02:00:00Z`),
    });
    const proposals = [];
    for (const [i, item] of list.entries()) {
      const p = await needs.insertProposal(tx, {
        campaignId: campaign.id,
        title: item.title,
        catalogueCode: item.code,
        estimatedBudgetFen: item.fen,
        source: 'committee',
        status: 'listed',
        rank: i + 1,
      });
      proposals.push({
        proposalId: p.id,
        rank: i + 1,
        title: item.title,
        catalogueCode: item.code,
        category: categoryOf(policy, item.code),
        estimatedBudgetFen: item.fen,
        internalMatter: false,
      });
    }

    // The major procedure, the council's unanimous vote and a notice closed without objections.
    const dec = new DecisionsRepository();
    const d = await dec.insertDecision(tx, { communityCode: c.code, fundYear: FUND_YEAR, campaignId: campaign.id, procedure: 'major' });
    await dec.insertProjects(
      tx,
      proposals.map((p) => ({ ...p, decisionId: d.id })),
    );
    const rows = await dec.projects(tx, d.id);
    const voteOn = `${FUND_YEAR}-05-12`;
    for (let s = 0; s < 4; s++) {
      await dec.insertStep(tx, {
        decisionId: d.id,
        seq: s + 1,
        step: MAJOR_PROCEDURE_STEPS[s]!,
        heldOn: addDays(voteOn, -28 + s * 7),
        expectedAttendance: [7, 9, 36, 5][s]!,
        actualAttendance: [7, 9, 33, 5][s]!,
        outcome: 'approved',
        minutes: `${['社区党组织提出项目清单建议', '社区"两委"联席会议商议', '党员大会审议通过', '街道党工委审核同意'][s]}（演示数据）`,
        attachments: [],
      });
    }
    const council: PresentMember[] = generated
      .filter((h) => h.members.some((m) => m.isCouncilMember))
      .map((h) => ({
        householdId: ids.get(h.row.householdNo)!,
        householdNo: h.row.householdNo,
        name: h.members.find((m) => m.isCouncilMember)!.name,
      }));
    const step = await dec.insertStep(tx, {
      decisionId: d.id,
      seq: 5,
      step: 'resident_decision',
      body: 'council',
      heldOn: voteOn,
      expectedAttendance: council.length,
      actualAttendance: council.length,
      outcome: 'decided',
      minutes: '居民议事会逐项表决项目清单（演示数据）',
      attachments: [],
      presentMembers: council,
    });
    await dec.insertVotes(
      tx,
      rows.map((p) => ({ stepId: step.id, projectId: p.id, votesFor: council.length, votesAgainst: 0, votesAbstain: 0, passed: true })),
    );
    const { date: windowEnd, provisional: windowEndProvisional } = await services.calendar.windowEndDetailed(voteOn, policy.noticeDays, tx);
    const reps = generated.filter((h) => h.members.some((m) => m.isRepresentative)).length;
    const notice = await dec.insertNotice(tx, {
      decisionId: d.id,
      stepId: step.id,
      round: 1,
      postedOn: voteOn,
      windowEnd,
      windowEndProvisional,
      representatives: reps,
      objectorsNeeded: Math.max(1, Math.ceil((reps * policy.objectionShare.numerator) / policy.objectionShare.denominator)),
      projects: rows.map((p) => ({
        projectId: p.id,
        title: p.title,
        catalogueCode: p.catalogueCode,
        category: p.category,
        estimatedBudgetFen: p.estimatedBudgetFen,
        votesFor: council.length,
        votesAgainst: 0,
        votesAbstain: 0,
      })),
    });
    await dec.updateNotice(tx, notice.id, { status: 'closed', closedAt: new Date(`${addDays(windowEnd, 1)}T02:00:00Z`) });
    await dec.updateDecision(tx, d.id, { status: 'ready_for_review', round: 1, decidedOn: voteOn });

    // The plan, at its stage.
    const street = city.regions.find((x) => x.code === c.streetCode)!;
    const submittedOn =
      stage === 'draft'
        ? null
        : stage === 'submitted'
          ? addDays(today, -1)
          : stage === 'overdue'
            ? addDays(today, -20)
            : stage === 'approved'
              ? addDays(today, -25)
              : addDays(today, -40);
    const { date: reviewDueOn, provisional: reviewDueProvisional } = submittedOn
      ? await due(submittedOn)
      : { date: null, provisional: false };
    const approvedOn = stage === 'approved' ? addDays(today, -18) : stage === 'filed' ? addDays(today, -35) : null;
    const filingLevel = approvedOn ? filingLevelOf([stars]) : null;
    const p = await repo.insertPlan(tx, {
      fundYear: FUND_YEAR,
      kind: 'community',
      title: `${FUND_YEAR} 年度${c.name}"以奖代补"专项资金使用方案`,
      communityCode: c.code,
      streetCode: c.streetCode,
      districtCode: c.districtCode,
      regionPath: `${street.path}/${c.code}`,
      status: stage === 'overdue' ? 'submitted' : stage,
      round: stage === 'draft' ? 0 : 1,
      submittedOn,
      reviewDueOn,
      reviewDueProvisional,
      approvedOn,
      filingLevel,
      filedOn: stage === 'filed' ? addDays(today, -30) : null,
    });
    await repo.insertCommunities(tx, p.id, FUND_YEAR, [c.code]);
    await repo.replaceProjects(
      tx,
      p.id,
      rows.map((x) => ({
        decisionProjectId: x.id,
        title: x.title,
        content: '',
        catalogueCode: x.catalogueCode,
        category: x.category,
        budgetFen: x.estimatedBudgetFen,
        communityCodes: [c.code],
        providerKind: x.catalogueCode === 'B1' ? ('social_work_station' as const) : ('social_organisation' as const),
        otherFunding: [],
        procedureType: 'small_direct',
      })),
    );
    if (approvedOn)
      await repo.insertReview(tx, {
        planId: p.id,
        round: 1,
        stage: 'street',
        outcome: 'approved',
        decidedOn: approvedOn,
        reasons: [],
        comment: '程序合法，未发现负面清单事项（演示数据）',
      });
    if (stage === 'filed')
      await repo.insertReview(tx, {
        planId: p.id,
        round: 1,
        stage: 'filing',
        outcome: 'filed',
        decidedOn: addDays(today, -30),
        reasons: [],
        comment: '准予备案（演示数据）',
      });
    plans++;
  }

  await services.audit.record(tx, SYSTEM_ACTOR, {
    action: 'seed.demo_plans',
    entityType: 'installation',
    entityId: 'demo_plans',
    after: {
      draft: decided.map((d) => d.communityCode),
      stages: stages.map(([stage, c]) => ({ stage, code: c.code, stars: starsOf.get(c.code) })),
      households,
    },
  });
  return { plans, planHouseholds: households };
}
