import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { regionsApi, type RegionSummary } from '../api/endpoints';

type Level = 'city' | 'district' | 'street' | 'community';
const LEVELS: Level[] = ['city', 'district', 'street', 'community'];
const rank = (level: string) => LEVELS.indexOf(level as Level);
type RegionRef = Pick<RegionSummary, 'code' | 'name' | 'level'>;

interface Node {
  value: string;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
  children?: Node[];
}

/**
 * 区划选择: the caller's own region and below (GET /api/regions/scope), loaded a level at a time from
 * GET /api/regions/:code as branches open; names are shown, the value is the region code. Only regions of
 * `level` can be chosen (the tree stops there). Type to search among the names already loaded (the
 * first level under the caller's region is loaded at once).
 */
export function RegionPicker({
  level,
  value,
  onChange,
  placeholder,
  disabled,
  id,
  'aria-label': ariaLabel,
  style,
}: {
  level: Level;
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
}) {
  const queryClient = useQueryClient();
  const scope = useQuery({ queryKey: ['regions', 'scope'], queryFn: ({ signal }) => regionsApi.scope(signal), staleTime: 5 * 60_000 });
  const root: RegionRef | undefined = scope.data?.root;
  const [children, setChildren] = useState<Record<string, RegionRef[]>>({});
  const load = useCallback(
    async (code: string) => {
      const detail = await queryClient.fetchQuery({
        queryKey: ['regions', 'detail', code],
        queryFn: ({ signal }) => regionsApi.detail(code, signal),
      });
      setChildren((loaded) => ({ ...loaded, [code]: detail.children }));
    },
    [queryClient],
  );
  useEffect(() => {
    if (root && rank(root.level) < rank(level) && !children[root.code]) void load(root.code);
  }, [root, level, children, load]);
  const treeData = useMemo(() => {
    const node = (r: RegionRef): Node => ({
      value: r.code,
      title: r.name,
      isLeaf: rank(r.level) >= rank(level),
      selectable: r.level === level,
      children: children[r.code]?.map(node),
    });
    return root && rank(root.level) <= rank(level) ? [node(root)] : [];
  }, [root, children, level]);
  return (
    <TreeSelect
      id={id}
      aria-label={ariaLabel}
      style={{ width: '100%', ...style }}
      value={value || undefined}
      onChange={(v: string | undefined) => onChange?.(v)}
      disabled={disabled}
      loading={scope.isLoading}
      placeholder={placeholder ?? `选择${{ city: '市', district: '区（县、市）', street: '街道（乡镇）', community: '社区' }[level]}`}
      treeData={treeData}
      treeDefaultExpandedKeys={root ? [root.code] : []}
      loadData={(n) => load(String(n.value))}
      showSearch
      treeNodeFilterProp="title"
      allowClear
      popupMatchSelectWidth={false}
      notFoundContent="无可选区划"
    />
  );
}
