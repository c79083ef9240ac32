import { hasPermission, type Actor } from '../../common/access.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { SupervisionService } from './supervision.service.js';
import type { FindingView } from './supervision.schemas.js';

/**
 * [N 4.3] Supervision's to-do: the community answers each finding by its rectification deadline
 * (working days from the day it was found); whoever raised it follows up — the city bureau a spot
 * check's finding, the street office its visit's — once the community has answered.
 */
export class SupervisionTodoSource implements TodoSource {
  constructor(private readonly supervision: SupervisionService) {}

  async todoItems(actor: Actor, _today: string): Promise<TodoDraft[]> {
    if (!actor.scopePath || !hasPermission(actor, 'supervision:read')) return [];
    if (actor.role === 'community' && hasPermission(actor, 'findings:respond')) {
      const { items } = await this.supervision.listFindings(actor, { status: 'open' });
      return items.map((f) => ({
        key: `finding_respond:${f.id}`,
        kind: 'finding_respond',
        title: `整改并反馈：${f.description.slice(0, 40)}`,
        detail: `整改要求：${f.demand}（${f.foundOn} 发现，${f.workdays} 个工作日内整改）`,
        regionName: f.communityName,
        dueOn: f.deadlineOn,
        link: linkOf(f),
        ...(f.deadlineProvisional ? { provisional: true } : {}),
      }));
    }
    if ((actor.role === 'city_bureau' || actor.role === 'street_office') && hasPermission(actor, 'findings:close')) {
      const { items } = await this.supervision.listFindings(actor, { status: 'responded' });
      return items
        .filter((f) => (actor.role === 'city_bureau' ? f.spotCheckId !== null : f.visitId !== null))
        .map((f) => ({
          key: `finding_close:${f.id}`,
          kind: 'finding_close',
          title: `核查整改并销号：${f.description.slice(0, 40)}`,
          detail: `社区 ${f.respondedOn} 反馈：${f.response ?? ''}`,
          regionName: f.communityName,
          dueOn: null,
          link: linkOf(f),
        }));
    }
    return [];
  }
}

const linkOf = (f: FindingView) => (f.spotCheckId !== null ? `/supervision/spot-checks/${f.spotCheckId}` : '/supervision');
