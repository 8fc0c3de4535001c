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
 * The best `k` hits in order. Tuning α fuses every query once per grid value, and a measure such as RR@10 needs
 * only the top 10: selecting them costs one pass instead of a sort of thousands.
 */
export function topHits(hits: Hit[], k: number): Hit[] {
  if (k * 8 >= hits.length) return sortHits(hits).slice(0, k);
  const best: Hit[] = [];
  for (const h of hits) {
    if (best.length === k && before(h, best[k - 1]!) >= 0) continue;
    let i = best.length === k ? k - 1 : best.length;
    while (i > 0 && before(h, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = h;
  }
  return best;
}

/** Per-query normalised scores of both systems, computed once and reused for every α tried. */
export interface FusionInput {
  a: Map<string, number>;
  b: Map<string, number>;
  floorA: number;
  floorB: number;
}

export function prepareFusion(a: readonly Hit[], b: readonly Hit[], how: Normalisation): FusionInput {
  const na = normalise(a, how);
  const nb = normalise(b, how);
  const floor = (m: Map<string, number>) => (m.size === 0 ? 0 : Math.min(...m.values()));
  return { a: na, b: nb, floorA: floor(na), floorB: floor(nb) };
}

export function linearFusion(input: FusionInput, alpha: number, depth = Infinity): Hit[] {
  const out: Hit[] = [];
  for (const [docId, sa] of input.a) out.push({ docId, score: alpha * sa + (1 - alpha) * (input.b.get(docId) ?? input.floorB) });
  for (const [docId, sb] of input.b) if (!input.a.has(docId)) out.push({ docId, score: alpha * input.floorA + (1 - alpha) * sb });
  return depth < out.length ? topHits(out, depth) : sortHits(out);
}

/** Reciprocal rank fusion (Cormack et al., SIGIR 2009): Σ 1 / (k + rank), ranks from 1; needs no scores at all. */
export function reciprocalRankFusion(lists: readonly (readonly Hit[])[], k = 60, depth = Infinity): Hit[] {
  const acc = new Map<string, number>();
  for (const list of lists) list.forEach((h, i) => acc.set(h.docId, (acc.get(h.docId) ?? 0) + 1 / (k + i + 1)));
  const out = sortHits([...acc].map(([docId, score]) => ({ docId, score })));
  return depth < out.length ? out.slice(0, depth) : out;
}
