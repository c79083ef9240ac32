import { expect } from 'vitest';
import type { App } from '../../server/src/app.js';
import { AuthService } from '../../server/src/modules/auth/auth.service.js';
import { creditCodeCheckChar } from '../../server/src/modules/procurement/procurement.rules.js';
import type { EvaluationOutcome } from '../../server/src/modules/procurement/procurement.rules.js';
import { DEMO_PASSWORD, loginAs, setToday, type TestContext } from './app.js';
import { streetOf, type Client } from './factories-needs.js';
import { compliantList, createPlan, decidedCommunity } from './factories-plans.js';

/** Evaluation results, per contract id, in place of the evaluation module's (a stub of its outcomes, which the payment conditions read). */
export function setEvaluations(app: App, byContract: Record<number, { midterm?: EvaluationOutcome; final?: EvaluationOutcome }>) {
  app.services.evaluation.outcomes = async (_db, c) => ({
    midterm: byContract[c.id]?.midterm ?? null,
    final: byContract[c.id]?.final ?? null,
  });
}

/** A valid unified social credit code from a 17-character stem. */
export function creditCode(stem: string): string {
  return `${stem}${creditCodeCheckChar(stem)}`;
}

export interface FiledPlan {
  code: string;
  staff: Client;
  street: Client;
  planId: number;
  projects: { id: number; title: string; budgetFen: number }[];
}

/**
 * A community of fund year 2026 through needs, the council's decision, a plan, the street's
 * review and the district's filing (all through the API), with `enhancements` elective projects.
 * Leaves the app on 2026-10-08 (the day the plan was submitted).
 */
export async function filedPlan(ctx: TestContext, code: string, enhancements = 4): Promise<FiledPlan> {
  const { c } = await decidedCommunity(ctx, code, '2026-09-10', compliantList(enhancements));
  setToday(ctx.app, '2026-09-15');
  const plan = await createPlan(c.staff, 2026, [code]);
  setToday(ctx.app, '2026-10-08');
  const submitted = await c.staff.post(`/api/plans/${plan.id}/submit`);
  expect(submitted.statusCode, submitted.body).toBe(200);
  const street = await loginAs(ctx.app, streetOf(code));
  const reviewed = await street.post(`/api/plans/${plan.id}/review`, { outcome: 'approve' });
  expect(reviewed.statusCode, reviewed.body).toBe(200);
  const filingLevel = reviewed.json().plan.filingLevel as string;
  const filer = await loginAs(ctx.app, filingLevel === 'city' ? 'city' : `district-${code.slice(0, 6)}`);
  const filed = await filer.post(`/api/plans/${plan.id}/filing`, { outcome: 'file' });
  expect(filed.statusCode, filed.body).toBe(200);
  expect(filed.json().plan.status).toBe('filed');
  const projects = (filed.json().plan.projects as { id: number; title: string; budgetFen: number }[]).map((p) => ({
    id: p.id,
    title: p.title,
    budgetFen: p.budgetFen,
  }));
  return { code, staff: c.staff, street, planId: plan.id, projects };
}

/** Registers a provider as the city bureau and gives it a login `username`. */
export async function registerProvider(ctx: TestContext, input: { name: string; stem: string; kind?: string; username?: string }) {
  const city = await loginAs(ctx.app, 'city');
  const res = await city.post('/api/providers', {
    name: input.name,
    kind: input.kind ?? 'social_organisation',
    creditCode: creditCode(input.stem),
    registrationAuthority: '沈阳市民政局',
    contacts: [{ name: '王主任', phone: '024-23456789' }],
    qualifications: [{ name: '社会工作服务机构', issuer: '沈阳市民政局' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  const provider = res.json() as { id: number; name: string; creditCode: string };
  let client: Client | null = null;
  if (input.username) {
    await ctx.app.services.auth.insertUsers([
      {
        username: input.username,
        displayName: input.name,
        role: 'provider',
        scopeCode: null,
        orgId: provider.id,
        passwordHash: await AuthService.hashPassword(DEMO_PASSWORD),
      },
    ]);
    client = await loginAs(ctx.app, input.username);
  }
  return { provider, client };
}

/** Records a procurement of `projectIds` by the community, choosing `providerId`. */
export async function procure(staff: Client, code: string, projectIds: number[], providerId: number, method = 'competitive_consultation') {
  const res = await staff.post('/api/procurements', {
    fundYear: 2026,
    purchaserCode: code,
    method,
    projectIds,
    candidates: [{ providerId, name: '候选机构', quoteFen: 100 }],
    selectedProviderId: providerId,
    selectionReason: '综合评分第一',
    decidedOn: '2026-10-20',
    documents: [{ name: '磋商文件', kind: 'tender' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; budgetFen: number };
}

export interface ContractBody {
  id: number;
  ref: string;
  status: string;
  amountFen: number;
  instalments: {
    id: number;
    seq: number;
    condition: string;
    amountFen: number;
    status: string;
    conditionMet: boolean | null;
    conditionNote: string | null;
    transferId: string | null;
  }[];
  ledger: {
    paidFen: number;
    outstandingFen: number;
    releasedFen: number;
    community: { availableFen: number; committedFen: number; paidFen: number; allocatedFen: number } | null;
  };
}

/** Drafts a contract for a procurement with the given instalments. */
export async function draftContract(
  staff: Client,
  procurementId: number,
  code: string,
  amountFen: number,
  instalments: { condition: string; amountFen: number; dueOn?: string }[],
  projectIds?: number[],
) {
  const res = await staff.post('/api/contracts', {
    procurementId,
    communityCode: code,
    title: '社区服务项目购买合同',
    amountFen,
    startsOn: '2026-10-20',
    endsOn: '2026-12-31',
    deliverables: ['开展活动 12 场', '服务台账'],
    instalments,
    ...(projectIds ? { projectIds } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ContractBody;
}
