import { Tag, Tooltip } from 'antd';
import { PROVISIONAL_HINT } from './provisionalHint';

export { PROVISIONAL_HINT };

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
