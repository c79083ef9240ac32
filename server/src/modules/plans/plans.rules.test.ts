import { describe, expect, it } from 'vitest';
import { policy2023 } from '../../seed/policy-2023.js';
import {
  areaProcedureVerdict,
  checkPlan,
  contentOverlaps,
  draftFigures,
  memberProcedure,
  sharesOf,
  filingLevelOf,
  prohibitedMatches,
  returnStepOf,
  RULE_IDS,
  type CommunityContext,
  type PlanInput,
  type PlanProjectInput,
  type RuleId,
} from './plans.rules.js';

const policy = policy2023;

const community = (code: string, stars: number | null, extra: Partial<CommunityContext> = {}): CommunityContext => ({
  code,
  name: `社区${code}`,
  stars,
  allocationFen: stars === 5 ? 20_000_000 : stars === 4 ? 10_000_000 : stars === 3 ? 5_000_000 : 0,
  coverage: { meets: true, reached: 40, required: 30, residentHouseholds: 100 },
  decision: { status: 'ready_for_review', passedProjectIds: [101, 102, 103, 104, 105, 106, 107, 108, 109, 110] },
  ...extra,
});

let nextId = 101;
const project = (catalogueCode: string, title: string, codes: string[], extra: Partial<PlanProjectInput> = {}): PlanProjectInput => ({
  title,
  content: '',
  catalogueCode,
  category: catalogueCode.startsWith('B') ? 'basic' : 'enhancement',
  budgetFen: 500_000,
  communityCodes: codes,
  otherFunding: [],
  decisionProjectId: catalogueCode.startsWith('B') ? null : nextId++,
  // Even shares of the budget, the first community taking the remainder.
  shares: codes.map((c, i) => ({
    communityCode: c,
    shareFen: Math.floor((extra.budgetFen ?? 500_000) / codes.length) + (i === 0 ? (extra.budgetFen ?? 500_000) % codes.length : 0),
  })),
  ...extra,
});

const ENH_TITLES = [
  '老年助餐服务',
  '四点半课堂',
  '高龄老人探访',
  '楼院议事协商',
  '志愿服务队培育',
  '文明家庭评选',
  '社工专业能力提升',
  '居民公约修订',
];
const ENH_CODES = ['E5', 'E6', 'E3', 'E1', 'E7', 'E4', 'E8', 'E2'];

/** A compliant plan for one community at `stars` (enhancement minimum exactly met). */
function compliant(code: string, stars: number): PlanProjectInput[] {
  nextId = 101;
  const min = policy.tiers.find((t) => t.stars === stars)!.enhancementMin;
  return [
    project('B1', '社区社工室建设', [code]),
    project('B2', '社区社会组织孵化', [code]),
    project('B3', '居民骨干培育', [code]),
    ...ENH_TITLES.slice(0, min).map((t, i) => project(ENH_CODES[i]!, t, [code])),
  ];
}

const failed = (plan: PlanInput, communities: CommunityContext[]) =>
  checkPlan(plan, communities, policy)
    .filter((r) => !r.passed)
    .map((r) => r.rule);

describe('checkPlan — every rule listed, each failing alone', () => {
  const c4 = community('210102001001', 4);
  const base = (): PlanInput => ({ kind: 'community', projects: compliant(c4.code, 4) });

  it('lists every rule with its clause, and all pass for a compliant plan', () => {
    const results = checkPlan(base(), [c4], policy);
    expect(results.map((r) => r.rule)).toEqual(RULE_IDS);
    expect(results.every((r) => r.passed)).toBe(true);
    expect(results.every((r) => /^\[(N|L)/.test(r.clause))).toBe(true);
    expect(results.find((r) => r.rule === 'budget_within_allocation')!.clause).toBe('[N 1]');
  });

  const cases: [RuleId, string, () => { plan: PlanInput; communities: CommunityContext[] }][] = [
    [
      'basic_projects',
      'B2',
      () => ({ plan: { kind: 'community', projects: base().projects.filter((p) => p.catalogueCode !== 'B2') }, communities: [c4] }),
    ],
    ['enhancement_minimum', '至少需 4', () => ({ plan: { kind: 'community', projects: base().projects.slice(0, -1) }, communities: [c4] })],
    [
      'budget_within_allocation',
      '超过下达资金',
      () => ({
        plan: { kind: 'community', projects: base().projects.map((p, i) => (i === 0 ? { ...p, budgetFen: 9_000_000 } : p)) },
        communities: [c4],
      }),
    ],
    [
      'needs_coverage',
      '未达到 30/100',
      () => ({ plan: base(), communities: [{ ...c4, coverage: { meets: false, reached: 20, required: 30, residentHouseholds: 100 } }] }),
    ],
    [
      'council_decision',
      '异议',
      () => ({
        plan: base(),
        communities: [{ ...c4, decision: { status: 'suspended', passedProjectIds: c4.decision!.passedProjectIds } }],
      }),
    ],
    [
      'decided_list',
      '不在议事会表决通过',
      () => ({
        plan: { kind: 'community', projects: base().projects.map((p, i) => (i === 3 ? { ...p, decisionProjectId: 999 } : p)) },
        communities: [c4],
      }),
    ],
    [
      'prohibited_uses',
      '津贴',
      () => ({
        plan: { kind: 'community', projects: base().projects.map((p, i) => (i === 3 ? { ...p, content: '发放社工节日津贴' } : p)) },
        communities: [c4],
      }),
    ],
    [
      'duplicate_investment',
      '重叠',
      () => ({
        plan: { kind: 'community', projects: [...base().projects, { ...base().projects[3]!, title: '老年助餐服务（二期）' }] },
        communities: [c4],
      }),
    ],
  ];

  for (const [rule, text, build] of cases) {
    it(`${rule} fails alone, saying what to change`, () => {
      const { plan, communities } = build();
      const results = checkPlan(plan, communities, policy);
      expect(results.filter((r) => !r.passed).map((r) => r.rule)).toEqual([rule]);
      const r = results.find((x) => x.rule === rule)!;
      expect(r.message.zh).toContain(text);
      expect(r.fix.zh.length).toBeGreaterThan(0);
    });
  }

  it('flags funding already declared from another government source, not charity money', () => {
    const projects = base().projects.map((p, i) =>
      i === 4 ? { ...p, otherFunding: [{ source: '区财政养老服务专项', amountFen: 100_000 }] } : p,
    );
    expect(failed({ kind: 'community', projects }, [c4])).toEqual(['duplicate_investment']);
    const charity = base().projects.map((p, i) =>
      i === 4 ? { ...p, otherFunding: [{ source: '慈善基金会', amountFen: 100_000, government: false }] } : p,
    );
    expect(failed({ kind: 'community', projects: charity }, [c4])).toEqual([]);
  });

  it('counts distinct types when the policy says so', () => {
    const projects = [...base().projects.slice(0, 6), project('E5', '社区食堂配餐', [c4.code]), project('E5', '老年大学课程', [c4.code])];
    expect(failed({ kind: 'community', projects }, [c4])).toEqual([]);
    const byTypes = checkPlan({ kind: 'community', projects }, [c4], { ...policy, enhancementMinCounts: 'types' });
    expect(byTypes.filter((r) => !r.passed).map((r) => r.rule)).toEqual(['enhancement_minimum']);
  });

  it('an unrated community fails the minimum and has no allocation', () => {
    expect(failed(base(), [{ ...c4, stars: null, allocationFen: 0 }])).toEqual(['enhancement_minimum', 'budget_within_allocation']);
  });
});

describe('area plans mixing star levels [N 2.3]', () => {
  const c5 = community('210102001001', 5);
  const c3 = community('210102001002', 3);

  it("checks each member community's own minimums and the sum of allocations", () => {
    const projects = [
      ...compliant(c5.code, 5),
      ...compliant(c3.code, 3).map((p) => ({ ...p, decisionProjectId: p.decisionProjectId && p.decisionProjectId + 50 })),
    ];
    const c3d = { ...c3, decision: { status: 'ready_for_review', passedProjectIds: [151] } };
    const plan: PlanInput = { kind: 'area', projects };
    expect(failed(plan, [c5, c3d])).toEqual([]);
    // The 3★ community's one enhancement project serving only the 5★ community: the 3★ minimum fails, naming it.
    const moved = projects.map((p) => (p.decisionProjectId === 151 ? { ...p, communityCodes: [c5.code] } : p));
    const results = checkPlan({ kind: 'area', projects: moved }, [c5, c3d], policy);
    const min = results.find((r) => r.rule === 'enhancement_minimum')!;
    expect(min.passed).toBe(false);
    expect(min.message.zh).toContain('社区210102001002');
    expect(min.message.zh).toContain('3星社区至少需 1 个');
    // Budget: 25,000,000 in all is over ¥200,000 + ¥50,000.
    const over = projects.map((p, i) => (i === 0 ? { ...p, budgetFen: 25_000_000 } : p));
    const budget = checkPlan({ kind: 'area', projects: over }, [c5, c3d], policy).find((r) => r.rule === 'budget_within_allocation')!;
    expect(budget.passed).toBe(false);
    expect(budget.clause).toBe('[N 2.3]');
    expect(budget.message.zh).toContain('¥250,000.00');
  });

  it('a project serving both communities counts for each', () => {
    const shared = project('E7', '片区志愿者联合培育', [c5.code, c3.code], { decisionProjectId: 101 });
    const projects = [...compliant(c5.code, 5), ...compliant(c3.code, 3).filter((p) => p.category === 'basic'), shared];
    const c3d = { ...c3, decision: { status: 'ready_for_review', passedProjectIds: [] } };
    expect(failed({ kind: 'area', projects }, [c5, c3d])).toEqual([]);
  });

  it('routes a plan with a 5★ community to the city bureau', () => {
    expect(filingLevelOf([5, 3])).toBe('city');
    expect(filingLevelOf([4, 3, null])).toBe('district');
  });
});

describe('helpers', () => {
  it('matches prohibited keywords and their synonyms, ignoring spacing and punctuation', () => {
    const list = policy.prohibitedUses;
    expect(prohibitedMatches('为社工发放 奖 金', list).map((m) => m.code)).toEqual(['P1']);
    expect(prohibitedMatches('节日补贴', list).map((m) => m.code)).toEqual(['P1']);
    expect(prohibitedMatches('组织居民外出旅游', list).map((m) => m.code)).toEqual(['P6']);
    expect(prohibitedMatches('四点半课堂', list)).toEqual([]);
  });

  it('sees content overlap by containment or shared bigrams, not by the catalogue item alone', () => {
    expect(contentOverlaps({ title: '老年助餐', content: '' }, { title: '老年助餐服务二期', content: '' })).toBe(true);
    expect(contentOverlaps({ title: '高龄老人探访', content: '' }, { title: '老年大学课程', content: '' })).toBe(false);
  });

  it('returns to the most upstream step among failing rules', () => {
    expect(returnStepOf(['basic_projects'])).toBe('plan');
    expect(returnStepOf(['basic_projects', 'council_decision'])).toBe('decision');
    expect(returnStepOf(['council_decision', 'needs_coverage'])).toBe('needs');
  });
});

describe('area plans end to end [N 2.3] (ADR 0014)', () => {
  const c5 = community('210102001001', 5);
  const c4 = community('210102001002', 4);
  const c3 = community('210102001003', 3);

  it('a draft shows its filing route and ceiling at once: the city with a 5★ member, else the district', () => {
    expect(draftFigures([c5, c3])).toEqual({ filingRoute: 'city', filingRouteLabel: '市民政局', ceilingFen: 25_000_000 });
    expect(draftFigures([c4, c3])).toMatchObject({ filingRoute: 'district', ceilingFen: 15_000_000 });
  });

  it("shows each member's coverage against the threshold and its decision, and names the members that miss one", () => {
    const low = { ...c4, coverage: { meets: false, reached: 25, required: 30, residentHouseholds: 100 } };
    const none = { ...c3, coverage: null, decision: null };
    const members = [c5, low, none].map((c) => memberProcedure(c, policy));
    expect(members[0]).toMatchObject({ coveragePermille: 400, thresholdPermille: 300, missing: [] });
    expect(members[1]).toMatchObject({ coveragePermille: 250, coverageMeets: false, decisionMeets: true, missing: ['needs'] });
    expect(members[2]).toMatchObject({ coveragePermille: null, decisionStatus: null, missing: ['needs', 'decision'] });
    const verdict = areaProcedureVerdict(members);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.code).toBe('AREA_MEMBER_PROCEDURE');
    expect(verdict.clause).toBe('[N 2.3]');
    expect(verdict.zh).toContain('社区210102001002（需求征集覆盖率未达标）');
    expect(verdict.zh).toContain('社区210102001003（需求征集覆盖率未达标、议事会决策未完成或公示未期满）');
    expect(verdict.zh).not.toContain('社区210102001001');
    expect(verdict.en).toContain('210102001003 (needs coverage below the threshold, no closed council decision)');
    expect(areaProcedureVerdict([c5, c4].map((c) => memberProcedure(c, policy))).ok).toBe(true);
  });

  it("takes members' shares in fen summing to the budget, one per served community", () => {
    const codes = [c5.code, c3.code];
    expect(sharesOf(1000, [c5.code], undefined)).toEqual({ ok: true, shares: [{ communityCode: c5.code, shareFen: 1000 }] });
    expect(sharesOf(1000, codes, undefined).ok).toBe(false);
    const ok = sharesOf(1000, codes, [
      { communityCode: c3.code, shareFen: 300 },
      { communityCode: c5.code, shareFen: 700 },
    ]);
    expect(ok).toEqual({
      ok: true,
      shares: [
        { communityCode: c5.code, shareFen: 700 },
        { communityCode: c3.code, shareFen: 300 },
      ],
    });
    const short = sharesOf(1000, codes, [
      { communityCode: c5.code, shareFen: 700 },
      { communityCode: c3.code, shareFen: 200 },
    ]);
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.zh).toContain('应等于项目预算');
    expect(sharesOf(1000, codes, [{ communityCode: c5.code, shareFen: 1000 }]).ok).toBe(false);
    expect(sharesOf(1000, [c5.code], [{ communityCode: c4.code, shareFen: 1000 }]).ok).toBe(false);
  });

  it("fails the budget rule when a member's shares exceed its own allocation, though the sum fits", () => {
    const shared = project('E7', '片区志愿者联合培育', [c5.code, c3.code], {
      decisionProjectId: 101,
      budgetFen: 6_000_000,
      shares: [
        { communityCode: c5.code, shareFen: 500_000 },
        { communityCode: c3.code, shareFen: 5_500_000 },
      ],
    });
    const projects = [...compliant(c5.code, 5), ...compliant(c3.code, 3).filter((p) => p.category === 'basic'), shared];
    const c3d = { ...c3, decision: { status: 'ready_for_review', passedProjectIds: [] } };
    const budget = checkPlan({ kind: 'area', projects }, [c5, c3d], policy).find((r) => r.rule === 'budget_within_allocation')!;
    expect(budget.passed).toBe(false);
    expect(budget.message.zh).toContain('社区210102001003：承担份额');
  });
});
