import { hasPermission, type Actor } from '../../common/access.js';
import type { MessageItem, TodoDraft } from '../plans/plans.schemas.js';
import type { MessageSource, TodoSource } from '../plans/plans.todo.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { DeliveryService } from './delivery.service.js';

/**
 * [N 3.1.3(2)] Delivery's to-do: the provider records the activities of each signed contract whose
 * period has begun — an item while the contract has none recorded yet; the community decides the
 * plan adjustments a provider proposed — an item while one waits. The notice asks for both but sets
 * no interval or deadline, so the items are undated. The community's answer reaches the provider as
 * a message (read marks are stored by the to-do centre): an answer asks nothing further of it.
 */
export class DeliveryTodoSource implements TodoSource, MessageSource {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly procurement: ProcurementService,
    private readonly regions: RegionsService,
  ) {}

  async todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
    if (actor.role === 'community') return this.adjustmentsToDecide(actor);
    if (actor.role !== 'provider' || !hasPermission(actor, 'delivery:write')) return [];
    const { items } = await this.procurement.listContracts(actor, { status: 'signed', limit: 500 });
    const started = items.filter((c) => c.providerId === actor.orgId && c.startsOn <= today);
    const names = await this.regions.byCodes([...new Set(started.map((c) => c.communityCode))]);
    const out: TodoDraft[] = [];
    for (const c of started) {
      if ((await this.delivery.activityCount(c.id)) > 0) continue;
      out.push({
        key: `activity_record:${c.id}`,
        kind: 'activity_record',
        title: `登记实施活动：${c.title}`,
        detail: `${c.ref}（${c.startsOn} 至 ${c.endsOn}）已开始实施，尚未登记活动记录`,
        regionName: names.find((n) => n.code === c.communityCode)?.name ?? c.communityCode,
        dueOn: null,
        link: `/contracts/${c.id}`,
      });
    }
    return out;
  }

  /** The community's: adjustments its providers proposed, waiting for its decision. */
  private async adjustmentsToDecide(actor: Actor): Promise<TodoDraft[]> {
    if (!hasPermission(actor, 'adjustments:approve')) return [];
    const { items } = await this.procurement.listContracts(actor, { limit: 500 });
    const waiting = (await this.delivery.adjustmentsOf(items.map((c) => c.id))).filter((a) => a.status === 'proposed');
    const names = await this.regions.byCodes([...new Set(items.map((c) => c.communityCode))]);
    return waiting.map((a) => {
      const c = items.find((x) => x.id === a.contractId)!;
      return {
        key: `adjustment_decide:${a.id}`,
        kind: 'adjustment_decide',
        title: `审批方案调整：${c.title}`,
        detail: `${c.ref}：${a.change}（理由：${a.reason}；${a.proposedOn} 提出）`,
        regionName: names.find((n) => n.code === c.communityCode)?.name ?? c.communityCode,
        dueOn: null,
        link: `/contracts/${c.id}`,
      };
    });
  }

  /** The provider's messages: the community's answer to each adjustment it proposed. */
  async messages(actor: Actor): Promise<MessageItem[]> {
    if (actor.role !== 'provider' || !hasPermission(actor, 'delivery:write')) return [];
    const { items } = await this.procurement.listContracts(actor, { limit: 500 });
    const own = items.filter((c) => c.providerId === actor.orgId);
    const answered = (await this.delivery.adjustmentsOf(own.map((c) => c.id))).filter((a) => a.status !== 'proposed' && a.decidedOn);
    return answered.map((a) => {
      const c = own.find((x) => x.id === a.contractId)!;
      return {
        key: `adjustment_answered:${a.id}`,
        kind: 'adjustment_answered',
        title: `方案调整${a.status === 'approved' ? '已获社区批准' : '未获社区批准'}：${c.title}`,
        body: `${c.ref}：${a.change}${a.decisionNote ? `（社区意见：${a.decisionNote}）` : ''} [N 3.1.3(2)]`,
        on: a.decidedOn!,
        link: `/contracts/${c.id}`,
      };
    });
  }
}
