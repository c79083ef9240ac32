import { DomainError, type BilingualMessage } from './errors.js';

/**
 * Every "at most one" rule of the domain is held by PostgreSQL itself (a unique or partial unique
 * index, or a row lock taken before the check): see docs/invariants.md and ADR 0010. A service
 * checks first to answer with a precise message; a concurrent request that passes the check at
 * the same moment is stopped by the index (SQLSTATE 23505) and must get the same 409 — the rule's
 * code and clause — never a 500. This table maps each index to its rule.
 */
export interface AtMostOneRule {
  code: string;
  clause?: string;
  field?: string;
  message: BilingualMessage;
}

export const AT_MOST_ONE_RULES: Record<string, AtMostOneRule> = {
  contract_project_live_idx: {
    code: 'PROJECT_ALREADY_CONTRACTED',
    clause: '[N 4.1]',
    field: 'projectIds',
    message: { zh: '项目已有合同（未终止），不能重复签订', en: 'A project already has a contract' },
  },
  needs_opinion_campaign_household_idx: {
    code: 'ALREADY_SUBMITTED',
    clause: '[N 3.1.1(1)]',
    message: {
      zh: '该户已提交过意见，本次征集每户只计一次，不能重复提交',
      en: 'The household already answered; a household counts once per campaign',
    },
  },
  decision_objection_once_idx: {
    code: 'ALREADY_OBJECTED',
    clause: '[N 3.1.2(1)]',
    message: {
      zh: '该居民代表已对本次公示提出异议，每位代表每次公示只计一次',
      en: 'This representative has already objected to this notice; each counts once',
    },
  },
  payment_request_live_idx: {
    code: 'REQUEST_EXISTS',
    clause: '[N 3.3]',
    message: { zh: '本期已有待审批的拨付申请', en: 'The instalment already has a pending request' },
  },
  contract_instalment_transfer_idx: {
    code: 'INSTALMENT_PAID',
    clause: '[N 3.3]',
    message: { zh: '本期已拨付，不能重复拨付', en: 'The instalment is already paid' },
  },
  rating_community_year_idx: {
    code: 'RATING_EXISTS',
    clause: '[N 1]',
    message: { zh: '该社区本年度已有星级评定', en: 'The community already has a rating for the year' },
  },
  evaluation_assignment_unique_idx: {
    code: 'ALREADY_ASSIGNED',
    clause: '[N 3.2]',
    field: 'planProjectId',
    message: { zh: '该项目在本轮已安排评估', en: 'The project is already assigned in this round' },
  },
  evaluation_round_unique_idx: {
    code: 'ROUND_EXISTS',
    clause: '[N 3.2]',
    message: { zh: '本年度该类评估轮次已开启', en: 'The round is already open' },
  },
  evaluation_fee_transfer_idx: {
    code: 'FEE_RECORDED',
    clause: '[N 3.12]',
    field: 'requestId',
    message: { zh: '该评估费已登记（同一幂等编号）', en: 'The fee with this requestId is already recorded' },
  },
  plan_review_round_stage_idx: {
    code: 'PLAN_STATUS',
    clause: '[N 3.1.2(2)]',
    message: { zh: '该方案本轮已审核或备案', en: 'The plan was already reviewed or filed in this round' },
  },
  roster_term_open_idx: {
    code: 'ROSTER_TERM_OVERLAP',
    clause: '[N 3.1.2(1)]',
    field: 'personName',
    message: { zh: '此人已在该名册中任职（任期未结束）', en: 'The person already holds an open term on this body' },
  },
  plan_community_year_idx: {
    code: 'PLAN_EXISTS',
    clause: '[N 2.3]',
    message: { zh: '社区本年度已有使用方案', en: 'A plan for the year already holds the community' },
  },
  decision_campaign_live_idx: {
    code: 'DECISION_EXISTS',
    clause: '[N 3]',
    message: { zh: '该项目清单已在决策程序中', en: 'A decision on this list already exists' },
  },
  decision_notice_round_idx: {
    code: 'NOTICE_EXISTS',
    clause: '[N 3.1.2(1)]',
    message: { zh: '本轮公示已发布', en: 'The notice of this round is already posted' },
  },
  needs_campaign_community_year_idx: {
    code: 'CAMPAIGN_EXISTS',
    clause: '[N 3.1.1(1)]',
    message: { zh: '本社区本年度的需求征集已创建', en: 'The community already has a campaign for the year' },
  },
  household_community_no_idx: {
    code: 'HOUSEHOLD_EXISTS',
    field: 'householdNo',
    message: { zh: '户号已登记', en: 'The household is already registered' },
  },
  app_user_username_unique: { code: 'USERNAME_TAKEN', field: 'username', message: { zh: '用户名已被使用', en: 'The username is taken' } },
  provider_credit_code_idx: {
    code: 'CREDIT_CODE_TAKEN',
    field: 'creditCode',
    message: { zh: '统一社会信用代码已登记', en: 'A provider with this credit code is already registered' },
  },
  district_report_unique_idx: {
    code: 'REPORT_EXISTS',
    clause: '[N 3.2]',
    message: { zh: '本年度该类报告已存在', en: 'The report already exists' },
  },
  policy_year_pkey: { code: 'POLICY_EXISTS', message: { zh: '该年度政策已存在', en: 'The policy of the year already exists' } },
  calendar_year_pkey: {
    code: 'CALENDAR_YEAR_EXISTS',
    message: { zh: '该年工作日历已发布，请逐日修改', en: 'The calendar of the year is already published; edit single days instead' },
  },
  disclosure_record_once_idx: {
    code: 'DISCLOSURE_EXISTS',
    clause: '[N 4.2]',
    message: { zh: '该公开记录已存在', en: 'The disclosure record already exists' },
  },
};

/** The rule's DomainError (409), for the sequential check and the concurrent loser alike. */
export function atMostOneError(constraint: string, extra: { message?: BilingualMessage; details?: unknown } = {}): DomainError {
  const rule = AT_MOST_ONE_RULES[constraint];
  if (!rule) {
    return new DomainError(
      'ALREADY_EXISTS',
      { zh: '记录已存在（并发提交），请刷新后重试', en: 'The record already exists (concurrent request); reload and retry' },
      { kind: 'conflict', details: { constraint } },
    );
  }
  return new DomainError(rule.code, extra.message ?? rule.message, {
    kind: 'conflict',
    clause: rule.clause,
    field: rule.field,
    details: extra.details,
  });
}

export const concurrentUpdate = () =>
  new DomainError(
    'CONCURRENT_UPDATE',
    { zh: '数据正被同时修改，请稍后重试', en: 'The data was changed concurrently; retry' },
    { kind: 'conflict' },
  );

interface PgErrorShape {
  code?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

/**
 * The PostgreSQL error behind `error`, whichever driver: node-postgres' DatabaseError and PGlite's
 * carry `code` and `constraint` themselves; Drizzle wraps either in a DrizzleQueryError (`cause`).
 */
export function pgErrorOf(error: unknown): { code: string; constraint?: string } | null {
  for (
    let e = error as PgErrorShape | undefined, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = e.cause as PgErrorShape | undefined, depth++
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code))
      return { code: e.code, constraint: typeof e.constraint === 'string' ? e.constraint : undefined };
  }
  return null;
}

/** 23505 → the rule's 409; 40P01 / 40001 → 409 CONCURRENT_UPDATE; anything else unchanged. */
export function asDomainError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const pg = pgErrorOf(error);
  if (!pg) return error;
  if (pg.code === '23505') return atMostOneError(pg.constraint ?? '');
  if (pg.code === '40P01' || pg.code === '40001') return concurrentUpdate();
  return error;
}

/** Runs a unit of work (usually a whole transaction) and answers a lost race with the rule's 409. */
export async function heldOnce<T>(work: Promise<T> | (() => Promise<T>)): Promise<T> {
  try {
    return await (typeof work === 'function' ? work() : work);
  } catch (error) {
    throw asDomainError(error);
  }
}
