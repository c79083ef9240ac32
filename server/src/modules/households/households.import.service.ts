import type { Db } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { readUpload, type ContentEncoding } from '../../common/tabular.js';
import type { AuditService } from '../audit/audit.service.js';
import { HouseholdsRepository } from './households.repository.js';
import type { ImportBody, ImportSummaryView } from './households.schemas.js';
import type { HouseholdsTermsService } from './households.terms.service.js';
import { defaultImportFrom } from './households.roster.rules.js';
import { parseHouseholdRows } from './households.rules.js';
import { memberRows, type HouseholdReads } from './households.context.js';

/** Importing a community's registry file, all or nothing. */
export class HouseholdsImportService {
  constructor(
    private readonly db: Db,
    private readonly repo: HouseholdsRepository,
    private readonly audit: AuditService,
    private readonly reads: HouseholdReads,
    private readonly terms: HouseholdsTermsService,
    private readonly today: () => string,
  ) {}

  /**
   * Imports a registry file, all or nothing: every row is checked first and any error refuses the
   * whole file with a row-level report; otherwise rows are inserted or updated by household
   * number (their roles replaced by the file's when it has role columns, kept otherwise), in one transaction with one audit event.
   * Role columns also start roster terms for new holders (from `rolesFrom`, default: 1 January five
   * years back) and end those of holders no longer listed (the day before `rolesFrom`, or before today): ADR 0013.
   * A CSV may come as text or as its bytes in base64 (UTF-8, UTF-8 with BOM, GBK/GB18030, detected).
   */
  async import(actor: Actor, code: string, body: ImportBody): Promise<ImportSummaryView> {
    const community = await this.reads.requireCommunity(actor, code, 'households:write');
    const { format } = body;
    const { rows: table, encoding } = await readUpload(format, body.content, body.contentEncoding as ContentEncoding | undefined);
    const { households, errors, hasRoleColumns } = parseHouseholdRows(table);
    if (errors.length) {
      throw new DomainError(
        'IMPORT_INVALID',
        { zh: `导入文件有 ${errors.length} 处错误，未导入任何数据`, en: `The file has ${errors.length} error(s); nothing was imported` },
        { kind: 'invalid', field: 'content', details: { errors, encoding } },
      );
    }
    return this.db.transaction(async (tx) => {
      const existing = new Set(
        (
          await this.repo.byNumbers(
            tx,
            code,
            households.map((h) => h.householdNo),
          )
        ).map((h) => h.householdNo),
      );
      const ids = await this.repo.upsertMany(
        tx,
        households.map((h) => ({
          communityCode: code,
          householdNo: h.householdNo,
          building: h.building,
          unit: h.unit,
          room: h.room,
          headName: h.headName,
          phone: h.phone,
          residents: h.residents,
        })),
      );
      let terms = { started: 0, ended: 0 };
      if (hasRoleColumns) {
        const idList = [...ids.values()];
        const previous = await this.repo.members(tx, idList);
        await this.repo.deleteMembersOf(tx, idList);
        await this.repo.insertMembers(
          tx,
          households.flatMap((h) => {
            const householdId = ids.get(h.householdNo)!;
            return memberRows(
              h.members,
              previous.filter((p) => p.householdId === householdId),
            ).map((m) => ({ ...m, householdId }));
          }),
        );
        const today = this.today();
        terms = await this.terms.reconcile(
          tx,
          code,
          households.map((h) => ({ householdId: ids.get(h.householdNo)!, members: h.members })),
          body.rolesFrom ?? defaultImportFrom(today),
          body.rolesFrom ?? today,
          '住户登记导入未再列出',
        );
      }
      const created = households.filter((h) => !existing.has(h.householdNo)).length;
      const summary = {
        format,
        encoding,
        rows: households.length,
        created,
        updated: households.length - created,
        termsStarted: terms.started,
        termsEnded: terms.ended,
      };
      await this.audit.record(tx, actor, {
        action: 'household.import',
        entityType: 'community',
        entityId: code,
        regionPath: community.path,
        after: summary,
      });
      return summary;
    });
  }
}
