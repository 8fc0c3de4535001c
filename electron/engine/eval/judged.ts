import type { JudgedRanking } from './judged-ranking.ts';

/**
 * Judged@k: the share of the top k that the qrels grade (0 or more), divided by k as precision is. It says how far
 * the other numbers can be trusted when a new system retrieves documents the pool never saw. trec_eval 10's
 * `unj_k` is its complement over the retrieved part: Judged@k = min(k, retrieved)/k − unj_k.
 */
export function judgedAt(r: JudgedRanking, k: number): number {
  const n = Math.min(k, r.grades.length);
  let c = 0;
  for (let i = 0; i < n; i++) if (r.grades[i]! >= 0) c++;
  return c / k;
}
