import { createHash } from 'node:crypto';
import type { SampleUnit } from '../../db/schema/supervision.js';

export const SPOT_CHECK_CLAUSE = '[N 4.3]';
export const MODEL_CASE_CLAUSE = '[N 4.4]';

/**
 * [N 4.3] The published sampling algorithm, so that anyone can redraw a spot check's sample:
 *
 * 1. The population is the list of units (community codes, or plan project ids) with their stratum
 *    (district code and/or star level when the check is stratified), as published with the check.
 * 2. Each unit's random number is SHA-256 of the UTF-8 text `<seed>:<key>` (hex). Sorting the units
 *    by that hex string (then by key) gives a random order that depends only on the seed; SHA-256
 *    is the deterministic pseudo-random generator (`echo -n "seed:key" | sha256sum`).
 * 3. The sample size is `size` (at most the population), or ⌈N × sharePercent ÷ 100⌉.
 * 4. Unstratified: the first n units of that order. Stratified: each stratum gets ⌊n × Nₛ ÷ N⌋ units,
 *    and the units left over go one each to the strata with the largest remainders
 *    (n × Nₛ mod N; ties by stratum name); within each stratum, the first units of the order.
 * 5. The sample is listed stratum by stratum (strata by name), each in draw order.
 */
export const SAMPLING_ALGORITHM_ZH =
  'SHA-256("<seed>:<key>") 排序抽样：按哈希值升序取前 n 个；分层时按层内单位数比例分配（最大余数法，余数相同按层名），层内同样按哈希值取前若干个。';
export const SAMPLING_ALGORITHM_EN =
  'Rank units by SHA-256 of "<seed>:<key>" (hex, ascending); n = size or ceil(N × share% / 100); stratified: floor(n·Nₛ/N) per stratum, leftovers by largest remainder (ties by stratum name).';
/** The published method, both languages (the public page). */
export const SAMPLING_ALGORITHM = `${SAMPLING_ALGORITHM_ZH} ${SAMPLING_ALGORITHM_EN}`;

/** A stratum of the city's random spot check [N 3.3] as people name it: `210102/4★` → `和平区 · 4★`, `all` → `全部`. */
export function stratumLabel(stratum: string, nameOf: (code: string) => string | undefined): string {
  if (stratum === 'all') return '全部';
  return stratum
    .split('/')
    .map((part) => (/^\d+$/.test(part) ? (nameOf(part) ?? part) : part))
    .join(' · ');
}

export interface SampleSpec {
  seed: string;
  size?: number | null;
  sharePercent?: number | null;
  stratifyByDistrict?: boolean;
  stratifyByStars?: boolean;
}

/** [N 4.3] A unit's rank in the draw: SHA-256 of `<seed>:<key>` (hex), as published. */
export const rankOf = (seed: string, key: string) => createHash('sha256').update(`${seed}:${key}`, 'utf8').digest('hex');

/** [N 4.3] A unit's stratum: its district and/or star level when the check is stratified, else 'all'. */
export function stratumOf(u: SampleUnit, spec: Pick<SampleSpec, 'stratifyByDistrict' | 'stratifyByStars'>): string {
  const parts: string[] = [];
  if (spec.stratifyByDistrict) parts.push(u.districtCode);
  if (spec.stratifyByStars) parts.push(`${u.stars ?? 0}★`);
  return parts.join('/') || 'all';
}

/** [N 4.3] The sample size: `size` (at most the population), or ⌈N × sharePercent ÷ 100⌉. */
export function sampleSize(populationSize: number, spec: Pick<SampleSpec, 'size' | 'sharePercent'>): number {
  if (spec.size !== undefined && spec.size !== null) return Math.min(spec.size, populationSize);
  const p = spec.sharePercent ?? 0;
  return Math.min(populationSize, Math.ceil((populationSize * p) / 100));
}

/** [N 4.3] Largest-remainder allocation of n over strata of the given sizes (integers only). */
export function allocate(n: number, strata: { name: string; size: number }[]): Map<string, number> {
  const total = strata.reduce((s, x) => s + x.size, 0);
  const out = new Map<string, number>();
  if (total === 0) return out;
  let given = 0;
  for (const s of strata) {
    const k = Math.floor((n * s.size) / total);
    out.set(s.name, k);
    given += k;
  }
  const byRemainder = [...strata].sort((a, b) => ((n * b.size) % total) - ((n * a.size) % total) || a.name.localeCompare(b.name));
  for (const s of byRemainder) {
    if (given >= n) break;
    if (out.get(s.name)! < s.size) {
      out.set(s.name, out.get(s.name)! + 1);
      given++;
    }
  }
  return out;
}

/** [N 4.3] Draws the sample by the published algorithm (SAMPLING_ALGORITHM): anyone can redraw it from the seed. */
export function drawSample(population: SampleUnit[], spec: SampleSpec) {
  const n = sampleSize(population.length, spec);
  const ranked = population
    .map((u) => ({ u, rank: rankOf(spec.seed, u.key) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.u.key.localeCompare(b.u.key)));
  const groups = new Map<string, typeof ranked>();
  for (const r of ranked) {
    const s = stratumOf(r.u, spec);
    groups.set(s, [...(groups.get(s) ?? []), r]);
  }
  const names = [...groups.keys()].sort();
  const quota = allocate(
    n,
    names.map((name) => ({ name, size: groups.get(name)!.length })),
  );
  const strata = names.map((name) => ({ stratum: name, population: groups.get(name)!.length, drawn: quota.get(name) ?? 0 }));
  const sample = names.flatMap((name) =>
    groups
      .get(name)!
      .slice(0, quota.get(name) ?? 0)
      .map((r) => r.u.key),
  );
  return { size: n, sample, strata };
}
