import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { deliveryActivity, deliveryAttachment, planAdjustment } from '../../db/schema/delivery.js';

export type ActivityRow = typeof deliveryActivity.$inferSelect;
export type AttachmentRow = typeof deliveryAttachment.$inferSelect;
export type AttachmentMeta = Omit<AttachmentRow, 'content'>;
export type AdjustmentRow = typeof planAdjustment.$inferSelect;

const metaColumns = {
  id: deliveryAttachment.id,
  contractId: deliveryAttachment.contractId,
  activityId: deliveryAttachment.activityId,
  fileName: deliveryAttachment.fileName,
  mediaType: deliveryAttachment.mediaType,
  sizeBytes: deliveryAttachment.sizeBytes,
  sha256: deliveryAttachment.sha256,
  uploadedByUserId: deliveryAttachment.uploadedByUserId,
  createdAt: deliveryAttachment.createdAt,
};

export class DeliveryRepository {
  async insertActivity(db: Executor, row: typeof deliveryActivity.$inferInsert): Promise<ActivityRow> {
    return (await db.insert(deliveryActivity).values(row).returning())[0]!;
  }

  async activity(db: Executor, id: number): Promise<ActivityRow | undefined> {
    return (await db.select().from(deliveryActivity).where(eq(deliveryActivity.id, id)))[0];
  }

  async activities(db: Executor, contractId: number): Promise<ActivityRow[]> {
    return db
      .select()
      .from(deliveryActivity)
      .where(eq(deliveryActivity.contractId, contractId))
      .orderBy(desc(deliveryActivity.heldOn), desc(deliveryActivity.id));
  }

  async insertAttachment(db: Executor, row: typeof deliveryAttachment.$inferInsert): Promise<AttachmentMeta> {
    return (await db.insert(deliveryAttachment).values(row).returning(metaColumns))[0]!;
  }

  async attachmentMeta(db: Executor, id: number): Promise<AttachmentMeta | undefined> {
    return (await db.select(metaColumns).from(deliveryAttachment).where(eq(deliveryAttachment.id, id)))[0];
  }

  async attachmentContent(db: Executor, id: number): Promise<Buffer | undefined> {
    return (await db.select({ content: deliveryAttachment.content }).from(deliveryAttachment).where(eq(deliveryAttachment.id, id)))[0]
      ?.content;
  }

  async attachments(db: Executor, contractId: number): Promise<AttachmentMeta[]> {
    return db
      .select(metaColumns)
      .from(deliveryAttachment)
      .where(eq(deliveryAttachment.contractId, contractId))
      .orderBy(asc(deliveryAttachment.id));
  }

  async insertAdjustment(db: Executor, row: typeof planAdjustment.$inferInsert): Promise<AdjustmentRow> {
    return (await db.insert(planAdjustment).values(row).returning())[0]!;
  }

  async adjustment(db: Executor, id: number, lock = false): Promise<AdjustmentRow | undefined> {
    const q = db.select().from(planAdjustment).where(eq(planAdjustment.id, id));
    return (lock ? await q.for('update') : await q)[0];
  }

  async adjustments(db: Executor, contractIds: number[]): Promise<AdjustmentRow[]> {
    if (contractIds.length === 0) return [];
    return db.select().from(planAdjustment).where(inArray(planAdjustment.contractId, contractIds)).orderBy(desc(planAdjustment.id));
  }

  async updateAdjustment(db: Executor, id: number, patch: Partial<typeof planAdjustment.$inferInsert>) {
    await db
      .update(planAdjustment)
      .set(patch)
      .where(and(eq(planAdjustment.id, id)));
  }
}
