import type { Hit } from './stage.ts';
import { compareBytes } from '../eval/text-lines.ts';

/**
 * Score fusion of two systems, as in Shi et al.'s hybrid of term and dense retrieval: S = α·S_a + (1−α)·S_b, with
 * each system's scores normalised per query first (min-max or z-score), since BM25 scores and cosine similarities
 * live on different scales. A document one system did not return gets that system's lowest normalised score for the
 * query: it is assumed to be no better than the last document it did return.
 */
export type Normalisation = 'minmax' | 'zscore' | 'none';

export function normalise(hits: readonly Hit[], how: Normalisation): Map<string, number> {
  const out = new Map<string, number>();
  if (hits.length === 0) return out;
  if (how === 'none') {
    for (const h of hits) out.set(h.docId, h.score);
    return out;
  }
  const finite = hits.map((h) => h.score).filter(Number.isFinite);
  if (how === 'minmax') {
    const min = Math.min(...finite);
    const max = Math.max(...finite);
    const range = max - min;
    for (const h of hits) out.set(h.docId, range > 0 ? (clamp(h.score, min, max) - min) / range : 1);
    return out;
  }
  const mean = finite.reduce((s, x) => s + x, 0) / (finite.length || 1);
  const sd = Math.sqrt(finite.reduce((s, x) => s + (x - mean) ** 2, 0) / (finite.length || 1));
  for (const h of hits) out.set(h.docId, sd > 0 ? (clamp(h.score, Math.min(...finite), Math.max(...finite)) - mean) / sd : 0);
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

const before = (x: Hit, y: Hit): number => (x.score > y.score ? -1 : x.score < y.score ? 1 : compareBytes(y.docId, x.docId));

/** Best first; equal scores by document id descending, the order trec_eval will read them in. */
export function sortHits(hits: Hit[]): Hit[] {
  return hits.sort(before);
}

/**
 * Per-query normalised scores of both systems over the union of their documents (a missing document at its
 * system's floor), computed once and reused for every α tried: tuning fuses each query once per grid value.
 */
export interface FusionInput {
  docIds: string[];
  a: number[];
  b: number[];
}

export function prepareFusion(a: readonly Hit[], b: readonly Hit[], how: Normalisation): FusionInput {
  const na = normalise(a, how);
  const nb = normalise(b, how);
  const floor = (m: Map<string, number>) => (m.size === 0 ? 0 : Math.min(...m.values()));
  const floorA = floor(na);
  const floorB = floor(nb);
  const docIds = [...na.keys()];
  for (const d of nb.keys()) if (!na.has(d)) docIds.push(d);
  // Plain arrays (held by the JavaScript heap), not typed arrays: a query set makes thousands of these.
  return { docIds, a: docIds.map((d) => na.get(d) ?? floorA), b: docIds.map((d) => nb.get(d) ?? floorB) };
}

let scratch = new Float64Array(4096);

export function linearFusion(input: FusionInput, alpha: number, depth = Infinity): Hit[] {
  const { docIds, a, b } = input;
  const n = docIds.length;
  // One scratch array for every call: tuning fuses each query once per grid value, and a fresh array each time
  // would leave hundreds of MB of freed buffers to the allocator.
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const scores = scratch;
  for (let i = 0; i < n; i++) scores[i] = alpha * a[i]! + (1 - alpha) * b[i]!;
  const before = (x: number, y: number): number => (scores[x]! > scores[y]! ? -1 : scores[x]! < scores[y]! ? 1 : compareBytes(docIds[y]!, docIds[x]!));
  let order: number[];
  if (depth * 8 >= n) {
    order = Array.from({ length: n }, (_, i) => i).sort(before).slice(0, depth);
  } else {
    // The best `depth` by insertion: a measure such as RR@10 needs the top 10 of thousands, one pass.
    order = [];
    for (let i = 0; i < n; i++) {
      if (order.length === depth && before(i, order[depth - 1]!) >= 0) continue;
      let j = order.length === depth ? depth - 1 : order.length;
      while (j > 0 && before(i, order[j - 1]!) < 0) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = i;
    }
  }
  return order.map((i) => ({ docId: docIds[i]!, score: scores[i]! }));
}

/** Reciprocal rank fusion (Cormack et al., SIGIR 2009): Σ 1 / (k + rank), ranks from 1; needs no scores at all. */
export function reciprocalRankFusion(lists: readonly (readonly Hit[])[], k = 60, depth = Infinity): Hit[] {
  const acc = new Map<string, number>();
  for (const list of lists) list.forEach((h, i) => acc.set(h.docId, (acc.get(h.docId) ?? 0) + 1 / (k + i + 1)));
  const out = sortHits([...acc].map(([docId, score]) => ({ docId, score })));
  return depth < out.length ? out.slice(0, depth) : out;
}
