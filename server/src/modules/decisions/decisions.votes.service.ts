import type { VoteBody } from './decisions.schemas.js';
import type { Static } from 'typebox';
import type { Executor } from '../../db/client.js';
import type { NoticeProject, PresentMember } from '../../db/schema/decisions.js';
import type { Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { normalizePersonName } from '../households/households.rules.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';
import type { DecisionRow, NoticeRow, ProjectRow } from './decisions.repository.js';
import {
  assertStepInOrder,
  BODY_LABELS,
  checkAttendance,
  checkBodyFor,
  checkStepDate,
  checkVotes,
  DECISION_CLAUSE,
  decisiveStep,
  objectorsNeeded,
  projectPasses,
  quorumMet,
  REOPEN_STEP,
  REVOTE_STEP,
  type DecisionBody,
} from './decisions.rules.js';
import { doneSteps, requireInProgress, type DecisionsContext } from './decisions.context.js';
import type { DecisionReadingService } from './decisions.reading.service.js';

export type VoteInput = Static<typeof VoteBody>;

/**
 * The decisive vote of the democratic decision [N 3.1.2(1)]: attendance against the roster,
 * quorum, per-project results by the policy's pass rule, the notice posted on the passed list;
 * and the revote after objections suspended the decision.
 */
export class DecisionVotesService {
  constructor(
    private readonly ctx: DecisionsContext,
    private readonly reading: DecisionReadingService,
  ) {}

  private async attendance(db: Executor, communityCode: string, input: VoteInput) {
    const roster = await this.ctx.rosterOf(db, communityCode, input.body, input.heldOn);
    if (roster.members) {
      if (!input.presentMembers) {
        throw new DomainError(
          'INVALID_INPUT',
          {
            zh: '字段 presentMembers 无效：请从名册中选择实到成员',
            en: 'Field presentMembers is invalid: choose the members present from the roster',
          },
          { kind: 'invalid', field: 'presentMembers' },
        );
      }
      const key = (householdNo: string, name: string) => `${householdNo.trim()}\u0000${normalizePersonName(name)}`;
      const keys = new Set(input.presentMembers.map((m) => key(m.householdNo, m.name)));
      if (keys.size !== input.presentMembers.length)
        throw new DomainError(
          'INVALID_INPUT',
          { zh: '字段 presentMembers 无效：成员重复', en: 'Field presentMembers is invalid: a member appears twice' },
          { kind: 'invalid', field: 'presentMembers' },
        );
      const present = roster.members.filter((m) => keys.has(key(m.householdNo, m.name)));
      if (present.length !== keys.size) {
        throw new DomainError(
          'INVALID_INPUT',
          {
            zh: `字段 presentMembers 无效：有成员不在本社区${BODY_LABELS[input.body]}名册中`,
            en: 'Field presentMembers is invalid: a member is not on the roster',
          },
          { kind: 'invalid', field: 'presentMembers' },
        );
      }
      const presentMembers: PresentMember[] = present.map((m) => ({
        householdId: m.householdId,
        householdNo: m.householdNo,
        name: m.name,
      }));
      return { expected: roster.members.length, present: present.length, presentMembers };
    }
    if (input.presentMembers?.length) {
      throw new DomainError(
        'INVALID_INPUT',
        {
          zh: '字段 presentMembers 无效：本社区尚未登记该名册，请填写实到人数',
          en: 'Field presentMembers is invalid: no roster is registered; give the count present',
        },
        { kind: 'invalid', field: 'presentMembers' },
      );
    }
    const expected = roster.count ?? input.expectedAttendance;
    if (expected === undefined)
      throw new DomainError(
        'INVALID_INPUT',
        { zh: '字段 expectedAttendance 无效：请填写应到人数', en: 'Field expectedAttendance is required' },
        { kind: 'invalid', field: 'expectedAttendance' },
      );
    if (roster.count !== null && input.expectedAttendance !== undefined && input.expectedAttendance !== roster.count) {
      throw new DomainError(
        'INVALID_INPUT',
        {
          zh: `字段 expectedAttendance 无效：应到人数以社区名册为准（${roster.count} 人）`,
          en: `Field expectedAttendance is invalid: the roster has ${roster.count}`,
        },
        { kind: 'invalid', field: 'expectedAttendance' },
      );
    }
    if (input.actualAttendance === undefined)
      throw new DomainError(
        'INVALID_INPUT',
        { zh: '字段 actualAttendance 无效：请填写实到人数', en: 'Field actualAttendance is required' },
        { kind: 'invalid', field: 'actualAttendance' },
      );
    checkAttendance(expected, input.actualAttendance);
    return { expected, present: input.actualAttendance, presentMembers: null };
  }

  /** Quorum, then one vote row per project with its result by the policy's pass rule. */
  private tally(
    policy: PolicyDocument,
    projects: ProjectRow[],
    input: VoteInput,
    attendance: { expected: number; present: number },
    body: DecisionBody,
  ) {
    if (!quorumMet(policy, { members: attendance.expected, present: attendance.present })) {
      const q = policy.councilQuorum;
      throw new DomainError(
        'QUORUM_NOT_MET',
        {
          zh: `${BODY_LABELS[body]}应到 ${attendance.expected} 人、实到 ${attendance.present} 人，未达到法定人数（须${q.strict ? '超过' : '达到'} ${q.numerator}/${q.denominator}），会议决议无效`,
          en: `${attendance.present} of ${attendance.expected} members present: no quorum (${q.strict ? 'more than' : 'at least'} ${q.numerator}/${q.denominator})`,
        },
        {
          kind: 'rule',
          clause: `${DECISION_CLAUSE} [L] 城市居民委员会组织法`,
          details: { expected: attendance.expected, present: attendance.present },
        },
      );
    }
    const seen = new Set<number>();
    for (const [i, v] of input.votes.entries()) {
      const project = projects.find((p) => p.id === v.projectId);
      if (!project)
        throw new DomainError(
          'INVALID_INPUT',
          { zh: `字段 votes.${i}.projectId 无效：项目不在本决议清单中`, en: `Field votes.${i}.projectId is invalid` },
          { kind: 'invalid', field: `votes.${i}.projectId` },
        );
      if (seen.has(v.projectId))
        throw new DomainError(
          'INVALID_INPUT',
          {
            zh: `字段 votes.${i}.projectId 无效：项目"${project.title}"重复表决`,
            en: `Field votes.${i}.projectId is invalid: voted twice`,
          },
          { kind: 'invalid', field: `votes.${i}.projectId` },
        );
      seen.add(v.projectId);
    }
    const missing = projects.find((p) => !seen.has(p.id));
    if (missing) {
      throw new DomainError(
        'VOTES_MISSING',
        { zh: `项目"${missing.title}"缺少表决结果，须逐项表决`, en: `Project "${missing.title}" has no votes; every project is voted on` },
        { kind: 'rule', clause: DECISION_CLAUSE, field: 'votes' },
      );
    }
    return projects.map((p) => {
      const v = input.votes.find((x) => x.projectId === p.id)!;
      const votes = { for: v.for, against: v.against, abstain: v.abstain };
      checkVotes(votes, attendance.present, `项目"${p.title}"`);
      return { project: p, votes, passed: projectPasses(policy, votes, attendance.present) };
    });
  }

  async vote(actor: Actor, id: number, input: VoteInput) {
    const { decision: snapshot, community } = await this.ctx.scoped(actor, id, 'decisions:write');
    const policy = await this.ctx.policy.forYear(snapshot.fundYear);
    const today = this.ctx.today();
    await this.ctx.db.transaction(async (tx) => {
      const d = (await this.ctx.repo.decision(tx, id, true))!;
      requireInProgress(d);
      const steps = await this.ctx.repo.steps(tx, id);
      const step = decisiveStep(d.procedure);
      assertStepInOrder(d.procedure, doneSteps(d.procedure, steps), step);
      checkBodyFor(d.procedure, input.body);
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      await this.decide(tx, actor, d, community.path, policy, step, input, steps.length + 1, null);
    });
    return this.reading.get(actor, id);
  }

  /**
   * [N 3.1.2(1)] After objections suspended the decision: the council or a representatives'
   * meeting votes again on the objection; the old notice is voided and a new one posted.
   */
  async revote(actor: Actor, id: number, input: VoteInput) {
    const { decision: snapshot, community } = await this.ctx.scoped(actor, id, 'decisions:write');
    const policy = await this.ctx.policy.forYear(snapshot.fundYear);
    const today = this.ctx.today();
    await this.ctx.db.transaction(async (tx) => {
      const d = (await this.ctx.repo.decision(tx, id, true))!;
      if (d.status !== 'suspended') {
        throw new DomainError(
          'DECISION_NOT_SUSPENDED',
          { zh: '只有因异议中止的决议才需重新表决', en: 'Only a decision suspended by objections is retaken' },
          { kind: 'conflict', clause: DECISION_CLAUSE },
        );
      }
      if (input.body !== 'council' && input.body !== 'representatives_meeting') {
        throw new DomainError(
          'BODY_NOT_ALLOWED',
          { zh: '异议须由居民议事会或居民代表会议重新表决', en: "The council or a representatives' meeting retakes the decision" },
          { kind: 'rule', clause: DECISION_CLAUSE, field: 'body' },
        );
      }
      const steps = await this.ctx.repo.steps(tx, id);
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      const current = (await this.ctx.repo.notices(tx, [id])).find((n) => n.round === d.round);
      // A closed notice: the community reopened the decision for more projects (issue 19), not an objection.
      const step = current?.status === 'closed' ? REOPEN_STEP : REVOTE_STEP;
      await this.decide(tx, actor, d, community.path, policy, step, input, steps.length + 1, current ?? null);
    });
    return this.reading.get(actor, id);
  }

  private async decide(
    tx: Executor,
    actor: Actor,
    d: DecisionRow,
    regionPath: string,
    policy: PolicyDocument,
    step: string,
    input: VoteInput,
    seq: number,
    replaces: NoticeRow | null,
  ) {
    const attendance = await this.attendance(tx, d.communityCode, input);
    const projects = await this.ctx.repo.projects(tx, d.id);
    const results = this.tally(policy, projects, input, attendance, input.body);
    const passed = results.filter((r) => r.passed);
    // Window end first: through a year whose holiday notice is not entered it is provisional (ADR 0009).
    const computedEnd = passed.length ? await this.ctx.calendar.windowEndDetailed(input.heldOn, policy.noticeDays, tx) : null;
    const windowEnd = computedEnd?.date ?? null;
    const row = await this.ctx.repo.insertStep(tx, {
      decisionId: d.id,
      seq,
      step,
      body: input.body,
      heldOn: input.heldOn,
      expectedAttendance: attendance.expected,
      actualAttendance: attendance.present,
      outcome: 'decided',
      minutes: input.minutes.trim(),
      attachments: input.attachments ?? [],
      presentMembers: attendance.presentMembers,
      recordedByUserId: actor.userId,
    });
    await this.ctx.repo.insertVotes(
      tx,
      results.map((r) => ({
        stepId: row.id,
        projectId: r.project.id,
        votesFor: r.votes.for,
        votesAgainst: r.votes.against,
        votesAbstain: r.votes.abstain,
        passed: r.passed,
      })),
    );
    const round = d.round + 1;
    if (replaces) {
      await this.ctx.repo.updateNotice(tx, replaces.id, { status: 'voided', closedAt: this.ctx.now() });
    }
    await this.ctx.audit.record(tx, actor, {
      action: step === REVOTE_STEP || step === REOPEN_STEP ? 'decision.revote' : 'decision.vote',
      entityType: 'decision',
      entityId: String(d.id),
      regionPath,
      before: { status: d.status, round: d.round, ...(replaces ? { voidedNoticeId: replaces.id } : {}) },
      after: {
        step,
        body: input.body,
        heldOn: input.heldOn,
        expected: attendance.expected,
        present: attendance.present,
        round,
        results: results.map((r) => ({ projectId: r.project.id, title: r.project.title, ...r.votes, passed: r.passed })),
      },
    });
    if (!passed.length || !windowEnd) {
      await this.ctx.repo.updateDecision(tx, d.id, { status: 'rejected', round, decidedOn: input.heldOn });
      return;
    }
    const representatives = await this.ctx.representativesOf(tx, d.communityCode, input.heldOn);
    const noticeProjects: NoticeProject[] = passed.map((r) => ({
      projectId: r.project.id,
      title: r.project.title,
      catalogueCode: r.project.catalogueCode,
      category: r.project.category,
      estimatedBudgetFen: r.project.estimatedBudgetFen,
      votesFor: r.votes.for,
      votesAgainst: r.votes.against,
      votesAbstain: r.votes.abstain,
    }));
    const notice = await this.ctx.repo.insertNotice(tx, {
      decisionId: d.id,
      stepId: row.id,
      round,
      postedOn: input.heldOn,
      windowEnd,
      windowEndProvisional: computedEnd?.provisional ?? false,
      projects: noticeProjects,
      representatives,
      objectorsNeeded: Math.max(1, objectorsNeeded(policy, representatives)),
    });
    await this.ctx.repo.updateDecision(tx, d.id, { status: 'noticed', round, decidedOn: input.heldOn });
    await this.ctx.audit.record(tx, actor, {
      action: 'decision.notice.post',
      entityType: 'decision_notice',
      entityId: String(notice.id),
      regionPath,
      after: {
        decisionId: d.id,
        round,
        postedOn: notice.postedOn,
        windowEnd,
        windowEndProvisional: notice.windowEndProvisional,
        noticeDays: policy.noticeDays,
        representatives,
        objectorsNeeded: notice.objectorsNeeded,
        projects: noticeProjects.map((p) => p.projectId),
      },
    });
  }
}
