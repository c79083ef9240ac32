import type { Db } from '../../db/client.js';
import type { Actor } from '../../common/access.js';
import { DomainError } from '../../common/errors.js';
import { readTable, type TableFormat } from '../../common/tabular.js';
import type { AuditService } from '../audit/audit.service.js';
import { HouseholdsRepository } from './households.repository.js';
import type { ImportSummaryView } from './households.schemas.js';
import { parseHouseholdRows } from './households.rules.js';
import { memberRows, type HouseholdReads } from './households.context.js';

/** Importing a community's registry file, all or nothing. */
export class HouseholdsImportService {
  constructor(
    private readonly db: Db,
    private readonly repo: HouseholdsRepository,
    private readonly audit: AuditService,
    private readonly reads: HouseholdReads,
  ) {}

  /**
   * Imports a registry file, all or nothing: every row is checked first and any error refuses the
   * whole file with a row-level report; otherwise rows are inserted or updated by household
   * number (their roles replaced by the file's when it has role columns, kept otherwise), in one transaction with one audit event.
   */
  async import(actor: Actor, code: string, format: TableFormat, content: string): Promise<ImportSummaryView> {
    const community = await this.reads.requireCommunity(actor, code, 'households:write');
    const table = await readTable(format, content);
    const { households, errors, hasRoleColumns } = parseHouseholdRows(table);
    if (errors.length) {
      throw new DomainError(
        'IMPORT_INVALID',
        { zh: `导入文件有 ${errors.length} 处错误，未导入任何数据`, en: `The file has ${errors.length} error(s); nothing was imported` },
        { kind: 'invalid', field: 'content', details: { errors } },
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
      }
      const created = households.filter((h) => !existing.has(h.householdNo)).length;
      const summary = { format, rows: households.length, created, updated: households.length - created };
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
