import type { Db } from '../../db/client.js';
import { hasPermission, requirePermission, type Actor } from '../../common/access.js';
import { DomainError, invalidField } from '../../common/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { RegionSummary } from '../regions/regions.service.js';
import { DisclosureRepository } from './disclosure.repository.js';
import { DISCLOSURE_CLAUSE, DISCLOSURE_LABELS, STAGE_LABELS, type DisclosureItem, type RecordedKind } from './disclosure.rules.js';
import type { DisclosureRecordInput, DisclosureRecordView, MonitorView } from './disclosure.schemas.js';
import { regionView, type PortalService, type PublicContract } from './disclosure.portal.service.js';

/** [N 4.2] Disclosure monitoring for the street, district and city: late or missing disclosures, and the records communities keep. */
export class MonitoringService {
  private readonly repo = new DisclosureRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly decisions: DecisionsService,
    private readonly plans: PlansService,
    private readonly procurement: ProcurementService | null,
    private readonly portal: PortalService,
  ) {}

  /** For a street or district (or the city): each community's required disclosures in a fund year, flagged when late or missing. */
  async monitor(actor: Actor, code: string | undefined, year?: number): Promise<MonitorView> {
    requirePermission(actor, 'plans:read');
    const { fundYear } = await this.portal.years(year);
    const root = code ? await this.regions.requireInScope(actor, code) : await this.portal.region(actor.scopePath!.split('/').pop()!);
    const rows = await this.monitorRows(root, fundYear);
    return {
      fundYear,
      today: this.portal.today(),
      region: regionView(root),
      flagged: rows.reduce((s, r) => s + r.flagged, 0),
      communities: rows,
    };
  }

  private async monitorRows(root: RegionSummary, fundYear: number) {
    const [overview, records, plans, contracts] = await Promise.all([
      this.decisions.overviewUnder(root.code, { fundYear }),
      this.repo.records(this.db, { pathPrefix: root.path, fundYear }),
      this.plans.plansUnder(root.level === 'community' ? root.path.split('/').slice(0, -1).join('/') : root.path, fundYear),
      this.procurement ? this.procurement.publicContracts({ pathPrefix: root.path, fundYear }) : Promise.resolve([] as PublicContract[]),
    ]);
    const codes = [
      ...new Set([
        ...overview.map((d) => d.communityCode),
        ...records.map((r) => r.communityCode),
        ...plans.flatMap((p) => p.communityCodes),
        ...contracts.map((c) => c.communityCode),
      ]),
    ]
      .filter((c) => c === root.code || c.startsWith(root.code))
      .sort();
    const communities = await this.regions.byCodes(codes);
    const out: { code: string; name: string; streetName: string; items: (DisclosureItem & { stageLabel: string })[]; flagged: number }[] =
      [];
    const streets = await this.regions.byCodes([...new Set(communities.map((c) => c.parentCode!).filter(Boolean))]);
    for (const c of communities.sort((a, b) => a.code.localeCompare(b.code))) {
      const facts = await this.portal.communityFacts(c, fundYear);
      const items = facts.checklist.map((i) => ({ ...i, stageLabel: STAGE_LABELS[i.stage] }));
      out.push({
        code: c.code,
        name: c.name,
        streetName: streets.find((s) => s.code === c.parentCode)?.name ?? '',
        items,
        flagged: items.filter((i) => i.flagged).length,
      });
    }
    return out;
  }

  /** To-do items for the street and district: late or missing disclosures in their region (called by the plans to-do centre). */
  async todoItems(actor: Actor, today: string) {
    if (!actor.scopePath || !(actor.role === 'street_office' || actor.role === 'district_bureau') || !hasPermission(actor, 'plans:read'))
      return [];
    const { fundYear } = await this.portal.years();
    const root = await this.portal.region(actor.scopePath.split('/').pop()!);
    const rows = await this.monitorRows(root, fundYear);
    return rows.flatMap((r) =>
      r.items
        .filter((i) => i.flagged)
        .map((i) => ({
          key: `disclosure:${r.code}:${fundYear}:${i.kind}`,
          kind: 'disclosure_flagged',
          title: i.status === 'missing' ? `信息公开缺失：${i.label}` : `信息公开逾期：${i.label}`,
          detail: `${r.streetName}${r.name} ${fundYear} 年度${i.label}应于 ${i.dueOn} 前公开${i.publishedOn ? `，实际 ${i.publishedOn} 公开` : '，尚未公开'} ${DISCLOSURE_CLAUSE}`,
          regionName: r.name,
          dueOn: i.dueOn,
          workdaysLeft: null,
          overdue: today > (i.dueOn ?? today),
          link: `/portal/c/${r.code}?year=${fundYear}`,
        })),
    );
  }

  /** The community (or its street) records a disclosure it published outside the system. */
  async record(actor: Actor, input: DisclosureRecordInput): Promise<DisclosureRecordView> {
    requirePermission(actor, 'plans:write');
    const community = await this.regions.requireInScope(actor, input.communityCode);
    if (community.level !== 'community')
      throw invalidField('communityCode', '只能为社区登记公开记录', 'disclosures are recorded per community');
    await this.portal.years(input.fundYear);
    if (input.publishedOn > this.portal.today()) throw invalidField('publishedOn', '公开日期不能晚于今天', 'publishedOn is in the future');
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertOnce(tx, {
        communityCode: community.code,
        fundYear: input.fundYear,
        kind: input.kind,
        publishedOn: input.publishedOn,
        title: input.title,
        url: input.url ?? null,
        regionPath: community.path,
        recordedByUserId: actor.userId,
      });
      if (!row)
        throw new DomainError(
          'DISCLOSURE_RECORDED',
          { zh: `${DISCLOSURE_LABELS[input.kind].label}的公开已登记`, en: 'This disclosure is already recorded' },
          { kind: 'conflict', clause: DISCLOSURE_CLAUSE, field: 'kind' },
        );
      await this.audit.record(tx, actor, {
        action: 'disclosure.record',
        entityType: 'disclosure_record',
        entityId: String(row.id),
        regionPath: community.path,
        after: {
          communityCode: row.communityCode,
          fundYear: row.fundYear,
          kind: row.kind,
          publishedOn: row.publishedOn,
          title: row.title,
          url: row.url,
        },
      });
      return {
        id: row.id,
        communityCode: row.communityCode,
        fundYear: row.fundYear,
        kind: row.kind,
        publishedOn: row.publishedOn,
        title: row.title,
        url: row.url,
      };
    });
  }

  /** For the seed: records a disclosure inside the caller's transaction. */
  async recordSeeded(
    tx: Parameters<Parameters<Db['transaction']>[0]>[0],
    row: { communityCode: string; regionPath: string; fundYear: number; kind: RecordedKind; publishedOn: string; title: string },
  ) {
    return this.repo.insertOnce(tx, { ...row, url: null, recordedByUserId: null });
  }
}
