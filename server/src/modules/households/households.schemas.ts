import { Type, type Static } from 'typebox';
import { DetectedEncoding, IsoDate, Literals, Nullable, RowId, Text, UploadContentEncoding, UploadFormat } from '../../common/schemas.js';

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

/** The roster in office on a day (terms, ADR 0013) beside the community profile's official counts. */
export const RosterView = Type.Object({
  registeredHouseholds: Type.Integer(),
  profile: Type.Object({ residentHouseholds: Type.Integer(), representatives: Type.Integer(), councilMembers: Type.Integer() }),
  roster: Type.Object({ representatives: Type.Integer(), councilMembers: Type.Integer() }),
  consistent: Type.Boolean(),
  members: Type.Array(
    Type.Object({
      householdId: Nullable(Type.Integer()),
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
    format: UploadFormat,
    content: Type.String({
      minLength: 1,
      maxLength: 8_000_000,
      description: 'CSV 文本，或文件字节的 base64（CSV：UTF-8 / GBK，自动识别；.xlsx）',
    }),
    contentEncoding: UploadContentEncoding,
    rolesFrom: Type.Optional(
      IsoDate(
        '角色列的新任职者自该日起任职，不再列出者于前一日离任；缺省见 ADR 0013 roles in the file start on this day (default: 1 January five years back)',
      ),
    ),
  },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;

export const ImportSummaryView = Type.Object({
  format: Type.String(),
  encoding: DetectedEncoding,
  /** Roster terms the role columns started and ended (ADR 0013). */
  termsStarted: Type.Integer(),
  termsEnded: Type.Integer(),
  rows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
});
export type ImportSummaryView = Static<typeof ImportSummaryView>;

// ---- roster with terms of office [N 3.1.2(1)] ----

export const RosterBodyField = Literals(
  ['representative', 'council_member'] as const,
  'representative 居民代表 · council_member 议事会成员',
);

export const RosterTermView = Type.Object({
  id: Type.Integer(),
  body: RosterBodyField,
  personName: Type.String({ description: '非本社区工作人员看到的是脱敏姓名 masked outside the community' }),
  householdId: Nullable(Type.Integer()),
  householdNo: Nullable(Type.String()),
  fromDate: Type.String(),
  toDate: Nullable(Type.String({ description: '任期最后一日（含）；空表示在任 inclusive last day; null while in office' })),
  endReason: Nullable(Type.String()),
  replacesId: Nullable(Type.Integer()),
  replacedById: Nullable(Type.Integer()),
  inOffice: Type.Boolean({ description: '在查询日在任 in office on the date asked' }),
});
export type RosterTermView = Static<typeof RosterTermView>;

export const RosterOnQuery = Type.Object({ on: Type.Optional(IsoDate('查询日，缺省为今日 the day (default today)')) });

export const RosterTermsView = Type.Object({
  communityCode: Type.String(),
  on: Type.String(),
  masked: Type.Boolean(),
  representatives: Type.Array(RosterTermView, { description: '查询日在任的居民代表 representatives in office on the day' }),
  councilMembers: Type.Array(RosterTermView, { description: '查询日在任的议事会成员 council members in office on the day' }),
  history: Type.Array(RosterTermView, { description: '全部任期（含已结束）all terms, ended ones included' }),
  profile: Type.Object({ representatives: Type.Integer(), councilMembers: Type.Integer() }),
});
export type RosterTermsView = Static<typeof RosterTermsView>;

export const AddTermBody = Type.Object(
  {
    body: RosterBodyField,
    personName: Text(30, 1, '姓名'),
    householdId: Type.Optional(Nullable(RowId('户（住户记录编号）'))),
    fromDate: IsoDate('任期起始日'),
  },
  { additionalProperties: false },
);
export type AddTermBody = Static<typeof AddTermBody>;

export const EndTermBody = Type.Object(
  { toDate: IsoDate('任期最后一日（含）'), reason: Text(200, 1, '离任原因') },
  { additionalProperties: false },
);
export type EndTermBody = Static<typeof EndTermBody>;

export const ReplaceTermBody = Type.Object(
  {
    endsOn: IsoDate('原任者任期最后一日（含），继任者自次日起任职'),
    reason: Text(200, 1, '更替原因'),
    personName: Text(30, 1, '继任者姓名'),
    householdId: Type.Optional(Nullable(RowId('户（住户记录编号）'))),
  },
  { additionalProperties: false },
);
export type ReplaceTermBody = Static<typeof ReplaceTermBody>;

export const TermEnvelope = Type.Object({ term: RosterTermView });
export const ReplacementView = Type.Object({ ended: RosterTermView, successor: RosterTermView });
export type ReplacementView = Static<typeof ReplacementView>;

export const RosterImportBody = Type.Object(
  {
    format: UploadFormat,
    content: Type.String({
      minLength: 1,
      maxLength: 8_000_000,
      description: 'CSV 文本，或文件字节的 base64（CSV：UTF-8 / GBK，自动识别；.xlsx）',
    }),
    contentEncoding: UploadContentEncoding,
    dryRun: Type.Optional(Type.Boolean({ description: '只预览，不导入 preview only' })),
  },
  { additionalProperties: false },
);
export type RosterImportBody = Static<typeof RosterImportBody>;

export const RosterImportRowView = Type.Object({
  row: Type.Integer(),
  body: RosterBodyField,
  personName: Type.String(),
  householdNo: Nullable(Type.String()),
  fromDate: Type.String(),
  toDate: Nullable(Type.String()),
});

export const RosterImportView = Type.Object({
  dryRun: Type.Boolean(),
  encoding: DetectedEncoding,
  rows: Type.Array(RosterImportRowView),
  created: Type.Integer({ description: '导入的任期数（预览时为将导入数） terms created (or to be created)' }),
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String(), messageEn: Type.String() }), {
    description: '逐行问题（预览）；有问题时正式导入整份拒绝 row-level problems',
  }),
});
export type RosterImportView = Static<typeof RosterImportView>;

export const TemplateQuery = Type.Object({ format: Type.Optional(UploadFormat) });
