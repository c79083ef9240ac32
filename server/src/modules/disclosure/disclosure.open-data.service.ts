import type { Db } from '../../db/client.js';
import { buildCsv, buildWorkbook, type CellValue } from '../../common/xlsx.js';
import { CITY_CODE } from '../../seed/demo-city.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { DomainError } from '../../common/errors.js';
import { OPEN_DATASETS, parseOpenDataFile, type OpenDataset, type OpenFormat } from './disclosure.rules.js';
import type { OpenDataIndexView } from './disclosure.schemas.js';
import { PUBLIC_GRADE_LABELS, type PortalService, type PublicGradeSource } from './disclosure.portal.service.js';

/** [N 4.2] Open data: the index and the fund year's datasets as csv, xlsx and JSON (the OCDS package is `OcdsService`). */
export class OpenDataService {
  constructor(
    private readonly db: Db,
    private readonly regions: RegionsService,
    private readonly decisions: DecisionsService,
    private readonly plans: PlansService,
    private readonly procurement: ProcurementService | null,
    private readonly evaluations: PublicGradeSource,
    private readonly portal: PortalService,
  ) {}

  async openDataIndex(): Promise<OpenDataIndexView> {
    const { years } = await this.portal.years();
    const datasets = OPEN_DATASETS;
    return {
      license: 'CC BY 4.0',
      years: years.map((y) => ({
        year: y,
        files: datasets.flatMap((d) =>
          (['csv', 'xlsx', 'json'] as const).map((f) => ({ dataset: d, format: f, url: `/api/public/open-data/${y}/${d}.${f}` })),
        ),
        ocds: `/api/public/open-data/${y}/ocds/release-package.json`,
      })),
    };
  }

  async openDataTable(
    fundYear: number,
    dataset: OpenDataset,
  ): Promise<{ title: string; columns: { key: string; header: string; money?: boolean }[]; rows: Record<string, CellValue>[] }> {
    await this.portal.years(fundYear);
    const city = await this.portal.region(CITY_CODE);
    const names = async (codes: string[]) => new Map((await this.regions.byCodes([...new Set(codes)])).map((r) => [r.code, r.name]));
    if (dataset === 'allocations') {
      const money = await this.portal.moneyUnder(fundYear, city.path);
      const nm = await names(money.flatMap((m) => m.path.split('/').slice(1)));
      return {
        title: '社区专项资金分配',
        columns: [
          { key: 'community_code', header: '社区代码' },
          { key: 'community_name', header: '社区' },
          { key: 'street_name', header: '街道' },
          { key: 'district_name', header: '区县' },
          { key: 'allocated_fen', header: '分配金额', money: true },
          { key: 'committed_fen', header: '合同占用', money: true },
          { key: 'paid_fen', header: '已拨付', money: true },
          { key: 'available_fen', header: '可用余额', money: true },
        ],
        rows: money.map((m) => {
          const [, d, s] = m.path.split('/');
          return {
            community_code: m.code,
            community_name: nm.get(m.code) ?? m.code,
            street_name: nm.get(s!) ?? '',
            district_name: nm.get(d!) ?? '',
            allocated_fen: m.figures.allocated,
            committed_fen: m.figures.committed,
            paid_fen: m.figures.paid,
            available_fen: m.figures.available,
          };
        }),
      };
    }
    if (dataset === 'projects') {
      const plans = (await this.plans.plansUnder(city.path, fundYear)).filter((p) => p.status === 'filed');
      const nm = await names(plans.flatMap((p) => p.projects.flatMap((x) => x.communityCodes)));
      return {
        title: '已备案项目',
        columns: [
          { key: 'project_id', header: '项目编号' },
          { key: 'plan_id', header: '方案编号' },
          { key: 'plan_title', header: '使用方案' },
          { key: 'community_codes', header: '服务社区代码' },
          { key: 'community_names', header: '服务社区' },
          { key: 'title', header: '项目名称' },
          { key: 'catalogue_code', header: '目录编码' },
          { key: 'category', header: '类别' },
          { key: 'budget_fen', header: '预算', money: true },
          { key: 'filed_on', header: '备案日期' },
          { key: 'filing_level', header: '备案机关' },
        ],
        rows: plans.flatMap((p) =>
          p.projects.map((x) => ({
            project_id: x.id,
            plan_id: p.id,
            plan_title: p.title,
            community_codes: x.communityCodes.join(';'),
            community_names: x.communityCodes.map((c) => nm.get(c) ?? c).join(';'),
            title: x.title,
            catalogue_code: x.catalogueCode,
            category: x.category,
            budget_fen: x.budgetFen,
            filed_on: p.filedOn,
            filing_level: p.filingLevel,
          })),
        ),
      };
    }
    if (dataset === 'notices') {
      const overview = await this.decisions.overviewUnder(CITY_CODE, { fundYear });
      const codes = [...new Set(overview.map((d) => d.communityCode))].sort();
      const nm = await names(codes);
      const rows: Record<string, CellValue>[] = [];
      for (const code of codes) {
        for (const n of (await this.decisions.publicNoticesOf(code)).filter((x) => x.fundYear === fundYear).sort((a, b) => a.id - b.id)) {
          rows.push({
            notice_id: n.id,
            community_code: code,
            community_name: nm.get(code) ?? code,
            round: n.round,
            posted_on: n.postedOn,
            window_end: n.windowEnd,
            status: n.status,
            objectors: n.objectors,
            objectors_needed: n.objectorsNeeded,
            projects: n.projects.length,
            total_budget_fen: n.totalBudgetFen,
            url: `/n/${n.id}`,
          });
        }
      }
      return {
        title: '决策公示',
        columns: [
          { key: 'notice_id', header: '公示编号' },
          { key: 'community_code', header: '社区代码' },
          { key: 'community_name', header: '社区' },
          { key: 'round', header: '轮次' },
          { key: 'posted_on', header: '公示日期' },
          { key: 'window_end', header: '公示截止' },
          { key: 'status', header: '状态' },
          { key: 'objectors', header: '异议人数' },
          { key: 'objectors_needed', header: '中止所需人数' },
          { key: 'projects', header: '项目数' },
          { key: 'total_budget_fen', header: '预算合计', money: true },
          { key: 'url', header: '公示页面' },
        ],
        rows,
      };
    }
    if (dataset === 'evaluations') {
      const plans = (await this.plans.plansUnder(city.path, fundYear)).filter((p) => p.status === 'filed');
      const projects = plans.flatMap((p) => p.projects);
      const grades = await this.evaluations.gradesOf(
        this.db,
        projects.map((x) => x.id),
        fundYear,
      );
      const nm = await names(projects.flatMap((x) => x.communityCodes));
      return {
        title: '项目评估等次',
        columns: [
          { key: 'project_id', header: '项目编号' },
          { key: 'title', header: '项目名称' },
          { key: 'community_codes', header: '服务社区代码' },
          { key: 'community_names', header: '服务社区' },
          { key: 'stage', header: '评估阶段' },
          { key: 'grade', header: '等次' },
        ],
        rows: grades
          .filter((g) => g.grade)
          .sort((a, b) => a.planProjectId - b.planProjectId || a.kind.localeCompare(b.kind))
          .map((g) => {
            const x = projects.find((p) => p.id === g.planProjectId)!;
            return {
              project_id: x.id,
              title: x.title,
              community_codes: x.communityCodes.join(';'),
              community_names: x.communityCodes.map((c) => nm.get(c) ?? c).join(';'),
              stage: g.kind,
              grade: PUBLIC_GRADE_LABELS[g.grade!] ?? g.grade,
            };
          }),
      };
    }
    const contracts = this.procurement ? await this.procurement.publicContracts({ pathPrefix: city.path, fundYear }) : [];
    const nm = await names(contracts.map((c) => c.communityCode));
    if (dataset === 'contracts') {
      return {
        title: '服务合同',
        columns: [
          { key: 'contract_id', header: '合同编号' },
          { key: 'ref', header: '合同号' },
          { key: 'community_code', header: '社区代码' },
          { key: 'community_name', header: '社区' },
          { key: 'title', header: '合同名称' },
          { key: 'provider_name', header: '承接主体' },
          { key: 'provider_credit_code', header: '统一社会信用代码' },
          { key: 'amount_fen', header: '合同金额', money: true },
          { key: 'signed_on', header: '签订日期' },
          { key: 'starts_on', header: '开始日期' },
          { key: 'ends_on', header: '结束日期' },
          { key: 'status', header: '状态' },
          { key: 'paid_fen', header: '已拨付', money: true },
          { key: 'project_ids', header: '项目编号' },
        ],
        rows: contracts.map((c) => ({
          contract_id: c.id,
          ref: c.ref,
          community_code: c.communityCode,
          community_name: nm.get(c.communityCode) ?? c.communityCode,
          title: c.title,
          provider_name: c.provider?.name ?? '',
          provider_credit_code: c.provider?.creditCode ?? '',
          amount_fen: c.amountFen,
          signed_on: c.signedOn,
          starts_on: c.startsOn,
          ends_on: c.endsOn,
          status: c.status,
          paid_fen: c.instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0),
          project_ids: c.projectIds.join(';'),
        })),
      };
    }
    return {
      title: '资金拨付',
      columns: [
        { key: 'contract_ref', header: '合同号' },
        { key: 'community_code', header: '社区代码' },
        { key: 'community_name', header: '社区' },
        { key: 'provider_name', header: '收款承接主体' },
        { key: 'instalment', header: '期次' },
        { key: 'condition', header: '拨付条件' },
        { key: 'amount_fen', header: '金额', money: true },
        { key: 'paid_on', header: '拨付日期' },
        { key: 'transfer_id', header: '账本流水号' },
      ],
      rows: contracts.flatMap((c) =>
        c.instalments
          .filter((i) => i.status === 'paid')
          .map((i) => ({
            contract_ref: c.ref,
            community_code: c.communityCode,
            community_name: nm.get(c.communityCode) ?? c.communityCode,
            provider_name: c.provider?.name ?? '',
            instalment: i.seq,
            condition: i.conditionLabel,
            amount_fen: i.amountFen,
            paid_on: i.paidOn,
            transfer_id: i.transferId,
          })),
      ),
    };
  }
  /** A dataset file by its published name `<dataset>.<format>`, or 404. */
  async openDataDownload(fundYear: number, file: string) {
    const parsed = parseOpenDataFile(file);
    if (!parsed) throw new DomainError('NOT_FOUND', { zh: '数据集不存在', en: 'No such dataset' }, { kind: 'not_found' });
    return this.openDataFile(fundYear, parsed.dataset, parsed.format);
  }

  async openDataFile(
    fundYear: number,
    dataset: OpenDataset,
    format: OpenFormat,
  ): Promise<{ filename: string; contentType: string; body: string | Buffer }> {
    const table = await this.openDataTable(fundYear, dataset);
    const filename = `starfund-${fundYear}-${dataset}.${format}`;
    if (format === 'json') {
      return {
        filename,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({
          dataset,
          fundYear,
          title: table.title,
          license: 'CC BY 4.0',
          moneyUnit: 'fen',
          columns: table.columns.map((c) => ({ key: c.key, header: c.header })),
          rows: table.rows,
        }),
      };
    }
    if (format === 'csv') {
      return {
        filename,
        contentType: 'text/csv; charset=utf-8',
        body: buildCsv(
          table.columns.map((c) => c.key),
          table.rows.map((r) => table.columns.map((c) => r[c.key])),
        ),
      };
    }
    const buffer = await buildWorkbook([
      {
        name: table.title,
        columns: table.columns.map((c) => ({ header: c.header, key: c.key, width: 18, money: c.money })),
        rows: table.rows,
      },
    ]);
    return { filename, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: buffer };
  }
}
