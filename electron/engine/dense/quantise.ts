/**
 * Scalar int8 quantisation with one scale per dimension: a vector costs one byte per dimension instead of four, and
 * the inner product with a float query stays a single pass (the query is multiplied by the scales once, then dotted
 * with the codes). Scales come from the vectors the index is first built on; later vectors are clamped to them.
 */
export function int8Scales(vectors: Float32Array, dimension: number): Float32Array {
  const scales = new Float32Array(dimension);
  const n = vectors.length / dimension;
  for (let i = 0; i < n; i++) {
    const o = i * dimension;
    for (let j = 0; j < dimension; j++) {
      const a = Math.abs(vectors[o + j]!);
      if (a > scales[j]!) scales[j] = a;
    }
  }
  for (let j = 0; j < dimension; j++) scales[j] = scales[j]! > 0 ? scales[j]! / 127 : 1 / 127;
  return scales;
}

/** Quantises `v` into `out`; where a value lies beyond ±127 steps, `excess[j]` keeps the largest overshoot clamped away. */
export function quantiseInto(v: ArrayLike<number>, scales: Float32Array, out: Int8Array, offset: number, excess?: Float32Array): void {
  for (let j = 0; j < scales.length; j++) {
    const q = Math.round(v[j]! / scales[j]!);
    if ((q > 127 || q < -127) && excess) excess[j] = Math.max(excess[j]!, Math.abs(v[j]!) - 127 * scales[j]!);
    out[offset + j] = q > 127 ? 127 : q < -127 ? -127 : q;
  }
}

/** The query side of the asymmetric inner product: q·x ≈ Σ (q_j·s_j)·code_j. */
export function scaledQuery(q: ArrayLike<number>, scales: Float32Array): Float32Array {
  const out = new Float32Array(scales.length);
  for (let j = 0; j < scales.length; j++) out[j] = q[j]! * scales[j]!;
  return out;
}

/** L2-normalised copy: dense indexes rank by cosine similarity, i.e. by inner product of unit vectors. */
export function unit(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let n = 0;
  for (let i = 0; i < out.length; i++) n += out[i]! * out[i]!;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}
