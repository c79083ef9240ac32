import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every exported function of a module's pure rules (`server/src/modules/**\/*.rules.ts`) carries a doc
 * comment citing the clause it applies — a notice paragraph `[N x.y]`, a law `[L …]`, or an
 * architecture decision `ADR 00xx` — so a refusal can be traced to its source (docs/spec/domain.md).
 */
const MODULES = path.resolve(__dirname);
const CITATION = /\[N [^\]]+\]|\[L(?: [^\]]+)?\]|ADR 00\d\d/;

/**
 * Rules that no clause of the notice, law of docs/spec/domain.md or ADR governs, each with its reason.
 * Keep this short: a new entry needs a reason a reviewer accepts.
 */
const EXEMPT: Record<string, string> = {
  'auth/auth.rules.ts passwordProblem':
    'account security (spec §6): the password policy has no clause in the notice, no [L] source, no ADR',
  'auth/auth.rules.ts newPasswordVerdict':
    'account security (spec §6): the password policy has no clause in the notice, no [L] source, no ADR',
};

function rulesFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return rulesFiles(full);
    return entry.name.endsWith('.rules.ts') ? [full] : [];
  });
}

const EXPORTED_FUNCTION = [
  /^export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/,
  /^export\s+const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|<[^>]*>\s*\(|\(|[A-Za-z_$][\w$]*\s*=>)/,
];

/** The exported functions of a source text, each with the doc comment right above it (or null). */
export function exportedFunctions(text: string): { name: string; line: number; doc: string | null }[] {
  const lines = text.split('\n');
  const found: { name: string; line: number; doc: string | null }[] = [];
  lines.forEach((raw, i) => {
    // `export const x =` with the function on the next line
    const line = /=\s*$/.test(raw) && i + 1 < lines.length ? `${raw} ${lines[i + 1]!.trim()}` : raw;
    const name = EXPORTED_FUNCTION.map((re) => re.exec(line)?.[1]).find((n) => n !== undefined);
    if (!name) return;
    let j = i - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    let doc: string | null = null;
    if (j >= 0 && lines[j]!.trim().endsWith('*/')) {
      let k = j;
      while (k >= 0 && !lines[k]!.includes('/**')) k--;
      if (k >= 0) doc = lines.slice(k, j + 1).join('\n');
    }
    found.push({ name, line: i + 1, doc });
  });
  return found;
}

describe('every exported rule cites its clause', () => {
  const files = rulesFiles(MODULES);

  it('finds the rules files', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('recognises exported functions and their doc comments', () => {
    const sample = [
      '/** [N 3.1] cited */',
      'export function a() {}',
      '',
      '/** not cited */',
      'export const b = (x: number) => x;',
      'export const c = async () => 1;',
      '/**',
      ' * ADR 0005 two-phase',
      ' */',
      'export const d =',
      '  <T>(x: T) => x;',
      'export const NOT_A_FUNCTION = 3;',
      '/** [L] 财政部令第102号 §10 cited */',
      'export async function e() {}',
    ].join('\n');
    const found = exportedFunctions(sample);
    expect(found.map((f) => [f.name, f.doc !== null && CITATION.test(f.doc)])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
      ['d', true],
      ['e', true],
    ]);
  });

  it('exempts only rules that exist and still lack a citation', () => {
    const uncited = new Set(
      files.flatMap((file) =>
        exportedFunctions(fs.readFileSync(file, 'utf8'))
          .filter((f) => f.doc === null || !CITATION.test(f.doc))
          .map((f) => `${path.relative(MODULES, file)} ${f.name}`),
      ),
    );
    expect(Object.keys(EXEMPT).filter((key) => !uncited.has(key))).toEqual([]);
  });

  it('each exported function of a *.rules.ts has a doc comment citing [N …], [L …] or an ADR', () => {
    const missing = files.flatMap((file) =>
      exportedFunctions(fs.readFileSync(file, 'utf8'))
        .filter((f) => (f.doc === null || !CITATION.test(f.doc)) && !EXEMPT[`${path.relative(MODULES, file)} ${f.name}`])
        .map((f) => `${path.relative(MODULES, file)}:${f.line} ${f.name}`),
    );
    expect(missing, `exported rules without a clause in their doc comment:\n${missing.join('\n')}`).toEqual([]);
  });
});
