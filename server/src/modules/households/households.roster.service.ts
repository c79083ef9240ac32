import type { Db, Executor } from '../../db/client.js';
import { requirePermission, type Actor, type Permission } from '../../common/access.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { unwrap } from '../../common/verdict.js';
import { readUpload, type ContentEncoding, type TableFormat } from '../../common/tabular.js';
import { buildCsv, buildWorkbook } from '../../common/xlsx.js';
import type { AuditService } from '../audit/audit.service.js';
import type { HouseholdsRepository, TermInsert, TermRow, TermWithHousehold } from './households.repository.js';
import type {
  AddTermBody,
  EndTermBody,
  ReplaceTermBody,
  ReplacementView,
  RosterImportBody,
  RosterImportView,
  RosterTermView,
  RosterTermsView,
} from './households.schemas.js';
import { maskName, normalizePersonName, seesPersonalData, type RowError } from './households.rules.js';
import {
  ROSTER_BODY_LABELS,
  ROSTER_COLUMNS,
  checkEnd,
  checkTermDates,
  inOfficeOn,
  parseRosterRows,
  replacementDates,
  type RosterBody,
} from './households.roster.rules.js';

export const termNotFound = () => notFoundOrHidden({ zh: '任期记录', en: 'Roster term' });

/** What the roster needs of the registry: the community in scope and the profile's official counts. */
export interface RosterReads {
  requireCommunity(actor: Actor, code: string, permission: Permission): Promise<{ path: string }>;
  profileCounts(code: string, db: Executor): Promise<{ representatives: number; councilMembers: number }>;
}

/** The audit log is read outside the community: names masked. */
const auditTerm = (t: Pick<TermRow, 'body' | 'personName' | 'householdId' | 'fromDate' | 'toDate' | 'endReason' | 'replacesId'>) => ({
  body: t.body,
  personName: maskName(t.personName),
  householdId: t.householdId,
  fromDate: t.fromDate,
  toDate: t.toDate,
  endReason: t.endReason,
  replacesId: t.replacesId,
});

/**
 * The roster with terms of office [N 3.1.2(1)], ADR 0013: the roster as of a day and its history;
 * adding a member, ending a term, replacing one (one transaction), importing a roster file (all or
 * nothing). Changes of one community are serialised by an advisory lock, under which the
 * no-overlap rule is checked; the open-term index holds "one open term per person and body".
 */
export class HouseholdsRosterService {
  constructor(
    private readonly db: Db,
    private readonly repo: HouseholdsRepository,
    private readonly audit: AuditService,
    private readonly reads: RosterReads,
    private readonly today: () => string,
  ) {}

  private view(t: TermWithHousehold, all: TermRow[], on: string, clear: boolean): RosterTermView {
    return {
      id: t.id,
      body: t.body as RosterBody,
      personName: clear ? t.personName : maskName(t.personName),
      householdId: t.householdId,
      householdNo: t.householdNo,
      fromDate: t.fromDate,
      toDate: t.toDate,
      endReason: t.endReason,
      replacesId: t.replacesId,
      replacedById: all.find((o) => o.replacesId === t.id)?.id ?? null,
      inOffice: inOfficeOn(t, on),
    };
  }

  /** The roster of a community as it stood on a day (default today), with every term ever held. */
  async list(actor: Actor, code: string, on?: string): Promise<RosterTermsView> {
    await this.reads.requireCommunity(actor, code, 'households:read');
    const day = on ?? this.today();
    const clear = seesPersonalData(actor, code);
    const [all, profile] = await Promise.all([this.repo.terms(this.db, code), this.reads.profileCounts(code, this.db)]);
    const views = all.map((t) => this.view(t, all, day, clear));
    const inOffice = (body: RosterBody) =>
      views
        .filter((v) => v.body === body && v.inOffice)
        .sort((a, b) => (a.householdNo ?? '').localeCompare(b.householdNo ?? '') || a.personName.localeCompare(b.personName));
    return {
      communityCode: code,
      on: day,
      masked: !clear,
      representatives: inOffice('representative'),
      councilMembers: inOffice('council_member'),
      history: views,
      profile,
    };
  }

  private async termInScope(actor: Actor, id: number) {
    requirePermission(actor, 'households:write');
    const term = await this.repo.term(this.db, id);
    if (!term) throw termNotFound();
    const community = await this.reads.requireCommunity(actor, term.communityCode, 'households:write').catch(() => {
      throw termNotFound();
    });
    return { term, community };
  }

  /** The household given must be registered in the community. */
  private async checkHousehold(db: Executor, code: string, householdId: number | null | undefined): Promise<number | null> {
    if (householdId === undefined || householdId === null) return null;
    const [h] = await this.repo.byIds(db, [householdId]);
    if (!h || h.communityCode !== code) {
      throw new DomainError(
        'INVALID_INPUT',
        {
          zh: `字段 住户（householdId）无效：本社区没有编号为 ${householdId} 的住户`,
          en: `Field householdId is invalid: no household ${householdId} in this community`,
        },
        { kind: 'invalid', field: 'householdId' },
      );
    }
    return h.id;
  }

  /** Starts a term under the community's roster lock, refusing any overlap with the person's terms on the body. */
  private async startTerm(tx: Executor, row: TermInsert): Promise<TermRow> {
    await this.repo.lockRoster(tx, row.communityCode);
    const others = await this.repo.terms(tx, row.communityCode, row.body);
    unwrap(
      checkTermDates(
        {
          fromDate: row.fromDate,
          toDate: row.toDate ?? null,
          body: row.body as RosterBody,
          personName: row.personName,
          householdId: row.householdId ?? null,
        },
        others.map((o) => ({ ...o, body: o.body as RosterBody })),
      ),
    );
    return (await this.repo.insertTerms(tx, [row]))[0]!;
  }

  private async viewOf(actor: Actor, id: number): Promise<RosterTermView> {
    const term = (await this.repo.term(this.db, id))!;
    const all = await this.repo.terms(this.db, term.communityCode, term.body);
    return this.view(
      all.find((t) => t.id === id)!,
      all,
      this.today(),
      seesPersonalData(actor, term.communityCode),
    );
  }

  /** Adds a member to the roster from a day (open term). */
  async add(actor: Actor, code: string, input: AddTermBody): Promise<RosterTermView> {
    const community = await this.reads.requireCommunity(actor, code, 'households:write');
    const personName = normalizePersonName(input.personName);
    const id = await heldOnce(
      this.db.transaction(async (tx) => {
        const householdId = await this.checkHousehold(tx, code, input.householdId);
        const term = await this.startTerm(tx, { communityCode: code, body: input.body, personName, householdId, fromDate: input.fromDate });
        await this.audit.record(tx, actor, {
          action: 'roster.term.add',
          entityType: 'roster_term',
          entityId: String(term.id),
          regionPath: community.path,
          after: auditTerm(term),
        });
        return term.id;
      }),
    );
    return this.viewOf(actor, id);
  }

  /** Ends a term on its last day in office, with the reason. */
  async end(actor: Actor, id: number, input: EndTermBody): Promise<RosterTermView> {
    const { community } = await this.termInScope(actor, id);
    await heldOnce(
      this.db.transaction(async (tx) => {
        const before = (await this.repo.term(tx, id, true))!;
        unwrap(checkEnd(before, input.toDate));
        await this.repo.endTerm(tx, id, input.toDate, input.reason.trim());
        await this.audit.record(tx, actor, {
          action: 'roster.term.end',
          entityType: 'roster_term',
          entityId: String(id),
          regionPath: community.path,
          before: auditTerm(before),
          after: auditTerm({ ...before, toDate: input.toDate, endReason: input.reason.trim() }),
        });
      }),
    );
    return this.viewOf(actor, id);
  }

  /** [N 3.1.2(1)] Replaces a member: the term ends on `endsOn`, the successor starts the next day, in one transaction. */
  async replace(actor: Actor, id: number, input: ReplaceTermBody): Promise<ReplacementView> {
    const { term, community } = await this.termInScope(actor, id);
    const { endsOn, startsOn } = replacementDates(input.endsOn);
    const personName = normalizePersonName(input.personName);
    const successorId = await heldOnce(
      this.db.transaction(async (tx) => {
        await this.repo.lockRoster(tx, term.communityCode);
        const before = (await this.repo.term(tx, id, true))!;
        unwrap(checkEnd(before, endsOn));
        const reason = input.reason.trim();
        await this.repo.endTerm(tx, id, endsOn, reason);
        const householdId = await this.checkHousehold(tx, term.communityCode, input.householdId);
        const successor = await this.startTerm(tx, {
          communityCode: term.communityCode,
          body: term.body,
          personName,
          householdId,
          fromDate: startsOn,
          replacesId: id,
        });
        await this.audit.record(tx, actor, {
          action: 'roster.term.replace',
          entityType: 'roster_term',
          entityId: String(id),
          regionPath: community.path,
          before: auditTerm(before),
          after: {
            ended: auditTerm({ ...before, toDate: endsOn, endReason: reason }),
            successor: { id: successor.id, ...auditTerm(successor) },
          },
        });
        return successor.id;
      }),
    );
    return { ended: await this.viewOf(actor, id), successor: await this.viewOf(actor, successorId) };
  }

  /**
   * Imports a roster file (类别, 姓名, 户号, 起始日期, 截止日期), all or nothing: every row is checked
   * (household numbers of the community, no overlap within the file or with the terms held) and
   * any error refuses the whole file with the row-level report. `dryRun` previews without writing.
   */
  async import(actor: Actor, code: string, body: RosterImportBody): Promise<RosterImportView> {
    const community = await this.reads.requireCommunity(actor, code, 'households:write');
    const { rows: table, encoding } = await readUpload(body.format, body.content, body.contentEncoding as ContentEncoding | undefined);
    const parsed = parseRosterRows(table);
    return heldOnce(
      this.db.transaction(async (tx) => {
        await this.repo.lockRoster(tx, code);
        const errors: RowError[] = [...parsed.errors];
        const numbers = [...new Set(parsed.rows.map((r) => r.householdNo).filter((n): n is string => n !== null))];
        const households = new Map((await this.repo.byNumbers(tx, code, numbers)).map((h) => [h.householdNo, h.id]));
        const held = (await this.repo.terms(tx, code)).map((t) => ({ ...t, body: t.body as RosterBody }));
        for (const r of parsed.rows) {
          if (r.householdNo !== null && !households.has(r.householdNo)) {
            errors.push({
              row: r.row,
              column: ROSTER_COLUMNS.householdNo[0],
              message: `本社区没有户号 ${r.householdNo}`,
              messageEn: `no household ${r.householdNo} in this community`,
            });
          }
          const verdict = checkTermDates(
            { ...r, householdId: r.householdNo === null ? null : (households.get(r.householdNo) ?? null) },
            held,
          );
          if (!verdict.ok) errors.push({ row: r.row, column: ROSTER_COLUMNS.fromDate[0], message: verdict.zh, messageEn: verdict.en });
        }
        errors.sort((a, b) => a.row - b.row);
        const view = { dryRun: body.dryRun ?? false, encoding, rows: parsed.rows, created: parsed.rows.length, errors };
        if (errors.length && !body.dryRun) {
          throw new DomainError(
            'IMPORT_INVALID',
            {
              zh: `导入文件有 ${errors.length} 处错误，未导入任何数据`,
              en: `The file has ${errors.length} error(s); nothing was imported`,
            },
            { kind: 'invalid', field: 'content', details: { errors, encoding } },
          );
        }
        if (body.dryRun) return { ...view, created: errors.length ? 0 : parsed.rows.length };
        const inserted = await this.repo.insertTerms(
          tx,
          parsed.rows.map((r) => ({
            communityCode: code,
            body: r.body,
            personName: r.personName,
            householdId: r.householdNo === null ? null : households.get(r.householdNo)!,
            fromDate: r.fromDate,
            toDate: r.toDate,
            endReason: r.toDate ? '导入的历史任期' : null,
          })),
        );
        await this.audit.record(tx, actor, {
          action: 'roster.import',
          entityType: 'community',
          entityId: code,
          regionPath: community.path,
          after: { format: body.format, encoding, created: inserted.length, termIds: inserted.map((t) => t.id) },
        });
        return view;
      }),
    );
  }

  /** The roster import template, CSV or workbook. */
  async template(format: TableFormat): Promise<Buffer | string> {
    const header = Object.values(ROSTER_COLUMNS).map((c) => c[0]);
    const sample = [
      [ROSTER_BODY_LABELS.representative, '（示例）张三', '0101', '2024-01-01', ''],
      [ROSTER_BODY_LABELS.council_member, '（示例）李四', '', '2023-01-01', '2025-12-31'],
    ];
    if (format === 'csv') return buildCsv(header, sample);
    return buildWorkbook([
      {
        name: '名册',
        columns: header.map((h, i) => ({ header: h, key: `c${i}`, width: 16 })),
        rows: sample.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v]))),
      },
      {
        name: '填写说明',
        columns: [{ header: '说明', key: 'n', width: 90 }],
        rows: [
          { n: '每行一个任期。类别填"居民代表"或"议事会成员"；户号可空（未登记住户）。' },
          { n: '日期格式 YYYY-MM-DD；截止日期为任期最后一日（含），在任者留空。同一人同一类别的任期不得重叠。' },
          { n: '任何一行有问题则整份文件不导入。示例行请删除。' },
        ],
      },
    ]);
  }
}
