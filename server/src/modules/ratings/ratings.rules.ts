import { ACCEPTED, refuse, type Verdict } from '../../common/verdict.js';
import { createHash } from 'node:crypto';

/**
 * Star-rating import (spec §2, [N 1]): every row of an uploaded table is matched to a community
 * and checked; the preview names each row's problem, and the whole file commits only when no
 * row has one. Pure: the directory of communities and the year's quotas are passed in.
 */

export interface DirectoryEntry {
  code: string;
  name: string;
  path: string;
  streetName: string;
  districtCode: string;
  districtName: string;
}

export interface RatingInputRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  code: string;
  name: string;
  district: string;
  level: string;
}

export type RatingProblemCode =
  'MISSING_FIELD' | 'UNKNOWN_COMMUNITY' | 'AMBIGUOUS_COMMUNITY' | 'DISTRICT_MISMATCH' | 'DUPLICATE_ROW' | 'BAD_LEVEL' | 'QUOTA_EXCEEDED';

export interface RatingProblem {
  code: RatingProblemCode;
  message: string;
  messageEn: string;
  clause?: string;
  details?: Record<string, unknown>;
}

export interface PreviewRow {
  line: number;
  input: { code: string; name: string; district: string; level: string };
  communityCode: string | null;
  communityName: string | null;
  streetName: string | null;
  districtName: string | null;
  stars: number | null;
  problems: RatingProblem[];
}

export interface LevelCount {
  stars: number;
  quota: number;
  count: number;
}

export interface RatingPreview {
  ok: boolean;
  rows: PreviewRow[];
  levels: LevelCount[];
  /** Problems of the file as a whole (missing columns, quota exceeded per level). */
  fileProblems: RatingProblem[];
  /** Hash of the accepted result: a commit presenting it proves it saw this very preview. */
  token: string;
}

const HEADERS: Record<'code' | 'name' | 'district' | 'level', string[]> = {
  code: ['社区代码', '社区编码', '代码', '区划代码', 'code', 'communitycode', 'community_code'],
  name: ['社区名称', '社区', '名称', 'name', 'community', 'communityname', 'community_name'],
  district: ['所属区县', '区县', '区（县、市）', '区(县、市)', '所属区', '区', 'district', 'districtname'],
  level: ['星级', '星级评定', '等级', 'stars', 'level', 'star'],
};

export const TEMPLATE_HEADER = ['社区代码', '社区名称', '所属区县', '星级'];

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** [N 1] Column indexes of a rating import's header row; null for a column that is absent. */
export function findColumns(header: string[]): Record<keyof typeof HEADERS, number | null> {
  const cells = header.map(norm);
  const find = (names: string[]) => {
    const i = cells.findIndex((c) => names.some((n) => norm(n) === c));
    return i >= 0 ? i : null;
  };
  return { code: find(HEADERS.code), name: find(HEADERS.name), district: find(HEADERS.district), level: find(HEADERS.level) };
}

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };

/** [N 1] A star level as written in a rating import: "5", "5星", "五星", "五星级", "★★★★★" → 5; anything else → null. */
export function parseLevel(raw: string): number | null {
  const s = raw.replace(/\s+/g, '');
  if (/^★{1,5}$/.test(s)) return s.length;
  const m = /^([1-5]|[一二三四五])(星|星级)?$/.exec(s);
  if (!m) return null;
  return CHINESE_DIGITS[m[1]!] ?? Number(m[1]);
}

/** [N 1] Turns a rating import's raw table rows (header first) into input rows; blank lines are skipped. */
export function tableToRows(table: string[][]): { rows: RatingInputRow[]; fileProblems: RatingProblem[] } {
  const headerIndex = table.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerIndex < 0) return { rows: [], fileProblems: [{ code: 'MISSING_FIELD', message: '文件为空', messageEn: 'The file is empty' }] };
  const cols = findColumns(table[headerIndex]!);
  const fileProblems: RatingProblem[] = [];
  if (cols.level === null)
    fileProblems.push({
      code: 'MISSING_FIELD',
      message: '缺少"星级"列',
      messageEn: 'The column 星级 (stars) is missing',
      details: { column: '星级' },
    });
  if (cols.code === null && (cols.name === null || cols.district === null)) {
    fileProblems.push({
      code: 'MISSING_FIELD',
      message: '需要"社区代码"列，或"社区名称"与"所属区县"两列',
      messageEn: 'Give the community code, or its name and district',
      details: { column: '社区代码' },
    });
  }
  const rows: RatingInputRow[] = [];
  const at = (r: string[], i: number | null) => (i === null ? '' : (r[i] ?? '').trim());
  for (let i = headerIndex + 1; i < table.length; i++) {
    const r = table[i]!;
    if (!r.some((c) => c.trim() !== '')) continue;
    rows.push({ line: i + 1, code: at(r, cols.code), name: at(r, cols.name), district: at(r, cols.district), level: at(r, cols.level) });
  }
  if (rows.length === 0 && fileProblems.length === 0)
    fileProblems.push({ code: 'MISSING_FIELD', message: '文件中没有评定数据', messageEn: 'The file has no rating rows' });
  return { rows, fileProblems };
}

/** [N 1] The problem of a level over its quota, naming the level, the quota and the count. */
export function quotaProblem(stars: number, quota: number, count: number): RatingProblem {
  return {
    code: 'QUOTA_EXCEEDED',
    clause: '[N 1]',
    message: `${stars}星社区 ${count} 个，超过名额 ${quota} 个`,
    messageEn: `${count} communities at ${stars} stars exceed the quota of ${quota}`,
    details: { stars, quota, count },
  };
}

/** [N 1] The preview of a rating import: every row matched and checked, quotas counted per level. */
export function buildPreview(
  year: number,
  input: { rows: RatingInputRow[]; fileProblems: RatingProblem[] },
  directory: DirectoryEntry[],
  tiers: { stars: number; quota: number }[],
): RatingPreview {
  const byCode = new Map(directory.map((d) => [d.code, d]));
  const byName = new Map<string, DirectoryEntry[]>();
  for (const d of directory) {
    const key = `${norm(d.districtName)}|${norm(d.name)}`;
    byName.set(key, [...(byName.get(key) ?? []), d]);
  }
  const quotaOf = new Map(tiers.map((t) => [t.stars, t.quota]));
  const firstLine = new Map<string, number>();
  const rows: PreviewRow[] = input.rows.map((r) => {
    const problems: RatingProblem[] = [];
    let entry: DirectoryEntry | undefined;
    if (r.code) {
      entry = byCode.get(r.code);
      if (!entry)
        problems.push({ code: 'UNKNOWN_COMMUNITY', message: `社区代码 ${r.code} 不存在`, messageEn: `No community has code ${r.code}` });
      else if (r.district && norm(r.district) !== norm(entry.districtName) && r.district !== entry.districtCode) {
        problems.push({
          code: 'DISTRICT_MISMATCH',
          message: `社区 ${entry.name} 属于${entry.districtName}，不是${r.district}`,
          messageEn: `Community ${entry.code} lies in ${entry.districtName}, not ${r.district}`,
        });
      } else if (r.name && norm(r.name) !== norm(entry.name)) {
        problems.push({
          code: 'UNKNOWN_COMMUNITY',
          message: `社区代码 ${r.code} 对应"${entry.name}"，与名称"${r.name}"不符`,
          messageEn: `Code ${r.code} is ${entry.name}, not ${r.name}`,
        });
      }
    } else if (r.name && r.district) {
      const found = byName.get(`${norm(r.district)}|${norm(r.name)}`) ?? [];
      if (found.length === 1) entry = found[0];
      else if (found.length === 0)
        problems.push({
          code: 'UNKNOWN_COMMUNITY',
          message: `${r.district}没有名为"${r.name}"的社区`,
          messageEn: `No community ${r.name} in ${r.district}`,
        });
      else
        problems.push({
          code: 'AMBIGUOUS_COMMUNITY',
          message: `${r.district}有 ${found.length} 个名为"${r.name}"的社区，请填写社区代码`,
          messageEn: `${found.length} communities named ${r.name} in ${r.district}; give the code`,
        });
    } else {
      problems.push({
        code: 'MISSING_FIELD',
        message: '缺少社区代码，或社区名称与所属区县',
        messageEn: 'Give the community code, or its name and district',
      });
    }
    const stars = parseLevel(r.level);
    if (stars === null || !quotaOf.has(stars)) {
      const allowed = [...quotaOf.keys()].sort().join('、');
      problems.push({
        code: 'BAD_LEVEL',
        message: `星级"${r.level}"无效，应为 ${allowed} 星之一`,
        messageEn: `Level "${r.level}" is not one of ${allowed}`,
        details: { allowed: [...quotaOf.keys()] },
      });
    }
    if (entry) {
      const first = firstLine.get(entry.code);
      if (first !== undefined)
        problems.push({
          code: 'DUPLICATE_ROW',
          message: `与第 ${first} 行重复（同一社区）`,
          messageEn: `Duplicates line ${first} (same community)`,
          details: { firstLine: first },
        });
      else firstLine.set(entry.code, r.line);
    }
    return {
      line: r.line,
      input: { code: r.code, name: r.name, district: r.district, level: r.level },
      communityCode: entry?.code ?? null,
      communityName: entry?.name ?? null,
      streetName: entry?.streetName ?? null,
      districtName: entry?.districtName ?? null,
      stars: stars !== null && quotaOf.has(stars) ? stars : null,
      problems,
    };
  });

  // Quotas count the rows that would otherwise be accepted (first occurrence of a known community).
  const counted = rows.filter((r) => r.communityCode && r.stars !== null && !r.problems.some((p) => p.code === 'DUPLICATE_ROW'));
  const levels: LevelCount[] = [...tiers]
    .sort((a, b) => b.stars - a.stars)
    .map((t) => ({ stars: t.stars, quota: t.quota, count: counted.filter((r) => r.stars === t.stars).length }));
  const fileProblems = [...input.fileProblems];
  for (const level of levels) {
    if (level.count <= level.quota) continue;
    const problem = quotaProblem(level.stars, level.quota, level.count);
    fileProblems.push(problem);
    for (const r of rows) if (r.stars === level.stars) r.problems.push(problem);
  }
  const ok = fileProblems.length === 0 && rows.every((r) => r.problems.length === 0);
  const accepted = rows
    .filter((r) => r.problems.length === 0)
    .map((r) => [r.communityCode, r.stars])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const token = createHash('sha256')
    .update(JSON.stringify({ year, ok, accepted, problems: rows.map((r) => r.problems.map((p) => p.code)) }))
    .digest('hex')
    .slice(0, 32);
  return { ok, rows, levels, fileProblems, token };
}

/** [N 1] A single change by hand: refused when it would put the level over its quota. */
export function checkQuota(stars: number, tiers: { stars: number; quota: number }[], countAtLevelWithoutThis: number): Verdict {
  const tier = tiers.find((t) => t.stars === stars);
  if (!tier || countAtLevelWithoutThis + 1 <= tier.quota) return ACCEPTED;
  const problem = quotaProblem(stars, tier.quota, countAtLevelWithoutThis + 1);
  return refuse({
    code: 'RATING_QUOTA_EXCEEDED',
    zh: problem.message,
    en: problem.messageEn,
    kind: 'rule',
    clause: '[N 1]',
    details: problem.details,
  });
}
