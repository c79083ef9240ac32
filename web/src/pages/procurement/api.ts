import { PROCUREMENT_STATUS_LABELS } from '../../api/labels';
import { client, untyped } from '../../api/client';
import type { ApiBody, ApiQuery } from '../../api/paths';

/** Types and calls of the procurement and delivery APIs (tags `procurement`, `delivery`). Money is integer fen. */
// i17: replaced by the generated type once the route declares its response (every interface below: the procurement and delivery routes declare none yet).

export interface Eligibility {
  eligible: boolean;
  year: number;
  reasons: { year: number; reason: string; source: string; sourceRef: string | null }[];
}

export interface Provider {
  id: number;
  name: string;
  kind: string;
  kindLabel: string;
  creditCode: string;
  registrationAuthority: string;
  address: string;
  regionCode: string | null;
  contacts: { name: string; phone: string; title?: string | null }[];
  qualifications: { id: number; name: string; issuer: string; number: string; validUntil: string | null }[];
  eligibility: Eligibility;
}

export interface Instalment {
  id: number;
  seq: number;
  condition: string;
  conditionLabel: string;
  dueOn: string | null;
  amountFen: number;
  status: 'open' | 'requested' | 'paid' | 'void';
  transferId: string | null;
  paidOn: string | null;
  conditionMet: boolean | null;
  conditionNote: string | null;
}

export interface PaymentRequest {
  id: number;
  instalmentId: number;
  contractId: number;
  payeeProviderId: number;
  amountFen: number;
  note: string;
  status: 'requested' | 'approved' | 'rejected';
  requestedOn: string;
  decidedOn: string | null;
  decisionNote: string | null;
  transferId: string | null;
}

export interface ContractSummary {
  id: number;
  procurementId: number;
  ref: string;
  fundYear: number;
  communityCode: string;
  providerId: number;
  providerName?: string;
  title: string;
  amountFen: number;
  startsOn: string;
  endsOn: string;
  status: string;
  signedOn: string | null;
  paidFen?: number;
}

export interface Contract extends ContractSummary {
  deliverables: string[];
  cancelReason: string | null;
  /** [N 3.2] A 不合格 final evaluation voided the unpaid instalments on this date. */
  remainderVoidedOn: string | null;
  remainderVoidReason: string | null;
  provider: { id: number; name: string; kind: string; creditCode: string } | null;
  projects: { id: number; title: string; budgetFen: number; catalogueCode: string }[];
  instalments: Instalment[];
  paymentRequests: PaymentRequest[];
  ledger: {
    commitmentTransferId: string | null;
    paidFen: number;
    outstandingFen: number;
    releasedFen: number;
    community: { code: string; allocatedFen: number; committedFen: number; paidFen: number; availableFen: number } | null;
  };
}

export interface Attachment {
  id: number;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  url: string;
  activityId: number | null;
}

export interface Activity {
  id: number;
  heldOn: string;
  place: string;
  content: string;
  participants: number;
  beneficiaries: number;
  volunteers: number;
  charityResources: string;
  charityValueFen: number;
  attachments: Attachment[];
}

export interface Adjustment {
  id: number;
  change: string;
  reason: string;
  status: 'proposed' | 'approved' | 'rejected';
  proposedOn: string;
  decidedOn: string | null;
  decisionNote: string | null;
}

export interface RequestListItem extends PaymentRequest {
  contract: { id: number; ref: string; title: string; communityCode: string; amountFen: number; status: string };
  instalment: { id: number; seq: number; conditionLabel: string; amountFen: number; status: string };
  providerName: string;
}

export const STATUS_LABELS: Readonly<Record<string, string>> = PROCUREMENT_STATUS_LABELS;

export interface ContractableProject {
  projectId: number;
  planId: number;
  title: string;
  catalogueCode: string;
  budgetFen: number;
  communityCodes: string[];
  contractId: number | null;
}

export interface Procurement {
  id: number;
  method: string;
  methodLabel: string;
  budgetFen: number;
  candidates: { providerId: number | null; name: string; quoteFen: number | null; note: string }[];
  selectedProviderName: string;
  selectionReason: string;
  documents: { name: string; kind: string; ref: string | null }[];
  decidedOn: string;
}

const id = (value: number) => ({ path: { id: value } });

export const procurementApi = {
  procurement: (procurementId: number, signal?: AbortSignal) => untyped<Procurement>(client.GET('/api/procurements/{id}', { params: id(procurementId), signal })),
  projects: (fundYear: number, signal?: AbortSignal) => untyped<{ items: ContractableProject[] }>(client.GET('/api/procurement/projects', { params: { query: { fundYear } }, signal })),
  createProcurement: (body: unknown) => untyped<{ id: number; budgetFen: number }>(client.POST('/api/procurements', { body: body as ApiBody<'/api/procurements', 'post'> })),
  createContract: (body: unknown) => untyped<Contract>(client.POST('/api/contracts', { body: body as ApiBody<'/api/contracts', 'post'> })),
  providers: (year: number, signal?: AbortSignal) => untyped<{ total: number; items: Provider[] }>(client.GET('/api/providers', { params: { query: { year, limit: 500 } }, signal })),
  createProvider: (body: unknown) => untyped<Provider>(client.POST('/api/providers', { body: body as ApiBody<'/api/providers', 'post'> })),
  createAccount: (providerId: number, body: ApiBody<'/api/providers/{id}/accounts', 'post'>) =>
    untyped<{ id: number; username: string }>(client.POST('/api/providers/{id}/accounts', { params: id(providerId), body })),
  contracts: (signal?: AbortSignal) => untyped<{ total: number; items: ContractSummary[] }>(client.GET('/api/contracts', { params: { query: { limit: 500 } }, signal })),
  contract: (contractId: number, signal?: AbortSignal) => untyped<Contract>(client.GET('/api/contracts/{id}', { params: id(contractId), signal })),
  sign: (contractId: number) => untyped<Contract>(client.POST('/api/contracts/{id}/sign', { params: id(contractId), body: {} })),
  cancel: (contractId: number, reason: string) => untyped<Contract>(client.POST('/api/contracts/{id}/cancel', { params: id(contractId), body: { reason } })),
  activities: (contractId: number, signal?: AbortSignal) => untyped<{ items: Activity[] }>(client.GET('/api/contracts/{id}/activities', { params: id(contractId), signal })),
  addActivity: (contractId: number, body: unknown) =>
    untyped<Activity>(client.POST('/api/contracts/{id}/activities', { params: id(contractId), body: body as ApiBody<'/api/contracts/{id}/activities', 'post'> })),
  upload: (contractId: number, body: ApiBody<'/api/contracts/{id}/attachments', 'post'>) => untyped<Attachment>(client.POST('/api/contracts/{id}/attachments', { params: id(contractId), body })),
  adjustments: (contractId: number, signal?: AbortSignal) => untyped<{ items: Adjustment[] }>(client.GET('/api/contracts/{id}/adjustments', { params: id(contractId), signal })),
  proposeAdjustment: (contractId: number, body: ApiBody<'/api/contracts/{id}/adjustments', 'post'>) =>
    untyped<Adjustment>(client.POST('/api/contracts/{id}/adjustments', { params: id(contractId), body })),
  decideAdjustment: (adjustmentId: number, approve: boolean) => untyped<Adjustment>(client.POST('/api/adjustments/{id}/decide', { params: id(adjustmentId), body: { approve } })),
  requestPayment: (instalmentId: number, note: string, requestId?: string) =>
    untyped<PaymentRequest>(client.POST('/api/instalments/{id}/requests', { params: id(instalmentId), body: { note, requestId } })),
  paymentRequests: (status: string | undefined, signal?: AbortSignal) =>
    untyped<{ total: number; items: RequestListItem[] }>(client.GET('/api/payment-requests', { params: { query: { status: status as ApiQuery<'/api/payment-requests', 'get'>['status'], limit: 500 } }, signal })),
  approve: (requestId: number) => untyped<PaymentRequest>(client.POST('/api/payment-requests/{id}/approve', { params: id(requestId), body: {} })),
  reject: (requestId: number, reason: string) => untyped<PaymentRequest>(client.POST('/api/payment-requests/{id}/reject', { params: id(requestId), body: { reason } })),
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
