import type { ScoredDoc } from './topk.ts';

export type FusionMethod = 'rrf' | 'combsum';

/**
 * Combines ranked lists of the same documents from several indexes. `combsum` adds scores after min–max
 * normalisation per list (documents absent from a list add 0); `rrf` is reciprocal rank fusion with k = 60.
 * Ties are broken by document id, so fused rankings are deterministic.
 */
export function fuse(lists: readonly (readonly ScoredDoc[])[], method: FusionMethod, k: number, weights?: readonly number[]): ScoredDoc[] {
  const acc = new Map<number, number>();
  for (const [l, list] of lists.entries()) {
    if (list.length === 0) continue;
    const w = weights?.[l] ?? 1;
    let max = -Infinity;
    let min = Infinity;
    for (const d of list) {
      max = Math.max(max, d.score);
      min = Math.min(min, d.score);
    }
    const range = max - min || 1;
    list.forEach((d, i) => {
      const s = method === 'rrf' ? 1 / (60 + i + 1) : (d.score - min) / range;
      acc.set(d.docId, (acc.get(d.docId) ?? 0) + w * s);
    });
  }
  return [...acc]
    .map(([docId, score]) => ({ docId, score }))
    .sort((a, b) => b.score - a.score || a.docId - b.docId)
    .slice(0, k);
}
