import { Type, type Static } from 'typebox';
import { FundYear, Literals, Nullable } from '../../common/schemas.js';

export const OpeningYearParam = Type.Object({ year: FundYear });

const OpeningAction = Type.Object({
  method: Type.Literal('POST'),
  path: Type.String({ description: '调用的接口 the API path to call' }),
  label: Type.String(),
  permission: Type.String(),
  consequence: Type.String({ description: '确认框中说明的后果 what the confirmation states' }),
});

/** ADR 0015: one item of the checklist, derived (never stored). */
const OpeningItemView = Type.Object({
  key: Literals(['policy', 'ratings', 'appropriation', 'ineligibility', 'calendar'] as const),
  title: Type.String(),
  state: Literals(['done', 'todo', 'blocked'] as const),
  reason: Type.String(),
  clause: Type.String(),
  count: Nullable(Type.Integer()),
  link: Type.String({ description: '控制台页面 the console page where the item is done' }),
  action: Nullable(OpeningAction),
});

export const YearOpeningView = Type.Object({
  year: Type.Integer(),
  previousYear: Type.Integer(),
  /** From this day the checklist is on the city's to-do. */
  openingFrom: Nullable(Type.String()),
  complete: Type.Boolean(),
  items: Type.Array(OpeningItemView),
});
export type YearOpeningView = Static<typeof YearOpeningView>;
export type OpeningItemView = Static<typeof OpeningItemView>;

export const CarryForwardView = Type.Object({
  year: Type.Integer(),
  /** Ineligibilities recorded now, and those found already recorded. */
  recorded: Type.Integer(),
  existing: Type.Integer(),
  providerIds: Type.Array(Type.Integer()),
});
export type CarryForwardView = Static<typeof CarryForwardView>;
