import { Type, type Static } from 'typebox';
import { FenAmount, IsoDateString, Nullable, RequestId, RowId, Text } from '../../common/schemas.js';

/** Largest accepted photo or file (bytes). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const CreateActivityBody = Type.Object(
  {
    heldOn: IsoDateString,
    place: Text(200),
    content: Text(2000),
    participants: Count,
    beneficiaries: Count,
    volunteers: Count,
    charityResources: Type.Optional(Type.String({ maxLength: 500, description: '链接的慈善资源 charity resources mobilised' })),
    charityValueFen: Type.Optional(FenAmount()),
    planProjectId: Type.Optional(Nullable(RowId())),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type CreateActivityBody = Static<typeof CreateActivityBody>;

export const UploadBody = Type.Object(
  {
    fileName: Text(200),
    contentBase64: Type.String({ minLength: 1, maxLength: Math.ceil((MAX_UPLOAD_BYTES + 1024) / 3) * 4 }),
    activityId: Type.Optional(Nullable(RowId())),
  },
  { additionalProperties: false },
);
export type UploadBody = Static<typeof UploadBody>;

export const ProposeAdjustmentBody = Type.Object(
  { change: Text(1000), reason: Text(1000), planProjectId: Type.Optional(Nullable(RowId())) },
  { additionalProperties: false },
);
export type ProposeAdjustmentBody = Static<typeof ProposeAdjustmentBody>;

export const DecideAdjustmentBody = Type.Object(
  { approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type DecideAdjustmentBody = Static<typeof DecideAdjustmentBody>;

export const AttachmentView = Type.Object({
  id: Type.Integer(),
  contractId: Type.Integer(),
  activityId: Nullable(Type.Integer()),
  fileName: Type.String(),
  mediaType: Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png'), Type.Literal('application/pdf')]),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  url: Type.String({ description: 'GET it within scope: /api/attachments/:id' }),
  createdAt: Type.String(),
});
export type AttachmentView = Static<typeof AttachmentView>;

export const ActivityView = Type.Object({
  id: Type.Integer(),
  contractId: Type.Integer(),
  planProjectId: Nullable(Type.Integer()),
  heldOn: Type.String(),
  place: Type.String(),
  content: Type.String(),
  participants: Type.Integer(),
  beneficiaries: Type.Integer(),
  volunteers: Type.Integer(),
  charityResources: Type.String(),
  charityValueFen: Type.Integer(),
  attachments: Type.Array(AttachmentView),
});
export type ActivityView = Static<typeof ActivityView>;

export const AdjustmentView = Type.Object({
  id: Type.Integer(),
  contractId: Type.Integer(),
  planProjectId: Nullable(Type.Integer()),
  change: Type.String(),
  reason: Type.String(),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected')]),
  proposedOn: Type.String(),
  decidedOn: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
});
export type AdjustmentView = Static<typeof AdjustmentView>;

export const ActivityListView = Type.Object({ items: Type.Array(ActivityView) });
export const AttachmentListView = Type.Object({ items: Type.Array(AttachmentView) });
export const AdjustmentListView = Type.Object({ items: Type.Array(AdjustmentView) });
export type ActivityListView = Static<typeof ActivityListView>;
export type AttachmentListView = Static<typeof AttachmentListView>;
export type AdjustmentListView = Static<typeof AdjustmentListView>;

/** The bytes of a photo or file (JPEG, PNG or PDF) as stored. */
export const AttachmentContent = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'the file (image/jpeg, image/png or application/pdf)',
});
