import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, CommunityCodeParam, IdParam } from '../../common/schemas.js';
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
        summary: '居民代表与议事会成员名册 Representatives and council members',
        params: CommunityCodeParam,
        response: { 200: RosterView, ...CommonErrors },
      },
      config: { access: 'households:read' },
    },
    async (request) => households.roster(actorOf(request), request.params.code),
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
    async (request) => households.import(actorOf(request), request.params.code, request.body.format, request.body.content),
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
};
