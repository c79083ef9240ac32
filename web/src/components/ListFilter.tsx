import { useMemo, useState, type ReactNode } from 'react';
import { Input, Select, Space } from 'antd';

/**
 * 名称搜索 + 状态筛选 of a list loaded whole (client-side): returns the rows that contain the search text
 * (in any of `text`'s fields) and have the chosen status, and the filter bar to show above the table.
 * The status choices are the statuses present in the list, by their Chinese label.
 */
export function useListFilter<T>(
  items: readonly T[],
  {
    text,
    status,
    statusLabel = (s) => s,
    placeholder = '搜索名称',
  }: {
    text: (item: T) => (string | null | undefined)[];
    status?: (item: T) => string;
    statusLabel?: (status: string) => string;
    placeholder?: string;
  },
): { rows: T[]; bar: ReactNode } {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<string | undefined>();
  const statuses = useMemo(() => (status ? [...new Set(items.map(status))] : []), [items, status]);
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return items.filter(
      (item) => (!needle || text(item).some((f) => f?.toLowerCase().includes(needle))) && (!chosen || !status || status(item) === chosen),
    );
  }, [items, search, chosen, text, status]);
  const bar = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Input.Search
        allowClear
        aria-label={placeholder}
        placeholder={placeholder}
        style={{ width: 240 }}
        onSearch={setSearch}
        onChange={(e) => {
          if (!e.target.value) setSearch('');
        }}
        data-testid="list-search"
      />
      {status && (
        <Select
          allowClear
          aria-label="按状态筛选"
          placeholder="全部状态"
          style={{ width: 160 }}
          value={chosen}
          onChange={setChosen}
          options={statuses.map((s) => ({ value: s, label: statusLabel(s) }))}
          data-testid="list-status"
        />
      )}
    </Space>
  );
  return { rows, bar };
}
