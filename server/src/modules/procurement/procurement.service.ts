import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { DocumentRef, ProcurementCandidate, ProviderContact } from '../../db/schema/index.js';
import { pathInScope, requirePermission, type Actor, type Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { atMostOneError, heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import { AuthService } from '../auth/auth.service.js';
import { passwordProblem } from '../auth/auth.rules.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { ProcurementRepository, type ContractRow, type IneligibilityRow, type InstalmentRow, type ListScope, type PaymentRequestRow, type ProcurementRow, type ProviderRow } from './procurement.repository.js';
import {
  checkCreditCode, checkInstalments, checkProcurementMethod, checkWithinContract, conditionHolds, DISBURSEMENT_CLAUSE, ELIGIBILITY_CLAUSE, eligibilityFor, remainderVoidOf,
  INSTALMENT_CONDITION_LABELS, PROCUREMENT_CLAUSE, PROCUREMENT_METHOD_LABELS, PROVIDER_KIND_LABELS,
  type EvaluationOutcome, type InstalmentCondition, type InstalmentPlan, type ProcurementMethod, type ProviderKind, type RuleResult,
} from './procurement.rules.js';

/** Where "today" comes from; tests replace it to place the service on a given China date. */

/** A plan project with its plan's status and region, as the plans service gives it. */
export interface PlanProjectInfo {
  projectId: number;
  planId: number;
  fundYear: number;
  communityCodes: string[];
  catalogueCode: string;
  title: string;
  budgetFen: number;
  status: string;
  regionPath: string;
}

/** What this module needs from the plans module (issue 6): `services.plans`. */
export interface PlanProjectSource {
  getProject(db: Executor, projectId: number): Promise<PlanProjectInfo | null | undefined>;
  filedProjects(db: Executor, filter: { communityCode?: string; regionPrefix?: string; fundYear?: number }): Promise<PlanProjectInfo[]>;
}

/**
 * Results of the mid-term and final evaluations of a contract's projects [N 3.2]. The evaluation
 * module (issue 8) plugs its own source in (`services.procurement.evaluations = …`); until then
 * there is no evaluation yet, so conditions after an evaluation do not hold.
 */
export interface EvaluationOutcomeSource {
  outcomes(db: Executor, contract: { id: number; fundYear: number; projectIds: number[] }): Promise<{ midterm: EvaluationOutcome; final: EvaluationOutcome }>;
}

export const NO_EVALUATIONS: EvaluationOutcomeSource = { outcomes: async () => ({ midterm: null, final: null }) };

export interface ProviderInput {
  name: string;
  kind: ProviderKind;
  creditCode: string;
  registrationAuthority: string;
  address?: string;
  regionCode?: string | null;
  contacts: ProviderContact[];
  qualifications?: { name: string; issuer?: string; number?: string; validUntil?: string | null }[];
}

export interface ProcurementInput {
  fundYear: number;
  purchaserCode: string;
  method: ProcurementMethod;
  projectIds: number[];
  candidates: { providerId: number | null; name: string; quoteFen?: number | null; note?: string }[];
  selectedProviderId: number;
  selectionReason: string;
  documents?: { name: string; kind: string; ref?: string | null }[];
  decidedOn: string;
  /** Idempotency key: a retry with the same key and body answers the first result. */
  requestId?: string;
}

export interface ContractInput {
  procurementId: number;
  communityCode: string;
  title: string;
  amountFen: number;
  startsOn: string;
  endsOn: string;
  deliverables: string[];
  projectIds?: number[];
  instalments: InstalmentPlan[];
  /** Idempotency key: a retry with the same key and body answers the first result. */
  requestId?: string;
}

const notFound = (zh: string, en: string) => new DomainError('NOT_FOUND', { zh: `${zh}不存在或无权查看`, en: `${en} not found` }, { kind: 'not_found' });
const providerNotFound = () => notFound('承接主体', 'Provider');
const procurementNotFound = () => notFound('采购记录', 'Procurement');
const contractNotFound = () => notFound('合同', 'Contract');
const instalmentNotFound = () => notFound('付款期次', 'Instalment');
const requestNotFound = () => notFound('拨付申请', 'Payment request');
const fromRule = (r: Exclude<RuleResult, { ok: true }>, kind: 'rule' | 'invalid' = 'rule') =>
  new DomainError(r.code, { zh: r.zh, en: r.en }, { kind, clause: r.clause, ...(r.field ? { field: r.field } : {}), ...(r.details !== undefined ? { details: r.details } : {}) });

/** The ledger reference of a contract: its account and every transfer id derive from it. */
export const contractRef = (c: Pick<ContractRow, 'id' | 'fundYear'>) => `HT${c.fundYear}-${String(c.id).padStart(6, '0')}`;

/**
 * Purchase of services [N 3.1.3]: the provider registry with eligibility [N 3.2], procurement
 * records, contracts with instalments (signing commits in the ledger), and payment requests that
 * the street office approves (disbursement [N 3.3]). One transaction per change, with its audit.
 */
export class ProcurementService {
  readonly repo = new ProcurementRepository();
  readonly idem = new IdempotencyService();
  evaluations: EvaluationOutcomeSource = NO_EVALUATIONS;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly ledger: LedgerService,
    public plans: PlanProjectSource,
    private readonly auth: AuthService,
    public clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  // ================================================================ providers

  async listProviders(actor: Actor, filter: { year?: number; kind?: ProviderKind; q?: string; limit?: number; offset?: number }) {
    requirePermission(actor, 'providers:read');
    const { items, total } = await this.repo.providers(this.db, {
      kind: filter.kind, q: filter.q, ids: actor.role === 'provider' ? [actor.orgId ?? -1] : undefined, limit: Math.min(filter.limit ?? 50, 500), offset: filter.offset ?? 0,
    });
    return { total, items: await this.providerViews(this.db, items, filter.year ?? Number(this.today().slice(0, 4))) };
  }

  async getProvider(actor: Actor, id: number, year?: number) {
    requirePermission(actor, 'providers:read');
    const row = await this.repo.provider(this.db, id);
    if (!row || (actor.role === 'provider' && actor.orgId !== row.id)) throw providerNotFound();
    return (await this.providerViews(this.db, [row], year ?? Number(this.today().slice(0, 4))))[0]!;
  }

  async createProvider(actor: Actor, input: ProviderInput) {
    requirePermission(actor, 'providers:write');
    if (input.regionCode) await this.regions.requireInScope(actor, input.regionCode);
    const code = checkCreditCode(input.creditCode);
    if (!code.ok) throw new DomainError('INVALID_CREDIT_CODE', { zh: code.zh, en: code.en }, { kind: 'invalid', field: 'creditCode', clause: PROCUREMENT_CLAUSE, details: { reason: code.reason } });
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertProvider(tx, {
        name: input.name.trim(), kind: input.kind, creditCode: code.code, registrationAuthority: input.registrationAuthority.trim(), address: input.address ?? '',
        contacts: input.contacts, regionCode: input.regionCode ?? null, createdByUserId: actor.userId,
      });
      if (!row) {
        throw new DomainError('CREDIT_CODE_TAKEN', { zh: `统一社会信用代码 ${code.code} 已登记`, en: `A provider with credit code ${code.code} is already registered` }, { kind: 'conflict', field: 'creditCode' });
      }
      await this.repo.replaceQualifications(tx, row.id, (input.qualifications ?? []).map(qualificationRow));
      await this.audit.record(tx, actor, { action: 'provider.create', entityType: 'provider', entityId: String(row.id), after: { name: row.name, kind: row.kind, creditCode: row.creditCode } });
      return (await this.providerViews(tx, [row], Number(this.today().slice(0, 4))))[0]!;
    });
  }

  async updateProvider(actor: Actor, id: number, patch: Partial<Omit<ProviderInput, 'creditCode' | 'kind'>>) {
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
      await this.audit.record(tx, actor, { action: 'provider.update', entityType: 'provider', entityId: String(id), before: providerAudit(before), after: providerAudit(after) });
      return (await this.providerViews(tx, [after], Number(this.today().slice(0, 4))))[0]!;
    });
  }

  /** A sign-in for the provider's staff (role provider, scoped to this organisation). */
  async createProviderAccount(actor: Actor, providerId: number, input: { username: string; displayName?: string; password: string }) {
    requirePermission(actor, 'providers:write');
    const existing = await this.repo.provider(this.db, providerId);
    if (!existing) throw providerNotFound();
    await this.requireProviderWritable(actor, existing);
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw new DomainError('WEAK_PASSWORD', { zh: `字段 password 无效：密码${problem.zh}`, en: `Field password is invalid: the password ${problem.en}` }, { kind: 'invalid', field: 'password' });
    const passwordHash = await AuthService.hashPassword(input.password);
    const taken = () => new DomainError('USERNAME_TAKEN', { zh: `用户名 ${input.username} 已被使用`, en: `The username ${input.username} is taken` }, { kind: 'conflict', field: 'username' });
    return heldOnce(this.db.transaction(async (tx) => {
      if (await this.auth.accountOf(input.username, tx)) throw taken();
      // One account per username (app_user_username_unique): a twin inserting the same name at the
      // same moment waits for this insert and then inserts nothing — it is refused, even for the same provider.
      const inserted = await this.auth.insertUsers([{ username: input.username, displayName: input.displayName ?? existing.name, role: 'provider', scopeCode: null, orgId: providerId, passwordHash }], tx);
      if (inserted !== 1) throw taken();
      const account = (await this.auth.accountOf(input.username, tx))!;
      await this.audit.record(tx, actor, { action: 'provider.account', entityType: 'user', entityId: String(account.id), after: { username: input.username, role: 'provider', orgId: providerId } });
      return { id: account.id, username: input.username, role: 'provider' as const, orgId: providerId };
    }));
  }

  /** A bureau records that a provider may not be contracted in a year (manual source). */
  async addIneligibility(actor: Actor, providerId: number, input: { year: number; reason: string; sourceRef?: string | null }) {
    requirePermission(actor, 'providers:write');
    const existing = await this.repo.provider(this.db, providerId);
    if (!existing) throw providerNotFound();
    await this.requireProviderWritable(actor, existing);
    return this.db.transaction(async (tx) => {
      await this.recordIneligibility(tx, { providerId, year: input.year, reason: input.reason, source: 'manual', sourceRef: input.sourceRef ?? null }, actor);
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
    await this.audit.record(tx, actor, { action: 'provider.ineligible', entityType: 'provider', entityId: String(input.providerId), after: { year: input.year, reason: input.reason, source: input.source, sourceRef: input.sourceRef } });
    return row;
  }

  /** Eligibility of a provider for a fund year, with the reasons (for other modules and views). */
  async eligibility(db: Executor, providerId: number, year: number) {
    return eligibilityFor(year, (await this.repo.ineligibilities(db, [providerId])).map(toIneligibility));
  }

  private async requireProviderWritable(actor: Actor, row: ProviderRow) {
    // A district bureau keeps the providers registered in its district; the city keeps all.
    if (row.regionCode && actor.scopePath && actor.scopePath.includes('/')) {
      const region = await this.regions.requireInScope(actor, row.regionCode).catch(() => null);
      if (!region) throw new DomainError('FORBIDDEN', { zh: '该承接主体由其他区县登记，无权修改', en: 'The provider is registered by another district' }, { kind: 'forbidden' });
    }
  }

  private async requireEligible(db: Executor, providerId: number, year: number) {
    const e = await this.eligibility(db, providerId, year);
    if (!e.eligible) {
      throw new DomainError(
        'PROVIDER_INELIGIBLE',
        { zh: `该承接主体 ${year} 年度不具备承接资格：${e.reasons.map((r) => r.reason).join('；')}`, en: `The provider is not eligible in ${year}: ${e.reasons.map((r) => r.reason).join('; ')}` },
        { kind: 'rule', clause: ELIGIBILITY_CLAUSE, field: 'selectedProviderId', details: { year, reasons: e.reasons } },
      );
    }
  }

  private async providerViews(db: Executor, rows: ProviderRow[], year: number) {
    const ids = rows.map((r) => r.id);
    const quals = await this.repo.qualifications(db, ids);
    const inel = await this.repo.ineligibilities(db, ids);
    return rows.map((r) => ({
      id: r.id, name: r.name, kind: r.kind, kindLabel: PROVIDER_KIND_LABELS[r.kind], creditCode: r.creditCode, registrationAuthority: r.registrationAuthority,
      address: r.address, regionCode: r.regionCode, contacts: r.contacts,
      qualifications: quals.filter((q) => q.providerId === r.id).map((q) => ({ id: q.id, name: q.name, issuer: q.issuer, number: q.number, validUntil: q.validUntil })),
      ineligibilities: inel.filter((i) => i.providerId === r.id).map((i) => ({ id: i.id, ...toIneligibility(i) })),
      eligibility: eligibilityFor(year, inel.filter((i) => i.providerId === r.id).map(toIneligibility)),
    }));
  }

  // ================================================================ procurements

  private listScope(actor: Actor): ListScope {
    if (actor.role === 'provider') return { providerId: actor.orgId ?? -1 };
    if (!actor.scopePath) throw notFound('区域', 'Region');
    return { pathPrefix: actor.scopePath };
  }

  private visible(actor: Actor, row: { regionPath: string; providerId: number }) {
    return actor.role === 'provider' ? actor.orgId === row.providerId : pathInScope(actor.scopePath, row.regionPath);
  }

  async listProcurements(actor: Actor, filter: { fundYear?: number; limit?: number; offset?: number }) {
    requirePermission(actor, 'procurement:read');
    const { items, total } = await this.repo.procurements(this.db, this.listScope(actor), { fundYear: filter.fundYear, limit: Math.min(filter.limit ?? 50, 500), offset: filter.offset ?? 0 });
    return { total, items: await this.procurementViews(items) };
  }

  async getProcurement(actor: Actor, id: number) {
    requirePermission(actor, 'procurement:read');
    const row = await this.repo.procurement(this.db, id);
    if (!row || !this.visible(actor, { regionPath: row.regionPath, providerId: row.selectedProviderId })) throw procurementNotFound();
    return (await this.procurementViews([row]))[0]!;
  }

  async createProcurement(actor: Actor, input: ProcurementInput) {
    requirePermission(actor, 'procurement:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'procurement.create', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<Awaited<ReturnType<ProcurementService['procurementViews']>>[number]>(this.db, keyed);
    if (replayed) return replayed;
    const purchaser = await this.regions.requireInScope(actor, input.purchaserCode);
    if (purchaser.level !== 'community' && purchaser.level !== 'street') {
      throw new DomainError('INVALID_PURCHASER', { zh: '采购人应为社区或街道', en: 'The purchaser is a community or a street' }, { kind: 'invalid', field: 'purchaserCode', clause: PROCUREMENT_CLAUSE });
    }
    const projects = await this.filedProjects(input.projectIds, input.fundYear, purchaser);
    const budgetFen = projects.reduce((s, p) => s + p.budgetFen, 0);
    const policy = await this.policy.forYear(input.fundYear);
    const method = checkProcurementMethod(input.method, budgetFen, policy.smallPurchaseThresholdFen);
    if (!method.ok) throw fromRule(method);
    const selected = await this.repo.provider(this.db, input.selectedProviderId);
    if (!selected) throw new DomainError('PROVIDER_NOT_FOUND', { zh: '选定的承接主体未登记', en: 'The selected provider is not registered' }, { kind: 'invalid', field: 'selectedProviderId' });
    if (!input.candidates.some((c) => c.providerId === input.selectedProviderId)) {
      throw new DomainError('SELECTED_NOT_CANDIDATE', { zh: '选定的承接主体应在候选名单中', en: 'The selected provider must be one of the candidates' }, { kind: 'invalid', field: 'candidates', clause: PROCUREMENT_CLAUSE });
    }
    const candidateIds = input.candidates.map((c) => c.providerId).filter((x): x is number => x !== null);
    if ((await this.repo.providersByIds(this.db, candidateIds)).length !== new Set(candidateIds).size) {
      throw new DomainError('PROVIDER_NOT_FOUND', { zh: '候选名单中有未登记的承接主体', en: 'A candidate provider id is not registered' }, { kind: 'invalid', field: 'candidates' });
    }
    await this.requireEligible(this.db, selected.id, input.fundYear);
    return heldOnce(this.db.transaction(async (tx) => this.idem.once(tx, keyed, 201, async () => {
      const row = await this.repo.insertProcurement(tx, {
        fundYear: input.fundYear, purchaserKind: purchaser.level as 'community' | 'street', purchaserCode: purchaser.code, regionPath: purchaser.path, method: input.method,
        projectIds: [...new Set(input.projectIds)], budgetFen, candidates: input.candidates.map((c): ProcurementCandidate => ({ providerId: c.providerId, name: c.name, quoteFen: c.quoteFen ?? null, note: c.note ?? '' })), selectedProviderId: selected.id, selectionReason: input.selectionReason,
        documents: (input.documents ?? []).map((d): DocumentRef => ({ name: d.name, kind: d.kind, ref: d.ref ?? null })), decidedOn: input.decidedOn, createdByUserId: actor.userId,
      });
      await this.audit.record(tx, actor, {
        action: 'procurement.create', entityType: 'procurement', entityId: String(row.id), regionPath: row.regionPath,
        after: { method: row.method, projectIds: row.projectIds, budgetFen, selectedProviderId: selected.id, selectionReason: row.selectionReason },
      });
      return (await this.procurementViews([row], tx))[0]!;
    })));
  }

  /** Projects of filed plans in the caller's area, with the live contract covering each (for the procurement form). */
  async contractableProjects(actor: Actor, fundYear: number) {
    requirePermission(actor, 'procurement:read');
    if (actor.role === 'provider' || !actor.scopePath) return { items: [] };
    const projects = await this.plans.filedProjects(this.db, { regionPrefix: actor.scopePath, fundYear });
    const covered = new Map((await this.repo.liveContractsCovering(this.db, projects.map((p) => p.projectId))).map((c) => [c.planProjectId, c.contractId]));
    return {
      items: projects.map((p) => ({
        projectId: p.projectId, planId: p.planId, fundYear: p.fundYear, title: p.title, catalogueCode: p.catalogueCode, budgetFen: p.budgetFen, communityCodes: p.communityCodes,
        contractId: covered.get(p.projectId) ?? null,
      })),
    };
  }

  /** Each project: exists, its plan filed for the fund year, within the purchaser's area [N 3.1.3]. */
  private async filedProjects(ids: number[], fundYear: number, purchaser: { code: string; path: string; level: string }) {
    const out: PlanProjectInfo[] = [];
    for (const [i, id] of [...new Set(ids)].entries()) {
      const found = await this.plans.getProject(this.db, id);
      const inArea = found && (pathInScope(purchaser.path, found.regionPath) || found.communityCodes.includes(purchaser.code) || pathInScope(found.regionPath, purchaser.path) && purchaser.level === 'street');
      if (!found || !inArea) throw new DomainError('PROJECT_NOT_FOUND', { zh: `项目 ${id} 不存在或不属于采购人`, en: `Project ${id} not found for this purchaser` }, { kind: 'invalid', field: `projectIds.${i}` });
      if (found.status !== 'filed' || found.fundYear !== fundYear) {
        throw new DomainError('PROJECT_NOT_FILED', { zh: `项目“${found.title}”所在的使用方案尚未备案（或不属于 ${fundYear} 年度），不能采购`, en: `Project ${id} is not in a filed plan of ${fundYear}` }, { kind: 'rule', clause: PROCUREMENT_CLAUSE, field: `projectIds.${i}` });
      }
      out.push(found);
    }
    return out;
  }

  private async procurementViews(rows: ProcurementRow[], db: Executor = this.db) {
    const providers = new Map((await this.repo.providersByIds(db, rows.map((r) => r.selectedProviderId))).map((p) => [p.id, p]));
    return rows.map((r) => ({
      id: r.id, fundYear: r.fundYear, purchaserKind: r.purchaserKind, purchaserCode: r.purchaserCode, regionPath: r.regionPath, method: r.method, methodLabel: PROCUREMENT_METHOD_LABELS[r.method],
      projectIds: r.projectIds, budgetFen: r.budgetFen, candidates: r.candidates, selectedProviderId: r.selectedProviderId, selectedProviderName: providers.get(r.selectedProviderId)?.name ?? '',
      selectionReason: r.selectionReason, documents: r.documents, decidedOn: r.decidedOn, createdAt: r.createdAt.toISOString(),
    }));
  }

  // ================================================================ contracts

  async listContracts(actor: Actor, filter: { fundYear?: number; status?: string; communityCode?: string; limit?: number; offset?: number }) {
    requirePermission(actor, 'procurement:read');
    const { items, total } = await this.repo.contracts(this.db, this.listScope(actor), { ...filter, limit: Math.min(filter.limit ?? 50, 500), offset: filter.offset ?? 0 });
    const providers = new Map((await this.repo.providersByIds(this.db, items.map((c) => c.providerId))).map((p) => [p.id, p]));
    const instalments = await this.repo.instalments(this.db, items.map((c) => c.id));
    return {
      total,
      items: items.map((c) => {
        const own = instalments.filter((i) => i.contractId === c.id);
        return { ...contractSummary(c), providerName: providers.get(c.providerId)?.name ?? '', paidFen: own.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0) };
      }),
    };
  }

  /** A contract the caller may see (provider: its own; region roles: in scope), or 404. */
  async contractFor(actor: Actor, id: number, permission: Permission = 'procurement:read', db: Executor = this.db): Promise<ContractRow> {
    requirePermission(actor, permission);
    const row = await this.repo.contract(db, id);
    if (!row || !this.visible(actor, row)) throw contractNotFound();
    return row;
  }

  /** The plan projects a contract covers (for delivery records). */
  async contractProjectIds(contractId: number, db: Executor = this.db): Promise<number[]> {
    return this.repo.contractProjectIds(db, contractId);
  }

  async getContract(actor: Actor, id: number) {
    const row = await this.contractFor(actor, id);
    return this.contractView(this.db, row);
  }

  async createContract(actor: Actor, input: ContractInput) {
    requirePermission(actor, 'procurement:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'contract.create', key: requestId, userId: actor.userId, request };
    const replayed = await this.idem.replay<Awaited<ReturnType<ProcurementService['contractView']>>>(this.db, keyed);
    if (replayed) return replayed;
    const proc = await this.repo.procurement(this.db, input.procurementId);
    if (!proc || !pathInScope(actor.scopePath, proc.regionPath)) throw procurementNotFound();
    const community = await this.regions.requireInScope(actor, input.communityCode);
    if (community.level !== 'community') throw new DomainError('INVALID_COMMUNITY', { zh: '资金来源应为社区', en: 'The funding region must be a community' }, { kind: 'invalid', field: 'communityCode' });
    const projectIds = [...new Set(input.projectIds ?? proc.projectIds)];
    if (projectIds.length === 0 || projectIds.some((p) => !proc.projectIds.includes(p))) {
      throw new DomainError('PROJECT_NOT_PROCURED', { zh: '合同项目应来自本次采购', en: 'The contract covers projects of its procurement' }, { kind: 'invalid', field: 'projectIds', clause: PROCUREMENT_CLAUSE });
    }
    const projects = await this.filedProjects(projectIds, proc.fundYear, { code: proc.purchaserCode, path: proc.regionPath, level: proc.purchaserKind });
    const notServed = projects.find((p) => !p.communityCodes.includes(community.code));
    if (notServed) {
      throw new DomainError('COMMUNITY_NOT_SERVED', { zh: `项目“${notServed.title}”不服务社区 ${community.name}`, en: `Project ${notServed.projectId} does not serve ${community.code}` }, { kind: 'rule', clause: '[N 2.3]', field: 'communityCode' });
    }
    if (input.startsOn > input.endsOn) throw new DomainError('INVALID_PERIOD', { zh: '合同开始日期不能晚于结束日期', en: 'The contract starts after it ends' }, { kind: 'invalid', field: 'endsOn' });
    const budget = projects.reduce((s, p) => s + p.budgetFen, 0);
    if (input.amountFen > budget) {
      throw new DomainError('CONTRACT_OVER_BUDGET', { zh: `合同金额超过所含项目的预算合计（${budget / 100} 元）`, en: `The amount exceeds the projects' budget of ${budget} fen` }, { kind: 'rule', clause: '[N 4.1]', field: 'amountFen', details: { budgetFen: budget } });
    }
    const inst = checkInstalments(input.amountFen, input.instalments, input);
    if (!inst.ok) throw fromRule(inst, inst.code === 'INSTALMENTS_SUM' ? 'rule' : 'invalid');
    await this.requireEligible(this.db, proc.selectedProviderId, proc.fundYear);
    // At most one live contract per plan project [N 4.1]: the check answers precisely; a twin
    // passing it at the same moment meets contract_project_live_idx (23505 → the same 409).
    return heldOnce(this.db.transaction(async (tx) => this.idem.once(tx, keyed, 201, async () => {
      const taken = await this.repo.liveContractsCovering(tx, projectIds);
      if (taken.length) {
        throw atMostOneError('contract_project_live_idx', { message: { zh: `项目 ${taken.map((t) => t.planProjectId).join('、')} 已有合同（未终止），不能重复签订`, en: 'A project already has a contract' }, details: taken });
      }
      const row = await this.repo.insertContract(tx, {
        fundYear: proc.fundYear, procurementId: proc.id, purchaserKind: proc.purchaserKind, purchaserCode: proc.purchaserCode, communityCode: community.code, regionPath: community.path,
        providerId: proc.selectedProviderId, title: input.title, amountFen: input.amountFen, startsOn: input.startsOn, endsOn: input.endsOn, deliverables: input.deliverables, createdByUserId: actor.userId,
      });
      await this.repo.insertContractProjects(tx, row.id, projectIds);
      await this.repo.insertInstalments(tx, input.instalments.map((p, i) => ({ contractId: row.id, seq: i + 1, condition: p.condition, dueOn: p.dueOn ?? null, amountFen: p.amountFen })));
      await this.audit.record(tx, actor, {
        action: 'contract.create', entityType: 'contract', entityId: String(row.id), regionPath: row.regionPath,
        after: { ref: contractRef(row), providerId: row.providerId, amountFen: row.amountFen, projectIds, instalments: input.instalments },
      });
      return this.contractView(tx, row);
    })));
  }

  /** Signing commits the whole amount: a pending transfer community → contract [N 3.3]. */
  async signContract(actor: Actor, id: number, input: { signedOn?: string }) {
    const found = await this.contractFor(actor, id, 'procurement:write');
    const signedOn = input.signedOn ?? this.today();
    if (signedOn > this.today()) throw new DomainError('DATE_IN_FUTURE', { zh: '签订日期不能晚于今天', en: 'The signing date is in the future' }, { kind: 'invalid', field: 'signedOn' });
    for (const pid of await this.repo.contractProjectIds(this.db, id)) {
      const p = await this.plans.getProject(this.db, pid);
      if (!p || p.status !== 'filed') {
        throw new DomainError('PROJECT_NOT_FILED', { zh: `项目 ${pid} 所在的使用方案不在备案状态，不能签订合同`, en: `Project ${pid} is not in a filed plan` }, { kind: 'rule', clause: PROCUREMENT_CLAUSE });
      }
    }
    void found;
    return this.db.transaction(async (tx) => {
      const c = (await this.repo.contract(tx, id, true))!;
      if (c.status !== 'draft') throw new DomainError('CONTRACT_NOT_DRAFT', { zh: '只有草拟中的合同可以签订', en: `The contract is ${c.status}` }, { kind: 'conflict', details: { status: c.status } });
      await this.requireEligible(tx, c.providerId, c.fundYear);
      const ref = contractRef(c);
      const committed = await this.ledger.commit(tx, { id: `${ref}:commitment`, fundYear: c.fundYear, communityCode: c.communityCode, contractRef: ref, amount: c.amountFen, reference: `合同 ${ref} ${c.title}` }, actor);
      await this.repo.updateContract(tx, id, { status: 'signed', signedOn, commitmentTransferId: committed.transfer.id });
      await this.audit.record(tx, actor, { action: 'contract.sign', entityType: 'contract', entityId: String(id), regionPath: c.regionPath, before: { status: 'draft' }, after: { status: 'signed', signedOn, commitment: committed.transfer.id, amountFen: c.amountFen } });
      return this.contractView(tx, (await this.repo.contract(tx, id))!);
    });
  }

  /** Cancelling releases what is not paid (void of the pending commitment); open instalments lapse. */
  async cancelContract(actor: Actor, id: number, input: { reason: string }) {
    await this.contractFor(actor, id, 'procurement:write');
    return this.db.transaction(async (tx) => {
      const c = (await this.repo.contract(tx, id, true))!;
      if (c.status !== 'draft' && c.status !== 'signed') throw new DomainError('CONTRACT_NOT_CANCELLABLE', { zh: '该合同已结束，不能终止', en: `The contract is ${c.status}` }, { kind: 'conflict' });
      const today = this.today();
      let release: string | null = null;
      if (c.status === 'signed' && c.commitmentTransferId) {
        const ref = contractRef(c);
        release = (await this.ledger.voidPending(tx, { id: `${ref}:release`, pendingId: c.commitmentTransferId, reference: `合同 ${ref} 终止：${input.reason}` }, actor)).transfer.id;
      }
      await this.repo.rejectLiveRequests(tx, id, '合同已终止', today, actor.userId);
      await this.repo.voidOpenInstalments(tx, id);
      await this.repo.endContractProjects(tx, id);
      await this.repo.updateContract(tx, id, { status: 'cancelled', cancelledOn: today, cancelReason: input.reason, releaseTransferId: release });
      await this.audit.record(tx, actor, { action: 'contract.cancel', entityType: 'contract', entityId: String(id), regionPath: c.regionPath, before: { status: c.status }, after: { status: 'cancelled', reason: input.reason, release } });
      return this.contractView(tx, (await this.repo.contract(tx, id))!);
    });
  }

  /**
   * [N 3.2] "An evaluation failure voids the rest" (spec §2, ledger): for the evaluation module,
   * inside its transaction, when a plan project's final evaluation is graded 不合格. Every contract
   * covering the project loses its unpaid instalments (void) and the pending commitment for them is
   * voided in the ledger, back to the community's available balance; paid instalments stay paid.
   * What applies to which contract (several projects, drafts) is `remainderVoidOf`. Idempotent: a
   * contract whose remainder was voided is skipped.
   */
  async voidRemainderAfterFailedEvaluation(tx: Executor, input: { planProjectId: number; reason: string; sourceRef: string; on?: string }, actor: AuditActor) {
    const out: { contractId: number; ref: string; status: ContractRow['status']; releasedFen: number; releaseTransferId: string | null; voidedInstalments: number[] }[] = [];
    const today = input.on ?? this.today();
    for (const link of await this.repo.liveContractsCovering(tx, [input.planProjectId])) {
      const c = (await this.repo.contract(tx, link.contractId, true))!;
      if (c.remainderVoidedOn) continue;
      const effect = remainderVoidOf(c, await this.repo.instalments(tx, [c.id]));
      if (!effect.applies) continue;
      const ref = contractRef(c);
      let release: string | null = null;
      if (c.status === 'signed' && c.commitmentTransferId) {
        release = (await this.ledger.voidPending(tx, { id: `${ref}:release`, pendingId: c.commitmentTransferId, reference: `合同 ${ref} 终期评估不合格，未拨付余额作废 [N 3.2]` }, actor)).transfer.id;
      }
      await this.repo.rejectLiveRequests(tx, c.id, '终期评估不合格，本期已作废 [N 3.2]', today, actor.userId);
      await this.repo.voidOpenInstalments(tx, c.id);
      const { status, voidSeqs: voided, paidFen } = effect;
      await this.repo.updateContract(tx, c.id, {
        status, remainderVoidedOn: today, remainderVoidReason: input.reason, releaseTransferId: release,
        ...(status === 'cancelled' ? { cancelledOn: today, cancelReason: input.reason } : {}),
      });
      if (status === 'cancelled') await this.repo.endContractProjects(tx, c.id);
      const releasedFen = release ? effect.releasedFen : 0;
      await this.audit.record(tx, actor, {
        action: 'contract.void_remainder', entityType: 'contract', entityId: String(c.id), regionPath: c.regionPath,
        before: { status: c.status, unpaidInstalments: voided },
        after: { status, reason: input.reason, source: input.sourceRef, planProjectId: input.planProjectId, release, releasedFen, paidFen, voidedInstalments: voided, clause: ELIGIBILITY_CLAUSE },
      });
      out.push({ contractId: c.id, ref, status, releasedFen, releaseTransferId: release, voidedInstalments: voided });
    }
    return out;
  }

  private async conditionFacts(db: Executor, c: ContractRow) {
    const projectIds = await this.repo.contractProjectIds(db, c.id);
    const ev = await this.evaluations.outcomes(db, { id: c.id, fundYear: c.fundYear, projectIds });
    return { today: this.today(), contractStatus: c.status, signedOn: c.signedOn, midterm: ev.midterm, final: ev.final };
  }

  async contractView(db: Executor, c: ContractRow) {
    // One after another: `db` may be a transaction (one connection).
    const provider = await this.repo.provider(db, c.providerId);
    const projectIds = await this.repo.contractProjectIds(db, c.id);
    const instalments = await this.repo.instalments(db, [c.id]);
    const requests = await this.repo.paymentRequestsOfContract(db, c.id);
    const account = await this.ledger.communityAccount(db, c.fundYear, c.communityCode);
    const projects = [];
    for (const pid of projectIds) {
      const p = await this.plans.getProject(db, pid);
      projects.push({ id: pid, title: p?.title ?? '', budgetFen: p?.budgetFen ?? 0, catalogueCode: p?.catalogueCode ?? '', planId: p?.planId ?? null });
    }
    const facts = await this.conditionFacts(db, c);
    const paidFen = instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0);
    const committedFen = (c.status === 'signed' || c.status === 'completed') && !c.releaseTransferId ? c.amountFen - paidFen : 0;
    return {
      ...contractSummary(c),
      provider: provider ? { id: provider.id, name: provider.name, kind: provider.kind, creditCode: provider.creditCode } : null,
      projects,
      instalments: instalments.map((i) => instalmentView(i, facts)),
      paymentRequests: requests.map(requestView),
      ledger: {
        commitmentTransferId: c.commitmentTransferId,
        releaseTransferId: c.releaseTransferId,
        paidFen,
        /** Still committed to the contract (pending in the ledger). */
        outstandingFen: committedFen,
        releasedFen: c.releaseTransferId ? c.amountFen - paidFen : 0,
        community: account
          ? { code: c.communityCode, allocatedFen: account.creditsPosted, committedFen: account.debitsPending, paidFen: account.debitsPosted, availableFen: account.creditsPosted - account.debitsPosted - account.debitsPending }
          : null,
      },
    };
  }

  // ================================================================ payments [N 3.3]

  async listPaymentRequests(actor: Actor, filter: { status?: string; contractId?: number; limit?: number; offset?: number }) {
    requirePermission(actor, 'procurement:read');
    const { items, total } = await this.repo.paymentRequests(this.db, this.listScope(actor), { ...filter, limit: Math.min(filter.limit ?? 50, 500), offset: filter.offset ?? 0 });
    const providers = new Map((await this.repo.providersByIds(this.db, items.map((r) => r.contract.providerId))).map((p) => [p.id, p]));
    return {
      total,
      items: items.map((r) => ({
        ...requestView(r.request),
        contract: { id: r.contract.id, ref: contractRef(r.contract), title: r.contract.title, communityCode: r.contract.communityCode, regionPath: r.contract.regionPath, amountFen: r.contract.amountFen, status: r.contract.status },
        instalment: { id: r.instalment.id, seq: r.instalment.seq, condition: r.instalment.condition, conditionLabel: INSTALMENT_CONDITION_LABELS[r.instalment.condition], amountFen: r.instalment.amountFen, status: r.instalment.status },
        providerName: providers.get(r.contract.providerId)?.name ?? '',
      })),
    };
  }

  /** The provider asks for an instalment. Refused unless its condition holds and the payee is the contracted provider. */
  async requestPayment(actor: Actor, instalmentId: number, input: { note?: string; payeeProviderId?: number; requestId?: string }) {
    requirePermission(actor, 'payments:request');
    const { requestId, ...body } = input;
    const keyed = { scope: 'payment.request', key: requestId, userId: actor.userId, request: { instalmentId, ...body } };
    const replayed = await this.idem.replay<ReturnType<typeof requestView>>(this.db, keyed);
    if (replayed) return replayed;
    const inst = await this.repo.instalment(this.db, instalmentId);
    if (!inst) throw instalmentNotFound();
    const c = await this.contractFor(actor, inst.contractId, 'payments:request').catch(() => {
      throw instalmentNotFound();
    });
    const payee = input.payeeProviderId ?? actor.orgId ?? -1;
    this.requirePayee(c, payee);
    return heldOnce(this.db.transaction(async (tx) => this.idem.once(tx, keyed, 201, async () => {
      const contract = (await this.repo.contract(tx, c.id, true))!;
      const i = (await this.repo.instalment(tx, instalmentId, true))!;
      await this.requirePayable(tx, contract, i);
      if (i.status === 'requested') throw requestExists();
      const row = await this.repo.insertPaymentRequestOnce(tx, {
        instalmentId, contractId: contract.id, payeeProviderId: payee, amountFen: i.amountFen, note: input.note ?? '', requestedByUserId: actor.userId, requestedOn: this.today(),
      });
      if (!row) throw requestExists();
      await this.repo.updateInstalment(tx, instalmentId, { status: 'requested' });
      await this.audit.record(tx, actor, { action: 'payment.request', entityType: 'payment_request', entityId: String(row.id), regionPath: contract.regionPath, after: { contract: contractRef(contract), instalment: i.seq, amountFen: i.amountFen } });
      return requestView(row);
    })));
  }

  /**
   * The street office approves: the disbursement posts the instalment from the commitment, with
   * the instalment's own transfer id so that a retry (or a twin on another server) never pays twice.
   */
  async approvePayment(actor: Actor, requestId: number, input: { note?: string }) {
    requirePermission(actor, 'payments:approve');
    const req = await this.repo.paymentRequest(this.db, requestId);
    if (!req) throw requestNotFound();
    await this.contractFor(actor, req.contractId, 'payments:approve').catch(() => {
      throw requestNotFound();
    });
    return this.db.transaction(async (tx) => {
      const contract = (await this.repo.contract(tx, req.contractId, true))!;
      const r = (await this.repo.paymentRequest(tx, requestId, true))!;
      if (r.status === 'approved') return { ...requestView(r), created: false };
      if (r.status !== 'requested') throw new DomainError('REQUEST_DECIDED', { zh: '该拨付申请已被驳回', en: 'The request was rejected' }, { kind: 'conflict' });
      const i = (await this.repo.instalment(tx, r.instalmentId, true))!;
      this.requirePayee(contract, r.payeeProviderId);
      await this.requirePayable(tx, contract, i);
      const ref = contractRef(contract);
      const paid = await this.ledger.postPending(tx, { id: `${ref}:instalment-${i.seq}`, pendingId: contract.commitmentTransferId!, amount: i.amountFen, reference: `合同 ${ref} 第 ${i.seq} 期（${INSTALMENT_CONDITION_LABELS[i.condition]}）` }, actor);
      const today = this.today();
      await this.repo.updateInstalment(tx, i.id, { status: 'paid', transferId: paid.transfer.id, paidOn: today });
      await this.repo.updatePaymentRequest(tx, r.id, { status: 'approved', decidedByUserId: actor.userId, decidedOn: today, decisionNote: input.note ?? null, transferId: paid.transfer.id });
      const remaining = (await this.repo.instalments(tx, [contract.id])).filter((x) => x.status !== 'paid');
      if (remaining.length === 0) await this.repo.updateContract(tx, contract.id, { status: 'completed' });
      await this.audit.record(tx, actor, {
        action: 'payment.approve', entityType: 'payment_request', entityId: String(r.id), regionPath: contract.regionPath,
        before: { status: 'requested' }, after: { status: 'approved', transfer: paid.transfer.id, payout: paid.payout.id, amountFen: i.amountFen },
      });
      return { ...requestView((await this.repo.paymentRequest(tx, r.id))!), created: true };
    });
  }

  async rejectPayment(actor: Actor, requestId: number, input: { reason: string }) {
    requirePermission(actor, 'payments:approve');
    const req = await this.repo.paymentRequest(this.db, requestId);
    if (!req) throw requestNotFound();
    const c = await this.contractFor(actor, req.contractId, 'payments:approve').catch(() => {
      throw requestNotFound();
    });
    return this.db.transaction(async (tx) => {
      const r = (await this.repo.paymentRequest(tx, requestId, true))!;
      if (r.status !== 'requested') throw new DomainError('REQUEST_DECIDED', { zh: '该拨付申请已处理', en: `The request is already ${r.status}` }, { kind: 'conflict' });
      const today = this.today();
      await this.repo.updatePaymentRequest(tx, r.id, { status: 'rejected', decidedByUserId: actor.userId, decidedOn: today, decisionNote: input.reason });
      await this.repo.updateInstalment(tx, r.instalmentId, { status: 'open' });
      await this.audit.record(tx, actor, { action: 'payment.reject', entityType: 'payment_request', entityId: String(r.id), regionPath: c.regionPath, before: { status: 'requested' }, after: { status: 'rejected', reason: input.reason } });
      return requestView((await this.repo.paymentRequest(tx, r.id))!);
    });
  }

  private requirePayee(c: ContractRow, payeeProviderId: number) {
    if (payeeProviderId !== c.providerId) {
      throw new DomainError('PAYEE_NOT_CONTRACTED', { zh: '收款方不是本合同的承接主体，资金只能拨付给签约的承接主体', en: 'The payee is not the contracted provider' }, { kind: 'rule', clause: '[N 4.1]', field: 'payeeProviderId', details: { contractedProviderId: c.providerId } });
    }
  }

  private async requirePayable(tx: Executor, c: ContractRow, i: InstalmentRow) {
    if (i.status === 'paid') throw new DomainError('INSTALMENT_PAID', { zh: `第 ${i.seq} 期已拨付，不能重复拨付`, en: `Instalment ${i.seq} is already paid` }, { kind: 'conflict', clause: DISBURSEMENT_CLAUSE });
    if (i.status === 'void') {
      throw c.remainderVoidedOn
        ? new DomainError('INSTALMENT_VOID', { zh: `终期评估不合格，第 ${i.seq} 期已于 ${c.remainderVoidedOn} 作废，不再拨付`, en: `Instalment ${i.seq} was voided after a failed final evaluation` }, { kind: 'rule', clause: ELIGIBILITY_CLAUSE, details: { voidedOn: c.remainderVoidedOn, reason: c.remainderVoidReason } })
        : new DomainError('INSTALMENT_VOID', { zh: '合同已终止，本期不再拨付', en: 'The contract was cancelled' }, { kind: 'rule', clause: DISBURSEMENT_CLAUSE });
    }
    const holds = conditionHolds(i, await this.conditionFacts(tx, c));
    if (!holds.ok) throw fromRule(holds);
    const paidFen = (await this.repo.instalments(tx, [c.id])).filter((x) => x.status === 'paid').reduce((s, x) => s + x.amountFen, 0);
    const within = checkWithinContract(c.amountFen, paidFen, i.amountFen);
    if (!within.ok) throw fromRule(within);
  }

  /** For the public portal and open data (disclosure module): signed, completed or cancelled contracts under a region path, with provider, projects and instalments. No access check. */
  async publicContracts(filter: { pathPrefix: string; fundYear?: number; communityCode?: string }, db: Executor = this.db) {
    const { items } = await this.repo.contracts(db, { pathPrefix: filter.pathPrefix }, { fundYear: filter.fundYear, communityCode: filter.communityCode, limit: 100_000, offset: 0 });
    const shown = items.filter((c) => c.status !== 'draft');
    const providers = new Map((await this.repo.providersByIds(db, shown.map((c) => c.providerId))).map((p) => [p.id, p]));
    const instalments = await this.repo.instalments(db, shown.map((c) => c.id));
    const out = [];
    for (const c of shown) {
      const p = providers.get(c.providerId);
      out.push({
        ...contractSummary(c),
        provider: p ? { id: p.id, name: p.name, kind: p.kind, creditCode: p.creditCode } : null,
        projectIds: await this.repo.contractProjectIds(db, c.id),
        procurementMethod: (await this.repo.procurement(db, c.procurementId))?.method ?? null,
        instalments: instalments.filter((i) => i.contractId === c.id).map((i) => ({ seq: i.seq, condition: i.condition, conditionLabel: INSTALMENT_CONDITION_LABELS[i.condition], amountFen: i.amountFen, status: i.status, paidOn: i.paidOn, transferId: i.transferId })),
      });
    }
    return out;
  }

  /** For the dashboard: projects under a signed (or completed) contract, as a SQL relation (plan_project_id). No access check. */
  signedProjects(): SQL {
    return this.repo.coveredProjectsRelation(['signed', 'completed']);
  }

  /** For the dashboard: live contracts and the projects they cover, as a SQL relation (contract_id, plan_project_id, amount_fen). No access check. */
  liveContractLinks(): SQL {
    return this.repo.liveContractLinksRelation();
  }

  /** For the evaluation module and dashboard (issue 8): live contracts covering these plan projects, with their provider. No access check. */
  async providersOfProjects(db: Executor, projectIds: number[]) {
    const out: { contractId: number; planProjectId: number; providerId: number; status: ContractRow['status']; amountFen: number }[] = [];
    for (const link of await this.repo.liveContractsCovering(db, projectIds)) {
      const c = await this.repo.contract(db, link.contractId);
      if (c) out.push({ contractId: c.id, planProjectId: link.planProjectId, providerId: c.providerId, status: c.status, amountFen: c.amountFen });
    }
    return out;
  }
}

const requestExists = () => atMostOneError('payment_request_live_idx');

function qualificationRow(q: { name: string; issuer?: string; number?: string; validUntil?: string | null }) {
  return { name: q.name, issuer: q.issuer ?? '', number: q.number ?? '', validUntil: q.validUntil ?? null };
}

function providerAudit(p: ProviderRow) {
  return { name: p.name, registrationAuthority: p.registrationAuthority, address: p.address, contacts: p.contacts, regionCode: p.regionCode };
}

function toIneligibility(r: IneligibilityRow) {
  return { year: r.year, reason: r.reason, source: r.source, sourceRef: r.sourceRef };
}

function contractSummary(c: ContractRow) {
  return {
    id: c.id, ref: contractRef(c), fundYear: c.fundYear, procurementId: c.procurementId, purchaserKind: c.purchaserKind, purchaserCode: c.purchaserCode,
    communityCode: c.communityCode, regionPath: c.regionPath, providerId: c.providerId, title: c.title, amountFen: c.amountFen, startsOn: c.startsOn, endsOn: c.endsOn,
    deliverables: c.deliverables, status: c.status, signedOn: c.signedOn, cancelledOn: c.cancelledOn, cancelReason: c.cancelReason,
    /** [N 3.2] Set when a 不合格 final evaluation voided the unpaid instalments and released the rest of the commitment. */
    remainderVoidedOn: c.remainderVoidedOn, remainderVoidReason: c.remainderVoidReason,
  };
}

function instalmentView(i: InstalmentRow, facts: Parameters<typeof conditionHolds>[1]) {
  const holds = i.status === 'open' || i.status === 'requested' ? conditionHolds(i, facts) : null;
  return {
    id: i.id, seq: i.seq, condition: i.condition as InstalmentCondition, conditionLabel: INSTALMENT_CONDITION_LABELS[i.condition], dueOn: i.dueOn, amountFen: i.amountFen,
    status: i.status, transferId: i.transferId, paidOn: i.paidOn,
    conditionMet: holds === null ? null : holds.ok, conditionNote: holds && !holds.ok ? holds.zh : null,
  };
}

function requestView(r: PaymentRequestRow) {
  return {
    id: r.id, instalmentId: r.instalmentId, contractId: r.contractId, payeeProviderId: r.payeeProviderId, amountFen: r.amountFen, note: r.note, status: r.status,
    requestedOn: r.requestedOn, decidedOn: r.decidedOn, decisionNote: r.decisionNote, transferId: r.transferId,
  };
}
