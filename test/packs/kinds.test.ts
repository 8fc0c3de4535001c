import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { writeDensePack } from '../models/packs.ts';
import { importOcFr } from '../bridge/fixture.ts';
import { seedItalian } from './helpers.ts';

describe('pack item kinds beyond collections: a model (with its dense index) and a lexical bridge', () => {
  it('travel in one pack, install with checksums intact, search the same, and go away with the pack', async () => {
    const a = tempEngine();
    const dir = tempDir();
    writeDensePack(join(dir, 'tiny'));
    await a.call('model.import', { path: join(dir, 'tiny'), name: 'tiny' });
    await seedItalian(a.workspace.db);
    // A graph even on a small collection, to see it travel.
    await a.call('dense.index', { collection: 'demo-it', model: 'tiny', ann: 'hnsw' });
    await importOcFr(a);
    const bridge = await a.call('bridge.train', { name: 'oc-fr', pairs: ['oc-fr-mini'] });
    const file = join(dir, 'all.pontpack');
    const built = await a.call('pack.build', { output: file, collections: ['demo-it'], models: ['tiny'], bridges: ['oc-fr'] });
    expect(built.items.map((i) => `${i.kind} ${i.name}`)).toEqual(['collection demo-it', 'bridge oc-fr', 'model tiny']);

    const b = tempEngine();
    const [r] = await b.call('pack.install', { path: file });
    expect(r!.installed).toHaveLength(3);
    expect((await b.call('model.show', { name: 'tiny', verify: true })).verified).toBe(true);
    const search = (e: typeof a) => e.call('dense.search', { collection: 'demo-it', model: 'tiny', query: 'Etna vulcano', k: 5 });
    expect((await search(b)).hits.map((h) => h.docId)).toEqual((await search(a)).hits.map((h) => h.docId));
    // The HNSW graph came with the pack, whole and caught up: nothing to rebuild, searched through at once.
    const graph = (e: typeof a) => e.workspace.db.prepare('SELECT nodes, deleted, entry, max_level FROM dense_ann').all();
    const chunks = (e: typeof a) => e.workspace.db.prepare('SELECT count(*) AS n, sum(length(graph)) AS bytes FROM dense_ann_chunks').get();
    expect(graph(b)).toEqual(graph(a));
    expect(graph(b)).toHaveLength(1);
    expect(chunks(b)).toEqual(chunks(a));
    expect(b.workspace.db.prepare('SELECT count(*) FROM dense_ann_pending').pluck().get()).toBe(0);
    // Each node's label is its document's id in the workspace it is in: the same documents, node for node.
    const labels = (e: typeof a) => {
      const ext = e.workspace.db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
      return (e.workspace.db.prepare('SELECT graph FROM dense_ann_chunks ORDER BY chunk').pluck().all() as Uint8Array[]).flatMap((g) => {
        const bytes = Uint8Array.from(g);
        return [...new Float64Array(bytes.buffer, 8, new Int32Array(bytes.buffer, 0, 1)[0]!)].map((id) => ext.get(id));
      });
    };
    expect(labels(b)).toEqual(labels(a));
    expect(labels(b)).not.toContain(undefined);
    const installed = (await b.call('bridge.list', {})) as { name: string; entries: number }[];
    expect(installed.map((x) => [x.name, x.entries])).toEqual([['oc-fr', bridge.entries]]);

    expect((await b.call('pack.remove', { name: 'all' })).items.map((i) => i.kind).sort()).toEqual(['bridge', 'collection', 'model']);
    expect(await b.call('model.list', {})).toEqual([]);
    expect(await b.call('bridge.list', {})).toEqual([]);
  });
});
