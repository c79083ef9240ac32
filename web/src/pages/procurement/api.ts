import { PROCUREMENT_STATUS_LABELS } from '../../api/labels';
import { api } from '../../api/client';

/** Types and calls of the procurement and delivery APIs (tags `procurement`, `delivery`). Money is integer fen. */

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

export const procurementApi = {
  procurement: (id: number, signal?: AbortSignal) => api.get<Procurement>(`/procurements/${id}`, undefined, signal),
  projects: (fundYear: number, signal?: AbortSignal) => api.get<{ items: ContractableProject[] }>('/procurement/projects', { fundYear }, signal),
  createProcurement: (body: unknown) => api.post<{ id: number; budgetFen: number }>('/procurements', body),
  createContract: (body: unknown) => api.post<Contract>('/contracts', body),
  providers: (year: number, signal?: AbortSignal) => api.get<{ total: number; items: Provider[] }>('/providers', { year, limit: 500 }, signal),
  createProvider: (body: unknown) => api.post<Provider>('/providers', body),
  createAccount: (id: number, body: { username: string; password: string }) => api.post<{ id: number; username: string }>(`/providers/${id}/accounts`, body),
  contracts: (signal?: AbortSignal) => api.get<{ total: number; items: ContractSummary[] }>('/contracts', { limit: 500 }, signal),
  contract: (id: number, signal?: AbortSignal) => api.get<Contract>(`/contracts/${id}`, undefined, signal),
  sign: (id: number) => api.post<Contract>(`/contracts/${id}/sign`, {}),
  cancel: (id: number, reason: string) => api.post<Contract>(`/contracts/${id}/cancel`, { reason }),
  activities: (id: number, signal?: AbortSignal) => api.get<{ items: Activity[] }>(`/contracts/${id}/activities`, undefined, signal),
  addActivity: (id: number, body: unknown) => api.post<Activity>(`/contracts/${id}/activities`, body),
  upload: (id: number, body: { fileName: string; contentBase64: string; activityId?: number | null }) => api.post<Attachment>(`/contracts/${id}/attachments`, body),
  adjustments: (id: number, signal?: AbortSignal) => api.get<{ items: Adjustment[] }>(`/contracts/${id}/adjustments`, undefined, signal),
  proposeAdjustment: (id: number, body: { change: string; reason: string }) => api.post<Adjustment>(`/contracts/${id}/adjustments`, body),
  decideAdjustment: (id: number, approve: boolean) => api.post<Adjustment>(`/adjustments/${id}/decide`, { approve }),
  requestPayment: (instalmentId: number, note: string, requestId?: string) => api.post<PaymentRequest>(`/instalments/${instalmentId}/requests`, { note, requestId }),
  paymentRequests: (status: string | undefined, signal?: AbortSignal) => api.get<{ total: number; items: RequestListItem[] }>('/payment-requests', { status, limit: 500 }, signal),
  approve: (id: number) => api.post<PaymentRequest>(`/payment-requests/${id}/approve`, {}),
  reject: (id: number, reason: string) => api.post<PaymentRequest>(`/payment-requests/${id}/reject`, { reason }),
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
