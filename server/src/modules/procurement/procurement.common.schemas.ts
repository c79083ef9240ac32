import { Type } from 'typebox';
import { FenAmount, IsoDateString, Literals, Nullable, RegionCode, RowId, Text } from '../../common/schemas.js';
import { INSTALMENT_CONDITIONS, PROCUREMENT_METHODS, PROVIDER_KINDS } from './procurement.rules.js';

/** The pieces the procurement schemas share: the enumerations, paging, and the inputs of contacts, documents, candidates and instalments. */

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
export const InstalmentStatusSchema = Literals(['open', 'requested', 'paid', 'void'] as const);
export const PurchaserKindSchema = Literals(['community', 'street'] as const);
export const IneligibilitySourceSchema = Literals(['final_evaluation', 'manual'] as const);

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};
export const ProviderRegionCode = Type.Optional(Nullable(RegionCode()));

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
