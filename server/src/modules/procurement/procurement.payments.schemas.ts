import { Type, type Static } from 'typebox';
import { Nullable, RequestId, RowId } from '../../common/schemas.js';
import {
  InstalmentConditionSchema,
  ContractStatusSchema,
  PaymentRequestStatusSchema,
  InstalmentStatusSchema,
  Paging,
} from './procurement.common.schemas.js';
import { PaymentRequestView } from './procurement.contracts.schemas.js';

/** Payments [N 3.3]: requests, approvals, and what a failed final evaluation voided. */

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
