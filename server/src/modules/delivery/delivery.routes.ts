import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors, IDEMPOTENCY_NOTE, IdParam } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import {
  ActivityListView,
  ActivityView,
  AdjustmentListView,
  AdjustmentView,
  AttachmentContent,
  AttachmentListView,
  AttachmentView,
  CreateActivityBody,
  DecideAdjustmentBody,
  MAX_UPLOAD_BYTES,
  ProposeAdjustmentBody,
  UploadBody,
} from './delivery.schemas.js';

export const deliveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.delivery;
  const tags = ['delivery'];

  app.get(
    '/contracts/:id/activities',
    {
      schema: { tags, summary: '活动记录 Activities of a contract', params: IdParam, response: { 200: ActivityListView, ...CommonErrors } },
      config: { access: 'delivery:read' },
    },
    async (request) => svc.listActivities(actorOf(request), request.params.id),
  );

  app.post(
    '/contracts/:id/activities',
    {
      schema: {
        tags,
        summary: '承接主体登记活动 The provider records an activity [N 3.1.3(2)]',
        params: IdParam,
        description: 'Within the contract period, not in the future.' + IDEMPOTENCY_NOTE,
        body: CreateActivityBody,
        response: { 201: ActivityView, ...CommonErrors },
      },
      config: { access: 'delivery:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.createActivity(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/contracts/:id/attachments',
    {
      schema: {
        tags,
        summary: '照片与文件 Photos and files of a contract',
        params: IdParam,
        response: { 200: AttachmentListView, ...CommonErrors },
      },
      config: { access: 'delivery:read' },
    },
    async (request) => svc.listAttachments(actorOf(request), request.params.id),
  );

  app.post(
    '/contracts/:id/attachments',
    {
      schema: {
        tags,
        summary: '上传照片或文件 Upload a photo or file (JPEG, PNG, PDF)',
        description: `The file travels as base64 in JSON. Its type is recognised by content (magic bytes) and must match the extension; at most ${MAX_UPLOAD_BYTES} bytes.`,
        params: IdParam,
        body: UploadBody,
        response: { 201: AttachmentView, ...CommonErrors },
      },
      bodyLimit: Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 64 * 1024,
      config: { access: 'delivery:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.upload(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/attachments/:id',
    {
      schema: {
        tags,
        summary: '下载照片或文件 Download a photo or file (only within scope)',
        params: IdParam,
        response: { 200: AttachmentContent, ...CommonErrors },
      },
      config: { access: 'delivery:read' },
    },
    async (request, reply) => {
      const { meta, content } = await svc.download(actorOf(request), request.params.id);
      return reply
        .type(meta.mediaType)
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `${meta.mediaType === 'application/pdf' ? 'attachment' : 'inline'}; filename="file"; filename*=UTF-8''${encodeURIComponent(meta.fileName)}`,
        )
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(content);
    },
  );

  app.get(
    '/contracts/:id/adjustments',
    {
      schema: {
        tags,
        summary: '方案调整 Plan adjustments of a contract',
        params: IdParam,
        response: { 200: AdjustmentListView, ...CommonErrors },
      },
      config: { access: 'delivery:read' },
    },
    async (request) => svc.listAdjustments(actorOf(request), request.params.id),
  );

  app.post(
    '/contracts/:id/adjustments',
    {
      schema: {
        tags,
        summary: '承接主体提出方案调整 The provider proposes a plan adjustment with its reason',
        params: IdParam,
        body: ProposeAdjustmentBody,
        response: { 201: AdjustmentView, ...CommonErrors },
      },
      config: { access: 'delivery:write' },
    },
    async (request, reply) => reply.status(201).send(await svc.proposeAdjustment(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/adjustments/:id/decide',
    {
      schema: {
        tags,
        summary: '社区审批方案调整 The community approves or rejects an adjustment',
        params: IdParam,
        body: DecideAdjustmentBody,
        response: { 200: AdjustmentView, ...CommonErrors },
      },
      config: { access: 'adjustments:approve' },
    },
    async (request) => svc.decideAdjustment(actorOf(request), request.params.id, request.body),
  );
};
