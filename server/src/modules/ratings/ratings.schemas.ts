import { Type, type Static } from 'typebox';
import { CommunityCode, DetectedEncoding, Nullable, RegionCode, UploadContentEncoding } from '../../common/schemas.js';

// ---------------------------------------------------------------- requests

const RatingYear = Type.Integer({ minimum: 2000, maximum: 2100, description: '评定年度 rating year (funds year + 1, [N 1])' });
const Stars = Type.Integer({ minimum: 1, maximum: 5 });

export const YearParam = Type.Object({ year: RatingYear });

export const TemplateQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])) });

export const RatingsQuery = Type.Object({ region: Type.Optional(RegionCode()), stars: Type.Optional(Stars) });

export const UploadBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], {
      description: 'csv: text, or its bytes in base64 (UTF-8 or GBK/GB18030, detected); xlsx: base64 of the workbook',
    }),
    content: Type.String({ minLength: 1, maxLength: 4_000_000 }),
    contentEncoding: UploadContentEncoding,
    previewToken: Type.Optional(Type.String({ maxLength: 64, description: '预览返回的 token：文件或数据变化则 409' })),
  },
  { additionalProperties: false },
);

export const CommunityRatingParams = Type.Object({ year: RatingYear, code: CommunityCode() });

export const SetRatingBody = Type.Object(
  {
    stars: Type.Union([Stars, Type.Null()], { description: 'null removes the rating' }),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- responses

const Problem = Type.Object({
  code: Type.String(),
  message: Type.String(),
  messageEn: Type.String(),
  clause: Type.Optional(Type.String()),
  details: Type.Optional(Type.Unknown()),
});
const LevelCount = Type.Object({ stars: Type.Integer(), quota: Type.Integer(), count: Type.Integer() });

/** The preview of an import (RatingPreview of ratings.rules.ts): every row with its problems. */
export const RatingPreviewView = Type.Object({
  ok: Type.Boolean(),
  encoding: DetectedEncoding,
  token: Type.String(),
  levels: Type.Array(LevelCount),
  fileProblems: Type.Array(Problem),
  rows: Type.Array(
    Type.Object({
      line: Type.Integer(),
      input: Type.Object({ code: Type.String(), name: Type.String(), district: Type.String(), level: Type.String() }),
      communityCode: Nullable(Type.String()),
      communityName: Nullable(Type.String()),
      streetName: Nullable(Type.String()),
      districtName: Nullable(Type.String()),
      stars: Nullable(Type.Integer()),
      problems: Type.Array(Problem),
    }),
  ),
});

export type RatingPreviewView = Static<typeof RatingPreviewView>;

export const RatingListView = Type.Object({
  year: Type.Integer(),
  levels: Type.Array(LevelCount),
  items: Type.Array(
    Type.Object({
      communityCode: Type.String(),
      communityName: Type.String(),
      streetCode: Type.String(),
      streetName: Type.String(),
      districtCode: Type.String(),
      districtName: Type.String(),
      stars: Type.Integer(),
      updatedAt: Type.String(),
    }),
  ),
});
export type RatingListView = Static<typeof RatingListView>;

export const ImportResultView = Type.Object({
  year: Type.Integer(),
  encoding: DetectedEncoding,
  imported: Type.Integer(),
  changed: Type.Integer(),
  removed: Type.Integer(),
  levels: Type.Array(LevelCount),
});
export type ImportResultView = Static<typeof ImportResultView>;

export const SetRatingView = Type.Object({
  communityCode: Type.String(),
  year: Type.Integer(),
  stars: Nullable(Type.Integer()),
  changed: Type.Boolean(),
});
export type SetRatingView = Static<typeof SetRatingView>;
