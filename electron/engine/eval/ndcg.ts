import type { JudgedRanking } from './judged-ranking.ts';

/**
 * nDCG as trec_eval's `ndcg` and `ndcg_cut`: the gain is the grade itself (not 2^g − 1), discounted by
 * log2(rank + 1); the ideal ranking sorts every judged document of the query, retrieved or not. The relevance level
 * plays no part: a grade-1 document keeps its gain at `-l 2`, as in trec_eval.
 */
export function ndcg(r: JudgedRanking, cutoff = Infinity): number {
  const n = Math.min(cutoff, r.grades.length);
  let dcg = 0;
  for (let i = 0; i < n; i++) {
    const g = r.grades[i]!;
    if (g > 0) dcg += g / Math.log2(i + 2);
  }
  const m = Math.min(cutoff, r.judged.length);
  let ideal = 0;
  for (let i = 0; i < m; i++) {
    const g = r.judged[i]!;
    if (g <= 0) break;
    ideal += g / Math.log2(i + 2);
  }
  return ideal > 0 ? dcg / ideal : 0;
}
