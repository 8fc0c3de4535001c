/** Multiple-comparison corrections: adjusted p-values, in the order given, each capped at 1. */
export type Correction = 'none' | 'bonferroni' | 'holm';

export function bonferroni(p: readonly number[]): number[] {
  return p.map((x) => (Number.isNaN(x) ? x : Math.min(1, x * p.length)));
}

/** Holm's step-down method: uniformly more powerful than Bonferroni, and controls the same family-wise error. */
export function holm(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(([x, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * x));
    out[i] = Number.isNaN(x) ? x : running;
  });
  return out;
}

export function adjust(p: readonly number[], correction: Correction): number[] {
  return correction === 'bonferroni' ? bonferroni(p) : correction === 'holm' ? holm(p) : [...p];
}
