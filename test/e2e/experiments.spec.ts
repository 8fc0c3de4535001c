import { readFileSync } from 'node:fs';
import { expect, screenshot, test } from './fixtures.ts';

test('an experiment defined in the interface runs, shows its table with significance markers and a per-query plot, and exports', async ({ app }) => {
  await app.getByRole('button', { name: 'Experiments' }).click();
  await expect(app.getByRole('heading', { name: 'Experiments', level: 1 })).toBeFocused();
  await app.getByLabel('Collection').selectOption('demo-fr');
  const sets = app.getByRole('group', { name: 'Query sets' });
  await expect(sets.getByRole('checkbox', { name: /demo-oc/ })).toBeChecked();
  await expect(sets.getByRole('checkbox', { name: /demo-ca/ })).toBeChecked();
  const systems = app.getByRole('group', { name: 'Systems' });
  await expect(systems.getByRole('checkbox')).toHaveCount(4);
  await app.getByLabel('Baseline').selectOption('bm25-words-fr');
  await app.getByLabel('Name', { exact: true }).fill('e2e-experiment');
  await screenshot(app, 'experiments-define');
  await app.getByRole('button', { name: 'Run the experiment' }).click();

  const results = app.getByRole('region', { name: 'Results of e2e-experiment' });
  await expect(results).toBeVisible({ timeout: 60_000 });
  for (const set of ['demo-oc', 'demo-ca']) {
    const table = results.getByRole('table', { name: new RegExp(set) });
    await expect(table.getByRole('row')).toHaveCount(5); // header + 4 systems
    await expect(table.getByRole('rowheader', { name: /bm25-words-fr/ })).toContainText('baseline');
  }
  // The character n-gram index matches Occitan to French far better than French words do: significant on demo-oc.
  await expect(results.getByRole('table', { name: /demo-oc/ }).getByText(/significantly (better|worse)/).first()).toBeAttached();
  const plot = results.getByRole('img', { name: /minus bm25-words-fr/ });
  await expect(plot).toBeVisible();
  await expect(plot.locator('rect')).toHaveCount(40);
  await screenshot(app, 'experiments-results');

  const [download] = await Promise.all([app.waitForEvent('download'), results.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\n')[0]).toBe('query set,system,nDCG@10,nDCG@10 p,nDCG@10 significant,RR@10,RR@10 p,RR@10 significant,R@100,R@100 p,R@100 significant');
  expect(csv.trim().split('\n')).toHaveLength(1 + 2 * 4);
});
