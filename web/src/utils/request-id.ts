/**
 * An idempotency key (`requestId`, ADR 0010) for one attempt of a form: kept while the form is
 * unchanged, so a retry after a lost answer (or a double click) answers the first result instead
 * of recording twice. getRandomValues also works outside secure contexts (plain HTTP on a LAN).
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
