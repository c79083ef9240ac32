import { Type, type Static } from 'typebox';
import { EVALUATION_KINDS, GRADES, PARTICIPANT_CATEGORIES } from '../../db/schema/evaluation.js';
import { RemainderVoidView } from '../procurement/procurement.schemas.js';
import { CommunityCode, FenAmount, FundYear, Literals, IsoDateString, Nullable, RequestId, RowId, Text } from '../../common/schemas.js';

export const KindSchema = Literals(EVALUATION_KINDS, 'midterm 中期评估 · final 终期评估');
export const CategorySchema = Literals(
  PARTICIPANT_CATEGORIES,
  'district_staff 区民政局 · street_staff 街道 · community_committee 社区"两委" · council 居民议事会 · representative 居民代表 · npc_deputy 人大代表 · cppcc_member 政协委员 · expert 专家',
);
export const GradeSchema = Literals(GRADES, 'excellent 优秀 · good 良好 · pass 合格 · fail 不合格');
const MethodSchema = Type.Union([Type.Literal('third_party'), Type.Literal('review_meeting')]);
const AssignmentStatusSchema = Type.Union([Type.Literal('assigned'), Type.Literal('concluded')]);

// ================================================================ requests

export const RoundsQuery = Type.Object({ fundYear: Type.Optional(FundYear), kind: Type.Optional(KindSchema) });
export type RoundsQuery = Static<typeof RoundsQuery>;

export const OpenRoundBody = Type.Object(
  { fundYear: FundYear, kind: KindSchema, districtCode: Type.String({ pattern: '^\\d{6}$' }) },
  { additionalProperties: false },
);
export type OpenRoundBody = Static<typeof OpenRoundBody>;

export const AssignBody = Type.Object(
  {
    planProjectId: RowId(),
    method: MethodSchema,
    evaluatorOrgId: Type.Optional(Nullable(RowId())),
    meetingOn: Type.Optional(Nullable(IsoDateString)),
    participants: Type.Optional(
      Type.Array(
        Type.Object(
          { category: CategorySchema, name: Text(50), affiliation: Type.Optional(Type.String({ maxLength: 100 })) },
          { additionalProperties: false },
        ),
        { maxItems: 60 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AssignBody = Static<typeof AssignBody>;

export const FeeBody = Type.Object(
  {
    amountFen: FenAmount({ minimum: 1 }),
    paidOn: IsoDateString,
    evaluatorOrgId: Type.Optional(Nullable(RowId())),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    /** evaluation_fee (non-fund, the default) or community_fund: the latter is refused [N 3.12]. */
    chargeTo: Type.Optional(Type.Union([Type.Literal('evaluation_fee'), Type.Literal('community_fund')])),
    communityCode: Type.Optional(CommunityCode()),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type FeeBody = Static<typeof FeeBody>;

export const AssignmentsQuery = Type.Object({
  roundId: Type.Optional(RowId()),
  fundYear: Type.Optional(FundYear),
  status: Type.Optional(AssignmentStatusSchema),
});
export type AssignmentsQuery = Static<typeof AssignmentsQuery>;

export const EvidenceBody = Type.Object(
  { name: Text(200), kind: Text(40), ref: Type.Optional(Nullable(Type.String({ maxLength: 300 }))) },
  { additionalProperties: false },
);
export type EvidenceBody = Static<typeof EvidenceBody>;

export const ConcludeBody = Type.Object(
  {
    scores: Type.Array(
      Type.Object(
        { code: Text(20), score: Type.Integer({ minimum: 0, maximum: 100 }), note: Type.Optional(Type.String({ maxLength: 500 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    peopleCovered: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))),
    conclusion: Text(5000),
    problems: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
export type ConcludeBody = Static<typeof ConcludeBody>;

// ================================================================ responses

export const EvaluatorOrgView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  creditCode: Nullable(Type.String()),
  contact: Type.String(),
});
export type EvaluatorOrgView = Static<typeof EvaluatorOrgView>;
export const EvaluatorOrgListView = Type.Object({ items: Type.Array(EvaluatorOrgView) });

const ByGrade = Type.Object({ excellent: Type.Integer(), good: Type.Integer(), pass: Type.Integer(), fail: Type.Integer() });

export const RoundView = Type.Object({
  id: Type.Integer(),
  fundYear: Type.Integer(),
  kind: KindSchema,
  kindLabel: Type.String(),
  districtCode: Type.String(),
  districtName: Type.String(),
  dueOn: Type.String(),
  openedOn: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  daysLeft: Type.Integer({ description: 'days to the due date (negative: past it)' }),
  overdue: Type.Boolean(),
  counts: Type.Object({ assigned: Type.Integer(), concluded: Type.Integer(), outstanding: Type.Integer(), byGrade: ByGrade }),
});
export type RoundView = Static<typeof RoundView>;
export const RoundListView = Type.Object({ items: Type.Array(RoundView) });
export type RoundListView = Static<typeof RoundListView>;

export const AssignmentView = Type.Object({
  id: Type.Integer(),
  roundId: Type.Integer(),
  fundYear: Type.Integer(),
  kind: KindSchema,
  kindLabel: Type.String(),
  dueOn: Type.String(),
  daysLeft: Type.Integer(),
  overdue: Type.Boolean(),
  planProjectId: Type.Integer(),
  projectTitle: Type.String(),
  catalogueCode: Type.String(),
  communityCode: Type.String(),
  communityName: Type.String(),
  budgetFen: Type.Integer(),
  method: MethodSchema,
  methodLabel: Type.String(),
  evaluatorOrgId: Nullable(Type.Integer()),
  evaluatorName: Nullable(Type.String()),
  meetingOn: Nullable(Type.String()),
  status: AssignmentStatusSchema,
  scoreBp: Nullable(Type.Integer({ description: 'weighted score in hundredths (8650 = 86.50)' })),
  score: Nullable(Type.String()),
  grade: Nullable(GradeSchema),
  gradeLabel: Nullable(Type.String()),
  peopleCovered: Nullable(Type.Integer()),
  conclusion: Type.String(),
  problems: Type.String(),
  concludedOn: Nullable(Type.String()),
  /** [N 3.2] Of a final evaluation: closed (passed), not_closed (failed) or open (no grade yet). */
  closure: Nullable(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('not_closed')])),
});
export type AssignmentView = Static<typeof AssignmentView>;
export const AssignmentListView = Type.Object({ items: Type.Array(AssignmentView) });
export type AssignmentListView = Static<typeof AssignmentListView>;

export const FeeView = Type.Object({
  id: Type.Integer(),
  roundId: Type.Integer(),
  amountFen: Type.Integer(),
  paidOn: Type.String(),
  evaluatorOrgId: Nullable(Type.Integer()),
  note: Type.String(),
  transferId: Type.String(),
});
export type FeeView = Static<typeof FeeView>;

export const RoundDetailView = Type.Object({
  ...RoundView.properties,
  assignments: Type.Array(AssignmentView),
  unassigned: Type.Array(
    Type.Object({
      planProjectId: Type.Integer(),
      title: Type.String(),
      catalogueCode: Type.String(),
      communityCodes: Type.Array(Type.String()),
      budgetFen: Type.Integer(),
    }),
  ),
  fees: Type.Array(
    Type.Object({
      id: Type.Integer(),
      amountFen: Type.Integer(),
      paidOn: Type.String(),
      evaluatorOrgId: Nullable(Type.Integer()),
      note: Type.String(),
      transferId: Type.String(),
    }),
  ),
});
export type RoundDetailView = Static<typeof RoundDetailView>;

export const AssignmentDetailView = Type.Object({
  ...AssignmentView.properties,
  rubric: Type.Array(
    Type.Object({
      code: Type.String(),
      label: Type.String(),
      weight: Type.Integer(),
      score: Nullable(Type.Integer()),
      note: Type.String(),
    }),
  ),
  gradeThresholds: Type.Object({ excellent: Type.Integer(), good: Type.Integer(), pass: Type.Integer() }),
  evidence: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String(), ref: Nullable(Type.String()) })),
  participants: Type.Array(
    Type.Object({ category: CategorySchema, categoryLabel: Type.String(), name: Type.String(), affiliation: Type.String() }),
  ),
});
export type AssignmentDetailView = Static<typeof AssignmentDetailView>;

export const ConclusionView = Type.Object({
  ...AssignmentDetailView.properties,
  effects: Type.Object({
    ineligibleProviders: Type.Array(Type.Integer()),
    ineligibleYear: Nullable(Type.Integer()),
    voidedContracts: Type.Array(RemainderVoidView),
  }),
});
export type ConclusionView = Static<typeof ConclusionView>;
export type { EvaluationKind, Grade } from '../../db/schema/evaluation.js';
