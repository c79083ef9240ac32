import { describe, expect, it } from 'vitest';
import { passwordProblem } from './auth.rules.js';

describe('password policy', () => {
  it('accepts a long password with letters and digits', () => {
    expect(passwordProblem('StarFund@2026', 'city')).toBeNull();
    expect(passwordProblem('星级社区资金2026', 'city')).toBeNull();
  });

  it('refuses short, letter-only, digit-only and username-equal passwords', () => {
    expect(passwordProblem('abc12345', 'city')?.en).toContain('at least 10');
    expect(passwordProblem('abcdefghijkl', 'city')?.en).toContain('letters and digits');
    expect(passwordProblem('123456789012', 'city')?.en).toContain('letters and digits');
    expect(passwordProblem('Street-210102001', 'street-210102001')?.en).toContain('username');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('😀😀😀😀😀a1', 'city')).not.toBeNull();
  });
});
