import { Type } from 'typebox';

/** The body of every error response (see the error handler in app.ts). */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  message: Type.String({ description: '中文说明' }),
  messageEn: Type.String({ description: 'English message' }),
  field: Type.Optional(Type.String()),
  clause: Type.Optional(Type.String({ description: 'Clause of the notice, e.g. [N 3.1.2(1)]' })),
  details: Type.Optional(Type.Unknown()),
});

/**
 * The one schema of a calendar date, for every route (body, query string and path): a real date
 * 'YYYY-MM-DD' (year 0001–9999, month 01–12, a day the month has). The `date` format is
 * registered strictly in app.ts (common/dates.ts isIsoDate), so 2026-02-30, 2026-13-01,
 * 0000-00-00 and 2026-2-3 are a 400 naming the field. Stored dates are `date` columns.
 */
export const IsoDateString = Type.String({ format: 'date', description: '日期 YYYY-MM-DD (a real calendar date)' });

/** The same date schema with a route's own description. */
export const IsoDate = (description: string) => Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` });

export const FundYear = Type.Integer({ minimum: 2000, maximum: 2100 });

/** A serial row id: bounded to int4 so that an absurd id is a 400, not a database error. */
export const RowId = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...(description ? { description } : {}) });

/** An amount of money in integer fen, within the exactly representable range. */
export const FenAmount = (options: { minimum?: number; description?: string } = {}) =>
  Type.Integer({
    minimum: options.minimum ?? 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: options.description ?? '金额（分） amount in fen',
  });

/** Text of every keyed route's OpenAPI description (ADR 0010). */
export const IDEMPOTENCY_NOTE =
  ' Idempotent with `requestId`: a retry with the same key and the same body answers the first result (same status, same id); the same key with a different body answers 409 IDEMPOTENCY_KEY_REUSED.';

/** Optional idempotency key of a request that creates a record or moves money (ADR 0010). */
export const RequestId = Type.Optional(
  Type.String({
    pattern: '^[A-Za-z0-9-]{1,40}$',
    description:
      '幂等编号 idempotency key: 重试时使用同一编号与同一内容，返回首次结果；同一编号不同内容返回 409 IDEMPOTENCY_KEY_REUSED. A retry with the same key and body answers the first result.',
  }),
);

/** `T` or `null`: a value the record may lack (the API sends `null`, never omits the key). */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** Free text of at most `max` characters (at least `min`, 1 unless told: an empty answer is no answer). */
export const Text = (max: number, min = 1, description?: string) =>
  Type.String({ minLength: min, maxLength: max, ...(description ? { description } : {}) });

/** `:id` of a row (int4 serial). */
export const IdParam = Type.Object({ id: RowId() });

/** A division code of any level: district 6 digits, street 9, community 12 (4 for the city). */
export const RegionCode = (description = '区划代码 division code') => Type.String({ pattern: '^\\d{4,12}$', description });

/** A community's 12-digit code. */
export const CommunityCode = (description = '社区代码 community code') => Type.String({ pattern: '^\\d{12}$', description });

/** `:code` of a division (city, district, street or community). */
export const RegionCodeParam = Type.Object({ code: RegionCode() });

/** `:code` of a community. */
export const CommunityCodeParam = Type.Object({ code: CommunityCode() });

/** The error answers every operation may give besides its own (declared with the success answer). */
export const CommonErrors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  422: ErrorResponse,
  429: ErrorResponse,
} as const;

/** One of `values` (a union of literals, e.g. a status), typed as their union. */
export const Literals = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      description ? { description } : {},
    ),
  );

/** An upload's format: CSV or an .xlsx workbook. */
export const UploadFormat = Literals(['csv', 'xlsx'] as const, 'csv 或 xlsx');

/**
 * How an upload's `content` arrives: `text` (default) — CSV as a UTF-8 string; `base64` — the
 * file's bytes (a CSV in UTF-8 with or without BOM or in GBK/GB18030, detected; or the workbook).
 * An .xlsx is always base64.
 */
export const UploadContentEncoding = Type.Optional(
  Literals(['text', 'base64'] as const, 'text：CSV 文本；base64：文件原始字节（CSV 可为 UTF-8 或 GBK/GB18030，自动识别）'),
);

/** The encoding an import detected, shown in its preview (see common/tabular.ts). */
export const DetectedEncoding = Literals(
  ['utf-8', 'utf-8-bom', 'gb18030', 'text', 'xlsx'] as const,
  '识别出的文件编码 detected encoding: utf-8, utf-8-bom, gb18030 (GBK), text (sent as text), xlsx',
);
