import { Type } from 'typebox';

/** The body of every error response (see the error handler in app.ts). */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  message: Type.String({ description: '中文说明' }),
  messageEn: Type.String({ description: 'English message' }),
  field: Type.Optional(Type.String()),
  clause: Type.Optional(Type.String({ description: 'Clause of the notice, e.g. [N 3.1.2(1)]' })),
  details: Type.Optional(Type.Unknown()),
});

export const IsoDateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const FundYear = Type.Integer({ minimum: 2000, maximum: 2100 });
