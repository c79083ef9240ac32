import { formatFen } from '../../common/money.js';
import type { PolicyDocument } from '../policy/policy.schemas.js';
import {
  type Bilingual,
  type CommunityContext,
  type ComplianceCheck,
  type ComplianceFix,
  type PlanInput,
  type PlanProjectInput,
  RULE_CLAUSES,
  RULE_LABELS,
  type RuleId,
} from './plans.review.rules.js';
import { contentOverlaps, prohibitedMatches } from './plans.matching.rules.js';
import { memberBudgets } from './plans.area.rules.js';

/**
 * The compliance engine of a usage plan: pure, no I/O. `checkPlan` lists every rule of the spec
 * with pass/fail, its clause, what is wrong and how to fix it. A plan cannot be submitted while
 * any rule fails; the street's return reasons name these rules.
 */

const ENHANCEMENT_LABEL = (policy: Pick<PolicyDocument, 'catalogue'>, code: string) =>
  [...policy.catalogue.basic, ...policy.catalogue.enhancement].find((c) => c.code === code)?.name ?? code;

const yuan = formatFen;

function result(
  rule: RuleId,
  failures: Bilingual[],
  okMessage: Bilingual,
  fix: Bilingual,
  clause = RULE_CLAUSES[rule],
  fixes: ComplianceFix[] = [],
): ComplianceCheck {
  const passed = failures.length === 0;
  return {
    fixes: passed ? [] : fixes,
    rule,
    label: RULE_LABELS[rule],
    clause,
    passed,
    message: passed ? okMessage : { zh: failures.map((f) => f.zh).join('；'), en: failures.map((f) => f.en).join('; ') },
    fix: passed ? { zh: '', en: '' } : fix,
  };
}

/** A machine-readable fix of a failing rule (issue 19; the fields a kind does not use are null/empty): what the plan editor links to [N 3.1.2(1)]. */
export const fixOf = (kind: ComplianceFix['kind'], f: Partial<Omit<ComplianceFix, 'kind'>> = {}): ComplianceFix => ({
  kind,
  communityCode: f.communityCode ?? null,
  decisionId: f.decisionId ?? null,
  catalogueCodes: f.catalogueCodes ?? [],
  catalogueNames: f.catalogueNames ?? [],
  count: f.count ?? null,
  amountFen: f.amountFen ?? null,
});

const serving = (projects: PlanProjectInput[], code: string) => projects.filter((p) => p.communityCodes.includes(code));

/** The policy figures the compliance rules read. */
export type CompliancePolicy = Pick<
  PolicyDocument,
  'basicItems' | 'tiers' | 'enhancementMinCounts' | 'prohibitedUses' | 'catalogue' | 'needsCoverage'
>;

/** What each compliance rule reads: the plan, its member communities' figures, and the year's policy. */
export interface ComplianceInput {
  plan: PlanInput;
  communities: CommunityContext[];
  policy: CompliancePolicy;
}

/** A named rule of the compliance list: one finding for the plan. */
export type ComplianceRule = (input: ComplianceInput) => ComplianceCheck;

/** "社区名：" before a failure of an area plan (a community plan names no one). */
const whoOf = (plan: PlanInput) => ({
  zh: (c: CommunityContext) => (plan.kind === 'area' ? `${c.name}：` : ''),
  en: (c: CommunityContext) => (plan.kind === 'area' ? `${c.code}: ` : ''),
});

/** [N 2.1.1] The three basic projects, for each member community. */
export function basicProjectsRule({ plan, communities, policy }: ComplianceInput): ComplianceCheck {
  const who = whoOf(plan);
  const failures: Bilingual[] = [];
  const fixes: ComplianceFix[] = [];
  for (const c of communities) {
    const have = new Set(
      serving(plan.projects, c.code)
        .filter((p) => p.category === 'basic')
        .map((p) => p.catalogueCode),
    );
    const missing = policy.basicItems.filter((code) => !have.has(code));
    if (missing.length) {
      // [N 2.1.1] Basic projects need no council decision: added from the catalogue.
      fixes.push(
        fixOf('add_catalogue', {
          communityCode: c.code,
          catalogueCodes: missing,
          catalogueNames: missing.map((m) => ENHANCEMENT_LABEL(policy, m)),
        }),
      );
      failures.push({
        zh: `${who.zh(c)}缺少基础类项目 ${missing.map((m) => `${m} ${ENHANCEMENT_LABEL(policy, m)}`).join('、')}`,
        en: `${who.en(c)}missing basic project(s) ${missing.join(', ')}`,
      });
    }
  }
  return result(
    'basic_projects',
    failures,
    { zh: `基础类项目 ${policy.basicItems.join('、')} 均已列入`, en: 'All basic projects are in the plan' },
    {
      zh: '为每个社区补充缺少的基础类项目（创建社区社工室、孵化社区社会组织、培育居民骨干）',
      en: 'Add the missing basic projects for each community',
    },
    undefined,
    fixes,
  );
}

/** [N 2.1.2] The enhancement minimum by star level, for each member community (unrated: no funds). */
export function enhancementMinimumRule({ plan, communities, policy }: ComplianceInput): ComplianceCheck {
  const who = whoOf(plan);
  const failures: Bilingual[] = [];
  const byTypes = policy.enhancementMinCounts === 'types';
  const fixes: ComplianceFix[] = [];
  const used = new Set(plan.projects.map((p) => p.decisionProjectId));
  for (const c of communities) {
    const tier = c.stars === null ? undefined : policy.tiers.find((t) => t.stars === c.stars);
    if (!tier) {
      failures.push({ zh: `${who.zh(c)}${c.name} 未获本年度星级评定，不能使用专项资金`, en: `${c.code} has no star rating for the year` });
      continue;
    }
    const mine = serving(plan.projects, c.code).filter((p) => p.category === 'enhancement');
    const count = byTypes ? new Set(mine.map((p) => p.catalogueCode)).size : mine.length;
    if (count < tier.enhancementMin) {
      // [N 3.1.2(1)] Enhancement projects come only from the decided list: add the unused ones;
      // when the list is too short, the council must decide more projects.
      const short = tier.enhancementMin - count;
      const unused = (c.decision?.passedEnhancementIds ?? []).filter((id) => !used.has(id)).length;
      const decisionId = c.decision?.id ?? null;
      if (unused > 0) fixes.push(fixOf('add_decided', { communityCode: c.code, decisionId, count: Math.min(unused, short) }));
      if (unused < short) fixes.push(fixOf('reopen_decision', { communityCode: c.code, decisionId, count: short - unused }));
      failures.push({
        zh: `${who.zh(c)}${c.stars}星社区至少需 ${tier.enhancementMin} 个提升类${byTypes ? '类型' : '项目'}，现有 ${count} 个`,
        en: `${who.en(c)}a ${c.stars}-star community needs at least ${tier.enhancementMin} enhancement ${byTypes ? 'types' : 'projects'}, has ${count}`,
      });
    }
  }
  return result(
    'enhancement_minimum',
    failures,
    { zh: '各社区提升类项目数量均达到星级要求', en: 'Every community meets its enhancement minimum' },
    {
      zh: `补充提升类项目（5星/4星/3星社区分别至少 ${[5, 4, 3].map((s) => policy.tiers.find((t) => t.stars === s)?.enhancementMin ?? '-').join('/')} 个）`,
      en: 'Add enhancement projects up to the minimum of each star level',
    },
    undefined,
    fixes,
  );
}

/**
 * [N 1] / [N 2.3] The budget within the allocation (for an area, the sum of its communities'
 * allocations); in an area plan each project declares its members' shares and no member's shares
 * exceed its own allocation (ADR 0014).
 */
export function budgetWithinAllocationRule({ plan, communities }: ComplianceInput): ComplianceCheck {
  const area = plan.kind === 'area';
  const budget = plan.projects.reduce((s, p) => s + p.budgetFen, 0);
  const allocation = communities.reduce((s, c) => s + c.allocationFen, 0);
  const failures: Bilingual[] =
    budget > allocation
      ? [
          {
            zh: `预算合计 ${yuan(budget)} 超过${area ? '片区各社区下达资金之和' : '下达资金'} ${yuan(allocation)}，超出 ${yuan(budget - allocation)}`,
            en: `Budget ${yuan(budget)} exceeds the allocation ${yuan(allocation)} by ${yuan(budget - allocation)}`,
          },
        ]
      : [];
  if (area) {
    for (const p of plan.projects) {
      const sum = (p.shares ?? []).reduce((s, x) => s + x.shareFen, 0);
      if (sum !== p.budgetFen)
        failures.push({ zh: `"${p.title}"未申报各社区份额或份额合计不等于预算`, en: `"${p.title}" has no shares summing to its budget` });
    }
    const parts = memberBudgets(plan.projects);
    for (const c of communities) {
      const part = parts.get(c.code) ?? 0;
      if (part > c.allocationFen)
        failures.push({
          zh: `${c.name}：承担份额 ${yuan(part)} 超过其下达资金 ${yuan(c.allocationFen)}`,
          en: `${c.code}: shares ${yuan(part)} exceed its allocation ${yuan(c.allocationFen)}`,
        });
    }
  }
  return result(
    'budget_within_allocation',
    failures,
    {
      zh: `预算合计 ${yuan(budget)}，不超过下达资金 ${yuan(allocation)}`,
      en: `Budget ${yuan(budget)} within the allocation ${yuan(allocation)}`,
    },
    { zh: `压缩项目预算，合计不超过 ${yuan(allocation)}`, en: `Reduce budgets to at most ${yuan(allocation)} in all` },
    area ? '[N 2.3]' : '[N 1]',
    [fixOf('change_budget', { amountFen: Math.max(0, budget - allocation) })],
  );
}

/** [N 3.1.1(1)] The needs coverage of each member community's campaign of the year. */
export function needsCoverageRule({ plan, communities, policy }: ComplianceInput): ComplianceCheck {
  const who = whoOf(plan);
  const failures: Bilingual[] = [];
  for (const c of communities) {
    if (!c.coverage) failures.push({ zh: `${who.zh(c)}尚未开展本年度需求征集`, en: `${who.en(c)}no needs campaign for the year` });
    else if (!c.coverage.meets) {
      failures.push({
        zh: `${who.zh(c)}需求征集覆盖 ${c.coverage.reached}/${c.coverage.residentHouseholds} 户，未达到 ${policy.needsCoverage.numerator}/${policy.needsCoverage.denominator}（至少 ${c.coverage.required} 户）`,
        en: `${who.en(c)}needs coverage ${c.coverage.reached}/${c.coverage.residentHouseholds} below the threshold (${c.coverage.required} required)`,
      });
    }
  }
  return result(
    'needs_coverage',
    failures,
    { zh: '需求征集覆盖率达标', en: 'Needs coverage reached' },
    { zh: '继续征集居民需求，达到覆盖率后再提交', en: "Collect more households' needs until coverage is reached" },
    undefined,
    communities.filter((c) => !c.coverage?.meets).map((c) => fixOf('needs_campaign', { communityCode: c.code })),
  );
}

const DECISION_NOT_READY: Record<string, string> = {
  in_progress: '决策程序尚未完成',
  noticed: '决策公示尚未期满',
  suspended: '决策待重新表决（公示期间异议达到法定比例，或已重新提交议事会增补项目），须重新表决并公示期满',
  rejected: '议事会未通过任何项目',
};

/** [N 3.1.2(1)] The council decision taken and its notice closed without a pending objection. */
export function councilDecisionRule({ plan, communities }: ComplianceInput): ComplianceCheck {
  const who = whoOf(plan);
  const failures: Bilingual[] = [];
  for (const c of communities) {
    if (!c.decision) failures.push({ zh: `${who.zh(c)}尚无居民议事会决策`, en: `${who.en(c)}no council decision` });
    else if (c.decision.status !== 'ready_for_review')
      failures.push({
        zh: `${who.zh(c)}${DECISION_NOT_READY[c.decision.status] ?? c.decision.status}`,
        en: `${who.en(c)}decision is ${c.decision.status}`,
      });
  }
  return result(
    'council_decision',
    failures,
    { zh: '决策已作出，公示期满且无异议中止', en: 'Decision taken, notice closed without objection' },
    {
      zh: '完成议事会决策并待公示期满；异议达到比例的须重新表决并重新公示',
      en: 'Complete the decision and wait for the notice to close; retake it after objections',
    },
    undefined,
    communities
      .filter((c) => c.decision?.status !== 'ready_for_review')
      .map((c) => fixOf('complete_decision', { communityCode: c.code, decisionId: c.decision?.id ?? null })),
  );
}

/** [N 3.1.2(1)] Enhancement projects come from the decided (passed) list of a community they serve. */
export function decidedListRule({ plan, communities }: ComplianceInput): ComplianceCheck {
  const failures: Bilingual[] = [];
  for (const p of plan.projects) {
    if (p.category !== 'enhancement') continue;
    const decided =
      p.decisionProjectId !== null &&
      communities.some((c) => p.communityCodes.includes(c.code) && c.decision?.passedProjectIds.includes(p.decisionProjectId!));
    if (!decided) failures.push({ zh: `"${p.title}"不在议事会表决通过并公示的项目清单中`, en: `"${p.title}" is not on the decided list` });
  }
  return result(
    'decided_list',
    failures,
    { zh: '提升类项目均来自决策通过的清单', en: 'Enhancement projects come from the decided list' },
    { zh: '删除清单外的项目，或将其提交居民议事会表决', en: 'Remove projects not decided, or put them to the council' },
    undefined,
    [fixOf('edit_projects')],
  );
}

/** [L] 财政部令第102号 §10: no prohibited use (the negative list with synonyms), in title or content. */
export function prohibitedUsesRule({ plan, policy }: ComplianceInput): ComplianceCheck {
  const failures: Bilingual[] = [];
  for (const p of plan.projects) {
    for (const m of prohibitedMatches(`${p.title} ${p.content}`, policy.prohibitedUses)) {
      failures.push({
        zh: `"${p.title}"含负面清单用途"${m.label}"（关键词"${m.keyword}"）`,
        en: `"${p.title}" matches prohibited use ${m.code} (keyword "${m.keyword}")`,
      });
    }
  }
  return result(
    'prohibited_uses',
    failures,
    { zh: '未发现负面清单用途', en: 'No prohibited use found' },
    {
      zh: '删除或改写涉及人员工资奖金补贴、办公经费、工程建设、车辆通讯、债务、宴请礼品旅游等内容',
      en: 'Remove or rewrite the prohibited content',
    },
    undefined,
    [fixOf('edit_projects')],
  );
}

/** [N 4.1] No duplicate investment: same catalogue item with overlapping beneficiaries and content, or other government funding. */
export function duplicateInvestmentRule({ plan }: ComplianceInput): ComplianceCheck {
  const { projects } = plan;
  const failures: Bilingual[] = [];
  for (let i = 0; i < projects.length; i++) {
    for (let j = i + 1; j < projects.length; j++) {
      const a = projects[i]!;
      const b = projects[j]!;
      if (a.catalogueCode !== b.catalogueCode) continue;
      if (!a.communityCodes.some((c) => b.communityCodes.includes(c))) continue;
      if (contentOverlaps(a, b))
        failures.push({
          zh: `"${a.title}"与"${b.title}"为同一目录项目（${a.catalogueCode}）且服务对象、内容重叠`,
          en: `"${a.title}" and "${b.title}" overlap (${a.catalogueCode})`,
        });
    }
  }
  for (const p of projects) {
    for (const f of p.otherFunding) {
      if (f.government !== false)
        failures.push({
          zh: `"${p.title}"已由其他财政资金（${f.source}）安排 ${yuan(f.amountFen)}`,
          en: `"${p.title}" is already funded by ${f.source}`,
        });
    }
  }
  return result(
    'duplicate_investment',
    failures,
    { zh: '未发现重复投入', en: 'No duplicate investment' },
    { zh: '合并重叠的项目，或删除已由其他财政资金安排的项目', en: 'Merge overlapping projects, or drop those funded elsewhere' },
    undefined,
    [fixOf('edit_projects')],
  );
}

/** The compliance list, in the order users see it (the order of RULE_IDS). */
export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  basicProjectsRule,
  enhancementMinimumRule,
  budgetWithinAllocationRule,
  needsCoverageRule,
  councilDecisionRule,
  decidedListRule,
  prohibitedUsesRule,
  duplicateInvestmentRule,
];

/**
 * [N 2], [N 3.1], [N 4.1] Every rule of the spec for a plan, with pass/fail. `communities` are the
 * plan's member communities (one for a community plan) with their own figures for the fund year.
 */
export function checkPlan(plan: PlanInput, communities: CommunityContext[], policy: CompliancePolicy): ComplianceCheck[] {
  return COMPLIANCE_RULES.map((rule) => rule({ plan, communities, policy }));
}

/** [N 3.1.2(2)] The findings that refuse a submission (any failing rule). */
export const failing = (results: ComplianceCheck[]) => results.filter((r) => !r.passed);
