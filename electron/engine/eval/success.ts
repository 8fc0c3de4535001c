import { relevantInTop, type JudgedRanking } from './judged-ranking.ts';

/** 1 when a relevant document is among the top k, else 0 (trec_eval's `success_k`). */
export function successAt(r: JudgedRanking, level: number, k: number): number {
  return relevantInTop(r, level, k) > 0 ? 1 : 0;
}
