import { formatFenShort as formatFen } from '../../common/money.js';

/**
 * [N 1] A decided list against the community's allocation for the year. The council may decide
 * more than the allocation (other funds, or cuts in the plan), but the decision step warns and
 * the public notice says so, so that residents do not read the list as overspending. Pure.
 */

export const ALLOCATION_CLAUSE = '[N 1]';

export interface AllocationCheck {
  /** The community's allocation for the fund year (fen): posted to its account, else the amount of its star tier. */
  allocationFen: number;
  /** Stars the allocation follows (rating of the policy's rating year), null when unrated. */
  stars: number | null;
  /** True when the allocation is posted to the community's account; false when it is the tier amount to come. */
  allocated: boolean;
  /** The list's total: the passed projects of the current notice, or before the vote the whole list. */
  totalFen: number;
  /** How much the total exceeds the allocation (0 when within). */
  excessFen: number;
  clause: string;
  /** The statement shown on the decision page and the public notice ('' when within). */
  message: string;
}

/** [N 1] The excess of a decided (or to-be-decided) list over the community's allocation. */
export function allocationCheck(
  totalFen: number,
  allocation: { allocationFen: number; stars: number | null; allocated: boolean },
  decided: boolean,
): AllocationCheck {
  const excessFen = Math.max(0, totalFen - allocation.allocationFen);
  const what = decided ? '决策项目合计' : '拟表决项目合计';
  const quota =
    !allocation.allocated && allocation.stars === null
      ? '本社区年度奖补额度 ¥0（未获星级评定，无奖补资金）'
      : `本社区年度奖补额度 ${formatFen(allocation.allocationFen)}${allocation.allocated ? '' : '（按星级测算，尚未下达）'}`;
  return {
    ...allocation,
    totalFen,
    excessFen,
    clause: ALLOCATION_CLAUSE,
    message:
      excessFen > 0
        ? `${what} ${formatFen(totalFen)}，超出${quota}，超出 ${formatFen(excessFen)}；超出部分须由其他资金解决或在使用方案中调减`
        : '',
  };
}
