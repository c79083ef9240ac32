import { Type, type Static } from 'typebox';
import { FundYear } from '../../common/schemas.js';

const Fraction = (description: string) =>
  Type.Object(
    { numerator: Type.Integer({ minimum: 0 }), denominator: Type.Integer({ minimum: 1 }) },
    { additionalProperties: false, description },
  );
const MajorityRule = (description: string) =>
  Type.Object(
    {
      numerator: Type.Integer({ minimum: 0 }),
      denominator: Type.Integer({ minimum: 1 }),
      /** true: strictly more than the fraction (过半数); false: at least the fraction. */
      strict: Type.Boolean(),
    },
    { additionalProperties: false, description },
  );
/** A day every year has (or 29 February): 02-30 and 04-31 are refused. */
const MonthDay = Type.String({
  pattern: '^(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2[0-9])|(?:0[13-9]|1[0-2])-30|(?:0[13578]|1[02])-31)$',
  description: 'MM-DD',
});
const CatalogueItem = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 20 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    examples: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
  },
  { additionalProperties: false },
);

/** Every number of the notice for one fund year. Rules read these; no rule reads a literal. */
export const PolicyDocument = Type.Object(
  {
    fundYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    /** [N 1] Allocation for year Y follows the rating of this year (Y-1). */
    ratingYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    title: Type.String({ maxLength: 200 }),
    /** [N 1] quota and amount per star level; [N 2.1.2] enhancement minimum per level. */
    tiers: Type.Array(
      Type.Object(
        {
          stars: Type.Integer({ minimum: 1, maximum: 5 }),
          quota: Type.Integer({ minimum: 0, maximum: 100000 }),
          amountFen: Type.Integer({ minimum: 0, maximum: 100_000_000_000 }),
          enhancementMin: Type.Integer({ minimum: 0, maximum: 100 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 5 },
    ),
    /** [N 2.1.2] Whether the enhancement minimum counts projects or distinct types. */
    enhancementMinCounts: Type.Union([Type.Literal('projects'), Type.Literal('types')]),
    /** [N 2.1.1] Catalogue codes of the mandatory basic projects. */
    basicItems: Type.Array(Type.String({ minLength: 1 }), { maxItems: 20 }),
    /** [N 3.1.1(1)] Households reached ÷ resident households must reach this share. */
    needsCoverage: Fraction('needs coverage threshold'),
    /** [N 3.1.2(1)] Public notice length in days. */
    noticeDays: Type.Integer({ minimum: 1, maximum: 90 }),
    /** [N 3.1.2(1)] Objections from this share of representatives (or more) void the decision. */
    objectionShare: Fraction('objection threshold'),
    /** [N 3.1.2(1)] Working days after the window's end during which a paper objection received in the window may still be entered. */
    objectionEntryGraceWorkdays: Type.Integer({ minimum: 0, maximum: 30 }),
    /** [N 3.1.2(2)] Street preliminary review, in working days. */
    reviewWorkdays: Type.Integer({ minimum: 1, maximum: 60 }),
    /** [N 3.2] Evaluation due dates within the fund year. */
    midEvaluationDue: MonthDay,
    finalEvaluationDue: MonthDay,
    /** [L] 城市居民委员会组织法 §9: quorum of council members present. */
    councilQuorum: MajorityRule('council quorum (share of members present)'),
    /** [L] A project passes with this share of the members present. */
    councilPass: MajorityRule('council pass rule (share of those present)'),
    /** [N 4.2] Calendar days after its trigger within which a disclosure counts as on time. */
    disclosureGraceDays: Type.Integer({ minimum: 0, maximum: 60 }),
    /** [N 3.1.3] Below this a small-amount direct purchase is allowed. */
    smallPurchaseThresholdFen: Type.Integer({ minimum: 0, maximum: 100_000_000_000 }),
    /** [L] Negative list, matched against project names and content (with synonyms). */
    prohibitedUses: Type.Array(
      Type.Object(
        {
          code: Type.String({ minLength: 1 }),
          label: Type.String({ minLength: 1 }),
          keywords: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 1, maxItems: 50 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    /** [N 2.1] Project catalogue (reference items per type). */
    catalogue: Type.Object(
      { basic: Type.Array(CatalogueItem, { maxItems: 50 }), enhancement: Type.Array(CatalogueItem, { maxItems: 50 }) },
      { additionalProperties: false },
    ),
    /** [N 3.2] Weighted evaluation rubric; weights sum to 100. */
    evaluationRubric: Type.Array(
      Type.Object(
        { code: Type.String({ minLength: 1 }), label: Type.String({ minLength: 1 }), weight: Type.Integer({ minimum: 0, maximum: 100 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    /** [N 3.2] Minimum weighted score (0–100) for 优秀 / 良好 / 合格; below pass is 不合格. */
    gradeThresholds: Type.Object(
      {
        excellent: Type.Integer({ minimum: 0, maximum: 100 }),
        good: Type.Integer({ minimum: 0, maximum: 100 }),
        pass: Type.Integer({ minimum: 0, maximum: 100 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PolicyDocument = Static<typeof PolicyDocument>;

export const YearParam = Type.Object({ year: FundYear });

export const PolicyView = Type.Object({ year: Type.Integer(), updatedAt: Type.String(), document: PolicyDocument });
export type PolicyView = Static<typeof PolicyView>;

export const PolicyYearView = Type.Object({ year: Type.Integer(), updatedAt: Type.String() });
export type PolicyYearView = Static<typeof PolicyYearView>;

export const PolicyYearListView = Type.Object({ items: Type.Array(PolicyYearView) });

export const UpdatePolicyBody = Type.Object({ document: PolicyDocument }, { additionalProperties: false });

export const CopyPolicyBody = Type.Object({ toYear: FundYear }, { additionalProperties: false });
