import { DomainError, type DomainErrorKind } from './errors.js';

/**
 * The one answer of a pure rule: accepted (with a value when the rule computes one), or refused
 * with the code, the bilingual reason and the clause of the notice that refuses it. Services turn a
 * refusal into a DomainError with `refusalError`, so that what a rule says is what the API answers.
 */
export interface Refusal {
  ok: false;
  code: string;
  zh: string;
  en: string;
  /** The clause of the notice that sets the rule, e.g. '[N 3.1.2(1)]'. */
  clause?: string;
  field?: string;
  /** How the API answers it; a rule refusal (422) unless told. */
  kind?: DomainErrorKind;
  details?: unknown;
}

export type Accepted<T> = [T] extends [undefined] ? { ok: true } : { ok: true; value: T };

export type Verdict<T = undefined> = Accepted<T> | Refusal;

export const ACCEPTED = { ok: true } as const;

export const accept = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const refuse = (refusal: Omit<Refusal, 'ok'>): Refusal => ({ ok: false, ...refusal });

/** The API error of a refusal: same code, message, clause, field and details. */
export function refusalError(refusal: Refusal): DomainError {
  return new DomainError(
    refusal.code,
    { zh: refusal.zh, en: refusal.en },
    { kind: refusal.kind ?? 'rule', clause: refusal.clause, field: refusal.field, details: refusal.details },
  );
}

/** Throws the refusal's error, or returns the accepted verdict's value. */
export function unwrap<T>(verdict: Verdict<T>): T {
  if (!verdict.ok) throw refusalError(verdict);
  return ('value' in verdict ? verdict.value : undefined) as T;
}
