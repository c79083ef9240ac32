import { labelOptions, PROCEDURE_TYPE_LABELS, PROVIDER_KIND_LABELS, REVIEW_REASON_LABELS } from '../../api/labels';
import { client, data } from '../../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../../api/paths';

/** Calls and types of the plans, review and to-do API, from the generated schema (server/src/modules/plans). */
export type PlanList = ApiResponse<'/api/plans', 'get'>;
export type PlanSummary = Item<PlanList['items']>;
export type Plan = ApiResponse<'/api/plans/{id}', 'get'>['plan'];
type ProjectView = Item<Plan['projects']>;
/** A project as the editor holds it: a new one has no id, catalogue name or category yet. */
export type PlanProject = Omit<ProjectView, 'id' | 'catalogueName' | 'category' | 'shares'> &
  Partial<Pick<ProjectView, 'id' | 'catalogueName' | 'category' | 'shares'>>;
export type OtherFunding = Item<PlanProject['otherFunding']>;
export type RuleResult = Item<Plan['compliance']['rules']>;
export type Bilingual = RuleResult['message'];
export type Reason = Item<PlanSummary['returnReasons']>;
export type ReturnRule = Item<NonNullable<ApiBody<'/api/plans/{id}/review', 'post'>['reasons']>>['rule'];
export type ReviewBody = ApiBody<'/api/plans/{id}/review', 'post'>;
export type FilingBody = ApiBody<'/api/plans/{id}/filing', 'post'>;
export type TodoItem = Item<ApiResponse<'/api/todo', 'get'>['items']>;
export type Message = Item<ApiResponse<'/api/messages', 'get'>['items']>;

export const STATUS_COLORS: Record<PlanSummary['status'], string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'error',
  approved: 'warning',
  filed: 'success',
};

export const PROVIDER_KINDS = labelOptions(PROVIDER_KIND_LABELS);

export const PROCEDURE_TYPES = labelOptions(PROCEDURE_TYPE_LABELS);

export const RULE_OPTIONS = labelOptions(REVIEW_REASON_LABELS);

const id = (value: number) => ({ path: { id: value } });

export const plansApi = {
  list: (query: Omit<ApiQuery<'/api/plans', 'get'>, 'limit'>, signal?: AbortSignal) =>
    data(client.GET('/api/plans', { params: { query: { ...query, limit: 500 } }, signal })),
  get: (planId: number, signal?: AbortSignal) => data(client.GET('/api/plans/{id}', { params: id(planId), signal })).then((r) => r.plan),
  create: (body: ApiBody<'/api/plans', 'post'>) => data(client.POST('/api/plans', { body })).then((r) => r.plan),
  /** The editor's projects (made by projectBody) carry the codes chosen from the server's label tables. */
  update: (planId: number, body: { title?: string; projects?: PlanProject[] }) =>
    data(client.PUT('/api/plans/{id}', { params: id(planId), body: body as ApiBody<'/api/plans/{id}', 'put'> })).then((r) => r.plan),
  submit: (planId: number) => data(client.POST('/api/plans/{id}/submit', { params: id(planId), body: {} })).then((r) => r.plan),
  review: (planId: number, body: ReviewBody) =>
    data(client.POST('/api/plans/{id}/review', { params: id(planId), body })).then((r) => r.plan),
  file: (planId: number, body: FilingBody) => data(client.POST('/api/plans/{id}/filing', { params: id(planId), body })).then((r) => r.plan),
  todo: (signal?: AbortSignal) => data(client.GET('/api/todo', { signal })),
  messages: (signal?: AbortSignal) => data(client.GET('/api/messages', { signal })),
  markRead: (keys?: string[]) => data(client.POST('/api/messages/read', { body: keys ? { keys } : {} })),
};

/** The body the editor sends back: only the fields the API accepts. */
export const projectBody = (p: PlanProject): PlanProject => ({
  decisionProjectId: p.decisionProjectId,
  title: p.title,
  content: p.content,
  catalogueCode: p.catalogueCode,
  budgetFen: p.budgetFen,
  communityCodes: p.communityCodes,
  // [N 2.3] A project serving several members keeps its declared shares; one member's share is its whole budget.
  ...(p.communityCodes.length > 1 && p.shares
    ? { shares: p.shares.map((s) => ({ communityCode: s.communityCode, shareFen: s.shareFen })) }
    : {}),
  providerKind: p.providerKind,
  otherFunding: p.otherFunding.map((f) => ({ source: f.source, amountFen: f.amountFen, government: f.government })),
  procedureType: p.procedureType,
});
