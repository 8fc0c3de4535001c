import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { api, expect, screenshot, test } from './fixtures.ts';

/**
 * A partner's pack on a "USB stick" (a folder): made through the API from a collection that is then deleted, so
 * that the user installs it into a workspace that does not have it.
 */
async function partnerPack(app: Page, name: string): Promise<{ stick: string; file: string }> {
  const dir = test.info().outputPath(`pack-${name}`);
  mkdirSync(dir);
  const source = join(dir, `${name}.jsonl`);
  const passages = [
    { id: 'v1', title: 'Lu vulcanu Etna', text: "L'Etna è lu vulcanu cchiù àutu d'Europa; li so colati di lava scinninu versu Catania." },
    { id: 'v2', title: 'Lu mari di Missina', text: 'Ntô strittu di Missina passanu li pisci spada, e li piscatura li aspettanu supra li feluchi.' },
    { id: 'v3', title: 'Lu tiatru dî pupi', text: 'Ntô tiatru dî pupi si cuntanu li storî di Orlandu e Rinardu, paladini di Francia.' },
  ];
  writeFileSync(source, passages.map((p) => JSON.stringify(p)).join('\n'));
  await api(app, 'collection.import', { path: source, name, lang: 'scn', strict: true });
  await api(app, 'index.build', { collection: name, analyzer: 'chargram:3-5+fold' });
  const stick = join(dir, 'usb');
  mkdirSync(stick);
  const file = join(stick, `${name}.pontpack`);
  await api(app, 'pack.build', { output: file, collections: [name], title: 'Sicilia (partner)', licence: 'CC-BY-4.0', variety: 'scn' });
  await api(app, 'collection.delete', { name });
  return { stick, file };
}

test('a pack is installed from a folder (a USB stick) and its collection is searchable at once', async ({ app }) => {
  const { stick } = await partnerPack(app, 'e2e-pack');
  await app.getByRole('button', { name: 'Library' }).click();
  const form = app.getByRole('form', { name: 'Install a content pack' });
  await expect(form).toBeVisible();
  await form.getByLabel(/or a path on this computer/).fill(stick);
  await form.getByRole('button', { name: 'Install', exact: true }).click();
  await expect(form.getByRole('status')).toContainText('Installed “Sicilia (partner)”: 1 item.');
  const section = app.getByRole('region', { name: 'Content packs' });
  await expect(section.getByRole('row', { name: /Sicilia \(partner\)/ })).toContainText('CC-BY-4.0');
  await expect(app.getByRole('row', { name: /e2e-pack/ }).first()).toContainText('✓');
  await section.scrollIntoViewIfNeeded();
  await screenshot(app, 'packs-installed');

  await app.getByRole('button', { name: 'Search' }).first().click();
  await app.getByLabel('Search in', { exact: true }).selectOption('e2e-pack');
  const box = app.getByRole('combobox', { name: 'Search in your own words' });
  await box.fill('vulcanu Etna');
  await box.press('Enter');
  const results = app.getByRole('list', { name: 'Results' });
  await expect(results.getByRole('listitem').first()).toContainText('Lu vulcanu Etna');
  await screenshot(app, 'packs-search');

  // A user who has never chosen a variety (as on the first start of an installer with this pack inside) starts
  // with the pack's: Sicilian.
  await app.evaluate(() => localStorage.removeItem('pont.variety'));
  await app.reload();
  await expect(app.getByLabel('I write in')).toHaveValue('scn');
  // Removing the pack takes its choice away: the other suites' users start without it.
  const installed = await api<{ name: string; title: string }[]>(app, 'pack.list', {});
  await api(app, 'pack.remove', { name: installed.find((p) => p.title === 'Sicilia (partner)')!.name });
  expect(await api(app, 'pack.defaults', {})).toEqual({});
});

test('a tampered pack is refused, naming the part, and nothing is installed', async ({ app }) => {
  const { file } = await partnerPack(app, 'e2e-tampered');
  const bad = file.replace('.pontpack', '-bad.pontpack');
  copyFileSync(file, bad);
  // Flip a byte inside the collection's part (after the manifest's 512-byte header and 1 KiB+ of data).
  const text = readFileSync(bad);
  const at = text.indexOf('parts/001-collection.sqlite') + 4096;
  const fd = openSync(bad, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  writeSync(fd, Buffer.from([b[0]! ^ 0xff]), 0, 1, at);
  closeSync(fd);
  const before = await api<{ name: string }[]>(app, 'collection.list', {});

  await app.getByRole('button', { name: 'Library' }).click();
  const form = app.getByRole('form', { name: 'Install a content pack' });
  await form.getByLabel(/or a path on this computer/).fill(bad);
  await form.getByRole('button', { name: 'Install', exact: true }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText('parts/001-collection.sqlite');
  await expect(alert).toContainText('Nothing was installed');
  await alert.scrollIntoViewIfNeeded();
  await screenshot(app, 'packs-tampered');
  expect((await api<{ name: string }[]>(app, 'collection.list', {})).map((c) => c.name)).toEqual(before.map((c) => c.name));
  expect((await api<{ name: string }[]>(app, 'pack.list', {})).map((p) => p.name)).not.toContain('e2e-tampered-bad');
});
