import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { api, expect, screenshot, test } from './fixtures.ts';

const ETNA = 'quannu u Muncibbeddu jetta focu';

async function searchFor(app: Page, collection: string, variety: string, query: string) {
  await app.getByLabel('Search in', { exact: true }).selectOption(collection);
  await app.getByLabel('I write in').selectOption(variety);
  const box = app.getByRole('combobox', { name: 'Search in your own words' });
  await box.fill(query);
  await box.press('Enter');
  const results = app.getByRole('list', { name: 'Results' });
  await expect(results.getByRole('listitem').first()).toBeVisible();
  return results;
}

const idsOf = (results: Locator) => results.getByRole('listitem').evaluateAll((items) => items.map((li) => li.getAttribute('data-doc')));

test('Occitan and Sicilian speakers typing the same words are searched for differently, and told how', async ({ app }) => {
  // demo-fr has two bridges: Occitan → French and Catalan → French; Sicilian has none for French.
  const bridges = await api<{ from: string; to: string }[]>(app, 'bridge.list', {});
  expect(bridges.filter((b) => b.to === 'fr').map((b) => b.from).sort()).toEqual(['ca', 'oc']);

  const results = await searchFor(app, 'demo-fr', 'oc', 'la lenga occitana');
  await expect(app.getByText('Searched with: the Occitan → French bridge.')).toBeVisible();
  const occitan = await idsOf(results);
  expect(occitan[0]).toBe('fr-041');
  // Highlights are whole words: the query's "lenga" and "occitana" meet "langue" and "occitane", nothing else.
  const first = results.getByRole('listitem').first();
  const marked = await first.locator('mark').allTextContents();
  expect(marked.length).toBeGreaterThan(0);
  for (const m of marked) expect(m.toLowerCase()).toMatch(/^(langue|occitane?s?|occitan)$/);
  await first.getByRole('button', { name: 'Why this result?' }).click();
  const why = first.locator('.why');
  await expect(why).toContainText('Your words, and the words of this document that answer them:');
  await expect(why).toContainText('lenga → langue');
  await expect(why).toContainText('through the bridge');
  await expect(why).not.toContainText(/chargram|_la|score|\d\.\d{2}/);
  await screenshot(app, 'community-occitan');

  await app.getByLabel('I write in').selectOption('scn');
  await app.getByRole('button', { name: 'Search', exact: true }).last().click();
  await expect(app.getByText('Searched with: similar spellings (no Sicilian → French bridge yet).')).toBeVisible();
  await expect.poll(async () => (await idsOf(results)).join(' ')).not.toBe(occitan.join(' '));
  await screenshot(app, 'community-sicilian');
});

test('results page through: the Sicilian Etna query finds its passage on the second page, and the user judges it', async ({ app }) => {
  const results = await searchFor(app, 'demo-it', 'scn', ETNA);
  await expect(app.getByText('Searched with: the Sicilian → Italian bridge.')).toBeVisible();
  await expect(app.getByText(/about \d+ results for “quannu u Muncibbeddu jetta focu” in demo-it/)).toBeVisible();
  await expect(results.getByRole('listitem')).toHaveCount(10);
  await expect(results.locator('[data-doc="it-001"]')).toHaveCount(0);
  await app.getByRole('button', { name: 'More results' }).click();
  await expect(results.getByRole('listitem')).toHaveCount(20);
  const etna = results.locator('[data-doc="it-001"]');
  await expect(etna).toBeVisible();
  const rank = Number(await etna.getAttribute('data-rank'));
  expect(rank).toBeGreaterThan(10);
  expect(rank).toBeLessThanOrEqual(20);
  // Focus moved to the first result of the new page, for keyboard and screen-reader users.
  await expect(results.getByRole('listitem').nth(10).locator('.title')).toBeFocused();
  await etna.scrollIntoViewIfNeeded();
  await etna.getByRole('button', { name: /Helpful/ }).first().click();
  await expect(etna.getByText('Thank you: noted.')).toBeVisible();
  await screenshot(app, 'community-page-2');

  // The judgement is in the exported qrels, and improves Sicilian search on the community's own judgements.
  await app.getByRole('navigation').getByRole('button', { name: 'Library' }).click();
  const row = app.locator('[data-feedback="demo-it/scn"]');
  await expect(row).toContainText('Sicilian');
  await row.getByRole('button', { name: 'Export as qrels' }).click();
  await expect(app.getByTestId('qrels')).toContainText(/^scn-[0-9a-f]{10} 0 it-001 1$/m);
  await row.getByRole('button', { name: 'Improve search for Sicilian' }).click();
  await expect(app.getByText(/Search for Sicilian learned from your judgements/)).toBeVisible({ timeout: 40_000 });
  await expect(app.getByText(/before.*0[.,]\d\d.*after.*1[.,]00/)).toBeVisible();
  await app.getByRole('heading', { name: 'What the community judged' }).scrollIntoViewIfNeeded();
  await screenshot(app, 'community-improved');
});

test('in Sicilian, every error the user meets is in Sicilian, naming the form’s own controls', async ({ app }) => {
  const dir = test.info().outputPath('errors');
  mkdirSync(dir);
  const odd = join(dir, 'notes.dat');
  writeFileSync(odd, 'a\tb\n');
  const bare = join(dir, 'bare.tsv');
  writeFileSync(bare, 'd1\tLu pani\tPane di semola.\n');
  await api(app, 'collection.import', { path: bare, name: 'e2e-bare', lang: 'it' });
  await app.reload();
  await app.getByLabel('Interface language').selectOption('scn');

  const seen: string[] = [];
  const errorText = async () => {
    const box = app.getByRole('alert').last();
    await expect(box).toBeVisible();
    const text = (await box.innerText()).trim();
    seen.push(text);
    return text;
  };

  // A file whose format cannot be told from its name.
  await app.getByRole('navigation').getByRole('button', { name: 'Bibliotèca' }).click();
  await app.locator('#import-path').fill(odd);
  await app.locator('#import-name').fill('e2e-strana');
  await app.locator('#import-name').press('Enter');
  expect(await errorText()).toContain('Pont nun canusci lu furmatu di notes.dat dû so nomu: scegghi TSV o JSONL ntô menù Furmatu.');
  await screenshot(app, 'community-error-format');

  // A path that does not exist.
  await app.locator('#import-path').fill(join(dir, 'nenti.tsv'));
  await app.locator('#import-name').press('Enter');
  expect(await errorText()).toContain('Nun si truvò nenti a');

  // A folder given as a file.
  await app.locator('#import-format').selectOption('tsv');
  await app.locator('#import-path').fill(dir);
  await app.locator('#import-name').press('Enter');
  expect(await errorText()).toContain('è na cartella');

  // A search in a collection without an index: the Sicilian explanation and the button that fixes it.
  await app.getByRole('navigation').getByRole('button', { name: 'Circata' }).click();
  await app.locator('#collection').selectOption('e2e-bare');
  await app.locator('#q').fill('lu pani');
  await app.locator('#q').press('Enter');
  await expect(app.getByText('La cullizzioni e2e-bare nun havi ancora un ìndici di circata.')).toBeVisible();
  await screenshot(app, 'community-error-index');

  for (const text of seen) {
    expect(text).not.toMatch(/--[a-z]|\bpont [a-z]|cannot|does not|is not|no such/);
  }
});
