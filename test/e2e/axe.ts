import fs from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
}

/**
 * axe-core (WCAG 2.1 AA) in the page as it is now: no serious or critical violation. Evaluated
 * through the DevTools protocol (the strict CSP refuses inline script tags). The failure lists each
 * rule with its first nodes, under `label`.
 */
export async function expectNoSeriousAxe(page: Page, label: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(
    "axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  )) as AxeResult;
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${label}: ${v.id} ${v.help} ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`)).toEqual([]);
}
