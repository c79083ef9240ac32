import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import { maskName, seesPersonalData } from '../households/households.rules.js';
import type { StepRow, VoteRow } from './decisions.repository.js';
import {
  allocationCheck,
  BODY_LABELS,
  enteredLate,
  nextStep,
  noticeStatusOn,
  STEP_LABELS,
  stepsOf,
  type DecisionBody,
} from './decisions.rules.js';
import { doneSteps, STEP_NAMES, type DecisionsContext } from './decisions.context.js';
import type { DecisionListView, DecisionView } from './decisions.schemas.js';

/** The decision as staff read it [N 3]: one decision with its records and notices, the list, and the reads other modules make. */
export class DecisionReadingService {
  constructor(private readonly ctx: DecisionsContext) {}

  async get(actor: Actor, id: number): Promise<DecisionView> {
    const { decision: d, community } = await this.ctx.scoped(actor, id, 'decisions:read');
    const today = this.ctx.today();
    const clear = seesPersonalData(actor, d.communityCode);
    const [projects, steps, notices] = await Promise.all([
      this.ctx.repo.projects(this.ctx.db, id),
      this.ctx.repo.steps(this.ctx.db, id),
      this.ctx.repo.notices(this.ctx.db, [id]),
    ]);
    const [votes, objections, counts] = await Promise.all([
      this.ctx.repo.votes(
        this.ctx.db,
        steps.map((s) => s.id),
      ),
      this.ctx.repo.objections(
        this.ctx.db,
        notices.map((n) => n.id),
      ),
      this.ctx.repo.objectorCounts(
        this.ctx.db,
        notices.map((n) => n.id),
      ),
    ]);
    const households = await this.ctx.households.byIds(this.ctx.db, [...new Set(objections.map((o) => o.householdId))]);
    const current = notices.find((n) => n.round === d.round);
    const status = this.ctx.effectiveStatus(d, current, today);
    const next = d.status === 'in_progress' ? nextStep(d.procedure, doneSteps(d.procedure, steps)) : null;
    const lastVote = [...steps].reverse().find((s) => s.outcome === 'decided');
    const name = (n: string) => (clear ? n : maskName(n));
    // [N 3.1.2(1)] Paper objections received in the window may be entered until the window's end plus the policy's grace.
    const entry = current ? await this.ctx.paperEntryUntil(current, d.fundYear) : null;
    const currentStatus = current ? noticeStatusOn(current, today) : null;
    // [N 1] Before the vote the whole list, after it the passed projects of the current notice, against the allocation.
    const listTotal = current
      ? this.ctx.noticeView(current, 0, today).totalBudgetFen
      : projects.reduce((s, p) => s + p.estimatedBudgetFen, 0);
    const allocation = allocationCheck(listTotal, await this.ctx.allocationOf(this.ctx.db, d.communityCode, d.fundYear), !!current);
    const suspendedBy =
      current && current.status === 'suspended' && current.suspendedAt
        ? {
            at: current.suspendedAt.toISOString(),
            reason: current.suspendReason ?? '',
            lateEntry: objections.some((o) => o.noticeId === current.id && enteredLate(current, o.enteredOn)),
          }
        : null;
    return {
      id: d.id,
      communityCode: d.communityCode,
      communityName: community.name,
      fundYear: d.fundYear,
      campaignId: d.campaignId,
      procedure: d.procedure,
      status,
      round: d.round,
      decidedOn: d.decidedOn,
      nextStep: next,
      steps: stepsOf(d.procedure).map((s) => ({ step: s, label: STEP_LABELS[s] })),
      masked: !clear,
      projects: projects.map((p) => {
        const v = lastVote && votes.find((x) => x.stepId === lastVote.id && x.projectId === p.id);
        return {
          id: p.id,
          proposalId: p.proposalId,
          rank: p.rank,
          title: p.title,
          catalogueCode: p.catalogueCode,
          category: p.category,
          estimatedBudgetFen: p.estimatedBudgetFen,
          internalMatter: p.internalMatter,
          passed: v ? v.passed : null,
        };
      }),
      records: steps.map((s) => stepView(s, votes, name)),
      paperEntry:
        entry && current
          ? {
              noticeId: current.id,
              until: entry.date,
              provisional: entry.provisional,
              open: (currentStatus === 'open' || currentStatus === 'closed') && today <= entry.date,
            }
          : null,
      suspension: suspendedBy,
      notices: notices.map((n) => ({
        ...this.ctx.noticeView(n, counts.get(n.id) ?? 0, today),
        paperEntryUntil: n.id === current?.id ? entry!.date : null,
        objections: objections
          .filter((o) => o.noticeId === n.id)
          .map((o) => ({
            id: o.id,
            householdNo: households.find((h) => h.id === o.householdId)?.householdNo ?? '',
            representativeName: name(o.representativeName),
            channel: o.channel,
            reason: o.reason,
            receivedOn: o.receivedOn,
            enteredOn: o.enteredOn,
            enteredLate: enteredLate(n, o.enteredOn),
            createdAt: o.createdAt.toISOString(),
          })),
      })),
      allocation,
    };
  }

  async list(
    actor: Actor,
    query: { communityCode?: string; fundYear?: number; status?: string; limit?: number; offset?: number },
  ): Promise<DecisionListView> {
    requirePermission(actor, 'decisions:read');
    const scopeCode = actor.scopePath?.split('/').pop();
    if (!scopeCode) return { total: 0, items: [] };
    const today = this.ctx.today();
    // "ready_for_review" is partly lazy: filter after reading the current notice.
    const lazy = query.status === 'ready_for_review' || query.status === 'noticed';
    const result = await this.ctx.repo.list(this.ctx.db, {
      codePrefix: scopeCode,
      communityCode: query.communityCode,
      fundYear: query.fundYear,
      status: lazy ? undefined : query.status,
      limit: lazy ? 10_000 : Math.min(query.limit ?? 50, 500),
      offset: lazy ? 0 : (query.offset ?? 0),
    });
    const notices = await this.ctx.repo.notices(
      this.ctx.db,
      result.items.map((d) => d.id),
    );
    const counts = await this.ctx.repo.objectorCounts(
      this.ctx.db,
      notices.map((n) => n.id),
    );
    const communities = await this.ctx.regions.byCodes([...new Set(result.items.map((d) => d.communityCode))]);
    let items = result.items.map((d) => {
      const current = notices.find((n) => n.decisionId === d.id && n.round === d.round);
      return {
        id: d.id,
        communityCode: d.communityCode,
        communityName: communities.find((c) => c.code === d.communityCode)?.name ?? d.communityCode,
        fundYear: d.fundYear,
        procedure: d.procedure,
        status: this.ctx.effectiveStatus(d, current, today),
        round: d.round,
        decidedOn: d.decidedOn,
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
    const notices = await this.ctx.repo.notices(
      db,
      items.map((d) => d.id),
    );
    const counts = await this.ctx.repo.objectorCounts(
      db,
      notices.map((n) => n.id),
    );
    return items.map((d) => {
      const current = notices.find((n) => n.decisionId === d.id && n.round === d.round);
      return {
        decisionId: d.id,
        communityCode: d.communityCode,
        fundYear: d.fundYear,
        status: this.ctx.effectiveStatus(d, current, today),
        round: d.round,
        noticeId: current?.id ?? null,
        windowEnd: current?.windowEnd ?? null,
        objectors: current ? (counts.get(current.id) ?? 0) : 0,
        objectorsNeeded: current?.objectorsNeeded ?? 0,
        suspendedOn: current?.suspendedAt ? todayInChina(current.suspendedAt) : null,
        passedProjects: current?.projects ?? [],
      };
    });
  }
}

function stepView(s: StepRow, votes: VoteRow[], name: (n: string) => string) {
  return {
    id: s.id,
    seq: s.seq,
    step: s.step,
    label: STEP_NAMES[s.step] ?? s.step,
    body: s.body,
    bodyLabel: s.body ? BODY_LABELS[s.body as DecisionBody] : null,
    heldOn: s.heldOn,
    expectedAttendance: s.expectedAttendance,
    actualAttendance: s.actualAttendance,
    outcome: s.outcome,
    minutes: s.minutes,
    attachments: s.attachments,
    presentMembers: s.presentMembers?.map((m) => ({ householdNo: m.householdNo, name: name(m.name) })) ?? null,
    votes: votes
      .filter((v) => v.stepId === s.id)
      .map((v) => ({ projectId: v.projectId, for: v.votesFor, against: v.votesAgainst, abstain: v.votesAbstain, passed: v.passed })),
  };
}
