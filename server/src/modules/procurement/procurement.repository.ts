import { and, asc, desc, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  contract,
  contractInstalment,
  contractProject,
  contractShare,
  paymentRequest,
  procurement,
  provider,
  providerIneligibility,
  providerQualification,
} from '../../db/schema/procurement.js';
import { region } from '../../db/schema/regions.js';
import { containsPattern, underPath, underPathSql } from '../../common/region-scope.js';

export type ProviderRow = typeof provider.$inferSelect;
export type QualificationRow = typeof providerQualification.$inferSelect;
export type IneligibilityRow = typeof providerIneligibility.$inferSelect;
export type ProcurementRow = typeof procurement.$inferSelect;
export type ContractRow = typeof contract.$inferSelect;
export type InstalmentRow = typeof contractInstalment.$inferSelect;
export type ContractShareRow = typeof contractShare.$inferSelect;
export type PaymentRequestRow = typeof paymentRequest.$inferSelect;

/** Scope of a list: a region path prefix (region roles) or a provider (provider accounts). */
export type ListScope = { pathPrefix: string } | { providerId: number };

export class ProcurementRepository {
  // ---- providers ----

  async insertProvider(db: Executor, row: typeof provider.$inferInsert): Promise<ProviderRow | undefined> {
    return (await db.insert(provider).values(row).onConflictDoNothing().returning())[0];
  }

  async updateProvider(db: Executor, id: number, patch: Partial<typeof provider.$inferInsert>) {
    await db
      .update(provider)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(provider.id, id));
  }

  async provider(db: Executor, id: number, lock = false): Promise<ProviderRow | undefined> {
    const q = db.select().from(provider).where(eq(provider.id, id));
    return (lock ? await q.for('update') : await q)[0];
  }

  async providerByCreditCode(db: Executor, creditCode: string): Promise<ProviderRow | undefined> {
    return (await db.select().from(provider).where(eq(provider.creditCode, creditCode)))[0];
  }

  async providers(db: Executor, filter: { kind?: string; q?: string; ids?: number[]; limit: number; offset: number }) {
    const conditions: SQL[] = [];
    if (filter.kind) conditions.push(eq(provider.kind, filter.kind as ProviderRow['kind']));
    if (filter.q)
      conditions.push(
        or(ilike(provider.name, containsPattern(filter.q)), like(provider.creditCode, containsPattern(filter.q.toUpperCase())))!,
      );
    if (filter.ids) conditions.push(filter.ids.length ? inArray(provider.id, filter.ids) : sql`false`);
    const where = conditions.length ? and(...conditions) : undefined;
    const [items, totals] = await Promise.all([
      db.select().from(provider).where(where).orderBy(asc(provider.id)).limit(filter.limit).offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(provider)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  async providersByIds(db: Executor, ids: number[]): Promise<ProviderRow[]> {
    if (ids.length === 0) return [];
    return db
      .select()
      .from(provider)
      .where(inArray(provider.id, [...new Set(ids)]));
  }

  async replaceQualifications(db: Executor, providerId: number, rows: Omit<typeof providerQualification.$inferInsert, 'providerId'>[]) {
    await db.delete(providerQualification).where(eq(providerQualification.providerId, providerId));
    if (rows.length) await db.insert(providerQualification).values(rows.map((r) => ({ ...r, providerId })));
  }

  async qualifications(db: Executor, providerIds: number[]): Promise<QualificationRow[]> {
    if (providerIds.length === 0) return [];
    return db
      .select()
      .from(providerQualification)
      .where(inArray(providerQualification.providerId, providerIds))
      .orderBy(asc(providerQualification.id));
  }

  async insertIneligibility(db: Executor, row: typeof providerIneligibility.$inferInsert): Promise<IneligibilityRow | undefined> {
    return (await db.insert(providerIneligibility).values(row).onConflictDoNothing().returning())[0];
  }

  /** The ineligibilities recorded for a year from one source. */
  async ineligibilitiesOfYear(db: Executor, year: number, source: IneligibilityRow['source']): Promise<IneligibilityRow[]> {
    return db
      .select()
      .from(providerIneligibility)
      .where(and(eq(providerIneligibility.year, year), eq(providerIneligibility.source, source)))
      .orderBy(asc(providerIneligibility.providerId));
  }

  async ineligibilities(db: Executor, providerIds: number[]): Promise<IneligibilityRow[]> {
    if (providerIds.length === 0) return [];
    return db
      .select()
      .from(providerIneligibility)
      .where(inArray(providerIneligibility.providerId, providerIds))
      .orderBy(asc(providerIneligibility.year), asc(providerIneligibility.id));
  }

  // ---- procurements ----

  async insertProcurement(db: Executor, row: typeof procurement.$inferInsert): Promise<ProcurementRow> {
    return (await db.insert(procurement).values(row).returning())[0]!;
  }

  async procurement(db: Executor, id: number): Promise<ProcurementRow | undefined> {
    return (await db.select().from(procurement).where(eq(procurement.id, id)))[0];
  }

  async procurements(db: Executor, scope: ListScope, filter: { fundYear?: number; limit: number; offset: number }) {
    const conditions: SQL[] = [
      'pathPrefix' in scope ? underPath(procurement.regionPath, scope.pathPrefix) : eq(procurement.selectedProviderId, scope.providerId),
    ];
    if (filter.fundYear) conditions.push(eq(procurement.fundYear, filter.fundYear));
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db.select().from(procurement).where(where).orderBy(desc(procurement.id)).limit(filter.limit).offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(procurement)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  // ---- contracts ----

  async insertContract(db: Executor, row: typeof contract.$inferInsert): Promise<ContractRow> {
    return (await db.insert(contract).values(row).returning())[0]!;
  }

  async contract(db: Executor, id: number, lock = false): Promise<ContractRow | undefined> {
    const q = db.select().from(contract).where(eq(contract.id, id));
    return (lock ? await q.for('update') : await q)[0];
  }

  async updateContract(db: Executor, id: number, patch: Partial<typeof contract.$inferInsert>) {
    await db
      .update(contract)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(contract.id, id));
  }

  async contracts(
    db: Executor,
    scope: ListScope,
    filter: { fundYear?: number; status?: string; communityCode?: string; limit: number; offset: number },
  ) {
    // [N 2.3] An area contract is also under each member's path and of each member community.
    const memberUnder = (prefix: string) =>
      sql`exists (select 1 from ${contractShare} s where s.contract_id = ${contract.id} and ${underPathSql(sql`s.region_path`, prefix)})`;
    const conditions: SQL[] = [
      'pathPrefix' in scope
        ? or(underPath(contract.regionPath, scope.pathPrefix), memberUnder(scope.pathPrefix))!
        : eq(contract.providerId, scope.providerId),
    ];
    if (filter.fundYear) conditions.push(eq(contract.fundYear, filter.fundYear));
    if (filter.status) conditions.push(eq(contract.status, filter.status as ContractRow['status']));
    if (filter.communityCode)
      conditions.push(
        or(
          eq(contract.communityCode, filter.communityCode),
          sql`exists (select 1 from ${contractShare} s where s.contract_id = ${contract.id} and s.community_code = ${filter.communityCode})`,
        )!,
      );
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db.select().from(contract).where(where).orderBy(desc(contract.id)).limit(filter.limit).offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(contract)
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  async insertContractShares(db: Executor, rows: (typeof contractShare.$inferInsert)[]) {
    if (rows.length) await db.insert(contractShare).values(rows);
  }

  /** [N 2.3] The members' parts of area contracts (none for a contract funded by one community). */
  async contractShares(db: Executor, contractIds: number[]): Promise<ContractShareRow[]> {
    if (!contractIds.length) return [];
    return db
      .select()
      .from(contractShare)
      .where(inArray(contractShare.contractId, contractIds))
      .orderBy(asc(contractShare.contractId), asc(contractShare.communityCode));
  }

  /** The names of communities (the region table, read only), by code. */
  async regionNames(db: Executor, codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows = await db.select({ code: region.code, name: region.name }).from(region).where(inArray(region.code, codes));
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async updateContractShare(db: Executor, contractId: number, communityCode: string, patch: Partial<typeof contractShare.$inferInsert>) {
    await db
      .update(contractShare)
      .set(patch)
      .where(and(eq(contractShare.contractId, contractId), eq(contractShare.communityCode, communityCode)));
  }

  async insertContractProjects(db: Executor, contractId: number, projectIds: number[]) {
    if (projectIds.length) await db.insert(contractProject).values(projectIds.map((planProjectId) => ({ contractId, planProjectId })));
  }

  /** Cancelling ends the contract's hold on its projects (contract_project_live_idx). */
  async endContractProjects(db: Executor, contractId: number) {
    await db.update(contractProject).set({ live: false }).where(eq(contractProject.contractId, contractId));
  }

  async contractProjectIds(db: Executor, contractId: number): Promise<number[]> {
    return (
      await db
        .select({ id: contractProject.planProjectId })
        .from(contractProject)
        .where(eq(contractProject.contractId, contractId))
        .orderBy(asc(contractProject.planProjectId))
    ).map((r) => r.id);
  }

  /** Live (draft or signed) contracts already covering any of these projects. */
  async liveContractsCovering(db: Executor, projectIds: number[]): Promise<{ contractId: number; planProjectId: number }[]> {
    if (projectIds.length === 0) return [];
    return db
      .select({ contractId: contract.id, planProjectId: contractProject.planProjectId })
      .from(contractProject)
      .innerJoin(contract, eq(contract.id, contractProject.contractId))
      .where(and(inArray(contractProject.planProjectId, projectIds), inArray(contract.status, ['draft', 'signed', 'completed'])));
  }

  /** Relation (plan_project_id) of the projects covered by a contract in one of these statuses, for other modules' aggregates. */
  coveredProjectsRelation(statuses: ContractRow['status'][]): SQL {
    return sql`select cp.plan_project_id from ${contractProject} cp join ${contract} c on c.id = cp.contract_id where c.status in (${sql.join(
      statuses.map((x) => sql`${x}`),
      sql`, `,
    )})`;
  }

  /** Relation (contract_id, plan_project_id, amount_fen) of live (not cancelled) contracts and the projects they cover. */
  liveContractLinksRelation(): SQL {
    return sql`select cp.contract_id, cp.plan_project_id, c.amount_fen from ${contractProject} cp join ${contract} c on c.id = cp.contract_id where c.status in ('draft', 'signed', 'completed')`;
  }

  // ---- instalments ----

  async insertInstalments(db: Executor, rows: (typeof contractInstalment.$inferInsert)[]) {
    if (rows.length) await db.insert(contractInstalment).values(rows);
  }

  async instalments(db: Executor, contractIds: number[]): Promise<InstalmentRow[]> {
    if (contractIds.length === 0) return [];
    return db
      .select()
      .from(contractInstalment)
      .where(inArray(contractInstalment.contractId, contractIds))
      .orderBy(asc(contractInstalment.contractId), asc(contractInstalment.seq));
  }

  async instalment(db: Executor, id: number, lock = false): Promise<InstalmentRow | undefined> {
    const q = db.select().from(contractInstalment).where(eq(contractInstalment.id, id));
    return (lock ? await q.for('update') : await q)[0];
  }

  async updateInstalment(db: Executor, id: number, patch: Partial<typeof contractInstalment.$inferInsert>) {
    await db.update(contractInstalment).set(patch).where(eq(contractInstalment.id, id));
  }

  async voidOpenInstalments(db: Executor, contractId: number) {
    await db
      .update(contractInstalment)
      .set({ status: 'void' })
      .where(and(eq(contractInstalment.contractId, contractId), inArray(contractInstalment.status, ['open', 'requested'])));
  }

  // ---- payment requests ----

  /** Inserts unless the instalment already has a live request (unique partial index); undefined then. */
  async insertPaymentRequestOnce(db: Executor, row: typeof paymentRequest.$inferInsert): Promise<PaymentRequestRow | undefined> {
    return (
      await db
        .insert(paymentRequest)
        .values(row)
        .onConflictDoNothing({ target: paymentRequest.instalmentId, where: sql`${paymentRequest.status} in ('requested','approved')` })
        .returning()
    )[0];
  }

  async paymentRequest(db: Executor, id: number, lock = false): Promise<PaymentRequestRow | undefined> {
    const q = db.select().from(paymentRequest).where(eq(paymentRequest.id, id));
    return (lock ? await q.for('update') : await q)[0];
  }

  async updatePaymentRequest(db: Executor, id: number, patch: Partial<typeof paymentRequest.$inferInsert>) {
    await db.update(paymentRequest).set(patch).where(eq(paymentRequest.id, id));
  }

  async rejectLiveRequests(db: Executor, contractId: number, note: string, on: string, userId: number | null) {
    await db
      .update(paymentRequest)
      .set({ status: 'rejected', decisionNote: note, decidedOn: on, decidedByUserId: userId })
      .where(and(eq(paymentRequest.contractId, contractId), eq(paymentRequest.status, 'requested')));
  }

  async paymentRequests(db: Executor, scope: ListScope, filter: { status?: string; contractId?: number; limit: number; offset: number }) {
    const conditions: SQL[] = [
      'pathPrefix' in scope ? underPath(contract.regionPath, scope.pathPrefix) : eq(contract.providerId, scope.providerId),
    ];
    if (filter.status) conditions.push(eq(paymentRequest.status, filter.status as PaymentRequestRow['status']));
    if (filter.contractId) conditions.push(eq(paymentRequest.contractId, filter.contractId));
    const where = and(...conditions);
    const [items, totals] = await Promise.all([
      db
        .select({ request: paymentRequest, contract, instalment: contractInstalment })
        .from(paymentRequest)
        .innerJoin(contract, eq(contract.id, paymentRequest.contractId))
        .innerJoin(contractInstalment, eq(contractInstalment.id, paymentRequest.instalmentId))
        .where(where)
        .orderBy(desc(paymentRequest.id))
        .limit(filter.limit)
        .offset(filter.offset),
      db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(paymentRequest)
        .innerJoin(contract, eq(contract.id, paymentRequest.contractId))
        .where(where),
    ]);
    return { items, total: totals[0]?.total ?? 0 };
  }

  async paymentRequestsOfContract(db: Executor, contractId: number): Promise<PaymentRequestRow[]> {
    return db.select().from(paymentRequest).where(eq(paymentRequest.contractId, contractId)).orderBy(asc(paymentRequest.id));
  }
}
