import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import { AuthService } from '../auth/auth.service.js';
import { passwordProblem } from '../auth/auth.rules.js';
import type { RegionsService } from '../regions/regions.service.js';
import { ProcurementRepository, type IneligibilityRow, type ProviderRow } from './procurement.repository.js';
import {
  checkCreditCode,
  ELIGIBILITY_CLAUSE,
  eligibilityFor,
  PROCUREMENT_CLAUSE,
  PROVIDER_KIND_LABELS,
  type Eligibility,
} from './procurement.rules.js';
import type {
  CreateProviderAccountBody,
  CreateProviderBody,
  IneligibilityBody,
  ProviderAccountView,
  ProviderListView,
  ProvidersQuery,
  ProviderView,
  UpdateProviderBody,
} from './procurement.schemas.js';
import { providerAudit, providerNotFound, qualificationRow, toIneligibility } from './procurement.views.js';

/**
 * The provider registry [N 3.1.3] with each provider's eligibility by year [N 3.2]: registration,
 * staff sign-ins, and the years a provider may not be contracted (by a bureau, or after a 不合格
 * final evaluation).
 */
export class ProvidersService {
  private readonly repo = new ProcurementRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly auth: AuthService,
    private readonly clock: Now,
  ) {}

  private thisYear(): number {
    return Number(todayInChina(this.clock()).slice(0, 4));
  }

  async listProviders(actor: Actor, filter: ProvidersQuery): Promise<ProviderListView> {
    requirePermission(actor, 'providers:read');
    const { items, total } = await this.repo.providers(this.db, {
      kind: filter.kind,
      q: filter.q,
      ids: actor.role === 'provider' ? [actor.orgId ?? -1] : undefined,
      limit: Math.min(filter.limit ?? 50, 500),
      offset: filter.offset ?? 0,
    });
    return { total, items: await this.providerViews(this.db, items, filter.year ?? this.thisYear()) };
  }

  async getProvider(actor: Actor, id: number, year?: number): Promise<ProviderView> {
    requirePermission(actor, 'providers:read');
    const row = await this.repo.provider(this.db, id);
    if (!row || (actor.role === 'provider' && actor.orgId !== row.id)) throw providerNotFound();
    return (await this.providerViews(this.db, [row], year ?? this.thisYear()))[0]!;
  }

  async createProvider(actor: Actor, input: CreateProviderBody): Promise<ProviderView> {
    requirePermission(actor, 'providers:write');
    if (input.regionCode) await this.regions.requireInScope(actor, input.regionCode);
    const code = checkCreditCode(input.creditCode);
    if (!code.ok)
      throw new DomainError(
        'INVALID_CREDIT_CODE',
        { zh: code.zh, en: code.en },
        { kind: 'invalid', field: 'creditCode', clause: PROCUREMENT_CLAUSE, details: { reason: code.reason } },
      );
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertProvider(tx, {
        name: input.name.trim(),
        kind: input.kind,
        creditCode: code.code,
        registrationAuthority: input.registrationAuthority.trim(),
        address: input.address ?? '',
        contacts: input.contacts,
        regionCode: input.regionCode ?? null,
        createdByUserId: actor.userId,
      });
      if (!row) {
        throw new DomainError(
          'CREDIT_CODE_TAKEN',
          { zh: `统一社会信用代码 ${code.code} 已登记`, en: `A provider with credit code ${code.code} is already registered` },
          { kind: 'conflict', field: 'creditCode' },
        );
      }
      await this.repo.replaceQualifications(tx, row.id, (input.qualifications ?? []).map(qualificationRow));
      await this.audit.record(tx, actor, {
        action: 'provider.create',
        entityType: 'provider',
        entityId: String(row.id),
        after: { name: row.name, kind: row.kind, creditCode: row.creditCode },
      });
      return (await this.providerViews(tx, [row], this.thisYear()))[0]!;
    });
  }

  async updateProvider(actor: Actor, id: number, patch: UpdateProviderBody): Promise<ProviderView> {
    requirePermission(actor, 'providers:write');
    const existing = await this.repo.provider(this.db, id);
    if (!existing) throw providerNotFound();
    await this.requireProviderWritable(actor, existing);
    if (patch.regionCode) await this.regions.requireInScope(actor, patch.regionCode);
    return this.db.transaction(async (tx) => {
      const before = (await this.repo.provider(tx, id, true))!;
      await this.repo.updateProvider(tx, id, {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.registrationAuthority !== undefined ? { registrationAuthority: patch.registrationAuthority.trim() } : {}),
        ...(patch.address !== undefined ? { address: patch.address } : {}),
        ...(patch.contacts !== undefined ? { contacts: patch.contacts } : {}),
        ...(patch.regionCode !== undefined ? { regionCode: patch.regionCode } : {}),
      });
      if (patch.qualifications) await this.repo.replaceQualifications(tx, id, patch.qualifications.map(qualificationRow));
      const after = (await this.repo.provider(tx, id))!;
      await this.audit.record(tx, actor, {
        action: 'provider.update',
        entityType: 'provider',
        entityId: String(id),
        before: providerAudit(before),
        after: providerAudit(after),
      });
      return (await this.providerViews(tx, [after], this.thisYear()))[0]!;
    });
  }

  /** A sign-in for the provider's staff (role provider, scoped to this organisation). */
  async createProviderAccount(actor: Actor, providerId: number, input: CreateProviderAccountBody): Promise<ProviderAccountView> {
    requirePermission(actor, 'providers:write');
    const existing = await this.repo.provider(this.db, providerId);
    if (!existing) throw providerNotFound();
    await this.requireProviderWritable(actor, existing);
    const problem = passwordProblem(input.password, input.username);
    if (problem)
      throw new DomainError(
        'WEAK_PASSWORD',
        { zh: `字段 password 无效：密码${problem.zh}`, en: `Field password is invalid: the password ${problem.en}` },
        { kind: 'invalid', field: 'password' },
      );
    const passwordHash = await AuthService.hashPassword(input.password);
    const taken = () =>
      new DomainError(
        'USERNAME_TAKEN',
        { zh: `用户名 ${input.username} 已被使用`, en: `The username ${input.username} is taken` },
        { kind: 'conflict', field: 'username' },
      );
    return heldOnce(
      this.db.transaction(async (tx) => {
        if (await this.auth.accountOf(input.username, tx)) throw taken();
        // One account per username (app_user_username_unique): a twin inserting the same name at the
        // same moment waits for this insert and then inserts nothing — it is refused, even for the same provider.
        const inserted = await this.auth.insertUsers(
          [
            {
              username: input.username,
              displayName: input.displayName ?? existing.name,
              role: 'provider',
              scopeCode: null,
              orgId: providerId,
              passwordHash,
            },
          ],
          tx,
        );
        if (inserted !== 1) throw taken();
        const account = (await this.auth.accountOf(input.username, tx))!;
        await this.audit.record(tx, actor, {
          action: 'provider.account',
          entityType: 'user',
          entityId: String(account.id),
          after: { username: input.username, role: 'provider', orgId: providerId },
        });
        return { id: account.id, username: input.username, role: 'provider' as const, orgId: providerId };
      }),
    );
  }

  /** A bureau records that a provider may not be contracted in a year (manual source). */
  async addIneligibility(actor: Actor, providerId: number, input: IneligibilityBody): Promise<ProviderView> {
    requirePermission(actor, 'providers:write');
    const existing = await this.repo.provider(this.db, providerId);
    if (!existing) throw providerNotFound();
    await this.requireProviderWritable(actor, existing);
    return this.db.transaction(async (tx) => {
      await this.recordIneligibility(
        tx,
        { providerId, year: input.year, reason: input.reason, source: 'manual', sourceRef: input.sourceRef ?? null },
        actor,
      );
      return (await this.providerViews(tx, [existing], input.year))[0]!;
    });
  }

  /**
   * [N 3.2] For the evaluation module (issue 8), inside its transaction: after a 不合格 final
   * evaluation in year Y, record the provider as ineligible for Y + 1. Idempotent per
   * provider, year and source.
   */
  async recordIneligibility(
    tx: Executor,
    input: { providerId: number; year: number; reason: string; source: 'final_evaluation' | 'manual'; sourceRef: string | null },
    actor: AuditActor,
  ): Promise<IneligibilityRow | null> {
    const row = await this.repo.insertIneligibility(tx, { ...input, createdByUserId: actor.userId });
    if (!row) return null;
    await this.audit.record(tx, actor, {
      action: 'provider.ineligible',
      entityType: 'provider',
      entityId: String(input.providerId),
      after: { year: input.year, reason: input.reason, source: input.source, sourceRef: input.sourceRef },
    });
    return row;
  }

  /** [N 3.2] For the year opening: the providers already recorded ineligible for a year after a 不合格 final evaluation. No access check. */
  async ineligibleAfterEvaluation(db: Executor, year: number): Promise<number[]> {
    return (await this.repo.ineligibilitiesOfYear(db, year, 'final_evaluation')).map((r) => r.providerId);
  }

  /** Eligibility of a provider for a fund year, with the reasons (for other modules and views). */
  async eligibility(db: Executor, providerId: number, year: number): Promise<Eligibility> {
    return eligibilityFor(year, (await this.repo.ineligibilities(db, [providerId])).map(toIneligibility));
  }

  private async requireProviderWritable(actor: Actor, row: ProviderRow) {
    // A district bureau keeps the providers registered in its district; the city keeps all.
    if (row.regionCode && actor.scopePath && actor.scopePath.includes('/')) {
      const region = await this.regions.requireInScope(actor, row.regionCode).catch(() => null);
      if (!region)
        throw new DomainError(
          'FORBIDDEN',
          { zh: '该承接主体由其他区县登记，无权修改', en: 'The provider is registered by another district' },
          { kind: 'forbidden' },
        );
    }
  }

  /** [N 3.2] Refuses a provider not eligible in the fund year. */
  async requireEligible(db: Executor, providerId: number, year: number, field = 'selectedProviderId') {
    const e = await this.eligibility(db, providerId, year);
    if (!e.eligible) {
      throw new DomainError(
        'PROVIDER_INELIGIBLE',
        {
          zh: `该承接主体 ${year} 年度不具备承接资格：${e.reasons.map((r) => r.reason).join('；')}`,
          en: `The provider is not eligible in ${year}: ${e.reasons.map((r) => r.reason).join('; ')}`,
        },
        { kind: 'rule', clause: ELIGIBILITY_CLAUSE, field, details: { year, reasons: e.reasons } },
      );
    }
  }

  private async providerViews(db: Executor, rows: ProviderRow[], year: number): Promise<ProviderView[]> {
    const ids = rows.map((r) => r.id);
    const quals = await this.repo.qualifications(db, ids);
    const inel = await this.repo.ineligibilities(db, ids);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      kindLabel: PROVIDER_KIND_LABELS[r.kind],
      creditCode: r.creditCode,
      registrationAuthority: r.registrationAuthority,
      address: r.address,
      regionCode: r.regionCode,
      contacts: r.contacts,
      qualifications: quals
        .filter((q) => q.providerId === r.id)
        .map((q) => ({ id: q.id, name: q.name, issuer: q.issuer, number: q.number, validUntil: q.validUntil })),
      ineligibilities: inel.filter((i) => i.providerId === r.id).map((i) => ({ id: i.id, ...toIneligibility(i) })),
      eligibility: eligibilityFor(year, inel.filter((i) => i.providerId === r.id).map(toIneligibility)),
    }));
  }
}
