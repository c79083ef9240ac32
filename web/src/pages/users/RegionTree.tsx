import { Card, Tree, TreeSelect, type TreeSelectProps } from 'antd';
import { useRegionChildren, type RegionRef } from '../../components/useRegionChildren';
import { levelRank } from './api';

/** A region node of antd's Tree / TreeSelect. */
interface RegionNode {
  key: string;
  value: string;
  title: string;
  isLeaf: boolean;
  selectable?: boolean;
  children?: RegionNode[];
}

/** Tree nodes of the regions under a root, loaded a level at a time; `deepest` stops the tree at a level. */
function useRegionNodes(deepest = 'community') {
  const { children, load } = useRegionChildren();
  const node = (region: RegionRef, selectable: (r: RegionRef) => boolean): RegionNode => ({
    key: region.code,
    value: region.code,
    title: region.name,
    isLeaf: levelRank(region.level) >= levelRank(deepest),
    selectable: selectable(region),
    children: children[region.code]?.map((c) => node(c, selectable)),
  });
  return { load, node };
}

/** 区划树: the caller's region and below; selecting a node filters the accounts to it and below (本级及以下). */
export function RegionTree({ root, value, onSelect }: { root: RegionRef; value: string; onSelect: (code: string) => void }) {
  const { load, node } = useRegionNodes();
  return (
    <Card size="small" title="区划" style={{ marginBottom: 16 }} styles={{ body: { maxHeight: 640, overflow: 'auto' } }}>
      <Tree
        blockNode
        showLine
        defaultExpandedKeys={[root.code]}
        selectedKeys={[value]}
        treeData={[node(root, () => true)]}
        loadData={(n) => load(String(n.key))}
        onSelect={(keys) => {
          if (keys[0] !== undefined) onSelect(String(keys[0]));
        }}
      />
    </Card>
  );
}

export interface RegionValue {
  value: string;
  label: string;
}

/**
 * 区划 of an account: a TreeSelect over the administrator's region, where only regions of `level`
 * (the level the chosen role needs) can be chosen. The value carries the name (labelInValue), so that
 * an edited account's region shows by name before its branch is loaded.
 */
export function RegionTreeSelect({
  root,
  level,
  ...props
}: { root: RegionRef; level: string | undefined } & Omit<TreeSelectProps<RegionValue>, 'treeData' | 'loadData'>) {
  const { load, node } = useRegionNodes(level ?? root.level);
  return (
    <TreeSelect<RegionValue>
      {...props}
      labelInValue
      showSearch={false}
      disabled={!level || props.disabled}
      placeholder={level ? '选择区划' : '请先选择角色'}
      treeDefaultExpandedKeys={[root.code]}
      treeData={level ? [node(root, (r) => r.level === level)] : []}
      loadData={(n) => load(String(n.value))}
    />
  );
}
