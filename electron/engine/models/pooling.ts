import type { Pooling } from './manifest.ts';

/** A [rows, seq, dim] tensor in row-major order, with the attention mask that says which positions are real. */
export interface TokenStates {
  data: Float32Array;
  rows: number;
  seq: number;
  dim: number;
}

/** One vector per row: the first token, the mean over real tokens, or the last real token (right padding). */
export function pool(states: TokenStates, mask: BigInt64Array, maskSeq: number, pooling: Exclude<Pooling, 'none'>): Float32Array[] {
  const { data, rows, seq, dim } = states;
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = new Float32Array(dim);
    const at = (t: number) => data.subarray((r * seq + t) * dim, (r * seq + t + 1) * dim);
    if (pooling === 'cls') {
      v.set(at(0));
    } else if (pooling === 'last-token') {
      let last = 0;
      for (let t = 0; t < Math.min(seq, maskSeq); t++) if (mask[r * maskSeq + t] !== 0n) last = t;
      v.set(at(last));
    } else {
      let n = 0;
      // Sum in float64: a 512-token mean in float32 drifts by more than the batch-invariance tolerance.
      const acc = new Float64Array(dim);
      for (let t = 0; t < Math.min(seq, maskSeq); t++) {
        if (mask[r * maskSeq + t] === 0n) continue;
        const x = at(t);
        for (let i = 0; i < dim; i++) acc[i]! += x[i]!;
        n++;
      }
      for (let i = 0; i < dim; i++) v[i] = acc[i]! / Math.max(n, 1);
    }
    out.push(v);
  }
  return out;
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export function dot(a: Float32Array, b: Float32Array, aOff = 0, bOff = 0, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aOff + i]! * b[bOff + i]!;
  return s;
}

/** Token vectors of one text: `count` rows of `dim`. */
export interface MultiVector {
  count: number;
  dim: number;
  data: Float32Array;
}

/** ColBERT's late interaction: for each query token, its best match among the document's tokens, summed. */
export function maxSim(q: MultiVector, d: MultiVector): number {
  let total = 0;
  for (let i = 0; i < q.count; i++) {
    let best = -Infinity;
    for (let j = 0; j < d.count; j++) best = Math.max(best, dot(q.data, d.data, i * q.dim, j * d.dim, q.dim));
    if (best > -Infinity) total += best;
  }
  return total;
}

/** A learned sparse vector: vocabulary ids with positive weights, sorted by id. */
export interface SparseVector {
  ids: number[];
  weights: number[];
  /** The tokens the ids stand for, for people reading the weights. */
  tokens?: string[];
}

export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.ids.length && j < b.ids.length) {
    if (a.ids[i] === b.ids[j]) s += a.weights[i++]! * b.weights[j++]!;
    else if (a.ids[i]! < b.ids[j]!) i++;
    else j++;
  }
  return s;
}

/** Decodes IEEE half floats, for fp16 exports whose outputs onnxruntime hands back as raw 16-bit words. */
export function halfToFloat(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const x = h[i]!;
    const sign = x & 0x8000 ? -1 : 1;
    const exp = (x >> 10) & 0x1f;
    const frac = x & 0x3ff;
    out[i] = exp === 0 ? sign * 2 ** -14 * (frac / 1024) : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}
