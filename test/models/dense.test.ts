import { describe, expect, it } from 'vitest';
import { buildDenseIndex } from '../../electron/engine/dense/index.ts';
import { CancelledError } from '../../electron/engine/jobs/progress.ts';
import { buildPipeline } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { engineWithDenseModel } from './packs.ts';

const docs = ['the cat sat on the mat', 'the dog ran over the bridge', 'the river', 'pont over the river', 'a cat , a dog', 'the document', 'where is the bridge', 'occitan'];

const setup = () => engineWithDenseModel(docs);

describe('dense retrieval with sqlite-vec', () => {
  it('indexes a collection, resumes after a cancel, and finds by cosine similarity', async () => {
    const engine = await setup();
    const ws = engine.workspace;
    const abort = new AbortController();
    const cancelled = await buildDenseIndex(ws, 'docs', 'e5', {
      signal: abort.signal,
      progress: (p) => {
        if (p.phase === 'encoding') abort.abort();
      },
    }, 3).catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(CancelledError);
    const resumed = await engine.call('dense.index', { collection: 'docs', model: 'e5' });
    expect(resumed.resumedAfter).toBe(3); // the first batch of three was committed before the cancel
    expect(resumed.encoded).toBe(5);
    expect(resumed.documents).toBe(8);

    const enc = await engine.call('model.encode', { model: 'e5', texts: ['the river', ...docs], kind: 'query' });
    const passages = await engine.call('model.encode', { model: 'e5', texts: docs, kind: 'passage' });
    const q = (enc.texts[0] as { dense: number[] }).dense;
    const expected = passages.texts
      .map((t, i) => ({ id: `d${i + 1}`, s: (t as { dense: number[] }).dense.reduce((a, x, j) => a + x * q[j]!, 0) }))
      .sort((a, b) => b.s - a.s);
    const { hits } = await engine.call('dense.search', { collection: 'docs', model: 'e5', query: 'the river', k: 8 });
    expect(hits.map((h) => h.docId)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.s, 4));

    const stage = buildPipeline({ dense: { model: 'e5', k: 3 } });
    const out = await stage.run([{ qid: 'q1', text: 'the river' }], { signal: new AbortController().signal, progress: () => {}, workspace: ws, collection: 'docs' });
    expect(out.get('q1')!.map((h) => h.docId)).toEqual(expected.slice(0, 3).map((e) => e.id));

    await engine.call('model.delete', { name: 'e5' });
    expect(ws.db.prepare('SELECT count(*) FROM dense_indexes').pluck().get()).toBe(0);
    expect(ws.db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'dense_vectors_%'").pluck().get()).toBe(0);
  });

  it('says how to build a missing index', async () => {
    const engine = await setup();
    await expect(engine.call('dense.search', { collection: 'docs', model: 'e5', query: 'x' })).rejects.toThrow(/pont dense index --collection docs --model e5/);
  });
});
