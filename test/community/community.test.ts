import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../electron/engine/demo/seed.ts';
import { chooseSearch } from '../../electron/engine/community/choose.ts';
import { similarWords, WordAligner } from '../../electron/engine/lexical/align.ts';
import { buildPipeline } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { tempEngine } from '../helpers/workspace.ts';

describe('word alignment (highlights)', () => {
  it('pairs cognates and bridged translations, and leaves stopwords and look-alike fragments alone', () => {
    expect(similarWords('occitana', 'occitane')).toBe(true);
    expect(similarWords('trobadors', 'troubadours')).toBe(true);
    expect(similarWords('lenga', 'langue')).toBe(true);
    expect(similarWords('plana', 'occitana')).toBe(false);
    expect(similarWords('ita', 'italie')).toBe(false);
    expect(similarWords('jetta', 'uvetta')).toBe(false);
    expect(similarWords('langue', 'languedocien')).toBe(false);
    const a = new WordAligner('la lenga occitana', ['fr', 'oc']);
    const text = 'Les polyphonies de la Plana, en langue occitane, en Italie.';
    const r = a.align(text);
    expect(r.spans.map((s) => text.slice(s.start, s.end))).toEqual(['langue', 'occitane']);
    expect(r.matches).toEqual([
      { query: 'lenga', document: 'langue' },
      { query: 'occitana', document: 'occitane' },
    ]);
    // `le` is a stopword: never a match for `les`, nor highlighted on its own.
    expect(new WordAligner('le pont', ['fr']).align('les ponts et le pont').matches).toEqual([
      { query: 'pont', document: 'ponts' },
      { query: 'pont', document: 'pont' },
    ]);
    const bridged = new WordAligner('pisci spata', ['it', 'scn'], [{ query: 'spata', target: 'spada', weight: 0.8 }]);
    // `pesca` (fishing) shares its consonants with `pisci` (fish): cognates, rightly marked.
    expect(bridged.align('La pesca del pesce spada').matches).toEqual([
      { query: 'pisci', document: 'pesca' },
      { query: 'pisci', document: 'pesce' },
      { query: 'spata', document: 'spada', via: 'spada' },
    ]);
  });
});

describe('search for the user\'s variety (on the demo)', () => {
  it('chooses bridges by variety, pages through results, and learns from judgements', async () => {
    const engine = tempEngine();
    await seedDemo(engine.workspace);
    const db = engine.workspace.db;

    // The chooser: the pair's bridge, a neighbour's, n-grams, or the collection's own language.
    const kind = (collection: string, variety: string) => {
      const c = chooseSearch(db, collection, variety);
      return `${c.kind}${c.bridge ? ` ${c.bridge.name}` : ''}`;
    };
    expect(kind('demo-fr', 'oc')).toBe('bridge demo-oc-fr');
    expect(kind('demo-fr', 'ca')).toBe('bridge demo-ca-fr');
    expect(kind('demo-fr', 'an')).toBe('neighbour-bridge demo-ca-fr');
    expect(kind('demo-it', 'nap')).toBe('neighbour-bridge demo-scn-it');
    expect(kind('demo-fr', 'scn')).toBe('ngrams');
    expect(kind('demo-fr', 'fr')).toBe('same-language');
    expect(chooseSearch(db, 'demo-fr', 'oc').description).toBe('Occitan → French bridge');
    expect(chooseSearch(db, 'demo-fr', 'an').description).toBe('Catalan → French bridge (the nearest to Aragonese)');

    // Occitan and Sicilian speakers typing the same words get different searches on a collection with two bridges.
    const oc = await engine.call('search', { collection: 'demo-fr', query: 'la lenga occitana', variety: 'oc' });
    const scn = await engine.call('search', { collection: 'demo-fr', query: 'la lenga occitana', variety: 'scn' });
    expect(oc.choice?.bridge?.name).toBe('demo-oc-fr');
    expect(scn.choice?.kind).toBe('ngrams');
    expect(oc.hits.map((h) => h.id)).not.toEqual(scn.hits.map((h) => h.id));
    expect(oc.hits[0]!.title).toBe('La langue occitane');
    expect(oc.hits[0]!.matches).toContainEqual({ query: 'lenga', document: 'langue', via: 'langue' });

    // Paging: pages put together are the one long ranking; the Etna passage is 12th with plain n-grams.
    const etna = 'quannu u Muncibbeddu jetta focu';
    const long = await engine.call('search', { collection: 'demo-it', query: etna, variety: 'it', k: 30 });
    const pages = [];
    for (let offset = 0; offset < 30; offset += 10) pages.push(...(await engine.call('search', { collection: 'demo-it', query: etna, variety: 'it', k: 10, offset })).hits);
    expect(pages.map((h) => [h.rank, h.id])).toEqual(long.hits.map((h) => [h.rank, h.id]));
    expect(long.hits.find((h) => h.id === 'it-001')?.rank).toBe(12);
    const first = await engine.call('search', { collection: 'demo-it', query: etna, variety: 'it' });
    expect(first.total.exact).toBe(false);
    expect(first.total.value).toBeGreaterThan(10);
    expect(long.total.value).toBeLessThanOrEqual(40);
    const last = await engine.call('search', { collection: 'demo-it', query: etna, variety: 'it', k: 10, offset: 35 });
    expect(last.total).toEqual({ value: 35 + last.hits.length, exact: true });

    // The `auto` stage runs what the chooser picks for the query set's variety, and records it.
    const stage = buildPipeline({ auto: { k: 20 } });
    const results = await stage.run([{ qid: 'scn-01', text: etna }], { workspace: engine.workspace, collection: 'demo-it', querySet: 'demo-scn', ...noJob });
    expect(results.get('scn-01')!.length).toBe(20);
    expect(JSON.stringify(stage.provenance)).toContain('demo-scn-it');

    // Judgements: stored per (variety, collection), a second click replaces the first, exported as TREC qrels.
    await engine.call('feedback.mark', { collection: 'demo-it', variety: 'scn', query: etna, doc: 'it-001', helpful: true });
    await engine.call('feedback.mark', { collection: 'demo-it', variety: 'scn', query: etna, doc: 'it-013', helpful: true });
    await engine.call('feedback.mark', { collection: 'demo-it', variety: 'scn', query: etna, doc: 'it-013', helpful: false });
    const out = await engine.call('feedback.export', { collection: 'demo-it', variety: 'scn' });
    const qid = out.queries.split('\t')[0]!;
    expect(out.qrels).toBe(`${qid} 0 it-001 1\n${qid} 0 it-013 0\n`);
    expect(out.queries).toBe(`${qid}\t${etna}\n`);
    expect((await engine.call('feedback.list', {})).summary).toEqual([{ collection: 'demo-it', variety: 'scn', queries: 1, judgements: 2, helpful: 1 }]);
    await expect(engine.call('feedback.mark', { collection: 'demo-it', variety: 'scn', query: etna, doc: 'nope', helpful: true })).rejects.toMatchObject({ id: 'document.missing' });

    // As a training set, and to retrain the pair's bridge, measured before and after on the judgements.
    const pairs = await engine.call('feedback.pairs', { collection: 'demo-it', variety: 'scn' });
    expect(pairs).toMatchObject({ pairSet: 'community-scn-demo-it', from: 'scn', to: 'it', pairs: 1 });
    const improved = await engine.call('feedback.improve', { collection: 'demo-it', variety: 'scn' });
    expect(improved).toMatchObject({ measure: 'RR@10', queries: 1, bridge: 'scn-it-community-1' });
    expect(improved.before.choice.bridge?.name).toBe('demo-scn-it');
    expect(improved.after.choice.bridge?.name).toBe('scn-it-community-1');
    console.log(`community RR@10 on the judgements: before ${improved.before.value.toFixed(3)}, after ${improved.after.value.toFixed(3)}`);
    expect(improved.after.value).toBeGreaterThanOrEqual(improved.before.value);
  });
});
