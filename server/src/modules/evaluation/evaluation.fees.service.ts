import { randomUUID } from 'node:crypto';
import { requirePermission, type Actor } from '../../common/access.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { rootOf, type LedgerService } from '../ledger/ledger.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { notFound, type EvaluationContext } from './evaluation.context.js';
import type { FeeBody, FeeView } from './evaluation.schemas.js';
import { FEE_CLAUSE, KIND_LABELS } from './evaluation.rules.js';

/** Evaluation fees [N 3.12]: paid from the non-fund evaluation-fee account, once per request id. */
export class EvaluationFeesService {
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly ctx: EvaluationContext,
    private readonly regions: RegionsService,
    private readonly ledger: LedgerService,
  ) {}

  async recordFee(actor: Actor, roundId: number, input: FeeBody): Promise<FeeView> {
    requirePermission(actor, 'evaluations:write');
    const { requestId, ...request } = input;
    const keyed = { scope: 'evaluation.fee', key: requestId, userId: actor.userId, request: { roundId, ...request } };
    const replayed = await this.idem.replay<FeeView>(this.ctx.db, keyed);
    if (replayed) return replayed;
    const r = await this.ctx.roundFor(actor, roundId);
    this.ctx.requireDistrictOf(actor, r);
    if (input.evaluatorOrgId && !(await this.ctx.repo.org(this.ctx.db, input.evaluatorOrgId)))
      throw notFound('评估机构', 'Evaluator organisation');
    const community = input.chargeTo === 'community_fund' ? await this.regions.requireInScope(actor, input.communityCode ?? '') : null;
    const transferId = `EF${r.fundYear}-R${r.id}-${input.requestId ?? randomUUID()}`;
    // One fee per request id [N 3.12]: a retry answers the first result (idempotency_key), and the
    // transfer id derived from the key is unique in the ledger and in evaluation_fee.
    return heldOnce(
      this.ctx.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const reference = `${r.fundYear} 年度${KIND_LABELS[r.kind]}评估费`;
          if (community) {
            // Charging the fund is refused by the ledger itself [N 3.12]; this path exists to prove it.
            await this.ledger.ensureAccount(tx, {
              fundYear: r.fundYear,
              kind: 'evaluation_fee',
              ref: 'spent',
              regionPath: rootOf(r.regionPath),
            });
            await this.ledger.createTransfer(
              tx,
              {
                id: transferId,
                fundYear: r.fundYear,
                kind: 'posted',
                code: 'evaluation_fee',
                amount: input.amountFen,
                reference,
                debit: { fundYear: r.fundYear, kind: 'community_available', ref: community.code },
                credit: { fundYear: r.fundYear, kind: 'evaluation_fee', ref: 'spent' },
              },
              actor,
            );
          } else {
            await this.ledger.recordEvaluationFee(
              tx,
              { id: transferId, fundYear: r.fundYear, regionPath: r.regionPath, amount: input.amountFen, reference },
              actor,
            );
          }
          const row = await this.ctx.repo.insertFee(tx, {
            roundId,
            evaluatorOrgId: input.evaluatorOrgId ?? null,
            amountFen: input.amountFen,
            paidOn: input.paidOn,
            note: input.note ?? '',
            transferId,
            createdByUserId: actor.userId,
          });
          await this.ctx.audit.record(tx, actor, {
            action: 'evaluation.fee',
            entityType: 'evaluation_round',
            entityId: String(roundId),
            after: { feeId: row.id, amountFen: row.amountFen, transferId, clause: FEE_CLAUSE },
          });
          return {
            id: row.id,
            roundId,
            amountFen: row.amountFen,
            paidOn: row.paidOn,
            evaluatorOrgId: row.evaluatorOrgId,
            note: row.note,
            transferId,
          };
        }),
      ),
    );
  }
}
