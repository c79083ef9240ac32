/**
 * BOUNDARY EXEMPTION — the invariant verifier reads every module's tables by design: it checks the
 * business rules that span modules (contracts against plans and the ledger, opinions against the
 * household registry, …) straight from the rows, so that a bug in a module's own code cannot hide
 * a broken rule. It is read-only (it writes nothing, in any table) and no module depends on it; the
 * module-boundary lint rules exempt `modules/invariants/**` for this reason (docs/invariants.md).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ProgressRepository } from '../progress/progress.repository.js';

/**
 * The cross-table business rules, each as one read-only query returning the rows that break it
 * (empty when it holds), ordered so that the first one is stable. The verifier is the one place
 * that reads across modules' tables: it writes nothing and no module depends on it (see
 * docs/invariants.md).
 */
export interface Offender {
  /** The table of the offending row. */
  table: string;
  /** Its primary key (a code for a community, a text id for a ledger transfer). */
  id: string;
  /** The values that break the rule. */
  detail: Record<string, unknown>;
}

/** At most this many offending rows are read per check. */
export const OFFENDER_LIMIT = 100;

interface RawRow {
  table_name: string;
  id: string | number;
  detail: Record<string, unknown> | string;
}

async function offenders(db: Executor, query: SQL): Promise<Offender[]> {
  const result = (await db.execute(sql`${query} limit ${OFFENDER_LIMIT}`)) as unknown as { rows: RawRow[] };
  return result.rows.map((r) => ({
    table: r.table_name,
    id: String(r.id),
    detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
  }));
}

/** What each contract has paid, by its paid instalments. */
const PAID_PER_CONTRACT = sql`select contract_id, sum(amount_fen)::bigint as paid_fen from contract_instalment where status = 'paid' group by contract_id`;

/** Contracts that hold a project or money: every status but cancelled (as procurement's own check). */
const LIVE = sql`c.status <> 'cancelled'`;

export class InvariantsRepository {
  /** [N 4.1] (no duplicate investment) A project is covered by at most one live (draft, signed or completed) contract. */
  async projectsWithSeveralLiveContracts(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      select 'plan_project' as table_name, cp.plan_project_id as id,
             jsonb_build_object('liveContracts', jsonb_agg(c.id order by c.id)) as detail
        from contract_project cp join contract c on c.id = cp.contract_id
       where ${LIVE}
       group by cp.plan_project_id
      having count(*) > 1
       order by cp.plan_project_id`,
    );
  }

  /**
   * [N 4.1] The live contracts covering a project amount to no more than its planned budget. A
   * contract may cover several projects: their budgets are then counted together.
   */
  async projectsOverBudget(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      with live as (
        select c.id, c.amount_fen from contract c where ${LIVE}
      ), per_project as (
        select cp.plan_project_id as project_id, sum(l.amount_fen)::bigint as contracted_fen, jsonb_agg(l.id order by l.id) as contracts
          from contract_project cp join live l on l.id = cp.contract_id
         group by cp.plan_project_id
      ), covered as (
        -- every project covered together with this one by one of its live contracts
        select distinct cp1.plan_project_id as project_id, cp2.plan_project_id as other_id
          from contract_project cp1
          join live l on l.id = cp1.contract_id
          join contract_project cp2 on cp2.contract_id = cp1.contract_id
      ), budgets as (
        select cv.project_id, sum(pp.budget_fen)::bigint as budget_fen, count(*)::int as projects
          from covered cv join plan_project pp on pp.id = cv.other_id
         group by cv.project_id
      )
      select 'plan_project' as table_name, p.project_id as id,
             jsonb_build_object('contractedFen', p.contracted_fen, 'budgetFen', b.budget_fen, 'projectsCounted', b.projects, 'liveContracts', p.contracts) as detail
        from per_project p join budgets b on b.project_id = p.project_id
       where p.contracted_fen > b.budget_fen
       order by p.project_id`,
    );
  }

  /** [N 3.3] No contract pays more than its amount: paid instalments, and disbursements of its commitment in the ledger. */
  async contractsOverpaid(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      with paid as (${PAID_PER_CONTRACT}), disbursed as (
        select c.id as contract_id, sum(t.amount)::bigint as disbursed_fen
          from contract c join ledger_transfer t on t.kind = 'post_pending'
           and (t.pending_id = c.commitment_transfer_id
                or t.pending_id in (select s.commitment_transfer_id from contract_share s where s.contract_id = c.id))
         group by c.id
      )
      select 'contract' as table_name, c.id,
             jsonb_build_object('amountFen', c.amount_fen, 'paidFen', coalesce(p.paid_fen, 0), 'disbursedFen', coalesce(d.disbursed_fen, 0), 'status', c.status) as detail
        from contract c
        left join paid p on p.contract_id = c.id
        left join disbursed d on d.contract_id = c.id
       where coalesce(p.paid_fen, 0) > c.amount_fen or coalesce(d.disbursed_fen, 0) > c.amount_fen
       order by c.id`,
    );
  }

  /** [N 3.3] A contract's instalments (void ones included: voiding keeps the amount) sum to its amount. */
  async contractsWithInstalmentsNotSummingToAmount(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      select 'contract' as table_name, c.id,
             jsonb_build_object('amountFen', c.amount_fen, 'instalmentsFen', coalesce(sum(i.amount_fen), 0)::bigint, 'instalments', count(i.id)::int) as detail
        from contract c left join contract_instalment i on i.contract_id = c.id
       group by c.id, c.amount_fen
      having coalesce(sum(i.amount_fen), 0) <> c.amount_fen
       order by c.id`,
    );
  }

  /**
   * [N 3.3] A paid instalment has exactly one disbursement in the ledger: its transfer_id names a
   * post of its contract's commitment for its amount, paid on (`<id>:payout`) for the same
   * amount; an instalment not paid names none. And every disbursement of a contract's commitment
   * is some paid instalment's.
   */
  async instalmentsWithoutTheirTransfer(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      select * from (
        select 'contract_instalment' as table_name, i.id::text as id,
               jsonb_build_object('contractId', i.contract_id, 'seq', i.seq, 'status', i.status, 'amountFen', i.amount_fen, 'transferId', i.transfer_id,
                 'transfer', case when t.id is null then null else jsonb_build_object('kind', t.kind, 'code', t.code, 'amount', t.amount, 'pendingId', t.pending_id) end,
                 'commitmentTransferId', c.commitment_transfer_id, 'payoutAmount', po.amount) as detail,
               0 as part, lpad(i.id::text, 20, '0') as sort_key
          from contract_instalment i
          join contract c on c.id = i.contract_id
          left join ledger_transfer t on t.id = i.transfer_id
          left join ledger_transfer po on po.id = i.transfer_id || ':payout'
         where not exists (select 1 from contract_share s where s.contract_id = c.id)
           and ((i.status = 'paid' and (t.id is null or t.kind <> 'post_pending' or t.code <> 'disbursement' or t.amount <> i.amount_fen
                  or t.pending_id is distinct from c.commitment_transfer_id or po.id is null or po.code <> 'payout' or po.amount <> i.amount_fen))
            or (i.status <> 'paid' and i.transfer_id is not null))
        union all
        -- [N 2.3] An area contract's paid instalment: its members' disbursements (<key>:<community>, each of that member's
        -- commitment and paid on) sum to its amount.
        select 'contract_instalment', i.id::text,
               jsonb_build_object('contractId', i.contract_id, 'seq', i.seq, 'status', i.status, 'amountFen', i.amount_fen, 'transferId', i.transfer_id,
                 'memberDisbursedFen', coalesce(m.disbursed, 0), 'memberPayoutFen', coalesce(m.paid_on, 0)),
               0, lpad(i.id::text, 20, '0')
          from contract_instalment i
          left join lateral (
            select sum(t.amount)::bigint as disbursed, sum(po.amount)::bigint as paid_on
              from contract_share s
              join ledger_transfer t on t.id = i.transfer_id || ':' || s.community_code and t.kind = 'post_pending'
                   and t.code = 'disbursement' and t.pending_id = s.commitment_transfer_id
              left join ledger_transfer po on po.id = t.id || ':payout' and po.code = 'payout'
             where s.contract_id = i.contract_id
          ) m on true
         where exists (select 1 from contract_share s where s.contract_id = i.contract_id)
           and ((i.status = 'paid' and (coalesce(m.disbursed, 0) <> i.amount_fen or coalesce(m.paid_on, 0) <> i.amount_fen))
            or (i.status <> 'paid' and i.transfer_id is not null))
        union all
        select 'ledger_transfer', t.id,
               jsonb_build_object('code', t.code, 'kind', t.kind, 'amount', t.amount, 'pendingId', t.pending_id, 'contractId', s.contract_id, 'paidInstalments', count(i.id)::int),
               1, t.id
          from ledger_transfer t
          join contract_share s on s.commitment_transfer_id = t.pending_id
          left join contract_instalment i on i.contract_id = s.contract_id and i.status = 'paid' and t.id = i.transfer_id || ':' || s.community_code
         where t.kind = 'post_pending'
         group by t.id, s.contract_id
        having count(i.id) <> 1
        union all
        select 'ledger_transfer', t.id,
               jsonb_build_object('code', t.code, 'kind', t.kind, 'amount', t.amount, 'pendingId', t.pending_id, 'contractId', c.id, 'paidInstalments', count(i.id)::int),
               1, t.id
          from ledger_transfer t
          join contract c on c.commitment_transfer_id = t.pending_id
          left join contract_instalment i on i.transfer_id = t.id and i.status = 'paid'
         where t.kind = 'post_pending'
         group by t.id, c.id
        having count(i.id) <> 1
      ) x
      order by part, sort_key`,
    );
  }

  /** [N 3.3] Every payout transfer pays on exactly one paid instalment (its id is the instalment's transfer id + ':payout'). */
  async payoutsWithoutPaidInstalment(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      select 'ledger_transfer' as table_name, t.id,
             jsonb_build_object('amount', t.amount, 'reference', t.reference, 'paidInstalments', count(i.id)::int, 'instalmentAmount', min(i.amount_fen)) as detail
        from ledger_transfer t
        left join contract_instalment i on i.status = 'paid' and i.transfer_id || ':payout' = t.id
        -- [N 2.3] An area contract's member payout pays on that member's disbursement of a paid instalment.
        left join lateral (
          select count(*)::int as n, min(d.amount) as amount
            from contract_share s
            join contract_instalment ai on ai.contract_id = s.contract_id and ai.status = 'paid'
            join ledger_transfer d on d.id = ai.transfer_id || ':' || s.community_code and d.pending_id = s.commitment_transfer_id
           where d.id || ':payout' = t.id
        ) m on true
       where t.code = 'payout'
       group by t.id, m.n, m.amount
      having count(i.id) + coalesce(m.n, 0) <> 1 or coalesce(min(i.amount_fen), m.amount) <> t.amount
       order by t.seq`,
    );
  }

  /**
   * [N 1] A community's commitments in a fund year stay within its allocation: the amounts of its
   * signed and completed contracts plus what cancelled ones, and those whose remainder a failed
   * final evaluation voided [N 3.2], paid, against the allocation transfers
   * it received (less their corrections).
   */
  async communitiesOverAllocation(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      with paid as (${PAID_PER_CONTRACT}), parts as (
        select c.fund_year, c.community_code,
               case when c.status = 'cancelled' or c.remainder_voided_on is not null then coalesce(p.paid_fen, 0)
                    when c.status in ('signed', 'completed') then c.amount_fen else 0 end as committed_fen,
               c.status in ('signed', 'completed') as live
          from contract c left join paid p on p.contract_id = c.id
         where not exists (select 1 from contract_share s where s.contract_id = c.id)
        union all
        -- [N 2.3] An area contract commits each member's part; once released, what was paid of it.
        select c.fund_year, s.community_code,
               case when c.status = 'cancelled' or c.remainder_voided_on is not null
                      then coalesce((select sum(t.amount) from ledger_transfer t where t.pending_id = s.commitment_transfer_id and t.kind = 'post_pending'), 0)
                    when c.status in ('signed', 'completed') then s.amount_fen else 0 end,
               c.status in ('signed', 'completed')
          from contract c join contract_share s on s.contract_id = c.id
      ), committed as (
        select fund_year, community_code, sum(committed_fen)::bigint as committed_fen, count(*) filter (where live)::int as contracts
          from parts
         group by fund_year, community_code
      ), allocated as (
        select a.fund_year, a.ref as community_code,
               (coalesce((select sum(t.amount) from ledger_transfer t where t.credit_account_id = a.id and t.code = 'allocation'), 0)
                - coalesce((select sum(k.amount) from ledger_transfer k join ledger_transfer o on o.id = k.corrects_id
                             where k.debit_account_id = a.id and k.code = 'correction' and o.code = 'allocation'), 0))::bigint as allocated_fen
          from ledger_account a
         where a.kind = 'community_available'
      )
      select 'region' as table_name, m.community_code as id,
             jsonb_build_object('fundYear', m.fund_year, 'committedFen', m.committed_fen, 'allocatedFen', coalesce(a.allocated_fen, 0), 'liveContracts', m.contracts) as detail
        from committed m
        left join allocated a on a.fund_year = m.fund_year and a.community_code = m.community_code
       where m.committed_fen > coalesce(a.allocated_fen, 0)
       order by m.fund_year, m.community_code`,
    );
  }

  /** [N 3.1.1(1)] Every opinion comes from a household registered in the campaign's community. */
  async opinionsFromOtherCommunities(db: Executor): Promise<Offender[]> {
    return offenders(
      db,
      sql`
      select 'needs_opinion' as table_name, o.id,
             jsonb_build_object('campaignId', o.campaign_id, 'campaignCommunity', nc.community_code, 'householdId', o.household_id, 'householdCommunity', h.community_code) as detail
        from needs_opinion o
        join needs_campaign nc on nc.id = o.campaign_id
        left join household h on h.id = o.household_id
       where h.id is null or h.community_code <> nc.community_code
       order by o.id`,
    );
  }

  /**
   * [N 3.1.2(1)] No objection counts that was received outside its notice's window (from the
   * posting day to the window's end, both included).
   */
  async objectionsOutsideWindow(db: Executor): Promise<Offender[]> {
    // The day an objection counts for is the day it was received (online: the day it is made;
    // paper: the day the community received it, possibly typed in later within the policy's
    // grace), so the window is checked on received_on, not on created_at.
    return offenders(
      db,
      sql`
      select 'decision_objection' as table_name, o.id,
             jsonb_build_object('noticeId', n.id, 'channel', o.channel, 'receivedOn', o.received_on::text,
               'createdOnChina', (o.created_at at time zone 'Asia/Shanghai')::date::text, 'postedOn', n.posted_on, 'windowEnd', n.window_end) as detail
        from decision_objection o join decision_notice n on n.id = o.notice_id
       where o.received_on < n.posted_on or o.received_on > n.window_end
       order by o.id`,
    );
  }

  /**
   * The read model (ADR 0023): every stored progress row against the row recomputed from the source
   * tables, field by field (a missing or extra row is field '(row)').
   */
  async progressRowsDifferingFromSources(db: Executor): Promise<Offender[]> {
    const found = await new ProgressRepository().differences(db, OFFENDER_LIMIT);
    return found.map((d) => ({
      table: 'community_progress',
      id: `${d.communityCode}/${d.fundYear}`,
      detail: { communityCode: d.communityCode, fundYear: d.fundYear, field: d.field, stored: d.stored, recomputed: d.recomputed },
    }));
  }
}
