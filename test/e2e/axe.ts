import fs from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
}

/** The serious and critical WCAG 2.1 A/AA violations of the page as it is now, one line each. */
export async function axeViolations(page: Page, label: string): Promise<string[]> {
  // Evaluated through the DevTools protocol: the strict CSP refuses inline script tags.
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(
    "axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  )) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} ${v.help} (${v.nodes.length}) ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

/** axe-core in the page: no serious or critical WCAG 2.1 AA violation. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  expect(await axeViolations(page, label)).toEqual([]);
}
