import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor, type Permission } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { Now } from '../../common/clock.js';
import { todayInChina } from '../../common/dates.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { HouseholdsRepository, type HouseholdInsert, type HouseholdRow, type MemberRow } from './households.repository.js';
import type {
  HouseholdListQuery,
  HouseholdListView,
  HouseholdPatch,
  HouseholdView,
  ImportBody,
  ImportSummaryView,
  RosterView,
} from './households.schemas.js';
import { HouseholdsRosterService } from './households.roster.service.js';
import { HouseholdsTermsService } from './households.terms.service.js';
import { lastFourDigits, maskName, maskPhone, normalizePersonName, seesPersonalData, type HouseholdInput } from './households.rules.js';
import { HouseholdsRegistryService } from './households.registry.service.js';
import { HouseholdsImportService } from './households.import.service.js';
import { formatAddress, householdNotFound } from './households.context.js';

export { formatAddress, hashIdNumber } from './households.context.js';

/**
 * The household registry of each community. Roster decision: community_profile keeps the
 * official counts of representatives and council members (edited by the street/district, used as
 * denominators by later steps); the registry's roster is shown beside them with a `consistent`
 * flag, so a mismatch is visible to both sides and corrected where it belongs, never overwritten.
 * Reads here; registering and correcting in households.registry.service.ts, the file import in
 * households.import.service.ts.
 */
export class HouseholdsService {
  private readonly repo = new HouseholdsRepository();
  private readonly registry: HouseholdsRegistryService;
  private readonly importer: HouseholdsImportService;
  /** The roster with terms of office (households.roster.service.ts): list as of a day, add, end, replace, import. */
  readonly rosterTerms: HouseholdsRosterService;
  /** Terms as the registry reconciles them and the decisions read them (households.terms.service.ts). */
  readonly terms: HouseholdsTermsService;

  private readonly today: () => string;

  constructor(
    private readonly db: Db,
    audit: AuditService,
    private readonly regions: RegionsService,
    now: Now,
  ) {
    const today = () => todayInChina(now());
    this.today = today;
    this.terms = new HouseholdsTermsService(this.repo);
    this.registry = new HouseholdsRegistryService(db, this.repo, audit, this, this.terms, today);
    this.importer = new HouseholdsImportService(db, this.repo, audit, this, this.terms, today);
    this.rosterTerms = new HouseholdsRosterService(db, this.repo, audit, this, today);
  }

  /** The profile's official counts of representatives and council members (the fallback denominators). */
  async profileCounts(code: string, db: Executor = this.db) {
    const profile = await this.regions.profileOf(code, db);
    return { representatives: profile?.representatives ?? 0, councilMembers: profile?.councilMembers ?? 0 };
  }

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

  /**
   * Representatives and council members in office on a day (default today; the roster's terms,
   * ADR 0013) beside the profile's official counts.
   */
  async roster(actor: Actor, code: string, on?: string): Promise<RosterView> {
    await this.requireCommunity(actor, code, 'households:read');
    const clear = seesPersonalData(actor, code);
    const day = on ?? this.today();
    const [reps, council, profile, registered] = await Promise.all([
      this.terms.rosterOn(this.db, code, 'representative', day),
      this.terms.rosterOn(this.db, code, 'council_member', day),
      this.regions.profileOf(code, this.db),
      this.repo.count(this.db, code),
    ]);
    const members = new Map<string, RosterView['members'][number]>();
    for (const [body, terms] of [
      ['representative', reps.members],
      ['council_member', council.members],
    ] as const) {
      for (const t of terms) {
        const key = `${t.householdId ?? ''}\u0000${t.personName}`;
        const m = members.get(key) ?? {
          householdId: t.householdId,
          householdNo: t.householdNo ?? '',
          name: clear ? t.personName : maskName(t.personName),
          isRepresentative: false,
          isCouncilMember: false,
        };
        if (body === 'representative') m.isRepresentative = true;
        else m.isCouncilMember = true;
        members.set(key, m);
      }
    }
    const profileCounts = {
      residentHouseholds: profile?.residentHouseholds ?? 0,
      representatives: profile?.representatives ?? 0,
      councilMembers: profile?.councilMembers ?? 0,
    };
    const counts = { representatives: reps.members.length, councilMembers: council.members.length };
    return {
      registeredHouseholds: registered,
      profile: profileCounts,
      roster: counts,
      /** With no roster entered yet, there is nothing to compare. */
      consistent:
        members.size === 0 ||
        (counts.representatives === profileCounts.representatives && counts.councilMembers === profileCounts.councilMembers),
      members: [...members.values()].sort((a, b) => a.householdNo.localeCompare(b.householdNo) || a.name.localeCompare(b.name)),
    };
  }

  create(actor: Actor, code: string, input: HouseholdInput): Promise<HouseholdView> {
    return this.registry.create(actor, code, input);
  }

  update(actor: Actor, id: number, patch: HouseholdPatch): Promise<HouseholdView> {
    return this.registry.update(actor, id, patch);
  }

  /** Imports a registry file, all or nothing (households.import.service.ts). */
  import(actor: Actor, code: string, body: ImportBody): Promise<ImportSummaryView> {
    return this.importer.import(actor, code, body);
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

  /**
   * `identify` as a relation (id, household_no) for another module's single statement (issue 20):
   * the same three facts compared in SQL; the caller passes the head's name through
   * `normalizePersonName` and trims the number and the digits, as `identify` does.
   */
  identifiedRelation(args: { communityCode: SQL; householdNo: SQL; normalizedHeadName: SQL; phoneLast4: SQL }): SQL {
    return this.repo.identifiedRelation(args);
  }

  /** `byNumber` as a relation (id, household_no) for another module's single statement. */
  numberedRelation(args: { communityCode: SQL; householdNo: SQL }): SQL {
    return this.repo.numberedRelation(args);
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

  /**
   * Inserts household members as given, and for each role an open roster term from `termsFrom`
   * (ADR 0013), so that the demo's decisions count the roster as the registry states it.
   */
  async seedMembers(
    db: Executor,
    rows: Parameters<HouseholdsRepository['insertMembers']>[1],
    termsFrom: { communityCode: string; fromDate: string },
  ): Promise<void> {
    await this.repo.insertMembers(db, rows);
    const terms = rows.flatMap((m) =>
      (['representative', 'council_member'] as const)
        .filter((body) => (body === 'representative' ? m.isRepresentative : m.isCouncilMember))
        .map((body) => ({ ...termsFrom, body, personName: m.name, householdId: m.householdId })),
    );
    await this.terms.seed(db, terms);
  }
}
