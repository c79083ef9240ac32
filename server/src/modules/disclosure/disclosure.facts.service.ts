import type { Db } from '../../db/client.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RegionSummary } from '../regions/regions.service.js';
import { DisclosureRepository } from './disclosure.repository.js';
import type { PortalContext } from './disclosure.context.js';
import { PUBLIC_GRADE_LABELS, type PublicContract } from './disclosure.views.js';
import { disclosureChecklist, evaluationProgress, type RecordedKind } from './disclosure.rules.js';
import type { PublicEvaluationView, PublicModelCaseSummary } from './disclosure.schemas.js';

/** What the portal reads of evaluations (issue 8): concluded grades of projects, by kind. */
export interface PublicGradeSource {
  gradesOf(db: Db, projectIds: number[], fundYear?: number): Promise<{ planProjectId: number; kind: string; grade: string | null }[]>;
}

/** What the portal reads of model cases [N 4.4]: the published ones. */
export interface PublishedModelCases {
  published(
    db: Db,
    filter: { communityCode?: string; fundYear?: number },
  ): Promise<{ id: number; planProjectId: number; title: string; body: string; publishedOn: string | null }[]>;
}

/**
 * [N 4.2] The facts of one community in one fund year, gathered from the modules that hold them
 * (money, needs, decisions and notices, plans, contracts and payments, evaluations, model cases,
 * recorded disclosures) and judged against the disclosure checklist: what the community page, the
 * project page and the monitoring read.
 */
export class CommunityFactsService {
  private readonly repo = new DisclosureRepository();

  constructor(
    private readonly ctx: PortalContext,
    private readonly policy: PolicyService,
    private readonly needs: NeedsService,
    private readonly decisions: DecisionsService,
    private readonly plans: PlansService,
    private readonly procurement: ProcurementService | null,
    private readonly evaluations: PublicGradeSource,
    private readonly modelCases: PublishedModelCases,
  ) {}

  /** Everything the pages and the monitoring judge about one community in one fund year. */
  async communityFacts(r: RegionSummary, fundYear: number) {
    const code = r.code;
    const streetPath = r.path.split('/').slice(0, -1).join('/');
    const [money, draft, overview, allNotices, plans, contracts, records, evaluated, modelCases, policy] = await Promise.all([
      this.ctx.moneyUnder(fundYear, r.path),
      this.needs.draftListOf(code, fundYear),
      this.decisions.overviewUnder(code, { fundYear }),
      this.decisions.publicNoticesOf(code),
      this.plans.plansOfCommunity(code, streetPath, fundYear),
      this.procurement ? this.procurement.publicContracts({ pathPrefix: r.path, fundYear }) : Promise.resolve([] as PublicContract[]),
      this.repo.records(this.ctx.db, { pathPrefix: r.path, fundYear }),
      this.evaluationsOf(code, fundYear),
      this.modelCasesOf(code, fundYear),
      this.policy.forYear(fundYear),
    ]);
    const evaluations = evaluated.grades;
    const progress = evaluationProgress(evaluated.projectIds, evaluations);
    const m = money.find((x) => x.code === code);
    const allocation = m
      ? { allocatedFen: m.figures.allocated, committedFen: m.figures.committed, paidFen: m.figures.paid, availableFen: m.figures.available }
      : null;

    let campaign = null;
    if (draft) {
      const c = await this.needs.publicCampaign(draft.campaignId);
      campaign = {
        id: c.id,
        title: c.title,
        opensOn: c.opensOn,
        closesOn: c.closesOn,
        status: c.status,
        acceptingOnline: c.acceptingOnline,
        coverage: c.coverage,
        link: `/r/${c.id}`,
      };
    }
    const live = overview.filter((d) => d.status !== 'rejected').at(-1) ?? overview.at(-1) ?? null;
    const notices = allNotices
      .filter((n) => n.fundYear === fundYear)
      .sort((a, b) => a.round - b.round)
      .map((n) => ({
        id: n.id,
        round: n.round,
        postedOn: n.postedOn,
        windowEnd: n.windowEnd,
        status: n.status,
        daysLeft: n.daysLeft,
        objectors: n.objectors,
        objectorsNeeded: n.objectorsNeeded,
        totalBudgetFen: n.totalBudgetFen,
        projectCount: n.projects.length,
        link: `/n/${n.id}`,
      }));
    let decidedOn: string | null = null;
    if (live?.noticeId) decidedOn = (await this.decisions.publicNotice(live.noticeId)).decision.heldOn;
    const decision = live
      ? {
          status: live.status,
          round: live.round,
          decidedOn,
          projects: live.passedProjects.map((p) => ({
            decisionProjectId: p.projectId,
            title: p.title,
            catalogueCode: p.catalogueCode,
            category: p.category,
            estimatedBudgetFen: p.estimatedBudgetFen,
            votesFor: p.votesFor,
            votesAgainst: p.votesAgainst,
            votesAbstain: p.votesAbstain,
          })),
        }
      : null;
    const own = plans.filter((p) => p.communityCodes.includes(code));
    const pl = own.find((p) => p.status === 'filed') ?? own.at(-1) ?? null;
    const plan = pl
      ? {
          id: pl.id,
          title: pl.title,
          kind: pl.kind,
          status: pl.status,
          filingLevel: pl.filingLevel,
          submittedOn: pl.submittedOn,
          filedOn: pl.filedOn,
          // Projects are public once the plan is filed [N 4.2]; before, only the count.
          projectCount: pl.projects.length,
          projects:
            pl.status === 'filed'
              ? pl.projects
                  .filter((x) => x.communityCodes.includes(code) || pl.kind === 'community')
                  .map((x) => ({
                    id: x.id,
                    title: x.title,
                    content: x.content,
                    catalogueCode: x.catalogueCode,
                    category: x.category,
                    budgetFen: x.budgetFen,
                    link: `/portal/p/${x.id}`,
                  }))
              : [],
        }
      : null;
    const payments = contracts
      .flatMap((c) =>
        c.instalments
          .filter((i) => i.status === 'paid')
          .map((i) => ({
            contractId: c.id,
            contractRef: c.ref,
            providerName: c.provider?.name ?? '',
            seq: i.seq,
            amountFen: i.amountFen,
            paidOn: i.paidOn,
          })),
      )
      .sort((a, b) => (a.paidOn ?? '').localeCompare(b.paidOn ?? ''));
    const signed = contracts
      .map((c) => c.signedOn)
      .filter((d): d is string => !!d)
      .sort();
    const midDate = `${fundYear}-${policy.midEvaluationDue}`;
    const recorded: Partial<Record<RecordedKind, string>> = {};
    for (const rec of records) if (rec.communityCode === code) recorded[rec.kind as RecordedKind] = rec.publishedOn;
    const checklist = disclosureChecklist(
      {
        decidedOn,
        noticePostedOn: notices[0]?.postedOn ?? null,
        planFiledOn: pl?.status === 'filed' ? pl.filedOn : null,
        firstContractSignedOn: signed[0] ?? null,
        progressDueOn: signed[0] ? (signed[0] > midDate ? signed[0] : midDate) : null,
        midtermEvaluatedOn:
          evaluations
            .filter((e) => e.stage === 'midterm')
            .map((e) => e.evaluatedOn)
            .sort()[0] ?? null,
        finalEvaluatedOn:
          evaluations
            .filter((e) => e.stage === 'final')
            .map((e) => e.evaluatedOn)
            .sort()[0] ?? null,
        firstPaymentOn: payments[0]?.paidOn ?? null,
        recorded,
      },
      { graceDays: policy.disclosureGraceDays, today: this.ctx.today() },
    );
    return {
      allocation,
      campaign,
      draft,
      decision,
      notices,
      plan,
      planRow: pl,
      contracts,
      payments,
      evaluations,
      evaluationProgress: progress,
      modelCases,
      checklist,
      records: records.filter((x) => x.communityCode === code),
    };
  }
  // ---------------------------------------------------------------- evaluations and model cases (issue 8)

  /**
   * Concluded grades of the community's filed projects. The portal dates a grade by its round's
   * due date in the policy ([N 3.2]), the date results are disclosed against.
   */
  private async evaluationsOf(communityCode: string, fundYear: number): Promise<{ projectIds: number[]; grades: PublicEvaluationView[] }> {
    const projects = await this.plans.filedProjects(this.ctx.db, { communityCode, fundYear });
    const titles = new Map(projects.map((p) => [p.projectId, p.title]));
    const grades = await this.evaluations.gradesOf(
      this.ctx.db,
      projects.map((p) => p.projectId),
      fundYear,
    );
    const policy = await this.policy.forYear(fundYear);
    const views = grades
      .filter((g) => g.grade && (g.kind === 'midterm' || g.kind === 'final'))
      .map((g) => ({
        contractId: null,
        projectId: g.planProjectId,
        projectTitle: titles.get(g.planProjectId) ?? '',
        stage: g.kind as 'midterm' | 'final',
        grade: PUBLIC_GRADE_LABELS[g.grade!] ?? g.grade!,
        evaluatedOn: `${fundYear}-${g.kind === 'midterm' ? policy.midEvaluationDue : policy.finalEvaluationDue}`,
        evaluatorName: '',
      }));
    return { projectIds: projects.map((p) => p.projectId), grades: views };
  }

  /** The community's published model cases [N 4.4]. */
  private async modelCasesOf(communityCode: string, fundYear: number): Promise<PublicModelCaseSummary[]> {
    return (await this.modelCases.published(this.ctx.db, { communityCode, fundYear })).map((m) => ({
      id: m.id,
      title: m.title,
      summary: m.body.slice(0, 200),
      publishedOn: m.publishedOn ?? '',
      projectId: m.planProjectId,
    }));
  }
}
