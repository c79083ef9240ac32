import { pathInScope, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { AccountRow, TransferRow } from './ledger.repository.js';
import type { AccountView, TransferView } from './ledger.schemas.js';

/** The region prefix a caller may read under: the asked region, narrowed to the caller's own scope. */
export function scopedPrefix(actor: Actor, regionPath: string): string {
  if (pathInScope(actor.scopePath, regionPath)) return regionPath;
  if (actor.scopePath && pathInScope(regionPath, actor.scopePath)) return actor.scopePath;
  throw new DomainError('NOT_FOUND', { zh: '区域不存在或无权查看', en: 'Region not found' }, { kind: 'not_found' });
}

export function accountView(a: AccountRow): AccountView {
  return {
    id: a.id,
    fundYear: a.fundYear,
    kind: a.kind,
    ref: a.ref,
    regionPath: a.regionPath,
    limitFen: a.limitFen,
    debitsPosted: a.debitsPosted,
    creditsPosted: a.creditsPosted,
    debitsPending: a.debitsPending,
    creditsPending: a.creditsPending,
  };
}

export function transferView(t: TransferRow, debit: AccountRow, credit: AccountRow): TransferView {
  const side = (a: AccountRow) => ({ id: a.id, kind: a.kind, ref: a.ref, regionPath: a.regionPath });
  return {
    id: t.id,
    seq: t.seq,
    fundYear: t.fundYear,
    kind: t.kind,
    code: t.code,
    amount: t.amount,
    debit: side(debit),
    credit: side(credit),
    pendingId: t.pendingId,
    correctsId: t.correctsId,
    reference: t.reference,
    actorName: t.actorName,
    createdAt: t.createdAt.toISOString(),
  };
}
