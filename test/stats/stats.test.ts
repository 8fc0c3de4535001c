import { describe, expect, it } from 'vitest';
import { bonferroni, holm } from '../../electron/engine/stats/correction.ts';
import { pairedRandomisationTest, pairedTTest } from '../../electron/engine/stats/paired.ts';
import { incompleteBeta, logGamma, studentTCdf, studentTTwoSided } from '../../electron/engine/stats/special.ts';

describe('special functions', () => {
  it('ln Γ matches factorials', () => {
    for (let n = 1; n < 20; n++) {
      let f = 1;
      for (let k = 2; k < n; k++) f *= k;
      expect(logGamma(n)).toBeCloseTo(Math.log(f), 10);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('I_x(a, b) matches closed forms', () => {
    // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b.
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.99]) {
      expect(incompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 13);
      expect(incompleteBeta(x, 1, 4)).toBeCloseTo(1 - (1 - x) ** 4, 13);
    }
  });

  it("Student's t matches its closed forms for 1 and 2 degrees of freedom", () => {
    for (const t of [-30, -2.5, -1, 0, 0.3, 1, 4.2, 100]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13); // Cauchy
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
  });

  it('gives the tabulated critical values', () => {
    // Two-sided 5% and 1% critical values from standard t tables.
    expect(studentTTwoSided(2.228138851986274, 10)).toBeCloseTo(0.05, 9);
    expect(studentTTwoSided(2.262157162740992, 9)).toBeCloseTo(0.05, 9);
    expect(studentTTwoSided(3.249835541592828, 9)).toBeCloseTo(0.01, 9);
    expect(studentTTwoSided(1.959963984540054, 1e7)).toBeCloseTo(0.05, 6); // the normal limit
  });
});

describe('paired t-test', () => {
  it("reproduces Student's sleep data (Cushny & Peebles; R: t = -4.0621, df = 9, p-value = 0.002833)", () => {
    const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const r = pairedTTest(drug1, drug2);
    expect(r.df).toBe(9);
    expect(r.meanDifference).toBeCloseTo(-1.58, 12);
    expect(r.t).toBeCloseTo(-4.062128, 5);
    expect(r.p).toBeCloseTo(0.002832890, 8);
  });

  it('treats identical systems as no difference', () => {
    expect(pairedTTest([0.1, 0.5, 0.2], [0.1, 0.5, 0.2]).p).toBe(1);
  });
});

/** Every sign assignment, by brute force, written independently of the implementation. */
function exactP(d: number[]): number {
  const obs = Math.abs(d.reduce((s, x) => s + x, 0));
  let hits = 0;
  const total = 1 << d.length;
  for (let m = 0; m < total; m++) {
    const s = d.reduce((acc, x, i) => acc + ((m >> i) & 1 ? -x : x), 0);
    if (Math.abs(s) >= obs - 1e-12) hits++;
  }
  return hits / total;
}

describe('paired randomisation test', () => {
  it('enumerates tiny samples exactly: p = 2/16 for differences 1, 2, 3, 4', () => {
    const r = pairedRandomisationTest([1, 2, 3, 4], [0, 0, 0, 0]);
    expect(r).toMatchObject({ exact: true, permutations: 16, p: 2 / 16 });
    // Differences (1, 2, -1), observed sum 2; the 8 flips give sums 2, 4, -2, 0, 0, 2, -4, -2: six reach |2|.
    expect(pairedRandomisationTest([1, 2, 0], [0, 0, 1]).p).toBe(6 / 8);
  });

  it('sampling agrees with exact enumeration within sampling error', () => {
    const a = [0.61, 0.32, 0.85, 0.4, 0.55, 0.7, 0.12, 0.93, 0.44, 0.58, 0.66, 0.31, 0.2, 0.45, 0.5, 0.9];
    const b = [0.5, 0.35, 0.6, 0.41, 0.5, 0.52, 0.2, 0.8, 0.3, 0.6, 0.5, 0.33, 0.25, 0.3, 0.52, 0.7];
    const exact = exactP(a.map((x, i) => x - b[i]!));
    expect(pairedRandomisationTest(a, b, { permutations: 70_000 }).exact).toBe(true); // 2^16 = 65,536 ≤ 70,000
    expect(pairedRandomisationTest(a, b, { permutations: 70_000 }).p).toBeCloseTo(exact, 12);
    const sampled = pairedRandomisationTest(a, b, { permutations: 50_000, seed: 7 });
    expect(sampled.exact).toBe(false);
    expect(exact).toBeGreaterThan(0.01);
    expect(Math.abs(sampled.p - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / 50_000) + 1e-4);
  });

  it('is deterministic for a seed, and uses at least 10,000 permutations by default', () => {
    const a = Array.from({ length: 50 }, (_, i) => Math.abs(Math.sin(i)));
    const b = Array.from({ length: 50 }, (_, i) => Math.abs(Math.sin(i + 0.3)));
    const first = pairedRandomisationTest(a, b);
    expect(first.permutations).toBeGreaterThanOrEqual(10_000);
    expect(pairedRandomisationTest(a, b)).toEqual(first);
    expect(pairedRandomisationTest(a, b, { seed: 43 }).p).not.toBe(first.p);
  });

  it('agrees with the t-test on a clear difference', () => {
    const a = Array.from({ length: 40 }, (_, i) => 0.5 + 0.1 * Math.sin(i));
    const b = a.map((x, i) => x - 0.05 + 0.02 * Math.cos(3 * i));
    expect(pairedRandomisationTest(a, b).p).toBeLessThan(0.001);
    expect(pairedTTest(a, b).p).toBeLessThan(0.001);
  });
});

describe('multiple-comparison corrections', () => {
  it('Bonferroni multiplies by the number of tests, capped at 1', () => {
    expect(bonferroni([0.01, 0.04, 0.3])).toEqual([0.03, 0.12, 0.8999999999999999]);
    expect(bonferroni([0.5, 0.6])).toEqual([1, 1]);
  });

  it('Holm steps down and stays monotone (worked example)', () => {
    // Sorted 0.01, 0.02, 0.03, 0.04 with m = 4: 0.04, 0.06, 0.06 (monotone), 0.06 (max(0.04, 0.06)).
    const adjusted = holm([0.03, 0.01, 0.04, 0.02]);
    expect(adjusted.map((x) => Number(x.toFixed(10)))).toEqual([0.06, 0.04, 0.06, 0.06]);
  });
});
