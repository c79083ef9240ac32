import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Attachment, NoticeProject, PresentMember } from '../../db/schema/decisions.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { maskName, normalizePersonName, seesPersonalData } from '../households/households.rules.js';
import type { PolicyDocument } from '../policy/policy.schema.js';
import type { DecisionRow, NoticeRow, ProjectRow, StepRow, VoteRow } from './decisions.repository.js';
import {
  assertStepInOrder,
  BODY_LABELS,
  categoryOf,
  checkAttendance,
  checkBodyFor,
  checkSimplifiedAllowed,
  checkStepDate,
  checkVotes,
  DECISION_CLAUSE,
  decisiveStep,
  enteredLate,
  nextStep,
  noticeStatusOn,
  objectorsNeeded,
  PROCEDURE_CLAUSE,
  projectPasses,
  quorumMet,
  REVOTE_STEP,
  STEP_LABELS,
  stepsOf,
  type DecisionBody,
  type ProcedureKind,
  type ProcedureStep,
} from './decisions.rules.js';
import { STEP_NAMES, type DecisionsContext } from './decisions.context.js';
import type { DecisionListView, DecisionView } from './decisions.schemas.js';

export interface DecisionCreate {
  campaignId: number;
  procedure: ProcedureKind;
  /** Proposals of the draft list that are internal matters of the community (simplified procedure). */
  internalMatterProposalIds?: number[];
}

export interface StepInput {
  step: ProcedureStep;
  heldOn: string;
  expectedAttendance: number;
  actualAttendance: number;
  outcome: 'approved' | 'returned';
  minutes: string;
  attachments?: Attachment[];
}

export interface VoteInput {
  heldOn: string;
  body: DecisionBody;
  /** Roster members present (household number and name), when the body has a registered roster. */
  presentMembers?: { householdNo: string; name: string }[];
  /** Without a roster: 应到/实到 as counted at the meeting. */
  expectedAttendance?: number;
  actualAttendance?: number;
  votes: { projectId: number; for: number; against: number; abstain: number }[];
  minutes: string;
  attachments?: Attachment[];
}

const DECISIVE_STEPS = new Set<string>(['resident_decision', 'committees_decision', REVOTE_STEP]);

/**
 * The procedure of the democratic decision [N 3]: opened on a ready draft list, its preparatory
 * steps in order, the council's vote (quorum, per-project results) that posts the notice, the
 * revote after objections; and the decision as read by staff.
 */
export class DecisionProcedureService {
  constructor(private readonly ctx: DecisionsContext) {}

  private async attendance(db: Executor, communityCode: string, input: VoteInput) {
    const roster = await this.ctx.rosterOf(db, communityCode, input.body);
    if (roster.members) {
      if (!input.presentMembers) {
        throw new DomainError('INVALID_INPUT', { zh: '字段 presentMembers 无效：请从名册中选择实到成员', en: 'Field presentMembers is invalid: choose the members present from the roster' }, { kind: 'invalid', field: 'presentMembers' });
      }
      const key = (householdNo: string, name: string) => `${householdNo.trim()}\u0000${normalizePersonName(name)}`;
      const keys = new Set(input.presentMembers.map((m) => key(m.householdNo, m.name)));
      if (keys.size !== input.presentMembers.length) throw new DomainError('INVALID_INPUT', { zh: '字段 presentMembers 无效：成员重复', en: 'Field presentMembers is invalid: a member appears twice' }, { kind: 'invalid', field: 'presentMembers' });
      const present = roster.members.filter((m) => keys.has(key(m.householdNo, m.member.name)));
      if (present.length !== keys.size) {
        throw new DomainError('INVALID_INPUT', { zh: `字段 presentMembers 无效：有成员不在本社区${BODY_LABELS[input.body]}名册中`, en: 'Field presentMembers is invalid: a member is not on the roster' }, { kind: 'invalid', field: 'presentMembers' });
      }
      const presentMembers: PresentMember[] = present.map((m) => ({ householdId: m.householdId, householdNo: m.householdNo, name: m.member.name }));
      return { expected: roster.members.length, present: present.length, presentMembers };
    }
    if (input.presentMembers?.length) {
      throw new DomainError('INVALID_INPUT', { zh: '字段 presentMembers 无效：本社区尚未登记该名册，请填写实到人数', en: 'Field presentMembers is invalid: no roster is registered; give the count present' }, { kind: 'invalid', field: 'presentMembers' });
    }
    const expected = roster.count ?? input.expectedAttendance;
    if (expected === undefined) throw new DomainError('INVALID_INPUT', { zh: '字段 expectedAttendance 无效：请填写应到人数', en: 'Field expectedAttendance is required' }, { kind: 'invalid', field: 'expectedAttendance' });
    if (roster.count !== null && input.expectedAttendance !== undefined && input.expectedAttendance !== roster.count) {
      throw new DomainError('INVALID_INPUT', { zh: `字段 expectedAttendance 无效：应到人数以社区名册为准（${roster.count} 人）`, en: `Field expectedAttendance is invalid: the roster has ${roster.count}` }, { kind: 'invalid', field: 'expectedAttendance' });
    }
    if (input.actualAttendance === undefined) throw new DomainError('INVALID_INPUT', { zh: '字段 actualAttendance 无效：请填写实到人数', en: 'Field actualAttendance is required' }, { kind: 'invalid', field: 'actualAttendance' });
    checkAttendance(expected, input.actualAttendance);
    return { expected, present: input.actualAttendance, presentMembers: null };
  }

  /** Quorum, then one vote row per project with its result by the policy's pass rule. */
  private tally(policy: PolicyDocument, projects: ProjectRow[], input: VoteInput, attendance: { expected: number; present: number }, body: DecisionBody) {
    if (!quorumMet(policy, { members: attendance.expected, present: attendance.present })) {
      const q = policy.councilQuorum;
      throw new DomainError(
        'QUORUM_NOT_MET',
        {
          zh: `${BODY_LABELS[body]}应到 ${attendance.expected} 人、实到 ${attendance.present} 人，未达到法定人数（须${q.strict ? '超过' : '达到'} ${q.numerator}/${q.denominator}），会议决议无效`,
          en: `${attendance.present} of ${attendance.expected} members present: no quorum (${q.strict ? 'more than' : 'at least'} ${q.numerator}/${q.denominator})`,
        },
        { kind: 'rule', clause: `${DECISION_CLAUSE} [L] 城市居民委员会组织法`, details: { expected: attendance.expected, present: attendance.present } },
      );
    }
    const seen = new Set<number>();
    for (const [i, v] of input.votes.entries()) {
      const project = projects.find((p) => p.id === v.projectId);
      if (!project) throw new DomainError('INVALID_INPUT', { zh: `字段 votes.${i}.projectId 无效：项目不在本决议清单中`, en: `Field votes.${i}.projectId is invalid` }, { kind: 'invalid', field: `votes.${i}.projectId` });
      if (seen.has(v.projectId)) throw new DomainError('INVALID_INPUT', { zh: `字段 votes.${i}.projectId 无效：项目"${project.title}"重复表决`, en: `Field votes.${i}.projectId is invalid: voted twice` }, { kind: 'invalid', field: `votes.${i}.projectId` });
      seen.add(v.projectId);
    }
    const missing = projects.find((p) => !seen.has(p.id));
    if (missing) {
      throw new DomainError('VOTES_MISSING', { zh: `项目"${missing.title}"缺少表决结果，须逐项表决`, en: `Project "${missing.title}" has no votes; every project is voted on` }, { kind: 'rule', clause: DECISION_CLAUSE, field: 'votes' });
    }
    return projects.map((p) => {
      const v = input.votes.find((x) => x.projectId === p.id)!;
      const votes = { for: v.for, against: v.against, abstain: v.abstain };
      checkVotes(votes, attendance.present, `项目"${p.title}"`);
      return { project: p, votes, passed: projectPasses(policy, votes, attendance.present) };
    });
  }

  // ---- create and record the procedure ----

  /** Opens the decision on a community's draft list, once the committees handed it to the council. */
  async create(actor: Actor, input: DecisionCreate) {
    requirePermission(actor, 'decisions:write');
    const draft = await this.ctx.needs.draftList(input.campaignId);
    const notFound = () => new DomainError('NOT_FOUND', { zh: '需求征集不存在或无权查看', en: 'Campaign not found' }, { kind: 'not_found' });
    if (!draft) throw notFound();
    const community = await this.ctx.regions.requireInScope(actor, draft.communityCode).catch(() => {
      throw notFound();
    });
    if (!draft.ready) {
      throw new DomainError('DRAFT_LIST_NOT_READY', { zh: '项目清单尚未提交居民议事会（须先完成需求征集并形成项目清单）', en: 'The draft list has not been handed to the council' }, { kind: 'rule', clause: '[N 3.1.1(3)]' });
    }
    const policy = await this.ctx.policy.forYear(draft.fundYear);
    const internal = new Set(input.internalMatterProposalIds ?? []);
    for (const id of internal) {
      if (!draft.items.some((p) => p.id === id)) throw new DomainError('INVALID_INPUT', { zh: `字段 internalMatterProposalIds 无效：提案 ${id} 不在项目清单中`, en: `Field internalMatterProposalIds is invalid: ${id} is not on the list` }, { kind: 'invalid', field: 'internalMatterProposalIds' });
    }
    const projects = draft.items.map((p, i) => ({
      proposalId: p.id, rank: p.rank ?? i + 1, title: p.title, catalogueCode: p.catalogueCode ?? '', category: categoryOf(policy, p.catalogueCode ?? ''),
      estimatedBudgetFen: p.estimatedBudgetFen ?? 0, internalMatter: internal.has(p.id),
    }));
    if (input.procedure === 'simplified') checkSimplifiedAllowed(projects.map((p) => ({ name: p.title, category: p.category, internalMatter: p.internalMatter })));
    const id = await heldOnce(this.ctx.db.transaction(async (tx) => {
      const live = await this.ctx.repo.liveForCampaign(tx, input.campaignId);
      if (live) throw new DomainError('DECISION_EXISTS', { zh: '该项目清单已在决策程序中', en: 'A decision on this list already exists' }, { kind: 'conflict', clause: PROCEDURE_CLAUSE, details: { decisionId: live.id } });
      const row = await this.ctx.repo.insertDecision(tx, { communityCode: draft.communityCode, fundYear: draft.fundYear, campaignId: input.campaignId, procedure: input.procedure, createdByUserId: actor.userId });
      await this.ctx.repo.insertProjects(tx, projects.map((p) => ({ ...p, decisionId: row.id })));
      await this.ctx.audit.record(tx, actor, { action: 'decision.create', entityType: 'decision', entityId: String(row.id), regionPath: community.path, after: { campaignId: input.campaignId, procedure: input.procedure, projects } });
      return row.id;
    }));
    return this.get(actor, id);
  }

  /** Steps that count toward the order: approved preparatory steps and decisive votes of the procedure. */
  private doneSteps(kind: ProcedureKind, steps: StepRow[]): ProcedureStep[] {
    const own = new Set<string>(stepsOf(kind));
    return steps.filter((s) => own.has(s.step) && s.outcome !== 'returned').map((s) => s.step as ProcedureStep);
  }

  private requireInProgress(d: DecisionRow) {
    if (d.status !== 'in_progress') {
      throw new DomainError('PROCEDURE_COMPLETE', { zh: '决议已作出，议事程序不能再添加步骤', en: 'The decision has been taken; the procedure is complete' }, { kind: 'conflict', clause: PROCEDURE_CLAUSE });
    }
  }

  /** [N 3] Records a preparatory step (proposal, discussion, review, audit) in order. */
  async recordStep(actor: Actor, id: number, input: StepInput) {
    const { community } = await this.ctx.scoped(actor, id, 'decisions:write');
    const today = this.ctx.today();
    await this.ctx.db.transaction(async (tx) => {
      const d = (await this.ctx.repo.decision(tx, id, true))!;
      this.requireInProgress(d);
      const steps = await this.ctx.repo.steps(tx, id);
      assertStepInOrder(d.procedure, this.doneSteps(d.procedure, steps), input.step);
      if (DECISIVE_STEPS.has(input.step)) {
        throw new DomainError('VOTE_REQUIRED', { zh: `"${STEP_NAMES[input.step]}"须录入逐项表决结果`, en: `${input.step} is recorded with its votes (POST /decisions/:id/vote)` }, { kind: 'invalid', field: 'step', clause: DECISION_CLAUSE });
      }
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      checkAttendance(input.expectedAttendance, input.actualAttendance);
      const row = await this.ctx.repo.insertStep(tx, {
        decisionId: id, seq: steps.length + 1, step: input.step, heldOn: input.heldOn, expectedAttendance: input.expectedAttendance, actualAttendance: input.actualAttendance,
        outcome: input.outcome, minutes: input.minutes.trim(), attachments: input.attachments ?? [], recordedByUserId: actor.userId,
      });
      await this.ctx.audit.record(tx, actor, { action: 'decision.step', entityType: 'decision', entityId: String(id), regionPath: community.path, after: { seq: row.seq, step: row.step, heldOn: row.heldOn, expected: row.expectedAttendance, actual: row.actualAttendance, outcome: row.outcome } });
    });
    return this.get(actor, id);
  }

  /**
   * [N 3.1.2(1)] The decisive vote (resident_decision, or committees_decision under the simplified
   * procedure): quorum, votes per project, the pass rule; the passed list is frozen and its notice
   * posted at once, dated the meeting day.
   */
  async vote(actor: Actor, id: number, input: VoteInput) {
    const { decision: snapshot, community } = await this.ctx.scoped(actor, id, 'decisions:write');
    const policy = await this.ctx.policy.forYear(snapshot.fundYear);
    const today = this.ctx.today();
    await this.ctx.db.transaction(async (tx) => {
      const d = (await this.ctx.repo.decision(tx, id, true))!;
      this.requireInProgress(d);
      const steps = await this.ctx.repo.steps(tx, id);
      const step = decisiveStep(d.procedure);
      assertStepInOrder(d.procedure, this.doneSteps(d.procedure, steps), step);
      checkBodyFor(d.procedure, input.body);
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      await this.decide(tx, actor, d, community.path, policy, step, input, steps.length + 1, null);
    });
    return this.get(actor, id);
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
        throw new DomainError('DECISION_NOT_SUSPENDED', { zh: '只有因异议中止的决议才需重新表决', en: 'Only a decision suspended by objections is retaken' }, { kind: 'conflict', clause: DECISION_CLAUSE });
      }
      if (input.body !== 'council' && input.body !== 'representatives_meeting') {
        throw new DomainError('BODY_NOT_ALLOWED', { zh: '异议须由居民议事会或居民代表会议重新表决', en: 'The council or a representatives\' meeting retakes the decision' }, { kind: 'rule', clause: DECISION_CLAUSE, field: 'body' });
      }
      const steps = await this.ctx.repo.steps(tx, id);
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      const current = (await this.ctx.repo.notices(tx, [id])).find((n) => n.round === d.round);
      await this.decide(tx, actor, d, community.path, policy, REVOTE_STEP, input, steps.length + 1, current ?? null);
    });
    return this.get(actor, id);
  }

  private async decide(tx: Executor, actor: Actor, d: DecisionRow, regionPath: string, policy: PolicyDocument, step: string, input: VoteInput, seq: number, replaces: NoticeRow | null) {
    const attendance = await this.attendance(tx, d.communityCode, input);
    const projects = await this.ctx.repo.projects(tx, d.id);
    const results = this.tally(policy, projects, input, attendance, input.body);
    const passed = results.filter((r) => r.passed);
    // Window end first: through a year whose holiday notice is not entered it is provisional (ADR 0009).
    const computedEnd = passed.length ? await this.ctx.calendar.windowEndDetailed(input.heldOn, policy.noticeDays, tx) : null;
    const windowEnd = computedEnd?.date ?? null;
    const row = await this.ctx.repo.insertStep(tx, {
      decisionId: d.id, seq, step, body: input.body, heldOn: input.heldOn, expectedAttendance: attendance.expected, actualAttendance: attendance.present,
      outcome: 'decided', minutes: input.minutes.trim(), attachments: input.attachments ?? [], presentMembers: attendance.presentMembers, recordedByUserId: actor.userId,
    });
    await this.ctx.repo.insertVotes(tx, results.map((r) => ({ stepId: row.id, projectId: r.project.id, votesFor: r.votes.for, votesAgainst: r.votes.against, votesAbstain: r.votes.abstain, passed: r.passed })));
    const round = d.round + 1;
    if (replaces) {
      await this.ctx.repo.updateNotice(tx, replaces.id, { status: 'voided', closedAt: this.ctx.now() });
    }
    await this.ctx.audit.record(tx, actor, {
      action: step === REVOTE_STEP ? 'decision.revote' : 'decision.vote', entityType: 'decision', entityId: String(d.id), regionPath,
      before: { status: d.status, round: d.round, ...(replaces ? { voidedNoticeId: replaces.id } : {}) },
      after: {
        step, body: input.body, heldOn: input.heldOn, expected: attendance.expected, present: attendance.present, round,
        results: results.map((r) => ({ projectId: r.project.id, title: r.project.title, ...r.votes, passed: r.passed })),
      },
    });
    if (!passed.length || !windowEnd) {
      await this.ctx.repo.updateDecision(tx, d.id, { status: 'rejected', round, decidedOn: input.heldOn });
      return;
    }
    const representatives = await this.ctx.representativesOf(tx, d.communityCode);
    const noticeProjects: NoticeProject[] = passed.map((r) => ({
      projectId: r.project.id, title: r.project.title, catalogueCode: r.project.catalogueCode, category: r.project.category, estimatedBudgetFen: r.project.estimatedBudgetFen,
      votesFor: r.votes.for, votesAgainst: r.votes.against, votesAbstain: r.votes.abstain,
    }));
    const notice = await this.ctx.repo.insertNotice(tx, {
      decisionId: d.id, stepId: row.id, round, postedOn: input.heldOn, windowEnd, windowEndProvisional: computedEnd?.provisional ?? false, projects: noticeProjects, representatives, objectorsNeeded: Math.max(1, objectorsNeeded(policy, representatives)),
    });
    await this.ctx.repo.updateDecision(tx, d.id, { status: 'noticed', round, decidedOn: input.heldOn });
    await this.ctx.audit.record(tx, actor, {
      action: 'decision.notice.post', entityType: 'decision_notice', entityId: String(notice.id), regionPath,
      after: { decisionId: d.id, round, postedOn: notice.postedOn, windowEnd, windowEndProvisional: notice.windowEndProvisional, noticeDays: policy.noticeDays, representatives, objectorsNeeded: notice.objectorsNeeded, projects: noticeProjects.map((p) => p.projectId) },
    });
  }

  // ---- reading ----

  async get(actor: Actor, id: number): Promise<DecisionView> {
    const { decision: d, community } = await this.ctx.scoped(actor, id, 'decisions:read');
    const today = this.ctx.today();
    const clear = seesPersonalData(actor, d.communityCode);
    const [projects, steps, notices] = await Promise.all([this.ctx.repo.projects(this.ctx.db, id), this.ctx.repo.steps(this.ctx.db, id), this.ctx.repo.notices(this.ctx.db, [id])]);
    const [votes, objections, counts] = await Promise.all([
      this.ctx.repo.votes(this.ctx.db, steps.map((s) => s.id)),
      this.ctx.repo.objections(this.ctx.db, notices.map((n) => n.id)),
      this.ctx.repo.objectorCounts(this.ctx.db, notices.map((n) => n.id)),
    ]);
    const households = await this.ctx.households.byIds(this.ctx.db, [...new Set(objections.map((o) => o.householdId))]);
    const current = notices.find((n) => n.round === d.round);
    const status = this.ctx.effectiveStatus(d, current, today);
    const next = d.status === 'in_progress' ? nextStep(d.procedure, this.doneSteps(d.procedure, steps)) : null;
    const lastVote = [...steps].reverse().find((s) => s.outcome === 'decided');
    const name = (n: string) => (clear ? n : maskName(n));
    // [N 3.1.2(1)] Paper objections received in the window may be entered until the window's end plus the policy's grace.
    const entry = current ? await this.ctx.paperEntryUntil(current, d.fundYear) : null;
    const currentStatus = current ? noticeStatusOn(current, today) : null;
    const suspendedBy = current && current.status === 'suspended' && current.suspendedAt
      ? { at: current.suspendedAt.toISOString(), reason: current.suspendReason ?? '', lateEntry: objections.some((o) => o.noticeId === current.id && enteredLate(current, o.enteredOn)) }
      : null;
    return {
      id: d.id, communityCode: d.communityCode, communityName: community.name, fundYear: d.fundYear, campaignId: d.campaignId, procedure: d.procedure,
      status, round: d.round, decidedOn: d.decidedOn, nextStep: next, steps: stepsOf(d.procedure).map((s) => ({ step: s, label: STEP_LABELS[s] })),
      masked: !clear,
      projects: projects.map((p) => {
        const v = lastVote && votes.find((x) => x.stepId === lastVote.id && x.projectId === p.id);
        return { id: p.id, proposalId: p.proposalId, rank: p.rank, title: p.title, catalogueCode: p.catalogueCode, category: p.category, estimatedBudgetFen: p.estimatedBudgetFen, internalMatter: p.internalMatter, passed: v ? v.passed : null };
      }),
      records: steps.map((s) => stepView(s, votes, name)),
      paperEntry: entry && current ? {
        noticeId: current.id, until: entry.date, provisional: entry.provisional,
        open: (currentStatus === 'open' || currentStatus === 'closed') && today <= entry.date,
      } : null,
      suspension: suspendedBy,
      notices: notices.map((n) => ({
        ...this.ctx.noticeView(n, counts.get(n.id) ?? 0, today),
        paperEntryUntil: n.id === current?.id ? entry!.date : null,
        objections: objections.filter((o) => o.noticeId === n.id).map((o) => ({
          id: o.id, householdNo: households.find((h) => h.id === o.householdId)?.householdNo ?? '', representativeName: name(o.representativeName),
          channel: o.channel, reason: o.reason, receivedOn: o.receivedOn, enteredOn: o.enteredOn, enteredLate: enteredLate(n, o.enteredOn), createdAt: o.createdAt.toISOString(),
        })),
      })),
    };
  }

  async list(actor: Actor, query: { communityCode?: string; fundYear?: number; status?: string; limit?: number; offset?: number }): Promise<DecisionListView> {
    requirePermission(actor, 'decisions:read');
    const scopeCode = actor.scopePath?.split('/').pop();
    if (!scopeCode) return { total: 0, items: [] };
    const today = this.ctx.today();
    // "ready_for_review" is partly lazy: filter after reading the current notice.
    const lazy = query.status === 'ready_for_review' || query.status === 'noticed';
    const result = await this.ctx.repo.list(this.ctx.db, { codePrefix: scopeCode, communityCode: query.communityCode, fundYear: query.fundYear, status: lazy ? undefined : query.status, limit: lazy ? 10_000 : Math.min(query.limit ?? 50, 500), offset: lazy ? 0 : (query.offset ?? 0) });
    const notices = await this.ctx.repo.notices(this.ctx.db, result.items.map((d) => d.id));
    const counts = await this.ctx.repo.objectorCounts(this.ctx.db, notices.map((n) => n.id));
    const communities = await this.ctx.regions.byCodes([...new Set(result.items.map((d) => d.communityCode))]);
    let items = result.items.map((d) => {
      const current = notices.find((n) => n.decisionId === d.id && n.round === d.round);
      return {
        id: d.id, communityCode: d.communityCode, communityName: communities.find((c) => c.code === d.communityCode)?.name ?? d.communityCode, fundYear: d.fundYear,
        procedure: d.procedure, status: this.ctx.effectiveStatus(d, current, today), round: d.round, decidedOn: d.decidedOn,
        notice: current ? this.ctx.noticeView(current, counts.get(current.id) ?? 0, today) : null,
      };
    });
    let total = result.total;
    if (lazy) {
      items = items.filter((i) => i.status === query.status);
      total = items.length;
      items = items.slice(query.offset ?? 0, (query.offset ?? 0) + Math.min(query.limit ?? 50, 500));
    }
    return { total, items };
  }

  /** For the city dashboard: communities with a decision taken in the fund year, as a SQL relation (community_code). No access check. */
  decidedCommunities(fundYear: number): SQL {
    return this.ctx.repo.decidedCommunitiesRelation(fundYear);
  }

  /**
   * For the plans module (issue 6): decisions of communities under a code prefix with their
   * effective status, the current notice's passed projects and its objection count.
   */
  async overviewUnder(codePrefix: string, options: { fundYear?: number; today?: string } = {}, db: Executor = this.ctx.db) {
    const today = options.today ?? this.ctx.today();
    const { items } = await this.ctx.repo.list(db, { codePrefix, fundYear: options.fundYear, limit: 100_000, offset: 0 });
    const notices = await this.ctx.repo.notices(db, items.map((d) => d.id));
    const counts = await this.ctx.repo.objectorCounts(db, notices.map((n) => n.id));
    return items.map((d) => {
      const current = notices.find((n) => n.decisionId === d.id && n.round === d.round);
      return {
        decisionId: d.id, communityCode: d.communityCode, fundYear: d.fundYear, status: this.ctx.effectiveStatus(d, current, today), round: d.round,
        noticeId: current?.id ?? null, windowEnd: current?.windowEnd ?? null, objectors: current ? (counts.get(current.id) ?? 0) : 0, objectorsNeeded: current?.objectorsNeeded ?? 0,
        suspendedOn: current?.suspendedAt ? todayInChina(current.suspendedAt) : null, passedProjects: current?.projects ?? [],
      };
    });
  }
}

function stepView(s: StepRow, votes: VoteRow[], name: (n: string) => string) {
  return {
    id: s.id, seq: s.seq, step: s.step, label: STEP_NAMES[s.step] ?? s.step, body: s.body, bodyLabel: s.body ? BODY_LABELS[s.body as DecisionBody] : null,
    heldOn: s.heldOn, expectedAttendance: s.expectedAttendance, actualAttendance: s.actualAttendance, outcome: s.outcome, minutes: s.minutes, attachments: s.attachments,
    presentMembers: s.presentMembers?.map((m) => ({ householdNo: m.householdNo, name: name(m.name) })) ?? null,
    votes: votes.filter((v) => v.stepId === s.id).map((v) => ({ projectId: v.projectId, for: v.votesFor, against: v.votesAgainst, abstain: v.votesAbstain, passed: v.passed })),
  };
}
