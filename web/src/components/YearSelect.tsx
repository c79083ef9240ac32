import { Select } from 'antd';

export function YearSelect({
  value,
  years,
  onChange,
  loading,
}: {
  value: number | undefined;
  years: number[];
  onChange: (year: number) => void;
  loading?: boolean;
}) {
  return (
    <Select<number>
      aria-label="选择年度"
      style={{ width: 140 }}
      value={value}
      loading={loading}
      onChange={onChange}
      placeholder="选择年度"
      options={years.map((year) => ({ value: year, label: `${year}年度` }))}
    />
  );
}
