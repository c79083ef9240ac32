import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { requirePermission, type Actor, type Permission } from '../../common/access.js';
import { todayInChina } from '../../common/dates.js';
import type { Now } from '../../common/clock.js';
import { DomainError, notFoundOrHidden } from '../../common/errors.js';
import { heldOnce } from '../../common/at-most-one.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ContractRow } from '../procurement/procurement.service.js';
import { checkUpload } from '../procurement/procurement.rules.js';
import { DeliveryRepository, type ActivityRow, type AdjustmentRow, type AttachmentMeta } from './delivery.repository.js';
import {
  MAX_UPLOAD_BYTES,
  type ActivityListView,
  type ActivityView,
  type AdjustmentListView,
  type AdjustmentView,
  type AttachmentListView,
  type AttachmentView,
  type CreateActivityBody,
  type DecideAdjustmentBody,
  type ProposeAdjustmentBody,
  type UploadBody,
} from './delivery.schemas.js';

/** What delivery records need from the procurement module: the contract a caller may see, and its projects. */
export interface ContractAccess {
  contractFor(actor: Actor, id: number, permission: Permission): Promise<ContractRow>;
  contractProjectIds(contractId: number): Promise<number[]>;
}

const IMPLEMENTATION_CLAUSE = '[N 3.1.3(2)]';
const attachmentNotFound = () => notFoundOrHidden({ zh: '附件', en: 'Attachment' });
const adjustmentNotFound = () => notFoundOrHidden({ zh: '方案调整', en: 'Adjustment' });

/**
 * Implementation records [N 3.1.3(2)]: activities by the contracted provider, photos and files
 * (type by content, size capped, stored in the database, served only within scope), and plan
 * adjustments with reasons that the community approves. Contracts come from the procurement service.
 */
export class DeliveryService {
  private readonly repo = new DeliveryRepository();
  private readonly idem = new IdempotencyService();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly procurement: ContractAccess,
    private readonly clock: Now,
  ) {}

  today(): string {
    return todayInChina(this.clock());
  }

  /** The provider's own signed contract, for recording its delivery. */
  private async ownContract(actor: Actor, contractId: number) {
    const c = await this.procurement.contractFor(actor, contractId, 'delivery:write');
    if (actor.role !== 'provider' || actor.orgId !== c.providerId) throw notFoundOrHidden({ zh: '合同', en: 'Contract' });
    if (c.status !== 'signed') {
      throw new DomainError(
        'CONTRACT_NOT_IN_FORCE',
        { zh: '只有已签订、未终止的合同可以登记实施情况', en: `The contract is ${c.status}` },
        { kind: 'rule', clause: IMPLEMENTATION_CLAUSE },
      );
    }
    return c;
  }

  /** For the to-do (delivery.todo.service.ts): how many activities a contract has recorded. No access check. */
  async activityCount(contractId: number): Promise<number> {
    return (await this.repo.activities(this.db, contractId)).length;
  }

  /** For the to-do and messages (delivery.todo.service.ts): the adjustments of the given contracts. No access check. */
  async adjustmentsOf(contractIds: number[]): Promise<AdjustmentView[]> {
    if (contractIds.length === 0) return [];
    return (await this.repo.adjustments(this.db, contractIds)).map(adjustmentView);
  }

  async listActivities(actor: Actor, contractId: number): Promise<ActivityListView> {
    await this.procurement.contractFor(actor, contractId, 'delivery:read');
    const [rows, files] = await Promise.all([this.repo.activities(this.db, contractId), this.repo.attachments(this.db, contractId)]);
    return {
      items: rows.map((a) =>
        activityView(
          a,
          files.filter((f) => f.activityId === a.id),
        ),
      ),
    };
  }

  async createActivity(actor: Actor, contractId: number, input: CreateActivityBody): Promise<ActivityView> {
    const c = await this.ownContract(actor, contractId);
    const { requestId, ...request } = input;
    const keyed = { scope: 'delivery.activity', key: requestId, userId: actor.userId, request: { contractId, ...request } };
    const replayed = await this.idem.replay<ActivityView>(this.db, keyed);
    if (replayed) return replayed;
    if (input.heldOn < c.startsOn || input.heldOn > c.endsOn) {
      throw new DomainError(
        'ACTIVITY_OUTSIDE_PERIOD',
        { zh: `活动日期应在合同期限内（${c.startsOn} 至 ${c.endsOn}）`, en: 'The activity date is outside the contract period' },
        { kind: 'rule', clause: IMPLEMENTATION_CLAUSE, field: 'heldOn' },
      );
    }
    if (input.heldOn > this.today())
      throw new DomainError(
        'DATE_IN_FUTURE',
        { zh: '不能登记未来日期的活动', en: 'The activity date is in the future' },
        { kind: 'invalid', field: 'heldOn' },
      );
    if (input.planProjectId != null && !(await this.procurement.contractProjectIds(c.id)).includes(input.planProjectId)) {
      throw new DomainError(
        'PROJECT_NOT_IN_CONTRACT',
        { zh: '该项目不在本合同内', en: 'The project is not covered by the contract' },
        { kind: 'invalid', field: 'planProjectId' },
      );
    }
    return heldOnce(
      this.db.transaction(async (tx) =>
        this.idem.once(tx, keyed, 201, async () => {
          const row = await this.repo.insertActivity(tx, {
            contractId: c.id,
            planProjectId: input.planProjectId ?? null,
            heldOn: input.heldOn,
            place: input.place,
            content: input.content,
            participants: input.participants,
            beneficiaries: input.beneficiaries,
            volunteers: input.volunteers,
            charityResources: input.charityResources ?? '',
            charityValueFen: input.charityValueFen ?? 0,
            createdByUserId: actor.userId,
          });
          await this.audit.record(tx, actor, {
            action: 'delivery.activity',
            entityType: 'delivery_activity',
            entityId: String(row.id),
            regionPath: c.regionPath,
            after: {
              contractId: c.id,
              heldOn: row.heldOn,
              place: row.place,
              participants: row.participants,
              beneficiaries: row.beneficiaries,
            },
          });
          return activityView(row, []);
        }),
      ),
    );
  }

  /** A photo or file, checked by its bytes (JPEG/PNG/PDF) and size, stored in the database. */
  async upload(actor: Actor, contractId: number, input: UploadBody): Promise<AttachmentView> {
    const c = await this.ownContract(actor, contractId);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64) || input.contentBase64.length % 4 !== 0) {
      throw new DomainError(
        'INVALID_INPUT',
        { zh: '字段 contentBase64 无效：不是 base64 编码', en: 'Field contentBase64 is invalid: not base64' },
        { kind: 'invalid', field: 'contentBase64' },
      );
    }
    const bytes = Buffer.from(input.contentBase64, 'base64');
    const checked = checkUpload(input.fileName, bytes, MAX_UPLOAD_BYTES);
    if (!checked.ok)
      throw new DomainError(
        checked.code,
        { zh: checked.zh, en: checked.en },
        { kind: 'invalid', field: checked.code === 'UPLOAD_TYPE_MISMATCH' ? 'fileName' : 'contentBase64' },
      );
    if (input.activityId != null) {
      const a = await this.repo.activity(this.db, input.activityId);
      if (!a || a.contractId !== c.id)
        throw new DomainError(
          'ACTIVITY_NOT_FOUND',
          { zh: '活动不属于本合同', en: 'The activity is not of this contract' },
          { kind: 'invalid', field: 'activityId' },
        );
    }
    return this.db.transaction(async (tx) => {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const row = await this.repo.insertAttachment(tx, {
        contractId: c.id,
        activityId: input.activityId ?? null,
        fileName: checked.fileName,
        mediaType: checked.type,
        sizeBytes: bytes.length,
        sha256,
        content: bytes,
        uploadedByUserId: actor.userId,
      });
      await this.audit.record(tx, actor, {
        action: 'delivery.upload',
        entityType: 'delivery_attachment',
        entityId: String(row.id),
        regionPath: c.regionPath,
        after: { contractId: c.id, fileName: row.fileName, mediaType: row.mediaType, sizeBytes: row.sizeBytes, sha256 },
      });
      return attachmentView(row);
    });
  }

  async listAttachments(actor: Actor, contractId: number): Promise<AttachmentListView> {
    await this.procurement.contractFor(actor, contractId, 'delivery:read');
    return { items: (await this.repo.attachments(this.db, contractId)).map(attachmentView) };
  }

  /** The stored bytes, only to those who may see the contract. */
  async download(actor: Actor, id: number) {
    requirePermission(actor, 'delivery:read');
    const meta = await this.repo.attachmentMeta(this.db, id);
    if (!meta) throw attachmentNotFound();
    await this.procurement.contractFor(actor, meta.contractId, 'delivery:read').catch(() => {
      throw attachmentNotFound();
    });
    const content = await this.repo.attachmentContent(this.db, id);
    return { meta, content: content! };
  }

  async listAdjustments(actor: Actor, contractId: number): Promise<AdjustmentListView> {
    await this.procurement.contractFor(actor, contractId, 'delivery:read');
    return { items: (await this.repo.adjustments(this.db, [contractId])).map(adjustmentView) };
  }

  /** The provider records a change to the plan with its reason; the community decides. */
  async proposeAdjustment(actor: Actor, contractId: number, input: ProposeAdjustmentBody): Promise<AdjustmentView> {
    const c = await this.ownContract(actor, contractId);
    if (input.planProjectId != null && !(await this.procurement.contractProjectIds(c.id)).includes(input.planProjectId)) {
      throw new DomainError(
        'PROJECT_NOT_IN_CONTRACT',
        { zh: '该项目不在本合同内', en: 'The project is not covered by the contract' },
        { kind: 'invalid', field: 'planProjectId' },
      );
    }
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertAdjustment(tx, {
        contractId: c.id,
        planProjectId: input.planProjectId ?? null,
        change: input.change,
        reason: input.reason,
        proposedByUserId: actor.userId,
        proposedOn: this.today(),
      });
      await this.audit.record(tx, actor, {
        action: 'delivery.adjustment.propose',
        entityType: 'plan_adjustment',
        entityId: String(row.id),
        regionPath: c.regionPath,
        after: { change: row.change, reason: row.reason },
      });
      return adjustmentView(row);
    });
  }

  async decideAdjustment(actor: Actor, id: number, input: DecideAdjustmentBody): Promise<AdjustmentView> {
    requirePermission(actor, 'adjustments:approve');
    const found = await this.repo.adjustment(this.db, id);
    if (!found) throw adjustmentNotFound();
    const c = await this.procurement.contractFor(actor, found.contractId, 'adjustments:approve').catch(() => {
      throw adjustmentNotFound();
    });
    if (actor.role !== 'community' || actor.scopePath !== c.regionPath) throw adjustmentNotFound();
    return this.db.transaction(async (tx) => {
      const row = (await this.repo.adjustment(tx, id, true))!;
      if (row.status !== 'proposed')
        throw new DomainError(
          'ADJUSTMENT_DECIDED',
          { zh: '该调整已处理', en: `The adjustment is already ${row.status}` },
          { kind: 'conflict' },
        );
      const status = input.approve ? 'approved' : 'rejected';
      await this.repo.updateAdjustment(tx, id, {
        status,
        decidedByUserId: actor.userId,
        decidedOn: this.today(),
        decisionNote: input.note ?? null,
      });
      await this.audit.record(tx, actor, {
        action: `delivery.adjustment.${status === 'approved' ? 'approve' : 'reject'}`,
        entityType: 'plan_adjustment',
        entityId: String(id),
        regionPath: c.regionPath,
        before: { status: 'proposed' },
        after: { status, note: input.note ?? null },
      });
      return adjustmentView((await this.repo.adjustment(tx, id))!);
    });
  }
}

function attachmentView(a: AttachmentMeta): AttachmentView {
  return {
    id: a.id,
    contractId: a.contractId,
    activityId: a.activityId,
    fileName: a.fileName,
    mediaType: a.mediaType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    url: `/api/attachments/${a.id}`,
    createdAt: a.createdAt.toISOString(),
  };
}

function activityView(a: ActivityRow, files: AttachmentMeta[]): ActivityView {
  return {
    id: a.id,
    contractId: a.contractId,
    planProjectId: a.planProjectId,
    heldOn: a.heldOn,
    place: a.place,
    content: a.content,
    participants: a.participants,
    beneficiaries: a.beneficiaries,
    volunteers: a.volunteers,
    charityResources: a.charityResources,
    charityValueFen: a.charityValueFen,
    attachments: files.map(attachmentView),
  };
}

function adjustmentView(a: AdjustmentRow): AdjustmentView {
  return {
    id: a.id,
    contractId: a.contractId,
    planProjectId: a.planProjectId,
    change: a.change,
    reason: a.reason,
    status: a.status,
    proposedOn: a.proposedOn,
    decidedOn: a.decidedOn,
    decisionNote: a.decisionNote,
  };
}
