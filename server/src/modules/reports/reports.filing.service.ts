import type { EvaluationKind } from '../evaluation/evaluation.schemas.js';
import { requirePermission, type Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { ReportsContext } from './reports.context.js';
import { KIND_LABELS } from '../evaluation/evaluation.rules.js';
import { REPORT_CLAUSE } from './reports.rules.js';
import type { ReportListView, ReportView } from './reports.schemas.js';

/** District reports [N 3.2]: drafted by the district bureau, filed with the city bureau (figures frozen), acknowledged by the city. */
export class ReportFilingService {
  constructor(
    private readonly ctx: ReportsContext,
    private readonly regions: RegionsService,
  ) {}

  async list(actor: Actor, filter: { fundYear?: number; kind?: EvaluationKind }): Promise<ReportListView> {
    requirePermission(actor, 'reports:read');
    if (!actor.scopePath) return { items: [] };
    const cityWide = !actor.scopePath.includes('/');
    const rows = await this.ctx.repo.list(this.ctx.db, {
      pathPrefix: actor.scopePath,
      fundYear: filter.fundYear,
      kind: filter.kind,
      status: cityWide ? ['filed', 'acknowledged'] : undefined,
    });
    const names = await this.regions.byCodes([...new Set(rows.map((r) => r.districtCode))]);
    return { items: rows.map((r) => this.ctx.summary(r, names.find((n) => n.code === r.districtCode)?.name ?? r.districtCode)) };
  }

  async create(actor: Actor, input: { fundYear: number; kind: EvaluationKind; districtCode: string }): Promise<ReportView> {
    requirePermission(actor, 'reports:write');
    const district = await this.regions.requireInScope(actor, input.districtCode);
    if (district.level !== 'district')
      throw new DomainError(
        'NOT_A_DISTRICT',
        { zh: '评估报告按区（县、市）编写', en: 'Reports are per district' },
        { kind: 'invalid', field: 'districtCode' },
      );
    return this.ctx.db.transaction(async (tx) => {
      const row = await this.ctx.repo.insert(tx, {
        fundYear: input.fundYear,
        kind: input.kind,
        districtCode: district.code,
        regionPath: district.path,
      });
      if (!row)
        throw new DomainError(
          'REPORT_EXISTS',
          { zh: `${district.name} ${input.fundYear} 年度${KIND_LABELS[input.kind]}报告已存在`, en: 'The report already exists' },
          { kind: 'conflict', clause: REPORT_CLAUSE },
        );
      await this.ctx.audit.record(tx, actor, {
        action: 'report.create',
        entityType: 'district_report',
        entityId: String(row.id),
        after: { fundYear: row.fundYear, kind: row.kind, districtCode: row.districtCode },
      });
      return this.ctx.view(tx, row);
    });
  }

  async get(actor: Actor, id: number): Promise<ReportView> {
    return this.ctx.view(this.ctx.db, await this.ctx.reportFor(actor, id));
  }

  async update(actor: Actor, id: number, input: { narrative: string }): Promise<ReportView> {
    requirePermission(actor, 'reports:write');
    await this.ctx.reportFor(actor, id);
    return this.ctx.db.transaction(async (tx) => {
      const r = (await this.ctx.repo.get(tx, id, true))!;
      if (r.status !== 'draft')
        throw new DomainError('REPORT_FILED', { zh: '报告已报送，不能修改', en: 'The report is filed' }, { kind: 'conflict' });
      await this.ctx.repo.update(tx, id, { narrative: input.narrative });
      await this.ctx.audit.record(tx, actor, {
        action: 'report.edit',
        entityType: 'district_report',
        entityId: String(id),
        after: { narrativeLength: input.narrative.length },
      });
      return this.ctx.view(tx, (await this.ctx.repo.get(tx, id))!);
    });
  }

  /** Files the report with the city bureau: its figures are frozen as compiled at that moment. */
  async file(actor: Actor, id: number): Promise<ReportView> {
    requirePermission(actor, 'reports:write');
    await this.ctx.reportFor(actor, id);
    return this.ctx.db.transaction(async (tx) => {
      const r = (await this.ctx.repo.get(tx, id, true))!;
      if (r.status !== 'draft')
        throw new DomainError('REPORT_FILED', { zh: '报告已报送', en: 'The report is already filed' }, { kind: 'conflict' });
      if (!r.narrative.trim())
        throw new DomainError(
          'NARRATIVE_REQUIRED',
          { zh: '请先填写报告正文', en: 'Write the narrative first' },
          { kind: 'invalid', field: 'narrative', clause: REPORT_CLAUSE },
        );
      const { figures, round } = await this.ctx.compile(tx, r.fundYear, r.kind, r.regionPath);
      if (!round)
        throw new DomainError(
          'NO_ROUND',
          { zh: `本区尚未开展${KIND_LABELS[r.kind]}，不能报送报告`, en: 'No evaluation round of that kind yet' },
          { kind: 'rule', clause: REPORT_CLAUSE },
        );
      await this.ctx.repo.update(tx, id, { status: 'filed', figures, filedOn: this.ctx.today(), filedByUserId: actor.userId });
      await this.ctx.audit.record(tx, actor, {
        action: 'report.file',
        entityType: 'district_report',
        entityId: String(id),
        before: { status: 'draft' },
        after: { status: 'filed', concluded: figures.concluded, byGrade: figures.byGrade },
      });
      return this.ctx.view(tx, (await this.ctx.repo.get(tx, id))!);
    });
  }

  async acknowledge(actor: Actor, id: number, input: { note?: string }): Promise<ReportView> {
    requirePermission(actor, 'reports:acknowledge');
    await this.ctx.reportFor(actor, id);
    return this.ctx.db.transaction(async (tx) => {
      const r = (await this.ctx.repo.get(tx, id, true))!;
      if (r.status !== 'filed')
        throw new DomainError(
          'REPORT_NOT_FILED',
          { zh: '报告尚未报送或已确认', en: 'The report is not awaiting acknowledgement' },
          { kind: 'conflict' },
        );
      await this.ctx.repo.update(tx, id, {
        status: 'acknowledged',
        acknowledgedOn: this.ctx.today(),
        acknowledgementNote: input.note ?? '',
      });
      await this.ctx.audit.record(tx, actor, {
        action: 'report.acknowledge',
        entityType: 'district_report',
        entityId: String(id),
        before: { status: 'filed' },
        after: { status: 'acknowledged' },
      });
      return this.ctx.view(tx, (await this.ctx.repo.get(tx, id))!);
    });
  }
}
