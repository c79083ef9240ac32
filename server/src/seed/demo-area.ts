import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import type { PresentMember } from '../db/schema/decisions.js';
import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { categoryOf, MAJOR_PROCEDURE_STEPS } from '../modules/decisions/decisions.rules.js';
import { filingLevelOf } from '../modules/plans/plans.rules.js';
import type { PolicyDocument } from '../modules/policy/policy.schemas.js';
import { addDays } from '../common/dates.js';
import { CITY_CODE, type DemoCity } from './demo-city.js';
import { notAfter, notBefore, type DemoTimeline } from './demo-timeline.js';
import { generateHouseholds } from './demo-needs.js';
import { createRandom, type Random } from './random.js';
import { NeedsRepository } from '../modules/needs/needs.repository.js';
import { DecisionsRepository } from '../modules/decisions/decisions.repository.js';
import { PlansRepository } from '../modules/plans/plans.repository.js';
import { ProcurementRepository } from '../modules/procurement/procurement.repository.js';
import { AreaContracts } from '../modules/procurement/procurement.area.service.js';
import { contractRef } from '../modules/procurement/procurement.views.js';

/**
 * A demo area plan [N 2.3] (ADR 0014): one street pools three of its rated communities. Each member
 * collected its own residents' needs and had its own council decision; the street's area plan, with
 * one project shared by the three in declared shares, was reviewed and filed (with the city bureau
 * if a member is 5★, else the district). A contract for the shared project commits each member's
 * part from its own allocation, and its first instalment is paid from the members in proportion.
 * Runs last (the procurement, evaluation and disclosure seeds work on one community at a time). Deterministic but for the
 * dates, counted back from today.
 */
export const DEMO_AREA_SEED = 20231121;

const BASIC = [
  { title: '社区社工室建设与驻室服务', code: 'B1', fen: 600_000 },
  { title: '社区社会组织孵化培育', code: 'B2', fen: 600_000 },
  { title: '居民骨干（能人、达人）培育', code: 'B3', fen: 600_000 },
] as const;
const ENHANCEMENT = [
  { title: '"幸福餐桌"老年助餐服务', code: 'E5', fen: 500_000 },
  { title: '"四点半课堂"课后托管', code: 'E6', fen: 500_000 },
  { title: '孤寡高龄老人上门探访', code: 'E3', fen: 500_000 },
  { title: '楼院议事协商', code: 'E1', fen: 500_000 },
  { title: '文明家庭评选', code: 'E4', fen: 500_000 },
] as const;
/** The project the three members share, decided by the first member's council, and its shares (fen). */
const SHARED = { title: '片区志愿服务队联合培育', code: 'E7', fen: 3_000_000 } as const;
const SHARES = [1_200_000, 1_000_000, 800_000] as const;

type Community = DemoCity['communities'][number];
type Item = { title: string; code: string; fen: number };

/** A member's registry and its own needs campaign, concluded above the coverage threshold [N 3.1.1(1)]. */
async function memberCampaign(tx: Tx, services: Services, r: Random, c: Community, year: number) {
  const generated = generateHouseholds(r, c.residentHouseholds, c.representatives, c.councilMembers);
  const ids = await services.households.seedHouseholds(
    tx,
    generated.map((h) => ({ ...h.row, communityCode: c.code })),
  );
  await services.households.seedMembers(
    tx,
    generated.flatMap((h) => h.members.map((m) => ({ ...m, householdId: ids.get(h.row.householdNo)! }))),
    // Terms from 1 January of the year before the fund year, as the other seeded communities (ADR 0013).
    { communityCode: c.code, fromDate: `${year - 1}-01-01` },
  );
  const needs = new NeedsRepository();
  const campaign = await needs.insertCampaign(tx, {
    communityCode: c.code,
    fundYear: year,
    title: `${year} 年度"以奖代补"项目需求征集`,
    opensOn: `${year}-02-16`,
    closesOn: `${year}-03-20`,
    channels: ['household_vote', 'courtyard_meeting'],
    questionnaire: { itemCodes: ['E1', 'E3', 'E5', 'E7'], freeText: false, prompt: null },
    allowChanges: false,
  });
  const reached = r.shuffle([...ids.values()]).slice(0, Math.ceil(ids.size * 0.36));
  await needs.insertOpinions(
    tx,
    reached.map((householdId) => ({
      campaignId: campaign.id,
      householdId,
      channel: r.pick(['household_vote', 'courtyard_meeting']),
      choices: [r.pick(['E3', 'E5', 'E7'])],
      freeText: null,
      enteredByUserId: null,
    })),
    false,
  );
  await needs.updateCampaign(tx, campaign.id, {
    status: 'ready',
    concludedAt: new Date(`${year}-03-21T02:00:00Z`),
    concludedReached: reached.length,
    concludedResidentHouseholds: c.residentHouseholds,
    readyAt: new Date(`${year}-03-25T02:00:00Z`),
  });
  return { generated, ids, campaignId: campaign.id, needs };
}

/** A member's own needs campaign above the threshold and council decision with its notice closed; returns the passed projects. */
async function decidedMember(tx: Tx, services: Services, r: Random, c: Community, list: Item[], policy: PolicyDocument, year: number) {
  const { generated, ids, campaignId, needs } = await memberCampaign(tx, services, r, c, year);
  const campaign = { id: campaignId };
  const dec = new DecisionsRepository();
  const d = await dec.insertDecision(tx, { communityCode: c.code, fundYear: year, campaignId: campaign.id, procedure: 'major' });
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
      decisionId: d.id,
      proposalId: p.id,
      rank: i + 1,
      title: item.title,
      catalogueCode: item.code,
      category: categoryOf(policy, item.code),
      estimatedBudgetFen: item.fen,
      internalMatter: false,
    });
  }
  await dec.insertProjects(tx, proposals);
  const rows = await dec.projects(tx, d.id);
  const voteOn = `${year}-05-14`;
  for (let s = 0; s < 4; s++) {
    await dec.insertStep(tx, {
      decisionId: d.id,
      seq: s + 1,
      step: MAJOR_PROCEDURE_STEPS[s]!,
      heldOn: addDays(voteOn, -28 + s * 7),
      expectedAttendance: [7, 9, 30, 5][s]!,
      actualAttendance: [7, 9, 28, 5][s]!,
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
  return { rows, households: generated.length };
}

/** Three rated communities of one street that no other demo data touches (no account, registry, decision or plan). */
async function pickArea(tx: Tx, services: Services, city: DemoCity, fundYear: number, ratingYear: number) {
  const rated = new Map((await services.ratings.ratingsUnder(tx, ratingYear, CITY_CODE)).map((x) => [x.communityCode, x.stars]));
  const busy = new Set((await services.decisions.overviewUnder('', { fundYear }, tx)).map((d) => d.communityCode.slice(0, 9)));
  const planned = await services.plans.plansUnder(CITY_CODE, fundYear, tx);
  for (const p of planned) for (const code of p.communityCodes) busy.add(code.slice(0, 9));
  // Streets where another part of the demo registered households or opened a campaign.
  const taken = (await tx.execute(
    sql`select community_code as code from household union select community_code from needs_campaign`,
  )) as unknown as { rows: { code: string }[] };
  for (const row of taken.rows) busy.add(row.code.slice(0, 9));
  const byStreet = new Map<string, Community[]>();
  for (const c of city.communities) byStreet.set(c.streetCode, [...(byStreet.get(c.streetCode) ?? []), c]);
  for (const [street, list] of [...byStreet].sort(([a], [b]) => a.localeCompare(b))) {
    if (busy.has(street)) continue;
    const members = list
      .filter((c) => rated.has(c.code) && (rated.get(c.code) ?? 0) < 5)
      .sort((a, b) => a.code.localeCompare(b.code))
      .slice(0, 3);
    if (members.length === 3) return { street, members, starsOf: rated };
  }
  return null;
}

export async function seedDemoArea(tx: Tx, services: Services, city: DemoCity, timeline: DemoTimeline): Promise<Record<string, number>> {
  const { today, fundYear: year } = timeline;
  const r = createRandom(DEMO_AREA_SEED);
  const policy = await services.policy.forYear(year, tx);
  const area = await pickArea(tx, services, city, year, policy.ratingYear);
  if (!area) return { areaPlans: 0 };
  const { members, starsOf } = area;
  const street = city.regions.find((x) => x.code === area.street)!;

  // Each member's own procedure; the first member's council also decided the shared project.
  const decided = [];
  let households = 0;
  for (const [i, c] of members.entries()) {
    const min = policy.tiers.find((t) => t.stars === starsOf.get(c.code))!.enhancementMin;
    const own: Item[] = [...BASIC, ...ENHANCEMENT.slice(0, Math.max(0, min - 1))];
    const got = await decidedMember(tx, services, r, c, i === 0 ? [...own, SHARED] : own, policy, year);
    households += got.households;
    decided.push({ c, rows: got.rows });
  }

  // The street's area plan, reviewed and filed.
  const repo = new PlansRepository();
  const codes = members.map((c) => c.code);
  // Fixed days of the fund year, or counted back from today when the year is younger (ADR 0009).
  const submittedOn = notAfter(`${year}-06-20`, addDays(today, -45));
  const approvedOn = addDays(submittedOn, 5);
  const filedOn = addDays(submittedOn, 10);
  const { date: reviewDueOn, provisional: reviewDueProvisional } = await services.calendar.addWorkdaysDetailed(
    submittedOn,
    policy.reviewWorkdays,
    tx,
  );
  const filingLevel = filingLevelOf(members.map((c) => starsOf.get(c.code) ?? null));
  const plan = await repo.insertPlan(tx, {
    fundYear: year,
    kind: 'area',
    title: `${year} 年度${street.name}片区"以奖代补"专项资金使用方案`,
    communityCode: null,
    streetCode: street.code,
    districtCode: street.parentCode!,
    regionPath: street.path,
    status: 'filed',
    round: 1,
    submittedOn,
    reviewDueOn,
    reviewDueProvisional,
    approvedOn,
    filingLevel,
    filedOn,
  });
  await repo.insertCommunities(tx, plan.id, year, codes);
  await repo.replaceProjects(tx, plan.id, areaProjects(decided, codes));
  await reviewed(repo, tx, plan.id, approvedOn, filedOn);

  const contract = await seedAreaContract(tx, services, {
    planId: plan.id,
    street,
    codes,
    signedOn: notAfter(`${year}-07-10`, addDays(today, -28)),
    year,
  });
  await services.audit.record(tx, SYSTEM_ACTOR, {
    action: 'seed.demo_area',
    entityType: 'installation',
    entityId: 'demo_area',
    after: { planId: plan.id, street: street.code, members: codes, filingLevel, contract, households },
  });
  return { areaPlans: 1, areaContracts: 1 };
}

/** The area plan's lines: each member's own decided projects, and the shared one serving all three in its shares [N 2.3]. */
function areaProjects(
  decided: {
    c: Community;
    rows: { id: number; title: string; catalogueCode: string; category: 'basic' | 'enhancement'; estimatedBudgetFen: number }[];
  }[],
  codes: string[],
) {
  return decided.flatMap(({ c, rows }) =>
    rows.map((x) => {
      const shared = x.catalogueCode === SHARED.code;
      return {
        decisionProjectId: x.id,
        title: x.title,
        content: shared ? '三个社区志愿服务队联合招募、培训与轮值（演示数据）' : '',
        catalogueCode: x.catalogueCode,
        category: x.category,
        budgetFen: x.estimatedBudgetFen,
        communityCodes: shared ? codes : [c.code],
        shares: shared ? codes.map((code, k) => ({ communityCode: code, shareFen: SHARES[k]! })) : undefined,
        providerKind: x.catalogueCode === 'B1' ? ('social_work_station' as const) : ('social_organisation' as const),
        otherFunding: [],
        procedureType: shared ? 'competitive_consultation' : 'small_direct',
      };
    }),
  );
}

/** The street's preliminary review and the bureau's filing of the area plan [N 3.1.2(2)]. */
async function reviewed(repo: PlansRepository, tx: Tx, planId: number, approvedOn: string, filedOn: string) {
  for (const [stage, outcome, decidedOn, comment] of [
    ['street', 'approved', approvedOn, '三个社区均已各自完成需求征集和议事会决策，程序合法（演示数据）'],
    ['filing', 'filed', filedOn, '准予备案（演示数据）'],
  ] as const)
    await repo.insertReview(tx, { planId, round: 1, stage, outcome, decidedOn, reasons: [], comment });
}

/** The shared project's contract: committed from each member's allocation in its share; the first instalment paid from them in proportion. */
async function seedAreaContract(
  tx: Tx,
  services: Services,
  input: { planId: number; street: DemoCity['regions'][number]; codes: string[]; signedOn: string; year: number },
) {
  const { street, codes, signedOn, year } = input;
  const repo = new ProcurementRepository();
  const shared = (await services.plans.filedProjects(tx, { regionPrefix: street.path, fundYear: year })).find(
    (p) => p.planId === input.planId && p.communityCodes.length > 1,
  )!;
  const [providerId] = (await repo.providers(tx, { kind: 'social_organisation', limit: 1, offset: 0 })).items.map((p) => p.id);
  const proc = await repo.insertProcurement(tx, {
    fundYear: year,
    purchaserKind: 'street',
    purchaserCode: street.code,
    regionPath: street.path,
    method: 'competitive_consultation',
    projectIds: [shared.projectId],
    budgetFen: shared.budgetFen,
    candidates: [{ providerId: providerId!, name: '承接机构', quoteFen: shared.budgetFen, note: '综合得分第一' }],
    selectedProviderId: providerId!,
    selectionReason: '片区联合服务方案完整，综合评分最高（演示数据）',
    documents: [{ name: '磋商文件与评审记录', kind: 'tender', ref: null }],
    decidedOn: addDays(signedOn, -3),
  });
  const lead = (await services.regions.byCodes([codes[0]!], tx))[0]!;
  const c = await repo.insertContract(tx, {
    fundYear: year,
    procurementId: proc.id,
    purchaserKind: 'street',
    purchaserCode: street.code,
    communityCode: lead.code,
    regionPath: lead.path,
    providerId: providerId!,
    title: `${shared.title}服务项目`,
    amountFen: shared.budgetFen,
    startsOn: signedOn,
    endsOn: notBefore(`${year}-12-31`, addDays(signedOn, 90)),
    deliverables: ['三个社区志愿者联合招募与培训', '中期、终期服务报告'],
  });
  await repo.insertContractProjects(tx, c.id, [shared.projectId]);
  const paths = await services.regions.byCodes(codes, tx);
  await repo.insertContractShares(
    tx,
    shared.shares.map((s) => ({
      contractId: c.id,
      communityCode: s.communityCode,
      regionPath: paths.find((p) => p.code === s.communityCode)!.path,
      amountFen: s.shareFen,
    })),
  );
  const first = 1_000_000;
  await repo.insertInstalments(tx, [
    { contractId: c.id, seq: 1, condition: 'on_signing', amountFen: first },
    { contractId: c.id, seq: 2, condition: 'after_final_passed', amountFen: shared.budgetFen - first },
  ]);
  const area = new AreaContracts(repo, services.ledger);
  await area.commit(tx, c, SYSTEM_ACTOR);
  await repo.updateContract(tx, c.id, { status: 'signed', signedOn });
  const [inst1] = await repo.instalments(tx, [c.id]);
  const key = await area.pay(tx, c, inst1!, `合同 ${contractRef(c)} 第 1 期（合同签订后）`, SYSTEM_ACTOR);
  const req = (await repo.insertPaymentRequestOnce(tx, {
    instalmentId: inst1!.id,
    contractId: c.id,
    payeeProviderId: providerId!,
    amountFen: first,
    note: '合同已签订，申请首期款',
    requestedOn: addDays(signedOn, 2),
  }))!;
  await repo.updatePaymentRequest(tx, req.id, {
    status: 'approved',
    decidedOn: addDays(signedOn, 4),
    decisionNote: '同意拨付（演示数据）',
    transferId: key,
  });
  await repo.updateInstalment(tx, inst1!.id, { status: 'paid', transferId: key, paidOn: addDays(signedOn, 4) });
  return contractRef(c);
}
