import { Type, type Static } from 'typebox';
import { CommunityCode, FenAmount, FundYear, IsoDateString, Nullable, RequestId, RowId, Text } from '../../common/schemas.js';
import {
  ProviderKindSchema,
  ProcurementMethodSchema,
  InstalmentConditionSchema,
  ContractStatusSchema,
  PaymentRequestStatusSchema,
  InstalmentStatusSchema,
  PurchaserKindSchema,
  DocumentRefSchema,
  CandidateInput,
  InstalmentInput,
  Paging,
} from './procurement.common.schemas.js';

/** Procurements [N 3.1.3] and service contracts with instalments. */

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

export const ContractListItem = Type.Object({
  ...contractSummaryFields,
  /** The community's name (the code is `communityCode`). */
  communityName: Type.String(),
  providerName: Type.String(),
  paidFen: Type.Integer(),
});
export const ContractListView = Type.Object({ total: Type.Integer(), items: Type.Array(ContractListItem) });
export type ContractListView = Static<typeof ContractListView>;

/** [N 2.3] A member's part of an area contract: committed from and paid out of its own allocation. */
const AreaShareView = Type.Object({
  communityCode: Type.String(),
  communityName: Type.String({ description: '社区名称 the member community’s name' }),
  amountFen: Type.Integer(),
  paidFen: Type.Integer(),
  outstandingFen: Type.Integer(),
  commitmentTransferId: Nullable(Type.String()),
});

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
    shares: Type.Array(AreaShareView, { description: '片区合同各成员社区承担的份额 members’ parts of an area contract [N 2.3]' }),
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
  shares: Type.Array(
    Type.Object({ communityCode: Type.String(), communityName: Type.String(), amountFen: Type.Integer(), paidFen: Type.Integer() }),
  ),
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
