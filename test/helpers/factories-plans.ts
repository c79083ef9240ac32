import { expect } from 'vitest';
import { setToday, type TestContext } from './app.js';
import { councilDecides, openDecision, prepare, readyCommunity, type DraftProject, type ReadyCommunity } from './factories-decisions.js';

const BASIC: DraftProject[] = [
  { title: '社区社工室建设', catalogueCode: 'B1', estimatedBudgetFen: 1_000_000 },
  { title: '社区社会组织孵化', catalogueCode: 'B2', estimatedBudgetFen: 1_000_000 },
  { title: '居民骨干（能人、达人）培育', catalogueCode: 'B3', estimatedBudgetFen: 1_000_000 },
];
const ENHANCEMENT: DraftProject[] = [
  { title: '幸福餐桌老年助餐', catalogueCode: 'E5', estimatedBudgetFen: 2_000_000 },
  { title: '四点半课堂', catalogueCode: 'E6', estimatedBudgetFen: 1_500_000 },
  { title: '高龄独居老人探访', catalogueCode: 'E3', estimatedBudgetFen: 1_000_000 },
  { title: '志愿服务队培育', catalogueCode: 'E7', estimatedBudgetFen: 1_000_000 },
  { title: '楼院议事协商', catalogueCode: 'E1', estimatedBudgetFen: 800_000 },
  { title: '文明家庭评选', catalogueCode: 'E4', estimatedBudgetFen: 700_000 },
];

/** A draft list meeting a star level's minimums: the three basic projects and `enhancements` elective ones. */
export function compliantList(enhancements: number): DraftProject[] {
  return [...BASIC, ...ENHANCEMENT.slice(0, enhancements)];
}

/**
 * A community through needs and the council's decision on `heldOn` (every project passed,
 * notice posted at once). Advance the clock past the notice window to make it ready for review.
 */
export async function decidedCommunity(
  ctx: TestContext,
  code: string,
  heldOn: string,
  projects: DraftProject[],
): Promise<{ c: ReadyCommunity; windowEnd: string }> {
  setToday(ctx.app, heldOn);
  const c = await readyCommunity(ctx, code, { representatives: 5, council: 5, projects });
  const opened = await openDecision(c);
  await prepare(c, opened.id, heldOn);
  const decided = await councilDecides(c, opened, heldOn);
  return { c, windowEnd: decided.notices.at(-1)!.windowEnd };
}

export interface PlanBody {
  id: number;
  status: string;
  kind: string;
  round: number;
  filingLevel: string | null;
  reviewDueOn: string | null;
  workdaysLeft: number | null;
  overdue: boolean;
  returnStep: string | null;
  budgetFen: number;
  allocationFen: number;
  communities: { code: string; stars: number | null; allocationFen: number }[];
  projects: {
    id: number;
    decisionProjectId: number | null;
    title: string;
    content: string;
    catalogueCode: string;
    category: string;
    budgetFen: number;
    communityCodes: string[];
    providerKind: string;
    otherFunding: unknown[];
    procedureType: string;
  }[];
  compliance: { passed: boolean; rules: { rule: string; clause: string; passed: boolean; message: { zh: string }; fix: { zh: string } }[] };
  reviews: { stage: string; outcome: string; returnStep: string | null }[];
}

/** The plan's projects as an edit body (what the editor sends back). */
export function projectsBody(plan: PlanBody) {
  return plan.projects.map((p) => ({
    decisionProjectId: p.decisionProjectId,
    title: p.title,
    content: p.content,
    catalogueCode: p.catalogueCode,
    budgetFen: p.budgetFen,
    communityCodes: p.communityCodes,
    providerKind: p.providerKind,
    otherFunding: p.otherFunding,
    procedureType: p.procedureType,
  }));
}

export const failingRules = (plan: Pick<PlanBody, 'compliance'>) => plan.compliance.rules.filter((r) => !r.passed).map((r) => r.rule);

export async function createPlan(staff: ReadyCommunity['staff'], fundYear: number, communityCodes: string[]): Promise<PlanBody> {
  const res = await staff.post('/api/plans', { fundYear, communityCodes });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().plan;
}
