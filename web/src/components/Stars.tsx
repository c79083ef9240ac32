import { Typography } from 'antd';
import { starsText } from '../utils/format';

/** ★★★★★ in gold, or a grey "未评星". */
export function Stars({ stars }: { stars: number | null | undefined }) {
  const text = starsText(stars);
  if (text === '未评星') return <Typography.Text type="secondary">未评星</Typography.Text>;
  return (
    <span style={{ color: '#faad14', letterSpacing: 1, whiteSpace: 'nowrap' }} title={`${stars}星`} aria-label={`${stars}星`}>
      {text}
    </span>
  );
}
