/** Labels of the procurement module shown by the console (generated into web/src/api/labels.gen.ts). */
export { INSTALMENT_CONDITION_LABELS, PROCUREMENT_METHOD_LABELS, PROVIDER_KIND_LABELS } from './procurement.rules.js';

/** Statuses of contracts, instalments and payment requests. */
export const PROCUREMENT_STATUS_LABELS = {
  draft: '草拟',
  signed: '已签订',
  completed: '已履行完毕',
  cancelled: '已终止',
  open: '未申请',
  requested: '待审批',
  paid: '已拨付',
  void: '已作废',
  approved: '已批准拨付',
  rejected: '已驳回',
  proposed: '待审批',
} as const;
