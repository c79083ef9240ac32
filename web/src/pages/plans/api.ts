import { labelOptions, PROCEDURE_TYPE_LABELS, PROVIDER_KIND_LABELS } from '../../api/labels';
import { api } from '../../api/client';

/** Shapes of the plans, review and to-do API (server/src/modules/plans/plans.routes.ts). */

export interface Bilingual {
  zh: string;
  en: string;
}

export interface RuleResult {
  rule: string;
  label: string;
  clause: string;
  passed: boolean;
  message: Bilingual;
  fix: Bilingual;
}

export interface Reason {
  rule: string;
  clause: string;
  note: string;
}

export interface PlanSummary {
  id: number;
  fundYear: number;
  kind: 'community' | 'area';
  title: string;
  communityCode: string | null;
  streetName: string;
  districtName: string;
  communityNames: string[];
  status: 'draft' | 'submitted' | 'returned' | 'approved' | 'filed';
  statusLabel: string;
  filingLevel: 'district' | 'city' | null;
  round: number;
  submittedOn: string | null;
  reviewDueOn: string | null;
  /** The review due date was computed through a year whose holiday notice is not entered (暂定). */
  reviewDueProvisional: boolean;
  approvedOn: string | null;
  filedOn: string | null;
  returnedOn: string | null;
  returnStep: string | null;
  returnStepLabel: string | null;
  returnReasons: Reason[];
  workdaysLeft: number | null;
  overdue: boolean;
  budgetFen: number;
}

export interface OtherFunding {
  source: string;
  amountFen: number;
  government: boolean;
}

export interface PlanProject {
  id?: number;
  decisionProjectId: number | null;
  title: string;
  content: string;
  catalogueCode: string;
  catalogueName?: string;
  category?: string;
  budgetFen: number;
  communityCodes: string[];
  providerKind: string;
  otherFunding: OtherFunding[];
  procedureType: string;
}

export interface Plan extends PlanSummary {
  allocationFen: number;
  communities: { code: string; name: string; stars: number | null; allocationFen: number; decisionStatus: string | null; coverageMeets: boolean }[];
  projects: PlanProject[];
  compliance: { passed: boolean; rules: RuleResult[] };
  decidedProjects: { decisionProjectId: number; communityCode: string; title: string; catalogueCode: string; category: string; estimatedBudgetFen: number }[];
  reviews: { id: number; round: number; stage: string; outcome: string; decidedOn: string; returnStep: string | null; reasons: Reason[]; comment: string }[];
}

export interface TodoItem {
  key: string;
  kind: string;
  title: string;
  detail: string;
  regionName: string;
  dueOn: string | null;
  workdaysLeft: number | null;
  overdue: boolean;
  link: string;
  /** The due date or working days left were computed through a provisional calendar year (暂定). */
  provisional?: boolean;
}

export interface Message {
  key: string;
  kind: string;
  title: string;
  body: string;
  on: string;
  link: string;
  read: boolean;
}

export const STATUS_COLORS: Record<PlanSummary['status'], string> = { draft: 'default', submitted: 'processing', returned: 'error', approved: 'warning', filed: 'success' };

export const PROVIDER_KINDS = labelOptions(PROVIDER_KIND_LABELS);

export const PROCEDURE_TYPES = labelOptions(PROCEDURE_TYPE_LABELS);

export const RULE_OPTIONS = [
  { value: 'basic_projects', label: '基础类项目 [N 2.1.1]' },
  { value: 'enhancement_minimum', label: '提升类项目数量 [N 2.1.2]' },
  { value: 'budget_within_allocation', label: '预算与下达资金 [N 2.3]' },
  { value: 'needs_coverage', label: '需求征集覆盖率 [N 3.1.1(1)]' },
  { value: 'council_decision', label: '议事会决策与公示 [N 3.1.2(1)]' },
  { value: 'decided_list', label: '决策清单 [N 3.1.2(1)]' },
  { value: 'prohibited_uses', label: '负面清单 [L]' },
  { value: 'duplicate_investment', label: '重复投入 [N 4.1]' },
  { value: 'other', label: '其他（程序合法性）' },
];

export const plansApi = {
  list: (query: { stage?: string; status?: string; fundYear?: number }, signal?: AbortSignal) => api.get<{ total: number; items: PlanSummary[] }>('/plans', { ...query, limit: 500 }, signal),
  get: (id: number, signal?: AbortSignal) => api.get<{ plan: Plan }>(`/plans/${id}`, undefined, signal).then((r) => r.plan),
  create: (body: { fundYear: number; communityCodes: string[]; title?: string }) => api.post<{ plan: Plan }>('/plans', body).then((r) => r.plan),
  update: (id: number, body: { title?: string; projects?: PlanProject[] }) => api.put<{ plan: Plan }>(`/plans/${id}`, body).then((r) => r.plan),
  submit: (id: number) => api.post<{ plan: Plan }>(`/plans/${id}/submit`).then((r) => r.plan),
  review: (id: number, body: { outcome: 'approve' | 'return'; reasons?: { rule: string; note: string }[]; comment?: string }) => api.post<{ plan: Plan }>(`/plans/${id}/review`, body).then((r) => r.plan),
  file: (id: number, body: { outcome: 'file' | 'return'; reasons?: { rule: string; note: string }[]; comment?: string }) => api.post<{ plan: Plan }>(`/plans/${id}/filing`, body).then((r) => r.plan),
  todo: (signal?: AbortSignal) => api.get<{ today: string; items: TodoItem[] }>('/todo', undefined, signal),
  messages: (signal?: AbortSignal) => api.get<{ unread: number; items: Message[] }>('/messages', undefined, signal),
  markRead: (keys?: string[]) => api.post<{ unread: number; items: Message[] }>('/messages/read', keys ? { keys } : {}),
};

/** The body the editor sends back: only the fields the API accepts. */
export const projectBody = (p: PlanProject): PlanProject => ({
  decisionProjectId: p.decisionProjectId, title: p.title, content: p.content, catalogueCode: p.catalogueCode, budgetFen: p.budgetFen,
  communityCodes: p.communityCodes, providerKind: p.providerKind, otherFunding: p.otherFunding.map((f) => ({ source: f.source, amountFen: f.amountFen, government: f.government })), procedureType: p.procedureType,
});
