import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { asDomainError, atMostOneError, pgErrorOf } from './at-most-one.js';
import { DomainError } from './errors.js';

/** node-postgres' DatabaseError and PGlite's both carry `code` and `constraint`. */
const pgError = (code: string, constraint?: string) =>
  Object.assign(new Error('duplicate key value violates unique constraint'), { code, constraint, severity: 'ERROR' });

describe("at most one: database errors to the rule's 409", () => {
  it('finds the PostgreSQL error on the error itself or down its cause chain (Drizzle wraps it)', () => {
    expect(pgErrorOf(pgError('23505', 'contract_project_live_idx'))).toEqual({ code: '23505', constraint: 'contract_project_live_idx' });
    const wrapped = new DrizzleQueryError('insert into contract_project …', [], pgError('23505', 'payment_request_live_idx'));
    expect(pgErrorOf(wrapped)).toEqual({ code: '23505', constraint: 'payment_request_live_idx' });
    expect(pgErrorOf(new Error('plain'))).toBeNull();
    expect(pgErrorOf(Object.assign(new Error('socket'), { code: 'ECONNRESET' }))).toBeNull();
  });

  it('maps a unique violation to the rule of its index, with code and clause', () => {
    const e = asDomainError(new DrizzleQueryError('q', [], pgError('23505', 'contract_project_live_idx'))) as DomainError;
    expect(e).toBeInstanceOf(DomainError);
    expect({ code: e.code, status: e.status, clause: e.clause, field: e.field }).toEqual({
      code: 'PROJECT_ALREADY_CONTRACTED',
      status: 409,
      clause: '[N 4.1]',
      field: 'projectIds',
    });
    const unknown = asDomainError(pgError('23505', 'some_other_idx')) as DomainError;
    expect([unknown.code, unknown.status]).toEqual(['ALREADY_EXISTS', 409]);
  });

  it('maps deadlocks and serialisation failures to 409 CONCURRENT_UPDATE and leaves other errors alone', () => {
    for (const code of ['40P01', '40001']) expect((asDomainError(pgError(code)) as DomainError).code).toBe('CONCURRENT_UPDATE');
    const other = pgError('23503');
    expect(asDomainError(other)).toBe(other);
    const domain = atMostOneError('payment_request_live_idx');
    expect(asDomainError(domain)).toBe(domain);
  });
});
