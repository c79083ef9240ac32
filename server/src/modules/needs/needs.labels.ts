/** Labels of the needs module shown by the console (generated into web/src/api/labels.gen.ts). */
export { CHANNELS } from './needs.rules.js';

export const CAMPAIGN_STATUS_LABELS = { open: '征集中', concluded: '已完结', ready: '已提交议事会' } as const;
export const PROPOSAL_STATUS_LABELS = { candidate: '待筛选', listed: '列入清单', rejected: '已筛除', merged: '已合并' } as const;
