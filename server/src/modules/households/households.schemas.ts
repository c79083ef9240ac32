import { Type, type Static } from 'typebox';

export const MemberBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 30 }),
    isRepresentative: Type.Boolean(),
    isCouncilMember: Type.Boolean(),
    idNumber: Type.Optional(
      Type.Union([Type.String({ maxLength: 18 }), Type.Null()], { description: '身份证号，仅保存加盐哈希 (salted hash only)' }),
    ),
  },
  { additionalProperties: false },
);

/** What a response shows of a household: personal data masked unless the caller is the community's own staff. */
export const HouseholdView = Type.Object({
  id: Type.Integer(),
  communityCode: Type.String(),
  householdNo: Type.String(),
  building: Type.String(),
  unit: Type.String(),
  room: Type.String(),
  address: Type.String(),
  headName: Type.String({ description: '非本社区工作人员看到的是脱敏姓名 masked outside the community' }),
  phone: Type.String({ description: '138****5678 outside the community' }),
  residents: Type.Integer(),
  members: Type.Array(
    Type.Object({ name: Type.String(), isRepresentative: Type.Boolean(), isCouncilMember: Type.Boolean(), hasIdNumber: Type.Boolean() }),
  ),
  masked: Type.Boolean(),
});
export type HouseholdView = Static<typeof HouseholdView>;

export const HouseholdEnvelope = Type.Object({ household: HouseholdView });

export const HouseholdListView = Type.Object({ total: Type.Integer(), masked: Type.Boolean(), items: Type.Array(HouseholdView) });
export type HouseholdListView = Static<typeof HouseholdListView>;

export const HouseholdListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});
export type HouseholdListQuery = Static<typeof HouseholdListQuery>;

/** The registry's representatives and council members beside the community profile's official counts. */
export const RosterView = Type.Object({
  registeredHouseholds: Type.Integer(),
  profile: Type.Object({ residentHouseholds: Type.Integer(), representatives: Type.Integer(), councilMembers: Type.Integer() }),
  roster: Type.Object({ representatives: Type.Integer(), councilMembers: Type.Integer() }),
  consistent: Type.Boolean(),
  members: Type.Array(
    Type.Object({
      householdId: Type.Integer(),
      householdNo: Type.String(),
      name: Type.String(),
      isRepresentative: Type.Boolean(),
      isCouncilMember: Type.Boolean(),
    }),
  ),
});
export type RosterView = Static<typeof RosterView>;

export const CreateHouseholdBody = Type.Object(
  {
    householdNo: Type.String({ minLength: 1, maxLength: 30 }),
    building: Type.String({ minLength: 1, maxLength: 30 }),
    unit: Type.Optional(Type.String({ maxLength: 30 })),
    room: Type.String({ minLength: 1, maxLength: 30 }),
    headName: Type.String({ minLength: 1, maxLength: 30 }),
    phone: Type.String({ minLength: 1, maxLength: 20 }),
    residents: Type.Integer({ minimum: 1, maximum: 99 }),
    members: Type.Optional(Type.Array(MemberBody, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const UpdateHouseholdBody = Type.Object(
  {
    building: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    unit: Type.Optional(Type.String({ maxLength: 30 })),
    room: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    headName: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    residents: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
    members: Type.Optional(Type.Array(MemberBody, { maxItems: 20 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type HouseholdPatch = Static<typeof UpdateHouseholdBody>;

export const ImportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
    content: Type.String({ minLength: 1, maxLength: 8_000_000, description: 'CSV 文本 (UTF-8)，或 .xlsx 文件的 base64' }),
  },
  { additionalProperties: false },
);

export const ImportSummaryView = Type.Object({
  format: Type.String(),
  rows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
});
export type ImportSummaryView = Static<typeof ImportSummaryView>;
