import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, test } from './fixtures.ts';

// Issue 11's import findings, as a community user meets them: a folder of Occitan notes uploaded from the browser.
test('an uploaded folder: language guessed from its text, titles from the documents, the chosen name shown instead of a temporary path', async ({ app }) => {
  const dir = test.info().outputPath('notas');
  mkdirSync(dir);
  writeFileSync(join(dir, 'c.txt'), 'Lo mercat de Tolosa\n\nCada dissabte, lo mercat de la plaça es plen de monde que crompan de castanhas, de formatge e de vin.\n');
  writeFileSync(join(dir, 'd.html'), '<html><head><title>La fèsta del vilatge — Notas</title></head><body><h1>La fèsta del vilatge</h1><p>Aquesta nuèch, los joves dançan sus la plaça e la musica dura fins al jorn.</p></body></html>');

  await app.getByRole('button', { name: 'Library' }).click();
  const form = app.getByRole('form', { name: 'Import a collection' });
  await expect(form.getByLabel('Language', { exact: true })).toHaveValue('fr');
  await form.getByLabel('or a folder', { exact: true }).setInputFiles(dir);
  // Guessed from a sample of the files, not French by default; the user can still change it.
  await expect(form.getByLabel('Language', { exact: true })).toHaveValue('oc');
  await expect(form.getByText('guessed from the files')).toBeVisible();
  await screenshot(app, 'import-language-guessed');
  await form.getByLabel('Name', { exact: true }).fill('e2e-notas');
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(form.getByRole('status')).toContainText('2 added');
  await app.getByRole('button', { name: 'Build the search index of e2e-notas' }).click();
  await expect(app.getByText('The index of e2e-notas is ready.')).toBeVisible({ timeout: 60_000 });

  await app.getByRole('button', { name: 'Search' }).first().click();
  await app.getByLabel('Search in', { exact: true }).selectOption('e2e-notas');
  const box = app.getByRole('combobox', { name: 'Search in your own words' });
  await box.fill('fèsta plaça');
  await box.press('Enter');
  const results = app.getByRole('list', { name: 'Results' });
  const fete = results.getByRole('listitem').filter({ hasText: 'La fèsta del vilatge' });
  await expect(fete).toBeVisible();
  // The title is not repeated at the start of the snippet.
  await expect(fete.locator('p').first()).not.toContainText('La fèsta del vilatge');
  await expect(results.getByRole('listitem').filter({ hasText: 'Lo mercat de Tolosa' })).toBeVisible();
  await screenshot(app, 'import-titles');
  await fete.getByRole('button', { name: 'La fèsta del vilatge' }).or(fete.getByRole('link', { name: 'La fèsta del vilatge' })).first().click();
  const dialog = app.getByRole('dialog');
  await expect(dialog).toContainText('notas/d.html');
  await expect(dialog).not.toContainText('pont-uploads');
  await screenshot(app, 'import-document-source', false);
});
