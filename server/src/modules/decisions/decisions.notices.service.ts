import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { objectionWriteStatement } from './decisions.objections.repository.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { ProvisionalDueDate } from '../calendar/due-dates.js';
import type { ComputedDate } from '../calendar/calendar.rules.js';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit.service.js';
import { maskName, normalizePersonName } from '../households/households.rules.js';
import type { DecisionRow, NoticeRow, ObjectionRow } from './decisions.repository.js';
import {
  allocationCheck,
  BODY_LABELS,
  checkObjectionOpen,
  checkPaperObjection,
  DECISION_CLAUSE,
  enteredLate,
  objectionThresholdReached,
  REOPEN_STEP,
  REVOTE_STEP,
  suspendReasonOf,
  type DecisionBody,
} from './decisions.rules.js';
import { noticeNotFound, type DecisionsContext } from './decisions.context.js';
import type { CommunityNoticeView, ObjectionResult, PublicNoticeView } from './decisions.schemas.js';

export interface ObjectionIdentity {
  householdNo: string;
  headName: string;
  phoneLast4: string;
  /** Needed only when the household has more than one registered representative. */
  representativeName?: string;
}

const REPRESENTATIVE: AuditActor = { userId: null, username: 'representative(online)' };
const notIdentified = () =>
  new DomainError(
    'REPRESENTATIVE_NOT_IDENTIFIED',
    {
      zh: '未能核实您的身份，请核对户号、户主姓名和手机号后四位；只有本社区登记的居民代表可以提出异议',
      en: 'Could not identify a registered representative of this community',
    },
    { kind: 'rule', clause: DECISION_CLAUSE },
  );

/**
 * The public notice and objections [N 3.1.2(1)]: registered representatives object online or on
 * paper (entered within the grace after the window); at the threshold the decision is suspended;
 * a notice whose window ends unobjected makes the decision ready for the street review.
 */
export class DecisionNoticesService {
  private readonly objectionStatement;

  constructor(private readonly ctx: DecisionsContext) {
    this.objectionStatement = objectionWriteStatement((event) =>
      ctx.audit.inboxStep({
        ...event,
        at: sql`${sql.placeholder('at')}::timestamptz`,
        actorUserId: sql`${sql.placeholder('actorUserId')}::int`,
        actorName: sql`${sql.placeholder('actorName')}::text`,
      }),
    );
  }

  // ---- provisional due dates (ADR 0009) ----

  /** [N 3.1.2(1)] Open notices whose window end was computed through an unpublished calendar year. */
  async provisionalDueDates(db: Executor): Promise<ProvisionalDueDate[]> {
    const rows = await this.ctx.repo.provisionalNotices(db);
    const regions = await this.ctx.regions.byCodes([...new Set(rows.map((r) => r.communityCode))], db);
    const out: ProvisionalDueDate[] = [];
    for (const r of rows) {
      const policy = await this.ctx.policy.forYear(r.fundYear, db);
      const community = regions.find((x) => x.code === r.communityCode);
      out.push({
        kind: 'notice_window',
        id: r.id,
        title: `${community?.name ?? r.communityCode} ${r.fundYear} 年度决策公示`,
        regionPath: community?.path ?? r.communityCode,
        from: r.postedOn,
        rule: 'period',
        days: policy.noticeDays,
        dueOn: r.windowEnd,
        link: `/decisions/${r.decisionId}`,
      });
    }
    return out;
  }

  async rescheduleDueDate(db: Executor, item: ProvisionalDueDate, due: ComputedDate) {
    await this.ctx.repo.updateNotice(db, item.id, { windowEnd: due.date, windowEndProvisional: due.provisional });
  }

  // ---- objections ----

  /**
   * Counts an objection in the caller's transaction, which holds the decision's and the notice's
   * locks: stored, counted and audited in one statement (ADR 0022); suspends the decision at the
   * threshold (counted by received dates).
   */
  private async countObjection(
    tx: Executor,
    notice: NoticeRow,
    d: DecisionRow,
    row: Omit<ObjectionRow, 'id' | 'createdAt' | 'noticeId'>,
    auditActor: AuditActor,
    /** Read only for a suspension: the objection's own event takes the path in its statement. */
    regionPathOf: () => Promise<string>,
  ) {
    const late = enteredLate(notice, row.enteredOn);
    const [written] = await this.objectionStatement.run(tx, {
      noticeId: notice.id,
      householdId: row.householdId,
      representativeName: row.representativeName,
      channel: row.channel,
      reason: row.reason,
      receivedOn: row.receivedOn,
      enteredOn: row.enteredOn,
      enteredBy: row.enteredByUserId,
      communityCode: d.communityCode,
      representative: maskName(row.representativeName),
      enteredLate: late,
      representatives: notice.representatives,
      at: new Date(),
      actorUserId: auditActor.userId,
      actorName: auditActor.username,
    });
    if (written!.objection_id === null) {
      throw new DomainError(
        'ALREADY_OBJECTED',
        {
          zh: `居民代表 ${maskName(row.representativeName)} 已于 ${written!.prior_received_on ?? ''} 对本次公示提出异议，每位代表每次公示只计一次`,
          en: 'This representative has already objected to this notice; each counts once',
        },
        { kind: 'conflict', clause: DECISION_CLAUSE },
      );
    }
    this.ctx.audit.noteRecorded();
    const saved = { id: written!.objection_id };
    const objectors = written!.objectors;
    const policy = await this.ctx.policy.forYear(d.fundYear, tx);
    const reached = objectionThresholdReached(policy, objectors, notice.representatives);
    if (reached) {
      const regionPath = await regionPathOf();
      const reason = suspendReasonOf({
        objectors,
        representatives: notice.representatives,
        share: policy.objectionShare,
        channel: row.channel,
        receivedOn: row.receivedOn,
        enteredOn: row.enteredOn,
        windowEnd: notice.windowEnd,
      });
      const suspendedAt = this.ctx.now();
      await this.ctx.repo.updateNotice(tx, notice.id, { status: 'suspended', suspendedAt, suspendReason: reason });
      await this.ctx.repo.updateDecision(tx, d.id, { status: 'suspended' });
      await this.ctx.audit.record(tx, SYSTEM_ACTOR, {
        action: 'decision.suspend',
        entityType: 'decision',
        entityId: String(d.id),
        regionPath,
        before: { status: d.status, noticeStatus: notice.status },
        after: {
          status: 'suspended',
          noticeId: notice.id,
          objectors,
          representatives: notice.representatives,
          rule: '5 × objectors ≥ representatives',
          suspendedAt: suspendedAt.toISOString(),
          reason,
          lateEntry: late,
        },
      });
    }
    return {
      objectionId: saved.id,
      objectors,
      objectorsNeeded: notice.objectorsNeeded,
      representatives: notice.representatives,
      suspended: reached,
    };
  }

  private async lockedNotice(tx: Executor, noticeId: number) {
    // Lock order everywhere: decision, then notice.
    const first = await this.ctx.repo.notice(tx, noticeId);
    if (!first) throw noticeNotFound();
    const d = (await this.ctx.repo.decision(tx, first.decisionId, true))!;
    const notice = (await this.ctx.repo.notice(tx, noticeId, true))!;
    return { notice, d };
  }

  /** A registered representative objects online, identified as in needs collection (no account). */
  async objectPublic(noticeId: number, identity: ObjectionIdentity, reason: string | null): Promise<ObjectionResult> {
    const today = this.ctx.today();
    return this.ctx.db.transaction(async (tx) => {
      const { notice, d } = await this.lockedNotice(tx, noticeId);
      checkObjectionOpen(notice, today);
      const household = await this.ctx.households.identify(
        tx,
        d.communityCode,
        identity.householdNo,
        identity.headName,
        identity.phoneLast4,
      );
      if (!household) throw notIdentified();
      const reps = (await this.ctx.households.terms.representativesDuring(tx, household.id, notice.postedOn, notice.windowEnd)).map(
        (t) => ({
          name: t.personName,
        }),
      );
      if (reps.length === 0) throw notIdentified();
      let rep = reps[0]!;
      if (identity.representativeName?.trim()) {
        const wanted = normalizePersonName(identity.representativeName);
        const found = reps.find((m) => normalizePersonName(m.name) === wanted);
        if (!found) throw notIdentified();
        rep = found;
      } else if (reps.length > 1) {
        throw new DomainError(
          'INVALID_INPUT',
          {
            zh: '字段 representativeName 无效：本户有多位居民代表，请填写代表姓名',
            en: 'Field representativeName is required: the household has several representatives',
          },
          { kind: 'invalid', field: 'representativeName' },
        );
      }
      return this.countObjection(
        tx,
        notice,
        d,
        {
          householdId: household.id,
          representativeName: rep.name,
          channel: 'online',
          reason: reason?.trim() || null,
          receivedOn: today,
          enteredOn: today,
          enteredByUserId: null,
        },
        REPRESENTATIVE,
        async () => (await this.ctx.regions.find(d.communityCode, tx))?.path ?? '',
      );
    });
  }

  /** Community staff record a paper objection received from a registered representative. */
  async objectPaper(
    actor: Actor,
    noticeId: number,
    input: { householdNo: string; representativeName: string; reason?: string | null; receivedOn?: string },
  ): Promise<ObjectionResult> {
    requirePermission(actor, 'decisions:write');
    const today = this.ctx.today();
    const n = await this.ctx.repo.notice(this.ctx.db, noticeId);
    if (!n) throw noticeNotFound();
    const { community } = await this.ctx.scoped(actor, n.decisionId, 'decisions:write').catch(() => {
      throw noticeNotFound();
    });
    const receivedOn = input.receivedOn ?? today;
    return this.ctx.db.transaction(async (tx) => {
      const { notice, d } = await this.lockedNotice(tx, noticeId);
      const until = await this.ctx.paperEntryUntil(notice, d.fundYear, tx);
      checkPaperObjection(notice, receivedOn, today, until.date);
      const household = await this.ctx.households.byNumber(tx, d.communityCode, input.householdNo);
      const wanted = normalizePersonName(input.representativeName);
      const rep =
        household &&
        (await this.ctx.households.terms.representativesDuring(tx, household.id, notice.postedOn, notice.windowEnd))
          .map((t) => ({ name: t.personName }))
          .find((m) => normalizePersonName(m.name) === wanted);
      if (!household || !rep) {
        throw new DomainError(
          'NOT_A_REPRESENTATIVE',
          {
            zh: `户号 ${input.householdNo} 下没有公示期内在任的居民代表"${input.representativeName}"，只有公示期内在任的本社区居民代表可以提出异议`,
            en: 'No such registered representative in this community',
          },
          { kind: 'rule', clause: DECISION_CLAUSE, field: 'representativeName' },
        );
      }
      return this.countObjection(
        tx,
        notice,
        d,
        {
          householdId: household.id,
          representativeName: rep.name,
          channel: 'paper',
          reason: input.reason?.trim() || null,
          receivedOn,
          enteredOn: today,
          enteredByUserId: actor.userId,
        },
        actor,
        async () => community.path,
      );
    });
  }

  /** The public notice: no login, no personal data. */
  async publicNotice(noticeId: number): Promise<PublicNoticeView> {
    const n = await this.ctx.repo.notice(this.ctx.db, noticeId);
    if (!n) throw noticeNotFound();
    const d = (await this.ctx.repo.decision(this.ctx.db, n.decisionId))!;
    const today = this.ctx.today();
    const [community, counts, steps, later, policy, allocation] = await Promise.all([
      this.ctx.regions.find(d.communityCode, this.ctx.db),
      this.ctx.repo.objectorCounts(this.ctx.db, [n.id]),
      this.ctx.repo.steps(this.ctx.db, d.id),
      this.ctx.repo.notices(this.ctx.db, [d.id]),
      this.ctx.policy.forYear(d.fundYear),
      this.ctx.allocationOf(this.ctx.db, d.communityCode, d.fundYear),
    ]);
    const view = this.ctx.noticeView(n, counts.get(n.id) ?? 0, today);
    const ancestors = community ? await this.ctx.regions.byCodes(community.path.split('/').slice(0, -1)) : [];
    const vote = steps.find((s) => s.id === n.stepId)!;
    const latest = later.at(-1)!;
    return {
      ...view,
      // [N 1] The notice states when its list exceeds the community's allocation.
      allocation: allocationCheck(view.totalBudgetFen, allocation, true),
      today,
      noticeDays: policy.noticeDays,
      fundYear: d.fundYear,
      procedure: d.procedure,
      communityCode: d.communityCode,
      communityName: community?.name ?? d.communityCode,
      streetName: ancestors.find((a) => a.level === 'street')?.name ?? '',
      districtName: ancestors.find((a) => a.level === 'district')?.name ?? '',
      decision: {
        body: vote.body ?? '',
        bodyLabel: BODY_LABELS[(vote.body ?? 'council') as DecisionBody],
        heldOn: vote.heldOn,
        expectedAttendance: vote.expectedAttendance,
        actualAttendance: vote.actualAttendance,
        revote: vote.step === REVOTE_STEP || vote.step === REOPEN_STEP,
      },
      latestNoticeId: latest.id,
    };
  }

  /** The current notice of a community's decisions, newest first (public portal). */
  async publicNoticesOf(communityCode: string): Promise<CommunityNoticeView[]> {
    const result = await this.ctx.repo.list(this.ctx.db, { codePrefix: communityCode, communityCode, limit: 50, offset: 0 });
    const notices = await this.ctx.repo.notices(
      this.ctx.db,
      result.items.map((d) => d.id),
    );
    const counts = await this.ctx.repo.objectorCounts(
      this.ctx.db,
      notices.map((n) => n.id),
    );
    const today = this.ctx.today();
    return notices
      .sort((a, b) => b.id - a.id)
      .map((n) => ({
        ...this.ctx.noticeView(n, counts.get(n.id) ?? 0, today),
        fundYear: result.items.find((d) => d.id === n.decisionId)!.fundYear,
      }));
  }

  /**
   * For the street review (issue 6): decisions whose notice closed without reaching the objection
   * threshold, in the given region (code prefix), as of `today` (China date).
   */
  async readyForReview(options: { codePrefix?: string; today?: string } = {}, db: Executor = this.ctx.db) {
    const today = options.today ?? this.ctx.today();
    const rows = await this.ctx.repo.readyForReview(db, options.codePrefix ?? '', today);
    return rows.map(({ decision: d, notice: n }) => ({
      decisionId: d.id,
      communityCode: d.communityCode,
      fundYear: d.fundYear,
      campaignId: d.campaignId,
      procedure: d.procedure,
      decidedOn: d.decidedOn,
      noticeId: n.id,
      postedOn: n.postedOn,
      windowEnd: n.windowEnd,
      projects: n.projects,
    }));
  }

  /** Persists what reads compute lazily: open notices past their window close, decisions become ready for review. */
  async closeExpiredNotices(today: string = this.ctx.today()) {
    return this.ctx.db.transaction(async (tx) => {
      const expired = await this.ctx.repo.expiredOpen(tx, today);
      let closed = 0;
      for (const candidate of expired) {
        const d = (await this.ctx.repo.decision(tx, candidate.decisionId, true))!;
        const n = (await this.ctx.repo.notice(tx, candidate.id, true))!;
        if (n.status !== 'open') continue;
        closed++;
        const community = await this.ctx.regions.find(d.communityCode, tx);
        await this.ctx.repo.updateNotice(tx, n.id, { status: 'closed', closedAt: this.ctx.now() });
        if (d.status === 'noticed' && d.round === n.round) await this.ctx.repo.updateDecision(tx, d.id, { status: 'ready_for_review' });
        await this.ctx.audit.record(tx, SYSTEM_ACTOR, {
          action: 'decision.notice.close',
          entityType: 'decision_notice',
          entityId: String(n.id),
          regionPath: community?.path ?? null,
          before: { status: 'open' },
          after: { status: 'closed', windowEnd: n.windowEnd, today, decisionStatus: 'ready_for_review' },
        });
      }
      return { closed };
    });
  }
}
