import { countRelevant, relevantInTop, type JudgedRanking } from './judged-ranking.ts';

/** trec_eval's `num_ret`: documents retrieved (after the evaluation depth, and the cutoff when given). */
export function numRetrieved(r: JudgedRanking, cutoff = Infinity): number {
  return Math.min(cutoff, r.retrieved);
}

/** trec_eval's `num_rel`: relevant documents of the query, retrieved or not. */
export function numRelevant(r: JudgedRanking, level: number): number {
  return countRelevant(r, level);
}

/** trec_eval's `num_rel_ret`: relevant documents retrieved. */
export function numRelevantRetrieved(r: JudgedRanking, level: number, cutoff = Infinity): number {
  return relevantInTop(r, level, cutoff);
}
