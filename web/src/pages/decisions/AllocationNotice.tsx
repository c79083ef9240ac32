import { Alert } from 'antd';
import { formatFen } from '../../utils/money';

/** The decided list against the community's allocation for the year [N 1] (server decisions.allocation.rules.ts). */
export interface AllocationCheck {
  allocationFen: number;
  totalFen: number;
  excessFen: number;
  clause: string;
  message: string;
}

/**
 * [N 1] A warning when the (decided) list exceeds the community's allocation: on the decision page
 * before publishing, and stated on the public notice so that residents do not read it as overspending.
 */
export function AllocationNotice({ allocation, where }: { allocation: AllocationCheck; where: 'decision' | 'notice' }) {
  if (allocation.excessFen <= 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="allocation-excess"
      style={{ marginTop: 12 }}
      title={`${allocation.message} ${allocation.clause}`}
      description={
        where === 'decision'
          ? `公示前请核对：公示清单合计不宜超过年度奖补额度 ${formatFen(allocation.allocationFen)}；如确需超出，公示将注明超出部分的资金来源或在使用方案中调减。`
          : undefined
      }
    />
  );
}
