import { Type, type Static } from 'typebox';
import { Nullable } from '../../common/schemas.js';

/** One event of the hash-chained audit log (ADR 0004), as listed to `audit:read`. */
export const AuditEventView = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorName: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  regionPath: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  hash: Type.String(),
});
export type AuditEventView = Static<typeof AuditEventView>;

export const AuditEventListView = Type.Object({ items: Type.Array(AuditEventView) });

export const AuditEventQuery = Type.Object({
  entityType: Type.Optional(Type.String({ maxLength: 50 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type AuditEventQuery = Static<typeof AuditEventQuery>;

/** The result of re-hashing the whole chain: its head when intact, else the first broken event. */
export const ChainVerifyView = Type.Object({
  ok: Type.Boolean(),
  count: Type.Integer(),
  headHash: Type.Optional(Type.String()),
  brokenSeq: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
});
export type ChainVerifyView = Static<typeof ChainVerifyView>;
