import { Tag, Tooltip } from 'antd';

/** Why a date is 暂定 when the API does not say (ADR 0009). */
export const PROVISIONAL_HINT = '暂定：按尚未录入国务院节假日安排的年度推算（仅计法定节假日和周末，未计调休）；通知录入后自动重算';

/** 暂定: the date next to it was computed through a year whose holiday notice is not entered yet. */
export function ProvisionalTag({ reason }: { reason?: string | null }) {
  return (
    <Tooltip title={reason || PROVISIONAL_HINT}>
      <Tag color="orange" data-testid="provisional-tag" style={{ marginInlineStart: 4 }}>
        暂定
      </Tag>
    </Tooltip>
  );
}
