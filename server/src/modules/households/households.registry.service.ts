import type { Db } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import type { AuditService } from '../audit/audit.service.js';
import { HouseholdsRepository, type HouseholdRow, type MemberRow } from './households.repository.js';
import type { HouseholdPatch, HouseholdView } from './households.schemas.js';
import { maskName, maskPhone, normalizePersonName, normalizePhone, validateHousehold, type HouseholdInput } from './households.rules.js';
import { householdNotFound, memberRows, type HouseholdReads } from './households.context.js';
import type { HouseholdRoles, HouseholdsTermsService } from './households.terms.service.js';
import { defaultImportFrom } from './households.roster.rules.js';

/** Audit entries carry masked personal data: the log is read by supervisors outside the community. */
function auditShape(
  h: Pick<HouseholdRow, 'householdNo' | 'building' | 'unit' | 'room' | 'headName' | 'phone' | 'residents'>,
  members: Pick<MemberRow, 'name' | 'isRepresentative' | 'isCouncilMember'>[],
) {
  return {
    householdNo: h.householdNo,
    building: h.building,
    unit: h.unit,
    room: h.room,
    headName: maskName(h.headName),
    phone: maskPhone(h.phone),
    residents: h.residents,
    members: members.map((m) => ({ name: maskName(m.name), isRepresentative: m.isRepresentative, isCouncilMember: m.isCouncilMember })),
  };
}

function invalid(errors: ReturnType<typeof validateHousehold>): never {
  const first = errors[0]!;
  throw new DomainError(
    'INVALID_INPUT',
    { zh: `字段 ${first.column} 无效：${first.message}`, en: `Field ${first.column} is invalid: ${first.messageEn}` },
    { kind: 'invalid', field: first.column, details: { errors } },
  );
}

/** Registering a household and correcting it, one by one, each with its audit event (personal data masked in the log). */
export class HouseholdsRegistryService {
  constructor(
    private readonly db: Db,
    private readonly repo: HouseholdsRepository,
    private readonly audit: AuditService,
    private readonly reads: HouseholdReads,
    private readonly terms: HouseholdsTermsService,
    private readonly today: () => string,
  ) {}

  /** The roles of the form start and end roster terms as the registry import's do (ADR 0013). */
  private syncTerms(
    tx: Parameters<HouseholdsTermsService['reconcile']>[0],
    code: string,
    householdId: number,
    members: HouseholdRoles['members'],
  ) {
    const today = this.today();
    return this.terms.reconcile(tx, code, [{ householdId, members }], defaultImportFrom(today), today, '住户登记修改，不再担任');
  }

  async create(actor: Actor, code: string, input: HouseholdInput): Promise<HouseholdView> {
    const community = await this.reads.requireCommunity(actor, code, 'households:write');
    const h: HouseholdInput = {
      ...input,
      headName: normalizePersonName(input.headName),
      phone: normalizePhone(input.phone),
      unit: input.unit ?? '',
    };
    const errors = validateHousehold(h);
    if (errors.length) invalid(errors);
    const id = await heldOnce(
      this.db.transaction(async (tx) => {
        if (await this.repo.byNumber(tx, code, h.householdNo)) {
          throw new DomainError(
            'HOUSEHOLD_EXISTS',
            { zh: `户号 ${h.householdNo} 已登记`, en: `Household ${h.householdNo} is already registered` },
            { kind: 'conflict', field: 'householdNo' },
          );
        }
        const row = await this.repo.insert(tx, {
          communityCode: code,
          householdNo: h.householdNo,
          building: h.building,
          unit: h.unit,
          room: h.room,
          headName: h.headName,
          phone: h.phone,
          residents: h.residents,
        });
        const members = memberRows(h.members);
        await this.repo.replaceMembers(tx, row.id, members);
        await this.syncTerms(tx, code, row.id, members);
        await this.audit.record(tx, actor, {
          action: 'household.create',
          entityType: 'household',
          entityId: String(row.id),
          regionPath: community.path,
          after: auditShape(row, members),
        });
        return row.id;
      }),
    );
    return this.reads.get(actor, id);
  }

  async update(actor: Actor, id: number, patch: HouseholdPatch): Promise<HouseholdView> {
    requirePermission(actor, 'households:write');
    const existing = await this.repo.get(this.db, id);
    if (!existing) throw householdNotFound();
    const community = await this.reads.requireCommunity(actor, existing.communityCode, 'households:write').catch(() => {
      throw householdNotFound();
    });
    await this.db.transaction(async (tx) => {
      const before = (await this.repo.get(tx, id, true))!;
      const beforeMembers = await this.repo.members(tx, [id]);
      const next: HouseholdInput = {
        householdNo: before.householdNo,
        building: patch.building ?? before.building,
        unit: patch.unit ?? before.unit,
        room: patch.room ?? before.room,
        headName: patch.headName !== undefined ? normalizePersonName(patch.headName) : before.headName,
        phone: patch.phone !== undefined ? normalizePhone(patch.phone) : before.phone,
        residents: patch.residents ?? before.residents,
        members:
          patch.members ??
          beforeMembers.map((m) => ({ name: m.name, isRepresentative: m.isRepresentative, isCouncilMember: m.isCouncilMember })),
      };
      const errors = validateHousehold(next);
      if (errors.length) invalid(errors);
      await this.repo.update(tx, id, {
        building: next.building,
        unit: next.unit,
        room: next.room,
        headName: next.headName,
        phone: next.phone,
        residents: next.residents,
      });
      const members = patch.members ? memberRows(patch.members, beforeMembers) : beforeMembers;
      if (patch.members) {
        await this.repo.replaceMembers(tx, id, members);
        await this.syncTerms(tx, existing.communityCode, id, members);
      }
      await this.audit.record(tx, actor, {
        action: 'household.update',
        entityType: 'household',
        entityId: String(id),
        regionPath: community.path,
        before: auditShape(before, beforeMembers),
        after: auditShape({ ...next }, members),
      });
    });
    return this.reads.get(actor, id);
  }
}
