import { expect, screenshot, test } from './fixtures.ts';

test('the interface switches to Occitan, with plurals, and stays so after a reload', async ({ app }) => {
  await app.getByLabel('Interface language').selectOption('oc');
  await expect(app.locator('html')).toHaveAttribute('lang', 'oc');
  const nav = app.getByRole('navigation', { name: 'Vistas' });
  await expect(nav.getByRole('button', { name: 'Recèrca' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Bibliotèca' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Experiéncias' })).toBeVisible();
  await expect(app.getByLabel('Escrivi en')).toBeVisible();
  // 200 documents: the plural form.
  await expect(app.getByText(/Pont cerca dins 200 documents/)).toBeVisible();
  await screenshot(app, 'search-occitan');
  await app.reload();
  await expect(app.getByRole('button', { name: 'Cercar' })).toBeVisible();
  await nav.getByRole('button', { name: 'Bibliotèca' }).click();
  await expect(app.getByRole('heading', { name: 'Colleccions' })).toBeVisible();
  await screenshot(app, 'library-occitan');
});

test('every interface language names the views in that language', async ({ app }) => {
  const expected: Record<string, string> = { ca: 'Biblioteca', scn: 'Bibliotèca', fr: 'Bibliothèque', it: 'Biblioteca', en: 'Library', oc: 'Bibliotèca' };
  for (const [lang, library] of Object.entries(expected)) {
    await app.locator('#ui-lang').selectOption(lang);
    await expect(app.locator('html')).toHaveAttribute('lang', lang);
    await expect(app.getByRole('navigation').getByRole('button', { name: library })).toBeVisible();
  }
  await app.locator('#ui-lang').selectOption('scn');
  await expect(app.getByText(/Pont cerca nta 200 ducumenti/)).toBeVisible();
  await screenshot(app, 'search-sicilian');
});
