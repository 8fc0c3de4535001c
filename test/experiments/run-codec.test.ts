import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addRetrieved, emptyRun, type Run } from '../../electron/engine/eval/run.ts';
import { decodeRun, encodeRun } from '../../electron/engine/runs/codec.ts';
import { formatRun } from '../../electron/engine/runs/store.ts';
import { Prng } from '../../electron/engine/stats/prng.ts';

/** What a run means to trec_eval: per query, the (docno, score) pairs, in any order. */
function meaning(run: Run): Map<string, string[]> {
  return new Map([...run.queries].map(([qid, q]) => [qid, q.docnos.map((d, i) => `${d}\u0000${Object.is(q.scores[i], -0) ? '-0' : q.scores[i]}`).sort()]));
}

const docno = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 9_000_000 }).map(String));
const float32 = fc.float({ noNaN: true });
const double = fc.double({ noNaN: true });

function runOf(queries: [string, [string, number][]][], runid: string): Run {
  const run = emptyRun('test', runid);
  for (const [qid, hits] of queries) {
    if (hits.length === 0) run.queries.set(qid, { docnos: [], scores: [], lines: [] });
    for (const [d, s] of hits) addRetrieved(run, qid, d, s);
  }
  return run;
}

describe('stored run codec', () => {
  it('decodes to the same qids, docnos and scores, bit for bit (float32 and double scores, duplicates, empty queries)', () => {
    const hits = (score: fc.Arbitrary<number>) => fc.array(fc.tuple(docno, score), { maxLength: 40 });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uniqueArray(fc.tuple(fc.string({ maxLength: 8 }), hits(float32)), { selector: (q) => q[0], maxLength: 8 }),
          fc.uniqueArray(fc.tuple(fc.string({ maxLength: 8 }), hits(double)), { selector: (q) => q[0], maxLength: 8 }),
        ),
        fc.string({ maxLength: 10 }),
        (queries, runid) => {
          const run = runOf(queries, runid);
          const back = decodeRun(encodeRun(run), 'test');
          expect(back.runid).toBe(runid);
          expect([...back.queries.keys()]).toEqual([...run.queries.keys()]);
          expect(meaning(back)).toEqual(meaning(run));
          expect(formatRun(back)).toBe(formatRun(run));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores BM25-like hits (1,000 a query, 11,000 documents) in under 4 bytes a hit', () => {
    const rng = new Prng(7);
    const run = emptyRun('bench', 'bm25');
    for (let q = 0; q < 200; q++) {
      let score = 20 + rng.next() * 20;
      for (let r = 0; r < 1000; r++) {
        score -= rng.next() * 0.02;
        addRetrieved(run, `q${q}`, `doc-${Math.floor(rng.next() * 11_000)}`, Math.fround(score));
      }
    }
    const blob = encodeRun(run);
    expect(blob.length / 200_000).toBeLessThan(4);
    expect(meaning(decodeRun(blob, 'bench'))).toEqual(meaning(run));
  });
});
