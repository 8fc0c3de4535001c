import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { buildIndex } from '../../electron/engine/lexical/builder.ts';
import { readIndex } from '../../electron/engine/lexical/search.ts';
import { getIndex } from '../../electron/engine/lexical/store.ts';
import { mergeSegments } from '../../electron/engine/lexical/merge.ts';
import { prepareQuery, topKExhaustive, topKMaxScore, type WeightedTerm } from '../../electron/engine/lexical/topk.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { addDocs } from './helpers.ts';

// A small Zipf-ish vocabulary: low word numbers are frequent, so lists span several 128-posting blocks and many
// documents tie on score.
const word = fc.integer({ min: 0, max: 400 }).map((n) => `w${Math.floor(Math.sqrt(n))}`);
const doc = fc.array(word, { minLength: 1, maxLength: 30 }).map((ws) => ws.join(' '));

const scenario = fc.record({
  docs: fc.array(doc, { minLength: 1, maxLength: 500 }),
  /** Documents added after the build (a second segment) and documents deleted (tombstones). */
  later: fc.array(doc, { maxLength: 80 }),
  deletions: fc.array(fc.nat(), { maxLength: 40 }),
  queries: fc.array(
    fc.record({ terms: fc.array(fc.tuple(word, fc.double({ min: 0.05, max: 3, noNaN: true })), { minLength: 1, maxLength: 8 }), k: fc.integer({ min: 1, max: 60 }) }),
    { minLength: 1, maxLength: 6 },
  ),
  k1: fc.double({ min: 0, max: 3, noNaN: true }),
  b: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('MaxScore top-k', () => {
  it('returns exactly the ranking and scores of the exhaustive scorer', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const ws = tempWorkspace();
        const db = ws.db;
        const cid = addDocs(db, 'c', 'en', s.docs.map((t, i) => [`d${i}`, t] as const));
        await buildIndex(db, { collection: 'c', name: 'ix', analyzer: 'words', titleWeight: 1, rebuild: false, memoryMb: 64, workers: 0, segmentDocs: 200, merge: false }, noJob);
        addDocs(db, 'c', 'en', s.later.map((t, i) => [`n${i}`, t] as const));
        const ids = db.prepare('SELECT id FROM documents WHERE collection_id = ? ORDER BY id').pluck().all(cid) as number[];
        const del = db.prepare('DELETE FROM documents WHERE id = ?');
        for (const d of s.deletions) del.run(ids[d % ids.length]!);
        const check = () => {
          const reader = readIndex(db, getIndex(db, 'c', 'ix'));
          for (const q of s.queries) {
          const terms: WeightedTerm[] = q.terms.map(([term, weight]) => ({ term, weight }));
          const pq = prepareQuery(reader, terms);
          const params = { k1: s.k1, b: s.b };
          const slow = topKExhaustive(reader, pq, q.k, params);
          const fast = topKMaxScore(reader, pq, q.k, params);
          expect(fast.map((d) => d.docId)).toEqual(slow.map((d) => d.docId));
          fast.forEach((d, i) => expect(Math.abs(d.score - slow[i]!.score)).toBeLessThanOrEqual(1e-6));
          }
        };
        check();
        // And again once the segments and tombstones are merged into one segment.
        mergeSegments(db, getIndex(db, 'c', 'ix').id, noJob);
        check();
        ws.close();
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('agrees on a collection with long posting lists and a deep k', async () => {
    const ws = tempWorkspace();
    const rand = fc.sample(fc.array(word, { minLength: 5, maxLength: 40 }), { numRuns: 3000, seed: 7 });
    addDocs(ws.db, 'c', 'en', rand.map((w, i) => [`d${i}`, w.join(' ')] as const));
    await buildIndex(ws.db, { collection: 'c', name: 'ix', analyzer: 'words', titleWeight: 1, rebuild: false, memoryMb: 64, workers: 0 }, noJob);
    const reader = readIndex(ws.db, getIndex(ws.db, 'c', 'ix'));
    for (const q of [['w0', 'w5'], ['w1', 'w2', 'w3', 'w19'], ['w12', 'w7', 'w7']]) {
      const pq = prepareQuery(reader, q.map((term) => ({ term, weight: 1 })));
      for (const k of [1, 10, 1000]) {
        const slow = topKExhaustive(reader, pq, k, { k1: 0.9, b: 0.4 });
        expect(topKMaxScore(reader, pq, k, { k1: 0.9, b: 0.4 })).toEqual(slow);
      }
    }
  });
});
