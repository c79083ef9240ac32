import { hasPermission, type Actor } from '../../common/access.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { EvaluationService } from './evaluation.service.js';
import { KIND_LABELS } from './evaluation.rules.js';

/**
 * [N 3.2] Evaluation's to-do: the evaluator organisation's assignments not yet concluded, due on
 * their round's date (mid-term 30 June, final 10 December of the fund year, from policy data); the
 * district bureau's rounds not yet opened for a fund year with filed projects, due on the same date.
 */
export class EvaluationTodoSource implements TodoSource {
  constructor(private readonly evaluation: EvaluationService) {}

  async todoItems(actor: Actor, _today: string): Promise<TodoDraft[]> {
    if (actor.role === 'district_bureau' && hasPermission(actor, 'evaluations:write')) {
      return (await this.evaluation.roundsToOpen(actor)).map((r) => ({
        key: `evaluation_round_open:${r.districtCode}:${r.fundYear}:${r.kind}`,
        kind: 'evaluation_round_open',
        title: `开启 ${r.fundYear} 年度${KIND_LABELS[r.kind]}`,
        detail: `${r.districtName} ${r.fundYear} 年度已备案 ${r.projects} 个项目，${KIND_LABELS[r.kind]}应于 ${r.dueOn} 前完成`,
        regionName: r.districtName,
        dueOn: r.dueOn,
        link: '/evaluations',
      }));
    }
    if (actor.role !== 'evaluator' || !hasPermission(actor, 'evaluations:score')) return [];
    const { items } = await this.evaluation.listAssignments(actor, { status: 'assigned' });
    return items
      .filter((a) => a.evaluatorOrgId === actor.orgId)
      .map((a) => ({
        key: `evaluation_due:${a.id}`,
        kind: 'evaluation_due',
        title: `${a.kindLabel}打分：${a.projectTitle}`,
        detail: `${a.fundYear} 年度${a.kindLabel}（${a.methodLabel}），${a.catalogueCode} ${a.projectTitle}，应于 ${a.dueOn} 前完成`,
        regionName: a.communityName,
        dueOn: a.dueOn,
        link: `/evaluations/assignments/${a.id}`,
      }));
  }
}
