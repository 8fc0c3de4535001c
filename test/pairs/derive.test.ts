import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { readPairs } from '../../electron/engine/pairs/store.ts';
import { buildPipeline } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { failure } from '../helpers/errors.ts';
import { tempEngine, writeTemp } from '../helpers/workspace.ts';

const DOCS = [
  ['d1', 'La langue occitane', "L'occitan est parlé dans le sud de la France. Il a plusieurs dialectes."],
  ['d2', 'La chanson occitane', "La chanson occitane d'aujourd'hui mêle rock et tradition. Elle se chante en occitan."],
  ['d3', 'La langue catalane', 'Le catalan est parlé en Catalogne. Il est proche de l’occitan.'],
  ['d4', 'Le fromage', 'Le roquefort est un fromage de brebis.'],
  ['d5', '', 'La langue des signes est une langue visuelle. Elle a sa grammaire.'],
];

async function workspace(): Promise<Engine> {
  const engine = tempEngine();
  await engine.call('collection.import', { path: writeTemp('c.tsv', DOCS.map((d) => d.join('\t')).join('\n')), name: 'fr', lang: 'fr' });
  await engine.call('queries.import', { path: writeTemp('q.tsv', 'q1\tla lenga occitana\nq2\tlo formatge\nq3\tla cançon\n'), collection: 'fr', name: 'oc', lang: 'oc' });
  await engine.call('qrels.import', { path: writeTemp('qrels.txt', 'q1 0 d1 2\nq1 0 d2 0\nq2 0 d4 1\nq3 0 d2 1\nq3 0 d404 1\n'), queries: 'oc' });
  await engine.call('index.build', { collection: 'fr', name: 'cg', analyzer: 'chargram:3-5+fold' });
  return engine;
}

describe('derived training sets', () => {
  it('pairs each query with the text of each document judged relevant, the grade as weight', async () => {
    const engine = await workspace();
    const r = await engine.call('pairs.fromQrels', { queries: 'oc', name: 'q' });
    expect(r).toMatchObject({ from: 'oc', to: 'fr', added: 3, warnings: 1, format: 'qrels' });
    expect(r.issues[0]).toMatchObject({ field: 'docid', reason: expect.stringContaining('d404') });
    expect([...readPairs(engine.workspace.db, 'q')].map((p) => [p.id, p.low, p.weight, p.high.slice(0, 18)])).toEqual([
      ['q1:d1', 'la lenga occitana', 2, 'La langue occitane'],
      ['q2:d4', 'lo formatge', 1, 'Le fromage Le roqu'],
      ['q3:d2', 'la cançon', 1, 'La chanson occitan'],
    ]);
    expect(await engine.call('pairs.fromQrels', { queries: 'oc', name: 'q' })).toMatchObject({ added: 0, unchanged: 3 });
  });

  it("takes titles, or first sentences, as pseudo-queries for their own document (Shi et al.)", async () => {
    const engine = await workspace();
    const t = await engine.call('pairs.fromTitles', { collection: 'fr', name: 't' });
    expect(t).toMatchObject({ from: 'fr', to: 'fr', added: 4 });
    expect(t.notes.join(' ')).toMatch(/1 documents have no title/);
    const s = await engine.call('pairs.fromTitles', { collection: 'fr', name: 's', firstSentence: true });
    expect(s).toMatchObject({ added: 4 });
    expect([...readPairs(engine.workspace.db, 's')][0]).toMatchObject({ id: 'd1', low: "L'occitan est parlé dans le sud de la France.", high: 'Il a plusieurs dialectes.' });
  });

  it('mines hard negatives with a pipeline, skipping the positive and candidates within the margin of its score', async () => {
    const engine = await workspace();
    await engine.call('pairs.fromQrels', { queries: 'oc', name: 'q' });
    const r = await engine.call('pairs.mineNegatives', { pairs: 'q', name: 'qn', collection: 'fr', index: 'cg', perPair: 2, margin: 0 });
    expect(r).toMatchObject({ format: 'mined', added: 3, pairs: 3 });
    const mined = [...readPairs(engine.workspace.db, 'qn')];
    const byId = new Map(mined.map((p) => [p.id, p]));
    expect(byId.get('q1:d1')!.negatives).toHaveLength(2);
    for (const p of mined) expect(p.negatives).not.toContain(p.high);
    // With the widest margin every candidate is within it: nothing is mined.
    const none = await engine.call('pairs.mineNegatives', { pairs: 'q', name: 'q0', collection: 'fr', pipeline: { bm25: { index: 'cg', k: 10 } }, margin: 1 });
    expect(none.notes.join(' ')).toMatch(/^0 negatives mined/);
    // Against the pipeline's own scores: the negatives are exactly the candidates, in rank order, that score below
    // (1 − margin) × the positive's score.
    const margin = 0.3;
    await engine.call('pairs.mineNegatives', { pairs: 'q', name: 'q3', collection: 'fr', index: 'cg', margin, perPair: 5 });
    const hits = (await buildPipeline({ bm25: { index: 'cg', k: 30 } }).run([{ qid: 'q1', text: 'la lenga occitana' }], { ...noJob, workspace: engine.workspace, collection: 'fr' })).get('q1')!;
    const text = (id: string) => DOCS.find((d) => d[0] === id)!.slice(1).join(' ').trim();
    const own = hits.find((h) => h.docId === 'd1')!.score;
    const expected = hits.filter((h) => h.docId !== 'd1' && h.score < (1 - margin) * own).map((h) => text(h.docId));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(hits.length - 1);
    expect([...readPairs(engine.workspace.db, 'q3')].find((p) => p.id === 'q1:d1')!.negatives).toEqual(expected.slice(0, 5));
    expect((await failure(engine.call('pairs.mineNegatives', { pairs: 'q', name: 'q', collection: 'fr' }))).details[0]).toMatchObject({ field: 'name' });
    expect((await failure(engine.call('pairs.mineNegatives', { pairs: 'q', name: 'x', collection: 'fr', pipeline: { nope: {} } }))).message).toMatch(/unknown stage kind/);
  });

  it('resumes an interrupted mining where it stopped, to the set an uninterrupted one gives', async () => {
    const engine = await workspace();
    const texts = DOCS.slice(0, 4).map(([, t, x]) => `${t} ${x}`);
    const lines = Array.from({ length: 700 }, (_v, i) => `${DOCS[i % 4]![1]} ${i}\t${texts[i % 4]}`);
    await engine.call('pairs.import', { path: writeTemp('p.tsv', lines.join('\n')), name: 'p', from: 'oc', to: 'fr' });
    const mine = { pairs: 'p', collection: 'fr', index: 'cg', margin: 0, perPair: 2 };
    const abort = new AbortController();
    const e = await failure(engine.call('pairs.mineNegatives', { ...mine, name: 'm' }, { signal: abort.signal, onProgress: () => abort.abort() }));
    expect(e.code).toBe('cancelled');
    const partial = (await engine.call('pairs.show', { name: 'm', sample: 0 })).pairs;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(700);
    const resumed = await engine.call('pairs.mineNegatives', { ...mine, name: 'm' });
    expect(resumed).toMatchObject({ added: 700, pairs: 700 });
    expect(resumed.resumedFromLine).toBeGreaterThan(1);
    const clean = await engine.call('pairs.mineNegatives', { ...mine, name: 'clean' });
    expect(resumed.fingerprint).toBe(clean.fingerprint);
  });
});
