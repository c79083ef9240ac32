import { Type, type Static } from 'typebox';
import { FundYear, Nullable, Text } from '../../common/schemas.js';
import {
  ProviderKindSchema,
  IneligibilitySourceSchema,
  ProviderRegionCode,
  ContactSchema,
  QualificationInput,
  Paging,
} from './procurement.common.schemas.js';

/** Providers [N 3.2]: the registry, accounts and eligibility. */

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
