import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';
import { consolePaths, fill, idsFor, rawCodes, visibleText } from './raw-codes.js';

/**
 * Chinese first (issue 19): every console page, as every role, shows names and labels, never a raw
 * code. The walk visits each URL of `web/src/routes.tsx` with real ids of the demo and fails on a
 * raw code in the visible text (`document.body.innerText`), naming the page and the text.
 */
const e2e = useE2E({ STARFUND_NOW: '2026-12-07' });

const ROLES: { role: string; username: string; community: string }[] = [
  { role: 'city', username: 'city', community: '210115001004' },
  { role: 'finance', username: 'finance', community: '210115001004' },
  { role: 'district', username: 'district-210115', community: '210115001004' },
  { role: 'street', username: 'street-210115001', community: '210115001004' },
  { role: 'community', username: 'community-210115001004', community: '210115001004' },
  { role: 'provider', username: 'provider-1', community: '210115001004' },
  { role: 'evaluator', username: 'evaluator-1', community: '210115001004' },
];

describe('Chinese first: no raw code on any console page, for any role (issue 19)', () => {
  it('the pattern finds raw codes and lets legitimate Latin through', () => {
    expect(rawCodes('权限 households:read')).toHaveLength(1);
    expect(rawCodes('fund_pool → community_available 2101')).toHaveLength(2);
    expect(rawCodes('操作人 user #1')).toHaveLength(1);
    expect(rawCodes('状态 draft')).toHaveLength(1);
    expect(rawCodes('见 https://example.org/a_b:c_d，邮件 a_b@example.org，[N 3.1.2] city provider-1 B1 HT2026-000004 12:30')).toEqual([]);
    expect(consolePaths()).toContain('/plans/:id');
    expect(consolePaths()).not.toContain('/portal');
  });

  for (const { role, username, community } of ROLES)
    for (const half of [0, 1] as const)
      it(`${role}: every console page (${half === 0 ? 'first' : 'second'} half) shows no raw code`, async () => {
        const api = await e2e.api(username);
        const ids = await idsFor(api, community);
        const paths = consolePaths();
        const mine = paths.slice(half === 0 ? 0 : Math.ceil(paths.length / 2), half === 0 ? Math.ceil(paths.length / 2) : undefined);
        const { context, page } = await e2e.newPage();
        try {
          await signIn(page, username);
          const offences: string[] = [];
          for (const template of mine) {
            const url = fill(template, ids);
            if (!url) continue;
            for (const o of rawCodes(await visibleText(page, url))) offences.push(`${role} ${url}: ${o}`);
          }
          expect(offences).toEqual([]);
        } finally {
          await context.close();
        }
      });
});
