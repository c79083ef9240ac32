/** Labels of the decisions module shown by the console (generated into web/src/api/labels.gen.ts). */
export { BODY_LABELS, STEP_LABELS } from './decisions.rules.js';

export const DECISION_STATUS_LABELS = {
  in_progress: '程序进行中',
  noticed: '公示中',
  suspended: '待重新表决（异议中止或增补项目）',
  ready_for_review: '公示期满，待街道初审',
  rejected: '未通过',
} as const;

export const NOTICE_STATUS_LABELS = {
  open: '公示中',
  suspended: '异议达五分之一，已中止',
  voided: '已作废（已重新公示）',
  closed: '公示期满',
} as const;

/** The decisive body as offered when a vote is recorded (the committees only under the simplified procedure). */
export const BODY_OPTION_LABELS = {
  council: '居民议事会',
  residents_meeting: '居民会议',
  representatives_meeting: '居民代表会议',
  committees: '社区"两委"会议（简易程序）',
} as const;

export const VOTE_LABELS = { for: '赞成', against: '反对', abstain: '弃权' } as const;

/** [N 3.1.2] The two decision procedures. */
export const DECISION_PROCEDURE_LABELS = { major: '重大事项"4+2"程序', simplified: '内部事务简易程序' } as const;

/** The outcome of a recorded procedure step (decided: the vote of the decisive body). */
export const STEP_OUTCOME_LABELS = { approved: '通过', returned: '退回', decided: '已表决' } as const;

/** How an objection to a public notice reached the community. */
export const OBJECTION_CHANNEL_LABELS = { online: '网上', paper: '书面' } as const;
