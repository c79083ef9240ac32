import { DomainError } from '../../common/errors.js';
import { toTransferRecord, type TransferRow } from './ledger.repository.js';
import { idempotencyConflict, sameRequest, type TransferRequest, type Violation } from './ledger.rules.js';

export interface TransferResult {
  transfer: TransferRow;
  /** false: the id was already used with the same data; this is the first result, nothing new was written. */
  created: boolean;
}

export const violationError = (v: Violation) =>
  new DomainError(v.code, { zh: v.zh, en: v.en }, { kind: v.kind, clause: v.clause, details: v.details });

/** A stored transfer met again under its id: the same request is the first result, another one a 409. */
export function replay(stored: TransferRow, fundYear: number, request: TransferRequest): TransferResult {
  if (stored.fundYear !== fundYear || !sameRequest(toTransferRecord(stored), request))
    throw violationError(idempotencyConflict(request.id));
  return { transfer: stored, created: false };
}

/** The root (city) of a materialised region path. */
export const rootOf = (regionPath: string) => regionPath.split('/')[0]!;
