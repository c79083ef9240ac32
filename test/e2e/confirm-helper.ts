import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** The confirmation modal of an irreversible action (web/src/components/ConfirmAction.tsx). */
export const confirmDialog = (page: Page) => page.locator('.ant-modal-confirm');

/** Confirms the open modal by its OK button and waits for it to close. */
export async function confirmModal(page: Page, ok: string | RegExp): Promise<void> {
  const dialog = confirmDialog(page);
  await expect.poll(() => dialog.isVisible()).toBe(true);
  await dialog.getByRole('button', { name: ok }).click();
  await expect.poll(() => dialog.count()).toBe(0);
}
