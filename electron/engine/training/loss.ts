/**
 * InfoNCE over one batch: query i's positive is candidate `positive[i]`; every other candidate (the other queries'
 * positives, then the mined hard negatives) is a negative, except those `masked` as the same text as the positive.
 * Vectors are unit rows; scores are cosines over the temperature.
 */
export interface ContrastiveBatch {
  queries: Float64Array;
  candidates: Float64Array;
  dim: number;
  rows: number;
  columns: number;
  positive: Int32Array;
  /** masked(i, j): candidate j must not count as a negative of query i (a duplicate of its positive). */
  masked?: (i: number, j: number) => boolean;
  temperature: number;
}

export interface ContrastiveResult {
  loss: number;
  /** Gradients of the mean loss with respect to the query and candidate vectors. */
  gQueries: Float64Array;
  gCandidates: Float64Array;
}

export function infoNce(b: ContrastiveBatch): ContrastiveResult {
  const { queries: q, candidates: c, dim, rows, columns, temperature: t } = b;
  const gQueries = new Float64Array(rows * dim);
  const gCandidates = new Float64Array(columns * dim);
  const logits = new Float64Array(columns);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < columns; j++) {
      if (j !== b.positive[i] && b.masked?.(i, j)) {
        logits[j] = -Infinity;
        continue;
      }
      let s = 0;
      for (let k = 0; k < dim; k++) s += q[i * dim + k]! * c[j * dim + k]!;
      logits[j] = s / t;
      if (logits[j]! > max) max = logits[j]!;
    }
    let z = 0;
    for (let j = 0; j < columns; j++) z += Math.exp(logits[j]! - max);
    const pos = b.positive[i]!;
    loss += Math.log(z) + max - logits[pos]!;
    // ∂loss/∂logit_j = softmax_j − [j = positive], averaged over the batch, then through s/t.
    for (let j = 0; j < columns; j++) {
      const p = Math.exp(logits[j]! - max) / z;
      const g = (p - (j === pos ? 1 : 0)) / (rows * t);
      if (g === 0) continue;
      for (let k = 0; k < dim; k++) {
        gQueries[i * dim + k]! += g * c[j * dim + k]!;
        gCandidates[j * dim + k]! += g * q[i * dim + k]!;
      }
    }
  }
  return { loss: loss / rows, gQueries, gCandidates };
}
