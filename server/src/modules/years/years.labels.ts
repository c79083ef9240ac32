/** Labels of the year-opening checklist shown by the console (generated into web/src/api/labels.gen.ts). */

/** ADR 0015: the items of opening a fund year. */
export const OPENING_ITEM_LABELS = {
  policy: '年度政策',
  ratings: '上年度星级评定',
  appropriation: '资金下达',
  ineligibility: '承接主体资格',
  calendar: '节假日安排',
} as const;

/** ADR 0015: the state of an item. */
export const OPENING_STATE_LABELS = { done: '已完成', todo: '待办', blocked: '受阻' } as const;
