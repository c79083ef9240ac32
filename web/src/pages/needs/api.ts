import { api } from '../../api/client';

/** Shapes of the needs API (server/src/modules/needs/needs.routes.ts). */

export { CHANNELS } from '../../api/labels';
import { CHANNELS } from '../../api/labels';
export const channelLabel = (code: string) => CHANNELS.find((c) => c.code === code)?.label ?? code;

export interface Coverage {
  reached: number;
  residentHouseholds: number;
  basisPoints: number;
  threshold: { numerator: number; denominator: number };
  required: number;
  meets: boolean;
}

export interface CampaignSummary {
  id: number;
  communityCode: string;
  communityName: string;
  fundYear: number;
  title: string;
  opensOn: string;
  closesOn: string;
  status: string;
  coverage: Coverage;
}

export interface Campaign extends Omit<CampaignSummary, 'coverage'> {
  channels: string[];
  questionnaire: { itemCodes: string[]; freeText: boolean; prompt: string | null; items: { code: string; name: string }[] };
  allowChanges: boolean;
  acceptingOnline: boolean;
  concludedAt: string | null;
  readyAt: string | null;
  coverage: Coverage;
  byChannel: { channel: string; label: string; households: number }[];
  tally: { code: string; name: string; households: number }[];
}

export interface Opinion {
  id: number;
  householdNo: string;
  address: string;
  headName: string;
  channel: string;
  choices: string[];
  freeText: string | null;
  enteredBy: string;
  revision: number;
  updatedAt: string;
}

export interface Proposal {
  id: number;
  title: string;
  description: string | null;
  catalogueCode: string | null;
  catalogueName: string | null;
  estimatedBudgetFen: number | null;
  source: string;
  status: string;
  rank: number | null;
  mergedIntoId: number | null;
  screenReason: string | null;
  householdCount: number;
  opinionIds: number[];
}

export interface DraftList {
  campaignId: number;
  status: string;
  ready: boolean;
  totalBudgetFen: number;
  items: Proposal[];
}

export interface PublicCampaign {
  id: number;
  title: string;
  fundYear: number;
  communityName: string;
  districtName: string;
  streetName: string;
  opensOn: string;
  closesOn: string;
  channels: { code: string; label: string }[];
  allowChanges: boolean;
  status: string;
  acceptingOnline: boolean;
  questionnaire: { items: { code: string; name: string; examples: string[] }[]; freeText: boolean; prompt: string | null };
  coverage: { reached: number; residentHouseholds: number; basisPoints: number; threshold: { numerator: number; denominator: number } };
}

export interface SubmitResult {
  opinionId: number;
  householdNo: string;
  replaced: boolean;
  revision: number;
}

export const needsApi = {
  publicCampaign: (id: number, signal?: AbortSignal) => api.get<PublicCampaign>(`/public/needs/campaigns/${id}`, undefined, signal),
  submit: (id: number, body: Record<string, unknown>) => api.post<SubmitResult>(`/public/needs/campaigns/${id}/submissions`, body),
  campaigns: (signal?: AbortSignal) => api.get<{ total: number; items: CampaignSummary[] }>('/needs/campaigns', { limit: 200 }, signal),
  campaign: (id: number, signal?: AbortSignal) => api.get<{ campaign: Campaign }>(`/needs/campaigns/${id}`, undefined, signal),
  create: (body: Record<string, unknown>) => api.post<{ campaign: Campaign }>('/needs/campaigns', body),
  conclude: (id: number) => api.post<{ campaign: Campaign }>(`/needs/campaigns/${id}/conclude`),
  opinions: (id: number, offset: number, signal?: AbortSignal) => api.get<{ total: number; masked: boolean; items: Opinion[] }>(`/needs/campaigns/${id}/opinions`, { limit: 20, offset }, signal),
  enter: (id: number, body: Record<string, unknown>) => api.post<SubmitResult>(`/needs/campaigns/${id}/opinions`, body),
  importOpinions: (id: number, body: { format: 'csv' | 'xlsx'; content: string; requestId?: string }) => api.post<{ rows: number; created: number; replaced: number }>(`/needs/campaigns/${id}/opinions/import`, body),
  proposals: (id: number, signal?: AbortSignal) => api.get<{ items: Proposal[] }>(`/needs/campaigns/${id}/proposals`, undefined, signal),
  addProposal: (id: number, body: Record<string, unknown>) => api.post<{ proposal: Proposal }>(`/needs/campaigns/${id}/proposals`, body),
  screen: (proposalId: number, body: { decision: 'reject' | 'restore'; reason?: string }) => api.post<{ proposal: Proposal }>(`/needs/proposals/${proposalId}/screen`, body),
  merge: (id: number, body: { targetId: number; sourceIds: number[] }) => api.post<{ proposal: Proposal }>(`/needs/campaigns/${id}/proposals/merge`, body),
  draftList: (id: number, signal?: AbortSignal) => api.get<DraftList>(`/needs/campaigns/${id}/draft-list`, undefined, signal),
  setDraftList: (id: number, items: { proposalId: number; estimatedBudgetFen?: number | null; catalogueCode?: string | null }[]) => api.put<DraftList>(`/needs/campaigns/${id}/draft-list`, { items }),
  ready: (id: number) => api.post<DraftList>(`/needs/campaigns/${id}/ready`),
};

export const percent = (basisPoints: number) => `${(basisPoints / 100).toFixed(2)}%`;
export const thresholdPercent = (t: { numerator: number; denominator: number }) => `${Math.round((t.numerator * 10000) / t.denominator) / 100}%`;
