/**
 * Pure rules of purchase of services [N 3.1.3], provider eligibility [N 3.2] and disbursement
 * [N 3.3]. No I/O: the service gathers the facts and these functions decide.
 */

import type { Verdict } from '../../common/verdict.js';

export const PROCUREMENT_CLAUSE = '[N 3.1.3]';
export const ELIGIBILITY_CLAUSE = '[N 3.2]';
export const DISBURSEMENT_CLAUSE = '[N 3.3]';

// ------------------------------------------------------------------------------ providers

export const PROVIDER_KINDS = ['social_work_station', 'social_organisation', 'university'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const PROVIDER_KIND_LABELS: Record<ProviderKind, string> = {
  social_work_station: '社工站',
  social_organisation: '社会组织',
  university: '高校科研院所',
};

/** GB 32100-2015: the 31 characters of a unified social credit code (no I, O, Z, S, V). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeCheck =
  | { ok: true; code: string }
  | { ok: false; reason: 'length' | 'character' | 'check_digit'; zh: string; en: string; position?: number; expected?: string };

/**
 * [N 3.1.3] Validates a provider's 18-character unified social credit code (GB 32100-2015). Surrounding spaces are
 * trimmed and lower case is accepted and normalised to upper case (codes are printed in capitals,
 * but are often typed in lower case); the check digit is the 18th character.
 */
export function checkCreditCode(input: string): CreditCodeCheck {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) {
    return {
      ok: false,
      reason: 'length',
      zh: `统一社会信用代码应为 18 位，实际 ${code.length} 位`,
      en: `A unified social credit code has 18 characters, not ${code.length}`,
    };
  }
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(code[i]!);
    if (value < 0) {
      return {
        ok: false,
        reason: 'character',
        position: i + 1,
        zh: `统一社会信用代码第 ${i + 1} 位“${code[i]}”不是允许的字符`,
        en: `Character ${i + 1} ('${code[i]}') is not allowed in a unified social credit code`,
      };
    }
    if (i < 17) sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  const expectedValue = (31 - (sum % 31)) % 31;
  const expected = CREDIT_CODE_CHARSET[expectedValue]!;
  if (code[17] !== expected) {
    return {
      ok: false,
      reason: 'check_digit',
      expected,
      zh: `统一社会信用代码校验位错误（应为 ${expected}）`,
      en: `The check character of the unified social credit code is wrong (expected ${expected})`,
    };
  }
  return { ok: true, code };
}

/** [N 3.1.3] The check character (GB 32100-2015) for the first 17 characters of a credit code (for demo data and tests). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARSET.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

export interface IneligibilityRecord {
  /** The fund year in which the provider may not be contracted. */
  year: number;
  reason: string;
  source: 'final_evaluation' | 'manual';
  sourceRef: string | null;
}

export type Eligibility = { eligible: true; year: number; reasons: [] } | { eligible: false; year: number; reasons: IneligibilityRecord[] };

/**
 * [N 3.2] A provider rated 不合格 in last year's final evaluation is ineligible this year. The
 * evaluation module records that as an ineligibility for the following year; a manual record
 * (e.g. a blacklisting) counts the same way.
 */
export function eligibilityFor(year: number, records: IneligibilityRecord[]): Eligibility {
  const reasons = records.filter((r) => r.year === year);
  return reasons.length === 0 ? { eligible: true, year, reasons: [] } : { eligible: false, year, reasons };
}

// ------------------------------------------------------------------------------ procurement

export const PROCUREMENT_METHODS = [
  'public_tender',
  'invited_tender',
  'competitive_negotiation',
  'competitive_consultation',
  'single_source',
  'inquiry',
  'small_direct',
] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];
export const PROCUREMENT_METHOD_LABELS: Record<ProcurementMethod, string> = {
  public_tender: '公开招标',
  invited_tender: '邀请招标',
  competitive_negotiation: '竞争性谈判',
  competitive_consultation: '竞争性磋商',
  single_source: '单一来源',
  inquiry: '询价',
  small_direct: '小额直接采购',
};

/** A small-amount direct purchase only below the year's local threshold [N 3.1.3]. */
export function checkProcurementMethod(method: ProcurementMethod, amountFen: number, smallPurchaseThresholdFen: number): Verdict {
  if (method === 'small_direct' && amountFen >= smallPurchaseThresholdFen) {
    return {
      ok: false,
      code: 'SMALL_PURCHASE_OVER_THRESHOLD',
      clause: PROCUREMENT_CLAUSE,
      field: 'method',
      zh: `小额直接采购仅适用于低于 ${fmtYuan(smallPurchaseThresholdFen)} 的采购，本次 ${fmtYuan(amountFen)}`,
      en: `A small-amount direct purchase must be below ${smallPurchaseThresholdFen} fen; this one is ${amountFen}`,
      details: { amountFen, smallPurchaseThresholdFen },
    };
  }
  return { ok: true };
}

// ------------------------------------------------------------------------------ contracts

export const INSTALMENT_CONDITIONS = ['on_signing', 'after_midterm_passed', 'after_final_passed', 'on_date'] as const;
export type InstalmentCondition = (typeof INSTALMENT_CONDITIONS)[number];
export const INSTALMENT_CONDITION_LABELS: Record<InstalmentCondition, string> = {
  on_signing: '合同签订后',
  after_midterm_passed: '中期评估合格后',
  after_final_passed: '终期评估合格后',
  on_date: '约定日期后',
};

export interface InstalmentPlan {
  condition: InstalmentCondition;
  amountFen: number;
  dueOn?: string | null;
}

/** [N 3.1.3] Instalments: at least one, positive, a date exactly for `on_date`, summing exactly to the contract. */
export function checkInstalments(amountFen: number, instalments: InstalmentPlan[], period: { startsOn: string; endsOn: string }): Verdict {
  if (instalments.length === 0)
    return {
      ok: false,
      code: 'INSTALMENTS_REQUIRED',
      clause: PROCUREMENT_CLAUSE,
      field: 'instalments',
      zh: '合同至少需要一期付款',
      en: 'A contract needs at least one instalment',
    };
  for (const [i, p] of instalments.entries()) {
    if (p.amountFen <= 0)
      return {
        ok: false,
        code: 'INSTALMENT_AMOUNT',
        clause: PROCUREMENT_CLAUSE,
        field: `instalments.${i}.amountFen`,
        zh: `第 ${i + 1} 期金额必须大于零`,
        en: `Instalment ${i + 1} must be above zero`,
      };
    if (p.condition === 'on_date' && !p.dueOn)
      return {
        ok: false,
        code: 'INSTALMENT_DATE_REQUIRED',
        clause: PROCUREMENT_CLAUSE,
        field: `instalments.${i}.dueOn`,
        zh: `第 ${i + 1} 期按日期支付，须填写日期`,
        en: `Instalment ${i + 1} is paid on a date: give dueOn`,
      };
    if (p.condition !== 'on_date' && p.dueOn)
      return {
        ok: false,
        code: 'INSTALMENT_DATE_UNEXPECTED',
        clause: PROCUREMENT_CLAUSE,
        field: `instalments.${i}.dueOn`,
        zh: `第 ${i + 1} 期不是按日期支付，不应填写日期`,
        en: `Instalment ${i + 1} is not paid on a date: omit dueOn`,
      };
    if (p.dueOn && (p.dueOn < period.startsOn || p.dueOn > period.endsOn)) {
      return {
        ok: false,
        code: 'INSTALMENT_DATE_OUTSIDE',
        clause: PROCUREMENT_CLAUSE,
        field: `instalments.${i}.dueOn`,
        zh: `第 ${i + 1} 期日期不在合同期限内`,
        en: `Instalment ${i + 1} falls outside the contract period`,
      };
    }
  }
  const sum = instalments.reduce((s, p) => s + p.amountFen, 0);
  if (sum !== amountFen) {
    return {
      ok: false,
      code: 'INSTALMENTS_SUM',
      clause: PROCUREMENT_CLAUSE,
      field: 'instalments',
      zh: `各期金额合计 ${fmtYuan(sum)} 与合同金额 ${fmtYuan(amountFen)} 不一致`,
      en: `Instalments add up to ${sum} fen, the contract is ${amountFen}`,
      details: { sum, amountFen },
    };
  }
  return { ok: true };
}

export type EvaluationOutcome = 'passed' | 'failed' | null;

export interface ConditionFacts {
  today: string;
  contractStatus: string;
  signedOn: string | null;
  /** Results of the evaluations of the contract's projects (issue 8); null: no result yet. */
  midterm: EvaluationOutcome;
  final: EvaluationOutcome;
}

/** [N 3.3] Whether an instalment's condition holds now, with the reason when it does not. */
export function conditionHolds(instalment: { condition: InstalmentCondition; dueOn: string | null }, facts: ConditionFacts): Verdict {
  const refuse = (code: string, zh: string, en: string): Verdict => ({
    ok: false,
    code,
    zh,
    en,
    clause: DISBURSEMENT_CLAUSE,
    details: { condition: instalment.condition },
  });
  if (facts.contractStatus !== 'signed' || !facts.signedOn)
    return refuse('CONTRACT_NOT_SIGNED', '合同未签订或已终止，不能拨付', 'The contract is not in force');
  switch (instalment.condition) {
    case 'on_signing':
      return facts.today >= facts.signedOn
        ? { ok: true }
        : refuse('CONDITION_NOT_MET', `合同签订日 ${facts.signedOn} 尚未到来`, `The contract is signed on ${facts.signedOn}`);
    case 'after_midterm_passed':
      if (facts.midterm === 'passed') return { ok: true };
      return facts.midterm === 'failed'
        ? refuse('CONDITION_NOT_MET', '中期评估不合格，本期不能拨付', 'The mid-term evaluation failed')
        : refuse('CONDITION_NOT_MET', '中期评估尚无合格结果，本期不能拨付', 'No passed mid-term evaluation yet');
    case 'after_final_passed':
      if (facts.final === 'passed') return { ok: true };
      return facts.final === 'failed'
        ? refuse('CONDITION_NOT_MET', '终期评估不合格，本期不能拨付', 'The final evaluation failed')
        : refuse('CONDITION_NOT_MET', '终期评估尚无合格结果，本期不能拨付', 'No passed final evaluation yet');
    case 'on_date':
      return instalment.dueOn && facts.today >= instalment.dueOn
        ? { ok: true }
        : refuse(
            'CONDITION_NOT_MET',
            `约定支付日期 ${instalment.dueOn ?? ''} 尚未到来`,
            `The instalment is due on ${instalment.dueOn ?? '?'}`,
          );
  }
}

/** [N 3.3] Never above the contract: what is paid plus this instalment stays within the amount. */
export function checkWithinContract(contractAmountFen: number, paidFen: number, instalmentFen: number): Verdict {
  if (paidFen + instalmentFen > contractAmountFen) {
    return {
      ok: false,
      code: 'CONTRACT_AMOUNT_EXCEEDED',
      clause: DISBURSEMENT_CLAUSE,
      zh: `已拨付 ${fmtYuan(paidFen)}，再拨付 ${fmtYuan(instalmentFen)} 将超过合同金额 ${fmtYuan(contractAmountFen)}`,
      en: `Paying ${instalmentFen} on top of ${paidFen} exceeds the contract amount ${contractAmountFen}`,
      details: { contractAmountFen, paidFen, instalmentFen },
    };
  }
  return { ok: true };
}

/** [N 3.3] An amount in fen as yuan (¥1,234.56) for the reasons of payment refusals: integer arithmetic, no float. */
export function fmtYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

// ------------------------------------------------------------------------------ uploads

export const UPLOAD_TYPES = {
  'image/jpeg': { ext: ['jpg', 'jpeg'] },
  'image/png': { ext: ['png'] },
  'application/pdf': { ext: ['pdf'] },
} as const;
export type UploadType = keyof typeof UPLOAD_TYPES;

/** [N 3.1.3(2)] The real type of a photo or file from its first bytes (magic numbers), or null when not allowed. */
export function sniffType(bytes: Uint8Array): UploadType | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (bytes.length >= 3 && starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes.length >= 8 && starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (bytes.length >= 5 && starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return null;
}

/**
 * [N 3.1.3(2)] A file name safe to store and to send back in Content-Disposition: the base name only, no
 * control or path characters, at most 100 characters, with the extension of the real type.
 */
export function safeFileName(name: string, type: UploadType): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const stem =
    base
      .replace(/\.[^.]*$/, '')
      .replace(/[\u0000-\u001f\u007f"'<>:|?*;%\\/]/g, '_')
      .replace(/^\.+/, '')
      .trim()
      .slice(0, 80) || 'file';
  return `${stem}.${UPLOAD_TYPES[type].ext[0]}`;
}

export type UploadCheck = { ok: true; type: UploadType; fileName: string } | { ok: false; code: string; zh: string; en: string };

/** [N 3.1.3(2)] An implementation photo or file: type by magic bytes, matching the declared extension, within the size cap. */
export function checkUpload(fileName: string, bytes: Uint8Array, maxBytes: number): UploadCheck {
  if (bytes.length === 0) return { ok: false, code: 'UPLOAD_EMPTY', zh: '文件为空', en: 'The file is empty' };
  if (bytes.length > maxBytes) {
    return {
      ok: false,
      code: 'UPLOAD_TOO_LARGE',
      zh: `文件过大（上限 ${Math.floor(maxBytes / 1024 / 1024)} MB）`,
      en: `The file exceeds ${maxBytes} bytes`,
    };
  }
  const type = sniffType(bytes);
  if (!type)
    return {
      ok: false,
      code: 'UPLOAD_TYPE_REFUSED',
      zh: '只能上传 JPEG、PNG 图片或 PDF 文件（按文件内容识别）',
      en: 'Only JPEG, PNG or PDF files are accepted (by content)',
    };
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext !== undefined && !(UPLOAD_TYPES[type].ext as readonly string[]).includes(ext)) {
    return {
      ok: false,
      code: 'UPLOAD_TYPE_MISMATCH',
      zh: `文件扩展名 .${ext} 与文件内容（${type}）不符`,
      en: `The extension .${ext} does not match the content (${type})`,
    };
  }
  return { ok: true, type, fileName: safeFileName(fileName, type) };
}

/**
 * [N 3.2] "An evaluation failure voids the rest": what a 不合格 final evaluation of a covered project
 * does to a contract. A signed contract's open and requested instalments become void and the rest of
 * its commitment (amount − paid) is released; it ends as completed. A draft (nothing committed) is
 * cancelled with its instalments void. A completed or cancelled contract is left alone. The
 * instalments are one commitment, not apportioned to projects, and the contract's final outcome
 * fails with any one project ([N 3.3] `outcomeOf`), so the first failure voids the whole remainder.
 */
export function remainderVoidOf(
  contract: { status: 'draft' | 'signed' | 'completed' | 'cancelled'; amountFen: number },
  instalments: readonly { seq: number; status: 'open' | 'requested' | 'paid' | 'void'; amountFen: number }[],
): { applies: false } | { applies: true; status: 'completed' | 'cancelled'; voidSeqs: number[]; paidFen: number; releasedFen: number } {
  if (contract.status !== 'signed' && contract.status !== 'draft') return { applies: false };
  const paidFen = instalments.filter((i) => i.status === 'paid').reduce((s, i) => s + i.amountFen, 0);
  return {
    applies: true,
    status: contract.status === 'signed' ? 'completed' : 'cancelled',
    voidSeqs: instalments.filter((i) => i.status === 'open' || i.status === 'requested').map((i) => i.seq),
    paidFen,
    releasedFen: contract.status === 'signed' ? contract.amountFen - paidFen : 0,
  };
}
