import { Type, type Static } from 'typebox';
import {
  CommunityCode,
  DetectedEncoding,
  FundYear,
  IsoDateString,
  Nullable,
  RequestId,
  RowId,
  UploadContentEncoding,
} from '../../common/schemas.js';
import { CHANNEL_CODES } from './needs.rules.js';

/** Needs collection's request and response schemas [N 3.1.1]; routes and services share them. */

const SerialId = RowId();
export const Channel = Type.Union(
  CHANNEL_CODES.map((c) => Type.Literal(c)),
  {
    description: '一户一票 household_vote · 院落会议 courtyard_meeting · 问卷 questionnaire · 网络投票 online_vote · 实地走访 field_visit',
  },
);
const Questionnaire = Type.Object(
  {
    itemCodes: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), {
      maxItems: 50,
      description: '提升类项目目录编码 enhancement catalogue codes',
    }),
    freeText: Type.Boolean(),
    prompt: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);
const Threshold = Type.Object({ numerator: Type.Integer(), denominator: Type.Integer() });
export const CoverageView = Type.Object({
  reached: Type.Integer(),
  residentHouseholds: Type.Integer(),
  basisPoints: Type.Integer({ description: '万分比 hundredths of a percent' }),
  threshold: Threshold,
  required: Type.Integer(),
  meets: Type.Boolean(),
});
export const CampaignView = Type.Object({
  id: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  fundYear: Type.Integer(),
  title: Type.String(),
  opensOn: Type.String(),
  closesOn: Type.String(),
  channels: Type.Array(Type.String()),
  questionnaire: Type.Object({
    itemCodes: Type.Array(Type.String()),
    freeText: Type.Boolean(),
    prompt: Nullable(Type.String()),
    items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  }),
  allowChanges: Type.Boolean(),
  status: Type.String(),
  acceptingOnline: Type.Boolean(),
  concludedAt: Nullable(Type.String()),
  readyAt: Nullable(Type.String()),
  coverage: CoverageView,
  byChannel: Type.Array(Type.Object({ channel: Type.String(), label: Type.String(), households: Type.Integer() })),
  tally: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), households: Type.Integer() })),
});
export const CampaignResponse = Type.Object({ campaign: CampaignView });
export const CampaignListView = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      communityCode: Type.String(),
      communityName: Type.String(),
      fundYear: Type.Integer(),
      title: Type.String(),
      opensOn: Type.String(),
      closesOn: Type.String(),
      status: Type.String(),
      coverage: CoverageView,
    }),
  ),
});
export const PublicCampaignView = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  fundYear: Type.Integer(),
  communityName: Type.String(),
  districtName: Type.String(),
  streetName: Type.String(),
  opensOn: Type.String(),
  closesOn: Type.String(),
  channels: Type.Array(Type.Object({ code: Type.String(), label: Type.String() })),
  allowChanges: Type.Boolean(),
  status: Type.String(),
  acceptingOnline: Type.Boolean(),
  questionnaire: Type.Object({
    items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), examples: Type.Array(Type.String()) })),
    freeText: Type.Boolean(),
    prompt: Nullable(Type.String()),
  }),
  coverage: Type.Object({ reached: Type.Integer(), residentHouseholds: Type.Integer(), basisPoints: Type.Integer(), threshold: Threshold }),
});
export const ProposalView = Type.Object({
  id: Type.Integer(),
  campaignId: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  catalogueCode: Nullable(Type.String()),
  catalogueName: Nullable(Type.String()),
  estimatedBudgetFen: Nullable(Type.Integer()),
  source: Type.String(),
  status: Type.String(),
  rank: Nullable(Type.Integer()),
  mergedIntoId: Nullable(Type.Integer()),
  screenReason: Nullable(Type.String()),
  householdCount: Type.Integer({ description: '提案背后的不同住户数 distinct households behind it' }),
  opinionIds: Type.Array(Type.Integer()),
});
export const ProposalResponse = Type.Object({ proposal: ProposalView });
export const ProposalListView = Type.Object({ items: Type.Array(ProposalView) });
export const DraftListView = Type.Object({
  campaignId: Type.Integer(),
  communityCode: Type.String(),
  fundYear: Type.Integer(),
  status: Type.String(),
  ready: Type.Boolean(),
  readyAt: Nullable(Type.String()),
  totalBudgetFen: Type.Integer(),
  items: Type.Array(ProposalView),
});
export const SubmitResult = Type.Object({
  opinionId: Type.Integer(),
  householdNo: Type.String(),
  replaced: Type.Boolean(),
  revision: Type.Integer(),
});
export const OpinionListView = Type.Object({
  total: Type.Integer(),
  masked: Type.Boolean(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      householdId: Type.Integer(),
      householdNo: Type.String(),
      address: Type.String(),
      headName: Type.String(),
      channel: Type.String(),
      choices: Type.Array(Type.String()),
      freeText: Nullable(Type.String()),
      enteredBy: Type.String(),
      revision: Type.Integer(),
      createdAt: Type.String(),
      updatedAt: Type.String(),
    }),
  ),
});
export const ImportResult = Type.Object({
  format: Type.String(),
  encoding: DetectedEncoding,
  rows: Type.Integer(),
  created: Type.Integer(),
  replaced: Type.Integer(),
});
export const IssuedCodesView = Type.Object({
  items: Type.Array(Type.Object({ householdNo: Type.String(), address: Type.String(), headName: Type.String(), code: Type.String() })),
});

// ---- requests ----

const Budget = Type.Integer({ minimum: 0, maximum: 100_000_000_000, description: '预算（分） fen' });
const Page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
};

export const PublicSubmissionBody = Type.Object(
  {
    householdNo: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    headName: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    phoneLast4: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
    code: Type.Optional(Type.String({ minLength: 4, maxLength: 20 })),
    choices: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50 }),
    freeText: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export const CampaignListQuery = Type.Object({ communityCode: Type.Optional(CommunityCode()), fundYear: Type.Optional(FundYear), ...Page });
export const CreateCampaignBody = Type.Object(
  {
    communityCode: CommunityCode(),
    fundYear: FundYear,
    title: Type.String({ minLength: 1, maxLength: 100 }),
    opensOn: IsoDateString,
    closesOn: IsoDateString,
    channels: Type.Array(Channel, { minItems: 1, maxItems: 5 }),
    questionnaire: Questionnaire,
    allowChanges: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UpdateCampaignBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    opensOn: Type.Optional(IsoDateString),
    closesOn: Type.Optional(IsoDateString),
    channels: Type.Optional(Type.Array(Channel, { minItems: 1, maxItems: 5 })),
    questionnaire: Type.Optional(Questionnaire),
    allowChanges: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const OpinionListQuery = Type.Object({
  channel: Type.Optional(Channel),
  householdNo: Type.Optional(Type.String({ maxLength: 40, description: '户号（部分匹配） household number, part of it' })),
  ...Page,
});
export const EnterOpinionBody = Type.Object(
  {
    householdNo: Type.String({ minLength: 1, maxLength: 30 }),
    channel: Channel,
    choices: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50 }),
    freeText: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export const ImportOpinionsBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
    content: Type.String({
      minLength: 1,
      maxLength: 8_000_000,
      description: 'CSV 文本，或 base64 的文件字节（CSV 为 UTF-8 或 GBK/GB18030，自动识别；或 .xlsx）',
    }),
    contentEncoding: UploadContentEncoding,
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export const IssueCodesBody = Type.Object(
  { householdNos: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 10000 })) },
  { additionalProperties: false },
);
export const CreateProposalBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    catalogueCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
    estimatedBudgetFen: Type.Optional(Nullable(Budget)),
    opinionIds: Type.Optional(Type.Array(SerialId, { maxItems: 10000 })),
  },
  { additionalProperties: false },
);
export const UpdateProposalBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    catalogueCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
    estimatedBudgetFen: Type.Optional(Nullable(Budget)),
    opinionIds: Type.Optional(Type.Array(SerialId, { maxItems: 10000, description: '追加关联的意见 opinions to link' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const MergeProposalsBody = Type.Object(
  { targetId: SerialId, sourceIds: Type.Array(SerialId, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);
export const ScreenProposalBody = Type.Object(
  { decision: Type.Union([Type.Literal('reject'), Type.Literal('restore')]), reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export const DraftListBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          proposalId: SerialId,
          catalogueCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
          estimatedBudgetFen: Type.Optional(Nullable(Budget)),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export type CoverageView = Static<typeof CoverageView>;
export type CampaignView = Static<typeof CampaignView>;
export type CampaignListView = Static<typeof CampaignListView>;
export type PublicCampaignView = Static<typeof PublicCampaignView>;
export type ProposalView = Static<typeof ProposalView>;
export type DraftListView = Static<typeof DraftListView>;
export type SubmitResult = Static<typeof SubmitResult>;
export type OpinionListView = Static<typeof OpinionListView>;
export type ImportResult = Static<typeof ImportResult>;
export type IssuedCodesView = Static<typeof IssuedCodesView>;
export type ProposalCreate = Static<typeof CreateProposalBody>;
export type ProposalListView = Static<typeof ProposalListView>;
