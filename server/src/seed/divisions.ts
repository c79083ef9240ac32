import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../common/paths.js';

export interface Division {
  districtCode: string;
  districtName: string;
  unitCode: string;
  unitName: string;
  unitKind: string;
}

/** From the project root, not this file: the bundle (dist/server) reads the same folder (ADR 0020). */
const dataDir = fromRoot('server/src/seed/data');

/** Shenyang's 13 districts/counties and 190 streets and towns (2023 statistical division codes). */
export function loadDivisions(): Division[] {
  const text = fs.readFileSync(path.join(dataDir, 'shenyang-divisions.csv'), 'utf8');
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (header !== 'district_code,district_name,unit_code,unit_name,unit_kind') throw new Error('unexpected divisions header');
  return lines.map((line) => {
    const [districtCode, districtName, unitCode, unitName, unitKind] = line.split(',');
    return { districtCode: districtCode!, districtName: districtName!, unitCode: unitCode!, unitName: unitName!, unitKind: unitKind! };
  });
}

export interface HolidayYear {
  year: number;
  source: string | null;
  days: { date: string; isOffDay: boolean; name: string }[];
}

export function loadHolidayYears(): HolidayYear[] {
  const dir = path.join(dataDir, 'holidays');
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort()
    .map((f) => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { year: number; papers?: string[]; days: HolidayYear['days'] };
      return {
        year: json.year,
        source: json.papers?.[0] ?? null,
        days: json.days.map((d) => ({ date: d.date, isOffDay: d.isOffDay, name: d.name })),
      };
    });
}
