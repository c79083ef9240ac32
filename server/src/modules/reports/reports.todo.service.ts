import { hasPermission, type Actor } from '../../common/access.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import type { TodoDraft } from '../plans/plans.schemas.js';
import type { TodoSource } from '../plans/plans.todo.service.js';
import type { ReportsService } from './reports.service.js';

/**
 * [N 3.2] District reports in the to-do: each district files a mid-term and a final report with
 * the city bureau, compiled from its evaluations — due with its evaluation round (30 June, 10
 * December of the fund year, from the round's data) while not filed; the city bureau acknowledges
 * each filed report.
 */
export class ReportsTodoSource implements TodoSource {
  constructor(
    private readonly reports: ReportsService,
    private readonly evaluation: EvaluationService,
  ) {}

  async todoItems(actor: Actor, _today: string): Promise<TodoDraft[]> {
    if (!actor.scopePath || !hasPermission(actor, 'reports:read')) return [];
    if (actor.role === 'city_bureau' && !actor.scopePath.includes('/')) {
      const { items } = await this.reports.list(actor, {});
      return items
        .filter((r) => r.status === 'filed')
        .map((r) => ({
          key: `report_acknowledge:${r.id}`,
          kind: 'report_acknowledge',
          title: `确认收到${r.districtName} ${r.fundYear} 年度${r.kindLabel}报告`,
          detail: `${r.filedOn} 报送`,
          regionName: r.districtName,
          dueOn: null,
          link: `/district-reports/${r.id}`,
        }));
    }
    if (actor.role === 'district_bureau' && hasPermission(actor, 'reports:write')) {
      const { items: rounds } = await this.evaluation.listRounds(actor, {});
      const { items: reports } = await this.reports.list(actor, {});
      return rounds.flatMap((round) => {
        const report = reports.find((r) => r.fundYear === round.fundYear && r.kind === round.kind && r.districtCode === round.districtCode);
        if (report && report.status !== 'draft') return [];
        return [
          {
            key: `report_due:${round.districtCode}:${round.fundYear}:${round.kind}`,
            kind: 'report_due',
            title: `报送 ${round.fundYear} 年度${round.kindLabel}报告`,
            detail: `${round.districtName}${round.kindLabel}：已完成 ${round.counts.concluded}/${round.counts.assigned} 项评估${report ? '，报告草稿待报送' : '，尚未起草报告'}`,
            regionName: round.districtName,
            dueOn: round.dueOn,
            link: report ? `/district-reports/${report.id}` : '/district-reports',
          },
        ];
      });
    }
    return [];
  }
}
