import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable, getBridge, listBridges } from '../../electron/engine/bridge/store.ts';
import { trainBridge } from '../../electron/engine/bridge/train.ts';
import { failure } from '../helpers/errors.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { importOcFr } from './fixture.ts';

describe('training a bridge as a job', () => {
  it('trains from a training set with provenance, and a cancelled training resumes to the same bridge', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    await importOcFr(engine);
    const full = await engine.call('bridge.train', { name: 'whole', pairs: ['oc-fr-mini'], iterations: 8 });
    expect(full).toMatchObject({ name: 'whole', from: 'oc', to: 'fr', state: 'ready', iteration: 8 });
    expect(full.provenance.trainingSets).toEqual([expect.objectContaining({ name: 'oc-fr-mini', from: 'oc', to: 'fr', pairs: 18, fingerprint: expect.stringMatching(/^sha256:/) })]);
    expect(full.provenance.analyzer).toEqual({ spec: 'words+fold', version: 1 });
    expect(full.lengths).toMatchObject({ ratio: expect.any(Number), variance: expect.any(Number), pairs: 18 });

    const ac = new AbortController();
    const run = trainBridge(
      db,
      { name: 'cut', pairs: ['oc-fr-mini'], params: { iterations: 8 }, checkpointSeconds: 0 },
      { signal: ac.signal, progress: (p) => (p.phase === 'EM' && p.done >= 3 ? ac.abort() : undefined) },
    );
    await expect(run).rejects.toThrow(/cancelled/);
    const cut = getBridge(db, 'cut');
    expect(cut.state).toBe('training');
    expect(cut.iteration).toBeGreaterThanOrEqual(3);
    expect(cut.iteration).toBeLessThan(8);
    expect((await failure(engine.call('bridge.train', { name: 'cut', pairs: ['oc-fr-mini'], iterations: 9 }))).code).toBe('conflict');
    const resumed = await engine.call('bridge.train', { name: 'cut', pairs: ['oc-fr-mini'], iterations: 8 });
    expect(resumed.state).toBe('ready');
    expect([...readTable(db, resumed.id)]).toEqual([...readTable(db, full.id)]);
    expect(listBridges(db).map((b) => b.name)).toEqual(['cut', 'whole']);
    expect((await failure(engine.call('bridge.train', { name: 'whole', pairs: ['oc-fr-mini'] }))).code).toBe('conflict');
  });

  it('exports and imports a bridge file with its provenance, and names the field of a bad file', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    await importOcFr(engine);
    const b = await engine.call('bridge.train', { name: 'oc-fr', pairs: ['oc-fr-mini'] });
    const file = join(tempDir(), 'oc-fr.bridge.json');
    expect(await engine.call('bridge.export', { name: 'oc-fr', path: file })).toMatchObject({ bridge: 'oc-fr', words: b.entries });
    const other = tempEngine();
    const imported = await other.call('bridge.import', { path: file });
    expect(imported).toMatchObject({ name: 'oc-fr', from: 'oc', to: 'fr', state: 'ready', entries: b.entries, params: b.params, lengths: b.lengths });
    expect(b.lengths).not.toBeNull();
    expect(imported.provenance).toMatchObject({ ...b.provenance, importedFrom: file });
    expect([...readTable(other.workspace.db, imported.id)]).toEqual([...readTable(db, b.id)]);
    expect((await failure(other.call('bridge.import', { path: file }))).code).toBe('conflict');
    const bad = JSON.parse(readFileSync(file, 'utf8'));
    bad.words[0][1][0][1] = 'high';
    writeFileSync(file, JSON.stringify(bad));
    const e = await failure(other.call('bridge.import', { path: file, name: 'x' }));
    expect(e.code).toBe('bad_data');
    expect(e.details[0]).toMatchObject({ file, field: 'words.0.1.0.1' });
    expect(listBridges(other.workspace.db).map((x) => x.name)).toEqual(['oc-fr']);
  });

  it('searches through a bridge and says which correspondences matched', async () => {
    const engine = tempEngine();
    await importOcFr(engine);
    await engine.call('bridge.train', { name: 'oc-fr', pairs: ['oc-fr-mini'] });
    const path = join(tempDir(), 'docs.tsv');
    writeFileSync(path, 'd1\tLa chanson occitane aujourd\'hui\nd2\tLa langue occitane\nd3\tLe pays et la mer\n');
    await engine.call('collection.import', { path, name: 'fr', lang: 'fr' });
    await engine.call('index.build', { collection: 'fr', analyzer: 'chargram:3-5+fold' });
    await engine.call('index.build', { collection: 'fr', analyzer: 'words+fold' });
    const r = await engine.call('search', { collection: 'fr', query: 'la lenga occitana', bridge: 'oc-fr' });
    expect(r.hits[0]!.id).toBe('d2');
    expect(r.hits[0]!.bridged).toContainEqual({ query: 'lenga', target: 'langue', weight: expect.any(Number) });
    expect(r.bridge).toMatchObject({ name: 'oc-fr', from: 'oc', to: 'fr' });
  });
});
