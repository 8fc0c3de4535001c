import { describe, expect, it } from 'vitest';
import { tempEngine } from '../helpers/workspace.ts';
import { buildPipeline } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { addDocs } from './helpers.ts';
import { openReader } from '../../electron/engine/lexical/reader.ts';
import { getIndex } from '../../electron/engine/lexical/store.ts';

const docs = [
  ['d1', "La langue occitane est parlée dans le sud de la France.", 'Langue occitane'],
  ['d2', "L'eau de la fontaine est fraîche.", 'Fontaine'],
  ['d3', 'Le document ne peut pas être fermé, une impression est en cours.', 'Impression'],
  ['d4', 'Les langues romanes: le français, l’italien, le catalan et l’occitan.', null],
  ['d5', 'Ouvrir la boîte de dialogue pour afficher le certificat.', null],
] as const;

describe('search', () => {
  it('builds word and n-gram indexes and finds French passages for an Occitan query', async () => {
    const engine = tempEngine();
    addDocs(engine.workspace.db, 'demo', 'fr', docs.map(([id, text, title]) => [id, text, title ?? undefined] as const));
    const w = await engine.call('index.build', { collection: 'demo', workers: 0 });
    expect(w).toMatchObject({ index: 'words-fr', analyzer: 'words:fr', documents: 5, segments: 1 });
    await engine.call('index.build', { collection: 'demo', analyzer: 'chargram:3-5' });
    const list = await engine.call('index.list', {});
    expect(list.map((i) => i.name)).toEqual(['chargram-3-5', 'words-fr']);

    const occitan = 'Lo document pòt pas èsser tampat, un prètzfait d’impression es en cors';
    const byDefault = await engine.call('search', { collection: 'demo', query: occitan, k: 3 });
    expect(byDefault.indexes.map((i) => i.name)).toEqual(['chargram-3-5']);
    expect(byDefault.fusion).toBeNull();
    expect(byDefault.hits[0]!.id).toBe('d3');
    const r = await engine.call('search', { collection: 'demo', query: occitan, index: ['words-fr', 'chargram-3-5'], k: 3 });
    expect(r.indexes.map((i) => i.name)).toEqual(['words-fr', 'chargram-3-5']);
    expect(r.fusion).toBe('combsum');
    expect(r.hits[0]!.id).toBe('d3');
    const h = r.hits[0]!;
    expect(h.matchedTerms.length).toBeGreaterThan(0);
    for (const s of h.snippet.highlights) expect(s.end).toBeGreaterThan(s.start);
    expect(h.snippet.highlights.map((s) => h.snippet.text.slice(s.start, s.end).toLowerCase())).toContain('document');

    const g = await engine.call('search', { collection: 'demo', query: 'lenga occitana', index: 'chargram-3-5', k: 2 });
    expect(g.hits[0]!.id).toBe('d1');
    expect(g.hits[0]!.titleHighlights.length).toBeGreaterThan(0);
    // Whole words are highlighted, never the n-grams that matched: `occitane` for the query's `occitana`.
    const t = g.hits[0]!.title!;
    expect(g.hits[0]!.titleHighlights.map((s) => t.slice(s.start, s.end).toLowerCase())).toContain('occitane');
    expect(g.hits[0]!.matches).toContainEqual({ query: 'occitana', document: expect.stringMatching(/^occitane$/i) });

    const rm3 = await engine.call('search', { collection: 'demo', query: 'fontaine', index: 'words-fr', rm3: true, k: 3 });
    expect(rm3.rm3).toEqual({ fbDocs: 10, fbTerms: 10, originalWeight: 0.5 });
    expect(rm3.hits[0]!.id).toBe('d2');
    expect(rm3.terms['words-fr']!.length).toBeGreaterThan(1);

    // The same retrieval as a pipeline stage, declared as experiments declare it.
    const stage = buildPipeline({ bm25: { index: 'words-fr', k: 2, rm3: true } });
    expect(stage.provenance).toMatchObject({ kind: 'bm25', k1: 0.9, b: 0.4, rm3: { fbDocs: 10, fbTerms: 10, originalWeight: 0.5 } });
    const results = await stage.run([{ qid: 'q1', text: 'fontaine' }], { workspace: engine.workspace, collection: 'demo', ...noJob });
    expect(results.get('q1')!.map((h) => h.docId)).toEqual(rm3.hits.slice(0, 2).map((h) => h.id));
    expect(() => buildPipeline({ bm25: { k1: -1 } })).toThrow(/bm25\.k1/);

    await engine.call('index.drop', { collection: 'demo', name: 'chargram-3-5' });
    expect((await engine.call('index.list', { collection: 'demo' })).map((i) => i.name)).toEqual(['words-fr']);
  });

  it('reports unknown indexes and bad analysers naming the field', async () => {
    const engine = tempEngine();
    addDocs(engine.workspace.db, 'c', 'fr', [['a', 'texte']]);
    await expect(engine.call('search', { collection: 'c', query: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(engine.call('index.build', { collection: 'c', analyzer: 'trigram' })).rejects.toMatchObject({ code: 'invalid_input', details: [{ field: 'analyzer' }] });
    await engine.call('index.build', { collection: 'c', workers: 0 });
    await expect(engine.call('search', { collection: 'c', query: 'x', index: 'nope' })).rejects.toMatchObject({ code: 'not_found', details: [{ field: 'index' }] });
  });
  it('keeps a few indexes open between searches, not every index ever read', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    addDocs(db, 'demo', 'fr', docs.map(([id, text, title]) => [id, text, title ?? undefined] as const));
    const names = ['words:fr', 'words', 'chargram:3-5', 'chargram:3-4', 'chargram:4-5'];
    for (const analyzer of names) await engine.call('index.build', { collection: 'demo', analyzer, workers: 0 });
    const open = (name: string) => openReader(db, getIndex(db, 'demo', name));
    const first = open('words-fr');
    expect(open('words-fr')).toBe(first);
    // Four other indexes read since: the first one's reader (its documents and dictionary) was let go.
    for (const name of ['words', 'chargram-3-5', 'chargram-3-4', 'chargram-4-5']) open(name);
    const again = open('words-fr');
    expect(again).not.toBe(first);
    expect(again.liveDocs).toBe(first.liveDocs);
    // The most recently read stay open.
    expect(open('chargram-4-5')).toBe(open('chargram-4-5'));
    const recent = open('chargram-3-4');
    open('words');
    expect(open('chargram-3-4')).toBe(recent);
  });
});
