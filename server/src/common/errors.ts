/**
 * The one error type of the domain. Services throw it; the central handler in app.ts maps
 * `kind` to an HTTP status. Messages are bilingual because officials read Chinese and the API
 * is also used by integrators; `clause` ties a refusal to the notice paragraph ([N x.y]).
 */
export type DomainErrorKind =
  | 'invalid' // 400: the input itself is wrong
  | 'unauthenticated' // 401
  | 'forbidden' // 403: signed in, but the role lacks the permission
  | 'not_found' // 404: absent, or outside the caller's scope (never reveal which)
  | 'conflict' // 409: state or idempotency conflict
  | 'rule' // 422: a rule of the notice refuses the action
  | 'too_many'; // 429

export const statusOfKind: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
  too_many: 429,
};

export interface BilingualMessage {
  zh: string;
  en: string;
}

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly clause?: string;
  readonly field?: string;
  readonly details?: unknown;

  constructor(
    code: string,
    message: BilingualMessage,
    options: { kind?: DomainErrorKind; clause?: string; field?: string; details?: unknown } = {},
  ) {
    super(message.en);
    this.name = 'DomainError';
    this.code = code;
    this.kind = options.kind ?? 'rule';
    this.messageZh = message.zh;
    this.messageEn = message.en;
    this.clause = options.clause;
    this.field = options.field;
    this.details = options.details;
  }

  get status(): number {
    return statusOfKind[this.kind];
  }
}

export const notFound = (what: { zh: string; en: string }) =>
  new DomainError('NOT_FOUND', { zh: `${what.zh}不存在`, en: `${what.en} not found` }, { kind: 'not_found' });

export const invalidField = (field: string, zh: string, en: string) =>
  new DomainError('INVALID_INPUT', { zh: `字段 ${field} 无效：${zh}`, en: `Field ${field} is invalid: ${en}` }, { kind: 'invalid', field });
