import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CommonErrors } from '../../common/schemas.js';
import { XLSX_TYPE, attachment } from '../../common/xlsx.js';
import { actorOf } from './auth.hooks.js';
import {
  AssignableView,
  CreateUserBody,
  UpdateUserBody,
  UserAdminListView,
  UserIdParam,
  UsersExportQuery,
  UsersImportBody,
  UsersImportView,
  UsersQuery,
  UsersTemplateQuery,
  UserView,
  UserWithPasswordView,
} from './auth.schemas.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

const fileType = (format: 'csv' | 'xlsx') => (format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);

/** Account administration (issue 18, ADR 0012), under /api/auth: reads and files. */
function accountReadRoutes(app: App): void {
  const admin = app.services.auth.admin;
  const imports = app.services.auth.imports;
  app.get(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: '本辖区账号 Accounts in my scope',
        description:
          'regionCode filters to that region and below; q matches username, display name or phone. Ordered by region, role, username.',
        querystring: UsersQuery,
        response: { 200: UserAdminListView, ...CommonErrors },
      },
      config: { access: 'users:read' },
    },
    async (request) => admin.list(actorOf(request), request.query),
  );

  app.get(
    '/users/assignable',
    {
      schema: {
        tags: ['auth'],
        summary: '可创建的角色与区划 Roles and region I may assign',
        response: { 200: AssignableView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => admin.assignable(actorOf(request)),
  );

  app.get(
    '/users/template',
    {
      schema: {
        tags: ['auth'],
        summary: '下载账号导入模板 Download the account import template',
        querystring: UsersTemplateQuery,
        response: { 200: Type.Unknown({ description: 'the template: text/csv or the workbook (.xlsx) as bytes' }), ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'xlsx';
      const file = await imports.template(format);
      return reply
        .header('content-type', fileType(format))
        .header('content-disposition', attachment(`账号导入模板.${format}`))
        .send(file);
    },
  );

  app.get(
    '/users/export',
    {
      schema: {
        tags: ['auth'],
        summary: '导出账号列表 Export the accounts list',
        querystring: UsersExportQuery,
        response: {
          200: Type.Unknown({ description: 'the list: text/csv or the workbook (.xlsx) as bytes; no passwords' }),
          ...CommonErrors,
        },
      },
      config: { access: 'users:read' },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'xlsx';
      const file = await admin.export(actorOf(request), request.query, format);
      return reply
        .header('content-type', fileType(format))
        .header('content-disposition', attachment(`账号列表.${format}`))
        .send(file);
    },
  );
}

/** Account administration (issue 18, ADR 0012), under /api/auth: changes. */
function accountWriteRoutes(app: App): void {
  const admin = app.services.auth.admin;
  const imports = app.services.auth.imports;
  app.post(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: '创建账号 Create an account',
        description:
          'Within the caller region and privilege ceiling (ADR 0012). Answers a one-time password, shown once; the holder must change it at first sign-in. A taken username is 409 USERNAME_TAKEN.',
        body: CreateUserBody,
        response: { 200: UserWithPasswordView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => admin.create(actorOf(request), request.body),
  );

  app.post(
    '/users/import',
    {
      schema: {
        tags: ['auth'],
        summary: '批量导入账号 Import accounts',
        description:
          'CSV (UTF-8 or GBK, detected) or xlsx. dryRun: the report only. Otherwise all or nothing: any bad row is 422 IMPORT_ROWS_INVALID with details.rows.',
        body: UsersImportBody,
        response: { 200: UsersImportView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => imports.import(actorOf(request), request.body),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['auth'],
        summary: '修改、停用或启用账号 Edit, disable or re-enable an account',
        description: 'Disabling ends its sessions. The last enabled administrator of a region stays (422 LAST_ADMINISTRATOR).',
        params: UserIdParam,
        body: UpdateUserBody,
        response: { 200: UserView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => admin.update(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/users/:id/reset-password',
    {
      schema: {
        tags: ['auth'],
        summary: '重置密码 Reset the password',
        description: 'A new one-time password, shown once: sessions end, a lockout clears, the holder must change it at sign-in.',
        params: UserIdParam,
        response: { 200: UserWithPasswordView, ...CommonErrors },
      },
      config: { access: 'users:write' },
    },
    async (request) => admin.resetPassword(actorOf(request), request.params.id),
  );
}

export function accountRoutes(app: App): void {
  accountReadRoutes(app);
  accountWriteRoutes(app);
}
