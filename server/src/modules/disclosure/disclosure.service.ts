import type { Db } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import type { Now } from '../../common/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DecisionsService } from '../decisions/decisions.service.js';
import type { FundsService } from '../ledger/funds.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PlansService } from '../plans/plans.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { MonitoringService } from './disclosure.monitoring.service.js';
import { OcdsService } from './disclosure.ocds.service.js';
import { OpenDataService } from './disclosure.open-data.service.js';
import { PortalService, type PublicGradeSource, type PublishedModelCases } from './disclosure.portal.service.js';
import type { OpenDataset, OpenFormat, RecordedKind } from './disclosure.rules.js';
import type { DisclosureRecordInput } from './disclosure.schemas.js';

export type { PublicGradeSource, PublishedModelCases } from './disclosure.portal.service.js';
export type { DisclosureRecordInput } from './disclosure.schemas.js';

/**
 * [N 4.2] Disclosure: the public portal, open data and disclosure monitoring, each its own use case
 * (disclosure.portal / open-data / ocds / monitoring .service.ts), behind the one object other modules and
 * the routes call. Built after evaluations and model cases, whose published results it shows.
 */
export class DisclosureService {
  private readonly portal: PortalService;
  private readonly openData: OpenDataService;
  private readonly ocds: OcdsService;
  private readonly monitoring: MonitoringService;

  constructor(
    db: Db,
    audit: AuditService,
    regions: RegionsService,
    policy: PolicyService,
    ratings: RatingsService,
    funds: FundsService,
    needs: NeedsService,
    decisions: DecisionsService,
    plans: PlansService,
    procurement: ProcurementService | null,
    evaluations: PublicGradeSource,
    modelCases: PublishedModelCases,
    clock: Now,
  ) {
    this.portal = new PortalService(
      db,
      audit,
      regions,
      policy,
      ratings,
      funds,
      needs,
      decisions,
      plans,
      procurement,
      evaluations,
      modelCases,
      clock,
    );
    this.openData = new OpenDataService(db, regions, decisions, plans, procurement, evaluations, this.portal);
    this.ocds = new OcdsService(regions, plans, procurement, this.portal);
    this.monitoring = new MonitoringService(db, audit, regions, decisions, plans, procurement, this.portal);
  }

  today(): string {
    return this.portal.today();
  }

  // ---------------------------------------------------------------- portal

  /** Community pages kept while the audit version stands. */
  get communityPageCache() {
    return this.portal.communityPageCache;
  }

  years(requested?: number) {
    return this.portal.years(requested);
  }

  city(year?: number) {
    return this.portal.city(year);
  }

  regionOverview(code: string, year?: number) {
    return this.portal.regionOverview(code, year);
  }

  search(q: string) {
    return this.portal.search(q);
  }

  /** The public pages' data version (their ETag, http-cache.ts): one small read on the pages' database handle. */
  pageVersion() {
    return this.portal.pageVersion();
  }

  community(code: string, year?: number, version?: string) {
    return this.portal.community(code, year, version);
  }

  project(projectId: number) {
    return this.portal.project(projectId);
  }

  auditDays() {
    return this.portal.auditDays();
  }

  // ---------------------------------------------------------------- open data

  openDataIndex() {
    return this.openData.openDataIndex();
  }

  openDataTable(fundYear: number, dataset: OpenDataset) {
    return this.openData.openDataTable(fundYear, dataset);
  }

  ocdsPackage(fundYear: number, baseUrl: string) {
    return this.ocds.ocdsPackage(fundYear, baseUrl);
  }

  /** A dataset file by its published name `<dataset>.<format>`, or 404. */
  openDataDownload(fundYear: number, file: string) {
    return this.openData.openDataDownload(fundYear, file);
  }

  openDataFile(fundYear: number, dataset: OpenDataset, format: OpenFormat) {
    return this.openData.openDataFile(fundYear, dataset, format);
  }

  // ---------------------------------------------------------------- monitoring

  monitor(actor: Actor, code: string | undefined, year?: number) {
    return this.monitoring.monitor(actor, code, year);
  }

  /** To-do items for the street and district: late or missing disclosures in their region (called by the plans to-do centre). */
  todoItems(actor: Actor, today: string) {
    return this.monitoring.todoItems(actor, today);
  }

  record(actor: Actor, input: DisclosureRecordInput) {
    return this.monitoring.record(actor, input);
  }

  /** For the seed: records a disclosure inside the caller's transaction. */
  recordSeeded(
    tx: Parameters<Parameters<Db['transaction']>[0]>[0],
    row: { communityCode: string; regionPath: string; fundYear: number; kind: RecordedKind; publishedOn: string; title: string },
  ) {
    return this.monitoring.recordSeeded(tx, row);
  }
}
