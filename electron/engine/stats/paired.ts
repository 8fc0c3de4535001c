import { PontError } from '../errors.ts';
import { Prng } from './prng.ts';
import { studentTTwoSided } from './special.ts';

function differences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) {
    throw new PontError('invalid_input', 'test.unpaired', { left: a.length, right: b.length }, [
      { field: 'queries', reason: 'unpaired samples' },
    ]);
  }
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i]! - b[i]!;
  return d;
}

export interface TTestResult {
  n: number;
  /** Mean of a − b. */
  meanDifference: number;
  t: number;
  df: number;
  /** Two-sided p-value; 1 when every difference is 0, NaN with fewer than 2 pairs. */
  p: number;
}

/** Student's paired t-test (two-sided), with the exact t distribution. */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTestResult {
  const d = differences(a, b);
  const n = d.length;
  let mean = 0;
  for (const x of d) mean += x;
  mean /= n || 1;
  if (n < 2) return { n, meanDifference: mean, t: NaN, df: n - 1, p: NaN };
  let ss = 0;
  for (const x of d) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  // Identical systems: no evidence of a difference at all, rather than 0/0.
  if (sd === 0) return { n, meanDifference: mean, t: mean === 0 ? 0 : Math.sign(mean) * Infinity, df: n - 1, p: mean === 0 ? 1 : 0 };
  const t = mean / (sd / Math.sqrt(n));
  return { n, meanDifference: mean, t, df: n - 1, p: studentTTwoSided(t, n - 1) };
}

export interface RandomisationResult {
  n: number;
  meanDifference: number;
  /** Two-sided p-value. */
  p: number;
  /** Sign assignments compared: all 2^n of them when `exact`, else the number sampled. */
  permutations: number;
  exact: boolean;
  seed: number;
}

export interface RandomisationOptions {
  /** Sampled sign assignments (at least 10,000 by default). When 2^n is no more than this, all are enumerated. */
  permutations?: number;
  seed?: number;
}

/**
 * Fisher's paired randomisation test, two-sided: under the null hypothesis each query's difference is as likely
 * to have either sign, so the observed mean difference is compared with the means over random sign flips. Small
 * samples are enumerated exactly; otherwise p = (1 + hits) / (1 + permutations), which never claims p = 0 from a
 * finite sample.
 */
export function pairedRandomisationTest(a: ArrayLike<number>, b: ArrayLike<number>, options: RandomisationOptions = {}): RandomisationResult {
  const permutations = options.permutations ?? 10_000;
  const seed = options.seed ?? 42;
  const d = differences(a, b);
  const n = d.length;
  let observed = 0;
  for (const x of d) observed += x;
  const meanDifference = n ? observed / n : 0;
  if (n === 0) return { n, meanDifference, p: NaN, permutations: 0, exact: true, seed };
  // Sums are compared with a little slack so that float rounding cannot make an equal sum look smaller.
  let absTotal = 0;
  for (const x of d) absTotal += Math.abs(x);
  const threshold = Math.abs(observed) - 1e-9 * Math.max(1, absTotal);
  if (n <= 30 && 2 ** n <= permutations) {
    const total = 2 ** n;
    let hits = 0;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += mask & (2 ** i) ? -d[i]! : d[i]!;
      if (Math.abs(s) >= threshold) hits++;
    }
    return { n, meanDifference, p: hits / total, permutations: total, exact: true, seed };
  }
  const rng = new Prng(seed);
  let hits = 0;
  for (let p = 0; p < permutations; p++) {
    let s = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 31) === 0) bits = rng.nextUint32();
      s += bits & 1 ? -d[i]! : d[i]!;
      bits >>>= 1;
    }
    if (Math.abs(s) >= threshold) hits++;
  }
  return { n, meanDifference, p: (hits + 1) / (permutations + 1), permutations, exact: false, seed };
}
