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

  it('round-trips runs full of ties and of documents many queries retrieve (the shapes the codec is tuned for)', () => {
    const tied = fc.array(
      fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: -3, max: 3 }), fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 8 })),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(fc.array(tied, { minLength: 1, maxLength: 6 }), (queries) => {
        // Few distinct scores (ties, −0 and +0 among them) and a small pool of docnos, some retrieved twice.
        const run = runOf(
          queries.map((groups, qi): [string, [string, number][]] => [
            `q${qi}`,
            groups.flatMap(([, score, docs]) => docs.map((d): [string, number] => [`d${d}`, score === 0 && d % 2 ? -0 : Math.fround(score / 8)])),
          ]),
          'ties',
        );
        const back = decodeRun(encodeRun(run), 'test');
        expect(meaning(back)).toEqual(meaning(run));
        expect(formatRun(back)).toBe(formatRun(run));
      }),
      { numRuns: 300 },
    );
  });

  it('still reads runs stored by the first version of the codec (PRN1)', () => {
    // Encoded by the PRN1 encoder: q1 doc-b 2.5, doc-a 2.5, doc-c −0.25, q2 doc-a 1 (float32); and a run of doubles.
    const float32 = decodeRun(Buffer.from('UFJOMQAQY2ZgTclP1k1kYUxiYUwGABDe2Mha5Orc24mJEsAgAAAPQAAAAE9QAAC3EyRfwAAAQA==', 'base64'), 'old');
    expect(float32.runid).toBe('old-run');
    expect(meaning(float32)).toEqual(new Map([['q1', ['doc-a\u00002.5', 'doc-b\u00002.5', 'doc-c\u0000-0.25']], ['q2', ['doc-a\u00001']]]));
    const doubles = decodeRun(Buffer.from('UFJOMQENY2JgTclP1k1kYUwCABje2MhayN7qxNjK5tuJip/czMzMzMzNNxMkP9VVVVVVVVU=', 'base64'), 'old');
    expect(meaning(doubles)).toEqual(new Map([['q1', ['doc-b\u00000.1']], ['q2', [`doc-a\u0000${1 / 3}`]]]));
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
