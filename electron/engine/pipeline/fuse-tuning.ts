import { evaluate } from '../eval/evaluate.ts';
import { measureToString, type Measure } from '../eval/measure.ts';
import type { Qrels } from '../eval/qrels.ts';
import { addRetrieved, emptyRun } from '../eval/run.ts';
import { compareBytes } from '../eval/text-lines.ts';
import { Prng } from '../stats/prng.ts';
import { linearFusion, type FusionInput } from './fusion.ts';

export const defaultAlphaGrid = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export interface Fold {
  fold: number;
  /** Queries α was tuned on, and the queries it was then applied to: never the same. */
  train: string[];
  test: string[];
  alpha: number;
  /** Mean of the measure over the training queries at the chosen α. */
  trainMean: number;
}

export interface CrossValidation {
  measure: string;
  folds: Fold[];
  /** Queries without judgements belong to no fold; they get the α tuned on all judged queries. */
  alphaForUnjudged: number;
}

/** Splits queries into k folds after a seeded shuffle, so folds do not follow qid order. */
export function assignFolds(qids: readonly string[], k: number, seed: number): string[][] {
  const order = [...qids].sort(compareBytes);
  const rng = new Prng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const folds: string[][] = Array.from({ length: Math.min(k, Math.max(order.length, 1)) }, () => []);
  order.forEach((q, i) => folds[i % folds.length]!.push(q));
  return folds;
}

/**
 * k-fold cross-validation: for each fold, α is the grid value with the best mean on the other folds' queries
 * (ties go to the earlier grid value), and is then applied to that fold's queries only. `tune` receives only
 * training queries; that is the whole point, and what the tests check.
 */
export function crossValidate(
  qids: readonly string[],
  k: number,
  seed: number,
  tune: (train: readonly string[]) => { alpha: number; trainMean: number },
): Fold[] {
  const folds = assignFolds(qids, k, seed);
  return folds.map((test, fold) => {
    const train = folds.filter((_, i) => i !== fold).flat();
    return { fold: fold + 1, train, test, ...tune(train) };
  });
}

/** Chooses α per fold for fusing the given per-query inputs, maximising `measure` against `qrels`. */
export function crossValidateAlpha(
  inputs: Map<string, FusionInput>,
  qrels: Qrels,
  measure: Measure,
  o: { folds: number; grid: readonly number[]; seed: number; depth: number },
): CrossValidation {
  // Only judged queries can say which α is better.
  const qids = [...inputs.keys()].filter((q) => qrels.queries.has(q));
  // A measure with a cutoff reads only that many documents: fusing deeper would not change its value.
  const depth = Math.min(o.depth, measure.cutoff ?? Infinity);
  const byAlpha = o.grid.map((alpha) => {
    const run = emptyRun(`fusion α=${alpha}`, 'tuning');
    for (const q of qids) for (const h of linearFusion(inputs.get(q)!, alpha, depth)) addRetrieved(run, q, h.docId, h.score);
    const e = evaluate(run, qrels, [measure], { complete: true });
    return new Map(e.queries.map((q, i) => [q, e.values[0]![i]!]));
  });
  const tune = (train: readonly string[]) => {
    let best = { alpha: o.grid[0]!, trainMean: -Infinity };
    o.grid.forEach((alpha, gi) => {
      let sum = 0;
      for (const q of train) sum += byAlpha[gi]!.get(q) ?? 0;
      const mean = train.length ? sum / train.length : 0;
      if (mean > best.trainMean) best = { alpha, trainMean: mean };
    });
    return best;
  };
  const folds = crossValidate(qids, o.folds, o.seed, tune);
  return { measure: measureToString(measure), folds, alphaForUnjudged: tune(qids).alpha };
}
