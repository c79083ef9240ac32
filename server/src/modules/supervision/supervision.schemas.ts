import { Type, type Static } from 'typebox';
import { CommunityCode, FundYear, IsoDateString, Nullable, RequestId, RowId, Text } from '../../common/schemas.js';

// ---------------------------------------------------------------- requests

const Workdays = Type.Integer({ minimum: 1, maximum: 120, description: '整改期限（工作日） rectification deadline in working days' });
const Finding = { description: Text(2000), demand: Text(2000), workdays: Workdays, planProjectId: Type.Optional(Nullable(RowId())) };
const SampleUnitKind = Type.Union([Type.Literal('community'), Type.Literal('project')]);
const FindingStatus = Type.Union([Type.Literal('open'), Type.Literal('responded'), Type.Literal('closed')]);

export const SpotChecksQuery = Type.Object({ fundYear: Type.Optional(FundYear) });

export const CreateSpotCheckBody = Type.Object(
  {
    fundYear: FundYear,
    title: Text(200),
    unit: SampleUnitKind,
    seed: Text(100),
    size: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10_000 }))),
    sharePercent: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100 }))),
    stratifyByDistrict: Type.Optional(Type.Boolean()),
    stratifyByStars: Type.Optional(Type.Boolean()),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type SpotCheckInput = Static<typeof CreateSpotCheckBody>;

export const CreateFindingBody = Type.Object(
  { communityCode: CommunityCode(), ...Finding, requestId: RequestId },
  { additionalProperties: false },
);
export type FindingInput = Static<typeof CreateFindingBody>;

export const PublicSpotCheckQuery = Type.Object({ seed: Type.Optional(Text(100)) });

export const FindingsQuery = Type.Object({ status: Type.Optional(FindingStatus) });

export const RespondBody = Type.Object({ response: Text(5000) }, { additionalProperties: false });
export const CloseFindingBody = Type.Object({ note: Text(2000) }, { additionalProperties: false });

export const CreateVisitBody = Type.Object(
  {
    communityCode: CommunityCode(),
    visitedOn: IsoDateString,
    aspects: Type.Array(Type.Union([Type.Literal('scope'), Type.Literal('procedure'), Type.Literal('disclosure')]), {
      minItems: 1,
      maxItems: 3,
      description: 'scope 使用范围 · procedure 程序 · disclosure 公开',
    }),
    summary: Text(5000),
    findings: Type.Optional(Type.Array(Type.Object(Finding, { additionalProperties: false }), { maxItems: 20 })),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type VisitInput = Static<typeof CreateVisitBody>;

export const ModelCasesQuery = Type.Object({ fundYear: Type.Optional(FundYear), published: Type.Optional(Type.Boolean()) });

const CasePhoto = Type.Object(
  { name: Text(200), caption: Type.String({ maxLength: 200 }), ref: Type.Optional(Nullable(Type.String({ maxLength: 300 }))) },
  { additionalProperties: false },
);

export const CreateModelCaseBody = Type.Object(
  {
    planProjectId: RowId(),
    title: Text(200),
    body: Text(20_000),
    results: Type.Optional(Type.String({ maxLength: 5000 })),
    photos: Type.Optional(Type.Array(CasePhoto, { maxItems: 30 })),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type ModelCaseInput = Static<typeof CreateModelCaseBody>;

export const PublishModelCaseBody = Type.Object({ published: Type.Boolean() }, { additionalProperties: false });

export const PublicModelCasesQuery = Type.Object({
  fundYear: Type.Optional(FundYear),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});

// ---------------------------------------------------------------- responses

export const FindingView = Type.Object({
  id: Type.Integer(),
  spotCheckId: Nullable(Type.Integer()),
  visitId: Nullable(Type.Integer()),
  source: Type.Union([Type.Literal('spot_check'), Type.Literal('street_visit')]),
  communityCode: Type.String(),
  communityName: Type.String(),
  planProjectId: Nullable(Type.Integer()),
  description: Type.String(),
  demand: Type.String(),
  foundOn: Type.String(),
  workdays: Type.Integer(),
  deadlineOn: Type.String(),
  /** True while the deadline was counted through a year whose holiday notice is not out yet (ADR 0009). */
  deadlineProvisional: Type.Boolean(),
  status: FindingStatus,
  statusLabel: Type.String(),
  overdue: Type.Boolean(),
  response: Nullable(Type.String()),
  respondedOn: Nullable(Type.String()),
  closedOn: Nullable(Type.String()),
  closingNote: Nullable(Type.String()),
});
export type FindingView = Static<typeof FindingView>;

export const FindingListView = Type.Object({ items: Type.Array(FindingView) });

const Stratum = Type.Object({
  stratum: Type.String(),
  /** The stratum named: its district's name and/or star level (和平区 · 4★). */
  label: Type.Optional(Type.String()),
  population: Type.Integer(),
  drawn: Type.Integer(),
});

export const SpotCheckSummary = Type.Object({
  id: Type.Integer(),
  fundYear: Type.Integer(),
  title: Type.String(),
  unit: SampleUnitKind,
  seed: Type.String(),
  size: Nullable(Type.Integer()),
  sharePercent: Nullable(Type.Integer()),
  stratifyByDistrict: Type.Boolean(),
  stratifyByStars: Type.Boolean(),
  populationSize: Type.Integer(),
  sampleSize: Type.Integer(),
  drawnOn: Type.String(),
});
export type SpotCheckSummary = Static<typeof SpotCheckSummary>;

export const SpotCheckListView = Type.Object({
  items: Type.Array(Type.Object({ ...SpotCheckSummary.properties, findings: Type.Integer(), openFindings: Type.Integer() })),
});
export type SpotCheckListView = Static<typeof SpotCheckListView>;

export const SpotCheckView = Type.Object({
  ...SpotCheckSummary.properties,
  /** The sampling method in Chinese; `algorithmEn` in English. */
  algorithm: Type.String(),
  algorithmEn: Type.Optional(Type.String()),
  strata: Type.Array(Stratum),
  sample: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      districtCode: Type.String(),
      communityCode: Type.String({
        description: '所属社区（片区方案为街道）代码 the community (street of an area plan) a finding on it belongs to',
      }),
      stars: Nullable(Type.Integer()),
      stratum: Type.String(),
      stratumLabel: Type.Optional(Type.String()),
    }),
  ),
  findings: Type.Array(FindingView),
});
export type SpotCheckView = Static<typeof SpotCheckView>;

export const PublicSpotCheckView = Type.Object({
  ...SpotCheckSummary.properties,
  algorithm: Type.String(),
  population: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), stratum: Type.String() })),
  sample: Type.Array(Type.String()),
  redraw: Type.Object({
    seed: Type.String(),
    sample: Type.Array(Type.String()),
    strata: Type.Array(Stratum),
    matchesPublished: Type.Boolean(),
  }),
});
export type PublicSpotCheckView = Static<typeof PublicSpotCheckView>;

export const VisitView = Type.Object({
  id: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  visitedOn: Type.String(),
  aspects: Type.Array(Type.String()),
  summary: Type.String(),
  findings: Type.Array(FindingView),
});
export type VisitView = Static<typeof VisitView>;

export const VisitListView = Type.Object({ items: Type.Array(VisitView) });
export type VisitListView = Static<typeof VisitListView>;

export const ModelCaseView = Type.Object({
  id: Type.Integer(),
  planProjectId: Type.Integer(),
  projectTitle: Type.String(),
  fundYear: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  title: Type.String(),
  body: Type.String(),
  results: Type.String(),
  photos: Type.Array(Type.Object({ name: Type.String(), caption: Type.String(), ref: Type.Optional(Nullable(Type.String())) })),
  published: Type.Boolean(),
  publishedOn: Nullable(Type.String()),
});
export type ModelCaseView = Static<typeof ModelCaseView>;

export const ModelCaseListView = Type.Object({ items: Type.Array(ModelCaseView) });
export type ModelCaseListView = Static<typeof ModelCaseListView>;

/** The public list names communities only: the portal links them through its own pages. */
const { communityCode: _communityCode, ...publicCaseProperties } = ModelCaseView.properties;
export const PublicModelCaseView = Type.Object(publicCaseProperties);
export const PublicModelCaseListView = Type.Object({ items: Type.Array(PublicModelCaseView) });
export type PublicModelCaseListView = Static<typeof PublicModelCaseListView>;
