import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../../common/schemas.js';
import { actorOf } from './auth.hooks.js';
import { SESSION_COOKIE, SESSION_HOURS } from './auth.service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './auth.rules.js';

const PublicUserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  roleLabel: Type.String(),
  scope: Type.Union([Type.Null(), Type.Object({ code: Type.String(), name: Type.String(), path: Type.String(), level: Type.String() })]),
  orgId: Type.Union([Type.Integer(), Type.Null()]),
  permissions: Type.Array(Type.String()),
});

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: '登录 Sign in',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: PublicUserSchema }), 401: ErrorResponse, 429: ErrorResponse },
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
      schema: { tags: ['auth'], summary: '退出 Sign out', response: { 200: Type.Object({ ok: Type.Boolean() }) } },
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
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
            newPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ok: Type.Boolean() }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
      config: {
        access: 'authenticated',
        rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await app.services.auth.changePassword(actor, request.cookies[SESSION_COOKIE]!, request.body.currentPassword, request.body.newPassword);
      return { ok: true };
    },
  );

  app.get(
    '/me',
    {
      schema: { tags: ['auth'], summary: '当前账号 Current account', response: { 200: Type.Object({ user: PublicUserSchema }), 401: ErrorResponse } },
      config: { access: 'authenticated' },
    },
    async (request) => {
      const token = request.cookies[SESSION_COOKIE]!;
      const found = await app.services.auth.actorForToken(token);
      actorOf(request);
      return { user: found!.user };
    },
  );

  app.get(
    '/users',
    {
      schema: {
        tags: ['auth'],
        summary: '本辖区账号 Accounts in my scope',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(), username: Type.String(), displayName: Type.String(), role: Type.String(), roleLabel: Type.String(),
                scopeCode: Type.Union([Type.String(), Type.Null()]), scopeName: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
      config: { access: 'users:read' },
    },
    async (request) => ({ items: await app.services.auth.listUsers(actorOf(request)) }),
  );
};
