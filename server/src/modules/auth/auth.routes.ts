import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { actorOf } from './auth.hooks.js';
import { SESSION_COOKIE, SESSION_HOURS } from './auth.service.js';
import { PASSWORD_MIN_LENGTH } from './auth.rules.js';
import { Type } from 'typebox';
import { XLSX_TYPE, attachment } from '../../common/xlsx.js';
import {
  AssignableView,
  ChangePasswordBody,
  CreateUserBody,
  LoginBody,
  OkView,
  SessionView,
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

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: '登录 Sign in',
        body: LoginBody,
        response: { 200: SessionView, ...CommonErrors },
      },
      config: {
        access: 'public',
        rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
    },
    async (request, reply) => {
      const { token, user } = await app.services.auth.login(request.body.username, request.body.password);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: app.config.secureCookies,
        maxAge: SESSION_HOURS * 3600,
      });
      return { user };
    },
  );

  app.post(
    '/logout',
    {
      schema: { tags: ['auth'], summary: '退出 Sign out', response: { 200: OkView, ...CommonErrors } },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await app.services.auth.logout(token, request.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.post(
    '/password',
    {
      schema: {
        tags: ['auth'],
        summary: '修改本人密码 Change my password',
        description: `New password: at least ${PASSWORD_MIN_LENGTH} characters with letters and digits, not the username. Other sessions of the account end.`,
        body: ChangePasswordBody,
        response: { 200: OkView, ...CommonErrors },
      },
      config: {
        access: 'authenticated',
        rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await app.services.auth.changePassword(
        actor,
        request.cookies[SESSION_COOKIE]!,
        request.body.currentPassword,
        request.body.newPassword,
      );
      return { ok: true };
    },
  );

  app.get(
    '/me',
    {
      schema: { tags: ['auth'], summary: '当前账号 Current account', response: { 200: SessionView, ...CommonErrors } },
      config: { access: 'authenticated' },
    },
    async (request) => {
      const token = request.cookies[SESSION_COOKIE]!;
      const found = await app.services.auth.actorForToken(token);
      actorOf(request);
      return { user: found!.user };
    },
  );

  const admin = app.services.auth.admin;
  const imports = app.services.auth.imports;
  const fileType = (format: 'csv' | 'xlsx') => (format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);

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
};
