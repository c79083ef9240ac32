import { BODY_OPTION_LABELS, DECISION_STATUS_LABELS, labelOptions, NOTICE_STATUS_LABELS } from '../../api/labels';
import { client, data } from '../../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../../api/paths';

/** Calls and types of the decisions API, from the generated schema (server/src/modules/decisions). */
export type DecisionList = ApiResponse<'/api/decisions', 'get'>;
export type DecisionSummary = Item<DecisionList['items']>;
export type NoticeCore = NonNullable<DecisionSummary['notice']>;
export type NoticeProject = Item<NoticeCore['projects']>;
export type Decision = ApiResponse<'/api/decisions/{id}', 'get'>['decision'];
export type StepRecord = Item<Decision['records']>;
export type Objection = Item<Item<Decision['notices']>['objections']>;
export type PublicNotice = ApiResponse<'/api/public/decisions/notices/{id}', 'get'>;
export type ObjectionResult = ApiResponse<'/api/public/decisions/notices/{id}/objections', 'post'>;
export type VoteInput = ApiBody<'/api/decisions/{id}/vote', 'post'>;
export type DecisionStatus = NonNullable<ApiQuery<'/api/decisions', 'get'>['status']>;
export type Procedure = ApiBody<'/api/decisions', 'post'>['procedure'];
export type DecisionBody = VoteInput['body'];
export type StepInput = ApiBody<'/api/decisions/{id}/steps', 'post'>;
export type RosterMember = Item<ApiResponse<'/api/regions/{code}/roster', 'get'>['members']>;

const STATUS_COLORS: Record<keyof typeof DECISION_STATUS_LABELS, string> = {
  in_progress: 'processing',
  noticed: 'blue',
  suspended: 'error',
  ready_for_review: 'success',
  rejected: 'default',
};
const NOTICE_COLORS: Record<keyof typeof NOTICE_STATUS_LABELS, string> = {
  open: 'blue',
  suspended: 'error',
  voided: 'default',
  closed: 'success',
};
const withColors = <K extends string>(
  labels: Readonly<Record<K, string>>,
  colors: Record<K, string>,
): Record<string, { text: string; color: string }> =>
  Object.fromEntries((Object.keys(labels) as K[]).map((k) => [k, { text: labels[k], color: colors[k] }]));
export const STATUS_LABELS = withColors(DECISION_STATUS_LABELS, STATUS_COLORS);
export const NOTICE_STATUS = withColors(NOTICE_STATUS_LABELS, NOTICE_COLORS);
export const BODY_OPTIONS = labelOptions(BODY_OPTION_LABELS);

const id = (value: number) => ({ path: { id: value } });

export const decisionsApi = {
  list: (query: ApiQuery<'/api/decisions', 'get'>, signal?: AbortSignal) =>
    data(client.GET('/api/decisions', { params: { query }, signal })),
  get: (decisionId: number, signal?: AbortSignal) =>
    data(client.GET('/api/decisions/{id}', { params: id(decisionId), signal })).then((r) => r.decision),
  create: (body: ApiBody<'/api/decisions', 'post'>) => data(client.POST('/api/decisions', { body })).then((r) => r.decision),
  step: (decisionId: number, body: ApiBody<'/api/decisions/{id}/steps', 'post'>) =>
    data(client.POST('/api/decisions/{id}/steps', { params: id(decisionId), body })).then((r) => r.decision),
  vote: (decisionId: number, body: VoteInput) =>
    data(client.POST('/api/decisions/{id}/vote', { params: id(decisionId), body })).then((r) => r.decision),
  revote: (decisionId: number, body: VoteInput) =>
    data(client.POST('/api/decisions/{id}/revote', { params: id(decisionId), body })).then((r) => r.decision),
  /** [N 3.1.2(1)] Put a concluded decision back to the council for more projects (issue 19). */
  reopen: (decisionId: number, reason: string) =>
    data(client.POST('/api/decisions/{id}/reopen', { params: id(decisionId), body: { reason } })).then((r) => r.decision),
  paperObjection: (noticeId: number, body: ApiBody<'/api/decisions/notices/{id}/objections', 'post'>) =>
    data(client.POST('/api/decisions/notices/{id}/objections', { params: id(noticeId), body })),
  /** The roster in office on the meeting day [N 3.1.2(1)]. */
  roster: (code: string, on: string | undefined, signal?: AbortSignal) =>
    data(client.GET('/api/regions/{code}/roster', { params: { path: { code }, query: { on } }, signal })),
  publicNotice: (noticeId: number, signal?: AbortSignal) =>
    data(client.GET('/api/public/decisions/notices/{id}', { params: id(noticeId), signal })),
  object: (noticeId: number, body: ApiBody<'/api/public/decisions/notices/{id}/objections', 'post'>) =>
    data(client.POST('/api/public/decisions/notices/{id}/objections', { params: id(noticeId), body })),
};
