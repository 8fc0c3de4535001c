import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, expect, screenshot, test } from './fixtures.ts';

test('a fresh workspace holds the demo collections and query sets', async ({ app }) => {
  // Other test files add collections of their own to the same workspace; the demo is what was there from the start.
  const collections = await api<{ name: string; documents: number }[]>(app, 'collection.list', {});
  expect(collections.filter((c) => c.name.startsWith('demo-')).map((c) => [c.name, c.documents])).toEqual([
    ['demo-fr', 200],
    ['demo-it', 40],
    ['demo-nl', 40],
  ]);
  const sets = await api<{ name: string; queries: number; judged: number }[]>(app, 'queries.list', {});
  expect(sets.map((s) => [s.name, s.queries, s.judged])).toEqual([
    ['demo-af', 20, 20],
    ['demo-ca', 40, 40],
    ['demo-oc', 40, 40],
    ['demo-scn', 20, 20],
  ]);
  // …and searchable at once: each demo collection has its word and character n-gram indexes.
  const indexes = await api<{ collection: string; analyzer: string; state: string }[]>(app, 'index.list', {});
  for (const c of ['demo-fr', 'demo-it', 'demo-nl']) {
    expect(indexes.filter((i) => i.collection === c && i.state === 'ready').map((i) => i.analyzer.split(':')[0]).sort(), c).toEqual(['chargram', 'words']);
  }
  await expect(app.getByLabel('Search in', { exact: true })).toContainText('demo-fr');
});

test('an Occitan query finds the French passages about the Occitan language', async ({ app }) => {
  await app.getByLabel('Search in', { exact: true }).selectOption('demo-fr');
  await app.getByLabel('I write in').selectOption('oc');
  const box = app.getByRole('combobox', { name: 'Search in your own words' });
  await box.fill('la lenga occitana');
  await box.press('Enter');
  const results = app.getByRole('list', { name: 'Results' });
  await expect(results.getByRole('listitem').first()).toBeVisible();
  const ids = await results.getByRole('listitem').evaluateAll((items) => items.map((li) => li.getAttribute('data-doc')));
  // demo-oc's qrels (query oc-02) judge fr-041 "La langue occitane" and fr-047 "L'occitan aujourd'hui" the best answers.
  expect(ids.slice(0, 5).filter((id) => id === 'fr-041' || id === 'fr-047').length).toBeGreaterThan(0);
  const judged = new Set(['fr-041', 'fr-047', 'fr-042', 'fr-043', 'fr-044', 'fr-046', 'fr-048', 'fr-050']);
  expect(ids.slice(0, 5).filter((id) => judged.has(id!)).length).toBeGreaterThanOrEqual(3);
  await expect(results.locator('mark').first()).toBeVisible();
  await screenshot(app, 'search-results');

  // The breakdown on demand, and the document itself.
  const first = results.getByRole('listitem').first();
  await first.getByRole('button', { name: 'Why this result?' }).click();
  await expect(first.getByText('Your words, and the words of this document that answer them:')).toBeVisible();
  await expect(first.locator('.why')).toContainText('→');
  await screenshot(app, 'search-why');
  await first.locator('h2').getByRole('button').click();
  const dialog = app.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('occitan');
  await screenshot(app, 'document', false);
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('search is usable with the keyboard alone, with type-ahead from titles and past queries', async ({ app }) => {
  await app.keyboard.press('Tab'); // skip link
  await app.keyboard.press('Tab'); // first tab of the navigation
  await expect(app.getByRole('button', { name: 'Search', exact: true }).first()).toBeFocused();
  const box = app.getByRole('combobox', { name: 'Search in your own words' });
  await box.focus();
  // A document title of the collection is suggested…
  await box.pressSequentially('roquef');
  await expect(app.getByRole('option', { name: 'Le roquefort' })).toBeVisible();
  await box.press('Escape');
  await expect(app.getByRole('listbox')).toBeHidden();
  await box.fill('');
  await box.pressSequentially('lo formatge de Ròcafòrt');
  await box.press('Enter');
  await expect(app.getByRole('list', { name: 'Results' }).getByRole('listitem').first()).toBeVisible();
  // …and so is a query searched before.
  await box.fill('');
  await box.pressSequentially('lo form');
  const option = app.getByRole('option', { name: 'lo formatge de Ròcafòrt' });
  await expect(option).toBeVisible();
  await box.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(box).toHaveValue('lo formatge de Ròcafòrt');
  await box.press('Enter');
  await expect(app.getByRole('list', { name: 'Results' }).getByRole('listitem').first()).toBeVisible();
});

test('the variety of the query is guessed from its text and remembered', async ({ app }) => {
  await app.getByLabel('I write in').selectOption('fr');
  const box = app.getByRole('combobox', { name: 'Search in your own words' });
  await box.fill('los trobadors cantavan la fin’amor dins la lenga d’òc');
  await app.getByRole('button', { name: 'Search as Occitan' }).click();
  await expect(app.getByLabel('I write in')).toHaveValue('oc');
  await app.reload();
  await expect(app.getByLabel('I write in')).toHaveValue('oc');
});

test('a collection without an index is made searchable from the search view', async ({ app }) => {
  // A collection of its own, imported without an index (the demo's come indexed).
  const dir = test.info().outputPath('noindex');
  mkdirSync(dir);
  const file = join(dir, 'dolci.tsv');
  writeFileSync(file, ['d1\tI cannoli siciliani\tCialde fritte riempite di ricotta di pecora zuccherata.', 'd2\tLa cassata\tTorta di pan di Spagna con ricotta e frutta candita.', 'd3\tIl pane\tPane di semola cotto nel forno a legna.'].join('\n'));
  await api(app, 'collection.import', { path: file, name: 'e2e-dolci', lang: 'it' });
  rmSync(dir, { recursive: true, force: true });
  await app.reload();

  await app.getByLabel('Search in', { exact: true }).selectOption('e2e-dolci');
  await app.getByLabel('I write in').selectOption('scn');
  const box = app.getByRole('combobox', { name: 'Search in your own words' });
  await box.fill('i cannola chî ricotta');
  await box.press('Enter');
  await expect(app.getByText('The collection e2e-dolci has no search index yet.')).toBeVisible();
  await screenshot(app, 'search-no-index');
  await app.getByRole('button', { name: 'Build the index now' }).click();
  // The build runs, then the search it was waiting for; the Sicilian "cannola" meets the Italian "cannoli" by n-grams.
  const results = app.getByRole('list', { name: 'Results' });
  await expect(results.getByRole('listitem').first()).toHaveAttribute('data-doc', 'd1', { timeout: 30_000 });
  await expect(results.locator('mark').first()).toHaveText('cannoli');
  await screenshot(app, 'search-sicilian-results');
});
