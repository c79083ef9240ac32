import type { Tx } from '../db/client.js';
import type { NoticeProject, PresentMember } from '../db/schema/decisions.js';
import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import {
  categoryOf,
  MAJOR_PROCEDURE_STEPS,
  objectionThresholdReached,
  objectorsNeeded,
  projectPasses,
  suspendReasonOf,
} from '../modules/decisions/decisions.rules.js';
import { addDays } from '../common/dates.js';
import type { DemoTimeline } from './demo-timeline.js';
import type { DemoCity } from './demo-city.js';
import { generateHouseholds } from './demo-needs.js';
import { createRandom } from './random.js';
import { NeedsRepository } from '../modules/needs/needs.repository.js';
import { DecisionsRepository } from '../modules/decisions/decisions.repository.js';

/**
 * Demo decisions [N 3], [N 3.1.2(1)] for four communities of one street (none a district's first
 * community, so that the tests' communities stay free; the street office account sees all four): a procedure in progress, a notice open with
 * two objections, a notice suspended by objections and one ready for the street review. Each has a
 * full household registry, a needs campaign above 30% coverage and a draft list handed to the
 * council. Deterministic; only the open notice is dated from today so that it stays open.
 *
 * Allocation [N 1] (issue 19): the list fits a 3★ allocation, so no rated community notices more than
 * it receives. The suspended notice's community (and the one in progress) is unrated — no funds —
 * and is the one labelled case where the decision page and the notice show the excess warning.
 */
export const DEMO_DECISIONS_SEED = 20230705;

// [N 1] The list fits the smallest allocation (3★ ¥50,000): what is noticed never exceeds what the community receives (issue 19).
const LIST = [
  { title: '社区社工室建设与驻室服务', catalogueCode: 'B1', fen: 1_500_000, choice: null },
  { title: '"幸福餐桌"老年助餐服务', catalogueCode: 'E5', fen: 1_500_000, choice: 'E5' },
  { title: '"四点半课堂"课后托管', catalogueCode: 'E6', fen: 1_200_000, choice: 'E6' },
  { title: '孤寡高龄老人上门探访', catalogueCode: 'E3', fen: 800_000, choice: 'E3' },
] as const;

type State = 'in_progress' | 'open' | 'suspended' | 'ready_for_review';

export async function seedDemoDecisions(
  tx: Tx,
  services: Services,
  city: DemoCity,
  accountCommunityCodes: string[],
  timeline: DemoTimeline,
): Promise<Record<string, number>> {
  const { today, fundYear: FUND_YEAR } = timeline;
  const r = createRandom(DEMO_DECISIONS_SEED);
  const accounts = new Set(accountCommunityCodes);
  // The street whose four smallest communities (none a district's first) are smallest in all: quick to seed.
  const byStreet = new Map<string, DemoCity['communities']>();
  for (const c of city.communities) if (!accounts.has(c.code)) byStreet.set(c.streetCode, [...(byStreet.get(c.streetCode) ?? []), c]);
  let targets: DemoCity['communities'] = [];
  let best = Infinity;
  for (const [, list] of [...byStreet.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (list.length < 4) continue;
    const four = [...list].sort((a, b) => a.residentHouseholds - b.residentHouseholds || a.code.localeCompare(b.code)).slice(0, 4);
    const total = four.reduce((sum, c) => sum + c.residentHouseholds, 0);
    if (total < best) [best, targets] = [total, four.sort((a, b) => a.code.localeCompare(b.code))];
  }
  const states: State[] = ['in_progress', 'open', 'suspended', 'ready_for_review'];
  const policy = await services.policy.forYear(FUND_YEAR, tx);
  let households = 0;
  let objections = 0;

  for (const [k, c] of targets.entries()) {
    const state = states[k]!;
    // Registry and rosters matching the profile.
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
    const withId = generated.map((h) => ({ ...h, id: ids.get(h.row.householdNo)! }));

    // A concluded campaign (32% reached) whose draft list went to the council.
    const needs = new NeedsRepository();
    const campaign = await needs.insertCampaign(tx, {
      communityCode: c.code,
      fundYear: FUND_YEAR,
      title: `${FUND_YEAR} 年度"以奖代补"项目需求征集`,
      opensOn: `${FUND_YEAR}-02-16`,
      closesOn: `${FUND_YEAR}-03-20`,
      channels: ['household_vote', 'courtyard_meeting', 'online_vote'],
      questionnaire: { itemCodes: ['E3', 'E5', 'E6'], freeText: false, prompt: null },
      allowChanges: false,
    });
    const reached = r.shuffle(withId.map((h) => h.id)).slice(0, Math.ceil(withId.length * 0.32));
    await needs.insertOpinions(
      tx,
      reached.map((householdId) => ({
        campaignId: campaign.id,
        householdId,
        channel: r.pick(['household_vote', 'courtyard_meeting', 'online_vote']),
        choices: [r.pick(['E3', 'E5', 'E5', 'E6'])],
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
    const opinionRows = await needs.opinionsOfHouseholds(tx, campaign.id, reached);
    const projects = [];
    for (const [i, item] of LIST.entries()) {
      const p = await needs.insertProposal(tx, {
        campaignId: campaign.id,
        title: item.title,
        catalogueCode: item.catalogueCode,
        estimatedBudgetFen: item.fen,
        source: item.choice ? 'opinions' : 'committee',
        status: 'listed',
        rank: i + 1,
      });
      if (item.choice)
        await needs.link(
          tx,
          p.id,
          opinionRows.filter((o) => o.choices.includes(item.choice!)).map((o) => o.id),
        );
      projects.push({
        proposalId: p.id,
        rank: i + 1,
        title: item.title,
        catalogueCode: item.catalogueCode,
        category: categoryOf(policy, item.catalogueCode),
        estimatedBudgetFen: item.fen,
        internalMatter: false,
      });
    }

    // The decision and its steps.
    const repo = new DecisionsRepository();
    const d = await repo.insertDecision(tx, { communityCode: c.code, fundYear: FUND_YEAR, campaignId: campaign.id, procedure: 'major' });
    await repo.insertProjects(
      tx,
      projects.map((p) => ({ ...p, decisionId: d.id })),
    );
    const rows = await repo.projects(tx, d.id);
    const voteOn = state === 'open' ? addDays(today, -2) : state === 'suspended' ? `${FUND_YEAR}-05-11` : `${FUND_YEAR}-04-20`;
    const stepDates = [addDays(voteOn, -28), addDays(voteOn, -21), addDays(voteOn, -14), addDays(voteOn, -7)];
    const stepsToRecord = state === 'in_progress' ? 2 : 4;
    for (let s = 0; s < stepsToRecord; s++) {
      await repo.insertStep(tx, {
        decisionId: d.id,
        seq: s + 1,
        step: MAJOR_PROCEDURE_STEPS[s]!,
        heldOn: state === 'in_progress' ? addDays(today, -14 + s * 7) : stepDates[s]!,
        expectedAttendance: [7, 9, 36, 5][s]!,
        actualAttendance: [7, 8, 31, 5][s]!,
        outcome: 'approved',
        minutes: `${['社区党组织提出项目清单建议', '社区"两委"联席会议商议', '党员大会审议通过', '街道党工委审核同意'][s]}（演示数据）`,
        attachments: [{ name: `${['党组织提议书', '两委会议纪要', '党员大会决议', '街道审核意见'][s]}.pdf`, url: null }],
      });
    }
    if (state === 'in_progress') continue;

    const council = generated
      .filter((h) => h.members.some((m) => m.isCouncilMember))
      .map((h) => ({
        householdId: ids.get(h.row.householdNo)!,
        householdNo: h.row.householdNo,
        name: h.members.find((m) => m.isCouncilMember)!.name,
      }));
    const present: PresentMember[] = council.slice(0, Math.floor(council.length / 2) + 1 + (council.length > 8 ? 1 : 0));
    const step = await repo.insertStep(tx, {
      decisionId: d.id,
      seq: 5,
      step: 'resident_decision',
      body: 'council',
      heldOn: voteOn,
      expectedAttendance: council.length,
      actualAttendance: present.length,
      outcome: 'decided',
      minutes: '居民议事会逐项表决项目清单（演示数据）',
      attachments: [{ name: '议事会表决记录.pdf', url: null }],
      presentMembers: present,
    });
    const n = present.length;
    const votes = rows.map((p, i) => {
      const v =
        i === 3 ? { for: Math.floor(n / 2), against: n - Math.floor(n / 2), abstain: 0 } : { for: n - (i % 2), against: 0, abstain: i % 2 };
      return { project: p, v, passed: projectPasses(policy, v, n) };
    });
    await repo.insertVotes(
      tx,
      votes.map((x) => ({
        stepId: step.id,
        projectId: x.project.id,
        votesFor: x.v.for,
        votesAgainst: x.v.against,
        votesAbstain: x.v.abstain,
        passed: x.passed,
      })),
    );
    const { date: windowEnd, provisional: windowEndProvisional } = await services.calendar.windowEndDetailed(voteOn, policy.noticeDays, tx);
    const reps = generated
      .filter((h) => h.members.some((m) => m.isRepresentative))
      .map((h) => ({ householdId: ids.get(h.row.householdNo)!, name: h.members.find((m) => m.isRepresentative)!.name }));
    const noticeProjects: NoticeProject[] = votes
      .filter((x) => x.passed)
      .map((x) => ({
        projectId: x.project.id,
        title: x.project.title,
        catalogueCode: x.project.catalogueCode,
        category: x.project.category,
        estimatedBudgetFen: x.project.estimatedBudgetFen,
        votesFor: x.v.for,
        votesAgainst: x.v.against,
        votesAbstain: x.v.abstain,
      }));
    const needed = objectorsNeeded(policy, reps.length);
    const notice = await repo.insertNotice(tx, {
      decisionId: d.id,
      stepId: step.id,
      round: 1,
      postedOn: voteOn,
      windowEnd,
      windowEndProvisional,
      projects: noticeProjects,
      representatives: reps.length,
      objectorsNeeded: Math.max(1, needed),
    });
    const objectorCount = state === 'open' ? Math.min(2, needed - 1) : state === 'suspended' ? needed : 1;
    const reasons = ['助餐项目预算偏高，建议压缩', '希望增加残疾人康复服务', '四点半课堂场地不足', '对项目承接方式有疑问'];
    // The suspended decision is tipped over by a written objection handed in on the window's last
    // day and typed in two working days later, within the policy's grace [N 3.1.2(1)] (issue 16).
    const lateEntryOn =
      state === 'suspended'
        ? (await services.calendar.addWorkdaysDetailed(windowEnd, Math.min(2, policy.objectionEntryGraceWorkdays), tx)).date
        : null;
    let last: { receivedOn: string; enteredOn: string; channel: 'online' | 'paper' } | null = null;
    for (const [i, rep] of reps.slice(0, objectorCount).entries()) {
      const late = lateEntryOn !== null && i === objectorCount - 1;
      last = late
        ? { receivedOn: windowEnd, enteredOn: lateEntryOn, channel: 'paper' }
        : { receivedOn: addDays(voteOn, 1 + (i % 5)), enteredOn: addDays(voteOn, 1 + (i % 5)), channel: i % 2 ? 'paper' : 'online' };
      await repo.insertObjectionOnce(tx, {
        noticeId: notice.id,
        householdId: rep.householdId,
        representativeName: rep.name,
        reason: reasons[i % reasons.length]!,
        ...last,
        enteredByUserId: null,
      });
    }
    objections += objectorCount;
    const suspended = objectionThresholdReached(policy, objectorCount, reps.length);
    if (suspended && last) {
      await repo.updateNotice(tx, notice.id, {
        status: 'suspended',
        suspendedAt: new Date(`${last.enteredOn}T02:00:00Z`),
        suspendReason: suspendReasonOf({
          objectors: objectorCount,
          representatives: reps.length,
          share: policy.objectionShare,
          windowEnd,
          ...last,
        }),
      });
    }
    const closed = !suspended && windowEnd < today;
    if (closed) await repo.updateNotice(tx, notice.id, { status: 'closed', closedAt: new Date(`${addDays(windowEnd, 1)}T02:00:00Z`) });
    await repo.updateDecision(tx, d.id, {
      status: suspended ? 'suspended' : closed ? 'ready_for_review' : 'noticed',
      round: 1,
      decidedOn: voteOn,
    });
  }

  await services.audit.record(tx, SYSTEM_ACTOR, {
    action: 'seed.demo_decisions',
    entityType: 'installation',
    entityId: 'demo_decisions',
    after: { communities: targets.map((c, k) => ({ code: c.code, state: states[k] })), households, objections },
  });
  return { decisionCommunities: targets.length, decisionHouseholds: households, objections };
}
