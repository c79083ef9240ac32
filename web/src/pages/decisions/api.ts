import { BODY_OPTION_LABELS, DECISION_STATUS_LABELS, labelOptions, NOTICE_STATUS_LABELS } from '../../api/labels';
import { api } from '../../api/client';

/** Shapes of the decisions API (server/src/modules/decisions/decisions.routes.ts). */

export interface NoticeProject {
  projectId: number;
  title: string;
  catalogueCode: string;
  category: string;
  estimatedBudgetFen: number;
  votesFor: number;
  votesAgainst: number;
  votesAbstain: number;
}

export interface NoticeCore {
  id: number;
  round: number;
  postedOn: string;
  windowEnd: string;
  /** The window end was computed through a year whose holiday notice is not entered (暂定). */
  windowEndProvisional: boolean;
  status: 'open' | 'suspended' | 'voided' | 'closed';
  daysLeft: number;
  projects: NoticeProject[];
  totalBudgetFen: number;
  representatives: number;
  objectorsNeeded: number;
  objectors: number;
  /** When and why the notice was suspended (e.g. a paper objection received in the window and entered after it). */
  suspendedAt?: string | null;
  suspendReason?: string | null;
}

export interface Objection {
  id: number;
  householdNo: string;
  representativeName: string;
  channel: string;
  reason: string | null;
  /** The day it was received; the threshold counts by it [N 3.1.2(1)]. */
  receivedOn: string;
  /** The day it was entered; after the window's end for a late-entered paper objection. */
  enteredOn: string;
  enteredLate: boolean;
  createdAt: string;
}

export interface StepRecord {
  id: number;
  seq: number;
  step: string;
  label: string;
  body: string | null;
  bodyLabel: string | null;
  heldOn: string;
  expectedAttendance: number;
  actualAttendance: number;
  outcome: string;
  minutes: string;
  attachments: { name: string; url: string | null }[];
  presentMembers: { householdNo: string; name: string }[] | null;
  votes: { projectId: number; for: number; against: number; abstain: number; passed: boolean }[];
}

export interface Decision {
  id: number;
  communityCode: string;
  communityName: string;
  fundYear: number;
  campaignId: number;
  procedure: 'major' | 'simplified';
  status: string;
  round: number;
  decidedOn: string | null;
  nextStep: string | null;
  steps: { step: string; label: string }[];
  masked: boolean;
  projects: { id: number; proposalId: number; rank: number; title: string; catalogueCode: string; category: string; estimatedBudgetFen: number; internalMatter: boolean; passed: boolean | null }[];
  records: StepRecord[];
  /** [N 3.1.2(1)] Paper objections received in the window may be entered until `until` (policy grace in working days). */
  paperEntry: { noticeId: number; until: string; provisional: boolean; open: boolean } | null;
  /** When and why the current notice was suspended; lateEntry when a late-entered paper objection reached the threshold. */
  suspension: { at: string; reason: string; lateEntry: boolean } | null;
  notices: (NoticeCore & { objections: Objection[]; paperEntryUntil: string | null; suspendedAt: string | null; suspendReason: string | null })[];
}

export interface DecisionSummary {
  id: number;
  communityCode: string;
  communityName: string;
  fundYear: number;
  procedure: string;
  status: string;
  round: number;
  decidedOn: string | null;
  notice: NoticeCore | null;
}

export interface PublicNotice extends NoticeCore {
  today: string;
  noticeDays: number;
  fundYear: number;
  procedure: string;
  communityCode: string;
  communityName: string;
  streetName: string;
  districtName: string;
  decision: { body: string; bodyLabel: string; heldOn: string; expectedAttendance: number; actualAttendance: number; revote: boolean };
  latestNoticeId: number;
}

export interface ObjectionResult {
  objectionId: number;
  objectors: number;
  objectorsNeeded: number;
  representatives: number;
  suspended: boolean;
}

export interface VoteInput {
  heldOn: string;
  body: string;
  presentMembers?: { householdNo: string; name: string }[];
  expectedAttendance?: number;
  actualAttendance?: number;
  votes: { projectId: number; for: number; against: number; abstain: number }[];
  minutes: string;
}

export interface RosterMember {
  householdId: number;
  householdNo: string;
  name: string;
  isRepresentative: boolean;
  isCouncilMember: boolean;
}

const STATUS_COLORS: Record<keyof typeof DECISION_STATUS_LABELS, string> = { in_progress: 'processing', noticed: 'blue', suspended: 'error', ready_for_review: 'success', rejected: 'default' };
const NOTICE_COLORS: Record<keyof typeof NOTICE_STATUS_LABELS, string> = { open: 'blue', suspended: 'error', voided: 'default', closed: 'success' };
const withColors = <K extends string>(labels: Readonly<Record<K, string>>, colors: Record<K, string>): Record<string, { text: string; color: string }> =>
  Object.fromEntries((Object.keys(labels) as K[]).map((k) => [k, { text: labels[k], color: colors[k] }]));
export const STATUS_LABELS = withColors(DECISION_STATUS_LABELS, STATUS_COLORS);
export const NOTICE_STATUS = withColors(NOTICE_STATUS_LABELS, NOTICE_COLORS);
export const BODY_OPTIONS = labelOptions(BODY_OPTION_LABELS);
export const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const decisionsApi = {
  list: (query: { status?: string; fundYear?: number }, signal?: AbortSignal) => api.get<{ total: number; items: DecisionSummary[] }>('/decisions', query, signal),
  get: (id: number, signal?: AbortSignal) => api.get<{ decision: Decision }>(`/decisions/${id}`, undefined, signal).then((r) => r.decision),
  create: (body: { campaignId: number; procedure: string; internalMatterProposalIds?: number[] }) => api.post<{ decision: Decision }>('/decisions', body).then((r) => r.decision),
  step: (id: number, body: Record<string, unknown>) => api.post<{ decision: Decision }>(`/decisions/${id}/steps`, body).then((r) => r.decision),
  vote: (id: number, body: VoteInput) => api.post<{ decision: Decision }>(`/decisions/${id}/vote`, body).then((r) => r.decision),
  revote: (id: number, body: VoteInput) => api.post<{ decision: Decision }>(`/decisions/${id}/revote`, body).then((r) => r.decision),
  paperObjection: (noticeId: number, body: { householdNo: string; representativeName: string; reason?: string; receivedOn?: string }) => api.post<ObjectionResult>(`/decisions/notices/${noticeId}/objections`, body),
  roster: (code: string, signal?: AbortSignal) => api.get<{ members: RosterMember[] }>(`/regions/${code}/roster`, undefined, signal),
  publicNotice: (id: number, signal?: AbortSignal) => api.get<PublicNotice>(`/public/decisions/notices/${id}`, undefined, signal),
  object: (id: number, body: { householdNo: string; headName: string; phoneLast4: string; representativeName?: string; reason?: string }) => api.post<ObjectionResult>(`/public/decisions/notices/${id}/objections`, body),
};
