import { adjust, type Correction } from '../stats/correction.ts';
import { pairedRandomisationTest, pairedTTest } from '../stats/paired.ts';

/** One system against a reference on one measure, query by query. */
export interface Comparison {
  mean: number;
  reference: number;
  delta: number;
  /** Relative change, delta / reference (null when the reference is 0). */
  relative: number | null;
  tTestP: number;
  randomisationP: number;
  /** The p-value of the chosen test after the multiple-comparison correction, and whether it is below the level. */
  adjustedP: number;
  significant: boolean;
  wins: number;
  ties: number;
  losses: number;
  queries: number;
}

// Per-query differences smaller than this are ties: they come from summing the same numbers in another order.
const tieTolerance = 1e-12;

export function compare(values: ArrayLike<number>, reference: ArrayLike<number>, o: { permutations: number; seed: number }): Omit<Comparison, 'adjustedP' | 'significant'> {
  const n = values.length;
  let sum = 0;
  let ref = 0;
  let wins = 0;
  let ties = 0;
  let losses = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    ref += reference[i]!;
    const d = values[i]! - reference[i]!;
    if (d > tieTolerance) wins++;
    else if (d < -tieTolerance) losses++;
    else ties++;
  }
  const mean = n ? sum / n : 0;
  const reference_ = n ? ref / n : 0;
  return {
    mean,
    reference: reference_,
    delta: mean - reference_,
    relative: reference_ !== 0 ? (mean - reference_) / reference_ : null,
    tTestP: pairedTTest(values, reference).p,
    randomisationP: pairedRandomisationTest(values, reference, { permutations: o.permutations, seed: o.seed }).p,
    wins,
    ties,
    losses,
    queries: n,
  };
}

/** Applies the correction over one family of comparisons (the p-values of the chosen test) and marks significance. */
export function correctFamily(
  family: Omit<Comparison, 'adjustedP' | 'significant'>[],
  o: { correction: Correction; test: 'randomisation' | 't'; level: number },
): Comparison[] {
  const raw = family.map((c) => (o.test === 't' ? c.tTestP : c.randomisationP));
  const adjusted = adjust(raw, o.correction);
  return family.map((c, i) => ({ ...c, adjustedP: adjusted[i]!, significant: adjusted[i]! < o.level }));
}
