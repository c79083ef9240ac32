import { Type, type Static } from 'typebox';
import { PLAN_STATUSES } from '../../db/schema/plans.js';
import { CommunityCode, FenAmount, FundYear, Nullable, RowId, Text } from '../../common/schemas.js';
import { RULE_IDS } from './plans.rules.js';
import { FIX_KINDS } from './plans.review.rules.js';

/** Usage plans' request and response schemas [N 2], [N 3.1.2(2)]; routes and services share them. */

export const PROVIDER_KINDS = ['social_work_station', 'social_organisation', 'university'] as const;
export const PROCEDURE_TYPES = [
  'public_tender',
  'invited_tender',
  'competitive_negotiation',
  'competitive_consultation',
  'single_source',
  'inquiry',
  'small_direct',
] as const;

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
/** One finding of the compliance list (a rule of the spec, passed or not). */
export const ComplianceCheckView = Type.Object({
  rule: Type.String(),
  label: Type.String(),
  clause: Type.String(),
  passed: Type.Boolean(),
  message: Bilingual,
  fix: Bilingual,
  fixes: Type.Array(
    Type.Object({
      kind: Type.Union(
        [
          Type.Literal(FIX_KINDS[0]),
          Type.Literal(FIX_KINDS[1]),
          Type.Literal(FIX_KINDS[2]),
          Type.Literal(FIX_KINDS[3]),
          Type.Literal(FIX_KINDS[4]),
          Type.Literal(FIX_KINDS[5]),
          Type.Literal(FIX_KINDS[6]),
        ],
        {
          description:
            '从目录添加 add_catalogue · 从决策清单添加 add_decided · 议事会补充决策 reopen_decision · 调减预算 change_budget · 修改项目 edit_projects · 继续需求征集 needs_campaign · 完成决策程序 complete_decision',
        },
      ),
      communityCode: Nullable(Type.String()),
      decisionId: Nullable(Type.Integer()),
      catalogueCodes: Type.Array(Type.String()),
      catalogueNames: Type.Array(Type.String()),
      count: Nullable(Type.Integer()),
      amountFen: Nullable(Type.Integer()),
    }),
    { description: '未通过时可执行的修改 machine-readable fixes of a failing rule' },
  ),
});
const Compliance = Type.Object({ passed: Type.Boolean(), rules: Type.Array(ComplianceCheckView) });
const Reason = Type.Object({ rule: Type.String(), clause: Type.String(), note: Type.String() });
const ReturnStep = Type.Union([Type.Literal('plan'), Type.Literal('decision'), Type.Literal('needs')], {
  description: '退回后重做的步骤：plan 修改方案 · decision 重新决策 · needs 补充需求征集',
});

const SummaryFields = {
  id: Type.Integer(),
  fundYear: Type.Integer(),
  kind: Type.String({ description: 'community 社区方案 · area 片区方案' }),
  title: Type.String(),
  communityCode: Nullable(Type.String()),
  streetCode: Type.String(),
  streetName: Type.String(),
  districtCode: Type.String(),
  districtName: Type.String(),
  communityNames: Type.Array(Type.String()),
  status: Type.String({ description: 'draft 编制中 · submitted 待初审 · returned 已退回 · approved 待备案 · filed 已备案' }),
  statusLabel: Type.String(),
  filingLevel: Nullable(Type.String({ description: 'district 区民政局 · city 市民政局' })),
  round: Type.Integer(),
  submittedOn: Nullable(Type.String()),
  reviewDueOn: Nullable(Type.String()),
  reviewDueProvisional: Type.Boolean({
    description: '初审期限按暂定工作日历推算 Provisional review due date (holiday notice not entered)',
  }),
  approvedOn: Nullable(Type.String()),
  filedOn: Nullable(Type.String()),
  returnedOn: Nullable(Type.String()),
  returnStep: Nullable(Type.String()),
  returnStepLabel: Nullable(Type.String()),
  returnReasons: Type.Array(Reason),
  workdaysLeft: Nullable(Type.Integer({ description: '初审剩余工作日（负数为逾期） working days left for the street review' })),
  overdue: Type.Boolean(),
};
/** A plan in a list: its summary and budget. */
export const PlanSummaryView = Type.Object({ ...SummaryFields, budgetFen: Type.Integer() });
export const PlanListView = Type.Object({ total: Type.Integer(), items: Type.Array(PlanSummaryView) });
const OtherFundingOut = Type.Object({ source: Type.String(), amountFen: Type.Integer(), government: Type.Boolean() });
/** [N 2.3] A member's share of a project's budget (fen). */
const MemberShareOut = Type.Object({ communityCode: Type.String(), shareFen: Type.Integer() });
export const PlanView = Type.Object({
  ...SummaryFields,
  budgetFen: Type.Integer(),
  allocationFen: Type.Integer({ description: '预算上限：成员社区下达资金之和 the budget ceiling, the members’ allocations [N 2.3]' }),
  filingRoute: Type.Union([Type.Literal('district'), Type.Literal('city')], {
    description: '备案机关（编制时即确定）：任一成员为五星级社区报市民政局，否则报区民政局 the filing route [N 2.3]',
  }),
  filingRouteLabel: Type.String(),
  communities: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      stars: Nullable(Type.Integer()),
      allocationFen: Type.Integer(),
      /** [N 2.3] The member's part of the plan's budget (its shares). */
      budgetShareFen: Type.Integer(),
      decisionStatus: Nullable(Type.String()),
      decisionMeets: Type.Boolean({ description: '议事会决策已完成且公示期满 council decision closed [N 3.1.2(1)]' }),
      coverageMeets: Type.Boolean(),
      coveragePermille: Nullable(Type.Integer({ description: '需求征集覆盖率（‰） needs coverage in per mille [N 3.1.1(1)]' })),
      thresholdPermille: Type.Integer({ description: '政策要求的覆盖率（‰） the policy threshold in per mille' }),
      missing: Type.Array(Type.Union([Type.Literal('needs'), Type.Literal('decision')]), {
        description: '尚缺的程序 steps the member still misses (needs 需求征集 · decision 议事会决策)',
      }),
    }),
  ),
  projects: Type.Array(
    Type.Object({
      id: Type.Integer(),
      decisionProjectId: Nullable(Type.Integer()),
      title: Type.String(),
      content: Type.String(),
      catalogueCode: Type.String(),
      catalogueName: Type.String(),
      category: Type.String(),
      budgetFen: Type.Integer(),
      communityCodes: Type.Array(Type.String()),
      shares: Type.Array(MemberShareOut),
      providerKind: Type.String(),
      otherFunding: Type.Array(OtherFundingOut),
      procedureType: Type.String(),
    }),
  ),
  compliance: Compliance,
  decidedProjects: Type.Array(
    Type.Object({
      decisionProjectId: Type.Integer(),
      communityCode: Type.String(),
      title: Type.String(),
      catalogueCode: Type.String(),
      category: Type.String(),
      estimatedBudgetFen: Type.Integer(),
    }),
  ),
  reviews: Type.Array(
    Type.Object({
      id: Type.Integer(),
      round: Type.Integer(),
      stage: Type.String(),
      outcome: Type.String(),
      decidedOn: Type.String(),
      returnStep: Nullable(Type.String()),
      reasons: Type.Array(Reason),
      comment: Type.String(),
    }),
  ),
});
export const PlanResponse = Type.Object({ plan: PlanView });
export const ComplianceView = Type.Object({ planId: Type.Integer(), passed: Type.Boolean(), rules: Type.Array(ComplianceCheckView) });
/** A plan project as other modules and `/plan-projects/:id` see it. */
export const PlanProjectView = Type.Object({
  projectId: Type.Integer(),
  planId: Type.Integer(),
  fundYear: Type.Integer(),
  communityCodes: Type.Array(Type.String()),
  shares: Type.Array(MemberShareOut),
  catalogueCode: Type.String(),
  category: Type.String(),
  title: Type.String(),
  budgetFen: Type.Integer(),
  providerKind: Type.String(),
  procedureType: Type.String(),
  status: Type.String(),
  regionPath: Type.String(),
});

export const PlanListQuery = Type.Object({
  fundYear: Type.Optional(FundYear),
  status: Type.Optional(Type.Union(PLAN_STATUSES.map((s) => Type.Literal(s)))),
  stage: Type.Optional(
    Type.Union([Type.Literal('review'), Type.Literal('filing')], { description: 'review 待初审 · filing 待备案与已备案' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});
export const CreatePlanBody = Type.Object(
  { fundYear: FundYear, communityCodes: Type.Array(CommunityCode(), { minItems: 1, maxItems: 100 }), title: Type.Optional(Text(200, 0)) },
  { additionalProperties: false },
);
export const ProjectBody = Type.Object(
  {
    decisionProjectId: Type.Optional(Nullable(RowId('决策通过的项目 the decided project it comes from'))),
    title: Text(200),
    content: Type.Optional(Text(5000, 0)),
    catalogueCode: Type.String({ minLength: 1, maxLength: 20, description: '目录项目代码 catalogue code (B1…, E1…)' }),
    budgetFen: FenAmount({ description: '预算（分） budget in fen' }),
    communityCodes: Type.Optional(Type.Array(CommunityCode(), { maxItems: 100, description: '服务的社区 communities served' })),
    shares: Type.Optional(
      Type.Array(
        Type.Object(
          { communityCode: CommunityCode(), shareFen: FenAmount({ description: '该社区承担的份额（分） the member’s share in fen' }) },
          { additionalProperties: false },
        ),
        { maxItems: 100, description: '片区项目各社区承担的份额，合计等于预算 members’ shares summing to the budget [N 2.3]' },
      ),
    ),
    providerKind: Type.Union(
      PROVIDER_KINDS.map((k) => Type.Literal(k)),
      { description: '拟承接主体 social_work_station 社工站 · social_organisation 社会组织 · university 高校科研院所' },
    ),
    otherFunding: Type.Optional(
      Type.Array(
        Type.Object(
          { source: Text(200), amountFen: FenAmount(), government: Type.Boolean({ description: '是否财政资金 government money' }) },
          { additionalProperties: false },
        ),
        { maxItems: 20, description: '其他资金来源 other funding declared' },
      ),
    ),
    procedureType: Type.Union(
      PROCEDURE_TYPES.map((k) => Type.Literal(k)),
      { description: '采购方式 procurement method' },
    ),
  },
  { additionalProperties: false },
);
export const UpdatePlanBody = Type.Object(
  { title: Type.Optional(Text(200, 0)), projects: Type.Optional(Type.Array(ProjectBody, { maxItems: 200 })) },
  { additionalProperties: false },
);
export const SubmitPlanBody = Type.Optional(Type.Object({}, { additionalProperties: false }));
const ReasonsBody = Type.Array(
  Type.Object({ rule: Type.Union([...RULE_IDS, 'other'].map((r) => Type.Literal(r))), note: Text(2000) }, { additionalProperties: false }),
  { maxItems: 20, description: '退回理由（对应合规规则） reasons tied to rules' },
);
export const ReviewBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
    reasons: Type.Optional(ReasonsBody),
    returnStep: Type.Optional(ReturnStep),
    comment: Type.Optional(Text(2000, 0)),
  },
  { additionalProperties: false },
);
export const FilingBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('file'), Type.Literal('return')]),
    reasons: Type.Optional(ReasonsBody),
    returnStep: Type.Optional(ReturnStep),
    comment: Type.Optional(Text(2000, 0)),
  },
  { additionalProperties: false },
);

// ---- to-do centre and messages ----

/** One item of the to-do centre (from plans, decisions, disclosure monitoring or the calendar). */
export const TodoItemView = Type.Object({
  key: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  detail: Type.String(),
  regionName: Type.String(),
  dueOn: Nullable(Type.String()),
  workdaysLeft: Nullable(Type.Integer()),
  overdue: Type.Boolean(),
  link: Type.String(),
  provisional: Type.Optional(Type.Boolean({ description: '期限或剩余工作日按暂定工作日历推算 Due date or countdown is provisional' })),
  amountFen: Type.Optional(Type.Integer({ description: '涉及金额（分） The money the item is about, in fen' })),
  kindLabel: Type.String({ description: '事项类别（中文） Chinese label of the kind (common/todo-kinds.ts)' }),
  clause: Type.String({ description: '规定该事项或其期限的条款 The clause that sets the step or its deadline, e.g. [N 3.1.2(2)]' }),
});
export const TodoView = Type.Object({ today: Type.String(), items: Type.Array(TodoItemView) });
const MessageFields = {
  key: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  on: Type.String(),
  link: Type.String(),
};
/** An in-app message before its read mark. */
export const MessageItem = Type.Object(MessageFields);
export const MessagesView = Type.Object({
  unread: Type.Integer(),
  items: Type.Array(Type.Object({ ...MessageFields, read: Type.Boolean() })),
});
export const MarkReadBody = Type.Object({ keys: Type.Optional(Type.Array(Text(200), { maxItems: 200 })) }, { additionalProperties: false });

export type PlanSummaryView = Static<typeof PlanSummaryView>;
export type PlanListView = Static<typeof PlanListView>;
export type PlanView = Static<typeof PlanView>;
export type ComplianceView = Static<typeof ComplianceView>;
export type PlanProjectView = Static<typeof PlanProjectView>;
export type ProjectInput = Static<typeof ProjectBody>;
export type PlanCreate = Static<typeof CreatePlanBody>;
export type ReviewInput = Static<typeof ReviewBody>;
export type FilingInput = Static<typeof FilingBody>;
export type TodoItem = Static<typeof TodoItemView>;
/**
 * What a TodoSource contributes: the centre adds the kind's label and clause from the catalogue
 * (a source may name a more precise clause), and counts working days left, overdue and provisional
 * through the calendar for every item with a due date.
 */
export type TodoDraft = Omit<TodoItem, 'kindLabel' | 'clause' | 'workdaysLeft' | 'overdue'> &
  Partial<Pick<TodoItem, 'clause' | 'workdaysLeft' | 'overdue'>>;
export type TodoView = Static<typeof TodoView>;
export type MessageItem = Static<typeof MessageItem>;
export type MessagesView = Static<typeof MessagesView>;
