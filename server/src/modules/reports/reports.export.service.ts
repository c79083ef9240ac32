import { fenToDecimalYuan } from '../../common/money.js';
import type { Actor } from '../../common/access.js';
import { buildWorkbook } from '../../common/xlsx.js';
import { formatScore } from '../evaluation/evaluation.rules.js';
import type { ReportFilingService } from './reports.filing.service.js';

/** A district report [N 3.2] as a workbook: the summary figures and the evaluations behind them. */
export class ReportExportService {
  constructor(private readonly filing: ReportFilingService) {}

  async export(actor: Actor, id: number): Promise<{ filename: string; buffer: Buffer }> {
    const v = await this.filing.get(actor, id);
    const f = v.figures;
    const summary = [
      ['区（县、市）', v.districtName],
      ['年度', v.fundYear],
      ['报告', v.kindLabel],
      ['状态', v.statusLabel],
      ['报送日期', v.filedOn ?? ''],
      ['备案项目数', f.projectsFiled],
      ['备案项目预算（元）', fenToDecimalYuan(f.budgetFiledFen)],
      ['涉及社区数', f.communitiesFiled],
      ['安排评估项目数', f.assigned],
      ['第三方评估', f.thirdParty],
      ['评审会评估', f.reviewMeetings],
      ['已出具结论', f.concluded],
      ['未完成', f.outstanding],
      ['已评估项目预算（元）', fenToDecimalYuan(f.budgetEvaluatedFen)],
      ['评估覆盖率（‰）', f.coveragePermille],
      ['服务覆盖人数', f.peopleCovered],
      ['平均得分', f.averageScoreBp === null ? '' : formatScore(f.averageScoreBp)],
      ['优秀', f.byGrade.excellent],
      ['良好', f.byGrade.good],
      ['合格', f.byGrade.pass],
      ['不合格', f.byGrade.fail],
      ['报告正文', v.narrative],
    ];
    const buffer = await buildWorkbook([
      {
        name: '汇总',
        columns: [
          { header: '项目', key: 'k', width: 24 },
          { header: '数值', key: 'v', width: 60 },
        ],
        rows: summary.map(([k, val]) => ({ k: String(k), v: val as string | number })),
      },
      {
        name: '评估明细',
        columns: [
          { header: '项目', key: 'title', width: 30 },
          { header: '社区', key: 'community', width: 20 },
          { header: '预算（元）', key: 'budget', money: true },
          { header: '方式', key: 'method' },
          { header: '得分', key: 'score' },
          { header: '等次', key: 'grade' },
          { header: '发现问题', key: 'problems', width: 40 },
        ],
        rows: v.assignments.map((a) => ({
          title: a.projectTitle,
          community: a.communityName,
          budget: a.budgetFen,
          method: a.method === 'third_party' ? '第三方评估' : '评审会',
          score: a.score ?? '',
          grade: a.gradeLabel ?? '未完成',
          problems: a.problems,
        })),
        totals: { title: '合计', budget: v.assignments.reduce((s, a) => s + a.budgetFen, 0) },
      },
    ]);
    return { filename: `${v.districtName}${v.fundYear}年度${v.kindLabel}报告.xlsx`, buffer };
  }
}
