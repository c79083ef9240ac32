import { client, data } from '../../api/client';
import type { ApiBody, ApiResponse, Item } from '../../api/paths';

/** Calls and types of the needs API, from the generated schema (server/src/modules/needs). */

export { CHANNELS } from '../../api/labels';
import { CHANNELS } from '../../api/labels';
export const channelLabel = (code: string) => CHANNELS.find((c) => c.code === code)?.label ?? code;

export type CampaignList = ApiResponse<'/api/needs/campaigns', 'get'>;
export type CampaignSummary = Item<CampaignList['items']>;
export type Coverage = CampaignSummary['coverage'];
export type Campaign = ApiResponse<'/api/needs/campaigns/{id}', 'get'>['campaign'];
export type Opinion = Item<ApiResponse<'/api/needs/campaigns/{id}/opinions', 'get'>['items']>;
export type Proposal = Item<ApiResponse<'/api/needs/campaigns/{id}/proposals', 'get'>['items']>;
export type DraftList = ApiResponse<'/api/needs/campaigns/{id}/draft-list', 'get'>;
export type PublicCampaign = ApiResponse<'/api/public/needs/campaigns/{id}', 'get'>;
export type CampaignCreate = ApiBody<'/api/needs/campaigns', 'post'>;
export type OpinionInput = ApiBody<'/api/needs/campaigns/{id}/opinions', 'post'>;
export type ProposalInput = ApiBody<'/api/needs/campaigns/{id}/proposals', 'post'>;
export type SubmissionInput = ApiBody<'/api/public/needs/campaigns/{id}/submissions', 'post'>;
export type SubmitResult = ApiResponse<'/api/public/needs/campaigns/{id}/submissions', 'post'>;

const id = (value: number) => ({ path: { id: value } });

export const needsApi = {
  publicCampaign: (campaignId: number, signal?: AbortSignal) =>
    data(client.GET('/api/public/needs/campaigns/{id}', { params: id(campaignId), signal })),
  submit: (campaignId: number, body: ApiBody<'/api/public/needs/campaigns/{id}/submissions', 'post'>) =>
    data(client.POST('/api/public/needs/campaigns/{id}/submissions', { params: id(campaignId), body })),
  campaigns: (signal?: AbortSignal) => data(client.GET('/api/needs/campaigns', { params: { query: { limit: 200 } }, signal })),
  campaign: (campaignId: number, signal?: AbortSignal) => data(client.GET('/api/needs/campaigns/{id}', { params: id(campaignId), signal })),
  create: (body: ApiBody<'/api/needs/campaigns', 'post'>) => data(client.POST('/api/needs/campaigns', { body })),
  conclude: (campaignId: number) => data(client.POST('/api/needs/campaigns/{id}/conclude', { params: id(campaignId) })),
  opinions: (campaignId: number, offset: number, signal?: AbortSignal, householdNo?: string) =>
    data(
      client.GET('/api/needs/campaigns/{id}/opinions', {
        params: { ...id(campaignId), query: { limit: 20, offset, ...(householdNo ? { householdNo } : {}) } },
        signal,
      }),
    ),
  enter: (campaignId: number, body: ApiBody<'/api/needs/campaigns/{id}/opinions', 'post'>) =>
    data(client.POST('/api/needs/campaigns/{id}/opinions', { params: id(campaignId), body })),
  importOpinions: (campaignId: number, body: ApiBody<'/api/needs/campaigns/{id}/opinions/import', 'post'>) =>
    data(client.POST('/api/needs/campaigns/{id}/opinions/import', { params: id(campaignId), body })),
  proposals: (campaignId: number, signal?: AbortSignal) =>
    data(client.GET('/api/needs/campaigns/{id}/proposals', { params: id(campaignId), signal })),
  addProposal: (campaignId: number, body: ApiBody<'/api/needs/campaigns/{id}/proposals', 'post'>) =>
    data(client.POST('/api/needs/campaigns/{id}/proposals', { params: id(campaignId), body })),
  screen: (proposalId: number, body: ApiBody<'/api/needs/proposals/{id}/screen', 'post'>) =>
    data(client.POST('/api/needs/proposals/{id}/screen', { params: id(proposalId), body })),
  merge: (campaignId: number, body: ApiBody<'/api/needs/campaigns/{id}/proposals/merge', 'post'>) =>
    data(client.POST('/api/needs/campaigns/{id}/proposals/merge', { params: id(campaignId), body })),
  draftList: (campaignId: number, signal?: AbortSignal) =>
    data(client.GET('/api/needs/campaigns/{id}/draft-list', { params: id(campaignId), signal })),
  setDraftList: (campaignId: number, items: ApiBody<'/api/needs/campaigns/{id}/draft-list', 'put'>['items']) =>
    data(client.PUT('/api/needs/campaigns/{id}/draft-list', { params: id(campaignId), body: { items } })),
  ready: (campaignId: number) => data(client.POST('/api/needs/campaigns/{id}/ready', { params: id(campaignId) })),
};

export const percent = (basisPoints: number) => `${(basisPoints / 100).toFixed(2)}%`;
export const thresholdPercent = (t: { numerator: number; denominator: number }) =>
  `${Math.round((t.numerator * 10000) / t.denominator) / 100}%`;
