import { describe, expect, it } from 'vitest';
import { Engine } from '../../electron/api/engine.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { Prng } from '../../electron/engine/stats/prng.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { writeDensePack } from '../models/packs.ts';

const words = ['the', 'cat', 'dog', 'river', 'bridge', 'pont', 'mat', 'over', 'ran', 'sat', 'where', 'is', 'a', 'document', 'occitan', 'water'];
const queries = ['the river', 'a cat on the mat', 'where is the bridge', 'occitan document', 'dog'];

async function setup(n: number) {
  const engine = tempEngine();
  const ws = engine.workspace;
  const c = ensureCollection(ws.db, 'docs', 'en');
  const rng = new Prng(7);
  const insert = ws.db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)');
  for (let i = 1; i <= n; i++) insert.run(c.id, `d${i}`, Array.from({ length: 3 + (rng.nextUint32() % 6) }, () => words[rng.nextUint32() % words.length]).join(' '));
  const pack = tempDir();
  writeDensePack(pack, { pooling: 'mean', normalize: true });
  await engine.call('model.import', { path: pack, name: 'e5' });
  await engine.call('model.settings', { provider: 'cpu' });
  return engine;
}

async function bothWays(engine: Engine, query: string, k = 10) {
  const ann = await engine.call('dense.search', { collection: 'docs', model: 'e5', query, k });
  const exact = await engine.call('dense.search', { collection: 'docs', model: 'e5', query, k, exact: true });
  return { ann: ann.hits.map((h) => h.docId), exact: exact.hits.map((h) => h.docId), scores: [ann.hits.map((h) => h.score), exact.hits.map((h) => h.score)] };
}

describe('dense index with an HNSW graph', () => {
  it('answers as the exact scan does, and follows changed, deleted and added documents', async () => {
    const engine = await setup(300);
    const ws = engine.workspace;
    const built = await engine.call('dense.index', { collection: 'docs', model: 'e5', ann: 'hnsw' });
    expect(built.ann).toEqual({ kind: 'hnsw-int8', nodes: 300, inserted: 300 });
    for (const q of queries) {
      const r = await bothWays(engine, q);
      expect(r.ann).toEqual(r.exact);
      r.scores[0]!.forEach((s, i) => expect(s).toBeCloseTo(r.scores[1]![i]!, 5));
    }

    const c = ws.db.prepare("SELECT id FROM collections WHERE name = 'docs'").pluck().get() as number;
    ws.db.prepare("UPDATE documents SET text = 'occitan river bridge' WHERE ext_id = 'd5'").run();
    ws.db.prepare("DELETE FROM documents WHERE ext_id = 'd7'").run();
    ws.db.prepare("INSERT INTO documents (collection_id, ext_id, text) VALUES (?, 'd301', 'the pont over the water')").run(c);
    // Before the index catches up, a deleted document is not returned.
    const stale = await engine.call('dense.search', { collection: 'docs', model: 'e5', query: 'the river', k: 300 });
    expect(stale.hits.map((h) => h.docId)).not.toContain('d7');

    const caught = await engine.call('dense.index', { collection: 'docs', model: 'e5' });
    expect({ encoded: caught.encoded, updated: caught.updated, removed: caught.removed, documents: caught.documents }).toEqual({ encoded: 1, updated: 1, removed: 1, documents: 300 });
    expect(caught.ann).toEqual({ kind: 'hnsw-int8', nodes: 302, inserted: 2 });
    // The changed and the added document are found by their new text.
    for (const [id, text] of [['d5', 'occitan river bridge'], ['d301', 'the pont over the water']] as const) {
      const hits = (await engine.call('dense.search', { collection: 'docs', model: 'e5', query: text, k: 3 })).hits;
      expect(hits.map((h) => h.docId)).toContain(id);
    }
    for (const q of queries) {
      const r = await bothWays(engine, q, 300);
      expect(r.ann).not.toContain('d7');
      expect(r.ann.slice(0, 10)).toEqual(r.exact.slice(0, 10));
    }

    // The graph read back from the database by another connection answers the same.
    const before = await bothWays(engine, 'where is the bridge');
    const again = new Engine(Workspace.open(ws.dir));
    try {
      expect((await bothWays(again, 'where is the bridge')).ann).toEqual(before.ann);
    } finally {
      again.workspace.close();
    }

    const none = await engine.call('dense.index', { collection: 'docs', model: 'e5', ann: 'none' });
    expect(none.ann).toBeNull();
    expect(ws.db.prepare('SELECT count(*) FROM dense_ann_chunks').pluck().get()).toBe(0);
  });

  it('builds no graph for a small collection unless asked', async () => {
    const engine = await setup(20);
    expect((await engine.call('dense.index', { collection: 'docs', model: 'e5' })).ann).toBeNull();
    const r = await bothWays(engine, 'the river');
    expect(r.ann).toEqual(r.exact);
  });
});
