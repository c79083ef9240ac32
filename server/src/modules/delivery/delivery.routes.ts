import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FenAmount, IDEMPOTENCY_NOTE, IsoDateString, RequestId, RowId } from '../../common/schemas.js';
import { actorOf } from '../auth/auth.hooks.js';
import { MAX_UPLOAD_BYTES } from './delivery.service.js';

const IdParam = Type.Object({ id: RowId() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const deliveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.services.delivery;
  const tags = ['delivery'];

  app.get('/contracts/:id/activities', {
    schema: { tags, summary: '活动记录 Activities of a contract', params: IdParam },
    config: { access: 'delivery:read' },
  }, async (request) => svc.listActivities(actorOf(request), request.params.id));

  app.post('/contracts/:id/activities', {
    schema: {
      tags, summary: '承接主体登记活动 The provider records an activity [N 3.1.3(2)]', params: IdParam, description: 'Within the contract period, not in the future.' + IDEMPOTENCY_NOTE,
      body: Type.Object(
        {
          heldOn: IsoDateString, place: Text(200), content: Text(2000), participants: Count, beneficiaries: Count, volunteers: Count,
          charityResources: Type.Optional(Type.String({ maxLength: 500, description: '链接的慈善资源 charity resources mobilised' })), charityValueFen: Type.Optional(FenAmount()),
          planProjectId: Type.Optional(Nullable(RowId())), requestId: RequestId,
        },
        { additionalProperties: false },
      ),
    },
    config: { access: 'delivery:write' },
  }, async (request, reply) => reply.status(201).send(await svc.createActivity(actorOf(request), request.params.id, request.body)));

  app.get('/contracts/:id/attachments', {
    schema: { tags, summary: '照片与文件 Photos and files of a contract', params: IdParam },
    config: { access: 'delivery:read' },
  }, async (request) => svc.listAttachments(actorOf(request), request.params.id));

  app.post('/contracts/:id/attachments', {
    schema: {
      tags, summary: '上传照片或文件 Upload a photo or file (JPEG, PNG, PDF)',
      description: `The file travels as base64 in JSON. Its type is recognised by content (magic bytes) and must match the extension; at most ${MAX_UPLOAD_BYTES} bytes.`,
      params: IdParam,
      body: Type.Object(
        { fileName: Text(200), contentBase64: Type.String({ minLength: 1, maxLength: Math.ceil((MAX_UPLOAD_BYTES + 1024) / 3) * 4 }), activityId: Type.Optional(Nullable(RowId())) },
        { additionalProperties: false },
      ),
    },
    bodyLimit: Math.ceil(MAX_UPLOAD_BYTES / 3) * 4 + 64 * 1024,
    config: { access: 'delivery:write' },
  }, async (request, reply) => reply.status(201).send(await svc.upload(actorOf(request), request.params.id, request.body)));

  app.get('/attachments/:id', {
    schema: { tags, summary: '下载照片或文件 Download a photo or file (only within scope)', params: IdParam },
    config: { access: 'delivery:read' },
  }, async (request, reply) => {
    const { meta, content } = await svc.download(actorOf(request), request.params.id);
    return reply
      .type(meta.mediaType)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `${meta.mediaType === 'application/pdf' ? 'attachment' : 'inline'}; filename="file"; filename*=UTF-8''${encodeURIComponent(meta.fileName)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(content);
  });

  app.get('/contracts/:id/adjustments', {
    schema: { tags, summary: '方案调整 Plan adjustments of a contract', params: IdParam },
    config: { access: 'delivery:read' },
  }, async (request) => svc.listAdjustments(actorOf(request), request.params.id));

  app.post('/contracts/:id/adjustments', {
    schema: {
      tags, summary: '承接主体提出方案调整 The provider proposes a plan adjustment with its reason', params: IdParam,
      body: Type.Object({ change: Text(1000), reason: Text(1000), planProjectId: Type.Optional(Nullable(RowId())) }, { additionalProperties: false }),
    },
    config: { access: 'delivery:write' },
  }, async (request, reply) => reply.status(201).send(await svc.proposeAdjustment(actorOf(request), request.params.id, request.body)));

  app.post('/adjustments/:id/decide', {
    schema: {
      tags, summary: '社区审批方案调整 The community approves or rejects an adjustment', params: IdParam,
      body: Type.Object({ approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    },
    config: { access: 'adjustments:approve' },
  }, async (request) => svc.decideAdjustment(actorOf(request), request.params.id, request.body));
};
