import { hasPermission, type Actor } from '../../common/access.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { Executor } from '../../db/client.js';
import type { SupervisionService } from './supervision.service.js';
import type { FindingView } from './supervision.schemas.js';

/**
 * [N 4.3] Supervision's to-do: the community answers each finding by its rectification deadline
 * (working days from the day it was found); whoever raised it follows up — the city bureau a spot
 * check's finding, the street office its visit's — once the community has answered.
 * The street office supervises scope, procedure and disclosure: each of its communities with a
 * filed project in a fund year is an item until the street has recorded a visit to it in that year.
 * The notice sets no frequency or date for visits (undated items).
 */
export class SupervisionTodoSource implements TodoSource {
  constructor(
    private readonly supervision: SupervisionService,
    private readonly plans: PlansService,
    private readonly regions: RegionsService,
    private readonly db: Executor,
  ) {}

  async todoItems(actor: Actor, today: string): Promise<TodoDraft[]> {
    if (!actor.scopePath || !hasPermission(actor, 'supervision:read')) return [];
    return [...(await this.findingItems(actor)), ...(await this.visitsDue(actor, today))];
  }

  /** Fund years (up to today's) with filed projects under the actor's region, with those projects. */
  private async filedYears(actor: Actor, today: string) {
    const projects = await this.plans.filedProjects(this.db, { regionPrefix: actor.scopePath! });
    const thisYear = Number(today.slice(0, 4));
    const years = [...new Set(projects.map((p) => p.fundYear))].filter((y) => y <= thisYear).sort();
    return years.map((fundYear) => ({ fundYear, projects: projects.filter((p) => p.fundYear === fundYear) }));
  }

  private async visitsDue(actor: Actor, today: string): Promise<TodoDraft[]> {
    if (actor.role !== 'street_office' || !hasPermission(actor, 'visits:write')) return [];
    const { items: visits } = await this.supervision.listVisits(actor);
    const out: TodoDraft[] = [];
    for (const { fundYear, projects } of await this.filedYears(actor, today)) {
      const communities = [...new Set(projects.flatMap((p) => p.communityCodes))].sort();
      const names = new Map((await this.regions.byCodes(communities)).map((r) => [r.code, r.name]));
      for (const code of communities) {
        if (visits.some((v) => v.communityCode === code && v.visitedOn.startsWith(`${fundYear}-`))) continue;
        out.push({
          key: `visit_due:${code}:${fundYear}`,
          kind: 'visit_due',
          title: `督导走访：${names.get(code) ?? code}`,
          detail: `${fundYear} 年度有已备案项目，本年度尚无街道督导记录（范围、程序、公开）`,
          regionName: names.get(code) ?? code,
          dueOn: null,
          link: '/supervision',
        });
      }
    }
    return out;
  }

  private async findingItems(actor: Actor): Promise<TodoDraft[]> {
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
