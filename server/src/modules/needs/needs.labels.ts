/** Labels of the needs module shown by the console (generated into web/src/api/labels.gen.ts). */
export { CHANNELS } from './needs.rules.js';

export const CAMPAIGN_STATUS_LABELS = { open: '征集中', concluded: '已完结', ready: '已提交议事会' } as const;
export const PROPOSAL_STATUS_LABELS = { candidate: '待筛选', listed: '列入清单', rejected: '已筛除', merged: '已合并' } as const;

/** Where a proposal came from: the community committees, or residents' opinions. */
export const PROPOSAL_SOURCE_LABELS = { committee: '两委提出', opinions: '居民意见' } as const;

/** Who entered an opinion: the resident online, or staff. */
export const OPINION_ENTERED_BY_LABELS = { resident: '居民', staff: '工作人员' } as const;
