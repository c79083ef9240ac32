import { sql, type SQL } from 'drizzle-orm';
import { needsAccessCode, needsCampaign, needsOpinion } from '../../db/schema/needs.js';
import { region } from '../../db/schema/regions.js';
import { household } from '../../db/schema/households.js';
import { PreparedStatement } from '../../db/prepared.js';
import type { InboxStep } from '../audit/audit.service.js';

/** How the statement finds the household: registry facts (public page), a one-time code (public page), or the number (staff). */
export type Identification = 'registry' | 'code' | 'number';

/** What the one statement did, one row whatever happened; the service turns it into the answer or the error. */
export interface OpinionWriteRow {
  /** The campaign still is as the caller validated against (and is now share-locked); false: nothing was done. */
  campaign_matches: boolean;
  /** The household identified (null: not identified, or the code not usable). */
  household_id: number | null;
  household_no: string | null;
  /** The opinion stored (null: the household had answered and the campaign takes no changes). */
  opinion_id: number | null;
  revision: number | null;
  /** The household's earlier answer as this statement's snapshot saw it (may miss one committed meanwhile). */
  prior_channel: string | null;
  prior_on: string | null;
  /** Code identification only: the code exists for this campaign and was used already. */
  code_used: boolean | null;
}

/**
 * The statement's parts that belong to other modules, as SQL over its CTEs (`c`: the campaign,
 * `hh`: the household, `ins`: the stored opinion) and placeholders.
 */
export interface OpinionWriteParts {
  identification: Identification;
  /** The campaign takes changes: a second answer replaces the first (revision + 1). */
  replace: boolean;
  /** Relation (id, household_no) of the household by registry or number; may read `c` and placeholders (unused for a code). */
  household: SQL;
  /** The audit inbox step (AuditService.inboxStep) completed with who and when. */
  audit: (event: Omit<InboxStep, 'at' | 'actorUserId' | 'actorName'>) => SQL;
}

const p = (name: string) => sql.placeholder(name);

/**
 * One opinion written as one statement (issue 20, ADR 0022): the campaign, share-locked only if it
 * still is what the caller validated the answer against; the household; the opinion inserted once
 * (`on conflict do nothing`) or replaced in place; for a code, the code spent only if an opinion
 * was stored; and the audit event, in the inbox, only for a stored opinion. The at-most-one rule is
 * the unique (campaign, household) index, as before.
 *
 * Placeholders: campaignId, communityCode, status, opensOn, closesOn, channels, questionnaire, allowChanges (the
 * guard); those of `household`; codeHash (code); channel, choices (json text), freeText,
 * enteredBy, now, and the audit step's.
 *
 * A later step that must run only for a stored answer (e.g. a progress read model) adds one CTE
 * reading `ins` — `..., progress as (update … where exists (select 1 from ins))` — before the
 * final select.
 */
export function opinionWriteStatement(parts: OpinionWriteParts): PreparedStatement<OpinionWriteRow> {
  const code = parts.identification === 'code';
  const onConflict = parts.replace
    ? sql`on conflict (campaign_id, household_id) do update set channel = excluded.channel, choices = excluded.choices,
        free_text = excluded.free_text, entered_by_user_id = excluded.entered_by_user_id,
        revision = ${needsOpinion}.revision + 1, updated_at = ${p('now')}::timestamptz`
    : sql`on conflict (campaign_id, household_id) do nothing`;
  const codeSteps = code
    ? sql`code as (
        select a.id, a.household_id, a.used_at is not null as used from ${needsAccessCode} a join c on a.campaign_id = c.id
        where a.code_hash = ${p('codeHash')}::text
        for update of a
      ),`
    : sql``;
  const after = sql`jsonb_build_object('campaignId', c.id, 'householdNo', hh.household_no, 'channel', ${p('channel')}::text,
      'choices', ${p('choices')}::jsonb, 'hasFreeText', ${p('freeText')}::text is not null, 'revision', ins.revision)
      || ${p('afterExtra')}::jsonb`;
  const action = sql`case when ins.revision > 1 then 'needs.opinion.replace' else ${p('action')}::text end`;
  const regionPath = sql`(select r.path from ${region} r where r.code = c.community_code)`;
  const query = sql`
    with c as (
      select id, community_code from ${needsCampaign}
      where id = ${p('campaignId')}::int and community_code = ${p('communityCode')}::text and status = ${p('status')}::text and opens_on = ${p('opensOn')}::date
        and closes_on = ${p('closesOn')}::date and channels = ${p('channels')}::jsonb
        and questionnaire = ${p('questionnaire')}::jsonb and allow_changes = ${p('allowChanges')}::boolean
      -- Concluding waits for answers in flight, and an answer waits for a conclusion (then sees it).
      for share
    ),
    ${codeSteps}
    hh as (${
      code
        ? sql`select h.id, h.household_no from ${household} h join code on h.id = code.household_id where not code.used`
        : parts.household
    }),
    prior as (
      select o.channel, o.created_at from ${needsOpinion} o join c on o.campaign_id = c.id join hh on o.household_id = hh.id
    ),
    ins as (
      insert into ${needsOpinion} (campaign_id, household_id, channel, choices, free_text, entered_by_user_id)
      select c.id, hh.id, ${p('channel')}::text, ${p('choices')}::jsonb, ${p('freeText')}::text, ${p('enteredBy')}::int from c cross join hh
      ${onConflict}
      returning id, revision
    ),
    ${code ? sql`spent as (update ${needsAccessCode} set used_at = ${p('now')}::timestamptz from ins where ${needsAccessCode}.id = (select id from code)),` : sql``}
    audited as (${parts.audit({
      from: sql`ins cross join hh cross join c`,
      action,
      entityType: sql`'needs_opinion'`,
      entityId: sql`ins.id::text`,
      regionPath,
      after,
    })})
    select exists (select 1 from c) as campaign_matches, hh.id as household_id, hh.household_no, ins.id as opinion_id, ins.revision,
      prior.channel as prior_channel, to_char(prior.created_at at time zone 'UTC', 'YYYY-MM-DD') as prior_on,
      ${code ? sql`code.used` : sql`null::boolean`} as code_used
    from (select 1) as one left join hh on true left join ins on true left join prior on true ${code ? sql`left join code on true` : sql``}`;
  return new PreparedStatement(`needs_opinion_${parts.identification}_${parts.replace ? 'replace' : 'once'}`, query);
}
