import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPairSet, listPairSets, readPairs } from '../../electron/engine/pairs/store.ts';
import { failure } from '../helpers/errors.ts';
import { tempEngine, writeTemp } from '../helpers/workspace.ts';


describe('training sets from TSV', () => {
  it('imports low<TAB>high, names pairs by content, streams them back in order, and re-imports as a no-op', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    const path = writeTemp('p.tsv', 'la lenga\tla langue\nlo país\tle pays\n\nl\'ostal\tla maison\n');
    const r = await engine.call('pairs.import', { path, name: 'oc', from: 'oc', to: 'fr' });
    expect(r).toMatchObject({ pairSet: 'oc', from: 'oc', to: 'fr', added: 3, bad: 0, pairs: 3, format: 'tsv' });
    expect([...readPairs(db, 'oc')].map((p) => [p.low, p.high, p.weight, p.negatives])).toEqual([
      ['la lenga', 'la langue', 1, []],
      ['lo país', 'le pays', 1, []],
      ["l'ostal", 'la maison', 1, []],
    ]);
    const info = getPairSet(db, 'oc');
    expect(info.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await engine.call('pairs.import', { path, name: 'oc', from: 'oc', to: 'fr' });
    expect(again).toMatchObject({ added: 0, unchanged: 3, pairs: 3, fingerprint: info.fingerprint });
    expect(listPairSets(db).map((s) => s.name)).toEqual(['oc']);
  });

  it('reads id and weight columns, a header line, and the l10n-train layout', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    await engine.call('pairs.import', { path: writeTemp('a.tsv', 'a\tA\t0.5\nb\tB\t2\n'), name: 'w', from: 'oc', to: 'fr' });
    expect([...readPairs(db, 'w')].map((p) => p.weight)).toEqual([0.5, 2]);
    await engine.call('pairs.import', { path: writeTemp('b.tsv', 'weight\thigh\tlow\tid\n3\tB\tb\tx1\n'), name: 'h', from: 'oc', to: 'fr' });
    expect([...readPairs(db, 'h')]).toEqual([{ id: 'x1', low: 'b', high: 'B', weight: 3, negatives: [] }]);
    const l10n = await engine.call('pairs.import', { path: writeTemp('pairs.tsv', 'p1\tMarcar\tCocher\t0\np2\tLinha\tLigne\t1\n'), name: 'l', from: 'oc', to: 'fr' });
    expect(l10n.notes.join(' ')).toMatch(/l10n-train layout/);
    expect([...readPairs(db, 'l')].map((p) => [p.id, p.low, p.high, p.weight])).toEqual([
      ['p1', 'Marcar', 'Cocher', 1],
      ['p2', 'Linha', 'Ligne', 1],
    ]);
    await engine.call('pairs.import', { path: writeTemp('c.tsv', 'x\ty\tz\t0\n'), name: 'c', from: 'oc', to: 'fr', columns: 'low,high,-,-' });
    expect([...readPairs(db, 'c')].map((p) => [p.low, p.high])).toEqual([['x', 'y']]);
  });

  it('reports bad records with file, line and field, keeps the good ones, and stops before committing with --strict', async () => {
    const engine = tempEngine();
    const path = writeTemp('bad.tsv', 'id\tlow\thigh\tweight\na\tx\tX\t1\nb\t\tY\t1\nc\tz\tZ\tlots\nd\tw\n\tv\tV\t1\na\tx2\tX2\t1\n');
    const r = await engine.call('pairs.import', { path, name: 's', from: 'oc', to: 'fr' });
    expect(r).toMatchObject({ added: 1, bad: 5 });
    expect(r.issues.map((i) => [i.file, i.line, i.field])).toEqual([
      [path, 3, 'low'],
      [path, 4, 'weight'],
      [path, 5, 'high'],
      [path, 6, 'id'],
      [path, 7, 'id'],
    ]);
    const strict = await failure(engine.call('pairs.import', { path, name: 't', from: 'oc', to: 'fr', strict: true }));
    expect(strict.code).toBe('bad_data');
    expect(strict.details[0]).toMatchObject({ file: path, line: 3, field: 'low' });
    expect(getPairSet(engine.workspace.db, 't').pairs).toBe(0);
  });

  it('refuses a set that pairs other languages, an unknown set, and an undecidable layout', async () => {
    const engine = tempEngine();
    const path = writeTemp('p.tsv', 'a\tb\n');
    await engine.call('pairs.import', { path, name: 's', from: 'oc', to: 'fr' });
    expect((await failure(engine.call('pairs.import', { path, name: 's', from: 'ca', to: 'fr' }))).code).toBe('conflict');
    expect((await failure(engine.call('pairs.show', { name: 'nope' }))).message).toMatch(/nope/);
    const wide = await failure(engine.call('pairs.import', { path: writeTemp('w.tsv', 'a\tb\tc\td\te\n'), name: 'w', from: 'oc', to: 'fr' }));
    expect(wide.details[0]).toMatchObject({ line: 1, field: 'columns' });
  });

  it('deletes a set with its pairs and the record of its imports', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    await engine.call('pairs.import', { path: writeTemp('p.tsv', 'a\tb\nc\t\n'), name: 's', from: 'oc', to: 'fr' });
    expect(await engine.call('pairs.delete', { name: 's' })).toEqual({ deleted: 's', pairs: 1 });
    expect(db.prepare('SELECT count(*) FROM pairs').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM import_errors').pluck().get()).toBe(0);
  });
});

const L10N_TRAIN = '/work/shared/data/l10n-train';

describe.skipIf(!existsSync(L10N_TRAIN))('the l10n-train pairs', () => {
  it('imports all seven pairs.tsv with the counts of stats.json', async () => {
    const engine = tempEngine();
    const stats = JSON.parse(readFileSync(join(L10N_TRAIN, 'stats.json'), 'utf8')) as { pair: string; pairs: number }[];
    expect(stats).toHaveLength(7);
    for (const s of stats) {
      const to = s.pair.slice(s.pair.lastIndexOf('-') + 1);
      const r = await engine.call('pairs.import', { path: join(L10N_TRAIN, s.pair, 'pairs.tsv'), name: `l10n-train-${s.pair}`, from: s.pair.slice(0, -to.length - 1), to });
      expect(r, s.pair).toMatchObject({ added: s.pairs, bad: 0, pairs: s.pairs });
    }
  }, 60_000);
});
if (!existsSync(L10N_TRAIN)) console.log(`skipping the l10n-train import test: ${L10N_TRAIN} is absent`);
