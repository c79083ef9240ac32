import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RegionSummary } from '../regions/regions.service.js';
import { GRADE_LABELS } from '../evaluation/evaluation.rules.js';
import type { PortalRegionView, PublicContractView } from './disclosure.schemas.js';

/** The labels of evaluation grades, as published (优秀, 良好, 合格, 不合格). */
export const PUBLIC_GRADE_LABELS: Record<string, string> = GRADE_LABELS;

export type PublicContract = Awaited<ReturnType<ProcurementService['publicContracts']>>[number];

export function regionView(r: RegionSummary): PortalRegionView {
  return { code: r.code, name: r.name, level: r.level, kind: r.kind, parentCode: r.parentCode, communityCount: r.communityCount };
}

export function contractPublicView(c: PublicContract): PublicContractView {
  return {
    id: c.id,
    ref: c.ref,
    title: c.title,
    amountFen: c.amountFen,
    signedOn: c.signedOn,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    status: c.status,
    provider: c.provider ? { name: c.provider.name, kind: c.provider.kind, creditCode: c.provider.creditCode } : null,
    projectIds: c.projectIds,
    shares: c.shares,
    paidFen: c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0),
    instalments: c.instalments.map((i) => ({
      seq: i.seq,
      conditionLabel: i.conditionLabel,
      amountFen: i.amountFen,
      status: i.status,
      paidOn: i.paidOn,
    })),
    // [N 3.2] A 不合格 final evaluation voided the unpaid instalments; the rest went back to the community.
    remainderVoidedOn: c.remainderVoidedOn,
    remainderVoidReason: c.remainderVoidReason,
    releasedFen:
      c.remainderVoidedOn && c.status === 'completed'
        ? c.amountFen - c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0)
        : 0,
  };
}
