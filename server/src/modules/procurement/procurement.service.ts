import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { Actor, Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { ContractRow } from './procurement.repository.js';
import type { EvaluationConsequencesService } from './procurement.consequences.service.js';
import { ContractDraftingService } from './procurement.contract-drafting.service.js';
import { ContractsService } from './procurement.contracts.service.js';
import { PaymentsService } from './procurement.payments.service.js';
import type { ProvidersService } from './procurement.providers.service.js';
import { PurchasesService } from './procurement.purchases.service.js';
import type { EvaluationOutcomes, PlanProjectSource } from './procurement.ports.js';

export { contractRef } from './procurement.views.js';
export type { EvaluationOutcomes, PlanProjectInfo, PlanProjectSource } from './procurement.ports.js';
export type { ContractRow } from './procurement.repository.js';
export { EvaluationConsequencesService } from './procurement.consequences.service.js';
export { ProvidersService } from './procurement.providers.service.js';

/**
 * Purchase of services [N 3.1.3], the module's outward service: the provider registry with
 * eligibility [N 3.2] (`ProvidersService`), procurement records (`PurchasesService`), contracts
 * with instalments whose signing commits in the ledger (`ContractsService`), payment requests the
 * street office approves (`PaymentsService`, disbursement [N 3.3]) and what evaluation results do
 * to contracts (`EvaluationConsequencesService`). One transaction per change, with its audit.
 *
 * The registry and the evaluation consequences are built first (the evaluation module needs them);
 * the contract and payment parts need the evaluation outcomes, so this service is built after the
 * evaluation service and composes them.
 */
export class ProcurementService {
  private readonly purchases: PurchasesService;
  private readonly contracts: ContractsService;
  private readonly drafting: ContractDraftingService;
  private readonly payments: PaymentsService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    ledger: LedgerService,
    plans: PlanProjectSource,
    private readonly providers: ProvidersService,
    private readonly consequences: EvaluationConsequencesService,
    evaluations: EvaluationOutcomes,
    private readonly clock: Now,
  ) {
    // The use cases read "now" through this service's clock.
    const now: Now = () => this.clock();
    this.purchases = new PurchasesService(db, audit, regions, policy, plans, providers);
    this.contracts = new ContractsService(db, audit, ledger, plans, providers, evaluations, now);
    this.drafting = new ContractDraftingService(db, audit, regions, providers, this.purchases, this.contracts);
    this.payments = new PaymentsService(db, audit, ledger, this.contracts, now);
  }

  today(): string {
    return todayInChina(this.clock());
  }

  // ---------------------------------------------------------------- providers
  listProviders(...a: Parameters<ProvidersService['listProviders']>) {
    return this.providers.listProviders(...a);
  }
  getProvider(...a: Parameters<ProvidersService['getProvider']>) {
    return this.providers.getProvider(...a);
  }
  createProvider(...a: Parameters<ProvidersService['createProvider']>) {
    return this.providers.createProvider(...a);
  }
  updateProvider(...a: Parameters<ProvidersService['updateProvider']>) {
    return this.providers.updateProvider(...a);
  }
  createProviderAccount(...a: Parameters<ProvidersService['createProviderAccount']>) {
    return this.providers.createProviderAccount(...a);
  }
  addIneligibility(...a: Parameters<ProvidersService['addIneligibility']>) {
    return this.providers.addIneligibility(...a);
  }
  /** Eligibility of a provider for a fund year, with the reasons (for other modules and views). */
  eligibility(...a: Parameters<ProvidersService['eligibility']>) {
    return this.providers.eligibility(...a);
  }

  // ---------------------------------------------------------------- procurements
  listProcurements(...a: Parameters<PurchasesService['listProcurements']>) {
    return this.purchases.listProcurements(...a);
  }
  getProcurement(...a: Parameters<PurchasesService['getProcurement']>) {
    return this.purchases.getProcurement(...a);
  }
  createProcurement(...a: Parameters<PurchasesService['createProcurement']>) {
    return this.purchases.createProcurement(...a);
  }
  contractableProjects(...a: Parameters<PurchasesService['contractableProjects']>) {
    return this.purchases.contractableProjects(...a);
  }

  // ---------------------------------------------------------------- contracts
  listContracts(...a: Parameters<ContractsService['listContracts']>) {
    return this.contracts.listContracts(...a);
  }
  getContract(...a: Parameters<ContractsService['getContract']>) {
    return this.contracts.getContract(...a);
  }
  createContract(...a: Parameters<ContractDraftingService['createContract']>) {
    return this.drafting.createContract(...a);
  }
  signContract(...a: Parameters<ContractsService['signContract']>) {
    return this.contracts.signContract(...a);
  }
  cancelContract(...a: Parameters<ContractsService['cancelContract']>) {
    return this.contracts.cancelContract(...a);
  }
  contractView(...a: Parameters<ContractsService['contractView']>) {
    return this.contracts.contractView(...a);
  }

  /** A contract the caller may see (provider: its own; region roles: in scope), or 404 (for delivery records). */
  contractFor(actor: Actor, id: number, permission: Permission = 'procurement:read', db?: Executor): Promise<ContractRow> {
    return this.contracts.contractFor(actor, id, permission, db);
  }

  /** The plan projects a contract covers (for delivery records). */
  contractProjectIds(contractId: number, db?: Executor): Promise<number[]> {
    return this.contracts.contractProjectIds(contractId, db);
  }

  // ---------------------------------------------------------------- payments [N 3.3]
  listPaymentRequests(...a: Parameters<PaymentsService['listPaymentRequests']>) {
    return this.payments.listPaymentRequests(...a);
  }
  requestPayment(...a: Parameters<PaymentsService['requestPayment']>) {
    return this.payments.requestPayment(...a);
  }
  approvePayment(...a: Parameters<PaymentsService['approvePayment']>) {
    return this.payments.approvePayment(...a);
  }
  rejectPayment(...a: Parameters<PaymentsService['rejectPayment']>) {
    return this.payments.rejectPayment(...a);
  }

  // ---------------------------------------------------------------- for other modules (no access check)
  /** For the public portal and open data (disclosure module). */
  publicContracts(...a: Parameters<ContractsService['publicContracts']>) {
    return this.contracts.publicContracts(...a);
  }
  /** For the dashboard: projects under a signed (or completed) contract, as a SQL relation (plan_project_id). */
  signedProjects(): SQL {
    return this.contracts.signedProjects();
  }
  /** For the dashboard: live contracts and the projects they cover, as a SQL relation (contract_id, plan_project_id, amount_fen). */
  liveContractLinks(): SQL {
    return this.contracts.liveContractLinks();
  }
  /** For the evaluation module and dashboard: live contracts covering these plan projects, with their provider. */
  providersOfProjects(...a: Parameters<EvaluationConsequencesService['providersOfProjects']>) {
    return this.consequences.providersOfProjects(...a);
  }
  /** [N 3.2] Next year's ineligibility after a 不合格 final evaluation (inside the caller's transaction). */
  recordIneligibility(tx: Executor, input: Parameters<ProvidersService['recordIneligibility']>[1], actor: AuditActor) {
    return this.providers.recordIneligibility(tx, input, actor);
  }
  /** [N 3.2] The void of the unpaid remainder after a 不合格 final evaluation (inside the caller's transaction). */
  voidRemainderAfterFailedEvaluation(...a: Parameters<EvaluationConsequencesService['voidRemainderAfterFailedEvaluation']>) {
    return this.consequences.voidRemainderAfterFailedEvaluation(...a);
  }
}
