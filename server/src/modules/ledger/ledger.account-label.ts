import { ACCOUNT_KIND_LABELS } from './ledger.rules.js';

/** One side of a transfer as listed (kind, ref, region). */
export interface AccountSideView {
  id: number;
  kind: keyof typeof ACCOUNT_KIND_LABELS;
  ref: string;
  regionPath: string;
  label?: string;
}

/** The region code an account's ref names: a community (`2101…`), or the community of a contract share (`HT…/2101…`). */
export const accountRegionCode = (ref: string): string | null => /(?:^|\/)(\d{4,12})$/.exec(ref)?.[1] ?? null;

/**
 * An account as people name it: its kind, then its region's name or its contract
 * (`社区可用额度 · 长江社区`, `合同 HT2026-000004 · 启工北社区`); the code only when no name is known.
 */
export function accountLabel(side: Pick<AccountSideView, 'kind' | 'ref'>, nameOf: (code: string) => string | undefined): string {
  const kind = ACCOUNT_KIND_LABELS[side.kind];
  const code = accountRegionCode(side.ref);
  const name = code ? (nameOf(code) ?? code) : null;
  if (side.kind === 'contract') return [kind, /^HT[\w-]+/.exec(side.ref)?.[0] ?? side.ref, name].filter(Boolean).join(' · ');
  return [kind, name ?? (side.ref || null)].filter(Boolean).join(' · ');
}
