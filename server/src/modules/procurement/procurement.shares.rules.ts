/**
 * Area contracts [N 2.3] (ADR 0014): how a contract of area projects is split among the member
 * communities whose allocations fund it. Pure, no I/O; amounts are integer fen.
 */

export interface MemberPart {
  communityCode: string;
  amountFen: number;
}

/**
 * [N 2.3] Largest-remainder split of `amount` in proportion to `weights` (fen): each part is the
 * floor of its exact quota, and the fen left over go one each to the largest remainders, ties to
 * the smaller community code. Deterministic; the parts sum to `amount`; a zero weight gets 0.
 */
export function splitByWeights(amount: number, weights: MemberPart[]): MemberPart[] {
  const sorted = [...weights].sort((a, b) => a.communityCode.localeCompare(b.communityCode));
  const total = sorted.reduce((s, w) => s + w.amountFen, 0);
  if (total <= 0) return sorted.map((w) => ({ communityCode: w.communityCode, amountFen: 0 }));
  // BigInt for the products: fen × fen can pass 2^53.
  const big = BigInt(amount);
  const bigTotal = BigInt(total);
  const parts = sorted.map((w, i) => {
    const product = big * BigInt(w.amountFen);
    return { i, communityCode: w.communityCode, amountFen: Number(product / bigTotal), remainder: product % bigTotal };
  });
  let left = amount - parts.reduce((s, p) => s + p.amountFen, 0);
  const order = [...parts].sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const p of order) {
    if (left <= 0) break;
    p.amountFen += 1;
    left -= 1;
  }
  return parts.map((p) => ({ communityCode: p.communityCode, amountFen: p.amountFen }));
}

/**
 * [N 2.3] The members funding a contract and their weights: the shares its projects declare,
 * summed per community. More than one member makes it an area contract; one member (or projects
 * without shares) a contract funded by one community.
 */
export function contractWeights(projects: { shares: { communityCode: string; shareFen: number }[] }[]): MemberPart[] {
  const out = new Map<string, number>();
  for (const p of projects) for (const s of p.shares) out.set(s.communityCode, (out.get(s.communityCode) ?? 0) + s.shareFen);
  return [...out]
    .filter(([, fen]) => fen > 0)
    .map(([communityCode, amountFen]) => ({ communityCode, amountFen }))
    .sort((a, b) => a.communityCode.localeCompare(b.communityCode));
}

/**
 * [N 2.3], [N 3.3] An instalment of an area contract, split in proportion to what each member
 * still has committed: no part exceeds the member's outstanding commitment, and the last
 * instalment pays exactly what is left of each. `outstanding` sums to at least `amount`.
 */
export function instalmentParts(amount: number, outstanding: MemberPart[]): MemberPart[] {
  return splitByWeights(amount, outstanding).filter((p) => p.amountFen > 0);
}
