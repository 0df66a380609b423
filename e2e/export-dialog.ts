// The export dialog as the specs drive it, once its choices are made.
import type { Page } from '@playwright/test';
import { expect } from './app-fixture.ts';

/** Submits the open export dialog, waits until the file is written and returns its path (the dialog stays open). */
export async function submitExport(page: Page): Promise<string> {
  await page.getByTestId('export-submit').click();
  const done = page.getByTestId('export-done');
  await expect(done).toBeVisible({ timeout: 60_000 });
  return (await done.getAttribute('data-path'))!;
}
