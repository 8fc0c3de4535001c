import { Prng } from '../../electron/engine/stats/prng.ts';

/**
 * Unit vectors drawn around random centres with most of their spread in a few shared directions, like the embeddings
 * of a real collection (topics; an intrinsic dimension of a few dozen). Isotropic random vectors are not: on those
 * every neighbour is almost as far as every other and no index does much better than a scan.
 */
export function clusteredVectors(n: number, dimension: number, seed: number, clusters = Math.max(1, Math.round(Math.sqrt(n)))): Float32Array {
  const rng = new Prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const centres = new Float32Array(clusters * dimension);
  for (let i = 0; i < centres.length; i++) centres[i] = gauss();
  const directions = 24;
  const basis = new Float32Array(directions * dimension);
  for (let i = 0; i < basis.length; i++) basis[i] = gauss();
  const g = new Float32Array(directions);
  const out = new Float32Array(n * dimension);
  for (let i = 0; i < n; i++) {
    const c = (rng.nextUint32() % clusters) * dimension;
    const o = i * dimension;
    for (let r = 0; r < directions; r++) g[r] = gauss() * 0.25;
    let norm = 0;
    for (let j = 0; j < dimension; j++) {
      let x = centres[c + j]! + gauss() * 0.15;
      for (let r = 0; r < directions; r++) x += g[r]! * basis[r * dimension + j]!;
      out[o + j] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dimension; j++) out[o + j]! /= norm;
  }
  return out;
}

/** The exact top k of a query by inner product over n row-major vectors: the reference every index is held to. */
export function exactTopK(vectors: Float32Array, dimension: number, query: Float32Array, k: number): { ids: number[]; scores: number[] } {
  const n = vectors.length / dimension;
  const best: { id: number; s: number }[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * dimension;
    for (let j = 0; j < dimension; j++) s += vectors[o + j]! * query[j]!;
    if (best.length < k || s > best[best.length - 1]!.s) {
      let p = Math.min(best.length, k - 1);
      best[p] = { id: i, s };
      while (p > 0 && best[p - 1]!.s < s) {
        [best[p], best[p - 1]] = [best[p - 1]!, best[p]!];
        p--;
      }
    }
  }
  return { ids: best.map((b) => b.id), scores: best.map((b) => b.s) };
}

/** A collection and queries drawn from the same topics (the queries are not in the collection). */
export function clusteredSet(n: number, queries: number, dimension: number, seed: number): { base: Float32Array; queries: Float32Array } {
  const all = clusteredVectors(n + queries, dimension, seed, Math.max(1, Math.round(Math.sqrt(n))));
  return { base: all.subarray(0, n * dimension), queries: all.subarray(n * dimension) };
}
