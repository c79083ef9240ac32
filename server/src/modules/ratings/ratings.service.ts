import type { SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { gather } from '../../common/gather.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { unwrap } from '../../common/verdict.js';
import { readUpload, type ContentEncoding, type TableFormat } from '../../common/tabular.js';
import { buildCsv, buildWorkbook } from '../../common/xlsx.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import { RatingsRepository } from './ratings.repository.js';
import { TEMPLATE_HEADER, buildPreview, checkQuota, tableToRows } from './ratings.rules.js';
import type { ImportResultView, RatingListView, RatingPreviewView, SetRatingView } from './ratings.schemas.js';

const communityNotFound = () => notFoundOrHidden({ zh: '社区', en: 'Community' });

export class RatingsService {
  private readonly repo = new RatingsRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly policy: PolicyService,
    private readonly ledger: LedgerService,
  ) {}

  /** [N 1] The quotas that bind a rating year are those of the fund year it funds (Y + 1). */
  private async tiers(year: number, db: Executor = this.db) {
    return (await this.policy.forYear(year + 1, db)).tiers.map((t) => ({ stars: t.stars, quota: t.quota, amountFen: t.amountFen }));
  }

  /** Ratings of year Y cannot change once fund year Y + 1 has been appropriated from them. */
  private async refuseIfAppropriated(tx: Executor, year: number) {
    if ((await this.ledger.countTransfers(tx, year + 1, 'allocation')) > 0) {
      throw new DomainError(
        'ALLOCATION_CONFIRMED',
        {
          zh: `${year + 1} 年度资金已按 ${year} 年星级下达，不能再修改该年星级`,
          en: `Fund year ${year + 1} is already appropriated from the ${year} ratings`,
        },
        { kind: 'conflict', clause: '[N 1]' },
      );
    }
  }

  /** The file read (CSV in UTF-8 with or without BOM or GBK/GB18030, detected; or .xlsx), every row checked, the encoding shown. */
  async preview(
    actor: Actor,
    year: number,
    upload: { format: TableFormat; content: string; contentEncoding?: ContentEncoding },
    db: Executor = this.db,
  ): Promise<RatingPreviewView> {
    requirePermission(actor, 'ratings:write');
    const { rows: table, encoding } = await readUpload(upload.format, upload.content, upload.contentEncoding);
    const [directory, tiers] = await gather(db, [() => this.repo.directory(db), () => this.tiers(year, db)] as const);
    return { ...buildPreview(year, tableToRows(table), directory, tiers), encoding };
  }

  /** All rows or none: any problem refuses the whole file (422, the preview in `details`). */
  async commit(
    actor: Actor,
    year: number,
    upload: { format: TableFormat; content: string; contentEncoding?: ContentEncoding },
    previewToken?: string,
  ): Promise<ImportResultView> {
    requirePermission(actor, 'ratings:write');
    return this.db.transaction(async (tx) => {
      await this.repo.lockYear(tx, year);
      const preview = await this.preview(actor, year, upload, tx);
      if (previewToken !== undefined && previewToken !== preview.token) {
        throw new DomainError(
          'PREVIEW_STALE',
          { zh: '文件或数据已变化，请重新预览后再提交', en: 'The file or the data changed since the preview; preview again' },
          { kind: 'conflict' },
        );
      }
      if (!preview.ok) {
        throw new DomainError(
          'RATING_IMPORT_INVALID',
          {
            zh: `文件有 ${preview.rows.filter((r) => r.problems.length).length} 行存在问题，未导入任何数据`,
            en: 'The file has problems; nothing was imported',
          },
          {
            kind: 'rule',
            clause: '[N 1]',
            details: {
              fileProblems: preview.fileProblems,
              rows: preview.rows.filter((r) => r.problems.length > 0),
              levels: preview.levels,
            },
          },
        );
      }
      await this.refuseIfAppropriated(tx, year);
      const before = await this.repo.yearRatings(tx, year);
      const rows = preview.rows.map((r) => ({ communityCode: r.communityCode!, stars: r.stars! }));
      const beforeMap = new Map(before.map((b) => [b.communityCode, b.stars]));
      const changed = rows.filter((r) => beforeMap.get(r.communityCode) !== r.stars).length;
      const removed = before.filter((b) => !rows.some((r) => r.communityCode === b.communityCode)).length;
      await this.repo.deleteOthers(
        tx,
        year,
        rows.map((r) => r.communityCode),
      );
      await this.repo.upsert(tx, year, rows);
      await this.audit.record(tx, actor, {
        action: 'rating.import',
        entityType: 'rating_year',
        entityId: String(year),
        before: { count: before.length },
        after: { count: rows.length, changed, removed, levels: preview.levels, token: preview.token },
      });
      return { year, encoding: preview.encoding, imported: rows.length, changed, removed, levels: preview.levels };
    });
  }

  /** Sets, corrects or removes (stars null) one community's rating by hand, with a reason. */
  async set(actor: Actor, year: number, communityCode: string, stars: number | null, reason: string): Promise<SetRatingView> {
    requirePermission(actor, 'ratings:write');
    const community = await this.repo.community(this.db, communityCode);
    if (!community || !pathInScope(actor.scopePath, community.path)) throw communityNotFound();
    if (reason.trim().length < 2)
      throw new DomainError('INVALID_INPUT', { zh: '请填写修改原因', en: 'A reason is required' }, { kind: 'invalid', field: 'reason' });
    return this.db.transaction(async (tx) => {
      await this.repo.lockYear(tx, year);
      const tiers = await this.tiers(year, tx);
      if (stars !== null && !tiers.some((t) => t.stars === stars)) {
        throw new DomainError(
          'BAD_LEVEL',
          { zh: `星级必须是 ${tiers.map((t) => t.stars).join('、')} 之一`, en: 'Not a star level of the policy' },
          { kind: 'invalid', field: 'stars', clause: '[N 1]' },
        );
      }
      await this.refuseIfAppropriated(tx, year);
      const before = await this.repo.get(tx, year, communityCode);
      if ((before?.stars ?? null) === stars) return { communityCode, year, stars, changed: false };
      if (stars !== null) {
        const counts = await this.repo.countsByLevel(tx, year);
        unwrap(checkQuota(stars, tiers, (counts.get(stars) ?? 0) - (before?.stars === stars ? 1 : 0)));
        await this.repo.upsert(tx, year, [{ communityCode, stars }]);
      } else {
        await this.repo.delete(tx, year, communityCode);
      }
      await this.audit.record(tx, actor, {
        action: 'rating.set',
        entityType: 'rating',
        entityId: `${year}:${communityCode}`,
        regionPath: community.path,
        before: { stars: before?.stars ?? null },
        after: { stars, reason: reason.trim() },
      });
      return { communityCode, year, stars, changed: true };
    });
  }

  async list(actor: Actor, year: number, regionPath: string | undefined, stars?: number): Promise<RatingListView> {
    requirePermission(actor, 'ratings:read');
    const prefix = regionPath ?? actor.scopePath;
    if (!prefix || !(pathInScope(actor.scopePath, prefix) || pathInScope(prefix, actor.scopePath ?? ''))) throw communityNotFound();
    const narrowed = pathInScope(actor.scopePath, prefix) ? prefix : actor.scopePath!;
    const [items, tiers] = await Promise.all([
      this.repo.list(this.db, { year, pathPrefix: narrowed, stars }),
      this.tiers(year).catch(() => []),
    ]);
    const levels = tiers
      .sort((a, b) => b.stars - a.stars)
      .map((t) => ({ stars: t.stars, quota: t.quota, count: items.filter((i) => i.stars === t.stars).length }));
    return { year, levels, items: items.map((i) => ({ ...i, path: undefined, updatedAt: i.updatedAt.toISOString() })) };
  }

  /** [N 1] The list as a workbook (the same scope and filters as the list), with the counts against the quotas. */
  async export(actor: Actor, year: number, regionPath: string | undefined, stars?: number): Promise<{ filename: string; buffer: Buffer }> {
    const list = await this.list(actor, year, regionPath, stars);
    const buffer = await buildWorkbook([
      {
        name: `${year} 年星级评定`,
        columns: [
          { header: '社区代码', key: 'communityCode', width: 16 },
          { header: '社区', key: 'communityName', width: 28 },
          { header: '街道', key: 'streetName', width: 20 },
          { header: '区县', key: 'districtName', width: 14 },
          { header: '星级', key: 'stars', width: 8 },
          { header: '更新时间', key: 'updatedAt', width: 22 },
        ],
        rows: list.items.map((i) => ({ ...i })),
      },
      {
        name: '名额',
        columns: [
          { header: '星级', key: 'stars', width: 8 },
          { header: '名额', key: 'quota', width: 10 },
          { header: '已评定', key: 'count', width: 10 },
        ],
        rows: list.levels.map((l) => ({ ...l })),
      },
    ]);
    return { filename: `${year}年星级评定.xlsx`, buffer };
  }

  /**
   * [N 1] For the year opening: a rating year's counts by star level against the quotas of the
   * fund year it funds (Y + 1); `quotasKnown` is false while that year has no policy. No access check.
   */
  async levelsAgainstQuotas(year: number, db: Executor = this.db) {
    const counts = await this.repo.countsByLevel(db, year);
    const tiers = await this.tiers(year, db).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'POLICY_NOT_FOUND') return null;
      throw e;
    });
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    const levels = (tiers ?? []).map((t) => ({ stars: t.stars, quota: t.quota, count: counts.get(t.stars) ?? 0 }));
    return { total, quotasKnown: tiers !== null, levels };
  }

  /** Every rating of the year under a path (city root for all), for allocations and fund views. */
  async ratingsUnder(db: Executor, year: number, pathPrefix: string) {
    return this.repo.list(db, { year, pathPrefix });
  }

  /** The same rated communities as a SQL relation, for other modules' aggregates (dashboard, fund views). No access check. */
  ratedRelation(year: number, pathPrefix: string): SQL {
    return this.repo.ratedRelation(year, pathPrefix);
  }

  /** For the regions module: a community's ratings, newest year first. No access check. */
  async ofCommunity(communityCode: string, db: Executor = this.db) {
    return this.repo.ofCommunity(db, communityCode);
  }

  /** For the regions module: the latest rating year with any rating, or null. */
  async latestYear(db: Executor = this.db): Promise<number | null> {
    return this.repo.latestYear(db);
  }

  /** For the regions module: a year's ratings as a subquery (communityCode, stars) to join. No access check. */
  yearRelation(year: number) {
    return this.repo.yearRelation(this.db, year);
  }

  /** For the seed: ratings as given, inside the seed's transaction (existing ones kept). */
  async insertSeeded(tx: Executor, rows: { communityCode: string; year: number; stars: number }[]) {
    await this.repo.insertMany(tx, rows);
  }

  async lockYear(tx: Executor, year: number) {
    await this.repo.lockYear(tx, year);
  }

  async template(format: TableFormat): Promise<Buffer | string> {
    const sample = [
      ['210102001001', '（示例）某某社区', '和平区', '5'],
      ['', '（示例）按名称填写的社区', '沈河区', '四星'],
    ];
    if (format === 'csv') return buildCsv(TEMPLATE_HEADER, sample);
    return buildWorkbook([
      {
        name: '星级评定',
        columns: TEMPLATE_HEADER.map((h, i) => ({ header: h, key: `c${i}`, width: i === 1 ? 28 : 16 })),
        rows: sample.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v]))),
      },
      {
        name: '填写说明',
        columns: [{ header: '说明', key: 'n', width: 90 }],
        rows: [
          { n: '每行一个社区：填写社区代码（12位区划代码），或同时填写社区名称与所属区县。' },
          { n: '星级填 3、4、5（也可写"五星"、"★★★★★"）。各星级数量不得超过下一年度政策规定的名额。' },
          { n: '导入将替换该年度的全部星级评定；任何一行有问题则整份文件不导入。示例行请删除。' },
        ],
      },
    ]);
  }
}
