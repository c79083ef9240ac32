import type { Db, Executor } from '../../db/client.js';
import { pathInScope, requirePermission, type Actor } from '../../common/access.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { formatFen, fen } from '../../common/money.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import type { PolicyService } from '../policy/policy.service.js';
import type { RatingsService } from '../ratings/ratings.service.js';
import { allocationTransferId, budgetOf, computeAllocations, summarise, type AllocationRow } from './allocations.rules.js';
import type { LedgerService } from './ledger.service.js';
import type { AllocationConfirmationView, AllocationReviewView } from './ledger.schemas.js';

/**
 * [N 1] The appropriation of a fund year: computed from the previous year's ratings and this
 * year's policy, reviewed, then confirmed by the city finance bureau, which posts one
 * pool → community transfer per community with a deterministic id (`alloc:<year>:<code>`).
 */
export class AllocationsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly policy: PolicyService,
    private readonly ratings: RatingsService,
    private readonly ledger: LedgerService,
  ) {}

  private async compute(db: Executor, fundYear: number, root: string) {
    const policy = await this.policy.forYear(fundYear, db);
    const tiers = policy.tiers.map((t) => ({ stars: t.stars, quota: t.quota, amountFen: t.amountFen }));
    const rated = await this.ratings.ratingsUnder(db, policy.ratingYear, root);
    const { rows, unfunded } = computeAllocations(rated, tiers);
    return { policy, tiers, rows, unfunded, budgetFen: budgetOf(tiers) };
  }

  /** The list to review, by district and star level, within the caller's scope. */
  async review(actor: Actor, fundYear: number): Promise<AllocationReviewView> {
    requirePermission(actor, 'ledger:read');
    const root = actor.scopePath?.split('/')[0];
    if (!root) throw notFoundOrHidden({ zh: '区域', en: 'Region' });
    const { policy, tiers, rows: all, budgetFen } = await this.compute(this.db, fundYear, root);
    const rows = all.filter((r) => pathInScope(actor.scopePath, r.path));
    const posted = new Map(
      (
        await this.ledger.existingTransfers(
          this.db,
          rows.map((r) => allocationTransferId(fundYear, r.communityCode)),
        )
      ).map((t) => [t.id, t.amount]),
    );
    const summary = summarise(rows, tiers);
    const postedFen = [...posted.values()].reduce((s, a) => s + a, 0);
    return {
      fundYear,
      ratingYear: policy.ratingYear,
      budgetFen,
      ...summary,
      confirmed: rows.length > 0 && posted.size === rows.length,
      postedCount: posted.size,
      postedFen,
      items: rows.map((r) => ({ ...rowView(r), posted: posted.has(allocationTransferId(fundYear, r.communityCode)) })),
    };
  }

  /** City finance confirms the appropriation; a re-confirmation finds every transfer and posts nothing. */
  async confirm(actor: Actor, fundYear: number, expectedTotalFen?: number): Promise<AllocationConfirmationView> {
    requirePermission(actor, 'allocations:confirm');
    const root = actor.scopePath;
    if (!root || root.includes('/')) {
      throw new DomainError(
        'FORBIDDEN',
        { zh: '只有市级财政部门可以确认资金下达', en: 'Only the city finance bureau confirms the appropriation' },
        { kind: 'forbidden' },
      );
    }
    return this.db.transaction((tx) => this.appropriate(tx, actor, fundYear, root, expectedTotalFen));
  }

  /** Inside the caller's transaction (the demo seed uses it too). */
  async appropriate(tx: Executor, actor: AuditActor, fundYear: number, root: string, expectedTotalFen?: number) {
    // The policy row first: an edit of the year's tiers waits for the confirmation, then sees it (ADR 0015).
    const policy = await this.policy.forYear(fundYear, tx, true);
    await this.ratings.lockYear(tx, policy.ratingYear);
    const { tiers, rows, budgetFen } = await this.compute(tx, fundYear, root);
    const summary = summarise(rows, tiers);
    if (rows.length === 0) {
      throw new DomainError(
        'NO_RATINGS',
        { zh: `${policy.ratingYear} 年度尚无星级评定，无法下达资金`, en: `No ratings for ${policy.ratingYear}` },
        { kind: 'rule', clause: '[N 1]' },
      );
    }
    if (expectedTotalFen !== undefined && expectedTotalFen !== summary.totalFen) {
      throw new DomainError(
        'ALLOCATION_CHANGED',
        {
          zh: `下达总额已变为 ${formatFen(fen(summary.totalFen))}，与审核时的 ${formatFen(fen(expectedTotalFen))} 不符，请重新审核`,
          en: 'The total changed since the review; review again',
        },
        { kind: 'conflict', details: { expectedTotalFen, totalFen: summary.totalFen } },
      );
    }
    const over = summary.levels.find((l) => l.count > l.quota);
    if (over) {
      throw new DomainError(
        'RATING_QUOTA_EXCEEDED',
        {
          zh: `${over.stars}星社区 ${over.count} 个，超过名额 ${over.quota} 个`,
          en: `${over.count} communities at ${over.stars} stars exceed the quota of ${over.quota}`,
        },
        { kind: 'rule', clause: '[N 1]', details: { stars: over.stars, quota: over.quota, count: over.count } },
      );
    }
    if (summary.totalFen > budgetFen) {
      throw new DomainError(
        'ALLOCATION_OVER_BUDGET',
        { zh: '下达总额超过年度专项资金预算', en: "The appropriation exceeds the year's budget" },
        { kind: 'rule', clause: '[N 1]' },
      );
    }
    const result = await this.ledger.allocateMany(
      tx,
      fundYear,
      rows.map((r) => ({
        id: allocationTransferId(fundYear, r.communityCode),
        communityCode: r.communityCode,
        communityPath: r.path,
        amount: r.amountFen,
        reference: `${fundYear} 年度资金下达（${policy.ratingYear} 年 ${r.stars} 星）`,
      })),
      actor,
    );
    await this.audit.record(tx, actor, {
      action: 'allocation.confirm',
      entityType: 'fund_year',
      entityId: String(fundYear),
      regionPath: root,
      after: { ...result, count: summary.count, totalFen: summary.totalFen, levels: summary.levels },
    });
    return { fundYear, count: summary.count, totalFen: summary.totalFen, ...result };
  }
}

function rowView(r: AllocationRow) {
  return {
    communityCode: r.communityCode,
    communityName: r.communityName,
    streetCode: r.streetCode,
    streetName: r.streetName,
    districtCode: r.districtCode,
    districtName: r.districtName,
    stars: r.stars,
    amountFen: r.amountFen,
  };
}
