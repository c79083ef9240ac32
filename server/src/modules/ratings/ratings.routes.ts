import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../../common/schemas.js';
import { XLSX_TYPE, attachment } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';

const RatingYear = Type.Integer({ minimum: 2000, maximum: 2100, description: '评定年度 rating year (funds year + 1, [N 1])' });
const YearParam = Type.Object({ year: RatingYear });
const Upload = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { description: 'csv: UTF-8 text; xlsx: base64 of the workbook' }),
    content: Type.String({ minLength: 1, maxLength: 4_000_000 }),
    previewToken: Type.Optional(Type.String({ maxLength: 64, description: '预览返回的 token：文件或数据变化则 409' })),
  },
  { additionalProperties: false },
);
const Problem = Type.Object({ code: Type.String(), message: Type.String(), messageEn: Type.String(), clause: Type.Optional(Type.String()), details: Type.Optional(Type.Unknown()) });
const LevelCount = Type.Object({ stars: Type.Integer(), quota: Type.Integer(), count: Type.Integer() });
const Preview = Type.Object({
  ok: Type.Boolean(),
  token: Type.String(),
  levels: Type.Array(LevelCount),
  fileProblems: Type.Array(Problem),
  rows: Type.Array(Type.Object({
    line: Type.Integer(),
    input: Type.Object({ code: Type.String(), name: Type.String(), district: Type.String(), level: Type.String() }),
    communityCode: Type.Union([Type.String(), Type.Null()]),
    communityName: Type.Union([Type.String(), Type.Null()]),
    streetName: Type.Union([Type.String(), Type.Null()]),
    districtName: Type.Union([Type.String(), Type.Null()]),
    stars: Type.Union([Type.Integer(), Type.Null()]),
    problems: Type.Array(Problem),
  })),
});

export const ratingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ratings = app.services.ratings;

  app.get('/ratings/template', {
    schema: {
      tags: ['ratings'], summary: '下载星级评定导入模板 Download the import template',
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])) }),
    },
    config: { access: 'ratings:read' },
  }, async (request, reply) => {
    const format = request.query.format ?? 'xlsx';
    const file = await ratings.template(format);
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .header('content-disposition', attachment(`星级评定导入模板.${format}`))
      .send(file);
  });

  app.get('/ratings/:year', {
    schema: {
      tags: ['ratings'], summary: '年度星级评定 A year\'s star ratings (within scope)', params: YearParam,
      querystring: Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })), stars: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })) }),
      response: {
        200: Type.Object({
          year: Type.Integer(),
          levels: Type.Array(LevelCount),
          items: Type.Array(Type.Object({
            communityCode: Type.String(), communityName: Type.String(), streetCode: Type.String(), streetName: Type.String(),
            districtCode: Type.String(), districtName: Type.String(), stars: Type.Integer(), updatedAt: Type.String(),
          })),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'ratings:read' },
  }, async (request) => {
    const actor = actorOf(request);
    const path = request.query.region ? (await app.services.regions.get(actor, request.query.region)).region.path : undefined;
    return ratings.list(actor, request.params.year, path, request.query.stars);
  });

  app.post('/ratings/:year/preview', {
    schema: {
      tags: ['ratings'], summary: '导入预览：逐行指出问题 Preview an import, naming every row\'s problem', params: YearParam, body: Upload,
      response: { 200: Preview, 400: ErrorResponse, 404: ErrorResponse },
    },
    bodyLimit: 6 * 1024 * 1024,
    config: { access: 'ratings:write' },
  }, async (request) => ratings.preview(actorOf(request), request.params.year, request.body.format, request.body.content));

  app.post('/ratings/:year/import', {
    schema: {
      tags: ['ratings'], summary: '导入星级评定（全部或全不）Import all rows or none; replaces the year', params: YearParam, body: Upload,
      response: {
        200: Type.Object({ year: Type.Integer(), imported: Type.Integer(), changed: Type.Integer(), removed: Type.Integer(), levels: Type.Array(LevelCount) }),
        400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse,
      },
    },
    bodyLimit: 6 * 1024 * 1024,
    config: { access: 'ratings:write' },
  }, async (request) => ratings.commit(actorOf(request), request.params.year, request.body.format, request.body.content, request.body.previewToken));

  app.put('/ratings/:year/communities/:code', {
    schema: {
      tags: ['ratings'], summary: '设定或更正单个社区星级（须填原因，留痕）Set or correct one rating, with a reason',
      params: Type.Object({ year: RatingYear, code: Type.String({ pattern: '^\\d{12}$' }) }),
      body: Type.Object(
        { stars: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()], { description: 'null removes the rating' }), reason: Type.String({ minLength: 2, maxLength: 500 }) },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({ communityCode: Type.String(), year: Type.Integer(), stars: Type.Union([Type.Integer(), Type.Null()]), changed: Type.Boolean() }),
        400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse,
      },
    },
    config: { access: 'ratings:write' },
  }, async (request) => ratings.set(actorOf(request), request.params.year, request.params.code, request.body.stars, request.body.reason));
};
