import { expect, test as base, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { E2E_TOKEN } from './token.ts';

export { expect };

/** Every page opens the app the way `pont serve` prints it (token in the fragment), with English as the start. */
export const test = base.extend<{ app: Page }>({
  app: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      // Chromium logs every HTTP error status; the API's 4xx answers are shown by the page, not problems.
      if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript(() => {
      if (!localStorage.getItem('pont.interfaceLanguage')) localStorage.setItem('pont.interfaceLanguage', 'en');
    });
    await page.goto(`/#token=${E2E_TOKEN}`);
    await use(page);
    // A CSP violation or an uncaught error is a defect even when the test's assertions passed.
    expect(problems, problems.join('\n')).toEqual([]);
  },
});

/** Calls the engine through the HTTP server, as the page does, for setup that is not what a test is about. */
export async function api<T>(page: Page, method: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/call/${method}`, {
    headers: { authorization: `Bearer ${E2E_TOKEN}`, 'content-type': 'application/json' },
    data: input,
    timeout: 60_000,
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (!res.ok()) throw new Error(`${method}: ${body.error?.message}`);
  return body.result as T;
}

/** Saves what the user sees (the whole page, or only the window for a dialog) under test-results/screenshots/. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage });
}
