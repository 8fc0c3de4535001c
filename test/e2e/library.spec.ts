import { api, expect, screenshot, test } from './fixtures.ts';

test('importing a file with a bad line reports the line and keeps the good records', async ({ app }) => {
  await app.getByRole('button', { name: 'Library' }).click();
  await expect(app.getByRole('heading', { name: 'Library', level: 1 })).toBeFocused();
  await screenshot(app, 'library');

  const tsv = ['id\ttitle\ttext', 'p1\tLa mar\tLa mar es blava e granda.', 'p2\tLo solelh\tLo solelh es caud en estiu.', 'p3 has no tabs at all', 'p4\tLa luna\tLa luna es blanca.'].join('\n');
  const form = app.getByRole('form', { name: 'Import a collection' });
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'bad-line.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(tsv) });
  await form.getByLabel('Name', { exact: true }).fill('e2e-bad');
  await form.getByLabel('Language', { exact: true }).selectOption('oc');
  await form.getByRole('button', { name: 'Import', exact: true }).click();

  const report = app.getByRole('status').filter({ hasText: 'could not be read' });
  await expect(report).toContainText('1 record could not be read');
  // The header is line 1, so the record without tabs is line 4 of the file.
  await expect(report).toContainText('line 4');
  await expect(report).toContainText('bad-line.tsv');
  await expect(report).toContainText('3 added');
  await screenshot(app, 'library-import-error');
  await expect(app.getByRole('row', { name: /e2e-bad/ })).toContainText('3');
});

test('building an index shows its progress, then the index is ready', async ({ app }) => {
  // A collection big enough that building takes a moment: 6 000 generated passages.
  const words = ['mar', 'solelh', 'luna', 'vila', 'montanha', 'riu', 'pan', 'vin', 'castèl', 'glèisa', 'mercat', 'trobador', 'cançon', 'fèsta', 'carrièra', 'ostal'];
  const lines: string[] = [];
  for (let i = 0; i < 6_000; i++) {
    const text = Array.from({ length: 24 }, (_, j) => words[(i * 7 + j * 13 + ((i * j) % 5)) % words.length]).join(' ');
    lines.push(JSON.stringify({ id: `g${i}`, title: `Passatge ${i}`, text }));
  }
  await app.getByRole('button', { name: 'Library' }).click();
  const form = app.getByRole('form', { name: 'Import a collection' });
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'big.jsonl', mimeType: 'application/json', buffer: Buffer.from(lines.join('\n')) });
  await form.getByLabel('Name', { exact: true }).fill('e2e-big');
  await form.getByLabel('Language', { exact: true }).selectOption('oc');
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(app.getByRole('status').filter({ hasText: '6,000 added' })).toBeVisible({ timeout: 60_000 });

  // Record every state of the progress bar while the build runs, since a fast machine may finish in a second.
  await app.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>('progress[aria-label^="Building the index"]');
      if (bar && bar.hasAttribute('value')) seen.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
  });
  await app.getByRole('button', { name: 'Build the search index of e2e-big' }).click();
  const bar = app.getByRole('progressbar', { name: 'Building the index of e2e-big' });
  await expect(bar).toBeVisible();
  await screenshot(app, 'library-index-progress');
  await expect(app.getByText('The index of e2e-big is ready.')).toBeVisible({ timeout: 60_000 });
  const seen = await app.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
  expect(seen.length).toBeGreaterThan(0);
  expect(Math.max(...seen)).toBeGreaterThan(0);
  const indexes = await api<{ name: string; state: string }[]>(app, 'index.list', { collection: 'e2e-big' });
  expect(indexes.map((i) => i.state)).toEqual(['ready', 'ready']);
  await expect(app.getByRole('row', { name: /e2e-big/ })).toContainText('✓');
});

test('an import can be cancelled from its progress bar, and says so', async ({ app }) => {
  // Long enough that an idle machine is still importing when Cancel is pressed (it imports ~200k short rows/s);
  // handing the browser a 40 MB file takes tens of seconds on a loaded machine, hence the longer timeout.
  test.slow();
  const total = 800_000;
  const lines = Array.from({ length: total }, (_, i) => `c${i}\tLo vent de la mar bufa sus la vila, numèro ${i}`);
  await app.getByRole('button', { name: 'Library' }).click();
  const form = app.getByRole('form', { name: 'Import a collection' });
  await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'long.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(lines.join('\n')) });
  await form.getByLabel('Name', { exact: true }).fill('e2e-cancelled');
  await form.getByLabel('Language', { exact: true }).selectOption('oc');
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  // Wait for the engine's own progress (after the upload), then cancel.
  await expect(form.getByText(/documents?/).filter({ hasText: '/s' }).first()).toBeVisible({ timeout: 30_000 });
  await screenshot(app, 'library-import-progress');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Cancelled' })).toBeVisible();
  const rows = await api<{ name: string; documents: number; incompleteImport: boolean }[]>(app, 'collection.list', {});
  const row = rows.find((r) => r.name === 'e2e-cancelled');
  expect(row?.documents ?? 0).toBeLessThan(total);
});
