import type { JudgedRanking } from './judged-ranking.ts';

/**
 * Reciprocal rank of the first relevant document. Without a cutoff this is trec_eval's `recip_rank`, over the
 * whole ranking; `RR@10` is MRR@10, what trec_eval gives with `-M 10`.
 */
export function reciprocalRank(r: JudgedRanking, level: number, cutoff = Infinity): number {
  const n = Math.min(cutoff, r.grades.length);
  for (let i = 0; i < n; i++) if (r.grades[i]! >= level) return 1 / (i + 1);
  return 0;
}
