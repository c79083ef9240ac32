import type { Actor } from '../../common/access.js';
import { formatFen } from '../../common/money.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { AllocationsService } from './allocations.service.js';

/**
 * [N 1, N 4.3] The ledger's to-do: the city finance bureau confirms each fund year's appropriation
 * once the year has a policy and the year before has ratings, until every community's transfer is
 * posted ("the finance bureau funds on time"). No date is set by the notice: the item is undated.
 */
export class LedgerTodoSource implements TodoSource {
  constructor(
    private readonly policy: PolicyService,
    private readonly allocations: AllocationsService,
  ) {}

  async todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
    if (actor.role !== 'city_finance' || !actor.scopePath || actor.scopePath.includes('/')) return [];
    const thisYear = Number(today.slice(0, 4));
    const items: TodoDraft[] = [];
    for (const { year } of await this.policy.listYears()) {
      if (year > thisYear + 1) continue;
      const review = await this.allocations.review(actor, year);
      if (review.count === 0 || review.confirmed) continue;
      const left = review.totalFen - review.postedFen;
      items.push({
        key: `appropriation_confirm:${year}`,
        kind: 'appropriation_confirm',
        title: `确认 ${year} 年度资金下达：${formatFen(left)}`,
        detail: `按 ${review.ratingYear} 年度星级评定下达 ${review.count} 个社区，合计 ${formatFen(review.totalFen)}${review.postedCount ? `（已下达 ${review.postedCount} 个）` : ''}，待市财政局确认`,
        regionName: '全市',
        dueOn: null,
        link: `/allocations?year=${year}`,
        amountFen: left,
      });
    }
    return items;
  }
}
