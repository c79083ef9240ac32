import { Type, type Static } from 'typebox';
import { CommunityCode, FundYear, IsoDate, IsoDateString, Nullable, RowId } from '../../common/schemas.js';
import { DECISION_BODIES, MAJOR_PROCEDURE_STEPS, SIMPLIFIED_PROCEDURE_STEPS } from './decisions.rules.js';

/** The democratic decision's request and response schemas [N 3.1.2(1)]; routes and services share them. */

const Attachments = Type.Array(
  Type.Object(
    { name: Type.String({ minLength: 1, maxLength: 200 }), url: Nullable(Type.String({ maxLength: 1000, pattern: '^(https?://|/)' })) },
    { additionalProperties: false },
  ),
  { maxItems: 50, description: '附件（名称与链接） attachments: name and link' },
);
const Body = Type.Union(
  DECISION_BODIES.map((b) => Type.Literal(b)),
  {
    description:
      '居民议事会 council · 居民会议 residents_meeting · 居民代表会议 representatives_meeting · 社区"两委" committees (simplified)',
  },
);
const Step = Type.Union([...MAJOR_PROCEDURE_STEPS, ...SIMPLIFIED_PROCEDURE_STEPS].map((s) => Type.Literal(s)));
const Count = Type.Integer({ minimum: 0, maximum: 100_000 });

const NoticeProject = Type.Object({
  projectId: Type.Integer(),
  title: Type.String(),
  catalogueCode: Type.String(),
  category: Type.String(),
  estimatedBudgetFen: Type.Integer(),
  votesFor: Type.Integer(),
  votesAgainst: Type.Integer(),
  votesAbstain: Type.Integer(),
});
const NoticeCoreFields = {
  id: Type.Integer(),
  round: Type.Integer(),
  postedOn: Type.String(),
  windowEnd: Type.String(),
  windowEndProvisional: Type.Boolean({
    description:
      '公示期届满日按暂定工作日历推算（当年节假日安排未录入）Provisional: computed through a year whose holiday notice is not entered',
  }),
  status: Type.String({ description: 'open 公示中 · suspended 异议中止 · voided 已作废 · closed 公示期满' }),
  daysLeft: Type.Integer({ description: '剩余天数（含今天） days left, today included' }),
  projects: Type.Array(NoticeProject),
  totalBudgetFen: Type.Integer(),
  representatives: Type.Integer(),
  objectorsNeeded: Type.Integer(),
  objectors: Type.Integer(),
  suspendedAt: Nullable(Type.String({ description: '中止时间 when the notice was suspended' })),
  suspendReason: Nullable(Type.String({ description: '中止原因 why' })),
};
/** [N 1] The (decided) list against the community's allocation for the year; the warning when it exceeds. */
export const AllocationCheckView = Type.Object({
  allocationFen: Type.Integer({ description: '本社区年度奖补额度（分） the allocation for the year, fen' }),
  stars: Nullable(Type.Integer()),
  allocated: Type.Boolean({ description: '已下达（否则按星级测算） posted to the account (else the tier amount to come)' }),
  totalFen: Type.Integer({ description: '决策（或拟表决）项目合计 the list total' }),
  excessFen: Type.Integer({ description: '超出额度的金额，未超出为 0 the excess over the allocation' }),
  clause: Type.String(),
  message: Type.String({ description: '超出时的说明，未超出为空 the statement when it exceeds' }),
});
/** A notice with its countdown and objection count (no personal data). */
export const NoticeCoreView = Type.Object(NoticeCoreFields);
export const NoticeView = Type.Object({
  ...NoticeCoreFields,
  paperEntryUntil: Nullable(
    Type.String({ description: '书面异议补录截止日（当前公示） last day paper objections may be entered (current notice)' }),
  ),
  objections: Type.Array(
    Type.Object({
      id: Type.Integer(),
      householdNo: Type.String(),
      representativeName: Type.String(),
      channel: Type.String(),
      reason: Nullable(Type.String()),
      receivedOn: Type.String({ description: '收到日期（计入门槛） received date, counted' }),
      enteredOn: Type.String({ description: '录入日期 entered on' }),
      enteredLate: Type.Boolean({ description: '公示期满后补录 entered after the window' }),
      createdAt: Type.String(),
    }),
  ),
});
export const DecisionView = Type.Object({
  id: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  fundYear: Type.Integer(),
  campaignId: Type.Integer(),
  procedure: Type.String(),
  status: Type.String({ description: 'in_progress · noticed · suspended · ready_for_review · rejected' }),
  round: Type.Integer(),
  decidedOn: Nullable(Type.String()),
  nextStep: Nullable(Type.String()),
  steps: Type.Array(Type.Object({ step: Type.String(), label: Type.String() })),
  masked: Type.Boolean(),
  projects: Type.Array(
    Type.Object({
      id: Type.Integer(),
      proposalId: Type.Integer(),
      rank: Type.Integer(),
      title: Type.String(),
      catalogueCode: Type.String(),
      category: Type.String(),
      estimatedBudgetFen: Type.Integer(),
      internalMatter: Type.Boolean(),
      passed: Nullable(Type.Boolean()),
    }),
  ),
  records: Type.Array(
    Type.Object({
      id: Type.Integer(),
      seq: Type.Integer(),
      step: Type.String(),
      label: Type.String(),
      body: Nullable(Type.String()),
      bodyLabel: Nullable(Type.String()),
      heldOn: Type.String(),
      expectedAttendance: Type.Integer(),
      actualAttendance: Type.Integer(),
      outcome: Type.String(),
      minutes: Type.String(),
      attachments: Type.Array(Type.Object({ name: Type.String(), url: Nullable(Type.String()) })),
      presentMembers: Nullable(Type.Array(Type.Object({ householdNo: Type.String(), name: Type.String() }))),
      votes: Type.Array(
        Type.Object({
          projectId: Type.Integer(),
          for: Type.Integer(),
          against: Type.Integer(),
          abstain: Type.Integer(),
          passed: Type.Boolean(),
        }),
      ),
    }),
  ),
  paperEntry: Nullable(
    Type.Object({
      noticeId: Type.Integer(),
      until: Type.String({ description: '书面异议可补录至 paper objections may be entered until' }),
      provisional: Type.Boolean(),
      open: Type.Boolean(),
    }),
  ),
  suspension: Nullable(
    Type.Object({
      at: Type.String({ description: '中止时间 suspended at' }),
      reason: Type.String({ description: '中止原因 reason' }),
      lateEntry: Type.Boolean({ description: '因公示期满后补录的书面异议中止 suspended by a late-entered objection' }),
    }),
  ),
  notices: Type.Array(NoticeView),
  allocation: AllocationCheckView,
});
export const DecisionResponse = Type.Object({ decision: DecisionView });
export const DecisionListView = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      communityCode: Type.String(),
      communityName: Type.String(),
      fundYear: Type.Integer(),
      procedure: Type.String(),
      status: Type.String(),
      round: Type.Integer(),
      decidedOn: Nullable(Type.String()),
      notice: Nullable(NoticeCoreView),
    }),
  ),
});
export const PublicNoticeView = Type.Object({
  ...NoticeCoreFields,
  today: Type.String(),
  noticeDays: Type.Integer(),
  fundYear: Type.Integer(),
  procedure: Type.String(),
  communityCode: Type.String(),
  communityName: Type.String(),
  streetName: Type.String(),
  districtName: Type.String(),
  decision: Type.Object({
    body: Type.String(),
    bodyLabel: Type.String(),
    heldOn: Type.String(),
    expectedAttendance: Type.Integer(),
    actualAttendance: Type.Integer(),
    revote: Type.Boolean(),
  }),
  latestNoticeId: Type.Integer({ description: "本决议最新一次公示 the decision's latest notice" }),
  allocation: AllocationCheckView,
});
/** A notice on the community's public list. */
export const CommunityNoticeView = Type.Object({ ...NoticeCoreFields, fundYear: Type.Integer() });
export const CommunityNoticesView = Type.Object({ items: Type.Array(CommunityNoticeView) });
export const ObjectionResult = Type.Object({
  objectionId: Type.Integer(),
  objectors: Type.Integer(),
  objectorsNeeded: Type.Integer(),
  representatives: Type.Integer(),
  suspended: Type.Boolean(),
});

// ---- requests ----

export const PublicObjectionBody = Type.Object(
  {
    householdNo: Type.String({ minLength: 1, maxLength: 30 }),
    headName: Type.String({ minLength: 1, maxLength: 30 }),
    phoneLast4: Type.String({ pattern: '^\\d{4}$' }),
    representativeName: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export const DecisionListQuery = Type.Object({
  communityCode: Type.Optional(CommunityCode()),
  fundYear: Type.Optional(FundYear),
  status: Type.Optional(Type.Union(['in_progress', 'noticed', 'suspended', 'ready_for_review', 'rejected'].map((s) => Type.Literal(s)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});
export const CreateDecisionBody = Type.Object(
  {
    campaignId: RowId(),
    procedure: Type.Union([Type.Literal('major'), Type.Literal('simplified')], {
      description: '重大事项"4+2"程序 major · 内部事务简易程序 simplified',
    }),
    internalMatterProposalIds: Type.Optional(Type.Array(RowId(), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export const ReopenBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2_000, description: '重新提交的理由（如：基础类项目不足星级最低数量）' }) },
  { additionalProperties: false },
);
export const StepBody = Type.Object(
  {
    step: Step,
    heldOn: IsoDateString,
    expectedAttendance: Count,
    actualAttendance: Count,
    outcome: Type.Union([Type.Literal('approved'), Type.Literal('returned')], {
      description: '通过 approved · 退回（须重新进行） returned',
    }),
    minutes: Type.String({ minLength: 1, maxLength: 20_000 }),
    attachments: Type.Optional(Attachments),
  },
  { additionalProperties: false },
);
export const VoteBody = Type.Object(
  {
    heldOn: IsoDateString,
    body: Body,
    presentMembers: Type.Optional(
      Type.Array(
        Type.Object(
          { householdNo: Type.String({ minLength: 1, maxLength: 30 }), name: Type.String({ minLength: 1, maxLength: 30 }) },
          { additionalProperties: false },
        ),
        { maxItems: 10_000, description: '名册中实到成员（户号与姓名） roster members present' },
      ),
    ),
    expectedAttendance: Type.Optional(Count),
    actualAttendance: Type.Optional(Count),
    votes: Type.Array(Type.Object({ projectId: RowId(), for: Count, against: Count, abstain: Count }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 100,
    }),
    minutes: Type.String({ minLength: 1, maxLength: 20_000 }),
    attachments: Type.Optional(Attachments),
  },
  { additionalProperties: false },
);
export const PaperObjectionBody = Type.Object(
  {
    householdNo: Type.String({ minLength: 1, maxLength: 30 }),
    representativeName: Type.String({ minLength: 1, maxLength: 30 }),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    receivedOn: Type.Optional(
      IsoDate(
        '收到日期（默认今天）：不晚于今天、不早于公示日、在公示期内；公示期满后可在政策规定的工作日内补录 received date (default today)',
      ),
    ),
  },
  { additionalProperties: false },
);

export type NoticeCoreView = Static<typeof NoticeCoreView>;
export type DecisionView = Static<typeof DecisionView>;
export type DecisionListView = Static<typeof DecisionListView>;
export type PublicNoticeView = Static<typeof PublicNoticeView>;
export type CommunityNoticeView = Static<typeof CommunityNoticeView>;
export type ObjectionResult = Static<typeof ObjectionResult>;
