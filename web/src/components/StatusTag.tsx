import { Tag, type TagProps } from 'antd';

/**
 * A status as a coloured tag: the colour from the page's status → colour table, the label as given
 * (the server's `statusLabel` or the page's label table), the raw status when no label is given.
 */
export function StatusTag({
  status,
  label,
  colors,
  ...tag
}: Omit<TagProps, 'color' | 'children'> & { status: string; label?: string | null; colors: Partial<Record<string, string>> }) {
  return (
    <Tag color={colors[status]} {...tag}>
      {label === undefined ? status : label}
    </Tag>
  );
}
