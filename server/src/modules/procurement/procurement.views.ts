import { pathInScope, type Actor } from '../../common/access.js';
import { atMostOneError } from '../../common/at-most-one.js';
import { DomainError } from '../../common/errors.js';
import type { Executor } from '../../db/client.js';
import type { ContractRow, IneligibilityRow, InstalmentRow, ListScope, PaymentRequestRow, ProviderRow } from './procurement.repository.js';
import { conditionHolds, INSTALMENT_CONDITION_LABELS, type ConditionFacts, type InstalmentCondition } from './procurement.rules.js';
import type { EvaluationOutcomes } from './procurement.ports.js';
import type { ContractSummary, InstalmentView, PaymentRequestView } from './procurement.schemas.js';

export const notFound = (zh: string, en: string) =>
  new DomainError('NOT_FOUND', { zh: `${zh}不存在或无权查看`, en: `${en} not found` }, { kind: 'not_found' });
export const providerNotFound = () => notFound('承接主体', 'Provider');
export const procurementNotFound = () => notFound('采购记录', 'Procurement');
export const contractNotFound = () => notFound('合同', 'Contract');
export const instalmentNotFound = () => notFound('付款期次', 'Instalment');
export const requestNotFound = () => notFound('拨付申请', 'Payment request');

/** The ledger reference of a contract: its account and every transfer id derive from it. */
export const contractRef = (c: Pick<ContractRow, 'id' | 'fundYear'>) => `HT${c.fundYear}-${String(c.id).padStart(6, '0')}`;

/** Where a caller's lists reach: a provider its own records, a region role its region. */
export function listScope(actor: Actor): ListScope {
  if (actor.role === 'provider') return { providerId: actor.orgId ?? -1 };
  if (!actor.scopePath) throw notFound('区域', 'Region');
  return { pathPrefix: actor.scopePath };
}

/** Whether a caller sees a record (provider: its own; region roles: in scope). */
export function visibleTo(actor: Actor, row: { regionPath: string; providerId: number }): boolean {
  return actor.role === 'provider' ? actor.orgId === row.providerId : pathInScope(actor.scopePath, row.regionPath);
}

/** What the payment conditions of a contract depend on: today, its status and signing, its evaluations. */
export async function conditionFactsOf(
  db: Executor,
  c: ContractRow,
  projectIds: number[],
  evaluations: EvaluationOutcomes,
  today: string,
): Promise<ConditionFacts> {
  const ev = await evaluations.outcomes(db, { id: c.id, fundYear: c.fundYear, projectIds });
  return { today, contractStatus: c.status, signedOn: c.signedOn, midterm: ev.midterm, final: ev.final };
}

export const requestExists = () => atMostOneError('payment_request_live_idx');

export function qualificationRow(q: { name: string; issuer?: string; number?: string; validUntil?: string | null }) {
  return { name: q.name, issuer: q.issuer ?? '', number: q.number ?? '', validUntil: q.validUntil ?? null };
}

export function providerAudit(p: ProviderRow) {
  return {
    name: p.name,
    registrationAuthority: p.registrationAuthority,
    address: p.address,
    contacts: p.contacts,
    regionCode: p.regionCode,
  };
}

export function toIneligibility(r: IneligibilityRow) {
  return { year: r.year, reason: r.reason, source: r.source, sourceRef: r.sourceRef };
}

export function contractSummary(c: ContractRow): ContractSummary {
  return {
    id: c.id,
    ref: contractRef(c),
    fundYear: c.fundYear,
    procurementId: c.procurementId,
    purchaserKind: c.purchaserKind,
    purchaserCode: c.purchaserCode,
    communityCode: c.communityCode,
    regionPath: c.regionPath,
    providerId: c.providerId,
    title: c.title,
    amountFen: c.amountFen,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    deliverables: c.deliverables,
    status: c.status,
    signedOn: c.signedOn,
    cancelledOn: c.cancelledOn,
    cancelReason: c.cancelReason,
    /** [N 3.2] Set when a 不合格 final evaluation voided the unpaid instalments and released the rest of the commitment. */
    remainderVoidedOn: c.remainderVoidedOn,
    remainderVoidReason: c.remainderVoidReason,
  };
}

export function instalmentView(i: InstalmentRow, facts: ConditionFacts): InstalmentView {
  const holds = i.status === 'open' || i.status === 'requested' ? conditionHolds(i, facts) : null;
  return {
    id: i.id,
    seq: i.seq,
    condition: i.condition as InstalmentCondition,
    conditionLabel: INSTALMENT_CONDITION_LABELS[i.condition],
    dueOn: i.dueOn,
    amountFen: i.amountFen,
    status: i.status,
    transferId: i.transferId,
    paidOn: i.paidOn,
    conditionMet: holds === null ? null : holds.ok,
    conditionNote: holds && !holds.ok ? holds.zh : null,
  };
}

export function requestView(r: PaymentRequestRow): PaymentRequestView {
  return {
    id: r.id,
    instalmentId: r.instalmentId,
    contractId: r.contractId,
    payeeProviderId: r.payeeProviderId,
    amountFen: r.amountFen,
    note: r.note,
    status: r.status,
    requestedOn: r.requestedOn,
    decidedOn: r.decidedOn,
    decisionNote: r.decisionNote,
    transferId: r.transferId,
  };
}
