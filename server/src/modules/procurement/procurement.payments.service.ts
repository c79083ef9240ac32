import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError } from '../../common/errors.js';
import { refusalError } from '../../common/verdict.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { ProcurementRepository, type ContractRow, type InstalmentRow } from './procurement.repository.js';
import {
  checkWithinContract,
  conditionHolds,
  DISBURSEMENT_CLAUSE,
  ELIGIBILITY_CLAUSE,
  INSTALMENT_CONDITION_LABELS,
} from './procurement.rules.js';
import type {
  PaymentApprovalView,
  PaymentRequestBody,
  PaymentRequestListView,
  PaymentRequestsQuery,
  PaymentRequestView,
} from './procurement.schemas.js';
import type { ContractsService } from './procurement.contracts.service.js';
import { contractRef, instalmentNotFound, listScope, requestExists, requestNotFound, requestView } from './procurement.views.js';

/**
 * Payments [N 3.3]: the provider requests an instalment whose condition holds; the street office
 * approves (the disbursement posts it from the contract's commitment, once) or rejects.
 */
export class PaymentsService {
  private readonly repo = new ProcurementRepository();
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly contracts: ContractsService,
    private readonly clock: Now,
  ) {}

  private today(): string {
    return todayInChina(this.clock());
  }

  async listPaymentRequests(actor: Actor, filter: PaymentRequestsQuery): Promise<PaymentRequestListView> {
    requirePermission(actor, 'procurement:read');
    const { items, total } = await this.repo.paymentRequests(this.db, listScope(actor), {
      ...filter,
      limit: Math.min(filter.limit ?? 50, 500),
      offset: filter.offset ?? 0,
    });
    const providers = new Map(
      (
        await this.repo.providersByIds(
          this.db,
          items.map((r) => r.contract.providerId),
        )
      ).map((p) => [p.id, p]),
    );
    return {
      total,
      items: items.map((r) => ({
        ...requestView(r.request),
        contract: {
          id: r.contract.id,
          ref: contractRef(r.contract),
          title: r.contract.title,
          communityCode: r.contract.communityCode,
          regionPath: r.contract.regionPath,
          amountFen: r.contract.amountFen,
          status: r.contract.status,
        },
        instalment: {
          id: r.instalment.id,
          seq: r.instalment.seq,
          condition: r.instalment.condition,
          conditionLabel: INSTALMENT_CONDITION_LABELS[r.instalment.condition],
          amountFen: r.instalment.amountFen,
          status: r.instalment.status,
        },
        providerName: providers.get(r.contract.providerId)?.name ?? '',
      })),
    };
  }

  /** The provider asks for an instalment. Refused unless its condition holds and the payee is the contracted provider. */
  async requestPayment(actor: Actor, instalmentId: number, input: PaymentRequestBody): Promise<PaymentRequestView> {
    requirePermission(actor, 'payments:request');
    const { requestId, ...body } = input;
    const keyed = { scope: 'payment.request', key: requestId, userId: actor.userId, request: { instalmentId, ...body } };
    const replayed = await this.idem.replay<PaymentRequestView>(this.db, keyed);
    if (replayed) return replayed;
    const inst = await this.repo.instalment(this.db, instalmentId);
    if (!inst) throw instalmentNotFound();
    const c = await this.contracts.contractFor(actor, inst.contractId, 'payments:request').catch(() => {
      throw instalmentNotFound();
    });
    const payee = input.payeeProviderId ?? actor.orgId ?? -1;
    this.requirePayee(c, payee);
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const contract = (await this.repo.contract(tx, c.id, true))!;
          const i = (await this.repo.instalment(tx, instalmentId, true))!;
          await this.requirePayable(tx, contract, i);
          if (i.status === 'requested') throw requestExists();
          const row = await this.repo.insertPaymentRequestOnce(tx, {
            instalmentId,
            contractId: contract.id,
            payeeProviderId: payee,
            amountFen: i.amountFen,
            note: input.note ?? '',
            requestedByUserId: actor.userId,
            requestedOn: this.today(),
          });
          if (!row) throw requestExists();
          await this.repo.updateInstalment(tx, instalmentId, { status: 'requested' });
          await this.audit.record(tx, actor, {
            action: 'payment.request',
            entityType: 'payment_request',
            entityId: String(row.id),
            regionPath: contract.regionPath,
            after: { contract: contractRef(contract), instalment: i.seq, amountFen: i.amountFen },
          });
          return requestView(row);
        }),
      ),
    );
  }

  /**
   * The street office approves: the disbursement posts the instalment from the commitment, with
   * the instalment's own transfer id so that a retry (or a twin on another server) never pays twice.
   */
  async approvePayment(actor: Actor, requestId: number, input: { note?: string }): Promise<PaymentApprovalView> {
    requirePermission(actor, 'payments:approve');
    const req = await this.repo.paymentRequest(this.db, requestId);
    if (!req) throw requestNotFound();
    await this.contracts.contractFor(actor, req.contractId, 'payments:approve').catch(() => {
      throw requestNotFound();
    });
    return this.db.transaction(async (tx) => {
      const contract = (await this.repo.contract(tx, req.contractId, true))!;
      const r = (await this.repo.paymentRequest(tx, requestId, true))!;
      if (r.status === 'approved') return { ...requestView(r), created: false };
      if (r.status !== 'requested')
        throw new DomainError('REQUEST_DECIDED', { zh: '该拨付申请已被驳回', en: 'The request was rejected' }, { kind: 'conflict' });
      const i = (await this.repo.instalment(tx, r.instalmentId, true))!;
      this.requirePayee(contract, r.payeeProviderId);
      await this.requirePayable(tx, contract, i);
      const ref = contractRef(contract);
      const reference = `合同 ${ref} 第 ${i.seq} 期（${INSTALMENT_CONDITION_LABELS[i.condition]}）`;
      // [N 2.3] An area contract pays the instalment from its members' commitments in proportion.
      const transferId = (await this.contracts.area.isArea(tx, contract.id))
        ? await this.contracts.area.pay(tx, contract, i, reference, actor)
        : (
            await this.ledger.postPending(
              tx,
              { id: `${ref}:instalment-${i.seq}`, pendingId: contract.commitmentTransferId!, amount: i.amountFen, reference },
              actor,
            )
          ).transfer.id;
      const today = this.today();
      await this.repo.updateInstalment(tx, i.id, { status: 'paid', transferId, paidOn: today });
      await this.repo.updatePaymentRequest(tx, r.id, {
        status: 'approved',
        decidedByUserId: actor.userId,
        decidedOn: today,
        decisionNote: input.note ?? null,
        transferId,
      });
      const remaining = (await this.repo.instalments(tx, [contract.id])).filter((x) => x.status !== 'paid');
      if (remaining.length === 0) await this.repo.updateContract(tx, contract.id, { status: 'completed' });
      await this.audit.record(tx, actor, {
        action: 'payment.approve',
        entityType: 'payment_request',
        entityId: String(r.id),
        regionPath: contract.regionPath,
        before: { status: 'requested' },
        after: { status: 'approved', transfer: transferId, amountFen: i.amountFen },
      });
      return { ...requestView((await this.repo.paymentRequest(tx, r.id))!), created: true };
    });
  }

  async rejectPayment(actor: Actor, requestId: number, input: { reason: string }): Promise<PaymentRequestView> {
    requirePermission(actor, 'payments:approve');
    const req = await this.repo.paymentRequest(this.db, requestId);
    if (!req) throw requestNotFound();
    const c = await this.contracts.contractFor(actor, req.contractId, 'payments:approve').catch(() => {
      throw requestNotFound();
    });
    return this.db.transaction(async (tx) => {
      const r = (await this.repo.paymentRequest(tx, requestId, true))!;
      if (r.status !== 'requested')
        throw new DomainError(
          'REQUEST_DECIDED',
          { zh: '该拨付申请已处理', en: `The request is already ${r.status}` },
          { kind: 'conflict' },
        );
      const today = this.today();
      await this.repo.updatePaymentRequest(tx, r.id, {
        status: 'rejected',
        decidedByUserId: actor.userId,
        decidedOn: today,
        decisionNote: input.reason,
      });
      await this.repo.updateInstalment(tx, r.instalmentId, { status: 'open' });
      await this.audit.record(tx, actor, {
        action: 'payment.reject',
        entityType: 'payment_request',
        entityId: String(r.id),
        regionPath: c.regionPath,
        before: { status: 'requested' },
        after: { status: 'rejected', reason: input.reason },
      });
      return requestView((await this.repo.paymentRequest(tx, r.id))!);
    });
  }

  private requirePayee(c: ContractRow, payeeProviderId: number) {
    if (payeeProviderId !== c.providerId) {
      throw new DomainError(
        'PAYEE_NOT_CONTRACTED',
        { zh: '收款方不是本合同的承接主体，资金只能拨付给签约的承接主体', en: 'The payee is not the contracted provider' },
        { kind: 'rule', clause: '[N 4.1]', field: 'payeeProviderId', details: { contractedProviderId: c.providerId } },
      );
    }
  }

  private async requirePayable(tx: Executor, c: ContractRow, i: InstalmentRow) {
    if (i.status === 'paid')
      throw new DomainError(
        'INSTALMENT_PAID',
        { zh: `第 ${i.seq} 期已拨付，不能重复拨付`, en: `Instalment ${i.seq} is already paid` },
        { kind: 'conflict', clause: DISBURSEMENT_CLAUSE },
      );
    if (i.status === 'void') {
      throw c.remainderVoidedOn
        ? new DomainError(
            'INSTALMENT_VOID',
            {
              zh: `终期评估不合格，第 ${i.seq} 期已于 ${c.remainderVoidedOn} 作废，不再拨付`,
              en: `Instalment ${i.seq} was voided after a failed final evaluation`,
            },
            { kind: 'rule', clause: ELIGIBILITY_CLAUSE, details: { voidedOn: c.remainderVoidedOn, reason: c.remainderVoidReason } },
          )
        : new DomainError(
            'INSTALMENT_VOID',
            { zh: '合同已终止，本期不再拨付', en: 'The contract was cancelled' },
            { kind: 'rule', clause: DISBURSEMENT_CLAUSE },
          );
    }
    const holds = conditionHolds(i, await this.contracts.conditionFacts(tx, c));
    if (!holds.ok) throw refusalError(holds);
    const paidFen = (await this.repo.instalments(tx, [c.id])).filter((x) => x.status === 'paid').reduce((s, x) => s + x.amountFen, 0);
    const within = checkWithinContract(c.amountFen, paidFen, i.amountFen);
    if (!within.ok) throw refusalError(within);
  }
}
