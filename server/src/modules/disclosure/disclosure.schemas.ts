import { Type, type Static } from 'typebox';
import { CommunityCode, FundYear, IsoDateString, Nullable, RowId } from '../../common/schemas.js';

// ---------------------------------------------------------------- requests

export const YearQuery = Type.Object({ year: Type.Optional(FundYear) }, { additionalProperties: false });

/** A city (4), district (6), street (9) or community (12) code: the portal's stricter pattern. */
const PortalRegionCode = Type.String({ pattern: '^\\d{4}(\\d{2}(\\d{3}(\\d{3})?)?)?$', description: '区划代码 region code' });

export const PortalRegionParams = Type.Object({ code: PortalRegionCode });
export const PortalCommunityParams = Type.Object({ code: CommunityCode() });
export const PortalProjectParams = Type.Object({ id: RowId() });
export const SearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 30 }) }, { additionalProperties: false });

export const OcdsParams = Type.Object({ year: FundYear });
export const OpenDataFileParams = Type.Object({
  year: FundYear,
  file: Type.String({ pattern: '^(allocations|projects|notices|contracts|payments|evaluations)\\.(csv|xlsx|json)$' }),
});

export const MonitorQuery = Type.Object(
  { year: Type.Optional(FundYear), code: Type.Optional(PortalRegionCode) },
  { additionalProperties: false },
);

/** RECORDED_KINDS of disclosure.rules.ts, spelled out so that the type is exact. */
const RecordedKind = Type.Union(
  [
    Type.Literal('plan'),
    Type.Literal('contracts'),
    Type.Literal('progress'),
    Type.Literal('midterm'),
    Type.Literal('final'),
    Type.Literal('payments'),
  ],
  { description: 'plan 方案 · contracts 合同 · progress 进展 · midterm 中期结果 · final 终期结果 · payments 拨付' },
);

export const RecordDisclosureBody = Type.Object(
  {
    communityCode: CommunityCode(),
    fundYear: FundYear,
    kind: RecordedKind,
    publishedOn: IsoDateString,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.Optional(Nullable(Type.String({ maxLength: 1000, pattern: '^(https?://|/)' }))),
  },
  { additionalProperties: false },
);
export type DisclosureRecordInput = Static<typeof RecordDisclosureBody>;

// ---------------------------------------------------------------- portal responses (public: no personal data)

export const PortalRegionView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]),
  kind: Type.String(),
  parentCode: Nullable(Type.String()),
  communityCount: Type.Integer(),
});
export type PortalRegionView = Static<typeof PortalRegionView>;

const Money = { allocatedFen: Type.Integer(), committedFen: Type.Integer(), paidFen: Type.Integer(), fundedCommunities: Type.Integer() };

export const RegionPageView = Type.Object({
  years: Type.Array(Type.Integer()),
  fundYear: Type.Integer(),
  region: PortalRegionView,
  ancestors: Type.Array(PortalRegionView),
  totals: Type.Object(Money),
  children: Type.Array(Type.Object({ ...PortalRegionView.properties, ...Money })),
});
export type RegionPageView = Static<typeof RegionPageView>;

const Coverage = Type.Object({
  reached: Type.Integer(),
  residentHouseholds: Type.Integer(),
  basisPoints: Type.Integer(),
  threshold: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer() }),
});

export const PublicNoticeRow = Type.Object({
  id: Type.Integer(),
  round: Type.Integer(),
  postedOn: Type.String(),
  windowEnd: Type.String(),
  status: Type.String(),
  daysLeft: Type.Integer(),
  objectors: Type.Integer(),
  objectorsNeeded: Type.Integer(),
  totalBudgetFen: Type.Integer(),
  projectCount: Type.Integer(),
  link: Type.String(),
});

export const PublicContractView = Type.Object({
  id: Type.Integer(),
  ref: Type.String(),
  title: Type.String(),
  amountFen: Type.Integer(),
  signedOn: Nullable(Type.String()),
  startsOn: Type.String(),
  endsOn: Type.String(),
  status: Type.String(),
  provider: Nullable(Type.Object({ name: Type.String(), kind: Type.String(), creditCode: Type.String() })),
  projectIds: Type.Array(Type.Integer()),
  paidFen: Type.Integer(),
  instalments: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      conditionLabel: Type.String(),
      amountFen: Type.Integer(),
      status: Type.String(),
      paidOn: Nullable(Type.String()),
    }),
  ),
  /** [N 3.2] Set when a 不合格 final evaluation voided the unpaid instalments; releasedFen went back to the community. */
  remainderVoidedOn: Nullable(Type.String()),
  remainderVoidReason: Nullable(Type.String()),
  releasedFen: Type.Integer(),
  /** [N 2.3] An area contract: each member community's part, funded from its own allocation, and what was paid of it. */
  shares: Type.Array(Type.Object({ communityCode: Type.String(), amountFen: Type.Integer(), paidFen: Type.Integer() })),
});
export type PublicContractView = Static<typeof PublicContractView>;

export const PublicPaymentView = Type.Object({
  contractId: Type.Integer(),
  contractRef: Type.String(),
  providerName: Type.String(),
  seq: Type.Integer(),
  amountFen: Type.Integer(),
  paidOn: Nullable(Type.String()),
});

export const PublicEvaluationView = Type.Object({
  contractId: Nullable(Type.Integer()),
  projectId: Nullable(Type.Integer()),
  /** The evaluated project's title, so that every line names its project. */
  projectTitle: Type.String(),
  stage: Type.Union([Type.Literal('midterm'), Type.Literal('final')]),
  grade: Type.String(),
  evaluatedOn: Type.String(),
  evaluatorName: Type.String(),
});
export type PublicEvaluationView = Static<typeof PublicEvaluationView>;

/** [N 3.2] Final evaluations over all filed projects of the community's fund year. */
export const EvaluationProgressView = Type.Object({
  projects: Type.Integer(),
  midtermEvaluated: Type.Integer(),
  finalEvaluated: Type.Integer(),
  label: Nullable(Type.String({ description: '“9 个项目中 1 个完成终期评估”；尚无备案项目时为 null' })),
  clause: Type.String(),
});

/** The portal's public settings: the address printed on QR posters and share links (`PUBLIC_BASE_URL`). */
export const PublicSiteView = Type.Object({
  publicBaseUrl: Type.String({ description: '对外地址（PUBLIC_BASE_URL），无末尾斜杠' }),
});
export type PublicSiteView = Static<typeof PublicSiteView>;

export const PublicModelCaseSummary = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  summary: Type.String(),
  publishedOn: Type.String(),
  projectId: Nullable(Type.Integer()),
});
export type PublicModelCaseSummary = Static<typeof PublicModelCaseSummary>;

/** One required disclosure of a community (DisclosureItem of disclosure.rules.ts) with its stage's label. */
export const DisclosureItemView = Type.Object({
  kind: Type.String(),
  stage: Type.String(),
  stageLabel: Type.String(),
  label: Type.String(),
  triggeredOn: Nullable(Type.String()),
  dueOn: Nullable(Type.String()),
  publishedOn: Nullable(Type.String()),
  status: Type.Union([
    Type.Literal('not_due'),
    Type.Literal('due'),
    Type.Literal('published'),
    Type.Literal('late'),
    Type.Literal('missing'),
  ]),
  flagged: Type.Boolean(),
  clause: Type.String(),
});

const Step = Type.Object({ code: Type.String(), label: Type.String() });

export const CommunityPageView = Type.Object({
  community: Type.Object({ ...PortalRegionView.properties, stars: Nullable(Type.Integer()), ratingYear: Type.Integer() }),
  ancestors: Type.Array(PortalRegionView),
  years: Type.Array(Type.Integer()),
  fundYear: Type.Integer(),
  step: Step,
  steps: Type.Array(Step),
  allocation: Nullable(
    Type.Object({ allocatedFen: Type.Integer(), committedFen: Type.Integer(), paidFen: Type.Integer(), availableFen: Type.Integer() }),
  ),
  needs: Nullable(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      opensOn: Type.String(),
      closesOn: Type.String(),
      status: Type.String(),
      acceptingOnline: Type.Boolean(),
      coverage: Coverage,
      link: Type.String(),
    }),
  ),
  decision: Nullable(
    Type.Object({
      status: Type.String(),
      round: Type.Integer(),
      decidedOn: Nullable(Type.String()),
      projects: Type.Array(
        Type.Object({
          decisionProjectId: Type.Integer(),
          title: Type.String(),
          catalogueCode: Type.String(),
          category: Type.String(),
          estimatedBudgetFen: Type.Integer(),
          votesFor: Type.Integer(),
          votesAgainst: Type.Integer(),
          votesAbstain: Type.Integer(),
        }),
      ),
    }),
  ),
  notices: Type.Array(PublicNoticeRow),
  plan: Nullable(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      kind: Type.String(),
      status: Type.String(),
      filingLevel: Nullable(Type.String()),
      submittedOn: Nullable(Type.String()),
      filedOn: Nullable(Type.String()),
      projectCount: Type.Integer(),
      projects: Type.Array(
        Type.Object({
          id: Type.Integer(),
          title: Type.String(),
          content: Type.String(),
          catalogueCode: Type.String(),
          category: Type.String(),
          budgetFen: Type.Integer(),
          link: Type.String(),
        }),
      ),
    }),
  ),
  contracts: Type.Array(PublicContractView),
  payments: Type.Array(PublicPaymentView),
  evaluations: Type.Array(PublicEvaluationView),
  evaluationProgress: EvaluationProgressView,
  modelCases: Type.Array(PublicModelCaseSummary),
  disclosures: Type.Array(DisclosureItemView),
});
export type CommunityPageView = Static<typeof CommunityPageView>;

export const ProjectPageView = Type.Object({
  project: Type.Object({
    id: Type.Integer(),
    title: Type.String(),
    content: Type.String(),
    catalogueCode: Type.String(),
    category: Type.String(),
    budgetFen: Type.Integer(),
    fundYear: Type.Integer(),
    providerKind: Type.String(),
  }),
  community: PortalRegionView,
  ancestors: Type.Array(PortalRegionView),
  communities: Type.Array(PortalRegionView),
  trail: Type.Object({
    needs: Nullable(
      Type.Object({
        campaignId: Type.Integer(),
        title: Type.String(),
        opensOn: Type.String(),
        closesOn: Type.String(),
        coverage: Coverage,
        households: Nullable(Type.Integer()),
        opinions: Nullable(Type.Integer()),
      }),
    ),
    decision: Nullable(
      Type.Object({
        decidedOn: Nullable(Type.String()),
        votesFor: Type.Integer(),
        votesAgainst: Type.Integer(),
        votesAbstain: Type.Integer(),
        estimatedBudgetFen: Type.Integer(),
      }),
    ),
    notices: Type.Array(PublicNoticeRow),
    plan: Nullable(
      Type.Object({ id: Type.Integer(), title: Type.String(), filedOn: Nullable(Type.String()), filingLevel: Nullable(Type.String()) }),
    ),
    contracts: Type.Array(PublicContractView),
    payments: Type.Array(PublicPaymentView),
    evaluations: Type.Array(PublicEvaluationView),
    modelCases: Type.Array(PublicModelCaseSummary),
  }),
});
export type ProjectPageView = Static<typeof ProjectPageView>;

export const SearchView = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      streetCode: Type.String(),
      streetName: Type.String(),
      districtCode: Type.String(),
      districtName: Type.String(),
    }),
  ),
});
export type SearchView = Static<typeof SearchView>;

export const AuditDaysView = Type.Object({
  today: Type.String(),
  algorithm: Type.String(),
  days: Type.Array(
    Type.Object({
      day: Type.String(),
      firstSeq: Type.Integer(),
      lastSeq: Type.Integer(),
      events: Type.Integer(),
      headHash: Type.String(),
      complete: Type.Boolean(),
    }),
  ),
});
export type AuditDaysView = Static<typeof AuditDaysView>;

// ---------------------------------------------------------------- open data responses

export const OpenDataIndexView = Type.Object({
  license: Type.String(),
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      files: Type.Array(Type.Object({ dataset: Type.String(), format: Type.String(), url: Type.String() })),
      ocds: Type.String(),
    }),
  ),
});
export type OpenDataIndexView = Static<typeof OpenDataIndexView>;

/**
 * An OCDS 1.1 release package: its shape is the Open Contracting Data Standard's
 * (https://standard.open-contracting.org/1.1/en/schema/release_package/), not ours. Declared
 * permissive on purpose, so that the document goes out exactly as built (byte-identical content).
 */
export const OcdsReleasePackage = Type.Object({}, { additionalProperties: true, description: 'OCDS 1.1 release package' });

/** A dataset file (csv text, xlsx bytes, or JSON text), sent as it is. */
export const OpenDataFile = Type.Unknown({ description: 'text/csv · xlsx · application/json' });

// ---------------------------------------------------------------- monitoring responses

export const MonitorView = Type.Object({
  fundYear: Type.Integer(),
  today: Type.String(),
  region: PortalRegionView,
  flagged: Type.Integer(),
  communities: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      streetName: Type.String(),
      items: Type.Array(DisclosureItemView),
      flagged: Type.Integer(),
    }),
  ),
});
export type MonitorView = Static<typeof MonitorView>;

export const DisclosureRecordView = Type.Object({
  id: Type.Integer(),
  communityCode: Type.String(),
  fundYear: Type.Integer(),
  kind: Type.String(),
  publishedOn: Type.String(),
  title: Type.String(),
  url: Nullable(Type.String()),
});
export type DisclosureRecordView = Static<typeof DisclosureRecordView>;
