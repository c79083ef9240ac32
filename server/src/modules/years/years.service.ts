import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { EvaluationConsequencesService, ProvidersService } from '../procurement/procurement.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import { OPENING_ITEM_LABELS } from './years.labels.js';
import { missingIneligibilities, openingChecklist, openingFrom, yearsToOpen, type OpeningFacts, type OpeningItem } from './years.rules.js';
import type { CarryForwardView, OpeningItemView, YearOpeningView } from './years.schemas.js';

/** Only the city's bureaus open a fund year: the civil affairs bureau runs the checklist, finance confirms the money. */
function requireCity(actor: Actor) {
  if ((actor.role !== 'city_bureau' && actor.role !== 'city_finance') || !actor.scopePath || actor.scopePath.includes('/')) {
    throw new DomainError(
      'FORBIDDEN',
      { zh: '只有市民政局、市财政局可以开启新年度', en: 'Only the city bureaus open a fund year' },
      { kind: 'forbidden' },
    );
  }
}

/**
 * Opening the next fund year (ADR 0015): a checklist derived from the other modules' state —
 * policy, ratings, the ledger's allocations, provider ineligibility, the calendar — with the two
 * actions that belong to nobody else (copy the policy, carry the ineligibilities forward). It
 * reads and writes only through those modules' services and never touches a closed year.
 */
export class YearsService implements TodoSource {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly policy: PolicyService,
    private readonly ratings: RatingsService,
    private readonly ledger: LedgerService,
    private readonly providers: ProvidersService,
    private readonly consequences: EvaluationConsequencesService,
    private readonly evaluation: EvaluationService,
    private readonly calendar: CalendarService,
  ) {}

  /** [N 3.2] The providers of Y − 1's 不合格 final evaluations, each with the evaluation that failed it. */
  private async failedProviders(db: Executor, year: number): Promise<Map<number, number>> {
    const failed = await this.evaluation.failedFinals(db, year - 1);
    const assignmentOf = new Map(failed.map((f) => [f.planProjectId, f.assignmentId]));
    const contracts = await this.consequences.providersOfProjects(db, [...assignmentOf.keys()]);
    const out = new Map<number, number>();
    for (const c of contracts) if (!out.has(c.providerId)) out.set(c.providerId, assignmentOf.get(c.planProjectId)!);
    return out;
  }

  private async previousFinalDue(year: number, db: Executor = this.db): Promise<string | null> {
    const missing = (e: unknown) => {
      if (e instanceof DomainError && e.code === 'POLICY_NOT_FOUND') return null;
      throw e;
    };
    return (await this.policy.forYear(year - 1, db).catch(missing))?.finalEvaluationDue ?? null;
  }

  private async facts(year: number, db: Executor = this.db): Promise<OpeningFacts> {
    const years = new Set((await this.policy.listYears()).map((y) => y.year));
    const ratings = await this.ratings.levelsAgainstQuotas(year - 1, db);
    const failed = await this.failedProviders(db, year);
    return {
      year,
      previousPolicy: years.has(year - 1),
      policy: years.has(year),
      ratingsTotal: ratings.total,
      levels: ratings.levels,
      allocations: await this.ledger.countTransfers(db, year, 'allocation'),
      failedProviders: [...failed.keys()],
      ineligibleProviders: await this.providers.ineligibleAfterEvaluation(db, year),
      calendarPublished: (await this.calendar.unpublishedAmong([year], db)).length === 0,
    };
  }

  /** ADR 0015: the checklist of opening fund year `year`, each item with its state, reason, page and action. */
  async opening(actor: Actor, year: number): Promise<YearOpeningView> {
    requirePermission(actor, 'policy:read');
    requireCity(actor);
    const due = await this.previousFinalDue(year);
    const items = openingChecklist(await this.facts(year)).map((i) => itemView(i, year));
    return {
      year,
      previousYear: year - 1,
      openingFrom: due ? openingFrom(year, due) : null,
      complete: items.every((i) => i.state === 'done'),
      items,
    };
  }

  /** [N 1] Copies Y − 1's policy to Y (rating year Y − 1), to be edited through the policy page before the appropriation. */
  async copyPolicy(actor: Actor, year: number): Promise<YearOpeningView> {
    requirePermission(actor, 'policy:write');
    requireCity(actor);
    await this.policy.copy(actor, year - 1, year);
    return this.opening(actor, year);
  }

  /**
   * [N 3.2] Records, for every provider of Y − 1's 不合格 final evaluations, the ineligibility for Y
   * that is missing. Idempotent and held by the database: the unique index on (provider, year,
   * source) makes a concurrent or repeated run record nothing twice.
   */
  async carryForwardIneligibilities(actor: Actor, year: number): Promise<CarryForwardView> {
    requirePermission(actor, 'providers:write');
    requireCity(actor);
    return this.db.transaction(async (tx) => {
      const failed = await this.failedProviders(tx, year);
      const missing = missingIneligibilities([...failed.keys()], await this.providers.ineligibleAfterEvaluation(tx, year));
      const recorded: number[] = [];
      for (const providerId of missing) {
        const assignmentId = failed.get(providerId)!;
        const row = await this.providers.recordIneligibility(
          tx,
          {
            providerId,
            year,
            reason: `${year - 1} 年度终期评估结果为不合格（评估任务 ${assignmentId}）[N 3.2]`,
            source: 'final_evaluation',
            sourceRef: `evaluation_assignment:${assignmentId}`,
          },
          actor,
        );
        if (row) recorded.push(providerId);
      }
      await this.audit.record(tx, actor, {
        action: 'year.ineligibility_carry_forward',
        entityType: 'fund_year',
        entityId: String(year),
        regionPath: actor.scopePath!,
        after: { recorded, existing: failed.size - recorded.length },
      });
      return { year, recorded: recorded.length, existing: failed.size - recorded.length, providerIds: recorded };
    });
  }

  /**
   * The city bureau's to-do: the open items of each year being opened (years.rules `yearsToOpen`:
   * from 1 December of the year before, until its checklist is complete), but the calendar, whose
   * own to-do already asks for the notice.
   */
  async todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
    if (actor.role !== 'city_bureau' || actor.scopePath?.includes('/')) return [];
    const thisYear = Number(today.slice(0, 4));
    const dues = new Map([
      [thisYear, await this.previousFinalDue(thisYear)],
      [thisYear + 1, await this.previousFinalDue(thisYear + 1)],
    ]);
    const items: TodoDraft[] = [];
    for (const year of yearsToOpen(today, (y) => dues.get(y) ?? null)) {
      for (const i of openingChecklist(await this.facts(year))) {
        if (i.state === 'done' || i.key === 'calendar') continue;
        items.push({
          key: `year_opening:${year}:${i.key}`,
          kind: 'year_opening',
          title: `开启 ${year} 年度：${OPENING_ITEM_LABELS[i.key]}${i.state === 'blocked' ? '（受阻）' : ''}`,
          detail: i.reason,
          regionName: '全市',
          dueOn: null,
          workdaysLeft: null,
          overdue: false,
          link: `/years/${year}`,
        });
      }
    }
    return items;
  }
}

const LINKS: Record<OpeningItem['key'], (year: number) => string> = {
  policy: (y) => `/policy?year=${y}`,
  ratings: (y) => `/ratings?year=${y - 1}`,
  appropriation: (y) => `/allocations?year=${y}`,
  ineligibility: () => '/providers',
  calendar: (y) => `/calendar?year=${y}`,
};

function itemView(i: OpeningItem, year: number): OpeningItemView {
  const view: OpeningItemView = { ...i, title: OPENING_ITEM_LABELS[i.key], link: LINKS[i.key](year), action: null };
  if (i.key === 'policy' && i.state === 'todo')
    view.action = {
      method: 'POST',
      path: `/api/years/${year}/policy/copy`,
      label: `复制 ${year - 1} 年度政策`,
      permission: 'policy:write',
      consequence: `将以 ${year - 1} 年度政策为底稿创建 ${year} 年度政策（评星年度 ${year - 1}），${year - 1} 年度政策不变；资金下达前可在政策页修改。`,
    };
  if (i.key === 'ineligibility' && i.state === 'todo')
    view.action = {
      method: 'POST',
      path: `/api/years/${year}/ineligibilities/carry-forward`,
      label: '登记不得承接',
      permission: 'providers:write',
      consequence: `将为 ${i.count ?? 0} 家承接主体登记 ${year} 年度不得承接（${year - 1} 年度终期评估不合格 [N 3.2]），登记后不能在 ${year} 年度签订合同。`,
    };
  return view;
}
