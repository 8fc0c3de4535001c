import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addRetrieved, emptyRun, parseRun, parseScore, rankOrder, runFromResults } from '../../electron/engine/eval/run.ts';
import { evaluate } from '../../electron/engine/eval/evaluate.ts';
import { parseMeasures } from '../../electron/engine/eval/measure.ts';
import { parseQrels } from '../../electron/engine/eval/qrels.ts';
import { PontError } from '../../electron/engine/errors.ts';

describe('reading runs', () => {
  it('reads scores as C atof does for numbers, and refuses what is not one', () => {
    const cases: [string, number | undefined][] = [
      ['1', 1], ['+1', 1], ['0.1E1', 1], ['100e-2', 1], ['1e400', Infinity], ['-1e999', -Infinity], ['1e-400', 0], ['-0', -0],
      ['.5', 0.5], ['5.', 5], ['inf', Infinity], ['-INF', -Infinity], ['Infinity', Infinity],
      ['nan', undefined], ['abc', undefined], ['1.5abc', undefined], ['0x10', undefined], ['1_0', undefined],
    ];
    for (const [text, value] of cases) expect(parseScore(text), text).toBe(value);
  });

  it('names the line and field of a bad run line', () => {
    expect(() => parseRun('q1 Q0 d1 1 2.0 r\nq1 Q0 d2 2\n', 'x.run')).toThrow(PontError);
    try {
      parseRun('q1 Q0 d1 1 2.0 r\nq1 Q0 d2 2 two r\n', 'x.run');
    } catch (e) {
      expect((e as PontError).details[0]).toEqual({ file: 'x.run', line: 2, field: 'score', reason: '"two" is not a number' });
    }
  });

  it('ranks by score, then docno descending, whatever the input order (fast path included)', () => {
    const docno = fc.constantFrom('a', 'b', 'B', 'a1', 'a10', 'doc_1', 'doc-1', 'x', 'y', 'z', 'Z9', '10', '9');
    const score = fc.constantFrom(3, 2.5, 2.5, 1, 0, -0, -1, Infinity);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(docno, score), { selector: (t) => t[0], maxLength: 13 }), fc.boolean(), (docs, presorted) => {
        const list = presorted ? [...docs].sort((x, y) => y[1] - x[1] || 0) : docs;
        const run = emptyRun('t');
        for (const [d, s] of list) addRetrieved(run, 'q', d, s);
        const q = run.queries.get('q');
        if (!q) return;
        const got = Array.from(rankOrder(q), (k) => q.docnos[k]);
        const expected = [...list].sort((x, y) => (y[1] > x[1] ? 1 : y[1] < x[1] ? -1 : x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0)).map((x) => x[0]);
        expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('duplicates', () => {
  it('are refused only where the evaluation ranks them, however the run was made', () => {
    const qrels = parseQrels('q 0 a 1\n', 'q.qrels');
    const hits = [{ docId: 'a', score: 3 }, { docId: 'b', score: 2 }, { docId: 'a', score: 1 }];
    const fromStage = runFromResults(new Map([['q', hits]]), 'r');
    const built = emptyRun('built');
    for (const h of hits) addRetrieved(built, 'q', h.docId, h.score);
    for (const run of [fromStage, built, parseRun('q Q0 a 1 3 r\nq Q0 b 2 2 r\nq Q0 a 3 1 r\n', 'x.run')]) {
      expect(() => evaluate(run, qrels, parseMeasures(['RR@1']))).toThrow(/retrieved twice/);
      expect(evaluate(run, qrels, parseMeasures(['RR@1', 'NumRet']), { depth: 2 }).summary).toEqual([1, 2]);
    }
  });
});
