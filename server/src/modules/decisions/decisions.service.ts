import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { Attachment, NoticeProject, PresentMember } from '../../db/schema/decisions.js';
import { requirePermission, type Actor, type Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { SYSTEM_ACTOR, type AuditActor, type AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { maskName, normalizePersonName, seesPersonalData } from '../households/households.rules.js';
import type { HouseholdsService } from '../households/households.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PolicyDocument } from '../policy/policy.schema.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { DecisionsRepository, type DecisionRow, type NoticeRow, type ObjectionRow, type ProjectRow, type StepRow, type VoteRow } from './decisions.repository.js';
import {
  assertStepInOrder,
  BODY_LABELS,
  categoryOf,
  checkAttendance,
  checkBodyFor,
  checkObjectionOpen,
  checkPaperObjection,
  checkSimplifiedAllowed,
  checkStepDate,
  checkVotes,
  daysLeft,
  DECISION_CLAUSE,
  decisiveStep,
  enteredLate,
  nextStep,
  noticeStatusOn,
  objectionThresholdReached,
  objectorsNeeded,
  PROCEDURE_CLAUSE,
  projectPasses,
  quorumMet,
  REVOTE_STEP,
  STEP_LABELS,
  stepsOf,
  suspendReasonOf,
  type DecisionBody,
  type ProcedureKind,
  type ProcedureStep,
} from './decisions.rules.js';

/** Where "today" comes from; tests replace it to place the service on a given China date. */

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

export interface ObjectionIdentity {
  householdNo: string;
  headName: string;
  phoneLast4: string;
  /** Needed only when the household has more than one registered representative. */
  representativeName?: string;
}

const DECISIVE_STEPS = new Set<string>(['resident_decision', 'committees_decision', REVOTE_STEP]);
const STEP_NAMES: Record<string, string> = { ...STEP_LABELS, [REVOTE_STEP]: '针对异议重新表决' };
const REPRESENTATIVE: AuditActor = { userId: null, username: 'representative(online)' };

const decisionNotFound = () => new DomainError('NOT_FOUND', { zh: '决策记录不存在或无权查看', en: 'Decision not found' }, { kind: 'not_found' });
const noticeNotFound = () => new DomainError('NOT_FOUND', { zh: '公示不存在', en: 'Notice not found' }, { kind: 'not_found' });
const notIdentified = () =>
  new DomainError(
    'REPRESENTATIVE_NOT_IDENTIFIED',
    { zh: '未能核实您的身份，请核对户号、户主姓名和手机号后四位；只有本社区登记的居民代表可以提出异议', en: 'Could not identify a registered representative of this community' },
    { kind: 'rule', clause: DECISION_CLAUSE },
  );

/**
 * The democratic decision [N 3], the council's vote and the public notice with objections
 * [N 3.1.2(1)]. Each change of state is one transaction with its audit event.
 */
export class DecisionsService {
  readonly repo = new DecisionsRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly calendar: CalendarService,
    private readonly households: HouseholdsService,
    private readonly needs: NeedsService,
    public clock: Now,
  ) {}

  /** Today's date in China by the service's clock. */
  today(): string {
    return todayInChina(this.clock());
  }

  private async scoped(actor: Actor, id: number, permission: Permission) {
    requirePermission(actor, permission);
    const found = await this.repo.decision(this.db, id);
    if (!found) throw decisionNotFound();
    const community = await this.regions.requireInScope(actor, found.communityCode).catch(() => {
      throw decisionNotFound();
    });
    return { decision: found, community };
  }

  // ---- rosters ----

  /** The roster of a body: registered members when the registry has them, else the profile's count. */
  private async rosterOf(db: Executor, communityCode: string, body: DecisionBody) {
    if (body !== 'council' && body !== 'representatives_meeting') return { members: null, count: null };
    const rows = await this.households.rosterOf(communityCode, db);
    const members = rows.filter((r) => (body === 'council' ? r.member.isCouncilMember : r.member.isRepresentative));
    if (members.length) return { members, count: members.length };
    const profile = await this.regions.profileOf(communityCode, db);
    return { members: null, count: (body === 'council' ? profile?.councilMembers : profile?.representatives) ?? 0 };
  }

  /** Representatives the objection threshold counts against: the registered roster, else the profile. */
  async representativesOf(db: Executor, communityCode: string): Promise<number> {
    return (await this.rosterOf(db, communityCode, 'representatives_meeting')).count ?? 0;
  }

  private async attendance(db: Executor, communityCode: string, input: VoteInput) {
    const roster = await this.rosterOf(db, communityCode, input.body);
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
    const draft = await this.needs.draftList(input.campaignId);
    const notFound = () => new DomainError('NOT_FOUND', { zh: '需求征集不存在或无权查看', en: 'Campaign not found' }, { kind: 'not_found' });
    if (!draft) throw notFound();
    const community = await this.regions.requireInScope(actor, draft.communityCode).catch(() => {
      throw notFound();
    });
    if (!draft.ready) {
      throw new DomainError('DRAFT_LIST_NOT_READY', { zh: '项目清单尚未提交居民议事会（须先完成需求征集并形成项目清单）', en: 'The draft list has not been handed to the council' }, { kind: 'rule', clause: '[N 3.1.1(3)]' });
    }
    const policy = await this.policy.forYear(draft.fundYear);
    const internal = new Set(input.internalMatterProposalIds ?? []);
    for (const id of internal) {
      if (!draft.items.some((p) => p.id === id)) throw new DomainError('INVALID_INPUT', { zh: `字段 internalMatterProposalIds 无效：提案 ${id} 不在项目清单中`, en: `Field internalMatterProposalIds is invalid: ${id} is not on the list` }, { kind: 'invalid', field: 'internalMatterProposalIds' });
    }
    const projects = draft.items.map((p, i) => ({
      proposalId: p.id, rank: p.rank ?? i + 1, title: p.title, catalogueCode: p.catalogueCode ?? '', category: categoryOf(policy, p.catalogueCode ?? ''),
      estimatedBudgetFen: p.estimatedBudgetFen ?? 0, internalMatter: internal.has(p.id),
    }));
    if (input.procedure === 'simplified') checkSimplifiedAllowed(projects.map((p) => ({ name: p.title, category: p.category, internalMatter: p.internalMatter })));
    const id = await heldOnce(this.db.transaction(async (tx) => {
      const live = await this.repo.liveForCampaign(tx, input.campaignId);
      if (live) throw new DomainError('DECISION_EXISTS', { zh: '该项目清单已在决策程序中', en: 'A decision on this list already exists' }, { kind: 'conflict', clause: PROCEDURE_CLAUSE, details: { decisionId: live.id } });
      const row = await this.repo.insertDecision(tx, { communityCode: draft.communityCode, fundYear: draft.fundYear, campaignId: input.campaignId, procedure: input.procedure, createdByUserId: actor.userId });
      await this.repo.insertProjects(tx, projects.map((p) => ({ ...p, decisionId: row.id })));
      await this.audit.record(tx, actor, { action: 'decision.create', entityType: 'decision', entityId: String(row.id), regionPath: community.path, after: { campaignId: input.campaignId, procedure: input.procedure, projects } });
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
    const { community } = await this.scoped(actor, id, 'decisions:write');
    const today = this.today();
    await this.db.transaction(async (tx) => {
      const d = (await this.repo.decision(tx, id, true))!;
      this.requireInProgress(d);
      const steps = await this.repo.steps(tx, id);
      assertStepInOrder(d.procedure, this.doneSteps(d.procedure, steps), input.step);
      if (DECISIVE_STEPS.has(input.step)) {
        throw new DomainError('VOTE_REQUIRED', { zh: `"${STEP_NAMES[input.step]}"须录入逐项表决结果`, en: `${input.step} is recorded with its votes (POST /decisions/:id/vote)` }, { kind: 'invalid', field: 'step', clause: DECISION_CLAUSE });
      }
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      checkAttendance(input.expectedAttendance, input.actualAttendance);
      const row = await this.repo.insertStep(tx, {
        decisionId: id, seq: steps.length + 1, step: input.step, heldOn: input.heldOn, expectedAttendance: input.expectedAttendance, actualAttendance: input.actualAttendance,
        outcome: input.outcome, minutes: input.minutes.trim(), attachments: input.attachments ?? [], recordedByUserId: actor.userId,
      });
      await this.audit.record(tx, actor, { action: 'decision.step', entityType: 'decision', entityId: String(id), regionPath: community.path, after: { seq: row.seq, step: row.step, heldOn: row.heldOn, expected: row.expectedAttendance, actual: row.actualAttendance, outcome: row.outcome } });
    });
    return this.get(actor, id);
  }

  /**
   * [N 3.1.2(1)] The decisive vote (resident_decision, or committees_decision under the simplified
   * procedure): quorum, votes per project, the pass rule; the passed list is frozen and its notice
   * posted at once, dated the meeting day.
   */
  async vote(actor: Actor, id: number, input: VoteInput) {
    const { decision: snapshot, community } = await this.scoped(actor, id, 'decisions:write');
    const policy = await this.policy.forYear(snapshot.fundYear);
    const today = this.today();
    await this.db.transaction(async (tx) => {
      const d = (await this.repo.decision(tx, id, true))!;
      this.requireInProgress(d);
      const steps = await this.repo.steps(tx, id);
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
    const { decision: snapshot, community } = await this.scoped(actor, id, 'decisions:write');
    const policy = await this.policy.forYear(snapshot.fundYear);
    const today = this.today();
    await this.db.transaction(async (tx) => {
      const d = (await this.repo.decision(tx, id, true))!;
      if (d.status !== 'suspended') {
        throw new DomainError('DECISION_NOT_SUSPENDED', { zh: '只有因异议中止的决议才需重新表决', en: 'Only a decision suspended by objections is retaken' }, { kind: 'conflict', clause: DECISION_CLAUSE });
      }
      if (input.body !== 'council' && input.body !== 'representatives_meeting') {
        throw new DomainError('BODY_NOT_ALLOWED', { zh: '异议须由居民议事会或居民代表会议重新表决', en: 'The council or a representatives\' meeting retakes the decision' }, { kind: 'rule', clause: DECISION_CLAUSE, field: 'body' });
      }
      const steps = await this.repo.steps(tx, id);
      checkStepDate(input.heldOn, steps.at(-1)?.heldOn ?? null, today);
      const current = (await this.repo.notices(tx, [id])).find((n) => n.round === d.round);
      await this.decide(tx, actor, d, community.path, policy, REVOTE_STEP, input, steps.length + 1, current ?? null);
    });
    return this.get(actor, id);
  }

  private async decide(tx: Executor, actor: Actor, d: DecisionRow, regionPath: string, policy: PolicyDocument, step: string, input: VoteInput, seq: number, replaces: NoticeRow | null) {
    const attendance = await this.attendance(tx, d.communityCode, input);
    const projects = await this.repo.projects(tx, d.id);
    const results = this.tally(policy, projects, input, attendance, input.body);
    const passed = results.filter((r) => r.passed);
    // Window end first: through a year whose holiday notice is not entered it is provisional (ADR 0009).
    const computedEnd = passed.length ? await this.calendar.windowEndDetailed(input.heldOn, policy.noticeDays, tx) : null;
    const windowEnd = computedEnd?.date ?? null;
    const row = await this.repo.insertStep(tx, {
      decisionId: d.id, seq, step, body: input.body, heldOn: input.heldOn, expectedAttendance: attendance.expected, actualAttendance: attendance.present,
      outcome: 'decided', minutes: input.minutes.trim(), attachments: input.attachments ?? [], presentMembers: attendance.presentMembers, recordedByUserId: actor.userId,
    });
    await this.repo.insertVotes(tx, results.map((r) => ({ stepId: row.id, projectId: r.project.id, votesFor: r.votes.for, votesAgainst: r.votes.against, votesAbstain: r.votes.abstain, passed: r.passed })));
    const round = d.round + 1;
    if (replaces) {
      await this.repo.updateNotice(tx, replaces.id, { status: 'voided', closedAt: this.clock() });
    }
    await this.audit.record(tx, actor, {
      action: step === REVOTE_STEP ? 'decision.revote' : 'decision.vote', entityType: 'decision', entityId: String(d.id), regionPath,
      before: { status: d.status, round: d.round, ...(replaces ? { voidedNoticeId: replaces.id } : {}) },
      after: {
        step, body: input.body, heldOn: input.heldOn, expected: attendance.expected, present: attendance.present, round,
        results: results.map((r) => ({ projectId: r.project.id, title: r.project.title, ...r.votes, passed: r.passed })),
      },
    });
    if (!passed.length || !windowEnd) {
      await this.repo.updateDecision(tx, d.id, { status: 'rejected', round, decidedOn: input.heldOn });
      return;
    }
    const representatives = await this.representativesOf(tx, d.communityCode);
    const noticeProjects: NoticeProject[] = passed.map((r) => ({
      projectId: r.project.id, title: r.project.title, catalogueCode: r.project.catalogueCode, category: r.project.category, estimatedBudgetFen: r.project.estimatedBudgetFen,
      votesFor: r.votes.for, votesAgainst: r.votes.against, votesAbstain: r.votes.abstain,
    }));
    const notice = await this.repo.insertNotice(tx, {
      decisionId: d.id, stepId: row.id, round, postedOn: input.heldOn, windowEnd, windowEndProvisional: computedEnd?.provisional ?? false, projects: noticeProjects, representatives, objectorsNeeded: Math.max(1, objectorsNeeded(policy, representatives)),
    });
    await this.repo.updateDecision(tx, d.id, { status: 'noticed', round, decidedOn: input.heldOn });
    await this.audit.record(tx, actor, {
      action: 'decision.notice.post', entityType: 'decision_notice', entityId: String(notice.id), regionPath,
      after: { decisionId: d.id, round, postedOn: notice.postedOn, windowEnd, windowEndProvisional: notice.windowEndProvisional, noticeDays: policy.noticeDays, representatives, objectorsNeeded: notice.objectorsNeeded, projects: noticeProjects.map((p) => p.projectId) },
    });
  }

  // ---- provisional due dates (ADR 0009) ----

  /** [N 3.1.2(1)] Open notices whose window end was computed through an unpublished calendar year. */
  async provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    const rows = await this.repo.provisionalNotices(db);
    const regions = await this.regions.byCodes([...new Set(rows.map((r) => r.communityCode))], db);
    const out: ProvisionalDueDate[] = [];
    for (const r of rows) {
      const policy = await this.policy.forYear(r.fundYear, db);
      const community = regions.find((x) => x.code === r.communityCode);
      out.push({
        kind: 'notice_window', id: r.id, title: `${community?.name ?? r.communityCode} ${r.fundYear} 年度决策公示`, regionPath: community?.path ?? r.communityCode,
        from: r.postedOn, rule: 'period', days: policy.noticeDays, dueOn: r.windowEnd, link: `/decisions/${r.decisionId}`,
      });
    }
    return out;
  }

  async rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate) {
    await this.repo.updateNotice(db, item.id, { windowEnd: due.date, windowEndProvisional: due.provisional });
  }

  // ---- objections ----

  /** Counts an objection in the caller's transaction; suspends the decision at the threshold (counted by received dates). */
  private async countObjection(tx: Executor, notice: NoticeRow, d: DecisionRow, row: Omit<ObjectionRow, 'id' | 'createdAt' | 'noticeId'>, auditActor: AuditActor, regionPath: string) {
    const saved = await this.repo.insertObjectionOnce(tx, { ...row, noticeId: notice.id });
    if (!saved) {
      const existing = await this.repo.objectionOf(tx, notice.id, row.householdId, row.representativeName);
      throw new DomainError(
        'ALREADY_OBJECTED',
        { zh: `居民代表 ${maskName(row.representativeName)} 已于 ${existing?.receivedOn ?? ''} 对本次公示提出异议，每位代表每次公示只计一次`, en: 'This representative has already objected to this notice; each counts once' },
        { kind: 'conflict', clause: DECISION_CLAUSE },
      );
    }
    const objectors = (await this.repo.objectorCounts(tx, [notice.id])).get(notice.id) ?? 0;
    const policy = await this.policy.forYear(d.fundYear, tx);
    const reached = objectionThresholdReached(policy, objectors, notice.representatives);
    const late = enteredLate(notice, row.enteredOn);
    await this.audit.record(tx, auditActor, {
      action: 'decision.objection', entityType: 'decision_notice', entityId: String(notice.id), regionPath,
      after: {
        objectionId: saved.id, channel: row.channel, householdId: row.householdId, representative: maskName(row.representativeName), receivedOn: row.receivedOn, enteredOn: row.enteredOn,
        enteredLate: late, objectors, representatives: notice.representatives,
      },
    });
    if (reached) {
      const reason = suspendReasonOf({ objectors, representatives: notice.representatives, share: policy.objectionShare, channel: row.channel, receivedOn: row.receivedOn, enteredOn: row.enteredOn, windowEnd: notice.windowEnd });
      const suspendedAt = this.clock();
      await this.repo.updateNotice(tx, notice.id, { status: 'suspended', suspendedAt, suspendReason: reason });
      await this.repo.updateDecision(tx, d.id, { status: 'suspended' });
      await this.audit.record(tx, SYSTEM_ACTOR, {
        action: 'decision.suspend', entityType: 'decision', entityId: String(d.id), regionPath,
        before: { status: d.status, noticeStatus: notice.status }, after: {
          status: 'suspended', noticeId: notice.id, objectors, representatives: notice.representatives, rule: '5 × objectors ≥ representatives',
          suspendedAt: suspendedAt.toISOString(), reason, lateEntry: late,
        },
      });
    }
    return { objectionId: saved.id, objectors, objectorsNeeded: notice.objectorsNeeded, representatives: notice.representatives, suspended: reached };
  }

  /** [N 3.1.2(1)] Until when a paper objection received in the window may be entered: the window's end plus the policy's grace in working days. */
  async paperEntryUntil(notice: Pick<NoticeRow, 'windowEnd'>, fundYear: number, db: Executor = this.db) {
    const policy = await this.policy.forYear(fundYear, db);
    return this.calendar.addWorkdaysDetailed(notice.windowEnd, policy.objectionEntryGraceWorkdays, db);
  }

  private async lockedNotice(tx: Executor, noticeId: number) {
    // Lock order everywhere: decision, then notice.
    const first = await this.repo.notice(tx, noticeId);
    if (!first) throw noticeNotFound();
    const d = (await this.repo.decision(tx, first.decisionId, true))!;
    const notice = (await this.repo.notice(tx, noticeId, true))!;
    return { notice, d };
  }

  /** A registered representative objects online, identified as in needs collection (no account). */
  async objectPublic(noticeId: number, identity: ObjectionIdentity, reason: string | null) {
    const today = this.today();
    return this.db.transaction(async (tx) => {
      const { notice, d } = await this.lockedNotice(tx, noticeId);
      checkObjectionOpen(notice, today);
      const household = await this.households.identify(tx, d.communityCode, identity.householdNo, identity.headName, identity.phoneLast4);
      if (!household) throw notIdentified();
      const reps = (await this.households.membersOf([household.id], tx)).filter((m) => m.isRepresentative);
      if (reps.length === 0) throw notIdentified();
      let rep = reps[0]!;
      if (identity.representativeName?.trim()) {
        const wanted = normalizePersonName(identity.representativeName);
        const found = reps.find((m) => normalizePersonName(m.name) === wanted);
        if (!found) throw notIdentified();
        rep = found;
      } else if (reps.length > 1) {
        throw new DomainError('INVALID_INPUT', { zh: '字段 representativeName 无效：本户有多位居民代表，请填写代表姓名', en: 'Field representativeName is required: the household has several representatives' }, { kind: 'invalid', field: 'representativeName' });
      }
      const community = await this.regions.find(d.communityCode, tx);
      return this.countObjection(tx, notice, d, { householdId: household.id, representativeName: rep.name, channel: 'online', reason: reason?.trim() || null, receivedOn: today, enteredOn: today, enteredByUserId: null }, REPRESENTATIVE, community?.path ?? '');
    });
  }

  /** Community staff record a paper objection received from a registered representative. */
  async objectPaper(actor: Actor, noticeId: number, input: { householdNo: string; representativeName: string; reason?: string | null; receivedOn?: string }) {
    requirePermission(actor, 'decisions:write');
    const today = this.today();
    const n = await this.repo.notice(this.db, noticeId);
    if (!n) throw noticeNotFound();
    const { community } = await this.scoped(actor, n.decisionId, 'decisions:write').catch(() => {
      throw noticeNotFound();
    });
    const receivedOn = input.receivedOn ?? today;
    return this.db.transaction(async (tx) => {
      const { notice, d } = await this.lockedNotice(tx, noticeId);
      const until = await this.paperEntryUntil(notice, d.fundYear, tx);
      checkPaperObjection(notice, receivedOn, today, until.date);
      const household = await this.households.byNumber(tx, d.communityCode, input.householdNo);
      const wanted = normalizePersonName(input.representativeName);
      const rep = household && (await this.households.membersOf([household.id], tx)).find((m) => m.isRepresentative && normalizePersonName(m.name) === wanted);
      if (!household || !rep) {
        throw new DomainError('NOT_A_REPRESENTATIVE', { zh: `户号 ${input.householdNo} 下没有登记名为"${input.representativeName}"的居民代表，只有本社区登记的居民代表可以提出异议`, en: 'No such registered representative in this community' }, { kind: 'rule', clause: DECISION_CLAUSE, field: 'representativeName' });
      }
      return this.countObjection(tx, notice, d, { householdId: household.id, representativeName: rep.name, channel: 'paper', reason: input.reason?.trim() || null, receivedOn, enteredOn: today, enteredByUserId: actor.userId }, actor, community.path);
    });
  }

  // ---- reading ----

  private noticeView(n: NoticeRow, objectors: number, today: string) {
    const status = noticeStatusOn(n, today);
    return {
      id: n.id, round: n.round, postedOn: n.postedOn, windowEnd: n.windowEnd, windowEndProvisional: n.windowEndProvisional, status,
      daysLeft: status === 'open' ? daysLeft(n.windowEnd, today) : 0,
      projects: n.projects, totalBudgetFen: n.projects.reduce((s, p) => s + p.estimatedBudgetFen, 0),
      representatives: n.representatives, objectorsNeeded: n.objectorsNeeded, objectors,
      suspendedAt: n.suspendedAt ? n.suspendedAt.toISOString() : null, suspendReason: n.suspendReason ?? null,
    };
  }

  /** The decision's status on a day: a notice whose window ended unobjected makes it ready for review. */
  private effectiveStatus(d: DecisionRow, current: NoticeRow | undefined, today: string): DecisionRow['status'] {
    if (d.status === 'noticed' && current && noticeStatusOn(current, today) === 'closed') return 'ready_for_review';
    return d.status;
  }

  async get(actor: Actor, id: number) {
    const { decision: d, community } = await this.scoped(actor, id, 'decisions:read');
    const today = this.today();
    const clear = seesPersonalData(actor, d.communityCode);
    const [projects, steps, notices] = await Promise.all([this.repo.projects(this.db, id), this.repo.steps(this.db, id), this.repo.notices(this.db, [id])]);
    const [votes, objections, counts] = await Promise.all([
      this.repo.votes(this.db, steps.map((s) => s.id)),
      this.repo.objections(this.db, notices.map((n) => n.id)),
      this.repo.objectorCounts(this.db, notices.map((n) => n.id)),
    ]);
    const households = await this.households.byIds(this.db, [...new Set(objections.map((o) => o.householdId))]);
    const current = notices.find((n) => n.round === d.round);
    const status = this.effectiveStatus(d, current, today);
    const next = d.status === 'in_progress' ? nextStep(d.procedure, this.doneSteps(d.procedure, steps)) : null;
    const lastVote = [...steps].reverse().find((s) => s.outcome === 'decided');
    const name = (n: string) => (clear ? n : maskName(n));
    // [N 3.1.2(1)] Paper objections received in the window may be entered until the window's end plus the policy's grace.
    const entry = current ? await this.paperEntryUntil(current, d.fundYear) : null;
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
        ...this.noticeView(n, counts.get(n.id) ?? 0, today),
        paperEntryUntil: n.id === current?.id ? entry!.date : null,
        objections: objections.filter((o) => o.noticeId === n.id).map((o) => ({
          id: o.id, householdNo: households.find((h) => h.id === o.householdId)?.householdNo ?? '', representativeName: name(o.representativeName),
          channel: o.channel, reason: o.reason, receivedOn: o.receivedOn, enteredOn: o.enteredOn, enteredLate: enteredLate(n, o.enteredOn), createdAt: o.createdAt.toISOString(),
        })),
      })),
    };
  }

  async list(actor: Actor, query: { communityCode?: string; fundYear?: number; status?: string; limit?: number; offset?: number }) {
    requirePermission(actor, 'decisions:read');
    const scopeCode = actor.scopePath?.split('/').pop();
    if (!scopeCode) return { total: 0, items: [] };
    const today = this.today();
    // "ready_for_review" is partly lazy: filter after reading the current notice.
    const lazy = query.status === 'ready_for_review' || query.status === 'noticed';
    const result = await this.repo.list(this.db, { codePrefix: scopeCode, communityCode: query.communityCode, fundYear: query.fundYear, status: lazy ? undefined : query.status, limit: lazy ? 10_000 : Math.min(query.limit ?? 50, 500), offset: lazy ? 0 : (query.offset ?? 0) });
    const notices = await this.repo.notices(this.db, result.items.map((d) => d.id));
    const counts = await this.repo.objectorCounts(this.db, notices.map((n) => n.id));
    const communities = await this.regions.byCodes([...new Set(result.items.map((d) => d.communityCode))]);
    let items = result.items.map((d) => {
      const current = notices.find((n) => n.decisionId === d.id && n.round === d.round);
      return {
        id: d.id, communityCode: d.communityCode, communityName: communities.find((c) => c.code === d.communityCode)?.name ?? d.communityCode, fundYear: d.fundYear,
        procedure: d.procedure, status: this.effectiveStatus(d, current, today), round: d.round, decidedOn: d.decidedOn,
        notice: current ? this.noticeView(current, counts.get(current.id) ?? 0, today) : null,
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

  /** The public notice: no login, no personal data. */
  async publicNotice(noticeId: number) {
    const n = await this.repo.notice(this.db, noticeId);
    if (!n) throw noticeNotFound();
    const d = (await this.repo.decision(this.db, n.decisionId))!;
    const today = this.today();
    const [community, counts, steps, later, policy] = await Promise.all([
      this.regions.find(d.communityCode, this.db),
      this.repo.objectorCounts(this.db, [n.id]),
      this.repo.steps(this.db, d.id),
      this.repo.notices(this.db, [d.id]),
      this.policy.forYear(d.fundYear),
    ]);
    const ancestors = community ? await this.regions.byCodes(community.path.split('/').slice(0, -1)) : [];
    const vote = steps.find((s) => s.id === n.stepId)!;
    const latest = later.at(-1)!;
    return {
      ...this.noticeView(n, counts.get(n.id) ?? 0, today),
      today,
      noticeDays: policy.noticeDays,
      fundYear: d.fundYear,
      procedure: d.procedure,
      communityCode: d.communityCode,
      communityName: community?.name ?? d.communityCode,
      streetName: ancestors.find((a) => a.level === 'street')?.name ?? '',
      districtName: ancestors.find((a) => a.level === 'district')?.name ?? '',
      decision: { body: vote.body ?? '', bodyLabel: BODY_LABELS[(vote.body ?? 'council') as DecisionBody], heldOn: vote.heldOn, expectedAttendance: vote.expectedAttendance, actualAttendance: vote.actualAttendance, revote: vote.step === REVOTE_STEP },
      latestNoticeId: latest.id,
    };
  }

  /** The current notice of a community's decisions, newest first (public portal). */
  async publicNoticesOf(communityCode: string) {
    const result = await this.repo.list(this.db, { codePrefix: communityCode, communityCode, limit: 50, offset: 0 });
    const notices = await this.repo.notices(this.db, result.items.map((d) => d.id));
    const counts = await this.repo.objectorCounts(this.db, notices.map((n) => n.id));
    const today = this.today();
    return notices.sort((a, b) => b.id - a.id).map((n) => ({ ...this.noticeView(n, counts.get(n.id) ?? 0, today), fundYear: result.items.find((d) => d.id === n.decisionId)!.fundYear }));
  }

  /**
   * For the street review (issue 6): decisions whose notice closed without reaching the objection
   * threshold, in the given region (code prefix), as of `today` (China date).
   */
  async readyForReview(options: { codePrefix?: string; today?: string } = {}, db: Executor = this.db) {
    const today = options.today ?? this.today();
    const rows = await this.repo.readyForReview(db, options.codePrefix ?? '', today);
    return rows.map(({ decision: d, notice: n }) => ({
      decisionId: d.id, communityCode: d.communityCode, fundYear: d.fundYear, campaignId: d.campaignId, procedure: d.procedure, decidedOn: d.decidedOn,
      noticeId: n.id, postedOn: n.postedOn, windowEnd: n.windowEnd, projects: n.projects,
    }));
  }

  /** Persists what reads compute lazily: open notices past their window close, decisions become ready for review. */
  async closeExpiredNotices(today: string = this.today()) {
    return this.db.transaction(async (tx) => {
      const expired = await this.repo.expiredOpen(tx, today);
      let closed = 0;
      for (const candidate of expired) {
        const d = (await this.repo.decision(tx, candidate.decisionId, true))!;
        const n = (await this.repo.notice(tx, candidate.id, true))!;
        if (n.status !== 'open') continue;
        closed++;
        const community = await this.regions.find(d.communityCode, tx);
        await this.repo.updateNotice(tx, n.id, { status: 'closed', closedAt: this.clock() });
        if (d.status === 'noticed' && d.round === n.round) await this.repo.updateDecision(tx, d.id, { status: 'ready_for_review' });
        await this.audit.record(tx, SYSTEM_ACTOR, { action: 'decision.notice.close', entityType: 'decision_notice', entityId: String(n.id), regionPath: community?.path ?? null, before: { status: 'open' }, after: { status: 'closed', windowEnd: n.windowEnd, today, decisionStatus: 'ready_for_review' } });
      }
      return { closed };
    });
  }

  /**
   * For the plans module (issue 6): decisions of communities under a code prefix with their
   * effective status, the current notice's passed projects and its objection count.
   */
  /** For the city dashboard: communities with a decision taken in the fund year, as a SQL relation (community_code). No access check. */
  decidedCommunities(fundYear: number): SQL {
    return this.repo.decidedCommunitiesRelation(fundYear);
  }

  async overviewUnder(codePrefix: string, options: { fundYear?: number; today?: string } = {}, db: Executor = this.db) {
    const today = options.today ?? this.today();
    const { items } = await this.repo.list(db, { codePrefix, fundYear: options.fundYear, limit: 100_000, offset: 0 });
    const notices = await this.repo.notices(db, items.map((d) => d.id));
    const counts = await this.repo.objectorCounts(db, notices.map((n) => n.id));
    return items.map((d) => {
      const current = notices.find((n) => n.decisionId === d.id && n.round === d.round);
      return {
        decisionId: d.id, communityCode: d.communityCode, fundYear: d.fundYear, status: this.effectiveStatus(d, current, today), round: d.round,
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
