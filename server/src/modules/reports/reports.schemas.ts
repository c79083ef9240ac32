import { Type, type Static } from 'typebox';
import { FundYear, Nullable, RegionCode } from '../../common/schemas.js';

// ---------------------------------------------------------------- requests

/** EVALUATION_KINDS of the evaluation tables, spelled out so that the type is exact. */
export const ReportKind = Type.Union([Type.Literal('midterm'), Type.Literal('final')], { description: 'midterm 中期 · final 终期' });

export const ReportsQuery = Type.Object({ fundYear: Type.Optional(FundYear), kind: Type.Optional(ReportKind) });

export const CreateReportBody = Type.Object(
  { fundYear: FundYear, kind: ReportKind, districtCode: Type.String({ pattern: '^\\d{6}$' }) },
  { additionalProperties: false },
);

export const UpdateReportBody = Type.Object({ narrative: Type.String({ maxLength: 50_000 }) }, { additionalProperties: false });

export const AcknowledgeReportBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

/** Districts sent per page by default: a national dashboard has 2,800 (ADR 0023). */
export const DASHBOARD_DISTRICTS_PER_PAGE = 100;

export const DashboardQuery = Type.Object({
  fundYear: FundYear,
  code: Type.Optional(RegionCode('下钻区域 drill-down region')),
  districtOffset: Type.Optional(Type.Integer({ minimum: 0, description: '各区列表从第几个区起 first district of the page (0-based)' })),
  districtLimit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 500, description: `每页区数 districts per page (default ${DASHBOARD_DISTRICTS_PER_PAGE})` }),
  ),
});

// ---------------------------------------------------------------- responses

const Grade = Type.Union([Type.Literal('excellent'), Type.Literal('good'), Type.Literal('pass'), Type.Literal('fail')]);
const ByGrade = Type.Object({ excellent: Type.Integer(), good: Type.Integer(), pass: Type.Integer(), fail: Type.Integer() });

export const ReportSummary = Type.Object({
  id: Type.Integer(),
  fundYear: Type.Integer(),
  kind: ReportKind,
  kindLabel: Type.String(),
  districtCode: Type.String(),
  districtName: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('filed'), Type.Literal('acknowledged')]),
  statusLabel: Type.String(),
  filedOn: Nullable(Type.String()),
  acknowledgedOn: Nullable(Type.String()),
  acknowledgementNote: Nullable(Type.String()),
});
export type ReportSummary = Static<typeof ReportSummary>;

export const ReportListView = Type.Object({ items: Type.Array(ReportSummary) });
export type ReportListView = Static<typeof ReportListView>;

/** [N 3.2] The figures of a report: compiled live while a draft, frozen when filed. */
export const ReportFiguresView = Type.Object({
  projectsFiled: Type.Integer(),
  budgetFiledFen: Type.Integer(),
  communitiesFiled: Type.Integer(),
  assigned: Type.Integer(),
  thirdParty: Type.Integer(),
  reviewMeetings: Type.Integer(),
  concluded: Type.Integer(),
  outstanding: Type.Integer(),
  budgetEvaluatedFen: Type.Integer(),
  communitiesEvaluated: Type.Integer(),
  coveragePermille: Type.Integer(),
  peopleCovered: Type.Integer(),
  averageScoreBp: Nullable(Type.Integer()),
  byGrade: ByGrade,
  problems: Type.Array(
    Type.Object({
      assignmentId: Type.Integer(),
      projectTitle: Type.String(),
      communityName: Type.String(),
      grade: Nullable(Grade),
      problems: Type.String(),
    }),
  ),
});

export const ReportView = Type.Object({
  ...ReportSummary.properties,
  narrative: Type.String(),
  round: Nullable(Type.Object({ id: Type.Integer(), dueOn: Type.String(), openedOn: Type.String() })),
  figures: ReportFiguresView,
  frozen: Type.Boolean(),
  gradeLabels: Type.Record(Type.String(), Type.String()),
  assignments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      projectTitle: Type.String(),
      communityName: Type.String(),
      budgetFen: Type.Integer(),
      method: Type.String(),
      status: Type.String(),
      score: Nullable(Type.String()),
      grade: Nullable(Grade),
      gradeLabel: Nullable(Type.String()),
      problems: Type.String(),
    }),
  ),
});
export type ReportView = Static<typeof ReportView>;

const Money = { allocated: Type.Integer(), committed: Type.Integer(), paid: Type.Integer(), available: Type.Integer() };
const Overdue = Type.Object({
  reviews: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), reviewDueOn: Nullable(Type.String()), link: Type.String() })),
  evaluationRounds: Type.Array(
    Type.Object({
      id: Type.Integer(),
      districtName: Type.String(),
      kindLabel: Type.String(),
      dueOn: Type.String(),
      outstanding: Type.Integer(),
      link: Type.String(),
    }),
  ),
  findings: Type.Array(
    Type.Object({
      id: Type.Integer(),
      communityName: Type.String(),
      deadlineOn: Type.String(),
      description: Type.String(),
      link: Type.String(),
    }),
  ),
});
const GradeSummary = Type.Object({ ...ByGrade.properties, outstanding: Type.Integer() });

/**
 * The city dashboard. The route sends it as JSON text serialised once per kept result (a
 * national dashboard runs to megabytes), so this schema documents the answer; it does not filter it.
 */
export const DashboardView = Type.Object({
  fundYear: Type.Integer(),
  region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
  today: Type.String(),
  funnel: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), communities: Type.Integer() })),
  byDistrict: Type.Array(
    Type.Object({
      districtCode: Type.String(),
      districtName: Type.String(),
      steps: Type.Array(Type.Object({ key: Type.String(), communities: Type.Integer() })),
    }),
  ),
  communities: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      streetName: Type.String(),
      districtCode: Type.String(),
      districtName: Type.String(),
      stars: Type.Integer(),
      step: Type.Integer(),
      stepKey: Type.String(),
      stepLabel: Type.String(),
    }),
  ),
  /** The page of districts sent in byDistrict and money.byDistrict; the funnel and totals count every district. */
  districtPage: Type.Object({ offset: Type.Integer(), limit: Type.Integer(), total: Type.Integer() }),
  money: Type.Object({
    levels: Type.Array(Type.Integer()),
    /** Every district's money summed (not only the page's). */
    total: Type.Object(Money),
    byDistrict: Type.Array(
      Type.Object({
        districtCode: Type.String(),
        districtName: Type.String(),
        byStars: Type.Array(Type.Object({ stars: Type.Integer(), communities: Type.Integer(), ...Money })),
        total: Type.Object(Money),
      }),
    ),
  }),
  byType: Type.Array(
    Type.Object({
      catalogueCode: Type.String(),
      category: Type.String(),
      projects: Type.Integer(),
      budgetFen: Type.Integer(),
      contractedFen: Type.Integer(),
      name: Type.String(),
    }),
  ),
  grades: Type.Object({ midterm: GradeSummary, final: GradeSummary }),
  overdue: Overdue,
});
export type DashboardView = Static<typeof DashboardView>;
