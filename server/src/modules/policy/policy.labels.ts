/** Labels of the policy module shown by the console (generated into web/src/api/labels.gen.ts). */

/** [N 2.1] The two categories of the project catalogue: 基础类 (every community) and 提升类 (by stars). */
export const CATALOGUE_CATEGORY_LABELS = { basic: '基础类', enhancement: '提升类' } as const;

/** [N 2.1.2] What the minimum number of enhancement projects counts (the policy's enhancementMinCounts). */
export const ENHANCEMENT_COUNT_LABELS = { projects: '项目', types: '类别' } as const;
