import { PROCUREMENT_STATUS_LABELS } from '../../api/labels';
import { client, data } from '../../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../../api/paths';

/**
 * Types of the procurement and delivery APIs, from the generated schema (server/src/modules/procurement/procurement.schemas.ts,
 * delivery/delivery.schemas.ts). Money is integer fen.
 */
export type Provider = Item<ApiResponse<'/api/providers', 'get'>['items']>;
export type Eligibility = Provider['eligibility'];
export type Procurement = ApiResponse<'/api/procurements/{id}', 'get'>;
export type ContractableProject = Item<ApiResponse<'/api/procurement/projects', 'get'>['items']>;
export type ContractSummary = Item<ApiResponse<'/api/contracts', 'get'>['items']>;
export type Contract = ApiResponse<'/api/contracts/{id}', 'get'>;
export type Instalment = Item<Contract['instalments']>;
export type PaymentRequest = Item<Contract['paymentRequests']>;
export type RequestListItem = Item<ApiResponse<'/api/payment-requests', 'get'>['items']>;
export type Activity = Item<ApiResponse<'/api/contracts/{id}/activities', 'get'>['items']>;
export type Attachment = Item<Activity['attachments']>;
export type Adjustment = Item<ApiResponse<'/api/contracts/{id}/adjustments', 'get'>['items']>;

export type ProviderInput = ApiBody<'/api/providers', 'post'>;
export type ProcurementMethod = ApiBody<'/api/procurements', 'post'>['method'];
export type InstalmentCondition = Item<ApiBody<'/api/contracts', 'post'>['instalments']>['condition'];
export type PaymentRequestStatus = NonNullable<ApiQuery<'/api/payment-requests', 'get'>['status']>;

export const STATUS_LABELS: Readonly<Record<string, string>> = PROCUREMENT_STATUS_LABELS;

const id = (value: number) => ({ path: { id: value } });

export const procurementApi = {
  procurement: (procurementId: number, signal?: AbortSignal) =>
    data(client.GET('/api/procurements/{id}', { params: id(procurementId), signal })),
  projects: (fundYear: number, signal?: AbortSignal) =>
    data(client.GET('/api/procurement/projects', { params: { query: { fundYear } }, signal })),
  createProcurement: (body: ApiBody<'/api/procurements', 'post'>) => data(client.POST('/api/procurements', { body })),
  createContract: (body: ApiBody<'/api/contracts', 'post'>) => data(client.POST('/api/contracts', { body })),
  providers: (year: number, signal?: AbortSignal) =>
    data(client.GET('/api/providers', { params: { query: { year, limit: 500 } }, signal })),
  createProvider: (body: ApiBody<'/api/providers', 'post'>) => data(client.POST('/api/providers', { body })),
  createAccount: (providerId: number, body: ApiBody<'/api/providers/{id}/accounts', 'post'>) =>
    data(client.POST('/api/providers/{id}/accounts', { params: id(providerId), body })),
  contracts: (signal?: AbortSignal) => data(client.GET('/api/contracts', { params: { query: { limit: 500 } }, signal })),
  contract: (contractId: number, signal?: AbortSignal) => data(client.GET('/api/contracts/{id}', { params: id(contractId), signal })),
  sign: (contractId: number) => data(client.POST('/api/contracts/{id}/sign', { params: id(contractId), body: {} })),
  cancel: (contractId: number, reason: string) =>
    data(client.POST('/api/contracts/{id}/cancel', { params: id(contractId), body: { reason } })),
  activities: (contractId: number, signal?: AbortSignal) =>
    data(client.GET('/api/contracts/{id}/activities', { params: id(contractId), signal })),
  addActivity: (contractId: number, body: ApiBody<'/api/contracts/{id}/activities', 'post'>) =>
    data(client.POST('/api/contracts/{id}/activities', { params: id(contractId), body })),
  upload: (contractId: number, body: ApiBody<'/api/contracts/{id}/attachments', 'post'>) =>
    data(client.POST('/api/contracts/{id}/attachments', { params: id(contractId), body })),
  adjustments: (contractId: number, signal?: AbortSignal) =>
    data(client.GET('/api/contracts/{id}/adjustments', { params: id(contractId), signal })),
  proposeAdjustment: (contractId: number, body: ApiBody<'/api/contracts/{id}/adjustments', 'post'>) =>
    data(client.POST('/api/contracts/{id}/adjustments', { params: id(contractId), body })),
  decideAdjustment: (adjustmentId: number, approve: boolean) =>
    data(client.POST('/api/adjustments/{id}/decide', { params: id(adjustmentId), body: { approve } })),
  requestPayment: (instalmentId: number, note: string, requestId?: string) =>
    data(client.POST('/api/instalments/{id}/requests', { params: id(instalmentId), body: { note, requestId } })),
  paymentRequests: (status: PaymentRequestStatus | undefined, signal?: AbortSignal) =>
    data(client.GET('/api/payment-requests', { params: { query: { status, limit: 500 } }, signal })),
  approve: (requestId: number) => data(client.POST('/api/payment-requests/{id}/approve', { params: id(requestId), body: {} })),
  reject: (requestId: number, reason: string) =>
    data(client.POST('/api/payment-requests/{id}/reject', { params: id(requestId), body: { reason } })),
};

/** A File as base64 (without the data: prefix). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
