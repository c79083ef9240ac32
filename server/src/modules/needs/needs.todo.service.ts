import { hasPermission, type Actor } from '../../common/access.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { NeedsService } from './needs.service.js';
import { NEEDS_CLAUSE } from './needs.rules.js';

/**
 * [N 3.1.1(1)] The needs module's to-do: a community's open campaign whose coverage is below the
 * policy's share of resident households (the plan cannot go to the council below it), due on the
 * campaign's closing day, with the households still missing.
 */
export class NeedsTodoSource implements TodoSource {
  constructor(private readonly needs: NeedsService) {}

  async todoItems(actor: Actor, _today: string): Promise<TodoDraft[]> {
    if (actor.role !== 'community' || !hasPermission(actor, 'needs:read')) return [];
    const { items } = await this.needs.listCampaigns(actor, { limit: 500 });
    return items
      .filter((c) => c.status === 'open' && !c.coverage.meets)
      .map((c) => {
        const { reached, residentHouseholds, required, threshold } = c.coverage;
        const share = `${Math.round((threshold.numerator * 10_000) / threshold.denominator) / 100}%`;
        const short = Math.max(required - reached, 0);
        return {
          key: `needs_coverage:${c.id}`,
          kind: 'needs_coverage',
          title: `需求征集覆盖率未达 ${share}：还差 ${short} 户`,
          detail: `${c.title}：已征集 ${reached} 户 / 常住 ${residentHouseholds} 户，须达 ${required} 户方可提交议事会`,
          regionName: c.communityName,
          dueOn: c.closesOn,
          link: `/needs/${c.id}`,
          clause: NEEDS_CLAUSE,
        };
      });
  }
}
