import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CommonErrors } from '../../common/schemas.js';
import { XLSX_TYPE, attachment } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  CommunityRatingParams,
  ImportResultView,
  RatingListView,
  RatingPreviewView,
  RatingsQuery,
  SetRatingBody,
  SetRatingView,
  TemplateQuery,
  UploadBody,
  YearParam,
} from './ratings.schemas.js';

export const ratingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ratings = app.services.ratings;

  app.get(
    '/ratings/template',
    {
      schema: {
        tags: ['ratings'],
        summary: '下载星级评定导入模板 Download the import template',
        querystring: TemplateQuery,
        response: { 200: Type.Unknown({ description: 'the template: text/csv or the workbook (.xlsx) as bytes' }), ...CommonErrors },
      },
      config: { access: 'ratings:read' },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'xlsx';
      const file = await ratings.template(format);
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
        .header('content-disposition', attachment(`星级评定导入模板.${format}`))
        .send(file);
    },
  );

  app.get(
    '/ratings/:year',
    {
      schema: {
        tags: ['ratings'],
        summary: "年度星级评定 A year's star ratings (within scope)",
        params: YearParam,
        querystring: RatingsQuery,
        response: { 200: RatingListView, ...CommonErrors },
      },
      config: { access: 'ratings:read' },
    },
    async (request) => {
      const actor = actorOf(request);
      const path = request.query.region ? (await app.services.regions.get(actor, request.query.region)).region.path : undefined;
      return ratings.list(actor, request.params.year, path, request.query.stars);
    },
  );

  app.get(
    '/ratings/:year/export.xlsx',
    {
      schema: {
        tags: ['ratings'],
        summary: "导出 Excel Export the year's ratings (.xlsx, same filters as the list)",
        params: YearParam,
        querystring: RatingsQuery,
        response: { 200: Type.Unknown({ description: 'the workbook (.xlsx), sent as bytes' }), ...CommonErrors },
      },
      config: { access: 'ratings:read' },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const path = request.query.region ? (await app.services.regions.get(actor, request.query.region)).region.path : undefined;
      const file = await ratings.export(actor, request.params.year, path, request.query.stars);
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.filename)).send(file.buffer);
    },
  );

  app.post(
    '/ratings/:year/preview',
    {
      schema: {
        tags: ['ratings'],
        summary: "导入预览：逐行指出问题 Preview an import, naming every row's problem",
        params: YearParam,
        body: UploadBody,
        response: { 200: RatingPreviewView, ...CommonErrors },
      },
      bodyLimit: 6 * 1024 * 1024,
      config: { access: 'ratings:write' },
    },
    async (request) => ratings.preview(actorOf(request), request.params.year, request.body),
  );

  app.post(
    '/ratings/:year/import',
    {
      schema: {
        tags: ['ratings'],
        summary: '导入星级评定（全部或全不）Import all rows or none; replaces the year',
        params: YearParam,
        body: UploadBody,
        response: { 200: ImportResultView, ...CommonErrors },
      },
      bodyLimit: 6 * 1024 * 1024,
      config: { access: 'ratings:write' },
    },
    async (request) => ratings.commit(actorOf(request), request.params.year, request.body, request.body.previewToken),
  );

  app.put(
    '/ratings/:year/communities/:code',
    {
      schema: {
        tags: ['ratings'],
        summary: '设定或更正单个社区星级（须填原因，留痕）Set or correct one rating, with a reason',
        params: CommunityRatingParams,
        body: SetRatingBody,
        response: { 200: SetRatingView, ...CommonErrors },
      },
      config: { access: 'ratings:write' },
    },
    async (request) => ratings.set(actorOf(request), request.params.year, request.params.code, request.body.stars, request.body.reason),
  );
};
