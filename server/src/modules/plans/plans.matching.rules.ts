import type { PolicyDocument } from '../policy/policy.schemas.js';

/** Text matching for the compliance rules: normalised text, prohibited uses by keyword, overlapping projects. */

/** [L] 财政部令第102号 §10, [N 4.1] Normalised text for keyword and overlap matching: no spaces or punctuation, lower case. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

/** [L] 财政部令第102号 §10 Keywords of the negative list found in a text (title and content). */
export function prohibitedMatches(
  text: string,
  prohibited: PolicyDocument['prohibitedUses'],
): { code: string; label: string; keyword: string }[] {
  const t = normalise(text);
  const out: { code: string; label: string; keyword: string }[] = [];
  for (const p of prohibited) {
    const keyword = p.keywords.find((k) => t.includes(normalise(k)));
    if (keyword) out.push({ code: p.code, label: p.label, keyword });
  }
  return out;
}

function bigrams(text: string): Set<string> {
  const t = normalise(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  if (t.length === 1) out.add(t);
  return out;
}

/** [N 4.1] Content overlap of two projects: one title contains the other, or the titles share most of their bigrams (Dice ≥ 0.5). */
export function contentOverlaps(a: { title: string; content: string }, b: { title: string; content: string }): boolean {
  const ta = normalise(a.title);
  const tb = normalise(b.title);
  if (ta && tb && (ta.includes(tb) || tb.includes(ta))) return true;
  const x = bigrams(a.title + a.content);
  const y = bigrams(b.title + b.content);
  if (!x.size || !y.size) return false;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return (2 * shared) / (x.size + y.size) >= 0.5;
}
