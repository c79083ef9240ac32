import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorCatalogue } from '../ops/error-docs.js';
import { ERROR_CODES, NOT_ERROR_CODES } from './error-codes.js';

const SERVER_SRC = path.resolve(__dirname, '..');
const CATALOGUE = path.join(SERVER_SRC, 'common', 'error-codes.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && full !== CATALOGUE ? [full] : [];
  });
}

/** Every uppercase string literal of three characters or more (`'PLAN_STATUS'`, "CSRF") in server/src. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SERVER_SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(['"])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\1/g)) {
      const code = m[2]!;
      if (code.length >= 3 && !found.has(code)) found.set(code, path.relative(SERVER_SRC, file));
    }
  }
  for (const name of NOT_ERROR_CODES) found.delete(name);
  return found;
}

describe('the error catalogue (common/error-codes.ts, docs/errors.md)', () => {
  const used = codesInSource();

  it('lists every error code the server uses', () => {
    const missing = [...used].filter(([code]) => !(code in ERROR_CODES)).map(([code, file]) => `${code} (${file})`);
    expect(missing, 'add these codes to ERROR_CODES (or, if not an error code, to NOT_ERROR_CODES)').toEqual([]);
  });

  it('lists no code the server no longer uses', () => {
    expect(Object.keys(ERROR_CODES).filter((code) => !used.has(code))).toEqual([]);
  });

  it('gives every code a status, and both meanings', () => {
    for (const [code, e] of Object.entries(ERROR_CODES)) {
      const statuses: readonly number[] = typeof e.status === 'number' ? [e.status] : e.status;
      expect(
        statuses.every((s) => s >= 400 && s <= 599),
        code,
      ).toBe(true);
      expect(e.zh.length > 0 && e.en.length > 0, code).toBe(true);
      if ('clause' in e) expect(e.clause, code).toMatch(/^\[N [^\]]+\]( \[N [^\]]+\])*$/);
    }
  });

  it('is what docs/errors.md says (npm run docs:errors)', () => {
    const docs = fs.readFileSync(path.resolve(SERVER_SRC, '../../docs/errors.md'), 'utf8');
    expect(docs, 'docs/errors.md is stale: run npm run docs:errors').toBe(renderErrorCatalogue());
  });
});
