import type { Role } from './access.js';

/**
 * Every kind of to-do item, like the error catalogue (common/error-codes.ts): who acts on it, its
 * Chinese label for the web, and the clause of the notice that sets the step or its deadline
 * (docs/spec/domain.md). Each module's TodoSource (`<module>.todo.service.ts`, or its service's
 * `todoItems`) contributes items of its own kinds; the to-do centre (plans.todo.service.ts) gives
 * each item its clause and label from here and shows it only to the roles named here (ADR 0017).
 *
 * test/integration/todo-generator.test.ts builds the waiting state of every kind here and asserts
 * that the right account, and only it, sees the item: a kind without a case fails that test.
 */
export interface TodoKindEntry {
  /** The roles that act on it (an item of this kind reaches no one else). */
  roles: readonly Role[];
  /** Chinese label of the kind (filters and tags on the to-do page). */
  label: string;
  /** The clause that sets the step or its deadline, `[N x.y]`. */
  clause: string;
}

export const TODO_KINDS = {
  // plans (plans.todo.service.ts)
  plan_draft: { roles: ['community', 'street_office'], label: '编制方案', clause: '[N 3.1.2(2)]' },
  plan_returned: { roles: ['community', 'street_office'], label: '方案退回', clause: '[N 3.1.2(2)]' },
  plan_review: { roles: ['street_office'], label: '街道初审', clause: '[N 3.1.2(2)]' },
  review_overdue: { roles: ['district_bureau'], label: '初审逾期督办', clause: '[N 3.1.2(2)]' },
  plan_filing: { roles: ['district_bureau', 'city_bureau'], label: '方案备案', clause: '[N 3.1.2(2)]' },
  plan_create: { roles: ['community'], label: '编制方案', clause: '[N 3.1.2(1)]' },
  decision_revote: { roles: ['community'], label: '重新表决', clause: '[N 3.1.2(1)]' },
  // disclosure monitoring (disclosure.monitoring.service.ts)
  disclosure_flagged: { roles: ['street_office', 'district_bureau'], label: '信息公开', clause: '[N 4.2]' },
  // calendar (holiday-notice.service.ts) and the next fund year (years.service.ts)
  calendar_notice: { roles: ['city_bureau'], label: '节假日安排', clause: '[N 3.1.2(2)]' },
  year_opening: { roles: ['city_bureau'], label: '开启新年度', clause: '[N 1]' },
  // ledger (ledger.todo.service.ts)
  appropriation_confirm: { roles: ['city_finance'], label: '资金下达确认', clause: '[N 1]' },
  // needs (needs.todo.service.ts)
  needs_coverage: { roles: ['community'], label: '需求征集覆盖率', clause: '[N 3.1.1(1)]' },
  // procurement (procurement.todo.service.ts)
  instalment_claimable: { roles: ['provider'], label: '可申请拨付', clause: '[N 3.3]' },
  payment_request: { roles: ['street_office'], label: '拨付审批', clause: '[N 3.3]' },
  // decisions (decisions.todo.service.ts)
  notice_window: { roles: ['community'], label: '公示期', clause: '[N 3.1.2(1)]' },
  objection_received: { roles: ['community'], label: '公示异议', clause: '[N 3.1.2(1)]' },
  // reports (reports.todo.service.ts)
  report_due: { roles: ['district_bureau'], label: '评估报告报送', clause: '[N 3.2]' },
  report_acknowledge: { roles: ['city_bureau'], label: '评估报告确认', clause: '[N 3.2]' },
  // supervision (supervision.todo.service.ts)
  finding_respond: { roles: ['community'], label: '问题整改', clause: '[N 4.3]' },
  finding_close: { roles: ['city_bureau', 'street_office'], label: '整改核查销号', clause: '[N 4.3]' },
  visit_due: { roles: ['street_office'], label: '街道督导', clause: '[N 4.3]' },
  // delivery (delivery.todo.service.ts)
  activity_record: { roles: ['provider'], label: '登记实施活动', clause: '[N 3.1.3(2)]' },
  adjustment_decide: { roles: ['community'], label: '审批方案调整', clause: '[N 3.1.3(2)]' },
  // evaluation (evaluation.todo.service.ts)
  evaluation_due: { roles: ['evaluator'], label: '评估打分', clause: '[N 3.2]' },
  evaluation_round_open: { roles: ['district_bureau'], label: '开启评估轮次', clause: '[N 3.2]' },
} as const satisfies Record<string, TodoKindEntry>;

export type TodoKind = keyof typeof TODO_KINDS;

export const TODO_KIND_LIST = Object.keys(TODO_KINDS) as TodoKind[];

/** The entry of a kind (undefined for a kind missing from the catalogue, which the centre drops). */
export function todoKind(kind: string): TodoKindEntry | undefined {
  return (TODO_KINDS as Record<string, TodoKindEntry>)[kind];
}
