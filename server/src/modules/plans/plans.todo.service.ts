import type { Db } from '../../db/client.js';
import { hasPermission, type Actor } from '../../common/access.js';
import { PlansRepository, type PlanRow } from './plans.repository.js';
import { STEP_LABELS } from './plans.rules.js';
import type { PlanContext } from './plans.context.js';
import { todoKind } from '../../common/todo-kinds.js';
import type { MessageItem, MessagesView, TodoDraft, TodoItem, TodoView } from './plans.schemas.js';

/**
 * A module that puts items into the to-do centre (its own state, derived; never stored). Each
 * module has its own (`<module>.todo.service.ts` or its service's `todoItems`), wired in
 * services.ts; its kinds are in the catalogue common/todo-kinds.ts.
 */
export interface TodoSource {
  todoItems(actor: Actor, today: string): Promise<TodoDraft[]>;
}

/** Working days from today to each due date, through the calendar service (provisional when a year is unpublished). */
export type Countdowns = (today: string, dues: string[]) => Promise<Map<string, { workdaysLeft: number; provisional: boolean }>>;

/** A module that sends the caller in-app messages (derived from its state; only read marks are stored). */
export interface MessageSource {
  messages(actor: Actor, today: string): Promise<MessageItem[]>;
}

/**
 * The plans module's own to-do items and messages: plans to draft, review, file or redo, and the
 * decisions a plan waits on (ready for a plan, suspended by objections).
 */
export class PlanTodoSource implements TodoSource, MessageSource {
  constructor(private readonly ctx: PlanContext) {}

  async todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
    const items: TodoDraft[] = [];
    if (!hasPermission(actor, 'plans:read') || !actor.scopePath) return items;
    const { regions, decisions } = this.ctx.deps;
    const plans = await this.ctx.scopedPlans(actor, {});
    const members = await this.ctx.repo.communities(
      this.ctx.db,
      plans.map((p) => p.id),
    );
    const names = await regions.byCodes([
      ...new Set([...plans.flatMap((p) => [p.streetCode, p.districtCode]), ...members.map((m) => m.communityCode)]),
    ]);
    const nameOf = (p: PlanRow) =>
      p.kind === 'community'
        ? (names.find((r) => r.code === p.communityCode)?.name ?? p.communityCode!)
        : `${names.find((r) => r.code === p.streetCode)?.name ?? p.streetCode}片区`;
    const planItem = async (p: PlanRow, kind: string, title: string, detail: string, due: string | null): Promise<TodoDraft> => {
      const countdown = await this.ctx.countdown(today, due);
      return {
        key: `${kind}:${p.id}:${p.round}`,
        kind,
        title,
        detail,
        regionName: nameOf(p),
        dueOn: due,
        workdaysLeft: countdown.workdaysLeft,
        overdue: !!due && today > due,
        link: `/plans/${p.id}`,
        provisional: (due !== null && due === p.reviewDueOn && p.reviewDueProvisional) || countdown.provisional,
      };
    };
    const ownsPlan = (p: PlanRow) =>
      actor.role === 'community' ? p.kind === 'community' : actor.role === 'street_office' && p.kind === 'area';

    for (const p of plans) {
      if (ownsPlan(p) && p.status === 'draft') items.push(await planItem(p, 'plan_draft', '编制并提交使用方案', p.title, null));
      if (ownsPlan(p) && p.status === 'returned')
        items.push(
          await planItem(
            p,
            'plan_returned',
            `方案被退回：${p.returnStep ? STEP_LABELS[p.returnStep] : '修改方案'}`,
            (p.returnReasons ?? []).map((r) => r.note).join('；'),
            null,
          ),
        );
      if (actor.role === 'street_office' && p.status === 'submitted')
        items.push(await planItem(p, 'plan_review', '街道初审使用方案', p.title, p.reviewDueOn));
      if (actor.role === 'district_bureau' && p.status === 'submitted' && p.reviewDueOn && today > p.reviewDueOn)
        items.push(
          await planItem(p, 'review_overdue', '督办：街道初审已逾期', `${p.title}（应于 ${p.reviewDueOn} 前完成初审）`, p.reviewDueOn),
        );
      if (
        p.status === 'approved' &&
        ((actor.role === 'district_bureau' && p.filingLevel === 'district') || (actor.role === 'city_bureau' && p.filingLevel === 'city'))
      )
        items.push(await planItem(p, 'plan_filing', '使用方案备案', p.title, null));
    }

    // Communities whose decision is ready for review but that have no plan yet; decisions suspended by objections.
    if (actor.role === 'community' || actor.role === 'street_office') {
      const code = actor.scopePath.split('/').pop()!;
      const overview = await decisions.overviewUnder(code, { today });
      const planned = new Set(members.map((m) => `${m.communityCode}:${plans.find((p) => p.id === m.planId)?.fundYear}`));
      const communities = await regions.byCodes([...new Set(overview.map((d) => d.communityCode))]);
      for (const d of overview) {
        const name = communities.find((r) => r.code === d.communityCode)?.name ?? d.communityCode;
        if (actor.role === 'community' && d.status === 'ready_for_review' && !planned.has(`${d.communityCode}:${d.fundYear}`)) {
          items.push({
            key: `plan_create:${d.decisionId}`,
            kind: 'plan_create',
            title: '根据决策清单编制使用方案',
            detail: `${d.fundYear} 年度决策公示期满`,
            regionName: name,
            dueOn: null,
            workdaysLeft: null,
            overdue: false,
            link: '/plans',
          });
        }
        if (actor.role === 'community' && d.status === 'suspended') {
          items.push({
            key: `decision_revote:${d.decisionId}:${d.round}`,
            kind: 'decision_revote',
            title: '异议达到法定比例，须重新表决',
            detail: `异议 ${d.objectors}/${d.objectorsNeeded} 人`,
            regionName: name,
            dueOn: null,
            workdaysLeft: null,
            overdue: false,
            link: `/decisions/${d.decisionId}`,
          });
        }
      }
    }
    return items;
  }

  async messages(actor: Actor, today: string): Promise<MessageItem[]> {
    const out: MessageItem[] = [];
    if (hasPermission(actor, 'plans:read') && actor.scopePath) {
      const plans = await this.ctx.scopedPlans(actor, {});
      const own = (p: PlanRow) => (actor.role === 'community' ? true : actor.role === 'street_office' ? p.kind === 'area' : false);
      for (const p of plans) {
        if (p.status === 'returned' && p.returnedOn && (own(p) || actor.role === 'street_office')) {
          out.push({
            key: `plan_returned:${p.id}:${p.round}`,
            kind: 'plan_returned',
            title: `使用方案被退回（${p.returnStep ? STEP_LABELS[p.returnStep] : '修改方案'}）`,
            body: `${p.title}：${(p.returnReasons ?? []).map((r) => `${r.note}${r.clause}`).join('；')}`,
            on: p.returnedOn,
            link: `/plans/${p.id}`,
          });
        }
        if (p.status === 'filed' && p.filedOn && (own(p) || actor.role === 'street_office' || actor.role === 'district_bureau')) {
          out.push({
            key: `plan_filed:${p.id}:${p.round}`,
            kind: 'plan_filed',
            title: `使用方案已${p.filingLevel === 'city' ? '向市民政局' : '向区民政局'}备案`,
            body: p.title,
            on: p.filedOn,
            link: `/plans/${p.id}`,
          });
        }
        if (
          p.status === 'submitted' &&
          p.reviewDueOn &&
          today > p.reviewDueOn &&
          (actor.role === 'district_bureau' || actor.role === 'street_office' || actor.role === 'city_bureau')
        ) {
          out.push({
            key: `review_overdue:${p.id}:${p.round}`,
            kind: 'review_overdue',
            title: '街道初审逾期',
            body: `${p.title} 应于 ${p.reviewDueOn} 前完成初审 [N 3.1.2(2)]`,
            on: p.reviewDueOn,
            link: `/plans/${p.id}`,
          });
        }
      }
    }
    if (hasPermission(actor, 'decisions:read') && actor.scopePath) {
      const code = actor.scopePath.split('/').pop()!;
      const overview = await this.ctx.deps.decisions.overviewUnder(code, { today });
      const names = await this.ctx.deps.regions.byCodes([...new Set(overview.map((d) => d.communityCode))]);
      for (const d of overview) {
        if (d.status !== 'suspended' || !d.noticeId) continue;
        const name = names.find((r) => r.code === d.communityCode)?.name ?? d.communityCode;
        out.push({
          key: `objection_threshold:${d.noticeId}`,
          kind: 'objection_threshold',
          title: '公示异议达到法定比例',
          body: `${name}：异议 ${d.objectors} 人，达到 ${d.objectorsNeeded} 人，决策中止，须重新表决 [N 3.1.2(1)]`,
          on: d.suspendedOn ?? today,
          link: `/decisions/${d.decisionId}`,
        });
      }
    }
    return out;
  }
}

/**
 * The to-do centre and in-app messages: what awaits the caller and what happened that concerns
 * them, gathered from the sources declared at construction (plans, disclosure monitoring, the
 * calendar), in that order. Built last in services.ts, after every module that feeds it.
 */
export class TodoCentre {
  /** Read marks of messages. */
  private readonly repo = new PlansRepository();

  constructor(
    private readonly db: Db,
    private readonly todoSources: readonly TodoSource[],
    private readonly messageSources: readonly MessageSource[],
    /** The business date the items count from: the application's one clock (`clock.today`). */
    private readonly today: () => string,
    /** Working days left to each due date (the calendar service's `countdowns`). */
    private readonly countdowns: Countdowns,
  ) {}

  /**
   * What awaits the caller, derived from the state of the sources (never stored, never drifts), for
   * every role: each source decides what its state asks of the caller; the centre keeps only kinds
   * of the catalogue meant for the caller's role, and gives every item its label, clause, working
   * days left (through the calendar; provisional when a year's holiday notice is not entered) and
   * overdue flag. Sorted by urgency: overdue first, then by due date, undated last.
   */
  async todo(actor: Actor): Promise<TodoView> {
    const today = this.today();
    const drafts: TodoDraft[] = [];
    for (const source of this.todoSources) drafts.push(...(await source.todoItems(actor, today)));
    const countdowns = await this.countdowns(
      today,
      drafts.flatMap((d) => (d.dueOn ? [d.dueOn] : [])),
    );
    const items: TodoItem[] = [];
    for (const d of drafts) {
      const kind = todoKind(d.kind);
      if (!kind || !kind.roles.includes(actor.role)) continue;
      const countdown = d.dueOn ? countdowns.get(d.dueOn) : undefined;
      const provisional = !!d.provisional || !!countdown?.provisional;
      items.push({
        ...d,
        kindLabel: kind.label,
        clause: d.clause ?? kind.clause,
        workdaysLeft: countdown ? countdown.workdaysLeft : null,
        overdue: !!d.dueOn && today > d.dueOn,
        ...(provisional ? { provisional } : {}),
      });
    }
    items.sort(
      (a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.key.localeCompare(b.key),
    );
    return { today, items };
  }

  /** In-app messages for events that concern the caller, derived from state; only read marks are stored. */
  async messages(actor: Actor): Promise<MessagesView> {
    const today = this.today();
    const out: MessageItem[] = [];
    for (const source of this.messageSources) out.push(...(await source.messages(actor, today)));
    const read = await this.repo.readKeys(this.db, actor.userId);
    const items = out.map((m) => ({ ...m, read: read.has(m.key) })).sort((a, b) => b.on.localeCompare(a.on) || a.key.localeCompare(b.key));
    return { unread: items.filter((m) => !m.read).length, items };
  }

  /** Marks messages read (all current ones when no keys are given). */
  async markRead(actor: Actor, keys?: string[]): Promise<MessagesView> {
    const current = (await this.messages(actor)).items.map((m) => m.key);
    const chosen = keys ? keys.filter((k) => current.includes(k)) : current;
    await this.db.transaction((tx) => this.repo.markRead(tx, actor.userId, chosen));
    return this.messages(actor);
  }
}
