import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';

const CodeParam = Type.Object({ code: Type.String({ pattern: '^\\d{12}$', description: '社区代码 community code' }) });
/** Serial ids are int4: a larger number cannot name a row (400, not a database error). */
const SerialId = RowId();
const IdParam = Type.Object({ id: SerialId });

const MemberBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 30 }),
    isRepresentative: Type.Boolean(),
    isCouncilMember: Type.Boolean(),
    idNumber: Type.Optional(Type.Union([Type.String({ maxLength: 18 }), Type.Null()], { description: '身份证号，仅保存加盐哈希 (salted hash only)' })),
  },
  { additionalProperties: false },
);
const HouseholdView = Type.Object({
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
  members: Type.Array(Type.Object({ name: Type.String(), isRepresentative: Type.Boolean(), isCouncilMember: Type.Boolean(), hasIdNumber: Type.Boolean() })),
  masked: Type.Boolean(),
});
const ImportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
    content: Type.String({ minLength: 1, maxLength: 8_000_000, description: 'CSV 文本 (UTF-8)，或 .xlsx 文件的 base64' }),
  },
  { additionalProperties: false },
);

export const householdsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const households = app.services.households;

  app.get('/regions/:code/households', {
    schema: {
      tags: ['regions'], summary: '社区住户登记 Household registry of a community', params: CodeParam,
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })) }),
      response: { 200: Type.Object({ total: Type.Integer(), masked: Type.Boolean(), items: Type.Array(HouseholdView) }), 404: ErrorResponse },
    },
    config: { access: 'households:read' },
  }, async (request) => households.list(actorOf(request), request.params.code, request.query));

  app.get('/regions/:code/roster', {
    schema: {
      tags: ['regions'], summary: '居民代表与议事会成员名册 Representatives and council members', params: CodeParam,
      response: {
        200: Type.Object({
          registeredHouseholds: Type.Integer(),
          profile: Type.Object({ residentHouseholds: Type.Integer(), representatives: Type.Integer(), councilMembers: Type.Integer() }),
          roster: Type.Object({ representatives: Type.Integer(), councilMembers: Type.Integer() }),
          consistent: Type.Boolean(),
          members: Type.Array(Type.Object({ householdId: Type.Integer(), householdNo: Type.String(), name: Type.String(), isRepresentative: Type.Boolean(), isCouncilMember: Type.Boolean() })),
        }),
        404: ErrorResponse,
      },
    },
    config: { access: 'households:read' },
  }, async (request) => households.roster(actorOf(request), request.params.code));

  app.post('/regions/:code/households', {
    schema: {
      tags: ['regions'], summary: '登记住户 Register a household', params: CodeParam,
      body: Type.Object(
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
      ),
      response: { 200: Type.Object({ household: HouseholdView }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
    config: { access: 'households:write' },
  }, async (request) => ({
    household: await households.create(actorOf(request), request.params.code, { ...request.body, unit: request.body.unit ?? '', members: request.body.members ?? [] }),
  }));

  app.post('/regions/:code/households/import', {
    bodyLimit: 12 * 1024 * 1024,
    schema: {
      tags: ['regions'], summary: '导入住户（CSV / Excel，全部成功或全部不导入） Import households, all or nothing', params: CodeParam,
      description: '列 Columns: 户号, 楼栋, 单元, 房号, 户主姓名, 联系电话, 常住人数, 居民代表, 议事会成员 (names separated by 、). Existing household numbers are updated.',
      body: ImportBody,
      response: { 200: Type.Object({ format: Type.String(), rows: Type.Integer(), created: Type.Integer(), updated: Type.Integer() }), 400: ErrorResponse, 404: ErrorResponse },
    },
    config: { access: 'households:write' },
  }, async (request) => households.import(actorOf(request), request.params.code, request.body.format, request.body.content));

  app.get('/households/:id', {
    schema: { tags: ['regions'], summary: '住户详情 A household', params: IdParam, response: { 200: Type.Object({ household: HouseholdView }), 404: ErrorResponse } },
    config: { access: 'households:read' },
  }, async (request) => ({ household: await households.get(actorOf(request), request.params.id) }));

  app.patch('/households/:id', {
    schema: {
      tags: ['regions'], summary: '修改住户（留痕） Edit a household (audited)', params: IdParam,
      body: Type.Object(
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
      ),
      response: { 200: Type.Object({ household: HouseholdView }), 400: ErrorResponse, 404: ErrorResponse },
    },
    config: { access: 'households:write' },
  }, async (request) => ({ household: await households.update(actorOf(request), request.params.id, request.body) }));
};
