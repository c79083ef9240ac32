import { hasPermission, type Actor } from '../../common/access.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { DeliveryService } from './delivery.service.js';

/**
 * [N 3.1.3(2)] Delivery's to-do: the provider records the activities of each signed contract whose
 * period has begun — an item while the contract has none recorded yet. The notice asks for the
 * records but sets no interval or deadline for them, so the item is undated.
 */
export class DeliveryTodoSource implements TodoSource {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly procurement: ProcurementService,
    private readonly regions: RegionsService,
  ) {}

  async todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
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
}
