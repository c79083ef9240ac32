import { hasPermission, type Actor } from '../../common/access.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { DecisionsService } from './decisions.service.js';

/**
 * [N 3.1.2(1)] The decisions module's to-do for the community: a public notice whose objection
 * window is running (due on the window's last day, [L] 民法典 §201/§203), and the objections it
 * has received so far against the number that would void the decision.
 */
export class DecisionsTodoSource implements TodoSource {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly regions: RegionsService,
  ) {}

  async todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
    if (actor.role !== 'community' || !actor.scopePath || !hasPermission(actor, 'decisions:read')) return [];
    const code = actor.scopePath.split('/').pop()!;
    const open = (await this.decisions.overviewUnder(code, { today })).filter((d) => d.status === 'noticed' && d.noticeId !== null);
    const names = await this.regions.byCodes([...new Set(open.map((d) => d.communityCode))]);
    const items: TodoDraft[] = [];
    for (const d of open) {
      const regionName = names.find((r) => r.code === d.communityCode)?.name ?? d.communityCode;
      const link = `/decisions/${d.decisionId}`;
      items.push({
        key: `notice_window:${d.noticeId}`,
        kind: 'notice_window',
        title: `公示期至 ${d.windowEnd} 届满`,
        detail: `${d.fundYear} 年度决策公示中，期满且异议未达 ${d.objectorsNeeded} 人即可编制使用方案`,
        regionName,
        dueOn: d.windowEnd,
        link,
      });
      if (d.objectors > 0)
        items.push({
          key: `objection_received:${d.noticeId}:${d.objectors}`,
          kind: 'objection_received',
          title: `公示收到异议 ${d.objectors} 人`,
          detail: `达到 ${d.objectorsNeeded} 人（居民代表五分之一）决策中止、须重新表决；请核实并答复异议`,
          regionName,
          dueOn: d.windowEnd,
          link,
        });
    }
    return items;
  }
}
