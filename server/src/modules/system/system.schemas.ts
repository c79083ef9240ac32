import { Type, type Static } from 'typebox';
import { Nullable } from '../../common/schemas.js';

export const HealthView = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  worker: Type.Optional(
    Type.Object(
      { slot: Type.Integer({ minimum: 1 }), pid: Type.Integer() },
      { description: 'With WORKERS>1: which server process answered (its number and process id)' },
    ),
  ),
});
export type HealthView = Static<typeof HealthView>;

export const ClockView = Type.Object({ today: Type.String(), fundYear: Nullable(Type.Integer()) });
export type ClockView = Static<typeof ClockView>;
