import { isIsoDate } from '../../common/dates.js';
import { DomainError } from '../../common/errors.js';
import { accept, ACCEPTED, refuse, unwrap, type Refusal, type Verdict } from '../../common/verdict.js';
import { mapHeader, splitNames, type RowError } from '../households/households.rules.js';
import { reachesShare } from '../policy/policy.rules.js';

/** Pure rules of needs collection [N 3.1.1(1)], proposals [N 3.1.1(2)] and sorting [N 3.1.1(3)]. */

export const NEEDS_CLAUSE = '[N 3.1.1(1)]';
export const PROPOSALS_CLAUSE = '[N 3.1.1(2)]';
export const SORTING_CLAUSE = '[N 3.1.1(3)]';

/** [N 3.1.1(1)] The channels of the notice. */
export const CHANNELS = [
  { code: 'household_vote', label: '一户一票' },
  { code: 'courtyard_meeting', label: '院落会议' },
  { code: 'questionnaire', label: '问卷' },
  { code: 'online_vote', label: '网络投票' },
  { code: 'field_visit', label: '实地走访' },
] as const;
export type ChannelCode = (typeof CHANNELS)[number]['code'];
export const CHANNEL_CODES = CHANNELS.map((c) => c.code) as ChannelCode[];
/** The public page is the online channel. */
export const ONLINE_CHANNEL: ChannelCode = 'online_vote';

/** [N 3.1.1(1)] The channel a cell of an imported form names, by code or by label. */
export function channelFromCell(cell: string): ChannelCode | undefined {
  const v = cell.trim();
  return CHANNELS.find((c) => c.code === v || c.label === v)?.code;
}

export interface Fraction {
  numerator: number;
  denominator: number;
  strict?: boolean;
}

export interface Coverage {
  reached: number;
  residentHouseholds: number;
  /** reached ÷ resident households in hundredths of a percent, rounded down (3000 = 30.00%). */
  basisPoints: number;
  threshold: { numerator: number; denominator: number };
  /** Households needed to reach the threshold. */
  required: number;
  meets: boolean;
}

/**
 * [N 3.1.1(1)] Coverage = distinct households ÷ resident households, against the policy's share
 * (inclusive: exactly 30% meets 30%). Integers only.
 */
export function coverage(reached: number, residentHouseholds: number, rule: Fraction): Coverage {
  const basisPoints = residentHouseholds > 0 ? Math.floor((reached * 10_000) / residentHouseholds) : 0;
  // Smallest n with n/resident ≥ rule (or > rule when strict).
  let required = Math.ceil((residentHouseholds * rule.numerator) / rule.denominator);
  while (required > 0 && reachesShare(required - 1, residentHouseholds, rule)) required--;
  while (!reachesShare(required, residentHouseholds, rule)) required++;
  return {
    reached,
    residentHouseholds,
    basisPoints,
    threshold: { numerator: rule.numerator, denominator: rule.denominator },
    required,
    meets: residentHouseholds > 0 && reachesShare(reached, residentHouseholds, rule),
  };
}

export interface CampaignInput {
  title: string;
  opensOn: string;
  closesOn: string;
  channels: string[];
  questionnaire: { itemCodes: string[]; freeText: boolean; prompt?: string | null };
}

const invalid = (field: string, zh: string, en: string) =>
  new DomainError(
    'INVALID_INPUT',
    { zh: `字段 ${field} 无效：${zh}`, en: `Field ${field} is invalid: ${en}` },
    { kind: 'invalid', field, clause: NEEDS_CLAUSE },
  );

/** The refusal of a rule's error (same code, message, kind, clause, field and details). */
const refusal = (e: DomainError): Refusal =>
  refuse({ code: e.code, zh: e.messageZh, en: e.messageEn, kind: e.kind, clause: e.clause, field: e.field, details: e.details });

/** [N 3.1.1(1)] Checks a campaign against the catalogue of its fund year; throws on the first problem. */
export function campaignVerdict(input: CampaignInput, fundYear: number, enhancementCodes: string[]): Verdict {
  if (!input.title.trim()) return refusal(invalid('title', '标题不能为空', 'title must not be empty'));
  for (const f of ['opensOn', 'closesOn'] as const)
    if (!isIsoDate(input[f])) return refusal(invalid(f, '不是有效日期', 'not a valid date'));
  if (input.opensOn > input.closesOn) return refusal(invalid('closesOn', '截止日期不能早于开始日期', 'must not be before opensOn'));
  if (Number(input.opensOn.slice(0, 4)) > fundYear)
    return refusal(
      invalid('opensOn', `需求征集应在 ${fundYear} 年度或之前开始`, `collection must start in or before fund year ${fundYear}`),
    );
  if (input.channels.length === 0) return refusal(invalid('channels', '至少选择一种征集渠道', 'choose at least one channel'));
  if (new Set(input.channels).size !== input.channels.length) return refusal(invalid('channels', '渠道重复', 'a channel appears twice'));
  for (const c of input.channels)
    if (!(CHANNEL_CODES as string[]).includes(c)) return refusal(invalid('channels', `未知渠道 ${c}`, `unknown channel ${c}`));
  const q = input.questionnaire;
  if (q.itemCodes.length === 0 && !q.freeText)
    return refusal(
      invalid(
        'questionnaire',
        '问卷至少包含一个提升类选项或自由填写',
        'the questionnaire needs at least one enhancement item or free text',
      ),
    );
  if (new Set(q.itemCodes).size !== q.itemCodes.length)
    return refusal(invalid('questionnaire.itemCodes', '选项重复', 'an item appears twice'));
  for (const code of q.itemCodes) {
    if (!enhancementCodes.includes(code))
      return refusal(
        invalid(
          'questionnaire.itemCodes',
          `${code} 不是本年度目录中的提升类项目`,
          `${code} is not an enhancement type of the year's catalogue`,
        ),
      );
  }
  return ACCEPTED;
}

/** [N 3.1.1(1)] The campaign check, throwing the refusal as its DomainError. */
export function checkCampaign(input: CampaignInput, fundYear: number, enhancementCodes: string[]): void {
  unwrap(campaignVerdict(input, fundYear, enhancementCodes));
}

export interface OpinionAnswer {
  choices: string[];
  freeText?: string | null;
}

/** [N 3.1.1(1)] An answer names only the questionnaire's items, each once, and says something. */
export function answerVerdict(answer: OpinionAnswer, questionnaire: { itemCodes: string[]; freeText: boolean }): Verdict<CountedAnswer> {
  const freeText = answer.freeText?.trim() || null;
  if (new Set(answer.choices).size !== answer.choices.length) return refusal(invalid('choices', '选项重复', 'a choice appears twice'));
  for (const c of answer.choices)
    if (!questionnaire.itemCodes.includes(c))
      return refusal(invalid('choices', `${c} 不在本次问卷中`, `${c} is not in this questionnaire`));
  if (freeText && !questionnaire.freeText)
    return refusal(invalid('freeText', '本次问卷不收集文字意见', 'this questionnaire takes no free text'));
  if (answer.choices.length === 0 && !freeText)
    return refusal(invalid('choices', '请至少选择一项或填写意见', 'choose at least one item or write an opinion'));
  return accept({ choices: answer.choices, freeText });
}

/** [N 3.1.1(1)] The answer check, throwing the refusal as its DomainError; returns the answer as counted. */
export function checkAnswer(answer: OpinionAnswer, questionnaire: { itemCodes: string[]; freeText: boolean }): CountedAnswer {
  return unwrap(answerVerdict(answer, questionnaire));
}

/** An answer as counted: its choices and its free text (null when blank). */
export interface CountedAnswer {
  choices: string[];
  freeText: string | null;
}

/** [N 3.1.1(1)] Whether the public page takes answers today: open, within its dates, with the online channel. */
export function acceptsOnline(c: { status: string; opensOn: string; closesOn: string; channels: string[] }, today: string): boolean {
  return c.status === 'open' && c.opensOn <= today && today <= c.closesOn && c.channels.includes(ONLINE_CHANNEL);
}

// ---- one-time codes ----

/** No 0/O, 1/I/L: read aloud and typed on a phone without confusion. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;

/** [N 3.1.1(1)] A one-time code identifying a household on the public page, from random bytes. */
export function codeFromBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return out;
}

/** [N 3.1.1(1)] A one-time code as typed: "abcd-2345 " → "ABCD2345". */
export const normalizeCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

// ---- paper forms and meeting results, imported ----

export const OPINION_COLUMNS = {
  householdNo: ['户号', 'householdNo'],
  channel: ['渠道', 'channel'],
  choices: ['选择', '选项', 'choices'],
  freeText: ['意见', '其他意见', 'freeText'],
} as const;
type OpinionColumn = keyof typeof OPINION_COLUMNS;

export interface OpinionRow {
  row: number;
  householdNo: string;
  channel: ChannelCode;
  choices: string[];
  freeText: string | null;
}

/**
 * [N 3.1.1(1)] Rows of a paper-form import. Choices may be written as codes (E5) or names (为老服务).
 * Every row error is reported; duplicate household numbers within the file are errors.
 */
export function parseOpinionRows(
  table: string[][],
  campaign: { channels: string[]; questionnaire: { itemCodes: string[]; freeText: boolean } },
  items: { code: string; name: string }[],
): { rows: OpinionRow[]; errors: RowError[] } {
  if (table.length < 2)
    return { rows: [], errors: [{ row: 0, column: '', message: '文件没有数据行', messageEn: 'The file has no data rows' }] };
  const { index, errors: headerErrors } = mapHeader(table[0]!, OPINION_COLUMNS, ['householdNo', 'channel'] as OpinionColumn[]);
  if (headerErrors.length) return { rows: [], errors: headerErrors };
  if (index.choices === undefined && index.freeText === undefined) {
    return {
      rows: [],
      errors: [{ row: 1, column: '选择', message: '缺少"选择"或"意见"列', messageEn: 'Missing a "choices" or "freeText" column' }],
    };
  }
  const cell = (r: string[], k: OpinionColumn) => (index[k] === undefined ? '' : (r[index[k]!] ?? '').trim());
  const rows: OpinionRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  table.slice(1).forEach((r, i) => {
    const row = i + 2;
    if (r.every((c) => !c.trim())) return;
    const err = (column: string, message: string, messageEn: string) => errors.push({ row, column, message, messageEn });
    const before = errors.length;
    const householdNo = cell(r, 'householdNo');
    if (!householdNo) err('户号', '户号必填', 'household number is required');
    else if (seen.has(householdNo))
      err(
        '户号',
        `户号 ${householdNo} 与第 ${seen.get(householdNo)} 行重复，一户只计一次`,
        `household ${householdNo} repeats line ${seen.get(householdNo)}; a household counts once`,
      );
    else seen.set(householdNo, row);
    const channel = channelFromCell(cell(r, 'channel'));
    if (!channel) err('渠道', `渠道"${cell(r, 'channel')}"无效`, `unknown channel "${cell(r, 'channel')}"`);
    else if (!campaign.channels.includes(channel))
      err('渠道', `本次征集未启用渠道"${cell(r, 'channel')}"`, `channel "${channel}" is not enabled for this campaign`);
    const choices: string[] = [];
    for (const c of splitNames(cell(r, 'choices'))) {
      const item = items.find((it) => it.code === c || it.name === c);
      if (!item || !campaign.questionnaire.itemCodes.includes(item.code))
        err('选择', `"${c}"不在本次问卷中`, `"${c}" is not in this questionnaire`);
      else if (choices.includes(item.code)) err('选择', `"${c}"重复`, `"${c}" appears twice`);
      else choices.push(item.code);
    }
    const freeText = cell(r, 'freeText') || null;
    if (freeText && !campaign.questionnaire.freeText) err('意见', '本次问卷不收集文字意见', 'this questionnaire takes no free text');
    if (freeText && freeText.length > 500) err('意见', '意见不超过 500 字', 'at most 500 characters');
    if (choices.length === 0 && !freeText && errors.length === before)
      err('选择', '未选择任何项目也未填写意见', 'no choice and no opinion');
    if (errors.length === before) rows.push({ row, householdNo, channel: channel!, choices, freeText });
  });
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 0, column: '', message: '文件没有数据行', messageEn: 'The file has no data rows' });
  return { rows, errors };
}

// ---- draft project list ----

export interface DraftItem {
  proposalId: number;
  catalogueCode: string | null;
  estimatedBudgetFen: number | null;
}

/**
 * [N 3.1.1(3)] A draft list names each proposal once, each with a catalogue item of the year and a
 * positive budget in whole fen.
 */
export function draftListVerdict(items: DraftItem[], catalogueCodes: string[]): Verdict {
  const seen = new Set<number>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.proposalId))
      return refusal(invalidSorting(`items.${i}.proposalId`, `提案 ${item.proposalId} 重复`, `proposal ${item.proposalId} appears twice`));
    seen.add(item.proposalId);
    if (!item.catalogueCode)
      return refusal(invalidSorting(`items.${i}.catalogueCode`, '每个项目须对应目录中的项目类别', 'each project needs a catalogue item'));
    if (!catalogueCodes.includes(item.catalogueCode))
      return refusal(
        invalidSorting(
          `items.${i}.catalogueCode`,
          `${item.catalogueCode} 不在本年度项目目录中`,
          `${item.catalogueCode} is not in the year's catalogue`,
        ),
      );
    if (item.estimatedBudgetFen === null || !Number.isSafeInteger(item.estimatedBudgetFen) || item.estimatedBudgetFen <= 0) {
      return refusal(
        invalidSorting(`items.${i}.estimatedBudgetFen`, '预算应为大于 0 的整数（分）', 'the budget must be a positive whole number of fen'),
      );
    }
  }
  return ACCEPTED;
}

/** [N 3.1.1(3)] The draft list check, throwing the refusal as its DomainError. */
export function checkDraftList(items: DraftItem[], catalogueCodes: string[]): void {
  unwrap(draftListVerdict(items, catalogueCodes));
}

const invalidSorting = (field: string, zh: string, en: string) =>
  new DomainError(
    'DRAFT_LIST_INVALID',
    { zh: `项目清单第 ${field} 项无效：${zh}`, en: `Draft list ${field}: ${en}` },
    { kind: 'rule', field, clause: SORTING_CLAUSE },
  );
