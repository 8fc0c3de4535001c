import { relevantInTop, type JudgedRanking } from './judged-ranking.ts';

/** Precision at k, divided by k even when fewer than k documents were retrieved, as trec_eval's `P_k`. */
export function precisionAt(r: JudgedRanking, level: number, k: number): number {
  return relevantInTop(r, level, k) / k;
}
