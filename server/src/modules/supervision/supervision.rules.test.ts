import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SampleUnit } from '../../db/schema/supervision.js';
import { allocate, drawSample, rankOf, sampleSize, stratumLabel } from './supervision.rules.js';

const population: SampleUnit[] = [];
for (const [d, count] of [
  ['210102', 30],
  ['210103', 20],
  ['210104', 10],
] as const) {
  for (let i = 1; i <= count; i++)
    population.push({
      key: `${d}${String(i).padStart(3, '0')}`,
      label: `社区${i}`,
      districtCode: d,
      stars: (i % 3) + 3,
      regionPath: `2101/${d}`,
    });
}

describe('spot-check sampling [N 4.3]', () => {
  it('is the documented SHA-256 ranking, reproducible from the seed alone', () => {
    expect(rankOf('2026-抽查-1', '210102001')).toBe(createHash('sha256').update('2026-抽查-1:210102001').digest('hex'));
    const a = drawSample(population, { seed: '2026-抽查-1', size: 12 });
    const b = drawSample([...population].reverse(), { seed: '2026-抽查-1', size: 12 });
    expect(a.sample).toHaveLength(12);
    expect(b.sample).toEqual(a.sample); // the order of the population does not matter
    const manual = [...population]
      .sort((x, y) => rankOf('2026-抽查-1', x.key).localeCompare(rankOf('2026-抽查-1', y.key)))
      .slice(0, 12)
      .map((u) => u.key);
    expect(a.sample).toEqual(manual);
    expect(drawSample(population, { seed: 'another', size: 12 }).sample).not.toEqual(a.sample);
  });

  it('sizes by count or share, never beyond the population', () => {
    expect(sampleSize(60, { size: 5 })).toBe(5);
    expect(sampleSize(60, { size: 500 })).toBe(60);
    expect(sampleSize(60, { sharePercent: 10 })).toBe(6);
    expect(sampleSize(61, { sharePercent: 10 })).toBe(7); // ceil
  });

  it('stratifies by district in proportion, leftovers by largest remainder', () => {
    const r = drawSample(population, { seed: 's', size: 10, stratifyByDistrict: true });
    expect(r.strata).toEqual([
      { stratum: '210102', population: 30, drawn: 5 },
      { stratum: '210103', population: 20, drawn: 3 },
      { stratum: '210104', population: 10, drawn: 2 },
    ]);
    expect(r.sample.filter((k) => k.startsWith('210102'))).toHaveLength(5);
    expect(r.sample.filter((k) => k.startsWith('210104'))).toHaveLength(2);
    expect(
      allocate(10, [
        { name: 'a', size: 30 },
        { name: 'b', size: 20 },
        { name: 'c', size: 10 },
      ]),
    ).toEqual(
      new Map([
        ['a', 5],
        ['b', 3],
        ['c', 2],
      ]),
    );
    expect(
      allocate(3, [
        { name: 'a', size: 1 },
        { name: 'b', size: 1 },
        { name: 'c', size: 1 },
        { name: 'd', size: 1 },
      ]),
    ).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
        ['d', 0],
      ]),
    );
  });

  it('stratifies by district and star level together', () => {
    const r = drawSample(population, { seed: 's', sharePercent: 50, stratifyByDistrict: true, stratifyByStars: true });
    expect(r.size).toBe(30);
    expect(r.strata.length).toBe(9);
    expect(r.strata.reduce((s, x) => s + x.drawn, 0)).toBe(30);
    for (const s of r.strata) expect(Math.abs(s.drawn - s.population / 2)).toBeLessThanOrEqual(1);
  });
});

describe('stratumLabel: strata named, not coded (issue 19)', () => {
  const nameOf = (c: string) => ({ '210102': '和平区' })[c];
  it('names a district stratum by the district, keeps stars, and calls the unstratified one 全部', () => {
    expect(stratumLabel('210102', nameOf)).toBe('和平区');
    expect(stratumLabel('210102/4★', nameOf)).toBe('和平区 · 4★');
    expect(stratumLabel('all', nameOf)).toBe('全部');
    expect(stratumLabel('210199', nameOf)).toBe('210199');
  });
});
