import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { planProject } from './plans.js';
import { region } from './regions.js';

export interface ProviderContact {
  name: string;
  phone: string;
  title?: string | null;
}

export interface ProcurementCandidate {
  /** A registered provider, or only a name for a bidder that is not (yet) registered. */
  providerId: number | null;
  name: string;
  quoteFen: number | null;
  note: string;
}

export interface DocumentRef {
  name: string;
  kind: string;
  /** An uploaded attachment (delivery_attachment id) or an external reference number. */
  ref: string | null;
}

/**
 * 承接主体 [N 3.1.3]: social-work stations, social organisations, universities or institutes,
 * a city-wide registry kept by the district and city bureaus.
 */
export const provider = pgTable(
  'provider',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['social_work_station', 'social_organisation', 'university'] }).notNull(),
    /** GB 32100-2015 unified social credit code, upper case, check digit validated. */
    creditCode: text('credit_code').notNull(),
    registrationAuthority: text('registration_authority').notNull(),
    address: text('address').notNull().default(''),
    contacts: jsonb('contacts').$type<ProviderContact[]>().notNull(),
    /** Region where it is registered (for display and filtering), e.g. a district code. */
    regionCode: text('region_code').references(() => region.code),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('provider_credit_code_idx').on(t.creditCode),
    check('provider_kind_chk', sql`${t.kind} in ('social_work_station','social_organisation','university')`),
    check('provider_credit_code_chk', sql`${t.creditCode} ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
  ],
);

export const providerQualification = pgTable(
  'provider_qualification',
  {
    id: serial('id').primaryKey(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => provider.id),
    name: text('name').notNull(),
    issuer: text('issuer').notNull().default(''),
    number: text('number').notNull().default(''),
    validUntil: date('valid_until', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('provider_qualification_provider_idx').on(t.providerId)],
);

/**
 * [N 3.2] A year in which a provider may not be contracted, with the reason: written by the
 * evaluation module after a 不合格 final evaluation (source final_evaluation, for the next year),
 * or by a bureau (manual).
 */
export const providerIneligibility = pgTable(
  'provider_ineligibility',
  {
    id: serial('id').primaryKey(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => provider.id),
    year: integer('year').notNull(),
    reason: text('reason').notNull(),
    source: text('source', { enum: ['final_evaluation', 'manual'] }).notNull(),
    sourceRef: text('source_ref'),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('provider_ineligibility_idx').on(t.providerId, t.year, t.source),
    check('provider_ineligibility_source_chk', sql`${t.source} in ('final_evaluation','manual')`),
  ],
);

/** [N 3.1.3] How the provider of one or more filed projects was chosen. */
export const procurement = pgTable(
  'procurement',
  {
    id: serial('id').primaryKey(),
    fundYear: integer('fund_year').notNull(),
    purchaserKind: text('purchaser_kind', { enum: ['community', 'street'] }).notNull(),
    purchaserCode: text('purchaser_code')
      .notNull()
      .references(() => region.code),
    /** Region path of the purchaser, for scope. */
    regionPath: text('region_path').notNull(),
    method: text('method', {
      enum: [
        'public_tender',
        'invited_tender',
        'competitive_negotiation',
        'competitive_consultation',
        'single_source',
        'inquiry',
        'small_direct',
      ],
    }).notNull(),
    projectIds: jsonb('project_ids').$type<number[]>().notNull(),
    budgetFen: bigint('budget_fen', { mode: 'number' }).notNull(),
    candidates: jsonb('candidates').$type<ProcurementCandidate[]>().notNull(),
    selectedProviderId: integer('selected_provider_id')
      .notNull()
      .references(() => provider.id),
    selectionReason: text('selection_reason').notNull(),
    documents: jsonb('documents').$type<DocumentRef[]>().notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('procurement_region_idx').on(t.regionPath.op('text_pattern_ops')),
    check('procurement_budget_chk', sql`${t.budgetFen} > 0`),
  ],
);

/**
 * A service contract. Signing commits its amount in the ledger (pending community → contract);
 * cancelling releases what is not paid. draft → signed → (completed | cancelled); draft → cancelled.
 */
export const contract = pgTable(
  'contract',
  {
    id: serial('id').primaryKey(),
    fundYear: integer('fund_year').notNull(),
    procurementId: integer('procurement_id')
      .notNull()
      .references(() => procurement.id),
    purchaserKind: text('purchaser_kind', { enum: ['community', 'street'] }).notNull(),
    purchaserCode: text('purchaser_code')
      .notNull()
      .references(() => region.code),
    /** The community whose allocation funds the contract (its ledger account is committed). */
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    /** The funding community's path, for scope. */
    regionPath: text('region_path').notNull(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => provider.id),
    title: text('title').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    deliverables: jsonb('deliverables').$type<string[]>().notNull(),
    status: text('status', { enum: ['draft', 'signed', 'completed', 'cancelled'] })
      .notNull()
      .default('draft'),
    signedOn: date('signed_on', { mode: 'string' }),
    commitmentTransferId: text('commitment_transfer_id'),
    cancelledOn: date('cancelled_on', { mode: 'string' }),
    cancelReason: text('cancel_reason'),
    releaseTransferId: text('release_transfer_id'),
    /** [N 3.2] A 不合格 final evaluation of a covered project voided the unpaid instalments (the release transfer). */
    remainderVoidedOn: date('remainder_voided_on', { mode: 'string' }),
    remainderVoidReason: text('remainder_void_reason'),
    createdByUserId: integer('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contract_region_idx').on(t.regionPath.op('text_pattern_ops')),
    index('contract_provider_idx').on(t.providerId),
    // The read model recomputes a community's contracted amount by community (ADR 0023).
    index('contract_community_idx').on(t.communityCode, t.fundYear),
    check('contract_amount_chk', sql`${t.amountFen} > 0`),
    check('contract_period_chk', sql`${t.startsOn} <= ${t.endsOn}`),
    check('contract_status_chk', sql`${t.status} in ('draft','signed','completed','cancelled')`),
  ],
);

/**
 * The filed projects a contract covers. `live` mirrors "the contract is not cancelled" and is set
 * false in the cancelling transaction, so that the partial unique index holds the rule "at most one
 * live contract per plan project" [N 4.1] in the database itself (docs/invariants.md).
 */
export const contractProject = pgTable(
  'contract_project',
  {
    contractId: integer('contract_id')
      .notNull()
      .references(() => contract.id),
    planProjectId: integer('plan_project_id')
      .notNull()
      .references(() => planProject.id),
    live: boolean('live').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.planProjectId] }),
    index('contract_project_project_idx').on(t.planProjectId),
    uniqueIndex('contract_project_live_idx')
      .on(t.planProjectId)
      .where(sql`${t.live}`),
  ],
);

/**
 * [N 2.3] A member community's part of an area contract (ADR 0014): its amount (the contract's
 * amount split in the projects' declared shares), committed from and paid out of that member's
 * allocation through its own ledger contract account (`<ref>/<community>`). A contract funded by
 * one community has no rows here.
 */
export const contractShare = pgTable(
  'contract_share',
  {
    contractId: integer('contract_id')
      .notNull()
      .references(() => contract.id),
    communityCode: text('community_code')
      .notNull()
      .references(() => region.code),
    /** The member's path, for scope and the portal. */
    regionPath: text('region_path').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    commitmentTransferId: text('commitment_transfer_id'),
    releaseTransferId: text('release_transfer_id'),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.communityCode] }),
    index('contract_share_community_idx').on(t.communityCode),
    check('contract_share_amount_chk', sql`${t.amountFen} >= 0`),
  ],
);

/** A payment instalment of a contract with its condition [N 3.3]: open → requested → paid. */
export const contractInstalment = pgTable(
  'contract_instalment',
  {
    id: serial('id').primaryKey(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contract.id),
    seq: integer('seq').notNull(),
    condition: text('condition', { enum: ['on_signing', 'after_midterm_passed', 'after_final_passed', 'on_date'] }).notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['open', 'requested', 'paid', 'void'] })
      .notNull()
      .default('open'),
    /** The ledger transfer that paid it (its id is the instalment's idempotency key). */
    transferId: text('transfer_id'),
    paidOn: date('paid_on', { mode: 'string' }),
  },
  (t) => [
    uniqueIndex('contract_instalment_seq_idx').on(t.contractId, t.seq),
    uniqueIndex('contract_instalment_transfer_idx').on(t.transferId),
    check('contract_instalment_amount_chk', sql`${t.amountFen} > 0`),
    check('contract_instalment_status_chk', sql`${t.status} in ('open','requested','paid','void')`),
  ],
);

/**
 * The provider's request to pay an instalment; the street office approves (which disburses) or
 * rejects. At most one live (requested or approved) request per instalment.
 */
export const paymentRequest = pgTable(
  'payment_request',
  {
    id: serial('id').primaryKey(),
    instalmentId: integer('instalment_id')
      .notNull()
      .references(() => contractInstalment.id),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contract.id),
    /** The provider to be paid (must be the contracted one). */
    payeeProviderId: integer('payee_provider_id')
      .notNull()
      .references(() => provider.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    note: text('note').notNull().default(''),
    status: text('status', { enum: ['requested', 'approved', 'rejected'] })
      .notNull()
      .default('requested'),
    requestedByUserId: integer('requested_by_user_id'),
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    decidedByUserId: integer('decided_by_user_id'),
    decidedOn: date('decided_on', { mode: 'string' }),
    decisionNote: text('decision_note'),
    transferId: text('transfer_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payment_request_live_idx')
      .on(t.instalmentId)
      .where(sql`${t.status} in ('requested','approved')`),
    index('payment_request_contract_idx').on(t.contractId),
    check('payment_request_status_chk', sql`${t.status} in ('requested','approved','rejected')`),
  ],
);
