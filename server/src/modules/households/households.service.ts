import { createHash, randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor, type Permission } from '../../common/access.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { readTable, type TableFormat } from '../../common/tabular.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { HouseholdsRepository, type HouseholdInsert, type HouseholdRow, type MemberRow } from './households.repository.js';
import type {
  HouseholdListQuery,
  HouseholdListView,
  HouseholdPatch,
  HouseholdView,
  ImportSummaryView,
  RosterView,
} from './households.schemas.js';
import {
  lastFourDigits,
  maskName,
  maskPhone,
  normalizePersonName,
  normalizePhone,
  parseHouseholdRows,
  seesPersonalData,
  validateHousehold,
  type HouseholdInput,
  type MemberInput,
} from './households.rules.js';

const householdNotFound = () => notFoundOrHidden({ zh: '住户', en: 'Household' });

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

/**
 * The household registry of each community. Roster decision: community_profile keeps the
 * official counts of representatives and council members (edited by the street/district, used as
 * denominators by later steps); the registry's roster is shown beside them with a `consistent`
 * flag, so a mismatch is visible to both sides and corrected where it belongs, never overwritten.
 */
export class HouseholdsService {
  private readonly repo = new HouseholdsRepository();

  /** For other modules (decisions): the community's roster, without an access check. */
  async rosterOf(communityCode: string, db: Executor = this.db) {
    return this.repo.roster(db, communityCode);
  }

  /** For other modules (decisions): members of households, without an access check. */
  async membersOf(householdIds: number[], db: Executor = this.db) {
    return this.repo.members(db, householdIds);
  }

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
  ) {}

  /** The community in the caller's scope (404 otherwise, and for a region that is not a community). */
  async requireCommunity(actor: Actor, code: string, permission: Permission) {
    requirePermission(actor, permission);
    const found = await this.regions.requireInScope(actor, code);
    if (found.level !== 'community')
      throw new DomainError(
        'NOT_A_COMMUNITY',
        { zh: '只有社区有住户登记', en: 'Only a community has a household registry' },
        { kind: 'invalid', field: 'code' },
      );
    return found;
  }

  toView(h: HouseholdRow, members: MemberRow[], clear: boolean): HouseholdView {
    return {
      id: h.id,
      communityCode: h.communityCode,
      householdNo: h.householdNo,
      building: h.building,
      unit: h.unit,
      room: h.room,
      address: formatAddress(h),
      headName: clear ? h.headName : maskName(h.headName),
      phone: clear ? h.phone : maskPhone(h.phone),
      residents: h.residents,
      members: members.map((m) => ({
        name: clear ? m.name : maskName(m.name),
        isRepresentative: m.isRepresentative,
        isCouncilMember: m.isCouncilMember,
        hasIdNumber: m.idNumberHash !== null,
      })),
      masked: !clear,
    };
  }

  async list(actor: Actor, code: string, query: HouseholdListQuery): Promise<HouseholdListView> {
    await this.requireCommunity(actor, code, 'households:read');
    const clear = seesPersonalData(actor, code);
    // Outside the community, names are masked: searching by a name would reveal it.
    const q = query.q?.trim() || undefined;
    const result = await this.repo.list(this.db, code, {
      q: clear ? q : q && /^[0-9A-Za-z\-_]+$/.test(q) ? q : undefined,
      limit: Math.min(query.limit ?? 50, 500),
      offset: query.offset ?? 0,
    });
    const members = await this.repo.members(
      this.db,
      result.items.map((h) => h.id),
    );
    return {
      total: result.total,
      masked: !clear,
      items: result.items.map((h) =>
        this.toView(
          h,
          members.filter((m) => m.householdId === h.id),
          clear,
        ),
      ),
    };
  }

  async get(actor: Actor, id: number): Promise<HouseholdView> {
    requirePermission(actor, 'households:read');
    const h = await this.repo.get(this.db, id);
    if (!h) throw householdNotFound();
    await this.regions.requireInScope(actor, h.communityCode).catch(() => {
      throw householdNotFound();
    });
    return this.toView(h, await this.repo.members(this.db, [h.id]), seesPersonalData(actor, h.communityCode));
  }

  /** Representatives and council members of the registry beside the profile's official counts. */
  async roster(actor: Actor, code: string): Promise<RosterView> {
    await this.requireCommunity(actor, code, 'households:read');
    const clear = seesPersonalData(actor, code);
    const [rows, profile, registered] = await Promise.all([
      this.repo.roster(this.db, code),
      this.regions.profileOf(code, this.db),
      this.repo.count(this.db, code),
    ]);
    const rosterReps = rows.filter((r) => r.member.isRepresentative).length;
    const rosterCouncil = rows.filter((r) => r.member.isCouncilMember).length;
    const profileCounts = {
      residentHouseholds: profile?.residentHouseholds ?? 0,
      representatives: profile?.representatives ?? 0,
      councilMembers: profile?.councilMembers ?? 0,
    };
    return {
      registeredHouseholds: registered,
      profile: profileCounts,
      roster: { representatives: rosterReps, councilMembers: rosterCouncil },
      /** With no roster entered yet, there is nothing to compare. */
      consistent: rows.length === 0 || (rosterReps === profileCounts.representatives && rosterCouncil === profileCounts.councilMembers),
      members: rows.map((r) => ({
        householdId: r.householdId,
        householdNo: r.householdNo,
        name: clear ? r.member.name : maskName(r.member.name),
        isRepresentative: r.member.isRepresentative,
        isCouncilMember: r.member.isCouncilMember,
      })),
    };
  }

  private memberRows(input: MemberInput[], previous: MemberRow[] = []) {
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

  private invalid(errors: ReturnType<typeof validateHousehold>): never {
    const first = errors[0]!;
    throw new DomainError(
      'INVALID_INPUT',
      { zh: `字段 ${first.column} 无效：${first.message}`, en: `Field ${first.column} is invalid: ${first.messageEn}` },
      { kind: 'invalid', field: first.column, details: { errors } },
    );
  }

  async create(actor: Actor, code: string, input: HouseholdInput): Promise<HouseholdView> {
    const community = await this.requireCommunity(actor, code, 'households:write');
    const h: HouseholdInput = {
      ...input,
      headName: normalizePersonName(input.headName),
      phone: normalizePhone(input.phone),
      unit: input.unit ?? '',
    };
    const errors = validateHousehold(h);
    if (errors.length) this.invalid(errors);
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
        const members = this.memberRows(h.members);
        await this.repo.replaceMembers(tx, row.id, members);
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
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, patch: HouseholdPatch): Promise<HouseholdView> {
    requirePermission(actor, 'households:write');
    const existing = await this.repo.get(this.db, id);
    if (!existing) throw householdNotFound();
    const community = await this.requireCommunity(actor, existing.communityCode, 'households:write').catch(() => {
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
      if (errors.length) this.invalid(errors);
      await this.repo.update(tx, id, {
        building: next.building,
        unit: next.unit,
        room: next.room,
        headName: next.headName,
        phone: next.phone,
        residents: next.residents,
      });
      const members = patch.members ? this.memberRows(patch.members, beforeMembers) : beforeMembers;
      if (patch.members) await this.repo.replaceMembers(tx, id, members);
      await this.audit.record(tx, actor, {
        action: 'household.update',
        entityType: 'household',
        entityId: String(id),
        regionPath: community.path,
        before: auditShape(before, beforeMembers),
        after: auditShape({ ...next }, members),
      });
    });
    return this.get(actor, id);
  }

  /**
   * Imports a registry file, all or nothing: every row is checked first and any error refuses the
   * whole file with a row-level report; otherwise rows are inserted or updated by household
   * number (their roles replaced by the file's when it has role columns, kept otherwise), in one transaction with one audit event.
   */
  async import(actor: Actor, code: string, format: TableFormat, content: string): Promise<ImportSummaryView> {
    const community = await this.requireCommunity(actor, code, 'households:write');
    const table = await readTable(format, content);
    const { households, errors, hasRoleColumns } = parseHouseholdRows(table);
    if (errors.length) {
      throw new DomainError(
        'IMPORT_INVALID',
        { zh: `导入文件有 ${errors.length} 处错误，未导入任何数据`, en: `The file has ${errors.length} error(s); nothing was imported` },
        { kind: 'invalid', field: 'content', details: { errors } },
      );
    }
    return this.db.transaction(async (tx) => {
      const existing = new Set(
        (
          await this.repo.byNumbers(
            tx,
            code,
            households.map((h) => h.householdNo),
          )
        ).map((h) => h.householdNo),
      );
      const ids = await this.repo.upsertMany(
        tx,
        households.map((h) => ({
          communityCode: code,
          householdNo: h.householdNo,
          building: h.building,
          unit: h.unit,
          room: h.room,
          headName: h.headName,
          phone: h.phone,
          residents: h.residents,
        })),
      );
      if (hasRoleColumns) {
        const idList = [...ids.values()];
        const previous = await this.repo.members(tx, idList);
        await this.repo.deleteMembersOf(tx, idList);
        await this.repo.insertMembers(
          tx,
          households.flatMap((h) => {
            const householdId = ids.get(h.householdNo)!;
            return this.memberRows(
              h.members,
              previous.filter((p) => p.householdId === householdId),
            ).map((m) => ({ ...m, householdId }));
          }),
        );
      }
      const created = households.filter((h) => !existing.has(h.householdNo)).length;
      const summary = { format, rows: households.length, created, updated: households.length - created };
      await this.audit.record(tx, actor, {
        action: 'household.import',
        entityType: 'community',
        entityId: code,
        regionPath: community.path,
        after: summary,
      });
      return summary;
    });
  }

  // ---- for the needs module (through this service, never the tables) ----

  /**
   * [N 3.1.1(1)] Real-name identification of a resident: household number + head's name + the
   * last four digits of the registered phone. Returns undefined on any mismatch (never says which).
   */
  async identify(
    db: Executor,
    communityCode: string,
    householdNo: string,
    headName: string,
    phoneLast4: string,
  ): Promise<HouseholdRow | undefined> {
    const h = await this.repo.byNumber(db, communityCode, householdNo.trim());
    if (!h) return undefined;
    if (normalizePersonName(h.headName) !== normalizePersonName(headName)) return undefined;
    if (lastFourDigits(h.phone) !== phoneLast4.trim()) return undefined;
    return h;
  }

  byNumber(db: Executor, communityCode: string, householdNo: string) {
    return this.repo.byNumber(db, communityCode, householdNo.trim());
  }

  byNumbers(db: Executor, communityCode: string, numbers: string[]) {
    return this.repo.byNumbers(db, communityCode, numbers);
  }

  byIds(db: Executor, ids: number[]) {
    return this.repo.byIds(db, ids);
  }

  async allOf(db: Executor, communityCode: string) {
    return (await this.repo.list(db, communityCode, { limit: 100_000, offset: 0 })).items;
  }

  registeredCount(db: Executor, communityCode: string) {
    return this.repo.count(db, communityCode);
  }

  // ---- for the demo seed: plain multi-row inserts, no checks and no audit ----

  /** Inserts households as given; ids by household number. */
  seedHouseholds(db: Executor, rows: HouseholdInsert[]): Promise<Map<string, number>> {
    return this.repo.insertMany(db, rows);
  }

  /** Inserts household members as given. */
  seedMembers(db: Executor, rows: Parameters<HouseholdsRepository['insertMembers']>[1]): Promise<void> {
    return this.repo.insertMembers(db, rows);
  }
}
