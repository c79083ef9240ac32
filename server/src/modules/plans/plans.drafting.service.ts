import { requirePermission, pathInScope, type Actor } from '../../common/access.js';
import { DomainError, invalidField } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { formatFenShort } from '../../common/money.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';
import type { PlanRow } from './plans.repository.js';
import { unwrap } from '../../common/verdict.js';
import { areaProcedureVerdict, failing, memberProcedure, sharesOf } from './plans.rules.js';
import { FILING_CLAUSE, wrongStatus, type PlanContext } from './plans.context.js';
import type { ComplianceView, PlanCreate, PlanListView, PlanView, ProjectInput } from './plans.schemas.js';

/**
 * Drafting a usage plan [N 2]: a community's plan or a street's area plan, started from the
 * decided list, edited with its live compliance panel, and submitted for the street review once
 * every rule passes.
 */
export class PlanDraftingService {
  constructor(
    private readonly ctx: PlanContext,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: PlanCreate): Promise<PlanView> {
    const { db, repo } = this.ctx;
    const { regions, policy: policies, decisions } = this.ctx.deps;
    requirePermission(actor, 'plans:write');
    const codes = [...new Set(input.communityCodes)].sort();
    const own = this.ctx.actorCommunity(actor);
    if (own && (codes.length !== 1 || codes[0] !== own))
      throw invalidField('communityCodes', '社区只能为本社区编制使用方案', 'a community plans for itself only');
    if (!own && actor.role !== 'street_office')
      throw new DomainError(
        'FORBIDDEN',
        { zh: '只有社区或街道可以编制使用方案', en: 'Only a community or a street office writes plans' },
        { kind: 'forbidden' },
      );
    if (!own && codes.length < 2)
      throw invalidField('communityCodes', '片区方案至少包含两个社区', 'an area plan pools at least two communities');
    const found = await regions.byCodes(codes);
    for (const code of codes) {
      const r = found.find((x) => x.code === code);
      if (!r || r.level !== 'community' || !pathInScope(actor.scopePath, r.path))
        throw invalidField('communityCodes', `社区 ${code} 不存在或不在本辖区`, `community ${code} not found in scope`);
    }
    const streets = new Set(found.map((r) => r.parentCode));
    if (streets.size !== 1)
      throw invalidField('communityCodes', '片区方案的社区须属于同一街道', "an area's communities belong to one street");
    const streetCode = found[0]!.parentCode!;
    const street = (await regions.byCodes([streetCode]))[0]!;
    const districtCode = street.parentCode!;
    const policy = await policies.forYear(input.fundYear);
    const kind = own ? 'community' : 'area';
    const names = found.map((r) => r.name);
    const title =
      input.title?.trim() || `${input.fundYear} 年度${kind === 'community' ? names[0] : `${street.name}片区`}"以奖代补"专项资金使用方案`;
    const today = this.ctx.today();
    const id = await heldOnce(
      db.transaction(async (tx) => {
        const taken = await repo.plansHolding(tx, input.fundYear, codes);
        if (taken.length) {
          throw new DomainError(
            'PLAN_EXISTS',
            {
              zh: `社区 ${taken.map((t) => t.communityCode).join('、')} 本年度已有使用方案（编号 ${taken[0]!.planId}）`,
              en: `A plan for the year already holds ${taken.map((t) => t.communityCode).join(', ')}`,
            },
            { kind: 'conflict', clause: FILING_CLAUSE, details: { planId: taken[0]!.planId } },
          );
        }
        const row = await repo.insertPlan(tx, {
          fundYear: input.fundYear,
          kind,
          title,
          communityCode: own,
          streetCode,
          districtCode,
          regionPath: own ? found[0]!.path : street.path,
          createdByUserId: actor.userId,
        });
        await repo.insertCommunities(tx, row.id, input.fundYear, codes);
        // Start from the decided list: each passed project of each member community.
        const overview = await decisions.overviewUnder(streetCode, { fundYear: input.fundYear, today }, tx);
        const decided = overview
          .filter((d) => codes.includes(d.communityCode) && d.status !== 'rejected')
          .flatMap((d) => d.passedProjects.map((x) => ({ x, code: d.communityCode })));
        await repo.replaceProjects(
          tx,
          row.id,
          decided.map(({ x, code }) => ({
            decisionProjectId: x.projectId,
            title: x.title,
            content: '',
            catalogueCode: x.catalogueCode,
            category: policy.catalogue.basic.some((c) => c.code === x.catalogueCode) ? ('basic' as const) : ('enhancement' as const),
            budgetFen: x.estimatedBudgetFen,
            communityCodes: [code],
            shares: [{ communityCode: code, shareFen: x.estimatedBudgetFen }],
            providerKind: 'social_organisation' as const,
            otherFunding: [],
            procedureType: x.estimatedBudgetFen < policy.smallPurchaseThresholdFen ? 'small_direct' : 'public_tender',
          })),
        );
        await this.audit.record(tx, actor, {
          action: 'plan.create',
          entityType: 'plan',
          entityId: String(row.id),
          regionPath: row.regionPath,
          after: { fundYear: input.fundYear, kind, communityCodes: codes, title, projects: decided.length },
        });
        return row.id;
      }),
    );
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<PlanView> {
    const { plan: p, members } = await this.ctx.scoped(actor, id, 'plans:read');
    return this.ctx.view(this.ctx.db, p, members);
  }

  async compliance(actor: Actor, id: number): Promise<ComplianceView> {
    const { plan: p, members } = await this.ctx.scoped(actor, id, 'plans:read');
    const projects = await this.ctx.repo.projects(this.ctx.db, [id]);
    const { results } = await this.ctx.evaluate(this.ctx.db, p, members, projects);
    return { planId: id, passed: results.every((r) => r.passed), rules: results };
  }

  async update(actor: Actor, id: number, patch: { title?: string; projects?: ProjectInput[] }): Promise<PlanView> {
    const { db, repo } = this.ctx;
    requirePermission(actor, 'plans:write');
    await db.transaction(async (tx) => {
      const { plan: p, members } = await this.ctx.scoped(actor, id, 'plans:write', tx, true);
      this.ctx.requireOwner(actor, p);
      if (p.status !== 'draft' && p.status !== 'returned') throw wrongStatus(p.status, { zh: '修改', en: 'edit it' });
      const before = { title: p.title, projects: (await repo.projects(tx, [id])).length };
      if (patch.title !== undefined) await repo.updatePlan(tx, id, { title: patch.title.trim() || p.title });
      if (patch.projects) {
        const policy = await this.ctx.deps.policy.forYear(p.fundYear, tx);
        const decided = await this.ctx.decidedProjects(tx, p, members, policy);
        const rows = patch.projects.map((x, i) => this.projectRow(x, i, p, members, policy, decided));
        await repo.replaceProjects(tx, id, rows);
      }
      await this.audit.record(tx, actor, {
        action: 'plan.update',
        entityType: 'plan',
        entityId: String(id),
        regionPath: p.regionPath,
        before,
        after: {
          title: patch.title ?? p.title,
          projects: patch.projects?.map((x) => ({ title: x.title, catalogueCode: x.catalogueCode, budgetFen: x.budgetFen })) ?? null,
        },
      });
    });
    return this.get(actor, id);
  }

  private projectRow(
    x: ProjectInput,
    i: number,
    p: PlanRow,
    members: string[],
    policy: PolicyDocument,
    decided: { decisionProjectId: number; communityCode: string }[],
  ) {
    const field = (name: string) => `projects/${i}/${name}`;
    const item = [...policy.catalogue.basic, ...policy.catalogue.enhancement].find((c) => c.code === x.catalogueCode);
    if (!item) throw invalidField(field('catalogueCode'), `目录中没有 ${x.catalogueCode}`, `${x.catalogueCode} is not in the catalogue`);
    const codes = x.communityCodes?.length ? [...new Set(x.communityCodes)] : p.kind === 'community' ? [p.communityCode!] : [];
    if (!codes.length)
      throw invalidField(field('communityCodes'), '片区方案的项目须注明服务的社区', 'an area project names the communities it serves');
    const stranger = codes.find((c) => !members.includes(c));
    if (stranger) throw invalidField(field('communityCodes'), `社区 ${stranger} 不在本方案中`, `${stranger} is not a member of the plan`);
    const decisionProjectId = x.decisionProjectId ?? null;
    if (decisionProjectId !== null && !decided.some((d) => d.decisionProjectId === decisionProjectId)) {
      throw invalidField(field('decisionProjectId'), '不是本方案社区决策通过的项目', "not a decided project of the plan's communities");
    }
    if (x.procedureType === 'small_direct' && x.budgetFen >= policy.smallPurchaseThresholdFen) {
      throw new DomainError(
        'SMALL_PURCHASE_OVER_THRESHOLD',
        {
          zh: `预算达到小额直接采购限额 ${formatFenShort(policy.smallPurchaseThresholdFen)}，须采用政府采购方式`,
          en: 'The budget is over the small-purchase threshold',
        },
        { kind: 'rule', clause: '[N 3.1.3]', field: field('procedureType') },
      );
    }
    const shares = sharesOf(x.budgetFen, codes, x.shares);
    if (!shares.ok) throw invalidField(field('shares'), shares.zh, shares.en);
    return {
      decisionProjectId,
      shares: shares.shares,
      title: x.title.trim(),
      content: (x.content ?? '').trim(),
      catalogueCode: x.catalogueCode,
      category: policy.catalogue.basic.some((c) => c.code === x.catalogueCode) ? ('basic' as const) : ('enhancement' as const),
      budgetFen: x.budgetFen,
      communityCodes: codes.sort(),
      providerKind: x.providerKind,
      otherFunding: (x.otherFunding ?? []).map((f) => ({
        source: f.source.trim(),
        amountFen: f.amountFen,
        government: f.government !== false,
      })),
      procedureType: x.procedureType,
    };
  }

  /** Submission re-checks every rule; any failing rule refuses it (422, listing them). */
  async submit(actor: Actor, id: number): Promise<PlanView> {
    const { db, repo } = this.ctx;
    requirePermission(actor, 'plans:write');
    const today = this.ctx.today();
    await db.transaction(async (tx) => {
      const { plan: p, members } = await this.ctx.scoped(actor, id, 'plans:write', tx, true);
      this.ctx.requireOwner(actor, p);
      if (p.status !== 'draft' && p.status !== 'returned') throw wrongStatus(p.status, { zh: '提交', en: 'submit it' });
      const projects = await repo.projects(tx, [id]);
      const { results, communities, policy } = await this.ctx.evaluate(tx, p, members, projects);
      // [N 2.3] An area plan names the members that miss their own procedure before anything else.
      if (p.kind === 'area') unwrap(areaProcedureVerdict(communities.map((c) => memberProcedure(c, policy))));
      const failed = failing(results);
      if (failed.length) {
        throw new DomainError(
          'PLAN_NOT_COMPLIANT',
          {
            zh: `方案未通过合规检查：${failed.map((r) => `${r.label}${r.clause}——${r.message.zh}`).join('；')}`,
            en: `The plan fails ${failed.map((r) => `${r.rule} ${r.clause}`).join(', ')}`,
          },
          { kind: 'rule', clause: failed[0]!.clause, details: { failing: failed } },
        );
      }
      const { date: dueOn, provisional: reviewDueProvisional } = await this.ctx.reviewDueDateDetailed(today, p.fundYear, tx);
      await repo.updatePlan(tx, id, {
        status: 'submitted',
        round: p.round + 1,
        submittedOn: today,
        reviewDueOn: dueOn,
        reviewDueProvisional,
      });
      await this.audit.record(tx, actor, {
        action: 'plan.submit',
        entityType: 'plan',
        entityId: String(id),
        regionPath: p.regionPath,
        before: { status: p.status, round: p.round },
        after: {
          status: 'submitted',
          round: p.round + 1,
          submittedOn: today,
          reviewDueOn: dueOn,
          reviewDueProvisional,
          budgetFen: projects.reduce((s, x) => s + x.budgetFen, 0),
        },
      });
    });
    return this.get(actor, id);
  }

  /** Plans in the caller's scope; a community sees the plans it belongs to (its own or its street's area plan). */
  async list(
    actor: Actor,
    query: { fundYear?: number; status?: PlanRow['status']; stage?: 'review' | 'filing'; limit?: number; offset?: number },
  ): Promise<PlanListView> {
    const { db, repo } = this.ctx;
    requirePermission(actor, 'plans:read');
    const rows = await this.ctx.scopedPlans(actor, {
      fundYear: query.fundYear,
      status: query.status
        ? [query.status]
        : query.stage === 'review'
          ? ['submitted']
          : query.stage === 'filing'
            ? ['approved', 'filed']
            : undefined,
    });
    const limit = Math.min(query.limit ?? 50, 500);
    const offset = query.offset ?? 0;
    const page = rows.slice(offset, offset + limit);
    const today = this.ctx.today();
    const members = await repo.communities(
      db,
      page.map((p) => p.id),
    );
    const regions = await this.ctx.deps.regions.byCodes([
      ...new Set([...page.flatMap((p) => [p.streetCode, p.districtCode]), ...members.map((m) => m.communityCode)]),
    ]);
    const budgets = await repo.projects(
      db,
      page.map((p) => p.id),
    );
    const items = [];
    for (const p of page) {
      const mine = members
        .filter((m) => m.planId === p.id)
        .map((m) => ({ code: m.communityCode, name: regions.find((r) => r.code === m.communityCode)?.name ?? m.communityCode }));
      items.push({
        ...this.ctx.summary(p, today, await this.ctx.workdaysLeft(today, p.status === 'submitted' ? p.reviewDueOn : null), regions, mine),
        budgetFen: budgets.filter((b) => b.planId === p.id).reduce((s, b) => s + b.budgetFen, 0),
      });
    }
    return { total: rows.length, items };
  }
}
