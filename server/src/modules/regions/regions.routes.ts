import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';

const RegionView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  kind: Type.String(),
  path: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  communityCount: Type.Integer(),
});
const CommunityView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  residentHouseholds: Type.Integer(),
  representatives: Type.Integer(),
  councilMembers: Type.Integer(),
  address: Type.Union([Type.String(), Type.Null()]),
  contactPhone: Type.Union([Type.String(), Type.Null()]),
  ratings: Type.Array(Type.Object({ year: Type.Integer(), stars: Type.Integer() })),
});
const CodeParam = Type.Object({ code: Type.String({ pattern: '^\\d{4,12}$', description: '区划代码 division code' }) });
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

export const regionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const regions = app.services.regions;

  app.get('/regions/scope', {
    schema: { tags: ['regions'], summary: '我的辖区 The region I act for', response: { 200: Type.Object({ root: RegionView }), 404: ErrorResponse } },
    config: { access: 'regions:read' },
  }, async (request) => ({ root: await regions.scopeRoot(actorOf(request)) }));

  app.get('/regions/:code', {
    schema: {
      tags: ['regions'], summary: '区域、上级与下级 A region with its ancestors and children', params: CodeParam,
      response: { 200: Type.Object({ region: RegionView, ancestors: Type.Array(RegionView), children: Type.Array(RegionView), community: Type.Union([CommunityView, Type.Null()]) }), 404: ErrorResponse },
    },
    config: { access: 'regions:read' },
  }, async (request) => regions.get(actorOf(request), request.params.code));

  app.get('/regions/:code/communities', {
    schema: {
      tags: ['regions'], summary: '辖区内社区 Communities under a region', params: CodeParam,
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 50 })),
        ratingYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
        stars: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
      }),
      response: {
        200: Type.Object({
          ratingYear: Type.Integer(),
          total: Type.Integer(),
          items: Type.Array(Type.Object({
            code: Type.String(), name: Type.String(), streetCode: Type.String(), streetName: Type.String(), districtCode: Type.String(), districtName: Type.String(),
            stars: Type.Union([Type.Integer(), Type.Null()]), residentHouseholds: Type.Integer(), representatives: Type.Integer(), councilMembers: Type.Integer(),
          })),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'regions:read' },
  }, async (request) => regions.communities(actorOf(request), request.params.code, request.query));

  app.patch('/regions/:code/profile', {
    schema: {
      tags: ['regions'], summary: '修改社区基本信息 Correct a community\'s profile', params: CodeParam,
      body: Type.Object({
        residentHouseholds: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
        representatives: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
        councilMembers: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000 })),
        address: OptionalText(200),
        contactPhone: OptionalText(40),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Type.Object({ community: CommunityView }), 400: ErrorResponse, 404: ErrorResponse },
    },
    config: { access: 'regions:write' },
  }, async (request) => ({ community: await regions.updateProfile(actorOf(request), request.params.code, request.body) }));
};
