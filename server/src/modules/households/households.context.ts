import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Permission } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { HouseholdRow, MemberRow } from './households.repository.js';
import type { HouseholdView } from './households.schemas.js';
import { normalizePersonName, type MemberInput } from './households.rules.js';

export const householdNotFound = () =>
  new DomainError('NOT_FOUND', { zh: '住户不存在或无权查看', en: 'Household not found' }, { kind: 'not_found' });

/** 3号楼2单元501 */
export function formatAddress(h: Pick<HouseholdRow, 'building' | 'unit' | 'room'>): string {
  const part = (v: string, suffix: string) => (v ? (/^\d+$/.test(v) ? `${v}${suffix}` : v) : '');
  return `${part(h.building, '号楼')}${part(h.unit, '单元')}${part(h.room, '室')}`;
}

/** Salted hash of an ID number: `salt$sha256(salt + number)`; the number itself is never stored. */
export function hashIdNumber(idNumber: string, salt = randomBytes(16).toString('hex')): string {
  return `${salt}$${createHash('sha256')
    .update(salt + idNumber.trim().toUpperCase())
    .digest('hex')}`;
}

/** Member rows from the input, normalised; an ID number given is hashed, one not given keeps the member's previous hash. */
export function memberRows(input: MemberInput[], previous: MemberRow[] = []) {
  return input.map((m) => {
    const name = normalizePersonName(m.name);
    const kept = previous.find((p) => p.name === name)?.idNumberHash ?? null;
    return {
      name,
      isRepresentative: m.isRepresentative,
      isCouncilMember: m.isCouncilMember,
      idNumberHash: m.idNumber ? hashIdNumber(m.idNumber) : kept,
    };
  });
}

/** What the use cases need of the registry as read: the community in scope and a household's view. */
export interface HouseholdReads {
  requireCommunity(actor: Actor, code: string, permission: Permission): Promise<{ path: string }>;
  get(actor: Actor, id: number): Promise<HouseholdView>;
}
