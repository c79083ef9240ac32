import { sql } from 'drizzle-orm';
import { decisionNotice, decisionObjection } from '../../db/schema/decisions.js';
import { region } from '../../db/schema/regions.js';
import { PreparedStatement } from '../../db/prepared.js';
import type { InboxStep } from '../audit/audit.service.js';

/** What the objection statement did: stored (objection_id) or refused as a repeat (prior_received_on). */
export interface ObjectionWriteRow {
  objection_id: number | null;
  /** Objectors counted by received date within the window, this objection included. */
  objectors: number;
  /** The representative's earlier objection to this notice (a repeat). */
  prior_received_on: string | null;
}

const p = (name: string) => sql.placeholder(name);

/**
 * One objection counted as one statement (issue 20, ADR 0022), run in the caller's transaction
 * after it locked the decision and its notice (the lock is what keeps the one-fifth count exact
 * under concurrency: no other objection to the notice commits between this count and the commit).
 * It inserts once (the unique index), counts the objectors — the rows committed before it, which
 * the statement's snapshot sees, plus its own — and records the audit event in the inbox, only for
 * a stored objection.
 *
 * Placeholders: noticeId, householdId, representativeName, channel, reason, receivedOn, enteredOn,
 * enteredBy, communityCode, representative (masked), enteredLate, representatives, and the audit
 * step's (at, actorUserId, actorName).
 */
export function objectionWriteStatement(audit: (event: Omit<InboxStep, 'at' | 'actorUserId' | 'actorName'>) => ReturnType<typeof sql>) {
  const inWindow = (alias: string) => sql.raw(`${alias}.received_on between n.posted_on and n.window_end`);
  const query = sql`
    with n as (select id, posted_on, window_end from ${decisionNotice} where id = ${p('noticeId')}::int),
    ins as (
      insert into ${decisionObjection} (notice_id, household_id, representative_name, channel, reason, received_on, entered_on, entered_by_user_id)
      values (${p('noticeId')}::int, ${p('householdId')}::int, ${p('representativeName')}::text, ${p('channel')}::text, ${p('reason')}::text,
        ${p('receivedOn')}::date, ${p('enteredOn')}::date, ${p('enteredBy')}::int)
      on conflict do nothing
      returning id, received_on
    ),
    prior as (
      select o.received_on from ${decisionObjection} o
      where o.notice_id = ${p('noticeId')}::int and o.household_id = ${p('householdId')}::int and o.representative_name = ${p('representativeName')}::text
    ),
    counted as (
      select (select count(*) from ${decisionObjection} o join n on o.notice_id = n.id where ${inWindow('o')})
        + (select count(*) from ins i cross join n where ${inWindow('i')}) as objectors
    ),
    audited as (${audit({
      from: sql`ins cross join counted`,
      action: sql`'decision.objection'`,
      entityType: sql`'decision_notice'`,
      entityId: sql`${p('noticeId')}::int::text`,
      regionPath: sql`coalesce((select r.path from ${region} r where r.code = ${p('communityCode')}::text), '')`,
      after: sql`jsonb_build_object('objectionId', ins.id, 'channel', ${p('channel')}::text, 'householdId', ${p('householdId')}::int,
        'representative', ${p('representative')}::text, 'receivedOn', ${p('receivedOn')}::text, 'enteredOn', ${p('enteredOn')}::text,
        'enteredLate', ${p('enteredLate')}::boolean, 'objectors', counted.objectors, 'representatives', ${p('representatives')}::int)`,
    })})
    select ins.id as objection_id, counted.objectors::int as objectors, to_char(prior.received_on, 'YYYY-MM-DD') as prior_received_on
    from counted left join ins on true left join prior on true`;
  return new PreparedStatement<ObjectionWriteRow>('decision_objection_write', query);
}
