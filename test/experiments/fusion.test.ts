import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, tempWorkspace } from '../helpers/workspace.ts';
import fc from 'fast-check';
import { linearFusion, normalise, prepareFusion, reciprocalRankFusion, sortHits } from '../../electron/engine/pipeline/fusion.ts';
import { assignFolds, crossValidate } from '../../electron/engine/pipeline/fuse-tuning.ts';
import type { FuseStage } from '../../electron/engine/pipeline/fuse.ts';
import { buildPipeline } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';

const hits = (pairs: [string, number][]) => pairs.map(([docId, score]) => ({ docId, score }));

describe('score normalisation and fusion', () => {
  it('min-max maps each query to [0, 1]; z-score to mean 0 and unit deviation', () => {
    expect([...normalise(hits([['a', 10], ['b', 6], ['c', 2]]), 'minmax')]).toEqual([['a', 1], ['b', 0.5], ['c', 0]]);
    const z = normalise(hits([['a', 3], ['b', 1]]), 'zscore');
    expect([...z.values()]).toEqual([1, -1]);
    expect([...normalise(hits([['a', 5], ['b', 5]]), 'minmax').values()]).toEqual([1, 1]);
  });

  it('computes S = α·S_a + (1−α)·S_b, giving a missing document the lowest normalised score of that system', () => {
    const input = prepareFusion(hits([['a', 10], ['b', 0]]), hits([['b', 4], ['c', 2], ['d', 0]]), 'minmax');
    // a: 0.3·1 + 0.7·0 (absent from B: B's floor 0); b: 0.3·0 + 0.7·1; c: 0.3·0 + 0.7·0.5; d: 0.
    const fused = linearFusion(input, 0.3);
    expect(fused.map((h) => h.docId)).toEqual(['b', 'c', 'a', 'd']);
    expect(fused.map((h) => h.score)).toEqual([0.7, 0.35, 0.3, 0]);
    expect(linearFusion(input, 1).map((h) => h.docId).slice(0, 1)).toEqual(['a']);
    expect(linearFusion(input, 0.3, 2)).toHaveLength(2);
  });

  it('reciprocal rank fusion sums 1/(k + rank)', () => {
    const fused = reciprocalRankFusion([hits([['a', 9], ['b', 8]]), hits([['b', 1], ['c', 0]])], 60);
    expect(fused[0]).toEqual({ docId: 'b', score: 1 / 62 + 1 / 61 });
    expect(fused.map((h) => h.docId)).toEqual(['b', 'a', 'c']);
  });
});

describe('cross-validation of α', () => {
  it('splits queries into disjoint folds covering them all, the same way for a seed', () => {
    const qids = Array.from({ length: 23 }, (_, i) => `q${i}`);
    const folds = assignFolds(qids, 5, 1);
    expect(folds.flat().sort()).toEqual([...qids].sort());
    expect(folds.map((f) => f.length).sort()).toEqual([4, 5, 5, 5, 4].sort());
    expect(assignFolds(qids, 5, 1)).toEqual(folds);
  });

  it('never tunes on the fold it evaluates', () => {
    const qids = Array.from({ length: 30 }, (_, i) => `q${i}`);
    const seen: string[][] = [];
    const folds = crossValidate(qids, 5, 3, (train) => {
      seen.push([...train]);
      return { alpha: 0.5, trainMean: 0 };
    });
    folds.forEach((f, i) => {
      expect(seen[i]).toEqual(f.train);
      expect(f.train.filter((q) => f.test.includes(q))).toEqual([]);
      expect([...f.train, ...f.test].sort()).toEqual([...qids].sort());
    });
  });

  it('applies to each fold the α that the other folds prefer, even when its own queries prefer another', async () => {
    // Two folds by construction: on queries "x…" system A finds the relevant document, on queries "y…" system B does.
    // Tuned on the y queries, α favours B (0) and is applied to the x queries, and vice versa: held-out scores suffer,
    // as they must when nothing leaks.
    const dir = tempDir();
    const ws = tempWorkspace();
    const qids = ['x1', 'x2', 'x3', 'y1', 'y2', 'y3'];
    const a = qids.map((q) => (q[0] === 'x' ? `${q} Q0 rel 1 2 A\n${q} Q0 junk 2 1 A\n` : `${q} Q0 junk 1 2 A\n${q} Q0 rel 2 1 A\n`)).join('');
    const b = qids.map((q) => (q[0] === 'y' ? `${q} Q0 rel 1 2 B\n${q} Q0 junk 2 1 B\n` : `${q} Q0 junk 1 2 B\n${q} Q0 rel 2 1 B\n`)).join('');
    writeFileSync(join(dir, 'a.run'), a);
    writeFileSync(join(dir, 'b.run'), b);
    writeFileSync(join(dir, 'q.qrels'), qids.map((q) => `${q} 0 rel 1\n`).join(''));
    // A seed whose two folds are exactly {x…} and {y…} would be luck; instead check what was chosen against where.
    const stage = buildPipeline({
      fuse: { systems: [{ run: { file: join(dir, 'a.run') } }, { run: { file: join(dir, 'b.run') } }], alpha: 'cv', folds: 2, measure: 'RR@10', qrels: join(dir, 'q.qrels'), grid: [0, 1] },
    }) as FuseStage;
    const out = await stage.run(qids.map((qid) => ({ qid, text: '' })), { ...noJob, workspace: ws, collection: 'c' });
    const cv = stage.crossValidation!;
    expect(cv.folds).toHaveLength(2);
    for (const f of cv.folds) {
      const xsInTrain = f.train.filter((q) => q[0] === 'x').length;
      const ysInTrain = f.train.length - xsInTrain;
      // The training queries alone decide: more x queries → α = 1 (system A), more y → α = 0; a tie → first grid value.
      expect(f.alpha).toBe(xsInTrain > ysInTrain ? 1 : 0);
      for (const q of f.test) expect(out.get(q)![0]!.docId).toBe(f.alpha === 1 ? (q[0] === 'x' ? 'rel' : 'junk') : q[0] === 'y' ? 'rel' : 'junk');
    }
    expect(stage.provenance.crossValidation).toHaveLength(2);
  });
});

describe('selecting the top hits of a fusion', () => {
  it('gives the same ranking as a full sort, ties broken by docno descending', () => {
    const run = fc.uniqueArray(fc.tuple(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 5 })), { selector: (t) => t[0], maxLength: 120 });
    fc.assert(
      fc.property(run, run, fc.constantFrom(0, 0.3, 1), fc.integer({ min: 1, max: 30 }), (a, b, alpha, k) => {
        const input = prepareFusion(hits(a), hits(b), 'minmax');
        const all = linearFusion(input, alpha);
        expect(linearFusion(input, alpha, k)).toEqual(all.slice(0, k));
        expect(all).toEqual(sortHits([...all]));
      }),
      { numRuns: 300 },
    );
  });
});
