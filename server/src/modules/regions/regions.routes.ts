import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, RegionCodeParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { CommunitiesQuery, CommunityListView, ProfilePatchBody, ProfileView, RegionDetailView, ScopeView } from './regions.schemas.js';

export const regionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const regions = app.services.regions;

  app.get(
    '/regions/scope',
    {
      schema: { tags: ['regions'], summary: '我的辖区 The region I act for', response: { 200: ScopeView, ...CommonErrors } },
      config: { access: 'regions:read' },
    },
    async (request) => ({ root: await regions.scopeRoot(actorOf(request)) }),
  );

  app.get(
    '/regions/:code',
    {
      schema: {
        tags: ['regions'],
        summary: '区域、上级与下级 A region with its ancestors and children',
        params: RegionCodeParam,
        response: { 200: RegionDetailView, ...CommonErrors },
      },
      config: { access: 'regions:read' },
    },
    async (request) => regions.get(actorOf(request), request.params.code),
  );

  app.get(
    '/regions/:code/communities',
    {
      schema: {
        tags: ['regions'],
        summary: '辖区内社区 Communities under a region',
        params: RegionCodeParam,
        querystring: CommunitiesQuery,
        response: { 200: CommunityListView, ...CommonErrors },
      },
      config: { access: 'regions:read' },
    },
    async (request) => regions.communities(actorOf(request), request.params.code, request.query),
  );

  app.patch(
    '/regions/:code/profile',
    {
      schema: {
        tags: ['regions'],
        summary: "修改社区基本信息 Correct a community's profile",
        params: RegionCodeParam,
        body: ProfilePatchBody,
        response: { 200: ProfileView, ...CommonErrors },
      },
      config: { access: 'regions:write' },
    },
    async (request) => ({ community: await regions.updateProfile(actorOf(request), request.params.code, request.body) }),
  );
};
