import { hasPermission, type Actor } from '../../common/access.js';
import { formatFen } from '../../common/money.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { ProcurementService } from './procurement.service.js';

/**
 * [N 3.3] Procurement's to-do: for the provider, the open instalments of its signed contracts
 * whose payment condition now holds (it may request them); for the street office, the payment
 * requests waiting for its approval. The notice sets no deadline for either: due on the
 * instalment's own date where it has one, else undated.
 */
export class ProcurementTodoSource implements TodoSource {
  constructor(
    private readonly procurement: ProcurementService,
    private readonly regions: RegionsService,
  ) {}

  async todoItems(actor: Actor, _today: string): Promise<TodoDraft[]> {
    if (actor.role === 'provider' && hasPermission(actor, 'payments:request')) return this.claimable(actor);
    if (actor.role === 'street_office' && hasPermission(actor, 'payments:approve')) return this.requests(actor);
    return [];
  }

  private async names(codes: string[]) {
    const rows = await this.regions.byCodes([...new Set(codes)]);
    return (code: string) => rows.find((r) => r.code === code)?.name ?? code;
  }

  private async claimable(actor: Actor): Promise<TodoDraft[]> {
    const { items: contracts } = await this.procurement.listContracts(actor, { status: 'signed', limit: 500 });
    const nameOf = await this.names(contracts.map((c) => c.communityCode));
    const out: TodoDraft[] = [];
    for (const summary of contracts) {
      const c = await this.procurement.getContract(actor, summary.id);
      for (const i of c.instalments) {
        if (i.status !== 'open' || i.conditionMet !== true) continue;
        out.push({
          key: `instalment_claimable:${i.id}`,
          kind: 'instalment_claimable',
          title: `申请拨付第 ${i.seq} 期：${formatFen(i.amountFen)}`,
          detail: `${c.ref} ${c.title}：${i.conditionLabel}，条件已满足`,
          regionName: nameOf(c.communityCode),
          dueOn: i.dueOn,
          link: `/contracts/${c.id}`,
          amountFen: i.amountFen,
        });
      }
    }
    return out;
  }

  private async requests(actor: Actor): Promise<TodoDraft[]> {
    const { items } = await this.procurement.listPaymentRequests(actor, { status: 'requested', limit: 500 });
    const nameOf = await this.names(items.map((r) => r.contract.communityCode));
    return items.map((r) => ({
      key: `payment_request:${r.id}`,
      kind: 'payment_request',
      title: `审批拨付申请：${formatFen(r.amountFen)}`,
      detail: `${r.providerName} 申请 ${r.contract.ref} ${r.contract.title} 第 ${r.instalment.seq} 期（${r.instalment.conditionLabel}），${r.requestedOn} 提交`,
      regionName: nameOf(r.contract.communityCode),
      dueOn: null,
      link: `/payments?request=${r.id}`,
      amountFen: r.amountFen,
    }));
  }
}
