import type { Db } from '../../db/client.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { buildWorkbook } from '../../common/xlsx.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { ProgressService } from '../progress/progress.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { AccountRow } from './ledger.repository.js';
import { ACCOUNT_KIND_LABELS, TRANSFER_CODE_LABELS } from './ledger.rules.js';
import { scopedPrefix, type LedgerService } from './ledger.service.js';
import type { FundsByStarsView, FundTableView, TransferListView } from './ledger.schemas.js';
import { accountLabel, accountRegionCode, type AccountSideView } from './ledger.account-label.js';

export interface Figures {
  allocated: number;
  committed: number;
  paid: number;
  available: number;
}

const zero = (): Figures => ({ allocated: 0, committed: 0, paid: 0, available: 0 });
const add = (a: Figures, b: Figures) => {
  a.allocated += b.allocated;
  a.committed += b.committed;
  a.paid += b.paid;
  a.available += b.available;
};

/** A community account's money (or a sum of accounts'): allocated = committed (outstanding) + paid + available. */
export function figuresOf(a: Pick<AccountRow, 'creditsPosted' | 'debitsPosted' | 'debitsPending'>, disbursed: number): Figures {
  const corrected = a.debitsPosted - disbursed;
  return {
    allocated: a.creditsPosted - corrected,
    committed: a.debitsPending,
    paid: disbursed,
    available: a.creditsPosted - a.debitsPosted - a.debitsPending,
  };
}

/** Fund views: city → district → street → community, drillable to the transfers. */
export class FundsService {
  constructor(
    private readonly db: Db,
    private readonly regions: RegionsService,
    private readonly policy: PolicyService,
    private readonly ledger: LedgerService,
    private readonly progress: ProgressService,
  ) {}

  private async communityFigures(fundYear: number, prefix: string) {
    const [accounts, disbursed] = await Promise.all([
      this.ledger.accountsUnder(this.db, fundYear, prefix, ['community_available']),
      this.ledger.disbursedByAccount(this.db, fundYear, prefix),
    ]);
    return accounts.map((a) => ({ code: a.ref, path: a.regionPath, accountId: a.id, figures: figuresOf(a, disbursed.get(a.id) ?? 0) }));
  }

  /** One region's children with their money; a community lists its own accounts instead. */
  async table(actor: Actor, fundYear: number, code: string): Promise<FundTableView> {
    requirePermission(actor, 'ledger:read');
    const { region, ancestors, children } = await this.regions.get(actor, code);
    const prefix = scopedPrefix(actor, region.path);
    const communities = await this.communityFigures(fundYear, prefix);
    const total = zero();
    for (const c of communities) add(total, c.figures);
    const rows = children.map((child) => {
      const f = zero();
      let count = 0;
      for (const c of communities) {
        if (pathInScope(child.path, c.path)) {
          add(f, c.figures);
          count++;
        }
      }
      return { code: child.code, name: child.name, level: child.level, communities: count, ...f };
    });
    const accounts = region.level === 'community' ? await this.ledger.accounts(actor, fundYear, region.path) : [];
    return {
      fundYear,
      region: { code: region.code, name: region.name, level: region.level, path: region.path },
      ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, level: a.level })),
      total: { communities: communities.length, ...total },
      rows,
      accounts: accounts.map((a) => ({ ...a, kindLabel: ACCOUNT_KIND_LABELS[a.kind] })),
    };
  }

  /** Money by district and star level (the chart), within the caller's scope. */
  async byStars(actor: Actor, fundYear: number, code: string): Promise<FundsByStarsView> {
    requirePermission(actor, 'ledger:read');
    const { region } = await this.regions.get(actor, code);
    const prefix = scopedPrefix(actor, region.path);
    const policy = await this.policy.forYear(fundYear);
    const levels = policy.tiers.map((t) => t.stars).sort((a, b) => b - a);
    // Summed per district and star level from the progress rows (ADR 0023), which copy each rated
    // community's account figures in the ledger's own transactions.
    const sums = await this.progress.moneyByDistrictAndStars(fundYear, prefix);
    const names = await this.regions.namesOf(sums.map((r) => r.districtCode));
    // Districts in the order of their first account, as when accounts were walked in id order.
    const first = new Map<string, number>();
    for (const r of sums) first.set(r.districtCode, Math.min(first.get(r.districtCode) ?? r.firstAccountId, r.firstAccountId));
    const districts = new Map<
      string,
      { districtCode: string; districtName: string; byStars: (Figures & { stars: number; communities: number })[]; total: Figures }
    >();
    for (const r of [...sums].sort((a, b) => first.get(a.districtCode)! - first.get(b.districtCode)!)) {
      let d = districts.get(r.districtCode);
      if (!d) {
        d = {
          districtCode: r.districtCode,
          districtName: names.get(r.districtCode)?.name ?? r.districtCode,
          byStars: levels.map((s) => ({ stars: s, communities: 0, ...zero() })),
          total: zero(),
        };
        districts.set(r.districtCode, d);
      }
      const figures: Figures = { allocated: r.allocated, committed: r.committed, paid: r.paid, available: r.available };
      const cell = d.byStars.find((b) => b.stars === r.stars);
      if (cell) {
        add(cell, figures);
        cell.communities += r.communities;
      }
      add(d.total, figures);
    }
    return { fundYear, ratingYear: policy.ratingYear, levels, rows: [...districts.values()] };
  }

  async transfers(actor: Actor, fundYear: number, code: string, query: { limit?: number; offset?: number }): Promise<TransferListView> {
    const { region } = await this.regions.get(actor, code);
    const result = await this.ledger.transfers(actor, { fundYear, regionPath: region.path, limit: query.limit, offset: query.offset });
    return { ...result, items: await this.labelled(result.items) };
  }

  /** Transfers with their type and both accounts named (region names, not codes). */
  private async labelled(items: TransferListView['items']): Promise<TransferListView['items']> {
    const codes = items.flatMap((t) => [t.debit, t.credit].map((s) => accountRegionCode(s.ref)).filter((c): c is string => !!c));
    const names = await this.regions.namesOf(codes);
    const side = (s: AccountSideView): AccountSideView => ({ ...s, label: accountLabel(s, (c) => names.get(c)?.name) });
    return items.map((t) => ({ ...t, codeLabel: TRANSFER_CODE_LABELS[t.code], debit: side(t.debit), credit: side(t.credit) }));
  }

  /** The tables as an .xlsx workbook (plain values, formula injection neutralised). */
  async export(actor: Actor, fundYear: number, code: string): Promise<{ filename: string; buffer: Buffer }> {
    const table = await this.table(actor, fundYear, code);
    const stars = await this.byStars(actor, fundYear, code);
    const transfers = await this.ledger.transfers(actor, { fundYear, regionPath: table.region.path, limit: 1000 });
    transfers.items = await this.labelled(transfers.items);
    const money = (key: string, header: string) => ({ header, key, money: true, width: 18 });
    const buffer = await buildWorkbook([
      {
        name: '资金汇总',
        columns: [
          { header: '区域代码', key: 'code' },
          { header: '名称', key: 'name', width: 24 },
          { header: '社区数', key: 'communities', width: 10 },
          money('allocated', '下达（元）'),
          money('committed', '合同占用（元）'),
          money('paid', '已拨付（元）'),
          money('available', '可用（元）'),
        ],
        rows: table.rows.map((r) => ({ ...r })),
        totals: { code: '', name: `${table.region.name}合计`, ...table.total },
      },
      {
        name: '区县×星级',
        columns: [
          { header: '区县', key: 'district', width: 16 },
          { header: '星级', key: 'stars', width: 8 },
          { header: '社区数', key: 'communities', width: 10 },
          money('allocated', '下达（元）'),
          money('committed', '合同占用（元）'),
          money('paid', '已拨付（元）'),
          money('available', '可用（元）'),
        ],
        rows: stars.rows.flatMap((d) =>
          d.byStars.map((b) => ({
            district: d.districtName,
            stars: `${b.stars}星`,
            communities: b.communities,
            allocated: b.allocated,
            committed: b.committed,
            paid: b.paid,
            available: b.available,
          })),
        ),
      },
      {
        name: '转账明细',
        columns: [
          { header: '编号', key: 'id', width: 30 },
          { header: '类型', key: 'code', width: 14 },
          { header: '借方', key: 'debit', width: 28 },
          { header: '贷方', key: 'credit', width: 28 },
          money('amount', '金额（元）'),
          { header: '摘要', key: 'reference', width: 36 },
          { header: '经办', key: 'actorName' },
          { header: '时间', key: 'createdAt', width: 24 },
        ],
        rows: transfers.items.map((t) => ({
          id: t.id,
          code: TRANSFER_CODE_LABELS[t.code],
          debit: t.debit.label ?? `${ACCOUNT_KIND_LABELS[t.debit.kind]} ${t.debit.ref}`.trim(),
          credit: t.credit.label ?? `${ACCOUNT_KIND_LABELS[t.credit.kind]} ${t.credit.ref}`.trim(),
          amount: t.amount,
          reference: t.reference,
          actorName: t.actorName,
          createdAt: t.createdAt,
        })),
      },
    ]);
    return { filename: `${fundYear}年度专项资金-${table.region.name}.xlsx`, buffer };
  }

  /** For the public portal (disclosure module): every community's money under a region path prefix. No access check. */
  async publicFigures(fundYear: number, prefix = '') {
    return this.communityFigures(fundYear, prefix);
  }
}
