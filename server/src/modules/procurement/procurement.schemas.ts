import { Type, type Static } from 'typebox';
import {
  CommunityCode,
  FenAmount,
  FundYear,
  IsoDateString,
  Literals,
  Nullable,
  RegionCode,
  RequestId,
  RowId,
  Text,
} from '../../common/schemas.js';
import { INSTALMENT_CONDITIONS, PROCUREMENT_METHODS, PROVIDER_KINDS } from './procurement.rules.js';

// ================================================================ shared pieces

export const ProviderKindSchema = Literals(
  PROVIDER_KINDS,
  '社工站 social_work_station · 社会组织 social_organisation · 高校科研院所 university',
);
export const ProcurementMethodSchema = Literals(
  PROCUREMENT_METHODS,
  '公开招标 public_tender · 邀请招标 invited_tender · 竞争性谈判 competitive_negotiation · 竞争性磋商 competitive_consultation · 单一来源 single_source · 询价 inquiry · 小额直接采购 small_direct',
);
export const InstalmentConditionSchema = Literals(
  INSTALMENT_CONDITIONS,
  '合同签订后 on_signing · 中期评估合格后 after_midterm_passed · 终期评估合格后 after_final_passed · 约定日期 on_date',
);
export const CONTRACT_STATUSES = ['draft', 'signed', 'completed', 'cancelled'] as const;
export const ContractStatusSchema = Literals(CONTRACT_STATUSES);
export const PaymentRequestStatusSchema = Literals(['requested', 'approved', 'rejected'] as const);
const InstalmentStatusSchema = Literals(['open', 'requested', 'paid', 'void'] as const);
const PurchaserKindSchema = Literals(['community', 'street'] as const);
const IneligibilitySourceSchema = Literals(['final_evaluation', 'manual'] as const);

const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};
const ProviderRegionCode = Type.Optional(Nullable(RegionCode()));

export const ContactSchema = Type.Object(
  { name: Text(30), phone: Type.String({ pattern: '^[0-9+\\-]{5,20}$' }), title: Type.Optional(Nullable(Type.String({ maxLength: 30 }))) },
  { additionalProperties: false },
);
export const QualificationInput = Type.Object(
  {
    name: Text(100),
    issuer: Type.Optional(Type.String({ maxLength: 100 })),
    number: Type.Optional(Type.String({ maxLength: 60 })),
    validUntil: Type.Optional(Nullable(IsoDateString)),
  },
  { additionalProperties: false },
);
export const DocumentRefSchema = Type.Object(
  { name: Text(200), kind: Text(40), ref: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) },
  { additionalProperties: false },
);
export const CandidateInput = Type.Object(
  {
    providerId: Nullable(RowId('登记的承接主体 registered provider')),
    name: Text(100),
    quoteFen: Type.Optional(Nullable(FenAmount({ description: '报价（分） quote in fen' }))),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const InstalmentInput = Type.Object(
  { condition: InstalmentConditionSchema, amountFen: FenAmount({ minimum: 1 }), dueOn: Type.Optional(Nullable(IsoDateString)) },
  { additionalProperties: false },
);

// ================================================================ providers

export const ProvidersQuery = Type.Object({
  year: Type.Optional(FundYear),
  kind: Type.Optional(ProviderKindSchema),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  ...Paging,
});
export type ProvidersQuery = Static<typeof ProvidersQuery>;
export const ProviderYearQuery = Type.Object({ year: Type.Optional(FundYear) });

export const CreateProviderBody = Type.Object(
  {
    name: Text(100),
    kind: ProviderKindSchema,
    creditCode: Type.String({ minLength: 1, maxLength: 30 }),
    registrationAuthority: Text(100),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    regionCode: ProviderRegionCode,
    contacts: Type.Array(ContactSchema, { minItems: 1, maxItems: 10 }),
    qualifications: Type.Optional(Type.Array(QualificationInput, { maxItems: 30 })),
  },
  { additionalProperties: false },
);
export type CreateProviderBody = Static<typeof CreateProviderBody>;

export const UpdateProviderBody = Type.Object(
  {
    name: Type.Optional(Text(100)),
    registrationAuthority: Type.Optional(Text(100)),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    regionCode: ProviderRegionCode,
    contacts: Type.Optional(Type.Array(ContactSchema, { minItems: 1, maxItems: 10 })),
    qualifications: Type.Optional(Type.Array(QualificationInput, { maxItems: 30 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProviderBody = Static<typeof UpdateProviderBody>;

export const CreateProviderAccountBody = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,39}$', description: '小写字母、数字、._-' }),
    displayName: Type.Optional(Text(100)),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type CreateProviderAccountBody = Static<typeof CreateProviderAccountBody>;

export const IneligibilityBody = Type.Object(
  { year: FundYear, reason: Text(300), sourceRef: Type.Optional(Nullable(Type.String({ maxLength: 100 }))) },
  { additionalProperties: false },
);
export type IneligibilityBody = Static<typeof IneligibilityBody>;

const IneligibilityRecordView = Type.Object({
  year: Type.Integer(),
  reason: Type.String(),
  source: IneligibilitySourceSchema,
  sourceRef: Nullable(Type.String()),
});

/** [N 3.2] Whether a provider may be contracted in a year, with the reasons when not. */
export const EligibilityView = Type.Object({
  eligible: Type.Boolean(),
  year: Type.Integer(),
  reasons: Type.Array(IneligibilityRecordView),
});

export const ProviderView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: ProviderKindSchema,
  kindLabel: Type.String(),
  creditCode: Type.String(),
  registrationAuthority: Type.String(),
  address: Type.String(),
  regionCode: Nullable(Type.String()),
  contacts: Type.Array(Type.Object({ name: Type.String(), phone: Type.String(), title: Type.Optional(Nullable(Type.String())) })),
  qualifications: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      issuer: Type.String(),
      number: Type.String(),
      validUntil: Nullable(Type.String()),
    }),
  ),
  ineligibilities: Type.Array(
    Type.Object({
      id: Type.Integer(),
      year: Type.Integer(),
      reason: Type.String(),
      source: IneligibilitySourceSchema,
      sourceRef: Nullable(Type.String()),
    }),
  ),
  eligibility: EligibilityView,
});
export type ProviderView = Static<typeof ProviderView>;

export const ProviderListView = Type.Object({ total: Type.Integer(), items: Type.Array(ProviderView) });
export type ProviderListView = Static<typeof ProviderListView>;

export const ProviderAccountView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Type.Literal('provider'),
  orgId: Type.Integer(),
});
export type ProviderAccountView = Static<typeof ProviderAccountView>;

// ================================================================ procurements

export const ProcurementsQuery = Type.Object({ fundYear: Type.Optional(FundYear), ...Paging });
export type ProcurementsQuery = Static<typeof ProcurementsQuery>;

export const CreateProcurementBody = Type.Object(
  {
    fundYear: FundYear,
    purchaserCode: Type.String({ pattern: '^\\d{9}(\\d{3})?$', description: '社区或街道代码 community or street code' }),
    method: ProcurementMethodSchema,
    projectIds: Type.Array(RowId(), { minItems: 1, maxItems: 50 }),
    candidates: Type.Array(CandidateInput, { minItems: 1, maxItems: 30 }),
    selectedProviderId: RowId(),
    selectionReason: Text(1000),
    documents: Type.Optional(Type.Array(DocumentRefSchema, { maxItems: 30 })),
    decidedOn: IsoDateString,
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type CreateProcurementBody = Static<typeof CreateProcurementBody>;

export const ProcurementView = Type.Object({
  id: Type.Integer(),
  fundYear: Type.Integer(),
  purchaserKind: PurchaserKindSchema,
  purchaserCode: Type.String(),
  regionPath: Type.String(),
  method: ProcurementMethodSchema,
  methodLabel: Type.String(),
  projectIds: Type.Array(Type.Integer()),
  budgetFen: Type.Integer(),
  candidates: Type.Array(
    Type.Object({ providerId: Nullable(Type.Integer()), name: Type.String(), quoteFen: Nullable(Type.Integer()), note: Type.String() }),
  ),
  selectedProviderId: Type.Integer(),
  selectedProviderName: Type.String(),
  selectionReason: Type.String(),
  documents: Type.Array(Type.Object({ name: Type.String(), kind: Type.String(), ref: Nullable(Type.String()) })),
  decidedOn: Type.String(),
  createdAt: Type.String(),
});
export type ProcurementView = Static<typeof ProcurementView>;

export const ProcurementListView = Type.Object({ total: Type.Integer(), items: Type.Array(ProcurementView) });
export type ProcurementListView = Static<typeof ProcurementListView>;

export const ContractableProjectsQuery = Type.Object({ fundYear: FundYear });
export const ContractableProjectsView = Type.Object({
  items: Type.Array(
    Type.Object({
      projectId: Type.Integer(),
      planId: Type.Integer(),
      fundYear: Type.Integer(),
      title: Type.String(),
      catalogueCode: Type.String(),
      budgetFen: Type.Integer(),
      communityCodes: Type.Array(Type.String()),
      contractId: Nullable(Type.Integer()),
    }),
  ),
});
export type ContractableProjectsView = Static<typeof ContractableProjectsView>;

// ================================================================ contracts

export const ContractsQuery = Type.Object({
  fundYear: Type.Optional(FundYear),
  status: Type.Optional(ContractStatusSchema),
  communityCode: Type.Optional(CommunityCode()),
  ...Paging,
});
export type ContractsQuery = Static<typeof ContractsQuery>;

export const CreateContractBody = Type.Object(
  {
    procurementId: RowId(),
    communityCode: CommunityCode('资金来源社区 the community whose allocation funds it'),
    title: Text(200),
    amountFen: FenAmount({ minimum: 1 }),
    startsOn: IsoDateString,
    endsOn: IsoDateString,
    deliverables: Type.Array(Text(300), { minItems: 1, maxItems: 30 }),
    projectIds: Type.Optional(Type.Array(RowId(), { minItems: 1, maxItems: 50 })),
    instalments: Type.Array(InstalmentInput, { minItems: 1, maxItems: 12 }),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type CreateContractBody = Static<typeof CreateContractBody>;

export const SignContractBody = Type.Object({ signedOn: Type.Optional(IsoDateString) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Text(500) }, { additionalProperties: false });
export type ReasonBody = Static<typeof ReasonBody>;

/** The fields of a contract every view carries. */
const contractSummaryFields = {
  id: Type.Integer(),
  ref: Type.String({ description: '合同编号 e.g. HT2026-000001 (its ledger reference)' }),
  fundYear: Type.Integer(),
  procurementId: Type.Integer(),
  purchaserKind: PurchaserKindSchema,
  purchaserCode: Type.String(),
  communityCode: Type.String(),
  regionPath: Type.String(),
  providerId: Type.Integer(),
  title: Type.String(),
  amountFen: Type.Integer(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  deliverables: Type.Array(Type.String()),
  status: ContractStatusSchema,
  signedOn: Nullable(Type.String()),
  cancelledOn: Nullable(Type.String()),
  cancelReason: Nullable(Type.String()),
  /** [N 3.2] Set when a 不合格 final evaluation voided the unpaid instalments and released the rest of the commitment. */
  remainderVoidedOn: Nullable(Type.String()),
  remainderVoidReason: Nullable(Type.String()),
};
export const ContractSummary = Type.Object(contractSummaryFields);
export type ContractSummary = Static<typeof ContractSummary>;

export const ContractListItem = Type.Object({ ...contractSummaryFields, providerName: Type.String(), paidFen: Type.Integer() });
export const ContractListView = Type.Object({ total: Type.Integer(), items: Type.Array(ContractListItem) });
export type ContractListView = Static<typeof ContractListView>;

const ProviderBrief = Type.Object({ id: Type.Integer(), name: Type.String(), kind: ProviderKindSchema, creditCode: Type.String() });

export const InstalmentView = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  condition: InstalmentConditionSchema,
  conditionLabel: Type.String(),
  dueOn: Nullable(Type.String()),
  amountFen: Type.Integer(),
  status: InstalmentStatusSchema,
  transferId: Nullable(Type.String()),
  paidOn: Nullable(Type.String()),
  conditionMet: Nullable(Type.Boolean()),
  conditionNote: Nullable(Type.String()),
});
export type InstalmentView = Static<typeof InstalmentView>;

export const PaymentRequestView = Type.Object({
  id: Type.Integer(),
  instalmentId: Type.Integer(),
  contractId: Type.Integer(),
  payeeProviderId: Type.Integer(),
  amountFen: Type.Integer(),
  note: Type.String(),
  status: PaymentRequestStatusSchema,
  requestedOn: Type.String(),
  decidedOn: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  transferId: Nullable(Type.String()),
});
export type PaymentRequestView = Static<typeof PaymentRequestView>;

export const ContractView = Type.Object({
  ...contractSummaryFields,
  provider: Nullable(ProviderBrief),
  projects: Type.Array(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      budgetFen: Type.Integer(),
      catalogueCode: Type.String(),
      planId: Nullable(Type.Integer()),
    }),
  ),
  instalments: Type.Array(InstalmentView),
  paymentRequests: Type.Array(PaymentRequestView),
  ledger: Type.Object({
    commitmentTransferId: Nullable(Type.String()),
    releaseTransferId: Nullable(Type.String()),
    paidFen: Type.Integer(),
    /** Still committed to the contract (pending in the ledger). */
    outstandingFen: Type.Integer(),
    releasedFen: Type.Integer(),
    community: Nullable(
      Type.Object({
        code: Type.String(),
        allocatedFen: Type.Integer(),
        committedFen: Type.Integer(),
        paidFen: Type.Integer(),
        availableFen: Type.Integer(),
      }),
    ),
  }),
});
export type ContractView = Static<typeof ContractView>;

/** A contract as the public portal and open data show it (disclosure module). */
export const PublicContractView = Type.Object({
  ...contractSummaryFields,
  provider: Nullable(ProviderBrief),
  projectIds: Type.Array(Type.Integer()),
  procurementMethod: Nullable(ProcurementMethodSchema),
  instalments: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      condition: InstalmentConditionSchema,
      conditionLabel: Type.String(),
      amountFen: Type.Integer(),
      status: InstalmentStatusSchema,
      paidOn: Nullable(Type.String()),
      transferId: Nullable(Type.String()),
    }),
  ),
});
export type PublicContractView = Static<typeof PublicContractView>;

// ================================================================ payments [N 3.3]

export const PaymentRequestBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 500 })), payeeProviderId: Type.Optional(RowId()), requestId: RequestId },
  { additionalProperties: false },
);
export type PaymentRequestBody = Static<typeof PaymentRequestBody>;

export const PaymentRequestsQuery = Type.Object({
  status: Type.Optional(PaymentRequestStatusSchema),
  contractId: Type.Optional(RowId()),
  ...Paging,
});
export type PaymentRequestsQuery = Static<typeof PaymentRequestsQuery>;

export const ApprovePaymentBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const PaymentRequestListView = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      ...PaymentRequestView.properties,
      contract: Type.Object({
        id: Type.Integer(),
        ref: Type.String(),
        title: Type.String(),
        communityCode: Type.String(),
        regionPath: Type.String(),
        amountFen: Type.Integer(),
        status: ContractStatusSchema,
      }),
      instalment: Type.Object({
        id: Type.Integer(),
        seq: Type.Integer(),
        condition: InstalmentConditionSchema,
        conditionLabel: Type.String(),
        amountFen: Type.Integer(),
        status: InstalmentStatusSchema,
      }),
      providerName: Type.String(),
    }),
  ),
});
export type PaymentRequestListView = Static<typeof PaymentRequestListView>;

/** An approval: the request, and whether this call paid it (false: it was already approved). */
export const PaymentApprovalView = Type.Object({ ...PaymentRequestView.properties, created: Type.Boolean() });
export type PaymentApprovalView = Static<typeof PaymentApprovalView>;

/** [N 3.2] What a 不合格 final evaluation did to a contract covering the project (for the evaluation module). */
export const RemainderVoidView = Type.Object({
  contractId: Type.Integer(),
  ref: Type.String(),
  status: ContractStatusSchema,
  releasedFen: Type.Integer(),
  releaseTransferId: Nullable(Type.String()),
  voidedInstalments: Type.Array(Type.Integer()),
});
export type RemainderVoidView = Static<typeof RemainderVoidView>;
