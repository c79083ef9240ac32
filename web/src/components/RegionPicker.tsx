import { useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { regionsApi } from '../api/endpoints';
import { useRegionChildren, type RegionRef } from './useRegionChildren';

export type RegionLevel = 'city' | 'district' | 'street' | 'community';
type Level = RegionLevel;
const LEVELS: Level[] = ['city', 'district', 'street', 'community'];
const rank = (level: string) => LEVELS.indexOf(level as Level);

interface Node {
  value: string;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
  children?: Node[];
}

/**
 * 区划选择: the caller's own region and below (GET /api/regions/scope), loaded a level at a time from
 * GET /api/regions/:code as branches open; names are shown, the value is the region code. With a `level`,
 * only regions of that level can be chosen (the tree stops there); with `level="any"`, any region in scope
 * can (the tree goes down to communities). Type to search among the names already loaded (the first
 * level under the caller's region is loaded at once).
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
  level: Level | 'any';
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
}) {
  // 'any': every level can be chosen, so the tree stops at the lowest one.
  const deepest: Level = level === 'any' ? 'community' : level;
  const scope = useQuery({ queryKey: ['regions', 'scope'], queryFn: ({ signal }) => regionsApi.scope(signal), staleTime: 5 * 60_000 });
  const root: RegionRef | undefined = scope.data?.root;
  const { children, load } = useRegionChildren();
  useEffect(() => {
    if (root && rank(root.level) < rank(deepest) && !children[root.code]) void load(root.code);
  }, [root, deepest, children, load]);
  const treeData = useMemo(() => {
    const node = (r: RegionRef): Node => ({
      value: r.code,
      title: r.name,
      isLeaf: rank(r.level) >= rank(deepest),
      selectable: level === 'any' || r.level === level,
      children: children[r.code]?.map(node),
    });
    return root && rank(root.level) <= rank(deepest) ? [node(root)] : [];
  }, [root, children, level, deepest]);
  return (
    <TreeSelect
      id={id}
      aria-label={ariaLabel}
      style={{ width: '100%', ...style }}
      value={value || undefined}
      onChange={(v: string | undefined) => onChange?.(v)}
      disabled={disabled}
      loading={scope.isLoading}
      placeholder={
        placeholder ?? `选择${{ any: '区划', city: '市', district: '区（县、市）', street: '街道（乡镇）', community: '社区' }[level]}`
      }
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
