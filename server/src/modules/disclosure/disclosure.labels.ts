/** Labels of the disclosure module shown by the console and the portal (generated into web/src/api/labels.gen.ts). */
export { DISCLOSURE_LABELS, STAGE_LABELS } from './disclosure.rules.js';

/** A disclosure item's status on the console's monitoring page. */
export const DISCLOSURE_STATUS_LABELS = {
  published: '已按时公开',
  late: '逾期公开',
  missing: '未公开',
  due: '待公开',
  not_due: '未到期',
} as const;

/** The same statuses in the public portal's wording. */
export const PORTAL_DISCLOSURE_STATUS_LABELS = {
  published: '已按时公开',
  late: '逾期公开',
  missing: '应公开未公开',
  due: '待公开',
  not_due: '尚未到期',
} as const;

/** A notice's status in the public portal's wording. */
export const PORTAL_NOTICE_STATUS_LABELS = { open: '公示中', suspended: '异议中止', voided: '已作废', closed: '公示期满' } as const;

/** A plan's status in the public portal's wording. */
export const PORTAL_PLAN_STATUS_LABELS = {
  draft: '编制中',
  submitted: '街道初审中',
  returned: '退回修改',
  approved: '待备案',
  filed: '已备案',
} as const;

/** The open-data datasets. */
export const DATASET_LABELS = {
  allocations: '资金分配',
  projects: '已备案项目',
  notices: '决策公示',
  contracts: '服务合同',
  payments: '资金拨付',
  evaluations: '评估等次',
} as const;
