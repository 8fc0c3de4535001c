import { expect, test } from '@playwright/test';
import { screenshot } from './fixtures.ts';

test('a page opened without the token says to open the printed address', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Open Pont with the address it printed' })).toBeVisible();
  await screenshot(page, 'no-token');
});
