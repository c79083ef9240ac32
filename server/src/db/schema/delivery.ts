import { sql } from 'drizzle-orm';
import { bigint, check, customType, date, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { planProject } from './plans.js';
import { contract } from './procurement.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** [N 3.1.3(2), N 2.3] An activity delivered under a contract, recorded by the provider. */
export const deliveryActivity = pgTable(
  'delivery_activity',
  {
    id: serial('id').primaryKey(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contract.id),
    planProjectId: integer('plan_project_id').references(() => planProject.id),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    place: text('place').notNull(),
    content: text('content').notNull(),
    participants: integer('participants').notNull(),
    beneficiaries: integer('beneficiaries').notNull(),
    volunteers: integer('volunteers').notNull(),
    /** Charity resources mobilised (description) and their estimated value. */
    charityResources: text('charity_resources').notNull().default(''),
    charityValueFen: bigint('charity_value_fen', { mode: 'number' }).notNull().default(0),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('delivery_activity_contract_idx').on(t.contractId),
    check(
      'delivery_activity_counts_chk',
      sql`${t.participants} >= 0 and ${t.beneficiaries} >= 0 and ${t.volunteers} >= 0 and ${t.charityValueFen} >= 0`,
    ),
  ],
);

/** Photos and files (JPEG/PNG/PDF by content), stored in the database. */
export const deliveryAttachment = pgTable(
  'delivery_attachment',
  {
    id: serial('id').primaryKey(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contract.id),
    activityId: integer('activity_id').references(() => deliveryActivity.id),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type', { enum: ['image/jpeg', 'image/png', 'application/pdf'] }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedByUserId: integer('uploaded_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('delivery_attachment_contract_idx').on(t.contractId),
    index('delivery_attachment_activity_idx').on(t.activityId),
    check('delivery_attachment_type_chk', sql`${t.mediaType} in ('image/jpeg','image/png','application/pdf')`),
  ],
);

/** [N 3.1.3(2)] A change to the plan during implementation, with its reason, approved by the community. */
export const planAdjustment = pgTable(
  'plan_adjustment',
  {
    id: serial('id').primaryKey(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contract.id),
    planProjectId: integer('plan_project_id').references(() => planProject.id),
    change: text('change').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['proposed', 'approved', 'rejected'] })
      .notNull()
      .default('proposed'),
    proposedByUserId: integer('proposed_by_user_id'),
    proposedOn: date('proposed_on', { mode: 'string' }).notNull(),
    decidedByUserId: integer('decided_by_user_id'),
    decidedOn: date('decided_on', { mode: 'string' }),
    decisionNote: text('decision_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('plan_adjustment_contract_idx').on(t.contractId),
    check('plan_adjustment_status_chk', sql`${t.status} in ('proposed','approved','rejected')`),
  ],
);
