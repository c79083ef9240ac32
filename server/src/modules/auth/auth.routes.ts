import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { actorOf } from './auth.hooks.js';
import { SESSION_COOKIE, SESSION_HOURS } from './auth.service.js';
import { PASSWORD_MIN_LENGTH } from './auth.rules.js';
import { accountRoutes } from './auth.admin.routes.js';
import { ChangePasswordBody, LoginBody, OkView, SessionView } from './auth.schemas.js';

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

  accountRoutes(app);
};
