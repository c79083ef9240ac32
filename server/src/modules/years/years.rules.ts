/**
 * Opening fund year Y (ADR 0015): what must hold before the city can run Y, derived from the facts
 * the other modules report — never stored. Pure.
 */

export type OpeningItemKey = 'policy' | 'ratings' | 'appropriation' | 'ineligibility' | 'calendar';
export type OpeningItemState = 'done' | 'todo' | 'blocked';

/** What the other modules say about year Y and Y − 1 (the years service gathers them). */
export interface OpeningFacts {
  year: number;
  /** A policy document exists for Y − 1 (the one copied) and for Y. */
  previousPolicy: boolean;
  policy: boolean;
  /** Ratings of rating year Y − 1: how many, and per level against the quotas of Y's policy (empty while Y has no policy). */
  ratingsTotal: number;
  levels: { stars: number; quota: number; count: number }[];
  /** Allocation transfers of fund year Y posted in the ledger. */
  allocations: number;
  /** Providers of Y − 1's 不合格 final evaluations, and those already recorded ineligible for Y. */
  failedProviders: number[];
  ineligibleProviders: number[];
  /** The State Council's holiday notice of Y is entered. */
  calendarPublished: boolean;
}

export interface OpeningItem {
  key: OpeningItemKey;
  state: OpeningItemState;
  /** Why it is not done (Chinese), or what was found when it is. */
  reason: string;
  clause: string;
  /** How many records the item counts (ratings, allocations, missing ineligibilities), when it counts any. */
  count: number | null;
}

/** [N 3.2] The providers of Y − 1's 不合格 final evaluations not yet recorded ineligible for Y. */
export function missingIneligibilities(failedProviders: number[], ineligibleProviders: number[]): number[] {
  const recorded = new Set(ineligibleProviders);
  return [...new Set(failedProviders)].filter((p) => !recorded.has(p)).sort((a, b) => a - b);
}

/** [N 1] The policy of Y exists; else it is copied from Y − 1's (blocked when there is none to copy). */
function policyItem(f: OpeningFacts): OpeningItem {
  const base = { key: 'policy' as const, clause: '[N 1]', count: null };
  if (f.policy) return { ...base, state: 'done', reason: `${f.year} 年度政策已制定，资金下达前可修改` };
  if (!f.previousPolicy) return { ...base, state: 'blocked', reason: `${f.year - 1} 年度政策不存在，无法复制，请先制定政策` };
  return { ...base, state: 'todo', reason: `复制 ${f.year - 1} 年度政策为 ${f.year} 年度（评星年度 ${f.year - 1}），之后可修改` };
}

/** [N 1] The ratings of Y − 1 are imported within the quotas of Y's policy. */
function ratingsItem(f: OpeningFacts): OpeningItem {
  const base = { key: 'ratings' as const, clause: '[N 1]', count: f.ratingsTotal };
  if (!f.policy) return { ...base, state: 'blocked', reason: `名额由 ${f.year} 年度政策规定，请先制定政策` };
  if (f.ratingsTotal === 0) return { ...base, state: 'todo', reason: `尚未导入 ${f.year - 1} 年度星级评定` };
  const over = f.levels.filter((l) => l.count > l.quota);
  if (over.length > 0) {
    const text = over.map((l) => `${l.stars}星 ${l.count} 个超过名额 ${l.quota} 个`).join('；');
    return { ...base, state: 'todo', reason: `星级评定超过名额：${text}` };
  }
  return { ...base, state: 'done', reason: `已导入 ${f.ratingsTotal} 个社区的 ${f.year - 1} 年度星级，未超名额` };
}

/** [N 1] The appropriation of Y is confirmed by the city finance bureau, after the policy and the ratings. */
function appropriationItem(f: OpeningFacts, ratings: OpeningItem): OpeningItem {
  const base = { key: 'appropriation' as const, clause: '[N 1]', count: f.allocations };
  if (f.allocations > 0)
    return { ...base, state: 'done', reason: `市财政局已确认下达（${f.allocations} 个社区），政策的奖补标准与名额随之锁定` };
  if (!f.policy) return { ...base, state: 'blocked', reason: `请先制定 ${f.year} 年度政策` };
  if (ratings.state !== 'done') return { ...base, state: 'blocked', reason: `请先导入 ${f.year - 1} 年度星级评定（不超名额）` };
  return { ...base, state: 'todo', reason: '待市财政局审核并确认下达' };
}

/** [N 3.2] Providers rated 不合格 in Y − 1's final evaluations are ineligible for Y. */
function ineligibilityItem(f: OpeningFacts): OpeningItem {
  const missing = missingIneligibilities(f.failedProviders, f.ineligibleProviders).length;
  const failed = new Set(f.failedProviders).size;
  const base = { key: 'ineligibility' as const, clause: '[N 3.2]', count: missing };
  if (missing > 0)
    return {
      ...base,
      state: 'todo',
      reason: `${missing} 家承接主体在 ${f.year - 1} 年度终期评估不合格，尚未登记为 ${f.year} 年度不得承接`,
    };
  if (failed === 0) return { ...base, state: 'done', reason: `${f.year - 1} 年度终期评估暂无不合格的承接主体` };
  return { ...base, state: 'done', reason: `${failed} 家终期评估不合格的承接主体均已登记为 ${f.year} 年度不得承接` };
}

/** ADR 0009: without the State Council's notice of Y, due dates through Y are provisional. */
function calendarItem(f: OpeningFacts): OpeningItem {
  const base = { key: 'calendar' as const, clause: 'ADR 0009', count: null };
  if (f.calendarPublished) return { ...base, state: 'done', reason: `${f.year} 年节假日安排已录入` };
  return { ...base, state: 'todo', reason: `${f.year} 年节假日安排尚未发布：期限暂按周末与法定节日推算，国务院通知发布后请录入` };
}

/**
 * ADR 0015 [N 1] [N 3.2]: the checklist of opening fund year Y, in the order the work is done —
 * policy, ratings (quotas of Y's policy), appropriation, provider ineligibility, calendar.
 */
export function openingChecklist(f: OpeningFacts): OpeningItem[] {
  const ratings = ratingsItem(f);
  return [policyItem(f), ratings, appropriationItem(f, ratings), ineligibilityItem(f), calendarItem(f)];
}

/**
 * [N 3.2] The checklist of Y joins the city's to-do from the first day of the month in which Y − 1's
 * final evaluations are due (the policy's `finalEvaluationDue`, 10 December: from 1 December),
 * when next year's eligibility and ratings are being settled.
 */
export function openingFrom(year: number, previousFinalEvaluationDue: string): string {
  return `${year - 1}-${previousFinalEvaluationDue.slice(0, 2)}-01`;
}

/**
 * ADR 0015: the years whose opening may be on the city's to-do today — this year and the next, each
 * from its opening date on (`openingFrom`, read from the previous year's policy; a year whose previous
 * year has no policy has none). The service shows only those whose checklist is not complete, so an
 * opening left unfinished on 1 January stays asked for.
 */
export function yearsToOpen(today: string, finalDueOfPreviousYear: (year: number) => string | null): number[] {
  const thisYear = Number(today.slice(0, 4));
  return [thisYear, thisYear + 1].filter((y) => {
    const due = finalDueOfPreviousYear(y);
    return due !== null && today >= openingFrom(y, due);
  });
}
