import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { psqTopK, psqTopKExhaustive, type PsqConcept } from '../../electron/engine/bridge/psq.ts';
import { idf } from '../../electron/engine/lexical/bm25.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { buildIndex } from '../../electron/engine/lexical/builder.ts';
import { readIndex } from '../../electron/engine/lexical/search.ts';
import { getIndex } from '../../electron/engine/lexical/store.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { addDocs } from '../lexical/helpers.ts';

const word = fc.integer({ min: 0, max: 300 }).map((n) => `w${Math.floor(Math.sqrt(n))}`);
const doc = fc.array(word, { minLength: 1, maxLength: 25 }).map((ws) => ws.join(' '));
const concept = fc.record({
  // A term may come twice in one concept (two translations analysed into the same word), as in bridged searches.
  terms: fc.array(fc.tuple(word, fc.double({ min: 0.01, max: 1, noNaN: true })), { minLength: 1, maxLength: 8 }),
  weight: fc.integer({ min: 1, max: 3 }),
});

/**
 * The definition, computed from the documents' own words with no index: per concept, tf = Σ p·tf(term, d) and
 * df = Σ p·df(term); BM25 of the two.
 */
function reference(docs: string[], concepts: PsqConcept[], k: number, k1: number, b: number): { id: number; score: number }[] {
  const bags = docs.map((d) => {
    const m = new Map<string, number>();
    for (const w of d.split(' ')) m.set(w, (m.get(w) ?? 0) + 1);
    return { m, len: d.split(' ').length };
  });
  const avg = bags.reduce((a, x) => a + x.len, 0) / bags.length;
  const scores = bags.map(({ m, len }) => {
    let s = 0;
    let hit = false;
    for (const c of concepts) {
      let df = 0;
      for (const t of c.terms) df += t.p * bags.filter((x) => x.m.has(t.term)).length;
      let tf = 0;
      for (const t of c.terms) tf += t.p * (m.get(t.term) ?? 0);
      if (tf === 0 || df === 0) continue;
      hit = true;
      s += (c.weight * idf(bags.length, df) * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len) / avg));
    }
    return hit ? s : null;
  });
  return scores
    .map((score, id) => ({ id, score }))
    .filter((x): x is { id: number; score: number } => x.score !== null)
    .sort((x, y) => y.score - x.score || x.id - y.id)
    .slice(0, k);
}

describe('probabilistic structured queries', () => {
  it('score every document as BM25 of translation-weighted tf and df, and MaxScore over translations finds exactly the same top k', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { minLength: 1, maxLength: 300 }),
        fc.array(concept, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (docs, raw, k, k1, b) => {
          const ws = tempWorkspace();
          const db = ws.db;
          addDocs(db, 'c', 'en', docs.map((t, i) => [`d${i}`, t] as const));
          await buildIndex(db, { collection: 'c', name: 'ix', analyzer: 'words', titleWeight: 1, rebuild: false, memoryMb: 64, workers: 0, segmentDocs: 100, merge: false }, noJob);
          const reader = readIndex(db, getIndex(db, 'c', 'ix'));
          const concepts = raw.map((c) => ({ weight: c.weight, terms: c.terms.map(([term, p]) => ({ term, p })) }));
          const ids = db.prepare('SELECT id FROM documents ORDER BY id').pluck().all() as number[];
          const got = psqTopKExhaustive(reader, concepts, k, { k1, b });
          const want = reference(docs, concepts, k, k1, b);
          expect(got.map((d) => ids.indexOf(d.docId))).toEqual(want.map((d) => d.id));
          got.forEach((d, i) => expect(d.score).toBeCloseTo(want[i]!.score, 9));
          // MaxScore over the translations: the exhaustive scorer's ranking and scores, to the bit.
          expect(psqTopK(reader, concepts, k, { k1, b })).toEqual(got);
          ws.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
