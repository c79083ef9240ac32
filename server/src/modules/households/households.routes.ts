import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CommonErrors, CommunityCodeParam, IdParam } from '../../common/schemas.js';
import { XLSX_TYPE, attachment } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  CreateHouseholdBody,
  HouseholdEnvelope,
  HouseholdListQuery,
  HouseholdListView,
  ImportBody,
  ImportSummaryView,
  RosterView,
  UpdateHouseholdBody,
  AddTermBody,
  EndTermBody,
  ReplaceTermBody,
  ReplacementView,
  RosterImportBody,
  RosterImportView,
  RosterOnQuery,
  RosterTermsView,
  TemplateQuery,
  TermEnvelope,
} from './households.schemas.js';

export const householdsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const households = app.services.households;

  app.get(
    '/regions/:code/households',
    {
      schema: {
        tags: ['regions'],
        summary: '社区住户登记 Household registry of a community',
        params: CommunityCodeParam,
        querystring: HouseholdListQuery,
        response: { 200: HouseholdListView, ...CommonErrors },
      },
      config: { access: 'households:read' },
    },
    async (request) => households.list(actorOf(request), request.params.code, request.query),
  );

  app.get(
    '/regions/:code/roster',
    {
      schema: {
        tags: ['regions'],
        summary: '某日在任的居民代表与议事会成员（缺省今日） Representatives and council members in office on a day',
        params: CommunityCodeParam,
        querystring: RosterOnQuery,
        response: { 200: RosterView, ...CommonErrors },
      },
      config: { access: 'households:read' },
    },
    async (request) => households.roster(actorOf(request), request.params.code, request.query.on),
  );

  app.post(
    '/regions/:code/households',
    {
      schema: {
        tags: ['regions'],
        summary: '登记住户 Register a household',
        params: CommunityCodeParam,
        body: CreateHouseholdBody,
        response: { 200: HouseholdEnvelope, ...CommonErrors },
      },
      config: { access: 'households:write' },
    },
    async (request) => ({
      household: await households.create(actorOf(request), request.params.code, {
        ...request.body,
        unit: request.body.unit ?? '',
        members: request.body.members ?? [],
      }),
    }),
  );

  app.post(
    '/regions/:code/households/import',
    {
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags: ['regions'],
        summary: '导入住户（CSV / Excel，全部成功或全部不导入） Import households, all or nothing',
        params: CommunityCodeParam,
        description:
          '列 Columns: 户号, 楼栋, 单元, 房号, 户主姓名, 联系电话, 常住人数, 居民代表, 议事会成员 (names separated by 、). Existing household numbers are updated.',
        body: ImportBody,
        response: { 200: ImportSummaryView, ...CommonErrors },
      },
      config: { access: 'households:write' },
    },
    async (request) => households.import(actorOf(request), request.params.code, request.body),
  );

  app.get(
    '/households/:id',
    {
      schema: {
        tags: ['regions'],
        summary: '住户详情 A household',
        params: IdParam,
        response: { 200: HouseholdEnvelope, ...CommonErrors },
      },
      config: { access: 'households:read' },
    },
    async (request) => ({ household: await households.get(actorOf(request), request.params.id) }),
  );

  app.patch(
    '/households/:id',
    {
      schema: {
        tags: ['regions'],
        summary: '修改住户（留痕） Edit a household (audited)',
        params: IdParam,
        body: UpdateHouseholdBody,
        response: { 200: HouseholdEnvelope, ...CommonErrors },
      },
      config: { access: 'households:write' },
    },
    async (request) => ({ household: await households.update(actorOf(request), request.params.id, request.body) }),
  );

  await app.register(rosterRoutes);
};

/** The roster with terms of office [N 3.1.2(1)], ADR 0013: as of a day, add, end, replace, import, template. */
const rosterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const roster = app.services.households.rosterTerms;

  app.get(
    '/regions/:code/roster-terms',
    {
      schema: {
        tags: ['regions'],
        summary: '某日在任的居民代表与议事会成员及任期历史 The roster as of a day, with its history',
        params: CommunityCodeParam,
        querystring: RosterOnQuery,
        response: { 200: RosterTermsView, ...CommonErrors },
      },
      config: { access: 'households:read' },
    },
    async (request) => roster.list(actorOf(request), request.params.code, request.query.on),
  );

  app.post(
    '/regions/:code/roster-terms',
    {
      schema: {
        tags: ['regions'],
        summary: '增加居民代表或议事会成员（留痕） Add a member to the roster (audited)',
        params: CommunityCodeParam,
        body: AddTermBody,
        response: { 200: TermEnvelope, ...CommonErrors },
      },
      config: { access: 'households:write' },
    },
    async (request) => ({ term: await roster.add(actorOf(request), request.params.code, request.body) }),
  );

  app.post(
    '/roster-terms/:id/end',
    {
      schema: {
        tags: ['regions'],
        summary: '结束任期（留痕） End a term (audited)',
        params: IdParam,
        body: EndTermBody,
        response: { 200: TermEnvelope, ...CommonErrors },
      },
      config: { access: 'households:write' },
    },
    async (request) => ({ term: await roster.end(actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/roster-terms/:id/replace',
    {
      schema: {
        tags: ['regions'],
        summary: '更替：原任者任期结束，继任者次日起任职（同一事务，留痕） Replace a member (audited)',
        params: IdParam,
        body: ReplaceTermBody,
        response: { 200: ReplacementView, ...CommonErrors },
      },
      config: { access: 'households:write' },
    },
    async (request) => roster.replace(actorOf(request), request.params.id, request.body),
  );

  await app.register(rosterFileRoutes);
};

/** The roster file: import (all or nothing, dry-run preview) and its template. */
const rosterFileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const roster = app.services.households.rosterTerms;

  app.post(
    '/regions/:code/roster-terms/import',
    {
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags: ['regions'],
        summary: '导入名册任期（全部成功或全部不导入；dryRun 预览） Import roster terms, all or nothing',
        description: '列 Columns: 类别 (居民代表 | 议事会成员), 姓名, 户号 (optional), 起始日期, 截止日期 (empty while in office).',
        params: CommunityCodeParam,
        body: RosterImportBody,
        response: { 200: RosterImportView, ...CommonErrors },
      },
      config: { access: 'households:write' },
    },
    async (request) => roster.import(actorOf(request), request.params.code, request.body),
  );

  app.get(
    '/roster-terms/template',
    {
      schema: {
        tags: ['regions'],
        summary: '下载名册导入模板 Download the roster import template',
        querystring: TemplateQuery,
        response: { 200: Type.Unknown({ description: 'the template: text/csv or the workbook (.xlsx) as bytes' }), ...CommonErrors },
      },
      config: { access: 'households:read' },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'xlsx';
      const file = await roster.template(format);
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
        .header('content-disposition', attachment(`居民代表与议事会成员名册模板.${format}`))
        .send(file);
    },
  );
};
